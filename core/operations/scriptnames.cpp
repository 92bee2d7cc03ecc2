#include "scriptnames.h"

#include "builtinfolder.h"
#include "constantfolder.h"
#include "scriptvalues.h"

#include <QSet>

namespace retort {

namespace {

PyValue attributeOf(const PyValue &v, const QString &attr)
{
    return v.kind() == PyValue::Name ? PyValue::name(v.toStr() + u'.' + attr)
                                     : ScriptValues::attribute(v, attr);
}

// op attributes that are not migration operations but need the live context.
bool isLiveOp(const QString &canonical)
{
    static const QStringList live = {"op.get_bind", "op.get_context", "op.invoke",
                                     "op.implementation_for", "op.register_operation",
                                     "op.run_async", "op.batch_alter_table"};
    return live.contains(canonical);
}

} // namespace

bool ScriptNames::isBuiltin(const QString &name)
{
    static const QSet<QString> names = {
        "Ellipsis", "NotImplemented", "__name__", "__file__", "__doc__", "__spec__",
        "__package__", "__loader__", "__builtins__", "__debug__", "__import__",
        "__build_class__", "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool",
        "breakpoint", "bytearray", "bytes", "callable", "chr", "classmethod", "compile",
        "complex", "copyright", "credits", "delattr", "dict", "dir", "divmod", "enumerate",
        "eval", "exec", "exit", "filter", "float", "format", "frozenset", "getattr", "globals",
        "hasattr", "hash", "help", "hex", "id", "input", "int", "isinstance", "issubclass",
        "iter", "len", "license", "list", "locals", "map", "max", "memoryview", "min", "next",
        "object", "oct", "open", "ord", "pow", "print", "property", "quit", "range", "repr",
        "reversed", "round", "set", "setattr", "slice", "sorted", "staticmethod", "str", "sum",
        "super", "tuple", "type", "vars", "zip"};
    // The builtin exception and warning classes.
    return names.contains(name) || name.endsWith(u"Error") || name.endsWith(u"Exception")
           || name.endsWith(u"Warning") || name == u"StopIteration" || name == u"SystemExit"
           || name == u"KeyboardInterrupt" || name == u"GeneratorExit"
           || name == u"StopAsyncIteration" || name == u"BaseExceptionGroup"
           || name == u"ExceptionGroup";
}

ScriptNames::Outcome ScriptNames::resolve(const ScriptScope &scope, const QStringList &parts,
                                          bool called, PyValue *out, bool *isFunction)
{
    const QString &head = parts.first();
    const ScriptBinding *b = scope.lookup(head);
    *isFunction = false;
    if (!b) {
        // A name bound nowhere raises NameError in Python: let Python report it.
        if (!isBuiltin(head))
            return needs(QStringLiteral("undefined name %1").arg(head));
        *out = PyValue::name(parts.join(u'.'));   // builtins stay as written
        return {};
    }
    switch (b->kind) {
    case ScriptBinding::Import: {
        QStringList full = parts;
        full.first() = b->path;
        const QString canonical = ScriptScope::canonicalPath(full.join(u'.'));
        // Names SQLAlchemy 2.0 added: with 1.4 (Alembic 1.8's) the script fails there, with
        // 2.0 it runs; the project's own SQLAlchemy, in Python, decides.
        static const QStringList sqlAlchemy2 = {
            QStringLiteral("sa.UUID"), QStringLiteral("sa.Uuid"), QStringLiteral("sa.Double"),
            QStringLiteral("sa.DOUBLE"), QStringLiteral("sa.DOUBLE_PRECISION"),
            QStringLiteral("sa.insert_sentinel"), QStringLiteral("sa.try_cast")};
        for (const QString &name : sqlAlchemy2) {
            if (canonical == name || canonical.startsWith(name + u'.'))
                return needs(QStringLiteral("uses %1 (SQLAlchemy 2.0)").arg(name));
        }
        *out = PyValue::name(canonical);
        return {};
    }
    case ScriptBinding::Value:
        *out = b->value;
        for (int i = 1; i < parts.size(); ++i)
            *out = attributeOf(*out, parts[i]);
        return {};
    case ScriptBinding::Parameter:
        return needs(QStringLiteral("uses parameter %1").arg(head));
    case ScriptBinding::Function:
        if (called && parts.size() == 1) {
            *isFunction = true;
            *out = PyValue::name(head);
            return {};
        }
        return needs(QStringLiteral("uses module-level function %1").arg(head));
    case ScriptBinding::Opaque:
        return needs(QStringLiteral("uses module-level name %1").arg(head));
    case ScriptBinding::BatchAlias:
        // batch_op.f() / batch_op.inline_literal() are the same helpers as op's.
        if (parts.size() == 2 && ScriptScope::isValueCallee(QStringLiteral("op.") + parts[1])) {
            *out = PyValue::name(QStringLiteral("op.") + parts[1]);
            return {};
        }
        return needs(QStringLiteral("uses %1 outside a batch operation call").arg(head));
    }
    return needs(QStringLiteral("unknown name %1").arg(head));
}

ScriptNames::Outcome ScriptNames::checkCallee(const PyValue &callee, bool isFunction)
{
    const Outcome reason{false, {}, true};
    if (isFunction)
        return reason;
    switch (callee.kind()) {
    case PyValue::Name: {
        const QString &name = callee.toStr();
        if (isLiveOp(name))
            return reason;
        if (name.startsWith(u"op.") && !ScriptScope::isValueCallee(name))
            return needs(QStringLiteral("%1() used as a value").arg(name));
        if (ScriptScope::isValueCallee(name) || name == u"textwrap.dedent"
            || BuiltinFolder::isFoldable(name))
            return {};
        return reason;
    }
    case PyValue::Call:
    case PyValue::Subscript:
        return {};   // methods of values (t.insert(), sa.Column(...).copy()) stay symbolic
    default:
        return needs(QStringLiteral("call of a %1 value").arg(callee.repr()));
    }
}

ScriptNames::Outcome ScriptNames::call(const PyValue &callee, QVector<PyValue> args,
                                       QVector<QPair<QString, PyValue>> kwargs, PyValue *out)
{
    PyValue receiver;
    QString method;
    if (ScriptValues::isAttribute(callee, &receiver, &method) && receiver.isStr()) {
        const auto s = ConstantFolder::strMethod(receiver.toStr(), method, args, kwargs, out);
        if (s == ConstantFolder::Folded)
            return {};
        return needs(QStringLiteral("call to str.%1()").arg(method));
    }
    if (BuiltinFolder::isContainerMethod(receiver, method)) {
        if (BuiltinFolder::method(receiver, method, args, kwargs, out) == BuiltinFolder::Folded)
            return {};
        return needs(QStringLiteral("call to dict.%1()").arg(method));
    }
    if (callee.kind() == PyValue::Name && BuiltinFolder::isFoldable(callee.toStr())) {
        if (BuiltinFolder::builtin(callee.toStr(), args, kwargs, out) == BuiltinFolder::Folded)
            return {};
        return needs(QStringLiteral("call to %1()").arg(callee.toStr()));
    }
    if (callee.kind() == PyValue::Name && callee.toStr() == u"textwrap.dedent") {
        if (args.size() != 1 || !kwargs.isEmpty() || !args[0].isStr())
            return needs(QStringLiteral("call to textwrap.dedent()"));
        *out = PyValue::string(ConstantFolder::dedent(args[0].toStr()));
        return {};
    }
    *out = PyValue::call(callee, std::move(args), std::move(kwargs));
    return {};
}

} // namespace retort
