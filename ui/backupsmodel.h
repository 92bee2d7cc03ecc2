#pragma once
// The rows of the Backups view: one BackupInfo per backup, newest first, in columns Time,
// Size, Revision, Database (masked URL) and Note. The dump's path is PathRole (and the
// tooltip).

#include "backup/backupinfo.h"

#include <QAbstractTableModel>
#include <QList>

namespace retort {

class BackupsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Size, Revision, Database, Note, ColumnCount };
    enum Role { PathRole = Qt::UserRole + 1 };

    explicit BackupsModel(QObject *parent = nullptr);

    void setBackups(const QList<BackupInfo> &backups);
    const QList<BackupInfo> &backups() const { return m_backups; }
    BackupInfo backupAt(int row) const { return m_backups.value(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<BackupInfo> m_backups;
};

} // namespace retort
