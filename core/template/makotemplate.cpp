#include "makotemplate.h"

#include "makocodeblock.h"
#include "makolexer.h"
#include "makobuiltins.h"
#include "makoexpression.h"
#include "python/pylimits.h"

#include <QFile>
#include <QRegularExpression>
#include <QScopeGuard>

namespace retort {

namespace {

// A node of the control-flow tree built from the flat MakoNode list.
struct Block
{
    enum Kind { Text, Expression, Code, If, For };
    Kind kind = Text;
    int line = 0;
    QString text;
    MakoExpression expr;                 // Expression; For: the iterable
    QStringList filters;
    MakoCodeBlock code;
    QStringList targets;               // For
    QVector<MakoExpression> conditions;  // If: one per branch; an `else` branch has none
    bool hasElse = false;
    QVector<QVector<Block>> branches;  // If: per branch; For: [0] is the body
};

} // namespace

struct MakoTemplate::Private
{
    QString fileName;
    QVector<MakoCodeBlock> moduleBlocks;
    QVector<Block> body;
};

namespace {

class TreeBuilder
{
public:
    TreeBuilder(const QVector<MakoNode> &nodes, const QString &fileName, MakoTemplate::Private &d)
        : m_nodes(nodes), m_fileName(fileName), m_d(d) {}

    Result<QVector<Block>> build()
    {
        QString stop;
        Result<QVector<Block>> body = parseUntil({}, &stop);
        if (body && m_index < m_nodes.size())
            return error(QStringLiteral("unexpected control line '%1'").arg(m_nodes.at(m_index).text));
        return body;
    }

private:
    Error error(const QString &message) const
    {
        const int line = m_index < m_nodes.size() ? m_nodes.at(m_index).line : 0;
        return Error(message, m_fileName, line);
    }

    Result<MakoExpression> expression(const QString &source, int line) const
    {
        Result<MakoExpression> e = MakoExpression::parse(source, true);
        if (!e)
            return Error(e.error().message, m_fileName, line);
        return e;
    }

    static QString clause(const MakoNode &node)   // "if x:" -> "x:" (the parser drops the ':')
    {
        return node.text.mid(node.keyword.size()).trimmed();
    }

    // Parses nodes until a control line whose keyword is in `stops` (left unconsumed).
    Result<QVector<Block>> parseUntil(const QStringList &stops, QString *stopped)
    {
        QVector<Block> out;
        while (m_index < m_nodes.size()) {
            const MakoNode &node = m_nodes.at(m_index);
            if (node.kind == MakoNode::Control) {
                const QString key = node.isEnd ? QStringLiteral("end") + node.keyword : node.keyword;
                if (stops.contains(key)) {
                    *stopped = key;
                    return out;
                }
                Result<Block> b = node.keyword == QLatin1String("if") && !node.isEnd ? parseIf()
                                : node.keyword == QLatin1String("for") && !node.isEnd ? parseFor()
                                : Result<Block>(error(QStringLiteral("unsupported or misplaced control line '%% %1'")
                                                          .arg(node.text)));
                if (!b)
                    return b.error();
                out.append(*b);
                continue;
            }
            Result<Block> b = leaf(node);
            if (!b)
                return b.error();
            ++m_index;
            if (b->kind != Block::Code || !node.module)
                out.append(*b);
        }
        if (!stops.isEmpty())
            return Error(QStringLiteral("Unterminated control keyword: '%1'").arg(stops.last().mid(3)),
                         m_fileName, m_nodes.isEmpty() ? 0 : m_nodes.last().line);
        return out;
    }

    Result<Block> leaf(const MakoNode &node)
    {
        Block b;
        b.line = node.line;
        b.text = node.text;
        if (node.kind == MakoNode::Text)
            return b;
        if (node.kind == MakoNode::Expression) {
            b.kind = Block::Expression;
            b.filters = node.filters;
            Result<MakoExpression> e = MakoExpression::parse(node.text);
            if (!e)
                return Error(e.error().message, m_fileName, node.line);
            if (e->isBareTuple())
                return Error(QStringLiteral("TypeError: Mako passes the bare tuple in ${%1} to str() as "
                                            "separate arguments; add parentheses").arg(node.text),
                             m_fileName, node.line);
            b.expr = *e;
            return b;
        }
        b.kind = Block::Code;
        Result<MakoCodeBlock> code = MakoCodeBlock::parse(node.text, m_fileName, node.line);
        if (!code)
            return code.error();
        b.code = *code;
        if (node.module)
            m_d.moduleBlocks.append(*code);
        return b;
    }

