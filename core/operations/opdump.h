#pragma once
// Text form of interpreted ops, one line per op: "<line>: <name>(<args>, <key>=<value>)",
// batch ops indented by two spaces under their batch_alter_table. Values use
// PyValue::repr(). For tests, logs and the studio's script view.

#include "migrationop.h"

#include <QStringList>

namespace retort {

class OpDump
{
public:
    static QString call(const MigrationOp &op);   // "add_column('t', sa.Column('x', sa.Integer()))"
    static QStringList dump(const QVector<MigrationOp> &ops);
    // Every function in name order ("[upgrade]" then its ops indented, or
    // "[upgrade] needs Python: <reason> (line N)" / "[upgrade] dispatch: upgrade_%s"),
    // then "note: <reason> (line N)" for module-level code.
    static QStringList program(const ScriptProgram &program);
};

} // namespace retort
