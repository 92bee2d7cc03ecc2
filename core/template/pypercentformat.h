#pragma once
// Python's printf-style string formatting (`"..." % args`), used both by template
// expressions and by Alembic's file_template (`%(rev)s_%(slug)s`, `%(month).2d` ...).

#include "pyvalue.h"

namespace retort {

class PyPercentFormat
{
public:
    // `fmt % args`: args is a tuple (positional) or any single value.
    static Result<QString> format(const QString &fmt, const PyValue &args);
    // `fmt % {mapping}`: every conversion must be `%(key)...`.
    static Result<QString> format(const QString &fmt, const QMap<QString, PyValue> &mapping);

private:
    static Result<QString> run(const QString &fmt, const PyArgs *positional,
                               const QMap<QString, PyValue> *mapping, bool singleIsMapping);
};

} // namespace retort
