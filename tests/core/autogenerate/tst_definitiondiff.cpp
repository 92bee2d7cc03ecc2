// The autogenerate review's side-by-side diff in core: LineDiff's alignment, the table
// listing (TableDefinitionText) and which tables DefinitionDiff lists for a comparison.

#include "autogenerate/definitiondiff.h"
#include "autogenerate/linediff.h"
#include "autogenerate/tabledefinitiontext.h"

#include <QtTest>

using namespace retort;

Q_DECLARE_METATYPE(retort::SchemaTable)

class TestDefinitionDiff : public QObject
{
    Q_OBJECT

private slots:
    void lineDiff_data();
    void lineDiff();
    void sideBySidePairsChanges();
    void largeInputsStayLinear();
    void listing_data();
    void listing();
    void columnOrder_data();
    void columnOrder();
    void tables();
    void tableRows();
    void wholeSchema();
};

namespace {

SchemaColumn column(const QString &name, const QString &type, bool nullable = true)
{
    SchemaColumn c;
    c.name = name;
    c.type = type;
    c.nullable = nullable;
    return c;
}

// posts(id, title, author_id -> authors.id) with an index on title.
SchemaTable posts()
{
    SchemaTable t;
    t.name = QStringLiteral("posts");
    t.columns << column(QStringLiteral("id"), QStringLiteral("INTEGER"), false)
              << column(QStringLiteral("title"), QStringLiteral("VARCHAR(200)"), false)
              << column(QStringLiteral("author_id"), QStringLiteral("INTEGER"));
    t.primaryKey.name = QStringLiteral("posts_pkey");
    t.primaryKey.columns << QStringLiteral("id");
    SchemaForeignKey fk;
    fk.name = QStringLiteral("fk_posts_author");
    fk.columns << QStringLiteral("author_id");
    fk.referredTable = QStringLiteral("authors");
    fk.referredColumns << QStringLiteral("id");
    fk.onDelete = QStringLiteral("cascade");
    t.foreignKeys << fk;
    SchemaIndex ix;
    ix.name = QStringLiteral("ix_posts_title");
    ix.columns << QStringLiteral("title");
    ix.isExpression << false;
    t.indexes << ix;
    return t;
}

SchemaTable table(const QString &name, const QVector<SchemaColumn> &columns)
{
    SchemaTable t;
    t.name = name;
    t.columns = columns;
    return t;
}

QStringList names(const QVector<const SchemaColumn *> &columns)
{
    QStringList out;
    for (const SchemaColumn *c : columns)
        out << c->name;
    return out;
}

QStringList split(const QString &s)
{
    return s.isEmpty() ? QStringList() : s.split(QLatin1Char(' '));
}

} // namespace

void TestDefinitionDiff::lineDiff_data()
{
    QTest::addColumn<QString>("left");     // lines separated by spaces
    QTest::addColumn<QString>("right");
    QTest::addColumn<QString>("script");   // compute(): = same, - removed, + added
    QTest::addColumn<QString>("paired");   // sideBySide(): ~ changed

    QTest::newRow("equal") << "a b c" << "a b c" << "===" << "===";
    QTest::newRow("both empty") << "" << "" << "" << "";
    QTest::newRow("all added") << "" << "a b" << "++" << "++";
    QTest::newRow("all removed") << "a b" << "" << "--" << "--";
    QTest::newRow("one changed in the middle") << "a b c" << "a x c" << "=-+=" << "=~=";
    QTest::newRow("inserted") << "a c" << "a b c" << "=+=" << "=+=";
    QTest::newRow("deleted") << "a b c" << "a c" << "=-=" << "=-=";
    QTest::newRow("two removed one added") << "a b c d" << "a x d" << "=--+=" << "=~-=";
    QTest::newRow("one removed two added") << "a b d" << "a x y d" << "=-++=" << "=~+=";
    QTest::newRow("moved line") << "a b c d" << "a c d b" << "=-==+" << "=-==+";
    QTest::newRow("separate hunks") << "a b c d e" << "a B c d E" << "=-+==-+" << "=~==~";
    QTest::newRow("repeated lines") << "x x y" << "x y y" << "=-+=" << "=~=";
    QTest::newRow("duplicate lines kept apart") << "a x b x" << "a b x" << "=-==" << "=-==";
}

