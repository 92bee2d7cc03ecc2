#include "poetryenvironment.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QVersionNumber>

#include <algorithm>

namespace retort {

namespace {

QString readText(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

// `key = "value"` of the TOML tables asked for, read line by line: enough for the plain
// string keys read here (a project's name, envs.toml's minor), no TOML library needed.
// Returns table -> key -> value for the tables in `wanted`; `seen` gets every table header.
QHash<QString, QHash<QString, QString>> readTables(const QString &text, const QStringList &wanted,
                                                   QStringList *seen = nullptr)
{
    // [table] and [[array.of.tables]] (the latter's keys belong to no table read here).
    static const QRegularExpression header(QStringLiteral(R"(^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$)"));
    static const QRegularExpression pair(
        QStringLiteral(R"re(^\s*([A-Za-z0-9_-]+|"[^"]*")\s*=\s*(?:"([^"\\]*)"|'([^']*)')\s*(#.*)?$)re"));
    QHash<QString, QHash<QString, QString>> out;
    QString table;
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        if (const auto h = header.match(line); h.hasMatch()) {
            table = h.captured(2).remove(QLatin1Char('"'));
            if (h.captured(1).size() == 2)
                table.prepend(QStringLiteral("[["));
            if (seen)
                *seen << table;
            continue;
        }
        if (!wanted.contains(table))
            continue;
        if (const auto p = pair.match(line); p.hasMatch()) {
            QString key = p.captured(1);
            key.remove(QLatin1Char('"'));
            out[table].insert(key, p.capturedStart(2) >= 0 ? p.captured(2) : p.captured(3));
        }
    }
    return out;
}

// The X.Y of "<env>-pyX.Y" (null when the suffix is something else).
QVersionNumber pythonVersionOf(const QString &folder, const QString &env)
{
    return QVersionNumber::fromString(folder.mid(env.size() + 3));
}

} // namespace

QString PoetryEnvironment::packageName(const QString &pyprojectText)
{
    QStringList tables;
    const auto values = readTables(pyprojectText, {QStringLiteral("tool.poetry"), QStringLiteral("project")}, &tables);
    const bool poetry = std::any_of(tables.cbegin(), tables.cend(), [](const QString &t) {
        return t == QLatin1String("tool.poetry") || t.startsWith(QLatin1String("tool.poetry."));
    });
    if (!poetry)
        return {};
    // Poetry 2 reads [project] first; Poetry 1 projects have only [tool.poetry].
    QString name = values.value(QStringLiteral("project")).value(QStringLiteral("name"));
    if (name.isEmpty())
        name = values.value(QStringLiteral("tool.poetry")).value(QStringLiteral("name"));
    // Poetry's package name is the canonical (PEP 503) one.
    static const QRegularExpression separators(QStringLiteral("[-_.]+"));
    return name.replace(separators, QStringLiteral("-")).toLower();
}

QString PoetryEnvironment::envName(const QString &packageName, const QString &projectDir)
{
    static const QRegularExpression unsafe(QStringLiteral("[ $`!*@\"\\\\\\r\\n\\t]"));
    const QString sanitised = packageName.toLower().replace(unsafe, QStringLiteral("_")).left(42);
    QFileInfo dir(projectDir);
    const QString real = dir.canonicalFilePath().isEmpty() ? dir.absoluteFilePath() : dir.canonicalFilePath();
    const QByteArray digest = QCryptographicHash::hash(real.toUtf8(), QCryptographicHash::Sha256);
    return sanitised + QLatin1Char('-') + QString::fromLatin1(digest.toBase64(QByteArray::Base64UrlEncoding).left(8));
}

QString PoetryEnvironment::virtualenvsPath()
{
    const QString configured = qEnvironmentVariable("POETRY_VIRTUALENVS_PATH");
    if (!configured.isEmpty())
        return configured;
    QString cache = qEnvironmentVariable("POETRY_CACHE_DIR");
    if (cache.isEmpty()) {
#ifdef Q_OS_MACOS
        cache = QDir::homePath() + QStringLiteral("/Library/Caches/pypoetry");
#else
        const QString xdg = qEnvironmentVariable("XDG_CACHE_HOME");
        cache = (QDir::isAbsolutePath(xdg) ? xdg : QDir::homePath() + QStringLiteral("/.cache"))
              + QStringLiteral("/pypoetry");
#endif
    }
    return cache + QStringLiteral("/virtualenvs");
}

QStringList PoetryEnvironment::candidates(const QString &projectDir)
{
    const QString name = packageName(readText(projectDir + QStringLiteral("/pyproject.toml")));
    if (name.isEmpty())
        return {};

    const QString poetry = QStandardPaths::findExecutable(QStringLiteral("poetry"));
    if (!poetry.isEmpty()) {
        QProcess p;
        p.setWorkingDirectory(projectDir);
        p.start(poetry, {QStringLiteral("env"), QStringLiteral("info"), QStringLiteral("-p")});
        if (p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0) {
            const QStringList lines =
                QString::fromUtf8(p.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
            if (!lines.isEmpty() && QFileInfo(lines.last().trimmed()).isDir())
                return {lines.last().trimmed()};
        } else {
            p.kill();
            p.waitForFinished(1000);
        }
        // No environment according to Poetry (or it failed): the cache may still hold one.
    }

    const QString env = envName(name, projectDir);
    const QDir root(virtualenvsPath());
    QStringList folders = root.entryList({env + QStringLiteral("-py*")}, QDir::Dirs | QDir::NoDotAndDotDot);
    folders.erase(std::remove_if(folders.begin(), folders.end(),
                                 [&](const QString &f) { return pythonVersionOf(f, env).isNull(); }),
                  folders.end());
    std::sort(folders.begin(), folders.end(), [&](const QString &a, const QString &b) {
        return pythonVersionOf(a, env) > pythonVersionOf(b, env);
    });
    // envs.toml records the Python chosen with `poetry env use`.
    const QString minor = readTables(readText(root.filePath(QStringLiteral("envs.toml"))), {env})
                              .value(env).value(QStringLiteral("minor"));
    const int used = folders.indexOf(env + QStringLiteral("-py") + minor);
    if (!minor.isEmpty() && used > 0)
        folders.move(used, 0);
    QStringList out;
    for (const QString &f : folders)
        out << root.filePath(f);
    return out;
}

} // namespace retort
