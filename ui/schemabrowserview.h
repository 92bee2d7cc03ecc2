#pragma once
// The schema browser dock: the connected database's tables, columns, indexes,
// constraints and row counts (SchemaSnapshotJob, core's introspector on a worker thread),
// with a filter box. The shell reloads it after runs and on reconnect (refresh()).

#include "migrationsession.h"
#include "services/schemasnapshotjob.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QToolButton;
class QTreeView;

namespace retort {

class MessageBanner;
class SchemaTreeModel;

class SchemaBrowserView : public QWidget
{
    Q_OBJECT
public:
    explicit SchemaBrowserView(QWidget *parent = nullptr);
    ~SchemaBrowserView() override;

    // The project and the studio's connection URL; an empty iniPath clears the view.
    // Nothing is read until refresh().
    void setProject(const MigrationProjectSpec &spec);

    SchemaTreeModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTreeView *tree() const { return m_tree; }
    bool isLoading() const { return m_job != nullptr; }
    QString errorText() const { return m_error; }
    QString statusText() const;

public slots:
    // Reads the database again (in a worker thread); a refresh asked for while one runs
    // follows it.
    void refresh();
    // refresh() now if the view is on screen, else when it is next shown: counting the
    // rows of a large database is not free, and a hidden dock need not be current.
    void refreshWhenVisible();
    void setFilterText(const QString &text);

signals:
    void loaded(bool ok);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void onFinished(bool ok);

    MessageBanner *m_banner = nullptr;
    QLineEdit *m_filter = nullptr;
    QToolButton *m_refresh = nullptr;
    QLabel *m_status = nullptr;
    QTreeView *m_tree = nullptr;
    SchemaTreeModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    SchemaSnapshotSpec m_spec;
    SchemaSnapshotJob *m_job = nullptr;
    bool m_again = false;
    bool m_stale = false;   // to be read when shown
    QString m_error;
};

} // namespace retort
