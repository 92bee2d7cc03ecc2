#pragma once
// The studio's MigrationConfirmationDelegate: ApplyConfirmationDialog for the plan, a
// head picker and a restore question, all modal to `parent` (the main window).

#include "migrationconfirmationdelegate.h"

class QWidget;

namespace retort {

class ApplyConfirmationDelegate : public MigrationConfirmationDelegate
{
public:
    explicit ApplyConfirmationDelegate(QWidget *parent) : m_parent(parent) {}
    bool confirmApply(ApplyRequest &request) override;
    QString chooseHead(const QStringList &heads) override;
    bool offerRestore(const QString &error, const QString &backupPath) override;

private:
    QWidget *m_parent;
};

} // namespace retort
