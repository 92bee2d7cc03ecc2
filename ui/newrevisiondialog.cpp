#include "newrevisiondialog.h"

#include "services/project.h"
#include "template/revisionwriter.h"
#include "themecolors.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace retort {

namespace {
constexpr int kIdChars = 12;

QString describe(const RevisionNode *node)
{
    const QString doc = node->doc().section(QLatin1Char('\n'), 0, 0).trimmed();
    return doc.isEmpty() ? node->id() : QStringLiteral("%1 \u2014 %2").arg(node->id().left(kIdChars), doc);
}
} // namespace

NewRevisionDialog::NewRevisionDialog(const QString &iniPath, const QStringList &heads, QWidget *parent)
    : QDialog(parent)
    , m_iniPath(iniPath)
    , m_message(new QLineEdit)
    , m_head(new QComboBox)
    , m_branchLabel(new QLineEdit)
    , m_dependsOn(new QLineEdit)
    , m_autogenerate(new QCheckBox(tr("&Autogenerate: compare the models with the database and review the "
                                      "changes first")))
    , m_error(new QLabel)
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("New Revision"));
    m_message->setPlaceholderText(tr("empty message"));

    // The heads with their messages, and every revision for the depends-on completer.
    Project project(iniPath);
    const RevisionGraph *graph = nullptr;
    if (auto read = project.graph(); read)
        graph = *read;
    // Empty data = Alembic's "head", which refuses when there are several.
    m_head->addItem(heads.size() > 1 ? tr("(choose a head)") : tr("head"), QString());
    for (const QString &head : heads) {
        const RevisionNode *node = graph ? graph->node(head) : nullptr;
        m_head->addItem(node ? describe(node) : head, head);
        m_head->setItemData(m_head->count() - 1, head, Qt::ToolTipRole);
    }
    m_head->addItem(tr("base (start a new branch; give it a label)"), QStringLiteral("base"));
    if (heads.size() == 1)
        m_head->setCurrentIndex(1);
    QStringList completions;
    if (graph) {
        for (const RevisionNode *node : graph->nodes()) {
            completions << node->id();
            for (const QString &label : node->declaredBranchLabels())
                if (!completions.contains(label))
                    completions << label;
        }
    }
    m_dependsOn->setCompleter(new QCompleter(completions, m_dependsOn));
    m_dependsOn->setPlaceholderText(tr("revision ids or branch labels, comma-separated"));
    m_dependsOn->setToolTip(tr("Revisions this one depends on without descending from them (--depends-on)"));
    m_branchLabel->setPlaceholderText(tr("none"));
    m_branchLabel->setToolTip(tr("A label naming the branch this revision starts or belongs to (--branch-label)"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setStyleSheet(ThemeColors::errorStyleSheet(palette()));
    m_error->hide();
    m_autogenerate->setEnabled(false);

    auto *form = new QFormLayout;
    form->addRow(tr("&Message:"), m_message);
    form->addRow(tr("On top of &head:"), m_head);
    form->addRow(tr("&Branch label:"), m_branchLabel);
    form->addRow(tr("&Depends on:"), m_dependsOn);
    form->addRow(m_autogenerate);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &NewRevisionDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &NewRevisionDialog::reject);
    connect(m_autogenerate, &QCheckBox::toggled, this, &NewRevisionDialog::updateAutogenerate);
    updateAutogenerate();
}

void NewRevisionDialog::setMessage(const QString &message) { m_message->setText(message); }

void NewRevisionDialog::setHead(const QString &head)
{
    m_head->setCurrentIndex(qMax(0, m_head->findData(head)));
}

void NewRevisionDialog::setBranchLabel(const QString &label) { m_branchLabel->setText(label); }
void NewRevisionDialog::setDependsOn(const QString &revisions) { m_dependsOn->setText(revisions); }

void NewRevisionDialog::setAutogenerateAction(QAction *action)
{
    m_autogenerateAction = action;
    updateAutogenerate();
}

