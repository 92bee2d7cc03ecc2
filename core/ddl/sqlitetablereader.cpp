#include "sqlitetablereader.h"

#include "runtime/databaseconnection.h"

#include <QMap>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace retort {

namespace {

// SQLAlchemy's _find_cols_in_sig: column names in a constraint signature.
QStringList colsInSig(const QString &sig)
{
    static const QRegularExpression re(QStringLiteral("(?:\"(.+?)\")|([a-z0-9_]+)"),
                                       QRegularExpression::CaseInsensitiveOption);
    QStringList out;
    for (auto it = re.globalMatch(sig); it.hasNext();) {
        const auto m = it.next();
        out << (m.captured(1).isEmpty() ? m.captured(2) : m.captured(1));
    }
    return out;
}

QString unquote(QString s)
{
    if (s.size() >= 2 && s.startsWith(QLatin1Char('"')) && s.endsWith(QLatin1Char('"')))
        s = s.mid(1, s.size() - 2);
    return s;
}

// A declared type re-rendered as SQLAlchemy's reflected type renders it.
QString normalizeType(const QString &declared)
{
    static const QRegularExpression re(QStringLiteral("^(\\w+)\\s*(?:\\((.*)\\))?"));
    const auto m = re.match(declared.trimmed());
    if (!m.hasMatch())
        return declared;
    QString name = m.captured(1).toUpper();
    if (name == QLatin1String("INT"))
        name = QStringLiteral("INTEGER");
    else if (name == QLatin1String("BOOL"))
        name = QStringLiteral("BOOLEAN");
    if (m.captured(2).isEmpty())
        return name;
    QStringList args = m.captured(2).split(QLatin1Char(','));
    for (QString &a : args)
        a = a.trimmed();
    return QStringLiteral("%1(%2)").arg(name, args.join(QStringLiteral(", ")));
}

} // namespace

SqliteTableReader::SqliteTableReader(const DatabaseConnection &connection)
    : m_db(connection.database())
{
}

QString SqliteTableReader::pragma(const QString &schema, const QString &what, const QString &arg) const
{
    const QString s = schema.isEmpty() ? QStringLiteral("main") : schema;
    return QStringLiteral("PRAGMA %1.%2(\"%3\")").arg(s, what, QString(arg).replace(QLatin1Char('"'), QStringLiteral("\"\"")));
}

Result<QString> SqliteTableReader::tableSql(const QString &schema, const QString &table) const
{
    QSqlQuery q(m_db);
    const QString master = schema.isEmpty() ? QStringLiteral("sqlite_master") : schema + QStringLiteral(".sqlite_master");
    q.prepare(QStringLiteral("SELECT sql FROM %1 WHERE name = ? AND type = 'table'").arg(master));
    q.addBindValue(table);
    if (!q.exec())
        return Error(q.lastError().text());
    if (!q.next())
        return Error(QStringLiteral("NoSuchTableError: %1").arg(table));
    return q.value(0).toString();
}

namespace {

// Alembic's SQLiteImpl.autogen_column_reflect (a column_reflect listener of batch mode's
// reflection): a default that is not a one-character number, a quoted string or already
// in parentheses is a SQL expression, which SQLite's DDL needs parenthesized. Python's
// re.match without DOTALL: "." stops at a newline, so a multi-line "(...)" is wrapped again.
QString reflectedDefault(const QString &expr)
{
    static const QRegularExpression number(QStringLiteral("^[0-9\\.]\\n?$"));
    static const QRegularExpression quoted(QStringLiteral("^'.+'\\n?$"));
    static const QRegularExpression parenthesized(QStringLiteral("^\\(.+\\)\\n?$"));
    if (expr.isEmpty() || number.match(expr).hasMatch() || quoted.match(expr).hasMatch()
        || parenthesized.match(expr).hasMatch())
        return expr;
    return QLatin1Char('(') + expr + QLatin1Char(')');
}

} // namespace

