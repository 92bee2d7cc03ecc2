#pragma once
// Fast path of RevisionScriptReader for scripts in the usual shape: reads the module
// docstring and the top-level `revision` / `down_revision` / `branch_labels` /
// `depends_on` literals, stepping over def/class bodies character by character instead of
// tokenizing them. It answers only when it is sure to agree with the full path (PyLexer +
// PyModuleScanner); anything unusual — compound statements at module level, a header name
// bound or used elsewhere, a non-literal value, prefixed strings or backslashes at top
// level, tabs, stray characters, unbalanced brackets, an unterminated string — makes it
// give up (nullopt), and the caller takes the full path, which also reports every error.

#include <QString>
#include <QStringList>
#include <QStringView>
#include <optional>

namespace retort {

struct RevisionHeader
{
    // A header name's last top-level binding: None (items empty and isNone), a string
    // (isStr, items = {s}) or a tuple/list of strings.
    struct Value
    {
        bool bound = false;
        bool isNone = false;
        bool isStr = false;
        QStringList items;
    };

    bool hasDocstring = false;
    QString docstring;   // as written
    Value revision, downRevision, branchLabels, dependsOn;
};

class RevisionHeaderScan
{
public:
    static std::optional<RevisionHeader> scan(QStringView source);
};

} // namespace retort
