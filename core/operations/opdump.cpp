#include "opdump.h"

namespace retort {

QString OpDump::call(const MigrationOp &op)
{
    QStringList parts;
    for (const PyValue &a : op.args)
        parts.append(a.repr());
    for (const auto &kw : op.kwargs)
        parts.append(kw.first + u'=' + kw.second.repr());
    return op.name + u'(' + parts.join(QStringLiteral(", ")) + u')';
}

namespace {

// Nested suites (batch ops, try clauses and their bodies) two spaces deeper.
void dumpInto(const QVector<MigrationOp> &ops, const QString &indent, QStringList &lines)
{
    for (const MigrationOp &op : ops) {
        lines.append(QStringLiteral("%1%2: %3").arg(indent).arg(op.line).arg(OpDump::call(op)));
        dumpInto(op.batchOps, indent + QStringLiteral("  "), lines);
        dumpInto(op.clauses, indent, lines);
    }
}

} // namespace

QStringList OpDump::dump(const QVector<MigrationOp> &ops)
{
    QStringList lines;
    dumpInto(ops, QString(), lines);
    return lines;
}

QStringList OpDump::program(const ScriptProgram &program)
{
    QStringList names = program.functions.keys() + program.needsPython.keys()
                        + program.dispatch.keys();
    names.sort();
    names.removeDuplicates();
    QStringList lines;
    for (const QString &name : names) {
        if (program.needsPython.contains(name)) {
            const NeedsPython &n = program.needsPython[name];
            lines.append(QStringLiteral("[%1] needs Python: %2 (line %3)").arg(name, n.reason).arg(n.line));
        } else if (program.dispatch.contains(name)) {
            lines.append(QStringLiteral("[%1] dispatch: %2").arg(name, program.dispatch[name]));
        } else {
            lines.append(QStringLiteral("[%1]").arg(name));
            for (const QString &line : dump(program.functions[name]))
                lines.append(QStringLiteral("  ") + line);
        }
    }
    for (const NeedsPython &n : program.moduleNotes)
        lines.append(QStringLiteral("note: %1 (line %2)").arg(n.reason).arg(n.line));
    return lines;
}

} // namespace retort
