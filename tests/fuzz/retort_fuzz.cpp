// Mutation fuzzer for Retort's parsers (ctest: fuzz.mutation).
//
// A supervisor process forks a worker that runs cases one after the other, announcing each
// case on a pipe before running it. When the worker dies (signal, sanitizer report, abort)
// or a case runs past the per-case limit, the supervisor knows which case it was,
// regenerates it (cases are a pure function of seed and index), saves it as a fixture under
// the crash directory and starts a new worker at the next case. CLI cases run `retort` as a
// subprocess; the worker judges those itself.
//
// Every run first replays the fixtures already in the crash directory (each must now pass),
// then fuzzes until the time budget is spent. Exit status 1 if a fixture still fails or a
// new crash was found.
//
//   retort_fuzz [--retort PATH] [--source DIR] [--crash-dir DIR] [--seconds N] [--seed N]
//               [--case-seconds N] [--max-cases N] [--case N]
// Env: RETORT_FUZZ_SECONDS (budget, default 60), RETORT_FUZZ_SEED (default 1),
//      RETORT_FUZZ_CRASH_DIR (default <source>/tests/fixtures/fuzz),
//      RETORT_FUZZ_CASE_SECONDS (default 60), RETORT_FUZZ_MAX_CASES (stop after N cases,
//      for a run that does not depend on the machine's speed; default: budget only).
#include "fuzzcorpus.h"
#include "fuzzsupervisor.h"
#include "fuzztargets.h"

#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>

#include <cstdio>

// Sanitizer defaults for this process (the CLI children get theirs from FuzzTargets):
// leak checking needs ptrace, which containers often refuse.
extern "C" const char *__asan_default_options() { return "detect_leaks=0"; }
extern "C" const char *__ubsan_default_options() { return "print_stacktrace=1"; }

using namespace retort;

namespace {

qint64 envNumber(const char *name, qint64 fallback)
{
    bool ok = false;
    const qint64 v = qEnvironmentVariable(name).toLongLong(&ok);
    return ok ? v : fallback;
}

int usage()
{
    std::fprintf(stderr, "usage: retort_fuzz [--retort PATH] [--source DIR] [--crash-dir DIR] "
                         "[--seconds N] [--seed N] [--case-seconds N] [--max-cases N] [--case N]\n");
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    FuzzSettings s;
    s.sourceRoot = QStringLiteral(RETORT_SOURCE_DIR);
    s.seconds = envNumber("RETORT_FUZZ_SECONDS", 60);
    s.seed = quint64(envNumber("RETORT_FUZZ_SEED", 1));
    s.caseSeconds = envNumber("RETORT_FUZZ_CASE_SECONDS", 60);
    s.maxCases = envNumber("RETORT_FUZZ_MAX_CASES", -1);
    QString crashDir = qEnvironmentVariable("RETORT_FUZZ_CRASH_DIR");
    qint64 singleCase = -1;
    for (int i = 1; i < argc; ++i) {
        const QString a = QString::fromLocal8Bit(argv[i]);
        if (i + 1 >= argc)
            return usage();
        const QString v = QString::fromLocal8Bit(argv[++i]);
        if (a == QLatin1String("--retort"))
            s.retort = QDir(v).absolutePath();
        else if (a == QLatin1String("--source"))
            s.sourceRoot = v;
        else if (a == QLatin1String("--crash-dir"))
            crashDir = v;
        else if (a == QLatin1String("--seconds"))
            s.seconds = v.toLongLong();
        else if (a == QLatin1String("--seed"))
            s.seed = v.toULongLong();
        else if (a == QLatin1String("--case-seconds"))
            s.caseSeconds = v.toLongLong();
        else if (a == QLatin1String("--max-cases"))
            s.maxCases = v.toLongLong();
        else if (a == QLatin1String("--case"))
            singleCase = v.toLongLong();
        else
            return usage();
    }
    s.crashDir = crashDir.isEmpty() ? s.sourceRoot + QStringLiteral("/tests/fixtures/fuzz") : crashDir;

    FuzzCorpus corpus;
    QString error;
    if (!corpus.load(s.sourceRoot, &error)) {
        std::fprintf(stderr, "retort_fuzz: %s\n", qPrintable(error));
        return 2;
    }
    if (singleCase >= 0) {
        // One case in this process, for a debugger: no supervisor, no fixture written.
        QCoreApplication app(argc, argv);
        QTemporaryDir scratch;
        s.scratch = scratch.path();
        FuzzCase c = corpus.generate(s.seed, singleCase, !s.retort.isEmpty());
        std::printf("case %lld: %s %s from %s, mutations %s, %lld bytes\n", singleCase,
                    c.cli ? "cli" : "in-process", qPrintable(FuzzTargets::kindName(c.kind)),
                    qPrintable(c.origin), qPrintable(c.mutations.join(QLatin1Char(','))),
                    qint64(c.data.size()));
        const QString problem = FuzzSupervisor::runCase(corpus, s, c);
        std::printf("%s\n", problem.isEmpty() ? "ok" : qPrintable(problem));
        return problem.isEmpty() ? 0 : 1;
    }
    FuzzSupervisor supervisor(corpus, s);
    return supervisor.run(argc, argv);
}
