// RevisionWriter, RevisionFileName and CreateDate against Alembic 1.8.1: expected file
// names, dates and revision files come from real Alembic (see
// tests/fixtures/template/generate_revisions.py for the revision files).

#include "template/createdate.h"
#include "template/makotemplate.h"
#include "template/revisionfilename.h"
#include "template/revisionwriter.h"
#include "template/postwritehooks.h"
#include "revision/revisiongraph.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QStandardPaths>
#include <QTimeZone>
#include <QtTest>

using namespace retort;

namespace {

const QString kFixtures = QStringLiteral(RETORT_FIXTURES_DIR "/template/revisions");

QString readText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QDateTime fixedNow()
{
    return QDateTime(QDate(2026, 11, 30), QTime(14, 59, 12, 345));   // local time
}

struct Project
{
    QTemporaryDir tmp;
    ScriptSettings settings;
    QStringList output;

    Project()
    {
        settings.scriptLocation = tmp.path() + QStringLiteral("/migrations");
        settings.scriptDirectory = settings.scriptLocation;
        QDir().mkpath(settings.scriptDirectory + QStringLiteral("/versions"));
        QFile::copy(QStringLiteral(":/retort/templates/generic/script.py.mako"),
                    settings.scriptDirectory + QStringLiteral("/script.py.mako"));
    }

    RevisionRequest request(const QString &revId, const std::optional<QString> &message)
    {
        RevisionRequest r;
        r.settings = settings;
        r.revId = revId;
        r.message = message;
        r.now = fixedNow();
        r.templateArgs = {{QStringLiteral("config"), MakoTemplate::configObject(QMap<QString, QString>())}};
        return r;
    }

    MessageSink sink()
    {
        return [this](const Message &m) { output.append(m.plainText()); };
    }
};

RevisionParent head(const QString &id, bool isHead = true)
{
    return {id, {}, isHead};
}

} // namespace

class TstRevisionWriter : public QObject
{
    Q_OBJECT
private slots:
    void fileName_data();
    void fileName();
    void createDate_data();
    void createDate();
    void unknownTimezone();
    void strftime_data();
    void strftime();
    void verifyRevisionId_data();
    void verifyRevisionId();
    void writesLikeAlembic_data();
    void writesLikeAlembic();
    void errors_data();
    void errors();
    void versionLocations();
    void newRevisionIdShape();
    void resolveParents();
    void postWriteHooks();
    void multidbWithAlembicConfig();
    void postWriteHookErrors_data();
    void postWriteHookErrors();
};

void TstRevisionWriter::fileName_data()
{
    QTest::addColumn<QString>("fileTemplate");
    QTest::addColumn<int>("truncate");
    QTest::addColumn<QString>("rev");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QDateTime>("when");
    QTest::addColumn<QString>("expected");
    const QDateTime local(QDate(2026, 11, 30), QTime(14, 59, 12));
    const QDateTime parts(QDate(2026, 3, 4), QTime(5, 6, 7));
    const QString def = QStringLiteral("%(rev)s_%(slug)s");
    QTest::newRow("default") << def << 40 << "ae1027a6acf" << "create account table" << local
                             << "ae1027a6acf_create_account_table.py";
    QTest::newRow("no message") << def << 40 << "ae1027a6acf" << QString() << local << "ae1027a6acf_.py";
    QTest::newRow("punctuation") << def << 40 << "abc" << "Add 'user'.email -- NOT NULL!" << local
                                 << "abc_add_user_email_not_null.py";
    QTest::newRow("truncate") << def << 40 << "abc" << "this is a very long message that goes past forty characters"
                              << local << "abc_this_is_a_very_long_message_that_goes_.py";
    QTest::newRow("truncate no underscore") << def << 10 << "abc" << "abcdefghijklmnop qr" << local
                                            << "abc_abcdefghij_.py";
    QTest::newRow("unicode") << def << 40 << "abc" << QString::fromUtf8("Überprüfung der Straße") << local
                             << QString::fromUtf8("abc_überprüfung_der_straße.py");
    QTest::newRow("date parts") << "%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s"
                                << 40 << "1975ea83b712" << "add account" << parts
                                << "2026_03_04_0506-1975ea83b712_add_account.py";
    QTest::newRow("widths") << "%(year)06d_%(month)2d_%(second)-3d|%(rev).4s|%(slug)10s" << 40
                            << "1975ea83b712" << "x y" << parts << "002026_ 3_7  |1975|       x_y.py";
}

