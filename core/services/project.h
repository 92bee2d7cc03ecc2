#pragma once
// An opened Alembic project: its config (alembic.ini, section, -x), script directory
// and revision graph, each loaded on first use and kept. Shared by the CLI's commands
// and the studio, so both read a project the same way.

#include "config/alembicconfig.h"
#include "revision/revisiongraph.h"
#include "script/scriptdirectory.h"

#include <functional>
#include <optional>

namespace retort {

class Project
{
public:
    explicit Project(QString iniPath, QString section = QStringLiteral("alembic"),
                     QStringList xArguments = {});

    QString iniPath() const { return m_iniPath; }
    QString section() const { return m_section; }
    QStringList xArguments() const { return m_xArgs; }
    Result<AlembicConfig *> config();
    Result<ScriptDirectory *> scriptDirectory();
    // Warnings (duplicate ids, ids too long for VARCHAR(32)) go to *warnings the first time;
    // *notes gets what was done beyond reading files (headers read with Python).
    Result<const RevisionGraph *> graph(QStringList *warnings = nullptr, QStringList *notes = nullptr);
    // Forget the scanned revisions (after a file was written or edited).
    void reloadRevisions() { m_graph.reset(); }
    // Called with the scripts as read, before the graph is built from them (a command may
    // start interpreting them meanwhile); empty: none.
    void setScriptsReadHandler(std::function<void(const QVector<Revision> &)> handler)
    { m_onScriptsRead = std::move(handler); }

private:
    QString m_iniPath;
    QString m_section;
    QStringList m_xArgs;
    std::optional<AlembicConfig> m_config;
    std::optional<ScriptDirectory> m_scripts;
    std::optional<RevisionGraph> m_graph;
    std::function<void(const QVector<Revision> &)> m_onScriptsRead;
};

} // namespace retort
