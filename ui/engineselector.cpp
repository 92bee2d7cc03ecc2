#include "engineselector.h"

#include "command/multidatabaserun.h"
#include "services/project.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>

namespace retort {

EngineSelector::EngineSelector(QWidget *parent)
    : QWidget(parent), m_combo(new QComboBox(this))
{
    m_combo->setToolTip(tr("The multidb template's engine the studio shows and migrates "
                           "(`databases` in alembic.ini)"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->addWidget(new QLabel(tr("Engine:"), this));
    layout->addWidget(m_combo);
    connect(m_combo, &QComboBox::currentTextChanged, this, &EngineSelector::engineChanged);
}

void EngineSelector::setProject(const QString &iniPath)
{
    m_engines.clear();
    if (!iniPath.isEmpty()) {
        Project project(iniPath);
        if (auto engines = MultiDatabaseRun::engines(project))
            m_engines = *engines;
    }
    const QSignalBlocker block(m_combo);
    m_combo->clear();
    m_combo->addItems(m_engines);
}

QString EngineSelector::currentEngine() const
{
    return m_engines.isEmpty() ? QString() : m_combo->currentText();
}

void EngineSelector::setCurrentEngine(const QString &engine)
{
    const int index = m_combo->findText(engine);
    if (index >= 0)
        m_combo->setCurrentIndex(index);
}

} // namespace retort
