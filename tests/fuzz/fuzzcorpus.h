#pragma once
// The fuzzer's inputs: seed files (fixture scripts, env.py, ini and Mako files), the
// projects the CLI cases mutate, the deterministic case generator, and the crash fixtures
// (tests/fixtures/fuzz/<stem>.case + <stem>.input) that every run replays first.
#include "fuzztargets.h"

#include <QByteArray>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QVector>

namespace retort {

struct FuzzSeed
{
    FuzzKind kind = FuzzKind::Script;
    QString path;   // relative to the source root
    QByteArray data;
};

struct FuzzProject
{
    QString dir;          // relative to the source root, e.g. tests/fixtures/projects/basic
    QStringList files;    // mutable files, relative to dir (scripts, env.py, alembic.ini)
};

// One input: in process (kind + data) or through the CLI (project, file replaced by data).
struct FuzzCase
{
    bool cli = false;
    FuzzKind kind = FuzzKind::Script;
    QString origin;       // seed file (relative to the source root)
    QString project;      // cli: FuzzProject::dir
    QString file;         // cli: the replaced file, relative to project
    QByteArray data;
    QStringList mutations;
    QString found;        // "seed 1 case 42" or the fixture's own note
    QString signature;    // crash class (fixtures: as recorded)
    QString stem;         // fixtures: file name without extension
};

class FuzzCorpus
{
public:
    bool load(const QString &sourceRoot, QString *error);

    // Case `index` of the run with `seed`: a pure function of (seed, index, corpus).
    FuzzCase generate(quint64 seed, qint64 index, bool withCli) const;

    int seedCount() const { return int(m_seeds.size()); }
    int projectCount() const { return int(m_projects.size()); }
    QString sourceRoot() const { return m_root; }

    // Copies project `dir` into `dest` (emptied first) and replaces `file` with data.
    bool materialize(const FuzzCase &c, const QString &dest) const;

    // Crash fixtures in `dir`, sorted by name.
    static QVector<FuzzCase> loadFixtures(const QString &dir);
    static QSet<QString> knownSignatures(const QString &dir);
    // Writes <dir>/<kind>-<hash>.input/.case; returns the stem.
    static QString saveFixture(const QString &dir, const FuzzCase &c, const QString &report);

private:
    QString m_root;
    QVector<FuzzSeed> m_seeds;
    QVector<FuzzProject> m_projects;
};

} // namespace retort
