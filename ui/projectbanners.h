#pragma once
// The banners above the graph: one for trouble (a project that failed to load, a
// failed run, a database revision no script defines) and one for several heads, with
// the "Merge heads" action. An error about scripts (a cycle, a missing parent) links
// to them: clicking one asks for it in the editor.

#include <QWidget>

class QAction;

namespace retort {

class MessageBanner;

class ProjectBanners : public QWidget
{
    Q_OBJECT
public:
    explicit ProjectBanners(QAction *mergeHeads, QWidget *parent = nullptr);

    // heads: the scripts' heads; unknown: database revisions no script defines.
    void showProjectState(const QStringList &heads, const QStringList &unknown,
                          const QString &versionsDirectory);
    // scripts: files the error is about, shown as links (scriptRequested on click).
    void showError(const QString &html, const QStringList &scripts = {});
    void clearError();

signals:
    void scriptRequested(const QString &path);

public:

    MessageBanner *headsBanner() const { return m_heads; }
    MessageBanner *problemBanner() const { return m_problem; }

private:
    MessageBanner *m_problem;
    MessageBanner *m_heads;
    bool m_unknownShown = false;
};

} // namespace retort
