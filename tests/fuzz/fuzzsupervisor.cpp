#include "fuzzsupervisor.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <cerrno>
#include <optional>
#include <csignal>
#include <cstdio>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace retort {

namespace {

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

QString firstLine(const QString &s) { return s.section(QLatin1Char('\n'), 0, 0); }

// "retort::PyExpressionParser::parseAtom() /src/core/python/x.cpp:12" -> "PyExpressionParser::parseAtom"
QString functionOf(QString frame)
{
    const qsizetype loc = frame.indexOf(QLatin1String(" /"));
    if (loc >= 0)
        frame.truncate(loc);
    frame = frame.trimmed();
    if (frame.endsWith(QLatin1String(" const")))
        frame.chop(6);
    if (frame.endsWith(QLatin1Char(')'))) {   // drop the parameter list
        int depth = 0;
        for (qsizetype i = frame.size() - 1; i >= 0; --i) {
            if (frame[i] == QLatin1Char(')'))
                ++depth;
            else if (frame[i] == QLatin1Char('(') && --depth == 0) {
                frame.truncate(i);
                break;
            }
        }
    }
    frame.remove(QLatin1String("retort::"));
    frame.remove(QLatin1String("(anonymous namespace)::"));
    return frame;
}

bool readExact(int fd, void *buf, size_t n)
{
    char *p = static_cast<char *>(buf);
    while (n > 0) {
        const ssize_t r = ::read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        p += r;
        n -= size_t(r);
    }
    return true;
}

// Halves every run of >= 32 repetitions of a short unit ("((((", "not not "): deep
// nesting shrinks with its closers, which removing single chunks cannot do.
QByteArray halveRuns(const QByteArray &d)
{
    QByteArray out;
    qsizetype i = 0;
    while (i < d.size()) {
        bool halved = false;
        for (qsizetype len = 1; len <= 12 && i + len <= d.size(); ++len) {
            const QByteArrayView unit(d.constData() + i, len);
            qsizetype reps = 1;
            while (i + (reps + 1) * len <= d.size() && QByteArrayView(d.constData() + i + reps * len, len) == unit)
                ++reps;
            if (reps >= 32) {
                out += unit.toByteArray().repeated(reps / 2);
                i += reps * len;
                halved = true;
                break;
            }
        }
        if (!halved)
            out += d[i++];
    }
    return out;
}

} // namespace

FuzzSupervisor::FuzzSupervisor(const FuzzCorpus &corpus, FuzzSettings settings)
    : m_corpus(corpus), m_s(std::move(settings))
{
}

QString FuzzSupervisor::runCase(const FuzzCorpus &corpus, const FuzzSettings &s, const FuzzCase &c)
{
    if (!c.cli) {
        const QString dir = s.scratch + QStringLiteral("/inprocess");
        QDir().mkpath(dir);
        FuzzTargets::runInProcess(c.kind, c.data, dir);
        return {};
    }
    if (s.retort.isEmpty())
        return {};   // a CLI fixture without --retort: nothing to run it with
    const QString dir = s.scratch + QStringLiteral("/project");
    if (!corpus.materialize(c, dir))
        return QStringLiteral("cannot copy project %1 to %2").arg(c.project, dir);
    return FuzzTargets::runCli(s.retort, dir, int(std::min<qint64>(s.caseSeconds, 20)) * 1000);
}

QString FuzzSupervisor::signatureOf(const QString &report, const QString &fallback)
{
    static const QRegularExpression ubsan(QStringLiteral("([^/\\s]+:\\d+):\\d+: runtime error: (\\S+( \\S+)?)"));
    static const QRegularExpression asan(QStringLiteral("ERROR: AddressSanitizer: ([\\w-]+)"));
    static const QRegularExpression frame(QStringLiteral("^\\s*#\\d+ 0x[0-9a-f]+ in (.*)$"));
    static const QRegularExpression qtAssert(QStringLiteral("ASSERT: .* in file ([^,]+), line (\\d+)"));
    if (const auto m = ubsan.match(report); m.hasMatch())
        return QStringLiteral("ubsan %1 %2").arg(m.captured(1), m.captured(2));
    if (const auto m = qtAssert.match(report); m.hasMatch())
        return QStringLiteral("assert %1:%2").arg(QFileInfo(m.captured(1)).fileName(), m.captured(2));
    const auto kind = asan.match(report);
    if (!kind.hasMatch())
        return fallback;
    QStringList fns;
    const bool recursion = kind.captured(1) == QLatin1String("stack-overflow");
    int frames = 0;
    for (const QString &line : report.split(QLatin1Char('\n'))) {
        const auto f = frame.match(line);
        if (!f.hasMatch() || !f.captured(1).contains(QLatin1String("retort::")))
            continue;
        const QString fn = functionOf(f.captured(1));
        if (recursion) {
            // The functions of the recursion cycle, in any order, below the top frames:
            // where the overflow hit (a helper called from the cycle) varies from input to input.
            if (++frames <= 12)
                continue;
            if (!fns.contains(fn))
                fns.append(fn);
            if (frames >= 72)
                break;
        } else {
            fns.append(fn);
            if (fns.size() >= 3)
                break;
        }
    }
    if (recursion)
        fns.sort();
    return QStringLiteral("asan %1 %2").arg(kind.captured(1), fns.mid(0, 8).join(QLatin1Char(' ')));
}

