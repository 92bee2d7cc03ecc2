#include "applyconfirmationdelegate.h"

#include "applyconfirmationdialog.h"

#include <QInputDialog>
#include <QMessageBox>
#include <QPushButton>

namespace retort {

bool ApplyConfirmationDelegate::confirmApply(ApplyRequest &request)
{
    ApplyConfirmationDialog dialog(request, m_parent);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    request.backupFirst = dialog.backupFirst();
    request.rehearseFirst = dialog.rehearseFirst();
    return true;
}

QString ApplyConfirmationDelegate::chooseHead(const QStringList &heads)
{
    bool ok = false;
    const QString head = QInputDialog::getItem(m_parent, QObject::tr("Roll Back"),
                                               QObject::tr("The database has several heads. Roll back which one?"),
                                               heads, 0, false, &ok);
    return ok ? head : QString();
}

bool ApplyConfirmationDelegate::offerRestore(const QString &error, const QString &backupPath)
{
    QMessageBox box(QMessageBox::Warning, QObject::tr("Migration Failed"),
                    QObject::tr("The migration failed:\n\n%1").arg(error), QMessageBox::NoButton, m_parent);
    box.setInformativeText(QObject::tr("A backup was taken before it started:\n%1").arg(backupPath));
    QPushButton *restore = box.addButton(QObject::tr("Restore Backup"), QMessageBox::DestructiveRole);
    QPushButton *keep = box.addButton(QObject::tr("Keep Database As Is"), QMessageBox::RejectRole);
    // A restore replaces the database: Enter keeps it as is.
    restore->setAutoDefault(false);
    box.setDefaultButton(keep);
    box.exec();
    return box.clickedButton() == restore;
}

} // namespace retort
