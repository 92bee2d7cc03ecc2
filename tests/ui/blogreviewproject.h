#pragma once
// Shared by the autogenerate review tests: a copy of the blog fixture (models loaded by
// /usr/bin/python3's Alembic) against an older SQLite database, compared in a view.

#include "autogeneratereviewmodel.h"
#include "autogeneratereviewview.h"
#include "uitestsupport.h"

#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

namespace retort::test {

// Runs the SQL file's statements on a new SQLite database.
inline bool buildDatabase(const QString &dbPath, const QString &sqlFile, const QStringList &extra)
{
    QFile f(sqlFile);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    QStringList statements;
    for (const QString &stmt : QString::fromUtf8(f.readAll()).split(QLatin1Char(';'))) {
        QStringList lines;
        for (const QString &l : stmt.split(QLatin1Char('\n')))
            if (!l.trimmed().startsWith(QLatin1String("--")))
                lines << l;
        if (!lines.join(QLatin1Char('\n')).trimmed().isEmpty())
            statements << lines.join(QLatin1Char('\n'));
    }
    statements << extra;
    const QString name = QUuid::createUuid().toString();
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(dbPath);
        ok = db.open();
        QSqlQuery q(db);
        for (const QString &s : statements)
            ok = ok && q.exec(s);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

// A copy of the blog project (sqlite:///blog.db, relative: run from its folder as the
// studio does) with the older database and two posts that have an editor.
inline MigrationProjectSpec blogProject(QTemporaryDir &dir)
{
    const QString project = dir.filePath(QStringLiteral("blog"));
    MigrationProjectSpec spec;
    if (!copyTree(QStringLiteral(RETORT_FIXTURES_DIR "/autogenerate/blog"), project)
        || !QDir().mkpath(project + QStringLiteral("/migrations/versions"))
        || !buildDatabase(project + QStringLiteral("/blog.db"),
                          QStringLiteral(RETORT_FIXTURES_DIR "/autogenerate/blog_older_schema.sql"),
                          {QStringLiteral("INSERT INTO authors VALUES (1, 'ann', 'Ann')"),
                           QStringLiteral("INSERT INTO posts VALUES (1, 1, 1, 'a', 'a', NULL)"),
                           QStringLiteral("INSERT INTO posts VALUES (2, 1, 1, 'b', 'b', NULL)")})
        || !QDir::setCurrent(project))
        return spec;
    spec.iniPath = project + QStringLiteral("/alembic.ini");
    return spec;
}

inline QModelIndex findChange(const AutogenerateReviewModel &model, const QString &text)
{
    const QModelIndexList hits = model.match(model.index(0, 0), Qt::DisplayRole, text, 1,
                                             Qt::MatchExactly | Qt::MatchRecursive);
    return hits.value(0);
}

inline bool hasPython()
{
    return QFileInfo::exists(QStringLiteral("/usr/bin/python3"));
}

// The blog project compared in `view`; false (with the status) when it failed.
inline bool compareBlog(QTemporaryDir &dir, AutogenerateReviewView &view, MigrationProjectSpec *specOut = nullptr)
{
    const MigrationProjectSpec spec = blogProject(dir);
    if (spec.iniPath.isEmpty())
        return false;
    if (specOut)
        *specOut = spec;
    view.setPython(QStringLiteral("/usr/bin/python3"));
    view.setProject(spec);
    QSignalSpy compared(&view, &AutogenerateReviewView::comparisonFinished);
    view.compare();
    if (!compared.wait(120000) || !compared.first().first().toBool()) {
        qWarning() << view.statusText();
        return false;
    }
    return true;
}
} // namespace retort::test
