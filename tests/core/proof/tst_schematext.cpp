// SchemaText: a whole schema as text (`schema dump --at`) and the difference between two
// (`diff REV1 REV2`, `verify`'s findings), on hand-built models.

#include "proof/schematext.h"

#include <QtTest>

using namespace retort;

namespace {

SchemaColumn column(const QString &name, const QString &type, bool nullable = true)
{
    SchemaColumn c;
    c.name = name;
    c.type = type;
    c.nullable = nullable;
    return c;
}

SchemaTable table(const QString &name, const QStringList &columns)
{
    SchemaTable t;
    t.name = name;
    for (const QString &c : columns)
        t.columns << column(c, QStringLiteral("INTEGER"));
    return t;
}

// A model from a compact description: tables "name:col,col", "ENUM name:a,b", "VIEW name".
SchemaModel model(const QStringList &objects)
{
    SchemaModel m;
    SchemaNamespace &ns = m.schema(QString());
    for (const QString &o : objects) {
        if (o.startsWith(QLatin1String("ENUM "))) {
            SchemaEnum e;
            e.name = o.mid(5).section(QLatin1Char(':'), 0, 0);
            e.labels = o.section(QLatin1Char(':'), 1).split(QLatin1Char(','));
            ns.enums << e;
        } else if (o.startsWith(QLatin1String("VIEW "))) {
            ns.views << o.mid(5);
        } else {
            ns.tables << table(o.section(QLatin1Char(':'), 0, 0), o.section(QLatin1Char(':'), 1).split(QLatin1Char(',')));
        }
    }
    return m;
}

} // namespace

class TestSchemaText : public QObject
{
    Q_OBJECT

private slots:
    void lines();
    void diff_data();
    void diff();
};

void TestSchemaText::lines()
{
    SchemaModel m = model({QStringLiteral("users:id,age"), QStringLiteral("accounts:id"),
                           QStringLiteral("ENUM mood:sad,happy"), QStringLiteral("VIEW recent")});
    m.schemas[0].findTable(QStringLiteral("users"))->columns[0].nullable = false;
    const QStringList expected{
        QStringLiteral("ENUM mood ('sad', 'happy')"),
        QString(),
        QStringLiteral("TABLE accounts"),
        QStringLiteral("    id INTEGER"),
        QString(),
        QStringLiteral("TABLE users"),
        QStringLiteral("    id INTEGER NOT NULL"),
        QStringLiteral("    age INTEGER"),
        QString(),
        QStringLiteral("VIEW recent"),
    };
    QCOMPARE(SchemaText::lines(m), expected);
    QCOMPARE(SchemaText::lines(SchemaModel()), QStringList());
}

void TestSchemaText::diff_data()
{
    QTest::addColumn<QStringList>("before");
    QTest::addColumn<QStringList>("after");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QList<int>>("summary");   // added, removed, changed

    QTest::newRow("same") << QStringList{QStringLiteral("a:id")} << QStringList{QStringLiteral("a:id")}
                          << QStringList() << QList<int>{0, 0, 0};
    QTest::newRow("table gained") << QStringList{QStringLiteral("a:id")}
                                  << QStringList{QStringLiteral("a:id"), QStringLiteral("b:id")}
                                  << QStringList{QStringLiteral("+ TABLE b"), QStringLiteral("+     id INTEGER")}
                                  << QList<int>{1, 0, 0};
    QTest::newRow("table lost") << QStringList{QStringLiteral("a:id"), QStringLiteral("b:id")}
                                << QStringList{QStringLiteral("a:id")}
                                << QStringList{QStringLiteral("- TABLE b"), QStringLiteral("-     id INTEGER")}
                                << QList<int>{0, 1, 0};
    QTest::newRow("column gained") << QStringList{QStringLiteral("a:id")} << QStringList{QStringLiteral("a:id,x")}
                                   << QStringList{QStringLiteral("  TABLE a"), QStringLiteral("      id INTEGER"),
                                                  QStringLiteral("+     x INTEGER")}
                                   << QList<int>{0, 0, 1};
    // A column that moved (a downgrade re-adding it at the end) is not a difference.
    QTest::newRow("column moved") << QStringList{QStringLiteral("a:id,x,y")} << QStringList{QStringLiteral("a:id,y,x")}
                                  << QStringList() << QList<int>{0, 0, 0};
    QTest::newRow("enum and view") << QStringList{QStringLiteral("ENUM m:a"), QStringLiteral("VIEW v")}
                                   << QStringList{QStringLiteral("ENUM m:a,b")}
                                   << QStringList{QStringLiteral("- ENUM m ('a')"), QStringLiteral("+ ENUM m ('a', 'b')"),
                                                  QString(), QStringLiteral("- VIEW v")}
                                   << QList<int>{0, 1, 1};
}

void TestSchemaText::diff()
{
    QFETCH(QStringList, before);
    QFETCH(QStringList, after);
    QFETCH(QStringList, expected);
    QFETCH(QList<int>, summary);
    const SchemaModel a = model(before);
    const SchemaModel b = model(after);
    QCOMPARE(SchemaText::diff(a, b), expected);
    const SchemaText::Summary s = SchemaText::summarize(a, b);
    QCOMPARE((QList<int>{s.added, s.removed, s.changed}), summary);
    QCOMPARE(s.isEmpty(), expected.isEmpty());
}

QTEST_GUILESS_MAIN(TestSchemaText)
#include "tst_schematext.moc"
