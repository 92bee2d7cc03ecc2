<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>MigrationSession</name>
    <message>
        <source>; SQL rendered by Alembic</source>
        <translation>; SQL von Alembic erzeugt</translation>
    </message>
    <message>
        <source>%1; Alembic cannot render it offline: %2</source>
        <translation>%1; Alembic kann es nicht offline erzeugen: %2</translation>
    </message>
    <message>
        <source>needs Python: %1 (line %2)%3</source>
        <translation>braucht Python: %1 (Zeile %2)%3</translation>
    </message>
    <message>
        <source>cannot render natively: </source>
        <translation>nicht nativ erzeugbar: </translation>
    </message>
    <message>
        <source>revision %1 cannot be rendered: %2</source>
        <translation>Revision %1 kann nicht erzeugt werden: %2</translation>
    </message>
    <message>
        <source>no usable Python: </source>
        <translation>kein verwendbares Python: </translation>
    </message>
    <message>
        <source>using %1 (alembic %2) to preview steps that need Python</source>
        <translation>%1 (alembic %2) erzeugt die Vorschau der Schritte, die Python brauchen</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Roll Back</source>
        <translation>Zurücknehmen</translation>
    </message>
    <message>
        <source>The database has several heads. Roll back which one?</source>
        <translation>Die Datenbank hat mehrere Heads. Welchen zurücknehmen?</translation>
    </message>
    <message>
        <source>Migration Failed</source>
        <translation>Migration fehlgeschlagen</translation>
    </message>
    <message>
        <source>The migration failed:

%1</source>
        <translation>Die Migration ist fehlgeschlagen:

%1</translation>
    </message>
    <message>
        <source>A backup was taken before it started:
%1</source>
        <translation>Vor dem Start wurde ein Backup angelegt:
%1</translation>
    </message>
    <message>
        <source>Restore Backup</source>
        <translation>Backup wiederherstellen</translation>
    </message>
    <message>
        <source>Keep Database As Is</source>
        <translation>Datenbank so belassen</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Browse and apply Alembic migrations.</source>
        <translation>Alembic-Migrationen ansehen und anwenden.</translation>
    </message>
    <message>
        <source>The project&apos;s config file to open.</source>
        <translation>Die zu öffnende Konfigurationsdatei des Projekts.</translation>
    </message>
</context>
<context>
    <name>retort::AboutDialog</name>
    <message>
        <source>About Retort Studio</source>
        <translation>Über Retort Studio</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>%1 (built with %2)</source>
        <translation>%1 (gebaut mit %2)</translation>
    </message>
    <message>
        <source>Retort Studio %1</source>
        <translation>Retort Studio %1</translation>
    </message>
    <message>
        <source>Browse and apply Alembic migrations: a C++17 / Qt 6 reimplementation of Alembic (the &lt;code&gt;retort&lt;/code&gt; command line and this studio).</source>
        <translation>Alembic-Migrationen ansehen und anwenden: eine Neuimplementierung von Alembic in C++17 / Qt 6 (die Kommandozeile &lt;code&gt;retort&lt;/code&gt; und dieses Studio).</translation>
    </message>
    <message>
        <source>Qt %1 · QScintilla %2</source>
        <translation>Qt %1 · QScintilla %2</translation>
    </message>
    <message>
        <source>Components and their licences</source>
        <translation>Komponenten und ihre Lizenzen</translation>
    </message>
    <message>
        <source>Qt: LGPL v3 (%1)</source>
        <translation>Qt: LGPL v3 (%1)</translation>
    </message>
    <message>
        <source>QScintilla: GPL v3 (%1)</source>
        <translation>QScintilla: GPL v3 (%1)</translation>
    </message>
    <message>
        <source>QtKeychain: BSD 3-Clause (%1)</source>
        <translation>QtKeychain: BSD 3-Clause (%1)</translation>
    </message>
    <message>
        <source>Alembic, whose behaviour Retort follows: MIT (%1)</source>
        <translation>Alembic, dessen Verhalten Retort folgt: MIT (%1)</translation>
    </message>
    <message>
        <source>Alembic documentation: %1</source>
        <translation>Alembic-Dokumentation: %1</translation>
    </message>
</context>
<context>
    <name>retort::ApplyConfirmationDialog</name>
    <message>
        <source>-- !! data loss: </source>
        <translation>-- !! Datenverlust: </translation>
    </message>
    <message>
        <source>-- !! warning: </source>
        <translation>-- !! Warnung: </translation>
    </message>
    <message>
        <source>-- review: </source>
        <translation>-- Prüfen: </translation>
    </message>
    <message numerus="yes">
        <source>%1 on %2 runs %n step(s):</source>
        <translation>
            <numerusform>%1 in %2 führt %n Schritt aus:</numerusform>
            <numerusform>%1 in %2 führt %n Schritte aus:</numerusform>
        </translation>
    </message>
    <message>
        <source>Data will be lost: this run %1.</source>
        <translation>Daten gehen verloren: dieser Lauf %1.</translation>
    </message>
    <message>
        <source>Review: this run %1.</source>
        <translation>Prüfen: dieser Lauf %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n step(s) need Python the native engine does not run: the project&apos;s Alembic writes their SQL (&quot;rendered by Alembic&quot; above), run in this run&apos;s transaction, or runs a step that reads the database itself, on this run&apos;s connection and in its transaction where it can, as `retort upgrade` does.</source>
        <translation>
            <numerusform>%n Schritt braucht Python, das die native Engine nicht ausführt: das Alembic des Projekts schreibt sein SQL (oben „rendered by Alembic“), das in der Transaktion dieses Laufs ausgeführt wird, oder führt den Schritt, der die Datenbank liest, selbst aus, wo möglich auf der Verbindung und in der Transaktion dieses Laufs, wie es `retort upgrade` tut.</numerusform>
            <numerusform>%n Schritte brauchen Python, das die native Engine nicht ausführt: das Alembic des Projekts schreibt ihr SQL (oben „rendered by Alembic“), das in der Transaktion dieses Laufs ausgeführt wird, oder führt einen Schritt, der die Datenbank liest, selbst aus, wo möglich auf der Verbindung und in der Transaktion dieses Laufs, wie es `retort upgrade` tut.</numerusform>
        </translation>
    </message>
    <message>
        <source>Back up the database first</source>
        <translation>Zuerst ein Backup der Datenbank anlegen</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ausführen</translation>
    </message>
    <message>
        <source>I understand that this run deletes data</source>
        <translation>Mir ist klar, dass dieser Lauf Daten löscht</translation>
    </message>
    <message>
        <source>Rehearse on a copy first</source>
        <translation>Zuerst auf einer Kopie proben</translation>
    </message>
    <message>
        <source>Run the plan on a scratch copy of the database first, report each step&apos;s time, rows and locks and the schema diff in the log, drop the copy, and run for real only if the rehearsal succeeded.</source>
        <translation>Den Plan zuerst auf einer temporären Kopie der Datenbank ausführen, Zeit, Zeilen und Sperren jedes Schritts sowie die Schemaänderungen im Protokoll melden, die Kopie löschen und nur dann wirklich ausführen, wenn die Probe gelungen ist.</translation>
    </message>
    <message>
        <source>This database cannot be copied for a rehearsal (in memory, or one engine of a multidb project).</source>
        <translation>Diese Datenbank kann für eine Probe nicht kopiert werden (im Speicher, oder eine Engine eines Multidb-Projekts).</translation>
    </message>
</context>
<context>
    <name>retort::AutogenerateReviewModel</name>
    <message>
        <source>Possibly a rename of %1: use “Treat as Rename”</source>
        <translation>Vielleicht eine Umbenennung von %1: „Als Umbenennung behandeln“ verwenden</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <source>This change is not flagged as a possible rename</source>
        <translation>Diese Änderung ist nicht als mögliche Umbenennung markiert</translation>
    </message>
    <message>
        <source>Only added / dropped tables and columns can be renames</source>
        <translation>Nur hinzugefügte / entfernte Tabellen und Spalten können Umbenennungen sein</translation>
    </message>
