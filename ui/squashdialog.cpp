#include "squashdialog.h"

#include "proof/squasher.h"
#include "services/migrationlogsink.h"
#include "services/project.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QThread>
#include <QVBoxLayout>

namespace retort {

namespace {

// The database check logs env.py's context lines; the dialog shows only the outcome.
class DiscardLog : public MigrationLogSink
{
public:
    void info(const QString &, const QString &) override {}
};

} // namespace

SquashDialog::SquashDialog(const QString &iniPath, const QString &urlOverride, const QString &revision,
                           QWidget *parent)
    : QDialog(parent), m_iniPath(iniPath), m_urlOverride(urlOverride), m_revision(revision)
{
    setWindowTitle(tr("Squash up to %1").arg(revision.left(12)));
    m_intro = new QLabel(tr("Replace %1 and the revisions below it with one baseline revision that creates "
                            "the schema at %1 (it keeps the id %1). The old scripts move to the archive folder "
                            "next to the versions folder, nothing is deleted. Databases at %1 or above keep "
                            "working; a database below %1 can no longer be upgraded afterwards. Rows the old "
                            "migrations inserted are not carried.").arg(revision),
                         this);
    m_intro->setWordWrap(true);
    m_sqlite = new QCheckBox(tr("Build the schema in a temporary SQLite file (instead of a temporary database "
                                "on the project's server)"), this);
    m_force = new QCheckBox(tr("Squash even when the project's database is below this revision or cannot be "
                               "checked"), this);
    m_output = new QPlainTextEdit(this);
    m_output->setReadOnly(true);
    m_output->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_output->setPlaceholderText(tr("Preview shows the baseline without writing anything."));
    auto *buttons = new QDialogButtonBox(this);
    m_preview = buttons->addButton(tr("Preview"), QDialogButtonBox::ActionRole);
    m_squash = buttons->addButton(tr("Squash"), QDialogButtonBox::AcceptRole);
    m_close = buttons->addButton(QDialogButtonBox::Close);
    // Squash changes files: never the default button.
    m_squash->setAutoDefault(false);
    m_preview->setDefault(true);
    connect(m_preview, &QPushButton::clicked, this, [this] { start(true); });
    connect(m_squash, &QPushButton::clicked, this, [this] { start(false); });
    connect(m_close, &QPushButton::clicked, this, &SquashDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_sqlite);
    layout->addWidget(m_force);
    layout->addWidget(m_output, 1);
    layout->addWidget(buttons);
    resize(760, 520);
}

SquashDialog::~SquashDialog()
{
    // Files may be moving: let the run end (it does not wait on the user).
    if (m_thread)
        m_thread->wait();
}

QString SquashDialog::outputText() const
{
    return m_output->toPlainText();
}

void SquashDialog::reject()
{
    if (!isBusy())
        QDialog::reject();
}

void SquashDialog::setBusy(bool busy)
{
    m_preview->setEnabled(!busy && !m_squashed);
    m_squash->setEnabled(!busy && !m_squashed);
    m_close->setEnabled(!busy);
    m_sqlite->setEnabled(!busy && !m_squashed);
    m_force->setEnabled(!busy && !m_squashed);
}

void SquashDialog::start(bool dryRun)
{
    if (isBusy())
        return;
    SquashOptions options;
    options.until = m_revision;
    options.dryRun = dryRun;
    options.force = m_force->isChecked();
    options.scratchSqlite = m_sqlite->isChecked();
    m_output->setPlainText(dryRun ? tr("Building the schema at %1…").arg(m_revision)
                                  : tr("Squashing up to %1…").arg(m_revision));
    setBusy(true);
    QPointer<SquashDialog> self(this);
    const QString ini = m_iniPath;
    const QString url = m_urlOverride;
    m_thread = QThread::create([self, ini, url, options, dryRun] {
        // The worker's own Project: the studio's is read on the GUI thread.
        Project project(ini);
        DiscardLog log;
        Squasher squasher(project, log);
        auto report = squasher.probeAndRun(url, options);
        const bool ok = bool(report);
        const QStringList warnings = ok ? report->warnings() : QStringList();
        const QStringList lines = ok ? report->summary() : QStringList();
        const QString error = ok ? QString() : report.error().message;
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, dryRun, ok, warnings, lines, error] {
            if (self)
                self->finish(dryRun, ok, warnings, lines, error);
        }, Qt::QueuedConnection);
    });
    connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    m_thread->start();
}

void SquashDialog::finish(bool dryRun, bool ok, const QStringList &warnings, const QStringList &lines,
                          const QString &error)
{
    if (m_thread)
        m_thread->wait();
    m_thread = nullptr;
    QStringList text;
    if (!ok)
        text << tr("Nothing was changed: %1").arg(error);
    for (const QString &w : warnings)
        text << tr("Warning: %1").arg(w);
    text << lines;
    m_output->setPlainText(text.join(QLatin1Char('\n')));
    if (ok && !dryRun)
        m_squashed = true;
    setBusy(false);
    if (m_squashed)
        emit squashed();
    emit runFinished(ok);
}

} // namespace retort
