// SchemaComparator and DiffReviewer beyond the rendered-text comparisons of
// tst_migrationscriptrenderer: impl.compare_type semantics (expected values from
// Alembic 1.8.1's DefaultImpl.compare_type), filters, the version table, and the review
// (possible renames, destructive ops, row counts).

#include "autogeneratetestsupport.h"

#include "autogenerate/diffreviewer.h"
#include "autogenerate/modelloader.h"
#include "autogenerate/schemacomparator.h"

#include <QtTest>

using namespace retort;
using namespace retort::test;

class tst_SchemaComparator : public QObject
{
    Q_OBJECT

private slots:
    void typesDiffer_data();
    void typesDiffer();
    void compareTypeOffByDefault();
    void includeNameFilter();
    void versionTableIgnored();
    void reviewFlagsRenamesAndDrops();
    void reviewNarrowingAndNotNull();
    void reverseAlterSwapsValues();

private:
    struct Sides { LoadedModels models; SchemaModel db; };
    static Sides blog();
};

tst_SchemaComparator::Sides tst_SchemaComparator::blog()
{
    Sides s;
    s.models = *ModelLoader::parse(readText(autogenFixture(QStringLiteral("blog_models.json"))).toUtf8());
    s.db = *SchemaModel::fromJsonFile(autogenFixture(QStringLiteral("blog_older_db.schema.json")));
    return s;
}

static SchemaColumn column(const QString &type)
{
    SchemaColumn c;
    c.name = QStringLiteral("c");
    c.type = type;
    return c;
}

void tst_SchemaComparator::typesDiffer_data()
{
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("differ");
    QTest::newRow("length") << "VARCHAR(30)" << "VARCHAR(50)" << true;
    QTest::newRow("same") << "VARCHAR(50)" << "VARCHAR(50)" << false;
    QTest::newRow("numeric/decimal synonyms") << "NUMERIC(10, 2)" << "DECIMAL(10, 2)" << false;
    QTest::newRow("precision") << "NUMERIC(10, 2)" << "NUMERIC(12, 2)" << true;
    QTest::newRow("integer/bigint") << "INTEGER" << "BIGINT" << true;
    QTest::newRow("varchar/text") << "VARCHAR(50)" << "TEXT" << true;
    QTest::newRow("timezone") << "TIMESTAMP WITHOUT TIME ZONE" << "TIMESTAMP WITH TIME ZONE" << true;
    QTest::newRow("collation on one side") << "VARCHAR(20) COLLATE \"C\"" << "VARCHAR(20)" << false;
    QTest::newRow("unsigned on one side") << "INTEGER UNSIGNED" << "INTEGER" << false;
}

void tst_SchemaComparator::typesDiffer()
{
    QFETCH(QString, database);
    QFETCH(QString, model);
    QFETCH(bool, differ);
    QCOMPARE(SchemaComparator::typesDiffer(column(database), column(model)), differ);
}

void tst_SchemaComparator::compareTypeOffByDefault()
{
    auto models = ModelLoader::parse(readText(autogenFixture(QStringLiteral("shop_models.json"))).toUtf8());
    auto db = SchemaModel::fromJsonFile(autogenFixture(QStringLiteral("older_db.schema.json")));
    QVERIFY(models && db);
    auto countTypeChanges = [](const SchemaDiff &d) {
        int n = 0;
        for (const AutogenOp &op : d.flattened())
            n += op.kind == AutogenOp::AlterColumn && op.modifyType.has_value();
        return n;
    };
    QCOMPARE(countTypeChanges(SchemaComparator(models->schema, &models->hints, *db).compare()), 0);
    CompareOptions o;
    o.compareType = true;
    QCOMPARE(countTypeChanges(SchemaComparator(models->schema, &models->hints, *db, o).compare()), 2);
}

void tst_SchemaComparator::includeNameFilter()
{
    Sides s = blog();
    CompareOptions o;
    // include_name: leave the old_audit table and the posts.editor_id column alone.
    o.includeName = [](const FilterTarget &t) {
        return !(t.type == QLatin1String("table") && t.name == QLatin1String("old_audit"))
               && !(t.type == QLatin1String("column") && t.name == QLatin1String("editor_id"));
    };
    const SchemaDiff d = SchemaComparator(s.models.schema, &s.models.hints, s.db, o).compare();
    QStringList described;
    for (const AutogenOp &op : d.flattened())
        described << op.describe();
    QVERIFY(!described.contains(QStringLiteral("remove_table old_audit")));
    QVERIFY(!described.contains(QStringLiteral("remove_column posts.editor_id")));
    QVERIFY(described.contains(QStringLiteral("add_table audit_log")));
}

void tst_SchemaComparator::versionTableIgnored()
{
    Sides s = blog();
    SchemaTable version;
    version.name = QStringLiteral("alembic_version");
    s.db.schema(QString()).tables.append(version);
    const SchemaDiff d = SchemaComparator(s.models.schema, &s.models.hints, s.db).compare();
    for (const AutogenOp &op : d.upgradeOps)
        QVERIFY(op.table != QLatin1String("alembic_version"));
}

