#pragma once
// The expressions of a statement a script builds for op.execute() (DmlRenderer): columns
// of sa.table(...), literals, comparisons, and_/or_/not_, in_, is_, like, between,
// arithmetic and sa.func calls, compiled as SQLAlchemy 1.4 does with literal_binds,
// grouped by SQLAlchemy's operator precedence.

#include "result.h"
#include "python/pyvalue.h"
#include "runtime/dialect.h"

#include <QString>
#include <QVector>
#include <optional>

namespace retort {

namespace dml {

// sa.table('t', sa.column('a', sa.Integer), ..., schema='s') (or an sa.Table).
struct Table
{
    QString schema;
    QString name;
    QVector<QPair<QString, PyValue>> columns;   // name, type (None when untyped)
    bool hasPrimaryKey = false;   // sa.Table with a primary key (PostgreSQL INSERTs return it)

    const PyValue *columnType(const QString &column) const
    {
        for (const auto &c : columns)
            if (c.first == column)
                return &c.second;
        return nullptr;
    }
};

// SQLAlchemy's operator precedence (sql/operators.py), for grouping.
enum Prec { PrecOr = 2, PrecAnd = 3, PrecCompare = 5, PrecAdd = 7, PrecMul = 8, PrecAtom = 100 };

struct Expr
{
    QString sql;
    PyValue type;     // None when untyped (NullType)
    int prec = PrecAtom;
    QString op;       // binary operator text, for associativity
};

// The interpreter's shapes: `x.attr` is getattr(x, 'attr'); `x.m(...)` a call of it.
bool attribute(const PyValue &v, PyValue *receiver, QString *attr);
bool methodCall(const PyValue &v, PyValue *receiver, QString *method);
std::optional<Table> tableOf(const PyValue &v);
// Python literals, op.inline_literal(), datetime.*(), decimal.Decimal().
bool isLiteral(const PyValue &v);
// `e` in parentheses when its operator binds less tightly than the parent's.
QString wrap(const Expr &e, int parentPrec, const QString &parentOp);
Result<QString> sqlOf(const Result<Expr> &e, int parentPrec);

} // namespace dml

// Compiles the expressions of one statement on `table` (column references must name it).
class DmlCompiler
{
public:
    DmlCompiler(const dml::Table &table, const Dialect &d) : m_table(table), m_d(d) {}

    Result<dml::Expr> value(const PyValue &v);
    Result<QString> literal(const PyValue &v, const PyValue *type);
    Result<dml::Expr> condition(const PyValue &v, bool negate = false);
    Result<QString> conditions(const QVector<PyValue> &list);
    Result<QString> grouped(const PyValue &v, int parentPrec, const QString &parentOp, bool negate = false);

private:
    Result<dml::Expr> column(const PyValue &v, bool *isColumn);
    Result<dml::Expr> comparison(const QString &op, PyValue lhs, PyValue rhs, bool negate);
    Result<dml::Expr> caseExpression(const PyValue &v);
    Result<dml::Expr> arithmetic(const QString &op, const PyValue &lhs, const PyValue &rhs);
    Result<dml::Expr> method(const PyValue &receiver, const QString &name, const PyValue &call, bool negate);
    Result<dml::Expr> booleanClause(const QString &op, const QVector<PyValue> &items, bool negate);

    const dml::Table &m_table;
    const Dialect &m_d;
};

} // namespace retort
