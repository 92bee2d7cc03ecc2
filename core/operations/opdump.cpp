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

QStringList OpDump::dump(const QVector<MigrationOp> &ops)
{
    QStringList lines;
    for (const MigrationOp &op : ops) {
        lines.append(QStringLiteral("%1: %2").arg(op.line).arg(call(op)));
        for (const MigrationOp &inner : op.batchOps)
            lines.append(QStringLiteral("  %1: %2").arg(inner.line).arg(call(inner)));
    }
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
