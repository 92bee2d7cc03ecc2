#include "backupsview.h"

#include "backup/backupcatalog.h"
#include "backupsmodel.h"
#include "migrationcontroller.h"

#include <QAction>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace retort {

namespace {
const QString kFolderKey = QStringLiteral("backup/folder");
const QString kRetentionKey = QStringLiteral("backup/retention");
} // namespace

BackupsView::BackupsView(QWidget *parent)
    : QWidget(parent), m_model(new BackupsModel(this)), m_view(new QTreeView(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto *bar = new QToolBar(this);
    bar->setIconSize(QSize(16, 16));
    // Restore and Delete change things: their names show whether or not the theme has icons.
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(QIcon::fromTheme(QStringLiteral("view-refresh")), tr("Refresh"), this, &BackupsView::refresh);
    m_backupNow = bar->addAction(QIcon::fromTheme(QStringLiteral("document-save")), tr("Back Up Now"), this, [this] {
        if (m_controller)
            m_controller->backupNow();
    });
    m_restore = bar->addAction(QIcon::fromTheme(QStringLiteral("document-revert")), tr("Restore..."), this,
                               &BackupsView::restoreSelected);
    m_delete = bar->addAction(QIcon::fromTheme(QStringLiteral("edit-delete")), tr("Delete..."), this,
                              &BackupsView::deleteSelected);
    m_openFolder = bar->addAction(QIcon::fromTheme(QStringLiteral("folder-open")), tr("Open Folder"), this,
                                  &BackupsView::openFolder);
    bar->addSeparator();
    m_database = new QComboBox(bar);
    m_database->setObjectName(QStringLiteral("backupsDatabase"));
    m_database->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    bar->addWidget(m_database);
    auto *keepLabel = new QLabel(tr("Keep newest:"), bar);
    keepLabel->setContentsMargins(8, 0, 4, 0);
    bar->addWidget(keepLabel);
    m_retention = new QSpinBox(bar);
    m_retention->setObjectName(QStringLiteral("backupsRetention"));
    m_retention->setRange(0, 999);
    m_retention->setSpecialValueText(tr("all"));
    m_retention->setToolTip(tr("Older backups of each database are deleted when a new one is written (0: keep all)"));
    keepLabel->setBuddy(m_retention);
    bar->addWidget(m_retention);
    layout->addWidget(bar);

    m_view->setObjectName(QStringLiteral("backupsList"));
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setModel(m_model);
    m_view->header()->setStretchLastSection(true);
    layout->addWidget(m_view);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &BackupsView::updateActions);
    connect(m_database, &QComboBox::currentIndexChanged, this, &BackupsView::refresh);
    connect(m_retention, &QSpinBox::valueChanged, this, [this](int keep) {
        if (m_settings)
            m_settings->setValue(kRetentionKey, keep);
    });
    updateActions();
}

void BackupsView::attach(MigrationController *controller, QSettings *settings)
{
    m_controller = controller;
    m_settings = settings;
    applySettings();
    connect(controller, &MigrationController::backupCreated, this, [this] {
        prune();
        refresh();
    });
    connect(controller, &MigrationController::started, this, &BackupsView::updateActions);
    connect(controller, &MigrationController::finished, this, &BackupsView::refresh);
    refresh();
}

void BackupsView::applySettings()
{
    if (!m_controller || !m_settings)
        return;
    m_controller->setBackupLocation(BackupLocation(m_settings->value(kFolderKey).toString()));
    m_retention->setValue(m_settings->value(kRetentionKey, 0).toInt());
    refresh();
}

void BackupsView::setProject(const QString &iniPath)
{
    m_iniPath = iniPath;
    const QSignalBlocker block(m_database);
    m_database->clear();
    refresh();
}

QUrl BackupsView::folderUrl() const
{
    if (!m_controller || m_iniPath.isEmpty())
        return {};
    return QUrl::fromLocalFile(m_controller->backupLocation().projectDir(m_iniPath));
}