void TstRevisionWriter::fileName()
{
    QFETCH(QString, fileTemplate);
    QFETCH(int, truncate);
    QFETCH(QString, rev);
    QFETCH(QString, message);
    QFETCH(QDateTime, when);
    QFETCH(QString, expected);
    Result<CreateDate> date = CreateDate::at(when, std::nullopt);
    QVERIFY(date.ok());
    Result<QString> name = RevisionFileName::fileName(fileTemplate, rev, message, *date, truncate);
    QVERIFY2(name.ok(), qPrintable(name.error().message));
    QCOMPARE(*name, expected);
}

void TstRevisionWriter::createDate_data()
{
    QTest::addColumn<QDateTime>("utc");
    QTest::addColumn<QString>("timezone");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<qint64>("epoch");
    const QTimeZone utc = QTimeZone::utc();
    QTest::newRow("paris summer") << QDateTime(QDate(2026, 6, 30), QTime(22, 0, 0, 1), utc) << "Europe/Paris"
                                  << "2026-07-01 00:00:00.001000+02:00" << qint64(1782856800);
    QTest::newRow("st johns") << QDateTime(QDate(2026, 1, 30), QTime(22, 0), utc) << "America/St_Johns"
                              << "2026-01-30 18:30:00-03:30" << qint64(1769810400);
    QTest::newRow("utc upper fallback") << QDateTime(QDate(2026, 1, 30), QTime(22, 0), utc) << "utc"
                                        << "2026-01-30 22:00:00+00:00" << qint64(1769810400);
    QTest::newRow("kolkata epoch") << QDateTime(QDate(2026, 3, 3), QTime(23, 36, 7), utc) << "Asia/Kolkata"
                                   << "2026-03-04 05:06:07+05:30" << qint64(1772580967);
}

void TstRevisionWriter::createDate()
{
    QFETCH(QDateTime, utc);
    QFETCH(QString, timezone);
    QFETCH(QString, expected);
    QFETCH(qint64, epoch);
    Result<CreateDate> date = CreateDate::at(utc, timezone);
    QVERIFY2(date.ok(), qPrintable(date.error().message));
    QCOMPARE(date->pyStr(), expected);
    QCOMPARE(date->epoch(), epoch);
}

void TstRevisionWriter::strftime_data()
{
    // Expected: Python's datetime.strftime / isoformat for the same instants.
    QTest::addColumn<QString>("timezone");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("expected");
    QTest::newRow("full") << "Asia/Kolkata" << "%Y-%m-%d %H:%M:%S.%f" << "2026-03-04 05:06:07.008000";
    QTest::newRow("names") << "Asia/Kolkata" << "%y %j %a %A %b %B %p %I %%" << "26 063 Wed Wednesday Mar March AM 05 %";
    QTest::newRow("zone") << "Asia/Kolkata" << "%z %Z" << "+0530 IST";
    QTest::newRow("iso") << "Asia/Kolkata" << "iso" << "2026-03-04T05:06:07.008000+05:30";
}

void TstRevisionWriter::strftime()
{
    QFETCH(QString, timezone);
    QFETCH(QString, format);
    QFETCH(QString, expected);
    Result<CreateDate> d = CreateDate::at(QDateTime(QDate(2026, 3, 3), QTime(23, 36, 7, 8), QTimeZone::utc()), timezone);
    QVERIFY(d.ok());
    if (format == "iso")
        QCOMPARE(d->isoFormat(), expected);
    else
        QCOMPARE(*d->strftime(format), expected);
}

void TstRevisionWriter::unknownTimezone()
{
    Result<CreateDate> date = CreateDate::at(fixedNow(), QStringLiteral("Mars/Olympus"));
    QVERIFY(!date.ok());
    QCOMPARE(date.error().message, QStringLiteral("Can't locate timezone: Mars/Olympus"));
    // Naive local time: microseconds shown, no offset.
    QCOMPARE(CreateDate::at(fixedNow(), std::nullopt)->pyStr(), QStringLiteral("2026-11-30 14:59:12.345000"));
}

