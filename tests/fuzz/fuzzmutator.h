#pragma once
// Deterministic byte-level mutations of a seed file for the mutation fuzzer: truncation,
// byte flips, token swaps, inserted deep nesting, huge strings, NUL bytes, invalid UTF-8,
// CR/CRLF line ends, BOMs and splices of other seed files. Case i of a run depends only on
// (seed, i), so a crash found at case i is reproduced by `--case i`.
#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVector>

#include <random>

namespace retort {

class FuzzMutator
{
public:
    // Hard cap of a mutated input (keeps one case from running for minutes).
    static constexpr int MaxSize = 256 * 1024;

    explicit FuzzMutator(quint64 seed);

    // Applies 1..4 random mutations to `data`; `others` are splice donors. The names of
    // the mutations applied are appended to `applied` (for the crash report).
    QByteArray mutate(const QByteArray &data, const QVector<QByteArray> &others, QStringList *applied);

    quint64 next() { return m_rng(); }
    int below(int n) { return n <= 0 ? 0 : int(m_rng() % quint64(n)); }

private:
    QByteArray truncate(const QByteArray &d);
    QByteArray flipBytes(const QByteArray &d);
    QByteArray swapTokens(const QByteArray &d);
    QByteArray insertNesting(const QByteArray &d);
    QByteArray insertHugeString(const QByteArray &d);
    QByteArray insertNul(const QByteArray &d);
    QByteArray insertInvalidUtf8(const QByteArray &d);
    QByteArray changeLineEnds(const QByteArray &d);
    QByteArray insertBom(const QByteArray &d);
    QByteArray splice(const QByteArray &d, const QVector<QByteArray> &others);
    QByteArray editLines(const QByteArray &d);

    // A position to insert at: anywhere, or (more often) just after a '(' / '=' / ':' /
    // line start, where nesting and strings reach the parsers' deeper paths.
    int insertPoint(const QByteArray &d);
    static QByteArray capped(QByteArray d);

    std::mt19937_64 m_rng;
};

} // namespace retort
