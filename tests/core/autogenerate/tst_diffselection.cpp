// DiffSelection: unchecked ops (by position path) are left out of the rendered list, and
// ModifyTable containers left empty go with them.

#include "autogenerate/diffselection.h"

#include <QtTest>

using namespace retort;

namespace {

AutogenOp tableOp(AutogenOp::Kind kind, const QString &table)
{
    AutogenOp op;
    op.kind = kind;
    op.table = table;
    return op;
}

AutogenOp columnOp(AutogenOp::Kind kind, const QString &table, const QString &column)
{
    AutogenOp op = tableOp(kind, table);
    op.column.table = table;
    op.column.column.name = column;
    return op;
}

// add_table a; modify b {add b.x, remove b.y}; remove_table c; modify d {add d.z}
AutogenOps sampleOps()
{
    AutogenOp b = tableOp(AutogenOp::ModifyTable, QStringLiteral("b"));
    b.ops << columnOp(AutogenOp::AddColumn, QStringLiteral("b"), QStringLiteral("x"))
          << columnOp(AutogenOp::DropColumn, QStringLiteral("b"), QStringLiteral("y"));
    AutogenOp d = tableOp(AutogenOp::ModifyTable, QStringLiteral("d"));
    d.ops << columnOp(AutogenOp::AddColumn, QStringLiteral("d"), QStringLiteral("z"));
    return {tableOp(AutogenOp::CreateTable, QStringLiteral("a")), b,
            tableOp(AutogenOp::DropTable, QStringLiteral("c")), d};
}

// "modify_table b[add_column b.x]" for containers, describe() for the rest.
QStringList outline(const AutogenOps &ops)
{
    QStringList out;
    for (const AutogenOp &op : ops) {
        if (op.kind != AutogenOp::ModifyTable) {
            out << op.describe();
            continue;
        }
        QStringList inner;
        for (const AutogenOp &child : op.ops)
            inner << child.describe();
        out << op.describe() + QLatin1Char('[') + inner.join(QStringLiteral("; ")) + QLatin1Char(']');
    }
    return out;
}

using Paths = QList<QList<int>>;

} // namespace

class tst_DiffSelection : public QObject
{
    Q_OBJECT

private slots:
    void selected_data();
    void selected();
    void isChecked_data();
    void isChecked();
};

void tst_DiffSelection::selected_data()
{
    QTest::addColumn<Paths>("unchecked");
    QTest::addColumn<Paths>("rechecked");
    QTest::addColumn<QStringList>("expected");

    const QString a = QStringLiteral("add_table a");
    const QString c = QStringLiteral("remove_table c");
    const QString bBoth = QStringLiteral("modify_table b[add_column b.x; remove_column b.y]");
    const QString dAll = QStringLiteral("modify_table d[add_column d.z]");

    QTest::newRow("everything checked") << Paths{} << Paths{} << QStringList{a, bBoth, c, dAll};
    QTest::newRow("top-level op") << Paths{{2}} << Paths{} << QStringList{a, bBoth, dAll};
    QTest::newRow("one op in a container")
        << Paths{{1, 1}} << Paths{} << QStringList{a, QStringLiteral("modify_table b[add_column b.x]"), c, dAll};
    QTest::newRow("container's only op: container dropped")
        << Paths{{3, 0}} << Paths{} << QStringList{a, bBoth, c};
    QTest::newRow("container's ops one by one") << Paths{{1, 0}, {1, 1}} << Paths{} << QStringList{a, c, dAll};
    QTest::newRow("whole container") << Paths{{1}} << Paths{} << QStringList{a, c, dAll};
    QTest::newRow("everything") << Paths{{0}, {1}, {2}, {3}} << Paths{} << QStringList{};
    QTest::newRow("checked again") << Paths{{0}, {1, 1}} << Paths{{0}, {1, 1}} << QStringList{a, bBoth, c, dAll};
    QTest::newRow("container checked again restores its ops")
        << Paths{{1, 0}, {1, 1}} << Paths{{1}} << QStringList{a, bBoth, c, dAll};
    QTest::newRow("op checked in an unchecked container")
        << Paths{{1}, {1, 1}} << Paths{{1, 0}}
        << QStringList{a, QStringLiteral("modify_table b[add_column b.x]"), c, dAll};
    QTest::newRow("paths past the end are ignored") << Paths{{7}, {1, 9}} << Paths{} << QStringList{a, bBoth, c, dAll};
}

void tst_DiffSelection::selected()
{
    QFETCH(Paths, unchecked);
    QFETCH(Paths, rechecked);
    QFETCH(QStringList, expected);
    DiffSelection selection;
    for (const QList<int> &path : unchecked)
        selection.setChecked(path, false);
    for (const QList<int> &path : rechecked)
        selection.setChecked(path, true);
    QCOMPARE(outline(selection.selected(sampleOps())), expected);
}

void tst_DiffSelection::isChecked_data()
{
    QTest::addColumn<Paths>("unchecked");
    QTest::addColumn<QList<int>>("path");
    QTest::addColumn<bool>("expected");

    QTest::newRow("fresh") << Paths{} << QList<int>{1, 0} << true;
    QTest::newRow("itself") << Paths{{1, 0}} << QList<int>{1, 0} << false;
    QTest::newRow("sibling") << Paths{{1, 0}} << QList<int>{1, 1} << true;
    QTest::newRow("container unchecked") << Paths{{1}} << QList<int>{1, 1} << false;
    QTest::newRow("other container") << Paths{{1}} << QList<int>{3, 0} << true;
    QTest::newRow("empty path") << Paths{} << QList<int>{} << false;
}

void tst_DiffSelection::isChecked()
{
    QFETCH(Paths, unchecked);
    QFETCH(QList<int>, path);
    QFETCH(bool, expected);
    DiffSelection selection;
    for (const QList<int> &p : unchecked)
        selection.setChecked(p, false);
    QCOMPARE(selection.isChecked(path), expected);
    QCOMPARE(selection.allChecked(), unchecked.isEmpty());
}

QTEST_GUILESS_MAIN(tst_DiffSelection)
#include "tst_diffselection.moc"
