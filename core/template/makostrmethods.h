#pragma once
// The str methods templates commonly call (upper, strip, split, join, replace ...),
// bound to a receiver string as callable MakoValues.

#include "makovalue.h"

namespace retort {

class MakoStrMethods
{
public:
    // A Function value for `receiver.name`, or UNDEFINED if str has no such method here.
    static MakoValue bind(const QString &receiver, const QString &name);

    // Python's str.split(sep=None, maxsplit=-1).
    static QStringList split(const QString &s, const MakoValue &sep, int maxSplit);
};

} // namespace retort
