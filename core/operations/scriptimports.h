#pragma once
// Parses `import a.b [as c], d` and `from a.b import x [as y], (z)` statements into the
// names they bind and the full dotted paths those names refer to.

#include "python/pytoken.h"
#include "result.h"

#include <QPair>
#include <QString>
#include <QVector>

namespace retort {

class ScriptImports
{
public:
    struct Bound
    {
        QString name;   // "sa", "Column", "*" for a star import
        QString path;   // "sqlalchemy", "sqlalchemy.Column", module path for "*"
    };

    // tokens[begin] is `import` or `from`; end is the statement's end.
    static Result<QVector<Bound>> parse(const QVector<PyToken> &t, int begin, int end,
                                        const QString &fileName);

private:
    static bool dotted(const QVector<PyToken> &t, int &pos, int end, QString *out);
};

} // namespace retort
