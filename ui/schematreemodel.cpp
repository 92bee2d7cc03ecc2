#include "schematreemodel.h"

#include <QLocale>

namespace retort {

namespace {

QStandardItem *item(const QString &text, const QString &kind = {})
{
    auto *i = new QStandardItem(text);
    i->setEditable(false);
    if (!kind.isEmpty())
        i->setData(kind, SchemaTreeModel::KindRole);
    return i;
}

QList<QStandardItem *> row(const QString &name, const QString &detail, const QString &kind)
{
    return {item(name, kind), item(detail), item(QString())};
}

// Named things match the filter; group nodes ("Columns (3)") do not.
QList<QStandardItem *> named(const QString &name, const QString &detail, const QString &kind)
{
    QList<QStandardItem *> r{item(name, kind), item(detail), item(QString())};
    r.first()->setData(name, SchemaTreeModel::FilterRole);
    return r;
}


QString columnList(const QStringList &columns)
{
    return QStringLiteral("(%1)").arg(columns.join(QStringLiteral(", ")));
}

// A group node ("Columns (4)") with its children; none when there are none.
void addGroup(QStandardItem *parent, const QString &title, const QList<QList<QStandardItem *>> &rows,
              const QString &kind)
{
    if (rows.isEmpty())
        return;
    QList<QStandardItem *> group = row(QStringLiteral("%1 (%2)").arg(title).arg(rows.size()), QString(), kind);
    for (const QList<QStandardItem *> &r : rows)
        group.first()->appendRow(r);
    parent->appendRow(group);
}

} // namespace

SchemaTreeModel::SchemaTreeModel(QObject *parent) : QStandardItemModel(parent)
{
    setHorizontalHeaderLabels({tr("Name"), tr("Definition"), tr("Rows")});
}

QString SchemaTreeModel::columnDetail(const SchemaColumn &column)
{
    QString text = column.type;
    text += column.nullable ? QStringLiteral(" NULL") : QStringLiteral(" NOT NULL");
    if (column.serverDefault)
        text += QStringLiteral(", DEFAULT %1").arg(*column.serverDefault);
    if (column.computed)
        text += QStringLiteral(", GENERATED AS (%1)").arg(column.computed->sqltext);
    if (column.identity)
        text += QStringLiteral(", IDENTITY");
    return text;
}

void SchemaTreeModel::clearSnapshot()
{
    removeRows(0, rowCount());
    m_tables = 0;
    m_tableIndex.clear();
}

QModelIndex SchemaTreeModel::tableIndex(const QString &name) const
{
    return m_tableIndex.value(name);
}

QList<QStandardItem *> SchemaTreeModel::tableRow(const SchemaTable &table, std::optional<qint64> rows)
{
    QList<QStandardItem *> top = named(table.name, table.comment.value_or(QString()), QStringLiteral("table"));
    top.at(RowsColumn)->setText(rows ? QLocale().toString(*rows) : tr("?"));
    top.at(RowsColumn)->setData(rows ? QVariant(*rows) : QVariant(), Qt::UserRole);
    top.at(RowsColumn)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    QStandardItem *t = top.first();

    QList<QList<QStandardItem *>> columns;
    for (const SchemaColumn &c : table.columns) {
        QList<QStandardItem *> r = named(c.name, columnDetail(c), QStringLiteral("column"));
        if (table.primaryKey.columns.contains(c.name))
            r.first()->setToolTip(tr("Part of the primary key"));
        columns << r;
    }
    addGroup(t, tr("Columns"), columns, QStringLiteral("columns"));

    QList<QList<QStandardItem *>> indexes;
    for (const SchemaIndex &i : table.indexes) {
        QString detail = (i.unique ? QStringLiteral("UNIQUE ") : QString()) + columnList(i.columns);
        if (i.where)
            detail += QStringLiteral(" WHERE %1").arg(*i.where);
        indexes << named(i.name, detail, QStringLiteral("index"));
    }
    addGroup(t, tr("Indexes"), indexes, QStringLiteral("indexes"));

    QList<QList<QStandardItem *>> constraints;
    const auto orUnnamed = [](const QString &name) { return name.isEmpty() ? tr("(unnamed)") : name; };
    if (!table.primaryKey.isEmpty())
        constraints << named(orUnnamed(table.primaryKey.name),
                           QStringLiteral("PRIMARY KEY ") + columnList(table.primaryKey.columns),
                           QStringLiteral("primarykey"));
    for (const SchemaForeignKey &fk : table.foreignKeys) {
        QString target = fk.referredSchema.isEmpty() ? fk.referredTable : fk.referredSchema + QLatin1Char('.') + fk.referredTable;
        QString detail = QStringLiteral("FOREIGN KEY %1 REFERENCES %2%3")
                             .arg(columnList(fk.columns), target, columnList(fk.referredColumns));
        if (!fk.onDelete.isEmpty())
            detail += QStringLiteral(" ON DELETE ") + fk.onDelete;
        if (!fk.onUpdate.isEmpty())
            detail += QStringLiteral(" ON UPDATE ") + fk.onUpdate;
        constraints << named(orUnnamed(fk.name), detail, QStringLiteral("foreignkey"));
    }
    for (const SchemaUniqueConstraint &u : table.uniqueConstraints)
        constraints << named(orUnnamed(u.name), QStringLiteral("UNIQUE ") + columnList(u.columns), QStringLiteral("unique"));
    for (const SchemaCheckConstraint &c : table.checkConstraints)
        constraints << named(orUnnamed(c.name), QStringLiteral("CHECK (%1)").arg(c.sqltext), QStringLiteral("check"));
    addGroup(t, tr("Constraints"), constraints, QStringLiteral("constraints"));
    return top;
}

void SchemaTreeModel::setSnapshot(const SchemaSnapshot &snapshot)
{
    clearSnapshot();
    for (const SchemaNamespace &ns : snapshot.model.schemas) {
        QStandardItem *parent = invisibleRootItem();
        if (!ns.name.isEmpty()) {
            QList<QStandardItem *> s = row(ns.name, tr("schema"), QStringLiteral("schema"));
            appendRow(s);
            parent = s.first();
        }
        for (const SchemaTable &t : ns.tables) {
            parent->appendRow(tableRow(t, snapshot.rowCount(ns.name, t.name)));
            m_tableIndex.insert(SchemaSnapshot::key(ns.name, t.name),
                                indexFromItem(parent->child(parent->rowCount() - 1)));
            ++m_tables;
        }
        for (const QString &v : ns.views)
            parent->appendRow(named(v, tr("view"), QStringLiteral("view")));
    }
}

} // namespace retort
