#include "commandcontext.h"

#include <QRegularExpression>

namespace retort {

CommandContext::CommandContext(ParsedArguments args, CommandOutput *output)
    : m_args(std::move(args))
    , m_output(output)
    , m_project(AlembicConfig::resolveConfigPath(m_args.value(QStringLiteral("config"))),
                m_args.value(QStringLiteral("name"), QStringLiteral("alembic")),
                m_args.list(QStringLiteral("x")))
{
}

CommandContext::~CommandContext() = default;

Result<AlembicConfig *> CommandContext::config()
{
    return m_project.config();
}

Result<ScriptDirectory *> CommandContext::scriptDirectory()
{
    return m_project.scriptDirectory();
}

Result<const RevisionGraph *> CommandContext::graph()
{
    QStringList warnings, notes;
    auto graph = m_project.graph(&warnings, &notes);
    for (const QString &n : notes)
        m_output->writeStderr(QStringLiteral("INFO  [retort.python] %1\n").arg(n));
    for (const QString &w : warnings)
        warn(w);
    return graph;
}

int CommandContext::lockTimeoutMs() const
{
    return lockTimeoutSecs() * 1000;
}

QString CommandContext::urlOverride() const
{
    const QString cli = m_args.value(QStringLiteral("url"));
    return cli.isEmpty() ? qEnvironmentVariable("RETORT_DATABASE_URL") : cli;
}

int CommandContext::lockTimeoutSecs() const
{
    bool ok = false;
    const int secs = m_args.value(QStringLiteral("lock_timeout")).trimmed().toInt(&ok);
    return ok && secs >= 0 ? secs : DefaultLockTimeoutSecs;
}

int CommandContext::levelNumber(const QString &name, int fallback)
{
    const QString n = name.trimmed().toUpper();
    if (n == QLatin1String("DEBUG")) return 10;
    if (n == QLatin1String("INFO")) return 20;
    if (n == QLatin1String("WARN") || n == QLatin1String("WARNING")) return 30;
    if (n == QLatin1String("ERROR")) return 40;
    if (n == QLatin1String("CRITICAL") || n == QLatin1String("FATAL")) return 50;
    if (n == QLatin1String("NOTSET")) return 0;
    return fallback;
}

void CommandContext::configureLogging()
{
    Logging logging;
    auto cfg = config();
    if (!cfg || !(*cfg)->iniFile().hasSection(QStringLiteral("loggers")))
        return;   // fileConfig would fail in Python; without it nothing is logged
    const IniFile &ini = (*cfg)->iniFile();
    auto raw = [&ini](const QString &section, const QString &key) {
        return ini.raw(section, key).value_or(QString());
    };
    logging.rootLevel = levelNumber(raw(QStringLiteral("logger_root"), QStringLiteral("level")), 30);
    logging.alembicLevel = ini.hasSection(QStringLiteral("logger_alembic"))
        ? levelNumber(raw(QStringLiteral("logger_alembic"), QStringLiteral("level")), 0)
        : logging.rootLevel;
    if (logging.alembicLevel == 0)
        logging.alembicLevel = logging.rootLevel;
    const QString fmt = raw(QStringLiteral("formatter_generic"), QStringLiteral("format"));
    if (!fmt.isEmpty())
        logging.format = fmt;
    const QString args = raw(QStringLiteral("handler_console"), QStringLiteral("args"));
    logging.toStderr = args.isEmpty() || args.contains(QLatin1String("stderr"));
    logging.fields = parseFormat(logging.format);
    m_logging = logging;
}

QList<CommandContext::Logging::Field> CommandContext::parseFormat(const QString &format)
{
    // %(name)[-width][.precision]s placeholders, as Python's %-formatting of a LogRecord.
    static const QRegularExpression re(QStringLiteral("%\\((\\w+)\\)(-?)(\\d*)(?:\\.(\\d+))?s"));
    QList<Logging::Field> fields;
    int last = 0;
    auto it = re.globalMatch(format);
    while (it.hasNext()) {
        const auto m = it.next();
        Logging::Field f;
        f.literal = format.mid(last, m.capturedStart() - last);
        f.key = m.captured(1);
        f.value = f.key == QLatin1String("levelname") ? Logging::Field::LevelName
                : f.key == QLatin1String("name")      ? Logging::Field::Name
                : f.key == QLatin1String("message")   ? Logging::Field::Message
                                                      : Logging::Field::Other;
        f.leftAlign = !m.captured(2).isEmpty();
        f.width = m.captured(3).toInt();
        if (!m.captured(4).isEmpty())
            f.precision = m.captured(4).toInt();
        fields << f;
        last = m.capturedEnd();
    }
    Logging::Field tail;
    tail.literal = format.mid(last);
    fields << tail;
    return fields;
}

void CommandContext::log(int level, const QString &logger, const QString &message)
{
    if (!m_logging)
        return;
    // Retort's own records (retort.journal, ...) are part of the run's log: alembic's level.
    const bool runLog = logger.startsWith(QLatin1String("alembic")) || logger.startsWith(QLatin1String("retort."));
    const int threshold = runLog ? m_logging->alembicLevel : m_logging->rootLevel;
    if (level < threshold)
        return;
    static const QString names[] = {QStringLiteral("NOTSET"), QStringLiteral("DEBUG"), QStringLiteral("INFO"),
                                    QStringLiteral("WARNING"), QStringLiteral("ERROR"), QStringLiteral("CRITICAL")};
    const QString &levelName = names[qBound(0, level / 10, 5)];
    // One buffer, views of the values: a --sql run logs a line per step.
    QString line;
    line.reserve(logger.size() + message.size() + 64);
    for (const Logging::Field &f : m_logging->fields) {
        line += f.literal;
        if (f.key.isNull())
            continue;
        QStringView v = f.value == Logging::Field::LevelName ? QStringView(levelName)
                      : f.value == Logging::Field::Name      ? QStringView(logger)
                      : f.value == Logging::Field::Message   ? QStringView(message)
                                                             : QStringView();
        if (f.precision >= 0)
            v = v.left(f.precision);
        const qsizetype pad = qMax<qsizetype>(0, f.width - v.size());
        if (!f.leftAlign && pad > 0)
            line.resize(line.size() + pad, QLatin1Char(' '));
        line.append(v);
        if (f.leftAlign && pad > 0)
            line.resize(line.size() + pad, QLatin1Char(' '));
    }
    line.append(QLatin1Char('\n'));
    if (m_logging->toStderr)
        m_output->writeStderr(line);
    else
        m_output->writeStdout(line);
}

// A revision script's logging call. Without the ini's logging configuration Python's
// defaults apply: logging.info()/warning() ... configure the root logger first
// (basicConfig: "LEVEL:name:message"), a named logger without any handler falls back to
// logging.lastResort (the message alone); both from WARNING up.
void CommandContext::record(int level, const QString &logger, const QString &message)
{
    if (m_logging) {
        log(level, logger, message);
        return;
    }
    if (logger == QLatin1String("root"))
        m_basicConfig = true;
    if (level < 30)
        return;
    static const char *names[] = {"WARNING", "ERROR", "CRITICAL"};
    const QString levelName = QString::fromLatin1(names[qBound(0, level / 10 - 3, 2)]);
    m_output->writeStderr((m_basicConfig ? QStringLiteral("%1:%2:%3").arg(levelName, logger, message) : message)
                          + QLatin1Char('\n'));
}

void CommandContext::logInfo(const QString &logger, const QString &message)
{
    log(20, logger, message);
}

void CommandContext::logError(const QString &message)
{
    log(40, QStringLiteral("alembic.util.messaging"), message);
}

void CommandContext::notice(const QString &logger, const QString &message)
{
    // Alembic's default format, on stderr, whether or not env.py configured logging.
    m_output->writeStderr(QStringLiteral("INFO  [%1] %2\n").arg(logger, message));
}

void CommandContext::output(const QString &text)
{
    m_output->writeStdout(text);
}

void CommandContext::warn(const QString &message)
{
    m_output->writeStderr(QStringLiteral("UserWarning: %1\n").arg(message));
}

} // namespace retort
