#pragma once
// What the mutation fuzzer feeds its inputs to: the real parsers in process (per kind of
// file), and the real `retort` CLI as a subprocess on a mutated copy of a project.
#include <QByteArray>
#include <QString>

namespace retort {

enum class FuzzKind { Script, EnvPy, Ini, Mako };

class FuzzTargets
{
public:
    static QString kindName(FuzzKind kind);
    static bool kindFromName(const QString &name, FuzzKind *kind);

    // Runs every parser that reads this kind of file on `data`. Errors are expected and
    // ignored: only a crash (signal, sanitizer report, abort) is a finding, and that ends
    // the process, which the fuzzer's supervisor sees. scratchDir: a writable directory.
    static void runInProcess(FuzzKind kind, const QByteArray &data, const QString &scratchDir);

    // Runs `retort heads`, `history` and `upgrade head --sql` in projectDir (its
    // alembic.ini). Returns an empty string when every run ended normally (exit 0, or exit
    // 255 with a FAILED line), else what went wrong: signal, sanitizer report, other exit
    // code, or a run still going after timeoutMs (killed).
    static QString runCli(const QString &retort, const QString &projectDir, int timeoutMs);
};

} // namespace retort
