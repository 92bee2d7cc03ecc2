#include "scriptinterpreter.h"

#include "functioninterpreter.h"
#include "modulereader.h"
#include "python/pylexer.h"
#include "scripttokens.h"

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

} // namespace

bool ScriptInterpreter::isMigrationFunction(const QString &name)
{
    if (name == u"upgrade" || name == u"downgrade")
        return true;
    return (name.startsWith(u"upgrade_") && name.size() > 8)
           || (name.startsWith(u"downgrade_") && name.size() > 10);
}

Result<ScriptProgram> ScriptInterpreter::interpretFile(const QString &path)
{
    auto source = PyLexer::readSourceFile(path);
    if (!source)
        return source.error();
    return interpret(*source, path);
}

Result<ScriptProgram> ScriptInterpreter::interpret(const QString &source, const QString &path)
{
    auto tokens = ScriptTokens::significant(source, path);
    if (!tokens)
        return tokens.error();
    ModuleReader module(*tokens, path);
    if (auto r = module.read(); !r)
        return r.error();
    if (!module.defs().contains(QStringLiteral("upgrade")))
        return Error(QStringLiteral("revision script has no upgrade() function"), path);
    ScriptProgram program;
    program.path = path;
    program.moduleNotes = module.notes();
    for (const ModuleReader::Def &def : module.defs()) {
        if (!isMigrationFunction(def.name))
            continue;
        if (def.async || def.decorated) {
            program.needsPython.insert(def.name, NeedsPython{def.async ? QStringLiteral("async function")
                                                                       : QStringLiteral("decorated function"),
                                                             def.line});
            continue;
        }
        const QString dispatch = dispatchFormat(*tokens, def);
        if (!dispatch.isEmpty()) {
            program.dispatch.insert(def.name, dispatch);
            continue;
        }
        FunctionInterpreter fn(*tokens, module.scope(), path);
        switch (fn.run(def.colon, def.params)) {
        case FunctionInterpreter::Ok: program.functions.insert(def.name, fn.ops()); break;
        case FunctionInterpreter::Needs: program.needsPython.insert(def.name, fn.needs()); break;
        case FunctionInterpreter::Failed: return fn.error();
        }
    }
    return program;
}

} // namespace retort
