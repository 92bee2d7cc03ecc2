#include "heapprefault.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <thread>

#if defined(__GLIBC__) && defined(__linux__)
#include <malloc.h>
#include <sys/mman.h>
#define RETORT_HEAP_PREFAULT 1
#endif

namespace retort {

namespace {

std::atomic<bool> g_enabled{false};
std::atomic<int> g_pending{0};

} // namespace

void HeapPrefault::enableForProcess()
{
#ifdef RETORT_HEAP_PREFAULT
    // A command allocates in bursts (every script read, lexed, interpreted): memory freed
    // between them is kept for the next instead of being returned to the system and
    // faulted back in page by page (a sixth fewer page faults for `upgrade --sql`); the
    // populated top must stay too.
    (void)mallopt(M_TOP_PAD, 32 << 20);
    (void)mallopt(M_TRIM_THRESHOLD, 256 << 20);
    // Threads share the main arena (a per-thread arena would fault in its own pages),
    // and big blocks come from its top instead of a fresh mapping each.
    (void)mallopt(M_ARENA_MAX, 1);
    (void)mallopt(M_MMAP_THRESHOLD, 32 << 20);
    g_enabled = true;
#endif
}

bool HeapPrefault::enabled()
{
    return g_enabled;
}

HeapPrefault::Region HeapPrefault::ahead(std::size_t bytes)
{
#ifdef RETORT_HEAP_PREFAULT
    if (!g_enabled || bytes == 0)
        return {};
    // A block this big can only come from the top of the heap: exactly what the next
    // allocations will use once it is freed again (freed memory stays: no trimming below
    // retort's M_TRIM_THRESHOLD).
    void *volatile block = std::malloc(bytes);   // volatile: the pair must not be elided
    if (!block)
        return {};
    const auto at = reinterpret_cast<std::uintptr_t>(block);
    std::free(block);
    const std::uintptr_t page = 4096;
    const Region region{(at + page - 1) & ~(page - 1), bytes - std::min<std::size_t>(bytes, page)};
    ++g_pending;
    std::thread([region] {
        // In batches, so that the main thread's own mmap/brk calls never wait long on
        // the address-space lock this holds. A failure (old kernel) ends it quietly.
        const std::size_t chunk = 256 << 10;
        for (std::size_t off = 0; off < region.size; off += chunk)
            if (madvise(reinterpret_cast<void *>(region.begin + off),
                        std::min(chunk, region.size - off), MADV_POPULATE_WRITE) != 0)
                break;
        --g_pending;
    }).detach();
    return region;
#else
    (void)bytes;
    return {};
#endif
}

int HeapPrefault::pending()
{
    return g_pending;
}

} // namespace retort
