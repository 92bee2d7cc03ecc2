// DiffReviewer beyond Alembic: the review's reason texts with row counts, accepting a
// possible rename (applyRename) and how the rewritten ops render and reverse.

#include "autogenerate/diffreviewer.h"
#include "autogenerate/migrationscriptrenderer.h"

#include <QtTest>

using namespace retort;

using Counts = QMap<QString, qint64>;   // "table.column condition" -> rows

class tst_DiffReviewer : public QObject
{
    Q_OBJECT

private slots:
    void applyRename_data();
    void applyRename();
    void applyRenameErrors_data();
    void applyRenameErrors();
    void renameReversesAndDescribes();
    void reasons_data();
    void reasons();
};

namespace {

SchemaColumn varchar(const QString &name, int length, bool nullable = true)
{
    SchemaColumn c;
    c.name = name;
    c.type = QStringLiteral("VARCHAR(%1)").arg(length);
    c.typeInfo.typeClass = QStringLiteral("VARCHAR");
    c.typeInfo.affinity = QStringLiteral("String");
    c.typeInfo.length = length;
    c.nullable = nullable;
    return c;
}

SchemaColumn integer(const QString &name)
{
    SchemaColumn c;
    c.name = name;
    c.type = QStringLiteral("INTEGER");
    c.typeInfo.typeClass = QStringLiteral("INTEGER");
    c.typeInfo.affinity = QStringLiteral("Integer");
    c.nullable = false;
    return c;
}

AutogenOp columnOp(AutogenOp::Kind kind, const QString &schema, const QString &table, const SchemaColumn &c)
{
    AutogenOp op;
    op.kind = kind;
    op.schema = schema;
    op.table = table;
    op.side = kind == AutogenOp::AddColumn ? OpSide::Model : OpSide::Database;
    op.column = ColumnRef{op.side, schema, table, c};
    return op;
}

AutogenOp indexOp(AutogenOp::Kind kind, const QString &schema, const QString &table, const QString &name,
                  const QString &column)
{
    AutogenOp op;
    op.kind = kind;
    op.schema = schema;
    op.table = table;
    op.side = kind == AutogenOp::CreateIndex ? OpSide::Model : OpSide::Database;
    op.index.name = name;
    op.index.columns = {column};
    op.name = OpName{name, false};
    return op;
}

AutogenOp modify(const QString &schema, const QString &table, const AutogenOps &ops)
{
    AutogenOp m;
    m.schema = schema;
    m.table = table;
    m.ops = ops;
    return m;
}

AutogenOp tableOp(AutogenOp::Kind kind, const QString &schema, const QString &table)
{
    AutogenOp op;
    op.kind = kind;
    op.schema = schema;
    op.table = table;
    op.side = kind == AutogenOp::CreateTable ? OpSide::Model : OpSide::Database;
    op.tableDef.name = table;
    op.tableDef.columns = {integer(QStringLiteral("id")), varchar(QStringLiteral("msg"), 200)};
    op.tableDef.primaryKey.columns = {QStringLiteral("id")};
    return op;
}

// In Alembic's order: added tables (+ their indexes), removed tables (indexes first),
// then changed tables. users: name dropped, full_name added (a possible rename).
AutogenOps sampleDiff(const QString &schema, bool fullNameNotNull = false)
{
    return {
        tableOp(AutogenOp::CreateTable, schema, QStringLiteral("audit_log")),
        modify(schema, QStringLiteral("audit_log"),
               {indexOp(AutogenOp::CreateIndex, schema, QStringLiteral("audit_log"), QStringLiteral("ix_msg"), QStringLiteral("msg")),
                indexOp(AutogenOp::CreateIndex, schema, QStringLiteral("audit_log"), QStringLiteral("ix_audit_log_id"), QStringLiteral("id"))}),
        modify(schema, QStringLiteral("old_audit"),
               {indexOp(AutogenOp::DropIndex, schema, QStringLiteral("old_audit"), QStringLiteral("ix_msg"), QStringLiteral("msg")),
                indexOp(AutogenOp::DropIndex, schema, QStringLiteral("old_audit"), QStringLiteral("ix_old_audit_id"), QStringLiteral("id"))}),
        tableOp(AutogenOp::DropTable, schema, QStringLiteral("old_audit")),
        modify(schema, QStringLiteral("users"),
               {columnOp(AutogenOp::AddColumn, schema, QStringLiteral("users"),
                         varchar(QStringLiteral("full_name"), 50, !fullNameNotNull)),
                columnOp(AutogenOp::DropColumn, schema, QStringLiteral("users"), varchar(QStringLiteral("name"), 50))}),
    };
}

DiffReviewer::RowCounter counter(const Counts &counts)
{
    return [counts](const QString &, const QString &table, const QString &column,
                    const QString &condition) -> std::optional<qint64> {
        const QString key = QStringLiteral("%1.%2 %3").arg(table, column, condition).trimmed();
        if (!counts.contains(key))
            return std::nullopt;
        return counts.value(key);
    };
}

// A rendered body without its "# ### ..." frame, one level less indented.
QString opLines(const QString &body)
{
    QStringList out;
    for (const QString &line : body.split(QLatin1Char('\n')))
        if (!line.contains(QLatin1String("# ###")))
            out << (line.startsWith(QLatin1String("    ")) ? line.mid(4) : line);
    while (!out.isEmpty() && out.last().trimmed().isEmpty())
        out.removeLast();
    return out.join(QLatin1Char('\n'));
}

} // namespace