</context>
<context>
    <name>retort::AutogenerateReviewView</name>
    <message>
        <source>Compare</source>
        <translation>Vergleichen</translation>
    </message>
    <message>
        <source>Compare the models with the database (revision --autogenerate)</source>
        <translation>Die Modelle mit der Datenbank vergleichen (revision --autogenerate)</translation>
    </message>
    <message>
        <source>Revision message</source>
        <translation>Revisionsnachricht</translation>
    </message>
    <message>
        <source>Create Revision</source>
        <translation>Revision erstellen</translation>
    </message>
    <message>
        <source>Write a revision script with the checked changes and open it</source>
        <translation>Ein Revisionsskript mit den angehakten Änderungen schreiben und öffnen</translation>
    </message>
    <message>
        <source>Treat as Rename</source>
        <translation>Als Umbenennung behandeln</translation>
    </message>
    <message>
        <source>Replace the dropped and the added column or table by one rename</source>
        <translation>Die entfernte und die hinzugefügte Spalte oder Tabelle durch eine Umbenennung ersetzen</translation>
    </message>
    <message>
        <source>Nothing is ticked: Create Revision writes only the ticked changes.</source>
        <translation>Nichts angehakt: „Revision erstellen“ schreibt nur die angehakten Änderungen.</translation>
    </message>
    <message>
        <source>Definitions</source>
        <translation>Definitionen</translation>
    </message>
    <message>
        <source>Script Preview</source>
        <translation>Skriptvorschau</translation>
    </message>
    <message>
        <source>Compare to see how the models differ from the database.</source>
        <translation>Vergleichen, um zu sehen, wie sich die Modelle von der Datenbank unterscheiden.</translation>
    </message>
    <message>
        <source>Nothing is ticked: tick the changes the revision should make</source>
        <translation>Nichts angehakt: die Änderungen anhaken, die die Revision vornehmen soll</translation>
    </message>
    <message>
        <source>Loading the models and reading the database…</source>
        <translation>Modelle werden geladen und die Datenbank gelesen…</translation>
    </message>
    <message>
        <source>Comparison failed: %1</source>
        <translation>Vergleich fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>No changes: the database matches the models.</source>
        <translation>Keine Änderungen: die Datenbank entspricht den Modellen.</translation>
    </message>
    <message>
        <source>1 change detected.</source>
        <translation>1 Änderung gefunden.</translation>
    </message>
    <message>
        <source>%1 changes detected.</source>
        <translation>%1 Änderungen gefunden.</translation>
    </message>
    <message>
        <source>env.py passes %1 to context.configure() as a function; Retort compares without it.</source>
        <translation>env.py übergibt %1 als Funktion an context.configure(); Retort vergleicht ohne sie.</translation>
    </message>
    <message>
        <source>Could not write the revision: %1</source>
        <translation>Die Revision konnte nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>%1 geschrieben</translation>
    </message>
    <message>
        <source>Compare first.</source>
        <translation>Zuerst vergleichen.</translation>
    </message>
    <message>
        <source>Nothing is ticked: tick the changes the revision should make.</source>
        <translation>Nichts angehakt: die Änderungen anhaken, die die Revision vornehmen soll.</translation>
    </message>
    <message>
        <source>Compare to preview the revision script.</source>
        <translation>Vergleichen, um eine Vorschau des Revisionsskripts zu sehen.</translation>
    </message>
    <message>
        <source>Compare to see the database and the models side by side.</source>
        <translation>Vergleichen, um Datenbank und Modelle nebeneinander zu sehen.</translation>
    </message>
    <message>
        <source>Whole schema: database (left) and models (right)</source>
        <translation>Ganzes Schema: Datenbank (links) und Modelle (rechts)</translation>
    </message>
    <message>
        <source>Table %1 renamed to %2: database (left) and models (right)</source>
        <translation>Tabelle %1 umbenannt in %2: Datenbank (links) und Modelle (rechts)</translation>
    </message>
    <message>
        <source>Table %1: database (left) and models (right)</source>
        <translation>Tabelle %1: Datenbank (links) und Modelle (rechts)</translation>
    </message>
</context>
<context>
    <name>retort::BackupsModel</name>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>(unknown)</source>
        <translation>(unbekannt)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>Revision</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
</context>
<context>
    <name>retort::BackupsView</name>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Back Up Now</source>
        <translation>Jetzt sichern</translation>
    </message>
    <message>
        <source>Restore...</source>
        <translation>Wiederherstellen...</translation>
    </message>
    <message>
        <source>Delete...</source>
        <translation>Löschen...</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>Ordner öffnen</translation>
    </message>
    <message>
        <source>Keep newest:</source>
        <translation>Neueste behalten:</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>Older backups of each database are deleted when a new one is written (0: keep all)</source>
        <translation>Ältere Backups jeder Datenbank werden gelöscht, wenn ein neues geschrieben wird (0: alle behalten)</translation>
    </message>
    <message>
        <source>All databases</source>
        <translation>Alle Datenbanken</translation>
    </message>
    <message>
        <source>(unknown database)</source>
        <translation>(unbekannte Datenbank)</translation>
    </message>
    <message>
        <source>Replace the database with the backup of %1 (revision %2)?

%3

Everything changed since is lost from the database; its current state is backed up first, so this restore can be undone.</source>
        <translation>Die Datenbank durch das Backup vom %1 (Revision %2) ersetzen?

%3

Alles, was sich seitdem geändert hat, geht in der Datenbank verloren; ihr aktueller Stand wird zuerst gesichert, sodass sich diese Wiederherstellung rückgängig machen lässt.</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>Restore Backup</source>
        <translation>Backup wiederherstellen</translation>
    </message>
    <message>
        <source>Delete Backup</source>
        <translation>Backup löschen</translation>
    </message>
    <message>
        <source>Delete the backup %1?</source>
        <translation>Das Backup %1 löschen?</translation>
    </message>
</context>
<context>
    <name>retort::ConnectionBar</name>
    <message>
        <source>Database URL (from the project, or type one)</source>
        <translation>Datenbank-URL (aus dem Projekt, oder eine eingeben)</translation>
    </message>
    <message>
        <source>The project&apos;s URL (env.py override or sqlalchemy.url), or one you enter. Passwords are kept in the system keychain.</source>
        <translation>Die URL des Projekts (aus env.py oder sqlalchemy.url) oder eine eingegebene. Passwörter werden im Schlüsselbund des Systems gespeichert.</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>Datenbank:</translation>
    </message>
    <message>
        <source>Keychain: %1</source>
        <translation>Schlüsselbund: %1</translation>
    </message>
    <message>
        <source>The password for %1 was not saved: the system keychain is unavailable (%2). It is kept in memory until the studio closes; you will be asked to type it again next time.</source>
        <translation>Das Passwort für %1 wurde nicht gespeichert: der Schlüsselbund des Systems ist nicht verfügbar (%2). Es bleibt im Speicher, bis das Studio geschlossen wird; beim nächsten Mal werden Sie erneut danach gefragt.</translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation>Neu verbinden</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>Dialect: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Dialekt: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Current: &lt;i&gt;no database yet (the first upgrade creates it)&lt;/i&gt;</source>
        <translation>Aktuell: &lt;i&gt;noch keine Datenbank (das erste Upgrade legt sie an)&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Current: &lt;i&gt;empty (base)&lt;/i&gt;</source>
        <translation>Aktuell: &lt;i&gt;leer (base)&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Current: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Aktuell: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>retort::DefinitionDiffModel</name>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
</context>
<context>
    <name>retort::EngineSelector</name>
    <message>
        <source>The multidb template&apos;s engine the studio shows and migrates (`databases` in alembic.ini)</source>
        <translation>Die Engine der multidb-Vorlage, die das Studio zeigt und migriert (`databases` in alembic.ini)</translation>
    </message>
    <message>
        <source>Engine:</source>
        <translation>Engine:</translation>
    </message>
</context>
<context>
    <name>retort::HistoryModel</name>
    <message>
        <source>current</source>
        <translation>aktuell</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>ausstehend</translation>
    </message>
    <message>
        <source>head</source>
        <translation>head</translation>
    </message>
    <message>
        <source>base</source>
        <translation>base</translation>
    </message>
    <message>
        <source>merge</source>
        <translation>merge</translation>
    </message>
    <message>
        <source>branchpoint</source>
        <translation>branchpoint</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>Revision</translation>
    </message>
    <message>
        <source>Parents</source>
        <translation>Eltern</translation>
    </message>
    <message>
        <source>Branch labels</source>
        <translation>Branch-Labels</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>Merkmale</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <source>changed since applied</source>
        <translation>seit dem Anwenden geändert</translation>
    </message>
    <message>
        <source>no checksum</source>
        <translation>keine Prüfsumme</translation>
    </message>
    <message>
        <source>The script&apos;s upgrade() changed since this revision was applied.</source>
        <translation>upgrade() des Skripts wurde geändert, seit diese Revision angewendet wurde.</translation>
    </message>
