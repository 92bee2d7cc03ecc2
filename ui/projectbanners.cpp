#include "projectbanners.h"

#include "messagebanner.h"

#include <QVBoxLayout>

namespace retort {

ProjectBanners::ProjectBanners(QAction *mergeHeads, QWidget *parent)
    : QWidget(parent)
    , m_problem(new MessageBanner(this))
    , m_heads(new MessageBanner(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_problem);
    layout->addWidget(m_heads);
    m_heads->addAction(mergeHeads);
}

void ProjectBanners::showProjectState(const QStringList &heads, const QStringList &unknown,
                                      const QString &versionsDirectory)
{
    if (heads.size() > 1) {
        m_heads->showMessage(MessageBanner::Warning,
            tr("<b>%1 heads:</b> %2. <code>upgrade head</code> is ambiguous until they are "
               "merged (or upgrade to <code>heads</code>).")
                .arg(heads.size()).arg(heads.join(QStringLiteral(", "))));
    } else {
        m_heads->hide();
    }
    if (!unknown.isEmpty()) {
        // Alembic's own words first, then what it means and the ways out.
        m_problem->showMessage(MessageBanner::Error,
            tr("<b>The database is at revision %1, which no script defines.</b><br>Alembic stops "
               "with <i>Can't locate revision identified by '%2'</i>: upgrade, downgrade and "
               "history against this database fail until the script is back in %3 (another "
               "branch or checkout?) or the database is stamped to a known revision "
               "(<code>retort stamp &lt;revision&gt;</code>).")
                .arg(unknown.join(QStringLiteral(", ")), unknown.first(),
                     versionsDirectory.toHtmlEscaped()));
        m_unknownShown = true;
    } else if (m_unknownShown) {
        m_problem->hide();
        m_unknownShown = false;
    }
}

void ProjectBanners::showError(const QString &html)
{
    m_unknownShown = false;
    m_problem->showMessage(MessageBanner::Error, html);
}

void ProjectBanners::clearError()
{
    m_unknownShown = false;
    m_problem->hide();
}

} // namespace retort
