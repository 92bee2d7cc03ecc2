#pragma once
// `retort-studio --screenshot <dir>` (hidden; used by docs/screenshots/take.sh): once
// the project is loaded and the database answered, selects a revision, opens its
// script and SQL preview, runs the Autogenerate review's comparison, saves a PNG of the
// whole window and of each dock, then of the rollback, Preferences and About dialogs
// (the rollback is declined), then quits.

#include <QObject>
#include <QString>

namespace retort {

class MainWindow;

class ScreenshotTaker : public QObject
{
    Q_OBJECT
public:
    ScreenshotTaker(MainWindow *window, QString directory, QObject *parent = nullptr);

    // Waits for the connection attempt (at most timeoutMs), then shoots and quits.
    void start(int timeoutMs = 15000);

signals:
    void done(bool ok);

private:
    void shoot();
    void shootDialogs();
    bool save(class QWidget *widget, const QString &name);

    MainWindow *m_window;
    QString m_dir;
    bool m_started = false;
    bool m_ok = true;
};

} // namespace retort