</context>
<context>
    <name>retort::HistoryView</name>
    <message>
        <source>Filter revisions (id, message, label, flag, path)</source>
        <translation>Revisionen filtern (ID, Nachricht, Label, Merkmal, Pfad)</translation>
    </message>
</context>
<context>
    <name>retort::LogView</name>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Save...</source>
        <translation>Speichern...</translation>
    </message>
    <message>
        <source>Save Log</source>
        <translation>Protokoll speichern</translation>
    </message>
    <message>
        <source>Log files (*.log *.txt)</source>
        <translation>Protokolldateien (*.log *.txt)</translation>
    </message>
</context>
<context>
    <name>retort::MainWindow</name>
    <message>
        <source>Retort Studio</source>
        <translation>Retort Studio</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Revision</source>
        <translation>&amp;Revision</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Hauptleiste</translation>
    </message>
    <message>
        <source>Opening another project closes it</source>
        <translation>Das Öffnen eines anderen Projekts schließt es</translation>
    </message>
    <message>
        <source>Could not open %1:</source>
        <translation>%1 konnte nicht geöffnet werden:</translation>
    </message>
    <message>
        <source>%1 — Retort Studio</source>
        <translation>%1 — Retort Studio</translation>
    </message>
    <message>
        <source>Open Alembic Project</source>
        <translation>Alembic-Projekt öffnen</translation>
    </message>
    <message>
        <source>Alembic config (*.ini);;All files (*)</source>
        <translation>Alembic-Konfiguration (*.ini);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Merge Heads</source>
        <translation>Heads zusammenführen</translation>
    </message>
    <message>
        <source>Message for the merge revision:</source>
        <translation>Nachricht für die Merge-Revision:</translation>
    </message>
    <message>
        <source>merge heads</source>
        <translation>merge heads</translation>
    </message>
    <message>
        <source>Merge failed: %1</source>
        <translation>Zusammenführen fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>%1 geschrieben</translation>
    </message>
    <message numerus="yes">
        <source>%n revision(s)</source>
        <translation>
            <numerusform>%n Revision</numerusform>
            <numerusform>%n Revisionen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n head(s)</source>
        <translation>
            <numerusform>%n Head</numerusform>
            <numerusform>%n Heads</numerusform>
        </translation>
    </message>
    <message>
        <source>Not connected: %1</source>
        <translation>Nicht verbunden: %1</translation>
    </message>
    <message>
        <source>Save or discard the open script&apos;s changes before squashing</source>
        <translation>Speichern oder verwerfen Sie die Änderungen am geöffneten Skript vor dem Zusammenfassen</translation>
    </message>
</context>
<context>
    <name>retort::MigrationController</name>
    <message>
        <source>Upgrading to %1</source>
        <translation>Upgrade auf %1</translation>
    </message>
    <message>
        <source>Downgrading to %1</source>
        <translation>Downgrade auf %1</translation>
    </message>
    <message>
        <source>Rolling back the last migration</source>
        <translation>Die letzte Migration wird zurückgenommen</translation>
    </message>
    <message>
        <source>A migration is already running</source>
        <translation>Es läuft bereits eine Migration</translation>
    </message>
    <message>
        <source>No project is open</source>
        <translation>Kein Projekt geöffnet</translation>
    </message>
    <message>
        <source>Nothing to do: the database is already there</source>
        <translation>Nichts zu tun: die Datenbank ist bereits dort</translation>
    </message>
    <message>
        <source>Backing up the database</source>
        <translation>Backup der Datenbank wird angelegt</translation>
    </message>
    <message>
        <source>Restoring %1</source>
        <translation>%1 wird wiederhergestellt</translation>
    </message>
    <message>
        <source>%1
The backup was restored.</source>
        <translation>%1
Das Backup wurde wiederhergestellt.</translation>
    </message>
    <message>
        <source>%1
Restoring the backup failed: %2</source>
        <translation>%1
Das Wiederherstellen des Backups ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Cancelled: nothing was run</source>
        <translation>Abgebrochen: nichts wurde ausgeführt</translation>
    </message>
</context>
<context>
    <name>retort::MigrationWorker</name>
    <message>
        <source>Nothing to roll back: the database has no applied revision</source>
        <translation>Nichts zurückzunehmen: die Datenbank hat keine angewendete Revision</translation>
    </message>
    <message>
        <source>Upgrade to %1</source>
        <translation>Upgrade auf %1</translation>
    </message>
    <message>
        <source>Downgrade to %1</source>
        <translation>Downgrade auf %1</translation>
    </message>
    <message>
        <source>Nothing planned</source>
        <translation>Nichts geplant</translation>
    </message>
    <message>
        <source>revision %1 needs Python for engine %2 (%3, line %4) and must run in Alembic against the database (it %5); the studio cannot hand one engine&apos;s step to Alembic. Nothing was changed; run `alembic` for it.</source>
        <translation>Revision %1 braucht Python für die Engine %2 (%3, Zeile %4) und muss in Alembic gegen die Datenbank laufen (sie %5); das Studio kann den Schritt einer einzelnen Engine nicht an Alembic übergeben. Nichts wurde geändert; führen Sie dafür `alembic` aus.</translation>
    </message>
    <message>
        <source>Backup failed, nothing was changed: </source>
        <translation>Backup fehlgeschlagen, nichts wurde geändert: </translation>
    </message>
    <message>
        <source>Cancelled before the first step</source>
        <translation>Vor dem ersten Schritt abgebrochen</translation>
    </message>
    <message>
        <source>Migrated to %1 (1 step)</source>
        <translation>Auf %1 migriert (1 Schritt)</translation>
    </message>
    <message numerus="yes">
        <source>Migrated to %1 (%n steps)</source>
        <translation>
            <numerusform>Auf %1 migriert (%n Schritt)</numerusform>
            <numerusform>Auf %1 migriert (%n Schritte)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancelled after %1 of %n steps</source>
        <translation>
            <numerusform>Abgebrochen nach %1 von %n Schritt</numerusform>
            <numerusform>Abgebrochen nach %1 von %n Schritten</numerusform>
        </translation>
    </message>
    <message>
        <source>. Nothing was changed.</source>
        <translation>. Nichts wurde geändert.</translation>
    </message>
    <message>
        <source>No database to restore</source>
        <translation>Keine Datenbank zum Wiederherstellen</translation>
    </message>
    <message>
        <source>Restored the backup %1</source>
        <translation>Backup %1 wiederhergestellt</translation>
    </message>
    <message>
        <source>Backup failed: </source>
        <translation>Backup fehlgeschlagen: </translation>
    </message>
    <message>
        <source>Backed up to %1</source>
        <translation>Gesichert nach %1</translation>
    </message>
    <message>
        <source>%1 is not a %2 backup</source>
        <translation>%1 ist kein %2-Backup</translation>
    </message>
    <message>
        <source>The backup is of %1, the project&apos;s database is %2</source>
        <translation>Das Backup ist von %1, die Datenbank des Projekts ist %2</translation>
    </message>
    <message>
        <source>Rehearsing on a copy of the database first</source>
        <translation>Probe zuerst auf einer Kopie der Datenbank</translation>
    </message>
    <message>
        <source>Cancelled after the rehearsal; nothing was changed</source>
        <translation>Nach der Probe abgebrochen; nichts wurde geändert</translation>
    </message>
    <message>
        <source>Rehearsal on a copy failed, nothing was changed: %1</source>
        <translation>Probe auf einer Kopie fehlgeschlagen, nichts wurde geändert: %1</translation>
    </message>