VoidResult SqliteTableReader::readColumns(TableDef &t) const
{
    QSqlQuery q(m_db);
    if (!q.exec(pragma(t.schema, QStringLiteral("table_info"), t.name)))
        return Error(q.lastError().text());
    QMap<int, QString> pk;
    while (q.next()) {
        ColumnDef c;
        c.name = q.value(1).toString();
        c.typeSql = normalizeType(q.value(2).toString());
        c.nullable = q.value(3).toInt() == 0;
        if (!q.value(4).isNull())
            c.serverDefault = PyValue::call(PyValue::name(QStringLiteral("sa.text")),
                                            {PyValue::string(reflectedDefault(q.value(4).toString()))}, {});
        if (q.value(5).toInt() > 0) {
            pk.insert(q.value(5).toInt(), c.name);
            c.primaryKey = true;
        }
        t.columns.append(c);
    }
    if (t.columns.isEmpty())
        return Error(QStringLiteral("NoSuchTableError: %1").arg(t.name));
    // table_info hides generated columns; copying the table without them would lose them
    // (and SQLAlchemy's reflection of their expression is unreliable): not done natively.
    QSqlQuery x(m_db);
    if (x.exec(pragma(t.schema, QStringLiteral("table_xinfo"), t.name))) {
        while (x.next())
            if (x.value(6).toInt() >= 2)
                return Error(QStringLiteral("batch move-and-copy of table '%1' with the computed column '%2' "
                                            "is not supported").arg(t.name, x.value(1).toString()));
    }
    if (!pk.isEmpty()) {
        ConstraintDef p;
        p.kind = ConstraintDef::PrimaryKey;
        p.columns = pk.values();
        t.constraints.append(p);
    }
    return {};
}

VoidResult SqliteTableReader::readForeignKeys(TableDef &t, const QString &sql) const
{
    QSqlQuery q(m_db);
    if (!q.exec(pragma(t.schema, QStringLiteral("foreign_key_list"), t.name)))
        return Error(q.lastError().text());
    QMap<int, ConstraintDef> fks;
    while (q.next()) {
        ConstraintDef &fk = fks[q.value(0).toInt()];
        fk.kind = ConstraintDef::ForeignKey;
        fk.refTable = q.value(2).toString();
        fk.columns << q.value(3).toString();
        fk.refColumns << q.value(4).toString();
        const QString onUpdate = q.value(5).toString();
        const QString onDelete = q.value(6).toString();
        fk.onUpdate = onUpdate == QLatin1String("NO ACTION") ? QString() : onUpdate;
        fk.onDelete = onDelete == QLatin1String("NO ACTION") ? QString() : onDelete;
    }
    // Names, DEFERRABLE/INITIALLY and the order come from the CREATE TABLE text,
    // matched to the PRAGMA rows by signature as SQLAlchemy does.
    static const QRegularExpression re(
        QStringLiteral("(?:CONSTRAINT (\\w+) +)?FOREIGN KEY *\\( *(.+?) *\\) +REFERENCES +(?:(?:\"(.+?)\")|([a-z0-9_]+)) *"
                       "\\((.+?)\\) *((?:ON (?:DELETE|UPDATE) (?:SET NULL|SET DEFAULT|CASCADE|RESTRICT|NO ACTION) *)*)"
                       "((?:NOT +)?DEFERRABLE)?(?: +INITIALLY +(DEFERRED|IMMEDIATE))?"),
        QRegularExpression::CaseInsensitiveOption);
    QVector<ConstraintDef> ordered;
    for (auto it = re.globalMatch(sql); it.hasNext();) {
        const auto m = it.next();
        const QStringList cols = colsInSig(m.captured(2));
        const QString ref = m.captured(3).isEmpty() ? m.captured(4) : m.captured(3);
        for (auto fk = fks.begin(); fk != fks.end(); ++fk) {
            if (fk->columns != cols || fk->refTable != ref)
                continue;
            ConstraintDef c = *fk;
            c.name = m.captured(1);
            if (!m.captured(7).isEmpty())
                c.deferrable = !m.captured(7).toUpper().startsWith(QLatin1String("NOT"));
            c.initially = m.captured(8).toUpper();
            ordered.append(c);
            fks.erase(fk);
            break;
        }
    }
    for (const ConstraintDef &fk : fks)
        ordered.append(fk);
    t.constraints += ordered;
    return {};
}

