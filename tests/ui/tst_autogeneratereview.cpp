// The Autogenerate review: the model's checkboxes, red destructive rows and "Treat as
// rename" on hand-made ops, then the view end to end on a copy of the blog fixture
// against an older SQLite database (models loaded by /usr/bin/python3's Alembic).

#include "autogeneratereviewmodel.h"
#include "autogeneratereviewview.h"
#include "connectionbar.h"
#include "mainwindow.h"
#include "projectdocument.h"
#include "scripteditorview.h"
#include "studioactions.h"
#include "studiodocks.h"
#include "uitestsupport.h"

#include <QAction>
#include <QColor>
#include <QLineEdit>
#include <QDockWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTreeView>
#include <QUuid>
#include <QtTest>

using namespace retort;
using namespace retort::test;

using Paths = QList<QList<int>>;

class TestAutogenerateReview : public QObject
{
    Q_OBJECT

private slots:
    // The blog env.py reads -x arguments: MigrationEnvironment runs it with the reference
    // Python (python3 on PATH may lack Alembic).
    void initTestCase() { qputenv("RETORT_PYTHON", "/usr/bin/python3"); }
    void checkboxes_data();
    void checkboxes();
    void destructiveRowsAreRed();
    void treatAsRename();
    void compareAndCreateRevision();
    void loaderFailureIsShown();
    void studioOpensTheNewRevision();
};

