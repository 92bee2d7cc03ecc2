#pragma once
// Runs env.py as a program when its static reading (EnvPyInfo) cannot settle the URL or
// the context.configure() options: resources/python/retort_envpy.py, with the project's
// interpreter, runs it the way `alembic upgrade` does but never connects, and answers
// what env.py configured. The answer is cached like the models (ModelCache: keyed on the
// ini, section, -x, interpreter and directory; reused while env.py, the ini, every module
// and file it read are unchanged and the environment variables it read hold the same
// values), so Python starts once per change, not once per command.

#include "result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

namespace retort {

struct EnvPyEvaluationOptions
{
    QString python = QStringLiteral("python3");   // the project's interpreter
    QString configFile = QStringLiteral("alembic.ini");
    QString iniSection = QStringLiteral("alembic");
    QStringList xArguments;          // -x values, passed on to env.py
    QString workingDirectory;        // where alembic would run; empty = cwd
    QString urlOverride;             // --url: set as $RETORT_DATABASE_URL for env.py, as for hand-offs
    int timeoutMs = 120000;
    bool useCache = true;            // RETORT_NO_MODEL_CACHE=1 also turns it off
};

struct EnvPyConfigureCall
{
    int line = 0;                    // env.py line of the context.configure() call
    QJsonObject options;             // keyword values that are plain (bool, number, str, None)
    QStringList callables;           // keywords given a callable
    QString url;                     // from url=, or the engine of connection=
    QString urlFrom;                 // "url" / "connection" / "" (none)
    QString engineName;              // run_migrations(engine_name=...) that followed (multidb)
};

struct EnvPyEvaluation
{
    QString envPyPath;
    QVector<EnvPyConfigureCall> calls;
    QStringList engines;             // URLs of every engine env.py created, in order
    QString mainUrl;                 // sqlalchemy.url in the config after env.py ran
    QString flaskApp;                // the Flask app env.py ran under, if any
    QStringList notes;               // why evaluation stopped early (env.py used its connection ...)
    QString python;                  // the interpreter that ran it
    bool fromCache = false;

    // The URL env.py connects with: the first configure() call's that has one.
    const EnvPyConfigureCall *urlCall() const;
    // A configure() keyword's value: from the first call that passes it as a plain value.
    std::optional<QJsonValue> option(const QString &keyword) const;
};

// The helper's error, with the project file/line it points at.
struct EnvPyEvaluationFailure
{
    QString kind;        // no-alembic, no-flask-app, env-error, module-not-found, no-configure ...
    QString message;
    QString diagnosis;
    QString file;
    int line = 0;
};

class EnvPyEvaluator
{
public:
    static Result<EnvPyEvaluation> evaluate(const EnvPyEvaluationOptions &options,
                                            EnvPyEvaluationFailure *failure = nullptr);
    // Parses the helper's answer (exposed for tests).
    static Result<EnvPyEvaluation> parse(const QByteArray &json, EnvPyEvaluationFailure *failure = nullptr);
};

} // namespace retort