void BackupsView::refresh()
{
    QList<BackupInfo> all;
    if (m_controller && !m_iniPath.isEmpty())
        all = BackupCatalog(m_controller->backupLocation()).list(m_iniPath);
    // The filter lists every database the project has backups of; the choice survives.
    const QString chosen = m_database->currentData().toString();
    QStringList urls;
    for (const BackupInfo &b : all)
        if (!urls.contains(b.maskedUrl))
            urls << b.maskedUrl;
    {
        const QSignalBlocker block(m_database);
        m_database->clear();
        m_database->addItem(tr("All databases"), QString());
        for (const QString &url : urls)
            m_database->addItem(url.isEmpty() ? tr("(unknown database)") : url, url.isEmpty() ? QStringLiteral("\x01") : url);
        const int index = m_database->findData(chosen);
        m_database->setCurrentIndex(index < 0 ? 0 : index);
    }
    const QString filter = m_database->currentData().toString();
    QList<BackupInfo> shown;
    for (const BackupInfo &b : all)
        if (filter.isEmpty() || b.maskedUrl == filter || (filter == QLatin1String("\x01") && b.maskedUrl.isEmpty()))
            shown << b;
    const QString selected = selectedPath();
    m_model->setBackups(shown);
    for (int row = 0; row < shown.size(); ++row)
        if (shown.at(row).path == selected)
            m_view->setCurrentIndex(m_model->index(row, 0));
    for (int c = 0; c < BackupsModel::Note; ++c)
        m_view->resizeColumnToContents(c);
    updateActions();
}

void BackupsView::prune()
{
    const int keep = m_retention->value();
    if (!m_controller || m_iniPath.isEmpty() || keep <= 0)
        return;
    auto removed = BackupCatalog(m_controller->backupLocation()).prune(m_iniPath, keep);
    if (!removed)
        emit errorOccurred(removed.error().toString());
}

QString BackupsView::selectedPath() const
{
    const QModelIndex index = m_view->currentIndex();
    return index.isValid() ? m_model->data(index, BackupsModel::PathRole).toString() : QString();
}

void BackupsView::updateActions()
{
    const bool selected = !selectedPath().isEmpty();
    const bool idle = !m_controller || !m_controller->isRunning();
    m_restore->setEnabled(selected && idle && m_controller);
    m_backupNow->setEnabled(idle && m_controller && !m_iniPath.isEmpty());
    m_delete->setEnabled(selected);
    m_openFolder->setEnabled(!folderUrl().isEmpty());
}

bool BackupsView::confirm(const QString &title, const QString &text)
{
    if (m_confirm)
        return m_confirm(title, text);
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::NoButton, this);
    QPushButton *yes = box.addButton(title, QMessageBox::DestructiveRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Cancel);   // a stray Enter changes nothing
    box.exec();
    return box.clickedButton() == yes;
}

void BackupsView::restoreSelected()
{
    const QModelIndex index = m_view->currentIndex();
    if (!m_controller || !index.isValid())
        return;
    const BackupInfo b = m_model->backupAt(index.row());
    const QString text = tr("Replace the database with the backup of %1 (revision %2)?\n\n%3\n\n"
                            "Everything changed since is lost from the database; its current state "
                            "is backed up first, so this restore can be undone.")
                             .arg(QLocale().toString(b.created, QLocale::ShortFormat),
                                  b.revisions.isEmpty() ? tr("(none)") : b.revisions.join(QStringLiteral(", ")),
                                  b.path);
    if (!confirm(tr("Restore Backup"), text))
        return;
    m_controller->restoreBackup(b.path);
    updateActions();
}

void BackupsView::deleteSelected()
{
    const QString path = selectedPath();
    if (path.isEmpty())
        return;
    if (!confirm(tr("Delete Backup"), tr("Delete the backup %1?").arg(path)))
        return;
    if (const VoidResult removed = BackupCatalog::remove(path); !removed)
        emit errorOccurred(removed.error().toString());
    refresh();
}

void BackupsView::openFolder()
{
    const QUrl url = folderUrl();
    if (url.isEmpty())
        return;
    QDir().mkpath(url.toLocalFile());   // a project without backups yet has no folder
    QDesktopServices::openUrl(url);
}

} // namespace retort
