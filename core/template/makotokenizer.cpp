#include "makotokenizer.h"

namespace retort {

namespace {

const QStringList kThreeCharOps = {QStringLiteral("**="), QStringLiteral("//="),
                                   QStringLiteral(">>="), QStringLiteral("<<=")};
const QStringList kTwoCharOps = {QStringLiteral("=="), QStringLiteral("!="), QStringLiteral("<="),
                                 QStringLiteral(">="), QStringLiteral("//"), QStringLiteral("**"),
                                 QStringLiteral("+="), QStringLiteral("-="), QStringLiteral("->")};
const QString kOneCharOps = QStringLiteral("+-*/%<>=()[]{},.:|&^~@;");

bool isNameStart(QChar c) { return c.isLetter() || c == QLatin1Char('_'); }
bool isNameChar(QChar c) { return c.isLetterOrNumber() || c == QLatin1Char('_'); }

} // namespace

QString MakoTokenizer::decodeEscapes(const QString &body)
{
    QString out;
    for (int i = 0; i < body.size(); ++i) {
        const QChar c = body.at(i);
        if (c != QLatin1Char('\\') || i + 1 >= body.size()) {
            out += c;
            continue;
        }
        const QChar e = body.at(++i);
        switch (e.unicode()) {
        case '\n': break;   // line continuation inside a literal
        case 'n': out += QLatin1Char('\n'); break;
        case 't': out += QLatin1Char('\t'); break;
        case 'r': out += QLatin1Char('\r'); break;
        case 'a': out += QChar(7); break;
        case 'b': out += QChar(8); break;
        case 'f': out += QChar(12); break;
        case 'v': out += QChar(11); break;
        case '0': out += QChar(0); break;
        case '\\': case '\'': case '"': out += e; break;
        case 'x': case 'u': case 'U': {
            const int len = e == QLatin1Char('x') ? 2 : e == QLatin1Char('u') ? 4 : 8;
            bool ok = false;
            const QString hex = body.mid(i + 1, len);
            const uint code = hex.toUInt(&ok, 16);
            if (ok && hex.size() == len) {
                const char32_t cp = code;
                out += QString::fromUcs4(&cp, 1);
                i += len;
            } else {
                out += QLatin1Char('\\') + e;
            }
            break;
        }
        default: out += QLatin1Char('\\') + e; break;   // unknown escapes stay as written
        }
    }
    return out;
}

Result<MakoToken> MakoTokenizer::readString(const QString &src, int &i, const QString &prefix)
{
    const int start = i - prefix.size();
    const QChar quote = src.at(i);
    const bool triple = src.mid(i, 3) == QString(3, quote);
    const QString closer = triple ? QString(3, quote) : QString(quote);
    i += closer.size();
    QString body;
    while (true) {
        if (i >= src.size() || (!triple && src.at(i) == QLatin1Char('\n')))
            return Error(QStringLiteral("SyntaxError: unterminated string literal"));
        if (src.at(i) == QLatin1Char('\\') && i + 1 < src.size()) {
            body += src.mid(i, 2);
            i += 2;
            continue;
        }
        if (src.mid(i, closer.size()) == closer)
            break;
        body += src.at(i++);
    }
    i += closer.size();
    if (prefix.contains(QLatin1Char('f'), Qt::CaseInsensitive))
        return Error(QStringLiteral("f-strings are not supported in templates"));
    const bool raw = prefix.contains(QLatin1Char('r'), Qt::CaseInsensitive);
    return MakoToken{MakoToken::String, raw ? body : decodeEscapes(body), start};
}

Result<QVector<MakoToken>> MakoTokenizer::tokenize(const QString &src)
{
    QVector<MakoToken> tokens;
    int i = 0;
    while (i < src.size()) {
        const QChar c = src.at(i);
        if (c.isSpace() || (c == QLatin1Char('\\') && src.mid(i + 1, 1) == QLatin1String("\n"))) {
            i += c.isSpace() ? 1 : 2;
            continue;
        }
        if (c == QLatin1Char('#')) {
            while (i < src.size() && src.at(i) != QLatin1Char('\n'))
                ++i;
            continue;
        }
        if (isNameStart(c)) {
            const int start = i;
            while (i < src.size() && isNameChar(src.at(i)))
                ++i;
            const QString word = src.mid(start, i - start);
            if (i < src.size() && (src.at(i) == QLatin1Char('\'') || src.at(i) == QLatin1Char('"'))
                && word.size() <= 2 && QStringLiteral("rRuUbBfF").contains(word.at(0))) {
                Result<MakoToken> s = readString(src, i, word);
                if (!s)
                    return s.error();
                tokens.append(*s);
                continue;
            }
            tokens.append({MakoToken::Name, word, start});
            continue;
        }
        if (c.isDigit() || (c == QLatin1Char('.') && i + 1 < src.size() && src.at(i + 1).isDigit())) {
            const int start = i;
            while (i < src.size() && (src.at(i).isLetterOrNumber() || src.at(i) == QLatin1Char('.')
                                      || src.at(i) == QLatin1Char('_')))
                ++i;
            tokens.append({MakoToken::Number, src.mid(start, i - start), start});
            continue;
        }
        if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            Result<MakoToken> s = readString(src, i, QString());
            if (!s)
                return s.error();
            tokens.append(*s);
            continue;
        }
        QString op;
        if (kThreeCharOps.contains(src.mid(i, 3)))
            op = src.mid(i, 3);
        else if (kTwoCharOps.contains(src.mid(i, 2)))
            op = src.mid(i, 2);
        else if (kOneCharOps.contains(c))
            op = c;
        else
            return Error(QStringLiteral("SyntaxError: invalid character '%1'").arg(c));
        tokens.append({MakoToken::Op, op, i});
        i += op.size();
    }
    tokens.append({MakoToken::End, QString(), int(src.size())});
    return tokens;
}

} // namespace retort