namespace {

AutogenOp columnOp(AutogenOp::Kind kind, const QString &table, const QString &column)
{
    AutogenOp op;
    op.kind = kind;
    op.table = table;
    op.column.table = table;
    op.column.column.name = column;
    op.column.column.type = QStringLiteral("VARCHAR(50)");
    op.column.column.nullable = true;
    return op;
}

// add_table tags; users {remove users.name (destructive, maybe fullname), add users.fullname, add users.age}
AutogenOps sampleOps()
{
    AutogenOp tags;
    tags.kind = AutogenOp::CreateTable;
    tags.table = QStringLiteral("tags");
    AutogenOp users;
    users.kind = AutogenOp::ModifyTable;
    users.table = QStringLiteral("users");
    AutogenOp drop = columnOp(AutogenOp::DropColumn, QStringLiteral("users"), QStringLiteral("name"));
    drop.safety = OpSafety::Destructive;
    drop.reason = QStringLiteral("drops column users.name: 3 rows have a value");
    drop.possibleRename = true;
    drop.renameCounterpart = QStringLiteral("fullname");
    AutogenOp add = columnOp(AutogenOp::AddColumn, QStringLiteral("users"), QStringLiteral("fullname"));
    add.possibleRename = true;
    add.renameCounterpart = QStringLiteral("name");
    add.reason = QStringLiteral("possibly a rename of name");
    users.ops << drop << add << columnOp(AutogenOp::AddColumn, QStringLiteral("users"), QStringLiteral("age"));
    return {tags, users};
}

QModelIndex child(const AutogenerateReviewModel &model, int parent, int row, int column = 0)
{
    return model.index(row, column, model.index(parent, 0));
}

QStringList describeAll(const AutogenOps &ops)
{
    QStringList out;
    for (const AutogenOp &op : ops) {
        out << op.describe();
        for (const AutogenOp &sub : op.ops)
            out << QStringLiteral("  ") + sub.describe();
    }
    return out;
}

// Runs the SQL file's statements on a new SQLite database.
bool buildDatabase(const QString &dbPath, const QString &sqlFile, const QStringList &extra)
{
    QFile f(sqlFile);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    QStringList statements;
    for (const QString &stmt : QString::fromUtf8(f.readAll()).split(QLatin1Char(';'))) {
        QStringList lines;
        for (const QString &l : stmt.split(QLatin1Char('\n')))
            if (!l.trimmed().startsWith(QLatin1String("--")))
                lines << l;
        if (!lines.join(QLatin1Char('\n')).trimmed().isEmpty())
            statements << lines.join(QLatin1Char('\n'));
    }
    statements << extra;
    const QString name = QUuid::createUuid().toString();
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(dbPath);
        ok = db.open();
        QSqlQuery q(db);
        for (const QString &s : statements)
            ok = ok && q.exec(s);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

// A copy of the blog project (sqlite:///blog.db, relative: run from its folder as the
// studio does) with the older database and two posts that have an editor.
MigrationProjectSpec blogProject(QTemporaryDir &dir)
{
    const QString project = dir.filePath(QStringLiteral("blog"));
    MigrationProjectSpec spec;
    if (!copyTree(QStringLiteral(RETORT_FIXTURES_DIR "/autogenerate/blog"), project)
        || !QDir().mkpath(project + QStringLiteral("/migrations/versions"))
        || !buildDatabase(project + QStringLiteral("/blog.db"),
                          QStringLiteral(RETORT_FIXTURES_DIR "/autogenerate/blog_older_schema.sql"),
                          {QStringLiteral("INSERT INTO authors VALUES (1, 'ann', 'Ann')"),
                           QStringLiteral("INSERT INTO posts VALUES (1, 1, 1, 'a', 'a', NULL)"),
                           QStringLiteral("INSERT INTO posts VALUES (2, 1, 1, 'b', 'b', NULL)")})
        || !QDir::setCurrent(project))
        return spec;
    spec.iniPath = project + QStringLiteral("/alembic.ini");
    return spec;
}

QModelIndex findChange(const AutogenerateReviewModel &model, const QString &text)
{
    const QModelIndexList hits = model.match(model.index(0, 0), Qt::DisplayRole, text, 1,
                                             Qt::MatchExactly | Qt::MatchRecursive);
    return hits.value(0);
}

bool hasPython()
{
    return QFileInfo::exists(QStringLiteral("/usr/bin/python3"));
}

} // namespace

void TestAutogenerateReview::checkboxes_data()
{
    QTest::addColumn<Paths>("toggle");                  // clicked in this order
    QTest::addColumn<Qt::CheckState>("tableState");     // the users row
    QTest::addColumn<int>("checked");                   // leaf ops kept
    QTest::addColumn<QStringList>("kept");

    const QString tags = QStringLiteral("add_table tags");
    const QString users = QStringLiteral("modify_table users");
    const QString name = QStringLiteral("  remove_column users.name");
    const QString fullname = QStringLiteral("  add_column users.fullname");
    const QString age = QStringLiteral("  add_column users.age");

    QTest::newRow("all checked") << Paths{} << Qt::Checked << 4
                                 << QStringList{tags, users, name, fullname, age};
    QTest::newRow("one op of the table") << Paths{{1, 0}} << Qt::PartiallyChecked << 3
                                         << QStringList{tags, users, fullname, age};
    QTest::newRow("table off") << Paths{{1}} << Qt::Unchecked << 1 << QStringList{tags};
    QTest::newRow("each op of the table off") << Paths{{1, 0}, {1, 1}, {1, 2}} << Qt::Unchecked << 1
                                              << QStringList{tags};
    QTest::newRow("partial table checked again") << Paths{{1, 0}, {1}} << Qt::Checked << 4
                                                 << QStringList{tags, users, name, fullname, age};
    QTest::newRow("table off and on again") << Paths{{1, 0}, {1}, {1}, {1}} << Qt::Checked << 4
                                            << QStringList{tags, users, name, fullname, age};
    QTest::newRow("new table off") << Paths{{0}} << Qt::Checked << 3
                                   << QStringList{users, name, fullname, age};
}

void TestAutogenerateReview::checkboxes()
{
    QFETCH(Paths, toggle);
    QFETCH(Qt::CheckState, tableState);
    QFETCH(int, checked);
    QFETCH(QStringList, kept);

    AutogenerateReviewModel model;
    model.setOps(sampleOps());
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowCount(model.index(1, 0)), 3);
    QCOMPARE(model.changeCount(), 4);
    QVERIFY(model.flags(child(model, 1, 0)) & Qt::ItemIsUserCheckable);
    QVERIFY(!(model.flags(child(model, 1, 0, AutogenerateReviewModel::ReviewColumn)) & Qt::ItemIsUserCheckable));

