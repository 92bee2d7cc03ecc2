// The `retort` command line: Alembic's command set on an unchanged Alembic project.
#include "command/commandline.h"

#include <QCoreApplication>
#include <QFileInfo>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments();
    const QString prog = QFileInfo(args.takeFirst()).fileName();
    retort::CommandLine commandLine(prog);
    return commandLine.run(args);
}
