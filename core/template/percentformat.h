#pragma once
// Python's printf-style string formatting (`"..." % args`), used both by template
// expressions and by Alembic's file_template (`%(rev)s_%(slug)s`, `%(month).2d` ...).

#include "makovalue.h"

namespace retort {

class PercentFormat
{
public:
    // `fmt % args`: args is a tuple (positional) or any single value.
    static Result<QString> format(const QString &fmt, const MakoValue &args);
    // `fmt % {mapping}`: every conversion must be `%(key)...`.
    static Result<QString> format(const QString &fmt, const QMap<QString, MakoValue> &mapping);

private:
    static Result<QString> run(const QString &fmt, const MakoArgs *positional,
                               const QMap<QString, MakoValue> *mapping, bool singleIsMapping);
};

} // namespace retort
