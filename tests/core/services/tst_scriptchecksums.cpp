// ScriptChecksums: what each planned step records or removes (upgrade, downgrade, stamps
// across branches, stamp --purge, dependencies), and the audit of a database against the
// scripts now (changed, not recorded, pending revisions left alone).

#include "services/scriptchecksums.h"

#include "config/databaseurl.h"
#include "revision/migrationplanner.h"
#include "revision/revisiongraph.h"
#include "runtime/databaseconnection.h"
#include "script/upgradechecksum.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

// a -> b -> c (one branch), b -> d (another); e depends on c.
class TestScriptChecksums : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void upgradeAndDowngradeSteps();
    void stampsMoveTheRecord_data();
    void stampsMoveTheRecord();
    void audit();

private:
    void write(const QString &id, const QString &body);
    QString sum(const QString &id) { return *UpgradeChecksum::ofFile(m_dir->filePath(id + QStringLiteral(".py"))); }
    QStringList recordedIds(const ScriptChecksumChange &c) const
    {
        QStringList ids = c.record.keys();
        ids.sort();
        return ids;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    RevisionGraph m_graph;
};

void TestScriptChecksums::write(const QString &id, const QString &body)
{
    QFile f(m_dir->filePath(id + QStringLiteral(".py")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral("def upgrade():\n    %1\n\n\ndef downgrade():\n    pass\n").arg(body).toUtf8());
}

void TestScriptChecksums::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVector<Revision> revs;
    auto add = [&](const QString &id, const QStringList &down, const QStringList &deps = {}) {
        Revision r;
        r.id = id;
        r.downRevisions = down;
        r.dependsOn = deps;
        r.path = m_dir->filePath(id + QStringLiteral(".py"));
        revs << r;
        write(id, QStringLiteral("op.execute('%1')").arg(id));
    };
    add(QStringLiteral("a"), {});
    add(QStringLiteral("b"), {QStringLiteral("a")});
    add(QStringLiteral("c"), {QStringLiteral("b")});
    add(QStringLiteral("d"), {QStringLiteral("b")});
    add(QStringLiteral("e"), {QStringLiteral("d")}, {QStringLiteral("c")});
    auto graph = RevisionGraph::build(revs);
    QVERIFY2(graph.ok(), qPrintable(graph.ok() ? QString() : graph.error().message));
    m_graph = *graph;
}

void TestScriptChecksums::upgradeAndDowngradeSteps()
{
    auto up = MigrationPlanner::upgrade(m_graph, {}, QStringLiteral("c"));
    QVERIFY(up.ok());
    const QVector<ScriptChecksumChange> changes = ScriptChecksums::forPlan(m_graph, *up);
    QCOMPARE(changes.size(), up->steps.size());
    for (int i = 0; i < changes.size(); ++i) {
        const QString rev = up->steps.at(i).revision;
        QCOMPARE(changes.at(i).record, (QHash<QString, QString>{{rev, sum(rev)}}));
        QVERIFY(changes.at(i).remove.isEmpty());
    }
    auto down = MigrationPlanner::downgrade(m_graph, {QStringLiteral("c")}, QStringLiteral("a"));
    QVERIFY(down.ok());
    const QVector<ScriptChecksumChange> back = ScriptChecksums::forPlan(m_graph, *down);
    QCOMPARE(back.size(), 2);
    QCOMPARE(back.at(0).remove, QStringList{QStringLiteral("c")});
    QCOMPARE(back.at(1).remove, QStringList{QStringLiteral("b")});
    QVERIFY(back.at(0).record.isEmpty());
}

void TestScriptChecksums::stampsMoveTheRecord_data()
{
    QTest::addColumn<QStringList>("from");
    QTest::addColumn<QStringList>("to");
    QTest::addColumn<bool>("purge");
    QTest::addColumn<QStringList>("recorded");
    QTest::addColumn<QStringList>("removed");
    const auto l = [](const char *s) { return QString::fromLatin1(s).split(QLatin1Char(','), Qt::SkipEmptyParts); };
    QTest::newRow("base to c") << QStringList() << l("c") << false << l("a,b,c") << QStringList();
    // Alembic's stamp adds d as a second head beside c (no shared lineage to replace).
    QTest::newRow("c to d (across branches)") << l("c") << l("d") << false << l("d") << QStringList();
    QTest::newRow("d to e (pulls in its dependency c)") << l("d") << l("e") << false << l("c,e") << QStringList();
    QTest::newRow("c back to a") << l("c") << l("a") << false << QStringList() << l("b,c");
    QTest::newRow("purge: every applied revision again") << l("c") << l("c") << true << l("a,b,c") << QStringList();
}