    // Control lines nest by recursion. Mako indents the Python it generates one level per
    // control line, inside two levels of its own, and Python refuses the 100th level: Mako
    // 1.2 fails on the 98th nested control line.
    Result<void> enterControl()
    {
        if (m_depth >= PyLimits::MaxIndentDepth - 3)
            return error(QStringLiteral("IndentationError: %1")
                             .arg(QLatin1StringView(PyLimits::TooManyIndents)));
        ++m_depth;
        return {};
    }

    Result<Block> parseIf()
    {
        if (auto r = enterControl(); !r)
            return r.error();
        const auto leave = qScopeGuard([this] { --m_depth; });
        Block b;
        b.kind = Block::If;
        b.line = m_nodes.at(m_index).line;
        const QStringList stops = {QStringLiteral("elif"), QStringLiteral("else"), QStringLiteral("endif")};
        QString stopped = QStringLiteral("if");
        while (stopped != QLatin1String("endif")) {
            const MakoNode &head = m_nodes.at(m_index);
            if (b.hasElse)
                return error(QStringLiteral("'%1' after 'else'").arg(head.keyword));
            if (stopped == QLatin1String("else")) {
                b.hasElse = true;
            } else {
                Result<MakoExpression> cond = expression(clause(head), head.line);
                if (!cond)
                    return cond.error();
                b.conditions.append(*cond);
            }
            ++m_index;
            Result<QVector<Block>> branch = parseUntil(stops, &stopped);
            if (!branch)
                return branch.error();
            b.branches.append(*branch);
        }
        ++m_index;   // the endif
        return b;
    }

    Result<Block> parseFor()
    {
        static const QRegularExpression re(QStringLiteral("^for\\s+(.+?)\\s+in\\s+(.+?):?$"),
                                           QRegularExpression::DotMatchesEverythingOption);
        if (auto r = enterControl(); !r)
            return r.error();
        const auto leave = qScopeGuard([this] { --m_depth; });
        const MakoNode &head = m_nodes.at(m_index);
        const QRegularExpressionMatch m = re.match(head.text);
        if (!m.hasMatch())
            return error(QStringLiteral("unsupported for loop '%1'").arg(head.text));
        Block b;
        b.kind = Block::For;
        b.line = head.line;
        QString targets = m.captured(1).trimmed();
        if (targets.startsWith(QLatin1Char('(')) && targets.endsWith(QLatin1Char(')')))
            targets = targets.mid(1, targets.size() - 2);
        for (const QString &t : targets.split(QLatin1Char(',')))
            if (!t.trimmed().isEmpty())
                b.targets.append(t.trimmed());
        Result<MakoExpression> iterable = expression(m.captured(2), head.line);
        if (!iterable)
            return iterable.error();
        b.expr = *iterable;
        ++m_index;
        QString stopped;
        Result<QVector<Block>> body = parseUntil({QStringLiteral("endfor")}, &stopped);
        if (!body)
            return body.error();
        b.branches.append(*body);
        ++m_index;
        return b;
    }

    const QVector<MakoNode> &m_nodes;
    QString m_fileName;
    MakoTemplate::Private &m_d;
    int m_index = 0;
    int m_depth = 0;   // nested control lines being parsed
};

class Renderer
{
public:
    Renderer(const MakoTemplate::Private &d, const QMap<QString, MakoValue> &data)
        : m_d(d), m_data(data) {}

    Result<QString> run()
    {
        const MakoLookup lookup = [this](const QString &n) { return resolve(n); };
        for (const MakoCodeBlock &block : m_d.moduleBlocks) {
            Result<void> r = block.execute(m_module, lookup);
            if (!r)
                return r.error();
        }
        Result<void> r = renderBlocks(m_d.body);
        if (!r)
            return r.error();
        return m_out;
    }

private:
    // Locals, then render arguments, then module-level names, then builtins.
    MakoValue resolve(const QString &name) const
    {
        if (m_locals.contains(name))
            return m_locals.value(name);
        if (m_data.contains(name))
            return m_data.value(name);
        if (m_module.contains(name))
            return m_module.value(name);
        if (name == QLatin1String("context"))
            return contextObject();
        if (name == QLatin1String("UNDEFINED"))
            return MakoValue();
        return MakoBuiltins::builtin(name);
    }

