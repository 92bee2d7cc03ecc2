#include "enumcreate.h"

#include "functioninterpreter.h"
#include "scriptknownvalues.h"

namespace retort {

namespace {

// sa.Enum("a", "b", name="x"[, schema="s"]): what CREATE TYPE is made of, nothing else.
bool isPlainEnum(const PyValue &type)
{
    if (type.kind() != PyValue::Call
        || (type.calleeName() != u"sa.Enum" && type.calleeName() != u"postgresql.ENUM"))
        return false;
    for (const PyValue &a : type.args())
        if (!a.isStr())
            return false;
    for (const auto &kw : type.kwargs())
        if ((kw.first != u"name" && kw.first != u"schema") || !kw.second.isStr())
            return false;
    return type.kwarg(QStringLiteral("name")) != nullptr;
}

} // namespace

bool EnumCreate::run(int begin, int end, bool *handled)
{
    FunctionInterpreter &f = m_fn;
    *handled = false;
    QStringList parts;
    int open = 0;
    if (!f.isCallStatement(begin, end, &parts, &open) || parts.size() != 2 || parts.at(1) != u"create")
        return true;
    const ScriptBinding *b = f.m_scope.lookup(parts.first());
    if (!b || b->kind != ScriptBinding::Value || !isPlainEnum(b->value))
        return true;
    *handled = true;
    const int line = f.m_t[begin].line;
    const QString what = QStringLiteral("call to %1.create()").arg(parts.first());
    QVector<PyValue> args;
    ScriptExpression::Kwargs kwargs;
    ScriptExpression expr = f.expression(open + 1, end - 1);
    const auto s = expr.evaluateArguments(&args, &kwargs);
    if (s == ScriptExpression::Needs)
        return f.need(expr.needs().reason, expr.needs().line);
    if (s == ScriptExpression::Failed)
        return f.fail(expr.error().message, expr.error().line);
    // SchemaType.create(bind=None, checkfirst=False)
    PyValue bind = args.value(0), checkfirst = args.size() > 1 ? args.at(1) : PyValue::boolean(false);
    for (const auto &kw : kwargs) {
        if (kw.first == u"bind" && args.isEmpty())
            bind = kw.second;
        else if (kw.first == u"checkfirst" && args.size() < 2)
            checkfirst = kw.second;
        else
            return f.need(what, line);
    }
    if (args.size() > 2 || !ScriptKnownValues::isBind(bind) || checkfirst.kind() != PyValue::Bool)
        return f.need(what, line);
    if (checkfirst.toBool() && f.m_context.mode != ScriptContext::Offline)
        return f.need(QStringLiteral("%1.create(checkfirst=True) asks the database").arg(parts.first()), line);
    if (f.m_context.dialect == u"sqlite")
        return true;   // no native enums: SQLAlchemy creates nothing
    if (f.m_context.dialect != u"postgresql")
        return f.need(what, line);
    MigrationOp op;
    op.name = QStringLiteral("execute");
    op.line = line;
    op.args << PyValue::call(PyValue::name(QStringLiteral("postgresql.CreateEnumType")), {b->value}, {});
    f.m_ops.append(op);
    return true;
}

} // namespace retort
