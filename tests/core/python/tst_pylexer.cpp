// PyLexer against Python 3.11's tokenize module (expected rows generated with
// /usr/bin/python3 -m tokenize semantics: type, string, start line:col).
#include "python/pylexer.h"

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <unistd.h>
#endif

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

namespace {

QString jsonQuote(const QString &s)
{
    QString out = QStringLiteral("\"");
    for (QChar c : s) {
        switch (c.unicode()) {
        case '"': out += QStringLiteral("\\\""); break;
        case '\\': out += QStringLiteral("\\\\"); break;
        case '\n': out += QStringLiteral("\\n"); break;
        case '\r': out += QStringLiteral("\\r"); break;
        case '\t': out += QStringLiteral("\\t"); break;
        default:
            if (c.unicode() < 32)
                out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    return out + u'"';
}

QStringList dump(const QVector<PyToken> &tokens)
{
    QStringList out;
    for (const PyToken &t : tokens)
        out.append(QStringLiteral("%1 %2 %3:%4").arg(QLatin1String(PyToken::typeName(t.type)),
                                                    jsonQuote(t.text)).arg(t.line).arg(t.column));
    return out;
}

} // namespace

class tst_PyLexer : public QObject
{
    Q_OBJECT
private slots:
    void readSourceFileInOpenFolder();
    void tokens_data();
    void tokens();
    void stringValues_data();
    void stringValues();
    void errors_data();
    void errors();
    void decodeSource_data();
    void decodeSource();
};

void tst_PyLexer::tokens_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("simple") << QStringLiteral("x = (1,\n  2)\nif x:\n    y = \"a\\\\n\"  # c\n\n# only\n  \nz") << QStringList{
        QStringLiteral("NAME \"x\" 1:0"),
        QStringLiteral("OP \"=\" 1:2"),
        QStringLiteral("OP \"(\" 1:4"),
        QStringLiteral("NUMBER \"1\" 1:5"),
        QStringLiteral("OP \",\" 1:6"),
        QStringLiteral("NL \"\\n\" 1:7"),
        QStringLiteral("NUMBER \"2\" 2:2"),
        QStringLiteral("OP \")\" 2:3"),
        QStringLiteral("NEWLINE \"\\n\" 2:4"),
        QStringLiteral("NAME \"if\" 3:0"),
        QStringLiteral("NAME \"x\" 3:3"),
        QStringLiteral("OP \":\" 3:4"),
        QStringLiteral("NEWLINE \"\\n\" 3:5"),
        QStringLiteral("INDENT \"    \" 4:0"),
        QStringLiteral("NAME \"y\" 4:4"),
        QStringLiteral("OP \"=\" 4:6"),
        QStringLiteral("STRING \"\\\"a\\\\\\\\n\\\"\" 4:8"),
        QStringLiteral("COMMENT \"# c\" 4:16"),
        QStringLiteral("NEWLINE \"\\n\" 4:19"),
        QStringLiteral("NL \"\\n\" 5:0"),
        QStringLiteral("COMMENT \"# only\" 6:0"),
        QStringLiteral("NL \"\\n\" 6:6"),
        QStringLiteral("NL \"\\n\" 7:2"),
        QStringLiteral("DEDENT \"\" 8:0"),
        QStringLiteral("NAME \"z\" 8:0"),
        QStringLiteral("NEWLINE \"\" 8:1"),
        QStringLiteral("ENDMARKER \"\" 9:0"),
    };
    QTest::newRow("prefixes") << QStringLiteral("a = rb'\\\\d' + Br\"x\" + u'q' + f'{x}' + b'\\x41' + R'\\n'\n") << QStringList{
        QStringLiteral("NAME \"a\" 1:0"),
        QStringLiteral("OP \"=\" 1:2"),
        QStringLiteral("STRING \"rb'\\\\\\\\d'\" 1:4"),
        QStringLiteral("OP \"+\" 1:12"),
        QStringLiteral("STRING \"Br\\\"x\\\"\" 1:14"),
        QStringLiteral("OP \"+\" 1:20"),
        QStringLiteral("STRING \"u'q'\" 1:22"),
        QStringLiteral("OP \"+\" 1:27"),
        QStringLiteral("STRING \"f'{x}'\" 1:29"),
        QStringLiteral("OP \"+\" 1:36"),
        QStringLiteral("STRING \"b'\\\\x41'\" 1:38"),
        QStringLiteral("OP \"+\" 1:46"),
        QStringLiteral("STRING \"R'\\\\n'\" 1:48"),
        QStringLiteral("NEWLINE \"\\n\" 1:53"),
        QStringLiteral("ENDMARKER \"\" 2:0"),
    };
    QTest::newRow("triple") << QStringLiteral("d = \"\"\"line1\nline2 \\'q\\'\n\"\"\"\ne = '''x'''\n") << QStringList{
        QStringLiteral("NAME \"d\" 1:0"),
        QStringLiteral("OP \"=\" 1:2"),
        QStringLiteral("STRING \"\\\"\\\"\\\"line1\\nline2 \\\\'q\\\\'\\n\\\"\\\"\\\"\" 1:4"),
        QStringLiteral("NEWLINE \"\\n\" 3:3"),
        QStringLiteral("NAME \"e\" 4:0"),
        QStringLiteral("OP \"=\" 4:2"),
        QStringLiteral("STRING \"'''x'''\" 4:4"),
        QStringLiteral("NEWLINE \"\\n\" 4:11"),
        QStringLiteral("ENDMARKER \"\" 5:0"),
    };
    QTest::newRow("continuation") << QStringLiteral("x = 1 + \\\n    2\ny = [1,\n\n  # c\n  2]\n") << QStringList{
        QStringLiteral("NAME \"x\" 1:0"),
        QStringLiteral("OP \"=\" 1:2"),
        QStringLiteral("NUMBER \"1\" 1:4"),
        QStringLiteral("OP \"+\" 1:6"),
        QStringLiteral("NUMBER \"2\" 2:4"),
        QStringLiteral("NEWLINE \"\\n\" 2:5"),
        QStringLiteral("NAME \"y\" 3:0"),
        QStringLiteral("OP \"=\" 3:2"),
        QStringLiteral("OP \"[\" 3:4"),
        QStringLiteral("NUMBER \"1\" 3:5"),
        QStringLiteral("OP \",\" 3:6"),
        QStringLiteral("NL \"\\n\" 3:7"),
        QStringLiteral("NL \"\\n\" 4:0"),
        QStringLiteral("COMMENT \"# c\" 5:2"),
        QStringLiteral("NL \"\\n\" 5:5"),
        QStringLiteral("NUMBER \"2\" 6:2"),
        QStringLiteral("OP \"]\" 6:3"),
        QStringLiteral("NEWLINE \"\\n\" 6:4"),
        QStringLiteral("ENDMARKER \"\" 7:0"),
    };
    QTest::newRow("numbers") << QStringLiteral("n = 0x1F + 0o17 + 0b101 + 1_000 + 3.14 + .5 + 1e-3 + 2j + 10.\n") << QStringList{
        QStringLiteral("NAME \"n\" 1:0"),
        QStringLiteral("OP \"=\" 1:2"),
        QStringLiteral("NUMBER \"0x1F\" 1:4"),
        QStringLiteral("OP \"+\" 1:9"),
        QStringLiteral("NUMBER \"0o17\" 1:11"),
        QStringLiteral("OP \"+\" 1:16"),
        QStringLiteral("NUMBER \"0b101\" 1:18"),
        QStringLiteral("OP \"+\" 1:24"),
        QStringLiteral("NUMBER \"1_000\" 1:26"),
        QStringLiteral("OP \"+\" 1:32"),
        QStringLiteral("NUMBER \"3.14\" 1:34"),
        QStringLiteral("OP \"+\" 1:39"),
        QStringLiteral("NUMBER \".5\" 1:41"),
        QStringLiteral("OP \"+\" 1:44"),
        QStringLiteral("NUMBER \"1e-3\" 1:46"),
        QStringLiteral("OP \"+\" 1:51"),
        QStringLiteral("NUMBER \"2j\" 1:53"),
        QStringLiteral("OP \"+\" 1:56"),
        QStringLiteral("NUMBER \"10.\" 1:58"),
        QStringLiteral("NEWLINE \"\\n\" 1:61"),
        QStringLiteral("ENDMARKER \"\" 2:0"),
    };
    // Names of one length with the same first and last character share a slot of the
    // lexer's table of recent names: each keeps its own text.
    QTest::newRow("recent names") << QStringLiteral("abc = axc + abc + a_c\n") << QStringList{
        QStringLiteral("NAME \"abc\" 1:0"),
        QStringLiteral("OP \"=\" 1:4"),
        QStringLiteral("NAME \"axc\" 1:6"),
        QStringLiteral("OP \"+\" 1:10"),
        QStringLiteral("NAME \"abc\" 1:12"),
        QStringLiteral("OP \"+\" 1:16"),
        QStringLiteral("NAME \"a_c\" 1:18"),
        QStringLiteral("NEWLINE \"\\n\" 1:21"),
        QStringLiteral("ENDMARKER \"\" 2:0")};
    QTest::newRow("ops") << QStringLiteral("a **= b // c >> 2 != d -> e ... f := g @ h\n") << QStringList{
        QStringLiteral("NAME \"a\" 1:0"),
        QStringLiteral("OP \"**=\" 1:2"),
        QStringLiteral("NAME \"b\" 1:6"),
        QStringLiteral("OP \"//\" 1:8"),
        QStringLiteral("NAME \"c\" 1:11"),
        QStringLiteral("OP \">>\" 1:13"),
        QStringLiteral("NUMBER \"2\" 1:16"),
        QStringLiteral("OP \"!=\" 1:18"),
        QStringLiteral("NAME \"d\" 1:21"),
        QStringLiteral("OP \"->\" 1:23"),
        QStringLiteral("NAME \"e\" 1:26"),
        QStringLiteral("OP \"...\" 1:28"),
        QStringLiteral("NAME \"f\" 1:32"),
        QStringLiteral("OP \":=\" 1:34"),
        QStringLiteral("NAME \"g\" 1:37"),
        QStringLiteral("OP \"@\" 1:39"),
        QStringLiteral("NAME \"h\" 1:41"),
        QStringLiteral("NEWLINE \"\\n\" 1:42"),
        QStringLiteral("ENDMARKER \"\" 2:0"),
    };
    QTest::newRow("dedent_multi") << QStringLiteral("def f():\n    if a:\n        b\n    c\nd\n") << QStringList{
        QStringLiteral("NAME \"def\" 1:0"),
        QStringLiteral("NAME \"f\" 1:4"),
        QStringLiteral("OP \"(\" 1:5"),
        QStringLiteral("OP \")\" 1:6"),
        QStringLiteral("OP \":\" 1:7"),
        QStringLiteral("NEWLINE \"\\n\" 1:8"),
        QStringLiteral("INDENT \"    \" 2:0"),
        QStringLiteral("NAME \"if\" 2:4"),
        QStringLiteral("NAME \"a\" 2:7"),
        QStringLiteral("OP \":\" 2:8"),
        QStringLiteral("NEWLINE \"\\n\" 2:9"),
        QStringLiteral("INDENT \"        \" 3:0"),
        QStringLiteral("NAME \"b\" 3:8"),
        QStringLiteral("NEWLINE \"\\n\" 3:9"),
        QStringLiteral("DEDENT \"\" 4:4"),
        QStringLiteral("NAME \"c\" 4:4"),
        QStringLiteral("NEWLINE \"\\n\" 4:5"),
        QStringLiteral("DEDENT \"\" 5:0"),
        QStringLiteral("NAME \"d\" 5:0"),
        QStringLiteral("NEWLINE \"\\n\" 5:1"),
        QStringLiteral("ENDMARKER \"\" 6:0"),
    };
    QTest::newRow("no_trailing_newline") << QStringLiteral("if a:\n    b") << QStringList{
        QStringLiteral("NAME \"if\" 1:0"),
        QStringLiteral("NAME \"a\" 1:3"),
        QStringLiteral("OP \":\" 1:4"),
        QStringLiteral("NEWLINE \"\\n\" 1:5"),
        QStringLiteral("INDENT \"    \" 2:0"),
        QStringLiteral("NAME \"b\" 2:4"),
        QStringLiteral("NEWLINE \"\" 2:5"),
        QStringLiteral("DEDENT \"\" 3:0"),
        QStringLiteral("ENDMARKER \"\" 3:0"),
    };
    QTest::newRow("tabs") << QStringLiteral("if a:\n\tb = 1\n\tc = 2\n") << QStringList{
        QStringLiteral("NAME \"if\" 1:0"),
        QStringLiteral("NAME \"a\" 1:3"),
        QStringLiteral("OP \":\" 1:4"),
        QStringLiteral("NEWLINE \"\\n\" 1:5"),
        QStringLiteral("INDENT \"\\t\" 2:0"),
        QStringLiteral("NAME \"b\" 2:1"),
        QStringLiteral("OP \"=\" 2:3"),
        QStringLiteral("NUMBER \"1\" 2:5"),
        QStringLiteral("NEWLINE \"\\n\" 2:6"),
        QStringLiteral("NAME \"c\" 3:1"),
        QStringLiteral("OP \"=\" 3:3"),
        QStringLiteral("NUMBER \"2\" 3:5"),
        QStringLiteral("NEWLINE \"\\n\" 3:6"),
        QStringLiteral("DEDENT \"\" 4:0"),
        QStringLiteral("ENDMARKER \"\" 4:0"),
    };
    QTest::newRow("crlf") << QStringLiteral("a = 1\r\nb = 2\r\n") << QStringList{
        QStringLiteral("NAME \"a\" 1:0"),
        QStringLiteral("OP \"=\" 1:2"),
        QStringLiteral("NUMBER \"1\" 1:4"),
        QStringLiteral("NEWLINE \"\\r\\n\" 1:5"),
        QStringLiteral("NAME \"b\" 2:0"),
        QStringLiteral("OP \"=\" 2:2"),
        QStringLiteral("NUMBER \"2\" 2:4"),
        QStringLiteral("NEWLINE \"\\r\\n\" 2:5"),
        QStringLiteral("ENDMARKER \"\" 3:0"),
    };
    QTest::newRow("unicode_name") << QStringLiteral("größe = 'ü'\n") << QStringList{
        QStringLiteral("NAME \"größe\" 1:0"),
        QStringLiteral("OP \"=\" 1:6"),
        QStringLiteral("STRING \"'ü'\" 1:8"),
        QStringLiteral("NEWLINE \"\\n\" 1:11"),
        QStringLiteral("ENDMARKER \"\" 2:0"),
    };
    QTest::newRow("string_continuation") << QStringLiteral("s = 'abc\\\ndef'\n") << QStringList{
        QStringLiteral("NAME \"s\" 1:0"),
        QStringLiteral("OP \"=\" 1:2"),
        QStringLiteral("STRING \"'abc\\\\\\ndef'\" 1:4"),
        QStringLiteral("NEWLINE \"\\n\" 2:4"),
        QStringLiteral("ENDMARKER \"\" 3:0"),
    };
    QTest::newRow("fstring nested") << QStringLiteral("x = f\"{a!r:>{w}}\" + rb\nrb = F'''multi\n{x}'''\n") << QStringList{
        QStringLiteral("NAME \"x\" 1:0"),
        QStringLiteral("OP \"=\" 1:2"),
        QStringLiteral("STRING \"f\\\"{a!r:>{w}}\\\"\" 1:4"),
        QStringLiteral("OP \"+\" 1:18"),
        QStringLiteral("NAME \"rb\" 1:20"),
        QStringLiteral("NEWLINE \"\\n\" 1:22"),
        QStringLiteral("NAME \"rb\" 2:0"),
        QStringLiteral("OP \"=\" 2:3"),
        QStringLiteral("STRING \"F'''multi\\n{x}'''\" 2:5"),
        QStringLiteral("NEWLINE \"\\n\" 3:6"),
        QStringLiteral("ENDMARKER \"\" 4:0"),
    };
    QTest::newRow("decorator async") << QStringLiteral("@dec(1)\nasync def f(a, *, b=2) -> None:\n    await g()\n") << QStringList{
        QStringLiteral("OP \"@\" 1:0"),
        QStringLiteral("NAME \"dec\" 1:1"),
        QStringLiteral("OP \"(\" 1:4"),
        QStringLiteral("NUMBER \"1\" 1:5"),
        QStringLiteral("OP \")\" 1:6"),
        QStringLiteral("NEWLINE \"\\n\" 1:7"),
        QStringLiteral("NAME \"async\" 2:0"),
        QStringLiteral("NAME \"def\" 2:6"),
        QStringLiteral("NAME \"f\" 2:10"),
        QStringLiteral("OP \"(\" 2:11"),
        QStringLiteral("NAME \"a\" 2:12"),
        QStringLiteral("OP \",\" 2:13"),
        QStringLiteral("OP \"*\" 2:15"),
        QStringLiteral("OP \",\" 2:16"),
        QStringLiteral("NAME \"b\" 2:18"),
        QStringLiteral("OP \"=\" 2:19"),
        QStringLiteral("NUMBER \"2\" 2:20"),
        QStringLiteral("OP \")\" 2:21"),
        QStringLiteral("OP \"->\" 2:23"),
        QStringLiteral("NAME \"None\" 2:26"),
        QStringLiteral("OP \":\" 2:30"),
        QStringLiteral("NEWLINE \"\\n\" 2:31"),
        QStringLiteral("INDENT \"    \" 3:0"),
        QStringLiteral("NAME \"await\" 3:4"),
        QStringLiteral("NAME \"g\" 3:10"),
        QStringLiteral("OP \"(\" 3:11"),
        QStringLiteral("OP \")\" 3:12"),
        QStringLiteral("NEWLINE \"\\n\" 3:13"),
        QStringLiteral("DEDENT \"\" 4:0"),
        QStringLiteral("ENDMARKER \"\" 4:0"),
    };
    QTest::newRow("comment after dedent") << QStringLiteral("if a:\n    b\n# trailing comment\nc\n") << QStringList{
        QStringLiteral("NAME \"if\" 1:0"),
        QStringLiteral("NAME \"a\" 1:3"),
        QStringLiteral("OP \":\" 1:4"),
        QStringLiteral("NEWLINE \"\\n\" 1:5"),
        QStringLiteral("INDENT \"    \" 2:0"),
        QStringLiteral("NAME \"b\" 2:4"),
        QStringLiteral("NEWLINE \"\\n\" 2:5"),
        QStringLiteral("COMMENT \"# trailing comment\" 3:0"),
        QStringLiteral("NL \"\\n\" 3:18"),
        QStringLiteral("DEDENT \"\" 4:0"),
        QStringLiteral("NAME \"c\" 4:0"),
        QStringLiteral("NEWLINE \"\\n\" 4:1"),
        QStringLiteral("ENDMARKER \"\" 5:0"),
    };
    QTest::newRow("formfeed and semicolons") << QStringLiteral("a = 1; b = 2;\n\f\nc = {'k': [1, 2]}\n") << QStringList{
        QStringLiteral("NAME \"a\" 1:0"),
        QStringLiteral("OP \"=\" 1:2"),
        QStringLiteral("NUMBER \"1\" 1:4"),
        QStringLiteral("OP \";\" 1:5"),
        QStringLiteral("NAME \"b\" 1:7"),
        QStringLiteral("OP \"=\" 1:9"),
        QStringLiteral("NUMBER \"2\" 1:11"),
        QStringLiteral("OP \";\" 1:12"),
        QStringLiteral("NEWLINE \"\\n\" 1:13"),
        QStringLiteral("NL \"\\n\" 2:1"),
        QStringLiteral("NAME \"c\" 3:0"),
        QStringLiteral("OP \"=\" 3:2"),
        QStringLiteral("OP \"{\" 3:4"),
        QStringLiteral("STRING \"'k'\" 3:5"),
        QStringLiteral("OP \":\" 3:8"),
        QStringLiteral("OP \"[\" 3:10"),
        QStringLiteral("NUMBER \"1\" 3:11"),
        QStringLiteral("OP \",\" 3:12"),
        QStringLiteral("NUMBER \"2\" 3:14"),
        QStringLiteral("OP \"]\" 3:15"),
        QStringLiteral("OP \"}\" 3:16"),
        QStringLiteral("NEWLINE \"\\n\" 3:17"),
        QStringLiteral("ENDMARKER \"\" 4:0"),
    };
    QTest::newRow("astral columns") << QStringLiteral("s = '🐍'; x = 1  # 🐍\ny = 2\n") << QStringList{
        QStringLiteral("NAME \"s\" 1:0"),
        QStringLiteral("OP \"=\" 1:2"),
        QStringLiteral("STRING \"'🐍'\" 1:4"),
        QStringLiteral("OP \";\" 1:7"),
        QStringLiteral("NAME \"x\" 1:9"),
        QStringLiteral("OP \"=\" 1:11"),
        QStringLiteral("NUMBER \"1\" 1:13"),
        QStringLiteral("COMMENT \"# 🐍\" 1:16"),
        QStringLiteral("NEWLINE \"\\n\" 1:19"),
        QStringLiteral("NAME \"y\" 2:0"),
        QStringLiteral("OP \"=\" 2:2"),
        QStringLiteral("NUMBER \"2\" 2:4"),
        QStringLiteral("NEWLINE \"\\n\" 2:5"),
        QStringLiteral("ENDMARKER \"\" 3:0"),
    };
}

void tst_PyLexer::tokens()
{
    QFETCH(QString, source);
    QFETCH(QStringList, expected);
    auto tokens = PyLexer::tokenize(source);
    QVERIFY2(tokens.ok(), qPrintable(tokens.error().toString()));
    QCOMPARE(dump(*tokens), expected);
}

// Expected values: ast.literal_eval of the same literal.
void tst_PyLexer::stringValues_data()
{
    QTest::addColumn<QString>("literal");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("flags");
    QTest::newRow("escapes") << QStringLiteral(R"('\x41\101\u00e9\t\q\'')")
                             << QStringLiteral("AA\u00e9\t\\q'") << QByteArray() << 0;
    QTest::newRow("raw") << QStringLiteral(R"(r'\d\n')") << QStringLiteral(R"(\d\n)")
                         << QByteArray() << int(PyToken::Raw);
    QTest::newRow("bytes") << QStringLiteral(R"(b'\x00a\\')") << QString()
                           << QByteArray("\0a\\", 3) << int(PyToken::Bytes);
    QTest::newRow("rawbytes") << QStringLiteral(R"(Rb'\d')") << QString() << QByteArray("\\d")
                              << int(PyToken::Raw | PyToken::Bytes);
    QTest::newRow("triple") << QStringLiteral("\"\"\"a\n\\\nb\"\"\"") << QStringLiteral("a\nb")
                            << QByteArray() << int(PyToken::Triple);
    QTest::newRow("ustr") << QStringLiteral("U'\\U0001F600'") << QStringLiteral("\U0001F600")
                          << QByteArray() << int(PyToken::Unicode);
    QTest::newRow("fstring") << QStringLiteral("f'{a}\\n'") << QStringLiteral("{a}\\n")
                             << QByteArray() << int(PyToken::Formatted);
}

void tst_PyLexer::stringValues()
{
    QFETCH(QString, literal);
    QFETCH(QString, value);
    QFETCH(QByteArray, bytes);
    QFETCH(int, flags);
    auto tokens = PyLexer::tokenize(literal);
    QVERIFY2(tokens.ok(), qPrintable(tokens.error().toString()));
    const PyToken &t = tokens->first();
    QCOMPARE(int(t.type), int(PyToken::String));
    QCOMPARE(t.text, literal);
    QCOMPARE(t.flags, flags);
    if (flags & PyToken::Bytes)
        QCOMPARE(t.bytes(), bytes);
    else
        QCOMPARE(t.value, value);
}

// Messages and lines as compile() reports them in Python 3.11.
void tst_PyLexer::errors_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("line");
    QTest::newRow("unterminated") << QStringLiteral("x = 'abc\n")
                                  << QStringLiteral("unterminated string literal (detected at line 1)") << 1;
    QTest::newRow("unterminated triple") << QStringLiteral("x = 1\ny = '''abc\n\n")
                                         << QStringLiteral("unterminated triple-quoted string literal (detected at line 3)") << 2;
    QTest::newRow("never closed") << QStringLiteral("x = (1,\n2\n") << QStringLiteral("'(' was never closed") << 1;
    QTest::newRow("unmatched") << QStringLiteral("x = 1)\n") << QStringLiteral("unmatched ')'") << 1;
    QTest::newRow("mismatch") << QStringLiteral("x = (1]\n")
                              << QStringLiteral("closing parenthesis ']' does not match opening parenthesis '('") << 1;
    QTest::newRow("dedent") << QStringLiteral("if a:\n    b\n  c\n")
                            << QStringLiteral("unindent does not match any outer indentation level") << 3;
    QTest::newRow("continuation") << QStringLiteral("x = 1 \\ 2\n")
                                  << QStringLiteral("unexpected character after line continuation character") << 1;
    QTest::newRow("dollar") << QStringLiteral("x = $\n") << QStringLiteral("invalid syntax") << 1;
}

