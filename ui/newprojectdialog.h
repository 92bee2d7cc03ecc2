#pragma once
// "New Project…": `alembic init` from the studio. The user picks the project folder
// (where alembic.ini goes, `init`'s working directory), the scripts directory inside it
// (init's DIRECTORY: must not exist or be empty), one of core's templates and an
// optional sqlalchemy.url. OK runs core's ProjectInitializer; errors stay in the dialog
// and anything written by a failed attempt is removed again.

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace retort {

class NewProjectDialog : public QDialog
{
    Q_OBJECT
public:
    explicit NewProjectDialog(QWidget *parent = nullptr);

    void setProjectFolder(const QString &path);
    void setScriptsDirectory(const QString &name);
    void setTemplateName(const QString &name);
    void setDatabaseUrl(const QString &url);
    QStringList templateNames() const;

    // The alembic.ini written by the last successful accept().
    QString iniPath() const { return m_iniPath; }
    // The error shown in the dialog; empty when the input is fine.
    QString errorText() const;
    // `url` as a configparser value that reads back as `url`: '%' doubled, except in
    // %(here)s, which stays an interpolation of the project folder (as Alembic defines it).
    static QString escapeUrl(const QString &url);

public slots:
    // Creates the project; stays open showing the error if that fails.
    void accept() override;

signals:
    // The initializer's status lines ("Generating /abs/env.py ...  done").
    void message(const QString &line);

private:
    void browse();
    QString validate() const;   // the error for the current input, or empty
    void revalidate();
    QString configPath() const;
    bool create(QString *error);
    bool writeUrl(QString *error) const;

    QLineEdit *m_folder;
    QLineEdit *m_scripts;
    QComboBox *m_template;
    QLineEdit *m_url;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    QString m_iniPath;
};

} // namespace retort