void TestDefinitionDiff::lineDiff()
{
    QFETCH(QString, left);
    QFETCH(QString, right);
    QFETCH(QString, script);
    QFETCH(QString, paired);

    const QStringList a = split(left);
    const QStringList b = split(right);
    const LineDiff::Rows rows = LineDiff::compute(a, b);
    QCOMPARE(LineDiff::signature(rows), script);
    // Every line of each side appears once, in order, with its number.
    QStringList gotLeft, gotRight;
    for (const LineDiff::Row &row : rows) {
        if (row.hasLeft()) {
            QCOMPARE(row.leftLine, int(gotLeft.size()));
            gotLeft << row.left;
        }
        if (row.hasRight()) {
            QCOMPARE(row.rightLine, int(gotRight.size()));
            gotRight << row.right;
        }
        if (row.kind == LineDiff::Same)
            QCOMPARE(row.left, row.right);
    }
    QCOMPARE(gotLeft, a);
    QCOMPARE(gotRight, b);

    const LineDiff::Rows side = LineDiff::sideBySide(a, b);
    QCOMPARE(LineDiff::signature(side), paired);
    gotLeft.clear();
    gotRight.clear();
    for (const LineDiff::Row &row : side) {
        if (row.hasLeft())
            gotLeft << row.left;
        if (row.hasRight())
            gotRight << row.right;
    }
    QCOMPARE(gotLeft, a);
    QCOMPARE(gotRight, b);
}

void TestDefinitionDiff::sideBySidePairsChanges()
{
    const LineDiff::Rows rows = LineDiff::sideBySide({QStringLiteral("id INTEGER"), QStringLiteral("name TEXT")},
                                                     {QStringLiteral("id INTEGER"), QStringLiteral("name VARCHAR(50)")});
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.at(1), (LineDiff::Row{LineDiff::Changed, QStringLiteral("name TEXT"),
                                        QStringLiteral("name VARCHAR(50)"), 1, 1}));
}

// Beyond the LCS table's budget the middle is removed-then-added, still complete.
void TestDefinitionDiff::largeInputsStayLinear()
{
    QStringList a, b;
    for (int i = 0; i < 3000; ++i) {
        a << QStringLiteral("a%1").arg(i);
        b << QStringLiteral("b%1").arg(i);
    }
    a.prepend(QStringLiteral("same"));
    b.prepend(QStringLiteral("same"));
    const LineDiff::Rows rows = LineDiff::compute(a, b);
    QCOMPARE(rows.size(), 6001);
    QCOMPARE(rows.first().kind, LineDiff::Same);
    QCOMPARE(rows.at(1).kind, LineDiff::Removed);
    QCOMPARE(rows.last().kind, LineDiff::Added);
}

void TestDefinitionDiff::listing_data()
{
    QTest::addColumn<SchemaTable>("table");
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QStringList>("lines");

    QTest::newRow("posts") << posts() << QString()
                           << QStringList{QStringLiteral("TABLE posts"),
                                          QStringLiteral("    id INTEGER NOT NULL"),
                                          QStringLiteral("    title VARCHAR(200) NOT NULL"),
                                          QStringLiteral("    author_id INTEGER"),
                                          QStringLiteral("    PRIMARY KEY (id)"),
                                          QStringLiteral("    FOREIGN KEY fk_posts_author (author_id) REFERENCES authors (id) ON DELETE CASCADE"),
                                          QStringLiteral("    INDEX ix_posts_title (title)")};

    SchemaTable full = table(QStringLiteral("t"), {column(QStringLiteral("n"), QStringLiteral("INTEGER"), false)});
    full.columns[0].serverDefault = QStringLiteral("0");
    full.columns[0].comment = QStringLiteral("it's n");
    full.columns << column(QStringLiteral("g"), QStringLiteral("INTEGER"));
    full.columns[1].computed = SchemaComputed{QStringLiteral("n * 2"), true};
    full.columns << column(QStringLiteral("i"), QStringLiteral("BIGINT"), false);
    full.columns[2].identity = SchemaIdentity{};
    // Out of name order on purpose: the listing sorts them.
    full.uniqueConstraints << SchemaUniqueConstraint{QString(), {QStringLiteral("g")}, {}}
                           << SchemaUniqueConstraint{QStringLiteral("uq_t_n"), {QStringLiteral("n"), QStringLiteral("g")}, {}};
    SchemaIndex partial;
    partial.name = QStringLiteral("ix_t_lower");
    partial.unique = true;
    partial.columns << QStringLiteral("lower(x)") << QStringLiteral("n");
    partial.isExpression << true << false;
    partial.where = QStringLiteral("n > 0");
    SchemaIndex backing;   // MySQL / PostgreSQL report the unique constraint's index too
    backing.name = QStringLiteral("uq_t_n");
    backing.unique = true;
    backing.columns << QStringLiteral("n") << QStringLiteral("g");
    backing.isExpression << false << false;
    backing.duplicatesConstraint = QStringLiteral("uq_t_n");
    full.indexes << backing << partial;
    full.checkConstraints << SchemaCheckConstraint{QStringLiteral("ck_z"), QStringLiteral("n < 10")}
                          << SchemaCheckConstraint{QStringLiteral("ck_a"), QStringLiteral("n >= 0")};
    full.comment = QStringLiteral("numbers");
    QTest::newRow("everything, in another schema")
        << full << QStringLiteral("app")
        << QStringList{QStringLiteral("TABLE app.t"),
                       QStringLiteral("    n INTEGER NOT NULL DEFAULT 0 COMMENT 'it''s n'"),
                       QStringLiteral("    g INTEGER GENERATED ALWAYS AS (n * 2) STORED"),
                       QStringLiteral("    i BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY"),
                       QStringLiteral("    UNIQUE uq_t_n (n, g)"),
                       QStringLiteral("    UNIQUE (g)"),
                       QStringLiteral("    UNIQUE INDEX ix_t_lower ((lower(x)), n) WHERE n > 0"),
                       QStringLiteral("    CHECK ck_a (n >= 0)"),
                       QStringLiteral("    CHECK ck_z (n < 10)"),
                       QStringLiteral("    COMMENT 'numbers'")};
}

