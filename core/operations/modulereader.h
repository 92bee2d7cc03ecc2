#pragma once
// The module level of a revision script, read statically: imports and simple assignments
// go into a ScriptScope, defs are located (not interpreted), anything else is noted and
// the names it binds become opaque.

#include "migrationop.h"
#include "python/pytoken.h"
#include "result.h"
#include "scriptscope.h"

#include <QMap>
#include <QStringList>
#include <QVarLengthArray>
#include <QVector>

namespace retort {

class ModuleReader
{
public:
    struct Def
    {
        QString name;
        QStringList params;
        int line = 0;
        int colon = 0;          // index of the ':' ending the header
        int bodyEnd = 0;        // index after the suite
        bool decorated = false;
        bool async = false;
    };

    ModuleReader(const QVector<PyToken> &tokens, const QString &fileName);

    VoidResult read();

    const ScriptScope &scope() const { return m_scope; }
    const QMap<QString, Def> &defs() const { return m_defs; }   // last def of a name wins
    const QVector<NeedsPython> &notes() const { return m_notes; }

private:
    VoidResult readStatement(int &pos);
    VoidResult readDef(int &pos, bool decorated);
    VoidResult readSimpleLine(int begin, int lineEnd);
    VoidResult readSimple(int begin, int end);
    VoidResult readImport(int begin, int end);
    // colon: index of the annotation's ':' or -1.
    using Equals = QVarLengthArray<int, 4>;   // token indices of a statement's top-level `=`
    VoidResult readAssignment(int begin, int end, const Equals &equals, int colon);
    void skipCompound(int &pos, const QString &reason);
    void bindOpaque(const QString &name, const QString &reason, int line);
    void bindNamesIn(int begin, int end, const QString &reason);
    QStringList parseParams(int begin, int end) const;
    void note(const QString &reason, int line) { m_notes.append(NeedsPython{reason, line}); }
    Error error(const QString &message, int line) const { return Error(message, m_fileName, line); }

    const QVector<PyToken> &m_t;
    QString m_fileName;
    ScriptScope m_scope;
    QMap<QString, Def> m_defs;
    QVector<NeedsPython> m_notes;
};

} // namespace retort
