#include "postwritehooks.h"

#include "makovalue.h"

#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

namespace retort {

namespace {
const QString kToken = QStringLiteral("REVISION_SCRIPT_FILENAME");
}

QStringList PostWriteHooks::shellSplit(const QString &text)
{
    QStringList out;
    QString word;
    bool inWord = false;
    QChar quote;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (!quote.isNull()) {
            if (c == quote) {
                quote = QChar();
            } else if (c == QLatin1Char('\\') && quote == QLatin1Char('"') && i + 1 < text.size()
                       && QStringLiteral("\\\"$`\n").contains(text.at(i + 1))) {
                word += text.at(++i);
            } else {
                word += c;
            }
        } else if (c.isSpace()) {
            if (inWord)
                out.append(word);
            word.clear();
            inWord = false;
        } else {
            inWord = true;
            if (c == QLatin1Char('\'') || c == QLatin1Char('"'))
                quote = c;
            else if (c == QLatin1Char('\\') && i + 1 < text.size())
                word += text.at(++i);
            else
                word += c;
        }
    }
    if (inWord)
        out.append(word);
    return out;
}

QStringList PostWriteHooks::commandLine(const QString &options, const QString &revisionPath)
{
    const QString withToken = options.contains(kToken) ? options : kToken + QLatin1Char(' ') + options;
    QStringList args = shellSplit(withToken);
    for (QString &a : args)
        a.replace(kToken, revisionPath);
    return args;
}

Result<void> PostWriteHooks::consoleScripts(const QString &path, const QMap<QString, QString> &options)
{
    const QString name = options.value(QStringLiteral("_hook_name"));
    if (!options.contains(QStringLiteral("entrypoint")))
        return Error(QStringLiteral("Key %1.entrypoint is required for post write hook %2")
                         .arg(name, MakoValue::reprString(name)));
    const QString entrypoint = options.value(QStringLiteral("entrypoint"));
    const QString program = QStandardPaths::findExecutable(entrypoint);
    if (program.isEmpty())
        return Error(QStringLiteral("Could not find entrypoint console_scripts.%1").arg(entrypoint));
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedChannels);
    if (options.contains(QStringLiteral("cwd")))
        process.setWorkingDirectory(options.value(QStringLiteral("cwd")));
    process.start(program, commandLine(options.value(QStringLiteral("options")), path));
    process.waitForFinished(-1);   // like subprocess.run: the exit status is not checked
    return {};
}

Result<void> PostWriteHooks::run(const QString &revisionPath, const Items &hookConfig, const MessageSink &sink)
{
    QMap<QString, QString> config;
    for (const auto &item : hookConfig)
        config.insert(item.first, item.second);
    static const QRegularExpression splitter(QStringLiteral(", *|(?: +)"));
    for (const QString &name : config.value(QStringLiteral("hooks")).split(splitter)) {
        if (name.isEmpty())
            continue;
        QMap<QString, QString> options;
        for (auto it = config.cbegin(); it != config.cend(); ++it)
            if (it.key().startsWith(name + QLatin1Char('.')))
                options.insert(it.key().mid(name.size() + 1), it.value());
        options.insert(QStringLiteral("_hook_name"), name);
        if (!options.contains(QStringLiteral("type")))
            return Error(QStringLiteral("Key %1.type is required for post write hook %2")
                             .arg(name, MakoValue::reprString(name)));
        sink({Message::StatusStartLine, QStringLiteral("Running post write hook \"%1\"").arg(name)});
        const QString type = options.value(QStringLiteral("type"));
        Result<void> r = type == QLatin1String("console_scripts")
            ? consoleScripts(revisionPath, options)
            : Result<void>(Error(QStringLiteral("No formatter with name '%1' registered").arg(type)));
        sink({r ? Message::StatusDone : Message::StatusFailed, {}});
        if (!r)
            return r;
    }
    return {};
}

} // namespace retort
