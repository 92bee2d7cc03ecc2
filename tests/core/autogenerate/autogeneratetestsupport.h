#pragma once
// Shared by the autogenerate tests: fixture paths and Alembic script bodies.

#include <QFile>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace retort::test {

inline QString autogenFixture(const QString &relative)
{
    return QStringLiteral(RETORT_FIXTURES_DIR "/autogenerate/") + relative;
}

inline QString readText(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

// What script.py.mako substituted for ${upgrades} / ${downgrades} in a script that
// `alembic revision --autogenerate` wrote (the generic template).
inline QString alembicBody(const QString &script, const QString &function)
{
    const QString head = QStringLiteral("def %1() -> None:\n    ").arg(function);
    int start = script.indexOf(head);
    if (start < 0)
        return {};
    start += head.size();
    int end = script.indexOf(QStringLiteral("\n\n\ndef "), start);
    QString body = end < 0 ? script.mid(start) : script.mid(start, end - start);
    while (body.endsWith(QLatin1Char('\n')))
        body.chop(1);
    return body;
}

// The `imports` line(s) of such a script: between "import sqlalchemy as sa" and the
// "# revision identifiers" comment.
inline QString alembicImports(const QString &script)
{
    const QString a = QStringLiteral("import sqlalchemy as sa\n");
    const int s = script.indexOf(a);
    const int e = script.indexOf(QStringLiteral("\n\n# revision identifiers"));
    if (s < 0 || e < 0)
        return {};
    return script.mid(s + a.size(), e - s - a.size()).trimmed();
}

// A body cut into operations: each starts at an op./batch_op./with/# ### line.
inline QStringList splitOps(const QString &body)
{
    static const QRegularExpression start(QStringLiteral("^\\s*(op\\.|batch_op\\.|with |# ###|pass$)"));
    QStringList ops;
    for (const QString &line : body.split(QLatin1Char('\n'))) {
        if (ops.isEmpty() || start.match(line).hasMatch())
            ops << line.trimmed();
        else
            ops.last() += QLatin1Char('\n') + line;
    }
    return ops;
}

} // namespace retort::test
