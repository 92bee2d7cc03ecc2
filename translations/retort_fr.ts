<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>MigrationSession</name>
    <message>
        <source>; SQL rendered by Alembic</source>
        <translation> ; SQL produit par Alembic</translation>
    </message>
    <message>
        <source>%1; Alembic cannot render it offline: %2</source>
        <translation>%1 ; Alembic ne peut pas le produire hors ligne : %2</translation>
    </message>
    <message>
        <source>needs Python: %1 (line %2)%3</source>
        <translation>nécessite Python : %1 (ligne %2)%3</translation>
    </message>
    <message>
        <source>cannot render natively: </source>
        <translation>impossible à produire nativement : </translation>
    </message>
    <message>
        <source>revision %1 cannot be rendered: %2</source>
        <translation>la révision %1 ne peut pas être produite : %2</translation>
    </message>
    <message>
        <source>no usable Python: </source>
        <translation>aucun Python utilisable : </translation>
    </message>
    <message>
        <source>using %1 (alembic %2) to preview steps that need Python</source>
        <translation>%1 (alembic %2) produit l&apos;aperçu des étapes qui nécessitent Python</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Roll Back</source>
        <translation>Annuler la migration</translation>
    </message>
    <message>
        <source>The database has several heads. Roll back which one?</source>
        <translation>La base de données a plusieurs heads. Laquelle annuler ?</translation>
    </message>
    <message>
        <source>Migration Failed</source>
        <translation>Échec de la migration</translation>
    </message>
    <message>
        <source>The migration failed:

%1</source>
        <translation>La migration a échoué :

%1</translation>
    </message>
    <message>
        <source>A backup was taken before it started:
%1</source>
        <translation>Une sauvegarde a été faite avant le début :
%1</translation>
    </message>
    <message>
        <source>Restore Backup</source>
        <translation>Restaurer la sauvegarde</translation>
    </message>
    <message>
        <source>Keep Database As Is</source>
        <translation>Laisser la base telle quelle</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Browse and apply Alembic migrations.</source>
        <translation>Parcourir et appliquer des migrations Alembic.</translation>
    </message>
    <message>
        <source>The project&apos;s config file to open.</source>
        <translation>Le fichier de configuration du projet à ouvrir.</translation>
    </message>
</context>
<context>
    <name>retort::AboutDialog</name>
    <message>
        <source>About Retort Studio</source>
        <translation>À propos de Retort Studio</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>À propos de &amp;Qt</translation>
    </message>
    <message>
        <source>%1 (built with %2)</source>
        <translation>%1 (compilé avec %2)</translation>
    </message>
    <message>
        <source>Retort Studio %1</source>
        <translation>Retort Studio %1</translation>
    </message>
    <message>
        <source>Browse and apply Alembic migrations: a C++17 / Qt 6 reimplementation of Alembic (the &lt;code&gt;retort&lt;/code&gt; command line and this studio).</source>
        <translation>Parcourir et appliquer des migrations Alembic : une réimplémentation d&apos;Alembic en C++17 / Qt 6 (la ligne de commande &lt;code&gt;retort&lt;/code&gt; et ce studio).</translation>
    </message>
    <message>
        <source>Qt %1 · QScintilla %2</source>
        <translation>Qt %1 · QScintilla %2</translation>
    </message>
    <message>
        <source>Components and their licences</source>
        <translation>Composants et leurs licences</translation>
    </message>
    <message>
        <source>Qt: LGPL v3 (%1)</source>
        <translation>Qt : LGPL v3 (%1)</translation>
    </message>
    <message>
        <source>QScintilla: GPL v3 (%1)</source>
        <translation>QScintilla : GPL v3 (%1)</translation>
    </message>
    <message>
        <source>QtKeychain: BSD 3-Clause (%1)</source>
        <translation>QtKeychain : BSD 3-Clause (%1)</translation>
    </message>
    <message>
        <source>Alembic, whose behaviour Retort follows: MIT (%1)</source>
        <translation>Alembic, dont Retort suit le comportement : MIT (%1)</translation>
    </message>
    <message>
        <source>Alembic documentation: %1</source>
        <translation>Documentation d&apos;Alembic : %1</translation>
    </message>
</context>
<context>
    <name>retort::ApplyConfirmationDialog</name>
    <message>
        <source>-- !! data loss: </source>
        <translation>-- !! perte de données : </translation>
    </message>
    <message>
        <source>-- !! warning: </source>
        <translation>-- !! avertissement : </translation>
    </message>
    <message>
        <source>-- review: </source>
        <translation>-- à vérifier : </translation>
    </message>
    <message numerus="yes">
        <source>%1 on %2 runs %n step(s):</source>
        <translation>
            <numerusform>%1 sur %2 exécute %n étape :</numerusform>
            <numerusform>%1 sur %2 exécute %n étapes :</numerusform>
        </translation>
    </message>
    <message>
        <source>Data will be lost: this run %1.</source>
        <translation>Des données seront perdues : cette exécution %1.</translation>
    </message>
    <message>
        <source>Review: this run %1.</source>
        <translation>À vérifier : cette exécution %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n step(s) need Python the native engine does not run: the project&apos;s Alembic writes their SQL (&quot;rendered by Alembic&quot; above), run in this run&apos;s transaction, or runs a step that reads the database itself, on this run&apos;s connection and in its transaction where it can, as `retort upgrade` does.</source>
        <translation>
            <numerusform>%n étape nécessite Python, que le moteur natif n&apos;exécute pas : l&apos;Alembic du projet écrit son SQL (« rendered by Alembic » ci-dessus), exécuté dans la transaction de cette exécution, ou exécute lui-même l&apos;étape qui lit la base, si possible sur la connexion et dans la transaction de cette exécution, comme le fait `retort upgrade`.</numerusform>
            <numerusform>%n étapes nécessitent Python, que le moteur natif n&apos;exécute pas : l&apos;Alembic du projet écrit leur SQL (« rendered by Alembic » ci-dessus), exécuté dans la transaction de cette exécution, ou exécute lui-même une étape qui lit la base, si possible sur la connexion et dans la transaction de cette exécution, comme le fait `retort upgrade`.</numerusform>
        </translation>
    </message>
    <message>
        <source>Back up the database first</source>
        <translation>Sauvegarder d&apos;abord la base de données</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Exécuter</translation>
    </message>
    <message>
        <source>I understand that this run deletes data</source>
        <translation>Je comprends que cette exécution supprime des données</translation>
    </message>
    <message>
        <source>Rehearse on a copy first</source>
        <translation>Répéter d&apos;abord sur une copie</translation>
    </message>
    <message>
        <source>Run the plan on a scratch copy of the database first, report each step&apos;s time, rows and locks and the schema diff in the log, drop the copy, and run for real only if the rehearsal succeeded.</source>
        <translation>Exécuter d&apos;abord le plan sur une copie temporaire de la base de données, indiquer dans le journal la durée, les lignes et les verrous de chaque étape ainsi que les différences de schéma, supprimer la copie, et n&apos;exécuter réellement que si la répétition a réussi.</translation>
    </message>
    <message>
        <source>This database cannot be copied for a rehearsal (in memory, or one engine of a multidb project).</source>
        <translation>Cette base de données ne peut pas être copiée pour une répétition (en mémoire, ou un moteur d&apos;un projet multidb).</translation>
    </message>
</context>
<context>
    <name>retort::AutogenerateReviewModel</name>
    <message>
        <source>Possibly a rename of %1: use “Treat as Rename”</source>
        <translation>Peut-être un renommage de %1 : utilisez « Traiter comme renommage »</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Modification</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>À vérifier</translation>
    </message>
    <message>
        <source>This change is not flagged as a possible rename</source>
        <translation>Cette modification n&apos;est pas signalée comme un renommage possible</translation>
    </message>
    <message>
        <source>Only added / dropped tables and columns can be renames</source>
        <translation>Seules des tables et colonnes ajoutées / supprimées peuvent être des renommages</translation>
    </message>
