#include "studiopreferences.h"

#include "editortheme.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>
#include <QTranslator>

#include <optional>

namespace retort {

const QString StudioPreferences::themeKey = QStringLiteral("ui/theme");
const QString StudioPreferences::editorFontKey = QStringLiteral("editor/font");
const QString StudioPreferences::backupFolderKey = QStringLiteral("backup/folder");
const QString StudioPreferences::backupRetentionKey = QStringLiteral("backup/retention");
const QString StudioPreferences::pythonKey = QStringLiteral("python/interpreter");
const QString StudioPreferences::languageKey = QStringLiteral("ui/language");

namespace {
// What the desktop gave us before the first theme switch, to return to for "System".
struct SystemLook
{
    QString style;
    QPalette palette;
};
std::optional<SystemLook> &systemLook()
{
    static std::optional<SystemLook> look;
    return look;
}

std::optional<QByteArray> &environmentPython()
{
    static std::optional<QByteArray> value;
    return value;
}
} // namespace

StudioPreferences::StudioPreferences(QSettings &settings) : m_settings(settings) {}

QString StudioPreferences::themeName(Theme theme)
{
    switch (theme) {
    case Theme::Light: return QStringLiteral("light");
    case Theme::Dark: return QStringLiteral("dark");
    case Theme::System: break;
    }
    return QStringLiteral("system");
}

StudioPreferences::Theme StudioPreferences::themeFromName(const QString &name)
{
    if (name == QLatin1String("light"))
        return Theme::Light;
    if (name == QLatin1String("dark"))
        return Theme::Dark;
    return Theme::System;
}

StudioPreferences::Theme StudioPreferences::theme() const
{
    return themeFromName(m_settings.value(themeKey).toString());
}

void StudioPreferences::setTheme(Theme theme) { m_settings.setValue(themeKey, themeName(theme)); }

QFont StudioPreferences::editorFont() const
{
    QFont font = EditorTheme::font();
    const QString stored = m_settings.value(editorFontKey).toString();
    if (!stored.isEmpty())
        font.fromString(stored);
    return font;
}

void StudioPreferences::setEditorFont(const QFont &font)
{
    m_settings.setValue(editorFontKey, font.toString());
}

QString StudioPreferences::backupFolder() const { return m_settings.value(backupFolderKey).toString(); }
void StudioPreferences::setBackupFolder(const QString &folder) { m_settings.setValue(backupFolderKey, folder); }
int StudioPreferences::backupRetention() const { return m_settings.value(backupRetentionKey, 0).toInt(); }
void StudioPreferences::setBackupRetention(int count) { m_settings.setValue(backupRetentionKey, qMax(0, count)); }
QString StudioPreferences::pythonInterpreter() const { return m_settings.value(pythonKey).toString(); }
void StudioPreferences::setPythonInterpreter(const QString &path) { m_settings.setValue(pythonKey, path); }
QString StudioPreferences::language() const { return m_settings.value(languageKey).toString(); }
void StudioPreferences::setLanguage(const QString &language) { m_settings.setValue(languageKey, language); }

void StudioPreferences::apply() const
{
    applyTheme(theme());
    EditorTheme::setFont(editorFont());
    applyPythonInterpreter(pythonInterpreter());
}

void StudioPreferences::applyTheme(Theme theme)
{
    if (!systemLook())
        systemLook() = SystemLook{QApplication::style()->name(), QApplication::palette()};
    if (theme == Theme::System) {
        if (QApplication::style()->name() != systemLook()->style)
            QApplication::setStyle(QStyleFactory::create(systemLook()->style));
        QApplication::setPalette(systemLook()->palette);
        EditorTheme::refreshAll();
        return;
    }
    // Fusion draws everything from the palette; native styles may not.
    if (QApplication::style()->name().compare(QLatin1String("fusion"), Qt::CaseInsensitive) != 0)
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(theme == Theme::Dark ? darkPalette() : lightPalette());
    EditorTheme::refreshAll();
}

QPalette StudioPreferences::darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30), base(0x1e, 0x1f, 0x22), text(0xdf, 0xe1, 0xe5);
    const QColor disabled(0x80, 0x84, 0x8a);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3b));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x45, 0x48, 0x4d));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3c, 0x40));
    p.setColor(QPalette::Mid, QColor(0x24, 0x25, 0x28));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb3, 0x8c, 0xff));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x3a, 0x3c, 0x40));
    return p;
}

QPalette StudioPreferences::lightPalette()
{
    // Fusion's own palette is a light one.
    QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion"));
    const QPalette p = fusion ? fusion->standardPalette() : QPalette(Qt::white);
    delete fusion;
    return p;
}

void StudioPreferences::applyPythonInterpreter(const QString &path)
{
    if (!environmentPython())
        environmentPython() = qgetenv("RETORT_PYTHON");
    if (!path.isEmpty())
        qputenv("RETORT_PYTHON", path.toLocal8Bit());
    else if (environmentPython()->isEmpty())
        qunsetenv("RETORT_PYTHON");
    else
        qputenv("RETORT_PYTHON", *environmentPython());
}

QStringList StudioPreferences::translationDirectories()
{
    const QString app = QCoreApplication::applicationDirPath();
    return {app + QStringLiteral("/translations"),
            QDir::cleanPath(app + QStringLiteral("/../share/retort/translations")),
            QStringLiteral(":/i18n")};
}

QStringList StudioPreferences::candidateLanguages() const
{
    return candidateLanguages(language(), QLocale::system().uiLanguages());
}

QStringList StudioPreferences::candidateLanguages(const QString &preference, const QStringList &uiLanguages)
{
    if (!preference.isEmpty())
        return {preference};
    // The desktop's languages in order of preference (LANGUAGE, then LC_ALL, LC_MESSAGES,
    // LANG on Unix). English is the source language: reaching it ends the search, so that
    // LANGUAGE=en_GB:de stays English.
    QStringList languages;
    for (QString name : uiLanguages) {
        name.replace(QLatin1Char('-'), QLatin1Char('_'));
        if (name == QLatin1String("C") || name.startsWith(QLatin1String("en")))
            break;
        languages << name;
    }
    return languages;
}

QString StudioPreferences::installTranslator() const
{
    auto *translator = new QTranslator(QCoreApplication::instance());
    for (const QString &language : candidateLanguages()) {
        for (const QString &dir : translationDirectories()) {
            // QTranslator::load tries retort_de_DE, then retort_de.
            if (!translator->load(QStringLiteral("retort_") + language, dir))
                continue;
            QCoreApplication::installTranslator(translator);
            // Qt's own texts (standard buttons, file dialogs) in the same language, from
            // the system's Qt translations (Debian: qt6-translations-l10n).
            auto *qt = new QTranslator(QCoreApplication::instance());
            if (qt->load(QStringLiteral("qtbase_") + translator->language(),
                         QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
                QCoreApplication::installTranslator(qt);
            else
                delete qt;
            return translator->filePath();
        }
    }
    delete translator;
    return {};
}

} // namespace retort
