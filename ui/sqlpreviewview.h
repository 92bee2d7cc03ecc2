#pragma once
// Read-only view of the exact SQL that upgrading or downgrading to a revision would run
// against the connected database: planned by core from the database's current heads and
// rendered for its dialect (MigrationSession::previewScript, offline rendering). Steps
// whose body needs Python show as "-- needs Python: ..." comments. A direction selector
// and a Copy button sit above the text.
//
// Rendering needs no database access: the shell passes the heads it read.

#include "migrationsession.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QsciScintilla;

namespace retort {

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
    QString revision() const { return m_revision; }
    QString sql() const;         // the script shown (empty with an error)
    QString errorText() const;   // why there is no script

public slots:
    void showRevision(const QString &revisionId);
    void setDirection(retort::MigrationSession::Direction direction);
    void refresh();
    void copyToClipboard();

signals:
    void directionChanged(retort::MigrationSession::Direction direction);

private:
    QsciScintilla *m_editor = nullptr;
    QComboBox *m_direction = nullptr;
    QLabel *m_status = nullptr;
    MigrationProjectSpec m_spec;
    QStringList m_heads;
    QString m_revision;
    QString m_error;
    MigrationSession::BodyProviderFactory m_factory;
};

} // namespace retort
