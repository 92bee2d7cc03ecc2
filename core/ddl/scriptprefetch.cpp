#include "scriptprefetch.h"

#include <algorithm>

namespace retort {

ScriptPrefetch::ScriptPrefetch(QVector<Item> items, ScriptContext context, int threads)
    : m_items(std::move(items)), m_context(std::move(context)), m_results(size_t(m_items.size()))
{
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
        m_results[size_t(i)] = ScriptInterpreter::interpret(item.text, item.path, m_context);
    }
}

void ScriptPrefetch::join()
{
    for (std::thread &t : m_threads)
        if (t.joinable())
            t.join();
}

QHash<QString, ScriptPrefetch::Program> ScriptPrefetch::take()
{
    QHash<QString, Program> out;
    if (m_taken)
        return out;
    m_taken = true;
    work();
    join();
    out.reserve(m_items.size());
    for (int i = 0; i < m_items.size(); ++i) {
        std::optional<Result<ScriptProgram>> &r = m_results[size_t(i)];
        if (r && r->ok())
            out.insert(m_items.at(i).revision,
                       Program{m_items.at(i).path, m_items.at(i).text, std::move(r->value())});
    }
    return out;
}

} // namespace retort
