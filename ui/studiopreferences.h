#pragma once
// The studio's preferences in QSettings, and applying them to the running application:
// theme (System / Light / Dark, a palette on the Fusion style), the script editor's
// font, the backup folder and how many backups to keep (read by the backup code), the
// Python interpreter (overrides $RETORT_PYTHON, the locator's first rung) and the
// language (retort_<lang>.qm and Qt's qtbase_<lang>.qm loaded at start-up).

#include <QFont>
#include <QPalette>
#include <QString>

class QSettings;
class QTranslator;

namespace retort {

class StudioPreferences
{
public:
    enum class Theme { System, Light, Dark };

    // QSettings keys (shared with other parts of the studio).
    static const QString themeKey;        // "ui/theme": system | light | dark
    static const QString editorFontKey;   // "editor/font": QFont::toString()
    static const QString backupFolderKey;      // "backup/folder": empty = default location
    static const QString backupRetentionKey;   // "backup/retention": backups kept, 0 = all
    static const QString pythonKey;       // "python/interpreter": empty = the locator's choice
    static const QString languageKey;     // "ui/language": empty = the system's

    explicit StudioPreferences(QSettings &settings);

    Theme theme() const;
    void setTheme(Theme theme);
    QFont editorFont() const;
    void setEditorFont(const QFont &font);
    QString backupFolder() const;
    void setBackupFolder(const QString &folder);
    int backupRetention() const;
    void setBackupRetention(int count);
    QString pythonInterpreter() const;
    void setPythonInterpreter(const QString &path);
    QString language() const;
    void setLanguage(const QString &language);

    // Applies theme, editor font and interpreter to the running application.
    void apply() const;
    // The languages to try, best first: the preference when set, else the system's
    // (QLocale::system().uiLanguages()) up to the first English one.
    QStringList candidateLanguages() const;
    static QStringList candidateLanguages(const QString &preference, const QStringList &uiLanguages);
    // Installs retort_<language>.qm for the first candidate that has one (from the
    // translations folders, the embedded :/i18n last) and Qt's qtbase_<language>.qm with
    // it; returns the file loaded (empty when none). Call once at start-up.
    QString installTranslator() const;

    static void applyTheme(Theme theme);
    static QPalette darkPalette();
    static QPalette lightPalette();
    // Sets (non-empty) or restores the environment's RETORT_PYTHON.
    static void applyPythonInterpreter(const QString &path);
    static QStringList translationDirectories();
    static QString themeName(Theme theme);
    static Theme themeFromName(const QString &name);

private:
    QSettings &m_settings;
};

} // namespace retort
