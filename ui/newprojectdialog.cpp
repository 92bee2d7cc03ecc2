#include "newprojectdialog.h"

#include "template/projectinitializer.h"
#include "themecolors.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace retort {

namespace {

// The first folder of `path` (or path itself) that does not exist yet: removing it
// undoes every directory a failed init created.
QString firstMissing(const QString &path)
{
    QString missing;
    for (QString p = QDir::cleanPath(path); !p.isEmpty() && !QFileInfo::exists(p);) {
        missing = p;
        const QString parent = QFileInfo(p).absolutePath();
        if (parent == p)
            break;
        p = parent;
    }
    return missing;
}

} // namespace

NewProjectDialog::NewProjectDialog(QWidget *parent)
    : QDialog(parent)
    , m_folder(new QLineEdit)
    , m_scripts(new QLineEdit(QStringLiteral("migrations")))
    , m_template(new QComboBox)
    , m_url(new QLineEdit)
    , m_error(new QLabel)
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("New Alembic Project"));
    auto *browseButton = new QPushButton(tr("Browse\u2026"));
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browseButton);
    m_folder->setToolTip(tr("alembic.ini is written here; the project is run from this folder"));
    m_scripts->setToolTip(tr("The migration environment (env.py, script.py.mako, versions/), relative "
                             "to the project folder; it must not exist or be empty"));
    for (const QString &name : ProjectInitializer::templateNames())
        m_template->addItem(QStringLiteral("%1 \u2014 %2").arg(name, ProjectInitializer::synopsis(name)), name);
    setTemplateName(QStringLiteral("generic"));
    m_url->setPlaceholderText(tr("driver://user:pass@localhost/dbname (leave empty to edit later)"));
    m_url->setToolTip(tr("Written into sqlalchemy.url (multidb: the first engine's)"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setStyleSheet(ThemeColors::errorStyleSheet(palette()));

    auto *form = new QFormLayout;
    // A label of its own with a buddy: a row holding a layout gets no mnemonic otherwise
    // (the '&' would show).
    auto *folderLabel = new QLabel(tr("Project &folder:"));
    folderLabel->setBuddy(m_folder);
    form->addRow(folderLabel, folderRow);
    form->addRow(tr("&Scripts directory:"), m_scripts);
    form->addRow(tr("&Template:"), m_template);
    form->addRow(tr("Database &URL:"), m_url);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    connect(browseButton, &QPushButton::clicked, this, &NewProjectDialog::browse);
    connect(m_folder, &QLineEdit::textChanged, this, &NewProjectDialog::revalidate);
    connect(m_scripts, &QLineEdit::textChanged, this, &NewProjectDialog::revalidate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &NewProjectDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &NewProjectDialog::reject);
    revalidate();
}

void NewProjectDialog::setProjectFolder(const QString &path) { m_folder->setText(path); }
void NewProjectDialog::setScriptsDirectory(const QString &name) { m_scripts->setText(name); }
void NewProjectDialog::setDatabaseUrl(const QString &url) { m_url->setText(url); }

void NewProjectDialog::setTemplateName(const QString &name)
{
    const int index = m_template->findData(name);
    if (index >= 0)
        m_template->setCurrentIndex(index);
}

QStringList NewProjectDialog::templateNames() const
{
    QStringList names;
    for (int i = 0; i < m_template->count(); ++i)
        names << m_template->itemData(i).toString();
    return names;
}

QString NewProjectDialog::errorText() const
{
    return m_error->text();
}

void NewProjectDialog::browse()
{
    const QString path = QFileDialog::getExistingDirectory(this, tr("Project Folder"), m_folder->text());
    if (!path.isEmpty())
        m_folder->setText(QDir::toNativeSeparators(path));
}

QString NewProjectDialog::configPath() const
{
    return QDir(QDir::fromNativeSeparators(m_folder->text().trimmed())).absoluteFilePath(QStringLiteral("alembic.ini"));
}

QString NewProjectDialog::validate() const
{
    if (m_folder->text().trimmed().isEmpty() || m_scripts->text().trimmed().isEmpty())
        return {};   // nothing to complain about yet; OK stays disabled
    InitRequest request;
    request.directory = QDir::fromNativeSeparators(m_scripts->text().trimmed());
    request.workingDirectory = QDir::fromNativeSeparators(m_folder->text().trimmed());
    request.templateName = m_template->currentData().toString();
    if (Result<void> ok = ProjectInitializer::checkRequest(request); !ok)
        return ok.error().message;
    // `init` would keep an existing alembic.ini (pointing elsewhere): the new project
    // needs its own.
    if (QFileInfo::exists(configPath()))
        return tr("File %1 already exists; choose a folder without an alembic.ini")
            .arg(QDir::toNativeSeparators(configPath()));
    return {};
}

void NewProjectDialog::revalidate()
{
    const QString error = validate();
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)
        ->setEnabled(error.isEmpty() && !m_folder->text().trimmed().isEmpty()
                     && !m_scripts->text().trimmed().isEmpty());
}

