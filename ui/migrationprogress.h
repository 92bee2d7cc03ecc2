#pragma once
// The status bar's view of a running migration: a progress bar over the plan's steps
// and the step being run, from MigrationController's signals.

#include <QWidget>

class QLabel;
class QProgressBar;

namespace retort {

class MigrationController;

class MigrationProgress : public QWidget
{
    Q_OBJECT
public:
    explicit MigrationProgress(MigrationController *controller, QWidget *parent = nullptr);

private:
    QProgressBar *m_bar;
    QLabel *m_step;
};

} // namespace retort
