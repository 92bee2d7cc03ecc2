#pragma once
// What can be learned from env.py without running it: keyword literals passed to
// context.configure(...), a URL set with config.set_main_option("sqlalchemy.url", X),
// and whether target_metadata is None. Everything unreadable becomes a note with its line,
// and what only running env.py can settle (the URL or the configure() options Retort
// uses) a DynamicPart: MigrationEnvironment then has EnvPyEvaluator run it with Python.

#include "python/pymodule.h"
#include "python/pytoken.h"
#include "python/pyvalue.h"
#include "result.h"

#include <QPair>
#include <QString>
#include <QStringList>
#include <QVector>
#include <memory>
#include <optional>

namespace retort {

struct ConfigureCall
{
    int line = 0;
    QVector<QPair<QString, PyValue>> keywords;   // kw=value whose value parsed (literals, names, calls)
    QStringList unreadable;                      // keywords whose value could not be parsed
};

struct UrlOverride
{
    enum Source { Literal, Environ, EnvironGet };   // "x" / os.environ["X"] / os.environ.get / os.getenv
    Source source = Literal;
    QString value;                    // Literal: the URL
    QString envVar;                   // Environ/EnvironGet: the variable name
    std::optional<QString> envDefault;   // EnvironGet: default if given as a string literal
    int line = 0;
};

// Something in env.py that static reading cannot settle.
struct DynamicPart
{
    int line = 0;
    QString what;             // "sqlalchemy.url is set from an expression", ...
    bool url = false;         // the database URL may depend on it
    bool configure = false;   // configure() options Retort uses may depend on it
};

class EnvPyInfo
{
public:
    static Result<EnvPyInfo> read(const QString &path);
    static Result<EnvPyInfo> fromSource(const QString &source, const QString &fileName = {});

    const QVector<ConfigureCall> &configureCalls() const { return m_calls; }
    // The literal value of a configure() keyword: from the first call that passes it
    // as a literal (offline and online calls normally agree). nullopt if none does.
    std::optional<PyValue> configureOption(const QString &keyword) const;
    // bool convenience: the literal if it is a bool, else defaultValue.
    bool configureFlag(const QString &keyword, bool defaultValue) const;

    std::optional<UrlOverride> urlOverride() const { return m_url; }
    // Resolves the override against the process environment (nullopt if unset, no default).
    std::optional<QString> resolvedUrlOverride() const;

    // true: `target_metadata = None`; false: assigned something else; nullopt: never assigned.
    std::optional<bool> targetMetadataIsNone() const { return m_targetMetadataNone; }

    QStringList notes() const { return m_notes; }   // "env.py:42: ..." human-readable

    // What only running env.py settles, in source order: the URL set from an expression,
    // an engine created from something else than config.get_section(...), -x arguments
    // read, Flask's current_app, configure(**kw) or a non-literal value of a keyword
    // Retort uses (version_table, version_table_schema, version_table_pk,
    // transaction_per_migration, transactional_ddl).
    const QVector<DynamicPart> &dynamicParts() const { return m_dynamic; }
    // The first dynamic part that matters: one touching the URL (unless the URL is given
    // from outside, urlGiven) or the configure() options. nullptr when none.
    const DynamicPart *firstDynamicPart(bool urlGiven) const;
    // The keywords whose non-literal value makes configure() dynamic.
    static QStringList runtimeKeywords();

private:
    void scanConfigureCall(const QVector<PyToken> &tokens, int at);
    void scanSetMainOption(const QVector<PyToken> &tokens, int at);
    void note(int line, const QString &text);
    void dynamic(int line, const QString &what, bool url, bool configure);
    void scanEngineCall(const QVector<PyToken> &tokens, int at);
    PyValue resolve(const PyValue &v) const;

    QString m_fileName;
    std::shared_ptr<const PyModule> m_module;
    QVector<ConfigureCall> m_calls;
    std::optional<UrlOverride> m_url;
    std::optional<bool> m_targetMetadataNone;
    QStringList m_notes;
    QVector<DynamicPart> m_dynamic;
};

} // namespace retort