</context>
<context>
    <name>retort::NewProjectDialog</name>
    <message>
        <source>New Alembic Project</source>
        <translation>Neues Alembic-Projekt</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>alembic.ini is written here; the project is run from this folder</source>
        <translation>alembic.ini wird hier geschrieben; das Projekt läuft aus diesem Ordner</translation>
    </message>
    <message>
        <source>The migration environment (env.py, script.py.mako, versions/), relative to the project folder; it must not exist or be empty</source>
        <translation>Die Migrationsumgebung (env.py, script.py.mako, versions/), relativ zum Projektordner; sie darf nicht existieren oder muss leer sein</translation>
    </message>
    <message>
        <source>driver://user:pass@localhost/dbname (leave empty to edit later)</source>
        <translation>driver://user:pass@localhost/dbname (leer lassen, um sie später einzutragen)</translation>
    </message>
    <message>
        <source>Written into sqlalchemy.url (multidb: the first engine&apos;s)</source>
        <translation>Wird in sqlalchemy.url geschrieben (multidb: die der ersten Engine)</translation>
    </message>
    <message>
        <source>Project &amp;folder:</source>
        <translation>Projekt&amp;ordner:</translation>
    </message>
    <message>
        <source>&amp;Scripts directory:</source>
        <translation>&amp;Skriptverzeichnis:</translation>
    </message>
    <message>
        <source>&amp;Template:</source>
        <translation>&amp;Vorlage:</translation>
    </message>
    <message>
        <source>Database &amp;URL:</source>
        <translation>Datenbank-&amp;URL:</translation>
    </message>
    <message>
        <source>Project Folder</source>
        <translation>Projektordner</translation>
    </message>
    <message>
        <source>File %1 already exists; choose a folder without an alembic.ini</source>
        <translation>Die Datei %1 existiert bereits; wählen Sie einen Ordner ohne alembic.ini</translation>
    </message>
    <message>
        <source>Nothing was created.</source>
        <translation>Es wurde nichts angelegt.</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>%1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>The template&apos;s alembic.ini has no sqlalchemy.url line</source>
        <translation>Die alembic.ini der Vorlage hat keine Zeile sqlalchemy.url</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>retort::NewRevisionDialog</name>
    <message>
        <source>&amp;Autogenerate: compare the models with the database and review the changes first</source>
        <translation>&amp;Autogenerieren: zuerst die Modelle mit der Datenbank vergleichen und die Änderungen prüfen</translation>
    </message>
    <message>
        <source>New Revision</source>
        <translation>Neue Revision</translation>
    </message>
    <message>
        <source>empty message</source>
        <translation>leere Nachricht</translation>
    </message>
    <message>
        <source>(choose a head)</source>
        <translation>(einen Head wählen)</translation>
    </message>
    <message>
        <source>head</source>
        <translation>head</translation>
    </message>
    <message>
        <source>base (start a new branch; give it a label)</source>
        <translation>base (einen neuen Branch beginnen; ihm ein Label geben)</translation>
    </message>
    <message>
        <source>revision ids or branch labels, comma-separated</source>
        <translation>Revisions-IDs oder Branch-Labels, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>Revisions this one depends on without descending from them (--depends-on)</source>
        <translation>Revisionen, von denen diese abhängt, ohne von ihnen abzustammen (--depends-on)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>A label naming the branch this revision starts or belongs to (--branch-label)</source>
        <translation>Ein Label für den Branch, den diese Revision beginnt oder zu dem sie gehört (--branch-label)</translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation>&amp;Nachricht:</translation>
    </message>
    <message>
        <source>On top of &amp;head:</source>
        <translation>Auf &amp;Head:</translation>
    </message>
    <message>
        <source>&amp;Branch label:</source>
        <translation>&amp;Branch-Label:</translation>
    </message>
    <message>
        <source>&amp;Depends on:</source>
        <translation>Abhängig &amp;von:</translation>
    </message>
    <message>
        <source>Needs a connected database (Autogenerate compares with it)</source>
        <translation>Braucht eine verbundene Datenbank (Autogenerieren vergleicht mit ihr)</translation>
    </message>
    <message>
        <source>Review Changes…</source>
        <translation>Änderungen prüfen…</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Erstellen</translation>
    </message>
    <message>
        <source>%1
(written to %2)</source>
        <translation>%1
(geschrieben nach %2)</translation>
    </message>
</context>
<context>
    <name>retort::PlanReview</name>
    <message>
        <source>no row has a value</source>
        <translation>keine Zeile hat einen Wert</translation>
    </message>
    <message>
        <source>1 row has a value</source>
        <translation>1 Zeile hat einen Wert</translation>
    </message>
    <message>
        <source>%1 rows have a value</source>
        <translation>%1 Zeilen haben einen Wert</translation>
    </message>
    <message>
        <source>no row has a longer value</source>
        <translation>keine Zeile hat einen längeren Wert</translation>
    </message>
    <message>
        <source>1 row has a longer value</source>
        <translation>1 Zeile hat einen längeren Wert</translation>
    </message>
    <message>
        <source>%1 rows have a longer value</source>
        <translation>%1 Zeilen haben einen längeren Wert</translation>
    </message>
    <message>
        <source>no row has a value out of range</source>
        <translation>keine Zeile hat einen Wert außerhalb des Bereichs</translation>
    </message>
    <message>
        <source>1 row has a value out of range</source>
        <translation>1 Zeile hat einen Wert außerhalb des Bereichs</translation>
    </message>
    <message>
        <source>%1 rows have a value out of range</source>
        <translation>%1 Zeilen haben einen Wert außerhalb des Bereichs</translation>
    </message>
    <message>
        <source>no row has a dropped label</source>
        <translation>keine Zeile hat ein entferntes Label</translation>
    </message>
    <message>
        <source>1 row has a dropped label</source>
        <translation>1 Zeile hat ein entferntes Label</translation>
    </message>
    <message>
        <source>%1 rows have a dropped label</source>
        <translation>%1 Zeilen haben ein entferntes Label</translation>
    </message>
    <message>
        <source>no row has a value to convert</source>
        <translation>keine Zeile hat einen umzuwandelnden Wert</translation>
    </message>
    <message>
        <source>1 row has a value to convert</source>
        <translation>1 Zeile hat einen umzuwandelnden Wert</translation>
    </message>
    <message>
        <source>%1 rows have a value to convert</source>
        <translation>%1 Zeilen haben einen umzuwandelnden Wert</translation>
    </message>
    <message>
        <source>no row is NULL</source>
        <translation>keine Zeile ist NULL</translation>
    </message>
    <message>
        <source>1 row is NULL</source>
        <translation>1 Zeile ist NULL</translation>
    </message>
    <message>
        <source>%1 rows are NULL</source>
        <translation>%1 Zeilen sind NULL</translation>
    </message>
    <message>
        <source>not reviewed: the script&apos;s operations are not known</source>
        <translation>nicht geprüft: die Operationen des Skripts sind nicht bekannt</translation>
    </message>
    <message>
        <source>not reviewed: needs Python (%1, line %2)</source>
        <translation>nicht geprüft: braucht Python (%1, Zeile %2)</translation>
    </message>
    <message>
        <source>not reviewed: %1</source>
        <translation>nicht geprüft: %1</translation>
    </message>
    <message>
        <source>runs SQL text, not reviewed (line %1): %2</source>
        <translation>führt SQL-Text aus, nicht geprüft (Zeile %1): %2</translation>
    </message>
    <message>
        <source>not reviewed: op.%1() at line %2: %3</source>
        <translation>nicht geprüft: op.%1() in Zeile %2: %3</translation>
    </message>
    <message>
        <source>drops table %1 (created earlier in this run)</source>
        <translation>entfernt Tabelle %1 (früher in diesem Lauf angelegt)</translation>
    </message>
    <message>
        <source>drops table %1 and its rows (not counted)</source>
        <translation>entfernt Tabelle %1 und ihre Zeilen (nicht gezählt)</translation>
    </message>
    <message>
        <source>drops table %1: it is empty</source>
        <translation>entfernt Tabelle %1: sie ist leer</translation>
    </message>
    <message>
        <source>drops table %1: 1 row</source>
        <translation>entfernt Tabelle %1: 1 Zeile</translation>
    </message>
    <message>
        <source>drops table %1: %2 rows</source>
        <translation>entfernt Tabelle %1: %2 Zeilen</translation>
    </message>
    <message>
        <source>drops column %1 (created earlier in this run)</source>
        <translation>entfernt Spalte %1 (früher in diesem Lauf angelegt)</translation>
    </message>
    <message>
        <source>drops column %1: %2</source>
        <translation>entfernt Spalte %1: %2</translation>
    </message>
    <message>
        <source>drops column %1 and its values (not counted)</source>
        <translation>entfernt Spalte %1 und ihre Werte (nicht gezählt)</translation>
    </message>
    <message>
        <source> (created earlier in this run)</source>
        <translation> (früher in diesem Lauf angelegt)</translation>
    </message>
    <message>
        <source>narrows %1 from %2 to %3</source>
        <translation>verengt %1 von %2 auf %3</translation>
    </message>
    <message>
        <source>changes the type of %1 to %2 (the script does not name the old type)</source>
        <translation>ändert den Typ von %1 auf %2 (das Skript nennt den alten Typ nicht)</translation>
    </message>
    <message>
        <source> (not counted)</source>
        <translation> (nicht gezählt)</translation>
    </message>
    <message>
        <source>sets NOT NULL on %1</source>
        <translation>setzt NOT NULL auf %1</translation>
    </message>
    <message>
        <source>sets NOT NULL on %1: </source>
        <translation>setzt NOT NULL auf %1: </translation>
    </message>
    <message>
        <source>, the statement fails on them</source>
        <translation>, die Anweisung scheitert an ihnen</translation>
    </message>
    <message>
        <source>fails if any row is NULL (not counted)</source>
        <translation>scheitert, wenn eine Zeile NULL ist (nicht gezählt)</translation>
    </message>
    <message>
        <source>drops foreign key %1 on %2: the database stops enforcing it</source>
        <translation>entfernt Fremdschlüssel %1 auf %2: die Datenbank setzt ihn nicht mehr durch</translation>
    </message>
    <message>
        <source>drops unique constraint %1 on %2: the database stops enforcing it</source>
        <translation>entfernt Unique-Constraint %1 auf %2: die Datenbank setzt ihn nicht mehr durch</translation>
    </message>
    <message>
        <source>drops check constraint %1 on %2: the database stops enforcing it</source>
        <translation>entfernt Check-Constraint %1 auf %2: die Datenbank setzt ihn nicht mehr durch</translation>
    </message>
    <message>
        <source>drops primary key %1 on %2: the database stops enforcing it</source>
        <translation>entfernt Primärschlüssel %1 auf %2: die Datenbank setzt ihn nicht mehr durch</translation>
    </message>
    <message>
        <source>drops constraint %1 on %2: the database stops enforcing it</source>
        <translation>entfernt Constraint %1 auf %2: die Datenbank setzt ihn nicht mehr durch</translation>
    </message>
    <message>
        <source>drops index %1</source>
        <translation>entfernt Index %1</translation>
    </message>
    <message>
        <source>drops index %1 on %2</source>
        <translation>entfernt Index %1 auf %2</translation>
    </message>
    <message>
        <source>en</source>
        <comment>the locale whose digit grouping the counts use</comment>
        <translation>de</translation>
    </message>
