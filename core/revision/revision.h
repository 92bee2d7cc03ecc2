#pragma once
// One revision as declared by its script: the input to RevisionGraph.
// Pure data; reading it from a .py file is the script module's job.

#include <QString>
#include <QStringList>

namespace retort {

struct Revision
{
    QString id;                 // `revision = "..."`
    QStringList downRevisions;  // `down_revision`: empty for a base; order as written
    QStringList branchLabels;   // `branch_labels` as declared (inherited ones are added by the graph)
    QStringList dependsOn;      // `depends_on` as written: ids, partial ids or branch labels
    QString path;               // absolute path of the script file ("" for synthetic revisions)
    QString longDoc;            // module docstring, stripped (Alembic's Script.longdoc)
    int order = 0;              // file-discovery order: breaks ties the way Alembic's dict order does
    // The script's decoded text as the scan read it, with the file's size and mtime (ns)
    // then: the interpreter reuses it while the file is unchanged instead of reading and
    // decoding it again (sourceSize -1: not kept).
    QString source;
    qint64 sourceSize = -1;
    qint64 sourceMtimeNs = 0;

    // First paragraph of the docstring (Alembic's Script.doc).
    QString doc() const
    {
        const int cut = longDoc.indexOf(QStringLiteral("\n\n"));
        return cut < 0 ? longDoc : longDoc.left(cut);
    }
};

} // namespace retort
