#pragma once
// What a revision script may ask about the run it is part of, when that is known:
// the dialect's name (op.get_bind().dialect.name, op.get_context().dialect.name) and
// whether the run writes SQL (context.is_offline_mode()). The interpreter decides
// conditions on these natively; an unknown one makes such a condition need Python.

#include <QString>

namespace retort {

class ScriptInspector;

struct ScriptContext
{
    enum Mode { UnknownMode, Online, Offline };

    // SQLAlchemy's dialect.name: "sqlite", "postgresql", "mysql", "mariadb"; empty = unknown.
    QString dialect;
    Mode mode = UnknownMode;

    // Online, interpreted when the step runs: the live database inspection asks, for the
    // function named liveFunction only (not part of key(): never cached).
    ScriptInspector *inspector = nullptr;
    QString liveFunction;

    ScriptContext() = default;
    ScriptContext(QString dialectName, Mode m) : dialect(std::move(dialectName)), mode(m) {}

    // Identifies the context, e.g. for caches of interpreted scripts.
    QString key() const { return dialect + u'/' + QString::number(int(mode)); }
    bool operator==(const ScriptContext &o) const { return dialect == o.dialect && mode == o.mode; }
};

} // namespace retort
