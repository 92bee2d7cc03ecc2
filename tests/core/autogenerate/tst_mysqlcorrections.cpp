// What Alembic 1.8.1's MySQLImpl corrects before comparing (ddl/mysql.py and
// compare.py's _correct_for_uq_duplicates_uix), on SchemaModel pairs built here in the
// shape Retort's MySQL introspector reads them: indexes MySQL adds for foreign keys,
// unique indexes reported twice (index + constraint), RESTRICT left out of reflected
// FKs, type synonyms / charset arguments, and compare_server_default's rules. The same
// inputs on another dialect show the correction is MySQL's only.

#include "autogenerate/schemacomparator.h"
#include "autogenerate/serverdefaultcomparator.h"
#include "autogenerate/typecomparator.h"

#include <QtTest>

using namespace retort;

Q_DECLARE_METATYPE(retort::SchemaTable)

class tst_MySqlCorrections : public QObject
{
    Q_OBJECT

private slots:
    void indexesAndUniques_data();
    void indexesAndUniques();
    void restrictForeignKeys_data();
    void restrictForeignKeys();
    void typeSynonyms_data();
    void typeSynonyms();
    void serverDefaults_data();
    void serverDefaults();
};

namespace {

SchemaColumn column(const QString &name, const QString &type = QStringLiteral("INTEGER"),
                    const QString &affinity = QStringLiteral("Integer"))
{
    SchemaColumn c;
    c.name = name;
    c.type = type;
    c.typeInfo.affinity = affinity;
    return c;
}

SchemaIndex index(const QString &name, const QStringList &columns, bool unique = false)
{
    SchemaIndex i;
    i.name = name;
    i.columns = columns;
    i.isExpression = QVector<bool>(columns.size(), false);
    i.unique = unique;
    return i;
}

SchemaForeignKey foreignKey(const QString &name, const QString &col, const QString &table)
{
    SchemaForeignKey fk;
    fk.name = name;
    fk.columns = {col};
    fk.referredTable = table;
    fk.referredColumns = {QStringLiteral("id")};
    return fk;
}

// A unique index as MySQL reflects it: the index, and the same name as a constraint.
void addMySqlUnique(SchemaTable &t, const QString &name, const QStringList &columns)
{
    SchemaIndex i = index(name, columns, true);
    i.duplicatesConstraint = name;
    t.indexes << i;
    t.uniqueConstraints << SchemaUniqueConstraint{name, columns, {}};
}

SchemaTable orderLines()
{
    SchemaTable t;
    t.name = QStringLiteral("order_lines");
    t.columns = {column(QStringLiteral("order_id")), column(QStringLiteral("product_id")),
                 column(QStringLiteral("tag_id"))};
    t.primaryKey.columns = {QStringLiteral("order_id"), QStringLiteral("product_id")};
    t.foreignKeys = {foreignKey(QStringLiteral("fk_line_tag"), QStringLiteral("tag_id"), QStringLiteral("tags")),
                     foreignKey(QString(), QStringLiteral("product_id"), QStringLiteral("products"))};
    return t;
}

// The database side of orderLines(): MySQL names the FK it was not given a name for,
// and indexes product_id (named after the column) and tag_id (named after the FK).
SchemaTable orderLinesReflected()
{
    SchemaTable t = orderLines();
    t.foreignKeys[1].name = QStringLiteral("order_lines_ibfk_1");
    t.indexes = {index(QStringLiteral("fk_line_tag"), {QStringLiteral("tag_id")}),
                 index(QStringLiteral("product_id"), {QStringLiteral("product_id")})};
    return t;
}

SchemaTable users()
{
    SchemaTable t;
    t.name = QStringLiteral("users");
    t.columns = {column(QStringLiteral("id")), column(QStringLiteral("email"), QStringLiteral("VARCHAR(120)"),
                                                      QStringLiteral("String"))};
    t.primaryKey.columns = {QStringLiteral("id")};
    return t;
}

SchemaModel modelOf(const QString &dialect, const SchemaTable &table)
{
    SchemaModel m;
    m.dialect = dialect;
    m.schema(QString()).tables << table;
    return m;
}

QStringList checkLines(const SchemaTable &db, const SchemaTable &model, const QString &dialect,
                       const CompareOptions &options = {})
{
    const SchemaModel dbModel = modelOf(dialect, db);
    const SchemaModel target = modelOf(dialect, model);
    QStringList out;
    for (const AutogenOp &op : SchemaComparator(target, nullptr, dbModel, options).compare().flattened())
        out << op.describe();
    return out;
}

} // namespace

