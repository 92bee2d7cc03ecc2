// retort-studio: the Qt Widgets front end. Wiring only; the views live in ui/.

#include "mainwindow.h"
#include "screenshottaker.h"
#include "studiopreferences.h"
#include "studioicons.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QSettings>

#include <cstdio>
#include <cstring>

int main(int argc, char *argv[])
{
    // --version answers without a display (scripts, man page checks, a headless build host).
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--version") == 0 || std::strcmp(argv[i], "-v") == 0) {
            std::printf("retort-studio %s\n", RETORT_VERSION);
            return 0;
        }
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Retort"));
    QApplication::setOrganizationDomain(QStringLiteral("retort.invalid"));
    QApplication::setApplicationName(QStringLiteral("retort-studio"));
    QApplication::setApplicationDisplayName(QStringLiteral("Retort Studio"));
    QApplication::setApplicationVersion(QStringLiteral(RETORT_VERSION));
    // The desktop entry's name (packaging/retort-studio.desktop): Wayland compositors and
    // task bars match windows to it; the icon is the installed theme's or the embedded SVG.
    QGuiApplication::setDesktopFileName(QStringLiteral("retort-studio"));
    QApplication::setWindowIcon(retort::studioApplicationIcon());

    // Without a desktop session (Xvfb, minimal WMs) Qt finds no icon theme.
    if (QIcon::themeName().isEmpty() || QIcon::themeName() == QLatin1String("hicolor"))
        QIcon::setFallbackThemeName(QStringLiteral("Adwaita"));

    // One settings object for the whole studio, handed to whoever needs it.
    QSettings settings;
    // Preferences first: the translator (also for --help) and the theme must be in place
    // before any widget.
    const retort::StudioPreferences preferences(settings);
    preferences.installTranslator();

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("main", "Browse and apply Alembic migrations."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("alembic.ini"),
                                 QCoreApplication::translate("main", "The project's config file to open."), QStringLiteral("[alembic.ini]"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Save PNGs of the window and its docks to <dir>, then quit."),
                                  QStringLiteral("dir"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(screenshot);
    parser.process(app);

    preferences.apply();
    retort::MainWindow window(settings);
    const bool shooting = parser.isSet(screenshot);
    if (shooting)
        window.resize(1440, 900);
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openProject(parser.positionalArguments().constFirst());

    retort::ScreenshotTaker taker(&window, parser.value(screenshot));
    if (shooting)
        taker.start();
    return app.exec();
}
