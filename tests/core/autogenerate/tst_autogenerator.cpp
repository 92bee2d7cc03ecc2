// End to end on SQLite: the shop models (loaded through the Python helper) against a
// database built from older_schema.sql and read by SqliteIntrospector; the rendered
// bodies must equal what `alembic revision --autogenerate` wrote (expected/older_db.py).

#include "autogeneratetestsupport.h"

#include "autogenerate/autogenerator.h"
#include "config/databaseurl.h"
#include "runtime/databaseconnection.h"
#include "template/revisionwriter.h"

#include <QDir>
#include <QRegularExpression>

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;
using namespace retort::test;

class tst_Autogenerator : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void olderSqliteDatabase_data();
    void olderSqliteDatabase();
    void checkMessages();
    void wholeScriptThroughRevisionWriter();

private:
    std::unique_ptr<DatabaseConnection> olderDatabase(const QString &dir);
};

void tst_Autogenerator::initTestCase()
{
    if (!QFileInfo::exists(QStringLiteral("/usr/bin/python3")))
        QSKIP("needs /usr/bin/python3 with Alembic 1.8.1");
}

std::unique_ptr<DatabaseConnection> tst_Autogenerator::olderDatabase(const QString &dir)
{
    auto url = DatabaseUrl::parse(QStringLiteral("sqlite:///%1/older.db").arg(dir));
    if (!url)
        return nullptr;
    auto conn = DatabaseConnection::open(*url);
    if (!conn)
        return nullptr;
    const QString sql = readText(autogenFixture(QStringLiteral("older_schema.sql")));
    for (QString stmt : sql.split(QLatin1Char(';'))) {
        QStringList lines;
        for (const QString &l : stmt.split(QLatin1Char('\n')))
            if (!l.trimmed().startsWith(QLatin1String("--")))
                lines << l;
        stmt = lines.join(QLatin1Char('\n')).trimmed();
        if (!stmt.isEmpty() && !(*conn)->exec(stmt))
            return nullptr;
    }
    return std::move(*conn);
}

void tst_Autogenerator::olderSqliteDatabase_data()
{
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QStringList>("x");
    QTest::newRow("defaults") << "older_db" << QStringList();
    QTest::newRow("compare_type from env.py") << "older_db_compare_type" << QStringList{"compare_type=1"};
    QTest::newRow("render_as_batch from env.py") << "older_db_batch" << QStringList{"batch=1"};
}

void tst_Autogenerator::olderSqliteDatabase()
{
    QFETCH(QString, expected);
    QFETCH(QStringList, x);
    QTemporaryDir tmp;
    auto conn = olderDatabase(tmp.path());
    QVERIFY(conn);
    AutogenerateRequest req;
    req.models.python = QStringLiteral("/usr/bin/python3");
    req.models.workingDirectory = autogenFixture(QStringLiteral("shop"));
    req.models.xArguments = x;
    auto r = Autogenerator::run(*conn, req);
    QVERIFY2(r, qPrintable(r.error().toString()));
    const QString script = readText(autogenFixture(QStringLiteral("expected/%1.py").arg(expected)));
    const QStringList wantUp = splitOps(alembicBody(script, QStringLiteral("upgrade")));
    const QStringList gotUp = splitOps(r->rendered.upgrades);
    for (int i = 0; i < std::min(wantUp.size(), gotUp.size()); ++i)
        QCOMPARE(gotUp.at(i), wantUp.at(i));
    QCOMPARE(r->rendered.upgrades, alembicBody(script, QStringLiteral("upgrade")));
    QCOMPARE(r->rendered.downgrades, alembicBody(script, QStringLiteral("downgrade")));

    // The review: legacy_flag and old_audit are drops; users.name gains NOT NULL.
    QVERIFY(r->diff.hasDestructive());
    int destructive = 0;
    for (const AutogenOp &op : r->diff.flattened())
        destructive += op.safety == OpSafety::Destructive;
    QCOMPARE(destructive, 3);
}

void tst_Autogenerator::checkMessages()
{
    SchemaDiff empty;
    QCOMPARE(Autogenerator::checkMessage(empty), QStringLiteral("No new upgrade operations detected."));
    SchemaDiff d;
    AutogenOp add;
    add.kind = AutogenOp::CreateTable;
    add.table = QStringLiteral("t");
    d.upgradeOps << add;
    QCOMPARE(Autogenerator::checkMessage(d), QStringLiteral("New upgrade operations detected:\n  add_table t"));
}

// The rendered bodies through script.py.mako (RevisionWriter): the whole file equals
// Alembic's, Create Date aside.
void tst_Autogenerator::wholeScriptThroughRevisionWriter()
{
    QTemporaryDir tmp;
    const QString project = tmp.filePath(QStringLiteral("shop"));
    QDir().mkpath(project + QStringLiteral("/migrations/versions"));
    for (const QString &f : {QStringLiteral("alembic.ini"), QStringLiteral("migrations/script.py.mako"),
                             QStringLiteral("migrations/env.py")})
        QVERIFY(QFile::copy(autogenFixture(QStringLiteral("shop/") + f), project + QLatin1Char('/') + f));
    QDir().mkpath(project + QStringLiteral("/models"));
    for (const QString &f : QDir(autogenFixture(QStringLiteral("shop/models"))).entryList({QStringLiteral("*.py")}, QDir::Files))
        QVERIFY(QFile::copy(autogenFixture(QStringLiteral("shop/models/") + f), project + QStringLiteral("/models/") + f));

    auto conn = olderDatabase(tmp.path());
    QVERIFY(conn);
    AutogenerateRequest req;
    req.models.workingDirectory = project;
    auto r = Autogenerator::run(*conn, req);
    QVERIFY2(r, qPrintable(r.error().toString()));

    auto config = AlembicConfig::load(project + QStringLiteral("/alembic.ini"), QStringLiteral("alembic"), {}, project);
    QVERIFY(config);
    auto settings = config->scriptSettings();
    QVERIFY2(settings, qPrintable(settings.error().toString()));
    RevisionRequest rr;
    rr.settings = *settings;
    rr.message = QStringLiteral("older_db");
    rr.revId = QStringLiteral("older_db");
    rr.heads = {RevisionParent{}};
    rr.workingDirectory = project;
    rr.templateArgs.insert(QStringLiteral("config"), RevisionWriter::configValue(*config));
    r->rendered.addTo(rr.templateArgs);
    auto written = RevisionWriter::write(rr, [](const Message &) {});
    QVERIFY2(written, qPrintable(written.error().toString()));

    static const QRegularExpression date(QStringLiteral("Create Date: [^\n]*"));
    QString got = readText(written->path);
    QString want = readText(autogenFixture(QStringLiteral("expected/older_db.py")));
    got.replace(date, QStringLiteral("Create Date: <date>"));
    want.replace(date, QStringLiteral("Create Date: <date>"));
    QCOMPARE(got, want);
}

QTEST_GUILESS_MAIN(tst_Autogenerator)
#include "tst_autogenerator.moc"
