#pragma once
// The studio's log pane: Alembic's log lines, every statement with its timing (from
// MigrationRunner::statementExecuted via MigrationController), step starts, errors and
// backup paths, each with a time stamp. Clear / Copy / Save... in a small tool bar.

#include <QWidget>

class QPlainTextEdit;

namespace retort {

class LogView : public QWidget
{
    Q_OBJECT
public:
    explicit LogView(QWidget *parent = nullptr);

    QString text() const;
    int lineCount() const { return m_lines; }

public slots:
    void appendLine(const QString &line);
    void appendStatement(const QString &sql, qint64 elapsedMs);
    void appendStep(int index, int count, const QString &shortLog);
    void appendError(const QString &message);
    void appendBackup(const QString &path);
    // MigrationController::finished: an error line when !ok, else the message.
    void appendResult(bool ok, const QString &message);
    void clear();
    void copyAll();
    // Empty path: asks with a file dialog. Returns false on cancel or write error.
    bool save(const QString &path = {});

private:
    void append(const QString &prefix, const QString &text);

    QPlainTextEdit *m_text = nullptr;
    int m_lines = 0;
};

} // namespace retort
