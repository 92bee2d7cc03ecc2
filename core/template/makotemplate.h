#pragma once
// Renders the subset of Mako that script.py.mako files use: ${expr | filters},
// % if/elif/else/endif, % for/endfor, ## comments, <% %> and <%! %> blocks
// (assignments and imports of re / alembic.util), `\` newline escapes and `%%`.
// Expressions are a small Python subset (see MakoExpression). Anything else is an
// Error with the template's file and line.
//
// As in Mako, missing variables are UNDEFINED: falsy in conditions, an error when printed.
// `context` is the dict of render variables (context.get(key, default), context[key],
// context.keys()); every expression's value goes through str() unless filtered with `n`.

#include "makonode.h"
#include "makovalue.h"

#include <QSharedPointer>
#include <functional>
#include <optional>

namespace retort {

class MakoTemplate
{
public:
    static Result<MakoTemplate> fromFile(const QString &path);
    // fileName is used only in error messages.
    static Result<MakoTemplate> parse(const QString &text, const QString &fileName = {});

    Result<QString> render(const QMap<QString, MakoValue> &variables) const;

    // Reads one ini option (values already interpolated); nullopt when absent.
    using ConfigLookup = std::function<std::optional<QString>(const QString &section, const QString &key)>;

    // A Python-like object standing for Alembic's Config in templates:
    // get_main_option(name, default=None), get_section_option(section, name, default=None),
    // config_ini_section.
    static MakoValue configObject(const ConfigLookup &lookup,
                                const QString &mainSection = QStringLiteral("alembic"));
    // Convenience: a config whose main section holds exactly mainOptions.
    static MakoValue configObject(const QMap<QString, QString> &mainOptions);

    struct Private;

private:
    QSharedPointer<const Private> d;
};

} // namespace retort