void tst_MySqlCorrections::indexesAndUniques_data()
{
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<SchemaTable>("db");
    QTest::addColumn<SchemaTable>("model");
    QTest::addColumn<QStringList>("expected");

    for (const char *d : {"mariadb", "mysql"})
        QTest::addRow("%s: FK-backing indexes", d) << d << orderLinesReflected() << orderLines() << QStringList();
    QTest::newRow("postgresql: same indexes are plain indexes")
        << "postgresql" << orderLinesReflected() << orderLines()
        << QStringList{"remove_index fk_line_tag on order_lines", "remove_index product_id on order_lines"};

    SchemaTable extra = orderLinesReflected();
    extra.indexes << index(QStringLiteral("ix_extra"), {QStringLiteral("tag_id"), QStringLiteral("order_id")});
    QTest::newRow("mariadb: an index of its own is still removed")
        << "mariadb" << extra << orderLines() << QStringList{"remove_index ix_extra on order_lines"};

    SchemaTable modelWithFkIndex = orderLines();
    modelWithFkIndex.indexes << index(QStringLiteral("fk_line_tag"), {QStringLiteral("tag_id"), QStringLiteral("order_id")});
    QTest::newRow("mariadb: model index named like the FK index is left alone")
        << "mariadb" << orderLinesReflected() << modelWithFkIndex << QStringList();

    SchemaTable uniqueIndexDb = users();
    addMySqlUnique(uniqueIndexDb, QStringLiteral("ix_users_email"), {QStringLiteral("email")});
    SchemaTable uniqueIndexModel = users();
    uniqueIndexModel.indexes << index(QStringLiteral("ix_users_email"), {QStringLiteral("email")}, true);
    QTest::newRow("mariadb: unique index in the model")
        << "mariadb" << uniqueIndexDb << uniqueIndexModel << QStringList();

    SchemaTable constraintDb = users();
    addMySqlUnique(constraintDb, QStringLiteral("uq_users_email"), {QStringLiteral("email")});
    SchemaTable constraintModel = users();
    constraintModel.uniqueConstraints << SchemaUniqueConstraint{QStringLiteral("uq_users_email"), {QStringLiteral("email")}, {}};
    QTest::newRow("mariadb: unique constraint in the model")
        << "mariadb" << constraintDb << constraintModel << QStringList();

    SchemaTable unnamedDb = users();
    addMySqlUnique(unnamedDb, QStringLiteral("email"), {QStringLiteral("email")});
    SchemaTable unnamedModel = users();
    unnamedModel.uniqueConstraints << SchemaUniqueConstraint{QString(), {QStringLiteral("email")}, {}};
    QTest::newRow("mariadb: unnamed unique constraint in the model")
        << "mariadb" << unnamedDb << unnamedModel << QStringList();

    // The constraint form is dropped as a duplicate; the index is what gets removed.
    QTest::newRow("mariadb: unique only in the database")
        << "mariadb" << constraintDb << users() << QStringList{"remove_index uq_users_email on users"};
}

void tst_MySqlCorrections::indexesAndUniques()
{
    QFETCH(QString, dialect);
    QFETCH(SchemaTable, db);
    QFETCH(SchemaTable, model);
    QFETCH(QStringList, expected);
    QCOMPARE(checkLines(db, model, dialect), expected);
}

void tst_MySqlCorrections::restrictForeignKeys_data()
{
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<QString>("modelOnDelete");
    QTest::addColumn<int>("ops");
    QTest::newRow("mariadb: RESTRICT is not reflected") << "mariadb" << "RESTRICT" << 0;
    QTest::newRow("mariadb: lower case restrict") << "mariadb" << "restrict" << 0;
    QTest::newRow("mariadb: CASCADE still differs") << "mariadb" << "CASCADE" << 2;
    QTest::newRow("postgresql: no correction") << "postgresql" << "RESTRICT" << 2;
}

void tst_MySqlCorrections::restrictForeignKeys()
{
    QFETCH(QString, dialect);
    QFETCH(QString, modelOnDelete);
    QFETCH(int, ops);
    SchemaTable model = orderLines();
    model.foreignKeys[0].onDelete = modelOnDelete;
    SchemaTable db = orderLines();
    db.foreignKeys[1].name = QStringLiteral("order_lines_ibfk_1");
    QCOMPARE(checkLines(db, model, dialect).size(), ops);
}

