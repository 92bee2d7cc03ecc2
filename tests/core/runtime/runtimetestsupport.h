#pragma once
// Hand-written MigrationSteps matching tests/fixtures/runtime/project (the plans
// Alembic computes for it; see generate.sh there), shared by the runtime tests.

#include "revision/migrationstep.h"
#include "runtime/stepbodyprovider.h"

#include <QFile>
#include <QHash>
#include <QString>
#include <QVector>

namespace retort::test {

inline const QString R1 = QStringLiteral("1a1a1a1a1a1a");
inline const QString R2 = QStringLiteral("2b2b2b2b2b2b");
inline const QString R3 = QStringLiteral("3c3c3c3c3c3c");
inline const QString R4 = QStringLiteral("4d4d4d4d4d4d");
inline const QString R5 = QStringLiteral("5e5e5e5e5e5e");

inline VersionTableOp ins(const QString &to) { return {VersionTableOp::Insert, {}, to}; }
inline VersionTableOp del(const QString &from) { return {VersionTableOp::Delete, from, {}}; }
inline VersionTableOp upd(const QString &from, const QString &to)
{ return {VersionTableOp::Update, from, to}; }

inline MigrationStep step(MigrationStep::Kind kind, const QString &rev, const QStringList &from,
                          const QStringList &to, const QVector<VersionTableOp> &ops)
{
    MigrationStep s;
    s.kind = kind;
    s.revision = kind == MigrationStep::Stamp ? QString() : rev;
    s.fromRevisions = from;
    s.toRevisions = to;
    const QString name = kind == MigrationStep::Upgrade ? QStringLiteral("upgrade")
        : kind == MigrationStep::Downgrade ? QStringLiteral("downgrade")
                                           : QStringLiteral("stamp_revision");
    s.shortLog = QStringLiteral("%1 %2 -> %3")
                     .arg(name, from.join(QStringLiteral(", ")), to.join(QStringLiteral(", ")));
    s.versionOps = ops;
    return s;
}

inline MigrationStep up(const QString &rev, const QStringList &from, const QVector<VersionTableOp> &ops)
{ return step(MigrationStep::Upgrade, rev, from, {rev}, ops); }
inline MigrationStep down(const QString &rev, const QStringList &to, const QVector<VersionTableOp> &ops)
{ return step(MigrationStep::Downgrade, rev, {rev}, to, ops); }
inline MigrationStep stamp(const QStringList &from, const QStringList &to, const QVector<VersionTableOp> &ops)
{ return step(MigrationStep::Stamp, {}, from, to, ops); }

// The docstrings of the fixture revisions (Script.doc), for "Running ..." log lines.
inline QString docOf(const QString &rev)
{
    static const QHash<QString, QString> docs = {
        {R1, QStringLiteral("create base")}, {R2, QStringLiteral("second step")},
        {R3, QStringLiteral("branch one")}, {R4, QStringLiteral("branch two")},
        {R5, QStringLiteral("merge branches")}};
    return docs.value(rev);
}

// Step bodies from a table: revision (upgrade) or "revision:down" -> statements.
class MapBodies : public StepBodyProvider
{
public:
    QHash<QString, QStringList> bodies;

    Result<QStringList> statements(const MigrationStep &step, const Dialect &) override
    {
        return bodies.value(step.isUpgrade() ? step.revision : step.revision + QStringLiteral(":down"));
    }
    QString scriptPath(const MigrationStep &step) const override
    { return QStringLiteral("/proj/versions/%1.py").arg(step.revision); }
    QString doc(const MigrationStep &step) const override { return docOf(step.revision); }
};

// `alembic upgrade heads` from base.
inline QVector<MigrationStep> upgradeAll()
{
    return {up(R1, {}, {ins(R1)}), up(R2, {R1}, {upd(R1, R2)}), up(R4, {R2}, {upd(R2, R4)}),
            up(R3, {R2}, {ins(R3)}), up(R5, {R3, R4}, {del(R3), upd(R4, R5)})};
}

// `alembic downgrade 5e5e5e5e5e5e:base` / `downgrade base` from the head.
inline QVector<MigrationStep> downgradeAll()
{
    return {down(R5, {R3, R4}, {ins(R3), upd(R5, R4)}), down(R3, {R2}, {del(R3)}),
            down(R4, {R2}, {upd(R4, R2)}), down(R2, {R1}, {upd(R2, R1)}),
            down(R1, {}, {del(R1)})};
}

inline QByteArray readFixture(const QString &relative)
{
    QFile f(QStringLiteral(RETORT_FIXTURES_DIR "/runtime/") + relative);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArray("<missing fixture ") + relative.toUtf8() + '>';
    return f.readAll();
}

} // namespace retort::test
