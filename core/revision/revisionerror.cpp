#include "revisionerror.h"

#include <QHash>

namespace retort {

namespace {

// Python's "template % {...}" for the %(name)s and %% forms Alembic's messages use.
QString percentFormat(const QString &tpl, const QHash<QString, QString> &values)
{
    QString out;
    out.reserve(tpl.size() + 32);
    for (int i = 0; i < tpl.size(); ++i) {
        const QChar c = tpl[i];
        if (c != QLatin1Char('%') || i + 1 >= tpl.size()) {
            out.append(c);
            continue;
        }
        if (tpl[i + 1] == QLatin1Char('%')) {
            out.append(QLatin1Char('%'));
            ++i;
            continue;
        }
        const int close = tpl.indexOf(QLatin1Char(')'), i + 2);
        if (tpl[i + 1] == QLatin1Char('(') && close > 0 && close + 1 < tpl.size()
            && tpl[close + 1] == QLatin1Char('s')) {
            out.append(values.value(tpl.mid(i + 2, close - i - 2)));
            i = close + 1;
            continue;
        }
        out.append(c);
    }
    return out;
}

// str() of an optional Python string: None prints as "None".
QString pyStr(const QString &s)
{
    return s.isNull() ? QStringLiteral("None") : s;
}

} // namespace

QString pythonTupleRepr(const QStringList &items)
{
    QStringList quoted;
    for (const QString &item : items) {
        // repr() picks double quotes only when the text has ' and no ".
        const bool dq = item.contains(QLatin1Char('\'')) && !item.contains(QLatin1Char('"'));
        QString body = item;
        body.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
        if (!dq)
            body.replace(QLatin1Char('\''), QStringLiteral("\\'"));
        const QChar q = dq ? QLatin1Char('"') : QLatin1Char('\'');
        quoted.append(q + body + q);
    }
    if (quoted.size() == 1)
        return QLatin1Char('(') + quoted.first() + QStringLiteral(",)");
    return QLatin1Char('(') + quoted.join(QStringLiteral(", ")) + QLatin1Char(')');
}

QString commandErrorMessage(const RevisionError &error, const RevisionErrorContext &context)
{
    switch (error.kind) {
    case RevisionError::RangeNotAncestor: {
        const QString start = context.start ? *context.start : pyStr(error.lower);
        const QString end = context.end ? *context.end : pyStr(error.upper);
        const QString tpl = context.ancestor && !context.ancestor->isEmpty()
            ? *context.ancestor
            : QStringLiteral("Requested range %(start)s:%(end)s does not refer to "
                             "ancestor/descendant revisions along the same branch");
        return percentFormat(tpl, {{QStringLiteral("start"), start},
                                   {QStringLiteral("end"), end}});
    }
    case RevisionError::MultipleHeads: {
        const QString tpl = context.multipleHeads && !context.multipleHeads->isEmpty()
            ? *context.multipleHeads
            : QStringLiteral("Multiple head revisions are present for given argument "
                             "'%(head_arg)s'; please specify a specific target revision, "
                             "'<branchname>@%(head_arg)s' to narrow to a specific head, "
                             "or 'heads' for all heads");
        const QString headArg = context.end && !context.end->isEmpty() ? *context.end
                                                                       : error.argument;
        return percentFormat(tpl, {{QStringLiteral("head_arg"), headArg},
                                   {QStringLiteral("heads"),
                                    error.heads.join(QStringLiteral(", "))}});
    }
    case RevisionError::Resolution:
        if (context.resolution)
            return *context.resolution;
        return QStringLiteral("Can't locate revision identified by '%1'").arg(error.argument);
    case RevisionError::Generic:
    case RevisionError::Cycle:
    case RevisionError::Crash:
        break;
    }
    return error.message;
}

Error commandError(const RevisionError &error, const RevisionErrorContext &context)
{
    return Error(commandErrorMessage(error, context), error.file);
}

} // namespace retort
