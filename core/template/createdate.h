#pragma once
// The `create_date` of a new revision (ScriptDirectory._generate_create_date): local
// time, or with the `timezone` option the current time converted to that zone. Printed
// the way Python's str(datetime) prints it.

#include "makovalue.h"

#include <QDateTime>
#include <optional>

namespace retort {

class CreateDate
{
public:
    // `now` is the current instant (tests pass a fixed one). timezone: the ini option;
    // looked up as given, then upper-cased, like dateutil's tz.gettz fallback.
    // Error: "Can't locate timezone: <name>".
    static Result<CreateDate> at(const QDateTime &now, const std::optional<QString> &timezone);
    static Result<CreateDate> now(const std::optional<QString> &timezone);

    // "2026-11-30 14:59:12.345000" / "... +01:00" (microseconds omitted when zero).
    QString pyStr() const;
    qint64 epoch() const;   // int(create_date.timestamp())
    const QDateTime &dateTime() const { return m_dt; }
    // A template value whose str() is pyStr(), with year..microsecond attributes and
    // strftime() / isoformat() methods.
    MakoValue toPyValue() const;
    // datetime.strftime with the C locale: %Y %m %d %H %M %S %f %y %j %a %A %b %B %p %I %z %Z %%.
    Result<QString> strftime(const QString &format) const;
    QString isoFormat(const QString &separator = QStringLiteral("T")) const;

private:
    QString utcOffset(bool colons) const;   // "+05:30" / "+0530"; "" when naive

    QDateTime m_dt;      // in local time, or in the configured zone
    bool m_aware = false;
};

} // namespace retort
