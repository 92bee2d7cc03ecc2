#pragma once
// Errors in core are values, not exceptions (modelled on Qt Creator's Utils::Result).
// An Error names what went wrong and, where known, the file and line it came from.

#include <QString>
#include <optional>
#include <utility>

namespace retort {

struct Error
{
    QString message;
    QString file;   // empty when not tied to a file
    int line = 0;   // 1-based; 0 when unknown

    Error() = default;
    explicit Error(QString msg, QString f = {}, int l = 0)
        : message(std::move(msg)), file(std::move(f)), line(l) {}

    // "file:line: message", "file: message" or just "message".
    QString toString() const
    {
        if (file.isEmpty())
            return message;
        if (line > 0)
            return QStringLiteral("%1:%2: %3").arg(file).arg(line).arg(message);
        return QStringLiteral("%1: %2").arg(file, message);
    }
};

template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_value(std::move(value)) {}
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }

    T &value() & { return *m_value; }
    const T &value() const & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    T *operator->() { return &*m_value; }
    const T *operator->() const { return &*m_value; }
    T &operator*() { return *m_value; }
    const T &operator*() const { return *m_value; }

    const Error &error() const { return m_error; }

private:
    std::optional<T> m_value;
    Error m_error;
};

// Result of an operation with no value.
template<>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_failed(true), m_error(std::move(error)) {}

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return m_error; }

private:
    bool m_failed = false;
    Error m_error;
};

using VoidResult = Result<void>;

} // namespace retort
