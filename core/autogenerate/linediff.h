#pragma once
// Beyond Alembic: a line diff for the studio's side-by-side view of two definitions
// (the database's and the models'). A longest common subsequence over whole lines;
// sideBySide() pairs each run of removed lines with the added lines that follow it, so
// a changed line sits next to its new form.

#include <QString>
#include <QStringList>
#include <QVector>

namespace retort {

class LineDiff
{
public:
    enum Kind {
        Same,      // on both sides
        Removed,   // only on the left (the database)
        Added,     // only on the right (the models)
        Changed    // a removed line next to the added line that replaces it
    };

    struct Row
    {
        Kind kind = Same;
        QString left;            // "" when the left side has no line here
        QString right;
        int leftLine = -1;       // 0-based line numbers; -1 = no line on that side
        int rightLine = -1;

        bool hasLeft() const { return leftLine >= 0; }
        bool hasRight() const { return rightLine >= 0; }
        bool operator==(const Row &o) const
        {
            return kind == o.kind && left == o.left && right == o.right && leftLine == o.leftLine
                   && rightLine == o.rightLine;
        }
    };
    using Rows = QVector<Row>;

    // The edit script: Same, Removed and Added rows only; within a hunk the removed lines
    // come before the added ones.
    static Rows compute(const QStringList &left, const QStringList &right);
    // compute() with each hunk's removed and added lines paired into Changed rows (the
    // longer side's rest stays Removed / Added).
    static Rows sideBySide(const QStringList &left, const QStringList &right);

    // One character per row ('=', '-', '+', '~'): for tests and logs.
    static QString signature(const Rows &rows);
};

} // namespace retort
