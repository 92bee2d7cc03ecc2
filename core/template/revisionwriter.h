#pragma once
// Writes a new revision script the way ScriptDirectory.generate_revision does, for
// `revision` (command.revision without autogenerate / revision_environment) and `merge`.
//
// What the CALLER resolves beforehand with the revision graph (RevisionGraph), because
// Alembic does it inside generate_revision before any file is touched:
//  - heads: RevisionMap.get_revisions(--head or "head"); for merge get_revisions(revisions).
//    Its errors are the caller's, e.g. "Multiple heads are present; please specify the head
//    revision on which the new revision should be based, or perform a merge." (the
//    multiple_heads text generate_revision passes to _catch_revision_errors). "base"
//    resolves to one entry with an empty id (down_revision None).
//  - dependsOn: each --depends-on resolved with get_revision(): kept as written when it is
//    one of that revision's branch labels, else replaced by the full revision id.
//  - after writing, adding the new revision to the graph (its branch-label clash error
//    "Branch name '%s' in revision %s already used by revision %s" comes from there).
// The writer itself checks the revision id, duplicate heads, version path, --splice,
// renders script.py.mako, runs [post_write_hooks], and re-reads the file for the
// branch_labels check.
//
// script.py.mako sees what generate_revision passes: up_revision (str), down_revision
// (None, a str, or a tuple for a merge), branch_labels (None or a 1-tuple),
// depends_on (None, a str, or a list), create_date (str() like Python's datetime, with
// year..microsecond attributes), message ("empty message" when -m is absent), comma
// (alembic.util.format_as_comma), plus templateArgs (config, and for the multidb
// template's own use <db>_upgrades / <db>_downgrades when a caller provides them).
// Not supported: revision_environment / --autogenerate (they need env.py to run).

#include "message.h"
#include "makovalue.h"
#include "config/alembicconfig.h"
#include "revision/revision.h"

namespace retort { class RevisionGraph; }

#include <QDateTime>
#include <optional>

namespace retort {

struct RevisionParent
{
    QString revision;    // full id; empty for "base"
    QString path;        // its script file (used to pick the version path)
    bool isHead = true;  // Revision.is_head in the graph
};

struct RevisionRequest
{
    ScriptSettings settings;                 // AlembicConfig::scriptSettings()
    std::optional<QString> message;          // -m; the template gets "empty message" if absent
    std::optional<QString> revId;            // --rev-id; else a fresh uuid4().hex[-12:]
    QVector<RevisionParent> heads;           // resolved --head (see above)
    bool splice = false;                     // --splice
    std::optional<QString> branchLabel;      // --branch-label
    std::optional<QString> versionPath;      // --version-path, as given
    QStringList dependsOn;                   // resolved --depends-on (see above)
    // Extra template variables: at least "config" (configValue() for revision,
    // mergeTemplateArgs() for merge), plus imports/upgrades/downgrades if any.
    QMap<QString, MakoValue> templateArgs;
    QDateTime now;                           // the creation instant; invalid = current time
    QString workingDirectory;                // relative --version-path base; empty = current
};

struct WrittenRevision
{
    QString path;        // absolute path of the new file
    Revision revision;   // as read back from the file
};

class RevisionWriter
{
public:
    // Messages ("Creating directory ...", "Generating <path> ...  done") go to sink as they
    // happen. Errors are Alembic's CommandError texts.
    static Result<WrittenRevision> write(const RevisionRequest &request, const MessageSink &sink);
    // The text write() would put in the file before [post_write_hooks] run (script.py.mako
    // rendered with the same variables), without touching the disk. Give request.revId and
    // request.now to get exactly what a write() with the same request renders.
    static Result<QString> renderText(const RevisionRequest &request);

    // Fills request->heads and request->dependsOn from the graph as generate_revision
    // does: heads = get_revisions(head) ("head" for revision, the `revisions` argument
    // for merge), errors rewritten with its multiple_heads text; each --depends-on
    // argument resolved with get_revision() (branch labels kept, partial ids expanded).
    static Result<void> resolveParents(const RevisionGraph &graph, const QString &head,
                                       const QStringList &dependsOnArgs, RevisionRequest *request);

    // command.merge: heads are the resolved `revisions`; Alembic passes message, branch
    // label and rev id like revision does, and config as the *string* "config".
    static QMap<QString, MakoValue> mergeTemplateArgs();
    // command.revision: `config` is the Config object (get_main_option ...).
    static MakoValue configValue(const AlembicConfig &config);

    // alembic.util.rev_id(): uuid4().hex[-12:].
    static QString newRevisionId();
    // Script.verify_rev_id: "Character(s) '-, @' not allowed in revision identifier 'a@-b'".
    static Result<void> verifyRevisionId(const QString &revId);

private:
    static Result<QString> chooseVersionPath(const RevisionRequest &request);
    static QMap<QString, MakoValue> templateVariables(const RevisionRequest &request,
                                                      const QString &revId);
    static Result<void> render(const QString &templatePath, const QString &dest,
                               const QMap<QString, MakoValue> &variables, const QString &encoding);
    static Result<QString> renderTemplate(const QString &templatePath, const QMap<QString, MakoValue> &variables);
};

} // namespace retort
