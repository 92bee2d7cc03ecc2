#pragma once
// The project's revisions as a table, one row per revision in history order (heads
// first) — the same rows, in the same order, as the GraphLayout the graph view paints,
// so a model row is a graph row. Knows what the connected database holds: its current
// revisions and, from them, which revisions are applied and which are still pending.

#include "graph/graphlayout.h"
#include "revision/revisiongraph.h"

#include <QAbstractTableModel>
#include <QMap>
#include <QSet>
#include <QStringList>

namespace retort {

class HistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { RevisionColumn, ParentsColumn, BranchesColumn, MessageColumn, FlagsColumn,
                  PathColumn, ColumnCount };
    enum Flag {
        Head = 0x1, Base = 0x2, Merge = 0x4, BranchPoint = 0x8,
        Current = 0x10,   // in the database's version table
        Pending = 0x20,   // not applied yet (known only while a database is connected)
        Applied = 0x40,
        // Applied scripts stay as applied (retort_script_checksums, as of the last connection):
        ChangedSinceApplied = 0x80,   // upgrade() differs from the checksum recorded when applied
        NoChecksum = 0x100,           // applied before Retort recorded checksums
    };
    Q_DECLARE_FLAGS(Flags, Flag)
    enum Role { RevisionIdRole = Qt::UserRole + 1, FlagsRole, PathRole };

    explicit HistoryModel(QObject *parent = nullptr);

    // Replaces every row (a copy of the graph is kept; copies share nodes).
    void setGraph(const RevisionGraph &graph);
    void clear();
    // Paths are shown relative to this folder (the project's); empty: absolute.
    void setProjectDirectory(const QString &dir) { m_projectDir = dir; }
    // The database's version table rows; known=false when no database is connected
    // (then nothing is marked pending).
    void setDatabaseHeads(const QStringList &heads, bool known = true);

    // Applied revisions whose script changed since applied / that have no recorded
    // checksum (ScriptChecksums::audit, read by the connection's worker). Cleared when the
    // database is unknown.
    void setScriptChecksums(const QStringList &changed, const QStringList &unrecorded);

    // A multidb project: every engine's version table rows, for the per-engine labels on
    // the graph (the Current/Pending marks follow setDatabaseHeads(), the shown engine's).
    void setEngineHeads(const QMap<QString, QStringList> &heads, const QString &shown);
    // The engines whose version table holds this row's revision, sorted by name.
    QStringList enginesAt(int row) const;
    QString shownEngine() const { return m_shownEngine; }

    const RevisionGraph &graph() const { return m_graph; }
    const GraphLayout &layout() const { return m_layout; }
    QStringList databaseHeads() const { return m_dbHeads; }
    bool isDatabaseKnown() const { return m_dbKnown; }
    // Database revisions no script defines ("Can't locate revision identified by ...").
    QStringList unknownDatabaseRevisions() const { return m_unknownHeads; }

    int rowOf(const QString &revisionId) const { return m_layout.rowOf(revisionId); }
    QString revisionAt(int row) const;
    Flags flagsAt(int row) const;
    static QString flagsText(Flags flags);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

signals:
    // Current / pending marks changed (rows unchanged).
    void databaseStateChanged();

private:
    void recomputeApplied();

    RevisionGraph m_graph;
    GraphLayout m_layout;
    QStringList m_dbHeads;
    QMap<QString, QStringList> m_engineHeads;
    QString m_shownEngine;
    QStringList m_unknownHeads;
    QSet<QString> m_applied;
    QSet<QString> m_changedScripts;
    QSet<QString> m_unrecordedScripts;
    bool m_dbKnown = false;
    QString m_projectDir;
};

} // namespace retort

Q_DECLARE_OPERATORS_FOR_FLAGS(retort::HistoryModel::Flags)