void tst_DiffReviewer::applyRename_data()
{
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<bool>("isTable");
    QTest::addColumn<bool>("batch");
    QTest::addColumn<bool>("notNull");
    QTest::addColumn<QString>("upgrade");
    QTest::addColumn<QString>("downgrade");
    const QString s = QStringLiteral("shop");
    const QString t;   // no table for a table rename
    QTest::newRow("column") << QString() << "users" << "name" << "full_name" << false << false << false
        << "op.alter_column('users', 'name', new_column_name='full_name',\n"
           "           existing_type=sa.VARCHAR(length=50),\n"
           "           existing_nullable=True)"
        << "op.alter_column('users', 'full_name', new_column_name='name',\n"
           "           existing_type=sa.VARCHAR(length=50),\n"
           "           existing_nullable=True)";
    QTest::newRow("column, schema") << s << "users" << "name" << "full_name" << false << false << false
        << "op.alter_column('users', 'name', new_column_name='full_name',\n"
           "           existing_type=sa.VARCHAR(length=50),\n"
           "           existing_nullable=True,\n"
           "           schema='shop')"
        << "op.alter_column('users', 'full_name', new_column_name='name',\n"
           "           existing_type=sa.VARCHAR(length=50),\n"
           "           existing_nullable=True,\n"
           "           schema='shop')";
    QTest::newRow("column, batch") << QString() << "users" << "name" << "full_name" << false << true << false
        << "with op.batch_alter_table('users', schema=None) as batch_op:\n"
           "    batch_op.alter_column('name', new_column_name='full_name',\n"
           "           existing_type=sa.VARCHAR(length=50),\n"
           "           existing_nullable=True)"
        << "with op.batch_alter_table('users', schema=None) as batch_op:\n"
           "    batch_op.alter_column('full_name', new_column_name='name',\n"
           "           existing_type=sa.VARCHAR(length=50),\n"
           "           existing_nullable=True)";
    // The model's full_name is NOT NULL: the rename also sets it, and back.
    QTest::newRow("column, NOT NULL added") << QString() << "users" << "name" << "full_name" << false << false << true
        << "op.alter_column('users', 'name', new_column_name='full_name',\n"
           "           existing_type=sa.VARCHAR(length=50),\n"
           "           nullable=False)"
        << "op.alter_column('users', 'full_name', new_column_name='name',\n"
           "           existing_type=sa.VARCHAR(length=50),\n"
           "           nullable=True)";
    // ix_msg is the same index on both sides and disappears; ix_old_audit_id is
    // dropped from the renamed table before the model's index is created.
    QTest::newRow("table") << QString() << t << "old_audit" << "audit_log" << true << false << false
        << "op.rename_table('old_audit', 'audit_log')\n"
           "op.drop_index('ix_old_audit_id', table_name='audit_log')\n"
           "op.create_index('ix_audit_log_id', 'audit_log', ['id'], unique=False)"
        << "op.drop_index('ix_audit_log_id', table_name='audit_log')\n"
           "op.create_index('ix_old_audit_id', 'audit_log', ['id'], unique=False)\n"
           "op.rename_table('audit_log', 'old_audit')";
    QTest::newRow("table, schema") << s << t << "old_audit" << "audit_log" << true << false << false
        << "op.rename_table('old_audit', 'audit_log', schema='shop')\n"
           "op.drop_index('ix_old_audit_id', table_name='audit_log', schema='shop')\n"
           "op.create_index('ix_audit_log_id', 'audit_log', ['id'], unique=False, schema='shop')"
        << "op.drop_index('ix_audit_log_id', table_name='audit_log', schema='shop')\n"
           "op.create_index('ix_old_audit_id', 'audit_log', ['id'], unique=False, schema='shop')\n"
           "op.rename_table('audit_log', 'old_audit', schema='shop')";
    QTest::newRow("table, batch") << QString() << t << "old_audit" << "audit_log" << true << true << false
        << "op.rename_table('old_audit', 'audit_log')\n"
           "with op.batch_alter_table('audit_log', schema=None) as batch_op:\n"
           "    batch_op.drop_index('ix_old_audit_id')\n"
           "    batch_op.create_index('ix_audit_log_id', ['id'], unique=False)"
        << "with op.batch_alter_table('audit_log', schema=None) as batch_op:\n"
           "    batch_op.drop_index('ix_audit_log_id')\n"
           "    batch_op.create_index('ix_old_audit_id', ['id'], unique=False)\n"
           "\n"
           "op.rename_table('audit_log', 'old_audit')";
}

