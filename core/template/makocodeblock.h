#pragma once
// The statements of a `<% %>` or `<%! %>` block that templates use: assignments
// (`x = expr`, `a, b = expr`) and imports (`import re`, `from alembic import util`).
// Anything else (def, if, loops inside the block) is reported as unsupported.

#include "makoexpression.h"

#include <QMap>
#include <QVector>

namespace retort {

class MakoCodeBlock
{
public:
    // firstLine: template line of the block's first line, for error positions.
    static Result<MakoCodeBlock> parse(const QString &code, const QString &fileName, int firstLine);

    // Runs the statements, storing results into `variables`.
    Result<void> execute(QMap<QString, MakoValue> &variables, const MakoLookup &lookup) const;

    // Python's tuple unpacking for `a, b = value` and `for a, b in ...`.
    static Result<void> assign(const QStringList &targets, const MakoValue &value,
                               QMap<QString, MakoValue> &variables);

private:
    struct Statement
    {
        QStringList targets;     // names assigned (one, or several for unpacking)
        QString module;          // import: the module's dotted name
        MakoExpression value;      // assignment: the right-hand side
        bool isImport = false;
        int line = 0;
    };
    static Result<Statement> parseStatement(const QString &line);

    QVector<Statement> m_statements;
    QString m_fileName;
};

} // namespace retort