void tst_MySqlCorrections::typeSynonyms_data()
{
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("differ");
    QTest::newRow("mariadb: Boolean is TINYINT(1)") << "mariadb" << "TINYINT(1)" << "BOOL" << false;
    QTest::newRow("mysql: JSON is LONGTEXT") << "mysql" << "LONGTEXT" << "JSON" << false;
    QTest::newRow("sqlite: no BOOL synonym") << "sqlite" << "TINYINT(1)" << "BOOL" << true;
    QTest::newRow("postgresql: FLOAT is DOUBLE PRECISION") << "postgresql" << "DOUBLE PRECISION" << "FLOAT" << false;
    QTest::newRow("mariadb: no FLOAT synonym") << "mariadb" << "DOUBLE PRECISION" << "FLOAT" << true;
    QTest::newRow("mariadb: other collation") << "mariadb"
        << "VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" << "VARCHAR(20) COLLATE latin1_bin" << true;
    QTest::newRow("mariadb: same collation") << "mariadb"
        << "VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" << "VARCHAR(20) COLLATE utf8mb4_bin" << false;
    QTest::newRow("postgresql: collation not extracted") << "postgresql"
        << "VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" << "VARCHAR(20) COLLATE latin1_bin" << false;
}

void tst_MySqlCorrections::typeSynonyms()
{
    QFETCH(QString, dialect);
    QFETCH(QString, database);
    QFETCH(QString, model);
    QFETCH(bool, differ);
    QCOMPARE(TypeComparator::differ(column(QStringLiteral("c"), database), column(QStringLiteral("c"), model), dialect),
             differ);
}

void tst_MySqlCorrections::serverDefaults_data()
{
    QTest::addColumn<QString>("affinity");
    QTest::addColumn<bool>("primaryKey");
    QTest::addColumn<QString>("conn");    // "<none>" = no default
    QTest::addColumn<QString>("meta");
    QTest::addColumn<bool>("differ");
    QTest::newRow("integer, quoted reflection") << "Integer" << false << "'1'" << "1" << false;
    QTest::newRow("integer, other value") << "Integer" << false << "'1'" << "2" << true;
    QTest::newRow("boolean false renders as false") << "Integer" << false << "0" << "false" << true;
    QTest::newRow("implicit 0 on a primary key") << "Integer" << true << "'0'" << "<none>" << false;
    QTest::newRow("implicit 0 elsewhere") << "Integer" << false << "'0'" << "<none>" << true;
    QTest::newRow("function vs keyword") << "DateTime" << false << "current_timestamp()" << "CURRENT_TIMESTAMP" << false;
    QTest::newRow("now() vs CURRENT_TIMESTAMP") << "DateTime" << false << "current_timestamp()" << "now()" << true;
    QTest::newRow("on update on both sides") << "DateTime" << false
        << "current_timestamp() ON UPDATE current_timestamp()" << "CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP" << false;
    QTest::newRow("on update only reflected") << "DateTime" << false
        << "current_timestamp() ON UPDATE current_timestamp()" << "CURRENT_TIMESTAMP" << true;
    QTest::newRow("numeric scale") << "Numeric" << false << "0.00" << "0" << true;
    QTest::newRow("none on either side") << "String" << false << "<none>" << "'x'" << true;
}

void tst_MySqlCorrections::serverDefaults()
{
    QFETCH(QString, affinity);
    QFETCH(bool, primaryKey);
    QFETCH(QString, conn);
    QFETCH(QString, meta);
    QFETCH(bool, differ);
    const SchemaColumn c = column(QStringLiteral("c"), QStringLiteral("X"), affinity);
    ServerDefaultComparator::Sides s;
    s.conn = &c;
    s.meta = &c;
    s.connInPrimaryKey = primaryKey;
    auto opt = [](const QString &v) { return v == QLatin1String("<none>") ? std::nullopt : std::optional<QString>(v); };
    s.connDefault = opt(conn);
    s.metaDefault = opt(meta);
    QCOMPARE(ServerDefaultComparator::differ(QStringLiteral("mariadb"), s), differ);
}

QTEST_APPLESS_MAIN(tst_MySqlCorrections)
#include "tst_mysqlcorrections.moc"
