#pragma once
// One piece of a lexed Mako template (internal to MakoTemplate).

#include <QString>
#include <QVector>

namespace retort {

struct MakoNode
{
    enum Kind {
        Text,        // text: literal output
        Expression,  // text: the Python expression; filters: names after '|'
        Code,        // text: statements of a <% %> block (module: a <%! %> block)
        Control,     // keyword ("if", "elif", "else", "for" ...), isEnd, text: whole line
    };
    Kind kind = Text;
    QString text;
    QStringList filters;
    QString keyword;
    bool isEnd = false;
    bool module = false;
    int line = 1;
};

} // namespace retort