VoidResult SqliteTableReader::readUniques(TableDef &t, const QString &sql) const
{
    QSqlQuery q(m_db);
    if (!q.exec(pragma(t.schema, QStringLiteral("index_list"), t.name)))
        return Error(q.lastError().text());
    QVector<QStringList> autoIndexes;
    QStringList autoNames;
    while (q.next())
        if (q.value(1).toString().startsWith(QLatin1String("sqlite_autoindex")))
            autoNames << q.value(1).toString();
    for (const QString &n : autoNames) {
        QSqlQuery info(m_db);
        if (!info.exec(pragma(t.schema, QStringLiteral("index_info"), n)))
            return Error(info.lastError().text());
        QStringList cols;
        while (info.next())
            cols << info.value(2).toString();
        autoIndexes << cols;
    }
    static const QRegularExpression tableLevel(QStringLiteral("(?:CONSTRAINT \"?(.+?)\"? +)?UNIQUE *\\((.+?)\\)"),
                                               QRegularExpression::CaseInsensitiveOption);
    for (auto it = tableLevel.globalMatch(sql); it.hasNext();) {
        const auto m = it.next();
        const QStringList cols = colsInSig(m.captured(2));
        if (!autoIndexes.removeOne(cols))
            continue;
        ConstraintDef u;
        u.kind = ConstraintDef::Unique;
        u.name = m.captured(1);
        u.columns = cols;
        t.constraints.append(u);
    }
    static const QRegularExpression check(QStringLiteral("(?:CONSTRAINT (.+) +)?CHECK *\\( *(.+) *\\),? *"),
                                          QRegularExpression::CaseInsensitiveOption);
    for (auto it = check.globalMatch(sql); it.hasNext();) {
        const auto m = it.next();
        ConstraintDef c;
        c.kind = ConstraintDef::Check;
        c.name = unquote(m.captured(1));
        c.sqlText = m.captured(2).trimmed();
        t.constraints.append(c);
    }
    return {};
}

VoidResult SqliteTableReader::readIndexes(TableDef &t) const
{
    QSqlQuery q(m_db);
    if (!q.exec(pragma(t.schema, QStringLiteral("index_list"), t.name)))
        return Error(q.lastError().text());
    QVector<IndexDef> indexes;
    while (q.next()) {
        const QString name = q.value(1).toString();
        if (name.startsWith(QLatin1String("sqlite_autoindex")))
            continue;
        IndexDef ix;
        ix.name = name;
        ix.table = t.name;
        ix.schema = t.schema;
        ix.unique = q.value(2).toInt() != 0;
        if (q.value(4).toInt() != 0) {
            // A partial index: SQLAlchemy 1.4 reads its predicate back as sqlite_where.
            QSqlQuery sql(m_db);
            const QString master = t.schema.isEmpty() ? QStringLiteral("sqlite_master")
                                                      : t.schema + QStringLiteral(".sqlite_master");
            sql.prepare(QStringLiteral("SELECT sql FROM %1 WHERE name = ? AND type = 'index'").arg(master));
            sql.addBindValue(name);
            static const QRegularExpression predicate(QStringLiteral("\\)\\s+where\\s+(.+)"),
                                                      QRegularExpression::CaseInsensitiveOption);
            if (sql.exec() && sql.next()) {
                const auto m = predicate.match(sql.value(0).toString());
                if (m.hasMatch())
                    ix.kwargs.append({QStringLiteral("sqlite_where"),
                                      PyValue::call(PyValue::name(QStringLiteral("sa.text")),
                                                    {PyValue::string(m.captured(1))}, {})});
            }
        }
        indexes.append(ix);
    }
    for (IndexDef &ix : indexes) {
        QSqlQuery info(m_db);
        if (!info.exec(pragma(t.schema, QStringLiteral("index_info"), ix.name)))
            return Error(info.lastError().text());
        bool expression = false;
        while (info.next()) {
            expression = expression || info.value(1).toInt() < 0;
            ix.expressions << info.value(2).toString();
            ix.isRawSql << false;
        }
        // SQLAlchemy 1.4 skips expression indexes with a warning.
        if (!expression)
            t.indexes.append(ix);
    }
    return {};
}

Result<TableDef> SqliteTableReader::read(const QString &schema, const QString &table) const
{
    TableDef t;
    t.name = table;
    t.schema = schema;
    auto sql = tableSql(schema, table);
    if (!sql)
        return sql.error();
    for (auto step : {&SqliteTableReader::readColumns}) {
        auto r = (this->*step)(t);
        if (!r)
            return r.error();
    }
    static const QRegularExpression pkName(QStringLiteral("CONSTRAINT (\\w+) PRIMARY KEY"));
    if (const auto m = pkName.match(*sql); m.hasMatch() && !t.constraints.isEmpty())
        t.constraints.first().name = m.captured(1);
    if (auto r = readForeignKeys(t, *sql); !r)
        return r.error();
    if (auto r = readUniques(t, *sql); !r)
        return r.error();
    if (auto r = readIndexes(t); !r)
        return r.error();
    return t;
}

} // namespace retort
