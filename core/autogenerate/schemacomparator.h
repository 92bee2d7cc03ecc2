#pragma once
// Alembic 1.8.1's autogenerate comparison (alembic/autogenerate/compare.py) over two
// SchemaModels: the target (the models, another database or a snapshot) and the
// database. The result is the upgrade op list in Alembic's order; the downgrade is
// reverseOps() of it.
//
// Possible renames and the safe / destructive review are DiffReviewer's (beyond Alembic).

#include "autogenop.h"
#include "modelfilters.h"
#include "modelrenderhints.h"
#include "schema/schemamodel.h"

#include <QHash>

#include <functional>
#include <optional>

namespace retort {

struct CompareOptions
{
    bool compareType = false;            // Alembic 1.8 default: False
    bool compareServerDefault = false;   // default False
    bool includeSchemas = false;
    QString versionTable = QStringLiteral("alembic_version");
    QString versionTableSchema;          // "" = default schema
    // include_name hook: keep this database-side name? Asked where Alembic asks it, for
    // schemas, tables, columns, indexes, unique and foreign key constraints (target.type
    // is Alembic's type_); null = keep everything. ModelFilters answers it for env.py.
    std::function<bool(const FilterTarget &target)> includeName;
    // include_object hook for both sides (target.reflected), asked where Alembic asks it;
    // null = keep.
    std::function<bool(const FilterTarget &target)> includeObject;
    // PostgreSQL's compare_server_default evaluates `SELECT <conn> = <meta>` on the live
    // connection (Autogenerator fills this from it); nullopt or null = compare the texts.
    std::function<std::optional<bool>(const QString &connDefault, const QString &metaDefault)>
        serverDefaultsEqual;
};

struct SchemaDiff
{
    AutogenOps upgradeOps;
    QStringList warnings;                // e.g. "Computed default on t.c cannot be modified"

    bool isEmpty() const { return upgradeOps.isEmpty(); }
    AutogenOps downgradeOps() const { return reverseOps(upgradeOps); }
    // Ops with ModifyTable containers flattened, in order (for `check` and reviews).
    QVector<AutogenOp> flattened() const;
    bool hasDestructive() const;
    // Alembic's "Detected ..." log lines, in its order.
    QStringList alembicLog() const;
};

class SchemaComparator
{
public:
    // hints: the model's render hints (table order, autoincrement columns, server default
    // compare forms); null when the target is not a model (another database, a snapshot).
    SchemaComparator(const SchemaModel &target, const ModelRenderHints *hints,
                     const SchemaModel &database, CompareOptions options = {});

    SchemaDiff compare() const;

    // impl.compare_type for two columns (tokenized compiled types, NUMERIC/DECIMAL synonyms).
    static bool typesDiffer(const SchemaColumn &database, const SchemaColumn &target);

private:
    void compareTable(const QString &schema, const SchemaTable *conn, const SchemaTable *meta,
                      AutogenOp &modify, SchemaDiff &diff) const;
    void compareColumns(const QString &schema, const SchemaTable &conn, const SchemaTable &meta,
                        AutogenOp &modify, AutogenOps &drops) const;
    void compareIndexesAndUniques(const QString &schema, const SchemaTable *conn,
                                  const SchemaTable *meta, AutogenOp &modify) const;
    void compareForeignKeys(const QString &schema, const SchemaTable &conn,
                            const SchemaTable &meta, AutogenOp &modify) const;
    void compareTableComment(const QString &schema, const SchemaTable &conn,
                             const SchemaTable &meta, AutogenOp &modify) const;
    bool keepName(const FilterTarget &target) const;
    bool keepObject(const FilterTarget &target) const;
    bool supportsComments() const;
    bool serverDefaultsDiffer(const QString &table, const SchemaColumn &conn,
                              const SchemaColumn &meta) const;
    OpName modelName(const QString &schema, const QString &table, const QString &name,
                     bool isIndex) const;
    QVector<QPair<QString, const SchemaTable *>> targetTablesInOrder() const;

    using TableIndex = QHash<QPair<QString, QString>, const SchemaTable *>;
    // SchemaModel::findTable without its linear scans: looked up per table and column.
    static TableIndex indexTables(const SchemaModel &model);
    static const SchemaTable *find(const TableIndex &index, const QString &schema, const QString &table);

    const SchemaModel &m_target;
    const ModelRenderHints *m_hints;
    const SchemaModel &m_db;
    CompareOptions m_options;
    TableIndex m_targetTables;
    TableIndex m_dbTables;
};

} // namespace retort