    MakoValue contextObject() const
    {
        const QMap<QString, MakoValue> data = m_data;
        using R = Result<MakoValue>;
        auto get = [data](const MakoArgs &a, const MakoKwargs &) -> R {
            const QString key = a.value(0).toStr();
            return data.contains(key) ? data.value(key) : (a.size() > 1 ? a.at(1) : MakoValue::none());
        };
        auto getitem = [data](const MakoArgs &a, const MakoKwargs &) -> R {
            const QString key = a.value(0).toStr();
            if (!data.contains(key))
                return Error(QStringLiteral("KeyError: %1").arg(a.value(0).pyRepr()));
            return data.value(key);
        };
        auto keys = [data](const MakoArgs &, const MakoKwargs &) -> R { return MakoValue::strTuple(data.keys()); };
        return MakoValue::object(QStringLiteral("<mako.runtime.Context object>"),
                               {{QStringLiteral("get"), MakoValue::function(QStringLiteral("get"), get)},
                                {QStringLiteral("__getitem__"), MakoValue::function(QStringLiteral("__getitem__"), getitem)},
                                {QStringLiteral("keys"), MakoValue::function(QStringLiteral("keys"), keys)}});
    }

    Error fail(const Error &e, int line) const
    {
        return e.file.isEmpty() ? Error(e.message, m_d.fileName, line) : e;
    }

    Result<void> renderExpression(const Block &b, const MakoLookup &lookup)
    {
        Result<MakoValue> v = b.expr.evaluate(lookup);
        if (!v)
            return fail(v.error(), b.line);
        QStringList filters = b.filters;
        if (!filters.contains(QStringLiteral("n")))
            filters.prepend(QStringLiteral("str"));   // Mako's default_filters
        MakoValue value = *v;
        for (const QString &name : filters) {
            if (name == QLatin1String("n"))
                continue;
            MakoValue filter = MakoBuiltins::makoFilter(name);
            if (filter.isUndefined())
                filter = resolve(name);
            Result<MakoValue> filtered = filter.call({value});
            if (!filtered)
                return fail(filtered.error(), b.line);
            value = *filtered;
        }
        if (!value.isStr())
            return fail(Error(QStringLiteral("TypeError: expected str instance, %1 found").arg(value.typeName())), b.line);
        m_out += value.toStr();
        return {};
    }

    Result<void> renderBlocks(const QVector<Block> &blocks)
    {
        const MakoLookup lookup = [this](const QString &n) { return resolve(n); };
        for (const Block &b : blocks) {
            Result<void> r = renderBlock(b, lookup);
            if (!r)
                return r;
        }
        return {};
    }

    Result<void> renderBlock(const Block &b, const MakoLookup &lookup)
    {
        switch (b.kind) {
        case Block::Text:
            m_out += b.text;
            return {};
        case Block::Expression:
            return renderExpression(b, lookup);
        case Block::Code:
            return b.code.execute(m_locals, lookup);
        case Block::If:
            for (int i = 0; i < b.branches.size(); ++i) {
                if (i < b.conditions.size()) {
                    Result<MakoValue> c = b.conditions.at(i).evaluate(lookup);
                    if (!c)
                        return fail(c.error(), b.line);
                    if (!c->truthy())
                        continue;
                }
                return renderBlocks(b.branches.at(i));
            }
            return {};
        case Block::For:
            return renderFor(b, lookup);
        }
        return {};
    }

