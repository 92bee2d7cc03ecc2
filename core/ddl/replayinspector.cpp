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
    Result<PyValue> r = m_options.inspector(engine, method, args, kwargs);
    if (m_probe && (r || !r.error().message.startsWith(QLatin1String("needs Python: "))))
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

} // namespace retort
