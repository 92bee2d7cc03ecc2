#include "projectbanners.h"

#include "messagebanner.h"

#include <QFileInfo>
#include <QUrl>
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
    connect(m_problem, &MessageBanner::linkActivated, this, [this](const QString &link) {
        const QUrl url(link);
        if (url.isLocalFile())
            emit scriptRequested(url.toLocalFile());
    });
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

void ProjectBanners::showError(const QString &html, const QStringList &scripts)
{
    m_unknownShown = false;
    QStringList links;
    for (const QString &path : scripts) {
        links << QStringLiteral("<a href=\"%1\">%2</a>")
                     .arg(QUrl::fromLocalFile(path).toString(QUrl::FullyEncoded).toHtmlEscaped(),
                          QFileInfo(path).fileName().toHtmlEscaped());
    }
    m_problem->showMessage(MessageBanner::Error,
                           links.isEmpty() ? html
                                           : html + QStringLiteral("<br>") + tr("Open: %1").arg(links.join(QStringLiteral(", "))));
}

void ProjectBanners::clearError()
{
    m_unknownShown = false;
    m_problem->hide();
}

} // namespace retort
