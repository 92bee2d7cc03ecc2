#include "processheap.h"

#include <array>
#include <cstdint>
#include <cstdlib>

#ifdef __GLIBC__
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace retort {

bool ProcessHeap::prepareForCommand(std::size_t reserve)
{
#ifdef __GLIBC__
    // Memory freed between a command's bursts is kept for the next instead of being
    // returned to the system and faulted back in page by page.
    (void)mallopt(M_TOP_PAD, int(reserve));
    (void)mallopt(M_TRIM_THRESHOLD, 256 << 20);
#ifdef MADV_HUGEPAGE
    // Grow the heap now, by the top pad: blocks below the mmap threshold (128 KB unless
    // changed) are taken until the break moves, then given back, so the heap keeps the
    // new part as free space for the command.
    constexpr std::uintptr_t kHugePage = std::uintptr_t(2) << 20;
    constexpr std::size_t kBlock = 64 * 1024;
    std::array<void *, 64> blocks{};
    const auto before = reinterpret_cast<std::uintptr_t>(sbrk(0));
    std::uintptr_t after = before;
    std::size_t taken = 0;
    while (taken < blocks.size() && after == before) {
        blocks[taken++] = std::malloc(kBlock);
        after = reinterpret_cast<std::uintptr_t>(sbrk(0));
    }
    for (std::size_t i = 0; i < taken; ++i)
        std::free(blocks[i]);
    // Only whole huge pages inside the new part: the heap below stays as it was.
    const std::uintptr_t from = (before + kHugePage - 1) & ~(kHugePage - 1);
    const std::uintptr_t to = after & ~(kHugePage - 1);
    if (after == before || to <= from)
        return false;
    return madvise(reinterpret_cast<void *>(from), to - from, MADV_HUGEPAGE) == 0;
#endif
#endif
    (void)reserve;
    return false;
}

} // namespace retort