void TstRevisionWriter::verifyRevisionId_data()
{
    QTest::addColumn<QString>("rev");
    QTest::addColumn<QString>("error");
    QTest::newRow("ok") << "abc_123" << QString();
    QTest::newRow("at and dash") << "a@b-c" << "Character(s) '-, @' not allowed in revision identifier 'a@b-c'";
    QTest::newRow("plus") << "x+" << "Character(s) '+' not allowed in revision identifier 'x+'";
    // Beyond Alembic: what would reach SQL text or file names.
    const QString tail = QStringLiteral(": Retort refuses quotes, whitespace, semicolons and "
                                        "backslashes in revision identifiers");
    QTest::newRow("quote") << "r1'); DROP TABLE x; SELECT ('"
                           << "Revision identifier \"r1'); DROP TABLE x; SELECT ('\" contains a quote, "
                              "whitespace, a semicolon" + tail;
    QTest::newRow("double quote") << "a\"b" << "Revision identifier 'a\"b' contains a quote" + tail;
    QTest::newRow("tab") << "a\tb" << "Revision identifier 'a\\tb' contains whitespace" + tail;
    QTest::newRow("semicolon") << "a;b" << "Revision identifier 'a;b' contains a semicolon" + tail;
    QTest::newRow("backslash") << "a\\b" << "Revision identifier 'a\\\\b' contains a backslash" + tail;
    QTest::newRow("alembic's check first") << "a-b c" << "Character(s) '-' not allowed in revision identifier 'a-b c'";
}

void TstRevisionWriter::verifyRevisionId()
{
    QFETCH(QString, rev);
    QFETCH(QString, error);
    Result<void> r = RevisionWriter::verifyRevisionId(rev);
    QCOMPARE(r.ok(), error.isEmpty());
    if (!r.ok())
        QCOMPARE(r.error().message, error);
}

void TstRevisionWriter::writesLikeAlembic_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("revId");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QStringList>("heads");
    QTest::addColumn<QString>("branchLabel");
    QTest::addColumn<QStringList>("dependsOn");
    QTest::addColumn<QString>("fileName");
    QTest::newRow("first") << "first" << "ae1027a6acf" << "create account table" << QStringList()
                           << QString() << QStringList() << "ae1027a6acf_create_account_table.py";
    QTest::newRow("second") << "second" << "27c6a30d7c24" << "Add a column" << QStringList{"ae1027a6acf"}
                            << QString() << QStringList() << "27c6a30d7c24_add_a_column.py";
    QTest::newRow("branch") << "branch" << "1975ea83b712" << QString() << QStringList{"ae1027a6acf"}
                            << "feature" << QStringList() << "1975ea83b712_.py";
    QTest::newRow("merge") << "merge" << "5ff2b9a7e8a1" << "merge it's \"all\""
                           << QStringList{"1975ea83b712", "27c6a30d7c24"} << QString() << QStringList()
                           << "5ff2b9a7e8a1_merge_it_s_all.py";
    QTest::newRow("quotes") << "quotes" << "0a1b2c3d4e5f" << "both ' and \"" << QStringList{"5ff2b9a7e8a1"}
                            << QString() << QStringList{"feature", "ae1027a6acf"} << "0a1b2c3d4e5f_both_and.py";
}

void TstRevisionWriter::writesLikeAlembic()
{
    QFETCH(QString, name);
    QFETCH(QString, revId);
    QFETCH(QString, message);
    QFETCH(QStringList, heads);
    QFETCH(QString, branchLabel);
    QFETCH(QStringList, dependsOn);
    QFETCH(QString, fileName);
    Project p;
    RevisionRequest r = p.request(revId, message.isNull() ? std::nullopt : std::optional<QString>(message));
    for (const QString &h : heads)
        r.heads.append(head(h));
    if (!branchLabel.isEmpty())
        r.branchLabel = branchLabel;
    r.dependsOn = dependsOn;
    // renderText (the studio's script preview): the same text, nothing written.
    const QString path = p.settings.scriptDirectory + "/versions/" + fileName;
    Result<QString> preview = RevisionWriter::renderText(r);
    QVERIFY2(preview.ok(), qPrintable(preview.error().toString()));
    QCOMPARE(*preview, readText(kFixtures + "/" + name + ".py.txt"));
    QVERIFY(!QFileInfo::exists(path));
    QVERIFY(p.output.isEmpty());
    Result<WrittenRevision> w = RevisionWriter::write(r, p.sink());
    QVERIFY2(w.ok(), qPrintable(w.error().toString()));
    QCOMPARE(w->path, path);
    QCOMPARE(p.output, (QStringList{"Generating " + path + " ...", "  done\n"}));
    QCOMPARE(readText(path), readText(kFixtures + "/" + name + ".py.txt"));
    QCOMPARE(w->revision.id, revId);
    QCOMPARE(w->revision.downRevisions, heads);
}

void TstRevisionWriter::errors_data()
{
    QTest::addColumn<QString>("case_");
    QTest::addColumn<QString>("error");
    QTest::newRow("not head") << "nothead"
        << "Revision ae1027a6acf is not a head revision; please specify --splice to create a new branch from this revision";
    QTest::newRow("duplicate") << "duplicate" << "Duplicate head revisions specified";
    QTest::newRow("bad version path") << "versionpath"
        << "Path /nowhere is not represented in current version locations";
    QTest::newRow("no branch_labels in template") << "nolabels"
        << "Version abc specified branch_labels lbl, however the migration file %1 does not have them; "
           "have you upgraded your script.py.mako to include the 'branch_labels' section?";
    QTest::newRow("multidb merge") << "multidbmerge" << "Template rendering failed; see ";
}

