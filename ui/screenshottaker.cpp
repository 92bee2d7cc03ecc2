#include "screenshottaker.h"

#include "aboutdialog.h"
#include "applyconfirmationdialog.h"
#include "autogeneratereviewview.h"
#include "migrationconfirmationdelegate.h"
#include "migrationcontroller.h"
#include "preferencesdialog.h"
#include "connectionbar.h"
#include "historymodel.h"
#include "mainwindow.h"
#include "revisiongraphview.h"
#include "studioactions.h"
#include "studiodocks.h"
#include "studiomenus.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QPixmap>
#include <QTimer>

#include <functional>

namespace retort {

namespace {
// Let queued work (SQL preview rendering, layouts, repaints) settle before grabbing.
void settle(int ms = 300)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}
// The review's comparison runs the project's Python: wait for it (or give up).
void compareModels(AutogenerateReviewView *review)
{
    QEventLoop loop;
    QObject::connect(review, &AutogenerateReviewView::comparisonFinished, &loop, &QEventLoop::quit);
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    review->compare();
    if (review->isComparing())
        loop.exec();
}

// Shows the run dialog the user would see, grabs it, and declines: nothing runs.
class GrabbingDelegate : public MigrationConfirmationDelegate
{
public:
    explicit GrabbingDelegate(std::function<void(QWidget *)> grab) : m_grab(std::move(grab)) {}
    bool confirmApply(ApplyRequest &request) override
    {
        ApplyConfirmationDialog dialog(request);
        dialog.resize(760, 520);
        dialog.show();
        settle(200);
        m_grab(&dialog);
        return false;
    }
    QString chooseHead(const QStringList &heads) override { return heads.value(0); }
    bool offerRestore(const QString &, const QString &) override { return false; }

private:
    std::function<void(QWidget *)> m_grab;
};
} // namespace

ScreenshotTaker::ScreenshotTaker(MainWindow *window, QString directory, QObject *parent)
    : QObject(parent), m_window(window), m_dir(std::move(directory))
{
}

void ScreenshotTaker::start(int timeoutMs)
{
    connect(m_window->connectionBar(), &ConnectionBar::finished, this,
            [this] { QTimer::singleShot(200, this, &ScreenshotTaker::shoot); });
    QTimer::singleShot(timeoutMs, this, &ScreenshotTaker::shoot);
    if (!m_window->connectionBar()->isBusy() && !m_window->connectionBar()->isConnected())
        QTimer::singleShot(500, this, &ScreenshotTaker::shoot);
}

bool ScreenshotTaker::save(QWidget *widget, const QString &name)
{
    const QString path = QDir(m_dir).filePath(name + QStringLiteral(".png"));
    const bool ok = widget->grab().save(path);
    qInfo("%s %s", ok ? "saved" : "FAILED to save", qPrintable(path));
    m_ok = m_ok && ok;
    return ok;
}

void ScreenshotTaker::shoot()
{
    if (m_started)
        return;
    m_started = true;
    QDir().mkpath(m_dir);

    // Pick the first pending revision (else the first head) so every view has content.
    HistoryModel *model = m_window->historyModel();
    QString pick;
    for (int row = 0; row < model->rowCount() && pick.isEmpty(); ++row) {
        if (model->flagsAt(row) & HistoryModel::Pending)
            pick = model->revisionAt(row);
    }
    if (pick.isEmpty())
        pick = model->revisionAt(0);
    m_window->graphView()->setCurrentRevision(pick);
    m_window->actions()->showScript->trigger();
    m_window->actions()->previewSql->trigger();
    compareModels(m_window->docks()->autogenerate());
    settle();

    const auto docks = m_window->findChildren<QDockWidget *>();
    for (QDockWidget *dock : docks) {
        dock->raise();
        settle(150);
        QString name = dock->objectName();
        name.remove(QStringLiteral("Dock"));
        save(dock, name);
    }
    for (QDockWidget *dock : docks) {
        if (dock->objectName() == QLatin1String("historyDock")
            || dock->objectName() == QLatin1String("scriptDock"))
            dock->raise();
    }
    settle();
    save(m_window->centralWidget(), QStringLiteral("graph"));
    save(m_window, QStringLiteral("studio"));
    shootDialogs();
    emit done(m_ok);
    QApplication::exit(m_ok ? 0 : 1);
}

// The dialogs: rolling back the last migration (the plan review), Preferences, About.
void ScreenshotTaker::shootDialogs()
{
    MigrationController *controller = m_window->controller();
    GrabbingDelegate grabber([this](QWidget *dialog) { save(dialog, QStringLiteral("rollbackDialog")); });
    MigrationConfirmationDelegate *own = controller->confirmationDelegate();
    controller->setConfirmationDelegate(&grabber);
    QEventLoop loop;
    QObject::connect(controller, &MigrationController::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    controller->rollBackLast();
    loop.exec();
    controller->setConfirmationDelegate(own);

    PreferencesDialog preferences(m_window->settings(), m_window);
    preferences.show();
    settle(150);
    save(&preferences, QStringLiteral("preferences"));
    preferences.close();
    AboutDialog about(m_window);
    about.show();
    settle(150);
    save(&about, QStringLiteral("about"));
    about.close();
}

} // namespace retort
