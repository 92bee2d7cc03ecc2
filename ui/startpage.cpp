#include "startpage.h"

#include "projectdocument.h"
#include "recentprojectsmenu.h"
#include "studioactions.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QStackedWidget>
#include <QStyle>
#include <QVBoxLayout>

namespace retort {

StartPage::StartPage(RecentProjectsMenu *recent, StudioActions *actions, QWidget *parent)
    : QWidget(parent)
    , m_recent(recent)
    , m_list(new QListWidget)
    , m_noRecent(new QLabel(tr("No recent projects.")))
{
    setObjectName(QStringLiteral("startPage"));
    auto *title = new QLabel(tr("Retort Studio"));
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.8);
    big.setBold(true);
    title->setFont(big);
    auto *intro = new QLabel(tr("Open an Alembic project (its alembic.ini) or create one."));
    intro->setWordWrap(true);

    auto button = [](QAction *action) {
        auto *b = new QPushButton(action->icon(), action->text().remove(QLatin1Char('&')));
        b->setToolTip(action->toolTip());
        connect(b, &QPushButton::clicked, action, &QAction::trigger);
        return b;
    };
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(button(actions->newProject));
    buttons->addWidget(button(actions->open));
    buttons->addStretch();

    auto *recentTitle = new QLabel(tr("Recent projects"));
    QFont bold = recentTitle->font();
    bold.setBold(true);
    recentTitle->setFont(bold);
    m_list->setObjectName(QStringLiteral("recentProjects"));
    m_list->setAlternatingRowColors(true);
    m_list->setSpacing(2);
    m_list->setIconSize(QSize(24, 24));
    m_list->setFrameShape(QFrame::StyledPanel);
    m_noRecent->setForegroundRole(QPalette::PlaceholderText);

    auto *column = new QVBoxLayout;
    column->addSpacing(24);
    column->addWidget(title);
    column->addWidget(intro);
    column->addSpacing(8);
    column->addLayout(buttons);
    column->addSpacing(16);
    column->addWidget(recentTitle);
    column->addWidget(m_list, 3);
    column->addWidget(m_noRecent);
    column->addStretch(1);
    auto *outer = new QHBoxLayout(this);
    outer->addStretch(1);
    outer->addLayout(column, 4);
    outer->addStretch(1);

    // One click opens (a list of links, not a selection).
    connect(m_list, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) {
        emit projectRequested(item->data(Qt::UserRole).toString());
    });
    connect(m_list, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        emit projectRequested(item->data(Qt::UserRole).toString());
    });
    refresh();
}

void StartPage::refresh()
{
    m_list->clear();
    for (const QString &path : m_recent->projects()) {
        const QFileInfo ini(path);
        auto *item = new QListWidgetItem(QStringLiteral("%1\n%2").arg(
            QFileInfo(ini.absolutePath()).fileName(), QDir::toNativeSeparators(path)));
        item->setIcon(style()->standardIcon(QStyle::SP_DirIcon));
        item->setData(Qt::UserRole, path);
        item->setToolTip(QDir::toNativeSeparators(path));
        if (!ini.exists())
            item->setForeground(palette().brush(QPalette::Disabled, QPalette::Text));
        m_list->addItem(item);
    }
    m_list->setVisible(m_list->count() > 0);
    m_noRecent->setVisible(m_list->count() == 0);
}

void StartPage::showEvent(QShowEvent *event)
{
    refresh();
    QWidget::showEvent(event);
}

QStackedWidget *StartPage::wrap(QWidget *graph, ProjectDocument *document)
{
    auto *stack = new QStackedWidget;
    stack->addWidget(this);
    stack->addWidget(graph);
    auto follow = [stack, graph, document, this] {
        stack->setCurrentWidget(document->isOpen() ? graph : static_cast<QWidget *>(this));
    };
    connect(document, &ProjectDocument::opened, stack, follow);
    connect(document, &ProjectDocument::closed, stack, follow);
    connect(document, &ProjectDocument::revisionsChanged, stack, follow);
    follow();
    return stack;
}

} // namespace retort
