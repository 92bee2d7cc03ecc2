#pragma once
// Runs the fuzz cases in a forked worker and turns a worker's death into a saved fixture
// (see retort_fuzz.cpp for the whole picture).
#include "fuzzcorpus.h"

#include <QSet>
#include <QString>

namespace retort {

struct FuzzSettings
{
    QString sourceRoot;
    QString retort;        // the CLI binary; empty = no CLI cases
    QString crashDir;
    QString scratch;       // a writable directory for ini files and project copies
    qint64 seconds = 60;   // budget of the whole run, replay included
    qint64 caseSeconds = 60;
    qint64 maxCases = -1;  // stop after this many fuzz cases too (-1: budget only)
    quint64 seed = 1;
};

class FuzzSupervisor
{
public:
    FuzzSupervisor(const FuzzCorpus &corpus, FuzzSettings settings);
    // Replays the fixtures, fuzzes until the budget is spent; 0 = nothing crashed.
    int run(int argc, char *argv[]);

    // Runs one case in this process. In-process parsers report nothing (a bug crashes
    // the process); a CLI case returns what went wrong with `retort`, or an empty string.
    static QString runCase(const FuzzCorpus &corpus, const FuzzSettings &settings, const FuzzCase &c);

    // The crash class of a sanitizer/Qt report: the sanitizer's error kind and the retort
    // functions on top of the stack (for a stack overflow, the set of functions recursing),
    // so that one bug found many times is saved once. `fallback` when the report has none.
    static QString signatureOf(const QString &report, const QString &fallback);

private:
    enum Phase { Replay = 0, Fuzz = 1 };
    enum MsgType { Start = 0, Found = 1, Done = 2 };
    struct Msg
    {
        qint32 type;
        qint32 phase;
        qint64 index;
        qint64 cli;
    };

    [[noreturn]] void worker(int fd, Phase phase, qint64 start, int argc, char *argv[]);
    void handleDeath(Phase phase, qint64 index, const QString &how, const QString &report, bool hung);
    static void send(int fd, const Msg &m);
    // Runs c in a forked child; its crash class, or an empty string when it ran cleanly.
    QString probe(const FuzzCase &c, int timeoutMs);
    // Removes chunks of c.data while the crash class stays the same (bounded in time), so
    // that fixtures stay small and point at the bug.
    void minimize(FuzzCase *c);

    const FuzzCorpus &m_corpus;
    FuzzSettings m_s;
    QVector<FuzzCase> m_fixtures;
    qint64 m_deadlineMs = 0;   // QDateTime::currentMSecsSinceEpoch() based
    qint64 m_cases = 0;
    qint64 m_cliCases = 0;
    int m_replayFailures = 0;
    int m_newFindings = 0;
    int m_knownFindings = 0;
    QStringList m_saved;
    int m_argc = 0;
    char **m_argv = nullptr;
};

} // namespace retort
