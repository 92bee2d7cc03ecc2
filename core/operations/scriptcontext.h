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
    // The engine's URL (op.get_bind().engine.url) as SQLAlchemy's str() renders it, with
    // its drivername and database; empty = unknown. Offline too: Retort's Alembic worker
    // gives the mock connection the same URL.
    QString url;
    QString urlDrivername;
    QString urlDatabase;

    ScriptContext() = default;
    ScriptContext(QString dialectName, Mode m) : dialect(std::move(dialectName)), mode(m) {}

    // Identifies the context, e.g. for caches of interpreted scripts.
    QString key() const { return dialect + u'/' + QString::number(int(mode)) + u'/' + url; }
    bool operator==(const ScriptContext &o) const { return dialect == o.dialect && mode == o.mode && url == o.url; }
    // This context for another dialect and mode (the URL kept).
    ScriptContext with(const QString &dialectName, Mode m) const
    {
        ScriptContext c = *this;
        c.dialect = dialectName;
        c.mode = m;
        c.inspector = nullptr;
        c.liveFunction.clear();
        return c;
    }
};

} // namespace retort
