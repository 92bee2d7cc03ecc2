#pragma once
// Reads a module's top-level statements without executing it: the docstring,
// `name = expr`, `a = b = expr`, `name: annotation = expr`, imports, def/class names.
// Names referring to earlier module-level values resolve to those values. Statements that
// cannot be evaluated are recorded as unevaluable bindings, not errors; only lexing errors
// (and unbalanced brackets) fail the scan.

#include "pylexer.h"
#include "pymodule.h"
#include "pytoken.h"
#include "result.h"

#include <QVector>

namespace retort {

class PyModuleScanner
{
public:
    static Result<PyModule> scan(const QString &source, const QString &fileName = {});
    static Result<PyModule> scanTokens(const QVector<PyToken> &tokens, const QString &fileName = {});
    // scan() lexing in chunks (PyLexer::tokenizeChunked): the same result for a big module
    // without holding all of its tokens.
    static Result<PyModule> scanStreaming(const QString &source, const QString &fileName,
                                          PyLexer::Mode mode);
    static Result<PyModule> scanFile(const QString &path);
};

} // namespace retort
