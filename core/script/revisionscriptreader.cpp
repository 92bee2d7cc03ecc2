#include "revisionscriptreader.h"

#include "revisionheaderscan.h"

#include "python/pylexer.h"
#include "python/pymodulescanner.h"

#include <QFileInfo>
#include <QRegularExpression>

namespace retort {

namespace {

const QRegularExpression &sourceRe()
{
    static const QRegularExpression re(QStringLiteral("\\A(?!\\.\\#|__init__)(.*\\.py)$"));
    return re;
}

const QRegularExpression &sourcelessRe()
{
    static const QRegularExpression re(QStringLiteral("\\A(?!\\.\\#|__init__)(.*\\.py)(c|o)?$"));
    return re;
}

// Python's module id for a loaded file: re.sub(r"\W", "_", filename).
QString moduleId(const QString &fileName)
{
    QString id = fileName;
    for (QChar &c : id)
        if (!(c.isLetterOrNumber() || c == u'_'))
            c = u'_';
    return id;
}

Error valueError(const QString &path, const PyBinding *b, const QString &what)
{
    return Error(QStringLiteral("%1 cannot be read statically: %2").arg(b->name, what), path, b->line);
}

// util.to_tuple on a str / tuple / list / None value.
Result<QStringList> stringTuple(const QString &path, const PyModule &m, const QString &name)
{
    const PyBinding *b = m.binding(name);
    if (!b)
        return QStringList();
    if (!b->evaluable)
        return valueError(path, b, b->reason);
    bool ok = false;
    const auto list = b->value.toStringTuple(&ok);
    if (!ok)
        return valueError(path, b, QStringLiteral("expected None, a string, or a tuple/list of strings, got %1")
                                       .arg(b->value.repr()));
    return list.value_or(QStringList());
}

// The fast path's answer, when it has one and reading it raises no error.
std::optional<Revision> fromHeader(const QString &source, const QString &path)
{
    const auto h = RevisionHeaderScan::scan(source);
    if (!h || !h->revision.isStr || !h->downRevision.bound)
        return std::nullopt;
    Revision rev;
    rev.path = path;
    rev.id = h->revision.items.first();
    rev.downRevisions = h->downRevision.items;
    if (rev.downRevisions == QStringList{QString()})
        rev.downRevisions.clear();
    rev.branchLabels = h->branchLabels.items;
    rev.dependsOn = h->dependsOn.items;
    if (h->hasDocstring)
        rev.longDoc = h->docstring.trimmed();
    return rev;
}

} // namespace

bool RevisionScriptReader::isCandidate(const QString &dir, const QString &fileName, bool sourceless)
{
    // The common case without the regex (it showed in the profile); a line break in the
    // name is left to the regex, whose `$` also matches before a final newline.
    if (!sourceless && !fileName.contains(u'\n'))
        return fileName.endsWith(QLatin1StringView(".py"))
               && !fileName.startsWith(QLatin1StringView(".#"))
               && !fileName.startsWith(QLatin1StringView("__init__"));
    const auto m = (sourceless ? sourcelessRe() : sourceRe()).match(fileName);
    if (!m.hasMatch())
        return false;
    const QString kind = sourceless ? m.captured(2) : QString();
    if (kind.isEmpty())
        return true;
    // Prefer .py over .pyc (source encoding) and .pyc over .pyo (docstrings).
    const QString py = dir + u'/' + m.captured(1);
    return !(QFileInfo::exists(py) || (kind == u"o" && QFileInfo::exists(py + u'c')));
}

Result<std::optional<Revision>> RevisionScriptReader::readEntry(const QString &dir,
                                                                const QString &fileName,
                                                                bool sourceless)
{
    if (!isCandidate(dir, fileName, sourceless))
        return std::optional<Revision>();
    const QString path = dir + u'/' + fileName;
    if (!fileName.endsWith(QStringLiteral(".py")))
        return Error(QStringLiteral("compiled revision files (sourceless) cannot be read statically"),
                     path);
    auto source = PyLexer::readSourceFile(path);
    if (!source)
        return source.error();
    auto rev = readSource(*source, path);
    if (!rev)
        return rev.error();
    return std::optional<Revision>(*rev);
}

Result<Revision> RevisionScriptReader::readFile(const QString &path)
{
    auto source = PyLexer::readSourceFile(path);
    if (!source)
        return source.error();
    return readSource(*source, path);
}

Result<Revision> RevisionScriptReader::readSource(const QString &source, const QString &path)
{
    // Most scripts are in the template's shape: skip tokenizing them (see RevisionHeaderScan).
    if (auto fast = fromHeader(source, path))
        return std::move(*fast);
    return readSourceTokenized(source, path);
}

Result<Revision> RevisionScriptReader::readSourceTokenized(const QString &source, const QString &path)
{
    auto module = PyModuleScanner::scanStreaming(source, path, PyLexer::TopLevelOnly);
    if (!module)
        return module.error();
    const QString fileName = QFileInfo(path).fileName();
    Revision rev;
    rev.path = path;
    if (const PyBinding *b = module->binding(QStringLiteral("revision"))) {
        if (!b->evaluable)
            return valueError(path, b, b->reason);
        if (!b->value.isStr())
            return valueError(path, b, QStringLiteral("expected a string, got %1").arg(b->value.repr()));
        rev.id = b->value.toStr();
    } else {
        // Legacy scripts (Alembic 0.1) are named after their hex id.
        static const QRegularExpression legacy(QStringLiteral("\\A([a-f0-9]+)\\.py$"));
        const auto m = legacy.match(fileName);
        if (!m.hasMatch())
            return Error(QStringLiteral("Could not determine revision id from filename %1. "
                                        "Be sure the 'revision' variable is declared inside the "
                                        "script (please see 'Upgrading from Alembic 0.1 to 0.2' "
                                        "in the documentation).").arg(fileName));
        rev.id = m.captured(1);
    }
    if (!module->has(QStringLiteral("down_revision")))
        return Error(QStringLiteral("module '%1' has no attribute 'down_revision'").arg(moduleId(fileName)),
                     path);
    auto down = stringTuple(path, *module, QStringLiteral("down_revision"));
    auto labels = stringTuple(path, *module, QStringLiteral("branch_labels"));
    auto deps = stringTuple(path, *module, QStringLiteral("depends_on"));
    for (const auto *r : {&down, &labels, &deps})
        if (!r->ok())
            return r->error();
    // A falsy down_revision ('' / () / []) makes a base, as `if not down_revision` does.
    rev.downRevisions = *down;
    if (rev.downRevisions == QStringList{QString()})
        rev.downRevisions.clear();
    rev.branchLabels = *labels;
    rev.dependsOn = *deps;
    if (module->hasDocstring())
        rev.longDoc = module->docstring().trimmed();
    return rev;
}

QString RevisionScriptReader::unsafeIdCharacters(const QString &id)
{
    bool quote = false, space = false, semicolon = false, backslash = false;
    for (const QChar c : id) {
        quote |= c == u'\'' || c == u'"' || c == u'`';
        space |= c.isSpace();
        semicolon |= c == u';';
        backslash |= c == u'\\';
    }
    QStringList found;
    if (quote)
        found << QStringLiteral("a quote");
    if (space)
        found << QStringLiteral("whitespace");
    if (semicolon)
        found << QStringLiteral("a semicolon");
    if (backslash)
        found << QStringLiteral("a backslash");
    return found.join(QStringLiteral(", "));
}

} // namespace retort
