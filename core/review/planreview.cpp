#include "planreview.h"

#include "reviewtypeshape.h"
#include "ddl/oparguments.h"
#include "ddl/scriptstepbodyprovider.h"
#include "ddl/typerenderer.h"
#include "runtime/databaseconnection.h"

#include <QCoreApplication>
#include <QLocale>

namespace retort {

namespace {

// Counts are grouped as the findings' language writes them: "1,500" in English (the CLI, which
// has no translator), "1.500" in German.
QString number(qint64 n)
{
    return QLocale(QCoreApplication::translate("retort::PlanReview", "en", "the locale whose digit grouping the counts use"))
        .toString(n);
}

// "no row has a value" / "1 row has a value" / "20 rows have a value": whole sentences, so
// that the studio can translate them (n >= 2 is plural in German and French too); the CLI
// installs no translator and prints the English.
struct RowsPhrase
{
    const char *none;
    const char *one;
    const char *many;   // %1: the count
};

QString rowsPhrase(qint64 n, const RowsPhrase &phrase)
{
    if (n == 0)
        return QCoreApplication::translate("retort::PlanReview", phrase.none);
    return n == 1 ? QCoreApplication::translate("retort::PlanReview", phrase.one)
                  : QCoreApplication::translate("retort::PlanReview", phrase.many).arg(number(n));
}

const RowsPhrase kHasValue{QT_TRANSLATE_NOOP("retort::PlanReview", "no row has a value"),
                           QT_TRANSLATE_NOOP("retort::PlanReview", "1 row has a value"),
                           QT_TRANSLATE_NOOP("retort::PlanReview", "%1 rows have a value")};
const RowsPhrase kHasLongerValue{QT_TRANSLATE_NOOP("retort::PlanReview", "no row has a longer value"),
                                 QT_TRANSLATE_NOOP("retort::PlanReview", "1 row has a longer value"),
                                 QT_TRANSLATE_NOOP("retort::PlanReview", "%1 rows have a longer value")};
const RowsPhrase kHasValueOutOfRange{QT_TRANSLATE_NOOP("retort::PlanReview", "no row has a value out of range"),
                                     QT_TRANSLATE_NOOP("retort::PlanReview", "1 row has a value out of range"),
                                     QT_TRANSLATE_NOOP("retort::PlanReview", "%1 rows have a value out of range")};
const RowsPhrase kHasDroppedLabel{QT_TRANSLATE_NOOP("retort::PlanReview", "no row has a dropped label"),
                                  QT_TRANSLATE_NOOP("retort::PlanReview", "1 row has a dropped label"),
                                  QT_TRANSLATE_NOOP("retort::PlanReview", "%1 rows have a dropped label")};
const RowsPhrase kHasValueToConvert{QT_TRANSLATE_NOOP("retort::PlanReview", "no row has a value to convert"),
                                    QT_TRANSLATE_NOOP("retort::PlanReview", "1 row has a value to convert"),
                                    QT_TRANSLATE_NOOP("retort::PlanReview", "%1 rows have a value to convert")};
const RowsPhrase kIsNull{QT_TRANSLATE_NOOP("retort::PlanReview", "no row is NULL"),
                         QT_TRANSLATE_NOOP("retort::PlanReview", "1 row is NULL"),
                         QT_TRANSLATE_NOOP("retort::PlanReview", "%1 rows are NULL")};

QString qualified(const QString &schema, const QString &table, const QString &column = {})
{
    QString s = schema.isEmpty() ? table : schema + QLatin1Char('.') + table;
    return column.isEmpty() ? s : s + QLatin1Char('.') + column;
}

// A name argument: "uq_x", op.f("uq_x") or conv("uq_x").
QString nameOf(const PyValue *v)
{
    if (!v || v->isNone())
        return {};
    if (v->isStr())
        return v->toStr();
    if (v->kind() == PyValue::Call && !v->args().isEmpty() && v->args().first().isStr())
        return v->args().first().toStr();
    return v->repr();
}

// Binds an op's arguments; inside batch_alter_table the table comes from the batch and
// is not among the op's own parameters.
Result<OpArguments> bindOp(const MigrationOp &op, QStringList params, bool inBatch)
{
    if (inBatch) {
        params.removeAll(QStringLiteral("table_name"));
        params.removeAll(QStringLiteral("schema"));
    }
    return OpArguments::bind(op, params, true);
}

} // namespace

PlanReview::PlanReview(ScriptStepBodyProvider *scripts, DatabaseConnection *connection)
    : m_scripts(scripts), m_connection(connection), m_counter(connection)
{
}

PlanReviewReport PlanReview::review(const MigrationPlan &plan)
{
    // Read the scripts as the online run will (HandoffRouter sets the same context), so
    // `if op.get_bind().dialect.name == ...` is decided natively and the cache is shared.
    // The URL the caller set is kept (the router sets the same): one interpreting of the
    // plan's scripts serves both.
    if (m_scripts && m_connection)
        m_scripts->setScriptContext(m_scripts->scriptContext().with(m_connection->dialect().name(), ScriptContext::Online));
    if (m_scripts)
        m_scripts->preload(plan.steps);   // in parallel, as the router does
    // On a server each count is a round trip (a downgrade to base asks hundreds): a first
    // reading notes them, they are asked together, the second reading finds the answers.
    if (m_connection && m_connection->dialect().kind() != Dialect::SQLite) {
        m_counter.collect();
        (void)reviewSteps(plan);
        m_counter.askCollected();
    }
    return reviewSteps(plan);
}

PlanReviewReport PlanReview::reviewSteps(const MigrationPlan &plan)
{
    PlanReviewReport report;
    report.online = m_connection != nullptr;
    m_createdTables.clear();
    m_createdColumns.clear();
    m_renamedTables.clear();
    for (int i = 0; i < plan.steps.size(); ++i) {
        const MigrationStep &step = plan.steps.at(i);
        if (step.kind == MigrationStep::Stamp)
            continue;
        ReviewFinding f;
        f.kind = ReviewFinding::NotReviewed;
        f.severity = ReviewFinding::Warning;
        f.step = i;
        if (!m_scripts) {
            f.text = QCoreApplication::translate("retort::PlanReview", "not reviewed: the script's operations are not known");
            report.findings << f;
            continue;
        }
        if (std::optional<NeedsPython> np = m_scripts->needsPython(step)) {
            f.text = QCoreApplication::translate("retort::PlanReview", "not reviewed: needs Python (%1, line %2)").arg(np->reason).arg(np->line);
            report.findings << f;
            continue;
        }
        auto program = m_scripts->program(step.revision);
        auto fn = program ? m_scripts->functionName(step) : Result<QString>(program.error());
        if (!fn) {
            f.text = QCoreApplication::translate("retort::PlanReview", "not reviewed: %1").arg(fn.error().message.section(QLatin1Char('\n'), 0, 0));
            report.findings << f;
            continue;
        }
        reviewOps(program->functions.value(*fn), i, report);
    }
    return report;
}

void PlanReview::reviewOps(const QVector<MigrationOp> &ops, int step, PlanReviewReport &report)
{
    for (const MigrationOp &op : ops)
        reviewOp(op, step, nullptr, report);
}

void PlanReview::reviewOp(const MigrationOp &op, int step, const Target *batch, PlanReviewReport &report)
{
    const QString &n = op.name;
    if (op.isEffect()) {
        // try suites, handlers and autocommit blocks run their ops too.
        for (const MigrationOp &inner : op.batchOps)
            reviewOp(inner, step, batch, report);
        for (const MigrationOp &clause : op.clauses)
            reviewOp(clause, step, batch, report);
        return;
    }
    if (n == QLatin1String("batch_alter_table")) {
        auto a = OpArguments::bind(op, {QStringLiteral("table_name"), QStringLiteral("schema")}, true);
        if (!a)
            return unreadable(op, step, a.error().message, report);
        const Target target{a->str(QStringLiteral("schema")), a->str(QStringLiteral("table_name"))};
        for (const MigrationOp &inner : op.batchOps)
            reviewOp(inner, step, &target, report);
        return;
    }
    if (n == QLatin1String("drop_table"))
        dropTable(op, step, report);
    else if (n == QLatin1String("drop_column"))
        dropColumn(op, step, batch, report);
    else if (n == QLatin1String("alter_column"))
        alterColumn(op, step, batch, report);
    else if (n == QLatin1String("drop_constraint"))
        dropConstraint(op, step, batch, report);
    else if (n == QLatin1String("drop_index"))
        dropIndex(op, step, batch, report);
    else if (n == QLatin1String("create_table") || n == QLatin1String("add_column"))
        noteCreated(op, batch);
    else if (n == QLatin1String("rename_table"))
        noteRenamed(op);
    else if (n == QLatin1String("execute")) {
        ReviewFinding f;
        f.kind = ReviewFinding::RawSql;
        f.step = step;
        QString sql = op.args.isEmpty() ? QString() : op.args.first().isStr() ? op.args.first().toStr()
                                                                              : op.args.first().repr();
        sql = sql.simplified();
        if (sql.size() > 60)
            sql = sql.left(57) + QStringLiteral("...");
        f.text = QCoreApplication::translate("retort::PlanReview", "runs SQL text, not reviewed (line %1): %2").arg(op.line).arg(sql);
        report.findings << f;
    }
}

void PlanReview::unreadable(const MigrationOp &op, int step, const QString &why, PlanReviewReport &report)
{
    ReviewFinding f;
    f.kind = ReviewFinding::NotReviewed;
    f.severity = ReviewFinding::Warning;
    f.step = step;
    f.text = QCoreApplication::translate("retort::PlanReview", "not reviewed: op.%1() at line %2: %3").arg(op.name).arg(op.line).arg(why);
    report.findings << f;
}

std::optional<OpArguments> PlanReview::locate(const MigrationOp &op, const QStringList &params, int step,
                                              const Target *batch, ReviewFinding &f, PlanReviewReport &report)
{
    auto a = bindOp(op, params, batch != nullptr);
    if (!a) {
        unreadable(op, step, a.error().message, report);
        return std::nullopt;
    }
    f.step = step;
    f.schema = batch ? batch->schema : a->str(QStringLiteral("schema"));
    f.table = batch ? batch->table : a->str(QStringLiteral("table_name"));
    return std::move(*a);
}

void PlanReview::noteCreated(const MigrationOp &op, const Target *batch)
{
    if (op.name == QLatin1String("create_table")) {
        auto a = OpArguments::bind(op, {QStringLiteral("table_name"), QStringLiteral("*columns"), QStringLiteral("schema")}, true);
        if (a)
            m_createdTables.insert(a->str(QStringLiteral("schema")) + u'\n' + a->str(QStringLiteral("table_name")));
        return;
    }
    auto a = bindOp(op, {QStringLiteral("table_name"), QStringLiteral("column"), QStringLiteral("schema")}, batch != nullptr);
    if (!a)
        return;
    const PyValue *column = a->get(QStringLiteral("column"));
    if (!column || column->kind() != PyValue::Call || column->args().isEmpty() || !column->args().first().isStr())
        return;
    const QString schema = batch ? batch->schema : a->str(QStringLiteral("schema"));
    const QString table = batch ? batch->table : a->str(QStringLiteral("table_name"));
    m_createdColumns.insert(schema + u'\n' + table + u'\n' + column->args().first().toStr());
}

void PlanReview::noteRenamed(const MigrationOp &op)
{
    auto a = OpArguments::bind(op, {QStringLiteral("old_table_name"), QStringLiteral("new_table_name"),
                                    QStringLiteral("schema")}, true);
    if (!a)
        return;
    const QString schema = a->str(QStringLiteral("schema"));
    const QString from = a->str(QStringLiteral("old_table_name"));
    const QString to = a->str(QStringLiteral("new_table_name"));
    if (tableCreated(schema, from))
        m_createdTables.insert(schema + u'\n' + to);
    else
        m_renamedTables.insert(schema + u'\n' + to, liveTable(schema, from));
}

QString PlanReview::liveTable(const QString &schema, const QString &table) const
{
    return m_renamedTables.value(schema + u'\n' + table, table);
}

bool PlanReview::tableCreated(const QString &schema, const QString &table) const
{
    return m_createdTables.contains(schema + u'\n' + table);
}

bool PlanReview::columnCreated(const QString &schema, const QString &table, const QString &column) const
{
    return tableCreated(schema, table) || m_createdColumns.contains(schema + u'\n' + table + u'\n' + column);
}

void PlanReview::dropTable(const MigrationOp &op, int step, PlanReviewReport &report)
{
    ReviewFinding f;
    f.kind = ReviewFinding::DropTable;
    if (!locate(op, {QStringLiteral("table_name"), QStringLiteral("schema")}, step, nullptr, f, report))
        return;
    const QString name = qualified(f.schema, f.table);
    if (tableCreated(f.schema, f.table)) {
        f.createdInRun = true;
        f.text = QCoreApplication::translate("retort::PlanReview", "drops table %1 (created earlier in this run)").arg(name);
    } else {
        f.count = m_counter.rows(f.schema, liveTable(f.schema, f.table));
        if (!f.count) {
            f.severity = ReviewFinding::DataLoss;
            f.text = QCoreApplication::translate("retort::PlanReview", "drops table %1 and its rows (not counted)").arg(name);
        } else if (*f.count == 0) {
            f.text = QCoreApplication::translate("retort::PlanReview", "drops table %1: it is empty").arg(name);
        } else {
            f.severity = ReviewFinding::DataLoss;
            f.text = (*f.count == 1 ? QCoreApplication::translate("retort::PlanReview", "drops table %1: 1 row").arg(name)
                                            : QCoreApplication::translate("retort::PlanReview", "drops table %1: %2 rows")
                                                  .arg(name, number(*f.count)));
        }
    }
    report.findings << f;
}

void PlanReview::dropColumn(const MigrationOp &op, int step, const Target *batch, PlanReviewReport &report)
{
    ReviewFinding f;
    f.kind = ReviewFinding::DropColumn;
    const auto a = locate(op, {QStringLiteral("table_name"), QStringLiteral("column_name"), QStringLiteral("schema")},
                          step, batch, f, report);
    if (!a)
        return;
    f.column = a->str(QStringLiteral("column_name"));
    const QString name = qualified(f.schema, f.table, f.column);
    if (columnCreated(f.schema, f.table, f.column)) {
        f.createdInRun = true;
        f.text = QCoreApplication::translate("retort::PlanReview", "drops column %1 (created earlier in this run)").arg(name);
    } else {
        f.count = m_counter.values(f.schema, liveTable(f.schema, f.table), f.column);
        f.severity = f.count && *f.count == 0 ? ReviewFinding::Info : ReviewFinding::DataLoss;
        f.text = f.count ? QCoreApplication::translate("retort::PlanReview", "drops column %1: %2").arg(name, rowsPhrase(*f.count, kHasValue))
                         : QCoreApplication::translate("retort::PlanReview", "drops column %1 and its values (not counted)").arg(name);
    }
    report.findings << f;
}

void PlanReview::alterColumn(const MigrationOp &op, int step, const Target *batch, PlanReviewReport &report)
{
    ReviewFinding base;
    const auto a = locate(op, {QStringLiteral("table_name"), QStringLiteral("column_name"), QStringLiteral("nullable"),
                               QStringLiteral("comment"), QStringLiteral("server_default"), QStringLiteral("new_column_name"),
                               QStringLiteral("type_"), QStringLiteral("existing_type"),
                               QStringLiteral("existing_server_default"), QStringLiteral("existing_nullable"),
                               QStringLiteral("existing_comment"), QStringLiteral("schema")},
                          step, batch, base, report);
    if (!a)
        return;
    base.column = a->str(QStringLiteral("column_name"));
    base.createdInRun = columnCreated(base.schema, base.table, base.column);
    const QString name = qualified(base.schema, base.table, base.column);
    const QString created = QCoreApplication::translate("retort::PlanReview", " (created earlier in this run)");

    const PyValue *type = a->get(QStringLiteral("type_"));
    if (type && !type->isNone()) {
        const PyValue *existing = a->get(QStringLiteral("existing_type"));
        const bool known = existing && !existing->isNone();
        const ReviewTypeShape to = ReviewTypeShape::of(*type);
        const ReviewTypeShape from = known ? ReviewTypeShape::of(*existing) : ReviewTypeShape();
        if (!known || ReviewTypeShape::isNarrowing(from, to)) {
            ReviewFinding f = base;
            f.kind = ReviewFinding::NarrowType;
            f.toType = typeText(*type);
            f.fromType = known ? typeText(*existing) : QString();
            const QString change = known ? QCoreApplication::translate("retort::PlanReview", "narrows %1 from %2 to %3").arg(name, f.fromType, f.toType)
                                         : QCoreApplication::translate("retort::PlanReview", "changes the type of %1 to %2 (the script does not name "
                                                                                     "the old type)").arg(name, f.toType);
            if (f.createdInRun) {
                f.text = change + created;
            } else if (known && from.family == to.family && to.length) {
                // Strings: the values that would not fit are cheap to count.
                f.fitCounted = true;
                f.count = m_counter.longerThan(f.schema, liveTable(f.schema, f.table), f.column, *to.length);
                f.severity = !f.count ? ReviewFinding::Warning
                                      : *f.count ? ReviewFinding::DataLoss : ReviewFinding::Info;
                f.text = change + (f.count ? QStringLiteral(": ") + rowsPhrase(*f.count, kHasLongerValue)
                                           : QCoreApplication::translate("retort::PlanReview", " (not counted)"));
            } else if (known && from.integerBytes && to.integerBytes) {
                // Integers: the values outside the smaller type's signed range.
                f.fitCounted = true;
                const qint64 max = (qint64(1) << (8 * to.integerBytes - 1)) - 1;
                f.count = m_counter.outside(f.schema, liveTable(f.schema, f.table), f.column, -max - 1, max);
                f.severity = !f.count ? ReviewFinding::Warning
                                      : *f.count ? ReviewFinding::DataLoss : ReviewFinding::Info;
                f.text = change + (f.count ? QStringLiteral(": ") + rowsPhrase(*f.count, kHasValueOutOfRange)
                                           : QCoreApplication::translate("retort::PlanReview", " (not counted)"));
            } else if (known && from.family == QLatin1String("Enum") && to.family == from.family) {
                // Enums: the rows holding a label the new type drops.
                QStringList dropped;
                for (const QString &label : from.enumValues)
                    if (!to.enumValues.contains(label))
                        dropped << label;
                f.fitCounted = true;
                f.count = m_counter.among(f.schema, liveTable(f.schema, f.table), f.column, dropped);
                f.severity = !f.count ? ReviewFinding::Warning
                                      : *f.count ? ReviewFinding::DataLoss : ReviewFinding::Info;
                f.text = change + (f.count ? QStringLiteral(": ") + rowsPhrase(*f.count, kHasDroppedLabel)
                                           : QCoreApplication::translate("retort::PlanReview", " (not counted)"));
            } else {
                f.count = m_counter.values(f.schema, liveTable(f.schema, f.table), f.column);
                f.severity = f.count && *f.count == 0 ? ReviewFinding::Info : ReviewFinding::Warning;
                f.text = change + (f.count ? QStringLiteral(": ") + rowsPhrase(*f.count, kHasValueToConvert)
                                           : QCoreApplication::translate("retort::PlanReview", " (not counted)"));
            }
            report.findings << f;
        }
    }

    const PyValue *nullable = a->get(QStringLiteral("nullable"));
    const PyValue *existingNullable = a->get(QStringLiteral("existing_nullable"));
    const bool alreadyNotNull = existingNullable && !existingNullable->isNone() && !existingNullable->truthy();
    if (nullable && !nullable->isNone() && !nullable->truthy() && !alreadyNotNull) {
        ReviewFinding f = base;
        f.kind = ReviewFinding::SetNotNull;
        if (f.createdInRun) {
            f.text = QCoreApplication::translate("retort::PlanReview", "sets NOT NULL on %1").arg(name) + created;
        } else {
            f.count = m_counter.nulls(f.schema, liveTable(f.schema, f.table), f.column);
            f.severity = f.count && *f.count == 0 ? ReviewFinding::Info : ReviewFinding::Warning;
            f.text = QCoreApplication::translate("retort::PlanReview", "sets NOT NULL on %1: ").arg(name)
                     + (f.count ? (*f.count ? rowsPhrase(*f.count, kIsNull)
                                                  + QCoreApplication::translate("retort::PlanReview", ", the statement fails on them")
                                            : QCoreApplication::translate("retort::PlanReview", "no row is NULL"))
                                : QCoreApplication::translate("retort::PlanReview", "fails if any row is NULL (not counted)"));
        }
        report.findings << f;
    }
}

void PlanReview::dropConstraint(const MigrationOp &op, int step, const Target *batch, PlanReviewReport &report)
{
    ReviewFinding f;
    f.kind = ReviewFinding::DropConstraint;
    const auto a = locate(op, {QStringLiteral("constraint_name"), QStringLiteral("table_name"), QStringLiteral("type_"),
                               QStringLiteral("schema")}, step, batch, f, report);
    if (!a)
        return;
    f.name = nameOf(a->get(QStringLiteral("constraint_name")));
    // One sentence per kind: translations inflect the noun and the pronoun after it.
    static const QHash<QString, const char *> kinds = {
        {QStringLiteral("foreignkey"), QT_TRANSLATE_NOOP("retort::PlanReview", "drops foreign key %1 on %2: the database stops enforcing it")},
        {QStringLiteral("unique"), QT_TRANSLATE_NOOP("retort::PlanReview", "drops unique constraint %1 on %2: the database stops enforcing it")},
        {QStringLiteral("check"), QT_TRANSLATE_NOOP("retort::PlanReview", "drops check constraint %1 on %2: the database stops enforcing it")},
        {QStringLiteral("primary"), QT_TRANSLATE_NOOP("retort::PlanReview", "drops primary key %1 on %2: the database stops enforcing it")}};
    const char *text = kinds.value(a->str(QStringLiteral("type_")),
                                   QT_TRANSLATE_NOOP("retort::PlanReview", "drops constraint %1 on %2: the database stops enforcing it"));
    f.text = QCoreApplication::translate("retort::PlanReview", text)
                 .arg(f.name, qualified(f.schema, f.table)).replace(QStringLiteral("  "), QStringLiteral(" "));
    report.findings << f;
}

void PlanReview::dropIndex(const MigrationOp &op, int step, const Target *batch, PlanReviewReport &report)
{
    ReviewFinding f;
    f.kind = ReviewFinding::DropIndex;
    const auto a = locate(op, {QStringLiteral("index_name"), QStringLiteral("table_name"), QStringLiteral("schema")},
                          step, batch, f, report);
    if (!a)
        return;
    f.name = nameOf(a->get(QStringLiteral("index_name")));
    f.text = f.table.isEmpty() ? QCoreApplication::translate("retort::PlanReview", "drops index %1").arg(f.name)
                               : QCoreApplication::translate("retort::PlanReview", "drops index %1 on %2").arg(f.name, qualified(f.schema, f.table));
    report.findings << f;
}

QString PlanReview::typeText(const PyValue &type) const
{
    if (m_connection) {
        if (auto sql = TypeRenderer::render(type, m_connection->dialect()))
            return *sql;
    }
    return type.repr();
}

} // namespace retort