void NewProjectDialog::accept()
{
    revalidate();
    if (!m_buttons->button(QDialogButtonBox::Ok)->isEnabled())
        return;
    QString error;
    if (!create(&error)) {
        m_error->setText(error);
        m_error->setVisible(true);
        return;
    }
    QDialog::accept();
}

bool NewProjectDialog::create(QString *error)
{
    const QString folder = QDir::fromNativeSeparators(m_folder->text().trimmed());
    InitRequest request;
    request.directory = QDir::fromNativeSeparators(m_scripts->text().trimmed());
    request.workingDirectory = folder;
    request.templateName = m_template->currentData().toString();
    request.configFile = configPath();
    const QString scriptsDir = QDir::cleanPath(QDir(folder).absoluteFilePath(request.directory));
    const QString missing = firstMissing(scriptsDir);
    const QFileInfo ini(configPath());
    const bool hadIni = ini.exists() || ini.isSymLink();

    QString line;   // Alembic's "Generating x ..." and "  done" form one line
    Result<void> done = ProjectInitializer::init(request, [this, &line](const Message &m) {
        line += m.plainText();
        if (line.endsWith(QLatin1Char('\n'))) {
            emit message(line.trimmed());
            line.clear();
        }
    });
    if (done && writeUrl(error)) {
        m_iniPath = configPath();
        return true;
    }
    if (!done)
        *error = done.error().message;
    // Take back what this attempt wrote: the ini, and the scripts directory's contents
    // (it was missing or empty before).
    if (!hadIni)
        QFile::remove(configPath());
    if (!missing.isEmpty()) {
        QDir(missing).removeRecursively();
    } else {
        QDir(scriptsDir).removeRecursively();
        QDir().mkpath(scriptsDir);
    }
    *error += QLatin1Char('\n') + tr("Nothing was created.");
    return false;
}

QString NewProjectDialog::escapeUrl(const QString &url)
{
    // configparser reads '%' as interpolation: double every '%' except the
    // %(here)s that Alembic defines (the project folder), which the user means literally
    // as interpolation.
    static const QString here = QStringLiteral("%(here)s");
    QString escaped;
    for (int i = 0; i < url.size(); ++i) {
        if (url.at(i) == QLatin1Char('%') && QStringView(url).mid(i).startsWith(here)) {
            escaped += here;
            i += int(here.size()) - 1;
        } else if (url.at(i) == QLatin1Char('%')) {
            escaped += QStringLiteral("%%");
        } else {
            escaped += url.at(i);
        }
    }
    return escaped;
}

bool NewProjectDialog::writeUrl(QString *error) const
{
    const QString url = m_url->text().trimmed();
    if (url.isEmpty())
        return true;
    QFile file(configPath());
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("Could not read %1: %2").arg(configPath(), file.errorString());
        return false;
    }
    QString text = QString::fromUtf8(file.readAll());
    file.close();
    // The template's first sqlalchemy.url line; '%' is configparser interpolation.
    static const QRegularExpression line(QStringLiteral("^sqlalchemy\\.url\\s*=.*$"),
                                         QRegularExpression::MultilineOption);
    const QRegularExpressionMatch match = line.match(text);
    if (!match.hasMatch()) {
        *error = tr("The template's alembic.ini has no sqlalchemy.url line");
        return false;
    }
    const QString escaped = escapeUrl(url);
    text.replace(match.capturedStart(), match.capturedLength(), QStringLiteral("sqlalchemy.url = ") + escaped);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(text.toUtf8()) < 0 || !file.flush()) {
        *error = tr("Could not write %1: %2").arg(configPath(), file.errorString());
        return false;
    }
    return true;
}

} // namespace retort
