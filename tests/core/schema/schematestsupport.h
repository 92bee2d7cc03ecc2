#pragma once
// Shared by the schema tests: running the fixture Alembic project and the SQLAlchemy
// Inspector dump (tests/core/schema/inspect_to_json.py) with the Debian interpreter,
// and comparing two schema documents with a readable first difference.

#include "config/databaseurl.h"
#include "runtime/databaseconnection.h"
#include "schema/schemamodel.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QtTest>

namespace retort::test {

inline QString python() { return QStringLiteral("/usr/bin/python3"); }
inline QString fixtureProject()
{
    return QStringLiteral(RETORT_FIXTURES_DIR "/schema/project");
}
inline QString inspectScript()
{
    return QFileInfo(QStringLiteral(RETORT_FIXTURES_DIR "/../core/schema/inspect_to_json.py"))
        .absoluteFilePath();
}

// Whether /usr/bin/python3 has Alembic and SQLAlchemy.
inline bool havePythonAlembic()
{
    QProcess p;
    p.start(python(), {QStringLiteral("-c"), QStringLiteral("import alembic, sqlalchemy")});
    return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit
           && p.exitCode() == 0;
}

// Runs python with args; stdout on success, an Error with stderr otherwise.
inline Result<QByteArray> runPython(const QStringList &args, const QString &workDir = {})
{
    QProcess p;
    // No __pycache__ next to the fixture revisions.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1"));
    p.setProcessEnvironment(env);
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.start(python(), args);
    if (!p.waitForFinished(180000) || p.exitStatus() != QProcess::NormalExit
        || p.exitCode() != 0)
        return Error(QStringLiteral("python3 %1 failed:\n%2")
                         .arg(args.join(QLatin1Char(' ')),
                              QString::fromUtf8(p.readAllStandardError())));
    return p.readAllStandardOutput();
}

inline VoidResult alembicUpgrade(const QString &url, const QString &otherSchema = {})
{
    QStringList args{QStringLiteral("-m"), QStringLiteral("alembic"), QStringLiteral("-c"),
                     fixtureProject() + QStringLiteral("/alembic.ini"), QStringLiteral("-x"),
                     QStringLiteral("url=") + url};
    if (!otherSchema.isEmpty())
        args << QStringLiteral("-x") << QStringLiteral("other_schema=") + otherSchema;
    args << QStringLiteral("upgrade") << QStringLiteral("head");
    Result<QByteArray> r = runPython(args);
    if (!r)
        return r.error();
    return {};
}

inline Result<SchemaModel> sqlalchemyInspect(const QString &url, const QStringList &schemas = {})
{
    QStringList args{inspectScript(), url, QStringLiteral("--skip-table"),
                     QStringLiteral("alembic_version")};
    for (const QString &s : schemas)
        args << QStringLiteral("--schema") << s;
    Result<QByteArray> out = runPython(args);
    if (!out)
        return out.error();
    return SchemaModel::fromJson(*out, QStringLiteral("inspect_to_json.py"));
}

inline Result<std::unique_ptr<DatabaseConnection>> openDatabase(const QString &url)
{
    Result<DatabaseUrl> parsed = DatabaseUrl::parse(url);
    if (!parsed)
        return parsed.error();
    return DatabaseConnection::open(*parsed);
}

// First difference between two JSON values, as "path: expected X, got Y"; "" if equal.
inline QString firstDifference(const QJsonValue &expected, const QJsonValue &actual,
                               const QString &path)
{
    if (expected.type() != actual.type() || (!expected.isObject() && !expected.isArray())) {
        if (expected == actual)
            return {};
        auto show = [](const QJsonValue &v) {
            if (v.isObject())
                return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
            if (v.isArray())
                return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
            return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact));
        };
        return QStringLiteral("%1: expected %2, got %3").arg(path, show(expected), show(actual));
    }
    if (expected.isObject()) {
        const QJsonObject e = expected.toObject(), a = actual.toObject();
        QStringList keys = e.keys() + a.keys();
        keys.removeDuplicates();
        keys.sort();
        for (const QString &k : keys) {
            // Name array elements by their "name" where they have one.
            const QString d = firstDifference(e.value(k), a.value(k), path + QLatin1Char('.') + k);
            if (!d.isEmpty())
                return d;
        }
        return {};
    }
    const QJsonArray e = expected.toArray(), a = actual.toArray();
    for (int i = 0; i < qMax(e.size(), a.size()); ++i) {
        QString label = QString::number(i);
        const QJsonValue named = (i < e.size() ? e : a).at(i).toObject().value(QStringLiteral("name"));
        if (named.isString())
            label += QLatin1Char(' ') + named.toString();
        const QString d = firstDifference(i < e.size() ? e.at(i) : QJsonValue(QJsonValue::Undefined),
                                          i < a.size() ? a.at(i) : QJsonValue(QJsonValue::Undefined),
                                          QStringLiteral("%1[%2]").arg(path, label));
        if (!d.isEmpty())
            return d;
    }
    return {};
}

inline QString modelDifference(SchemaModel expected, SchemaModel actual)
{
    expected.serverVersion.clear();
    actual.serverVersion.clear();
    return firstDifference(expected.toJsonObject(), actual.toJsonObject(), QStringLiteral("$"));
}

} // namespace retort::test
