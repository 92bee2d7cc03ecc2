#include "migrationprogress.h"

#include "migrationcontroller.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>

namespace retort {

MigrationProgress::MigrationProgress(MigrationController *controller, QWidget *parent)
    : QWidget(parent)
    , m_bar(new QProgressBar(this))
    , m_step(new QLabel(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_step);
    layout->addWidget(m_bar);
    m_bar->setMaximumWidth(160);
    m_bar->setTextVisible(true);
    hide();
    connect(controller, &MigrationController::started, this, [this] {
        m_bar->setRange(0, 0);   // busy until the plan's size is known
        m_step->clear();         // the status bar says what runs; this label says which step
        show();
    });
    connect(controller, &MigrationController::stepProgress, this,
            [this](int index, int count, const QString &shortLog) {
                m_bar->setRange(0, count);
                m_bar->setValue(index);
                m_step->setText(shortLog);
            });
    connect(controller, &MigrationController::finished, this, &QWidget::hide);
}

} // namespace retort
