#pragma once
// Shared by the studio's tests: throwaway copies of fixture projects and a way to put
// rows into a project's SQLite version table without going through the studio.

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUuid>

namespace studiotest {

// Copies a project folder (recursively) into dest.
inline bool copyTree(const QString &from, const QString &dest)
{
    QDirIterator it(from, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString src = it.next();
        if (src.contains(QLatin1String("__pycache__")) || src.endsWith(QLatin1String(".db")))
            continue;
        const QString target = dest + QLatin1Char('/') + QDir(from).relativeFilePath(src);
        QDir().mkpath(QFileInfo(target).absolutePath());
        if (!QFile::copy(src, target))
            return false;
    }
    return true;
}

// Writes alembic_version with the given rows into an SQLite file.
inline bool setVersionRows(const QString &dbPath, const QStringList &rows)
{
    const QString name = QUuid::createUuid().toString();
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(dbPath);
        ok = db.open();
        QSqlQuery q(db);
        ok = ok && q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS alembic_version "
                                         "(version_num VARCHAR(32) NOT NULL, "
                                         "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"));
        ok = ok && q.exec(QStringLiteral("DELETE FROM alembic_version"));
        for (const QString &row : rows)
            ok = ok && q.exec(QStringLiteral("INSERT INTO alembic_version VALUES ('%1')").arg(row));
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

// A second head on top of the demo: a revision branching off b2c8e4f15a67.
inline bool addSecondHead(const QString &versionsDir)
{
    QFile f(versionsDir + QStringLiteral("/c0ffee000001_side_branch.py"));
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write("\"\"\"side branch\n\nRevision ID: c0ffee000001\nRevises: b2c8e4f15a67\n\"\"\"\n"
            "from alembic import op\nimport sqlalchemy as sa\n\n"
            "revision = 'c0ffee000001'\ndown_revision = 'b2c8e4f15a67'\n"
            "branch_labels = None\ndepends_on = None\n\n\n"
            "def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n");
    return true;
}

} // namespace studiotest
