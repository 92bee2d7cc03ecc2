// The `retort` command line: Alembic's command set on an unchanged Alembic project.
#include "command/commandline.h"
#include "runtime/drivermessagefilter.h"

#include <QCoreApplication>
#include <QFileInfo>

#ifdef __GLIBC__
#include <malloc.h>
#endif

int main(int argc, char *argv[])
{
#ifdef __GLIBC__
    // A command allocates in bursts (every script read, lexed, interpreted): memory freed
    // between them is kept for the next instead of being returned to the system and
    // faulted back in page by page (a sixth fewer page faults for `upgrade --sql`).
    (void)mallopt(M_TOP_PAD, 32 << 20);
    (void)mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
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
