#include "scriptknownvalues.h"

#include "scriptinspector.h"
#include "scriptvalues.h"

namespace retort {

namespace {

const QString &bindMarker()
{
    static const QString m = QStringLiteral("op.get_bind()");
    return m;
}

const QString &contextMarker()
{
    static const QString m = QStringLiteral("op.get_context()");
    return m;
}

// "op.get_bind().dialect" -> rest "dialect"; false when name is not under marker.
bool under(const QString &name, const QString &marker, QString *rest)
{
    if (name == marker) {
        rest->clear();
        return true;
    }
    if (name.size() > marker.size() + 1 && name.startsWith(marker) && name.at(marker.size()) == u'.') {
        *rest = name.mid(marker.size() + 1);
        return true;
    }
    return false;
}

ScriptKnownValues::Status dialectName(const ScriptContext &context, PyValue *out, QString *reason)
{
    if (context.dialect.isEmpty()) {
        *reason = QStringLiteral("condition depends on the dialect");
        return ScriptKnownValues::Needs;
    }
    *out = PyValue::string(context.dialect);
    return ScriptKnownValues::Known;
}

ScriptKnownValues::Status offlineMode(const ScriptContext &context, PyValue *out, QString *reason)
{
    if (context.mode == ScriptContext::UnknownMode) {
        *reason = QStringLiteral("condition depends on offline mode (--sql)");
        return ScriptKnownValues::Needs;
    }
    *out = PyValue::boolean(context.mode == ScriptContext::Offline);
    return ScriptKnownValues::Known;
}

// op.get_bind().engine.url (attr: what follows, ".drivername" ...): the URL as a symbolic
// sa.engine.url.URL('<str(url)>') that str() folds (BuiltinFolder), its drivername and
// database as strings; anything else needs Python.
ScriptKnownValues::Status engineUrl(const ScriptContext &context, const QString &attr, bool called,
                                    PyValue *out, QString *reason)
{
    if (context.url.isEmpty() || (called && attr.isEmpty())) {
        *reason = QStringLiteral("uses op.get_bind().engine.url");
        return ScriptKnownValues::Needs;
    }
    if (attr.isEmpty()) {
        *out = PyValue::call(PyValue::name(QStringLiteral("sa.engine.url.URL")), {PyValue::string(context.url)}, {});
        return ScriptKnownValues::Known;
    }
    if (attr == u".drivername" && !called) {
        *out = PyValue::string(context.urlDrivername);
        return ScriptKnownValues::Known;
    }
    if (attr == u".database" && !called) {
        *out = context.urlDatabase.isEmpty() ? PyValue::none() : PyValue::string(context.urlDatabase);
        return ScriptKnownValues::Known;
    }
    *reason = QStringLiteral("uses op.get_bind().engine.url%1").arg(attr);
    return ScriptKnownValues::Needs;
}

} // namespace

// Debian 12 (bookworm) ships SQLAlchemy 1.4.46 and Alembic 1.8.1: the versions the
// renderer reproduces, so a script's version checks take the branch those would take.
const char *const ScriptKnownValues::SqlAlchemyVersion = "1.4.46";
const char *const ScriptKnownValues::AlembicVersion = "1.8.1";

ScriptKnownValues::Status ScriptKnownValues::name(const PyValue &v, const ScriptContext &context,
                                                  bool called, PyValue *out, QString *reason)
{
    // An attribute of the engine URL value other than those engineUrl() knows.
    PyValue receiver;
    QString attr;
    if (ScriptValues::isAttribute(v, &receiver, &attr) && receiver.kind() == PyValue::Call
        && receiver.callee().kind() == PyValue::Name && receiver.callee().toStr() == u"sa.engine.url.URL") {
        if (!called && (attr == u"drivername" || attr == u"database"))
            return engineUrl(context, u'.' + attr, false, out, reason);
        *reason = QStringLiteral("uses op.get_bind().engine.url.%1").arg(attr);
        return Needs;
    }
    if (v.kind() != PyValue::Name)
        return Unchanged;
    const QString &name = v.toStr();
    // A dotted chain may go on past the known value (sa.__version__.split('.'),
    // bind.dialect.name.lower()): the rest are attributes of that value.
    const auto rest = [&](int known) {
        for (const QString &attr : name.mid(known).split(u'.', Qt::SkipEmptyParts))
            *out = ScriptValues::attribute(*out, attr);
        return Known;
    };
    for (const char *version : {"sa.__version__", "alembic.__version__"}) {
        const QLatin1String prefix(version);
        if (name == prefix || name.startsWith(prefix + u'.')) {
            *out = PyValue::string(QString::fromLatin1(name.startsWith(u's') ? SqlAlchemyVersion : AlembicVersion));
            return rest(prefix.size());
        }
    }
    // An inspector object (ScriptInspector::name()): only its methods are answered.
    if (name.startsWith(u"sqlalchemy.inspect(op.get_bind()")) {
        bool engine = false;
        int instance = 0;
        QString method;
        const int hash = name.indexOf(u'#');
        if (hash < 0 || name.indexOf(u'.', hash) < 0
            || (called && ScriptInspector::parseMethod(name, &engine, &instance, &method)))
            return Unchanged;
        *reason = QStringLiteral("uses inspector.%1").arg(name.mid(name.indexOf(u'.', hash) + 1));
        return Needs;
    }
    QString tail;
    const bool bind = under(name, bindMarker(), &tail);
    if (!bind && !under(name, contextMarker(), &tail))
        return Unchanged;
    const QString &marker = bind ? bindMarker() : contextMarker();
    // A Connection (online) or SQLAlchemy's MockConnection (offline): both have .dialect
    // and .engine (the mock is its own engine, named after the dialect). The context's
    // .bind / .connection is that same connection.
    static const char *const intermediate[][2] = {
        {"b", "dialect"}, {"b", "engine"}, {"b", "engine.dialect"}, {"c", "dialect"}};
    if (bind && (tail == u"engine.url" || tail.startsWith(u"engine.url.")))
        return engineUrl(context, tail.mid(10), called, out, reason);
    static const char *const terminal[][2] = {
        {"b", "dialect.name"}, {"b", "engine.name"}, {"b", "engine.dialect.name"},
        {"c", "dialect.name"}, {"c", "as_sql"}, {"c", "bind"}, {"c", "connection"}};
    const char *const kind = bind ? "b" : "c";
    if (tail.isEmpty())
        return Unchanged;
    for (const auto &i : intermediate)
        if (QLatin1String(i[0]) == QLatin1String(kind) && tail == QLatin1String(i[1]))
            return Unchanged;
    for (const auto &k : terminal) {
        const QLatin1String path(k[1]);
        if (QLatin1String(k[0]) != QLatin1String(kind) || !(tail == path || tail.startsWith(path + u'.')))
            continue;
        Status s = Known;
        if (path == QLatin1String("as_sql"))
            s = offlineMode(context, out, reason);
        else if (path == QLatin1String("bind") || path == QLatin1String("connection"))
            *out = PyValue::name(bindMarker());
        else
            s = dialectName(context, out, reason);
        if (s != Known)
            return s;
        if (out->kind() == PyValue::Name && tail != path) {   // context.bind.dialect ...
            const PyValue rebased = PyValue::name(bindMarker() + tail.mid(path.size()));
            const Status r = ScriptKnownValues::name(rebased, context, called, out, reason);
            if (r == Unchanged)
                *out = rebased;
            return r == Unchanged ? Known : r;
        }
        return rest(marker.size() + 1 + path.size());
    }
    *reason = called ? QStringLiteral("call to %1()").arg(name) : QStringLiteral("uses %1").arg(name);
    return Needs;
}

ScriptKnownValues::Status ScriptKnownValues::call(const PyValue &callee, const ScriptContext &context,
                                                  PyValue *out, QString *reason)
{
    if (callee.kind() != PyValue::Name)
        return Unchanged;
    const QString &name = callee.toStr();
    if (name == u"op.get_bind" || name == u"alembic.context.get_bind") {
        *out = PyValue::name(bindMarker());
        return Known;
    }
    if (name == u"op.get_context" || name == u"alembic.context.get_context") {
        *out = PyValue::name(contextMarker());
        return Known;
    }
    if (name == u"alembic.context.is_offline_mode")
        return offlineMode(context, out, reason);
    return Unchanged;
}

bool ScriptKnownValues::isLive(const PyValue &v)
{
    switch (v.kind()) {
    case PyValue::Name: {
        QString rest;
        return under(v.toStr(), bindMarker(), &rest) || under(v.toStr(), contextMarker(), &rest);
    }
    case PyValue::Dict:
        for (const auto &kv : v.dictItems())
            if (isLive(kv.first) || isLive(kv.second))
                return true;
        return false;
    case PyValue::Call:
        for (const auto &kv : v.kwargs())
            if (isLive(kv.second))
                return true;
        Q_FALLTHROUGH();
    case PyValue::Tuple:
    case PyValue::List:
    case PyValue::Set:
    case PyValue::Subscript:   // items(): the callee and arguments, or target and index
        for (const PyValue &i : v.items())
            if (isLive(i))
                return true;
        return false;
    default:
        return false;
    }
}

bool ScriptKnownValues::isBind(const PyValue &v)
{
    return v.kind() == PyValue::Name && v.toStr() == bindMarker();
}

} // namespace retort
