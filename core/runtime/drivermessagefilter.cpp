#include "drivermessagefilter.h"

#include <QtGlobal>

#include <atomic>
#include <cstdio>

namespace retort {

namespace {

QtMessageHandler g_previous = nullptr;

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type != QtFatalMsg && DriverMessageFilter::isDriverNoise(message)) {
        if (qEnvironmentVariableIntValue("RETORT_QT_MESSAGES") > 0)
            std::fprintf(stderr, "qt: %s\n", message.toLocal8Bit().constData());
        return;
    }
    if (g_previous)
        g_previous(type, context, message);
}

} // namespace

bool DriverMessageFilter::isDriverNoise(const QString &message)
{
    // The prefixes Qt's QtSql module and its QPSQL / QMYSQL / QSQLITE drivers print with.
    static const char *const prefixes[] = {
        "QPSQLDriver::", "QPSQLResult::", "QMYSQLDriver::", "QMYSQLResult::", "QSQLiteDriver::",
        "QSQLiteResult::", "QSqlQuery::", "QSqlDatabasePrivate::", "QSqlDatabase:",
        "Unable to free statement",   // QPSQL's DEALLOCATE after the connection or transaction died
    };
    for (const char *p : prefixes)
        if (message.startsWith(QLatin1String(p)))
            return true;
    return false;
}

void DriverMessageFilter::install()
{
    static std::atomic<bool> installed{false};
    if (installed.exchange(true))
        return;
    g_previous = qInstallMessageHandler(handler);
}

} // namespace retort
