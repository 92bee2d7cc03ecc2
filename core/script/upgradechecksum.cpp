#include "upgradechecksum.h"

#include "python/pylexer.h"

#include <QCryptographicHash>

namespace retort {

namespace {

bool isUpgradeName(const QString &name)
{
    return name == QLatin1String("upgrade") || name.startsWith(QLatin1String("upgrade_"));
}

} // namespace

Result<QString> UpgradeChecksum::ofSource(const QString &source, const QString &path)
{
    // Significant tokens only: comments and NL (blank lines) never reach the hash.
    Result<QVector<PyToken>> tokens = PyLexer::tokenize(source, path, PyLexer::Significant);
    if (!tokens)
        return tokens.error();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const QVector<PyToken> &t = *tokens;
    int depth = 0;
    for (int i = 0; i < t.size(); ++i) {
        const PyToken &tok = t.at(i);
        if (tok.type == PyToken::Indent) {
            ++depth;
            continue;
        }
        if (tok.type == PyToken::Dedent) {
            --depth;
            continue;
        }
        if (depth != 0 || !tok.isName(QLatin1String("def")) || i + 1 >= t.size()
            || t.at(i + 1).type != PyToken::Name || !isUpgradeName(t.at(i + 1).text))
            continue;
        // The def line up to its NEWLINE, then its indented block (if any) to the DEDENT
        // that brings the depth back to 0; a one-line `def upgrade(): pass` has no block.
        int j = i;
        int blockDepth = 0;
        bool inBlock = false;
        for (; j < t.size(); ++j) {
            const PyToken &b = t.at(j);
            if (b.type == PyToken::EndMarker)
                break;
            if (b.type == PyToken::Indent) {
                ++blockDepth;
                inBlock = true;
            } else if (b.type == PyToken::Dedent) {
                if (--blockDepth == 0)
                    break;
            } else if (b.type == PyToken::Newline && !inBlock && j + 1 < t.size()
                       && t.at(j + 1).type != PyToken::Indent) {
                hash.addData(QByteArrayLiteral("N\n"));
                break;
            }
            // Layout tokens by type alone: indentation width and line endings do not count.
            const bool layout = b.type == PyToken::Newline || b.type == PyToken::Indent;
            hash.addData(QByteArray::number(int(b.type)) + ' ' + (layout ? QByteArray() : b.text.toUtf8()) + '\n');
        }
        i = j;   // the DEDENT (or NEWLINE) that ended the block: depth stays 0
    }
    return QString::fromLatin1(hash.result().toHex());
}

Result<QString> UpgradeChecksum::ofFile(const QString &path)
{
    if (!path.endsWith(QLatin1String(".py")))
        return Error(QStringLiteral("%1 has no source to take a checksum of").arg(path));
    Result<QString> source = PyLexer::readSourceFile(path);
    if (!source)
        return source.error();
    return ofSource(*source, path);
}

} // namespace retort
