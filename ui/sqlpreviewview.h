#pragma once
// Read-only view of the SQL a migration would run, rendered by core without touching the
// database (MigrationSession::renderScript):
// - from "Database" in the connection's dialect: what an online upgrade/downgrade from
//   the database's current heads executes (RenderOptions::online);
// - from a chosen revision, or in another dialect (SQLite, PostgreSQL, MySQL): exactly
//   what `retort upgrade|downgrade from:to --sql` prints with a URL of that dialect.
// Steps whose body needs Python are rendered by the project's Alembic (worker), or shown
// as comments with a warning when no Python is usable. A step that cannot be rendered
// ends the script there, with an error banner naming the revision and its file.
// Copy and Save as .sql sit above the text.

#include "migrationsession.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QsciScintilla;
class QToolButton;

namespace retort {

class MessageBanner;

class SqlPreviewView : public QWidget
{
    Q_OBJECT
public:
    explicit SqlPreviewView(QWidget *parent = nullptr);
    ~SqlPreviewView() override;

    // The project and the studio's connection URL (dialect, version table, env.py
    // options); an empty iniPath clears the view.
    void setProject(const MigrationProjectSpec &spec);
    // The database's current heads (version table rows).
    void setCurrentHeads(const QStringList &heads);
    void setBodyProviderFactory(MigrationSession::BodyProviderFactory factory);

    MigrationSession::Direction direction() const;
    QString revision() const { return m_revision; }        // the "to" revision
    QString fromRevision() const { return m_from; }        // "" = the database's heads
    QString dialectName() const { return m_dialect; }      // "" = the connection's
    // The preview renders what `--sql` prints (a chosen start or another dialect), not
    // what an online run executes.
    bool isAsSql() const { return !m_from.isEmpty() || !m_dialect.isEmpty(); }
    QString sql() const;         // the script shown (up to a failed step)
    QString errorText() const;   // why the script is missing or incomplete
    QString bannerText() const;  // what the banner says ("" when hidden)

    // A URL of a dialect for offline rendering ("postgresql" -> "postgresql://...").
    static QString dialectUrl(const QString &dialect);
    // Writes the script shown; the error names the file.
    VoidResult saveTo(const QString &path) const;

public slots:
    void showRevision(const QString &revisionId);
    // The graph's selection: the "to" revision follows it; rendered now when the view is
    // on screen, else when it is next shown (rendering may start Python).
    void followRevision(const QString &revisionId);
    // from "" = the database's current heads.
    void setRange(const QString &from, const QString &to);
    void setDirection(retort::MigrationSession::Direction direction);
    // "" (the connection's), "sqlite", "postgresql" or "mysql".
    void setDialect(const QString &dialect);
    void refresh();
    void copyToClipboard();
    void saveAs();   // asks for a file name

signals:
    void directionChanged(retort::MigrationSession::Direction direction);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void fillRevisions();
    void showBanner(int kind, const QString &html);
    static void select(QComboBox *box, const QString &id);
    static QString revisionOf(const QComboBox *box);

    QsciScintilla *m_editor = nullptr;
    QComboBox *m_direction = nullptr;
    QComboBox *m_fromBox = nullptr;
    QComboBox *m_toBox = nullptr;
    QComboBox *m_dialectBox = nullptr;
    QToolButton *m_save = nullptr;
    QLabel *m_status = nullptr;
    MessageBanner *m_banner = nullptr;
    MigrationProjectSpec m_spec;
    QStringList m_heads;
    QString m_revision;
    QString m_from;
    QString m_dialect;
    QString m_error;
    bool m_stale = false;   // the selection moved while hidden
    bool m_filling = false;
    MigrationSession::BodyProviderFactory m_factory;
};

} // namespace retort
