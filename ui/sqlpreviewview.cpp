#include "sqlpreviewview.h"

#include "messagebanner.h"

#include <Qsci/qscilexersql.h>
#include <Qsci/qsciscintilla.h>

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSaveFile>
#include <QShowEvent>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>

namespace retort {

namespace {
// The preview reads env.py but never connects, so nothing is worth logging.
class QuietLog : public MigrationLogSink
{
public:
    void info(const QString &, const QString &) override {}
};

QToolButton *toolButton(QWidget *parent, const QString &name, const QString &icon, const QString &text)
{
    auto *b = new QToolButton(parent);
    b->setObjectName(name);
    b->setIcon(QIcon::fromTheme(icon));
    b->setText(text);
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    return b;
}
} // namespace

SqlPreviewView::SqlPreviewView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 2, 4, 0);
    m_direction = new QComboBox(this);
    m_direction->setObjectName(QStringLiteral("direction"));
    m_direction->addItem(tr("Upgrade"), int(MigrationSession::Upgrade));
    m_direction->addItem(tr("Downgrade"), int(MigrationSession::Downgrade));
    bar->addWidget(m_direction);
    auto *fromLabel = new QLabel(tr("fro&m"), this);
    m_fromBox = new QComboBox(this);
    m_fromBox->setObjectName(QStringLiteral("from"));
    m_fromBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_fromBox->setMinimumContentsLength(12);
    m_fromBox->setEditable(true);
    m_fromBox->setInsertPolicy(QComboBox::NoInsert);
    fromLabel->setBuddy(m_fromBox);
    auto *toLabel = new QLabel(tr("&to"), this);
    m_toBox = new QComboBox(this);
    m_toBox->setObjectName(QStringLiteral("to"));
    m_toBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_toBox->setMinimumContentsLength(12);
    m_toBox->setEditable(true);
    m_toBox->setInsertPolicy(QComboBox::NoInsert);
    m_toBox->lineEdit()->setPlaceholderText(tr("revision"));
    toLabel->setBuddy(m_toBox);
    auto *dialectLabel = new QLabel(tr("&as"), this);
    m_dialectBox = new QComboBox(this);
    m_dialectBox->setObjectName(QStringLiteral("dialect"));
    m_dialectBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_dialectBox->setSizePolicy(QSizePolicy::Minimum, QSizePolicy::Fixed);   // the range gives way first
    m_dialectBox->addItem(tr("Connection"), QString());
    m_dialectBox->addItem(QStringLiteral("SQLite"), QStringLiteral("sqlite"));
    m_dialectBox->addItem(QStringLiteral("PostgreSQL"), QStringLiteral("postgresql"));
    m_dialectBox->addItem(QStringLiteral("MySQL"), QStringLiteral("mysql"));
    m_dialectBox->setToolTip(tr("The dialect to render for: the connection's (what an online run executes) "
                                "or another one (what --sql prints with a URL of that dialect)"));
    dialectLabel->setBuddy(m_dialectBox);
    for (QWidget *w : {static_cast<QWidget *>(fromLabel), static_cast<QWidget *>(m_fromBox),
                       static_cast<QWidget *>(toLabel), static_cast<QWidget *>(m_toBox),
                       static_cast<QWidget *>(dialectLabel), static_cast<QWidget *>(m_dialectBox)})
        bar->addWidget(w);
    bar->addStretch(1);
    m_save = toolButton(this, QStringLiteral("save"), QStringLiteral("document-save-as"), tr("Save\u2026"));
    m_save->setToolTip(tr("Save the script as a .sql file"));
    bar->addWidget(m_save);
    auto *copy = toolButton(this, QStringLiteral("copy"), QStringLiteral("edit-copy"), tr("Copy"));
    bar->addWidget(copy);
    layout->addLayout(bar);

    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("banner"));
    layout->addWidget(m_banner);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setContentsMargins(4, 0, 4, 0);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    m_editor = new QsciScintilla(this);
    auto *lexer = new QsciLexerSQL(m_editor);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    lexer->setDefaultFont(mono);
    lexer->setFont(mono);
    m_editor->setLexer(lexer);
    m_editor->setUtf8(true);
    m_editor->setReadOnly(true);
    m_editor->setMarginType(0, QsciScintilla::NumberMargin);
    m_editor->setMarginLineNumbers(0, true);
    m_editor->setMarginWidth(0, QStringLiteral("0000"));
    layout->addWidget(m_editor, 1);

    connect(copy, &QToolButton::clicked, this, &SqlPreviewView::copyToClipboard);
    connect(m_save, &QToolButton::clicked, this, &SqlPreviewView::saveAs);
    connect(m_direction, &QComboBox::currentIndexChanged, this, [this] {
        refresh();
        emit directionChanged(direction());
    });
    // Picked from the list, or typed (a partial id, "-1", "branch@head") and confirmed.
    for (QComboBox *box : {m_fromBox, m_toBox}) {
        QString &target = box == m_fromBox ? m_from : m_revision;
        const auto apply = [this, box, &target] {
            box->lineEdit()->setCursorPosition(0);   // the id, not the message's end
            const QString value = revisionOf(box);
            if (value == target)
                return;
            target = value;
            refresh();
        };
        connect(box, &QComboBox::currentIndexChanged, this, apply);
        connect(box->lineEdit(), &QLineEdit::editingFinished, this, apply);
    }
    connect(m_dialectBox, &QComboBox::currentIndexChanged, this, [this] {
        m_dialect = m_dialectBox->currentData().toString();
        refresh();
    });
    fillRevisions();
}

