#include "scriptreflection.h"

#include "scriptvalues.h"

namespace retort {

namespace ScriptReflection {

namespace {

using Kwargs = QVector<QPair<QString, PyValue>>;

PyValue str(const QString &s) { return PyValue::string(s); }

PyValue lookup(const PyValue &dict, const QString &key)
{
    if (dict.kind() != PyValue::Dict)
        return PyValue();
    for (const auto &kv : dict.dictItems())
        if (kv.first.isStr() && kv.first.toStr() == key)
            return kv.second;
    return PyValue();
}

// A plain `sa.MetaData()`: what the corpus reflects into (a bound or named-schema
// MetaData behaves otherwise in SQLAlchemy, so it stays Python's).
bool isMetaData(const PyValue &v)
{
    return v.kind() == PyValue::Call && v.calleeName() == u"sa.MetaData" && v.args().isEmpty()
           && v.kwargs().isEmpty();
}

QString key(const QString &schema, const QString &name)
{
    return schema.isEmpty() ? name : schema + u'.' + name;
}

// The type a reflected column has for the DML renderer: SQLAlchemy's reflected INTEGER,
// VARCHAR, BOOLEAN ... behave as Integer, String, Boolean when a statement binds or
// compares a literal (and `+` on a string type is concatenation, which the renderer
// refuses); anything else stays the opaque reflected type.
PyValue dmlType(const PyValue &reflected)
{
    const PyValue text = reflected.kind() == PyValue::Call && !reflected.args().isEmpty() ? reflected.args().first()
                                                                                          : PyValue();
    if (!text.isStr())
        return reflected;
    const QString t = text.toStr().toUpper();
    const auto type = [](const char *name) {
        return PyValue::call(PyValue::name(QString::fromLatin1(name)), {}, {});
    };
    if (t.startsWith(u"BOOL"))
        return type("sa.Boolean");
    if (t.contains(u"CHAR") || t.contains(u"TEXT") || t.contains(u"CLOB"))
        return type("sa.String");
    if (t.contains(u"INT") && !t.contains(u"INTERVAL") && !t.contains(u"POINT"))
        return type("sa.Integer");
    return reflected;
}

// One inspector call for reflection; a new inspector instance each time, as each
// reflect()/autoload reads afresh (SQLAlchemy's cache lives in one Inspector).
Outcome ask(ScriptInspector &inspector, bool engine, const QString &method, const QVector<PyValue> &args,
            const Kwargs &kwargs, const QVector<MigrationOp> &emitted, PyValue *out, QString *message)
{
    switch (inspector.call(engine, inspector.newInstance(), method, args, kwargs, emitted, out, message)) {
    case ScriptInspector::Answered: return Done;
    case ScriptInspector::Needs: return Needs;
    case ScriptInspector::Stop: return Stop;
    }
    return Needs;
}

Outcome reflectTable(ScriptInspector &inspector, bool engine, const QString &name, const QString &schema,
                     const QVector<MigrationOp> &emitted, PyValue *out, QString *message)
{
    Kwargs kw;
    if (!schema.isEmpty())
        kw.append({QStringLiteral("schema"), str(schema)});
    PyValue answer;
    const Outcome o = ask(inspector, engine, QStringLiteral("reflect_table"), {str(name)}, kw, emitted, &answer, message);
    if (o != Done)
        return o;
    *out = tableValue(name, schema, answer);
    inspector.reflected.insert(key(schema, name), *out);
    return Done;
}

bool schemaArgument(const PyValue *v, QString *schema)
{
    if (!v || v->isNone())
        return true;
    if (!v->isStr())
        return false;
    *schema = v->toStr();
    return true;
}

Outcome reflect(ScriptInspector &inspector, const QVector<PyValue> &args, const Kwargs &kwargs,
                const QVector<MigrationOp> &emitted, PyValue *out, QString *message)
{
    PyValue bind = args.isEmpty() ? PyValue() : args.first();
    const PyValue *only = nullptr;
    QString schema;
    for (const auto &kv : kwargs) {
        if (kv.first == u"bind" && args.isEmpty()) {
            bind = kv.second;
        } else if (kv.first == u"only") {
            only = &kv.second;
        } else if (kv.first == u"schema") {
            if (!schemaArgument(&kv.second, &schema))
                return *message = QStringLiteral("reflect() with schema %1").arg(kv.second.repr()), Needs;
        } else if (kv.first != u"resolve_fks" && kv.first != u"extend_existing" && kv.first != u"autoload_replace"
                   && !(kv.first == u"views" && !kv.second.truthy())) {
            // resolve_fks adds the referred tables: only tables the script names are used,
            // and a name not reflected here needs Python (tables[] below).
            *message = QStringLiteral("reflect() with %1=").arg(kv.first);
            return Needs;
        }
    }
    if (args.size() > 1 || !ScriptInspector::isBindArgument(bind)) {
        *message = QStringLiteral("reflect() on something other than op.get_bind()");
        return Needs;
    }
    const bool engine = bind.toStr().endsWith(u".engine");
    QStringList wanted;
    if (only && !only->isNone()) {
        bool ok = false;
        const auto names = only->toStringTuple(&ok);
        if (!ok || !names || !only->isSequence()) {
            *message = QStringLiteral("reflect(only=%1)").arg(only->repr());
            return Needs;
        }
        wanted = *names;
    }
    Kwargs kw;
    if (!schema.isEmpty())
        kw.append({QStringLiteral("schema"), str(schema)});
    PyValue names;
    Outcome o = ask(inspector, engine, QStringLiteral("reflect_table_names"), {}, kw, emitted, &names, message);
    if (o != Done)
        return o;
    QStringList available;
    for (const PyValue &n : names.items())
        if (n.isStr())
            available << n.toStr();
    if (only && !only->isNone()) {
        QStringList missing;
        for (const QString &w : wanted)
            if (!available.contains(w))
                missing << w;
        if (!missing.isEmpty()) {
            *message = QStringLiteral("Could not reflect: requested table(s) not available in Engine: (%1)")
                           .arg(missing.join(QStringLiteral(", ")));
            return Stop;
        }
        available = wanted;
    }
    for (const QString &name : available) {
        PyValue table;
        o = reflectTable(inspector, engine, name, schema, emitted, &table, message);
        if (o != Done)
            return o;
    }
    *out = PyValue::none();
    return Done;
}

} // namespace

PyValue tableValue(const QString &name, const QString &schema, const PyValue &answer)
{
    const PyValue pk = lookup(lookup(answer, QStringLiteral("pk")), QStringLiteral("constrained_columns"));
    QStringList keyColumns;
    for (const PyValue &c : pk.items())
        if (c.isStr())
            keyColumns << c.toStr();
    QVector<PyValue> args{str(name), PyValue::call(PyValue::name(QStringLiteral("sa.MetaData")), {}, {})};
    for (const PyValue &column : lookup(answer, QStringLiteral("columns")).items()) {
        const PyValue columnName = lookup(column, QStringLiteral("name"));
        if (!columnName.isStr())
            continue;
        Kwargs kw;
        if (keyColumns.contains(columnName.toStr()))
            kw.append({QStringLiteral("primary_key"), PyValue::boolean(true)});
        args << PyValue::call(PyValue::name(QStringLiteral("sa.Column")),
                              {columnName, dmlType(lookup(column, QStringLiteral("type")))}, kw);
    }
    Kwargs kw;
    if (!schema.isEmpty())
        kw.append({QStringLiteral("schema"), str(schema)});
    return PyValue::call(PyValue::name(QStringLiteral("sa.Table")), args, kw);
}

Outcome call(ScriptInspector &inspector, const PyValue &callee, const QVector<PyValue> &args,
             const Kwargs &kwargs, const QVector<MigrationOp> &emitted, PyValue *out, QString *message)
{
    PyValue receiver;
    QString method;
    if (ScriptValues::isAttribute(callee, &receiver, &method)) {
        if (method != u"reflect" || !isMetaData(receiver))
            return NotHandled;
        return reflect(inspector, args, kwargs, emitted, out, message);
    }
    if (callee.kind() != PyValue::Name || callee.toStr() != u"sa.Table" || args.size() != 2 || !args[0].isStr()
        || !isMetaData(args[1]))
        return NotHandled;
    QString schema;
    const PyValue *bind = nullptr;
    for (const auto &kv : kwargs) {
        if (kv.first == u"schema" && schemaArgument(&kv.second, &schema))
            continue;
        if (kv.first == u"autoload_with" && ScriptInspector::isBindArgument(kv.second)) {
            bind = &kv.second;
            continue;
        }
        return NotHandled;   // autoload=True (needs a bound MetaData), extend_existing ...
    }
    const QString name = args[0].toStr();
    if (const auto it = inspector.reflected.constFind(key(schema, name)); it != inspector.reflected.constEnd()) {
        *out = *it;   // Table() of a name already in the MetaData returns that table
        return Done;
    }
    if (!bind)
        return NotHandled;
    return reflectTable(inspector, bind->toStr().endsWith(u".engine"), name, schema, emitted, out, message);
}

Outcome subscript(ScriptInspector &inspector, const PyValue &target, const PyValue &index, PyValue *out,
                  QString *message)
{
    PyValue receiver;
    QString attr;
    if (!ScriptValues::isAttribute(target, &receiver, &attr) || attr != u"tables" || !isMetaData(receiver)
        || !index.isStr())
        return NotHandled;
    const auto it = inspector.reflected.constFind(index.toStr());
    if (it == inspector.reflected.constEnd()) {
        *message = QStringLiteral("MetaData.tables[%1]: a table not reflected").arg(index.repr());
        return Needs;
    }
    *out = *it;
    return Done;
}

} // namespace ScriptReflection

} // namespace retort
