#pragma once
// The revision graph, painted from HistoryModel's GraphLayout like gitk: one row per
// revision, lanes with dots, merge and fork edges, dashed depends_on edges, badges for
// heads, bases and branch labels, the database's current revision(s) highlighted and
// pending revisions drawn hollow. Only the rows in view are painted, so thousands of
// revisions scroll smoothly. Zoom with Ctrl+wheel / Ctrl++ / Ctrl+-, search by id or
// message with Ctrl+F, actions through the context menu.

#include <QAbstractScrollArea>
#include <QHash>
#include <QString>

class QLineEdit;
class QFrame;

namespace retort {

class HistoryModel;

class RevisionGraphView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit RevisionGraphView(QWidget *parent = nullptr);

    void setModel(HistoryModel *model);
    HistoryModel *model() const { return m_model; }
    QString currentRevision() const;
    int rowHeight() const;
    double zoom() const { return m_zoom; }
    // Rows painted by the last paint event (first, last), for tests.
    QPair<int, int> lastPaintedRows() const { return m_painted; }

public slots:
    void setCurrentRevision(const QString &revisionId);
    void setZoom(double zoom);
    void zoomIn() { setZoom(m_zoom * 1.2); }
    void zoomOut() { setZoom(m_zoom / 1.2); }
    void showSearch();
    // Selects the next revision (after the current one, wrapping) whose id, label or
    // message contains text; false when none does.
    bool findNext(const QString &text);
    // Verify Downgrades' results: a badge per revision (restored or not); empty clears.
    void setRevisionMarks(const QHash<QString, bool> &marks);

signals:
    void currentRevisionChanged(const QString &revisionId);
    void upgradeRequested(const QString &revisionId);
    void downgradeRequested(const QString &revisionId);
    void showScriptRequested(const QString &revisionId);
    void previewSqlRequested(const QString &revisionId);
    // Issue 14 (proof): "" = the whole history.
    void verifyDowngradesRequested(const QString &fromRevisionId);
    void schemaAtRequested(const QString &revisionId);
    void compareRequested(const QString &revisionId);
    // "Squash up to here…" (issue 14: retort squash --until REV).
    void squashRequested(const QString &revisionId);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    void updateScrollBars();
    void setCurrentRow(int row);
    void ensureRowVisible(int row);
    int rowAt(int y) const;
    int laneWidth() const;
    int graphWidth() const;
    void placeSearchBar();

    HistoryModel *m_model = nullptr;
    int m_currentRow = -1;
    double m_zoom = 1.0;
    QPair<int, int> m_painted{-1, -1};
    QFrame *m_searchBar = nullptr;
    QLineEdit *m_searchEdit = nullptr;
    QHash<QString, bool> m_marks;
};

} // namespace retort
