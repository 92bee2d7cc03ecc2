#include "backupsmodel.h"

#include <QLocale>

namespace retort {

BackupsModel::BackupsModel(QObject *parent) : QAbstractTableModel(parent) {}

void BackupsModel::setBackups(const QList<BackupInfo> &backups)
{
    beginResetModel();
    m_backups = backups;
    endResetModel();
}

int BackupsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_backups.size());
}

int BackupsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BackupsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_backups.size())
        return {};
    const BackupInfo &b = m_backups.at(index.row());
    if (role == PathRole)
        return b.path;
    if (role == Qt::ToolTipRole)
        return b.path;
    if (role == Qt::TextAlignmentRole && index.column() == Size)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Time:
        return QLocale().toString(b.created, QLocale::ShortFormat);
    case Size:
        return QLocale().formattedDataSize(b.size, 1, QLocale::DataSizeTraditionalFormat);
    case Revision:
        return b.revisions.isEmpty() ? tr("(none)") : b.revisions.join(QStringLiteral(", "));
    case Database:
        return b.maskedUrl.isEmpty() ? tr("(unknown)") : b.maskedUrl;
    case Note:
        return b.note;
    }
    return {};
}

QVariant BackupsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Size:
        return tr("Size");
    case Revision:
        return tr("Revision");
    case Database:
        return tr("Database");
    case Note:
        return tr("Note");
    }
    return {};
}

} // namespace retort
