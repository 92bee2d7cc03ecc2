#pragma once
// Syntax tree of a parsed template expression (internal to MakoExpression).

#include "makovalue.h"

#include <QSharedPointer>
#include <QVector>

namespace retort {

struct MakoExprNode;
using MakoExprNodePtr = QSharedPointer<const MakoExprNode>;

struct MakoExprNode
{
    enum Kind {
        Constant,   // value
        Name,       // text
        Attribute,  // kids[0].text
        Subscript,  // kids[0][kids[1]]
        Slice,      // kids[0][kids[1]:kids[2]] (null kids for omitted bounds)
        Call,       // kids[0](kids[1..]); the last keywords.size() args are keyword args
        Unary,      // text in {"-", "+", "not"}
        Binary,     // text is the operator
        And,
        Or,
        Compare,    // kids[0] ops[0] kids[1] ops[1] kids[2] ...
        IfElse,     // kids[0] if kids[1] else kids[2]
        TupleLit,
        ListLit,
    };
    Kind kind = Constant;
    MakoValue value;
    QString text;
    QStringList ops;        // Compare operators
    QStringList keywords;   // Call keyword names
    QVector<MakoExprNodePtr> kids;
    int depth = 1;          // of the tree below: evaluating and freeing it recurse this deep

    void setKids(QVector<MakoExprNodePtr> k)
    {
        kids = std::move(k);
        for (const MakoExprNodePtr &kid : kids)
            if (kid && kid->depth >= depth)
                depth = kid->depth + 1;
    }
};

} // namespace retort
