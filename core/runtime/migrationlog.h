#pragma once
// The lines Alembic's logging prints to stderr during a run under the stock
// alembic.ini (format "%(levelname)-5.5s [%(name)s] %(message)s").

#include "dialect.h"
#include "revision/migrationstep.h"

#include <QString>
#include <QStringList>

namespace retort {

class MigrationLog
{
public:
    enum Level { Info, Warning, Error };

    // One formatted record: "INFO  [alembic.runtime.migration] message".
    static QString line(Level level, const QString &logger, const QString &message);

    // MigrationContext.__init__: "Context impl X.", "Generating static SQL" (--sql only),
    // "Will assume [non-]transactional DDL."
    static QStringList contextLines(const Dialect &dialect, bool asSql, bool transactionalDdl);
    static QStringList contextLines(const Dialect &dialect, bool asSql)
    { return contextLines(dialect, asSql, dialect.transactionalDdl()); }

    // "Running upgrade a -> b, doc" (str(step): the doc is left off when empty, and stamp
    // steps have none).
    static QString runningLine(const MigrationStep &step, const QString &doc = QString());

    // What `alembic` logs for a CommandError before printing "FAILED: ...".
    static QString errorLine(const QString &message);
};

} // namespace retort
