// The Autogenerate review: the model's checkboxes, red destructive rows and "Treat as
// rename" on hand-made ops, then the view end to end on a copy of the blog fixture
// against an older SQLite database (models loaded by /usr/bin/python3's Alembic).

#include "autogeneratereviewmodel.h"
#include "autogeneratereviewview.h"
#include "definitiondiffmodel.h"
#include "connectionbar.h"
#include "mainwindow.h"
#include "projectdocument.h"
#include "scripteditorview.h"
#include "studioactions.h"
#include "studiodocks.h"
#include "uitestsupport.h"

#include <QAction>
#include <QColor>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
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
    void diffColours_data();
    void diffColours();
    void compareAndCreateRevision();
    void definitionsSideBySide();
    void scriptPreviewFollowsTheBoxes();
    void nothingTickedIsRefused();
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

// The blog project compared in `view`; false (with the status) when it failed.
bool compareBlog(QTemporaryDir &dir, AutogenerateReviewView &view, MigrationProjectSpec *specOut = nullptr)
{
    const MigrationProjectSpec spec = blogProject(dir);
    if (spec.iniPath.isEmpty())
        return false;
    if (specOut)
        *specOut = spec;
    view.setPython(QStringLiteral("/usr/bin/python3"));
    view.setProject(spec);
    QSignalSpy compared(&view, &AutogenerateReviewView::comparisonFinished);
    view.compare();
    if (!compared.wait(120000) || !compared.first().first().toBool()) {
        qWarning() << view.statusText();
        return false;
    }
    return true;
}

// The rows whose database (left) or models (right) side is `text`.
// One side's lines, for failure messages.
QString side(const DefinitionDiffModel &model, int column)
{
    QStringList lines;
    for (int row = 0; row < model.rowCount(); ++row)
        lines << model.index(row, column).data().toString();
    return lines.join(QLatin1Char('\n'));
}

int findDiffRow(const DefinitionDiffModel &model, int column, const QString &text)
{
    for (int row = 0; row < model.rowCount(); ++row)
        if (model.index(row, column).data().toString() == text)
            return row;
    return -1;
}

