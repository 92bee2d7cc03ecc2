#pragma once
// The dialog shown before "Upgrade/Downgrade to here" and "Roll back": the steps with
// their SQL, and a "Back up first" checkbox (on by default).

#include "migrationconfirmationdelegate.h"

#include <QDialog>

class QCheckBox;

namespace retort {

class ApplyConfirmationDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ApplyConfirmationDialog(const ApplyRequest &request, QWidget *parent = nullptr);
    bool backupFirst() const;

private:
    QCheckBox *m_backup = nullptr;
};

} // namespace retort
