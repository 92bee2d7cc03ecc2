#pragma once
// Which database the studio looks at: the project's URL (what env.py and sqlalchemy.url
// give, via MigrationEnvironment) or one the user types. Connecting happens in a worker
// thread, so a slow or unreachable server never freezes the window; the result is the
// dialect and the version table's heads.
//
// A typed URL is remembered per project in QSettings *without* its password (neither
// user:password@ nor a ?password= parameter); the passwords go to the system keychain
// (QtKeychain) and are read back when the project
// is opened again. Without a keychain (no secret service) the password is kept in memory
// for the session only, and passwordNotStored() says so.

#include <QMap>
#include <QPointer>
#include <functional>
#include <QStringList>
#include <QWidget>

class QComboBox;
class QLabel;
class QSettings;
class QThread;
class QToolButton;

namespace retort {

class ConnectionBar : public QWidget
{
    Q_OBJECT
public:
    ConnectionBar(QSettings &settings, QWidget *parent = nullptr);
    ~ConnectionBar() override;   // joins running connection attempts

    // Resolves the project's URL (no connection yet); empty path clears.
    void setProject(const QString &iniPath);
    QString iniPath() const { return m_iniPath; }
    // The URL the user typed (with its password), or empty for the project's own:
    // MigrationEnvironment's urlOverride.
    QString urlOverride() const { return m_override; }
    QString displayUrl() const;
    bool isConnected() const { return m_connected; }
    // Connected to a SQLite URL whose file does not exist yet (nothing was created:
    // the studio opens SQLite read-only); the heads are empty.
    bool hasNoDatabaseYet() const { return m_noDatabase; }
    bool isBusy() const { return m_busy; }
    QString dialectName() const { return m_dialect; }
    QStringList heads() const { return m_heads; }
    QStringList changedScripts() const { return m_changedScripts; }
    QStringList unrecordedScripts() const { return m_unrecordedScripts; }
    // A multidb project: the engine shown (its URL, dialect and heads); "" otherwise.
    QString engine() const { return m_engine; }
    // Every engine's heads after the last connection (empty for one database).
    QMap<QString, QStringList> engineHeads() const { return m_engineHeads; }

    // "postgresql://scott:tiger@host/db" -> ("postgresql://scott@host/db", "tiger").
    static QPair<QString, QString> splitPassword(const QString &url);
    static QString joinPassword(const QString &urlWithoutPassword, const QString &password);
    // "...db?sslmode=x&password=tiger" -> ("...db?sslmode=x", "password=tiger"): a password
    // query parameter (libpq's, MySQLdb's passwd) is a password too, kept out of settings
    // like the user:password@ form. The second part is "key=value" as written, or "".
    static QPair<QString, QString> splitQueryPassword(const QString &url);
    static QString joinQueryPassword(const QString &urlWithoutPassword, const QString &keyValue);
    // Both forms removed: what may be stored and shown.
    static QString withoutPasswords(const QString &url);

public slots:
    // Connects (again) and reads the heads; finished() follows.
    void connectToDatabase();
    // Uses a URL the user entered (empty: back to the project's).
    void setUrlOverride(const QString &url);
    // Before the database is replaced (a restore): waits for a running attempt, which
    // holds its own connection, drops its result and shows "Not connected" until the
    // next connectToDatabase().
    void releaseDatabase();
    // A multidb project's engine to show (the project's engines come from setProject());
    // connectToDatabase() follows from the caller.
    void setEngine(const QString &engine);

signals:
    void connectingStarted();
    // ok: dialect and heads are valid; else error says why.
    void finished(bool ok, const QString &error);
    void headsChanged(const QStringList &heads);
    // After headsChanged: applied revisions whose script changed since applied, and those
    // applied before Retort recorded checksums (retort_script_checksums).
    void scriptChecksumsChanged(const QStringList &changed, const QStringList &unrecorded);
    // Multidb: every engine's heads (an engine that could not be read is left out).
    void engineHeadsChanged(const QMap<QString, QStringList> &heads);
    void urlOverrideChanged(const QString &url);
    void logLine(const QString &line);
    // The keychain could not take the password; message is for the user.
    void passwordNotStored(const QString &message);

private:
    void showState();
    void rememberUrl(const QString &url);
    void restoreUrl();
    // One keychain entry: `secret` under `key`; `flag` is set in the settings once stored.
    void storeSecret(const QString &key, const QString &bare, const QString &flag, const QString &secret);
    void readSecret(const QString &stored, const QString &keychainKey,
                    const std::function<QString(const QString &url, const QString &secret)> &join);

    QSettings &m_settings;
    QComboBox *m_url = nullptr;
    QToolButton *m_connect = nullptr;
    QLabel *m_dialectLabel = nullptr;
    QLabel *m_headsLabel = nullptr;
    QString m_iniPath;
    QString m_projectUrl;   // shown with the password masked
    QString m_override;
    QString m_dialect;
    QStringList m_heads;
    QStringList m_changedScripts;
    QStringList m_unrecordedScripts;
    QString m_engine;
    QStringList m_engines;
    QMap<QString, QStringList> m_engineHeads;
    bool m_connected = false;
    bool m_noDatabase = false;
    bool m_busy = false;
    int m_attempt = 0;
    QList<QPointer<QThread>> m_threads;
};

} // namespace retort