void tst_DiffReviewer::applyRename()
{
    QFETCH(QString, schema);
    QFETCH(QString, table);
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(bool, isTable);
    QFETCH(bool, batch);
    QFETCH(bool, notNull);
    QFETCH(QString, upgrade);
    QFETCH(QString, downgrade);
    AutogenOps ops = sampleDiff(schema, notNull);
    DiffReviewer::review(ops);
    const VoidResult r = DiffReviewer::applyRename(ops, {schema, table, from, to, isTable});
    QVERIFY2(r.ok(), qPrintable(r.error().message));
    // Only what the rename touched: the renamed table's ops, or the column's table.
    AutogenOps touched;
    for (const AutogenOp &op : ops)
        if (op.kind == AutogenOp::RenameTable || op.table == (isTable ? to : table))
            touched << op;
    ScriptRenderOptions options;
    options.renderAsBatch = batch;
    const RenderedMigration m = MigrationScriptRenderer(nullptr, QStringLiteral("sqlite"), options).render(touched);
    QCOMPARE(opLines(m.upgrades), upgrade);
    QCOMPARE(opLines(m.downgrades), downgrade);
}

void tst_DiffReviewer::applyRenameErrors_data()
{
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<bool>("isTable");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown table") << "people" << "name" << "full_name" << false
        << "cannot rename people.name: the diff does not drop column name from people";
    QTest::newRow("column not dropped") << "users" << "nick" << "full_name" << false
        << "cannot rename users.nick: the diff does not drop column nick from users";
    QTest::newRow("column not added") << "users" << "name" << "nick" << false
        << "cannot rename users.name to nick: the diff does not add column nick to users";
    QTest::newRow("other type") << "users" << "name" << "age" << false
        << "cannot rename users.name to age: the types differ (VARCHAR(50) vs INTEGER)";
    QTest::newRow("table not dropped") << QString() << "audit_log" << "old_audit" << true
        << "cannot rename table audit_log: the diff does not drop it";
    QTest::newRow("table not created") << QString() << "old_audit" << "audits" << true
        << "cannot rename table old_audit to audits: the diff does not create table audits";
    QTest::newRow("other columns") << QString() << "old_audit" << "events" << true
        << "cannot rename table old_audit to events: their columns differ";
    QTest::newRow("no table") << QString() << "name" << "full_name" << false
        << "a rename needs a table, the old and the new name";
}