void TstRevisionWriter::errors()
{
    QFETCH(QString, case_);
    QFETCH(QString, error);
    Project p;
    RevisionRequest r = p.request(QStringLiteral("abc"), QStringLiteral("m"));
    const QString mako = p.settings.scriptDirectory + "/script.py.mako";
    if (case_ == "nothead") {
        r.heads = {head("ae1027a6acf", false)};
    } else if (case_ == "duplicate") {
        r.heads = {head("a"), head("a")};
    } else if (case_ == "versionpath") {
        r.versionPath = QStringLiteral("/nowhere");
    } else if (case_ == "nolabels") {
        QFile f(mako);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("revision = ${repr(up_revision)}\ndown_revision = None\n");
        f.close();
        r.branchLabel = QStringLiteral("lbl");
        error = error.arg(p.settings.scriptDirectory + "/versions/abc_m.py");
    } else if (case_ == "multidbmerge") {
        // command.merge passes config as the string "config": the multidb template fails.
        QFile::remove(mako);
        QFile::copy(":/retort/templates/multidb/script.py.mako", mako);
        r.templateArgs = RevisionWriter::mergeTemplateArgs();
    }
    Result<WrittenRevision> w = RevisionWriter::write(r, p.sink());
    QVERIFY(!w.ok());
    QVERIFY2(w.error().message.startsWith(error), qPrintable(w.error().message));
    if (case_ == "multidbmerge")
        QCOMPARE(p.output.last(), QStringLiteral("  FAILED\n"));
}

void TstRevisionWriter::versionLocations()
{
    Project p;
    const QString a = p.tmp.path() + "/a";
    const QString b = p.tmp.path() + "/b";
    p.settings.versionLocations = {a, b};
    RevisionRequest r = p.request(QStringLiteral("abc"), QStringLiteral("m"));
    Result<WrittenRevision> w = RevisionWriter::write(r, p.sink());
    QVERIFY(!w.ok());
    QCOMPARE(w.error().message, QStringLiteral("Multiple version locations present, please specify --version-path"));

    // The parent's directory is used; a configured location is created when missing.
    r.heads = {RevisionParent{QStringLiteral("p1"), b + "/p1_x.py", true}};
    w = RevisionWriter::write(r, p.sink());
    QVERIFY2(w.ok(), qPrintable(w.error().toString()));
    QCOMPARE(w->path, b + "/abc_m.py");
    QCOMPARE(p.output, (QStringList{"Creating directory " + b + " ...", "  done\n",
                                    "Generating " + b + "/abc_m.py ...", "  done\n"}));
}

void TstRevisionWriter::newRevisionIdShape()
{
    const QString a = RevisionWriter::newRevisionId();
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{12}$")).match(a).hasMatch());
    QVERIFY(a != RevisionWriter::newRevisionId());
}

void TstRevisionWriter::resolveParents()
{
    // Expected values from alembic.script.revision.RevisionMap on the same three revisions.
    Revision a{QStringLiteral("a1a1"), {}, {}, {}, {}, {}, 0, {}, -1, 0};
    Revision b{QStringLiteral("b2b2"), {QStringLiteral("a1a1")}, {}, {}, {}, {}, 1, {}, -1, 0};
    Revision c{QStringLiteral("c3c3"), {QStringLiteral("a1a1")}, {QStringLiteral("feat")}, {}, {}, {}, 2, {}, -1, 0};
    Result<RevisionGraph> graph = RevisionGraph::build({a, b, c});
    QVERIFY2(graph.ok(), qPrintable(graph.error().message));
    RevisionRequest r;
    Result<void> res = RevisionWriter::resolveParents(*graph, QStringLiteral("head"), {}, &r);
    QVERIFY(!res.ok());
    QCOMPARE(res.error().message, QStringLiteral("Multiple heads are present; please specify the head revision "
                                                 "on which the new revision should be based, or perform a merge."));
    QVERIFY(RevisionWriter::resolveParents(*graph, QStringLiteral("heads"), {"feat", "b2", "c3c3"}, &r).ok());
    QCOMPARE(r.heads.size(), 2);
    QCOMPARE(r.heads.at(0).revision, QStringLiteral("b2b2"));
    QCOMPARE(r.heads.at(1).revision, QStringLiteral("c3c3"));
    QCOMPARE(r.dependsOn, (QStringList{"feat", "b2b2", "c3c3"}));
    QVERIFY(RevisionWriter::resolveParents(*graph, QStringLiteral("a1"), {}, &r).ok());
    QCOMPARE(r.heads.size(), 1);
    QCOMPARE(r.heads.at(0).revision, QStringLiteral("a1a1"));
    QVERIFY(!r.heads.at(0).isHead);
    QVERIFY(RevisionWriter::resolveParents(*graph, QStringLiteral("feat@head"), {}, &r).ok());
    QCOMPARE(r.heads.at(0).revision, QStringLiteral("c3c3"));
    QVERIFY(RevisionWriter::resolveParents(*graph, QStringLiteral("base"), {}, &r).ok());
    QVERIFY(r.heads.isEmpty());
}

