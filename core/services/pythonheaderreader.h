#pragma once
// Reads the revision headers Retort cannot read statically (UnreadHeader: a value such as
// `branch_labels = (cli.CONTRACT_BRANCH,)` computed from a project module) the way Alembic
// does: the project's interpreter imports just those scripts with the ini's
// prepend_sys_path (resources/python/retort_headers.py) and prints the values as JSON.
// Answers are cached under $XDG_CACHE_HOME/retort/headers/ (beside the model cache), per
// script keyed on its path, size, mtime and content, and valid while every module file
// the imports read is unchanged, so Python starts once per change, not once per command.
// RETORT_NO_MODEL_CACHE=1 turns the cache off, as for the models.

#include "result.h"
#include "script/revisionscriptreader.h"

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

namespace retort {

struct PythonHeaderOptions
{
    QString python = QStringLiteral("python3");
    QString pythonOrigin;        // PythonInterpreter::origin, for messages
    QStringList rejected;        // virtualenvs found without alembic, for messages
    QStringList prependSysPath;  // the ini's prepend_sys_path, split as Alembic splits it
    QString workingDirectory;    // where relative sys.path entries resolve; empty = cwd
    QString configFile;          // part of the cache key
    QString cacheDirectory;      // empty = $XDG_CACHE_HOME/retort/headers
    bool useCache = true;
    int timeoutMs = 120000;
};

class PythonHeaderReader
{
public:
    explicit PythonHeaderReader(PythonHeaderOptions options);

    // Values per script path (see RevisionScriptReader::applyPythonValues). An error names
    // the script and line the static reader stopped at, and why Python could not help.
    Result<QHash<QString, QJsonObject>> read(const QVector<UnreadHeader> &scripts);

    // "reading revision headers of N scripts with Python (...)" when Python ran.
    QStringList notes() const { return m_notes; }
    bool ranPython() const { return m_ranPython; }
    QString cachePath() const { return m_cachePath; }

    // Parses the helper's answer into *values (scripts that failed to import are errors).
    static Result<QJsonArray> parse(const QByteArray &json, const QVector<UnreadHeader> &scripts,
                                    QHash<QString, QJsonObject> *values, const QString &python);

private:
    Result<QByteArray> runHelper(const QVector<UnreadHeader> &scripts);

    PythonHeaderOptions m_options;
    QString m_cachePath;
    QStringList m_notes;
    bool m_ranPython = false;
};

} // namespace retort