void tst_SchemaComparator::reviewFlagsRenamesAndDrops()
{
    Sides s = blog();
    SchemaDiff d = SchemaComparator(s.models.schema, &s.models.hints, s.db).compare();
    QStringList asked;
    DiffReviewer::review(d.upgradeOps, [&](const QString &, const QString &table, const QString &col,
                                           const QString &cond) -> std::optional<qint64> {
        asked << QStringLiteral("%1.%2 %3").arg(table, col, cond).trimmed();
        return 7;
    });
    const QVector<AutogenOp> ops = d.flattened();
    auto find = [&](const QString &description) -> const AutogenOp * {
        for (const AutogenOp &op : ops)
            if (op.describe() == description)
                return &op;
        return nullptr;
    };
    const AutogenOp *dropName = find(QStringLiteral("remove_column authors.name"));
    const AutogenOp *addDisplay = find(QStringLiteral("add_column authors.display_name"));
    QVERIFY(dropName && addDisplay);
    QVERIFY(dropName->possibleRename && addDisplay->possibleRename);
    QCOMPARE(dropName->renameCounterpart, QStringLiteral("display_name"));
    QCOMPARE(dropName->safety, OpSafety::Destructive);
    QCOMPARE(dropName->reason, QStringLiteral("drops column authors.name: 7 rows have a value; "
                                              "possibly a rename to display_name"));
    // display_name is NOT NULL without a server default: fails on a non-empty table.
    QCOMPARE(addDisplay->safety, OpSafety::Destructive);

    const AutogenOp *dropTable = find(QStringLiteral("remove_table old_audit"));
    QVERIFY(dropTable);
    QVERIFY(dropTable->possibleRename);
    QCOMPARE(dropTable->renameCounterpart, QStringLiteral("audit_log"));
    QCOMPARE(dropTable->reason, QStringLiteral("drops table old_audit: 7 rows; possibly a rename to audit_log"));
    QVERIFY(find(QStringLiteral("add_table audit_log"))->possibleRename);

    // editor_id is nullable INTEGER, not a rename of the NOT NULL Boolean 'published'.
    const AutogenOp *dropEditor = find(QStringLiteral("remove_column posts.editor_id"));
    QVERIFY(dropEditor && !dropEditor->possibleRename);
    QCOMPARE(find(QStringLiteral("add_index ix_posts_slug on posts"))->safety, OpSafety::Safe);
    QVERIFY(asked.contains(QStringLiteral("old_audit.")));
    QVERIFY(asked.contains(QStringLiteral("authors.name IS NOT NULL")));
}

void tst_SchemaComparator::reviewNarrowingAndNotNull()
{
    auto models = ModelLoader::parse(readText(autogenFixture(QStringLiteral("shop_models.json"))).toUtf8());
    auto db = SchemaModel::fromJsonFile(autogenFixture(QStringLiteral("older_db.schema.json")));
    QVERIFY(models && db);
    CompareOptions o;
    o.compareType = true;
    SchemaDiff d = SchemaComparator(models->schema, &models->hints, *db, o).compare();
    DiffReviewer::review(d.upgradeOps);
    for (const AutogenOp &op : d.flattened()) {
        if (op.describe().startsWith(QLatin1String("modify_column users.name"))) {
            // VARCHAR(30) -> VARCHAR(50) widens; NOT NULL is what makes it destructive.
            QCOMPARE(op.safety, OpSafety::Destructive);
            QCOMPARE(op.reason, QStringLiteral("NOT NULL on users.name: fails if any row is NULL"));
        }
        if (op.describe().startsWith(QLatin1String("modify_column orders.total")))
            QCOMPARE(op.safety, OpSafety::Safe);   // NUMERIC(10, 2) -> NUMERIC(12, 2)
    }
    SchemaColumn from = column(QStringLiteral("VARCHAR(50)"));
    from.typeInfo.affinity = QStringLiteral("String");
    from.typeInfo.length = 50;
    SchemaColumn to = from;
    to.typeInfo.length = 20;
    QVERIFY(DiffReviewer::isNarrowing(from, to));
    QVERIFY(!DiffReviewer::isNarrowing(to, from));
    to.typeInfo.affinity = QStringLiteral("Integer");
    QVERIFY(DiffReviewer::isNarrowing(from, to));
}

void tst_SchemaComparator::reverseAlterSwapsValues()
{
    AutogenOp alter;
    alter.kind = AutogenOp::AlterColumn;
    alter.table = QStringLiteral("t");
    alter.columnName = QStringLiteral("c");
    alter.existingNullable = true;
    alter.modifyNullable = false;
    alter.modifiesComment = true;
    alter.existingComment = QStringLiteral("old");
    alter.modifyComment = QStringLiteral("new");
    const AutogenOp r = alter.reversed();
    QCOMPARE(r.modifyNullable, std::optional<bool>(true));
    QCOMPARE(r.existingNullable, std::optional<bool>(false));
    QCOMPARE(r.modifyComment, std::optional<QString>(QStringLiteral("old")));
    QCOMPARE(r.existingComment, std::optional<QString>(QStringLiteral("new")));
}

QTEST_GUILESS_MAIN(tst_SchemaComparator)
#include "tst_schemacomparator.moc"