</context>
<context>
    <name>retort::AutogenerateReviewView</name>
    <message>
        <source>Compare</source>
        <translation>Comparer</translation>
    </message>
    <message>
        <source>Compare the models with the database (revision --autogenerate)</source>
        <translation>Comparer les modèles avec la base de données (revision --autogenerate)</translation>
    </message>
    <message>
        <source>Revision message</source>
        <translation>Message de la révision</translation>
    </message>
    <message>
        <source>Create Revision</source>
        <translation>Créer la révision</translation>
    </message>
    <message>
        <source>Write a revision script with the checked changes and open it</source>
        <translation>Écrire un script de révision avec les modifications cochées et l&apos;ouvrir</translation>
    </message>
    <message>
        <source>Treat as Rename</source>
        <translation>Traiter comme renommage</translation>
    </message>
    <message>
        <source>Replace the dropped and the added column or table by one rename</source>
        <translation>Remplacer la colonne ou table supprimée et celle ajoutée par un renommage</translation>
    </message>
    <message>
        <source>Nothing is ticked: Create Revision writes only the ticked changes.</source>
        <translation>Rien n&apos;est coché : « Créer la révision » n&apos;écrit que les modifications cochées.</translation>
    </message>
    <message>
        <source>Definitions</source>
        <translation>Définitions</translation>
    </message>
    <message>
        <source>Script Preview</source>
        <translation>Aperçu du script</translation>
    </message>
    <message>
        <source>Compare to see how the models differ from the database.</source>
        <translation>Comparez pour voir en quoi les modèles diffèrent de la base de données.</translation>
    </message>
    <message>
        <source>Nothing is ticked: tick the changes the revision should make</source>
        <translation>Rien n&apos;est coché : cochez les modifications que la révision doit faire</translation>
    </message>
    <message>
        <source>Loading the models and reading the database…</source>
        <translation>Chargement des modèles et lecture de la base de données…</translation>
    </message>
    <message>
        <source>Comparison failed: %1</source>
        <translation>Échec de la comparaison : %1</translation>
    </message>
    <message>
        <source>No changes: the database matches the models.</source>
        <translation>Aucune modification : la base de données correspond aux modèles.</translation>
    </message>
    <message>
        <source>1 change detected.</source>
        <translation>1 modification détectée.</translation>
    </message>
    <message>
        <source>%1 changes detected.</source>
        <translation>%1 modifications détectées.</translation>
    </message>
    <message>
        <source>env.py passes %1 to context.configure() as a function; Retort compares without it.</source>
        <translation>env.py passe %1 à context.configure() sous forme de fonction ; Retort compare sans elle.</translation>
    </message>
    <message>
        <source>Could not write the revision: %1</source>
        <translation>Impossible d&apos;écrire la révision : %1</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>%1 écrit</translation>
    </message>
    <message>
        <source>Compare first.</source>
        <translation>Comparez d&apos;abord.</translation>
    </message>
    <message>
        <source>Nothing is ticked: tick the changes the revision should make.</source>
        <translation>Rien n&apos;est coché : cochez les modifications que la révision doit faire.</translation>
    </message>
    <message>
        <source>Compare to preview the revision script.</source>
        <translation>Comparez pour voir un aperçu du script de révision.</translation>
    </message>
    <message>
        <source>Compare to see the database and the models side by side.</source>
        <translation>Comparez pour voir la base de données et les modèles côte à côte.</translation>
    </message>
    <message>
        <source>Whole schema: database (left) and models (right)</source>
        <translation>Schéma complet : base de données (à gauche) et modèles (à droite)</translation>
    </message>
    <message>
        <source>Table %1 renamed to %2: database (left) and models (right)</source>
        <translation>Table %1 renommée en %2 : base de données (à gauche) et modèles (à droite)</translation>
    </message>
    <message>
        <source>Table %1: database (left) and models (right)</source>
        <translation>Table %1 : base de données (à gauche) et modèles (à droite)</translation>
    </message>
</context>
<context>
    <name>retort::BackupsModel</name>
    <message>
        <source>(none)</source>
        <translation>(aucune)</translation>
    </message>
    <message>
        <source>(unknown)</source>
        <translation>(inconnu)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>Révision</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Base de données</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
</context>
<context>
    <name>retort::BackupsView</name>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>Back Up Now</source>
        <translation>Sauvegarder maintenant</translation>
    </message>
    <message>
        <source>Restore...</source>
        <translation>Restaurer...</translation>
    </message>
    <message>
        <source>Delete...</source>
        <translation>Supprimer...</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>Ouvrir le dossier</translation>
    </message>
    <message>
        <source>Keep newest:</source>
        <translation>Garder les plus récentes :</translation>
    </message>
    <message>
        <source>all</source>
        <translation>toutes</translation>
    </message>
    <message>
        <source>Older backups of each database are deleted when a new one is written (0: keep all)</source>
        <translation>Les sauvegardes plus anciennes de chaque base sont supprimées quand une nouvelle est écrite (0 : tout garder)</translation>
    </message>
    <message>
        <source>All databases</source>
        <translation>Toutes les bases de données</translation>
    </message>
    <message>
        <source>(unknown database)</source>
        <translation>(base de données inconnue)</translation>
    </message>
    <message>
        <source>Replace the database with the backup of %1 (revision %2)?

%3

Everything changed since is lost from the database; its current state is backed up first, so this restore can be undone.</source>
        <translation>Remplacer la base de données par la sauvegarde du %1 (révision %2) ?

%3

Tout ce qui a changé depuis est perdu dans la base ; son état actuel est d&apos;abord sauvegardé, si bien que cette restauration peut être annulée.</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(aucune)</translation>
    </message>
    <message>
        <source>Restore Backup</source>
        <translation>Restaurer la sauvegarde</translation>
    </message>
    <message>
        <source>Delete Backup</source>
        <translation>Supprimer la sauvegarde</translation>
    </message>
    <message>
        <source>Delete the backup %1?</source>
        <translation>Supprimer la sauvegarde %1 ?</translation>
    </message>
</context>
<context>
    <name>retort::ConnectionBar</name>
    <message>
        <source>Database URL (from the project, or type one)</source>
        <translation>URL de la base de données (celle du projet, ou saisissez-en une)</translation>
    </message>
    <message>
        <source>The project&apos;s URL (env.py override or sqlalchemy.url), or one you enter. Passwords are kept in the system keychain.</source>
        <translation>L&apos;URL du projet (surchargée par env.py ou sqlalchemy.url), ou celle que vous saisissez. Les mots de passe sont conservés dans le trousseau du système.</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Connecter</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>Base de données :</translation>
    </message>
    <message>
        <source>Keychain: %1</source>
        <translation>Trousseau : %1</translation>
    </message>
    <message>
        <source>The password for %1 was not saved: the system keychain is unavailable (%2). It is kept in memory until the studio closes; you will be asked to type it again next time.</source>
        <translation>Le mot de passe de %1 n&apos;a pas été enregistré : le trousseau du système est indisponible (%2). Il est gardé en mémoire jusqu&apos;à la fermeture du studio ; il vous sera redemandé la prochaine fois.</translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation>Reconnecter</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Non connecté</translation>
    </message>
    <message>
        <source>Dialect: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Dialecte : &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Current: &lt;i&gt;no database yet (the first upgrade creates it)&lt;/i&gt;</source>
        <translation>Actuelle : &lt;i&gt;pas encore de base (la première mise à niveau la crée)&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Current: &lt;i&gt;empty (base)&lt;/i&gt;</source>
        <translation>Actuelle : &lt;i&gt;vide (base)&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Current: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Actuelle : &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>retort::DefinitionDiffModel</name>
    <message>
        <source>Database</source>
        <translation>Base de données</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
</context>
<context>
    <name>retort::EngineSelector</name>
    <message>
        <source>The multidb template&apos;s engine the studio shows and migrates (`databases` in alembic.ini)</source>
        <translation>Le moteur du modèle multidb que le studio affiche et migre (`databases` dans alembic.ini)</translation>
    </message>
    <message>
        <source>Engine:</source>
        <translation>Moteur :</translation>
    </message>
</context>
<context>
    <name>retort::HistoryModel</name>
    <message>
        <source>current</source>
        <translation>actuelle</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>en attente</translation>
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
        <translation>Révision</translation>
    </message>
    <message>
        <source>Parents</source>
        <translation>Parents</translation>
    </message>
    <message>
        <source>Branch labels</source>
        <translation>Branches</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>Marques</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Chemin</translation>
    </message>
    <message>
        <source>changed since applied</source>
        <translation>modifié depuis l&apos;application</translation>
    </message>
    <message>
        <source>no checksum</source>
        <translation>aucune somme de contrôle</translation>
    </message>
    <message>
        <source>The script&apos;s upgrade() changed since this revision was applied.</source>
        <translation>La fonction upgrade() du script a changé depuis l&apos;application de cette révision.</translation>
    </message>
