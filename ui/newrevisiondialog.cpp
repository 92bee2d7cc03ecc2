#include "newrevisiondialog.h"

#include "command/project.h"
#include "template/revisionwriter.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace retort {

NewRevisionDialog::NewRevisionDialog(const QString &iniPath, const QStringList &heads, QWidget *parent)
    : QDialog(parent)
    , m_iniPath(iniPath)
    , m_message(new QLineEdit)
    , m_head(new QComboBox)
    , m_error(new QLabel)
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("New Revision"));
    m_message->setPlaceholderText(tr("empty message"));
    // Empty data = Alembic's "head", which refuses when there are several.
    m_head->addItem(heads.size() > 1 ? tr("(choose a head)") : tr("head"), QString());
    for (const QString &head : heads)
        m_head->addItem(head, head);
    if (heads.size() == 1)
        m_head->setCurrentIndex(1);
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_error->hide();

    auto *form = new QFormLayout;
    form->addRow(tr("&Message:"), m_message);
    form->addRow(tr("On top of &head:"), m_head);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &NewRevisionDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &NewRevisionDialog::reject);
}

void NewRevisionDialog::setMessage(const QString &message) { m_message->setText(message); }

void NewRevisionDialog::setHead(const QString &head)
{
    m_head->setCurrentIndex(qMax(0, m_head->findData(head)));
}

QString NewRevisionDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

Result<QString> NewRevisionDialog::write(const QString &iniPath, const QString &message,
                                         const QString &head, const MessageSink &sink)
{
    Project project(iniPath);
    auto config = project.config();
    if (!config)
        return config.error();
    auto settings = (*config)->scriptSettings();
    if (!settings)
        return settings.error();
    auto graph = project.graph();
    if (!graph)
        return graph.error();
    RevisionRequest request;
    request.settings = *settings;
    if (!message.isEmpty())
        request.message = message;
    request.templateArgs.insert(QStringLiteral("config"), RevisionWriter::configValue(**config));
    if (Result<void> parents = RevisionWriter::resolveParents(
            **graph, head.isEmpty() ? QStringLiteral("head") : head, {}, &request); !parents)
        return parents.error();
    auto written = RevisionWriter::write(request, sink);
    if (!written)
        return written.error();
    return written->path;
}

void NewRevisionDialog::accept()
{
    QString line;   // "Generating x ..." and "  done" form one line
    Result<QString> written = write(m_iniPath, m_message->text().trimmed(), m_head->currentData().toString(),
                                    [this, &line](const Message &m) {
                                        line += m.plainText();
                                        if (line.endsWith(QLatin1Char('\n'))) {
                                            emit message(line.trimmed());
                                            line.clear();
                                        }
                                    });
    if (!written) {
        m_error->setText(written.error().message);
        m_error->show();
        return;
    }
    m_written = *written;
    QDialog::accept();
}

} // namespace retort
