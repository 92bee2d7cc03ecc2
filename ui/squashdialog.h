#pragma once
// "Squash up to here…" on a revision of the graph: `retort squash --until REV` from the
// studio (core/proof/Squasher). Preview runs a dry run (the baseline's text, nothing
// written); Squash writes the baseline and archives the old scripts. The work (a scratch
// database, the project's database checked read-only) runs on a worker thread; the dialog
// cannot be closed while it runs, so files are never left half-moved by the UI.

#include <QDialog>
#include <QPointer>
#include <QThread>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;


namespace retort {

struct SquashReport;

class SquashDialog : public QDialog
{
    Q_OBJECT
public:
    SquashDialog(const QString &iniPath, const QString &urlOverride, const QString &revision,
                 QWidget *parent = nullptr);
    ~SquashDialog() override;

    bool isBusy() const { return m_thread != nullptr; }
    bool hasSquashed() const { return m_squashed; }
    QString outputText() const;
    QPushButton *previewButton() const { return m_preview; }
    QPushButton *squashButton() const { return m_squash; }
    QCheckBox *sqliteBox() const { return m_sqlite; }
    QCheckBox *forceBox() const { return m_force; }

    void reject() override;   // ignored while busy

signals:
    // The baseline was written and the old scripts archived: the project changed on disk.
    void squashed();
    // A preview or squash ended (ok: no error).
    void runFinished(bool ok);

private:
    void start(bool dryRun);
    void finish(bool dryRun, bool ok, const QStringList &warnings, const QStringList &lines, const QString &error);
    void setBusy(bool busy);

    QString m_iniPath;
    QString m_urlOverride;
    QString m_revision;
    QLabel *m_intro;
    QCheckBox *m_sqlite;
    QCheckBox *m_force;
    QPlainTextEdit *m_output;
    QPushButton *m_preview;
    QPushButton *m_squash;
    QPushButton *m_close;
    QPointer<QThread> m_thread;
    bool m_squashed = false;
};

} // namespace retort