</context>
<context>
    <name>retort::HistoryView</name>
    <message>
        <source>Filter revisions (id, message, label, flag, path)</source>
        <translation>Filtrer les révisions (id, message, étiquette, marque, chemin)</translation>
    </message>
</context>
<context>
    <name>retort::LogView</name>
    <message>
        <source>Clear</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Save...</source>
        <translation>Enregistrer...</translation>
    </message>
    <message>
        <source>Save Log</source>
        <translation>Enregistrer le journal</translation>
    </message>
    <message>
        <source>Log files (*.log *.txt)</source>
        <translation>Fichiers journaux (*.log *.txt)</translation>
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
        <translation>Connexion</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Revision</source>
        <translation>&amp;Révision</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Barre principale</translation>
    </message>
    <message>
        <source>Opening another project closes it</source>
        <translation>Ouvrir un autre projet le ferme</translation>
    </message>
    <message>
        <source>Could not open %1:</source>
        <translation>Impossible d&apos;ouvrir %1 :</translation>
    </message>
    <message>
        <source>%1 — Retort Studio</source>
        <translation>%1 — Retort Studio</translation>
    </message>
    <message>
        <source>Open Alembic Project</source>
        <translation>Ouvrir un projet Alembic</translation>
    </message>
    <message>
        <source>Alembic config (*.ini);;All files (*)</source>
        <translation>Configuration Alembic (*.ini);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Merge Heads</source>
        <translation>Fusionner les heads</translation>
    </message>
    <message>
        <source>Message for the merge revision:</source>
        <translation>Message de la révision de fusion :</translation>
    </message>
    <message>
        <source>merge heads</source>
        <translation>merge heads</translation>
    </message>
    <message>
        <source>Merge failed: %1</source>
        <translation>Échec de la fusion : %1</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>%1 écrit</translation>
    </message>
    <message numerus="yes">
        <source>%n revision(s)</source>
        <translation>
            <numerusform>%n révision</numerusform>
            <numerusform>%n révisions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n head(s)</source>
        <translation>
            <numerusform>%n head</numerusform>
            <numerusform>%n heads</numerusform>
        </translation>
    </message>
    <message>
        <source>Not connected: %1</source>
        <translation>Non connecté : %1</translation>
    </message>
    <message>
        <source>Save or discard the open script&apos;s changes before squashing</source>
        <translation>Enregistrez ou abandonnez les modifications du script ouvert avant la fusion</translation>
    </message>
</context>
<context>
    <name>retort::MigrationController</name>
    <message>
        <source>Upgrading to %1</source>
        <translation>Mise à niveau vers %1</translation>
    </message>
    <message>
        <source>Downgrading to %1</source>
        <translation>Rétrogradation vers %1</translation>
    </message>
    <message>
        <source>Rolling back the last migration</source>
        <translation>Annulation de la dernière migration</translation>
    </message>
    <message>
        <source>A migration is already running</source>
        <translation>Une migration est déjà en cours</translation>
    </message>
    <message>
        <source>No project is open</source>
        <translation>Aucun projet n&apos;est ouvert</translation>
    </message>
    <message>
        <source>Nothing to do: the database is already there</source>
        <translation>Rien à faire : la base de données y est déjà</translation>
    </message>
    <message>
        <source>Backing up the database</source>
        <translation>Sauvegarde de la base de données</translation>
    </message>
    <message>
        <source>Restoring %1</source>
        <translation>Restauration de %1</translation>
    </message>
    <message>
        <source>%1
The backup was restored.</source>
        <translation>%1
La sauvegarde a été restaurée.</translation>
    </message>
    <message>
        <source>%1
Restoring the backup failed: %2</source>
        <translation>%1
La restauration de la sauvegarde a échoué : %2</translation>
    </message>
    <message>
        <source>Cancelled: nothing was run</source>
        <translation>Annulé : rien n&apos;a été exécuté</translation>
    </message>
</context>
<context>
    <name>retort::MigrationWorker</name>
    <message>
        <source>Nothing to roll back: the database has no applied revision</source>
        <translation>Rien à annuler : la base de données n&apos;a aucune révision appliquée</translation>
    </message>
    <message>
        <source>Upgrade to %1</source>
        <translation>Mise à niveau vers %1</translation>
    </message>
    <message>
        <source>Downgrade to %1</source>
        <translation>Rétrogradation vers %1</translation>
    </message>
    <message>
        <source>Nothing planned</source>
        <translation>Rien de prévu</translation>
    </message>
    <message>
        <source>revision %1 needs Python for engine %2 (%3, line %4) and must run in Alembic against the database (it %5); the studio cannot hand one engine&apos;s step to Alembic. Nothing was changed; run `alembic` for it.</source>
        <translation>la révision %1 nécessite Python pour le moteur %2 (%3, ligne %4) et doit s&apos;exécuter dans Alembic sur la base de données (elle %5) ; le studio ne peut pas confier l&apos;étape d&apos;un seul moteur à Alembic. Rien n&apos;a été modifié ; lancez `alembic` pour cela.</translation>
    </message>
    <message>
        <source>Backup failed, nothing was changed: </source>
        <translation>Échec de la sauvegarde, rien n&apos;a été modifié : </translation>
    </message>
    <message>
        <source>Cancelled before the first step</source>
        <translation>Annulé avant la première étape</translation>
    </message>
    <message>
        <source>Migrated to %1 (1 step)</source>
        <translation>Migré vers %1 (1 étape)</translation>
    </message>
    <message numerus="yes">
        <source>Migrated to %1 (%n steps)</source>
        <translation>
            <numerusform>Migré vers %1 (%n étape)</numerusform>
            <numerusform>Migré vers %1 (%n étapes)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancelled after %1 of %n steps</source>
        <translation>
            <numerusform>Annulé après %1 sur %n étape</numerusform>
            <numerusform>Annulé après %1 sur %n étapes</numerusform>
        </translation>
    </message>
    <message>
        <source>. Nothing was changed.</source>
        <translation>. Rien n&apos;a été modifié.</translation>
    </message>
    <message>
        <source>No database to restore</source>
        <translation>Aucune base de données à restaurer</translation>
    </message>
    <message>
        <source>Restored the backup %1</source>
        <translation>Sauvegarde %1 restaurée</translation>
    </message>
    <message>
        <source>Backup failed: </source>
        <translation>Échec de la sauvegarde : </translation>
    </message>
    <message>
        <source>Backed up to %1</source>
        <translation>Sauvegardé dans %1</translation>
    </message>
    <message>
        <source>%1 is not a %2 backup</source>
        <translation>%1 n&apos;est pas une sauvegarde %2</translation>
    </message>
    <message>
        <source>The backup is of %1, the project&apos;s database is %2</source>
        <translation>La sauvegarde est celle de %1, la base du projet est %2</translation>
    </message>
    <message>
        <source>Rehearsing on a copy of the database first</source>
        <translation>Répétition d&apos;abord sur une copie de la base de données</translation>
    </message>
    <message>
        <source>Cancelled after the rehearsal; nothing was changed</source>
        <translation>Annulé après la répétition ; rien n&apos;a été modifié</translation>
    </message>
    <message>
        <source>Rehearsal on a copy failed, nothing was changed: %1</source>
        <translation>La répétition sur une copie a échoué, rien n&apos;a été modifié : %1</translation>
    </message>
