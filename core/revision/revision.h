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

    // First paragraph of the docstring (Alembic's Script.doc).
    QString doc() const
    {
        const int cut = longDoc.indexOf(QStringLiteral("\n\n"));
        return cut < 0 ? longDoc : longDoc.left(cut);
    }
};

} // namespace retort
