#include "revisiongraphview.h"

#include "historymodel.h"
#include "revisiongraphpainter.h"
#include "themecolors.h"

#include <QClipboard>
#include <QContextMenuEvent>
#include <QFrame>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>
#include <QToolButton>

namespace retort {

namespace {
constexpr int kLeftMargin = 6;
constexpr int kIdChars = 12;   // Alembic's ids are 12 hex digits
} // namespace

RevisionGraphView::RevisionGraphView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setBackgroundRole(QPalette::Base);
    viewport()->setAutoFillBackground(true);
    setFrameShape(QFrame::NoFrame);

    // Search bar floating at the top right of the viewport, hidden until Ctrl+F.
    m_searchBar = new QFrame(viewport());
    m_searchBar->setFrameShape(QFrame::StyledPanel);
    m_searchBar->setAutoFillBackground(true);
    auto *layout = new QHBoxLayout(m_searchBar);
    layout->setContentsMargins(4, 2, 2, 2);
    m_searchEdit = new QLineEdit(m_searchBar);
    m_searchEdit->setPlaceholderText(tr("Find revision or message"));
    m_searchEdit->setClearButtonEnabled(true);
    m_searchEdit->setMinimumWidth(220);
    auto *close = new QToolButton(m_searchBar);
    close->setAutoRaise(true);
    close->setText(QStringLiteral("\u2715"));
    close->setToolTip(tr("Close (Esc)"));
    layout->addWidget(m_searchEdit);
    layout->addWidget(close);
    m_searchBar->hide();
    connect(close, &QToolButton::clicked, this, [this] {
        m_searchBar->hide();
        setFocus();
    });
    connect(m_searchEdit, &QLineEdit::returnPressed, this,
            [this] { findNext(m_searchEdit->text()); });
    connect(m_searchEdit, &QLineEdit::textEdited, this, [this](const QString &text) {
        // Search as you type from the current row itself.
        const int keep = m_currentRow;
        m_currentRow = keep - 1;
        if (!findNext(text))
            m_currentRow = keep;
    });
}

void RevisionGraphView::setModel(HistoryModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    m_currentRow = -1;
    if (m_model) {
        connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
            m_currentRow = -1;
            updateScrollBars();
            viewport()->update();
        });
        connect(m_model, &HistoryModel::databaseStateChanged, viewport(),
                qOverload<>(&QWidget::update));
    }
    updateScrollBars();
    viewport()->update();
}

QString RevisionGraphView::currentRevision() const
{
    return m_model ? m_model->revisionAt(m_currentRow) : QString();
}

int RevisionGraphView::rowHeight() const
{
    return std::max(12, int(std::lround((fontMetrics().height() + 10) * m_zoom)));
}

int RevisionGraphView::laneWidth() const
{
    return std::max(8, int(std::lround(18 * m_zoom)));
}

int RevisionGraphView::graphWidth() const
{
    const int lanes = m_model ? std::max(1, m_model->layout().laneCount()) : 1;
    return kLeftMargin + lanes * laneWidth() + 8;
}

void RevisionGraphView::setZoom(double zoom)
{
    zoom = std::clamp(zoom, 0.5, 3.0);
    if (qFuzzyCompare(zoom, m_zoom))
        return;
    const int keepRow = m_currentRow;
    m_zoom = zoom;
    updateScrollBars();
    if (keepRow >= 0)
        ensureRowVisible(keepRow);
    viewport()->update();
}

void RevisionGraphView::updateScrollBars()
{
    const int rows = m_model ? m_model->rowCount() : 0;
    const int h = rowHeight();
    verticalScrollBar()->setSingleStep(h);
    verticalScrollBar()->setPageStep(viewport()->height());
    verticalScrollBar()->setRange(0, std::max(0, rows * h - viewport()->height()));
    horizontalScrollBar()->setRange(0, 0);
}

void RevisionGraphView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
    placeSearchBar();
}

void RevisionGraphView::placeSearchBar()
{
    m_searchBar->adjustSize();
    m_searchBar->move(viewport()->width() - m_searchBar->width() - 8, 6);
}