void FuzzSupervisor::send(int fd, const Msg &m)
{
    // Smaller than PIPE_BUF: one atomic write.
    const char *p = reinterpret_cast<const char *>(&m);
    size_t n = sizeof m;
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(3);   // the supervisor is gone
        p += w;
        n -= size_t(w);
    }
}

void FuzzSupervisor::worker(int fd, Phase phase, qint64 start, int argc, char *argv[])
{
    QCoreApplication app(argc, argv);   // QProcess (CLI cases) wants one
    std::setvbuf(stdout, nullptr, _IOLBF, 0);   // lines reach the log even if this process dies
    if (phase == Replay) {
        for (qint64 i = start; i < m_fixtures.size(); ++i) {
            send(fd, {Start, Replay, i, m_fixtures[i].cli ? 1 : 0});
            const QString problem = runCase(m_corpus, m_s, m_fixtures[i]);
            if (!problem.isEmpty()) {
                std::printf("REPLAY FAILED %s (%s): %s\n%s\n", qPrintable(m_fixtures[i].stem),
                            qPrintable(m_fixtures[i].signature), qPrintable(firstLine(problem)),
                            qPrintable(problem.right(3000)));
                send(fd, {Found, Replay, i, 0});
            }
        }
        start = 0;
    }
    for (qint64 i = start; nowMs() < m_deadlineMs && (m_s.maxCases < 0 || i < m_s.maxCases); ++i) {
        FuzzCase c = m_corpus.generate(m_s.seed, i, !m_s.retort.isEmpty());
        send(fd, {Start, Fuzz, i, c.cli ? 1 : 0});
        const QString problem = runCase(m_corpus, m_s, c);
        if (problem.isEmpty())
            continue;
        c.signature = signatureOf(problem, FuzzTargets::kindName(c.kind) + QStringLiteral(" cli ") + firstLine(problem));
        const bool known = FuzzCorpus::knownSignatures(m_s.crashDir).contains(c.signature);
        if (!known)
            minimize(&c);
        const QString stem = known ? QString() : FuzzCorpus::saveFixture(m_s.crashDir, c, problem);
        std::printf("FOUND (%s) case %lld, %s: %s%s\n%s\n", qPrintable(c.signature), i,
                    qPrintable(c.origin), qPrintable(firstLine(problem)),
                    known ? " [known class, not saved again]" : qPrintable(QStringLiteral(" -> saved as ") + stem),
                    qPrintable(problem.right(3000)));
        send(fd, {Found, Fuzz, i, known ? 0 : 1});
    }
    send(fd, {Done, Fuzz, 0, 0});
    std::fflush(stdout);
    _exit(0);
}