void NewRevisionDialog::setAutogenerate(bool on) { m_autogenerate->setChecked(on); }

void NewRevisionDialog::updateAutogenerate()
{
    const bool available = m_autogenerateAction && m_autogenerateAction->isEnabled();
    m_autogenerate->setEnabled(available);
    m_autogenerate->setToolTip(available ? QString()
                                         : tr("Needs a connected database (Autogenerate compares with it)"));
    if (!available)
        m_autogenerate->setChecked(false);
    // The review takes the message and writes the script; the options here are for an
    // empty script.
    const bool review = m_autogenerate->isChecked();
    for (QWidget *w : {static_cast<QWidget *>(m_head), static_cast<QWidget *>(m_branchLabel),
                       static_cast<QWidget *>(m_dependsOn)})
        w->setEnabled(!review);
    m_buttons->button(QDialogButtonBox::Ok)->setText(review ? tr("Review Changes\u2026") : tr("Create"));
}

QString NewRevisionDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QStringList NewRevisionDialog::headChoices() const
{
    QStringList choices;
    for (int i = 0; i < m_head->count(); ++i)
        choices << m_head->itemText(i);
    return choices;
}

NewRevisionRequest NewRevisionDialog::request() const
{
    NewRevisionRequest r;
    r.message = m_message->text().trimmed();
    r.head = m_head->currentData().toString();
    r.branchLabel = m_branchLabel->text().trimmed();
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    r.dependsOn = m_dependsOn->text().split(separators, Qt::SkipEmptyParts);
    return r;
}

Result<QString> NewRevisionDialog::write(const QString &iniPath, const QString &message,
                                         const QString &head, const MessageSink &sink)
{
    return write(iniPath, NewRevisionRequest{message, head, {}, {}}, sink);
}

Result<QString> NewRevisionDialog::write(const QString &iniPath, const NewRevisionRequest &options,
                                         const MessageSink &sink)
{
    // As command.revision: parents from get_revisions(head), depends-on resolved the same
    // way (labels kept, partial ids expanded), then the graph re-read so a label clash
    // surfaces as Alembic reports it.
    Project project(iniPath);
    auto cfg = project.config();
    if (!cfg)
        return cfg.error();
    auto settings = (*cfg)->scriptSettings();
    if (!settings)
        return settings.error();
    auto graph = project.graph();
    if (!graph)
        return graph.error();
    RevisionRequest request;
    request.settings = *settings;
    const QString head = options.head.isEmpty() ? QStringLiteral("head") : options.head;
    if (auto parents = RevisionWriter::resolveParents(**graph, head, options.dependsOn, &request); !parents)
        return parents.error();
    if (!options.message.isEmpty())
        request.message = options.message;
    if (!options.branchLabel.isEmpty())
        request.branchLabel = options.branchLabel;
    request.workingDirectory = QFileInfo(project.iniPath()).absolutePath();
    request.templateArgs.insert(QStringLiteral("config"), RevisionWriter::configValue(**cfg));
    auto written = RevisionWriter::write(request, sink ? sink : MessageSink([](const Message &) {}));
    if (!written)
        return written.error();
    project.reloadRevisions();
    if (auto reread = project.graph(); !reread) {
        // Alembic leaves the file too; say where it is so it can be fixed or removed.
        return Error(tr("%1\n(written to %2)").arg(reread.error().message, written->path));
    }
    return written->path;
}

void NewRevisionDialog::accept()
{
    if (m_autogenerate->isChecked() && m_autogenerateAction && m_autogenerateAction->isEnabled()) {
        emit autogenerateRequested();
        m_autogenerateAction->trigger();
        QDialog::accept();
        return;
    }
    QString line;   // "Generating x ..." and "  done" form one line
    Result<QString> written = write(m_iniPath, request(), [this, &line](const Message &m) {
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
