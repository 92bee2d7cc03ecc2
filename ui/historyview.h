#pragma once
// The history table: HistoryModel behind a QSortFilterProxyModel, with a filter box
// matching any column (id, parents, labels, message, flags, path).

#include <QWidget>

class QLineEdit;
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
    HistoryModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QLineEdit *m_filter = nullptr;
};

} // namespace retort
