#include "filelock.h"

#include <QFile>
#include <QRegularExpression>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace retort {

FileLock::FileLock(QString path) : m_path(std::move(path))
{
}

FileLock::~FileLock()
{
    release();
}

Result<bool> FileLock::tryLock()
{
    if (m_fd >= 0)
        return true;
    const QByteArray native = QFile::encodeName(m_path);
    // O_RDONLY is enough for flock, so a read-only database can still be locked.
    const int fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return Error(QStringLiteral("Cannot open %1 to take the migration lock: %2")
                         .arg(m_path, QString::fromLocal8Bit(std::strerror(errno))));
    int rc;
    do {
        rc = ::flock(fd, LOCK_EX | LOCK_NB);
    } while (rc != 0 && errno == EINTR);
    if (rc == 0) {
        m_fd = fd;
        return true;
    }
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK)
        return false;
    return Error(QStringLiteral("Cannot take the migration lock on %1: %2")
                     .arg(m_path, QString::fromLocal8Bit(std::strerror(err))));
}

void FileLock::release()
{
    if (m_fd < 0)
        return;
    (void)::flock(m_fd, LOCK_UN);
    ::close(m_fd);
    m_fd = -1;
}

QString FileLock::holder() const
{
    struct stat st;
    if (::stat(QFile::encodeName(m_path).constData(), &st) != 0)
        return {};
    // /proc/locks: "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF" (major:minor in hex).
    QFile locks(QStringLiteral("/proc/locks"));
    if (!locks.open(QIODevice::ReadOnly))
        return {};
    const QString id = QStringLiteral("%1:%2:%3")
                           .arg(major(st.st_dev), 2, 16, QLatin1Char('0'))
                           .arg(minor(st.st_dev), 2, 16, QLatin1Char('0'))
                           .arg(quint64(st.st_ino));
    const pid_t self = ::getpid();
    for (const QByteArray &raw : locks.readAll().split('\n')) {
        const QStringList f = QString::fromLatin1(raw).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        // Blocked waiters are listed as "1: -> FLOCK ...": skip those.
        if (f.size() < 6 || f.at(1) != QLatin1String("FLOCK") || f.at(3) != QLatin1String("WRITE"))
            continue;
        if (f.at(5).compare(id, Qt::CaseInsensitive) != 0)
            continue;
        const int pid = f.at(4).toInt();
        if (pid == self && m_fd >= 0)
            continue;
        QFile comm(QStringLiteral("/proc/%1/comm").arg(pid));
        const QString name = comm.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(comm.readAll()).trimmed()
                                                            : QString();
        return name.isEmpty() ? QStringLiteral("pid %1").arg(pid)
                              : QStringLiteral("pid %1 (%2)").arg(pid).arg(name);
    }
    return {};
}

} // namespace retort