void TestDefinitionDiff::listing()
{
    QFETCH(SchemaTable, table);
    QFETCH(QString, schema);
    QFETCH(QStringList, lines);
    QCOMPARE(TableDefinitionText::lines(table, schema), lines);
}

void TestDefinitionDiff::columnOrder_data()
{
    QTest::addColumn<QStringList>("columns");
    QTest::addColumn<QStringList>("order");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("no order") << QStringList{"c", "a", "b"} << QStringList{} << QStringList{"c", "a", "b"};
    QTest::newRow("same order") << QStringList{"a", "b"} << QStringList{"a", "b"} << QStringList{"a", "b"};
    QTest::newRow("added later at the end") << QStringList{"id", "name", "age"} << QStringList{"id", "age", "name"}
                                            << QStringList{"id", "age", "name"};
    QTest::newRow("extra column stays after its neighbour")
        << QStringList{"id", "old", "name", "age"} << QStringList{"id", "age", "name"}
        << QStringList{"id", "old", "age", "name"};
    QTest::newRow("extra column first") << QStringList{"x", "b", "a"} << QStringList{"a", "b"}
                                        << QStringList{"x", "a", "b"};
}

void TestDefinitionDiff::columnOrder()
{
    QFETCH(QStringList, columns);
    QFETCH(QStringList, order);
    QFETCH(QStringList, expected);
    QVector<SchemaColumn> cols;
    for (const QString &name : columns)
        cols << column(name, QStringLiteral("INTEGER"));
    QCOMPARE(names(TableDefinitionText::ordered(cols, order)), expected);
}

