#include "linediff.h"

#include <vector>

namespace retort {

namespace {

// Beyond this many cells the middle is not aligned (all removed, then all added): a
// table listing has tens of lines, this only guards against a pathological schema.
constexpr qint64 kMaxCells = 4'000'000;

LineDiff::Row same(const QStringList &left, const QStringList &right, int i, int j)
{
    return {LineDiff::Same, left.at(i), right.at(j), i, j};
}

} // namespace

LineDiff::Rows LineDiff::compute(const QStringList &left, const QStringList &right)
{
    // Common prefix and suffix first: most of a definition is unchanged.
    int prefix = 0;
    while (prefix < left.size() && prefix < right.size() && left.at(prefix) == right.at(prefix))
        ++prefix;
    int suffix = 0;
    while (suffix < left.size() - prefix && suffix < right.size() - prefix
           && left.at(left.size() - 1 - suffix) == right.at(right.size() - 1 - suffix))
        ++suffix;

    Rows rows;
    rows.reserve(left.size() + right.size());
    for (int i = 0; i < prefix; ++i)
        rows.append(same(left, right, i, i));

    const int n = int(left.size()) - prefix - suffix;
    const int m = int(right.size()) - prefix - suffix;
    auto removed = [&](int i) { rows.append({Removed, left.at(i), QString(), i, -1}); };
    auto added = [&](int j) { rows.append({Added, QString(), right.at(j), -1, j}); };
    if (qint64(n) * m > kMaxCells || n == 0 || m == 0) {
        for (int i = 0; i < n; ++i)
            removed(prefix + i);
        for (int j = 0; j < m; ++j)
            added(prefix + j);
    } else {
        // lcs[i][j]: the LCS length of left[i..] and right[j..] (middle part only).
        std::vector<int> lcs(size_t(n + 1) * size_t(m + 1), 0);
        auto at = [&](int i, int j) -> int & { return lcs[size_t(i) * size_t(m + 1) + size_t(j)]; };
        for (int i = n - 1; i >= 0; --i)
            for (int j = m - 1; j >= 0; --j)
                at(i, j) = left.at(prefix + i) == right.at(prefix + j) ? at(i + 1, j + 1) + 1
                                                                         : std::max(at(i + 1, j), at(i, j + 1));
        // Walk forward; removals before additions where both are possible.
        int i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && left.at(prefix + i) == right.at(prefix + j)) {
                rows.append(same(left, right, prefix + i, prefix + j));
                ++i;
                ++j;
            } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
                removed(prefix + i++);
            } else {
                added(prefix + j++);
            }
        }
    }
    for (int k = suffix; k > 0; --k)
        rows.append(same(left, right, int(left.size()) - k, int(right.size()) - k));
    return rows;
}

LineDiff::Rows LineDiff::sideBySide(const QStringList &left, const QStringList &right)
{
    const Rows script = compute(left, right);
    Rows rows;
    rows.reserve(script.size());
    int k = 0;
    while (k < script.size()) {
        if (script.at(k).kind == Same) {
            rows.append(script.at(k++));
            continue;
        }
        // One hunk: its removed rows, then its added rows (compute()'s order, but a hunk
        // may also interleave when the LCS walk alternates: collect both).
        Rows gone, come;
        while (k < script.size() && script.at(k).kind != Same) {
            (script.at(k).kind == Removed ? gone : come).append(script.at(k));
            ++k;
        }
        const int paired = int(std::min(gone.size(), come.size()));
        for (int p = 0; p < paired; ++p)
            rows.append({Changed, gone.at(p).left, come.at(p).right, gone.at(p).leftLine, come.at(p).rightLine});
        for (int p = paired; p < gone.size(); ++p)
            rows.append(gone.at(p));
        for (int p = paired; p < come.size(); ++p)
            rows.append(come.at(p));
    }
    return rows;
}

QString LineDiff::signature(const Rows &rows)
{
    QString s;
    for (const Row &row : rows)
        s += QLatin1Char("=-+~"[row.kind]);
    return s;
}

} // namespace retort
