// A Qt Test that always skips one function: tests/scripts/skip_policy_selftest.sh runs it
// under the ctest properties of tests/cmake/SkipPolicy.cmake to prove that a QSKIP fails
// the run when RETORT_FORBID_SKIPS is on and passes when it is off. Not a test by itself.
#include <QtTest/QtTest>

class SkipPolicyProbe : public QObject
{
    Q_OBJECT
private slots:
    void passes() { QVERIFY(true); }
    void skips() { QSKIP("probe: a resource this test needs is missing"); }
};

QTEST_GUILESS_MAIN(SkipPolicyProbe)
#include "skip_policy_probe.moc"
