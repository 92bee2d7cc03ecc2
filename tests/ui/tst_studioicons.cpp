// studioIcon(): the desktop theme's icon first, our own SVG (resources/icons/actions) when the
// theme has none, sharp at 2x; every studio action gets an icon without any icon theme; the
// application icon is ours.
#include "studioactions.h"
#include "studioicons.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QIcon>
#include <QImage>
#include <QPixmap>
#include <QTemporaryDir>
#include <QtTest>

using namespace retort;

namespace {

int opaquePixels(const QImage &image)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            n += qAlpha(image.pixel(x, y)) > 0;
    return n;
}

} // namespace

class TestStudioIcons : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_themes;

    // A theme named name holding one 16x16 icon, filled red, called iconName.
    void makeTheme(const QString &name, const QString &iconName)
    {
        QDir root(m_themes.path());
        QVERIFY(root.mkpath(name + QStringLiteral("/16x16/actions")));
        QFile index(root.filePath(name + QStringLiteral("/index.theme")));
        QVERIFY(index.open(QIODevice::WriteOnly));
        index.write("[Icon Theme]\nName=" + name.toUtf8() + "\nDirectories=16x16/actions\n\n"
                    "[16x16/actions]\nSize=16\nType=Fixed\nContext=Actions\n");
        index.close();
        QImage red(16, 16, QImage::Format_ARGB32);
        red.fill(Qt::red);
        QVERIFY(red.save(root.filePath(name + QStringLiteral("/16x16/actions/") + iconName + QStringLiteral(".png"))));
    }

    // No icon theme at all: only our SVGs (or nothing).
    void useNoTheme()
    {
        QIcon::setThemeName(QStringLiteral("retort-test-none"));
        QIcon::setFallbackThemeName(QStringLiteral("retort-test-none"));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_themes.isValid());
        QIcon::setThemeSearchPaths({m_themes.path()});
        QIcon::setFallbackSearchPaths({});
        makeTheme(QStringLiteral("retort-test-theme"), QStringLiteral("go-up"));
    }

    void everyActionHasASharpIcon_data()
    {
        QTest::addColumn<QString>("text");
        useNoTheme();
        StudioActions actions;
        const auto list = actions.findChildren<QAction *>();
        QVERIFY(list.size() >= 16);
        for (QAction *a : list)
            QTest::newRow(qPrintable(a->text().remove(QLatin1Char('&')))) << a->text();
    }

    void everyActionHasASharpIcon()
    {
        QFETCH(QString, text);
        useNoTheme();
        StudioActions actions;
        QAction *action = nullptr;
        for (QAction *a : actions.findChildren<QAction *>())
            if (a->text() == text)
                action = a;
        QVERIFY(action);
        const QIcon icon = action->icon();
        QVERIFY2(!icon.isNull(), "no icon without an icon theme");

        // 2x: a 22 px icon is drawn on 44 device pixels, not a 22 px image scaled up.
        const QPixmap twice = icon.pixmap(QSize(22, 22), 2.0);
        QCOMPARE(twice.size(), QSize(44, 44));
        QCOMPARE(twice.devicePixelRatio(), 2.0);
        const QImage hi = twice.toImage().convertToFormat(QImage::Format_ARGB32);
        QVERIFY(opaquePixels(hi) > 44);
        const QImage lo = icon.pixmap(QSize(22, 22), 1.0).toImage()
                              .scaled(44, 44, Qt::IgnoreAspectRatio, Qt::FastTransformation)
                              .convertToFormat(QImage::Format_ARGB32);
        QVERIFY2(hi != lo, "the 2x pixmap is the 1x one scaled up");
    }

    void themeIconComesFirst()
    {
        QIcon::setThemeName(QStringLiteral("retort-test-theme"));
        const QIcon themed = studioIcon(QStringLiteral("go-up"));
        QCOMPARE(themed.name(), QStringLiteral("go-up"));
        QCOMPARE(themed.pixmap(16, 16).toImage().pixelColor(8, 8), QColor(Qt::red));

        // Not in the theme: ours, which is no theme icon.
        const QIcon own = studioIcon(QStringLiteral("zoom-in"));
        QVERIFY(!own.isNull());
        QVERIFY(own.name().isEmpty());
        QVERIFY(opaquePixels(own.pixmap(32, 32).toImage()) > 32);
    }

    void unknownNameGivesTheLastResort()
    {
        useNoTheme();
        QVERIFY(studioIcon(QStringLiteral("retort-no-such-icon")).isNull());
        QPixmap blue(8, 8);
        blue.fill(Qt::blue);
        const QIcon last = studioIcon(QStringLiteral("retort-no-such-icon"), QIcon(blue));
        QCOMPARE(last.pixmap(8, 8).toImage().pixelColor(4, 4), QColor(Qt::blue));
    }

    void applicationIconIsOurs()
    {
        useNoTheme();
        const QIcon app = studioApplicationIcon();
        QVERIFY(!app.isNull());
        const QImage big = app.pixmap(256, 256).toImage();
        QCOMPARE(big.size(), QSize(256, 256));
        QVERIFY(opaquePixels(big) > 256 * 256 / 2);
    }
};

QTEST_MAIN(TestStudioIcons)
#include "tst_studioicons.moc"
