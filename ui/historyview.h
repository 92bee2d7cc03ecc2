#pragma once
// The history table: HistoryModel behind a QSortFilterProxyModel, with a filter box
// matching any column (id, parents, labels, message, flags, path). Column widths the
// user sets are kept in the QSettings given to setSettings().

#include <QWidget>

class QLineEdit;
class QSettings;
class QSortFilterProxyModel;
class QTableView;

namespace retort {

class HistoryModel;

class HistoryView : public QWidget
{
    Q_OBJECT
public:
    explicit HistoryView(QWidget *parent = nullptr);

    void setModel(HistoryModel *model);
    // Not owned. Restores the stored column widths and stores them when resized.
    void setSettings(QSettings *settings);
    QString currentRevision() const;
    QTableView *tableView() const { return m_table; }
    QSortFilterProxyModel *proxyModel() const { return m_proxy; }
    void setFilterText(const QString &text);

public slots:
    // Selects the revision's row (no signal when it is already current).
    void setCurrentRevision(const QString &revisionId);
    void focusFilter();

signals:
    void currentRevisionChanged(const QString &revisionId);
    void activated(const QString &revisionId);   // double click / Enter: open the script

private:
    void restoreColumnWidths();
    void storeColumnWidths();

    HistoryModel *m_model = nullptr;
    QSettings *m_settings = nullptr;
    int m_restoring = 0;   // > 0: resizes are ours (defaults, restore, model reset), not the user's
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QLineEdit *m_filter = nullptr;
};

} // namespace retort
