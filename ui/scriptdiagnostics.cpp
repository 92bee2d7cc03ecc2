#include "scriptdiagnostics.h"

#include "operations/scriptinterpreter.h"
#include "python/pylexer.h"

#include <QCoreApplication>

namespace retort {

QVector<ScriptDiagnostic> ScriptDiagnostics::check(const QString &source, const QString &path)
{
    QVector<ScriptDiagnostic> out;
    // The lexer first: its errors are the most precise and cheapest.
    auto tokens = PyLexer::tokenize(source, path);
    if (!tokens) {
        out.append({ScriptDiagnostic::SyntaxError, tokens.error().line, tokens.error().message});
        return out;
    }
    auto program = ScriptInterpreter::interpret(source, path);
    if (!program) {
        out.append({ScriptDiagnostic::SyntaxError, program.error().line, program.error().message});
        return out;
    }
    for (auto it = program->needsPython.cbegin(); it != program->needsPython.cend(); ++it)
        out.append({ScriptDiagnostic::NeedsPython, it->line,
                    QCoreApplication::translate("retort::ScriptDiagnostics", "%1() needs Python: %2").arg(it.key(), it->reason)});
    return out;
}

} // namespace retort
