#pragma once
// What the script editor marks as you type: syntax errors from the native Python reader
// (PyLexer, then ScriptInterpreter) and the functions that need Python to run. No
// widgets; cheap enough to run on every pause in typing.

#include <QString>
#include <QVector>

namespace retort {

struct ScriptDiagnostic
{
    enum Kind { SyntaxError, NeedsPython };
    Kind kind = SyntaxError;
    int line = 0;        // 1-based; 0 when unknown
    QString message;
};

class ScriptDiagnostics
{
public:
    static QVector<ScriptDiagnostic> check(const QString &source, const QString &path = {});
};

} // namespace retort
