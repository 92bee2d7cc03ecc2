#pragma once
// Faults the heap in ahead of a burst of allocations, on a background thread.
//
// A fresh heap page costs a page fault when first written (~1-3 us each on a VM: zeroing,
// accounting); `upgrade heads --sql` on 2,000 scripts touched ~2,400 of them, most on
// the main thread's critical path. When the process opted in (retort's main: one malloc
// arena, big blocks from the heap), ahead() asks the kernel to populate the next bytes of
// the heap's top in batches (MADV_POPULATE_WRITE), which is cheaper per page than single
// faults and runs on a core the command is not using yet. Content is never changed: it
// only makes the pages present. Elsewhere (the studio, tests that did not opt in) it does
// nothing.

#include <cstddef>
#include <cstdint>

namespace retort {

class HeapPrefault
{
public:
    // Process-wide, before any thread starts: freed heap is never trimmed, one malloc arena
    // (threads allocate from the populated heap too), blocks of any size from the heap.
    static void enableForProcess();
    static bool enabled();

    struct Region
    {
        std::uintptr_t begin = 0;
        std::size_t size = 0;
    };
    // Starts populating the `bytes` the heap will hand out next (a detached thread;
    // the process may end before it does). Returns the region, empty when disabled or
    // the platform cannot.
    static Region ahead(std::size_t bytes);
    // Background populates not finished yet (tests wait for 0).
    static int pending();
};

} // namespace retort
