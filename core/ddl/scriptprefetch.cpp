#include "scriptprefetch.h"

#include <thread>

#include <algorithm>

namespace retort {

namespace {
std::atomic<ScriptPrefetch::BeforeInterpret> g_beforeInterpret{nullptr};
} // namespace

void ScriptPrefetch::setBeforeInterpretHook(BeforeInterpret hook)
{
    g_beforeInterpret = hook;
}

ScriptPrefetch::ScriptPrefetch(QVector<Item> items, ScriptContext context, int threads)
    : m_items(std::move(items)), m_context(std::move(context)), m_results(size_t(m_items.size())),
      m_done(new std::atomic<bool>[size_t(m_items.size())])
{
    for (int i = 0; i < m_items.size(); ++i)
        m_done[size_t(i)].store(false, std::memory_order_relaxed);
    for (int t = 0; t < std::max(1, threads); ++t)
        m_threads.emplace_back([this] { work(); });
}

ScriptPrefetch::~ScriptPrefetch()
{
    m_cancel = true;
    join();
}

void ScriptPrefetch::work()
{
    // Scripts are claimed one at a time: the threads (and take()'s caller) end together.
    for (int i; !m_cancel && (i = m_next.fetch_add(1)) < m_items.size();) {
        const Item &item = m_items.at(i);
        if (const BeforeInterpret hook = g_beforeInterpret.load(std::memory_order_relaxed))
            hook(i);
        m_results[size_t(i)] = ScriptInterpreter::interpret(item.text, item.path, m_context);
        m_done[size_t(i)].store(true, std::memory_order_release);
    }
}

void ScriptPrefetch::join()
{
    for (std::thread &t : m_threads)
        if (t.joinable())
            t.join();
}

namespace {
constexpr qsizetype kReinterpretLimit = 256 * 1024;   // characters
} // namespace

QVector<ScriptPrefetch::Program> ScriptPrefetch::take()
{
    QVector<Program> out;
    if (m_taken)
        return out;
    m_taken = true;
    work();
    out.reserve(m_items.size());
    for (int i = 0; i < m_items.size(); ++i) {
        const Item &item = m_items.at(i);
        // A big script still on another thread is waited for: interpreting it twice at
        // once would double the peak memory (a 10 MB script's programs are ~150 MB).
        while (item.text.size() > kReinterpretLimit && !m_done[size_t(i)].load(std::memory_order_acquire))
            std::this_thread::yield();
        if (!m_done[size_t(i)].load(std::memory_order_acquire)) {
            // Still on another thread: interpreted again here (the interpreter is pure);
            // that thread's result is left where nothing reads it.
            Result<ScriptProgram> mine = ScriptInterpreter::interpret(item.text, item.path, m_context);
            if (mine.ok())
                out.append(Program{item.revision, item.path, item.text, std::move(mine.value())});
            continue;
        }
        std::optional<Result<ScriptProgram>> &r = m_results[size_t(i)];
        if (r && r->ok())
            out.append(Program{item.revision, item.path, item.text, std::move(r->value())});
    }
    return out;
}

} // namespace retort
