#include "replayinspector.h"

namespace retort {

PyValue ReplayInspector::fullAnswer(const QString &method, const QStringList &strings)
{
    const auto s = [](const char *t) { return PyValue::string(QString::fromLatin1(t)); };
    if (method == u"has_table")
        return PyValue::boolean(true);
    QStringList names = strings;
    names.removeDuplicates();
    names = names.mid(0, 40);
    if (names.isEmpty())
        names << QStringLiteral("c");
    QVector<PyValue> out;
    for (const QString &n : names) {
        const PyValue name = PyValue::string(n);
        const PyValue cols = PyValue::list({name});
        if (method == u"get_table_names") {
            out << name;
            continue;
        }
        if (method == u"get_pk_constraint")
            return PyValue::dict({{s("constrained_columns"), cols}, {s("name"), name}});
        out << PyValue::dict({{s("name"), name}, {s("column_names"), cols}, {s("unique"), PyValue::boolean(false)},
                              {s("constrained_columns"), cols}, {s("referred_schema"), PyValue::none()},
                              {s("referred_table"), name}, {s("referred_columns"), cols}, {s("options"), PyValue::dict({})},
                              {s("type"), PyValue::call(PyValue::name(QStringLiteral("sa.types.ReflectedType")), {s("INTEGER")}, {})},
                              {s("nullable"), PyValue::boolean(true)}, {s("default"), PyValue::none()},
                              {s("autoincrement"), s("auto")}, {s("comment"), PyValue::none()}});
    }
    return PyValue::list(out);
}

ScriptInspector::Status ReplayInspector::call(bool engine, int instance, const QString &method,
                                              const QVector<PyValue> &args,
                                              const QVector<QPair<QString, PyValue>> &kwargs,
                                              const QVector<MigrationOp> &emitted, PyValue *out, QString *message)
{
    // SQLAlchemy's info_cache: an inspector read each thing once (not has_table()).
    QString key;
    if (method != u"has_table") {
        key = QString::number(instance) + u'\n' + method + u'\n' + PyValue::list(args).repr();
        for (const auto &kw : kwargs)
            key += u'\n' + kw.first + u'=' + kw.second.repr();
        if (const auto cached = m_cache.constFind(key); cached != m_cache.constEnd()) {
            *out = *cached;
            return Answered;
        }
    }
    const Status s = answer(engine, method, args, kwargs, emitted, out, message);
    if (s == Answered && !key.isEmpty())
        m_cache.insert(key, *out);
    return s;
}

ScriptInspector::Status ReplayInspector::answer(bool engine, const QString &method, const QVector<PyValue> &args,
                                                const QVector<QPair<QString, PyValue>> &kwargs,
                                                const QVector<MigrationOp> &emitted, PyValue *out,
                                                QString *message)
{
    const int k = m_calls++;
    if (k < m_state.answers.size()) {
        *out = m_state.answers.at(k);
        return Answered;
    }
    if (!m_probe && emitted.size() > m_state.executed) {
        stopAt = int(emitted.size());
        pending = emitted.mid(m_state.executed);
        *message = QStringLiteral("inspection after statements that have not run");
        return Stop;
    }
    const bool reflection = method.startsWith(QLatin1String("reflect_"));
    Result<PyValue> r = reflection ? reflect(engine, method, args, kwargs) : m_options.inspector(engine, method, args, kwargs);
    if (m_probe && reflection)   // what the database has, and everything the script names
        r = m_full || !r ? fullReflection(method, m_strings) : merged(*r, fullReflection(method, m_strings));
    else if (m_probe && (r || !r.error().message.startsWith(QLatin1String("needs Python: "))))
        r = m_full || !r ? fullAnswer(method, m_strings) : *r;
    if (!r) {
        if (r.error().message.startsWith(QLatin1String("needs Python: "))) {
            *message = r.error().message.mid(14);
            return Needs;
        }
        error = r.error();
        *message = r.error().message;
        return Stop;
    }
    m_state.answers << *r;
    *out = *r;
    return Answered;
}

// ScriptReflection's questions: "reflect_table_names" is get_table_names();
// "reflect_table" is {"columns": get_columns(), "pk": get_pk_constraint()} of one table.
Result<PyValue> ReplayInspector::reflect(bool engine, const QString &method, const QVector<PyValue> &args,
                                         const QVector<QPair<QString, PyValue>> &kwargs) const
{
    if (method == u"reflect_table_names")
        return m_options.inspector(engine, QStringLiteral("get_table_names"), {}, kwargs);
    if (method != u"reflect_table")
        return Error(QStringLiteral("needs Python: inspector.%1").arg(method));
    auto columns = m_options.inspector(engine, QStringLiteral("get_columns"), args, kwargs);
    if (!columns)
        return columns;
    auto pk = m_options.inspector(engine, QStringLiteral("get_pk_constraint"), args, kwargs);
    if (!pk)
        return pk;
    return PyValue::dict({{PyValue::string(QStringLiteral("columns")), *columns},
                          {PyValue::string(QStringLiteral("pk")), *pk}});
}

PyValue ReplayInspector::fullReflection(const QString &method, const QStringList &strings)
{
    if (method == u"reflect_table_names")
        return fullAnswer(QStringLiteral("get_table_names"), strings);
    return PyValue::dict({{PyValue::string(QStringLiteral("columns")), fullAnswer(QStringLiteral("get_columns"), strings)},
                          {PyValue::string(QStringLiteral("pk")), PyValue::dict({})}});
}

// A probe of reflection before the run: the tables and columns the database has now,
// plus every name of the script (statements of the step that run before the reflection,
// or earlier steps, may create them).
PyValue ReplayInspector::merged(const PyValue &real, const PyValue &full)
{
    const auto nameOf = [](const PyValue &v) {
        if (v.isStr())
            return v.toStr();
        for (const auto &kv : v.kind() == PyValue::Dict ? v.dictItems() : QVector<QPair<PyValue, PyValue>>())
            if (kv.first.isStr() && kv.first.toStr() == u"name" && kv.second.isStr())
                return kv.second.toStr();
        return QString();
    };
    const auto unite = [&](const PyValue &a, const PyValue &b) {
        QVector<PyValue> out = a.items();
        QStringList seen;
        for (const PyValue &v : out)
            seen << nameOf(v);
        for (const PyValue &v : b.items())
            if (!seen.contains(nameOf(v)))
                out << v;
        return PyValue::list(out);
    };
    if (real.kind() != PyValue::Dict)
        return unite(real, full);
    QVector<QPair<PyValue, PyValue>> out = real.dictItems();
    for (auto &kv : out)
        if (kv.first.isStr() && kv.first.toStr() == u"columns")
            for (const auto &f : full.dictItems())
                if (f.first == kv.first)
                    kv.second = unite(kv.second, f.second);
    return PyValue::dict(out);
}

} // namespace retort
