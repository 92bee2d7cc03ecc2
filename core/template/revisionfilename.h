#pragma once
// The file name of a new revision (ScriptDirectory._rev_path): the slug of the message
// and the file_template %-format with rev, slug, epoch, year, month, day, hour, minute, second.

#include "createdate.h"

namespace retort {

class RevisionFileName
{
public:
    // "_".join(re.findall(r"\w+", message)).lower(), cut at the last '_' within
    // truncateSlugLength characters (plus a trailing "_") when longer.
    static QString slug(const QString &message, int truncateSlugLength = 40);

    // "<file_template % {...}>.py" (no directory). Errors are Python's formatting errors
    // (e.g. "KeyError: 'foo'" for an unknown key).
    static Result<QString> fileName(const QString &fileTemplate, const QString &revId,
                                    const QString &message, const CreateDate &date,
                                    int truncateSlugLength = 40);
};

} // namespace retort
