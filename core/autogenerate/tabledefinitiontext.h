#pragma once
// Beyond Alembic: one table of a SchemaModel as a readable, canonical listing for the
// studio's side-by-side diff, one element per line:
//
//   TABLE posts
//       id INTEGER NOT NULL
//       title VARCHAR(200) NOT NULL DEFAULT 'x'
//       PRIMARY KEY (id)
//       FOREIGN KEY fk_posts_author (author_id) REFERENCES authors (id) ON DELETE CASCADE
//       UNIQUE uq_posts_slug (slug)
//       INDEX ix_posts_title (title)
//       CHECK ck_positive (n > 0)
//       COMMENT 'text'
//
// Both sides are listed the same way (constraints and indexes sorted by name, no
// padding, no separators) so that only real differences show up as changed lines.
// Columns keep the table's order, or follow another side's order (columnOrder) so a
// column that moved is not shown as removed and added. The primary key's name is left
// out (databases name it themselves; Alembic does not compare it), as are indexes that
// only back a unique constraint (listed as the constraint).

#include "schema/schemamodel.h"

namespace retort {

class TableDefinitionText
{
public:
    // schema "" = the default schema (not shown).
    static QStringList lines(const SchemaTable &table, const QString &schema = {},
                             const QStringList &columnOrder = {});

    static QString columnLine(const SchemaColumn &column);
    static QString foreignKeyLine(const SchemaForeignKey &fk);
    static QString indexLine(const SchemaIndex &index);

    // `columns` reordered to follow `order` for the names both have; a column missing
    // from `order` stays right after the column it followed.
    static QVector<const SchemaColumn *> ordered(const QVector<SchemaColumn> &columns, const QStringList &order);
};

} // namespace retort
