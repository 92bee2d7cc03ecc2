#include "columnclauses.h"

#include "sqlexpression.h"

#include <QHash>
#include <QStringList>

namespace retort {

namespace {

const QStringList kIdentityOptions = {QStringLiteral("start"), QStringLiteral("increment"),
                                      QStringLiteral("minvalue"), QStringLiteral("maxvalue"),
                                      QStringLiteral("nominvalue"), QStringLiteral("nomaxvalue"),
                                      QStringLiteral("cycle"), QStringLiteral("cache"), QStringLiteral("order")};
const QStringList kIdentityParams = QStringList{QStringLiteral("always"), QStringLiteral("on_null")} + kIdentityOptions;
const QStringList kSequenceParams = QStringList{QStringLiteral("name")} + kIdentityOptions.mid(0, 7)
    + QStringList{QStringLiteral("schema"), QStringLiteral("cache"), QStringLiteral("order"),
                  QStringLiteral("data_type"), QStringLiteral("optional"), QStringLiteral("quote"),
                  QStringLiteral("metadata"), QStringLiteral("quote_schema"), QStringLiteral("for_update")};

QString shortName(const PyValue &v)
{
    QString c = v.calleeName();
    for (const char *p : {"sa.schema.", "sa.sql.ddl.", "sa."})
        if (c.startsWith(QLatin1String(p)))
            return c.mid(int(qstrlen(p)));
    return c;
}

// The call's arguments bound to `params` (positional first), as SQLAlchemy's signature.
Result<QHash<QString, PyValue>> bindCall(const PyValue &call, const QStringList &params, const QString &what)
{
    QHash<QString, PyValue> out;
    const QVector<PyValue> args = call.args();
    if (args.size() > params.size())
        return Error(QStringLiteral("%1: too many positional arguments").arg(what));
    for (int i = 0; i < args.size(); ++i)
        out.insert(params.at(i), args.at(i));
    for (const auto &kv : call.kwargs()) {
        if (!params.contains(kv.first))
            return Error(QStringLiteral("unsupported %1 argument %2=").arg(what, kv.first));
        if (out.contains(kv.first))
            return Error(QStringLiteral("%1 got multiple values for argument '%2'").arg(what, kv.first));
        out.insert(kv.first, kv.second);
    }
    return out;
}

VoidResult checkOptions(const QHash<QString, PyValue> &values, const QString &what)
{
    for (auto it = values.constBegin(); it != values.constEnd(); ++it) {
        if (!kIdentityOptions.contains(it.key()) || it.value().isNone())
            continue;
        const bool flag = it.key() == QLatin1String("cycle") || it.key() == QLatin1String("order")
            || it.key().startsWith(QLatin1String("no"));
        if (flag ? it.value().kind() != PyValue::Bool && it.value().kind() != PyValue::Int
                 : it.value().kind() != PyValue::Int)
            return Error(QStringLiteral("unsupported %1 argument %2=%3").arg(what, it.key(), it.value().repr()));
    }
    return {};
}

// SQLAlchemy's get_identity_options: the options given (not None), in a fixed order.
QString identityOptions(const QHash<QString, PyValue> &v)
{
    auto given = [&](const char *k) { return v.contains(QLatin1String(k)) && !v.value(QLatin1String(k)).isNone(); };
    auto num = [&](const char *k) { return QString::number(v.value(QLatin1String(k)).toInt()); };
    QStringList text;
    if (given("increment"))
        text << QStringLiteral("INCREMENT BY ") + num("increment");
    if (given("start"))
        text << QStringLiteral("START WITH ") + num("start");
    if (given("minvalue"))
        text << QStringLiteral("MINVALUE ") + num("minvalue");
    if (given("maxvalue"))
        text << QStringLiteral("MAXVALUE ") + num("maxvalue");
    if (given("nominvalue"))
        text << QStringLiteral("NO MINVALUE");
    if (given("nomaxvalue"))
        text << QStringLiteral("NO MAXVALUE");
    if (given("cache"))
        text << QStringLiteral("CACHE ") + num("cache");
    if (given("order"))
        text << (v.value(QStringLiteral("order")).truthy() ? QStringLiteral("ORDER") : QStringLiteral("NO ORDER"));
    if (given("cycle"))
        text << (v.value(QStringLiteral("cycle")).truthy() ? QStringLiteral("CYCLE") : QStringLiteral("NO CYCLE"));
    return text.join(QLatin1Char(' '));
}

} // namespace

VoidResult ColumnClauses::validateIdentity(const PyValue &call)
{
    auto v = bindCall(call, kIdentityParams, QStringLiteral("Identity"));
    if (!v)
        return v.error();
    return checkOptions(*v, QStringLiteral("Identity"));
}

VoidResult ColumnClauses::validateComputed(const PyValue &call)
{
    auto v = bindCall(call, {QStringLiteral("sqltext"), QStringLiteral("persisted")}, QStringLiteral("Computed"));
    if (!v)
        return v.error();
    const PyValue text = v->value(QStringLiteral("sqltext"));
    if (!text.isStr() && !SqlExpression::isText(text))
        return Error(QStringLiteral("unsupported Computed expression %1").arg(text.repr()));
    return {};
}

VoidResult ColumnClauses::validateSequence(const PyValue &call)
{
    auto v = bindCall(call, kSequenceParams, QStringLiteral("Sequence"));
    if (!v)
        return v.error();
    if (!v->value(QStringLiteral("name")).isStr())
        return Error(QStringLiteral("Sequence needs a name"));
    // data_type (PostgreSQL "AS <type>") and quoting overrides are not rendered.
    for (const char *k : {"data_type", "quote", "quote_schema"})
        if (v->contains(QLatin1String(k)) && !v->value(QLatin1String(k)).isNone())
            return Error(QStringLiteral("unsupported Sequence argument %1=").arg(QLatin1String(k)));
    const PyValue schema = v->value(QStringLiteral("schema"));
    if (!schema.isNone() && !schema.isStr())
        return Error(QStringLiteral("unsupported Sequence argument schema=%1").arg(schema.repr()));
    return checkOptions(*v, QStringLiteral("Sequence"));
}

bool ColumnClauses::isOptionalSequence(const PyValue &call)
{
    const PyValue *o = call.kwarg(QStringLiteral("optional"));
    return o && o->truthy();
}

QString ColumnClauses::identity(const PyValue &call)
{
    const auto v = bindCall(call, kIdentityParams, QString());
    const QHash<QString, PyValue> values = v ? *v : QHash<QString, PyValue>();
    QString text = QStringLiteral("GENERATED %1 AS IDENTITY")
                       .arg(values.value(QStringLiteral("always")).truthy() ? QStringLiteral("ALWAYS")
                                                                            : QStringLiteral("BY DEFAULT"));
    const QString options = identityOptions(values);
    if (!options.isEmpty())
        text += QStringLiteral(" (%1)").arg(options);
    return text;
}

Result<QString> ColumnClauses::computed(const PyValue &call, const Dialect &d)
{
    auto v = bindCall(call, {QStringLiteral("sqltext"), QStringLiteral("persisted")}, QStringLiteral("Computed"));
    if (!v)
        return v.error();
    auto expr = SqlExpression::sqlText(v->value(QStringLiteral("sqltext")), d);
    if (!expr)
        return expr;
    const PyValue persisted = v->value(QStringLiteral("persisted"));
    QString text = QStringLiteral("GENERATED ALWAYS AS (%1)").arg(*expr);
    if (d.kind() == Dialect::PostgreSQL) {
        if (!persisted.isNone() && !persisted.truthy())
            return Error(QStringLiteral("PostrgreSQL computed columns do not support 'virtual' persistence; set "
                                        "the 'persisted' flag to None or True for PostgreSQL support."));
        return text + QStringLiteral(" STORED");
    }
    if (!persisted.isNone())
        text += persisted.truthy() ? QStringLiteral(" STORED") : QStringLiteral(" VIRTUAL");
    return text;
}

QString ColumnClauses::deferrability(const ConstraintDef &c)
{
    QString s;
    if (c.deferrable)
        s += *c.deferrable ? QStringLiteral(" DEFERRABLE") : QStringLiteral(" NOT DEFERRABLE");
    if (!c.initially.isEmpty())
        s += QStringLiteral(" INITIALLY ") + c.initially;
    return s;
}

Result<bool> ColumnClauses::applyDeferrability(ConstraintDef &c, const QString &key, const PyValue &value)
{
    if (key == QLatin1String("deferrable")) {
        if (!value.isNone())
            c.deferrable = value.truthy();
        return true;
    }
    if (key != QLatin1String("initially"))
        return false;
    if (value.isNone())
        return true;
    // SQLAlchemy's validate_sql_phrase(initially, FK_INITIALLY).
    const QString upper = value.toStr().toUpper();
    if (!value.isStr() || (upper != QLatin1String("DEFERRED") && upper != QLatin1String("IMMEDIATE")))
        return Error(QStringLiteral("Unexpected SQL phrase: %1 (matching against '^(?:DEFERRED|IMMEDIATE)$')")
                         .arg(value.repr()));
    c.initially = value.toStr();
    return true;
}

QString ColumnClauses::inlineChecks(const ColumnDef &column, const Dialect &d)
{
    QString s;
    for (const ConstraintDef &c : column.checks) {
        s += QLatin1Char(' ');
        if (!c.name.isEmpty())
            s += QStringLiteral("CONSTRAINT %1 ").arg(d.quoteIdentifier(c.name));
        s += QStringLiteral("CHECK (%1)").arg(c.sqlText) + deferrability(c);
    }
    return s;
}

bool ColumnClauses::isSequenceDdl(const PyValue &value)
{
    const QString c = shortName(value);
    return c == QLatin1String("CreateSequence") || c == QLatin1String("DropSequence");
}

Result<QString> ColumnClauses::sequenceDdl(const PyValue &value, const Dialect &d)
{
    const bool create = shortName(value) == QLatin1String("CreateSequence");
    const QVector<PyValue> args = value.args();
    if (args.size() != 1 || !value.kwargs().isEmpty() || shortName(args.first()) != QLatin1String("Sequence"))
        return Error(QStringLiteral("unsupported %1").arg(value.repr()));
    const PyValue &seq = args.first();
    auto valid = validateSequence(seq);
    if (!valid)
        return valid.error();
    auto v = bindCall(seq, kSequenceParams, QStringLiteral("Sequence"));
    if (!v)
        return v.error();
    const PyValue schema = v->value(QStringLiteral("schema"));
    const QString name = d.qualifiedName(schema.isStr() ? schema.toStr() : QString(),
                                         v->value(QStringLiteral("name")).toStr());
    if (!create)
        return QStringLiteral("DROP SEQUENCE ") + name;
    QHash<QString, PyValue> options = *v;
    // SQLAlchemy 1.4 fills in the dialect's default_sequence_base (1) for CREATE.
    if (options.value(QStringLiteral("start")).isNone())
        options.insert(QStringLiteral("start"), PyValue::integer(1));
    return QStringLiteral("CREATE SEQUENCE %1 %2").arg(name, identityOptions(options));
}

} // namespace retort