</context>
<context>
    <name>retort::NewProjectDialog</name>
    <message>
        <source>New Alembic Project</source>
        <translation>Nouveau projet Alembic</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>alembic.ini is written here; the project is run from this folder</source>
        <translation>alembic.ini est écrit ici ; le projet s&apos;exécute depuis ce dossier</translation>
    </message>
    <message>
        <source>The migration environment (env.py, script.py.mako, versions/), relative to the project folder; it must not exist or be empty</source>
        <translation>L&apos;environnement de migration (env.py, script.py.mako, versions/), relatif au dossier du projet ; il ne doit pas exister ou doit être vide</translation>
    </message>
    <message>
        <source>driver://user:pass@localhost/dbname (leave empty to edit later)</source>
        <translation>driver://user:pass@localhost/dbname (laisser vide pour la saisir plus tard)</translation>
    </message>
    <message>
        <source>Written into sqlalchemy.url (multidb: the first engine&apos;s)</source>
        <translation>Écrite dans sqlalchemy.url (multidb : celle du premier moteur)</translation>
    </message>
    <message>
        <source>Project &amp;folder:</source>
        <translation>&amp;Dossier du projet :</translation>
    </message>
    <message>
        <source>&amp;Scripts directory:</source>
        <translation>Répertoire des &amp;scripts :</translation>
    </message>
    <message>
        <source>&amp;Template:</source>
        <translation>&amp;Modèle :</translation>
    </message>
    <message>
        <source>Database &amp;URL:</source>
        <translation>&amp;URL de la base :</translation>
    </message>
    <message>
        <source>Project Folder</source>
        <translation>Dossier du projet</translation>
    </message>
    <message>
        <source>File %1 already exists; choose a folder without an alembic.ini</source>
        <translation>Le fichier %1 existe déjà ; choisissez un dossier sans alembic.ini</translation>
    </message>
    <message>
        <source>Nothing was created.</source>
        <translation>Rien n&apos;a été créé.</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>Impossible de lire %1 : %2</translation>
    </message>
    <message>
        <source>The template&apos;s alembic.ini has no sqlalchemy.url line</source>
        <translation>L&apos;alembic.ini du modèle n&apos;a pas de ligne sqlalchemy.url</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>Impossible d&apos;écrire %1 : %2</translation>
    </message>
</context>
<context>
    <name>retort::NewRevisionDialog</name>
    <message>
        <source>&amp;Autogenerate: compare the models with the database and review the changes first</source>
        <translation>&amp;Autogénérer : comparer d&apos;abord les modèles avec la base de données et vérifier les modifications</translation>
    </message>
    <message>
        <source>New Revision</source>
        <translation>Nouvelle révision</translation>
    </message>
    <message>
        <source>empty message</source>
        <translation>message vide</translation>
    </message>
    <message>
        <source>(choose a head)</source>
        <translation>(choisissez une head)</translation>
    </message>
    <message>
        <source>head</source>
        <translation>head</translation>
    </message>
    <message>
        <source>base (start a new branch; give it a label)</source>
        <translation>base (commencer une nouvelle branche ; donnez-lui une étiquette)</translation>
    </message>
    <message>
        <source>revision ids or branch labels, comma-separated</source>
        <translation>ids de révision ou étiquettes de branche, séparés par des virgules</translation>
    </message>
    <message>
        <source>Revisions this one depends on without descending from them (--depends-on)</source>
        <translation>Révisions dont celle-ci dépend sans en descendre (--depends-on)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucune</translation>
    </message>
    <message>
        <source>A label naming the branch this revision starts or belongs to (--branch-label)</source>
        <translation>Une étiquette nommant la branche que cette révision commence ou à laquelle elle appartient (--branch-label)</translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation>&amp;Message :</translation>
    </message>
    <message>
        <source>On top of &amp;head:</source>
        <translation>Au-dessus de la &amp;head :</translation>
    </message>
    <message>
        <source>&amp;Branch label:</source>
        <translation>Éti&amp;quette de branche :</translation>
    </message>
    <message>
        <source>&amp;Depends on:</source>
        <translation>&amp;Dépend de :</translation>
    </message>
    <message>
        <source>Needs a connected database (Autogenerate compares with it)</source>
        <translation>Nécessite une base de données connectée (l&apos;autogénération la compare)</translation>
    </message>
    <message>
        <source>Review Changes…</source>
        <translation>Vérifier les modifications…</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Créer</translation>
    </message>
    <message>
        <source>%1
(written to %2)</source>
        <translation>%1
(écrit dans %2)</translation>
    </message>
</context>
<context>
    <name>retort::PlanReview</name>
    <message>
        <source>no row has a value</source>
        <translation>aucune ligne n&apos;a de valeur</translation>
    </message>
    <message>
        <source>1 row has a value</source>
        <translation>1 ligne a une valeur</translation>
    </message>
    <message>
        <source>%1 rows have a value</source>
        <translation>%1 lignes ont une valeur</translation>
    </message>
    <message>
        <source>no row has a longer value</source>
        <translation>aucune ligne n&apos;a de valeur plus longue</translation>
    </message>
    <message>
        <source>1 row has a longer value</source>
        <translation>1 ligne a une valeur plus longue</translation>
    </message>
    <message>
        <source>%1 rows have a longer value</source>
        <translation>%1 lignes ont une valeur plus longue</translation>
    </message>
    <message>
        <source>no row has a value out of range</source>
        <translation>aucune ligne n&apos;a de valeur hors limites</translation>
    </message>
    <message>
        <source>1 row has a value out of range</source>
        <translation>1 ligne a une valeur hors limites</translation>
    </message>
    <message>
        <source>%1 rows have a value out of range</source>
        <translation>%1 lignes ont une valeur hors limites</translation>
    </message>
    <message>
        <source>no row has a dropped label</source>
        <translation>aucune ligne n&apos;a d&apos;étiquette supprimée</translation>
    </message>
    <message>
        <source>1 row has a dropped label</source>
        <translation>1 ligne a une étiquette supprimée</translation>
    </message>
    <message>
        <source>%1 rows have a dropped label</source>
        <translation>%1 lignes ont une étiquette supprimée</translation>
    </message>
    <message>
        <source>no row has a value to convert</source>
        <translation>aucune ligne n&apos;a de valeur à convertir</translation>
    </message>
    <message>
        <source>1 row has a value to convert</source>
        <translation>1 ligne a une valeur à convertir</translation>
    </message>
    <message>
        <source>%1 rows have a value to convert</source>
        <translation>%1 lignes ont une valeur à convertir</translation>
    </message>
    <message>
        <source>no row is NULL</source>
        <translation>aucune ligne n&apos;est NULL</translation>
    </message>
    <message>
        <source>1 row is NULL</source>
        <translation>1 ligne est NULL</translation>
    </message>
    <message>
        <source>%1 rows are NULL</source>
        <translation>%1 lignes sont NULL</translation>
    </message>
    <message>
        <source>not reviewed: the script&apos;s operations are not known</source>
        <translation>non vérifié : les opérations du script ne sont pas connues</translation>
    </message>
    <message>
        <source>not reviewed: needs Python (%1, line %2)</source>
        <translation>non vérifié : nécessite Python (%1, ligne %2)</translation>
    </message>
    <message>
        <source>not reviewed: %1</source>
        <translation>non vérifié : %1</translation>
    </message>
    <message>
        <source>runs SQL text, not reviewed (line %1): %2</source>
        <translation>exécute du texte SQL, non vérifié (ligne %1) : %2</translation>
    </message>
    <message>
        <source>not reviewed: op.%1() at line %2: %3</source>
        <translation>non vérifié : op.%1() à la ligne %2 : %3</translation>
    </message>
    <message>
        <source>drops table %1 (created earlier in this run)</source>
        <translation>supprime la table %1 (créée plus tôt dans cette exécution)</translation>
    </message>
    <message>
        <source>drops table %1 and its rows (not counted)</source>
        <translation>supprime la table %1 et ses lignes (non comptées)</translation>
    </message>
    <message>
        <source>drops table %1: it is empty</source>
        <translation>supprime la table %1 : elle est vide</translation>
    </message>
    <message>
        <source>drops table %1: 1 row</source>
        <translation>supprime la table %1 : 1 ligne</translation>
    </message>
    <message>
        <source>drops table %1: %2 rows</source>
        <translation>supprime la table %1 : %2 lignes</translation>
    </message>
    <message>
        <source>drops column %1 (created earlier in this run)</source>
        <translation>supprime la colonne %1 (créée plus tôt dans cette exécution)</translation>
    </message>
    <message>
        <source>drops column %1: %2</source>
        <translation>supprime la colonne %1 : %2</translation>
    </message>
    <message>
        <source>drops column %1 and its values (not counted)</source>
        <translation>supprime la colonne %1 et ses valeurs (non comptées)</translation>
    </message>
    <message>
        <source> (created earlier in this run)</source>
        <translation> (créée plus tôt dans cette exécution)</translation>
    </message>
    <message>
        <source>narrows %1 from %2 to %3</source>
        <translation>restreint %1 de %2 à %3</translation>
    </message>
    <message>
        <source>changes the type of %1 to %2 (the script does not name the old type)</source>
        <translation>change le type de %1 en %2 (le script ne nomme pas l&apos;ancien type)</translation>
    </message>
    <message>
        <source> (not counted)</source>
        <translation> (non compté)</translation>
    </message>
    <message>
        <source>sets NOT NULL on %1</source>
        <translation>définit NOT NULL sur %1</translation>
    </message>
    <message>
        <source>sets NOT NULL on %1: </source>
        <translation>définit NOT NULL sur %1 : </translation>
    </message>
    <message>
        <source>, the statement fails on them</source>
        <translation>, l&apos;instruction échoue sur elles</translation>
    </message>
    <message>
        <source>fails if any row is NULL (not counted)</source>
        <translation>échoue si une ligne est NULL (non compté)</translation>
    </message>
    <message>
        <source>drops foreign key %1 on %2: the database stops enforcing it</source>
        <translation>supprime la clé étrangère %1 sur %2 : la base de données cesse de l&apos;appliquer</translation>
    </message>
    <message>
        <source>drops unique constraint %1 on %2: the database stops enforcing it</source>
        <translation>supprime la contrainte d&apos;unicité %1 sur %2 : la base de données cesse de l&apos;appliquer</translation>
    </message>
    <message>
        <source>drops check constraint %1 on %2: the database stops enforcing it</source>
        <translation>supprime la contrainte de vérification %1 sur %2 : la base de données cesse de l&apos;appliquer</translation>
    </message>
    <message>
        <source>drops primary key %1 on %2: the database stops enforcing it</source>
        <translation>supprime la clé primaire %1 sur %2 : la base de données cesse de l&apos;appliquer</translation>
    </message>
    <message>
        <source>drops constraint %1 on %2: the database stops enforcing it</source>
        <translation>supprime la contrainte %1 sur %2 : la base de données cesse de l&apos;appliquer</translation>
    </message>
    <message>
        <source>drops index %1</source>
        <translation>supprime l&apos;index %1</translation>
    </message>
    <message>
        <source>drops index %1 on %2</source>
        <translation>supprime l&apos;index %1 sur %2</translation>
    </message>
    <message>
        <source>en</source>
        <comment>the locale whose digit grouping the counts use</comment>
        <translation>fr</translation>
    </message>
