#include "createdate.h"

#include <QTimeZone>

namespace retort {

Result<CreateDate> CreateDate::at(const QDateTime &now, const std::optional<QString> &timezone)
{
    CreateDate d;
    if (!timezone) {
        d.m_dt = now.toLocalTime();
        return d;
    }
    QTimeZone zone(timezone->toUtf8());
    if (!zone.isValid())
        zone = QTimeZone(timezone->toUpper().toUtf8());
    if (!zone.isValid())
        return Error(QStringLiteral("Can't locate timezone: %1").arg(*timezone));
    d.m_dt = now.toTimeZone(zone);
    d.m_aware = true;
    return d;
}

Result<CreateDate> CreateDate::now(const std::optional<QString> &timezone)
{
    return at(QDateTime::currentDateTime(), timezone);
}

QString CreateDate::pyStr() const
{
    QString s = m_dt.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    const int ms = m_dt.time().msec();
    if (ms)
        s += QStringLiteral(".%1").arg(ms * 1000, 6, 10, QLatin1Char('0'));
    if (m_aware) {
        const int offset = m_dt.offsetFromUtc();
        const int mag = qAbs(offset);
        s += QStringLiteral("%1%2:%3").arg(offset < 0 ? QLatin1Char('-') : QLatin1Char('+'))
                 .arg(mag / 3600, 2, 10, QLatin1Char('0'))
                 .arg(mag % 3600 / 60, 2, 10, QLatin1Char('0'));
        if (mag % 60)
            s += QStringLiteral(":%1").arg(mag % 60, 2, 10, QLatin1Char('0'));
    }
    return s;
}

qint64 CreateDate::epoch() const
{
    return m_dt.toSecsSinceEpoch();
}

MakoValue CreateDate::toPyValue() const
{
    const QDate date = m_dt.date();
    const QTime time = m_dt.time();
    return MakoValue::object(pyStr(), {{QStringLiteral("year"), MakoValue::integer(date.year())},
                                     {QStringLiteral("month"), MakoValue::integer(date.month())},
                                     {QStringLiteral("day"), MakoValue::integer(date.day())},
                                     {QStringLiteral("hour"), MakoValue::integer(time.hour())},
                                     {QStringLiteral("minute"), MakoValue::integer(time.minute())},
                                     {QStringLiteral("second"), MakoValue::integer(time.second())},
                                     {QStringLiteral("microsecond"), MakoValue::integer(time.msec() * 1000)}});
}

} // namespace retort
