// The studio in German and French: the desktop's language (LANGUAGE=de, set before the
// application starts, as a desktop session does) picks the embedded retort_de.qm, the
// ui/language preference overrides it (fr, and en for English on a German desktop); Qt's own
// qtbase_<lang>.qm comes with it (a QDialogButtonBox's Cancel), plural forms follow the
// language's rules and core's plan review summary is translated; which languages are tried
// for which desktop settings.

#include "mainwindow.h"
#include "review/planreviewreport.h"
#include "studioactions.h"
#include "studiopreferences.h"

#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QKeySequence>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

#include <memory>

using namespace retort;

class tst_Translations : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void systemLanguageIsGerman();
    void candidateLanguages_data();
    void candidateLanguages();
    void studioSpeaksTheLanguage_data();
    void studioSpeaksTheLanguage();
    void englishPreferenceOverridesTheSystem();

private:
    static void removeTranslators();
    static QStringList menuTitles(MainWindow &window);
    static PlanReviewReport droppingReport();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
};

void tst_Translations::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<QSettings>(m_dir->path() + QStringLiteral("/studio.ini"),
                                             QSettings::IniFormat);
}

void tst_Translations::cleanup()
{
    removeTranslators();
}

void tst_Translations::removeTranslators()
{
    for (QTranslator *translator : qApp->findChildren<QTranslator *>(QString(), Qt::FindDirectChildrenOnly)) {
        QCoreApplication::removeTranslator(translator);
        delete translator;
    }
}

QStringList tst_Translations::menuTitles(MainWindow &window)
{
    QStringList titles;
    for (QAction *menu : window.menuBar()->actions())
        titles << menu->text();
    return titles;
}

void tst_Translations::systemLanguageIsGerman()
{
    // main() set LANGUAGE=de before QApplication: the system's first language is German.
    const StudioPreferences prefs(*m_settings);
    QVERIFY(!prefs.candidateLanguages().isEmpty());
    QCOMPARE(prefs.candidateLanguages().constFirst().left(2), QStringLiteral("de"));
}

void tst_Translations::candidateLanguages_data()
{
    QTest::addColumn<QString>("preference");
    QTest::addColumn<QStringList>("uiLanguages");   // as QLocale::system().uiLanguages() lists them
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("German desktop") << QString() << QStringList{"de-DE", "en-US"} << QStringList{"de_DE"};
    QTest::newRow("French, then German") << QString() << QStringList{"fr-CA", "fr", "de"}
                                         << QStringList{"fr_CA", "fr", "de"};
    QTest::newRow("English first stays English") << QString() << QStringList{"en-GB", "de"} << QStringList{};
    QTest::newRow("C locale") << QString() << QStringList{"C"} << QStringList{};
    QTest::newRow("preference wins") << QStringLiteral("fr") << QStringList{"de-DE"} << QStringList{"fr"};
    QTest::newRow("English preference") << QStringLiteral("en") << QStringList{"de-DE"} << QStringList{"en"};
}

void tst_Translations::candidateLanguages()
{
    QFETCH(QString, preference);
    QFETCH(QStringList, uiLanguages);
    QFETCH(QStringList, expected);
    QCOMPARE(StudioPreferences::candidateLanguages(preference, uiLanguages), expected);
}

void tst_Translations::studioSpeaksTheLanguage_data()
{
    QTest::addColumn<QString>("preference");   // ui/language; empty = the system's (de)
    QTest::addColumn<QStringList>("menus");
    QTest::addColumn<QString>("quit");
    QTest::addColumn<QString>("cancel");       // qtbase's translation
    QTest::addColumn<QString>("redoKeys");     // Ctrl+Shift+Z as menus show it (qtbase)
    QTest::addColumn<QString>("noRevisions");  // %n revision(s) with n = 0
    QTest::addColumn<QString>("oneRevision");
    QTest::addColumn<QString>("threeRevisions");
    QTest::addColumn<QString>("review");       // core's plan review summary
    QTest::newRow("system: German")
        << QString()
        << QStringList{QStringLiteral("&Datei"), QStringLiteral("&Bearbeiten"), QStringLiteral("&Revision"),
                       QStringLiteral("&Ansicht"), QStringLiteral("&Hilfe")}
        << QStringLiteral("&Beenden") << QStringLiteral("Abbrechen") << QStringLiteral("Strg+Umschalt+Z")
        << QStringLiteral("0 Revisionen") << QStringLiteral("1 Revision") << QStringLiteral("3 Revisionen")
        << QStringLiteral("entfernt 2 Spalten (mindestens 1 Wert); entfernt 1 Tabelle (1.500 Zeilen)");
    QTest::newRow("preference: French")
        << QStringLiteral("fr")
        << QStringList{QStringLiteral("&Fichier"), QStringLiteral("&Édition"), QStringLiteral("&Révision"),
                       QStringLiteral("&Affichage"), QStringLiteral("Ai&de")}
        << QStringLiteral("&Quitter") << QStringLiteral("Annuler") << QStringLiteral("Ctrl+Maj+Z")
        << QStringLiteral("0 révision") << QStringLiteral("1 révision") << QStringLiteral("3 révisions")
        << QStringLiteral("supprime 2 colonnes contenant au moins 1 valeur ; supprime 1 table contenant 1\u202f500 lignes");
}

