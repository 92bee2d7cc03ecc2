#include "databaseerrorclass.h"

#include <QHash>

namespace retort {

namespace {

// psycopg2's base_exception_from_sqlstate(): by the SQLSTATE's class (first two chars).
QString postgresClass(const QString &sqlstate)
{
    static const QHash<QString, QString> byClass = {
        {"08", "OperationalError"}, {"0A", "NotSupportedError"}, {"20", "ProgrammingError"},
        {"21", "ProgrammingError"}, {"22", "DataError"}, {"23", "IntegrityError"},
        {"24", "InternalError"}, {"25", "InternalError"}, {"26", "OperationalError"},
        {"27", "OperationalError"}, {"28", "OperationalError"}, {"2B", "InternalError"},
        {"2D", "InternalError"}, {"2F", "InternalError"}, {"34", "OperationalError"},
        {"38", "InternalError"}, {"39", "InternalError"}, {"3B", "InternalError"},
        {"3D", "ProgrammingError"}, {"3F", "ProgrammingError"}, {"40", "OperationalError"},
        {"42", "ProgrammingError"}, {"44", "ProgrammingError"}, {"53", "OperationalError"},
        {"54", "OperationalError"}, {"55", "OperationalError"}, {"57", "OperationalError"},
        {"58", "OperationalError"}, {"F0", "InternalError"}, {"HV", "OperationalError"},
        {"P0", "InternalError"}, {"XX", "InternalError"}};
    return byClass.value(sqlstate.left(2), QStringLiteral("DatabaseError"));
}

// PyMySQL's err.error_map, else InternalError below 1000 and OperationalError above.
QString mysqlClass(const QString &code)
{
    static const QHash<int, QString> byNumber = [] {
        QHash<int, QString> m;
        for (int n : {1007, 1149, 1064, 1146, 1102, 1103, 1110, 1111, 1112, 1113, 1179, 1166})
            m.insert(n, QStringLiteral("ProgrammingError"));
        for (int n : {1265, 1263, 1264, 1230, 1171, 1406, 1441, 1366, 1367})
            m.insert(n, QStringLiteral("DataError"));
        for (int n : {1062, 1216, 1452, 1217, 1451, 1215, 1048})
            m.insert(n, QStringLiteral("IntegrityError"));
        for (int n : {1196, 1235, 1289, 1286})
            m.insert(n, QStringLiteral("NotSupportedError"));
        for (int n : {1044, 1045, 1040, 1142, 1143, 4025, 1213})
            m.insert(n, QStringLiteral("OperationalError"));
        return m;
    }();
    bool ok = false;
    const int number = code.toInt(&ok);
    if (!ok)
        return QStringLiteral("OperationalError");
    return byNumber.value(number, number < 1000 ? QStringLiteral("InternalError") : QStringLiteral("OperationalError"));
}

// sqlite3's _pysqlite_seterror(), by the primary result code.
QString sqliteClass(const QString &code)
{
    bool ok = false;
    const int primary = code.toInt(&ok) & 0xff;
    if (!ok)
        return QStringLiteral("OperationalError");
    switch (primary) {
    case 2: case 12: return QStringLiteral("InternalError");
    case 1: case 3: case 4: case 5: case 6: case 8: case 9: case 10: case 13: case 14: case 15:
    case 16: case 17: return QStringLiteral("OperationalError");
    case 18: return QStringLiteral("DataError");
    case 19: case 20: return QStringLiteral("IntegrityError");
    case 21: case 25: return QStringLiteral("InterfaceError");
    default: return QStringLiteral("DatabaseError");
    }
}

} // namespace

QString DatabaseErrorClass::dbapiClass(const Dialect &dialect, const QString &nativeCode)
{
    switch (dialect.kind()) {
    case Dialect::PostgreSQL: return postgresClass(nativeCode);
    case Dialect::MySQL:
    case Dialect::MariaDB: return mysqlClass(nativeCode);
    case Dialect::SQLite: return sqliteClass(nativeCode);
    }
    return QStringLiteral("DatabaseError");
}

QStringList DatabaseErrorClass::chain(const Dialect &dialect, const QString &nativeCode)
{
    const QString cls = dbapiClass(dialect, nativeCode);
    QStringList out{QStringLiteral("sa.exc.") + cls};
    if (cls != u"DatabaseError" && cls != u"InterfaceError")
        out << QStringLiteral("sa.exc.DatabaseError");
    out << QStringLiteral("sa.exc.DBAPIError") << QStringLiteral("sa.exc.StatementError")
        << QStringLiteral("sa.exc.SQLAlchemyError") << QStringLiteral("Exception")
        << QStringLiteral("BaseException");
    return out;
}

bool DatabaseErrorClass::catches(const QStringList &catches, const QStringList &chain)
{
    if (catches.isEmpty())
        return true;
    for (const QString &c : catches)
        if (chain.contains(c))
            return true;
    return false;
}

} // namespace retort
