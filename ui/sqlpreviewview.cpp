#include "sqlpreviewview.h"

#include <Qsci/qscilexersql.h>
#include <Qsci/qsciscintilla.h>

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
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
    m_direction->addItem(tr("Upgrade to"), int(MigrationSession::Upgrade));
    m_direction->addItem(tr("Downgrade to"), int(MigrationSession::Downgrade));
    bar->addWidget(m_direction);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(m_status, 1);
    auto *copy = new QToolButton(this);
    copy->setObjectName(QStringLiteral("copy"));
    copy->setIcon(QIcon::fromTheme(QStringLiteral("edit-copy")));
    copy->setText(tr("Copy"));
    copy->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addWidget(copy);
    layout->addLayout(bar);

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
    connect(m_direction, &QComboBox::currentIndexChanged, this, [this] {
        refresh();
        emit directionChanged(direction());
    });
}

SqlPreviewView::~SqlPreviewView() = default;

void SqlPreviewView::setProject(const MigrationProjectSpec &spec)
{
    m_spec = spec;
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

QString SqlPreviewView::sql() const
{
    return m_error.isEmpty() ? m_editor->text() : QString();
}

QString SqlPreviewView::errorText() const
{
    return m_error;
}

void SqlPreviewView::showRevision(const QString &revisionId)
{
    m_revision = revisionId;
    refresh();
}

void SqlPreviewView::refresh()
{
    m_error.clear();
    if (m_spec.iniPath.isEmpty() || m_revision.isEmpty()) {
        m_editor->clear();
        m_status->setText(m_spec.iniPath.isEmpty() ? tr("No project") : tr("Select a revision"));
        return;
    }
    // A fresh session each time: scripts edited since the last preview are re-read.
    QuietLog log;
    MigrationSession session(m_spec, log, m_factory);
    Result<QString> script = [&]() -> Result<QString> {
        VoidResult opened = session.open(false);
        if (!opened)
            return opened.error();
        auto plan = session.plan(direction(), m_revision, m_heads);
        if (!plan)
            return plan.error();
        if (plan->steps.isEmpty())
            return QString();
        m_status->setText(tr("%n step(s) for %1 from %2", nullptr, int(plan->steps.size()))
                              .arg(session.environment().dialect().name(),
                                   m_heads.isEmpty() ? tr("base") : m_heads.join(QStringLiteral(", "))));
        return session.previewScript(*plan);
    }();
    if (!script) {
        m_error = script.error().toString();
        m_editor->setText(QString());
        m_status->setText(m_error);
        return;
    }
    if (script->isEmpty())
        m_status->setText(tr("Nothing to run: the database is already there"));
    m_editor->setText(*script);
}

void SqlPreviewView::copyToClipboard()
{
    QApplication::clipboard()->setText(m_editor->text());
}

} // namespace retort
