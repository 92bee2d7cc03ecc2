#include "fuzztargets.h"

#include "config/alembicconfig.h"
#include "config/envpyinfo.h"
#include "config/inifile.h"
#include "ddl/ddlrenderer.h"
#include "operations/scriptinterpreter.h"
#include "python/pyexpressionparser.h"
#include "python/pylexer.h"
#include "python/pymodulescanner.h"
#include "runtime/dialect.h"
#include "script/revisionheaderscan.h"
#include "script/revisionscriptreader.h"
#include "template/makobuiltins.h"
#include "template/makotemplate.h"
#include "template/makovalue.h"

#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>

namespace retort {

namespace {

// The decoded text the real readers would see; undecodable bytes still go on (as lossy
// UTF-8), since any QString is a possible input to the layers below decoding.
QString decoded(const QByteArray &data)
{
    Result<QString> text = PyLexer::decodeSource(data, QStringLiteral("fuzz.py"));
    return text ? *text : QString::fromUtf8(data);
}

// Every `name = <expr>` right-hand side of the first lines, through the expression parser.
void parseAssignedExpressions(const QString &source)
{
    const QStringList lines = source.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size() && i < 400; ++i) {
        const qsizetype eq = lines[i].indexOf(QLatin1Char('='));
        if (eq > 0)
            (void)PyExpressionParser::parseSource(lines[i].mid(eq + 1));
    }
}

void runScript(const QString &source)
{
    const QString path = QStringLiteral("versions/fuzz_1.py");
    (void)PyLexer::tokenize(source, path, PyLexer::Full);
    (void)PyLexer::tokenize(source, path, PyLexer::TopLevelOnly);
    (void)PyModuleScanner::scan(source, path);
    (void)RevisionHeaderScan::scan(source);
    (void)RevisionScriptReader::readSource(source, path);
    (void)RevisionScriptReader::readSourceTokenized(source, path);
    parseAssignedExpressions(source);

    Result<ScriptProgram> program = ScriptInterpreter::interpret(source, path);
    if (!program)
        return;
    const Dialect dialects[] = {Dialect(Dialect::SQLite), Dialect(Dialect::PostgreSQL),
                                Dialect(Dialect::MySQL)};
    for (const QVector<MigrationOp> &ops : std::as_const(program->functions))
        for (const Dialect &dialect : dialects)
            (void)DdlRenderer::renderAll(ops, dialect);
}

void runEnvPy(const QString &source)
{
    (void)PyLexer::tokenize(source, QStringLiteral("env.py"));
    (void)PyModuleScanner::scan(source, QStringLiteral("env.py"));
    Result<EnvPyInfo> info = EnvPyInfo::fromSource(source, QStringLiteral("env.py"));
    if (!info)
        return;
    (void)info->resolvedUrlOverride();
    (void)info->configureFlag(QStringLiteral("transaction_per_migration"), false);
    (void)info->configureOption(QStringLiteral("version_table"));
    (void)info->targetMetadataIsNone();
}

void runIni(const QByteArray &data, const QString &scratchDir)
{
    const QString text = QString::fromUtf8(data);
    Result<IniFile> ini = IniFile::parse(text, QStringLiteral("alembic.ini"),
                                         {{QStringLiteral("here"), scratchDir}});
    if (ini) {
        for (const QString &section : ini->sections()) {
            (void)ini->items(section);
            for (const QString &key : ini->options(section))
                (void)ini->get(section, key);
        }
    }
    // The file path of the real readers (ini read from disk, [alembic] settings).
    const QString path = scratchDir + QStringLiteral("/alembic.ini");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return;
    f.write(data);
    f.close();
    Result<AlembicConfig> config = AlembicConfig::load(path, QStringLiteral("alembic"), {}, scratchDir);
    if (!config)
        return;
    Result<ScriptSettings> settings = config->scriptSettings();
    if (settings)
        (void)config->resolveLocation(settings->scriptLocation, settings->prependSysPath);
    (void)config->mainOption(QStringLiteral("sqlalchemy.url"));
    (void)config->section(QStringLiteral("post_write_hooks"));
}

void runMako(const QString &text)
{
    Result<MakoTemplate> tmpl = MakoTemplate::parse(text, QStringLiteral("script.py.mako"));
    if (!tmpl)
        return;
    // The variables `retort revision` passes (RevisionWriter::templateVariables).
    const QMap<QString, MakoValue> vars{
        {QStringLiteral("up_revision"), MakoValue::str(QStringLiteral("ae1027a6acf"))},
        {QStringLiteral("down_revision"), MakoValue::str(QStringLiteral("1975ea83b712"))},
        {QStringLiteral("branch_labels"), MakoValue::none()},
        {QStringLiteral("depends_on"), MakoValue::strTuple({QStringLiteral("a1"), QStringLiteral("b2")})},
        {QStringLiteral("create_date"), MakoValue::object(QStringLiteral("2026-01-01 00:00:00"), {})},
        {QStringLiteral("message"), MakoValue::str(QStringLiteral("fuzz message"))},
        {QStringLiteral("imports"), MakoValue::str(QStringLiteral("import sqlalchemy as sa"))},
        {QStringLiteral("upgrades"), MakoValue::str(QStringLiteral("op.drop_table('x')"))},
        {QStringLiteral("downgrades"), MakoValue::none()},
        {QStringLiteral("config"),
         MakoTemplate::configObject(QMap<QString, QString>{{QStringLiteral("sqlalchemy.url"),
                                                            QStringLiteral("sqlite://")}})},
        {QStringLiteral("comma"),
         MakoValue::function(QStringLiteral("format_as_comma"),
                             [](const MakoArgs &a, const MakoKwargs &) { return MakoBuiltins::formatAsComma(a.value(0)); })},
    };
    (void)tmpl->render(vars);
}

} // namespace

