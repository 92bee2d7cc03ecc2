// ProcessHeap: the CLI's heap grows into memory advised for transparent huge pages.
#include "command/processheap.h"

#include <QFile>
#include <QTest>

#include <cstdint>
#include <cstdlib>
#include <vector>

using namespace retort;

class TstProcessHeap : public QObject
{
    Q_OBJECT
private slots:
    void heapGrowsIntoHugePageAdvice();
};

namespace {

// The VmFlags line of the mapping holding `address` (/proc/self/smaps), "" if none.
QByteArray vmFlagsAt(std::uintptr_t address)
{
    QFile smaps(QStringLiteral("/proc/self/smaps"));
    if (!smaps.open(QIODevice::ReadOnly))
        return {};
    bool inside = false;
    for (const QByteArray &line : smaps.readAll().split('\n')) {
        const int dash = line.indexOf('-');
        const int space = line.indexOf(' ');
        if (dash > 0 && space > dash && line.at(0) != 'V') {
            bool okFrom = false, okTo = false;
            const auto from = std::uintptr_t(line.left(dash).toULongLong(&okFrom, 16));
            const auto to = std::uintptr_t(line.mid(dash + 1, space - dash - 1).toULongLong(&okTo, 16));
            inside = okFrom && okTo && address >= from && address < to;
        } else if (inside && line.startsWith("VmFlags:")) {
            return line;
        }
    }
    return {};
}

} // namespace

// Blocks the command allocates after the call (small ones, from the heap) come to lie in
// memory the kernel was told to back with huge pages ("hg" in smaps' VmFlags).
void TstProcessHeap::heapGrowsIntoHugePageAdvice()
{
#if defined(__GLIBC__) && defined(Q_OS_LINUX)
    QVERIFY(ProcessHeap::prepareForCommand());
    std::vector<void *> blocks;
    bool advised = false;
    // 8 MB in 16 KB blocks: past the heap's small first pages, well inside the 32 MB reserve.
    for (int i = 0; i < 512; ++i) {
        blocks.push_back(std::malloc(16 * 1024));
        QVERIFY(blocks.back());
    }
    const QByteArray flags = vmFlagsAt(reinterpret_cast<std::uintptr_t>(blocks.back()));
    advised = flags.split(' ').contains("hg");
    for (void *b : blocks)
        std::free(b);
    QVERIFY2(advised, flags.constData());
#else
    QVERIFY(!ProcessHeap::prepareForCommand());
#endif
}

QTEST_GUILESS_MAIN(TstProcessHeap)
#include "tst_processheap.moc"
