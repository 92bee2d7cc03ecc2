#include "migrationlog.h"

namespace retort {

namespace {
const QString kMigrationLogger = QStringLiteral("alembic.runtime.migration");
}

QString MigrationLog::line(Level level, const QString &logger, const QString &message)
{
    // %(levelname)-5.5s: padded and cut to five characters ("WARNING" -> "WARNI").
    QString name;
    switch (level) {
    case Info: name = QStringLiteral("INFO"); break;
    case Warning: name = QStringLiteral("WARNING"); break;
    case Error: name = QStringLiteral("ERROR"); break;
    }
    name = name.left(5).leftJustified(5, QLatin1Char(' '));
    return QStringLiteral("%1 [%2] %3").arg(name, logger, message);
}

QStringList MigrationLog::contextLines(const Dialect &dialect, bool asSql, bool transactionalDdl)
{
    QStringList lines;
    lines << line(Info, kMigrationLogger, QStringLiteral("Context impl %1.").arg(dialect.implName()));
    if (asSql)
        lines << line(Info, kMigrationLogger, QStringLiteral("Generating static SQL"));
    lines << line(Info, kMigrationLogger,
                  QStringLiteral("Will assume %1 DDL.")
                      .arg(transactionalDdl ? QStringLiteral("transactional")
                                            : QStringLiteral("non-transactional")));
    return lines;
}

QString MigrationLog::runningLine(const MigrationStep &step, const QString &doc)
{
    QString text = QStringLiteral("Running ") + step.shortLog;
    if (!doc.isEmpty() && step.kind != MigrationStep::Stamp)
        text += QStringLiteral(", ") + doc;
    return line(Info, kMigrationLogger, text);
}

QString MigrationLog::errorLine(const QString &message)
{
    return line(Error, QStringLiteral("alembic.util.messaging"), message);
}

} // namespace retort
