// The run dialog is safe by default: Cancel is the default button and Enter (even with
// Run focused) cancels; when the plan review says data will be lost, a red summary says
// how much and Run stays disabled until the user ticks that they understand. End to end
// on the demo project: "Roll back" from head with data in the two dropped columns shows
// "drops 2 columns holding 50 values", counted before anything ran.

#include "applyconfirmationdialog.h"
#include "applyconfirmationdelegate.h"
#include "migrationconfirmationdelegate.h"
#include "migrationcontroller.h"
#include "runtime/databaseconnection.h"
#include "uitestsupport.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;
using namespace retort::test;

namespace {

class RecordingDelegate : public MigrationConfirmationDelegate
{
public:
    bool answer = true;
    QVector<ApplyRequest> requests;
    bool confirmApply(ApplyRequest &request) override
    {
        requests << request;
        request.backupFirst = false;
        return answer;
    }
    QString chooseHead(const QStringList &heads) override { return heads.value(0); }
    bool offerRestore(const QString &, const QString &) override { return false; }
};

ApplyRequest lossyRequest()
{
    ApplyRequest request;
    request.title = QStringLiteral("Downgrade to -1");
    request.databaseUrl = QStringLiteral("sqlite:///demo.db");
    request.steps.append({QStringLiteral("downgrade e97a3b2d4c58 -> b2c8e4f15a67"),
                          QStringLiteral("ALTER TABLE orders DROP COLUMN total_cents;\n"), {}});
    ReviewFinding f;
    f.kind = ReviewFinding::DropColumn;
    f.severity = ReviewFinding::DataLoss;
    f.step = 0;
    f.table = QStringLiteral("orders");
    f.column = QStringLiteral("total_cents");
    f.count = 20;
    f.text = QStringLiteral("drops column orders.total_cents: 20 rows have a value");
    request.review.findings << f;
    f.table = QStringLiteral("accounts");
    f.column = QStringLiteral("last_login_at");
    f.count = 30;
    f.text = QStringLiteral("drops column accounts.last_login_at: 30 rows have a value");
    request.review.findings << f;
    request.review.online = true;
    return request;
}

ApplyRequest safeRequest()
{
    ApplyRequest request;
    request.title = QStringLiteral("Upgrade to head");
    request.databaseUrl = QStringLiteral("sqlite:///demo.db");
    request.steps.append({QStringLiteral("upgrade  -> abc, create t"), QStringLiteral("CREATE TABLE t (id INTEGER);\n"), {}});
    return request;
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
    p.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3a));
    p.setColor(QPalette::ButtonText, QColor(0xee, 0xee, 0xee));
    return p;
}

QPalette lightPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0xf0, 0xf0, 0xf0));
    p.setColor(QPalette::WindowText, Qt::black);
    return p;
}

} // namespace

class TestApplyConfirmation : public QObject
{
    Q_OBJECT

private slots:
    void enterCancels_data();
    void enterCancels();
    void dataLossNeedsTick_data();
    void dataLossNeedsTick();
    void safePlanRunsWithoutTick();
    void restoreQuestionDefaultsToKeep();
    void rollBackShowsLiveCounts();
};

void TestApplyConfirmation::enterCancels_data()
{
    QTest::addColumn<bool>("lossy");
    QTest::addColumn<bool>("focusRun");
    QTest::newRow("safe plan") << false << false;
    QTest::newRow("safe plan, Run focused") << false << true;
    QTest::newRow("data loss, ticked, Run focused") << true << true;
}

void TestApplyConfirmation::enterCancels()
{
    QFETCH(bool, lossy);
    QFETCH(bool, focusRun);
    ApplyConfirmationDialog dialog(lossy ? lossyRequest() : safeRequest());
    auto *run = dialog.findChild<QPushButton *>(QStringLiteral("run"));
    auto *buttons = dialog.findChild<QDialogButtonBox *>();
    QVERIFY(run && buttons);
    QPushButton *cancel = buttons->button(QDialogButtonBox::Cancel);
    QVERIFY(cancel->isDefault());
    QVERIFY(!run->isDefault());
    if (lossy)
        dialog.findChild<QCheckBox *>(QStringLiteral("acceptDataLoss"))->setChecked(true);
    QVERIFY(run->isEnabled());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    if (focusRun) {
        run->setFocus();
        QTRY_VERIFY(run->hasFocus());
        QVERIFY(!run->isDefault());
    }
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    QTest::keyClick(QApplication::focusWidget() ? QApplication::focusWidget() : &dialog, Qt::Key_Return);
    QTRY_VERIFY(!dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QCOMPARE(accepted.size(), 0);
}

void TestApplyConfirmation::dataLossNeedsTick_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light palette") << false;
    QTest::newRow("dark palette") << true;
}