    QSignalSpy changed(&model, &AutogenerateReviewModel::checkedChanged);
    for (const QList<int> &path : toggle) {
        const QModelIndex index = path.size() == 1 ? model.index(path.first(), 0) : child(model, path.at(0), path.at(1));
        const auto state = index.data(Qt::CheckStateRole).value<Qt::CheckState>();
        QVERIFY(model.setData(index, state == Qt::Checked ? Qt::Unchecked : Qt::Checked, Qt::CheckStateRole));
    }
    QCOMPARE(changed.count(), toggle.size());
    QCOMPARE(model.index(1, 0).data(Qt::CheckStateRole).value<Qt::CheckState>(), tableState);
    QCOMPARE(model.checkedCount(), checked);
    QCOMPARE(describeAll(model.checkedOps()), kept);
}

void TestAutogenerateReview::destructiveRowsAreRed()
{
    AutogenerateReviewModel model;
    model.setOps(sampleOps());
    const QModelIndex drop = child(model, 1, 0);
    const QModelIndex add = child(model, 1, 2);
    QCOMPARE(drop.data().toString(), QStringLiteral("remove_column users.name"));
    QVERIFY(drop.data(Qt::ForegroundRole).value<QColor>().red() > 150);
    QVERIFY(!add.data(Qt::ForegroundRole).isValid());
    QVERIFY(drop.data(AutogenerateReviewModel::DestructiveRole).toBool());
    QVERIFY(!add.data(AutogenerateReviewModel::DestructiveRole).toBool());
    // The reviewer's reason with the row count, in its column and the tool tip.
    QCOMPARE(drop.siblingAtColumn(AutogenerateReviewModel::ReviewColumn).data().toString(),
             QStringLiteral("drops column users.name: 3 rows have a value"));
    QVERIFY(drop.data(Qt::ToolTipRole).toString().contains(QLatin1String("3 rows have a value")));
    // The table holding it is red too, and says how many of its ops are destructive.
    QVERIFY(model.index(1, 0).data(AutogenerateReviewModel::DestructiveRole).toBool());
    QCOMPARE(model.index(1, AutogenerateReviewModel::ReviewColumn).data().toString(),
             QStringLiteral("1 destructive change"));
    QVERIFY(!model.index(0, 0).data(AutogenerateReviewModel::DestructiveRole).toBool());
}

void TestAutogenerateReview::treatAsRename()
{
    AutogenerateReviewModel model;
    model.setOps(sampleOps());
    QVERIFY(model.canTreatAsRename(child(model, 1, 1)));
    QVERIFY(!model.canTreatAsRename(child(model, 1, 2)));
    QVERIFY(!model.treatAsRename(child(model, 1, 2)).ok());
    QCOMPARE(child(model, 1, 1).data(AutogenerateReviewModel::RenameCounterpartRole).toString(), QStringLiteral("name"));
    // Another op unchecked first keeps its state across the rename.
    QVERIFY(model.setData(model.index(0, 0), Qt::Unchecked, Qt::CheckStateRole));

    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    const VoidResult renamed = model.treatAsRename(child(model, 1, 1));
    QVERIFY2(renamed.ok(), qPrintable(renamed.error().toString()));
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(model.index(1, 0)), 2);
    const QModelIndex rename = findChange(model, QStringLiteral("modify_column users.name (rename to fullname)"));
    QVERIFY(rename.isValid());
    QVERIFY(!rename.data(AutogenerateReviewModel::PossibleRenameRole).toBool());
    QCOMPARE(model.index(0, 0).data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Unchecked);
    QCOMPARE(describeAll(model.checkedOps()),
             (QStringList{QStringLiteral("modify_table users"),
                          QStringLiteral("  modify_column users.name (rename to fullname)"),
                          QStringLiteral("  add_column users.age")}));
}

