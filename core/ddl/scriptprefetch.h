#pragma once
// Interprets revision scripts ahead, on background threads, while the caller does other
// work: `upgrade head(s) --sql` from base needs every script, and their interpretation can
// start as soon as the scan has read them, alongside the graph build and the planning on
// the main thread. A ScriptStepBodyProvider adopts the results (setPrefetch) when its
// context and each script's path and text are the ones interpreted here.

#include "operations/scriptcontext.h"
#include "operations/scriptinterpreter.h"
#include "result.h"

#include <QHash>
#include <QString>
#include <QVector>

#include <atomic>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace retort {

class ScriptPrefetch
{
public:
    struct Item
    {
        QString revision;
        QString path;
        QString text;
    };
    struct Program
    {
        QString revision;
        QString path;
        QString text;
        ScriptProgram program;
    };

    // Starts interpreting on `threads` background threads (at least one).
    ScriptPrefetch(QVector<Item> items, ScriptContext context, int threads);
    // Stops after the script being interpreted and joins.
    ~ScriptPrefetch();
    ScriptPrefetch(const ScriptPrefetch &) = delete;
    ScriptPrefetch &operator=(const ScriptPrefetch &) = delete;

    const ScriptContext &context() const { return m_context; }
    // Interprets what is left on the calling thread too (a script a background thread is
    // still on as well: on a busy machine that thread may wait long for a core) and hands
    // over the programs interpreted without error, in the items' order (failures are left
    // to the provider to report; a list, not a hash: the provider adopts each into its own
    // table once). The threads are joined by the destructor. Once: later calls return nothing.
    QVector<Program> take();

    // Tests: called on every thread before each script is interpreted (nullptr: none).
    using BeforeInterpret = void (*)(int index);
    static void setBeforeInterpretHook(BeforeInterpret hook);

private:
    void work();
    void join();

    QVector<Item> m_items;
    ScriptContext m_context;
    std::vector<std::optional<Result<ScriptProgram>>> m_results;
    // Set (release) once m_results[i] is written: take() reads only finished results and
    // interprets a script a preempted thread still holds itself instead of waiting for it.
    std::unique_ptr<std::atomic<bool>[]> m_done;
    std::atomic<int> m_next{0};
    std::atomic<bool> m_cancel{false};
    std::vector<std::thread> m_threads;
    bool m_taken = false;
};

} // namespace retort