    Result<void> renderFor(const Block &b, const MakoLookup &lookup)
    {
        Result<MakoValue> iterable = b.expr.evaluate(lookup);
        if (!iterable)
            return fail(iterable.error(), b.line);
        Result<MakoValue> items = MakoBuiltins::builtin(QStringLiteral("list")).call({*iterable});
        if (!items)
            return fail(items.error(), b.line);
        const MakoArgs &all = items->items();
        const bool hadLoop = m_locals.contains(QStringLiteral("loop"));
        const MakoValue outerLoop = m_locals.value(QStringLiteral("loop"));
        for (int i = 0; i < all.size(); ++i) {
            const MakoValue &item = all.at(i);
            m_locals.insert(QStringLiteral("loop"), loopContext(i, int(all.size())));
            Result<void> assigned = MakoCodeBlock::assign(b.targets, item, m_locals);
            if (!assigned)
                return fail(assigned.error(), b.line);
            Result<void> r = renderBlocks(b.branches.first());
            if (!r)
                return r;
        }
        if (hadLoop)   // an enclosing loop's `loop` comes back into view
            m_locals.insert(QStringLiteral("loop"), outerLoop);
        else
            m_locals.remove(QStringLiteral("loop"));
        return {};
    }

    // Mako's LoopContext (enable_loop is on by default): the common attributes.
    static MakoValue loopContext(int index, int size)
    {
        return MakoValue::object(QStringLiteral("<mako.runtime.LoopContext object>"),
                                 {{QStringLiteral("index"), MakoValue::integer(index)},
                                  {QStringLiteral("reverse_index"), MakoValue::integer(size - index - 1)},
                                  {QStringLiteral("first"), MakoValue::boolean(index == 0)},
                                  {QStringLiteral("last"), MakoValue::boolean(index == size - 1)},
                                  {QStringLiteral("even"), MakoValue::boolean(index % 2 == 0)},
                                  {QStringLiteral("odd"), MakoValue::boolean(index % 2 == 1)}});
    }

    const MakoTemplate::Private &m_d;
    const QMap<QString, MakoValue> &m_data;
    QMap<QString, MakoValue> m_module;
    QMap<QString, MakoValue> m_locals;
    QString m_out;
};

} // namespace

Result<MakoTemplate> MakoTemplate::fromFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error(QStringLiteral("Can't read template: %1").arg(f.errorString()), path);
    QString text = QString::fromUtf8(f.readAll());
    if (text.startsWith(QChar(0xFEFF)))   // Mako drops a UTF-8 byte order mark
        text.remove(0, 1);
    return parse(text, path);
}

Result<MakoTemplate> MakoTemplate::parse(const QString &text, const QString &fileName)
{
    Result<QVector<MakoNode>> nodes = MakoLexer(text, fileName).lex();
    if (!nodes)
        return nodes.error();
    auto d = QSharedPointer<Private>::create();
    d->fileName = fileName;
    Result<QVector<Block>> body = TreeBuilder(*nodes, fileName, *d).build();
    if (!body)
        return body.error();
    d->body = *body;
    MakoTemplate t;
    t.d = d;
    return t;
}

Result<QString> MakoTemplate::render(const QMap<QString, MakoValue> &variables) const
{
    return Renderer(*d, variables).run();
}

MakoValue MakoTemplate::configObject(const ConfigLookup &lookup, const QString &mainSection)
{
    using R = Result<MakoValue>;
    auto option = [lookup](const QString &section, const MakoArgs &a, const MakoKwargs &kw, int at) -> R {
        const std::optional<QString> v = lookup(section, a.value(at).toStr());
        if (v)
            return MakoValue::str(*v);
        if (a.size() > at + 1)
            return a.at(at + 1);
        return kw.value(QStringLiteral("default"), MakoValue::none());
    };
    auto main = [option, mainSection](const MakoArgs &a, const MakoKwargs &kw) -> R {
        return option(mainSection, a, kw, 0);
    };
    auto section = [option](const MakoArgs &a, const MakoKwargs &kw) -> R {
        return option(a.value(0).toStr(), a, kw, 1);
    };
    return MakoValue::object(QStringLiteral("<alembic.config.Config object>"),
                           {{QStringLiteral("get_main_option"), MakoValue::function(QStringLiteral("get_main_option"), main)},
                            {QStringLiteral("get_section_option"), MakoValue::function(QStringLiteral("get_section_option"), section)},
                            {QStringLiteral("config_ini_section"), MakoValue::str(mainSection)}});
}

MakoValue MakoTemplate::configObject(const QMap<QString, QString> &mainOptions)
{
    return configObject([mainOptions](const QString &, const QString &key) -> std::optional<QString> {
        if (mainOptions.contains(key))
            return mainOptions.value(key);
        return std::nullopt;
    });
}

} // namespace retort
