#include "effectinterpreter.h"

#include "functioninterpreter.h"
#include "scriptexpression.h"
#include "scripttokens.h"
#include "scriptvalues.h"
#include "stringformatter.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

namespace retort {

namespace {

const QLatin1StringView kColon(":");

// Builtin exception classes: a database error is never one of them, except these two.
bool isBuiltinException(const QString &name)
{
    static const QSet<QString> names = {
        "ArithmeticError", "AssertionError", "AttributeError", "BufferError", "EOFError",
        "FileExistsError", "FileNotFoundError", "FloatingPointError", "ImportError",
        "IndexError", "KeyError", "KeyboardInterrupt", "LookupError", "MemoryError",
        "ModuleNotFoundError", "NameError", "NotImplementedError", "OSError", "IOError",
        "OverflowError", "RecursionError", "ReferenceError", "RuntimeError", "StopIteration",
        "SyntaxError", "SystemError", "SystemExit", "TypeError", "UnboundLocalError",
        "UnicodeError", "UnicodeDecodeError", "UnicodeEncodeError", "ValueError",
        "ZeroDivisionError", "PermissionError", "TimeoutError", "ConnectionError",
        "Warning", "UserWarning", "DeprecationWarning"};
    return names.contains(name);
}

// SQLAlchemy's exception classes, by their canonical name (sa.exc.X). Only the DBAPI
// wrappers can come from a failing statement; the others are named but never match.
bool isSqlAlchemyException(const QString &canonical)
{
    if (!canonical.startsWith(QLatin1String("sa.exc.")))
        return false;
    const QString name = canonical.mid(7);
    return !name.isEmpty() && !name.contains(u'.') && name.at(0).isUpper();
}

int levelOf(const QString &method)
{
    static const QHash<QString, int> levels = {{"debug", 10}, {"info", 20}, {"warning", 30}, {"warn", 30},
                                               {"error", 40}, {"critical", 50}, {"fatal", 50}};
    return levels.value(method, 0);
}

} // namespace

QString EffectInterpreter::moduleName(const QString &fileName)
{
    static const QRegularExpression nonWord(QStringLiteral("\\W"),
                                            QRegularExpression::UseUnicodePropertiesOption);
    return QFileInfo(fileName).fileName().replace(nonWord, QStringLiteral("_"));
}

QString EffectInterpreter::loggerName(const PyValue &v)
{
    if (v.kind() != PyValue::Call || v.calleeName() != u"logging.getLogger" || v.args().size() != 1)
        return {};
    return v.args().first().toStr();
}

std::optional<PyValue> EffectInterpreter::loggerValue(const QVector<PyToken> &t, int begin, int end,
                                                      const ScriptScope &scope, const QString &fileName)
{
    if (end - begin < 3 || t[begin].type != PyToken::Name || !t[end - 1].isOp(QLatin1StringView(")")))
        return std::nullopt;
    QStringList parts{t[begin].text};
    int pos = begin + 1;
    while (pos + 1 < end && t[pos].isOp(QLatin1StringView(".")) && t[pos + 1].type == PyToken::Name) {
        parts << t[pos + 1].text;
        pos += 2;
    }
    if (!t[pos].isOp(QLatin1StringView("(")) || ScriptTokens::matchingBracket(t, pos) != end - 1)
        return std::nullopt;
    const ScriptBinding *b = scope.lookup(parts.first());
    if (!b || b->kind != ScriptBinding::Import)
        return std::nullopt;
    parts.first() = b->path;
    if (parts.join(u'.') != u"logging.getLogger")
        return std::nullopt;
    QVector<PyValue> args;
    QVector<QPair<QString, PyValue>> kwargs;
    ScriptExpression expr(t, pos + 1, end - 1, scope, fileName);
    if (expr.evaluateArguments(&args, &kwargs) != ScriptExpression::Ok || !kwargs.isEmpty() || args.size() > 1)
        return std::nullopt;
    QString name = QStringLiteral("root");
    if (!args.isEmpty()) {
        const PyValue &a = args.first();
        if (a.isStr() && !a.toStr().isEmpty())
            name = a.toStr();
        else if (a.kind() == PyValue::Name && a.toStr() == u"__name__")
            name = moduleName(fileName);
        else if (!a.isNone())
            return std::nullopt;
    }
    return PyValue::call(PyValue::name(QStringLiteral("logging.getLogger")), {PyValue::string(name)}, {});
}

QString EffectInterpreter::importPath(const QString &name) const
{
    const ScriptBinding *b = m_fn.m_scope.lookup(name);
    return b && b->kind == ScriptBinding::Import ? b->path : QString();
}

// Runs the suite after `colon` with its ops collected into *ops instead of the function's.
bool EffectInterpreter::runSuiteInto(int colon, QVector<MigrationOp> *ops)
{
    FunctionInterpreter &f = m_fn;
    QVector<MigrationOp> saved = std::move(f.m_ops);
    f.m_ops.clear();
    ++f.m_effectDepth;
    const bool ok = f.runSuite(colon);
    --f.m_effectDepth;
    *ops = std::move(f.m_ops);
    f.m_ops = std::move(saved);
    if (ok && f.m_jump != FunctionInterpreter::NoJump)
        return f.need(QStringLiteral("return inside a try statement or autocommit block"), f.m_t[colon].line);
    return ok;
}

// The class named by [begin, end): "Exception"/"BaseException", a builtin's name (never a
// database error), or a SQLAlchemy exception's canonical name; anything else needs Python.
bool EffectInterpreter::resolveClass(int begin, int end, QString *canonical)
{
    FunctionInterpreter &f = m_fn;
    const int line = f.m_t[begin].line;
    QStringList parts;
    for (int pos = begin; pos < end; pos += 2) {
        if (f.m_t[pos].type != PyToken::Name || ScriptTokens::isKeyword(f.m_t[pos])
            || (pos + 1 < end && !f.m_t[pos + 1].isOp(QLatin1StringView("."))))
            return f.need(QStringLiteral("except clause with an expression"), line);
        parts << f.m_t[pos].text;
    }
    const ScriptBinding *b = f.m_scope.lookup(parts.first());
    if (!b && parts.size() == 1 && (parts.first() == u"Exception" || parts.first() == u"BaseException"
                                    || isBuiltinException(parts.first()))) {
        *canonical = parts.first();
        return true;
    }
    if (b && b->kind == ScriptBinding::Import) {
        parts.first() = b->path;
        *canonical = ScriptScope::canonicalPath(parts.join(u'.'));
        if (isSqlAlchemyException(*canonical))
            return true;
    }
    return f.need(QStringLiteral("except clause naming %1").arg(parts.join(u'.')), line);
}

// `except [classes [as alias]]` between `except` and ':' -- classes empty for a bare except.
bool EffectInterpreter::exceptClasses(int begin, int end, QStringList *classes, QString *alias)
{
    FunctionInterpreter &f = m_fn;
    if (begin == end)
        return true;
    const int line = f.m_t[begin].line;
    int stop = end;
    for (int i = begin, depth = 0; i < end; ++i) {
        if (ScriptTokens::isOpen(f.m_t[i]))
            ++depth;
        else if (ScriptTokens::isClose(f.m_t[i]))
            --depth;
        else if (depth == 0 && f.m_t[i].isName(QLatin1StringView("as"))) {
            if (i + 2 != end || f.m_t[i + 1].type != PyToken::Name || ScriptTokens::isKeyword(f.m_t[i + 1]))
                return f.fail(QStringLiteral("invalid syntax"), line);
            *alias = f.m_t[i + 1].text;
            stop = i;
            break;
        }
    }
    if (stop == begin)
        return f.fail(QStringLiteral("invalid syntax"), line);
    int from = begin;
    int to = stop;
    if (f.m_t[begin].isOp(QLatin1StringView("(")) && ScriptTokens::matchingBracket(f.m_t, begin) == stop - 1) {
        ++from;
        --to;
    } else if (ScriptTokens::findTopLevel(f.m_t, begin, stop, QLatin1StringView(",")) >= 0) {
        return f.fail(QStringLiteral("multiple exception types must be parenthesized"), line);
    }
    for (int pos = from; pos < to;) {
        int comma = ScriptTokens::findTopLevel(f.m_t, pos, to, QLatin1StringView(","));
        comma = comma < 0 ? to : comma;
        if (comma == pos)
            return f.fail(QStringLiteral("invalid syntax"), line);
        QString canonical;
        if (!resolveClass(pos, comma, &canonical))
            return false;
        *classes << canonical;
        pos = comma + 1;
    }
    return !classes->isEmpty() || f.fail(QStringLiteral("invalid syntax"), line);
}

bool EffectInterpreter::runTry(int &pos)
{
    FunctionInterpreter &f = m_fn;
    const QVector<PyToken> &t = f.m_t;
    const int line = t[pos].line;
    if (f.m_batch)
        return f.need(QStringLiteral("try statement inside batch_alter_table"), line);
    if (!t[pos + 1].isOp(kColon))
        return f.fail(QStringLiteral("expected ':'"), line);
    MigrationOp op;
    op.name = QStringLiteral("@try");
    op.line = line;
    // Names bound in a suite that may stop half-way (or not run) have no static value
    // after it: they become opaque where that matters.
    const auto forget = [&f](int fromLine, int toLine) {
        for (const QString &name : f.m_scope.names()) {
            const ScriptBinding *b = f.m_scope.lookup(name);
            if (b->line >= fromLine && b->line < toLine && b->kind != ScriptBinding::Opaque)
                f.m_scope.bind(name, ScriptBinding{ScriptBinding::Opaque, {}, {},
                                                   QStringLiteral("name bound inside a try statement"), b->line});
        }
    };
    if (!runSuiteInto(pos + 1, &op.batchOps))
        return false;
    int at = ScriptTokens::compoundEnd(t, pos);
    const int bodyEndLine = t[at].line;
    bool sawExcept = false, sawElse = false, sawFinally = false, sawBare = false;
    while (at < t.size() && t[at].type == PyToken::Name && !sawFinally) {
        const PyToken &k = t[at];
        const int lineEnd = ScriptTokens::lineEnd(t, at);
        MigrationOp clause;
        clause.line = k.line;
        int colon = -1;
        if (k.text == u"except" && !sawElse) {
            if (sawBare)
                return f.fail(QStringLiteral("default 'except:' must be last"), k.line);
            if (t[at + 1].isOp(QLatin1StringView("*")))
                return f.need(QStringLiteral("except* clause"), k.line);
            colon = ScriptTokens::findTopLevel(t, at + 1, lineEnd, kColon);
            if (colon < 0)
                return f.fail(QStringLiteral("expected ':'"), k.line);
            QStringList classes;
            QString alias;
            if (!exceptClasses(at + 1, colon, &classes, &alias))
                return false;
            sawBare = classes.isEmpty();
            for (const QString &c : classes)
                clause.args << PyValue::string(c);
            clause.name = QStringLiteral("@except");
            forget(line, bodyEndLine);
            if (!alias.isEmpty())
                f.m_scope.bind(alias, ScriptBinding{ScriptBinding::Opaque, {}, {},
                                                    QStringLiteral("uses the caught exception"), k.line});
            sawExcept = true;
        } else if (k.text == u"else" && sawExcept && !sawElse) {
            clause.name = QStringLiteral("@else");
            sawElse = true;
            colon = at + 1;
        } else if (k.text == u"finally") {
            clause.name = QStringLiteral("@finally");
            sawFinally = true;
            colon = at + 1;
            forget(line, k.line);
        } else {
            break;
        }
        if (!t[colon].isOp(kColon))
            return f.fail(QStringLiteral("expected ':'"), k.line);
        const bool handler = clause.name == u"@except";
        f.m_handlers += handler ? 1 : 0;
        const bool ok = runSuiteInto(colon, &clause.batchOps);
        f.m_handlers -= handler ? 1 : 0;
        if (!ok)
            return false;
        op.clauses << clause;
        at = ScriptTokens::compoundEnd(t, at);
    }
    if (!sawExcept && !sawFinally)
        return f.fail(QStringLiteral("expected 'except' or 'finally' block"), line);
    if (!sawFinally)
        forget(line, t[at].line);
    pos = at;
    f.m_ops.append(op);
    return true;
}

// op.get_context().autocommit_block(), context.get_context().autocommit_block(),
// context.autocommit_block() (alembic.context / alembic.op).
bool EffectInterpreter::isAutocommitHeader(int begin, int end) const
{
    const QVector<PyToken> &t = m_fn.m_t;
    if (end - begin < 5 || !t[end - 1].isOp(QLatin1StringView(")")) || !t[end - 2].isOp(QLatin1StringView("("))
        || !t[end - 3].isName(QLatin1StringView("autocommit_block")) || !t[end - 4].isOp(QLatin1StringView(".")))
        return false;
    const int prefixEnd = end - 4;
    if (t[begin].type != PyToken::Name)
        return false;
    const QString path = importPath(t[begin].text);
    if (prefixEnd == begin + 1)
        return path == u"alembic.context";
    return prefixEnd == begin + 5 && t[begin + 1].isOp(QLatin1StringView("."))
           && t[begin + 2].isName(QLatin1StringView("get_context")) && t[begin + 3].isOp(QLatin1StringView("("))
           && t[begin + 4].isOp(QLatin1StringView(")")) && (path == u"alembic.op" || path == u"alembic.context");
}

bool EffectInterpreter::runWith(int pos, bool *handled)
{
    FunctionInterpreter &f = m_fn;
    *handled = false;
    const int lineEnd = ScriptTokens::lineEnd(f.m_t, pos);
    const int colon = ScriptTokens::findTopLevel(f.m_t, pos + 1, lineEnd, kColon);
    if (colon < 0 || !isAutocommitHeader(pos + 1, colon))
        return true;
    *handled = true;
    const int line = f.m_t[pos].line;
    if (f.m_batch)
        return f.need(QStringLiteral("autocommit block inside batch_alter_table"), line);
    MigrationOp op;
    op.name = QStringLiteral("@autocommit");
    op.line = line;
    if (!runSuiteInto(colon, &op.batchOps))
        return false;
    f.m_ops.append(op);
    return true;
}

bool EffectInterpreter::runSimple(int begin, int end, bool *handled)
{
    FunctionInterpreter &f = m_fn;
    const QVector<PyToken> &t = f.m_t;
    *handled = false;
    if (t[begin].isName(QLatin1StringView("raise")) && end == begin + 1 && f.m_handlers > 0) {
        *handled = true;
        MigrationOp op;
        op.name = QStringLiteral("@raise");
        op.line = t[begin].line;
        f.m_ops.append(op);
        return true;
    }
    // `name = logging.getLogger(...)`
    if (end - begin > 3 && t[begin].type == PyToken::Name && !ScriptTokens::isKeyword(t[begin])
        && t[begin + 1].isOp(QLatin1StringView("="))) {
        if (auto logger = loggerValue(t, begin + 2, end, f.m_scope, f.m_fileName)) {
            *handled = true;
            f.m_scope.bind(t[begin].text, ScriptBinding{ScriptBinding::Value, *logger, {}, {}, t[begin].line});
        }
        return true;
    }
    QStringList parts;
    int open = 0;
    if (!f.isCallStatement(begin, end, &parts, &open))
        return true;
    const ScriptBinding *b = f.m_scope.lookup(parts.first());
    if (parts.size() == 1 && parts.first() == u"print" && !b) {
        *handled = true;
        return runPrint(open, end - 1);
    }
    if (parts.size() != 2 || !b)
        return true;
    QString logger;
    if (b->kind == ScriptBinding::Import && b->path == u"logging")
        logger = QStringLiteral("root");
    else if (b->kind == ScriptBinding::Value)
        logger = loggerName(b->value);
    if (logger.isEmpty() || (levelOf(parts[1]) == 0 && parts[1] != u"exception"))
        return true;
    *handled = true;
    return runLog(logger, parts[1], open, end - 1);
}

bool EffectInterpreter::runPrint(int open, int close)
{
    FunctionInterpreter &f = m_fn;
    const int line = f.m_t[open].line;
    QVector<PyValue> args;
    QVector<QPair<QString, PyValue>> kwargs;
    ScriptExpression expr(f.m_t, open + 1, close, f.m_scope, f.m_fileName);
    const auto s = expr.evaluateArguments(&args, &kwargs);
    if (s == ScriptExpression::Needs)
        return f.need(expr.needs().reason, expr.needs().line);
    if (s == ScriptExpression::Failed)
        return f.fail(expr.error().message, expr.error().line);
    QString sep = QStringLiteral(" ");
    QString end = QStringLiteral("\n");
    for (const auto &kw : kwargs) {
        QString *target = kw.first == u"sep" ? &sep : kw.first == u"end" ? &end : nullptr;
        if (kw.first == u"flush")
            continue;
        if (!target || !(kw.second.isStr() || kw.second.isNone()))
            return f.need(QStringLiteral("print(%1=...)").arg(kw.first), line);
        if (kw.second.isStr())
            *target = kw.second.toStr();
    }
    QStringList texts;
    for (const PyValue &a : args) {
        QString text;
        if (!ScriptValues::toPyStr(a, &text))
            return f.need(QStringLiteral("print() of a value known only when the script runs"), line);
        texts << text;
    }
    MigrationOp op;
    op.name = QStringLiteral("@print");
    op.line = line;
    op.args << PyValue::string(texts.join(sep) + end);
    f.m_ops.append(op);
    return true;
}

bool EffectInterpreter::runLog(const QString &logger, const QString &method, int open, int close)
{
    FunctionInterpreter &f = m_fn;
    const int line = f.m_t[open].line;
    if (method == u"exception")
        return f.need(QStringLiteral("logging.exception() (logs a traceback)"), line);
    QVector<PyValue> args;
    QVector<QPair<QString, PyValue>> kwargs;
    ScriptExpression expr(f.m_t, open + 1, close, f.m_scope, f.m_fileName);
    const auto s = expr.evaluateArguments(&args, &kwargs);
    if (s == ScriptExpression::Needs)
        return f.need(expr.needs().reason, expr.needs().line);
    if (s == ScriptExpression::Failed)
        return f.fail(expr.error().message, expr.error().line);
    QString message;
    if (!kwargs.isEmpty() || args.isEmpty() || !ScriptValues::toPyStr(args.first(), &message))
        return f.need(QStringLiteral("logging call with these arguments"), line);
    if (args.size() > 1) {
        // LogRecord.getMessage(): msg % args, a lone non-empty mapping used as the mapping.
        const bool mapping = args.size() == 2 && args[1].kind() == PyValue::Dict && !args[1].dictItems().isEmpty();
        const PyValue values = mapping ? args[1] : PyValue::tuple(args.mid(1));
        QString formatted;
        if (!StringFormatter::percent(message, values, &formatted))
            return f.need(QStringLiteral("logging message formatting"), line);
        message = formatted;
    }
    MigrationOp op;
    op.name = QStringLiteral("@log");
    op.line = line;
    op.args << PyValue::integer(levelOf(method)) << PyValue::string(logger) << PyValue::string(message);
    f.m_ops.append(op);
    return true;
}

} // namespace retort
