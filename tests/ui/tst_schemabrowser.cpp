// SchemaBrowserView on a SQLite database with known tables, indexes, constraints and row
// counts: read in a worker thread through core's introspector, shown as a tree, filtered;
// a missing database file is not created; an unreadable database is a banner.

#include "historyview.h"
#include "runtime/databaseconnection.h"
#include "schemabrowserview.h"
#include "schematreemodel.h"
#include "studiodocks.h"
#include "uitestsupport.h"

#include <QDockWidget>
#include <QMainWindow>

#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace retort;
using namespace retort::test;

class TestSchemaBrowser : public QObject
{
    Q_OBJECT

private slots:
    void tablesColumnsIndexesConstraints();
    void rowCounts_data();
    void rowCounts();
    void filter();
    void refreshAfterChange();
    void missingFileIsNotCreated();
    void errorIsABanner();
    void treeModelColumns();
    void studioDockReadsOnHeads();
    void servers_data();
    void servers();
};

namespace {

struct Fixture
{
    QTemporaryDir dir;
    MigrationProjectSpec spec;
    QString dbPath;

    Fixture()
    {
        if (!copyTree(QStringLiteral(RETORT_DEMO_DIR), dir.filePath(QStringLiteral("demo"))))
            return;
        QDir::setCurrent(dir.filePath(QStringLiteral("demo")));   // script_location is relative
        dbPath = dir.filePath(QStringLiteral("shop.db"));
        spec.iniPath = dir.filePath(QStringLiteral("demo/alembic.ini"));
        spec.urlOverride = QStringLiteral("sqlite:///") + dbPath;
    }

