#include "pystringdecoder.h"

namespace retort {

namespace {

int hexValue(QChar c)
{
    const ushort u = c.unicode();
    if (u >= '0' && u <= '9')
        return u - '0';
    if (u >= 'a' && u <= 'f')
        return u - 'a' + 10;
    if (u >= 'A' && u <= 'F')
        return u - 'A' + 10;
    return -1;
}

// Reads exactly n hex digits at body[i]; -1 if they are not all there.
qint64 readHex(QStringView body, qsizetype i, int n)
{
    if (i + n > body.size())
        return -1;
    qint64 v = 0;
    for (int k = 0; k < n; ++k) {
        const int h = hexValue(body[i + k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

// Shared escape step: returns the code point for the escape at body[i] (the char after
// the backslash) and advances i; -1 = line continuation, -2 = unknown escape.
qint64 decodeEscape(QStringView body, qsizetype &i, bool bytes)
{
    const QChar c = body[i];
    switch (c.unicode()) {
    case '\n': ++i; return -1;
    case '\r': ++i; if (i < body.size() && body[i] == u'\n') ++i; return -1;
    case '\\': ++i; return '\\';
    case '\'': ++i; return '\'';
    case '"': ++i; return '"';
    case 'a': ++i; return 7;
    case 'b': ++i; return 8;
    case 'f': ++i; return 12;
    case 'n': ++i; return 10;
    case 'r': ++i; return 13;
    case 't': ++i; return 9;
    case 'v': ++i; return 11;
    case 'x': {
        const qint64 v = readHex(body, i + 1, 2);
        if (v < 0) return -2;
        i += 3;
        return v;
    }
    default: break;
    }
    if (c >= u'0' && c <= u'7') {
        qint64 v = 0;
        int n = 0;
        while (n < 3 && i < body.size() && body[i] >= u'0' && body[i] <= u'7') {
            v = v * 8 + (body[i].unicode() - '0');
            ++i;
            ++n;
        }
        return bytes ? (v & 0xff) : v;
    }
    if (!bytes && (c == u'u' || c == u'U')) {
        const int n = c == u'u' ? 4 : 8;
        const qint64 v = readHex(body, i + 1, n);
        if (v < 0) return -2;
        i += 1 + n;
        return v;
    }
    return -2;
}

} // namespace

QString PyStringDecoder::decodeStr(QStringView body)
{
    if (!body.contains(u'\\'))
        return body.toString();
    QString out;
    out.reserve(body.size());
    for (qsizetype i = 0; i < body.size();) {
        if (body[i] != u'\\' || i + 1 >= body.size()) {
            out.append(body[i++]);
            continue;
        }
        qsizetype j = i + 1;
        const qint64 cp = decodeEscape(body, j, false);
        if (cp == -2) {
            out.append(body[i++]);   // unknown escape: the backslash stays
            continue;
        }
        if (cp >= 0) {
            const char32_t ch = char32_t(cp);
            out.append(QString::fromUcs4(&ch, 1));
        }
        i = j;
    }
    return out;
}

Result<QByteArray> PyStringDecoder::decodeBytes(QStringView body, bool raw)
{
    QByteArray out;
    out.reserve(body.size());
    for (qsizetype i = 0; i < body.size();) {
        const QChar c = body[i];
        if (c.unicode() > 127)
            return Error(QStringLiteral("bytes can only contain ASCII literal characters"));
        if (raw || c != u'\\' || i + 1 >= body.size()) {
            out.append(char(c.unicode()));
            ++i;
            continue;
        }
        qsizetype j = i + 1;
        const qint64 cp = decodeEscape(body, j, true);
        if (cp == -2) {
            out.append('\\');
            ++i;
            continue;
        }
        if (cp >= 0)
            out.append(char(cp));
        i = j;
    }
    return out;
}

} // namespace retort
