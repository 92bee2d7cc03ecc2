#include "revisionscriptreader.h"
#include "scriptcache.h"

#include "revisionheaderscan.h"

#include "python/pylexer.h"
#include "python/pymodulescanner.h"

#include <QFileInfo>
#include <QJsonArray>
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

// Legacy scripts (Alembic 0.1) are named after their hex id.
Result<QString> legacyId(const QString &fileName)
{
    static const QRegularExpression legacy(QStringLiteral("\\A([a-f0-9]+)\\.py$"));
    const auto m = legacy.match(fileName);
    if (!m.hasMatch())
        return Error(QStringLiteral("Could not determine revision id from filename %1. "
                                    "Be sure the 'revision' variable is declared inside the "
                                    "script (please see 'Upgrading from Alembic 0.1 to 0.2' "
                                    "in the documentation).").arg(fileName));
    return m.captured(1);
}

Error noDownRevision(const QString &path)
{
    return Error(QStringLiteral("module '%1' has no attribute 'down_revision'")
                     .arg(moduleId(QFileInfo(path).fileName())), path);
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

// The header of an unchanged script from the cache, else the fast path's answer (noted in
// the cache); an error when neither answers (the caller takes the full path).
Result<Revision> headerFromCache(const QString &source, const QString &path, const PySourceStamp &stamp,
                                 ScriptCache &cache)
{
    const ScriptCache::Source key{path, &source, stamp.size, stamp.mtimeNs};
    if (auto h = cache.header(key)) {
        Revision rev;
        rev.path = path;
        rev.id = h->id;
        rev.downRevisions = h->downRevisions;
        rev.branchLabels = h->branchLabels;
        rev.dependsOn = h->dependsOn;
        rev.longDoc = h->longDoc;
        return rev;
    }
    auto fast = fromHeader(source, path);
    if (!fast)
        return Error(QString());
    cache.noteHeader(key, ScriptCache::Header{true, fast->id, fast->downRevisions, fast->branchLabels,
                                              fast->dependsOn, fast->longDoc});
    return std::move(*fast);
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
                                                                bool sourceless,
                                                                std::optional<UnreadHeader> *unread,
                                                                int dirFd, ScriptCache *cache)
{
    if (!isCandidate(dir, fileName, sourceless))
        return std::optional<Revision>();
    const QString path = dir + u'/' + fileName;
    if (!fileName.endsWith(QStringLiteral(".py")))
        return Error(QStringLiteral("compiled revision files (sourceless) cannot be read statically"),
                     path);
    PySourceStamp stamp;
    auto source = PyLexer::readSourceFile(path, &stamp, dirFd, fileName);
    if (!source)
        return source.error();
    Result<Revision> rev = cache ? headerFromCache(*source, path, stamp, *cache) : readSource(*source, path, unread);
    if (!rev && cache)
        rev = readSource(*source, path, unread);
    if (!rev)
        return rev.error();
    // Kept for the interpreter (upgrade/downgrade read every script again otherwise).
    rev->source = std::move(*source);
    rev->sourceSize = stamp.size;
    rev->sourceMtimeNs = stamp.mtimeNs;
    return std::optional<Revision>(std::move(*rev));
}

Result<Revision> RevisionScriptReader::readFile(const QString &path)
{
    auto source = PyLexer::readSourceFile(path);
    if (!source)
        return source.error();
    return readSource(*source, path);
}

Result<Revision> RevisionScriptReader::readSource(const QString &source, const QString &path,
                                                  std::optional<UnreadHeader> *unread)
{
    // Most scripts are in the template's shape: skip tokenizing them (see RevisionHeaderScan).
    if (auto fast = fromHeader(source, path))
        return std::move(*fast);
    return readSourceTokenized(source, path, unread);
}

Result<Revision> RevisionScriptReader::readSourceTokenized(const QString &source, const QString &path,
                                                           std::optional<UnreadHeader> *unread)
{
    auto module = PyModuleScanner::scanStreaming(source, path, PyLexer::TopLevelOnly);
    if (!module)
        return module.error();
    const QString fileName = QFileInfo(path).fileName();
    Revision rev;
    rev.path = path;
    if (module->hasDocstring())
        rev.longDoc = module->docstring().trimmed();
    // A value only Python can read: deferred to the caller when it asked for that.
    auto deferred = [&](const Error &e) -> Result<Revision> {
        if (!unread)
            return e;
        *unread = UnreadHeader{path, e};
        return rev;
    };
    if (const PyBinding *b = module->binding(QStringLiteral("revision"))) {
        if (!b->evaluable)
            return deferred(valueError(path, b, b->reason));
        if (!b->value.isStr())
            return deferred(valueError(path, b, QStringLiteral("expected a string, got %1").arg(b->value.repr())));
        rev.id = b->value.toStr();
    } else {
        // Legacy scripts (Alembic 0.1) are named after their hex id.
        auto legacy = legacyId(fileName);
        if (!legacy)
            return legacy.error();
        rev.id = *legacy;
    }
    if (!module->has(QStringLiteral("down_revision")))
        return noDownRevision(path);
    auto down = stringTuple(path, *module, QStringLiteral("down_revision"));
    auto labels = stringTuple(path, *module, QStringLiteral("branch_labels"));
    auto deps = stringTuple(path, *module, QStringLiteral("depends_on"));
    for (const auto *r : {&down, &labels, &deps})
        if (!r->ok())
            return deferred(r->error());
    // A falsy down_revision ('' / () / []) makes a base, as `if not down_revision` does.
    rev.downRevisions = *down;
    if (rev.downRevisions == QStringList{QString()})
        rev.downRevisions.clear();
    rev.branchLabels = *labels;
    rev.dependsOn = *deps;
    return rev;
}

VoidResult RevisionScriptReader::applyPythonValues(Revision *rev, const QJsonObject &values)
{
    const QString &path = rev->path;
    auto got = [](const QJsonValue &v) {
        if (v.isObject())
            return v.toObject().value(QStringLiteral("repr")).toString();
        return v.isString() ? QStringLiteral("'%1'").arg(v.toString()) : QStringLiteral("a list");
    };
    const QJsonValue id = values.value(QStringLiteral("revision"));
    if (id.isUndefined()) {
        auto legacy = legacyId(QFileInfo(path).fileName());
        if (!legacy)
            return legacy.error();
        rev->id = *legacy;
    } else if (!id.isString()) {
        return Error(QStringLiteral("revision (read with Python) is not a string: %1").arg(got(id)), path);
    } else {
        rev->id = id.toString();
    }
    if (!values.contains(QStringLiteral("down_revision")))
        return noDownRevision(path);
    // util.to_tuple: None -> (), a string -> (s,), a sequence of strings as it is.
    auto tuple = [&](const QString &name, QStringList *out) -> VoidResult {
        const QJsonValue v = values.value(name);
        out->clear();
        if (v.isUndefined() || v.isNull())
            return {};
        if (v.isString()) {
            out->append(v.toString());
            return {};
        }
        if (v.isArray()) {
            for (const QJsonValue &item : v.toArray()) {
                if (!item.isString())
                    return Error(QStringLiteral("%1 (read with Python) holds a value that is not a string")
                                     .arg(name), path);
                out->append(item.toString());
            }
            return {};
        }
        return Error(QStringLiteral("%1 (read with Python): expected None, a string, or a tuple/list of "
                                    "strings, got %2").arg(name, got(v)), path);
    };
    for (const auto &[name, out] : {std::pair{QStringLiteral("down_revision"), &rev->downRevisions},
                                    std::pair{QStringLiteral("branch_labels"), &rev->branchLabels},
                                    std::pair{QStringLiteral("depends_on"), &rev->dependsOn}})
        if (auto r = tuple(name, out); !r)
            return r;
    if (rev->downRevisions == QStringList{QString()})
        rev->downRevisions.clear();
    return {};
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
    if (!quote && !space && !semicolon && !backslash)
        return {};   // every id of a normal project: no list to build
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