SqlPreviewView::~SqlPreviewView() = default;

QString SqlPreviewView::dialectUrl(const QString &dialect)
{
    // Offline rendering never connects: any database of the dialect will do.
    if (dialect == QLatin1String("sqlite"))
        return QStringLiteral("sqlite://");
    if (dialect.isEmpty())
        return {};
    return dialect + QStringLiteral("://localhost/retort_preview");
}

void SqlPreviewView::setProject(const MigrationProjectSpec &spec)
{
    // Another project: nothing of the previous one's range stays.
    if (spec.iniPath != m_spec.iniPath) {
        m_revision.clear();
        m_from.clear();
    }
    m_spec = spec;
    fillRevisions();
    refresh();
}

void SqlPreviewView::setCurrentHeads(const QStringList &heads)
{
    m_heads = heads;
    refresh();
}

void SqlPreviewView::setBodyProviderFactory(MigrationSession::BodyProviderFactory factory)
{
    m_factory = std::move(factory);
    refresh();
}

MigrationSession::Direction SqlPreviewView::direction() const
{
    return static_cast<MigrationSession::Direction>(m_direction->currentData().toInt());
}

void SqlPreviewView::setDirection(MigrationSession::Direction direction)
{
    m_direction->setCurrentIndex(m_direction->findData(int(direction)));
}

void SqlPreviewView::setDialect(const QString &dialect)
{
    const int at = m_dialectBox->findData(dialect);
    if (at >= 0)
        m_dialectBox->setCurrentIndex(at);
}

QString SqlPreviewView::sql() const
{
    return m_editor->text();
}

QString SqlPreviewView::errorText() const
{
    return m_error;
}

QString SqlPreviewView::bannerText() const
{
    return m_banner->isVisibleTo(this) ? m_banner->text() : QString();
}

void SqlPreviewView::showRevision(const QString &revisionId)
{
    m_revision = revisionId;
    select(m_toBox, revisionId);
    refresh();
}

void SqlPreviewView::followRevision(const QString &revisionId)
{
    if (revisionId.isEmpty() || revisionId == m_revision)
        return;
    m_revision = revisionId;
    select(m_toBox, revisionId);
    m_stale = !isVisible();
    if (!m_stale)
        refresh();
}

void SqlPreviewView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale) {
        m_stale = false;
        refresh();
    }
}

void SqlPreviewView::setRange(const QString &from, const QString &to)
{
    m_from = from;
    m_revision = to;
    select(m_fromBox, from);
    select(m_toBox, to);
    refresh();
}

// An item's revision, or what was typed: its first word ("-1", a partial id).
QString SqlPreviewView::revisionOf(const QComboBox *box)
{
    const QString text = box->currentText().trimmed();
    const int at = box->findText(text);
    if (at >= 0)
        return box->itemData(at).toString();
    return text.section(QLatin1Char(' '), 0, 0);
}

void SqlPreviewView::select(QComboBox *box, const QString &id)
{
    const QSignalBlocker block(box);
    int at = box->findData(id);
    if (at < 0) {
        box->addItem(id, id);   // typed elsewhere ("head", "+1", a partial id)
        at = box->count() - 1;
    }
    box->setCurrentIndex(at);
    if (box->isEditable())
        box->lineEdit()->setCursorPosition(0);
}

// The combos list the project's revisions newest first, as `history` does.
void SqlPreviewView::fillRevisions()
{
    const QSignalBlocker blockFrom(m_fromBox);
    const QSignalBlocker blockTo(m_toBox);
    m_fromBox->clear();
    m_toBox->clear();
    m_fromBox->addItem(tr("Database"), QString());
    m_fromBox->setItemData(0, tr("The database's current revision: what an online run executes"), Qt::ToolTipRole);
    m_toBox->addItem(QStringLiteral("heads"), QStringLiteral("heads"));
    if (!m_spec.iniPath.isEmpty()) {
        Project project(m_spec.iniPath, m_spec.section, m_spec.xArguments);
        auto graph = project.graph();
        Result<RevisionNodes> nodes = graph ? (*graph)->walkRevisions() : Result<RevisionNodes>(graph.error());
        if (nodes) {
            for (const RevisionNode *node : *nodes) {
                const QString text = QStringLiteral("%1  %2").arg(node->id(), node->doc());
                m_fromBox->addItem(text, node->id());
                m_toBox->addItem(text, node->id());
            }
        }
    }
    m_fromBox->addItem(QStringLiteral("base"), QStringLiteral("base"));
    m_toBox->addItem(QStringLiteral("base"), QStringLiteral("base"));
    select(m_fromBox, m_from);
    if (!m_revision.isEmpty())
        select(m_toBox, m_revision);
    else
        m_toBox->setCurrentIndex(-1);
}

