#include "indexcomparator.h"

#include <QMap>
#include <QSet>
#include <algorithm>

namespace retort {

namespace {

// _constraint_sig's column signature: sorted column names (expressions left out).
QStringList sigOf(const QStringList &columns, const QVector<bool> &isExpression = {})
{
    QStringList out;
    for (int i = 0; i < columns.size(); ++i)
        if (i >= isExpression.size() || !isExpression.at(i))
            out << columns.at(i);
    std::sort(out.begin(), out.end());
    return out;
}

// One index or unique constraint, seen through _ix_constraint_sig / _uq_constraint_sig.
struct ConstraintSig
{
    bool isIndex = false;
    bool isUnique = false;
    QString name;
    QStringList sig;
    SchemaIndex index;
    SchemaUniqueConstraint unique;
};

QString pyBool(bool b) { return b ? QStringLiteral("True") : QStringLiteral("False"); }

// repr() of a tuple of str: ('a',) / ('a', 'b')
QString tupleRepr(const QStringList &items)
{
    QStringList r;
    for (const QString &i : items)
        r << QLatin1Char('\'') + i + QLatin1Char('\'');
    return QLatin1Char('(') + r.join(QStringLiteral(", ")) + (r.size() == 1 ? QStringLiteral(",)") : QStringLiteral(")"));
}

bool isMySql(const QString &dialect)
{
    return dialect == QLatin1String("mysql") || dialect == QLatin1String("mariadb");
}

template <typename Pred>
void eraseIf(QVector<ConstraintSig> &v, Pred pred)
{
    v.erase(std::remove_if(v.begin(), v.end(), pred), v.end());
}

// compare.py's _correct_for_uq_duplicates_uix: MySQL reports each unique index also as
// a unique constraint (duplicates_index); keep whichever form the model uses. Retort's
// MySQL introspector marks such an index with duplicatesConstraint == its own name.
void correctForUqDuplicatesUix(const SchemaTable &conn, QVector<ConstraintSig> &connUniques,
                               QVector<ConstraintSig> &connIndexes,
                               const QVector<ConstraintSig> &metaUniques,
                               const QVector<ConstraintSig> &metaIndexes)
{
    auto dupesIndex = [&](const QString &uqName) {
        return std::any_of(conn.indexes.begin(), conn.indexes.end(), [&](const SchemaIndex &i) {
            return i.name == uqName && i.unique && i.duplicatesConstraint == uqName;
        });
    };
    QSet<QString> metaUqNames, unnamedMetaUqSigs, metaUniqueIxNames;
    for (const ConstraintSig &u : metaUniques) {
        if (u.name.isEmpty())
            unnamedMetaUqSigs.insert(u.sig.join(QChar(0x1f)));
        else
            metaUqNames.insert(u.name);
    }
    for (const ConstraintSig &i : metaIndexes)
        if (i.isUnique)
            metaUniqueIxNames.insert(i.name);
    QStringList dropUniques, dropIndexes;
    for (const ConstraintSig &u : connUniques) {
        if (!dupesIndex(u.name))
            continue;
        if (!metaUqNames.contains(u.name)) {
            if (!unnamedMetaUqSigs.contains(u.sig.join(QChar(0x1f))))
                dropUniques << u.name;
        } else if (!metaUniqueIxNames.contains(u.name)) {
            dropIndexes << u.name;
        }
    }
    eraseIf(connUniques, [&](const ConstraintSig &c) { return dropUniques.contains(c.name); });
    eraseIf(connIndexes, [&](const ConstraintSig &c) { return c.isUnique && dropIndexes.contains(c.name); });
}

// MySQLImpl.correct_for_autogen_constraints: MySQL adds an index on FK columns by itself,
// named after a column or after the FK constraint; neither side should report it.
void correctForMySqlFkIndexes(const SchemaTable &conn, QVector<ConstraintSig> &connIndexes,
                              QVector<ConstraintSig> &metaIndexes)
{
    QSet<QString> removed;
    for (const ConstraintSig &ix : std::as_const(connIndexes)) {
        if (ix.isUnique)
            continue;
        for (int i = 0; i < ix.index.columns.size() && !removed.contains(ix.name); ++i) {
            if (ix.index.isExpression.value(i, false))
                continue;
            const QString &col = ix.index.columns.at(i);
            if (ix.name == col) {
                removed.insert(ix.name);
                break;
            }
            for (const SchemaForeignKey &fk : conn.foreignKeys)
                if (fk.columns.contains(col) && fk.name == ix.name)
                    removed.insert(ix.name);
        }
    }
    eraseIf(connIndexes, [&](const ConstraintSig &c) { return !c.isUnique && removed.contains(c.name); });
    eraseIf(metaIndexes, [&](const ConstraintSig &c) { return removed.contains(c.name); });
}

} // namespace

void IndexComparator::compare(const Context &ctx, const QString &schema, const SchemaTable *conn,
                              const SchemaTable *meta, AutogenOp &modify)
{
    const bool isCreate = conn == nullptr;
    const bool isDrop = meta == nullptr;
    const QString tname = meta ? meta->name : conn->name;
    QVector<ConstraintSig> metaUniques, metaIndexes, connUniques, connIndexes;
    if (meta) {
        for (const SchemaUniqueConstraint &u : meta->uniqueConstraints)
            metaUniques.append({false, true, u.name, sigOf(u.columns), {}, u});
        for (const SchemaIndex &i : meta->indexes)
            metaIndexes.append({true, i.unique, i.name, sigOf(i.columns, i.isExpression), i, {}});
    }
    if (conn) {
        if (!isDrop)   // for DROP TABLE uniques are inline
            for (const SchemaUniqueConstraint &u : conn->uniqueConstraints)
                if (ctx.keepName({QStringLiteral("unique_constraint"), schema, tname, u.name, u.columns, true}))
                    connUniques.append({false, true, u.name, sigOf(u.columns), {}, u});
        for (const SchemaIndex &i : conn->indexes)
            if (ctx.keepName({QStringLiteral("index"), schema, tname, i.name, i.columns, true}))
                connIndexes.append({true, i.unique, i.name, sigOf(i.columns, i.isExpression), i, {}});
    }
    if (conn && isMySql(ctx.dialect)) {
        correctForUqDuplicatesUix(*conn, connUniques, connIndexes, metaUniques, metaIndexes);
        correctForMySqlFkIndexes(*conn, connIndexes, metaIndexes);
    }
    // PostgresqlImpl.correct_for_autogen_constraints: drop the indexes that back a unique
    // constraint; expression indexes are skipped as SQLAlchemy 1.4 does not reflect them.
    if (ctx.dialect == QLatin1String("postgresql")) {
        connIndexes.erase(std::remove_if(connIndexes.begin(), connIndexes.end(),
                                         [](const ConstraintSig &c) { return !c.index.duplicatesConstraint.isEmpty(); }),
                          connIndexes.end());
    }
    if (ctx.dialect == QLatin1String("postgresql")) {
        auto hasExpr = [](const ConstraintSig &c) { return c.index.isExpression.contains(true); };
        QSet<QString> skipped;
        for (const ConstraintSig &m : metaIndexes)
            if (hasExpr(m))
                skipped.insert(m.name);
        metaIndexes.erase(std::remove_if(metaIndexes.begin(), metaIndexes.end(), hasExpr), metaIndexes.end());
        connIndexes.erase(std::remove_if(connIndexes.begin(), connIndexes.end(),
                                         [&](const ConstraintSig &c) { return skipped.contains(c.name) || hasExpr(c); }),
                          connIndexes.end());
    }

    QMap<QString, ConstraintSig> metaNames;   // sorted by name, like Alembic's sorted()
    for (const ConstraintSig &c : metaUniques)
        if (!c.name.isEmpty())
            metaNames.insert(c.name, c);
    for (const ConstraintSig &c : metaIndexes)
        metaNames.insert(c.name, c);
    QMap<QString, ConstraintSig> connNames, connUqByName, connIxByName;
    for (const ConstraintSig &c : connUniques)
        if (!c.name.isEmpty()) {
            connNames.insert(c.name, c);
            connUqByName.insert(c.name, c);
        }
    for (const ConstraintSig &c : connIndexes)
        if (!c.name.isEmpty()) {
            connNames.insert(c.name, c);
            connIxByName.insert(c.name, c);
        }
    QSet<QString> doubled;
    for (const QString &n : connUqByName.keys())
        if (connIxByName.contains(n))
            doubled.insert(n);
    auto hasSig = [](const QVector<ConstraintSig> &v, const QStringList &sig, bool unnamedOnly) {
        return std::any_of(v.begin(), v.end(), [&](const ConstraintSig &c) {
            return c.sig == sig && (!unnamedOnly || c.name.isEmpty());
        });
    };

    auto colsRepr = [](const ConstraintSig &c) {
        QStringList cols;
        for (const QString &n : (c.isIndex ? c.index.columns : c.unique.columns))
            cols << QLatin1Char('\'') + n + QLatin1Char('\'');
        return QStringLiteral("'[%1]'").arg(cols.join(QStringLiteral(", ")));
    };
    auto keep = [&](const ConstraintSig &c, bool reflected) {
        return ctx.keepObject({c.isIndex ? QStringLiteral("index") : QStringLiteral("unique_constraint"), schema,
                               tname, c.name, c.isIndex ? c.index.columns : c.unique.columns, reflected});
    };
    // filter = false: obj_changed already asked include_object (once, for the new object)
    auto added = [&](const ConstraintSig &c, bool filter = true) {
        AutogenOp op;
        op.schema = schema;
        op.table = tname;
        op.side = OpSide::Model;
        op.name = ctx.modelName(schema, tname, c.name, c.isIndex);
        if (c.isIndex) {
            if (filter && !keep(c, false))
                return;
            op.kind = AutogenOp::CreateIndex;
            op.index = c.index;
            op.alembicLog << QStringLiteral("Detected added index '%1' on %2").arg(c.name, colsRepr(c));
        } else {
            if (isCreate || isDrop || (filter && !keep(c, false)))
                return;
            op.kind = AutogenOp::AddUniqueConstraint;
            op.unique = c.unique;
            op.alembicLog << QStringLiteral("Detected added unique constraint '%1' on %2").arg(c.name, colsRepr(c));
        }
        modify.ops.append(op);
    };
    auto removedOp = [&](const ConstraintSig &c, bool filter = true) {
        AutogenOp op;
        op.schema = schema;
        op.table = tname;
        op.side = OpSide::Database;
        op.name = OpName{c.name, false};
        if (c.isIndex) {
            if (filter && !keep(c, true))
                return;
            op.kind = AutogenOp::DropIndex;
            op.index = c.index;
            op.alembicLog << QStringLiteral("Detected removed index '%1' on '%2'").arg(c.name, tname);
        } else {
            if (isCreate || isDrop || (filter && !keep(c, true)))
                return;
            op.kind = AutogenOp::DropUniqueConstraint;
            op.unique = c.unique;
            op.alembicLog << QStringLiteral("Detected removed unique constraint '%1' on '%2'").arg(c.name, tname);
        }
        modify.ops.append(op);
    };

    for (auto it = connNames.constBegin(); it != connNames.constEnd(); ++it) {
        if (metaNames.contains(it.key()))
            continue;
        const ConstraintSig &c = it.value();
        if (!c.isIndex && hasSig(metaUniques, c.sig, true))
            continue;
        if (doubled.contains(it.key())) {
            if (!hasSig(metaIndexes, c.sig, false) && !hasSig(metaUniques, c.sig, false)) {
                removedOp(connUqByName.value(it.key()));
                removedOp(connIxByName.value(it.key()));
            }
        } else {
            removedOp(c);
        }
    }
    for (auto it = metaNames.constBegin(); it != metaNames.constEnd(); ++it) {
        if (!connNames.contains(it.key()))
            continue;
        const ConstraintSig &m = it.value();
        ConstraintSig c = connNames.value(it.key());
        if (doubled.contains(it.key()))
            c = m.isIndex ? connIxByName.value(it.key()) : connUqByName.value(it.key());
        if (c.isIndex != m.isIndex) {
            removedOp(c);
            added(m);
        } else if (c.isUnique != m.isUnique || c.sig != m.sig) {
            // obj_changed: drop the old, create the new, logged once
            QStringList msg;
            if (c.isUnique != m.isUnique)
                msg << QStringLiteral(" unique=%1 to unique=%2").arg(pyBool(c.isUnique), pyBool(m.isUnique));
            if (c.sig != m.sig)
                msg << QStringLiteral(" columns %1 to %2").arg(tupleRepr(c.sig), tupleRepr(m.sig));
            if (!keep(m, false))
                continue;
            const int first = modify.ops.size();
            removedOp(c, false);
            added(m, false);
            for (int i = first; i < modify.ops.size(); ++i)
                modify.ops[i].alembicLog.clear();
            if (first < modify.ops.size())
                modify.ops[first].alembicLog << QStringLiteral("Detected changed %1 '%2' on '%3':%4")
                    .arg(c.isIndex ? QStringLiteral("index") : QStringLiteral("unique constraint"),
                         c.name, tname, msg.join(QStringLiteral(", ")));
        }
    }
    for (auto it = metaNames.constBegin(); it != metaNames.constEnd(); ++it)
        if (!connNames.contains(it.key()))
            added(it.value());
    for (const ConstraintSig &u : metaUniques)
        if (u.name.isEmpty() && !hasSig(connUniques, u.sig, false))
            added(u);
}

} // namespace retort
