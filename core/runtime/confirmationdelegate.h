#pragma once
// Asks the user before the runner touches the database. The CLI answers on the
// terminal (or always yes), the studio with a dialog: both drive the same runner.

#include <QString>
#include <QStringList>

namespace retort {

class ConfirmationDelegate
{
public:
    virtual ~ConfirmationDelegate() = default;
    // true to go ahead. `details` lists what will happen, one line each.
    virtual bool confirm(const QString &question, const QStringList &details) = 0;
};

} // namespace retort