void tst_Translations::studioSpeaksTheLanguage()
{
    QFETCH(QString, preference);
    QFETCH(QStringList, menus);
    QFETCH(QString, quit);
    QFETCH(QString, cancel);
    QFETCH(QString, redoKeys);
    QFETCH(QString, noRevisions);
    QFETCH(QString, oneRevision);
    QFETCH(QString, threeRevisions);
    QFETCH(QString, review);

    StudioPreferences prefs(*m_settings);
    prefs.setLanguage(preference);
    const QString loaded = prefs.installTranslator();
    // The embedded translation (the build tree has no share/retort next to the test).
    QCOMPARE(loaded, QStringLiteral(":/i18n/retort_%1.qm").arg(preference.isEmpty() ? QStringLiteral("de") : preference));

    MainWindow window(*m_settings);
    for (const QString &menu : menus)
        QVERIFY2(menuTitles(window).contains(menu), qPrintable(menuTitles(window).join(QLatin1Char('|'))));
    QCOMPARE(window.actions()->quit->text(), quit);

    QDialogButtonBox buttons(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    QCOMPARE(buttons.button(QDialogButtonBox::Cancel)->text().remove(QLatin1Char('&')), cancel);
    QCOMPARE(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z).toString(QKeySequence::NativeText), redoKeys);

    // German: one form for n == 1; French: one for n <= 1.
    const auto revisions = [](int n) {
        return QCoreApplication::translate("retort::MainWindow", "%n revision(s)", nullptr, n);
    };
    QCOMPARE(revisions(0), noRevisions);
    QCOMPARE(revisions(1), oneRevision);
    QCOMPARE(revisions(3), threeRevisions);

    // Core's review findings, shown in the plan review, in the studio's language.
    QCOMPARE(droppingReport().summary(), review);
}

PlanReviewReport tst_Translations::droppingReport()
{
    PlanReviewReport report;
    ReviewFinding table;
    table.kind = ReviewFinding::DropTable;
    table.count = 1500;
    ReviewFinding counted;
    counted.kind = ReviewFinding::DropColumn;
    counted.count = 1;
    ReviewFinding uncounted;
    uncounted.kind = ReviewFinding::DropColumn;
    report.findings << counted << uncounted << table;
    return report;
}

void tst_Translations::englishPreferenceOverridesTheSystem()
{
    StudioPreferences prefs(*m_settings);
    prefs.setLanguage(QStringLiteral("en"));
    QCOMPARE(prefs.installTranslator(), QString());
    MainWindow window(*m_settings);
    QVERIFY(menuTitles(window).contains(QStringLiteral("&File")));
    QCOMPARE(window.actions()->quit->text(), QStringLiteral("&Quit"));
    QDialogButtonBox buttons(QDialogButtonBox::Cancel);
    QCOMPARE(buttons.button(QDialogButtonBox::Cancel)->text().remove(QLatin1Char('&')), QStringLiteral("Cancel"));
    // The English the CLI prints too.
    QCOMPARE(droppingReport().summary(), QStringLiteral("drops 2 columns holding at least 1 value; drops 1 table holding 1,500 rows"));
}

int main(int argc, char *argv[])
{
    // What a German desktop session hands the studio; read once when QApplication starts.
    qputenv("LANGUAGE", "de");
    qputenv("LC_ALL", "de_DE.UTF-8");
    QApplication app(argc, argv);
    app.setAttribute(Qt::AA_Use96Dpi, true);
    tst_Translations test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_translations.moc"