int RevisionGraphView::rowAt(int y) const
{
    if (!m_model)
        return -1;
    const int row = (y + verticalScrollBar()->value()) / rowHeight();
    return row < m_model->rowCount() ? row : -1;
}

void RevisionGraphView::paintEvent(QPaintEvent *event)
{
    QPainter p(viewport());
    p.setRenderHint(QPainter::Antialiasing);
    m_painted = {-1, -1};
    if (!m_model || m_model->rowCount() == 0) {
        p.setPen(palette().color(QPalette::Disabled, QPalette::Text));
        p.drawText(viewport()->rect(), Qt::AlignCenter,
                   m_model ? tr("No revisions") : tr("Open a project (Ctrl+O)"));
        return;
    }
    const GraphLayout &layout = m_model->layout();
    const int h = rowHeight();
    const int scroll = verticalScrollBar()->value();
    const QRect exposed = event->rect();
    const int first = std::max(0, (exposed.top() + scroll) / h);
    const int last = std::min(layout.rowCount() - 1, (exposed.bottom() + scroll) / h);
    m_painted = {first, last};
    const int width = viewport()->width();
    const QPalette &pal = palette();

    // Row backgrounds: the database's revisions, then the selection on top.
    for (int row = first; row <= last; ++row) {
        const QRect band(0, row * h - scroll, width, h);
        const HistoryModel::Flags flags = m_model->flagsAt(row);
        if (row == m_currentRow) {
            p.fillRect(band, pal.color(hasFocus() ? QPalette::Active : QPalette::Inactive,
                                       QPalette::Highlight));
        } else if (flags & HistoryModel::Current) {
            p.fillRect(band, ThemeColors::tint(ThemeColors::Database, pal.color(QPalette::Base)));
            p.fillRect(QRect(0, band.top(), 3, h), ThemeColors::hue(ThemeColors::Database));
        }
    }

    p.save();
    p.translate(kLeftMargin, 0);
    p.setBackground(pal.base());
    RevisionGraphPainter gp(p, laneWidth(), h, scroll);
    for (int e : layout.edgesInRows(first, last))
        gp.drawEdge(layout.edges().at(e));
    for (int row = first; row <= last; ++row) {
        const HistoryModel::Flags flags = m_model->flagsAt(row);
        gp.drawDot(row, layout.row(row).lane, flags & HistoryModel::Pending,
                   flags & HistoryModel::Current, flags & HistoryModel::Merge);
    }
    p.restore();

    // Text: short id, badges, message.
    QFont mono = font();
    mono.setFamily(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    mono.setPointSizeF(font().pointSizeF() * m_zoom);
    QFont text = font();
    text.setPointSizeF(font().pointSizeF() * m_zoom);
    QFont small = font();
    small.setPointSizeF(std::max(6.0, font().pointSizeF() * 0.85 * m_zoom));
    const int idWidth = QFontMetrics(mono).horizontalAdvance(QString(kIdChars, QLatin1Char('0')));
    const int x0 = graphWidth();
    p.setBackground(pal.base());
    RevisionGraphPainter badges(p, laneWidth(), h, scroll);
    for (int row = first; row <= last; ++row) {
        const RevisionNode *node = layout.row(row).node;
        const HistoryModel::Flags flags = m_model->flagsAt(row);
        const bool selected = row == m_currentRow;
        const QRect band(x0, row * h - scroll, width - x0, h);
        QColor fg = pal.color(selected ? QPalette::HighlightedText : QPalette::Text);
        if ((flags & HistoryModel::Pending) && !selected)
            fg = pal.color(QPalette::Disabled, QPalette::Text);
        mono.setBold(flags & HistoryModel::Current);
        p.setFont(mono);
        p.setPen(fg);
        p.drawText(band, Qt::AlignLeft | Qt::AlignVCenter, node->id().left(kIdChars));

        int x = x0 + idWidth + 10;
        p.setFont(small);
        // Multidb: one badge per engine at its current revision, the shown one in the
        // database colour; otherwise the one database's.
        const QStringList engines = m_model->enginesAt(row);
        for (const QString &engine : engines)
            x += badges.drawBadge(x, row, engine,
                                  ThemeColors::hue(engine == m_model->shownEngine() ? ThemeColors::Database
                                                                                    : ThemeColors::Engine)) + 4;
        if ((flags & HistoryModel::Current) && engines.isEmpty())
            x += badges.drawBadge(x, row, tr("database"), ThemeColors::hue(ThemeColors::Database)) + 4;
        if (flags & HistoryModel::Head)
            x += badges.drawBadge(x, row, tr("head"), ThemeColors::hue(ThemeColors::Success)) + 4;
        if (flags & HistoryModel::Base)
            x += badges.drawBadge(x, row, tr("base"), ThemeColors::hue(ThemeColors::Neutral)) + 4;
        // Applied scripts stay as applied: an edit since is a warning on the graph.
        if (flags & HistoryModel::ChangedSinceApplied)
            x += badges.drawBadge(x, row, tr("changed since applied"), ThemeColors::hue(ThemeColors::Warning)) + 4;
        // Labels where declared, and every effective label on a head (the branch tip):
        // sorted, a few at most, the rest counted in a "+N" badge.
        const QStringList labels = RevisionGraphPainter::boundedLabels(
            (flags & HistoryModel::Head) ? node->branchLabels() : node->declaredBranchLabels());
        for (const QString &label : labels)
            x += badges.drawBadge(x, row, label, ThemeColors::hue(ThemeColors::Label)) + 4;
        if (const auto mark = m_marks.constFind(node->id()); mark != m_marks.constEnd())
            x += badges.drawBadge(x, row, *mark ? tr("downgrade ok") : tr("downgrade broken"),
                                  ThemeColors::hue(*mark ? ThemeColors::Success : ThemeColors::Error)) + 4;

        p.setFont(text);
        p.setPen(fg);
        QFont f = text;
        f.setItalic(flags & HistoryModel::Pending);
        p.setFont(f);
        const QRect msg(x + 4, band.top(), width - x - 8, h);
        p.drawText(msg, Qt::AlignLeft | Qt::AlignVCenter,
                   p.fontMetrics().elidedText(node->doc(), Qt::ElideRight, msg.width()));
    }
}

void RevisionGraphView::setRevisionMarks(const QHash<QString, bool> &marks)
{
    m_marks = marks;
    viewport()->update();
}

void RevisionGraphView::setCurrentRevision(const QString &revisionId)
{
    if (!m_model || revisionId == currentRevision())
        return;
    const int row = m_model->rowOf(revisionId);
    if (row >= 0)
        setCurrentRow(row);
}

void RevisionGraphView::setCurrentRow(int row)
{
    if (!m_model || row < 0 || row >= m_model->rowCount() || row == m_currentRow)
        return;
    m_currentRow = row;
    ensureRowVisible(row);
    viewport()->update();
    emit currentRevisionChanged(m_model->revisionAt(row));
}

void RevisionGraphView::ensureRowVisible(int row)
{
    const int h = rowHeight();
    QScrollBar *bar = verticalScrollBar();
    if (row * h < bar->value())
        bar->setValue(row * h);
    else if ((row + 1) * h > bar->value() + viewport()->height())
        bar->setValue((row + 1) * h - viewport()->height());
}

void RevisionGraphView::mousePressEvent(QMouseEvent *event)
{
    setFocus();
    const int row = rowAt(event->position().toPoint().y());
    if (row >= 0)
        setCurrentRow(row);
}

void RevisionGraphView::mouseDoubleClickEvent(QMouseEvent *event)
{
    const int row = rowAt(event->position().toPoint().y());
    if (row >= 0)
        emit showScriptRequested(m_model->revisionAt(row));
}

void RevisionGraphView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        if (event->angleDelta().y() > 0)
            zoomIn();
        else if (event->angleDelta().y() < 0)
            zoomOut();
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

void RevisionGraphView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::ZoomIn)
        || (event->modifiers() & Qt::ControlModifier && event->key() == Qt::Key_Equal)) {
        zoomIn();
    } else if (event->matches(QKeySequence::ZoomOut)) {
        zoomOut();
    } else if (event->matches(QKeySequence::Find)) {
        showSearch();
    } else if (event->key() == Qt::Key_Escape && m_searchBar->isVisible()) {
        m_searchBar->hide();
    } else if (event->key() == Qt::Key_Down || event->key() == Qt::Key_J) {
        setCurrentRow(m_currentRow + 1);
    } else if (event->key() == Qt::Key_Up || event->key() == Qt::Key_K) {
        setCurrentRow(std::max(0, m_currentRow - 1));
    } else if (event->key() == Qt::Key_PageDown || event->key() == Qt::Key_PageUp) {
        const int page = std::max(1, viewport()->height() / rowHeight() - 1);
        const int row = m_currentRow + (event->key() == Qt::Key_PageDown ? page : -page);
        setCurrentRow(std::clamp(row, 0, m_model ? m_model->rowCount() - 1 : 0));
    } else if (event->key() == Qt::Key_Home) {
        setCurrentRow(0);
    } else if (event->key() == Qt::Key_End && m_model) {
        setCurrentRow(m_model->rowCount() - 1);
    } else if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter)
               && m_currentRow >= 0) {
        emit showScriptRequested(currentRevision());
    } else {
        QAbstractScrollArea::keyPressEvent(event);
    }
}

