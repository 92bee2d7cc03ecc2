#pragma once
// Edit > Preferences: theme, script editor font, backup folder and retention, Python
// interpreter and language. OK stores them (StudioPreferences) and applies what can
// change while running; the language takes effect at the next start.

#include <QDialog>

class QComboBox;
class QFontComboBox;
class QLineEdit;
class QSettings;
class QSpinBox;

namespace retort {

class PreferencesDialog : public QDialog
{
    Q_OBJECT
public:
    explicit PreferencesDialog(QSettings &settings, QWidget *parent = nullptr);

    QComboBox *themeBox() const { return m_theme; }
    QFontComboBox *fontBox() const { return m_font; }
    QSpinBox *fontSizeBox() const { return m_fontSize; }
    QLineEdit *backupFolderEdit() const { return m_backupFolder; }
    QSpinBox *retentionBox() const { return m_retention; }
    QLineEdit *pythonEdit() const { return m_python; }
    QComboBox *languageBox() const { return m_language; }

    // Languages offered: the installed retort_<lang>.qm files, plus English.
    static QStringList availableLanguages();

public slots:
    void accept() override;

private:
    void load();

    QSettings &m_settings;
    QComboBox *m_theme;
    QFontComboBox *m_font;
    QSpinBox *m_fontSize;
    QLineEdit *m_backupFolder;
    QSpinBox *m_retention;
    QLineEdit *m_python;
    QComboBox *m_language;
};

} // namespace retort
