// The `retort` command line: Alembic's command set on an unchanged Alembic project.
#include "command/commandline.h"
#include "runtime/drivermessagefilter.h"
#include "script/heapprefault.h"

#include <QCoreApplication>
#include <QFileInfo>

int main(int argc, char *argv[])
{
    // Freed heap is kept for the next burst of allocations, and the revision scan can
    // fault the heap in ahead on an idle core (HeapPrefault).
    retort::HeapPrefault::enableForProcess();
    QCoreApplication app(argc, argv);
    // Qt's SQL drivers' own warnings (a dead server's "Database not open") would follow the
    // FAILED: line that already says what happened.
    retort::DriverMessageFilter::install();
    QStringList args = app.arguments();
    const QString prog = QFileInfo(args.takeFirst()).fileName();
    retort::CommandLine commandLine(prog);
    commandLine.setProcessEndsAfterRun(true);
    return commandLine.run(args);
}