</context>
<context>
    <name>retort::PlanReviewReport</name>
    <message>
        <source>1 column</source>
        <translation>1 Spalte</translation>
    </message>
    <message>
        <source>%1 columns</source>
        <translation>%1 Spalten</translation>
    </message>
    <message>
        <source>1 table</source>
        <translation>1 Tabelle</translation>
    </message>
    <message>
        <source>%1 tables</source>
        <translation>%1 Tabellen</translation>
    </message>
    <message>
        <source>1 value</source>
        <translation>1 Wert</translation>
    </message>
    <message>
        <source>%1 values</source>
        <translation>%1 Werte</translation>
    </message>
    <message>
        <source>1 row</source>
        <translation>1 Zeile</translation>
    </message>
    <message>
        <source>%1 rows</source>
        <translation>%1 Zeilen</translation>
    </message>
    <message>
        <source>1 NULL</source>
        <translation>1 NULL</translation>
    </message>
    <message>
        <source>%1 NULLs</source>
        <translation>%1 NULLs</translation>
    </message>
    <message>
        <source>1 constraint</source>
        <translation>1 Constraint</translation>
    </message>
    <message>
        <source>%1 constraints</source>
        <translation>%1 Constraints</translation>
    </message>
    <message>
        <source>1 index</source>
        <translation>1 Index</translation>
    </message>
    <message>
        <source>%1 indexes</source>
        <translation>%1 Indizes</translation>
    </message>
    <message>
        <source>1 SQL text</source>
        <translation>1 SQL-Text</translation>
    </message>
    <message>
        <source>%1 SQL texts</source>
        <translation>%1 SQL-Texte</translation>
    </message>
    <message>
        <source>1 step</source>
        <translation>1 Schritt</translation>
    </message>
    <message>
        <source>%1 steps</source>
        <translation>%1 Schritte</translation>
    </message>
    <message>
        <source>(not counted)</source>
        <translation>(nicht gezählt)</translation>
    </message>
    <message>
        <source>holding at least %1</source>
        <translation>(mindestens %1)</translation>
    </message>
    <message>
        <source>holding %1</source>
        <translation>(%1)</translation>
    </message>
    <message>
        <source>drops %1 %2</source>
        <translation>entfernt %1 %2</translation>
    </message>
    <message>
        <source>narrows the type of %1</source>
        <translation>verengt den Typ von %1</translation>
    </message>
    <message>
        <source>: %1 do not fit</source>
        <translation>: %1 passen nicht</translation>
    </message>
    <message>
        <source>: every value fits</source>
        <translation>: jeder Wert passt</translation>
    </message>
    <message>
        <source>sets NOT NULL on %1 %2</source>
        <translation>setzt NOT NULL auf %1 %2</translation>
    </message>
    <message>
        <source>drops %1</source>
        <translation>entfernt %1</translation>
    </message>
    <message>
        <source>runs %1 not reviewed</source>
        <translation>führt %1 ungeprüft aus</translation>
    </message>
    <message>
        <source>leaves %1 not reviewed</source>
        <translation>lässt %1 ungeprüft</translation>
    </message>
    <message>
        <source>; </source>
        <translation>; </translation>
    </message>
    <message>
        <source>en</source>
        <comment>the locale whose digit grouping the counts use</comment>
        <translation>de</translation>
    </message>
</context>
<context>
    <name>retort::PreferencesDialog</name>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> pt</translation>
    </message>
    <message>
        <source>Default location</source>
        <translation>Standardort</translation>
    </message>
    <message>
        <source>Where the backups taken before each run are written</source>
        <translation>Wohin die vor jedem Lauf angelegten Backups geschrieben werden</translation>
    </message>
    <message>
        <source>Keep all</source>
        <translation>Alle behalten</translation>
    </message>
    <message>
        <source>How many backups to keep per database; older ones are deleted</source>
        <translation>Wie viele Backups pro Datenbank behalten werden; ältere werden gelöscht</translation>
    </message>
    <message>
        <source>Default: found per project</source>
        <translation>Standard: pro Projekt ermittelt</translation>
    </message>
    <message>
        <source>The Python that runs the project&apos;s own Alembic (steps that need Python, autogenerate&apos;s models). Empty: $RETORT_PYTHON, the ini&apos;s retort_python, the active or the project&apos;s virtualenv, python3.</source>
        <translation>Das Python, das das Alembic des Projekts ausführt (Schritte, die Python brauchen, die Modelle für Autogenerieren). Leer: $RETORT_PYTHON, retort_python aus der ini, das aktive oder das virtualenv des Projekts, python3.</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>&amp;Design:</translation>
    </message>
    <message>
        <source>Editor &amp;font:</source>
        <translation>Editor-&amp;Schrift:</translation>
    </message>
    <message>
        <source>&amp;Backup folder:</source>
        <translation>&amp;Backup-Ordner:</translation>
    </message>
    <message>
        <source>Backup Folder</source>
        <translation>Backup-Ordner</translation>
    </message>
    <message>
        <source>Backups &amp;kept:</source>
        <translation>Aufbewahrte Bac&amp;kups:</translation>
    </message>
    <message>
        <source>&amp;Python interpreter:</source>
        <translation>&amp;Python-Interpreter:</translation>
    </message>
    <message>
        <source>Python Interpreter</source>
        <translation>Python-Interpreter</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>Spr&amp;ache:</translation>
    </message>
    <message>
        <source>A new language applies the next time Retort Studio starts.</source>
        <translation>Eine neue Sprache gilt ab dem nächsten Start von Retort Studio.</translation>
    </message>
