#pragma once
// Commands that write files: init, list_templates, revision, merge, and edit.

#include "result.h"
#include "template/makovalue.h"

#include <QMap>
#include <functional>

namespace retort {

class CommandContext;

class ProjectCommands
{
public:
    static VoidResult init(CommandContext &context);
    static VoidResult listTemplates(CommandContext &context);
    static VoidResult revision(CommandContext &context);
    static VoidResult merge(CommandContext &context);
    static VoidResult edit(CommandContext &context);
    // `revision`'s file writing (heads, labels, depends_on from the arguments), with extra
    // template variables (autogenerate's imports/upgrades/downgrades).
    static VoidResult writeRevisionWithTemplateArgs(
        CommandContext &context, const std::function<void(QMap<QString, MakoValue> &)> &addArgs);
};

} // namespace retort
