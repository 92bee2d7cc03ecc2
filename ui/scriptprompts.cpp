#include "scriptprompts.h"

#include <QDir>
#include <QMessageBox>
#include <QPushButton>

namespace retort {

ScriptPrompts::UnsavedChoice ScriptPrompts::unsavedChanges(const QString &path, const QString &reason)
{
    QMessageBox box(QMessageBox::Warning, tr("Unsaved Changes"),
                    tr("%1 has unsaved changes.").arg(QDir::toNativeSeparators(path)),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, m_parent);
    box.setInformativeText(reason.isEmpty() ? tr("Save them first?")
                                            : tr("%1. Save the changes first?").arg(reason));
    box.setDefaultButton(QMessageBox::Cancel);
    box.setEscapeButton(QMessageBox::Cancel);
    switch (box.exec()) {
    case QMessageBox::Save:
        return Save;
    case QMessageBox::Discard:
        return Discard;
    default:
        return Cancel;
    }
}

bool ScriptPrompts::saveWithSyntaxError(const QString &path, const QString &firstError)
{
    QMessageBox box(QMessageBox::Warning, tr("Syntax Error"),
                    tr("%1 has a syntax error: %2").arg(QDir::toNativeSeparators(path), firstError),
                    QMessageBox::Save | QMessageBox::Cancel, m_parent);
    box.setInformativeText(tr("Alembic cannot load a script with a syntax error: every command "
                              "on this project fails until it is fixed. Save anyway?"));
    box.setDefaultButton(QMessageBox::Cancel);
    box.setEscapeButton(QMessageBox::Cancel);
    return box.exec() == QMessageBox::Save;
}

bool ScriptPrompts::reloadChangedFile(const QString &path)
{
    QMessageBox box(QMessageBox::Question, tr("File Changed on Disk"),
                    tr("%1 was changed outside the studio, and the editor has unsaved "
                       "changes.").arg(QDir::toNativeSeparators(path)),
                    QMessageBox::NoButton, m_parent);
    QPushButton *reload = box.addButton(tr("Reload and Discard My Changes"), QMessageBox::DestructiveRole);
    QPushButton *keep = box.addButton(tr("Keep My Changes"), QMessageBox::RejectRole);
    box.setDefaultButton(keep);
    box.setEscapeButton(keep);
    box.exec();
    return box.clickedButton() == reload;
}

} // namespace retort
