// StdCommandOutput's held stderr (a --sql run's log line per step): fewer writes, the same
// order against stdout, and nothing waits long.
#include "command/commandoutput.h"

#include <QTemporaryFile>
#include <QThread>
#include <QtTest>

#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

using namespace retort;

namespace {

// Points the process's stdout and stderr at one file while it lives, as `2>&1` does.
class Redirect
{
public:
    explicit Redirect(const QString &path)
    {
        std::fflush(stdout);
        std::fflush(stderr);
        m_out = ::dup(STDOUT_FILENO);
        m_err = ::dup(STDERR_FILENO);
        const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_TRUNC);
        (void)::dup2(fd, STDOUT_FILENO);
        (void)::dup2(fd, STDERR_FILENO);
        ::close(fd);
    }
    ~Redirect() { restore(); }
    void restore()
    {
        if (m_out < 0)
            return;
        std::fflush(stdout);
        std::fflush(stderr);
        (void)::dup2(m_out, STDOUT_FILENO);
        (void)::dup2(m_err, STDERR_FILENO);
        ::close(m_out);
        ::close(m_err);
        m_out = m_err = -1;
    }

private:
    int m_out = -1;
    int m_err = -1;
};

QByteArray contents(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
}

} // namespace

class TestCommandOutput : public QObject
{
    Q_OBJECT
private slots:
    void heldStderrKeepsOrder();
    void heldStderrWaitsBriefly();
    void heldStderrIsUtf8();
};

void TestCommandOutput::heldStderrKeepsOrder()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    QByteArray whileHeld, afterStdout, atEnd;
    {
        Redirect redirect(file.fileName());
        StdCommandOutput out;
        out.holdStderr(true);
        out.writeStderr(QStringLiteral("e1\n"));
        out.writeStderr(QStringLiteral("e2\n"));
        whileHeld = contents(file.fileName());
        out.writeStdout(QStringLiteral("o1\n"));   // what stderr got first is written first
        afterStdout = contents(file.fileName());
        out.writeStderr(QStringLiteral("e3\n"));
        out.holdStderr(false);
        out.writeStderr(QStringLiteral("e4\n"));   // not held: written at once
        redirect.restore();
        atEnd = contents(file.fileName());
    }
    QCOMPARE(whileHeld, QByteArray());
    // "o1" may still sit in stdio's buffer (or not, line-buffered): the held lines are out.
    QVERIFY2(afterStdout.startsWith("e1\ne2\n"), afterStdout.constData());
    QCOMPARE(atEnd, QByteArray("e1\ne2\no1\ne3\ne4\n"));
}

void TestCommandOutput::heldStderrWaitsBriefly()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    QByteArray afterWait, atEnd;
    {
        Redirect redirect(file.fileName());
        {
            StdCommandOutput out;
            out.holdStderr(true);
            out.writeStderr(QStringLiteral("slow step\n"));
            QThread::msleep(120);
            out.writeStderr(QStringLiteral("next\n"));   // the first line waited long enough
            afterWait = contents(file.fileName());
            out.writeStderr(QStringLiteral("last\n"));
        }   // nothing released the hold: the destructor writes the rest
        atEnd = contents(file.fileName());
    }
    QCOMPARE(afterWait, QByteArray("slow step\nnext\n"));
    QCOMPARE(atEnd, QByteArray("slow step\nnext\nlast\n"));
}

// Held lines are UTF-8 like the others, ASCII or not (a revision message in any language).
void TestCommandOutput::heldStderrIsUtf8()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    QByteArray atEnd;
    {
        Redirect redirect(file.fileName());
        {
            StdCommandOutput out;
            out.holdStderr(true);
            out.writeStderr(QStringLiteral("plain\n"));
            out.writeStderr(QString::fromUtf8("caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80\n"));
            out.writeStderr(QString());
            out.writeStderr(QStringLiteral("end\n"));
        }
        redirect.restore();
        atEnd = contents(file.fileName());
    }
    QCOMPARE(atEnd, QByteArray("plain\ncaf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80\nend\n"));
}

QTEST_GUILESS_MAIN(TestCommandOutput)
#include "tst_commandoutput.moc"
