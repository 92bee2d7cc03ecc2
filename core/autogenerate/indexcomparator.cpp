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
                if (ctx.keepName(u.name, QStringLiteral("unique_constraint"), tname))
                    connUniques.append({false, true, u.name, sigOf(u.columns), {}, u});
        for (const SchemaIndex &i : conn->indexes)
            if (ctx.keepName(i.name, QStringLiteral("index"), tname))
                connIndexes.append({true, i.unique, i.name, sigOf(i.columns, i.isExpression), i, {}});
    }
    // impl.correct_for_autogen_constraints: PostgreSQL (and MySQL, which reports them the
    // same way here) drop the indexes that back a unique constraint; expression indexes
    // are skipped on PostgreSQL as SQLAlchemy 1.4 does not reflect them.
    if (ctx.dialect != QLatin1String("sqlite")) {
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
    auto added = [&](const ConstraintSig &c) {
        AutogenOp op;
        op.schema = schema;
        op.table = tname;
        op.side = OpSide::Model;
        op.name = ctx.modelName(schema, tname, c.name, c.isIndex);
        if (c.isIndex) {
            if (!ctx.keepObject(c.name, QStringLiteral("index"), false))
                return;
            op.kind = AutogenOp::CreateIndex;
            op.index = c.index;
            op.alembicLog << QStringLiteral("Detected added index '%1' on %2").arg(c.name, colsRepr(c));
        } else {
            if (isCreate || isDrop || !ctx.keepObject(c.name, QStringLiteral("unique_constraint"), false))
                return;
            op.kind = AutogenOp::AddUniqueConstraint;
            op.unique = c.unique;
            op.alembicLog << QStringLiteral("Detected added unique constraint '%1' on %2").arg(c.name, colsRepr(c));
        }
        modify.ops.append(op);
    };
    auto removedOp = [&](const ConstraintSig &c) {
        AutogenOp op;
        op.schema = schema;
        op.table = tname;
        op.side = OpSide::Database;
        op.name = OpName{c.name, false};
        if (c.isIndex) {
            if (!ctx.keepObject(c.name, QStringLiteral("index"), true))
                return;
            op.kind = AutogenOp::DropIndex;
            op.index = c.index;
            op.alembicLog << QStringLiteral("Detected removed index '%1' on '%2'").arg(c.name, tname);
        } else {
            if (isCreate || isDrop || !ctx.keepObject(c.name, QStringLiteral("unique_constraint"), true))
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
            const int first = modify.ops.size();
            removedOp(c);
            added(m);
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