</context>
<context>
    <name>retort::ProjectBanners</name>
    <message>
        <source>&lt;b&gt;%1 heads:&lt;/b&gt; %2. &lt;code&gt;upgrade head&lt;/code&gt; is ambiguous until they are merged (or upgrade to &lt;code&gt;heads&lt;/code&gt;).</source>
        <translation>&lt;b&gt;%1 Heads:&lt;/b&gt; %2. &lt;code&gt;upgrade head&lt;/code&gt; ist mehrdeutig, bis sie zusammengeführt sind (oder Upgrade auf &lt;code&gt;heads&lt;/code&gt;).</translation>
    </message>
    <message>
        <source>&lt;b&gt;The database is at revision %1, which no script defines.&lt;/b&gt;&lt;br&gt;Alembic stops with &lt;i&gt;Can&apos;t locate revision identified by &apos;%2&apos;&lt;/i&gt;: upgrade, downgrade and history against this database fail until the script is back in %3 (another branch or checkout?) or the database is stamped to a known revision (&lt;code&gt;retort stamp &amp;lt;revision&amp;gt;&lt;/code&gt;).</source>
        <translation>&lt;b&gt;Die Datenbank steht auf Revision %1, die kein Skript definiert.&lt;/b&gt;&lt;br&gt;Alembic bricht ab mit &lt;i&gt;Can&apos;t locate revision identified by &apos;%2&apos;&lt;/i&gt;: upgrade, downgrade und history gegen diese Datenbank schlagen fehl, bis das Skript wieder in %3 liegt (ein anderer Branch oder Checkout?) oder die Datenbank auf eine bekannte Revision gestempelt wird (&lt;code&gt;retort stamp &amp;lt;revision&amp;gt;&lt;/code&gt;).</translation>
    </message>
    <message>
        <source>Open: %1</source>
        <translation>Öffnen: %1</translation>
    </message>
</context>
<context>
    <name>retort::ProjectDocument</name>
    <message>
        <source>No config file %1 found</source>
        <translation>Keine Konfigurationsdatei %1 gefunden</translation>
    </message>
    <message>
        <source>No project is open</source>
        <translation>Kein Projekt geöffnet</translation>
    </message>
    <message>
        <source>There is only one head; nothing to merge</source>
        <translation>Es gibt nur einen Head; nichts zusammenzuführen</translation>
    </message>
</context>
<context>
    <name>retort::ProofView</name>
    <message>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <source>upgrade failed</source>
        <translation>Upgrade fehlgeschlagen</translation>
    </message>
    <message>
        <source>downgrade failed</source>
        <translation>Downgrade fehlgeschlagen</translation>
    </message>
    <message>
        <source>downgrade does not restore the schema</source>
        <translation>Downgrade stellt das Schema nicht wieder her</translation>
    </message>
    <message>
        <source>upgrade after the downgrade failed</source>
        <translation>Upgrade nach dem Downgrade fehlgeschlagen</translation>
    </message>
    <message>
        <source>Right-click a revision of the graph: Verify Downgrades, Schema at This Revision, Compare With...</source>
        <translation>Rechtsklick auf eine Revision im Graphen: Downgrades prüfen, Schema bei dieser Revision, Vergleichen mit...</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>Revision</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>%1: running on a scratch database...</source>
        <translation>%1: läuft auf einer temporären Datenbank...</translation>
    </message>
    <message>
        <source>Verify downgrades</source>
        <translation>Downgrades prüfen</translation>
    </message>
    <message>
        <source>Verify downgrades from %1</source>
        <translation>Downgrades ab %1 prüfen</translation>
    </message>
    <message>
        <source>Schema at %1</source>
        <translation>Schema bei %1</translation>
    </message>
    <message>
        <source>Compare %1 with %2</source>
        <translation>%1 mit %2 vergleichen</translation>
    </message>
    <message>
        <source>Compare With</source>
        <translation>Vergleichen mit</translation>
    </message>
    <message>
        <source>Compare the schema at %1 with the schema at:</source>
        <translation>Das Schema bei %1 vergleichen mit dem Schema bei:</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n revision(s) checked...</source>
        <translation>
            <numerusform>%1: %n Revision geprüft...</numerusform>
            <numerusform>%1: %n Revisionen geprüft...</numerusform>
        </translation>
    </message>
    <message>
        <source>Schema after the downgrade (+) against before the upgrade (-):</source>
        <translation>Schema nach dem Downgrade (+) gegenüber vor dem Upgrade (-):</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 fehlgeschlagen: %2</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n revision(s) checked, every downgrade restores the schema.</source>
        <translation>
            <numerusform>%1: %n Revision geprüft, jeder Downgrade stellt das Schema wieder her.</numerusform>
            <numerusform>%1: %n Revisionen geprüft, jeder Downgrade stellt das Schema wieder her.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %n revision(s) checked, %2 finding(s).</source>
        <translation>
            <numerusform>%1: %n Revision geprüft, %2 Befund(e).</numerusform>
            <numerusform>%1: %n Revisionen geprüft, %2 Befund(e).</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (built on a scratch database)</source>
        <translation>%1 (auf einer temporären Datenbank erstellt)</translation>
    </message>
    <message>
        <source>%1: no schema changes</source>
        <translation>%1: keine Schemaänderungen</translation>
    </message>
    <message>
        <source>%1: %2 added, %3 removed, %4 changed</source>
        <translation>%1: %2 hinzugefügt, %3 entfernt, %4 geändert</translation>
    </message>
</context>
<context>
    <name>retort::RecentProjectsMenu</name>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>Liste leeren</translation>
    </message>
</context>
<context>
    <name>retort::RevisionGraphView</name>
    <message>
        <source>Find revision or message</source>
        <translation>Revision oder Nachricht suchen</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Schließen (Esc)</translation>
    </message>
    <message>
        <source>No revisions</source>
        <translation>Keine Revisionen</translation>
    </message>
    <message>
        <source>Open a project (Ctrl+O)</source>
        <translation>Ein Projekt öffnen (Strg+O)</translation>
    </message>
    <message>
        <source>database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>head</source>
        <translation>head</translation>
    </message>
    <message>
        <source>base</source>
        <translation>base</translation>
    </message>
    <message>
        <source>Upgrade to here</source>
        <translation>Upgrade bis hier</translation>
    </message>
    <message>
        <source>Downgrade to here</source>
        <translation>Downgrade bis hier</translation>
    </message>
    <message>
        <source>Show script</source>
        <translation>Skript anzeigen</translation>
    </message>
    <message>
        <source>Preview SQL</source>
        <translation>SQL-Vorschau</translation>
    </message>
    <message>
        <source>Copy revision id</source>
        <translation>Revisions-ID kopieren</translation>
    </message>
    <message>
        <source>changed since applied</source>
        <translation>seit dem Anwenden geändert</translation>
    </message>
    <message>
        <source>downgrade ok</source>
        <translation>Downgrade ok</translation>
    </message>
    <message>
        <source>downgrade broken</source>
        <translation>Downgrade defekt</translation>
    </message>
    <message>
        <source>Squash up to here…</source>
        <translation>Bis hierher zusammenfassen…</translation>
    </message>
    <message>
        <source>Verify Downgrades</source>
        <translation>Downgrades prüfen</translation>
    </message>
    <message>
        <source>Verify Downgrades from Here</source>
        <translation>Downgrades ab hier prüfen</translation>
    </message>
    <message>
        <source>Schema at This Revision</source>
        <translation>Schema bei dieser Revision</translation>
    </message>
    <message>
        <source>Compare With...</source>
        <translation>Vergleichen mit...</translation>
    </message>
</context>
<context>
    <name>retort::SchemaBrowserView</name>
    <message>
        <source>Filter tables and columns</source>
        <translation>Tabellen und Spalten filtern</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>No project</source>
        <translation>Kein Projekt</translation>
    </message>
    <message>
        <source>Not read yet</source>
        <translation>Noch nicht gelesen</translation>
    </message>
    <message>
        <source>Reading the database…</source>
        <translation>Datenbank wird gelesen…</translation>
    </message>
    <message>
        <source>Cannot read the database: %1</source>
        <translation>Die Datenbank kann nicht gelesen werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n table(s) in %1</source>
        <translation>
            <numerusform>%n Tabelle in %1</numerusform>
            <numerusform>%n Tabellen in %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>retort::SchemaTreeModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Definition</source>
        <translation>Definition</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Zeilen</translation>
    </message>
    <message>
        <source>?</source>
        <translation>?</translation>
    </message>
    <message>
        <source>Part of the primary key</source>
        <translation>Teil des Primärschlüssels</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>Spalten</translation>
    </message>
    <message>
        <source>Indexes</source>
        <translation>Indizes</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>(unbenannt)</translation>
    </message>
    <message>
        <source>Constraints</source>
        <translation>Constraints</translation>
    </message>
    <message>
        <source>schema</source>
        <translation>Schema</translation>
    </message>
    <message>
        <source>view</source>
        <translation>View</translation>
    </message>
