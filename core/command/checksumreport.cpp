#include "checksumreport.h"

#include "command/commandcontext.h"
#include "services/migrationenvironment.h"
#include "services/scriptchecksums.h"

namespace retort {

Result<int> ChecksumReport::log(CommandContext &context, MigrationEnvironment &env, const RevisionGraph &graph,
                                const QStringList &heads)
{
    if (!env.connection())
        return 0;
    auto findings = ScriptChecksums::audit(*env.connection(), env.versionTable(), graph, heads);
    if (!findings)
        return findings.error();
    int changed = 0;
    for (const ChecksumFinding &f : *findings) {
        // A changed script is a warning; one from before Retort is only information.
        const bool isChanged = f.kind == ChecksumFinding::Changed;
        changed += isChanged ? 1 : 0;
        context.out().writeStderr((isChanged ? QStringLiteral("WARNING [retort.checksum] %1\n")
                                             : QStringLiteral("INFO  [retort.checksum] %1\n"))
                                      .arg(f.message()));
    }
    return changed;
}

} // namespace retort
