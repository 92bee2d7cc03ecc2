// Applied scripts stay as applied, in the studio: the connection's worker audits
// retort_script_checksums against the scripts, and the history model (graph and history
// table) flags each applied revision whose upgrade() changed since it was applied; one
// applied before Retort kept checksums is "no checksum"; a pending revision is never flagged.

#include "connectionbar.h"
#include "historymodel.h"
#include "mainwindow.h"
#include "studiotestutil.h"

#include "config/databaseurl.h"
#include "runtime/databaseconnection.h"
#include "runtime/scriptchecksumtable.h"
#include "script/upgradechecksum.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTest>

using namespace retort;

namespace {

const QString kAccounts = QStringLiteral("3f9a1c2b7d10");   // recorded, unchanged
const QString kProducts = QStringLiteral("8c2e5b4a9f31");   // recorded, script edited since
const QString kOrders = QStringLiteral("d41b7e6c0a25");     // recorded with another checksum
const QString kItems = QStringLiteral("5e07f3d8b6c9");      // current, no checksum
const QString kSku = QStringLiteral("a6d90c13e7f4");        // pending, recorded wrongly

} // namespace

class tst_ScriptChecksumFlags : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void flagsChangedScripts();

private:
    QString versionsFile(const QString &rev) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    QString m_ini;
};

void tst_ScriptChecksumFlags::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(studiotest::copyTree(QStringLiteral(RETORT_DEMO_DIR), m_dir->filePath(QStringLiteral("demo"))));
    m_ini = m_dir->filePath(QStringLiteral("demo/alembic.ini"));
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("studio.ini")), QSettings::IniFormat);
}

QString tst_ScriptChecksumFlags::versionsFile(const QString &rev) const
{
    const QDir dir(m_dir->filePath(QStringLiteral("demo/migrations/versions")));
    const QStringList files = dir.entryList({rev + QStringLiteral("_*.py")});
    return files.isEmpty() ? QString() : dir.filePath(files.first());
}

void tst_ScriptChecksumFlags::flagsChangedScripts()
{
    const QString db = m_dir->filePath(QStringLiteral("demo/demo.db"));
    QVERIFY(studiotest::setVersionRows(db, {kItems}));
    {
        auto conn = DatabaseConnection::open(*DatabaseUrl::parse(QStringLiteral("sqlite:///") + db));
        QVERIFY(conn.ok());
        ScriptChecksumTable table(**conn, VersionTableOptions());
        QVERIFY(table.ensureExists().ok());
        ScriptChecksumChange change;
        for (const QString &rev : {kAccounts, kProducts})
            change.record.insert(rev, *UpgradeChecksum::ofFile(versionsFile(rev)));
        change.record.insert(kOrders, QString(64, QLatin1Char('0')));
        change.record.insert(kSku, QString(64, QLatin1Char('0')));
        QVERIFY(table.apply(change).ok());
    }
    // Edited after it was applied: a new statement in upgrade(); and a comment only elsewhere.
    const QString products = versionsFile(kProducts);
    QFile f(products);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QString text = QString::fromUtf8(f.readAll());
    f.close();
    const int at = text.indexOf(QLatin1String("def upgrade()"));
    QVERIFY(at >= 0);
    const int bodyAt = text.indexOf(QLatin1Char('\n'), at) + 1;
    text.insert(bodyAt, QStringLiteral("    op.execute('SELECT 1')\n"));
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text.toUtf8());
    f.close();
    QFile accounts(versionsFile(kAccounts));
    QVERIFY(accounts.open(QIODevice::Append));
    accounts.write("# reviewed\n");
    accounts.close();

    MainWindow window(*m_settings);
    QSignalSpy audited(window.connectionBar(), &ConnectionBar::scriptChecksumsChanged);
    QSignalSpy logged(window.connectionBar(), &ConnectionBar::logLine);
    QVERIFY(window.openProject(m_ini));
    QVERIFY(audited.count() > 0 || audited.wait(15000));
    // The log dock hears of each changed script.
    QStringList warnings;
    for (const QList<QVariant> &line : logged)
        if (line.first().toString().startsWith(QLatin1String("WARNING [retort.checksum] ")))
            warnings << line.first().toString();
    QCOMPARE(warnings.size(), 2);
    QVERIFY2(warnings.filter(kProducts).size() == 1 && warnings.first().endsWith(QLatin1String("script changed since applied")),
             qPrintable(warnings.join(QLatin1Char('\n'))));
    QStringList changed = window.connectionBar()->changedScripts();
    changed.sort();
    QCOMPARE(changed, (QStringList{kProducts, kOrders}));
    QCOMPARE(window.connectionBar()->unrecordedScripts(), QStringList{kItems});

    HistoryModel *model = window.historyModel();
    auto flags = [&](const QString &rev) { return model->flagsAt(model->rowOf(rev)); };
    QVERIFY(flags(kProducts) & HistoryModel::ChangedSinceApplied);
    QVERIFY(flags(kOrders) & HistoryModel::ChangedSinceApplied);
    QVERIFY(!(flags(kAccounts) & (HistoryModel::ChangedSinceApplied | HistoryModel::NoChecksum)));
    QVERIFY(flags(kItems) & HistoryModel::NoChecksum);
    QVERIFY(!(flags(kItems) & HistoryModel::ChangedSinceApplied));
    QVERIFY(!(flags(kSku) & (HistoryModel::ChangedSinceApplied | HistoryModel::NoChecksum)));   // pending
    const QString shown = model->index(model->rowOf(kProducts), HistoryModel::FlagsColumn).data().toString();
    QVERIFY2(shown.contains(QLatin1String("changed since applied")), qPrintable(shown));
    QVERIFY(model->index(model->rowOf(kProducts), 0).data(Qt::ToolTipRole).toString()
                .contains(QLatin1String("changed since")));
    QVERIFY(model->index(model->rowOf(kItems), HistoryModel::FlagsColumn).data().toString()
                .contains(QLatin1String("no checksum")));

    // The database forgotten: no marks left.
    model->setDatabaseHeads({}, false);
    QVERIFY(!(flags(kProducts) & HistoryModel::ChangedSinceApplied));
}

QTEST_MAIN(tst_ScriptChecksumFlags)
#include "tst_scriptchecksumflags.moc"
