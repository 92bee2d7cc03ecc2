#pragma once
// A small re-implementation of the parts of Python's argparse that Alembic's command
// line uses, so that `retort` accepts the same arguments and prints the same usage,
// help and error texts (exit code 2 on argument errors), only with our program name.

#include <QMap>
#include <QString>
#include <QStringList>
#include <QVector>
#include <memory>

namespace retort {

struct ArgumentSpec
{
    enum Kind { Flag, Value, Append, Positional, Help, Version };
    enum Nargs { One, OneOrMore, Optional };   // Optional: nargs='?'

    Kind kind = Flag;
    QStringList flags;     // "-r", "--rev-range"; empty for positionals
    QString dest;          // key in ParsedArguments::values
    QString metavar;       // shown in usage; defaults to dest upper-cased (options) or dest
    QString help;
    Nargs nargs = One;     // positionals only
    QString defaultValue;  // for Value options
    bool hidden = false;   // argparse.SUPPRESS: accepted, but absent from usage and help
    // Hidden from argparse's usage and option list, but listed in the epilog section
    // (Retort's own options, below Alembic's unchanged help text).
    bool inEpilog = false;
};

struct ParsedArguments
{
    QString command;                       // chosen sub-command, empty when none
    QMap<QString, QStringList> values;     // dest -> values (flags: {"1"})

    bool flag(const QString &dest) const { return values.contains(dest); }
    QString value(const QString &dest, const QString &fallback = {}) const
    {
        const auto it = values.constFind(dest);
        return it == values.constEnd() || it->isEmpty() ? fallback : it->last();
    }
    QStringList list(const QString &dest) const { return values.value(dest); }
};

// What the caller must do after parsing: carry on, or print text and exit.
struct ParseOutcome
{
    bool proceed = true;
    int exitCode = 0;
    QString stdoutText;
    QString stderrText;
};

class ArgumentParser
{
public:
    explicit ArgumentParser(QString prog);
    ~ArgumentParser();
    ArgumentParser(const ArgumentParser &) = delete;
    ArgumentParser &operator=(const ArgumentParser &) = delete;

    void addArgument(ArgumentSpec spec);
    // hidden: accepted, but not listed in usage, help or the invalid-choice message
    // (Retort's own commands, so that Alembic's texts stay as they are).
    ArgumentParser &addSubcommand(const QString &name, const QString &help, bool hidden = false);

    ParseOutcome parse(const QStringList &args, ParsedArguments *out) const;

    QString formatUsage() const;
    QString formatHelp() const;
    // parser.error(message): this parser's usage, "<prog>: error: <message>", exit 2.
    ParseOutcome error(const QString &message) const { return fail(message); }
    // Terminal width as argparse sees it (COLUMNS, else the tty, else 80) minus 2.
    static int textWidth();
    void setWidth(int width) { m_width = width; }
    // A section after argparse's help, listing the inEpilog options ("Retort options").
    void setEpilogTitle(const QString &title) { m_epilogTitle = title; }

private:
    struct Sub;
    ParseOutcome fail(const QString &message) const;
    ParseOutcome parseInto(const QStringList &args, int start, ParsedArguments *out,
                           QStringList *unrecognized) const;
    const ArgumentSpec *findOption(const QString &token, QString *error) const;
    QString invocation(const ArgumentSpec &spec) const;
    QString usageFragment(const ArgumentSpec &spec) const;
    QString choicesMetavar() const;
    QVector<const ArgumentSpec *> optionals() const;
    QVector<const ArgumentSpec *> positionals() const;

    QString m_prog;
    QString m_epilogTitle;
    int m_width = 0;
    QVector<ArgumentSpec> m_specs;
    QVector<std::shared_ptr<Sub>> m_subs;
};

} // namespace retort