    bool create()
    {
        auto conn = DatabaseConnection::openUrl(spec.urlOverride);
        if (!conn)
            return false;
        const QStringList statements{
            QStringLiteral("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                           "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"),
            QStringLiteral("INSERT INTO alembic_version VALUES ('8c2e5b4a9f31')"),
            QStringLiteral("CREATE TABLE accounts (id INTEGER NOT NULL, email VARCHAR(255) NOT NULL, "
                           "status VARCHAR(16) DEFAULT 'active', PRIMARY KEY (id), "
                           "CONSTRAINT uq_accounts_email UNIQUE (email))"),
            // One clause a line, as SQLAlchemy writes it (its CHECK reflection reads lines).
            QStringLiteral("CREATE TABLE orders (\n id INTEGER NOT NULL PRIMARY KEY,\n account_id INTEGER NOT NULL,\n"
                           " total_cents INTEGER,\n CONSTRAINT ck_orders_total CHECK (total_cents >= 0),\n"
                           " CONSTRAINT fk_orders_account FOREIGN KEY (account_id) REFERENCES accounts (id)"
                           " ON DELETE CASCADE\n)"),
            QStringLiteral("CREATE INDEX ix_orders_account_id ON orders (account_id)"),
            QStringLiteral("INSERT INTO accounts (id, email) VALUES (1, 'a@x'), (2, 'b@x'), (3, 'c@x')"),
            QStringLiteral("INSERT INTO orders (id, account_id, total_cents) VALUES (1, 1, 100), (2, 3, 250)"),
        };
        for (const QString &sql : statements)
            if (!(*conn)->exec(sql))
                return false;
        return true;
    }
};

bool load(SchemaBrowserView &view)
{
    QSignalSpy loaded(&view, &SchemaBrowserView::loaded);
    view.refresh();
    if (!view.isLoading())
        return false;   // the read runs in a worker thread
    const bool ok = loaded.wait(20000) && loaded.first().first().toBool();
    if (!ok)
        qWarning("%s", qPrintable(view.errorText()));
    return ok;
}

// "name | detail" of every child of `parent` (source model).
QStringList childRows(const QStandardItemModel &model, const QModelIndex &parent)
{
    QStringList out;
    for (int r = 0; r < model.rowCount(parent); ++r)
        out << model.index(r, 0, parent).data().toString() + QStringLiteral(" | ")
                   + model.index(r, 1, parent).data().toString();
    return out;
}

QModelIndex group(const QStandardItemModel &model, const QModelIndex &table, const QString &kind)
{
    for (int r = 0; r < model.rowCount(table); ++r) {
        const QModelIndex i = model.index(r, 0, table);
        if (i.data(SchemaTreeModel::KindRole).toString() == kind)
            return i;
    }
    return {};
}

} // namespace

void TestSchemaBrowser::tablesColumnsIndexesConstraints()
{
    Fixture f;
    QVERIFY(f.create());
    SchemaBrowserView view;
    view.setProject(f.spec);
    QVERIFY(load(view));
    QVERIFY2(view.errorText().isEmpty(), qPrintable(view.errorText()));
    const SchemaTreeModel &m = *view.model();
    QCOMPARE(m.tableCount(), 3);
    QVERIFY(view.statusText().contains(QLatin1String("3 table(s)")));
    QVERIFY(m.tableIndex(QStringLiteral("alembic_version")).isValid());   // what a run touches too

    const QModelIndex accounts = m.tableIndex(QStringLiteral("accounts"));
    QVERIFY(accounts.isValid());
    QCOMPARE(childRows(m, group(m, accounts, QStringLiteral("columns"))),
             (QStringList{QStringLiteral("id | INTEGER NOT NULL"), QStringLiteral("email | VARCHAR(255) NOT NULL"),
                          QStringLiteral("status | VARCHAR(16) NULL, DEFAULT 'active'")}));
    const QStringList accountConstraints = childRows(m, group(m, accounts, QStringLiteral("constraints")));
    QVERIFY2(accountConstraints.contains(QStringLiteral("(unnamed) | PRIMARY KEY (id)")), qPrintable(accountConstraints.join('\n')));
    QVERIFY(accountConstraints.contains(QStringLiteral("uq_accounts_email | UNIQUE (email)")));

    const QModelIndex orders = m.tableIndex(QStringLiteral("orders"));
    QCOMPARE(childRows(m, group(m, orders, QStringLiteral("indexes"))),
             QStringList{QStringLiteral("ix_orders_account_id | (account_id)")});
    const QStringList orderConstraints = childRows(m, group(m, orders, QStringLiteral("constraints")));
    QVERIFY2(orderConstraints.contains(QStringLiteral("fk_orders_account | FOREIGN KEY (account_id) REFERENCES accounts(id) ON DELETE CASCADE")),
             qPrintable(orderConstraints.join('\n')));
    QVERIFY2(orderConstraints.contains(QStringLiteral("ck_orders_total | CHECK (total_cents >= 0)")), qPrintable(orderConstraints.join(QLatin1Char('\n'))));
    QVERIFY(group(m, orders, QStringLiteral("columns")).data().toString().endsWith(QLatin1String("(3)")));
}

void TestSchemaBrowser::rowCounts_data()
{
    QTest::addColumn<QString>("table");
    QTest::addColumn<qint64>("rows");
    QTest::newRow("accounts") << "accounts" << qint64(3);
    QTest::newRow("orders") << "orders" << qint64(2);
    QTest::newRow("version table") << "alembic_version" << qint64(1);
}

void TestSchemaBrowser::rowCounts()
{
    QFETCH(QString, table);
    QFETCH(qint64, rows);
    Fixture f;
    QVERIFY(f.create());
    SchemaBrowserView view;
    view.setProject(f.spec);
    QVERIFY(load(view));
    const QModelIndex t = view.model()->tableIndex(table);
    QVERIFY(t.isValid());
    const QModelIndex count = t.siblingAtColumn(SchemaTreeModel::RowsColumn);
    QCOMPARE(count.data(Qt::UserRole).toLongLong(), rows);
    QCOMPARE(count.data().toString(), QString::number(rows));
}

void TestSchemaBrowser::filter()
{
    Fixture f;
    QVERIFY(f.create());
    SchemaBrowserView view;
    view.setProject(f.spec);
    QVERIFY(load(view));
    QSortFilterProxyModel *proxy = view.proxy();
    QCOMPARE(proxy->rowCount(), 3);
    // A column's name keeps its table (and only that table).
    view.setFilterText(QStringLiteral("TOTAL_CENTS"));
    QCOMPARE(proxy->rowCount(), 1);
    QCOMPARE(proxy->index(0, 0).data().toString(), QStringLiteral("orders"));
    // A table's name keeps all of it.
    view.setFilterText(QStringLiteral("accounts"));
    QCOMPARE(proxy->rowCount(), 1);
    QVERIFY(proxy->rowCount(proxy->index(0, 0)) >= 2);   // columns, constraints
    // Group nodes ("Columns (3)") are not names.
    view.setFilterText(QStringLiteral("Columns"));
    QCOMPARE(proxy->rowCount(), 0);
    // Through the filter box.
    view.findChild<QLineEdit *>(QStringLiteral("filter"))->setText(QStringLiteral("ix_orders"));
    QCOMPARE(proxy->rowCount(), 1);
    view.setFilterText(QString());
    QCOMPARE(proxy->rowCount(), 3);
}

void TestSchemaBrowser::refreshAfterChange()
{
    Fixture f;
    QVERIFY(f.create());
    SchemaBrowserView view;
    view.setProject(f.spec);
    QVERIFY(load(view));
    QCOMPARE(view.model()->tableCount(), 3);
    {
        auto conn = DatabaseConnection::openUrl(f.spec.urlOverride);
        QVERIFY(conn);
        QVERIFY((*conn)->exec(QStringLiteral("CREATE TABLE products (id INTEGER PRIMARY KEY)")));
        QVERIFY((*conn)->exec(QStringLiteral("INSERT INTO accounts (id, email) VALUES (4, 'd@x')")));
    }
    QVERIFY(load(view));
    QCOMPARE(view.model()->tableCount(), 4);
    QCOMPARE(view.model()->tableIndex(QStringLiteral("accounts")).siblingAtColumn(SchemaTreeModel::RowsColumn)
                 .data(Qt::UserRole).toLongLong(), 4);
    // Another project: nothing of the old database stays.
    view.setProject({});
    QCOMPARE(view.model()->rowCount(), 0);
}

void TestSchemaBrowser::missingFileIsNotCreated()
{
    Fixture f;
    SchemaBrowserView view;
    view.setProject(f.spec);
    QVERIFY(load(view));
    QCOMPARE(view.model()->rowCount(), 0);
    QVERIFY2(view.statusText().contains(QLatin1String("does not exist yet")), qPrintable(view.statusText()));
    QVERIFY(!QFileInfo::exists(f.dbPath));
}

void TestSchemaBrowser::errorIsABanner()
{
    Fixture f;
    QVERIFY(writeFile(f.dbPath, "this is not a database, just text long enough to be read as a header......"));
    SchemaBrowserView view;
    view.setProject(f.spec);
    QSignalSpy loaded(&view, &SchemaBrowserView::loaded);
    view.refresh();
    QVERIFY(loaded.wait(20000));
    QCOMPARE(loaded.first().first().toBool(), false);
    QVERIFY(!view.errorText().isEmpty());
    QCOMPARE(view.model()->rowCount(), 0);
}

void TestSchemaBrowser::treeModelColumns()
{
    SchemaColumn c;
    c.name = QStringLiteral("n");
    c.type = QStringLiteral("NUMERIC(10, 2)");
    c.nullable = false;
    c.serverDefault = QStringLiteral("0");
    QCOMPARE(SchemaTreeModel::columnDetail(c), QStringLiteral("NUMERIC(10, 2) NOT NULL, DEFAULT 0"));
    SchemaSnapshot s;
    SchemaNamespace &other = s.model.schema(QStringLiteral("audit"));
    SchemaTable t;
    t.name = QStringLiteral("log");
    other.tables << t;
    SchemaTreeModel model;
    model.setSnapshot(s);
    QCOMPARE(model.tableCount(), 1);
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("audit"));   // a named schema's node
    QCOMPARE(model.tableIndex(QStringLiteral("audit.log")).parent(), model.index(0, 0));
    QCOMPARE(model.tableIndex(QStringLiteral("audit.log")).siblingAtColumn(SchemaTreeModel::RowsColumn).data().toString(),
             QStringLiteral("?"));
}

