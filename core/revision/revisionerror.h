#pragma once
// A failure inside the revision graph, typed like Alembic's RevisionError hierarchy
// (alembic/script/revision.py), so that callers can rewrite it the way
// ScriptDirectory._catch_revision_errors does before printing "FAILED: ...".

#include "result.h"

#include <QString>
#include <QStringList>
#include <optional>
#include <utility>

namespace retort {

struct RevisionError
{
    enum Kind {
        Generic,           // plain RevisionError
        RangeNotAncestor,  // RangeNotAncestorError(lower, upper)
        MultipleHeads,     // MultipleHeads(heads, argument)
        Resolution,        // ResolutionError(message, argument)
        Cycle,             // CycleDetected and its subclasses (message says which)
        Crash              // where Alembic dies with a traceback: our clean equivalent
                           // (assertions: message starts "AssertionError", as the
                           // traceback's last line; lookups: names revision and file)
    };

    Kind kind = Generic;
    QString message;     // str(err): Alembic's exception text
    QString argument;    // MultipleHeads / Resolution: the offending argument
    QStringList heads;   // MultipleHeads: the heads found
    QString lower;       // RangeNotAncestor: as given ("" means None)
    QString upper;
    QString file;        // script path when the error is about one script

    static RevisionError generic(const QString &msg, const QString &file = {})
    { RevisionError e; e.message = msg; e.file = file; return e; }

    // The error as Alembic's RevisionError text, unrewritten.
    Error toError() const { return Error(message, file); }
};

// Parameters of ScriptDirectory._catch_revision_errors(ancestor=, multiple_heads=,
// start=, end=, resolution=). Templates use Python's %(name)s placeholders
// (start, end, head_arg, heads) exactly as Alembic's call sites write them.
struct RevisionErrorContext
{
    std::optional<QString> ancestor;       // template with %(start)s / %(end)s
    std::optional<QString> multipleHeads;  // template with %(head_arg)s / %(heads)s
    std::optional<QString> start;
    std::optional<QString> end;
    std::optional<QString> resolution;     // literal message

    // The contexts ScriptDirectory's own call sites use (alembic/script/base.py).
    // walk_revisions(base, head): start/end are the arguments as Python str() them.
    static RevisionErrorContext walk(const QString &start, const QString &end)
    { RevisionErrorContext c; c.start = start; c.end = end; return c; }
    // _upgrade_revs / _downgrade_revs(destination, ...).
    static RevisionErrorContext upgrade(const QString &destination)
    {
        RevisionErrorContext c;
        c.ancestor = QStringLiteral("Destination %(end)s is not a valid upgrade target from "
                                    "current head(s)");
        c.end = destination;
        return c;
    }
    static RevisionErrorContext downgrade(const QString &destination)
    {
        RevisionErrorContext c = upgrade(destination);
        c.ancestor = QStringLiteral("Destination %(end)s is not a valid downgrade target from "
                                    "current head(s)");
        return c;
    }
    // _stamp_revs.
    static RevisionErrorContext stamp()
    {
        RevisionErrorContext c;
        c.multipleHeads = QStringLiteral("Multiple heads are present; please specify a single "
                                         "target revision");
        return c;
    }
    // generate_revision: resolving --head.
    static RevisionErrorContext newRevisionHead()
    {
        RevisionErrorContext c;
        c.multipleHeads = QStringLiteral("Multiple heads are present; please specify the head "
                                         "revision on which the new revision should be based, "
                                         "or perform a merge.");
        return c;
    }
    // get_current_head() (note Alembic's missing space after the first sentence).
    static RevisionErrorContext currentHead()
    {
        RevisionErrorContext c;
        c.multipleHeads = QStringLiteral("The script directory has multiple heads (due to "
                                         "branching).Please use get_heads(), or merge the "
                                         "branches using alembic merge.");
        return c;
    }
};

// Python's repr() of a tuple of strings: "()", "('a',)", "('a', 'b')". For messages
// that format a tuple argument (e.g. history's "current" heads).
QString pythonTupleRepr(const QStringList &items);

// The CommandError message Alembic prints after "FAILED: " for this error.
QString commandErrorMessage(const RevisionError &error,
                            const RevisionErrorContext &context = {});

// Same, as an Error value (file kept for errors tied to one script).
Error commandError(const RevisionError &error, const RevisionErrorContext &context = {});

// Result<T> with a typed RevisionError instead of a plain Error.
template<typename T>
class [[nodiscard]] RevisionResult
{
public:
    RevisionResult(T value) : m_value(std::move(value)) {}
    RevisionResult(RevisionError error) : m_error(std::move(error)) {}

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    T &value() & { return *m_value; }
    const T &value() const & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    const T *operator->() const { return &*m_value; }
    const T &operator*() const { return *m_value; }
    const RevisionError &error() const { return m_error; }

    // Convert to the project's plain Result, rewriting like _catch_revision_errors.
    Result<T> toResult(const RevisionErrorContext &context = {}) const
    {
        if (ok())
            return Result<T>(*m_value);
        return Result<T>(commandError(m_error, context));
    }

private:
    std::optional<T> m_value;
    RevisionError m_error;
};

} // namespace retort
