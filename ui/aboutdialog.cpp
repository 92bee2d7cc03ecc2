#include "aboutdialog.h"

#include <Qsci/qsciglobal.h>

#include <QApplication>
#include <QDialogButtonBox>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace retort {

AboutDialog::AboutDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("About Retort Studio"));
    auto *text = new QLabel(html());
    text->setObjectName(QStringLiteral("aboutText"));
    text->setTextFormat(Qt::RichText);
    text->setWordWrap(true);
    text->setOpenExternalLinks(true);
    text->setTextInteractionFlags(Qt::TextBrowserInteraction);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    auto *aboutQt = buttons->addButton(tr("About &Qt"), QDialogButtonBox::HelpRole);
    connect(aboutQt, &QPushButton::clicked, qApp, &QApplication::aboutQt);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(buttons);
    setMinimumWidth(460);
}

QString AboutDialog::html()
{
    const QString runtimeQt = QString::fromLatin1(qVersion());
    const QString builtQt = QStringLiteral(QT_VERSION_STR);
    const QString qt = runtimeQt == builtQt ? runtimeQt : tr("%1 (built with %2)").arg(runtimeQt, builtQt);
    auto link = [](const QString &url, const QString &text) {
        return QStringLiteral("<a href=\"%1\">%2</a>").arg(url, text.toHtmlEscaped());
    };
    return QStringLiteral("<h2>%1</h2><p>%2</p><p>%3</p><p><b>%4</b></p><ul>%5</ul><p>%6</p>")
        .arg(tr("Retort Studio %1").arg(QStringLiteral(RETORT_VERSION)),
             tr("Browse and apply Alembic migrations: a C++17 / Qt 6 reimplementation of Alembic "
                "(the <code>retort</code> command line and this studio)."),
             tr("Qt %1 \u00b7 QScintilla %2").arg(qt, QStringLiteral(QSCINTILLA_VERSION_STR)),
             tr("Components and their licences"),
             QStringLiteral("<li>%1</li><li>%2</li><li>%3</li><li>%4</li>")
                 .arg(tr("Qt: LGPL v3 (%1)").arg(link(QStringLiteral("https://www.qt.io/licensing/"), QStringLiteral("qt.io"))),
                      tr("QScintilla: GPL v3 (%1)")
                          .arg(link(QStringLiteral("https://www.riverbankcomputing.com/software/qscintilla/"),
                                    QStringLiteral("riverbankcomputing.com"))),
                      tr("QtKeychain: BSD 3-Clause (%1)")
                          .arg(link(QStringLiteral("https://github.com/frankosterfeld/qtkeychain"),
                                    QStringLiteral("github.com/frankosterfeld/qtkeychain"))),
                      tr("Alembic, whose behaviour Retort follows: MIT (%1)")
                          .arg(link(QStringLiteral("https://alembic.sqlalchemy.org"),
                                    QStringLiteral("alembic.sqlalchemy.org")))),
             tr("Alembic documentation: %1")
                 .arg(link(QStringLiteral("https://alembic.sqlalchemy.org/en/latest/"),
                           QStringLiteral("alembic.sqlalchemy.org/en/latest"))));
}

} // namespace retort
