#include "scriptliterals.h"

#include "python/pystringdecoder.h"

namespace retort {

// Adjacent literals concatenate; an f-string with replacement fields needs Python.
ScriptLiterals::Outcome ScriptLiterals::strings(const QVector<PyToken> &tokens, int &pos, int end,
                                                PyValue *out)
{
    QString str;
    QByteArray bytes;
    int kind = -1;   // 0 str, 1 bytes
    for (; pos < end && tokens[pos].type == PyToken::String; ++pos) {
        const PyToken &t = tokens[pos];
        const int k = (t.flags & PyToken::Bytes) ? 1 : 0;
        if (kind >= 0 && k != kind)
            return {Failed, QStringLiteral("cannot mix bytes and nonbytes literals"), t.line};
        kind = k;
        if (t.flags & PyToken::Formatted) {
            QString text;
            for (int i = 0; i < t.value.size(); ++i) {
                const QChar c = t.value[i];
                if ((c == u'{' || c == u'}') && i + 1 < t.value.size() && t.value[i + 1] == c)
                    ++i;
                else if (c == u'{' || c == u'}')
                    return {Needs, QStringLiteral("f-string"), t.line};
                text += c;
            }
            str += (t.flags & PyToken::Raw) ? text : PyStringDecoder::decodeStr(text);
        } else if (k == 1) {
            bytes += t.bytes();
        } else {
            str += t.value;
        }
    }
    *out = kind == 1 ? PyValue::bytes(bytes) : PyValue::string(str);
    return {};
}

ScriptLiterals::Outcome ScriptLiterals::number(const PyToken &tok, PyValue *out)
{
    const QString clean = QString(tok.text).remove(u'_').toLower();
    bool ok = false;
    if (clean.endsWith(u'j'))
        return {Needs, QStringLiteral("complex number"), tok.line};
    if (clean.startsWith(u"0x"))
        *out = PyValue::integer(clean.mid(2).toLongLong(&ok, 16));
    else if (clean.startsWith(u"0o"))
        *out = PyValue::integer(clean.mid(2).toLongLong(&ok, 8));
    else if (clean.startsWith(u"0b"))
        *out = PyValue::integer(clean.mid(2).toLongLong(&ok, 2));
    else if (clean.contains(u'.') || clean.contains(u'e'))
        *out = PyValue::floating(clean.toDouble(&ok), tok.text);
    else
        *out = PyValue::integer(clean.toLongLong(&ok, 10));
    if (!ok)
        return {Needs, QStringLiteral("number out of range"), tok.line};
    return {};
}

} // namespace retort
