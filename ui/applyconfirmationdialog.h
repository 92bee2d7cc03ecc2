#pragma once
// The dialog shown before "Upgrade/Downgrade to here" and "Roll back": the steps with
// their SQL and what the plan review found in each, a summary in red when the run loses
// or may lose data, a "Back up first" checkbox (on by default), "Rehearse on a copy first"
// (ApplyRequest's default; disabled when the database cannot be copied), and a tick the user must
// set before Run is enabled when data will be lost. Cancel is the default button: a
// stray Enter never runs anything against the database.

#include "migrationconfirmationdelegate.h"

#include <QDialog>

class QCheckBox;
class QPushButton;

namespace retort {

class ApplyConfirmationDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ApplyConfirmationDialog(const ApplyRequest &request, QWidget *parent = nullptr);
    bool backupFirst() const;
    bool rehearseFirst() const;

    // The warning colour for `palette`: red blended with its text colour, so it reads on
    // light and dark palettes alike.
    static QColor warningColor(const QPalette &palette);

private:
    QCheckBox *m_backup = nullptr;
    QCheckBox *m_rehearse = nullptr;
    QCheckBox *m_acceptLoss = nullptr;   // only when data will be lost
    QPushButton *m_run = nullptr;
};

} // namespace retort