QString FuzzSupervisor::probe(const FuzzCase &c, int timeoutMs)
{
    const QString capturePath = m_s.scratch + QStringLiteral("/probe-stderr.txt");
    QFile capture(capturePath);
    if (!capture.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t pid = ::fork();
    if (pid < 0)
        return {};
    if (pid == 0) {
        ::dup2(capture.handle(), 2);
        std::optional<QCoreApplication> app;   // the worker (our parent then) has one already
        if (!QCoreApplication::instance())
            app.emplace(m_argc, m_argv);
        const QString problem = runCase(m_corpus, m_s, c);
        if (problem.isEmpty())
            _exit(0);
        std::fprintf(stderr, "%s\n", qPrintable(problem));
        std::fflush(stderr);
        _exit(1);
    }
    capture.close();
    int status = 0;
    bool hung = false;
    for (qint64 until = nowMs() + timeoutMs;;) {
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR))
            break;
        if (!hung && nowMs() > until) {
            ::kill(pid, SIGKILL);
            hung = true;
        }
        ::usleep(5000);
    }
    if (!hung && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return {};
    QFile f(capturePath);
    const QString report = f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll().right(64 * 1024)) : QString();
    if (hung)
        return QStringLiteral("hang");
    if (c.cli)
        return signatureOf(report, FuzzTargets::kindName(c.kind) + QStringLiteral(" cli ") + firstLine(report));
    const QString how = WIFSIGNALED(status) ? QStringLiteral("killed by signal %1").arg(WTERMSIG(status))
                                            : QStringLiteral("exit %1").arg(WEXITSTATUS(status));
    return signatureOf(report, FuzzTargets::kindName(c.kind) + QLatin1Char(' ') + how);
}

void FuzzSupervisor::minimize(FuzzCase *c)
{
    const qint64 until = nowMs() + 20000;
    const int maxProbes = c->cli ? 40 : 200;
    const int timeoutMs = int(std::min<qint64>(m_s.caseSeconds, 10) * 1000);
    int probes = 0;
    const qsizetype before = c->data.size();
    for (QByteArray h = halveRuns(c->data); h.size() < c->data.size(); h = halveRuns(c->data)) {
        FuzzCase smaller = *c;
        smaller.data = h;
        if (++probes > maxProbes || nowMs() > until || probe(smaller, timeoutMs) != c->signature)
            break;
        c->data = h;
    }
    for (int chunks = 2; chunks <= 256 && c->data.size() > 1; chunks *= 2) {
        bool progress = true;
        while (progress) {
            progress = false;
            const qsizetype len = std::max<qsizetype>(1, c->data.size() / chunks);
            for (qsizetype at = 0; at < c->data.size(); at += len) {
                if (++probes > maxProbes || nowMs() > until)
                    goto done;
                FuzzCase smaller = *c;
                smaller.data.remove(at, len);
                if (probe(smaller, timeoutMs) == c->signature) {
                    c->data = smaller.data;
                    progress = true;
                    break;
                }
            }
        }
    }
done:
    if (c->data.size() != before)
        std::printf("minimized %lld -> %lld bytes (%d runs)\n", qint64(before), qint64(c->data.size()), probes);
}

void FuzzSupervisor::handleDeath(Phase phase, qint64 index, const QString &how, const QString &report, bool hung)
{
    if (phase == Replay) {
        const FuzzCase &c = m_fixtures[index];
        ++m_replayFailures;
        std::printf("REPLAY FAILED %s (%s): %s\n", qPrintable(c.stem), qPrintable(c.signature), qPrintable(how));
        return;
    }
    FuzzCase c = m_corpus.generate(m_s.seed, index, !m_s.retort.isEmpty());
    c.signature = signatureOf(report, FuzzTargets::kindName(c.kind) + QLatin1Char(' ') + how);
    const bool known = FuzzCorpus::knownSignatures(m_s.crashDir).contains(c.signature);
    QString stem;
    if (known) {
        ++m_knownFindings;
    } else {
        ++m_newFindings;
        if (!hung)
            minimize(&c);
        stem = FuzzCorpus::saveFixture(m_s.crashDir, c, how + QLatin1Char('\n') + report);
        m_saved.append(stem);
    }
    std::printf("FOUND (%s) case %lld, %s (%s, %lld bytes): %s%s\n", qPrintable(c.signature), index,
                qPrintable(c.origin), qPrintable(c.mutations.join(QLatin1Char(','))), qint64(c.data.size()),
                qPrintable(how),
                known ? " [known class, not saved again]" : qPrintable(QStringLiteral(" -> saved as ") + stem));
}

