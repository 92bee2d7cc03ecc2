#include "offlinesqlwriter.h"

#include "stepbodyprovider.h"
#include "versiontablesql.h"

#include <utility>

namespace retort {

namespace {
const QString kBegin = QStringLiteral("BEGIN;\n\n");
const QString kCommit = QStringLiteral("COMMIT;\n\n");
} // namespace

OfflineSqlWriter::OfflineSqlWriter(Dialect dialect, VersionTableOptions versionTable)
    : m_dialect(dialect), m_versionTable(std::move(versionTable))
{
}

const VersionTableSql &OfflineSqlWriter::versionTableSql() const
{
    if (!m_sql)
        m_sql.emplace(m_dialect, m_versionTable);   // its qualified name is built once
    return *m_sql;
}

bool OfflineSqlWriter::transactionalDdl() const
{
    return m_transactionalDdl.value_or(m_dialect.transactionalDdl());
}

QString OfflineSqlWriter::statementText(const QString &sql)
{
    QString text;
    appendStatement(text, sql);
    return text;
}

void OfflineSqlWriter::appendStatement(QString &out, QStringView sql)
{
    // Trimming first is the same: tabs at either end are whitespace before and after they
    // become spaces. Appended in place: a --sql run writes several statements per step.
    sql = sql.trimmed();
    for (qsizetype tab; (tab = sql.indexOf(u'\t')) >= 0; sql = sql.mid(tab + 1))
        out.append(sql.left(tab)).append(QLatin1StringView("    "));
    out.append(sql).append(QLatin1StringView(";\n\n"));
}

VoidResult OfflineSqlWriter::write(const QStringList &startingHeads,
                                   const QVector<MigrationStep> &steps, QString &out) const
{
    // begin_transaction() in env.py: a real BEGIN only for transactional DDL, and then
    // around the whole run unless each migration gets its own.
    const bool outer = transactionalDdl() && !m_transactionPerMigration;
    if (outer)
        out += kBegin;
    if (m_purge)
        return Error(QStringLiteral("Can't use --purge with --sql mode"));

    QStringList heads = startingHeads;
    for (const MigrationStep &step : steps) {
        VoidResult r = writeStep(step, heads, out);
        if (!r)
            return r;
    }
    if (heads.isEmpty())
        appendStatement(out, versionTableSql().dropTable());
    if (outer)
        out += kCommit;
    return {};
}

Result<QString> OfflineSqlWriter::render(const QStringList &startingHeads,
                                         const QVector<MigrationStep> &steps) const
{
    QString out;
    VoidResult r = write(startingHeads, steps, out);
    if (!r)
        return r.error();
    return out;
}

VoidResult OfflineSqlWriter::writeStep(const MigrationStep &step, QStringList &heads,
                                       QString &out) const
{
    const bool perMigration = transactionalDdl() && m_transactionPerMigration;
    if (perMigration)
        out += kBegin;
    if (heads.isEmpty())
        appendStatement(out, versionTableSql().createTable());
    out.append(QLatin1StringView("-- Running ")).append(step.shortLog).append(QLatin1StringView("\n\n"));

    if (m_bodies && step.kind != MigrationStep::Stamp) {
        Result<StepBody> body = m_bodies->body(step, m_dialect);
        if (!body)
            return body.error();
        writeItems(step, body->items, out);
    }
    for (const VersionTableOp &op : step.versionOps)
        writeVersionOp(op, heads, out);
    if (perMigration)
        out += kCommit;
    return {};
}

// Offline nothing fails on a database: try suites run to their end, then else and finally
// (never a handler). An autocommit block ends the transaction and begins a new one where
// there is one to end (transactional DDL), as MigrationContext.autocommit_block() writes.
void OfflineSqlWriter::writeItems(const MigrationStep &step, const QVector<StepItem> &items, QString &out) const
{
    for (const StepItem &item : items) {
        switch (item.kind) {
        case StepItem::Sql:
            appendStatement(out, item.text);
            break;
        case StepItem::Print:
            out += item.text;
            break;
        case StepItem::Log:
            if (m_onLog)
                m_onLog(step, item);
            break;
        case StepItem::Try:
            writeItems(step, item.body, out);
            for (const StepItem &clause : item.clauses)
                if (clause.kind != StepItem::Except)
                    writeItems(step, clause.body, out);
            break;
        case StepItem::Autocommit:
            if (transactionalDdl())
                out += kCommit;
            writeItems(step, item.body, out);
            if (transactionalDdl())
                out += kBegin;
            break;
        case StepItem::Deferred:   // online only (providers defer with a live table reader)
            if (item.render)
                if (const Result<QStringList> sql = item.render(); sql)
                    for (const QString &statement : *sql)
                        appendStatement(out, statement);
            break;
        case StepItem::Bridge:   // online only (a step run in Alembic on Retort's connection)
        case StepItem::Raise:
        case StepItem::Except:
        case StepItem::Else:
        case StepItem::Finally:
            break;
        }
    }
}

void OfflineSqlWriter::writeVersionOp(const VersionTableOp &op, QStringList &heads,
                                      QString &out) const
{
    const VersionTableSql &sql = versionTableSql();
    switch (op.kind) {
    case VersionTableOp::Insert:
        heads.append(op.to);
        appendStatement(out, sql.insertVersion(op.to));
        break;
    case VersionTableOp::Delete:
        heads.removeAll(op.from);
        appendStatement(out, sql.deleteVersion(op.from));
        break;
    case VersionTableOp::Update: {
        heads.removeAll(op.from);
        heads.append(op.to);
        // Written in place: it starts with UPDATE and ends with a quote, so only a tab (in
        // an odd revision id) would make static_output's text differ.
        const qsizetype at = out.size();
        sql.appendUpdateVersion(out, op.from, op.to);
        if (QStringView(out).mid(at).contains(u'\t')) {
            const QString statement = out.mid(at);
            out.truncate(at);
            appendStatement(out, statement);
        } else {
            out.append(QLatin1StringView(";\n\n"));
        }
        break;
    }
    }
}

} // namespace retort
