// MySqlTableOptions against SQLAlchemy 1.4's MySQLTableDefinitionParser: the lines and
// options in expected/mysql_reprs.json come from MariaDB's SHOW CREATE TABLE and the
// parser itself (tests/fixtures/autogenerate/expected_mysql_reprs.py).

#include "schema/mysqltableoptions.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace retort;

class tst_MySqlTableOptions : public QObject
{
    Q_OBJECT

private slots:
    void matchesSqlalchemy_data();
    void matchesSqlalchemy();
    void wholeShowCreateTable();
};

void tst_MySqlTableOptions::matchesSqlalchemy_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QJsonObject>("expected");
    QFile f(QStringLiteral(RETORT_FIXTURES_DIR "/autogenerate/expected/mysql_reprs.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonArray cases = QJsonDocument::fromJson(f.readAll()).object()
                                 .value(QStringLiteral("table_options")).toArray();
    QVERIFY(!cases.isEmpty());
    for (const QJsonValue &v : cases) {
        const QString line = v.toObject().value(QStringLiteral("line")).toString();
        QTest::newRow(qPrintable(line.left(60))) << line << v.toObject().value(QStringLiteral("options")).toObject();
    }
    // Hand-written: no options; "=" is optional; auto_increment is not a definition option.
    QTest::newRow("bare") << QStringLiteral(")") << QJsonObject();
    QTest::newRow("spaces") << QStringLiteral(") ENGINE InnoDB AUTO_INCREMENT=3 COMMENT 'a\\\\b'")
                            << QJsonObject{{QStringLiteral("mysql_engine"), QStringLiteral("InnoDB")},
                                           {QStringLiteral("mysql_comment"), QStringLiteral("a\\b")}};
}

void tst_MySqlTableOptions::matchesSqlalchemy()
{
    QFETCH(QString, line);
    QFETCH(QJsonObject, expected);
    QCOMPARE(MySqlTableOptions::parseLine(line), expected);
}

void tst_MySqlTableOptions::wholeShowCreateTable()
{
    const QString text = QStringLiteral("CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  PRIMARY KEY (`id`)\n"
                                        ") ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci");
    const QJsonObject o = MySqlTableOptions::fromShowCreateTable(text);
    QCOMPARE(o.value(QStringLiteral("mysql_engine")).toString(), QStringLiteral("InnoDB"));
    QCOMPARE(o.value(QStringLiteral("mysql_default charset")).toString(), QStringLiteral("latin1"));
    QCOMPARE(o.value(QStringLiteral("mysql_collate")).toString(), QStringLiteral("latin1_swedish_ci"));
    QCOMPARE(o.size(), 3);
}

QTEST_GUILESS_MAIN(tst_MySqlTableOptions)
#include "tst_mysqltableoptions.moc"