</context>
<context>
    <name>retort::PlanReviewReport</name>
    <message>
        <source>1 column</source>
        <translation>1 colonne</translation>
    </message>
    <message>
        <source>%1 columns</source>
        <translation>%1 colonnes</translation>
    </message>
    <message>
        <source>1 table</source>
        <translation>1 table</translation>
    </message>
    <message>
        <source>%1 tables</source>
        <translation>%1 tables</translation>
    </message>
    <message>
        <source>1 value</source>
        <translation>1 valeur</translation>
    </message>
    <message>
        <source>%1 values</source>
        <translation>%1 valeurs</translation>
    </message>
    <message>
        <source>1 row</source>
        <translation>1 ligne</translation>
    </message>
    <message>
        <source>%1 rows</source>
        <translation>%1 lignes</translation>
    </message>
    <message>
        <source>1 NULL</source>
        <translation>1 NULL</translation>
    </message>
    <message>
        <source>%1 NULLs</source>
        <translation>%1 NULL</translation>
    </message>
    <message>
        <source>1 constraint</source>
        <translation>1 contrainte</translation>
    </message>
    <message>
        <source>%1 constraints</source>
        <translation>%1 contraintes</translation>
    </message>
    <message>
        <source>1 index</source>
        <translation>1 index</translation>
    </message>
    <message>
        <source>%1 indexes</source>
        <translation>%1 index</translation>
    </message>
    <message>
        <source>1 SQL text</source>
        <translation>1 texte SQL</translation>
    </message>
    <message>
        <source>%1 SQL texts</source>
        <translation>%1 textes SQL</translation>
    </message>
    <message>
        <source>1 step</source>
        <translation>1 étape</translation>
    </message>
    <message>
        <source>%1 steps</source>
        <translation>%1 étapes</translation>
    </message>
    <message>
        <source>(not counted)</source>
        <translation>(non compté)</translation>
    </message>
    <message>
        <source>holding at least %1</source>
        <translation>contenant au moins %1</translation>
    </message>
    <message>
        <source>holding %1</source>
        <translation>contenant %1</translation>
    </message>
    <message>
        <source>drops %1 %2</source>
        <translation>supprime %1 %2</translation>
    </message>
    <message>
        <source>narrows the type of %1</source>
        <translation>restreint le type de %1</translation>
    </message>
    <message>
        <source>: %1 do not fit</source>
        <translation> : %1 ne tiennent pas</translation>
    </message>
    <message>
        <source>: every value fits</source>
        <translation> : toutes les valeurs tiennent</translation>
    </message>
    <message>
        <source>sets NOT NULL on %1 %2</source>
        <translation>définit NOT NULL sur %1 %2</translation>
    </message>
    <message>
        <source>drops %1</source>
        <translation>supprime %1</translation>
    </message>
    <message>
        <source>runs %1 not reviewed</source>
        <translation>exécute %1 non vérifié(s)</translation>
    </message>
    <message>
        <source>leaves %1 not reviewed</source>
        <translation>laisse %1 non vérifié(s)</translation>
    </message>
    <message>
        <source>; </source>
        <translation> ; </translation>
    </message>
    <message>
        <source>en</source>
        <comment>the locale whose digit grouping the counts use</comment>
        <translation>fr</translation>
    </message>
</context>
<context>
    <name>retort::PreferencesDialog</name>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Préférences</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Système</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> pt</translation>
    </message>
    <message>
        <source>Default location</source>
        <translation>Emplacement par défaut</translation>
    </message>
    <message>
        <source>Where the backups taken before each run are written</source>
        <translation>Où sont écrites les sauvegardes faites avant chaque exécution</translation>
    </message>
    <message>
        <source>Keep all</source>
        <translation>Tout garder</translation>
    </message>
    <message>
        <source>How many backups to keep per database; older ones are deleted</source>
        <translation>Combien de sauvegardes garder par base de données ; les plus anciennes sont supprimées</translation>
    </message>
    <message>
        <source>Default: found per project</source>
        <translation>Par défaut : trouvé pour chaque projet</translation>
    </message>
    <message>
        <source>The Python that runs the project&apos;s own Alembic (steps that need Python, autogenerate&apos;s models). Empty: $RETORT_PYTHON, the ini&apos;s retort_python, the active or the project&apos;s virtualenv, python3.</source>
        <translation>Le Python qui exécute l&apos;Alembic du projet (étapes qui nécessitent Python, modèles de l&apos;autogénération). Vide : $RETORT_PYTHON, retort_python de l&apos;ini, le virtualenv actif ou celui du projet, python3.</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>&amp;Thème :</translation>
    </message>
    <message>
        <source>Editor &amp;font:</source>
        <translation>P&amp;olice de l&apos;éditeur :</translation>
    </message>
    <message>
        <source>&amp;Backup folder:</source>
        <translation>Dossier de &amp;sauvegarde :</translation>
    </message>
    <message>
        <source>Backup Folder</source>
        <translation>Dossier de sauvegarde</translation>
    </message>
    <message>
        <source>Backups &amp;kept:</source>
        <translation>Sauvegardes &amp;conservées :</translation>
    </message>
    <message>
        <source>&amp;Python interpreter:</source>
        <translation>Interpréteur &amp;Python :</translation>
    </message>
    <message>
        <source>Python Interpreter</source>
        <translation>Interpréteur Python</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Langue :</translation>
    </message>
    <message>
        <source>A new language applies the next time Retort Studio starts.</source>
        <translation>Une nouvelle langue s&apos;applique au prochain démarrage de Retort Studio.</translation>
    </message>
</context>
<context>
    <name>retort::ProjectBanners</name>
    <message>
        <source>&lt;b&gt;%1 heads:&lt;/b&gt; %2. &lt;code&gt;upgrade head&lt;/code&gt; is ambiguous until they are merged (or upgrade to &lt;code&gt;heads&lt;/code&gt;).</source>
        <translation>&lt;b&gt;%1 heads :&lt;/b&gt; %2. &lt;code&gt;upgrade head&lt;/code&gt; est ambigu tant qu&apos;elles ne sont pas fusionnées (ou mettez à niveau vers &lt;code&gt;heads&lt;/code&gt;).</translation>
    </message>
    <message>
        <source>&lt;b&gt;The database is at revision %1, which no script defines.&lt;/b&gt;&lt;br&gt;Alembic stops with &lt;i&gt;Can&apos;t locate revision identified by &apos;%2&apos;&lt;/i&gt;: upgrade, downgrade and history against this database fail until the script is back in %3 (another branch or checkout?) or the database is stamped to a known revision (&lt;code&gt;retort stamp &amp;lt;revision&amp;gt;&lt;/code&gt;).</source>
        <translation>&lt;b&gt;La base de données est à la révision %1, qu&apos;aucun script ne définit.&lt;/b&gt;&lt;br&gt;Alembic s&apos;arrête avec &lt;i&gt;Can&apos;t locate revision identified by &apos;%2&apos;&lt;/i&gt; : upgrade, downgrade et history sur cette base échouent tant que le script n&apos;est pas revenu dans %3 (une autre branche ou un autre checkout ?) ou que la base n&apos;est pas marquée à une révision connue (&lt;code&gt;retort stamp &amp;lt;revision&amp;gt;&lt;/code&gt;).</translation>
    </message>
    <message>
        <source>Open: %1</source>
        <translation>Ouvrir : %1</translation>
    </message>
