// HeapPrefault: off unless the process opted in; once enabled, the region ahead() reports
// is the heap's next free top, and it becomes resident (mincore) without being written.

#include "script/heapprefault.h"

#include <QElapsedTimer>
#include <QThread>
#include <QtTest>

#include <cstdlib>
#include <vector>

#ifdef __linux__
#include <sys/mman.h>
#include <unistd.h>
#endif

using namespace retort;

namespace {

#ifdef __linux__
// Pages of [begin, begin + size) present in memory.
size_t residentPages(std::uintptr_t begin, size_t size)
{
    const size_t page = size_t(sysconf(_SC_PAGESIZE));
    std::vector<unsigned char> vec((size + page - 1) / page);
    if (mincore(reinterpret_cast<void *>(begin), size, vec.data()) != 0)
        return 0;
    size_t n = 0;
    for (unsigned char v : vec)
        n += v & 1;
    return n;
}
#endif

} // namespace

class TestHeapPrefault : public QObject
{
    Q_OBJECT
private slots:
    void offUntilEnabled();
    void populatesTheNextHeapBlocks();
};

void TestHeapPrefault::offUntilEnabled()
{
    // Runs first: the process has not opted in, so nothing is started.
    QVERIFY(!HeapPrefault::enabled());
    const HeapPrefault::Region r = HeapPrefault::ahead(1 << 20);
    QCOMPARE(r.size, size_t(0));
    QCOMPARE(HeapPrefault::pending(), 0);
}

void TestHeapPrefault::populatesTheNextHeapBlocks()
{
#if defined(__GLIBC__) && defined(__linux__)
    HeapPrefault::enableForProcess();
    QVERIFY(HeapPrefault::enabled());
    const size_t bytes = size_t(8) << 20;
    const HeapPrefault::Region r = HeapPrefault::ahead(bytes);
    QVERIFY(r.size >= bytes - 4096);
    QElapsedTimer clock;
    clock.start();
    while (HeapPrefault::pending() > 0 && clock.elapsed() < 10000)
        QThread::msleep(1);
    QCOMPARE(HeapPrefault::pending(), 0);
    const size_t pages = r.size / size_t(sysconf(_SC_PAGESIZE));
    // Fresh heap top is not resident until written; populated, all of it is.
    QCOMPARE(residentPages(r.begin, r.size), pages);
    // And it is what malloc hands out next (the arena's top).
    void *volatile next = std::malloc(bytes / 2);
    QVERIFY(next);
    const auto at = reinterpret_cast<std::uintptr_t>(next);
    // (the region starts at the first whole page of that block)
    QVERIFY(at < r.begin + r.size && at + 4096 > r.begin);
    std::free(next);
#else
    QSKIP("MADV_POPULATE_WRITE is Linux/glibc only");
#endif
}

QTEST_GUILESS_MAIN(TestHeapPrefault)
#include "tst_heapprefault.moc"
