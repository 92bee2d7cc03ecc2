#pragma once
// Qt's SQL drivers report some failures with qWarning() on stderr, besides the QSqlError
// Retort turns into its own message: when a server dies mid-run, the user would see
// `QPSQLDriver::rollbackTransaction: Database not open` next to the one `FAILED:` line.
// This message handler drops those lines (set RETORT_QT_MESSAGES=1 to see them, with a
// "qt: " prefix) and hands every other message to the handler installed before it, so
// nothing of Retort's own output and no other Qt message is hidden.

#include <QString>

namespace retort {

class DriverMessageFilter
{
public:
    // Installs the handler once per process (later calls do nothing).
    static void install();
    // Whether a message is the SQL drivers' noise the handler drops.
    static bool isDriverNoise(const QString &message);
};

} // namespace retort