</context>
<context>
    <name>retort::ProjectDocument</name>
    <message>
        <source>No config file %1 found</source>
        <translation>Aucun fichier de configuration %1 trouvé</translation>
    </message>
    <message>
        <source>No project is open</source>
        <translation>Aucun projet n&apos;est ouvert</translation>
    </message>
    <message>
        <source>There is only one head; nothing to merge</source>
        <translation>Il n&apos;y a qu&apos;une head ; rien à fusionner</translation>
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
        <translation>échec de la mise à niveau</translation>
    </message>
    <message>
        <source>downgrade failed</source>
        <translation>échec de la rétrogradation</translation>
    </message>
    <message>
        <source>downgrade does not restore the schema</source>
        <translation>la rétrogradation ne restaure pas le schéma</translation>
    </message>
    <message>
        <source>upgrade after the downgrade failed</source>
        <translation>échec de la mise à niveau après la rétrogradation</translation>
    </message>
    <message>
        <source>Right-click a revision of the graph: Verify Downgrades, Schema at This Revision, Compare With...</source>
        <translation>Clic droit sur une révision du graphe : Vérifier les rétrogradations, Schéma à cette révision, Comparer avec...</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>Révision</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Durée</translation>
    </message>
    <message>
        <source>%1: running on a scratch database...</source>
        <translation>%1 : exécution sur une base de données temporaire...</translation>
    </message>
    <message>
        <source>Verify downgrades</source>
        <translation>Vérifier les rétrogradations</translation>
    </message>
    <message>
        <source>Verify downgrades from %1</source>
        <translation>Vérifier les rétrogradations depuis %1</translation>
    </message>
    <message>
        <source>Schema at %1</source>
        <translation>Schéma à %1</translation>
    </message>
    <message>
        <source>Compare %1 with %2</source>
        <translation>Comparer %1 avec %2</translation>
    </message>
    <message>
        <source>Compare With</source>
        <translation>Comparer avec</translation>
    </message>
    <message>
        <source>Compare the schema at %1 with the schema at:</source>
        <translation>Comparer le schéma à %1 avec le schéma à :</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n revision(s) checked...</source>
        <translation>
            <numerusform>%1 : %n révision vérifiée...</numerusform>
            <numerusform>%1 : %n révisions vérifiées...</numerusform>
        </translation>
    </message>
    <message>
        <source>Schema after the downgrade (+) against before the upgrade (-):</source>
        <translation>Schéma après la rétrogradation (+) par rapport à avant la mise à niveau (-) :</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>Échec de %1 : %2</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n revision(s) checked, every downgrade restores the schema.</source>
        <translation>
            <numerusform>%1 : %n révision vérifiée, chaque rétrogradation restaure le schéma.</numerusform>
            <numerusform>%1 : %n révisions vérifiées, chaque rétrogradation restaure le schéma.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %n revision(s) checked, %2 finding(s).</source>
        <translation>
            <numerusform>%1 : %n révision vérifiée, %2 constat(s).</numerusform>
            <numerusform>%1 : %n révisions vérifiées, %2 constat(s).</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (built on a scratch database)</source>
        <translation>%1 (construit sur une base de données temporaire)</translation>
    </message>
    <message>
        <source>%1: no schema changes</source>
        <translation>%1 : aucune modification du schéma</translation>
    </message>
    <message>
        <source>%1: %2 added, %3 removed, %4 changed</source>
        <translation>%1 : %2 ajouté(s), %3 supprimé(s), %4 modifié(s)</translation>
    </message>
</context>
<context>
    <name>retort::RecentProjectsMenu</name>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Projets &amp;récents</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>Effacer la liste</translation>
    </message>
</context>
<context>
    <name>retort::RevisionGraphView</name>
    <message>
        <source>Find revision or message</source>
        <translation>Rechercher une révision ou un message</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Fermer (Échap)</translation>
    </message>
    <message>
        <source>No revisions</source>
        <translation>Aucune révision</translation>
    </message>
    <message>
        <source>Open a project (Ctrl+O)</source>
        <translation>Ouvrir un projet (Ctrl+O)</translation>
    </message>
    <message>
        <source>database</source>
        <translation>base de données</translation>
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
        <translation>Mettre à niveau jusqu&apos;ici</translation>
    </message>
    <message>
        <source>Downgrade to here</source>
        <translation>Rétrograder jusqu&apos;ici</translation>
    </message>
    <message>
        <source>Show script</source>
        <translation>Afficher le script</translation>
    </message>
    <message>
        <source>Preview SQL</source>
        <translation>Aperçu SQL</translation>
    </message>
    <message>
        <source>Copy revision id</source>
        <translation>Copier l&apos;id de révision</translation>
    </message>
    <message>
        <source>changed since applied</source>
        <translation>modifié depuis l&apos;application</translation>
    </message>
    <message>
        <source>downgrade ok</source>
        <translation>rétrogradation ok</translation>
    </message>
    <message>
        <source>downgrade broken</source>
        <translation>rétrogradation cassée</translation>
    </message>
    <message>
        <source>Squash up to here…</source>
        <translation>Fusionner jusqu&apos;ici…</translation>
    </message>
    <message>
        <source>Verify Downgrades</source>
        <translation>Vérifier les rétrogradations</translation>
    </message>
    <message>
        <source>Verify Downgrades from Here</source>
        <translation>Vérifier les rétrogradations à partir d&apos;ici</translation>
    </message>
    <message>
        <source>Schema at This Revision</source>
        <translation>Schéma à cette révision</translation>
    </message>
    <message>
        <source>Compare With...</source>
        <translation>Comparer avec...</translation>
    </message>
</context>
<context>
    <name>retort::SchemaBrowserView</name>
    <message>
        <source>Filter tables and columns</source>
        <translation>Filtrer les tables et colonnes</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>No project</source>
        <translation>Aucun projet</translation>
    </message>
    <message>
        <source>Not read yet</source>
        <translation>Pas encore lu</translation>
    </message>
    <message>
        <source>Reading the database…</source>
        <translation>Lecture de la base de données…</translation>
    </message>
    <message>
        <source>Cannot read the database: %1</source>
        <translation>Impossible de lire la base de données : %1</translation>
    </message>
    <message numerus="yes">
        <source>%n table(s) in %1</source>
        <translation>
            <numerusform>%n table dans %1</numerusform>
            <numerusform>%n tables dans %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>retort::SchemaTreeModel</name>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Definition</source>
        <translation>Définition</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Lignes</translation>
    </message>
    <message>
        <source>?</source>
        <translation>?</translation>
    </message>
    <message>
        <source>Part of the primary key</source>
        <translation>Fait partie de la clé primaire</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>Colonnes</translation>
    </message>
    <message>
        <source>Indexes</source>
        <translation>Index</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>(sans nom)</translation>
    </message>
    <message>
        <source>Constraints</source>
        <translation>Contraintes</translation>
    </message>
    <message>
        <source>schema</source>
        <translation>schéma</translation>
    </message>
    <message>
        <source>view</source>
        <translation>vue</translation>
    </message>
</context>
<context>
    <name>retort::ScriptDiagnostics</name>
    <message>
        <source>%1() needs Python: %2</source>
        <translation>%1() nécessite Python : %2</translation>
    </message>
