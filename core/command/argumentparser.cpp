#include "argumentparser.h"

#include <QRegularExpression>

#include <algorithm>

#ifdef Q_OS_UNIX
#include <sys/ioctl.h>
#include <unistd.h>
#endif

namespace retort {

struct ArgumentParser::Sub
{
    QString name;
    QString help;
    bool hidden = false;
    std::unique_ptr<ArgumentParser> parser;
};

namespace {

// textwrap.wrap with whitespace collapsed, as argparse's HelpFormatter does.
QStringList wrapWords(const QString &text, int width)
{
    const QStringList words = text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QStringList lines;
    QString line;
    for (const QString &w : words) {
        if (!line.isEmpty() && line.size() + 1 + w.size() > width) {
            lines << line;
            line.clear();
        }
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + w;
    }
    if (!line.isEmpty())
        lines << line;
    return lines;
}

bool looksLikeNegativeNumber(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^-\\d+$|^-\\d*\\.\\d+$"));
    return re.match(s).hasMatch();
}

} // namespace

ArgumentParser::ArgumentParser(QString prog) : m_prog(std::move(prog))
{
    ArgumentSpec help;
    help.kind = ArgumentSpec::Help;
    help.flags = {QStringLiteral("-h"), QStringLiteral("--help")};
    help.dest = QStringLiteral("help");
    help.help = QStringLiteral("show this help message and exit");
    m_specs << help;
}

ArgumentParser::~ArgumentParser() = default;

void ArgumentParser::addArgument(ArgumentSpec spec)
{
    if (spec.metavar.isEmpty()) {
        spec.metavar = spec.kind == ArgumentSpec::Positional ? spec.dest : spec.dest.toUpper();
    }
    m_specs << spec;
}

ArgumentParser &ArgumentParser::addSubcommand(const QString &name, const QString &help, bool hidden)
{
    auto sub = std::make_shared<Sub>();
    sub->name = name;
    sub->help = help;
    sub->hidden = hidden;
    sub->parser = std::make_unique<ArgumentParser>(m_prog + QLatin1Char(' ') + name);
    sub->parser->m_width = m_width;
    m_subs << sub;
    std::sort(m_subs.begin(), m_subs.end(),
              [](const auto &a, const auto &b) { return a->name < b->name; });
    return *sub->parser;
}

int ArgumentParser::textWidth()
{
    bool ok = false;
    int columns = qEnvironmentVariableIntValue("COLUMNS", &ok);
    if (!ok || columns <= 0) {
        columns = 80;
#ifdef Q_OS_UNIX
        winsize ws{};
        if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
            columns = ws.ws_col;
#endif
    }
    return columns - 2;
}

QVector<const ArgumentSpec *> ArgumentParser::optionals() const
{
    QVector<const ArgumentSpec *> out;
    for (const auto &s : m_specs)
        if (s.kind != ArgumentSpec::Positional && !s.hidden)
            out << &s;
    return out;
}

QVector<const ArgumentSpec *> ArgumentParser::positionals() const
{
    QVector<const ArgumentSpec *> out;
    for (const auto &s : m_specs)
        if (s.kind == ArgumentSpec::Positional)
            out << &s;
    return out;
}

QString ArgumentParser::choicesMetavar() const
{
    QStringList names;
    for (const auto &s : m_subs)
        if (!s->hidden)
            names << s->name;
    return QLatin1Char('{') + names.join(QLatin1Char(',')) + QLatin1Char('}');
}

QString ArgumentParser::usageFragment(const ArgumentSpec &spec) const
{
    switch (spec.kind) {
    case ArgumentSpec::Positional:
        if (spec.nargs == ArgumentSpec::OneOrMore)
            return QStringLiteral("%1 [%1 ...]").arg(spec.metavar);
        if (spec.nargs == ArgumentSpec::Optional)
            return QStringLiteral("[%1]").arg(spec.metavar);
        return spec.metavar;
    case ArgumentSpec::Value:
    case ArgumentSpec::Append:
        return QStringLiteral("[%1 %2]").arg(spec.flags.first(), spec.metavar);
    default:
        return QStringLiteral("[%1]").arg(spec.flags.first());
    }
}

QString ArgumentParser::invocation(const ArgumentSpec &spec) const
{
    if (spec.kind == ArgumentSpec::Positional)
        return spec.metavar;
    QStringList parts;
    for (const QString &f : spec.flags) {
        const bool takesValue = spec.kind == ArgumentSpec::Value || spec.kind == ArgumentSpec::Append;
        parts << (takesValue ? f + QLatin1Char(' ') + spec.metavar : f);
    }
    return parts.join(QStringLiteral(", "));
}

QString ArgumentParser::formatUsage() const
{
    const int width = m_width > 0 ? m_width : textWidth();
    const QString prefix = QStringLiteral("usage: ");
    QStringList optParts, posParts;
    for (const auto *s : optionals())
        optParts << usageFragment(*s);
    for (const auto *s : positionals())
        posParts << usageFragment(*s);
    if (!m_subs.isEmpty())
        posParts << choicesMetavar() << QStringLiteral("...");

    const QString full = (QStringList{m_prog} + optParts + posParts).join(QLatin1Char(' '));
    if (prefix.size() + full.size() <= width)
        return prefix + full + QLatin1Char('\n');

    // argparse's wrapping: parts flow after the program name, positionals on new lines.
    auto lines = [width](const QStringList &parts, const QString &indent, bool withPrefix,
                         int prefixLen) {
        QStringList out;
        QStringList line;
        int len = (withPrefix ? prefixLen : indent.size()) - 1;
        for (const QString &p : parts) {
            if (len + 1 + p.size() > width && !line.isEmpty()) {
                out << indent + line.join(QLatin1Char(' '));
                line.clear();
                len = indent.size() - 1;
            }
            line << p;
            len += p.size() + 1;
        }
        if (!line.isEmpty())
            out << indent + line.join(QLatin1Char(' '));
        if (withPrefix && !out.isEmpty())
            out[0] = out[0].mid(indent.size());
        return out;
    };
    QStringList result;
    if (prefix.size() + m_prog.size() <= 0.75 * width) {
        const QString indent(prefix.size() + m_prog.size() + 1, QLatin1Char(' '));
        if (!optParts.isEmpty()) {
            result = lines(QStringList{m_prog} + optParts, indent, true, prefix.size());
            result += lines(posParts, indent, false, 0);
        } else {
            result = lines(QStringList{m_prog} + posParts, indent, true, prefix.size());
        }
    } else {
        const QString indent(prefix.size(), QLatin1Char(' '));
        result = lines(optParts + posParts, indent, false, 0);
        if (result.size() > 1)
            result = lines(optParts, indent, false, 0) + lines(posParts, indent, false, 0);
        result.prepend(m_prog);
    }
    return prefix + result.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QString ArgumentParser::formatHelp() const
{
    const int width = m_width > 0 ? m_width : textWidth();
    const int maxHelpPosition = std::min(24, std::max(width - 20, 4));

    struct Row { QString invocation; QString help; int indent; };
    QVector<Row> posRows, optRows;
    for (const auto *s : positionals())
        posRows << Row{invocation(*s), s->help, 2};
    if (!m_subs.isEmpty()) {
        posRows << Row{choicesMetavar(), QString(), 2};
        for (const auto &sub : m_subs)
            if (!sub->hidden)
                posRows << Row{sub->name, sub->help, 4};
    }
    for (const auto *s : optionals())
        optRows << Row{invocation(*s), s->help, 2};

    int maxLen = 0;
    for (const auto &rows : {posRows, optRows})
        for (const Row &r : rows)
            maxLen = std::max(maxLen, int(r.invocation.size()) + r.indent);
    const int helpPosition = std::min(maxLen + 2, maxHelpPosition);
    const int helpWidth = std::max(width - helpPosition, 11);

    auto section = [&](const QString &title, const QVector<Row> &rows) {
        QString out = title + QStringLiteral(":\n");
        for (const Row &r : rows) {
            const QString head = QString(r.indent, QLatin1Char(' ')) + r.invocation;
            const QStringList helpLines = wrapWords(r.help, helpWidth);
            if (helpLines.isEmpty()) {
                out += head + QLatin1Char('\n');
                continue;
            }
            if (head.size() <= helpPosition - 2)
                out += head.leftJustified(helpPosition) + helpLines.first() + QLatin1Char('\n');
            else
                out += head + QLatin1Char('\n') + QString(helpPosition, QLatin1Char(' '))
                       + helpLines.first() + QLatin1Char('\n');
            for (int i = 1; i < helpLines.size(); ++i)
                out += QString(helpPosition, QLatin1Char(' ')) + helpLines.at(i) + QLatin1Char('\n');
        }
        return out;
    };

    QString text = formatUsage() + QLatin1Char('\n');
    if (!posRows.isEmpty())
        text += section(QStringLiteral("positional arguments"), posRows) + QLatin1Char('\n');
    text += section(QStringLiteral("options"), optRows);
    // After argparse's own text, which stays byte-identical to Alembic's above it.
    QVector<Row> epilogRows;
    for (const auto &s : m_specs)
        if (s.inEpilog)
            epilogRows << Row{invocation(s), s.help, 2};
    if (!m_epilogTitle.isEmpty() && !epilogRows.isEmpty())
        text += QLatin1Char('\n') + section(m_epilogTitle, epilogRows);
    return text;
}

ParseOutcome ArgumentParser::fail(const QString &message) const
{
    ParseOutcome o;
    o.proceed = false;
    o.exitCode = 2;
    o.stderrText = formatUsage() + QStringLiteral("%1: error: %2\n").arg(m_prog, message);
    return o;
}

const ArgumentSpec *ArgumentParser::findOption(const QString &token, QString *error) const
{
    for (const auto &s : m_specs)
        if (s.flags.contains(token))
            return &s;
    if (!token.startsWith(QLatin1String("--")))
        return nullptr;
    // argparse accepts unambiguous prefixes of long options.
    QVector<const ArgumentSpec *> hits;
    QStringList names;
    for (const auto &s : m_specs)
        for (const QString &f : s.flags)
            if (f.startsWith(QLatin1String("--")) && f.startsWith(token)) {
                hits << &s;
                names << f;
            }
    if (hits.size() > 1)
        *error = QStringLiteral("ambiguous option: %1 could match %2").arg(token, names.join(QStringLiteral(", ")));
    return hits.size() == 1 ? hits.first() : nullptr;
}

ParseOutcome ArgumentParser::parse(const QStringList &args, ParsedArguments *out) const
{
    QStringList unrecognized;
    ParseOutcome o = parseInto(args, 0, out, &unrecognized);
    if (o.proceed && !unrecognized.isEmpty())
        return fail(QStringLiteral("unrecognized arguments: %1").arg(unrecognized.join(QLatin1Char(' '))));
    return o;
}

ParseOutcome ArgumentParser::parseInto(const QStringList &args, int start, ParsedArguments *out,
                                       QStringList *unrecognized) const
{
    const auto pos = positionals();
    int posIndex = 0;
    bool onlyPositional = false;
    for (const auto &s : m_specs)
        if (s.kind == ArgumentSpec::Value && !s.defaultValue.isNull())
            out->values[s.dest] = QStringList{s.defaultValue};

    for (int i = start; i < args.size(); ++i) {
        const QString &a = args.at(i);
        const bool optionLike = !onlyPositional && a.size() > 1 && a.startsWith(QLatin1Char('-'))
                                && !looksLikeNegativeNumber(a);
        if (!onlyPositional && a == QLatin1String("--")) {
            onlyPositional = true;
            continue;
        }
        if (!optionLike) {
            if (posIndex < pos.size()) {
                const ArgumentSpec *p = pos.at(posIndex++);
                QStringList vals{a};
                if (p->nargs == ArgumentSpec::OneOrMore) {
                    while (i + 1 < args.size() && !(args.at(i + 1).startsWith(QLatin1Char('-'))
                                                    && !looksLikeNegativeNumber(args.at(i + 1))))
                        vals << args.at(++i);
                }
                out->values[p->dest] = vals;
                continue;
            }
            if (!m_subs.isEmpty() && out->command.isEmpty()) {
                for (const auto &sub : m_subs) {
                    if (sub->name == a) {
                        out->command = a;
                        return sub->parser->parseInto(args, i + 1, out, unrecognized);
                    }
                }
                QStringList quoted;
                for (const auto &sub : m_subs)
                    if (!sub->hidden)
                        quoted << QLatin1Char('\'') + sub->name + QLatin1Char('\'');
                return fail(QStringLiteral("argument %1: invalid choice: '%2' (choose from %3)")
                                .arg(choicesMetavar(), a, quoted.join(QStringLiteral(", "))));
            }
            *unrecognized << a;
            continue;
        }

        QString flag = a, attached;
        bool hasAttached = false;
        if (a.startsWith(QLatin1String("--")) && a.contains(QLatin1Char('='))) {
            flag = a.section(QLatin1Char('='), 0, 0);
            attached = a.section(QLatin1Char('='), 1);
            hasAttached = true;
        } else if (!a.startsWith(QLatin1String("--")) && a.size() > 2) {
            flag = a.left(2);
            attached = a.mid(2);
            hasAttached = true;
        }
        QString error;
        const ArgumentSpec *spec = findOption(flag, &error);
        if (!error.isEmpty())
            return fail(error);
        if (!spec) {
            *unrecognized << a;
            continue;
        }
        const QString name = spec->flags.join(QLatin1Char('/'));
        switch (spec->kind) {
        case ArgumentSpec::Help: {
            ParseOutcome o;
            o.proceed = false;
            o.stdoutText = formatHelp();
            return o;
        }
        case ArgumentSpec::Version: {
            ParseOutcome o;
            o.proceed = false;
            o.stdoutText = spec->help + QLatin1Char('\n');
            return o;
        }
        case ArgumentSpec::Flag:
            out->values[spec->dest] = QStringList{QStringLiteral("1")};
            if (hasAttached) {
                if (a.startsWith(QLatin1String("--")))
                    return fail(QStringLiteral("argument %1: ignored explicit argument '%2'").arg(name, attached));
                // Combined short options such as -vi or -vrbase:head.
                for (int k = 0; k < attached.size(); ++k) {
                    const ArgumentSpec *next = findOption(QLatin1Char('-') + attached.at(k), &error);
                    if (!next) {
                        *unrecognized << a;
                        break;
                    }
                    if (next->kind == ArgumentSpec::Flag) {
                        out->values[next->dest] = QStringList{QStringLiteral("1")};
                        continue;
                    }
                    if (next->kind != ArgumentSpec::Value && next->kind != ArgumentSpec::Append)
                        return parseInto(QStringList{QLatin1Char('-') + attached.at(k)}, 0, out, unrecognized);
                    QString v = attached.mid(k + 1);
                    if (v.isEmpty()) {
                        if (i + 1 >= args.size())
                            return fail(QStringLiteral("argument %1: expected one argument")
                                            .arg(next->flags.join(QLatin1Char('/'))));
                        v = args.at(++i);
                    }
                    if (next->kind == ArgumentSpec::Append)
                        out->values[next->dest] << v;
                    else
                        out->values[next->dest] = QStringList{v};
                    break;
                }
            }
            break;
        case ArgumentSpec::Value:
        case ArgumentSpec::Append: {
            QString value = attached;
            if (!hasAttached) {
                if (i + 1 >= args.size() || (args.at(i + 1).startsWith(QLatin1Char('-'))
                                             && args.at(i + 1).size() > 1
                                             && !looksLikeNegativeNumber(args.at(i + 1))))
                    return fail(QStringLiteral("argument %1: expected one argument").arg(name));
                value = args.at(++i);
            }
            if (spec->kind == ArgumentSpec::Append)
                out->values[spec->dest] << value;
            else
                out->values[spec->dest] = QStringList{value};
            break;
        }
        case ArgumentSpec::Positional:
            break;
        }
    }

    QStringList missing;
    for (int k = posIndex; k < pos.size(); ++k)
        if (pos.at(k)->nargs != ArgumentSpec::Optional)
            missing << pos.at(k)->metavar;
    if (!missing.isEmpty())
        return fail(QStringLiteral("the following arguments are required: %1").arg(missing.join(QStringLiteral(", "))));
    return {};
}

} // namespace retort