// The studio's Schema dock is read when the shell reports the database's heads (after a
// connect and after every run), not when the project is merely set; a hidden dock (closed
// or behind another tab) waits until it is shown.
void TestSchemaBrowser::studioDockReadsOnHeads()
{
    Fixture f;
    QVERIFY(f.create());
    QMainWindow window;
    StudioDocks docks(&window, new HistoryView);
    const QList<QDockWidget *> all = docks.docks();
    const auto dock = std::find_if(all.begin(), all.end(), [](QDockWidget *d) {
        return d->objectName() == QLatin1String("schemaDock");
    });
    QVERIFY(dock != all.end());
    QCOMPARE((*dock)->widget(), docks.schema());
    window.show();
    (*dock)->raise();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(docks.schema()->isVisible());
    docks.setProject(f.spec);
    QVERIFY(!docks.schema()->isLoading());
    QSignalSpy loaded(docks.schema(), &SchemaBrowserView::loaded);
    docks.setCurrentHeads({QStringLiteral("8c2e5b4a9f31")});
    QVERIFY(loaded.wait(20000));
    QCOMPARE(docks.schema()->model()->tableCount(), 3);

    // Closed, it is read when it is shown again, not before.
    {
        auto conn = DatabaseConnection::openUrl(f.spec.urlOverride);
        QVERIFY(conn);
        QVERIFY((*conn)->exec(QStringLiteral("CREATE TABLE products (id INTEGER PRIMARY KEY)")));
    }
    (*dock)->hide();
    QVERIFY(!docks.schema()->isVisible());
    docks.setCurrentHeads({QStringLiteral("a6d90c13e7f4")});
    QVERIFY(!docks.schema()->isLoading());
    (*dock)->show();
    QVERIFY(loaded.wait(20000));
    QCOMPARE(docks.schema()->model()->tableCount(), 4);
}

