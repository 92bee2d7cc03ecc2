#pragma once
// The connected database as the studio's schema browser shows it: what SchemaIntrospector
// reads (tables, columns, indexes, constraints, the version table included) plus each
// table's row count. Like AutogenerateJob: start() reads in a worker thread with its own
// connection (QtSql connections are per-thread) and ends with finished() in the job's
// thread; read() is the synchronous run.
//
// A SQLite file that does not exist yet is not created: the snapshot is empty and says so.

#include "result.h"
#include "schema/schemamodel.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <optional>

class QThread;

namespace retort {

struct SchemaSnapshotSpec
{
    QString iniPath;
    QString section = QStringLiteral("alembic");
    QStringList xArguments;
    QString urlOverride;     // like --url; empty = the project's URL
    QString engine;          // a multidb project's engine
};

struct SchemaSnapshot
{
    SchemaModel model;
    QString displayUrl;      // password masked
    QString note;            // non-empty: why there is nothing to show ("no database file yet")
    // "schema.table" ("table" in the default schema) -> count(*); missing when it failed.
    QHash<QString, qint64> rowCounts;

    static QString key(const QString &schema, const QString &table)
    { return schema.isEmpty() ? table : schema + QLatin1Char('.') + table; }
    std::optional<qint64> rowCount(const QString &schema, const QString &table) const;
};

class SchemaSnapshotJob : public QObject
{
    Q_OBJECT
public:
    explicit SchemaSnapshotJob(SchemaSnapshotSpec spec, QObject *parent = nullptr);
    ~SchemaSnapshotJob() override;   // waits for a running worker

    void start();   // runs in a worker thread; ends with finished()
    bool isRunning() const { return m_running; }
    const SchemaSnapshotSpec &spec() const { return m_spec; }
    const SchemaSnapshot &snapshot() const { return m_snapshot; }
    const Error &error() const { return m_error; }

    // The synchronous read (any thread; the connection lives and dies in it).
    static Result<SchemaSnapshot> read(const SchemaSnapshotSpec &spec);

signals:
    void finished(bool ok);

private:
    void finish(Result<SchemaSnapshot> result);

    SchemaSnapshotSpec m_spec;
    SchemaSnapshot m_snapshot;
    Error m_error;
    QPointer<QThread> m_thread;
    bool m_running = false;
};

} // namespace retort