void tst_DiffReviewer::applyRenameErrors()
{
    QFETCH(QString, table);
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(bool, isTable);
    QFETCH(QString, error);
    AutogenOps ops = sampleDiff(QString());
    ops.last().ops.append(columnOp(AutogenOp::AddColumn, QString(), QStringLiteral("users"), integer(QStringLiteral("age"))));
    AutogenOp events = tableOp(AutogenOp::CreateTable, QString(), QStringLiteral("events"));
    events.tableDef.columns.append(integer(QStringLiteral("kind")));
    ops.prepend(events);
    const AutogenOps before = ops;
    const VoidResult r = DiffReviewer::applyRename(ops, {QString(), table, from, to, isTable});
    QVERIFY(!r.ok());
    QCOMPARE(r.error().message, error);
    QCOMPARE(ops.size(), before.size());   // nothing rewritten on error
    QCOMPARE(ops.last().ops.size(), before.last().ops.size());
}

void tst_DiffReviewer::renameReversesAndDescribes()
{
    AutogenOps ops = sampleDiff(QStringLiteral("shop"));
    QVERIFY(DiffReviewer::applyRename(ops, {QStringLiteral("shop"), QStringLiteral("users"), QStringLiteral("name"),
                                            QStringLiteral("full_name")}).ok());
    QVERIFY(DiffReviewer::applyRename(ops, {QStringLiteral("shop"), QString(), QStringLiteral("old_audit"),
                                            QStringLiteral("audit_log"), true}).ok());
    QStringList described;
    for (const AutogenOp &op : ops)
        described << (op.kind == AutogenOp::ModifyTable && !op.ops.isEmpty() ? op.ops.first().describe() : op.describe());
    QCOMPARE(described, QStringList({QStringLiteral("rename_table shop.old_audit -> audit_log"),
                                     QStringLiteral("remove_index ix_old_audit_id on shop.audit_log"),
                                     QStringLiteral("modify_column shop.users.name (rename to full_name)")}));
    const AutogenOps down = reverseOps(ops);
    QCOMPARE(down.last().kind, AutogenOp::RenameTable);
    QCOMPARE(down.last().table, QStringLiteral("audit_log"));
    QCOMPARE(down.last().newTableName, QStringLiteral("old_audit"));
    const AutogenOp &alter = down.first().ops.first();
    QCOMPARE(alter.columnName, QStringLiteral("full_name"));
    QCOMPARE(alter.newColumnName, QStringLiteral("name"));
    // Reversing twice gives the upgrade op back.
    QCOMPARE(alter.reversed().columnName, QStringLiteral("name"));
    QCOMPARE(down.last().reversed().table, QStringLiteral("old_audit"));
}

