#pragma once
// Where the Python helpers and init templates are read from. An installed binary
// (<prefix>/bin/retort) reads <prefix>/share/retort/<relative>, found from its own directory
// (never a build-tree path); anywhere else - the build tree, a binary copied on its own -
// the copy embedded in the binary (:/retort/<relative>) is used.

#include <QString>

namespace retort {

class ResourceLocator
{
public:
    // "python/retort_worker.py", "python", "templates/generic": the installed file or folder
    // when it exists, else the embedded one.
    static QString path(const QString &relative);

    // The share folder an installed binary in binDir would use: binDir/../share/retort,
    // or empty when that folder does not exist.
    static QString dataDirectoryFor(const QString &binDir);

    // The running binary's share folder (dataDirectoryFor(applicationDirPath)), or empty.
    static QString dataDirectory();
};

} // namespace retort
