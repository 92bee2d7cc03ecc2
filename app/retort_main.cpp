// The `retort` command line: Alembic's command set on an unchanged Alembic project.
#include "command/commandline.h"
#include "command/processheap.h"
#include "runtime/drivermessagefilter.h"

#include <QCoreApplication>
#include <QFileInfo>

int main(int argc, char *argv[])
{
    // Freed memory kept, the heap backed by huge pages where the system allows it.
    (void)retort::ProcessHeap::prepareForCommand();
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
