#include "revisionwriter.h"

#include "createdate.h"
#include "makotemplate.h"
#include "postwritehooks.h"
#include "makobuiltins.h"
#include "revisionfilename.h"
#include "revision/revisiongraph.h"
#include "script/revisionscriptreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringEncoder>
#include <QTemporaryFile>
#include <QUuid>

namespace retort {

namespace {

QString absolute(const QString &path, const QString &cwd)
{
    const QString base = cwd.isEmpty() ? QDir::currentPath() : cwd;
    return QDir::cleanPath(QDir(base).absoluteFilePath(path));
}

// revision.tuple_rev_as_scalar: None for none, the item for one, else the sequence.
MakoValue revAsScalar(const MakoArgs &items, bool asList)
{
    if (items.isEmpty())
        return MakoValue::none();
    if (items.size() == 1)
        return items.first();
    return asList ? MakoValue::list(items) : MakoValue::tuple(items);
}

// "Template rendering failed; see <file> ..." as Alembic reports it; the file holds our trace.
Error renderingFailed(const Error &cause)
{
    QTemporaryFile trace(QDir::tempPath() + QStringLiteral("/retort_XXXXXX.txt"));
    trace.setAutoRemove(false);
    QString name = QStringLiteral("(unavailable)");
    if (trace.open()) {
        trace.write(cause.toString().toUtf8() + '\n');
        name = trace.fileName();
    }
    return Error(QStringLiteral("Template rendering failed; see %1 for a template-oriented traceback.")
                     .arg(name));
}

} // namespace

QString RevisionWriter::newRevisionId()
{
    return QUuid::createUuid().toString(QUuid::Id128).right(12);
}

Result<void> RevisionWriter::verifyRevisionId(const QString &revId)
{
    QStringList illegal;
    for (const QChar c : {QLatin1Char('+'), QLatin1Char('-'), QLatin1Char('@')}) {   // sorted
        if (revId.contains(c))
            illegal.append(c);
    }
    if (!illegal.isEmpty())
        return Error(QStringLiteral("Character(s) '%1' not allowed in revision identifier '%2'")
                         .arg(illegal.join(QStringLiteral(", ")), revId));
    // Beyond Alembic (which writes such a file): these would reach SQL text and file names.
    const QString unsafe = RevisionScriptReader::unsafeIdCharacters(revId);
    if (!unsafe.isEmpty())
        return Error(QStringLiteral("Revision identifier %1 contains %2: Retort refuses quotes, "
                                    "whitespace, semicolons and backslashes in revision identifiers")
                         .arg(MakoValue::reprString(revId), unsafe));
    return {};
}

Result<void> RevisionWriter::resolveParents(const RevisionGraph &graph, const QString &head,
                                            const QStringList &dependsOnArgs, RevisionRequest *request)
{
    const RevisionResult<RevisionNodes> heads = graph.revisions(head);
    if (!heads)
        return heads.toResult(RevisionErrorContext::newRevisionHead()).error();
    request->heads.clear();
    for (const RevisionNode *node : *heads) {
        if (!node || node->isBaseMarker())
            request->heads.append(RevisionParent{});   // Python's None
        else
            request->heads.append(RevisionParent{node->id(), node->path(), node->isHead()});
    }
    request->dependsOn.clear();
    for (const QString &dep : dependsOnArgs) {
        const RevisionResult<const RevisionNode *> rev = graph.revision(dep);
        if (!rev)
            return rev.toResult().error();
        if (!*rev || (*rev)->isBaseMarker())   // Alembic's not_none() assertion
            return Error(QStringLiteral("AssertionError"));
        request->dependsOn.append((*rev)->branchLabels().contains(dep) ? dep : (*rev)->id());
    }
    return {};
}

QMap<QString, MakoValue> RevisionWriter::mergeTemplateArgs()
{
    return {{QStringLiteral("config"), MakoValue::str(QStringLiteral("config"))}};
}

MakoValue RevisionWriter::configValue(const AlembicConfig &config)
{
    return MakoTemplate::configObject(
        [config](const QString &section, const QString &key) -> std::optional<QString> {
            Result<std::optional<QString>> v = config.sectionOption(section, key);
            return v.ok() ? *v : std::nullopt;
        },
        config.iniSection());
}

Result<QString> RevisionWriter::chooseVersionPath(const RevisionRequest &request)
{
    const ScriptSettings &s = request.settings;
    QStringList locations;
    for (const QString &loc : s.versionLocations)
        locations.append(absolute(loc, request.workingDirectory));
    if (locations.isEmpty())
        locations.append(absolute(s.scriptDirectory + QStringLiteral("/versions"), request.workingDirectory));

    QString versionPath;
    if (request.versionPath) {
        versionPath = *request.versionPath;
    } else if (locations.size() > 1) {
        for (const RevisionParent &head : request.heads) {
            if (!head.revision.isEmpty()) {
                versionPath = QFileInfo(head.path).path();
                break;
            }
        }
        if (versionPath.isEmpty())
            return Error(QStringLiteral("Multiple version locations present, please specify --version-path"));
    } else {
        versionPath = locations.first();
    }
    if (!locations.contains(absolute(versionPath, request.workingDirectory)))
        return Error(QStringLiteral("Path %1 is not represented in current version locations").arg(versionPath));
    return versionPath;
}

QMap<QString, MakoValue> RevisionWriter::templateVariables(const RevisionRequest &request,
                                                           const QString &revId)
{
    MakoArgs heads;
    for (const RevisionParent &h : request.heads)
        heads.append(h.revision.isEmpty() ? MakoValue::none() : MakoValue::str(h.revision));
    QMap<QString, MakoValue> vars = request.templateArgs;
    vars.insert(QStringLiteral("up_revision"), MakoValue::str(revId));
    vars.insert(QStringLiteral("down_revision"), revAsScalar(heads, false));
    vars.insert(QStringLiteral("branch_labels"), request.branchLabel
                    ? MakoValue::strTuple({*request.branchLabel}) : MakoValue::none());
    vars.insert(QStringLiteral("depends_on"), revAsScalar(MakoValue::strTuple(request.dependsOn).items(), true));
    vars.insert(QStringLiteral("comma"), MakoValue::function(QStringLiteral("format_as_comma"),
                    [](const MakoArgs &a, const MakoKwargs &) { return MakoBuiltins::formatAsComma(a.value(0)); }));
    vars.insert(QStringLiteral("message"),
                MakoValue::str(request.message ? *request.message : QStringLiteral("empty message")));
    return vars;
}

Result<QString> RevisionWriter::renderTemplate(const QString &templatePath,
                                              const QMap<QString, MakoValue> &variables)
{
    Result<MakoTemplate> tmpl = MakoTemplate::fromFile(templatePath);
    if (!tmpl)
        return tmpl.error();
    Result<QString> text = tmpl->render(variables);
    if (!text)
        return renderingFailed(text.error());
    return *text;
}

Result<QString> RevisionWriter::renderText(const RevisionRequest &request)
{
    const QString revId = request.revId && !request.revId->isEmpty() ? *request.revId : newRevisionId();
    if (Result<void> ok = verifyRevisionId(revId); !ok)
        return ok.error();
    Result<CreateDate> date = CreateDate::at(request.now.isValid() ? request.now : QDateTime::currentDateTime(),
                                             request.settings.timezone);
    if (!date)
        return date.error();
    QMap<QString, MakoValue> vars = templateVariables(request, revId);
    vars.insert(QStringLiteral("create_date"), date->toPyValue());
    return renderTemplate(request.settings.scriptDirectory + QStringLiteral("/script.py.mako"), vars);
}

Result<void> RevisionWriter::render(const QString &templatePath, const QString &dest,
                                    const QMap<QString, MakoValue> &variables, const QString &encoding)
{
    Result<QString> text = renderTemplate(templatePath, variables);
    if (!text)
        return text.error();
    QStringEncoder encoder(encoding.toLatin1().constData());
    if (!encoder.isValid())
        return Error(QStringLiteral("LookupError: unknown encoding: %1").arg(encoding));
    const QByteArray bytes = encoder.encode(*text);
    QFile out(dest);
    if (!QFileInfo(dest).dir().exists())
        return Error(QStringLiteral("[Errno 2] No such file or directory: %1").arg(MakoValue::reprString(dest)));
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size())
        return Error(QStringLiteral("%1: %2").arg(out.errorString(), MakoValue::reprString(dest)));
    return {};
}

