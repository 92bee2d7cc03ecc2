#pragma once
// Shared by the studio's view tests: a copy of a project in a temporary folder.

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QString>

namespace retort::test {

// Copies the folder `from` into `to` (created); false on the first failure.
inline bool copyTree(const QString &from, const QString &to)
{
    QDir src(from);
    if (!src.exists() || !QDir().mkpath(to))
        return false;
    QDirIterator it(from, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString rel = src.relativeFilePath(path);
        if (rel.contains(QLatin1String("__pycache__")) || rel.endsWith(QLatin1String(".db")))
            continue;
        const QString target = QDir(to).filePath(rel);
        if (it.fileInfo().isDir()) {
            if (!QDir().mkpath(target))
                return false;
        } else if (!QDir().mkpath(QFileInfo(target).absolutePath()) || !QFile::copy(path, target)) {
            return false;
        }
    }
    return true;
}

inline bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

// A revision script for the demo project (resources/demo).
inline QByteArray revisionScript(const QString &rev, const QString &down, const QString &upgradeBody,
                                 const QString &downgradeBody = QStringLiteral("    pass\n"))
{
    return QStringLiteral("\"\"\"%1\n\nRevision ID: %1\nRevises: %2\nCreate Date: 2026-02-01 10:00:00\n\n\"\"\"\n"
                          "from alembic import op\nimport sqlalchemy as sa\n\n\n"
                          "revision = '%1'\ndown_revision = '%2'\nbranch_labels = None\ndepends_on = None\n\n\n"
                          "def upgrade() -> None:\n%3\n\ndef downgrade() -> None:\n%4")
        .arg(rev, down, upgradeBody, downgradeBody)
        .toUtf8();
}

} // namespace retort::test
