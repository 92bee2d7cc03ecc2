#pragma once
// Python's `%` string formatting and str.format() for constant arguments (the common
// conversions only; anything else reports failure so the caller can fall back).

#include "python/pyvalue.h"

#include <QString>
#include <QVector>

namespace retort {

class StringFormatter
{
public:
    // fmt % args: %s %r %a %d %i %u %f %F %x %X %o %% with (key), flags - 0 + space,
    // width and precision.
    static bool percent(const QString &fmt, const PyValue &args, QString *out);
    // fmt.format(*args, **kwargs): {} {0} {name} with !s/!r and no format spec.
    static bool brace(const QString &fmt, const QVector<PyValue> &args,
                      const QVector<QPair<QString, PyValue>> &kwargs, QString *out);

private:
    struct Spec {
        QString flags;
        int width = -1;
        int precision = -1;
        QChar type;
    };
    static bool convert(const Spec &spec, const PyValue &v, QString *out);
    static QString pad(const Spec &spec, QString text, bool numeric);
};

} // namespace retort
