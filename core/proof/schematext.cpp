#include "schematext.h"

#include "autogenerate/linediff.h"
#include "autogenerate/tabledefinitiontext.h"

#include <QMap>

namespace retort {

namespace {

QString qualified(const QString &schema, const QString &name)
{
    return schema.isEmpty() ? name : schema + QLatin1Char('.') + name;
}

// Every object of the schema as its block of lines, keyed so that the same object on
// two sides meets: "1 schema.table" for tables (after enums "0 ..." and before views "2 ...").
struct Block
{
    QString key;
    QStringList lines;
    const SchemaTable *table = nullptr;
    QString schema;
};

QMap<QString, Block> blocks(const SchemaModel &model)
{
    QMap<QString, Block> out;
    for (const SchemaNamespace &ns : model.schemas) {
        for (const SchemaEnum &e : ns.enums) {
            QStringList labels;
            for (const QString &l : e.labels)
                labels << QLatin1Char('\'') + QString(l).replace(QLatin1Char('\''), QStringLiteral("''")) + QLatin1Char('\'');
            const QString name = qualified(ns.name, e.name);
            out.insert(QStringLiteral("0 ") + name,
                       {QString(), {QStringLiteral("ENUM %1 (%2)").arg(name, labels.join(QStringLiteral(", ")))}, nullptr, {}});
        }
        for (const SchemaTable &t : ns.tables) {
            Block b;
            b.table = &t;
            b.schema = ns.name;
            b.lines = TableDefinitionText::lines(t, ns.name);
            out.insert(QStringLiteral("1 ") + qualified(ns.name, t.name), b);
        }
        for (const QString &v : ns.views)
            out.insert(QStringLiteral("2 ") + qualified(ns.name, v),
                       {QString(), {QStringLiteral("VIEW %1").arg(qualified(ns.name, v))}, nullptr, {}});
    }
    return out;
}

QStringList prefixed(const QStringList &lines, const QString &prefix)
{
    QStringList out;
    for (const QString &l : lines)
        out << prefix + l;
    return out;
}

} // namespace

QStringList SchemaText::lines(const SchemaModel &schema)
{
    QStringList out;
    const QMap<QString, Block> all = blocks(schema);
    QString lastKind;
    for (auto it = all.begin(); it != all.end(); ++it) {
        // Tables are separated by a blank line; enums and views are one-liners in a group.
        const QString kind = it.key().left(1);
        if (!out.isEmpty() && (kind == QLatin1String("1") || kind != lastKind))
            out << QString();
        out << it->lines;
        lastKind = kind;
    }
    return out;
}

namespace {

// One entry per object that differs: its kind ('-' lost, '+' gained, '~' changed) and lines.
QVector<QPair<QChar, QStringList>> changedBlocks(const SchemaModel &before, const SchemaModel &after)
{
    const QMap<QString, Block> a = blocks(before);
    const QMap<QString, Block> b = blocks(after);
    QStringList keys = a.keys();
    for (const QString &k : b.keys())
        if (!a.contains(k))
            keys << k;
    std::sort(keys.begin(), keys.end());
    QVector<QPair<QChar, QStringList>> out;
    for (const QString &key : keys) {
        if (!b.contains(key)) {
            out.append({QLatin1Char('-'), prefixed(a.value(key).lines, QStringLiteral("- "))});
            continue;
        }
        if (!a.contains(key)) {
            out.append({QLatin1Char('+'), prefixed(b.value(key).lines, QStringLiteral("+ "))});
            continue;
        }
        const Block &left = a[key];
        const Block &right = b[key];
        QStringList rightLines = right.lines;
        if (left.table && right.table) {   // a column that moved is not a change
            QStringList order;
            for (const SchemaColumn &c : left.table->columns)
                order << c.name;
            rightLines = TableDefinitionText::lines(*right.table, right.schema, order);
        }
        if (left.lines == rightLines)
            continue;
        QStringList block;
        for (const LineDiff::Row &row : LineDiff::compute(left.lines, rightLines)) {
            if (row.kind == LineDiff::Same)
                block << QStringLiteral("  ") + row.left;
            else if (row.kind == LineDiff::Removed)
                block << QStringLiteral("- ") + row.left;
            else
                block << QStringLiteral("+ ") + row.right;
        }
        out.append({QLatin1Char('~'), block});
    }
    return out;
}

} // namespace

QStringList SchemaText::diff(const SchemaModel &before, const SchemaModel &after)
{
    QStringList out;
    for (const auto &block : changedBlocks(before, after)) {
        if (!out.isEmpty())
            out << QString();
        out << block.second;
    }
    return out;
}

SchemaText::Summary SchemaText::summarize(const SchemaModel &before, const SchemaModel &after)
{
    Summary s;
    for (const auto &block : changedBlocks(before, after)) {
        if (block.first == QLatin1Char('+'))
            ++s.added;
        else if (block.first == QLatin1Char('-'))
            ++s.removed;
        else
            ++s.changed;
    }
    return s;
}

} // namespace retort