Result<WrittenRevision> RevisionWriter::write(const RevisionRequest &request, const MessageSink &sink)
{
    // `rev_id or util.rev_id()`: an empty --rev-id also gets a fresh id.
    const QString revId = request.revId && !request.revId->isEmpty() ? *request.revId : newRevisionId();
    if (Result<void> ok = verifyRevisionId(revId); !ok)
        return ok.error();
    for (int i = 0; i < request.heads.size(); ++i)
        for (int j = i + 1; j < request.heads.size(); ++j)
            if (request.heads.at(i).revision == request.heads.at(j).revision)
                return Error(QStringLiteral("Duplicate head revisions specified"));

    Result<CreateDate> date = CreateDate::at(request.now.isValid() ? request.now : QDateTime::currentDateTime(),
                                             request.settings.timezone);
    if (!date)
        return date.error();
    Result<QString> versionPath = chooseVersionPath(request);
    if (!versionPath)
        return versionPath.error();
    const QString absVersionPath = absolute(*versionPath, request.workingDirectory);
    if (!request.settings.versionLocations.isEmpty() && !QFileInfo::exists(absVersionPath)) {
        sink({Message::StatusStart, QStringLiteral("Creating directory %1").arg(absVersionPath)});
        const bool made = QDir().mkpath(absVersionPath);
        sink({made ? Message::StatusDone : Message::StatusFailed, {}});
        if (!made)
            return Error(QStringLiteral("Can't create directory %1").arg(absVersionPath));
    }
    Result<QString> fileName = RevisionFileName::fileName(request.settings.fileTemplate, revId,
                                                          request.message.value_or(QString()), *date,
                                                          request.settings.truncateSlugLength);
    if (!fileName)
        return fileName.error();
    if (!request.splice) {
        for (const RevisionParent &head : request.heads)
            if (!head.revision.isEmpty() && !head.isHead)
                return Error(QStringLiteral("Revision %1 is not a head revision; please specify --splice "
                                            "to create a new branch from this revision").arg(head.revision));
    }

    const QString path = absVersionPath + QLatin1Char('/') + *fileName;
    // os.path.join(version_path, filename): what Alembic reports as the script's path.
    const QString joinedPath = versionPath->isEmpty() || versionPath->endsWith(QLatin1Char('/'))
                                   ? *versionPath + *fileName : *versionPath + QLatin1Char('/') + *fileName;
    QMap<QString, MakoValue> vars = templateVariables(request, revId);
    vars.insert(QStringLiteral("create_date"), date->toPyValue());
    sink({Message::StatusStart, QStringLiteral("Generating %1").arg(path)});
    Result<void> rendered = render(request.settings.scriptDirectory + QStringLiteral("/script.py.mako"), path,
                                   vars, request.settings.outputEncoding);
    sink({rendered ? Message::StatusDone : Message::StatusFailed, {}});
    if (!rendered)
        return rendered.error();
    if (Result<void> hooks = PostWriteHooks::run(path, request.settings.hookConfig, sink); !hooks)
        return hooks.error();

    Result<Revision> written = RevisionScriptReader::readFile(path);
    if (!written)
        return written.error();
    if (request.branchLabel && written->branchLabels.isEmpty())
        return Error(QStringLiteral("Version %1 specified branch_labels %2, however the migration file %3 "
                                    "does not have them; have you upgraded your script.py.mako to include "
                                    "the 'branch_labels' section?")
                         .arg(written->id, *request.branchLabel, joinedPath));
    return WrittenRevision{path, *written};
}

} // namespace retort
