#pragma once
// Help > About Retort Studio: the version (the CMake project's), the Qt it was built
// with and runs on, the components' licences and links.

#include <QDialog>

namespace retort {

class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);

    // The dialog's rich text (tests read it).
    static QString html();
};

} // namespace retort
