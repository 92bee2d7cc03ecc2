#include "scriptinterpreter.h"

#include "functioninterpreter.h"
#include "modulereader.h"
#include "python/pylexer.h"
#include "scripttokens.h"

#include <algorithm>
#include <optional>

namespace retort {

namespace {

// The multidb template's `globals()["upgrade_%s" % engine_name]()`: the format string,
// or "" when the body is anything else.
QString dispatchFormat(const QVector<PyToken> &t, const ModuleReader::Def &def)
{
    if (def.params.size() != 1)
        return {};
    const bool block = t[def.colon + 1].type == PyToken::Newline;
    const int start = def.colon + (block ? 3 : 1);   // past Newline Indent
    static const char *const shape[] = {"globals", "(", ")", "[", "", "%", "", "]", "(", ")"};
    for (int i = 0; i < 10; ++i) {
        const PyToken &tok = t[start + i];
        if (i == 4 && (tok.type != PyToken::String || tok.flags != 0 || !tok.value.contains(u"%s")))
            return {};
        if (i == 6 && !(tok.type == PyToken::Name && tok.text == def.params.first()))
            return {};
        if (i != 4 && i != 6 && tok.text != QLatin1StringView(shape[i]))
            return {};
    }
    // Nothing else in the body: Newline, then the block's Dedent.
    const int newline = start + 10;
    if (t[newline].type != PyToken::Newline || newline + (block ? 2 : 1) != def.bodyEnd)
        return {};
    return t[start + 4].value;
}

// Why a migration function bound some other way than a plain module-level def needs Python.
QString notPlainDef(const ScriptBinding &b)
{
    switch (b.kind) {
    case ScriptBinding::Import: return QStringLiteral("imported from %1").arg(b.path.section(u'.', 0, -2));
    case ScriptBinding::Opaque: return QStringLiteral("defined by module-level %1").arg(b.reason);
    default: return QStringLiteral("rebound at module level");
    }
}

VoidResult interpretDef(const QVector<PyToken> &tokens, const ModuleReader &module,
                        const ModuleReader::Def &def, const ScriptContext &context, ScriptProgram *program)
{
    if (def.async || def.decorated) {
        program->needsPython.insert(def.name, NeedsPython{def.async ? QStringLiteral("async function")
                                                                    : QStringLiteral("decorated function"),
                                                          def.line});
        return {};
    }
    const QString dispatch = dispatchFormat(tokens, def);
    if (!dispatch.isEmpty()) {
        program->dispatch.insert(def.name, dispatch);
        return {};
    }
    // The live inspector answers for the function being run only (a copy of the context
    // only then: two per script otherwise, for nothing).
    std::optional<ScriptContext> own;
    if (context.inspector && def.name != context.liveFunction) {
        own = context;
        own->inspector = nullptr;
    }
    FunctionInterpreter fn(tokens, module.scope(), program->path, own ? *own : context);
    switch (fn.run(def.colon, def.params)) {
    case FunctionInterpreter::Ok: program->functions.insert(def.name, fn.ops()); break;
    case FunctionInterpreter::Needs: program->needsPython.insert(def.name, fn.needs()); break;
    case FunctionInterpreter::Failed: return fn.error();
    }
    return {};
}

} // namespace

bool ScriptInterpreter::isMigrationFunction(const QString &name)
{
    if (name == u"upgrade" || name == u"downgrade")
        return true;
    return (name.startsWith(u"upgrade_") && name.size() > 8)
           || (name.startsWith(u"downgrade_") && name.size() > 10);
}

Result<ScriptProgram> ScriptInterpreter::interpretFile(const QString &path, const ScriptContext &context)
{
    auto source = PyLexer::readSourceFile(path);
    if (!source)
        return source.error();
    return interpret(*source, path, context);
}

Result<ScriptProgram> ScriptInterpreter::interpret(const QString &source, const QString &path,
                                                   const ScriptContext &context)
{
    auto tokens = ScriptTokens::significant(source, path);
    if (!tokens)
        return tokens.error();
    ModuleReader module(*tokens, path);
    if (auto r = module.read(); !r)
        return r.error();
    if (!module.scope().lookup(QStringLiteral("upgrade")))
        return Error(QStringLiteral("revision script has no upgrade() function"), path);
    ScriptProgram program;
    program.path = path;
    program.moduleNotes = module.notes();
    // In source order, so the first malformed function is the one reported.
    QVector<QPair<int, QString>> functions;
    for (const QString &name : module.scope().names())
        if (isMigrationFunction(name))
            functions.append({module.scope().lookup(name)->line, name});
    std::sort(functions.begin(), functions.end());
    for (const auto &[line, name] : functions) {
        const ScriptBinding *b = module.scope().lookup(name);
        const auto def = module.defs().constFind(name);
        if (b->kind != ScriptBinding::Function || def == module.defs().constEnd()
            || def->line != b->line) {
            program.needsPython.insert(name, NeedsPython{notPlainDef(*b), b->line});
            continue;
        }
        if (auto r = interpretDef(*tokens, module, *def, context, &program); !r)
            return r.error();
    }
    return program;
}

} // namespace retort
