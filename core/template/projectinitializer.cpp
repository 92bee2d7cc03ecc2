#include "projectinitializer.h"

#include "makotemplate.h"
#include "makovalue.h"
#include "config/resourcelocator.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace retort {

namespace {

// The order Alembic 1.8.1 lists its template folders (os.listdir) and their files.
const QStringList kTemplates = {QStringLiteral("multidb"), QStringLiteral("generic"), QStringLiteral("async")};
const QStringList kFiles = {QStringLiteral("script.py.mako"), QStringLiteral("README"),
                            QStringLiteral("env.py"), QStringLiteral("alembic.ini.mako")};

QString absolute(const QString &path, const QString &cwd)
{
    const QString base = cwd.isEmpty() ? QDir::currentPath() : cwd;
    return QDir::cleanPath(QDir(base).absoluteFilePath(path));
}

QByteArray readResource(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool isNonEmptyDir(const QString &path)
{
    const QFileInfo info(path);
    return info.exists()
        && !QDir(path).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot).isEmpty();
}

} // namespace

QString ProjectInitializer::resourceDir(const QString &templateName)
{
    return ResourceLocator::path(QStringLiteral("templates/") + templateName);
}

QStringList ProjectInitializer::templateNames()
{
    return kTemplates;
}

QString ProjectInitializer::synopsis(const QString &templateName)
{
    const QString readme = QString::fromUtf8(readResource(resourceDir(templateName) + QStringLiteral("/README")));
    return readme.section(QLatin1Char('\n'), 0, 0).trimmed();
}

QString ProjectInitializer::listTemplatesText()
{
    QString out = QStringLiteral("Available templates:\n\n");
    for (const QString &name : templateNames())
        out += QStringLiteral("%1 - %2\n").arg(name, synopsis(name));
    out += QStringLiteral("\nTemplates are used via the 'init' command, e.g.:\n");
    out += QStringLiteral("\n  alembic init --template generic ./scripts\n");
    return out;
}

Result<void> ProjectInitializer::writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return Error(QStringLiteral("[Errno 2] No such file or directory: %1").arg(MakoValue::reprString(path)));
    return {};
}

Result<void> ProjectInitializer::status(const MessageSink &sink, const QString &text,
                                        const std::function<Result<void>()> &action)
{
    sink({Message::StatusStart, text});
    Result<void> r = action();
    sink({r ? Message::StatusDone : Message::StatusFailed, {}});
    return r;
}

Result<void> ProjectInitializer::init(const QString &directory, const QString &templateName,
                                      const MessageSink &sink)
{
    InitRequest request;
    request.directory = directory;
    request.templateName = templateName;
    return init(request, sink);
}

Result<void> ProjectInitializer::checkRequest(const InitRequest &request)
{
    if (isNonEmptyDir(absolute(request.directory, request.workingDirectory)))
        return Error(QStringLiteral("Directory %1 already exists and is not empty").arg(request.directory));
    if (!kTemplates.contains(request.templateName))
        return Error(QStringLiteral("No such template %1").arg(MakoValue::reprString(request.templateName)));
    return {};
}

Result<void> ProjectInitializer::init(const InitRequest &request, const MessageSink &sink)
{
    if (Result<void> ok = checkRequest(request); !ok)
        return ok;
    const QString dir = absolute(request.directory, request.workingDirectory);

    auto makeDir = [](const QString &path) {
        return [path]() -> Result<void> {
            if (QDir().mkpath(path))
                return {};
            return Error(QStringLiteral("[Errno 13] Permission denied: %1").arg(MakoValue::reprString(path)));
        };
    };
    if (!QFileInfo::exists(dir)) {
        if (Result<void> r = status(sink, QStringLiteral("Creating directory %1").arg(dir), makeDir(dir)); !r)
            return r;
    }
    const QString versions = dir + QStringLiteral("/versions");
    if (Result<void> r = status(sink, QStringLiteral("Creating directory %1").arg(versions), makeDir(versions)); !r)
        return r;

    const QString configFile = absolute(request.configFile, request.workingDirectory);
    const QString source = resourceDir(request.templateName);
    for (const QString &file : kFiles) {
        Result<void> r;
        if (file == QLatin1String("alembic.ini.mako")) {
            if (QFileInfo::exists(configFile)) {
                sink({Message::Msg, QStringLiteral("File %1 already exists, skipping").arg(configFile)});
                continue;
            }
            r = status(sink, QStringLiteral("Generating %1").arg(configFile), [&]() -> Result<void> {
                Result<MakoTemplate> t = MakoTemplate::parse(QString::fromUtf8(readResource(source + '/' + file)),
                                                             source + '/' + file);
                if (!t)
                    return t.error();
                Result<QString> text = t->render({{QStringLiteral("script_location"),
                                                   MakoValue::str(request.directory)}});
                if (!text)
                    return text.error();
                return writeFile(configFile, text->toUtf8());
            });
        } else {
            const QString dest = dir + QLatin1Char('/') + file;
            r = status(sink, QStringLiteral("Generating %1").arg(dest),
                       [&]() { return writeFile(dest, readResource(source + '/' + file)); });
        }
        if (!r)
            return r;
    }

    if (request.package) {
        for (const QString &path : {dir + QStringLiteral("/__init__.py"), versions + QStringLiteral("/__init__.py")}) {
            Result<void> r = status(sink, QStringLiteral("Adding %1").arg(path),
                                    [&]() { return writeFile(path, QByteArray()); });
            if (!r)
                return r;
        }
    }
    sink({Message::Msg, QStringLiteral("Please edit configuration/connection/logging settings in %1 before proceeding.")
                            .arg(MakoValue::reprString(configFile))});
    return {};
}

} // namespace retort