</context>
<context>
    <name>retort::ScriptDiagnostics</name>
    <message>
        <source>%1() needs Python: %2</source>
        <translation>%1() braucht Python: %2</translation>
    </message>
</context>
<context>
    <name>retort::ScriptEditorView</name>
    <message>
        <source>This revision is already applied to the connected database. Editing it does not change the database: downgrade first, or write a new revision.</source>
        <translation>Diese Revision ist in der verbundenen Datenbank bereits angewendet. Sie zu bearbeiten ändert die Datenbank nicht: zuerst ein Downgrade machen oder eine neue Revision schreiben.</translation>
    </message>
    <message>
        <source>Find:</source>
        <translation>Suchen:</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>%1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>untitled</source>
        <translation>unbenannt</translation>
    </message>
    <message>
        <source>No file to save to</source>
        <translation>Keine Datei zum Speichern</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
    <message>
        <source>Not saved: %1 has a syntax error</source>
        <translation>Nicht gespeichert: %1 hat einen Syntaxfehler</translation>
    </message>
    <message>
        <source>Cannot save %1: %2</source>
        <translation>%1 kann nicht gespeichert werden: %2</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
</context>
<context>
    <name>retort::ScriptPrompts</name>
    <message>
        <source>Unsaved Changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>%1 has unsaved changes.</source>
        <translation>%1 hat ungespeicherte Änderungen.</translation>
    </message>
    <message>
        <source>Save them first?</source>
        <translation>Zuerst speichern?</translation>
    </message>
    <message>
        <source>%1. Save the changes first?</source>
        <translation>%1. Die Änderungen zuerst speichern?</translation>
    </message>
    <message>
        <source>Syntax Error</source>
        <translation>Syntaxfehler</translation>
    </message>
    <message>
        <source>%1 has a syntax error: %2</source>
        <translation>%1 hat einen Syntaxfehler: %2</translation>
    </message>
    <message>
        <source>Alembic cannot load a script with a syntax error: every command on this project fails until it is fixed. Save anyway?</source>
        <translation>Alembic kann ein Skript mit einem Syntaxfehler nicht laden: jeder Befehl für dieses Projekt schlägt fehl, bis er behoben ist. Trotzdem speichern?</translation>
    </message>
    <message>
        <source>File Changed on Disk</source>
        <translation>Datei auf der Festplatte geändert</translation>
    </message>
    <message>
        <source>%1 was changed outside the studio, and the editor has unsaved changes.</source>
        <translation>%1 wurde außerhalb des Studios geändert, und der Editor hat ungespeicherte Änderungen.</translation>
    </message>
    <message>
        <source>Reload and Discard My Changes</source>
        <translation>Neu laden und meine Änderungen verwerfen</translation>
    </message>
    <message>
        <source>Keep My Changes</source>
        <translation>Meine Änderungen behalten</translation>
    </message>
</context>
<context>
    <name>retort::SqlPreviewView</name>
    <message>
        <source>Upgrade</source>
        <translation>Upgrade</translation>
    </message>
    <message>
        <source>Downgrade</source>
        <translation>Downgrade</translation>
    </message>
    <message>
        <source>fro&amp;m</source>
        <translation>&amp;von</translation>
    </message>
    <message>
        <source>&amp;to</source>
        <translation>&amp;bis</translation>
    </message>
    <message>
        <source>revision</source>
        <translation>Revision</translation>
    </message>
    <message>
        <source>&amp;as</source>
        <translation>&amp;als</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>The dialect to render for: the connection&apos;s (what an online run executes) or another one (what --sql prints with a URL of that dialect)</source>
        <translation>Der Dialekt, für den erzeugt wird: der der Verbindung (was ein Online-Lauf ausführt) oder ein anderer (was --sql mit einer URL dieses Dialekts ausgibt)</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Speichern…</translation>
    </message>
    <message>
        <source>Save the script as a .sql file</source>
        <translation>Das Skript als .sql-Datei speichern</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>The database&apos;s current revision: what an online run executes</source>
        <translation>Die aktuelle Revision der Datenbank: was ein Online-Lauf ausführt</translation>
    </message>
    <message>
        <source>No project</source>
        <translation>Kein Projekt</translation>
    </message>
    <message>
        <source>Select a revision</source>
        <translation>Eine Revision auswählen</translation>
    </message>
    <message>
        <source>Connection (%1)</source>
        <translation>Verbindung (%1)</translation>
    </message>
    <message numerus="yes">
        <source>%n step(s), %1 as --sql prints from %2</source>
        <translation>
            <numerusform>%n Schritt, %1 wie --sql ihn ab %2 ausgibt</numerusform>
            <numerusform>%n Schritte, %1 wie --sql sie ab %2 ausgibt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n step(s) an online run executes on %1 from %2</source>
        <translation>
            <numerusform>%n Schritt, den ein Online-Lauf auf %1 ab %2 ausführt</numerusform>
            <numerusform>%n Schritte, die ein Online-Lauf auf %1 ab %2 ausführt</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to run: the database is already there</source>
        <translation>Nichts auszuführen: die Datenbank ist bereits dort</translation>
    </message>
    <message>
        <source>Revision %1 (%2) cannot be rendered: %3</source>
        <translation>Revision %1 (%2) kann nicht erzeugt werden: %3</translation>
    </message>
    <message>
        <source>Revision &lt;b&gt;%1&lt;/b&gt; (%2) cannot be rendered: %3&lt;br&gt;The SQL before it is shown.</source>
        <translation>Revision &lt;b&gt;%1&lt;/b&gt; (%2) kann nicht erzeugt werden: %3&lt;br&gt;Das SQL davor wird gezeigt.</translation>
    </message>
    <message>
        <source>The script is incomplete: a step&apos;s SQL is only a comment.&lt;br&gt;%1</source>
        <translation>Das Skript ist unvollständig: das SQL eines Schritts ist nur ein Kommentar.&lt;br&gt;%1</translation>
    </message>
    <message>
        <source>Save SQL</source>
        <translation>SQL speichern</translation>
    </message>
    <message>
        <source>SQL files (*.sql);;All files (*)</source>
        <translation>SQL-Dateien (*.sql);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Could not save: %1</source>
        <translation>Konnte nicht speichern: %1</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
</context>
<context>
    <name>retort::SquashDialog</name>
    <message>
        <source>Squash up to %1</source>
        <translation>Bis %1 zusammenfassen</translation>
    </message>
    <message>
        <source>Replace %1 and the revisions below it with one baseline revision that creates the schema at %1 (it keeps the id %1). The old scripts move to the archive folder next to the versions folder, nothing is deleted. Databases at %1 or above keep working; a database below %1 can no longer be upgraded afterwards. Rows the old migrations inserted are not carried.</source>
        <translation>%1 und die Revisionen darunter durch eine Basisrevision ersetzen, die das Schema bei %1 anlegt (sie behält die ID %1). Die alten Skripte werden in den Archivordner neben dem Versionsordner verschoben, nichts wird gelöscht. Datenbanken bei %1 oder darüber funktionieren weiter; eine Datenbank unter %1 kann danach nicht mehr aktualisiert werden. Zeilen, die die alten Migrationen eingefügt haben, werden nicht übernommen.</translation>
    </message>
    <message>
        <source>Build the schema in a temporary SQLite file (instead of a temporary database on the project&apos;s server)</source>
        <translation>Das Schema in einer temporären SQLite-Datei aufbauen (statt in einer temporären Datenbank auf dem Server des Projekts)</translation>
    </message>
    <message>
        <source>Squash even when the project&apos;s database is below this revision or cannot be checked</source>
        <translation>Auch zusammenfassen, wenn die Datenbank des Projekts unter dieser Revision liegt oder nicht geprüft werden kann</translation>
    </message>
    <message>
        <source>Preview shows the baseline without writing anything.</source>
        <translation>Die Vorschau zeigt die Basisrevision, ohne etwas zu schreiben.</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <source>Squash</source>
        <translation>Zusammenfassen</translation>
    </message>
    <message>
        <source>Building the schema at %1…</source>
        <translation>Schema bei %1 wird aufgebaut…</translation>
    </message>
    <message>
        <source>Squashing up to %1…</source>
        <translation>Zusammenfassen bis %1…</translation>
    </message>
    <message>
        <source>Nothing was changed: %1</source>
        <translation>Nichts wurde geändert: %1</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>Warnung: %1</translation>
    </message>
