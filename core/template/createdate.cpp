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

QString CreateDate::utcOffset(bool colons) const
{
    if (!m_aware)
        return {};
    const int offset = m_dt.offsetFromUtc();
    const int mag = qAbs(offset);
    const QString sep = colons ? QStringLiteral(":") : QString();
    QString s = QStringLiteral("%1%2%3%4").arg(offset < 0 ? QLatin1Char('-') : QLatin1Char('+'))
                    .arg(mag / 3600, 2, 10, QLatin1Char('0')).arg(sep)
                    .arg(mag % 3600 / 60, 2, 10, QLatin1Char('0'));
    if (mag % 60)
        s += sep + QStringLiteral("%1").arg(mag % 60, 2, 10, QLatin1Char('0'));
    return s;
}

QString CreateDate::isoFormat(const QString &separator) const
{
    QString s = m_dt.toString(QStringLiteral("yyyy-MM-dd")) + separator
              + m_dt.toString(QStringLiteral("HH:mm:ss"));
    const int ms = m_dt.time().msec();
    if (ms)
        s += QStringLiteral(".%1").arg(ms * 1000, 6, 10, QLatin1Char('0'));
    return s + utcOffset(true);
}

QString CreateDate::pyStr() const
{
    return isoFormat(QStringLiteral(" "));
}

Result<QString> CreateDate::strftime(const QString &format) const
{
    static const char *const days[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                       "Saturday", "Sunday"};
    static const char *const months[] = {"January", "February", "March", "April", "May", "June", "July",
                                         "August", "September", "October", "November", "December"};
    const QDate d = m_dt.date();
    const QTime t = m_dt.time();
    auto two = [](int v) { return QStringLiteral("%1").arg(v, 2, 10, QLatin1Char('0')); };
    QString out;
    for (int i = 0; i < format.size(); ++i) {
        if (format.at(i) != QLatin1Char('%') || i + 1 >= format.size()) {
            out += format.at(i);
            continue;
        }
        const QString day = QString::fromLatin1(days[d.dayOfWeek() - 1]);
        const QString month = QString::fromLatin1(months[d.month() - 1]);
        switch (format.at(++i).unicode()) {
        case 'Y': out += QStringLiteral("%1").arg(d.year(), 4, 10, QLatin1Char('0')); break;
        case 'y': out += two(d.year() % 100); break;
        case 'm': out += two(d.month()); break;
        case 'd': out += two(d.day()); break;
        case 'H': out += two(t.hour()); break;
        case 'I': out += two(t.hour() % 12 == 0 ? 12 : t.hour() % 12); break;
        case 'p': out += t.hour() < 12 ? QStringLiteral("AM") : QStringLiteral("PM"); break;
        case 'M': out += two(t.minute()); break;
        case 'S': out += two(t.second()); break;
        case 'f': out += QStringLiteral("%1").arg(t.msec() * 1000, 6, 10, QLatin1Char('0')); break;
        case 'j': out += QStringLiteral("%1").arg(d.dayOfYear(), 3, 10, QLatin1Char('0')); break;
        case 'a': out += day.left(3); break;
        case 'A': out += day; break;
        case 'b': out += month.left(3); break;
        case 'B': out += month; break;
        case 'z': out += utcOffset(false); break;
        case 'Z': out += m_aware ? m_dt.timeZoneAbbreviation() : QString(); break;
        case '%': out += QLatin1Char('%'); break;
        default:
            return Error(QStringLiteral("ValueError: unsupported strftime directive '%%%1'").arg(format.at(i)));
        }
    }
    return out;
}

qint64 CreateDate::epoch() const
{
    return m_dt.toSecsSinceEpoch();
}

MakoValue CreateDate::toPyValue() const
{
    const QDate date = m_dt.date();
    const QTime time = m_dt.time();
    const CreateDate self = *this;
    auto strftimeFn = [self](const MakoArgs &a, const MakoKwargs &) -> Result<MakoValue> {
        Result<QString> s = self.strftime(a.value(0).toStr());
        if (!s)
            return s.error();
        return MakoValue::str(*s);
    };
    auto isoFn = [self](const MakoArgs &a, const MakoKwargs &kw) -> Result<MakoValue> {
        const MakoValue sep = a.isEmpty() ? kw.value(QStringLiteral("sep")) : a.first();
        return MakoValue::str(self.isoFormat(sep.isStr() ? sep.toStr() : QStringLiteral("T")));
    };
    return MakoValue::object(pyStr(), {{QStringLiteral("year"), MakoValue::integer(date.year())},
                                     {QStringLiteral("month"), MakoValue::integer(date.month())},
                                     {QStringLiteral("day"), MakoValue::integer(date.day())},
                                     {QStringLiteral("hour"), MakoValue::integer(time.hour())},
                                     {QStringLiteral("minute"), MakoValue::integer(time.minute())},
                                     {QStringLiteral("second"), MakoValue::integer(time.second())},
                                     {QStringLiteral("microsecond"), MakoValue::integer(time.msec() * 1000)},
                                     {QStringLiteral("strftime"), MakoValue::function(QStringLiteral("strftime"), strftimeFn)},
                                     {QStringLiteral("isoformat"), MakoValue::function(QStringLiteral("isoformat"), isoFn)}});
}

} // namespace retort