void SqlPreviewView::showBanner(int kind, const QString &html)
{
    m_banner->showMessage(static_cast<MessageBanner::Kind>(kind), html);
    m_banner->show();
}

void SqlPreviewView::refresh()
{
    m_error.clear();
    m_banner->hide();
    m_save->setEnabled(false);
    if (m_spec.iniPath.isEmpty() || m_revision.isEmpty()) {
        m_editor->clear();
        m_status->setText(m_spec.iniPath.isEmpty() ? tr("No project") : tr("Select a revision"));
        return;
    }
    MigrationProjectSpec spec = m_spec;
    if (!m_dialect.isEmpty())
        spec.urlOverride = dialectUrl(m_dialect);   // like --sql --url <that dialect>
    // A fresh session each time: scripts edited since the last preview are re-read.
    QuietLog log;
    MigrationSession session(spec, log, m_factory);
    session.setOnlineRendering(!isAsSql());
    QString summary;
    Result<ScriptPreview> script = [&]() -> Result<ScriptPreview> {
        VoidResult opened = session.open(false);
        if (!opened)
            return opened.error();
        QStringList heads = m_heads;
        if (!m_from.isEmpty()) {
            auto graph = session.project().graph();
            if (!graph)
                return graph.error();
            auto start = MigrationPlanner::offlineStartHeads(**graph, m_from);
            if (!start)
                return start.error();
            heads = *start;
        }
        auto plan = session.plan(direction(), m_revision, heads);
        if (!plan)
            return plan.error();
        const QString dialect = session.environment().dialect().name();
        if (m_dialect.isEmpty() && m_dialectBox->itemText(0) != tr("Connection (%1)").arg(dialect)) {
            m_dialectBox->setItemText(0, tr("Connection (%1)").arg(dialect));
            m_dialectBox->updateGeometry();
            m_dialectBox->update();
        }
        if (plan->steps.isEmpty())
            return ScriptPreview();
        const QString from = heads.isEmpty() ? QStringLiteral("base") : heads.join(QStringLiteral(", "));
        summary = isAsSql()
            ? tr("%n step(s), %1 as --sql prints from %2", nullptr, int(plan->steps.size())).arg(dialect, from)
            : tr("%n step(s) an online run executes on %1 from %2", nullptr, int(plan->steps.size())).arg(dialect, from);
        return session.renderScript(*plan, isAsSql());
    }();
    if (!script) {
        m_error = script.error().toString();
        m_editor->clear();
        m_status->clear();
        showBanner(MessageBanner::Error, m_error.toHtmlEscaped());
        return;
    }
    m_editor->setText(script->sql);
    m_save->setEnabled(!script->sql.isEmpty() && script->failedRevision.isEmpty());
    m_status->setText(summary.isEmpty() ? tr("Nothing to run: the database is already there") : summary);
    if (!script->failedRevision.isEmpty()) {
        m_error = tr("Revision %1 (%2) cannot be rendered: %3")
                      .arg(script->failedRevision, QDir::toNativeSeparators(script->failedPath), script->error);
        showBanner(MessageBanner::Error,
                   tr("Revision <b>%1</b> (%2) cannot be rendered: %3<br>The SQL before it is shown.")
                       .arg(script->failedRevision.toHtmlEscaped(),
                            QDir::toNativeSeparators(script->failedPath).toHtmlEscaped(),
                            script->error.toHtmlEscaped()));
    } else if (!script->warnings.isEmpty()) {
        m_error = script->warnings.join(QLatin1Char('\n'));
        QStringList items;
        for (const QString &w : script->warnings)
            items << w.toHtmlEscaped();
        showBanner(MessageBanner::Warning,
                   tr("The script is incomplete: a step's SQL is only a comment.<br>%1")
                       .arg(items.join(QStringLiteral("<br>"))));
    }
}

void SqlPreviewView::copyToClipboard()
{
    QApplication::clipboard()->setText(m_editor->text());
}

VoidResult SqlPreviewView::saveTo(const QString &path) const
{
    QSaveFile file(path);
    const QByteArray data = m_editor->text().toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit())
        return Error(file.errorString(), path);
    return {};
}

void SqlPreviewView::saveAs()
{
    if (m_editor->text().isEmpty())
        return;
    const QString name = QStringLiteral("%1_%2_%3.sql")
                             .arg(direction() == MigrationSession::Upgrade ? QStringLiteral("upgrade")
                                                                          : QStringLiteral("downgrade"),
                                  m_from.isEmpty() ? QStringLiteral("current") : m_from, m_revision);
    const QString dir = QFileInfo(m_spec.iniPath).absolutePath();
    const QString path = QFileDialog::getSaveFileName(this, tr("Save SQL"), QDir(dir).filePath(name),
                                                      tr("SQL files (*.sql);;All files (*)"));
    if (path.isEmpty())
        return;
    VoidResult saved = saveTo(path);
    if (!saved)
        showBanner(MessageBanner::Error, tr("Could not save: %1").arg(saved.error().toString().toHtmlEscaped()));
    else
        m_status->setText(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
}

} // namespace retort
