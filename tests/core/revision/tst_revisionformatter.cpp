// RevisionFormatter against Alembic 1.8.1's Script (log_entry, cmd_format as used by
// history / heads / branches / current, __str__). Expected texts come from
// gen_revisiongraph_cases.py; when Alembic's text depends on set order (several branch
// labels, "Branches into") every variant seen is listed and any one is accepted.

#include "revision/revisionformatter.h"
#include "revision/revisiongraph.h"
#include "revisiongraph_testutil.h"

#include <QRegularExpression>
#include <QtTest>

using namespace retort;
using namespace retort::testutil;

namespace {

QString sortedItems(const QString &list)
{
    QStringList items = list.split(QStringLiteral(", "));
    items.sort();
    return items.join(QStringLiteral(", "));
}

// Sorts the comma lists inside "(...)" groups and after "Branches into: " /
// "Branch names: ", where Alembic's order is Python set order.
QString canonical(const QString &text)
{
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString &line : lines) {
        for (const QString &prefix : {QStringLiteral("Branches into: "),
                                      QStringLiteral("Branch names: ")})
            if (line.startsWith(prefix))
                line = prefix + sortedItems(line.mid(prefix.size()));
        static const QRegularExpression group(QStringLiteral("\\(([^()]*, [^()]*)\\)"));
        QString out;
        int pos = 0;
        for (auto it = group.globalMatch(line); it.hasNext();) {
            const auto m = it.next();
            out += line.mid(pos, m.capturedStart() - pos) + QLatin1Char('(')
                + sortedItems(m.captured(1)) + QLatin1Char(')');
            pos = m.capturedEnd();
        }
        line = out + line.mid(pos);
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

class tst_RevisionFormatter : public QObject
{
    Q_OBJECT

private slots:
    void format_data();
    void format();
    void formatAsComma();
    void splitLines();
    void canonicalCompare();
};

void tst_RevisionFormatter::format_data()
{
    QTest::addColumn<QString>("graph");
    QTest::addColumn<QString>("rev");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QStringList>("accepted");
    // Group the variants of one (graph, rev, kind) into one row.
    struct Row { QString graph, rev, kind; QStringList texts; };
    QVector<Row> rows;
    auto add = [&rows](const char *g, const char *r, const char *k, const char *text) {
        const QString t = QString::fromUtf8(text);
        if (!rows.isEmpty() && rows.last().graph == QLatin1String(g)
            && rows.last().rev == QLatin1String(r) && rows.last().kind == QLatin1String(k)) {
            rows.last().texts.append(t);
            return;
        }
        rows.append({QString::fromUtf8(g), QString::fromUtf8(r), QString::fromUtf8(k), {t}});
    };
#define RETORT_GRAPH_SPEC(...)
#define RETORT_GRAPH_LIST(...)
#define RETORT_GRAPH_ERROR(...)
#define RETORT_RESOLVE(...)
#define RETORT_QUERY(...)
#define RETORT_FORMAT(g, r, k, text) add(g, r, k, text);
#include "revisiongraph_cases.inc"
#undef RETORT_GRAPH_SPEC
#undef RETORT_GRAPH_LIST
#undef RETORT_GRAPH_ERROR
#undef RETORT_RESOLVE
#undef RETORT_QUERY
#undef RETORT_FORMAT
    for (const Row &row : qAsConst(rows))
        QTest::addRow("%s %s %s", qPrintable(row.graph), qPrintable(row.rev), qPrintable(row.kind))
            << row.graph << row.rev << row.kind << row.texts;
}

void tst_RevisionFormatter::format()
{
    QFETCH(QString, graph);
    QFETCH(QString, rev);
    QFETCH(QString, kind);
    QFETCH(QStringList, accepted);
    static const QHash<QString, QString> specs = graphSpecs();
    static QHash<QString, RevisionGraph> graphs;
    if (!graphs.contains(graph)) {
        auto built = RevisionGraph::build(parseSpec(specs.value(graph)));
        QVERIFY(built.ok());
        graphs.insert(graph, *built);
    }
    const RevisionGraph *g = &graphs[graph];
    const RevisionNode *n = g->node(rev);
    QVERIFY(n);
    QString actual;
    if (kind == QLatin1String("log"))
        actual = RevisionFormatter::logEntry(*n);
    else if (kind == QLatin1String("log_current"))
        actual = RevisionFormatter::cmdFormat(*n, true, false, false, false, true, true);
    else if (kind == QLatin1String("history"))
        actual = RevisionFormatter::cmdFormat(*n, false, true, true, true);
    else if (kind == QLatin1String("history_current"))
        actual = RevisionFormatter::cmdFormat(*n, false, true, true, true, true, true);
    else if (kind == QLatin1String("heads"))
        actual = RevisionFormatter::cmdFormat(*n, false, true, false, false, false);
    else if (kind == QLatin1String("branch"))
        actual = RevisionFormatter::cmdFormat(*n, false, true);
    else if (kind == QLatin1String("plain"))
        actual = RevisionFormatter::cmdFormat(*n, false);
    else if (kind == QLatin1String("str"))
        actual = RevisionFormatter::toString(*n);
    else
        QFAIL("unknown format kind");
    if (accepted.contains(actual))
        return;
    // Alembic prints sets (branch labels, "Branches into") in hash order; the seeds the
    // generator tried need not include ours, so compare those lists as sets.
    for (const QString &a : accepted)
        if (canonical(a) == canonical(actual))
            return;
    QCOMPARE(actual, accepted.first());
}

void tst_RevisionFormatter::formatAsComma()
{
    QCOMPARE(RevisionFormatter::formatAsComma({}), QString());
    QCOMPARE(RevisionFormatter::formatAsComma({QStringLiteral("a")}), QStringLiteral("a"));
    QCOMPARE(RevisionFormatter::formatAsComma({QStringLiteral("a"), QStringLiteral("b")}),
             QStringLiteral("a, b"));
}

void tst_RevisionFormatter::splitLines()
{
    // log_entry indents each line of longdoc.splitlines(); Python splits on \r, \r\n,
    // \x0c ... too (texts checked with Alembic: "\n%s\n" % "\n".join("    " + l ...)).
    Revision r;
    r.id = QStringLiteral("abc1");
    r.path = QStringLiteral("/p/abc1.py");
    r.longDoc = QStringLiteral("one\r\ntwo\rthree\x0c" "four\n\nsix");
    auto g = RevisionGraph::build({r});
    QVERIFY(g.ok());
    QCOMPARE(RevisionFormatter::logEntry(*g->node(QStringLiteral("abc1"))),
             QStringLiteral("Rev: abc1 (head)\nParent: <base>\nPath: /p/abc1.py\n\n"
                            "    one\n    two\n    three\n    four\n    \n    six\n"));
    r.longDoc.clear();
    auto empty = RevisionGraph::build({r});
    QCOMPARE(RevisionFormatter::logEntry(*empty->node(QStringLiteral("abc1"))),
             QStringLiteral("Rev: abc1 (head)\nParent: <base>\nPath: /p/abc1.py\n\n\n"));
}

void tst_RevisionFormatter::canonicalCompare()
{
    // The set-order fallback must still tell different sets apart.
    QCOMPARE(canonical(QStringLiteral("a -> b (y, x) (head), d")),
             canonical(QStringLiteral("a -> b (x, y) (head), d")));
    QVERIFY(canonical(QStringLiteral("a -> b (y, x), d"))
            != canonical(QStringLiteral("a -> b (x, z), d")));
    QCOMPARE(canonical(QStringLiteral("Branches into: c, b\nBranch names: q, p")),
             QStringLiteral("Branches into: b, c\nBranch names: p, q"));
}

QTEST_GUILESS_MAIN(tst_RevisionFormatter)
#include "tst_revisionformatter.moc"
