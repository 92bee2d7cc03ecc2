#include "fuzzcorpus.h"

#include "fuzzmutator.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace retort {

namespace {

// Where the seeds come from (relative to the source root). ddl/ adds scripts with many
// op kinds, for DdlRenderer.
const char *const kSeedDirs[] = {"tests/fixtures/scripts/ok", "tests/fixtures/projects",
                                 "resources/demo", "tests/fixtures/ddl", "resources/templates",
                                 "tests/fixtures/runtime", "tests/fixtures/autogenerate"};

// The projects the CLI cases run on (each has an alembic.ini at its top).
const char *const kProjects[] = {"resources/demo",
                                 "tests/fixtures/projects/basic",
                                 "tests/fixtures/projects/edgecases",
                                 "tests/fixtures/projects/handoff",
                                 "tests/fixtures/projects/pkgloc",
                                 "tests/fixtures/projects/multidbenv",
                                 "tests/fixtures/projects/asyncenv"};

bool kindOfFile(const QString &relPath, FuzzKind *kind)
{
    const QString name = QFileInfo(relPath).fileName();
    if (name.endsWith(QLatin1String(".mako"))) {
        *kind = FuzzKind::Mako;
    } else if (name == QLatin1String("env.py")) {
        *kind = FuzzKind::EnvPy;
    } else if (name.endsWith(QLatin1String(".ini"))) {
        *kind = FuzzKind::Ini;
    } else if (name.endsWith(QLatin1String(".py")) && name != QLatin1String("__init__.py")
               && (relPath.startsWith(QLatin1String("tests/fixtures/scripts/ok/"))
                   || relPath.contains(QLatin1String("/versions")))) {
        *kind = FuzzKind::Script;
    } else {
        return false;
    }
    return true;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// splitmix64: spreads (seed, index) into independent generator seeds.
quint64 mix(quint64 x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

bool copyTree(const QString &from, const QString &to)
{
    if (!QDir().mkpath(to))
        return false;
    QDirIterator it(from, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString src = it.next();
        const QString dst = to + QLatin1Char('/') + QDir(from).relativeFilePath(src);
        if (it.fileInfo().isDir()) {
            if (!QDir().mkpath(dst))
                return false;
        } else if (!QFile::copy(src, dst)) {
            return false;
        }
    }
    return true;
}

} // namespace

bool FuzzCorpus::load(const QString &sourceRoot, QString *error)
{
    m_root = sourceRoot;
    QSet<QByteArray> seen;   // the same template file is copied into many fixtures
    QStringList paths;
    for (const char *dir : kSeedDirs) {
        QDirIterator it(sourceRoot + QLatin1Char('/') + QLatin1String(dir), QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            paths.append(QDir(sourceRoot).relativeFilePath(it.next()));
    }
    std::sort(paths.begin(), paths.end());   // directory order differs between machines
    for (const QString &rel : paths) {
        FuzzSeed seed;
        if (!kindOfFile(rel, &seed.kind))
            continue;
        seed.path = rel;
        seed.data = readAll(sourceRoot + QLatin1Char('/') + rel);
        const QByteArray hash = QCryptographicHash::hash(seed.data, QCryptographicHash::Sha1);
        if (seed.data.isEmpty() || seen.contains(hash))
            continue;
        seen.insert(hash);
        m_seeds.append(seed);
    }
    for (const char *dir : kProjects) {
        FuzzProject p;
        p.dir = QLatin1String(dir);
        const QString abs = sourceRoot + QLatin1Char('/') + p.dir;
        QDirIterator it(abs, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString rel = QDir(abs).relativeFilePath(it.next());
            FuzzKind kind;
            if (kindOfFile(QStringLiteral("x/") + rel, &kind) && kind != FuzzKind::Mako)
                p.files.append(rel);
        }
        std::sort(p.files.begin(), p.files.end());
        if (!p.files.isEmpty())
            m_projects.append(p);
    }
    if (m_seeds.isEmpty()) {
        *error = QStringLiteral("no seed files under %1").arg(sourceRoot);
        return false;
    }
    return true;
}

FuzzCase FuzzCorpus::generate(quint64 seed, qint64 index, bool withCli) const
{
    FuzzMutator rng(mix(mix(seed) ^ quint64(index)));
    FuzzCase c;
    c.found = QStringLiteral("seed %1 case %2").arg(seed).arg(index);
    // Every 10th case goes through the CLI (a subprocess: ~100x slower than in process).
    c.cli = withCli && !m_projects.isEmpty() && index % 10 == 9;
    QByteArray base;
    if (c.cli) {
        const FuzzProject &p = m_projects[rng.below(int(m_projects.size()))];
        c.project = p.dir;
        c.file = p.files[rng.below(int(p.files.size()))];
        c.origin = p.dir + QLatin1Char('/') + c.file;
        kindOfFile(c.origin, &c.kind);
        base = readAll(m_root + QLatin1Char('/') + c.origin);
    } else {
        // Revision scripts get half the cases: the most code reads them.
        const int r = rng.below(20);
        c.kind = r < 10 ? FuzzKind::Script : r < 13 ? FuzzKind::EnvPy : r < 16 ? FuzzKind::Ini : FuzzKind::Mako;
        QVector<int> ofKind;
        for (int i = 0; i < m_seeds.size(); ++i)
            if (m_seeds[i].kind == c.kind)
                ofKind.append(i);
        if (ofKind.isEmpty())
            ofKind.append(0);
        const FuzzSeed &s = m_seeds[ofKind[rng.below(int(ofKind.size()))]];
        c.kind = s.kind;
        c.origin = s.path;
        base = s.data;
    }
    QVector<QByteArray> donors;
    for (const FuzzSeed &s : m_seeds)
        if (s.kind == c.kind)
            donors.append(s.data);
    c.data = rng.mutate(base, donors, &c.mutations);
    return c;
}

bool FuzzCorpus::materialize(const FuzzCase &c, const QString &dest) const
{
    QDir(dest).removeRecursively();
    if (!copyTree(m_root + QLatin1Char('/') + c.project, dest))
        return false;
    QFile f(dest + QLatin1Char('/') + c.file);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(c.data) == c.data.size();
}

QVector<FuzzCase> FuzzCorpus::loadFixtures(const QString &dir)
{
    QVector<FuzzCase> out;
    const QStringList names = QDir(dir).entryList({QStringLiteral("*.case")}, QDir::Files, QDir::Name);
    for (const QString &name : names) {
        FuzzCase c;
        c.stem = QFileInfo(name).completeBaseName();
        const QString text = QString::fromUtf8(readAll(dir + QLatin1Char('/') + name));
        bool kindOk = false;
        for (const QString &line : text.split(QLatin1Char('\n'))) {
            const qsizetype colon = line.indexOf(QLatin1Char(':'));
            if (colon <= 0)
                continue;
            const QString key = line.left(colon).trimmed();
            const QString value = line.mid(colon + 1).trimmed();
            if (key == QLatin1String("kind"))
                kindOk = FuzzTargets::kindFromName(value, &c.kind);
            else if (key == QLatin1String("mode"))
                c.cli = value == QLatin1String("cli");
            else if (key == QLatin1String("project"))
                c.project = value;
            else if (key == QLatin1String("file"))
                c.file = value;
            else if (key == QLatin1String("origin"))
                c.origin = value;
            else if (key == QLatin1String("found"))
                c.found = value;
            else if (key == QLatin1String("signature"))
                c.signature = value;
            else if (key == QLatin1String("mutations"))
                c.mutations = value.split(QLatin1Char(','), Qt::SkipEmptyParts);
        }
        if (!kindOk || (c.cli && (c.project.isEmpty() || c.file.isEmpty())))
            continue;   // not ours; the README says what a .case holds
        c.data = readAll(dir + QLatin1Char('/') + c.stem + QStringLiteral(".input"));
        out.append(c);
    }
    return out;
}

QSet<QString> FuzzCorpus::knownSignatures(const QString &dir)
{
    QSet<QString> out;
    for (const FuzzCase &c : loadFixtures(dir))
        out.insert(c.signature);
    return out;
}

QString FuzzCorpus::saveFixture(const QString &dir, const FuzzCase &c, const QString &report)
{
    QDir().mkpath(dir);
    const QString hash = QString::fromLatin1(
        QCryptographicHash::hash(c.data, QCryptographicHash::Sha1).toHex().left(10));
    const QString stem = FuzzTargets::kindName(c.kind) + (c.cli ? QStringLiteral("-cli-") : QStringLiteral("-")) + hash;
    QFile input(dir + QLatin1Char('/') + stem + QStringLiteral(".input"));
    if (!input.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    input.write(c.data);
    QString text;
    text += QStringLiteral("kind: %1\n").arg(FuzzTargets::kindName(c.kind));
    text += QStringLiteral("mode: %1\n").arg(c.cli ? QStringLiteral("cli") : QStringLiteral("inprocess"));
    if (c.cli) {
        text += QStringLiteral("project: %1\n").arg(c.project);
        text += QStringLiteral("file: %1\n").arg(c.file);
    }
    text += QStringLiteral("origin: %1\n").arg(c.origin);
    text += QStringLiteral("mutations: %1\n").arg(c.mutations.join(QLatin1Char(',')));
    text += QStringLiteral("found: %1\n").arg(c.found);
    text += QStringLiteral("signature: %1\n").arg(c.signature);
    // The report's first lines, commented, for whoever fixes it.
    const QStringList lines = report.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size() && i < 40; ++i)
        text += QStringLiteral("# ") + lines[i].left(300) + QLatin1Char('\n');
    QFile caseFile(dir + QLatin1Char('/') + stem + QStringLiteral(".case"));
    if (!caseFile.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    caseFile.write(text.toUtf8());
    return stem;
}

} // namespace retort
