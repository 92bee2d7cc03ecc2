#include "typecomparator.h"

#include <QMap>
#include <QRegularExpression>
#include <QSet>

namespace retort {

namespace {

// Params of impl._tokenize_column_type.
struct TypeParams
{
    QString token0;
    QStringList tokens;
    QStringList args;
    QMap<QString, QString> kwargs;
};

TypeParams tokenize(const QString &definition)
{
    static const QRegularExpression tokenRe(QStringLiteral("[\\w\\-_]+|\\(.+?\\)"));
    static const QRegularExpression parenRe(QStringLiteral("^\\(.*\\)$"));
    static const QRegularExpression termRe(QStringLiteral("[^(),]+"));
    TypeParams p;
    QStringList terms;
    QString paren;
    auto it = tokenRe.globalMatch(definition.toLower());
    while (it.hasNext()) {
        const QString tok = it.next().captured(0);
        if (parenRe.match(tok).hasMatch())
            paren = tok;
        else
            terms << tok;
    }
    if (!terms.isEmpty()) {
        p.token0 = terms.takeFirst();
        p.tokens = terms;
    }
    auto t = termRe.globalMatch(paren);
    while (t.hasNext()) {
        const QString term = t.next().captured(0);
        if (term.contains(QLatin1Char('='))) {
            p.kwargs.insert(term.section(QLatin1Char('='), 0, 0).trimmed(),
                            term.section(QLatin1Char('='), 1).trimmed());
        } else {
            p.args << term.trimmed();
        }
    }
    return p;
}

bool isMySql(const QString &dialect)
{
    return dialect == QLatin1String("mysql") || dialect == QLatin1String("mariadb");
}

// impl.type_synonyms, lower case.
QVector<QSet<QString>> synonymsFor(const QString &dialect)
{
    QVector<QSet<QString>> s{{QStringLiteral("numeric"), QStringLiteral("decimal")}};
    if (dialect == QLatin1String("postgresql"))
        s.append({QStringLiteral("float"), QStringLiteral("double precision")});
    if (isMySql(dialect)) {
        s.append({QStringLiteral("bool"), QStringLiteral("tinyint")});
        s.append({QStringLiteral("json"), QStringLiteral("longtext")});
    }
    return s;
}

// _column_types_match
bool typesMatch(const TypeParams &insp, const TypeParams &meta, const QString &dialect)
{
    if (insp.token0 == meta.token0)
        return true;
    const QString ia = (QStringList{insp.token0} + insp.tokens).join(QLatin1Char(' '));
    const QString ma = (QStringList{meta.token0} + meta.tokens).join(QLatin1Char(' '));
    for (const QSet<QString> &batch : synonymsFor(dialect))
        if ((batch.contains(ia) && batch.contains(ma))
            || (batch.contains(insp.token0) && batch.contains(meta.token0)))
            return true;
    return false;
}

// _column_args_match, with MySQL's type_arg_extract (charset / collation when both
// sides name one).
bool argsMatch(const TypeParams &insp, const TypeParams &meta, const QString &dialect)
{
    if (meta.tokens.size() == insp.tokens.size() && meta.tokens != insp.tokens)
        return false;
    if (meta.args.size() == insp.args.size() && meta.args != insp.args)
        return false;
    if (!isMySql(dialect))
        return true;
    static const QRegularExpression extract[] = {
        QRegularExpression(QStringLiteral("character set ([\\w\\-_]+)")),
        QRegularExpression(QStringLiteral("collate ([\\w\\-_]+)")),
    };
    const QString i = insp.tokens.join(QLatin1Char(' '));
    const QString m = meta.tokens.join(QLatin1Char(' '));
    for (const QRegularExpression &re : extract) {
        const auto mi = re.match(i);
        const auto mm = re.match(m);
        if (mi.hasMatch() && mm.hasMatch() && mi.captured(1) != mm.captured(1))
            return false;
    }
    return true;
}

} // namespace

bool TypeComparator::differ(const SchemaColumn &database, const SchemaColumn &target,
                            const QString &dialect)
{
    const TypeParams insp = tokenize(database.type);
    const TypeParams meta = tokenize(target.type);
    return !typesMatch(insp, meta, dialect) || !argsMatch(insp, meta, dialect);
}

} // namespace retort