void TestScriptChecksums::stampsMoveTheRecord()
{
    QFETCH(QStringList, from);
    QFETCH(QStringList, to);
    QFETCH(bool, purge);
    QFETCH(QStringList, recorded);
    QFETCH(QStringList, removed);
    auto plan = MigrationPlanner::stamp(m_graph, from, to, purge);
    QVERIFY2(plan.ok(), qPrintable(plan.ok() ? QString() : plan.error().message));
    QStringList gotRecorded;
    QStringList gotRemoved;
    for (const ScriptChecksumChange &c : ScriptChecksums::forPlan(m_graph, *plan)) {
        gotRecorded << recordedIds(c);
        gotRemoved << c.remove;
        for (auto it = c.record.cbegin(); it != c.record.cend(); ++it)
            QCOMPARE(it.value(), sum(it.key()));   // the script as it is now
    }
    gotRecorded.sort();
    gotRemoved.sort();
    QCOMPARE(gotRecorded, recorded);
    QCOMPARE(gotRemoved, removed);
}

void TestScriptChecksums::audit()
{
    auto conn = DatabaseConnection::open(*DatabaseUrl::parse(QStringLiteral("sqlite:///") + m_dir->filePath(QStringLiteral("t.db"))));
    QVERIFY(conn.ok());
    VersionTableOptions vt;
    // No table at all: every applied revision is "not recorded".
    auto none = ScriptChecksums::audit(**conn, vt, m_graph, {QStringLiteral("c")});
    QVERIFY(none.ok());
    QCOMPARE(none->size(), 3);
    for (const ChecksumFinding &f : *none)
        QCOMPARE(f.kind, ChecksumFinding::NotRecorded);

    ScriptChecksumTable table(**conn, vt);
    QVERIFY(table.ensureExists().ok());
    ScriptChecksumChange change;
    for (const char *id : {"a", "b", "c", "d"})
        change.record.insert(QString::fromLatin1(id), sum(QString::fromLatin1(id)));
    QVERIFY(table.apply(change).ok());
    QVERIFY(ScriptChecksums::audit(**conn, vt, m_graph, {QStringLiteral("c")})->isEmpty());

    write(QStringLiteral("b"), QStringLiteral("op.execute('b2')"));
    write(QStringLiteral("d"), QStringLiteral("op.execute('d2')"));   // not applied at c: not reported
    write(QStringLiteral("a"), QStringLiteral("op.execute('a')  # a comment only"));
    auto found = ScriptChecksums::audit(**conn, vt, m_graph, {QStringLiteral("c")});
    QVERIFY(found.ok());
    QCOMPARE(found->size(), 1);
    QCOMPARE(found->at(0).revision, QStringLiteral("b"));
    QCOMPARE(found->at(0).kind, ChecksumFinding::Changed);
    QCOMPARE(found->at(0).message(), QStringLiteral("b (%1): script changed since applied").arg(found->at(0).path));
    // At e: d changed, e applied without a record (c is e's dependency, recorded).
    found = ScriptChecksums::audit(**conn, vt, m_graph, {QStringLiteral("e")});
    QVERIFY(found.ok());
    QStringList got;
    for (const ChecksumFinding &f : *found)
        got << f.revision + (f.kind == ChecksumFinding::Changed ? QStringLiteral(":changed") : QStringLiteral(":none"));
    got.sort();
    QCOMPARE(got, (QStringList{QStringLiteral("b:changed"), QStringLiteral("d:changed"), QStringLiteral("e:none")}));
}

QTEST_GUILESS_MAIN(TestScriptChecksums)
#include "tst_scriptchecksums.moc"
