#pragma once
// Python 3 tokenizer (the lexical rules of the tokenize module): NAME, NUMBER, STRING, OP,
// NEWLINE/NL, INDENT/DEDENT, COMMENT, ENDMARKER with line/column. Used for revision
// scripts and env.py, which are read statically instead of being executed.

#include "pytoken.h"
#include "result.h"

#include <QByteArray>
#include <QString>
#include <QVector>

#include <functional>

namespace retort {

// A source file's size and modification time (ns) when it was read; size -1: unknown.
struct PySourceStamp
{
    qint64 size = -1;
    qint64 mtimeNs = 0;
    bool operator==(const PySourceStamp &o) const { return size == o.size && mtimeNs == o.mtimeNs; }
};

class PyLexer
{
public:
    enum Mode {
        Full,
        // Tokens inside indented blocks (function bodies ...) are checked but not emitted,
        // apart from INDENT/DEDENT: enough for reading module-level statements, much faster.
        TopLevelOnly,
        // Full without COMMENT and NL tokens (what a parser of statements needs).
        Significant
    };

    // Tokenizes a whole module. Errors (unterminated string, inconsistent dedent,
    // unmatched bracket, stray character) carry fileName and the line.
    static Result<QVector<PyToken>> tokenize(const QString &source, const QString &fileName = {},
                                             Mode mode = Full);

    // Tokenizes like tokenize(), handing the tokens to `sink` in chunks of about
    // `chunkTokens` that each end after a NEWLINE (whole logical lines), so that a reader
    // of statements needs memory for one chunk, not for the whole module. The last chunk
    // ends with ENDMARKER. A sink error stops the lexer and is returned.
    using TokenSink = std::function<Result<void>(const QVector<PyToken> &chunk)>;
    static Result<void> tokenizeChunked(const QString &source, const QString &fileName, Mode mode,
                                        int chunkTokens, const TokenSink &sink);

    // Decodes source bytes as Python does: UTF-8 (BOM skipped) unless a PEP 263
    // coding cookie on line 1 or 2 names another encoding we support (latin-1 family).
    static Result<QString> decodeSource(const QByteArray &data, const QString &fileName = {});

    // Reads and decodes a file. stamp: the file's size and mtime as read (from the same
    // fstat), so that a later reader can reuse the text while the file is unchanged.
    // dirFd >= 0 (an open folder) and name: the same file opened as `name` in that folder,
    // which spares the kernel a walk of the folder's path for each of thousands of scripts;
    // path is still what messages (and the fallback) use.
    static Result<QString> readSourceFile(const QString &path, PySourceStamp *stamp = nullptr,
                                          int dirFd = -1, const QString &name = {});
    // Whether the file still has this size and mtime (one stat, no open or read).
    static bool unchanged(const QString &path, const PySourceStamp &stamp);
};

} // namespace retort