namespace {

// Database: authors, posts (title TEXT), old_audit, alembic_version, hidden.
// Models: authors, posts (title VARCHAR(200), author_id), audit_log.
struct Sides
{
    SchemaModel database;
    SchemaModel models;
};

Sides sides()
{
    Sides s;
    s.database.dialect = QStringLiteral("sqlite");
    s.database.defaultSchemaName = QStringLiteral("main");
    SchemaNamespace &db = s.database.schema(QString());
    SchemaTable dbPosts = table(QStringLiteral("posts"), {column(QStringLiteral("id"), QStringLiteral("INTEGER"), false),
                                                          column(QStringLiteral("title"), QStringLiteral("TEXT"), false)});
    dbPosts.primaryKey.columns << QStringLiteral("id");
    db.tables << table(QStringLiteral("alembic_version"), {column(QStringLiteral("version_num"), QStringLiteral("VARCHAR(32)"), false)})
              << table(QStringLiteral("authors"), {column(QStringLiteral("id"), QStringLiteral("INTEGER"), false)})
              << table(QStringLiteral("hidden"), {column(QStringLiteral("id"), QStringLiteral("INTEGER"), false)})
              << table(QStringLiteral("old_audit"), {column(QStringLiteral("id"), QStringLiteral("INTEGER"), false)})
              << dbPosts;
    // The models name the default schema explicitly: still the same tables.
    SchemaNamespace &meta = s.models.schema(QStringLiteral("main"));
    SchemaTable modelPosts = posts();
    modelPosts.primaryKey.name.clear();
    modelPosts.indexes.clear();
    meta.tables << modelPosts
                << table(QStringLiteral("authors"), {column(QStringLiteral("id"), QStringLiteral("INTEGER"), false)})
                << table(QStringLiteral("audit_log"), {column(QStringLiteral("id"), QStringLiteral("INTEGER"), false)});
    return s;
}

CompareOptions hidingHidden()
{
    CompareOptions options;
    options.includeName = [](const FilterTarget &t) { return t.name != QLatin1String("hidden"); };
    return options;
}

QStringList keys(const QVector<DefinitionDiff::TableKey> &tables)
{
    QStringList out;
    for (const auto &k : tables)
        out << (k.schema.isEmpty() ? k.table : k.schema + QLatin1Char('.') + k.table);
    return out;
}

} // namespace

void TestDefinitionDiff::tables()
{
    const Sides s = sides();
    // The version table is never listed; include_name's rejects are not either.
    QCOMPARE(keys(DefinitionDiff(s.database, s.models, hidingHidden()).tables()),
             (QStringList{"audit_log", "authors", "old_audit", "posts"}));
    QCOMPARE(keys(DefinitionDiff(s.database, s.models).tables()),
             (QStringList{"audit_log", "authors", "hidden", "old_audit", "posts"}));
    const DefinitionDiff diff(s.database, s.models, hidingHidden());
    QVERIFY(diff.databaseTable({QString(), QStringLiteral("posts")}));
    QVERIFY(diff.modelTable({QString(), QStringLiteral("posts")}));
    QVERIFY(!diff.modelTable({QString(), QStringLiteral("old_audit")}));
    QVERIFY(!diff.databaseTable({QString(), QStringLiteral("audit_log")}));
    QVERIFY(!diff.databaseTable({QString(), QStringLiteral("alembic_version")}));
}

void TestDefinitionDiff::tableRows()
{
    const Sides s = sides();
    const DefinitionDiff diff(s.database, s.models);
    const LineDiff::Rows rows = diff.table({QString(), QStringLiteral("posts")});
    QCOMPARE(LineDiff::signature(rows), QStringLiteral("==~+=+"));
    QCOMPARE(rows.at(2).left, QStringLiteral("    title TEXT NOT NULL"));
    QCOMPARE(rows.at(2).right, QStringLiteral("    title VARCHAR(200) NOT NULL"));
    QCOMPARE(rows.at(3).right, QStringLiteral("    author_id INTEGER"));
    QVERIFY(!rows.at(3).hasLeft());
    QCOMPARE(rows.at(5).right,
             QStringLiteral("    FOREIGN KEY fk_posts_author (author_id) REFERENCES authors (id) ON DELETE CASCADE"));
    // A table on one side only: every line added (or removed).
    QCOMPARE(LineDiff::signature(diff.table({QString(), QStringLiteral("audit_log")})), QStringLiteral("++"));
    QCOMPARE(LineDiff::signature(diff.table({QString(), QStringLiteral("old_audit")})), QStringLiteral("--"));
}

void TestDefinitionDiff::wholeSchema()
{
    const Sides s = sides();
    const DefinitionDiff diff(s.database, s.models, hidingHidden());
    const LineDiff::Rows rows = diff.wholeSchema();
    // audit_log (added), authors (same), old_audit (removed), posts; a blank row between.
    QCOMPARE(LineDiff::signature(rows), QStringLiteral("++" "=" "==" "=" "--" "=" "==~+=+"));
    QCOMPARE(rows.at(2).left, QString());
    QVERIFY(!rows.at(2).hasLeft() && !rows.at(2).hasRight());
    QCOMPARE(rows.at(3).left, QStringLiteral("TABLE authors"));
    QCOMPARE(rows.at(6).left, QStringLiteral("TABLE old_audit"));
    QCOMPARE(rows.at(9).right, QStringLiteral("TABLE posts"));
}

QTEST_GUILESS_MAIN(TestDefinitionDiff)
#include "tst_definitiondiff.moc"