void tst_PyLexer::errors()
{
    QFETCH(QString, source);
    QFETCH(QString, message);
    QFETCH(int, line);
    auto tokens = PyLexer::tokenize(source, QStringLiteral("f.py"));
    QVERIFY(!tokens.ok());
    QCOMPARE(tokens.error().message, message);
    QCOMPARE(tokens.error().line, line);
    QCOMPARE(tokens.error().file, QStringLiteral("f.py"));
}

void tst_PyLexer::decodeSource_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("text");
    QTest::newRow("utf8") << QByteArray("x = '\xc3\xa9'\n") << QStringLiteral("x = '\u00e9'\n");
    QTest::newRow("bom") << QByteArray("\xef\xbb\xbfx = 1\n") << QStringLiteral("x = 1\n");
    QTest::newRow("latin1 cookie") << QByteArray("# -*- coding: latin-1 -*-\nx = '\xe9'\n")
                                   << QStringLiteral("# -*- coding: latin-1 -*-\nx = '\u00e9'\n");
    QTest::newRow("cookie line 2") << QByteArray("#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-1 :\nx = '\xe9'\n")
                                   << QStringLiteral("#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-1 :\nx = '\u00e9'\n");
    QTest::newRow("cookie after code ignored") << QByteArray("x = 1\n# coding: latin-1\ny = '\xc3\xa9'\n")
                                               << QStringLiteral("x = 1\n# coding: latin-1\ny = '\u00e9'\n");
}