void TestAutogenerateReview::compareAndCreateRevision()
{
    if (!hasPython())
        QSKIP("needs /usr/bin/python3 with Alembic");
    QTemporaryDir dir;
    const MigrationProjectSpec spec = blogProject(dir);
    QVERIFY(!spec.iniPath.isEmpty());
    AutogenerateReviewView view;
    view.setPython(QStringLiteral("/usr/bin/python3"));
    view.setProject(spec);
    QVERIFY(!view.createAction()->isEnabled());

    QSignalSpy compared(&view, &AutogenerateReviewView::comparisonFinished);
    view.compareAction()->trigger();
    QVERIFY(view.isComparing());
    QVERIFY(!view.compareAction()->isEnabled());
    QVERIFY(compared.wait(120000));
    QVERIFY2(compared.first().first().toBool(), qPrintable(view.statusText()));
    QVERIFY2(view.statusText().contains(QLatin1String("Discovered 3 tables in models.content")),
             qPrintable(view.statusText()));

    AutogenerateReviewModel *model = view.model();
    QStringList top;
    for (int row = 0; row < model->rowCount(); ++row)
        top << model->index(row, 0).data().toString();
    QCOMPARE(top, (QStringList{QStringLiteral("add_table audit_log"), QStringLiteral("remove_table old_audit"),
                               QStringLiteral("authors (3 changes)"), QStringLiteral("posts (8 changes)")}));
    // Counted in the live database: both posts have an editor.
    const QModelIndex editor = findChange(*model, QStringLiteral("remove_column posts.editor_id"));
    QVERIFY(editor.isValid());
    QVERIFY(editor.data(AutogenerateReviewModel::DestructiveRole).toBool());
    QCOMPARE(editor.siblingAtColumn(AutogenerateReviewModel::ReviewColumn).data().toString(),
             QStringLiteral("drops column posts.editor_id: 2 rows have a value"));
    QVERIFY(model->index(1, 0).data(AutogenerateReviewModel::PossibleRenameRole).toBool());

    // Keep editor_id; take authors.name -> display_name as a rename.
    QVERIFY(model->setData(editor, Qt::Unchecked, Qt::CheckStateRole));
    const QModelIndex display = findChange(*model, QStringLiteral("add_column authors.display_name"));
    QVERIFY(display.isValid());
    view.tree()->setCurrentIndex(display);
    QVERIFY(view.renameAction()->isEnabled());
    view.renameAction()->trigger();
    QVERIFY(findChange(*model, QStringLiteral("modify_column authors.name (rename to display_name)")).isValid());
    QCOMPARE(model->index(3, 0).data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::PartiallyChecked);

    QSignalSpy open(&view, &AutogenerateReviewView::openScriptRequested);
    QSignalSpy written(&view, &AutogenerateReviewView::revisionWritten);
    view.messageEdit()->setText(QStringLiteral("reviewed changes"));
    QVERIFY(view.createAction()->isEnabled());
    view.createAction()->trigger();
    QCOMPARE(open.count(), 1);
    QCOMPARE(written.count(), 1);
    const QString path = open.first().first().toString();
    QVERIFY2(path.startsWith(QDir(spec.iniPath + QStringLiteral("/../migrations/versions")).canonicalPath()),
             qPrintable(path));
    QVERIFY(path.endsWith(QLatin1String("_reviewed_changes.py")));
    QFile script(path);
    QVERIFY(script.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(script.readAll());
    QVERIFY(text.contains(QLatin1String("\"\"\"reviewed changes")));
    QVERIFY(text.contains(QLatin1String("op.drop_table('old_audit')")));
    QVERIFY(text.contains(QLatin1String("op.drop_constraint('fk_posts_editor_id_authors', 'posts', type_='foreignkey')")));
    QVERIFY2(!text.contains(QLatin1String("op.drop_column('posts', 'editor_id')")), qPrintable(text));
    QVERIFY2(!text.contains(QLatin1String("op.drop_column('authors', 'name')")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("new_column_name='display_name'")), qPrintable(text));
    // The comparison is used up: no second revision from it.
    QCOMPARE(model->rowCount(), 0);
    QVERIFY(!view.createAction()->isEnabled());
}

void TestAutogenerateReview::loaderFailureIsShown()
{
    if (!hasPython())
        QSKIP("needs /usr/bin/python3 with Alembic");
    QTemporaryDir dir;
    const MigrationProjectSpec spec = blogProject(dir);
    QVERIFY(!spec.iniPath.isEmpty());
    // The models package cannot be imported any more.
    QVERIFY(QFile::rename(dir.filePath(QStringLiteral("blog/models")), dir.filePath(QStringLiteral("blog/gone"))));
    AutogenerateReviewView view;
    view.setPython(QStringLiteral("/usr/bin/python3"));
    view.setProject(spec);
    QSignalSpy compared(&view, &AutogenerateReviewView::comparisonFinished);
    view.compare();
    QVERIFY(compared.wait(120000));
    QVERIFY(!compared.first().first().toBool());
    QVERIFY2(view.statusText().startsWith(QLatin1String("Comparison failed:")), qPrintable(view.statusText()));
    QVERIFY2(view.statusText().contains(QLatin1String("models")), qPrintable(view.statusText()));
    QCOMPARE(view.model()->rowCount(), 0);
    QVERIFY(!view.createAction()->isEnabled());
}

// Through the shell: the action brings the dock up, the written revision joins the
// project's graph and opens in the script editor.
void TestAutogenerateReview::studioOpensTheNewRevision()
{
    if (!hasPython())
        QSKIP("needs /usr/bin/python3 with Alembic");
    QTemporaryDir dir;
    const MigrationProjectSpec spec = blogProject(dir);
    QVERIFY(!spec.iniPath.isEmpty());
    QSettings settings(dir.filePath(QStringLiteral("studio.ini")), QSettings::IniFormat);
    MainWindow window(settings);
    window.show();
    QSignalSpy connected(window.connectionBar(), &ConnectionBar::finished);
    QVERIFY(window.openProject(spec.iniPath));
    QVERIFY(connected.count() > 0 || connected.wait(15000));
    QVERIFY(window.actions()->autogenerate->isEnabled());
    window.actions()->autogenerate->trigger();
    AutogenerateReviewView *view = window.docks()->autogenerate();
    auto *dock = qobject_cast<QDockWidget *>(view->parentWidget());
    QVERIFY(dock);
    QCOMPARE(dock->objectName(), QStringLiteral("autogenerateDock"));
    QVERIFY(dock->isVisible());

    QSignalSpy compared(view, &AutogenerateReviewView::comparisonFinished);
    view->compare();
    QVERIFY(compared.wait(120000));
    QVERIFY2(compared.first().first().toBool(), qPrintable(view->statusText()));
    QVERIFY(window.document()->graph().heads().isEmpty());
    view->messageEdit()->setText(QStringLiteral("from the studio"));
    view->createRevision();
    const QStringList heads = window.document()->graph().heads();
    QCOMPARE(heads.size(), 1);
    const QString path = window.document()->scriptPath(heads.first());
    QVERIFY(path.endsWith(QLatin1String("_from_the_studio.py")));
    QCOMPARE(QFileInfo(window.docks()->script()->filePath()).canonicalFilePath(),
             QFileInfo(path).canonicalFilePath());
}

QTEST_MAIN(TestAutogenerateReview)
#include "tst_autogeneratereview.moc"