int FuzzSupervisor::run(int argc, char *argv[])
{
    m_argc = argc;
    m_argv = argv;
    QTemporaryDir scratch;   // NB: declared here, removed when run() returns
    if (m_s.scratch.isEmpty())
        m_s.scratch = scratch.path();
    m_fixtures = FuzzCorpus::loadFixtures(m_s.crashDir);
    const qint64 began = nowMs();
    m_deadlineMs = began + m_s.seconds * 1000;
    std::printf("fuzz: seed %llu, budget %lld s, %d seed files, %d projects%s; replaying %d fixtures from %s\n",
                static_cast<unsigned long long>(m_s.seed), m_s.seconds, m_corpus.seedCount(),
                m_corpus.projectCount(), m_s.retort.isEmpty() ? " (no --retort: no CLI cases)" : "",
                int(m_fixtures.size()), qPrintable(m_s.crashDir));
    const QString capturePath = m_s.scratch + QStringLiteral("/worker-stderr.txt");
    Phase phase = m_fixtures.isEmpty() ? Fuzz : Replay;
    qint64 start = 0;
    for (;;) {
        QFile capture(capturePath);
        if (!capture.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return 2;
        int fds[2];
        if (::pipe(fds) != 0)
            return 2;
        std::fflush(stdout);
        std::fflush(stderr);
        const pid_t pid = ::fork();
        if (pid < 0)
            return 2;
        if (pid == 0) {
            ::close(fds[0]);
            ::dup2(capture.handle(), 2);
            worker(fds[1], phase, start, argc, argv);
        }
        ::close(fds[1]);
        capture.close();
        bool haveCase = false, done = false, hung = false;
        Phase curPhase = phase;
        qint64 curIndex = -1, caseStart = nowMs();
        for (;;) {
            pollfd p{fds[0], POLLIN, 0};
            const int r = ::poll(&p, 1, 500);
            if (r < 0 && errno == EINTR)
                continue;
            if (r == 0) {
                if (haveCase && nowMs() - caseStart > m_s.caseSeconds * 1000) {
                    ::kill(pid, SIGKILL);
                    hung = true;
                }
                continue;
            }
            Msg m;
            if (!readExact(fds[0], &m, sizeof m))
                break;   // the worker is gone
            if (m.type == Start) {
                haveCase = true;
                curPhase = Phase(m.phase);
                curIndex = m.index;
                caseStart = nowMs();
                if (curPhase == Fuzz) {
                    ++m_cases;
                    m_cliCases += m.cli;
                }
            } else if (m.type == Found) {
                if (m.phase == Replay)
                    ++m_replayFailures;
                else if (m.cli)
                    ++m_newFindings;
                else
                    ++m_knownFindings;
            } else if (m.type == Done) {
                done = true;
            }
        }
        ::close(fds[0]);
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        if (done && WIFEXITED(status) && WEXITSTATUS(status) == 0)
            break;
        QFile f(capturePath);
        const QString report = f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll().right(64 * 1024)) : QString();
        if (!haveCase) {
            std::printf("fuzz: the worker died before its first case\n%s\n", qPrintable(report));
            return 2;
        }
        const QString how = hung ? QStringLiteral("no answer after %1 s (killed)").arg(m_s.caseSeconds)
                            : WIFSIGNALED(status) ? QStringLiteral("killed by signal %1").arg(WTERMSIG(status))
                                                  : QStringLiteral("exit %1").arg(WEXITSTATUS(status));
        handleDeath(curPhase, curIndex, how, report, hung);
        // The report's last lines: the sanitizer's own, if any.
        const QStringList lines = report.split(QLatin1Char('\n'));
        std::printf("%s\n", qPrintable(lines.mid(std::max<qsizetype>(0, lines.size() - 60)).join(QLatin1Char('\n'))));
        phase = curPhase;
        start = curIndex + 1;
        if (phase == Fuzz && (nowMs() >= m_deadlineMs || (m_s.maxCases >= 0 && start >= m_s.maxCases)))
            break;
    }
    const bool failed = m_replayFailures || m_newFindings || m_knownFindings;
    std::printf("fuzz: %lld cases run (%lld through the retort CLI) in %.1f s; %d fixtures replayed, %d failed; "
                "%d new crash classes%s, %d more of known classes\n",
                m_cases, m_cliCases, double(nowMs() - began) / 1000.0, int(m_fixtures.size()), m_replayFailures,
                m_newFindings,
                m_saved.isEmpty() ? "" : qPrintable(QStringLiteral(" (saved in %1: %2)").arg(m_s.crashDir, m_saved.join(QLatin1String(", ")))),
                m_knownFindings);
    std::printf("%s\n", failed ? "FAIL" : "PASS");
    std::fflush(stdout);
    return failed ? 1 : 0;
}

} // namespace retort