void tst_PyLexer::decodeSource()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, text);
    auto decoded = PyLexer::decodeSource(data);
    QVERIFY2(decoded.ok(), qPrintable(decoded.error().toString()));
    QCOMPARE(*decoded, text);
}

// A folder's scripts are opened relative to the folder (openat): the name is what is
// read, the path only what messages say; without a folder the path is opened.
void tst_PyLexer::readSourceFileInOpenFolder()
{
#ifdef Q_OS_UNIX
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile f(dir.filePath(QStringLiteral("a1_x.py")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("revision = 'a1'\n");
    f.close();
    const int fd = ::open(QFile::encodeName(dir.path()).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    QVERIFY(fd >= 0);
    PySourceStamp stamp;
    auto text = PyLexer::readSourceFile(QStringLiteral("/nonexistent/shown/in/messages.py"), &stamp, fd,
                                        QStringLiteral("a1_x.py"));
    QVERIFY2(text.ok(), qPrintable(text.error().message));
    QCOMPARE(*text, QStringLiteral("revision = 'a1'\n"));
    QCOMPARE(stamp.size, qint64(16));
    // A name the folder does not have falls back to the path, whose error names the path.
    auto missing = PyLexer::readSourceFile(QStringLiteral("/nonexistent/shown/in/messages.py"), nullptr, fd,
                                           QStringLiteral("b2_y.py"));
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().message.contains(QLatin1String("/nonexistent/shown/in/messages.py")));
    ::close(fd);
    // No folder: the path is read.
    auto byPath = PyLexer::readSourceFile(dir.filePath(QStringLiteral("a1_x.py")));
    QVERIFY(byPath.ok());
    QCOMPARE(*byPath, QStringLiteral("revision = 'a1'\n"));
#else
    QSKIP("openat is POSIX");
#endif
}

QTEST_APPLESS_MAIN(tst_PyLexer)
#include "tst_pylexer.moc"
