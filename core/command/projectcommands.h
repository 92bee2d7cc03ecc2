#pragma once
// Commands that write files: init, list_templates, revision, merge, and edit.

#include "result.h"

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
};

} // namespace retort