</context>
<context>
    <name>retort::StartPage</name>
    <message>
        <source>No recent projects.</source>
        <translation>Keine zuletzt geöffneten Projekte.</translation>
    </message>
    <message>
        <source>Retort Studio</source>
        <translation>Retort Studio</translation>
    </message>
    <message>
        <source>Open an Alembic project (its alembic.ini) or create one.</source>
        <translation>Ein Alembic-Projekt öffnen (seine alembic.ini) oder eines anlegen.</translation>
    </message>
    <message>
        <source>Recent projects</source>
        <translation>Zuletzt geöffnete Projekte</translation>
    </message>
</context>
<context>
    <name>retort::StudioActions</name>
    <message>
        <source>&amp;New Project…</source>
        <translation>&amp;Neues Projekt…</translation>
    </message>
    <message>
        <source>Create a project from a template (alembic init)</source>
        <translation>Ein Projekt aus einer Vorlage anlegen (alembic init)</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>Projekt ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open a project by its alembic.ini</source>
        <translation>Ein Projekt über seine alembic.ini öffnen</translation>
    </message>
    <message>
        <source>&amp;Save Script</source>
        <translation>Skript &amp;speichern</translation>
    </message>
    <message>
        <source>Save the script open in the editor</source>
        <translation>Das im Editor geöffnete Skript speichern</translation>
    </message>
    <message>
        <source>Save A&amp;ll</source>
        <translation>&amp;Alle speichern</translation>
    </message>
    <message>
        <source>Save every script with unsaved changes</source>
        <translation>Alle Skripte mit ungespeicherten Änderungen speichern</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>Neu &amp;laden</translation>
    </message>
    <message>
        <source>Re-read the revision scripts and the database&apos;s current revisions</source>
        <translation>Die Revisionsskripte und die aktuellen Revisionen der Datenbank neu lesen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Quit Retort Studio</source>
        <translation>Retort Studio beenden</translation>
    </message>
    <message>
        <source>&amp;Upgrade to Here</source>
        <translation>&amp;Upgrade bis hier</translation>
    </message>
    <message>
        <source>Upgrade the database to the selected revision</source>
        <translation>Die Datenbank auf die ausgewählte Revision upgraden</translation>
    </message>
    <message>
        <source>&amp;Downgrade to Here</source>
        <translation>&amp;Downgrade bis hier</translation>
    </message>
    <message>
        <source>Downgrade the database to the selected revision</source>
        <translation>Die Datenbank auf die ausgewählte Revision downgraden</translation>
    </message>
    <message>
        <source>Roll &amp;Back Last Migration</source>
        <translation>Letzte Migration &amp;zurücknehmen</translation>
    </message>
    <message>
        <source>Downgrade by one revision (downgrade -1)</source>
        <translation>Um eine Revision downgraden (downgrade -1)</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Stopp</translation>
    </message>
    <message>
        <source>Stop the running migration before its next step</source>
        <translation>Die laufende Migration vor ihrem nächsten Schritt anhalten</translation>
    </message>
    <message>
        <source>&amp;Merge Heads…</source>
        <translation>&amp;Heads zusammenführen…</translation>
    </message>
    <message>
        <source>Write a merge revision joining every head (alembic merge heads)</source>
        <translation>Eine Merge-Revision schreiben, die alle Heads zusammenführt (alembic merge heads)</translation>
    </message>
    <message>
        <source>New &amp;Revision…</source>
        <translation>Neue &amp;Revision…</translation>
    </message>
    <message>
        <source>Write an empty revision script on top of a head (alembic revision -m)</source>
        <translation>Ein leeres Revisionsskript auf einem Head schreiben (alembic revision -m)</translation>
    </message>
    <message>
        <source>&amp;Find Revision…</source>
        <translation>Revision &amp;suchen…</translation>
    </message>
    <message>
        <source>Find a revision by id or message</source>
        <translation>Eine Revision nach ID oder Nachricht suchen</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>Ver&amp;größern</translation>
    </message>
    <message>
        <source>Larger graph</source>
        <translation>Größerer Graph</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <source>Smaller graph</source>
        <translation>Kleinerer Graph</translation>
    </message>
    <message>
        <source>Show &amp;Script</source>
        <translation>Skript &amp;anzeigen</translation>
    </message>
    <message>
        <source>Open the selected revision&apos;s script</source>
        <translation>Das Skript der ausgewählten Revision öffnen</translation>
    </message>
    <message>
        <source>&amp;Preview SQL</source>
        <translation>SQL-&amp;Vorschau</translation>
    </message>
    <message>
        <source>Show the SQL that upgrading to the selected revision runs</source>
        <translation>Das SQL zeigen, das ein Upgrade auf die ausgewählte Revision ausführt</translation>
    </message>
    <message>
        <source>&amp;Autogenerate Revision…</source>
        <translation>Revision auto&amp;generieren…</translation>
    </message>
    <message>
        <source>Compare the models with the database and review the changes before writing a revision</source>
        <translation>Die Modelle mit der Datenbank vergleichen und die Änderungen prüfen, bevor eine Revision geschrieben wird</translation>
    </message>
    <message>
        <source>&amp;Reset Zoom</source>
        <translation>Zoom &amp;zurücksetzen</translation>
    </message>
    <message>
        <source>Graph at its normal size</source>
        <translation>Graph in normaler Größe</translation>
    </message>
    <message>
        <source>&amp;Go to Current Revision</source>
        <translation>&amp;Zur aktuellen Revision</translation>
    </message>
    <message>
        <source>Select the revision the database is at</source>
        <translation>Die Revision auswählen, auf der die Datenbank steht</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>Undo the last edit</source>
        <translation>Die letzte Bearbeitung rückgängig machen</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <source>Redo the last undone edit</source>
        <translation>Die zuletzt rückgängig gemachte Bearbeitung wiederherstellen</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>&amp;Ausschneiden</translation>
    </message>
    <message>
        <source>Cut the selection</source>
        <translation>Die Auswahl ausschneiden</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Copy the selection</source>
        <translation>Die Auswahl kopieren</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Einfügen</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Einfügen</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>Alles a&amp;uswählen</translation>
    </message>
    <message>
        <source>Select everything</source>
        <translation>Alles auswählen</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Suchen…</translation>
    </message>
    <message>
        <source>Find in the script editor, or a revision in the graph</source>
        <translation>Im Skripteditor suchen oder eine Revision im Graphen</translation>
    </message>
    <message>
        <source>Pre&amp;ferences…</source>
        <translation>Einstellu&amp;ngen…</translation>
    </message>
    <message>
        <source>Theme, editor font, backups, Python, language</source>
        <translation>Design, Editorschrift, Backups, Python, Sprache</translation>
    </message>
    <message>
        <source>&amp;About Retort Studio</source>
        <translation>Über Retort &amp;Studio</translation>
    </message>
    <message>
        <source>Version, licences and links</source>
        <translation>Version, Lizenzen und Links</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>The Qt version and licence</source>
        <translation>Die Qt-Version und -Lizenz</translation>
    </message>
</context>
<context>
    <name>retort::StudioDocks</name>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Script</source>
        <translation>Skript</translation>
    </message>
    <message>
        <source>SQL Preview</source>
        <translation>SQL-Vorschau</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>Backups</translation>
    </message>
    <message>
        <source>Schema</source>
        <translation>Schema</translation>
    </message>
    <message>
        <source>Autogenerate</source>
        <translation>Autogenerieren</translation>
    </message>
    <message>
        <source>Script — %1</source>
        <translation>Skript — %1</translation>
    </message>
    <message>
        <source>Opening %1 replaces it in the editor</source>
        <translation>Das Öffnen von %1 ersetzt es im Editor</translation>
    </message>
    <message>
        <source>Quitting closes it</source>
        <translation>Beenden schließt es</translation>
    </message>
    <message>
        <source>Proof</source>
        <translation>Nachweis</translation>
    </message>
</context>
<context>
    <name>retort::StudioMenus</name>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>The database has no current revision (it is at base)</source>
        <translation>Die Datenbank hat keine aktuelle Revision (sie steht auf base)</translation>
    </message>
    <message>
        <source>Not connected to the database</source>
        <translation>Nicht mit der Datenbank verbunden</translation>
    </message>
</context>
</TS>
