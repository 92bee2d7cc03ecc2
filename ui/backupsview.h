#pragma once
// The Backups dock: the open project's backups (BackupCatalog, in the controller's backup
// folder) with time, size, revision at backup time and masked URL, filtered by database.
// Back Up Now goes through MigrationController::backupNow() (a worker thread).
// Restore asks first and goes through MigrationController::restoreBackup() (a worker
// thread; the current state is backed up before anything is replaced); Delete asks; Open
// Folder shows the project's backup folder. "Keep newest" (QSettings backup/retention,
// 0 = all) prunes each database's older backups whenever a new backup is written.

#include <QUrl>
#include <QWidget>

#include <functional>

class QAction;
class QComboBox;
class QSettings;
class QSpinBox;
class QTreeView;

namespace retort {

class BackupsModel;
class MigrationController;

class BackupsView : public QWidget
{
    Q_OBJECT
public:
    explicit BackupsView(QWidget *parent = nullptr);

    // Not owned. Applies the backup/folder setting to the controller's backup location
    // (empty: the default folder) and follows its runs.
    void attach(MigrationController *controller, QSettings *settings);
    void setProject(const QString &iniPath);

    // Asked before Restore and Delete; default: a QMessageBox whose default button is
    // Cancel. Tests replace it.
    using Confirm = std::function<bool(const QString &title, const QString &text)>;
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }

    BackupsModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    QComboBox *databaseFilter() const { return m_database; }
    QSpinBox *retention() const { return m_retention; }
    QAction *backupAction() const { return m_backupNow; }
    QAction *restoreAction() const { return m_restore; }
    QAction *deleteAction() const { return m_delete; }
    QUrl folderUrl() const;   // what Open Folder opens

public slots:
    // Re-reads backup/folder (into the controller) and backup/retention, e.g. after the
    // Preferences dialog saved them; attach() does it once.
    void applySettings();
    void refresh();
    void restoreSelected();
    void deleteSelected();
    void openFolder();

signals:
    void errorOccurred(const QString &message);

private:
    void prune();
    void updateActions();
    QString selectedPath() const;
    bool confirm(const QString &title, const QString &text);

    MigrationController *m_controller = nullptr;
    QSettings *m_settings = nullptr;
    QString m_iniPath;
    BackupsModel *m_model;
    QTreeView *m_view;
    QComboBox *m_database;
    QSpinBox *m_retention;
    QAction *m_backupNow;
    QAction *m_restore;
    QAction *m_delete;
    QAction *m_openFolder;
    Confirm m_confirm;
};

} // namespace retort