void TestSchemaBrowser::servers_data()
{
    QTest::addColumn<QString>("envVar");   // the server's URL (tests/scripts/dbservers.sh)
    QTest::newRow("postgresql") << QStringLiteral("RETORT_TEST_PG_URL");
    QTest::newRow("mysql") << QStringLiteral("RETORT_TEST_MYSQL_URL");
}

// The same on the servers: tables named for this process in the default schema, so a
// database shared with other tests does not matter.
void TestSchemaBrowser::servers()
{
    QFETCH(QString, envVar);
    const QString url = qEnvironmentVariable(qPrintable(envVar));
    if (url.isEmpty())
        QSKIP(qPrintable(envVar + QStringLiteral(" not set")));
    Fixture f;
    f.spec.urlOverride = url;
    auto conn = DatabaseConnection::openUrl(url);
    QVERIFY2(conn.ok(), qPrintable(conn.error().message));
    DatabaseConnection &c = **conn;
    const QString parent = QStringLiteral("sb%1_parent").arg(QCoreApplication::applicationPid());
    const QString child = QStringLiteral("sb%1_child").arg(QCoreApplication::applicationPid());
    const auto dropAll = [&] {
        (void)c.exec(QStringLiteral("DROP TABLE IF EXISTS %1").arg(child));
        (void)c.exec(QStringLiteral("DROP TABLE IF EXISTS %1").arg(parent));
    };
    dropAll();
    QVERIFY(c.exec(QStringLiteral("CREATE TABLE %1 (id INTEGER NOT NULL PRIMARY KEY, code VARCHAR(10) NOT NULL, "
                                  "CONSTRAINT uq_%1_code UNIQUE (code))").arg(parent)).ok());
    QVERIFY(c.exec(QStringLiteral("CREATE TABLE %1 (id INTEGER NOT NULL PRIMARY KEY, parent_id INTEGER, "
                                  "CONSTRAINT fk_%1_parent FOREIGN KEY (parent_id) REFERENCES %2 (id))").arg(child, parent)).ok());
    QVERIFY(c.exec(QStringLiteral("CREATE INDEX ix_%1_parent ON %1 (parent_id)").arg(child)).ok());
    QVERIFY(c.exec(QStringLiteral("INSERT INTO %1 (id, code) VALUES (1, 'a'), (2, 'b')").arg(parent)).ok());
    QVERIFY(c.exec(QStringLiteral("INSERT INTO %1 (id, parent_id) VALUES (1, 1), (2, 1), (3, 2)").arg(child)).ok());

    SchemaBrowserView view;
    view.setProject(f.spec);
    const bool ok = load(view);
    const SchemaTreeModel &m = *view.model();
    const QModelIndex p = m.tableIndex(parent);
    const QModelIndex ch = m.tableIndex(child);
    const QStringList childConstraints = childRows(m, group(m, ch, QStringLiteral("constraints")));
    const QStringList childIndexes = childRows(m, group(m, ch, QStringLiteral("indexes")));
    const QStringList parentConstraints = childRows(m, group(m, p, QStringLiteral("constraints")));
    dropAll();
    QVERIFY(ok);
    QVERIFY(p.isValid() && ch.isValid());
    QCOMPARE(p.siblingAtColumn(SchemaTreeModel::RowsColumn).data(Qt::UserRole).toLongLong(), 2);
    QCOMPARE(ch.siblingAtColumn(SchemaTreeModel::RowsColumn).data(Qt::UserRole).toLongLong(), 3);
    QVERIFY2(childConstraints.contains(QStringLiteral("fk_%1_parent | FOREIGN KEY (parent_id) REFERENCES %2(id)").arg(child, parent)),
             qPrintable(childConstraints.join(QLatin1Char('\n'))));
    QVERIFY2(childIndexes.contains(QStringLiteral("ix_%1_parent | (parent_id)").arg(child)), qPrintable(childIndexes.join(QLatin1Char('\n'))));
    QVERIFY2(parentConstraints.contains(QStringLiteral("uq_%1_code | UNIQUE (code)").arg(parent)),
             qPrintable(parentConstraints.join(QLatin1Char('\n'))));
}

QTEST_MAIN(TestSchemaBrowser)
#include "tst_schemabrowser.moc"
