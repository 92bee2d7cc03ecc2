#pragma once
// ScriptPrompts answering from fields instead of message boxes, counting the questions.

#include "scriptprompts.h"

#include <QStringList>

namespace retort::test {

class FakeScriptPrompts : public ScriptPrompts
{
public:
    UnsavedChoice unsavedChanges(const QString &path, const QString &) override
    {
        asked << QStringLiteral("unsaved:") + path;
        return unsavedAnswer;
    }
    bool saveWithSyntaxError(const QString &path, const QString &firstError) override
    {
        asked << QStringLiteral("syntax:") + path;
        lastSyntaxError = firstError;
        return saveAnyway;
    }
    bool reloadChangedFile(const QString &path) override
    {
        asked << QStringLiteral("reload:") + path;
        return reloadAnswer;
    }

    UnsavedChoice unsavedAnswer = Cancel;
    bool saveAnyway = false;
    bool reloadAnswer = false;
    QStringList asked;
    QString lastSyntaxError;
};

} // namespace retort::test