void RevisionGraphView::showSearch()
{
    placeSearchBar();
    m_searchBar->show();
    m_searchBar->raise();
    m_searchEdit->setFocus();
    m_searchEdit->selectAll();
}

bool RevisionGraphView::findNext(const QString &text)
{
    if (!m_model || text.isEmpty() || m_model->rowCount() == 0)
        return false;
    const int rows = m_model->rowCount();
    for (int i = 1; i <= rows; ++i) {
        const int row = (std::max(m_currentRow, -1) + i + rows) % rows;
        const RevisionNode *node = m_model->layout().row(row).node;
        if (node->id().contains(text, Qt::CaseInsensitive)
            || node->doc().contains(text, Qt::CaseInsensitive)
            || node->branchLabels().contains(text, Qt::CaseInsensitive)) {
            if (row == m_currentRow)
                return true;
            setCurrentRow(row);
            return true;
        }
    }
    return false;
}

void RevisionGraphView::contextMenuEvent(QContextMenuEvent *event)
{
    const int row = rowAt(event->pos().y());
    if (row < 0)
        return;
    setCurrentRow(row);
    const QString id = m_model->revisionAt(row);
    const HistoryModel::Flags flags = m_model->flagsAt(row);
    QMenu menu(this);
    QAction *up = menu.addAction(tr("Upgrade to here"), this, [this, id] { emit upgradeRequested(id); });
    QAction *down = menu.addAction(tr("Downgrade to here"), this, [this, id] { emit downgradeRequested(id); });
    // Without a database neither flag is set: leave both on and let the planner explain.
    up->setEnabled(!(flags & HistoryModel::Applied));
    down->setEnabled(!(flags & HistoryModel::Pending));
    menu.addSeparator();
    menu.addAction(tr("Show script"), this, [this, id] { emit showScriptRequested(id); });
    menu.addAction(tr("Preview SQL"), this, [this, id] { emit previewSqlRequested(id); });
    menu.addAction(tr("Squash up to here…"), this, [this, id] { emit squashRequested(id); });
    menu.addSeparator();
    menu.addAction(tr("Verify Downgrades"), this, [this] { emit verifyDowngradesRequested(QString()); });
    menu.addAction(tr("Verify Downgrades from Here"), this, [this, id] { emit verifyDowngradesRequested(id); });
    menu.addAction(tr("Schema at This Revision"), this, [this, id] { emit schemaAtRequested(id); });
    menu.addAction(tr("Compare With..."), this, [this, id] { emit compareRequested(id); });
    menu.addSeparator();
    menu.addAction(tr("Copy revision id"), this, [id] {
        QGuiApplication::clipboard()->setText(id);
    });
    menu.exec(event->globalPos());
}

} // namespace retort
