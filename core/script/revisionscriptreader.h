#pragma once
// Reads one versions/*.py file statically into a Revision, mirroring Alembic 1.8.1's
// Script._from_filename: which file names count, legacy ids from hex file names, and the
// CommandError when no revision id can be found.

#include "revision/revision.h"
#include "result.h"

#include <QJsonObject>
#include <QString>
#include <optional>

namespace retort {

class ScriptCache;

// A script whose header (revision, down_revision, branch_labels, depends_on) binds a value
// the static reader cannot evaluate, e.g. `branch_labels = (cli.CONTRACT_BRANCH,)` with
// `cli` imported from the project: only executing the module (as Alembic does) tells.
struct UnreadHeader
{
    QString path;
    Error error;   // the static reader's error, naming file and line of the first such value
};

class RevisionScriptReader
{
public:
    // Whether Alembic would try to load this directory entry: `(?!\.#|__init__)(.*\.py)$`,
    // or with sourceless also .pyc/.pyo (a .pyc is skipped if its .py exists, a .pyo if its
    // .py or .pyc exists).
    static bool isCandidate(const QString &dir, const QString &fileName, bool sourceless = false);

    // nullopt when the entry is not a revision file (see isCandidate). The Revision's path
    // is dir + "/" + fileName as Alembic joins it; order is left 0.
    // With unread set, a header value that cannot be read statically is not an error: the
    // Revision comes back with its path and docstring only and *unread says where.
    // dirFd: `dir` opened by the caller (-1: none), see PyLexer::readSourceFile.
    // cache: headers of unchanged scripts from earlier runs; headers the fast path reads
    // are noted in it (thread-safe).
    static Result<std::optional<Revision>> readEntry(const QString &dir, const QString &fileName,
                                                     bool sourceless = false,
                                                     std::optional<UnreadHeader> *unread = nullptr,
                                                     int dirFd = -1, ScriptCache *cache = nullptr);

    // Reads a .py file (no name filtering).
    static Result<Revision> readFile(const QString &path);
    // Parses already decoded source; path is used for messages and Revision::path.
    static Result<Revision> readSource(const QString &source, const QString &path,
                                       std::optional<UnreadHeader> *unread = nullptr);
    // readSource without its fast path (RevisionHeaderScan): lexer + PyModuleScanner.
    // Exposed so that tests can check both paths agree.
    static Result<Revision> readSourceTokenized(const QString &source, const QString &path,
                                                std::optional<UnreadHeader> *unread = nullptr);

    // Completes a Revision left unread (path and docstring set) from the values Python found
    // by importing the script: a JSON object with the names the module binds — null, a
    // string, an array of strings, or {"repr": text} for any other value — and checks them
    // as the static reader does (legacy hex ids, the missing down_revision error).
    static VoidResult applyPythonValues(Revision *rev, const QJsonObject &values);

    // What makes an id unsafe outside Python ("a quote, whitespace"), or "" for a safe id.
    // Quotes, whitespace, semicolons and backslashes are legal in Alembic but end up in SQL text (--sql
    // output, Alembic's own online statements) and file names: `revision --rev-id` refuses
    // them and reading them from a script warns.
    static QString unsafeIdCharacters(const QString &id);
};

} // namespace retort