QStringList versionScripts(const MigrationProjectSpec &spec)
{
    return QDir(QFileInfo(spec.iniPath).absolutePath() + QStringLiteral("/migrations/versions"))
        .entryList({QStringLiteral("*.py")}, QDir::Files);
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

    // users.name's drop is destructive: it starts unticked.
    QTest::newRow("start: destructive unticked") << Paths{} << Qt::PartiallyChecked << 3
                                                 << QStringList{tags, users, fullname, age};
    QTest::newRow("destructive ticked") << Paths{{1, 0}} << Qt::Checked << 4
                                        << QStringList{tags, users, name, fullname, age};
    QTest::newRow("partial table ticked: all") << Paths{{1}} << Qt::Checked << 4
                                               << QStringList{tags, users, name, fullname, age};
    QTest::newRow("table off") << Paths{{1}, {1}} << Qt::Unchecked << 1 << QStringList{tags};
    QTest::newRow("each op of the table off") << Paths{{1, 1}, {1, 2}} << Qt::Unchecked << 1
                                              << QStringList{tags};
    QTest::newRow("table off and on again") << Paths{{1}, {1}, {1}} << Qt::Checked << 4
                                            << QStringList{tags, users, name, fullname, age};
    QTest::newRow("new table off") << Paths{{0}} << Qt::PartiallyChecked << 2
                                   << QStringList{users, fullname, age};
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
    // Destructive ops start unticked, the others ticked.
    QCOMPARE(drop.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Unchecked);
    QCOMPARE(add.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);
    QCOMPARE(model.index(0, 0).data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);
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


// Removed / added backgrounds are the palette's Base tinted: light on a light palette,
// dark on a dark one, so the palette's Text stays readable on them.
void TestAutogenerateReview::diffColours_data()
{
    QTest::addColumn<QColor>("base");
    QTest::addColumn<QColor>("text");
    QTest::newRow("light") << QColor(Qt::white) << QColor(Qt::black);
    QTest::newRow("dark") << QColor(0x24, 0x24, 0x24) << QColor(0xee, 0xee, 0xee);
}

void TestAutogenerateReview::diffColours()
{
    QFETCH(QColor, base);
    QFETCH(QColor, text);
    QPalette palette;
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::Text, text);
    DefinitionDiffModel model;
    model.setPalette(palette);
    model.setRows(LineDiff::sideBySide({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")},
                                       {QStringLiteral("a"), QStringLiteral("B"), QStringLiteral("c"), QStringLiteral("d")}));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.changedRowCount(), 2);
    QCOMPARE(model.headerData(DefinitionDiffModel::DatabaseColumn, Qt::Horizontal).toString(), QStringLiteral("Database"));
    // a: unmarked; b -> B: both sides marked; d: only the models' side.
    QVERIFY(!model.index(0, 0).data(DefinitionDiffModel::MarkedRole).toBool());
    QVERIFY(!model.index(0, 0).data(Qt::BackgroundRole).isValid());
    QVERIFY(model.index(1, 0).data(DefinitionDiffModel::MarkedRole).toBool());
    QVERIFY(model.index(1, 1).data(DefinitionDiffModel::MarkedRole).toBool());
    QVERIFY(!model.index(3, 0).data(DefinitionDiffModel::MarkedRole).toBool());
    QVERIFY(model.index(3, 1).data(DefinitionDiffModel::MarkedRole).toBool());
    QCOMPARE(model.index(3, 1).data().toString(), QStringLiteral("d"));
    const QColor removed = model.index(1, 0).data(Qt::BackgroundRole).value<QColor>();
    const QColor added = model.index(1, 1).data(Qt::BackgroundRole).value<QColor>();
    QVERIFY(removed.red() > removed.green());
    QVERIFY(added.green() > added.red());
    for (const QColor &c : {removed, added}) {
        // Close to Base's lightness, far from Text's.
        QVERIFY2(qAbs(c.lightness() - base.lightness()) < 90, qPrintable(c.name()));
        QVERIFY2(qAbs(c.lightness() - text.lightness()) > 100, qPrintable(c.name()));
    }
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

    // Destructive: starts unticked (editor_id is kept); take authors.name -> display_name
    // as a rename.
    QCOMPARE(editor.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Unchecked);
    // Dropping old_audit is destructive too: the user ticks it.
    const QModelIndex oldAudit = findChange(*model, QStringLiteral("remove_table old_audit"));
    QVERIFY(oldAudit.data(AutogenerateReviewModel::DestructiveRole).toBool());
    QCOMPARE(oldAudit.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Unchecked);
    QVERIFY(model->setData(oldAudit, Qt::Checked, Qt::CheckStateRole));
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

// The Definitions tab: the whole schema with nothing selected, the selected change's
// table otherwise, database left and models right, changed lines marked.
void TestAutogenerateReview::definitionsSideBySide()
{
    if (!hasPython())
        QSKIP("needs /usr/bin/python3 with Alembic");
    QTemporaryDir dir;
    AutogenerateReviewView view;
    view.resize(600, 700);   // the dock's default width
    view.show();
    QVERIFY(compareBlog(dir, view));
    QCOMPARE(view.tabs()->count(), 2);
    QCOMPARE(view.splitter()->widget(0), view.tree());
    QVERIFY(view.splitter()->sizes().at(1) > 150);
    const DefinitionDiffModel *diff = view.diffModel();
    QCOMPARE(view.diffView()->model(), diff);

    QVERIFY2(view.diffTitle().startsWith(QLatin1String("Whole schema")), qPrintable(view.diffTitle()));
    // New table: models only; dropped table: database only; never the version table.
    const int auditLog = findDiffRow(*diff, DefinitionDiffModel::ModelsColumn, QStringLiteral("TABLE audit_log"));
    QVERIFY(auditLog >= 0);
    QVERIFY(diff->index(auditLog, DefinitionDiffModel::ModelsColumn).data(DefinitionDiffModel::MarkedRole).toBool());
    QCOMPARE(diff->index(auditLog, DefinitionDiffModel::DatabaseColumn).data().toString(), QString());
    const int oldAudit = findDiffRow(*diff, DefinitionDiffModel::DatabaseColumn, QStringLiteral("TABLE old_audit"));
    QVERIFY(oldAudit >= 0);
    QVERIFY(diff->index(oldAudit, DefinitionDiffModel::DatabaseColumn).data(DefinitionDiffModel::MarkedRole).toBool());
    QCOMPARE(findDiffRow(*diff, DefinitionDiffModel::DatabaseColumn, QStringLiteral("TABLE alembic_version")), -1);
    const int authorsRow = findDiffRow(*diff, DefinitionDiffModel::DatabaseColumn, QStringLiteral("TABLE authors"));
    QVERIFY(authorsRow >= 0);
    QVERIFY(!diff->index(authorsRow, 0).data(DefinitionDiffModel::MarkedRole).toBool());

    // Selecting one of posts' changes shows posts.
    const QModelIndex editor = findChange(*view.model(), QStringLiteral("remove_column posts.editor_id"));
    QVERIFY(editor.isValid());
    view.tree()->setCurrentIndex(editor);
    QCOMPARE(view.diffTitle(), QStringLiteral("Table posts: database (left) and models (right)"));
    QCOMPARE(diff->index(0, 0).data().toString(), QStringLiteral("TABLE posts"));
    QCOMPARE(diff->index(0, 1).data().toString(), QStringLiteral("TABLE posts"));
    QVERIFY(!diff->index(0, 0).data(DefinitionDiffModel::MarkedRole).toBool());
    QCOMPARE(findDiffRow(*diff, DefinitionDiffModel::DatabaseColumn, QStringLiteral("TABLE authors")), -1);
    // Only in the database: editor_id and its foreign key, marked on the left.
    for (const QString &line : {QStringLiteral("    editor_id INTEGER"),
                                QStringLiteral("    FOREIGN KEY fk_posts_editor_id_authors (editor_id) REFERENCES authors (id)")}) {
        const int row = findDiffRow(*diff, DefinitionDiffModel::DatabaseColumn, line);
        QVERIFY2(row >= 0, qPrintable(line));
        QVERIFY(diff->index(row, DefinitionDiffModel::DatabaseColumn).data(DefinitionDiffModel::MarkedRole).toBool());
        QCOMPARE(diff->index(row, DefinitionDiffModel::DatabaseColumn).data(Qt::BackgroundRole).value<QColor>(),
                 diff->removedColor());
    }
    // Only in the models: the check constraint, marked on the right.
    const int check = findDiffRow(*diff, DefinitionDiffModel::ModelsColumn,
                                  QStringLiteral("    CHECK ck_posts_title_nonempty (length(title) > 0)"));
    QVERIFY2(check >= 0, qPrintable(side(*diff, DefinitionDiffModel::ModelsColumn)));
    QCOMPARE(diff->index(check, DefinitionDiffModel::ModelsColumn).data(Qt::BackgroundRole).value<QColor>(),
             diff->addedColor());
    // Unchanged columns line up, unmarked.
    const int title = findDiffRow(*diff, DefinitionDiffModel::DatabaseColumn, QStringLiteral("    title VARCHAR(200) NOT NULL"));
    QVERIFY(title >= 0);
    QCOMPARE(diff->index(title, DefinitionDiffModel::ModelsColumn).data().toString(),
             QStringLiteral("    title VARCHAR(200) NOT NULL"));
    QVERIFY(!diff->index(title, 0).data(DefinitionDiffModel::MarkedRole).toBool());

    // A table-level row: authors.
    view.tree()->setCurrentIndex(findChange(*view.model(), QStringLiteral("authors (3 changes)")));
    QCOMPARE(diff->index(0, 0).data().toString(), QStringLiteral("TABLE authors"));
    const int display = findDiffRow(*diff, DefinitionDiffModel::ModelsColumn, QStringLiteral("    display_name VARCHAR(80) NOT NULL"));
    QVERIFY(display >= 0);
    QVERIFY(diff->index(display, 1).data(DefinitionDiffModel::MarkedRole).toBool());
    // Nothing selected: the whole schema again.
    view.tree()->setCurrentIndex(QModelIndex());
    QVERIFY(view.diffTitle().startsWith(QLatin1String("Whole schema")));
}

// The Script Preview tab is what Create Revision writes, rendered again as boxes are
// ticked and the message typed.
void TestAutogenerateReview::scriptPreviewFollowsTheBoxes()
{
    if (!hasPython())
        QSKIP("needs /usr/bin/python3 with Alembic");
    QTemporaryDir dir;
    AutogenerateReviewView view;
    MigrationProjectSpec spec;
    QVERIFY(compareBlog(dir, view, &spec));
    AutogenerateReviewModel *model = view.model();
    const QString dropEditor = QStringLiteral("op.drop_column('posts', 'editor_id')");
    const QString createAudit = QStringLiteral("op.create_table('audit_log'");

    QString text = view.previewText();
    QVERIFY2(text.contains(QLatin1String("Revision ID: ")), qPrintable(text));
    QVERIFY2(text.contains(createAudit), qPrintable(text));
    QVERIFY2(!text.contains(dropEditor), qPrintable(text));   // destructive: unticked
    QCOMPARE(view.scriptPreview()->toPlainText(), text);

    const QModelIndex editor = findChange(*model, QStringLiteral("remove_column posts.editor_id"));
    QVERIFY(model->setData(editor, Qt::Checked, Qt::CheckStateRole));
    QVERIFY2(view.previewText().contains(dropEditor), qPrintable(view.previewText()));
    QCOMPARE(view.scriptPreview()->toPlainText(), view.previewText());
    QVERIFY(model->setData(findChange(*model, QStringLiteral("add_table audit_log")), Qt::Unchecked, Qt::CheckStateRole));
    QVERIFY(!view.previewText().contains(createAudit));
    QVERIFY(view.previewText().contains(dropEditor));
    view.messageEdit()->setText(QStringLiteral("previewed exactly"));
    QVERIFY(view.previewText().contains(QLatin1String("\"\"\"previewed exactly")));

    view.createAction()->trigger();
    const QStringList scripts = versionScripts(spec);
    QCOMPARE(scripts.size(), 1);
    QFile written(QFileInfo(spec.iniPath).absolutePath() + QStringLiteral("/migrations/versions/") + scripts.first());
    QVERIFY(written.open(QIODevice::ReadOnly));
    const QString fileText = QString::fromUtf8(written.readAll());
    // Byte for byte what the preview showed when Create Revision was pressed (the tab
    // keeps it after the comparison is used up).
    QCOMPARE(view.previewText(), fileText);
    QCOMPARE(view.scriptPreview()->toPlainText(), fileText);
    QVERIFY(fileText.contains(dropEditor));
    QVERIFY(scripts.first().startsWith(fileText.section(QStringLiteral("Revision ID: "), 1).section(QLatin1Char('\n'), 0, 0)));
}

// With changes found but none ticked, Create Revision is disabled and says why.
void TestAutogenerateReview::nothingTickedIsRefused()
{
    if (!hasPython())
        QSKIP("needs /usr/bin/python3 with Alembic");
    QTemporaryDir dir;
    AutogenerateReviewView view;
    MigrationProjectSpec spec;
    QVERIFY(compareBlog(dir, view, &spec));
    AutogenerateReviewModel *model = view.model();
    QVERIFY(view.createAction()->isEnabled());
    QVERIFY(view.nothingTickedLabel()->isHidden());
    for (int row = 0; row < model->rowCount(); ++row)
        QVERIFY(model->setData(model->index(row, 0), Qt::Unchecked, Qt::CheckStateRole));
    QCOMPARE(model->checkedCount(), 0);
    QVERIFY(!view.createAction()->isEnabled());
    QVERIFY(view.createAction()->toolTip().contains(QLatin1String("Nothing is ticked")));
    QVERIFY(!view.nothingTickedLabel()->isHidden());
    QCOMPARE(view.previewText(), QString());
    QVERIFY(view.scriptPreview()->placeholderText().contains(QLatin1String("Nothing is ticked")));
    view.createRevision();
    QVERIFY2(view.statusText().contains(QLatin1String("Nothing is ticked")), qPrintable(view.statusText()));
    QVERIFY(versionScripts(spec).isEmpty());
    // One box back: allowed again.
    QVERIFY(model->setData(model->index(0, 0), Qt::Checked, Qt::CheckStateRole));
    QVERIFY(view.createAction()->isEnabled());
    QVERIFY(view.nothingTickedLabel()->isHidden());
    QVERIFY(!view.previewText().isEmpty());
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