void tst_DiffReviewer::reasons_data()
{
    QTest::addColumn<QString>("op");       // describe() of the op under test
    QTest::addColumn<Counts>("counts");
    QTest::addColumn<bool>("destructive");
    QTest::addColumn<QString>("reason");
    const QString drop = QStringLiteral("remove_column users.name");
    QTest::newRow("drop column, unknown") << drop << Counts() << true
        << "drops column users.name and its data; possibly a rename to full_name";
    QTest::newRow("drop column, 1,234") << drop << Counts{{"users.name IS NOT NULL", 1234}} << true
        << "drops column users.name: 1,234 rows have a value; possibly a rename to full_name";
    QTest::newRow("drop column, 1") << drop << Counts{{"users.name IS NOT NULL", 1}} << true
        << "drops column users.name: 1 row has a value; possibly a rename to full_name";
    const QString notNull = QStringLiteral("modify_column users.email (NOT NULL)");
    QTest::newRow("NOT NULL, 3 NULLs") << notNull << Counts{{"users.email IS NULL", 3}} << true
        << "NOT NULL on users.email: 3 rows are NULL";
    QTest::newRow("NOT NULL, no NULLs") << notNull << Counts{{"users.email IS NULL", 0}} << false
        << "NOT NULL on users.email: no rows are NULL";
    QTest::newRow("NOT NULL, unknown") << notNull << Counts() << true
        << "NOT NULL on users.email: fails if any row is NULL";
    const QString narrow = QStringLiteral("modify_column users.bio (type VARCHAR(200) -> VARCHAR(50))");
    QTest::newRow("narrowing, values") << narrow << Counts{{"users.bio IS NOT NULL", 5}} << true
        << "narrows users.bio VARCHAR(200) -> VARCHAR(50): 5 rows have a value";
    QTest::newRow("narrowing, empty") << narrow << Counts{{"users.bio IS NOT NULL", 0}} << false
        << "narrows users.bio VARCHAR(200) -> VARCHAR(50): no rows have a value";
    const QString addAge = QStringLiteral("add_column users.age");
    QTest::newRow("NOT NULL column, rows") << addAge << Counts{{"users.", 10}} << true
        << "NOT NULL column users.age without a server default: the table has 10 rows";
    QTest::newRow("NOT NULL column, empty table") << addAge << Counts{{"users.", 0}} << false
        << "NOT NULL column users.age without a server default: the table has 0 rows";
    QTest::newRow("drop table") << QStringLiteral("remove_table shop.old_audit") << Counts{{"old_audit.", 1234}} << true
        << "drops table shop.old_audit: 1,234 rows; possibly a rename to audit_log";
}

void tst_DiffReviewer::reasons()
{
    QFETCH(QString, op);
    QFETCH(Counts, counts);
    QFETCH(bool, destructive);
    QFETCH(QString, reason);
    const QString schema = op.contains(QLatin1String("shop.")) ? QStringLiteral("shop") : QString();
    AutogenOps ops = sampleDiff(schema);
    AutogenOp &users = ops.last();
    users.ops.append(columnOp(AutogenOp::AddColumn, schema, QStringLiteral("users"), integer(QStringLiteral("age"))));
    AutogenOp email;
    email.kind = AutogenOp::AlterColumn;
    email.schema = schema;
    email.table = QStringLiteral("users");
    email.columnName = QStringLiteral("email");
    email.existingNullable = true;
    email.modifyNullable = false;
    users.ops.append(email);
    AutogenOp bio = email;
    bio.columnName = QStringLiteral("bio");
    bio.modifyNullable.reset();
    bio.existingType = ColumnRef{OpSide::Database, schema, users.table, varchar(QStringLiteral("bio"), 200)};
    bio.modifyType = ColumnRef{OpSide::Model, schema, users.table, varchar(QStringLiteral("bio"), 50)};
    users.ops.append(bio);

    DiffReviewer::review(ops, counter(counts));
    const AutogenOp *found = nullptr;
    for (const AutogenOp &top : ops)
        for (const AutogenOp &o : top.kind == AutogenOp::ModifyTable ? top.ops : AutogenOps{top})
            if (o.describe() == op)
                found = &o;
    QVERIFY2(found, qPrintable(op));
    QCOMPARE(found->safety == OpSafety::Destructive, destructive);
    QCOMPARE(found->reason, reason);
}

QTEST_GUILESS_MAIN(tst_DiffReviewer)
#include "tst_diffreviewer.moc"
