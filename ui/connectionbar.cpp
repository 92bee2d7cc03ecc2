#include "connectionbar.h"

#include "services/migrationenvironment.h"
#include "services/migrationlogsink.h"
#include "command/multidatabaserun.h"
#include "services/project.h"
#include "services/scriptchecksums.h"
#include "config/databaseurl.h"
#include "runtime/versiontable.h"

#include <QComboBox>
#include <QCryptographicHash>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSettings>
#include <QThread>
#include <QToolButton>
#include <QUrl>

#include <qt6keychain/keychain.h>

namespace retort {

namespace {

const QString kKeychainService = QStringLiteral("retort-studio");
// The keychain entry of a ?password= parameter: "<url without passwords> ?password".
const QString kQueryPasswordSuffix = QStringLiteral(" ?password");

class CollectingLogSink : public MigrationLogSink
{
public:
    void info(const QString &logger, const QString &message) override
    { lines << QStringLiteral("INFO  [%1] %2").arg(logger, message); }
    QStringList lines;
};

struct ProbeResult
{
    bool ok = false;
    QString error;
    QString dialect;
    QStringList heads;
    QMap<QString, QStringList> engineHeads;   // multidb: every engine's
    QStringList changedScripts;      // applied, changed since (ScriptChecksums::audit)
    QStringList unrecordedScripts;   // applied before Retort recorded checksums
    QStringList log;
    bool noDatabase = false;   // SQLite file not created yet
};

// Runs in the worker thread: everything QtSql touches is created and destroyed here.
// engine: the multidb engine shown ("" for one database).
ProbeResult probeOne(const QString &iniPath, const QString &urlOverride, const QString &engine)
{
    ProbeResult result;
    Project project(iniPath);
    CollectingLogSink sink;
    MigrationEnvironment env(project, sink, urlOverride);
    env.setEngine(engine);
    // Looking never writes: SQLite is opened read-only, and a missing file is "no
    // database yet" (the first upgrade creates it, as Alembic's does), not created here.
    env.setReadOnly(true);
    VoidResult step = env.load();
    if (step.ok() && env.isMissingSqliteFile()) {
        result.ok = true;
        result.noDatabase = true;
        result.dialect = env.dialect().name();
        result.log = sink.lines;
        return result;
    }
    if (step.ok())
        step = env.connect();
    if (!step.ok()) {
        result.error = step.error().toString();
        result.log = sink.lines;
        return result;
    }
    VersionTable table(*env.connection(), env.versionTable());
    auto heads = table.currentHeads();
    result.log = sink.lines;
    if (!heads) {
        result.error = heads.error().toString();
        return result;
    }
    result.ok = true;
    result.dialect = env.dialect().name();
    result.heads = *heads;
    // Applied scripts stay as applied: which applied revisions changed since, for the graph.
    if (auto graph = project.graph()) {
        auto findings = ScriptChecksums::audit(*env.connection(), env.versionTable(), **graph, *heads);
        if (!findings)
            result.log << QStringLiteral("WARNING [retort.checksum] %1").arg(findings.error().message);
        for (const ChecksumFinding &f : findings ? *findings : QVector<ChecksumFinding>()) {
            if (f.kind == ChecksumFinding::Changed) {
                result.changedScripts << f.revision;
                result.log << QStringLiteral("WARNING [retort.checksum] %1").arg(f.message());
            } else {
                result.unrecordedScripts << f.revision;
            }
        }
    }
    return result;
}

// Multidb: the shown engine decides ok/error; the others only add their heads.
ProbeResult probe(const QString &iniPath, const QString &urlOverride, const QString &engine,
                  const QStringList &engines)
{
    ProbeResult result = probeOne(iniPath, urlOverride, engine);
    for (const QString &other : engines) {
        if (other == engine) {
            if (result.ok)
                result.engineHeads.insert(other, result.heads);
            continue;
        }
        const ProbeResult r = probeOne(iniPath, QString(), other);
        if (r.ok)
            result.engineHeads.insert(other, r.heads);
        else
            result.log << QStringLiteral("engine %1: %2").arg(other, r.error);
    }
    return result;
}

QString settingsKey(const QString &iniPath)
{
    return QStringLiteral("connections/")
        + QString::fromLatin1(QCryptographicHash::hash(iniPath.toUtf8(),
                                                      QCryptographicHash::Sha1).toHex());
}

} // namespace

ConnectionBar::ConnectionBar(QSettings &settings, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_url(new QComboBox(this))
    , m_connect(new QToolButton(this))
    , m_dialectLabel(new QLabel(this))
    , m_headsLabel(new QLabel(this))
{
    m_url->setEditable(true);
    m_url->setInsertPolicy(QComboBox::NoInsert);
    m_url->setMinimumContentsLength(36);
    m_url->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_url->lineEdit()->setPlaceholderText(tr("Database URL (from the project, or type one)"));
    m_url->setToolTip(tr("The project's URL (env.py override or sqlalchemy.url), or one you "
                         "enter. Passwords are kept in the system keychain."));
    m_connect->setText(tr("Connect"));
    m_connect->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_dialectLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_headsLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->addWidget(new QLabel(tr("Database:"), this));
    layout->addWidget(m_url, 1);
    layout->addWidget(m_connect);
    layout->addSpacing(8);
    layout->addWidget(m_dialectLabel);
    layout->addSpacing(8);
    layout->addWidget(m_headsLabel);

    connect(m_connect, &QToolButton::clicked, this, [this] {
        const QString text = m_url->currentText().trimmed();
        const int index = m_url->currentIndex();
        const bool unchanged = index >= 0 && text == m_url->itemText(index);
        // The masked project URL means "the project's"; a remembered URL shown without
        // its passwords connects with them (its item data); anything else is typed.
        if (unchanged && index == 0)
            setUrlOverride(QString());
        else if (unchanged && !m_url->itemData(index).toString().isEmpty())
            setUrlOverride(m_url->itemData(index).toString());
        else
            setUrlOverride(text);
    });
    connect(m_url->lineEdit(), &QLineEdit::returnPressed, m_connect, &QToolButton::click);
    connect(m_url, qOverload<int>(&QComboBox::activated), this, [this](int index) {
        setUrlOverride(index == 0 ? QString() : m_url->itemData(index).toString());
    });
    showState();
}

ConnectionBar::~ConnectionBar()
{
    for (const QPointer<QThread> &thread : std::as_const(m_threads)) {
        if (thread)
            thread->wait();
    }
}

QPair<QString, QString> ConnectionBar::splitPassword(const QString &url)
{
    // SQLAlchemy's URL pattern: name://user:password@host...; the password has no '@'.
    static const QRegularExpression re(QStringLiteral("^([\\w+]+://)([^:/@]*):([^@]*)@(.*)$"),
                                       QRegularExpression::DotMatchesEverythingOption);
    const auto m = re.match(url);
    if (!m.hasMatch())
        return {url, QString()};
    return {m.captured(1) + m.captured(2) + QLatin1Char('@') + m.captured(4), m.captured(3)};
}

QString ConnectionBar::joinPassword(const QString &urlWithoutPassword, const QString &password)
{
    if (password.isEmpty())
        return urlWithoutPassword;
    static const QRegularExpression re(QStringLiteral("^([\\w+]+://)([^:/@]*)@(.*)$"),
                                       QRegularExpression::DotMatchesEverythingOption);
    const auto m = re.match(urlWithoutPassword);
    if (!m.hasMatch())
        return urlWithoutPassword;
    return m.captured(1) + m.captured(2) + QLatin1Char(':') + password + QLatin1Char('@')
        + m.captured(3);
}

QPair<QString, QString> ConnectionBar::splitQueryPassword(const QString &url)
{
    const int q = int(url.indexOf(u'?'));
    if (q < 0)
        return {url, QString()};
    QStringList kept;
    QString secret;
    for (const QString &pair : url.mid(q + 1).split(u'&')) {
        const QString key = QUrl::fromPercentEncoding(pair.section(u'=', 0, 0).replace(u'+', u' ').toUtf8());
        const QString value = pair.section(u'=', 1);
        // A blank value is no parameter to SQLAlchemy (parse_qsl drops it): nothing to hide.
        if (secret.isEmpty() && DatabaseUrl::isPasswordKey(key) && !value.isEmpty())
            secret = pair;
        else if (!pair.isEmpty())
            kept << pair;
    }
    if (secret.isEmpty())
        return {url, QString()};
    const QString base = url.left(q);
    return {kept.isEmpty() ? base : base + u'?' + kept.join(u'&'), secret};
}

QString ConnectionBar::joinQueryPassword(const QString &urlWithoutPassword, const QString &keyValue)
{
    if (keyValue.isEmpty())
        return urlWithoutPassword;
    return urlWithoutPassword + (urlWithoutPassword.contains(u'?') ? u'&' : u'?') + keyValue;
}

QString ConnectionBar::withoutPasswords(const QString &url)
{
    return splitQueryPassword(splitPassword(url).first).first;
}

QString ConnectionBar::displayUrl() const
{
    return m_override.isEmpty() ? m_projectUrl : withoutPasswords(m_override);
}

void ConnectionBar::setProject(const QString &iniPath)
{
    m_iniPath = iniPath;
    m_override.clear();
    m_connected = false;
    m_noDatabase = false;
    m_heads.clear();
    m_changedScripts.clear();
    m_unrecordedScripts.clear();
    m_dialect.clear();
    m_projectUrl.clear();
    m_engines.clear();
    m_engine.clear();
    m_engineHeads.clear();
    m_url->clear();
    if (!iniPath.isEmpty()) {
        // Only files are read here (ini, env.py); the database is opened by the worker.
        Project project(iniPath);
        CollectingLogSink sink;
        if (auto engines = MultiDatabaseRun::engines(project))
            m_engines = *engines;
        m_engine = m_engines.value(0);
        MigrationEnvironment env(project, sink);
        env.setEngine(m_engine);
        if (env.load().ok())
            m_projectUrl = env.obfuscatedUrl();
        m_url->addItem(m_projectUrl);
        if (m_engines.isEmpty())
            restoreUrl();
        m_url->setCurrentIndex(0);
    }
    // Each engine's URL is its section's: a typed URL would name one database for all.
    m_url->setEnabled(m_engines.isEmpty());
    showState();
}

void ConnectionBar::setEngine(const QString &engine)
{
    if (engine == m_engine || !m_engines.contains(engine))
        return;
    m_engine = engine;
    Project project(m_iniPath);
    CollectingLogSink sink;
    MigrationEnvironment env(project, sink);
    env.setEngine(engine);
    m_projectUrl = env.load().ok() ? env.obfuscatedUrl() : QString();
    m_url->setItemText(0, m_projectUrl);
    m_url->setCurrentIndex(0);
    m_connected = false;
    m_noDatabase = false;
    m_heads.clear();
    m_changedScripts.clear();
    m_unrecordedScripts.clear();
    showState();
}

void ConnectionBar::restoreUrl()
{
    const QString key = settingsKey(m_iniPath);
    const QString stored = m_settings.value(key + QStringLiteral("/url")).toString();
    if (stored.isEmpty())
        return;
    m_url->addItem(stored, stored);
    if (m_settings.value(key + QStringLiteral("/hasPassword")).toBool())
        readSecret(stored, stored, &ConnectionBar::joinPassword);
    if (m_settings.value(key + QStringLiteral("/hasQueryPassword")).toBool())
        readSecret(stored, stored + kQueryPasswordSuffix, &ConnectionBar::joinQueryPassword);
}

// Fills a secret read from the keychain into the remembered URL's item (in memory only).
void ConnectionBar::readSecret(const QString &stored, const QString &keychainKey,
                               const std::function<QString(const QString &, const QString &)> &join)
{
    auto *job = new QKeychain::ReadPasswordJob(kKeychainService, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(keychainKey);
    connect(job, &QKeychain::Job::finished, this, [this, stored, job, join] {
        const int index = m_url->findText(stored);
        if (job->error() == QKeychain::NoError && index >= 0)
            m_url->setItemData(index, join(m_url->itemData(index).toString(), job->textData()));
        else if (job->error() != QKeychain::NoError)
            emit logLine(tr("Keychain: %1").arg(job->errorString()));
    });
    job->start();
}

void ConnectionBar::rememberUrl(const QString &url)
{
    const auto [withoutUserPassword, password] = splitPassword(url);
    const auto [bare, queryPassword] = splitQueryPassword(withoutUserPassword);
    const QString key = settingsKey(m_iniPath);
    m_settings.setValue(key + QStringLiteral("/ini"), m_iniPath);
    m_settings.setValue(key + QStringLiteral("/url"), bare);   // never a password
    // Set once the keychain holds the password, so a failed write is not read back later.
    m_settings.setValue(key + QStringLiteral("/hasPassword"), false);
    m_settings.setValue(key + QStringLiteral("/hasQueryPassword"), false);
    if (!password.isEmpty())
        storeSecret(bare, bare, QStringLiteral("/hasPassword"), password);
    if (!queryPassword.isEmpty())
        storeSecret(bare + kQueryPasswordSuffix, bare, QStringLiteral("/hasQueryPassword"), queryPassword);
}

void ConnectionBar::storeSecret(const QString &keychainKey, const QString &bare, const QString &flag,
                                const QString &secret)
{
    const QString key = settingsKey(m_iniPath);
    auto *job = new QKeychain::WritePasswordJob(kKeychainService, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);   // never a plain-text copy
    job->setKey(keychainKey);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [this, job, key, bare, flag] {
        if (job->error() == QKeychain::NoError) {
            if (m_settings.value(key + QStringLiteral("/url")).toString() == bare)
                m_settings.setValue(key + flag, true);
            return;
        }
        const QString message = tr("The password for %1 was not saved: the system keychain is "
                                   "unavailable (%2). It is kept in memory until the studio closes; "
                                   "you will be asked to type it again next time.")
                                    .arg(bare, job->errorString());
        emit logLine(message);
        emit passwordNotStored(message);
    });
    job->start();
}

void ConnectionBar::setUrlOverride(const QString &url)
{
    if (url != m_override) {
        m_override = url;
        if (!url.isEmpty()) {
            rememberUrl(url);
            const QString bare = withoutPasswords(url);
            int index = m_url->findText(bare);
            if (index < 0) {
                m_url->addItem(bare);
                index = m_url->count() - 1;
            }
            m_url->setItemData(index, url);   // kept in memory only
            m_url->setCurrentIndex(index);
        }
        emit urlOverrideChanged(url);
    }
    connectToDatabase();
}

void ConnectionBar::releaseDatabase()
{
    ++m_attempt;   // a result still on its way is dropped
    for (const QPointer<QThread> &thread : std::as_const(m_threads)) {
        if (thread)
            thread->wait();
    }
    m_threads.removeAll(nullptr);
    m_busy = false;
    m_connected = false;
    m_noDatabase = false;
    m_heads.clear();
    m_changedScripts.clear();
    m_unrecordedScripts.clear();
    m_engineHeads.clear();
    showState();
}

void ConnectionBar::connectToDatabase()
{
    if (m_iniPath.isEmpty())
        return;
    const int attempt = ++m_attempt;
    m_busy = true;
    showState();
    emit connectingStarted();
    const QString ini = m_iniPath;
    const QString override = m_override;
    const QString engine = m_engine;
    const QStringList engines = m_engines;
    QPointer<ConnectionBar> self(this);
    // The destructor joins the worker, so `this` outlives it; a result arriving after
    // a newer attempt started is dropped.
    QThread *thread = QThread::create([self, ini, override, engine, engines, attempt] {
        ProbeResult result = probe(ini, override, engine, engines);
        QMetaObject::invokeMethod(self.data(), [self, result, attempt] {
            if (!self || attempt != self->m_attempt)
                return;   // a newer attempt replaced this one
            self->m_busy = false;
            self->m_connected = result.ok;
            self->m_noDatabase = result.noDatabase;
            self->m_dialect = result.dialect;
            for (const QString &line : result.log)
                emit self->logLine(line);
            if (result.ok)
                self->m_heads = result.heads;
            else
                self->m_heads.clear();
            self->m_changedScripts = result.changedScripts;
            self->m_unrecordedScripts = result.unrecordedScripts;
            self->showState();
            emit self->finished(result.ok, result.error);
            self->m_engineHeads = result.engineHeads;
            if (result.ok)
                emit self->headsChanged(self->m_heads);
            if (result.ok)
                emit self->scriptChecksumsChanged(self->m_changedScripts, self->m_unrecordedScripts);
            if (!self->m_engines.isEmpty())
                emit self->engineHeadsChanged(self->m_engineHeads);
        }, Qt::QueuedConnection);
    });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    m_threads.removeAll(nullptr);
    m_threads << thread;
    thread->start();
}

void ConnectionBar::showState()
{
    m_connect->setEnabled(!m_iniPath.isEmpty() && !m_busy);
    m_connect->setText(m_connected ? tr("Reconnect") : tr("Connect"));
    if (m_busy) {
        m_dialectLabel->setText(tr("Connecting\u2026"));
        m_headsLabel->clear();
        return;
    }
    if (!m_connected) {
        m_dialectLabel->setText(m_iniPath.isEmpty() ? QString() : tr("Not connected"));
        m_headsLabel->clear();
        return;
    }
    m_dialectLabel->setText(tr("Dialect: <b>%1</b>").arg(m_dialect));
    if (m_noDatabase) {
        m_headsLabel->setText(tr("Current: <i>no database yet (the first upgrade creates it)</i>"));
        return;
    }
    m_headsLabel->setText(m_heads.isEmpty()
        ? tr("Current: <i>empty (base)</i>")
        : tr("Current: <b>%1</b>").arg(m_heads.join(QStringLiteral(", ")).toHtmlEscaped()));
}

} // namespace retort
