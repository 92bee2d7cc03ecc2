#include "revisionfilename.h"

#include "percentformat.h"

#include <QRegularExpression>

namespace retort {

QString RevisionFileName::slug(const QString &message, int truncateSlugLength)
{
    // Python's \w is Unicode-aware: letters, digits and '_' of any script.
    static const QRegularExpression word(QStringLiteral("\\w+"),
                                         QRegularExpression::UseUnicodePropertiesOption);
    QStringList words;
    auto it = word.globalMatch(message);
    while (it.hasNext())
        words.append(it.next().captured(0));
    QString s = words.join(QLatin1Char('_')).toLower();
    if (s.size() > truncateSlugLength) {
        const QString cut = s.left(truncateSlugLength);
        const int underscore = cut.lastIndexOf(QLatin1Char('_'));
        s = (underscore < 0 ? cut : cut.left(underscore)) + QLatin1Char('_');
    }
    return s;
}

Result<QString> RevisionFileName::fileName(const QString &fileTemplate, const QString &revId,
                                           const QString &message, const CreateDate &date,
                                           int truncateSlugLength)
{
    const QDate d = date.dateTime().date();
    const QTime t = date.dateTime().time();
    const QMap<QString, MakoValue> values = {
        {QStringLiteral("rev"), MakoValue::str(revId)},
        {QStringLiteral("slug"), MakoValue::str(slug(message, truncateSlugLength))},
        {QStringLiteral("epoch"), MakoValue::integer(date.epoch())},
        {QStringLiteral("year"), MakoValue::integer(d.year())},
        {QStringLiteral("month"), MakoValue::integer(d.month())},
        {QStringLiteral("day"), MakoValue::integer(d.day())},
        {QStringLiteral("hour"), MakoValue::integer(t.hour())},
        {QStringLiteral("minute"), MakoValue::integer(t.minute())},
        {QStringLiteral("second"), MakoValue::integer(t.second())},
    };
    Result<QString> name = PercentFormat::format(fileTemplate, values);
    if (!name)
        return name.error();
    return *name + QStringLiteral(".py");
}

} // namespace retort