void TestApplyConfirmation::dataLossNeedsTick()
{
    QFETCH(bool, dark);
    const QPalette palette = dark ? darkPalette() : lightPalette();
    QWidget parent;
    parent.setPalette(palette);
    ApplyConfirmationDialog dialog(lossyRequest(), &parent);
    auto *summary = dialog.findChild<QLabel *>(QStringLiteral("reviewSummary"));
    QVERIFY(summary);
    QCOMPARE(summary->text(), QStringLiteral("Data will be lost: this run drops 2 columns holding 50 values."));
    // Red, and readable on this palette's window.
    const QColor colour = summary->palette().color(QPalette::WindowText);
    const int hue = colour.hslHue();
    QVERIFY2(hue <= 10 || hue >= 350, qPrintable(colour.name()));
    QVERIFY2(colour.saturation() > 100, qPrintable(colour.name()));
    QVERIFY2(qAbs(colour.lightness() - summary->palette().color(QPalette::Window).lightness()) > 70,
             qPrintable(colour.name()));
    QVERIFY(summary->font().bold());
    // Each finding is shown under its step.
    const QString steps = dialog.findChild<QPlainTextEdit *>(QStringLiteral("steps"))->toPlainText();
    QVERIFY2(steps.contains(QLatin1String("-- !! data loss: drops column orders.total_cents: 20 rows have a value")),
             qPrintable(steps));
    auto *tick = dialog.findChild<QCheckBox *>(QStringLiteral("acceptDataLoss"));
    auto *run = dialog.findChild<QPushButton *>(QStringLiteral("run"));
    QVERIFY(tick && run);
    QVERIFY(!tick->isChecked());
    QVERIFY(!run->isEnabled());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTest::mouseClick(run, Qt::LeftButton);
    QVERIFY(dialog.isVisible());   // disabled: nothing happens
    tick->setChecked(true);
    QVERIFY(run->isEnabled());
    tick->setChecked(false);
    QVERIFY(!run->isEnabled());
    tick->setChecked(true);
    QTest::mouseClick(run, Qt::LeftButton);
    QTRY_VERIFY(!dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

void TestApplyConfirmation::safePlanRunsWithoutTick()
{
    ApplyConfirmationDialog dialog(safeRequest());
    QVERIFY(!dialog.findChild<QCheckBox *>(QStringLiteral("acceptDataLoss")));
    QVERIFY(!dialog.findChild<QLabel *>(QStringLiteral("reviewSummary")));
    auto *run = dialog.findChild<QPushButton *>(QStringLiteral("run"));
    QVERIFY(run->isEnabled());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTest::mouseClick(run, Qt::LeftButton);
    QTRY_VERIFY(!dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

void TestApplyConfirmation::restoreQuestionDefaultsToKeep()
{
    QWidget parent;
    ApplyConfirmationDelegate delegate(&parent);
    bool answered = false;
    bool restore = true;
    QTimer::singleShot(0, [&] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        QVERIFY(QTest::qWaitForWindowExposed(box));
        QVERIFY(box->defaultButton());
        QCOMPARE(box->defaultButton()->text(), QStringLiteral("Keep Database As Is"));
        QTest::keyClick(box, Qt::Key_Return);
        answered = true;
    });
    restore = delegate.offerRestore(QStringLiteral("boom"), QStringLiteral("/tmp/backup.db"));
    QVERIFY(answered);
    QVERIFY(!restore);
}

void TestApplyConfirmation::rollBackShowsLiveCounts()
{
    QTemporaryDir dir;
    QVERIFY(copyTree(QStringLiteral(RETORT_DEMO_DIR), dir.filePath(QStringLiteral("demo"))));
    QVERIFY(QDir::setCurrent(dir.filePath(QStringLiteral("demo"))));
    RecordingDelegate delegate;
    MigrationController controller;
    MigrationProjectSpec spec;
    spec.iniPath = dir.filePath(QStringLiteral("demo/alembic.ini"));
    controller.setProject(spec);
    controller.setConfirmationDelegate(&delegate);
    QSignalSpy done(&controller, &MigrationController::finished);
    controller.upgradeTo(QStringLiteral("head"));
    QVERIFY(done.wait(30000));
    QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
    QVERIFY2(!delegate.requests.first().review.losesData(), qPrintable(delegate.requests.first().review.summary()));
    {
        auto conn = DatabaseConnection::openUrl(QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("demo/demo.db")));
        QVERIFY(conn.ok());
        for (int i = 1; i <= 30; ++i)
            QVERIFY((*conn)->exec(QStringLiteral("INSERT INTO accounts (id, email, last_login_at) VALUES (%1, 'a%1@x', '2026-01-01')").arg(i)).ok());
        for (int i = 1; i <= 20; ++i)
            QVERIFY((*conn)->exec(QStringLiteral("INSERT INTO orders (id, account_id, total_cents) VALUES (%1, 1, %1)").arg(i)).ok());
    }
    delegate.answer = false;   // look, then cancel
    done.clear();
    controller.rollBackLast();
    QVERIFY(done.wait(30000));
    QCOMPARE(delegate.requests.size(), 2);
    const PlanReviewReport &review = delegate.requests.last().review;
    QVERIFY(review.losesData());
    QCOMPARE(review.summary(), QStringLiteral("drops 2 columns holding 50 values"));
    ApplyConfirmationDialog dialog(delegate.requests.last());
    QCOMPARE(dialog.findChild<QLabel *>(QStringLiteral("reviewSummary"))->text(),
             QStringLiteral("Data will be lost: this run drops 2 columns holding 50 values."));
}

QTEST_MAIN(TestApplyConfirmation)
#include "tst_applyconfirmation.moc"
