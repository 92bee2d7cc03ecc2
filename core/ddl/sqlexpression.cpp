#include "sqlexpression.h"

#include "typerenderer.h"
#include "operations/scriptvalues.h"

#include <QRegularExpression>
#include <QStringList>

#include <optional>

namespace retort {

namespace {

Error unsupported(const PyValue &v)
{
    return Error(QStringLiteral("unsupported SQL expression %1").arg(v.repr()));
}

QString pyFloat(double d)
{
    QString s = QString::number(d, 'g', 17);
    // Python's repr: shortest round-trip text, always with a '.' or exponent.
    for (int prec = 1; prec <= 17; ++prec) {
        const QString t = QString::number(d, 'g', prec);
        if (t.toDouble() == d) {
            s = t;
            break;
        }
    }
    if (!s.contains(QLatin1Char('.')) && !s.contains(QLatin1Char('e')))
        s += QStringLiteral(".0");
    return s;
}

// sa.func.<name>(args): SQLAlchemy knows a few "ANSI" functions rendered without parens.
Result<QString> renderFunc(const PyValue &call, const Dialect &d)
{
    const QString fn = call.calleeName().mid(8);   // after "sa.func."
    const QString lower = fn.toLower();
    if (lower == QLatin1String("now"))
        return d.kind() == Dialect::SQLite ? QStringLiteral("CURRENT_TIMESTAMP") : QStringLiteral("now()");
    static const QStringList ansi = {QStringLiteral("current_timestamp"), QStringLiteral("current_date"),
                                     QStringLiteral("current_time"), QStringLiteral("localtime"),
                                     QStringLiteral("localtimestamp"), QStringLiteral("current_user"),
                                     QStringLiteral("session_user"), QStringLiteral("user")};
    if (ansi.contains(lower) && call.args().isEmpty())
        return lower.toUpper();
    QStringList args;
    for (const PyValue &a : call.args()) {
        auto r = a.isStr() ? Result<QString>(d.stringLiteral(a.toStr()))
                           : SqlExpression::sqlText(a, d);
        if (!r)
            return r;
        args << *r;
    }
    return fn + QLatin1Char('(') + args.join(QStringLiteral(", ")) + QLatin1Char(')');
}

// "true"/"false" for sa.true()/sa.false() however imported (sa.sql.true, sql.expression.false ...),
// and for their classes called (sa.sql.False_(): the same singleton, compiled alike).
QString booleanConstant(const QString &callee)
{
    for (const char *prefix : {"sa.", "sa.sql.", "sa.sql.expression.", "sa.sql.elements.", "sa.expression."}) {
        if (!callee.startsWith(QLatin1String(prefix)))
            continue;
        const QString rest = callee.mid(int(qstrlen(prefix)));
        if (rest == QLatin1String("true") || rest == QLatin1String("false"))
            return rest;
        if (rest == QLatin1String("True_") || rest == QLatin1String("False_"))
            return rest.chopped(1).toLower();
    }
    return QString();
}

// datetime.date/datetime/time(...) with literal int arguments -> {y, m, d, H, M, S, us}.
bool dateParts(const PyValue &v, const QString &kind, QVector<qint64> *out)
{
    if (v.calleeName() != kind || !v.kwargs().isEmpty())
        return false;
    const QVector<PyValue> args = v.args();
    const bool isTime = kind == QLatin1String("datetime.time");
    const int required = isTime ? 1 : 3;
    const int max = isTime ? 4 : (kind == QLatin1String("datetime.date") ? 3 : 7);
    if (args.size() < required || args.size() > max)
        return false;
    QVector<qint64> parts(7, 0);
    const int offset = isTime ? 3 : 0;
    for (int i = 0; i < args.size(); ++i) {
        if (args.at(i).kind() != PyValue::Int)
            return false;
        parts[offset + i] = args.at(i).toInt();
    }
    *out = parts;
    return true;
}

QString pad(qint64 n, int width)
{
    return QStringLiteral("%1").arg(n, width, 10, QLatin1Char('0'));
}

// SQLite's DATE/DATETIME/TIME literal processors: their storage formats, quoted.
// PostgreSQL and MySQL have none (SQLAlchemy refuses the literal).
std::optional<QString> sqliteDateLiteral(const PyValue &v, const QString &typeName)
{
    QVector<qint64> p;
    auto ymd = [&] { return QStringLiteral("%1-%2-%3").arg(pad(p[0], 4), pad(p[1], 2), pad(p[2], 2)); };
    auto hms = [&] { return QStringLiteral("%1:%2:%3.%4").arg(pad(p[3], 2), pad(p[4], 2), pad(p[5], 2), pad(p[6], 6)); };
    const bool untyped = typeName.isEmpty();
    const bool dateType = typeName == QLatin1String("Date") || typeName == QLatin1String("DATE");
    const bool dtType = typeName == QLatin1String("DateTime") || typeName == QLatin1String("DATETIME")
        || typeName == QLatin1String("TIMESTAMP");
    const bool timeType = typeName == QLatin1String("Time") || typeName == QLatin1String("TIME");
    if (dateParts(v, QStringLiteral("datetime.datetime"), &p)) {
        if (untyped || dtType)
            return QStringLiteral("'%1 %2'").arg(ymd(), hms());
        if (dateType)
            return QStringLiteral("'%1'").arg(ymd());
    } else if (dateParts(v, QStringLiteral("datetime.date"), &p)) {
        if (untyped || dateType)
            return QStringLiteral("'%1'").arg(ymd());
    } else if (dateParts(v, QStringLiteral("datetime.time"), &p)) {
        if (untyped || timeType)
            return QStringLiteral("'%1'").arg(hms());
    }
    return std::nullopt;
}

// decimal.Decimal('10.50') / Decimal(3): str(Decimal), for plain decimal text only.
std::optional<QString> decimalLiteral(const PyValue &v)
{
    if (v.calleeName() != QLatin1String("decimal.Decimal") || v.args().size() != 1 || !v.kwargs().isEmpty())
        return std::nullopt;
    const PyValue a = v.args().first();
    if (a.kind() == PyValue::Int)
        return QString::number(a.toInt());
    static const QRegularExpression plain(QStringLiteral("^-?[0-9]+(\\.[0-9]+)?$"));
    if (a.isStr() && plain.match(a.toStr().trimmed()).hasMatch())
        return a.toStr().trimmed();
    return std::nullopt;
}

} // namespace

bool SqlExpression::name(const PyValue &value, QString *out)
{
    if (value.isNone()) {
        out->clear();
        return true;
    }
    if (value.isStr()) {
        *out = value.toStr();
        return true;
    }
    const QString callee = value.calleeName();
    if ((callee == QLatin1String("op.f") || callee == QLatin1String("sa.sql.elements.conv")
         || callee == QLatin1String("sa.conv"))
        && value.args().size() == 1 && value.args().first().isStr()) {
        *out = value.args().first().toStr();
        return true;
    }
    return false;
}

bool SqlExpression::isText(const PyValue &value)
{
    const QString c = value.calleeName();
    return c == QLatin1String("sa.text") || c == QLatin1String("sa.literal_column");
}

Result<QString> SqlExpression::literal(const PyValue &value, const Dialect &d, const PyValue *type)
{
    const bool nativeBool = d.kind() != Dialect::SQLite;
    switch (value.kind()) {
    case PyValue::None: return QStringLiteral("NULL");
    case PyValue::Bool:
        if (type && TypeRenderer::isInteger(*type))   // Integer's processor: str(int(value))
            return value.toBool() ? QStringLiteral("1") : QStringLiteral("0");
        if (nativeBool)
            return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        return value.toBool() ? QStringLiteral("1") : QStringLiteral("0");
    case PyValue::Int:
        if (type && TypeRenderer::isBoolean(*type) && (value.toInt() == 0 || value.toInt() == 1) && nativeBool)
            return value.toInt() ? QStringLiteral("true") : QStringLiteral("false");
        return QString::number(value.toInt());
    case PyValue::Float:
        // Integer's literal processor is str(int(value)).
        if (type && TypeRenderer::isInteger(*type))
            return QString::number(qint64(value.toDouble()));
        return pyFloat(value.toDouble());
    case PyValue::Str: return d.stringLiteral(value.toStr());
    default: break;
    }
    if (value.calleeName() == QLatin1String("op.inline_literal") && !value.args().isEmpty())
        return literal(value.args().first(), d, type);
    const PyValue resolved = type ? TypeRenderer::resolve(*type, d) : PyValue();
    const QString typeName = type ? TypeRenderer::typeName(resolved).section(QLatin1Char('.'), -1) : QString();
    if (auto dec = decimalLiteral(value)) {
        if (type && TypeRenderer::isInteger(resolved))
            return dec->section(QLatin1Char('.'), 0, 0);
        return *dec;
    }
    if (d.kind() == Dialect::SQLite)
        if (auto date = sqliteDateLiteral(value, typeName))
            return *date;
    // SQLAlchemy names the bind's type: the column's, else the one the value implies.
    QString typeText = QStringLiteral("NULL");
    if (type) {
        auto t = TypeRenderer::render(resolved, Dialect(Dialect::SQLite));
        typeText = t ? *t : typeName;
    } else if (value.calleeName().startsWith(QLatin1String("datetime."))) {
        typeText = value.calleeName().mid(9).toUpper();
    } else if (value.kind() == PyValue::Dict || value.kind() == PyValue::List) {
        typeText = QStringLiteral("NULL");
    }
    return Error(QStringLiteral("No literal value renderer is available for literal value \"%1\" with datatype %2")
                     .arg(value.repr(), typeText));
}

Result<QString> SqlExpression::serverDefault(const PyValue &value, const Dialect &d)
{
    if (value.isStr())
        return d.stringLiteral(value.toStr());
    if (value.kind() != PyValue::Call)   // DefaultClause takes str or a SQL expression only
        return Error(QStringLiteral("server_default must be a string or SQL expression, not %1").arg(value.repr()));
    auto r = sqlText(value, d);
    if (!r)
        return r;
    // SQLite parenthesizes defaults that are SQL expressions (not plain text()).
    if (d.kind() == Dialect::SQLite && !isText(value))
        return QLatin1Char('(') + *r + QLatin1Char(')');
    return r;
}

Result<QString> SqlExpression::sqlText(const PyValue &value, const Dialect &d)
{
    if (value.isStr())
        return value.toStr();
    const QString c = value.calleeName();
    if (isText(value) && !value.args().isEmpty() && value.args().first().isStr())
        return value.args().first().toStr();
    if (const QString b = booleanConstant(c); !b.isEmpty()) {
        const bool t = b == QLatin1String("true");
        if (d.kind() == Dialect::SQLite)
            return t ? QStringLiteral("1") : QStringLiteral("0");
        return t ? QStringLiteral("true") : QStringLiteral("false");
    }
    if (c.startsWith(QLatin1String("sa.func.")))
        return renderFunc(value, d);
    // sa.literal(value): a bound literal compiled with literal_binds (typed by its value).
    if (c == QLatin1String("sa.literal") && value.args().size() == 1 && value.kwargs().isEmpty()
        && ScriptValues::isConstant(value.args().first()) && !value.args().first().isNone())
        return literal(value.args().first(), d);
    // sa.column('x') (a bare column name), sa.desc(e)/sa.asc(e) and e.desc()/e.asc().
    if (c == QLatin1String("sa.column") && value.args().size() == 1 && value.args().first().isStr()
        && value.kwargs().isEmpty())
        return d.quoteIdentifier(value.args().first().toStr());
    PyValue operand;
    QString order;
    if ((c == QLatin1String("sa.desc") || c == QLatin1String("sa.asc")) && value.args().size() == 1
        && value.kwargs().isEmpty()) {
        operand = value.args().first();
        order = c.mid(3);
    } else if (ScriptValues::isMethodCall(value, &operand, &order) && value.args().isEmpty()
               && value.kwargs().isEmpty() && (order == QLatin1String("desc") || order == QLatin1String("asc"))
               && operand.kind() == PyValue::Call) {
    } else {
        order.clear();
    }
    if (!order.isEmpty()) {
        // A bare string operand would be a bound literal, not a column.
        if (operand.isStr())
            return unsupported(value);
        auto inner = sqlText(operand, d);
        if (!inner)
            return inner;
        return *inner + QLatin1Char(' ') + order.toUpper();
    }
    if (value.kind() == PyValue::Int || value.kind() == PyValue::Float || value.kind() == PyValue::Bool)
        return literal(value, d);
    return unsupported(value);
}

} // namespace retort
