#pragma once
// The checksum Retort records for a revision's upgrade() when it is applied, so that an
// applied script edited afterwards can be told (ScriptChecksumTable, ChecksumAudit).
//
// What counts: the Python tokens of every top-level `def upgrade...` block (upgrade()
// itself and the multidb template's upgrade_<engine>()), in file order, each as its type
// and text, with the block structure (INDENT/DEDENT). What does not: comments, blank
// lines, trailing whitespace, line endings, the indentation width and spacing inside a
// line, and everything outside those functions (the header, imports, downgrade(),
// helpers upgrade() calls). Docstrings and string quoting are tokens, so they count.
// The value is the SHA-256 of that token stream, as 64 lowercase hex digits.

#include "result.h"

#include <QString>

namespace retort {

class UpgradeChecksum
{
public:
    static Result<QString> ofSource(const QString &source, const QString &path = {});
    // Reads and decodes the file as Python does (coding cookie); a .pyc has no source: error.
    static Result<QString> ofFile(const QString &path);
};

} // namespace retort
