#pragma once
// Escape processing of Python string and bytes literal bodies (the part between quotes).

#include "result.h"

#include <QByteArray>
#include <QString>
#include <QStringView>

namespace retort {

class PyStringDecoder
{
public:
    // Non-raw str literal: \\ \' \" \a \b \f \n \r \t \v \ooo \xhh \uXXXX \UXXXXXXXX,
    // backslash-newline removed; unknown escapes (and \N{...}) kept verbatim as Python does
    // for unknown ones.
    static QString decodeStr(QStringView body);
    // bytes literal; raw keeps backslashes. Non-ASCII characters are an error.
    static Result<QByteArray> decodeBytes(QStringView body, bool raw);
};

} // namespace retort