</context>
<context>
    <name>retort::ScriptEditorView</name>
    <message>
        <source>This revision is already applied to the connected database. Editing it does not change the database: downgrade first, or write a new revision.</source>
        <translation>Cette révision est déjà appliquée à la base de données connectée. La modifier ne change pas la base : rétrogradez d&apos;abord, ou écrivez une nouvelle révision.</translation>
    </message>
    <message>
        <source>Find:</source>
        <translation>Rechercher :</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Suivant</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>Impossible d&apos;ouvrir %1 : %2</translation>
    </message>
    <message>
        <source>untitled</source>
        <translation>sans titre</translation>
    </message>
    <message>
        <source>No file to save to</source>
        <translation>Aucun fichier où enregistrer</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>ligne %1 : %2</translation>
    </message>
    <message>
        <source>Not saved: %1 has a syntax error</source>
        <translation>Non enregistré : %1 contient une erreur de syntaxe</translation>
    </message>
    <message>
        <source>Cannot save %1: %2</source>
        <translation>Impossible d&apos;enregistrer %1 : %2</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Erreur : %1</translation>
    </message>
</context>
<context>
    <name>retort::ScriptPrompts</name>
    <message>
        <source>Unsaved Changes</source>
        <translation>Modifications non enregistrées</translation>
    </message>
    <message>
        <source>%1 has unsaved changes.</source>
        <translation>%1 a des modifications non enregistrées.</translation>
    </message>
    <message>
        <source>Save them first?</source>
        <translation>Les enregistrer d&apos;abord ?</translation>
    </message>
    <message>
        <source>%1. Save the changes first?</source>
        <translation>%1. Enregistrer d&apos;abord les modifications ?</translation>
    </message>
    <message>
        <source>Syntax Error</source>
        <translation>Erreur de syntaxe</translation>
    </message>
    <message>
        <source>%1 has a syntax error: %2</source>
        <translation>%1 contient une erreur de syntaxe : %2</translation>
    </message>
    <message>
        <source>Alembic cannot load a script with a syntax error: every command on this project fails until it is fixed. Save anyway?</source>
        <translation>Alembic ne peut pas charger un script contenant une erreur de syntaxe : toutes les commandes de ce projet échouent tant qu&apos;elle n&apos;est pas corrigée. Enregistrer quand même ?</translation>
    </message>
    <message>
        <source>File Changed on Disk</source>
        <translation>Fichier modifié sur le disque</translation>
    </message>
    <message>
        <source>%1 was changed outside the studio, and the editor has unsaved changes.</source>
        <translation>%1 a été modifié hors du studio, et l&apos;éditeur a des modifications non enregistrées.</translation>
    </message>
    <message>
        <source>Reload and Discard My Changes</source>
        <translation>Recharger et abandonner mes modifications</translation>
    </message>
    <message>
        <source>Keep My Changes</source>
        <translation>Garder mes modifications</translation>
    </message>
</context>
<context>
    <name>retort::SqlPreviewView</name>
    <message>
        <source>Upgrade</source>
        <translation>Mise à niveau</translation>
    </message>
    <message>
        <source>Downgrade</source>
        <translation>Rétrogradation</translation>
    </message>
    <message>
        <source>fro&amp;m</source>
        <translation>&amp;de</translation>
    </message>
    <message>
        <source>&amp;to</source>
        <translation>&amp;à</translation>
    </message>
    <message>
        <source>revision</source>
        <translation>révision</translation>
    </message>
    <message>
        <source>&amp;as</source>
        <translation>&amp;en</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <source>The dialect to render for: the connection&apos;s (what an online run executes) or another one (what --sql prints with a URL of that dialect)</source>
        <translation>Le dialecte à produire : celui de la connexion (ce qu&apos;exécute une exécution en ligne) ou un autre (ce qu&apos;affiche --sql avec une URL de ce dialecte)</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Enregistrer…</translation>
    </message>
    <message>
        <source>Save the script as a .sql file</source>
        <translation>Enregistrer le script dans un fichier .sql</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Base de données</translation>
    </message>
    <message>
        <source>The database&apos;s current revision: what an online run executes</source>
        <translation>La révision actuelle de la base : ce qu&apos;exécute une exécution en ligne</translation>
    </message>
    <message>
        <source>No project</source>
        <translation>Aucun projet</translation>
    </message>
    <message>
        <source>Select a revision</source>
        <translation>Sélectionnez une révision</translation>
    </message>
    <message>
        <source>Connection (%1)</source>
        <translation>Connexion (%1)</translation>
    </message>
    <message numerus="yes">
        <source>%n step(s), %1 as --sql prints from %2</source>
        <translation>
            <numerusform>%n étape, %1 comme l&apos;affiche --sql depuis %2</numerusform>
            <numerusform>%n étapes, %1 comme les affiche --sql depuis %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n step(s) an online run executes on %1 from %2</source>
        <translation>
            <numerusform>%n étape qu&apos;une exécution en ligne exécute sur %1 depuis %2</numerusform>
            <numerusform>%n étapes qu&apos;une exécution en ligne exécute sur %1 depuis %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to run: the database is already there</source>
        <translation>Rien à exécuter : la base de données y est déjà</translation>
    </message>
    <message>
        <source>Revision %1 (%2) cannot be rendered: %3</source>
        <translation>La révision %1 (%2) ne peut pas être produite : %3</translation>
    </message>
    <message>
        <source>Revision &lt;b&gt;%1&lt;/b&gt; (%2) cannot be rendered: %3&lt;br&gt;The SQL before it is shown.</source>
        <translation>La révision &lt;b&gt;%1&lt;/b&gt; (%2) ne peut pas être produite : %3&lt;br&gt;Le SQL qui la précède est affiché.</translation>
    </message>
    <message>
        <source>The script is incomplete: a step&apos;s SQL is only a comment.&lt;br&gt;%1</source>
        <translation>Le script est incomplet : le SQL d&apos;une étape n&apos;est qu&apos;un commentaire.&lt;br&gt;%1</translation>
    </message>
    <message>
        <source>Save SQL</source>
        <translation>Enregistrer le SQL</translation>
    </message>
    <message>
        <source>SQL files (*.sql);;All files (*)</source>
        <translation>Fichiers SQL (*.sql);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Could not save: %1</source>
        <translation>Impossible d&apos;enregistrer : %1</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 enregistré</translation>
    </message>
</context>
<context>
    <name>retort::SquashDialog</name>
    <message>
        <source>Squash up to %1</source>
        <translation>Fusionner jusqu&apos;à %1</translation>
    </message>
    <message>
        <source>Replace %1 and the revisions below it with one baseline revision that creates the schema at %1 (it keeps the id %1). The old scripts move to the archive folder next to the versions folder, nothing is deleted. Databases at %1 or above keep working; a database below %1 can no longer be upgraded afterwards. Rows the old migrations inserted are not carried.</source>
        <translation>Remplacer %1 et les révisions en dessous par une révision de base qui crée le schéma à %1 (elle garde l&apos;identifiant %1). Les anciens scripts sont déplacés dans le dossier d&apos;archive à côté du dossier des versions, rien n&apos;est supprimé. Les bases de données à %1 ou au-dessus continuent de fonctionner ; une base de données en dessous de %1 ne pourra plus être mise à niveau. Les lignes insérées par les anciennes migrations ne sont pas reprises.</translation>
    </message>
    <message>
        <source>Build the schema in a temporary SQLite file (instead of a temporary database on the project&apos;s server)</source>
        <translation>Construire le schéma dans un fichier SQLite temporaire (au lieu d&apos;une base de données temporaire sur le serveur du projet)</translation>
    </message>
    <message>
        <source>Squash even when the project&apos;s database is below this revision or cannot be checked</source>
        <translation>Fusionner même si la base de données du projet est en dessous de cette révision ou ne peut pas être vérifiée</translation>
    </message>
    <message>
        <source>Preview shows the baseline without writing anything.</source>
        <translation>L&apos;aperçu montre la révision de base sans rien écrire.</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Aperçu</translation>
    </message>
    <message>
        <source>Squash</source>
        <translation>Fusionner</translation>
    </message>
    <message>
        <source>Building the schema at %1…</source>
        <translation>Construction du schéma à %1…</translation>
    </message>
    <message>
        <source>Squashing up to %1…</source>
        <translation>Fusion jusqu&apos;à %1…</translation>
    </message>
    <message>
        <source>Nothing was changed: %1</source>
        <translation>Rien n&apos;a été modifié : %1</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>Avertissement : %1</translation>
    </message>
