#pragma once
// The command-line process's heap (retort_main): a command allocates in bursts (every
// script read, lexed, interpreted) and the process ends after one command, so freed memory
// is kept rather than returned, and the heap it grows into is backed by transparent huge
// pages where the system offers them (THP "madvise" mode, Debian's default): `upgrade heads
// --sql` on 2,000 scripts otherwise faults its heap in 4 KB page by 4 KB page (~1,900
// faults) and frees as many pages at exit. Not for a long-lived process (the studio).

#include <cstddef>

namespace retort {

class ProcessHeap
{
public:
    // Keeps freed memory (glibc: top pad `reserve`, trim threshold 256 MB), grows the heap by
    // `reserve` at once and advises the kernel to back the whole 2 MB pages of that new part
    // with huge pages (madvise MADV_HUGEPAGE; the heap's first pages stay small, so a command
    // that allocates little never faults a huge page in). Returns whether the advice was
    // given; without glibc or THP support it returns false and the heap is as before.
    static bool prepareForCommand(std::size_t reserve = std::size_t(32) << 20);
};

} // namespace retort