void TstRevisionWriter::postWriteHooks()
{
    if (QStandardPaths::findExecutable("sed").isEmpty())
        QSKIP("sed is not installed");
    Project p;
    p.settings.hookConfig = {{"hooks", "fix"}, {"fix.type", "console_scripts"}, {"fix.entrypoint", "sed"},
                             {"fix.options", "-i -e 's/    pass/    return \"done\"/' REVISION_SCRIPT_FILENAME"}};
    Result<WrittenRevision> w = RevisionWriter::write(p.request("abc", QStringLiteral("m")), p.sink());
    QVERIFY2(w.ok(), qPrintable(w.error().toString()));
    QCOMPARE(p.output.mid(2), (QStringList{"Running post write hook \"fix\" ...\n", "  done\n"}));
    QVERIFY(readText(w->path).contains("def upgrade() -> None:\n    return \"done\"\n"));
    QCOMPARE(PostWriteHooks::commandLine("-l 79", "/x/a b.py"), (QStringList{"/x/a b.py", "-l", "79"}));
}

void TstRevisionWriter::multidbWithAlembicConfig()
{
    Project p;
    const QString ini = p.tmp.path() + "/alembic.ini";
    QFile f(ini);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[alembic]\nscript_location = migrations\ndatabases = one,  two\n");
    f.close();
    Result<AlembicConfig> config = AlembicConfig::load(ini);
    QVERIFY2(config.ok(), qPrintable(config.error().message));
    QFile::remove(p.settings.scriptDirectory + "/script.py.mako");
    QFile::copy(":/retort/templates/multidb/script.py.mako", p.settings.scriptDirectory + "/script.py.mako");
    RevisionRequest r = p.request("abc", QStringLiteral("m"));
    r.templateArgs = {{"config", RevisionWriter::configValue(*config)},
                      {"one_upgrades", MakoValue::str("op.create_table('t')")}};
    Result<WrittenRevision> w = RevisionWriter::write(r, p.sink());
    QVERIFY2(w.ok(), qPrintable(w.error().toString()));
    const QString text = readText(w->path);
    QVERIFY(text.contains("\n\ndef upgrade_one() -> None:\n    op.create_table('t')\n\n\n"
                          "def downgrade_one() -> None:\n    pass\n\n\n"
                          "def upgrade_two() -> None:\n    pass\n"));
}

void TstRevisionWriter::postWriteHookErrors_data()
{
    QTest::addColumn<PostWriteHooks::Items>("config");
    QTest::addColumn<QString>("error");
    QTest::newRow("no type") << PostWriteHooks::Items{{"hooks", "black"}}
                             << "Key black.type is required for post write hook 'black'";
    QTest::newRow("unknown type") << PostWriteHooks::Items{{"hooks", "a, b"}, {"a.type", "exec"}}
                                  << "No formatter with name 'exec' registered";
    QTest::newRow("no entrypoint") << PostWriteHooks::Items{{"hooks", "x"}, {"x.type", "console_scripts"}}
                                   << "Key x.entrypoint is required for post write hook 'x'";
    QTest::newRow("missing entrypoint")
        << PostWriteHooks::Items{{"hooks", "x"}, {"x.type", "console_scripts"}, {"x.entrypoint", "no-such-tool-zz"}}
        << "Could not find entrypoint console_scripts.no-such-tool-zz";
}

void TstRevisionWriter::postWriteHookErrors()
{
    QFETCH(PostWriteHooks::Items, config);
    QFETCH(QString, error);
    Project p;
    Result<void> r = PostWriteHooks::run(p.tmp.path() + "/x.py", config, p.sink());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().message, error);
}

QTEST_GUILESS_MAIN(TstRevisionWriter)
#include "tst_revisionwriter.moc"