</context>
<context>
    <name>retort::StartPage</name>
    <message>
        <source>No recent projects.</source>
        <translation>Aucun projet récent.</translation>
    </message>
    <message>
        <source>Retort Studio</source>
        <translation>Retort Studio</translation>
    </message>
    <message>
        <source>Open an Alembic project (its alembic.ini) or create one.</source>
        <translation>Ouvrez un projet Alembic (son alembic.ini) ou créez-en un.</translation>
    </message>
    <message>
        <source>Recent projects</source>
        <translation>Projets récents</translation>
    </message>
</context>
<context>
    <name>retort::StudioActions</name>
    <message>
        <source>&amp;New Project…</source>
        <translation>&amp;Nouveau projet…</translation>
    </message>
    <message>
        <source>Create a project from a template (alembic init)</source>
        <translation>Créer un projet à partir d&apos;un modèle (alembic init)</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>&amp;Ouvrir un projet…</translation>
    </message>
    <message>
        <source>Open a project by its alembic.ini</source>
        <translation>Ouvrir un projet par son alembic.ini</translation>
    </message>
    <message>
        <source>&amp;Save Script</source>
        <translation>&amp;Enregistrer le script</translation>
    </message>
    <message>
        <source>Save the script open in the editor</source>
        <translation>Enregistrer le script ouvert dans l&apos;éditeur</translation>
    </message>
    <message>
        <source>Save A&amp;ll</source>
        <translation>Enregistrer &amp;tout</translation>
    </message>
    <message>
        <source>Save every script with unsaved changes</source>
        <translation>Enregistrer tous les scripts modifiés</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>Re&amp;charger</translation>
    </message>
    <message>
        <source>Re-read the revision scripts and the database&apos;s current revisions</source>
        <translation>Relire les scripts de révision et les révisions actuelles de la base</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>Quit Retort Studio</source>
        <translation>Quitter Retort Studio</translation>
    </message>
    <message>
        <source>&amp;Upgrade to Here</source>
        <translation>Mettre à &amp;niveau jusqu&apos;ici</translation>
    </message>
    <message>
        <source>Upgrade the database to the selected revision</source>
        <translation>Mettre la base de données à niveau jusqu&apos;à la révision sélectionnée</translation>
    </message>
    <message>
        <source>&amp;Downgrade to Here</source>
        <translation>&amp;Rétrograder jusqu&apos;ici</translation>
    </message>
    <message>
        <source>Downgrade the database to the selected revision</source>
        <translation>Rétrograder la base de données jusqu&apos;à la révision sélectionnée</translation>
    </message>
    <message>
        <source>Roll &amp;Back Last Migration</source>
        <translation>Annuler la &amp;dernière migration</translation>
    </message>
    <message>
        <source>Downgrade by one revision (downgrade -1)</source>
        <translation>Rétrograder d&apos;une révision (downgrade -1)</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>Arrê&amp;ter</translation>
    </message>
    <message>
        <source>Stop the running migration before its next step</source>
        <translation>Arrêter la migration en cours avant sa prochaine étape</translation>
    </message>
    <message>
        <source>&amp;Merge Heads…</source>
        <translation>&amp;Fusionner les heads…</translation>
    </message>
    <message>
        <source>Write a merge revision joining every head (alembic merge heads)</source>
        <translation>Écrire une révision de fusion qui réunit toutes les heads (alembic merge heads)</translation>
    </message>
    <message>
        <source>New &amp;Revision…</source>
        <translation>Nou&amp;velle révision…</translation>
    </message>
    <message>
        <source>Write an empty revision script on top of a head (alembic revision -m)</source>
        <translation>Écrire un script de révision vide au-dessus d&apos;une head (alembic revision -m)</translation>
    </message>
    <message>
        <source>&amp;Find Revision…</source>
        <translation>&amp;Rechercher une révision…</translation>
    </message>
    <message>
        <source>Find a revision by id or message</source>
        <translation>Rechercher une révision par id ou message</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>Zoom &amp;avant</translation>
    </message>
    <message>
        <source>Larger graph</source>
        <translation>Graphe plus grand</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>&amp;Zoom arrière</translation>
    </message>
    <message>
        <source>Smaller graph</source>
        <translation>Graphe plus petit</translation>
    </message>
    <message>
        <source>Show &amp;Script</source>
        <translation>Afficher le &amp;script</translation>
    </message>
    <message>
        <source>Open the selected revision&apos;s script</source>
        <translation>Ouvrir le script de la révision sélectionnée</translation>
    </message>
    <message>
        <source>&amp;Preview SQL</source>
        <translation>Aperçu S&amp;QL</translation>
    </message>
    <message>
        <source>Show the SQL that upgrading to the selected revision runs</source>
        <translation>Afficher le SQL qu&apos;exécute la mise à niveau jusqu&apos;à la révision sélectionnée</translation>
    </message>
    <message>
        <source>&amp;Autogenerate Revision…</source>
        <translation>&amp;Autogénérer une révision…</translation>
    </message>
    <message>
        <source>Compare the models with the database and review the changes before writing a revision</source>
        <translation>Comparer les modèles avec la base de données et vérifier les modifications avant d&apos;écrire une révision</translation>
    </message>
    <message>
        <source>&amp;Reset Zoom</source>
        <translation>&amp;Réinitialiser le zoom</translation>
    </message>
    <message>
        <source>Graph at its normal size</source>
        <translation>Graphe à sa taille normale</translation>
    </message>
    <message>
        <source>&amp;Go to Current Revision</source>
        <translation>Aller à la révision &amp;actuelle</translation>
    </message>
    <message>
        <source>Select the revision the database is at</source>
        <translation>Sélectionner la révision où se trouve la base de données</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <source>Undo the last edit</source>
        <translation>Annuler la dernière modification</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rétablir</translation>
    </message>
    <message>
        <source>Redo the last undone edit</source>
        <translation>Rétablir la dernière modification annulée</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>Co&amp;uper</translation>
    </message>
    <message>
        <source>Cut the selection</source>
        <translation>Couper la sélection</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copier</translation>
    </message>
    <message>
        <source>Copy the selection</source>
        <translation>Copier la sélection</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>C&amp;oller</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Coller</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>&amp;Tout sélectionner</translation>
    </message>
    <message>
        <source>Select everything</source>
        <translation>Tout sélectionner</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>Rec&amp;hercher…</translation>
    </message>
    <message>
        <source>Find in the script editor, or a revision in the graph</source>
        <translation>Rechercher dans l&apos;éditeur de script, ou une révision dans le graphe</translation>
    </message>
    <message>
        <source>Pre&amp;ferences…</source>
        <translation>&amp;Préférences…</translation>
    </message>
    <message>
        <source>Theme, editor font, backups, Python, language</source>
        <translation>Thème, police de l&apos;éditeur, sauvegardes, Python, langue</translation>
    </message>
    <message>
        <source>&amp;About Retort Studio</source>
        <translation>À &amp;propos de Retort Studio</translation>
    </message>
    <message>
        <source>Version, licences and links</source>
        <translation>Version, licences et liens</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>À propos de &amp;Qt</translation>
    </message>
    <message>
        <source>The Qt version and licence</source>
        <translation>La version et la licence de Qt</translation>
    </message>
</context>
<context>
    <name>retort::StudioDocks</name>
    <message>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Journal</translation>
    </message>
    <message>
        <source>Script</source>
        <translation>Script</translation>
    </message>
    <message>
        <source>SQL Preview</source>
        <translation>Aperçu SQL</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>Sauvegardes</translation>
    </message>
    <message>
        <source>Schema</source>
        <translation>Schéma</translation>
    </message>
    <message>
        <source>Autogenerate</source>
        <translation>Autogénération</translation>
    </message>
    <message>
        <source>Script — %1</source>
        <translation>Script — %1</translation>
    </message>
    <message>
        <source>Opening %1 replaces it in the editor</source>
        <translation>Ouvrir %1 le remplace dans l&apos;éditeur</translation>
    </message>
    <message>
        <source>Quitting closes it</source>
        <translation>Quitter le ferme</translation>
    </message>
    <message>
        <source>Proof</source>
        <translation>Preuve</translation>
    </message>
</context>
<context>
    <name>retort::StudioMenus</name>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Édition</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ai&amp;de</translation>
    </message>
    <message>
        <source>The database has no current revision (it is at base)</source>
        <translation>La base de données n&apos;a pas de révision actuelle (elle est à base)</translation>
    </message>
    <message>
        <source>Not connected to the database</source>
        <translation>Non connecté à la base de données</translation>
    </message>
</context>
</TS>
