#include "sqlbridge.h"

#include "runtime/databaseconnection.h"
#include "runtime/databaseerrorclass.h"

#include <QDate>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlField>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTime>

#include <cmath>

namespace retort {

namespace {

QJsonObject tagged(const char *type, const QString &text)
{
    return QJsonObject{{QStringLiteral("t"), QLatin1String(type)}, {QStringLiteral("v"), text}};
}

constexpr qint64 kJsonExactInt = qint64(1) << 53;
constexpr int kPostgresUuidOid = 2950;

// PostgreSQL array types by OID (QPSQL gives their text, "{a,b}"; psycopg2 a list): the
// element kind Python converts to.
QString postgresArrayElement(int oid)
{
    switch (oid) {
    case 1005: case 1007: case 1016: case 1028: case 1006: case 1013: return QStringLiteral("int");
    case 1021: case 1022: return QStringLiteral("float");
    case 1231: return QStringLiteral("decimal");
    case 1000: return QStringLiteral("bool");
    case 1009: case 1015: case 1014: case 1002: case 1003: case 2951: case 199: case 3807: case 1182:
    case 1115: case 1185: case 1034: case 1263: case 1041: case 651: case 1040: return QStringLiteral("text");
    default: return QString();
    }
}

// A value as the driver would hand it to Python: JSON's own types where they fit.
QJsonValue encode(const QVariant &v, const QSqlField &field, const Dialect &dialect)
{
    if (v.isNull())
        return QJsonValue();
    switch (v.metaType().id()) {
    case QMetaType::Bool:
        return v.toBool();
    case QMetaType::Int: case QMetaType::UInt: case QMetaType::Short: case QMetaType::UShort:
    case QMetaType::LongLong: case QMetaType::ULongLong: case QMetaType::Long: case QMetaType::ULong: {
        const qint64 n = v.toLongLong();
        if (n > -kJsonExactInt && n < kJsonExactInt)
            return double(n);
        return tagged("int", v.toString());
    }
    case QMetaType::Double: case QMetaType::Float: {
        // JSON would give 2.0 back as the integer 2, and has no NaN or infinity.
        const double d = v.toDouble();
        if (std::isfinite(d) && std::floor(d) != d)
            return d;
        return tagged("float", QString::number(d, 'g', 17));
    }
    case QMetaType::QByteArray:
        return tagged("bytes", QString::fromLatin1(v.toByteArray().toBase64()));
    case QMetaType::QDateTime: {
        const QDateTime dt = v.toDateTime();
        QString text = dt.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz"));
        if (dt.timeSpec() == Qt::UTC)
            text += QLatin1Char('Z');
        return tagged("datetime", text);
    }
    case QMetaType::QDate:
        return tagged("date", v.toDate().toString(Qt::ISODate));
    case QMetaType::QTime:
        return tagged("time", v.toTime().toString(QStringLiteral("HH:mm:ss.zzz")));
    default:
        break;
    }
    // High precision: NUMERIC/DECIMAL come as text, which the drivers give as Decimal.
    const int declared = field.metaType().id();
    if (declared == QMetaType::Double && dialect.kind() != Dialect::SQLite)
        return tagged("decimal", v.toString());
    if (dialect.kind() == Dialect::PostgreSQL && field.typeID() == kPostgresUuidOid)
        return tagged("uuid", v.toString());
    if (dialect.kind() == Dialect::PostgreSQL) {
        if (const QString element = postgresArrayElement(field.typeID()); !element.isEmpty()) {
            QJsonObject array = tagged("pgarray", v.toString());
            array.insert(QStringLiteral("e"), element);
            return array;
        }
    }
    return v.toString();
}

QString serverText(const QSqlError &error, const Dialect &dialect)
{
    QString text = error.databaseText().trimmed();
    if (text.isEmpty())
        text = error.driverText();
    // QPSQL keeps libpq's severity prefix; psycopg2's message has none.
    if (dialect.kind() == Dialect::PostgreSQL && text.startsWith(QLatin1String("ERROR:")))
        text = text.mid(6).trimmed();
    // ... and adds the SQLSTATE on a line of its own.
    const QString code = QStringLiteral("(%1)").arg(error.nativeErrorCode());
    if (text.endsWith(code))
        text = text.chopped(code.size()).trimmed();
    return text;
}

} // namespace

QJsonObject SqlBridge::answer(DatabaseConnection &connection, const QString &sql, const StepItem::Executed &executed)
{
    const Dialect &dialect = connection.dialect();
    QSqlQuery q(connection.database());
    q.setForwardOnly(true);
    q.setNumericalPrecisionPolicy(QSql::HighPrecision);
    QElapsedTimer timer;
    timer.start();
    if (!q.exec(sql)) {
        const QString code = q.lastError().nativeErrorCode();
        return QJsonObject{{QStringLiteral("ok"), false},
                           {QStringLiteral("code"), code},
                           {QStringLiteral("class"), DatabaseErrorClass::dbapiClass(dialect, code)},
                           {QStringLiteral("message"), serverText(q.lastError(), dialect)}};
    }
    QJsonObject out{{QStringLiteral("ok"), true}};
    if (q.isSelect()) {
        const QSqlRecord record = q.record();
        QJsonArray columns;
        for (int i = 0; i < record.count(); ++i)
            columns.append(record.fieldName(i));
        QJsonArray rows;
        while (q.next()) {
            QJsonArray row;
            for (int i = 0; i < record.count(); ++i)
                row.append(encode(q.value(i), record.field(i), dialect));
            rows.append(row);
        }
        out.insert(QStringLiteral("columns"), columns);
        out.insert(QStringLiteral("rows"), rows);
        // psycopg2 and PyMySQL count the rows a query returned; sqlite3 says -1.
        out.insert(QStringLiteral("rowcount"), dialect.kind() == Dialect::SQLite ? -1 : int(rows.size()));
    } else {
        out.insert(QStringLiteral("columns"), QJsonValue());
        out.insert(QStringLiteral("rowcount"), q.numRowsAffected());
    }
    // QPSQL asks the server (SELECT lastval()), which fails -- and aborts the transaction --
    // when no sequence was used; psycopg2's lastrowid is an OID anyway.
    // sqlite3 sets lastrowid only for INSERT/REPLACE, on a cursor that starts at None.
    static const QRegularExpression inserts(QStringLiteral("^\\s*(INSERT|REPLACE)\\b"),
                                            QRegularExpression::CaseInsensitiveOption);
    const bool insert = !q.isSelect() && inserts.match(sql).hasMatch();
    const QVariant id = dialect.kind() == Dialect::PostgreSQL || !insert ? QVariant() : q.lastInsertId();
    if (id.isValid() && !id.isNull())
        out.insert(QStringLiteral("lastrowid"), double(id.toLongLong()));
    if (executed)
        executed(sql, timer.elapsed(), q.isSelect() ? -1 : q.numRowsAffected());
    return out;
}

QJsonObject SqlBridge::handle(DatabaseConnection &connection, const QJsonObject &request,
                              const StepItem::Executed &executed, bool &reopen)
{
    if (!request.contains(QStringLiteral("autocommit")))
        return answer(connection, request.value(QStringLiteral("sql")).toString(), executed);
    VoidResult switched;
    if (request.value(QStringLiteral("autocommit")).toBool()) {
        if (connection.inTransaction() && !reopen) {
            switched = connection.commit();
            reopen = static_cast<bool>(switched);
        }
    } else if (reopen) {
        switched = connection.begin();
        reopen = false;
    }
    if (!switched)
        return QJsonObject{{QStringLiteral("ok"), false}, {QStringLiteral("code"), QString()},
                           {QStringLiteral("class"), QStringLiteral("OperationalError")},
                           {QStringLiteral("message"), switched.error().message}};
    return QJsonObject{{QStringLiteral("ok"), true}};
}

} // namespace retort
