#pragma once
// What can be learned from env.py without running it: keyword literals passed to
// context.configure(...), a URL set with config.set_main_option("sqlalchemy.url", X),
// and whether target_metadata is None. Everything unreadable becomes a note with its line.

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

private:
    void scanConfigureCall(const QVector<PyToken> &tokens, int at);
    void scanSetMainOption(const QVector<PyToken> &tokens, int at);
    void note(int line, const QString &text);
    PyValue resolve(const PyValue &v) const;

    QString m_fileName;
    std::shared_ptr<const PyModule> m_module;
    QVector<ConfigureCall> m_calls;
    std::optional<UrlOverride> m_url;
    std::optional<bool> m_targetMetadataNone;
    QStringList m_notes;
};

} // namespace retort