QString FuzzTargets::kindName(FuzzKind kind)
{
    switch (kind) {
    case FuzzKind::Script: return QStringLiteral("script");
    case FuzzKind::EnvPy: return QStringLiteral("envpy");
    case FuzzKind::Ini: return QStringLiteral("ini");
    case FuzzKind::Mako: return QStringLiteral("mako");
    }
    return {};
}

bool FuzzTargets::kindFromName(const QString &name, FuzzKind *kind)
{
    for (FuzzKind k : {FuzzKind::Script, FuzzKind::EnvPy, FuzzKind::Ini, FuzzKind::Mako}) {
        if (kindName(k) == name) {
            *kind = k;
            return true;
        }
    }
    return false;
}

void FuzzTargets::runInProcess(FuzzKind kind, const QByteArray &data, const QString &scratchDir)
{
    switch (kind) {
    case FuzzKind::Script: runScript(decoded(data)); break;
    case FuzzKind::EnvPy: runEnvPy(decoded(data)); break;
    case FuzzKind::Ini: runIni(data, scratchDir); break;
    case FuzzKind::Mako: runMako(QString::fromUtf8(data)); break;
    }
}

QString FuzzTargets::runCli(const QString &retort, const QString &projectDir, int timeoutMs)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // A step that needs Python must not start the project's Alembic: fail fast instead.
    env.insert(QStringLiteral("RETORT_PYTHON"), projectDir + QStringLiteral("/no-such-python"));
    env.remove(QStringLiteral("ALEMBIC_CONFIG"));
    env.insert(QStringLiteral("ASAN_OPTIONS"), QStringLiteral("detect_leaks=0:abort_on_error=0"));
    env.insert(QStringLiteral("UBSAN_OPTIONS"), QStringLiteral("print_stacktrace=1"));
    const QList<QStringList> commands{{QStringLiteral("heads")},
                                      {QStringLiteral("history")},
                                      {QStringLiteral("upgrade"), QStringLiteral("head"), QStringLiteral("--sql")}};
    for (const QStringList &args : commands) {
        QProcess p;
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(projectDir);
        p.start(retort, args);
        if (!p.waitForStarted(10000))
            return QStringLiteral("could not start %1: %2").arg(retort, p.errorString());
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished(5000);
            return QStringLiteral("retort %1: still running after %2 s (killed)")
                .arg(args.join(QLatin1Char(' '))).arg(timeoutMs / 1000);
        }
        const QString err = QString::fromUtf8(p.readAllStandardError());
        const bool failedLine = err.contains(QLatin1String("FAILED"))
                                || p.readAllStandardOutput().contains("FAILED:");   // msg() writes stdout
        const QString what = QStringLiteral("retort %1: ").arg(args.join(QLatin1Char(' ')));
        if (err.contains(QLatin1String("Sanitizer")) || err.contains(QLatin1String("runtime error:")))
            return what + QStringLiteral("sanitizer report\n") + err.left(12000);   // header + top frames
        if (p.exitStatus() == QProcess::CrashExit)
            return what + QStringLiteral("killed by a signal\n") + err.right(4000);
        if (p.exitCode() == 255 && !failedLine)
            return what + QStringLiteral("exit 255 without a FAILED line\n") + err.right(4000);
        if (p.exitCode() != 0 && p.exitCode() != 255)
            return what + QStringLiteral("exit %1\n").arg(p.exitCode()) + err.right(4000);
    }
    return {};
}

} // namespace retort
