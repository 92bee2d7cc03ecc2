<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>MigrationSession</name>
    <message>
        <source>; SQL rendered by Alembic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; Alembic cannot render it offline: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs Python: %1 (line %2)%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot render natively: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>revision %1 cannot be rendered: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no usable Python: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>using %1 (alembic %2) to preview steps that need Python</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Roll Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database has several heads. Roll back which one?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migration Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The migration failed:

%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A backup was taken before it started:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore Backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep Database As Is</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::AboutDialog</name>
    <message>
        <source>About Retort Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (built with %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retort Studio %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse and apply Alembic migrations: a C++17 / Qt 6 reimplementation of Alembic (the &lt;code&gt;retort&lt;/code&gt; command line and this studio).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Qt %1 · QScintilla %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Components and their licences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Qt: LGPL v3 (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QScintilla: GPL v3 (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QtKeychain: BSD 3-Clause (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alembic, whose behaviour Retort follows: MIT (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alembic documentation: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::ApplyConfirmationDialog</name>
    <message>
        <source>-- !! data loss: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>-- !! warning: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>-- review: </source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 on %2 runs %n step(s):</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Data will be lost: this run %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review: this run %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n step(s) need Python the native engine does not run: the project&apos;s Alembic writes their SQL (&quot;rendered by Alembic&quot; above), run in this run&apos;s transaction, or runs a step itself where it reads the database, as `retort upgrade` does.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Back up the database first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I understand that this run deletes data</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::AutogenerateReviewModel</name>
    <message>
        <source>Possibly a rename of %1: use “Treat as Rename”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This change is not flagged as a possible rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only added / dropped tables and columns can be renames</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::AutogenerateReviewView</name>
    <message>
        <source>Compare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare the models with the database (revision --autogenerate)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revision message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create Revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a revision script with the checked changes and open it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Treat as Rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the dropped and the added column or table by one rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing is ticked: Create Revision writes only the ticked changes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Definitions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Script Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare to see how the models differ from the database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing is ticked: tick the changes the revision should make</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the models and reading the database…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comparison failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No changes: the database matches the models.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 change detected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 changes detected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>env.py passes %1 to context.configure() as a function; Retort compares without it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write the revision: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing is ticked: tick the changes the revision should make.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare to preview the revision script.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare to see the database and the models side by side.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whole schema: database (left) and models (right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Table %1 renamed to %2: database (left) and models (right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Table %1: database (left) and models (right)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::BackupsModel</name>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(unknown)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::BackupsView</name>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back Up Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep newest:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Older backups of each database are deleted when a new one is written (0: keep all)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All databases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(unknown database)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the database with the backup of %1 (revision %2)?

%3

Everything changed since is lost from the database; its current state is backed up first, so this restore can be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore Backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete Backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the backup %1?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::ConnectionBar</name>
    <message>
        <source>Database URL (from the project, or type one)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The project&apos;s URL (env.py override or sqlalchemy.url), or one you enter. Passwords are kept in the system keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keychain: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password for %1 was not saved: the system keychain is unavailable (%2). It is kept in memory until the studio closes; you will be asked to type it again next time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dialect: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current: &lt;i&gt;no database yet (the first upgrade creates it)&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current: &lt;i&gt;empty (base)&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::DefinitionDiffModel</name>
    <message>
        <source>Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Models</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::EngineSelector</name>
    <message>
        <source>The multidb template&apos;s engine the studio shows and migrates (`databases` in alembic.ini)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::HistoryModel</name>
    <message>
        <source>current</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>head</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>base</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>branchpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branch labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::HistoryView</name>
    <message>
        <source>Filter revisions (id, message, label, flag, path)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::LogView</name>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log files (*.log *.txt)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::MainWindow</name>
    <message>
        <source>Retort Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening another project closes it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not open %1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — Retort Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Alembic Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alembic config (*.ini);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge Heads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message for the merge revision:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>merge heads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n revision(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n head(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Not connected: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::MigrationController</name>
    <message>
        <source>Upgrading to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downgrading to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rolling back the last migration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A migration is already running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No project is open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to do: the database is already there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backing up the database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restoring %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
The backup was restored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
Restoring the backup failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::MigrationWorker</name>
    <message>
        <source>Nothing to roll back: the database has no applied revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upgrade to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downgrade to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing planned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>revision %1 needs Python for engine %2 (%3, line %4) and must run in Alembic against the database (it %5); the studio cannot hand one engine&apos;s step to Alembic. Nothing was changed; run `alembic` for it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup failed, nothing was changed: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled before the first step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migrated to %1 (1 step)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Migrated to %1 (%n steps)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancelled after %1 of %n steps</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>. Nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No database to restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restored the backup %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup failed: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backed up to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a %2 backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The backup is of %1, the project&apos;s database is %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::NewProjectDialog</name>
    <message>
        <source>New Alembic Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alembic.ini is written here; the project is run from this folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The migration environment (env.py, script.py.mako, versions/), relative to the project folder; it must not exist or be empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>driver://user:pass@localhost/dbname (leave empty to edit later)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Written into sqlalchemy.url (multidb: the first engine&apos;s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project &amp;folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Scripts directory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Template:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database &amp;URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File %1 already exists; choose a folder without an alembic.ini</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The template&apos;s alembic.ini has no sqlalchemy.url line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::NewRevisionDialog</name>
    <message>
        <source>&amp;Autogenerate: compare the models with the database and review the changes first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New Revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(choose a head)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>head</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>base (start a new branch; give it a label)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>revision ids or branch labels, comma-separated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revisions this one depends on without descending from them (--depends-on)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A label naming the branch this revision starts or belongs to (--branch-label)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On top of &amp;head:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Branch label:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Depends on:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs a connected database (Autogenerate compares with it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review Changes…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
(written to %2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::PreferencesDialog</name>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> pt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the backups taken before each run are written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many backups to keep per database; older ones are deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default: found per project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Python that runs the project&apos;s own Alembic (steps that need Python, autogenerate&apos;s models). Empty: $RETORT_PYTHON, the ini&apos;s retort_python, the active or the project&apos;s virtualenv, python3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Editor &amp;font:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Backup folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backups &amp;kept:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Python interpreter:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Python Interpreter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new language applies the next time Retort Studio starts.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::ProjectBanners</name>
    <message>
        <source>&lt;b&gt;%1 heads:&lt;/b&gt; %2. &lt;code&gt;upgrade head&lt;/code&gt; is ambiguous until they are merged (or upgrade to &lt;code&gt;heads&lt;/code&gt;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;The database is at revision %1, which no script defines.&lt;/b&gt;&lt;br&gt;Alembic stops with &lt;i&gt;Can&apos;t locate revision identified by &apos;%2&apos;&lt;/i&gt;: upgrade, downgrade and history against this database fail until the script is back in %3 (another branch or checkout?) or the database is stamped to a known revision (&lt;code&gt;retort stamp &amp;lt;revision&amp;gt;&lt;/code&gt;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::ProjectDocument</name>
    <message>
        <source>No config file %1 found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No project is open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is only one head; nothing to merge</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::RecentProjectsMenu</name>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::RevisionGraphView</name>
    <message>
        <source>Find revision or message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No revisions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a project (Ctrl+O)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>head</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>base</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upgrade to here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downgrade to here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show script</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview SQL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy revision id</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::SchemaBrowserView</name>
    <message>
        <source>Filter tables and columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not read yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the database…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the database: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n table(s) in %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>retort::SchemaTreeModel</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Definition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Part of the primary key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Indexes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Constraints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>schema</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>view</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::ScriptEditorView</name>
    <message>
        <source>This revision is already applied to the connected database. Editing it does not change the database: downgrade first, or write a new revision.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>untitled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No file to save to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: %1 has a syntax error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::ScriptPrompts</name>
    <message>
        <source>Unsaved Changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has unsaved changes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save them first?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1. Save the changes first?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syntax Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has a syntax error: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alembic cannot load a script with a syntax error: every command on this project fails until it is fixed. Save anyway?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File Changed on Disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was changed outside the studio, and the editor has unsaved changes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload and Discard My Changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep My Changes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::SqlPreviewView</name>
    <message>
        <source>Upgrade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downgrade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fro&amp;m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The dialect to render for: the connection&apos;s (what an online run executes) or another one (what --sql prints with a URL of that dialect)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the script as a .sql file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database&apos;s current revision: what an online run executes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n step(s), %1 as --sql prints from %2</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n step(s) an online run executes on %1 from %2</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to run: the database is already there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revision %1 (%2) cannot be rendered: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revision &lt;b&gt;%1&lt;/b&gt; (%2) cannot be rendered: %3&lt;br&gt;The SQL before it is shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The script is incomplete: a step&apos;s SQL is only a comment.&lt;br&gt;%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save SQL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQL files (*.sql);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::StartPage</name>
    <message>
        <source>No recent projects.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retort Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open an Alembic project (its alembic.ini) or create one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent projects</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::StudioActions</name>
    <message>
        <source>&amp;New Project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a project from a template (alembic init)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a project by its alembic.ini</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save Script</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the script open in the editor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save A&amp;ll</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save every script with unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-read the revision scripts and the database&apos;s current revisions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit Retort Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Upgrade to Here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upgrade the database to the selected revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Downgrade to Here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downgrade the database to the selected revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roll &amp;Back Last Migration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downgrade by one revision (downgrade -1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the running migration before its next step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Merge Heads…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a merge revision joining every head (alembic merge heads)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;Revision…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write an empty revision script on top of a head (alembic revision -m)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find Revision…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a revision by id or message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Larger graph</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smaller graph</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;Script</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the selected revision&apos;s script</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preview SQL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the SQL that upgrading to the selected revision runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Autogenerate Revision…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare the models with the database and review the changes before writing a revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reset Zoom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Graph at its normal size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Go to Current Revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the revision the database is at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo the last edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redo the last undone edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cut the selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select everything</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find in the script editor, or a revision in the graph</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pre&amp;ferences…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theme, editor font, backups, Python, language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Retort Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version, licences and links</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Qt version and licence</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::StudioDocks</name>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Script</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQL Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schema</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Autogenerate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Script — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening %1 replaces it in the editor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quitting closes it</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>retort::StudioMenus</name>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database has no current revision (it is at base)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected to the database</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
