#pragma once
// The engine a multidb project (`alembic init -t multidb`: `databases = engine1, engine2`)
// is looked at through: the connection, the graph's "database" marks, previews and runs
// follow the selected engine; every engine's current revision is labelled on the graph.
// Shown (by its toolbar action) only for a project with several databases.

#include <QStringList>
#include <QWidget>

class QComboBox;

namespace retort {

class EngineSelector : public QWidget
{
    Q_OBJECT
public:
    explicit EngineSelector(QWidget *parent = nullptr);

    // Reads the project's engines (ini and env.py only); empty path clears. The first
    // engine is selected, without engineChanged().
    void setProject(const QString &iniPath);
    QStringList engines() const { return m_engines; }
    // "" for a single-database project.
    QString currentEngine() const;

public slots:
    void setCurrentEngine(const QString &engine);

signals:
    void engineChanged(const QString &engine);

private:
    QComboBox *m_combo;
    QStringList m_engines;
};

} // namespace retort
