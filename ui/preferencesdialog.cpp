#include "preferencesdialog.h"

#include "studiopreferences.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFontComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include <functional>

namespace retort {

namespace {
// A line edit with a Browse… button; `pick` returns the chosen path (empty: cancelled).
QHBoxLayout *withBrowse(QLineEdit *edit, QWidget *parent, std::function<QString()> pick)
{
    auto *row = new QHBoxLayout;
    row->addWidget(edit, 1);
    auto *browse = new QPushButton(PreferencesDialog::tr("Browse\u2026"), parent);
    row->addWidget(browse);
    QObject::connect(browse, &QPushButton::clicked, parent, [edit, pick] {
        const QString path = pick();
        if (!path.isEmpty())
            edit->setText(QDir::toNativeSeparators(path));
    });
    return row;
}

QLabel *buddyLabel(const QString &text, QWidget *buddy)
{
    auto *label = new QLabel(text);
    label->setBuddy(buddy);
    return label;
}
} // namespace

PreferencesDialog::PreferencesDialog(QSettings &settings, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_theme(new QComboBox)
    , m_font(new QFontComboBox)
    , m_fontSize(new QSpinBox)
    , m_backupFolder(new QLineEdit)
    , m_retention(new QSpinBox)
    , m_python(new QLineEdit)
    , m_language(new QComboBox)
{
    setWindowTitle(tr("Preferences"));
    m_theme->addItem(tr("System"), StudioPreferences::themeName(StudioPreferences::Theme::System));
    m_theme->addItem(tr("Light"), StudioPreferences::themeName(StudioPreferences::Theme::Light));
    m_theme->addItem(tr("Dark"), StudioPreferences::themeName(StudioPreferences::Theme::Dark));
    m_font->setFontFilters(QFontComboBox::MonospacedFonts);
    m_fontSize->setRange(6, 48);
    m_fontSize->setSuffix(tr(" pt"));
    m_backupFolder->setPlaceholderText(tr("Default location"));
    m_backupFolder->setToolTip(tr("Where the backups taken before each run are written"));
    m_retention->setRange(0, 999);
    m_retention->setSpecialValueText(tr("Keep all"));
    m_retention->setToolTip(tr("How many backups to keep per database; older ones are deleted"));
    m_python->setPlaceholderText(tr("Default: found per project"));
    m_python->setToolTip(tr("The Python that runs the project's own Alembic (steps that need Python, "
                            "autogenerate's models). Empty: $RETORT_PYTHON, the ini's retort_python, "
                            "the active or the project's virtualenv, python3."));
    m_language->addItem(tr("System default"), QString());
    for (const QString &code : availableLanguages())
        m_language->addItem(QLocale(code).nativeLanguageName().isEmpty()
                                ? code : QStringLiteral("%1 (%2)").arg(QLocale(code).nativeLanguageName(), code),
                            code);

    auto *fontRow = new QHBoxLayout;
    fontRow->addWidget(m_font, 1);
    fontRow->addWidget(m_fontSize);

    auto *form = new QFormLayout;
    form->addRow(buddyLabel(tr("&Theme:"), m_theme), m_theme);
    form->addRow(buddyLabel(tr("Editor &font:"), m_font), fontRow);
    form->addRow(buddyLabel(tr("&Backup folder:"), m_backupFolder),
                 withBrowse(m_backupFolder, this, [this] {
                     return QFileDialog::getExistingDirectory(this, tr("Backup Folder"), m_backupFolder->text());
                 }));
    form->addRow(buddyLabel(tr("Backups &kept:"), m_retention), m_retention);
    form->addRow(buddyLabel(tr("&Python interpreter:"), m_python),
                 withBrowse(m_python, this, [this] {
                     return QFileDialog::getOpenFileName(this, tr("Python Interpreter"), m_python->text());
                 }));
    form->addRow(buddyLabel(tr("&Language:"), m_language), m_language);
    auto *restart = new QLabel(tr("A new language applies the next time Retort Studio starts."));
    restart->setWordWrap(true);
    restart->setForegroundRole(QPalette::PlaceholderText);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(restart);
    layout->addStretch();
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &PreferencesDialog::reject);
    setMinimumWidth(560);
    load();
}

QStringList PreferencesDialog::availableLanguages()
{
    QStringList codes{QStringLiteral("en")};
    for (const QString &dir : StudioPreferences::translationDirectories()) {
        const QStringList files = QDir(dir).entryList({QStringLiteral("retort_*.qm")}, QDir::Files);
        for (const QString &file : files) {
            const QString code = file.mid(7, file.size() - 10);   // retort_<code>.qm
            if (!codes.contains(code))
                codes << code;
        }
    }
    return codes;
}

void PreferencesDialog::load()
{
    StudioPreferences prefs(m_settings);
    m_theme->setCurrentIndex(qMax(0, m_theme->findData(StudioPreferences::themeName(prefs.theme()))));
    const QFont font = prefs.editorFont();
    m_font->setCurrentFont(font);
    m_fontSize->setValue(font.pointSize() > 0 ? font.pointSize() : 10);
    m_backupFolder->setText(QDir::toNativeSeparators(prefs.backupFolder()));
    m_retention->setValue(prefs.backupRetention());
    m_python->setText(prefs.pythonInterpreter());
    const int language = m_language->findData(prefs.language());
    if (language < 0 && !prefs.language().isEmpty())
        m_language->addItem(prefs.language(), prefs.language());   // kept as stored
    m_language->setCurrentIndex(qMax(0, m_language->findData(prefs.language())));
}

void PreferencesDialog::accept()
{
    StudioPreferences prefs(m_settings);
    prefs.setTheme(StudioPreferences::themeFromName(m_theme->currentData().toString()));
    QFont font = m_font->currentFont();
    font.setPointSize(m_fontSize->value());
    prefs.setEditorFont(font);
    prefs.setBackupFolder(QDir::fromNativeSeparators(m_backupFolder->text().trimmed()));
    prefs.setBackupRetention(m_retention->value());
    prefs.setPythonInterpreter(m_python->text().trimmed());
    prefs.setLanguage(m_language->currentData().toString());
    prefs.apply();
    QDialog::accept();
}

} // namespace retort
