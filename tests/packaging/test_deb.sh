#!/usr/bin/env bash
# cpack -G DEB: retort_<version>_amd64.deb with the binaries, share/retort, desktop
# integration, man pages and completion; Depends from dpkg-shlibdeps, python3-alembic
# recommended; lintian finds no error (its warnings are printed).
# Usage: test_deb.sh <cpack> <build dir> <version>
set -euo pipefail
CPACK=$1 BUILD=$2 VERSION=$3

WORK=$(mktemp -d /tmp/retort-deb-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$CPACK" -G DEB --config "$BUILD/CPackConfig.cmake" -B "$WORK" > "$WORK/cpack.log" 2>&1 || { cat "$WORK/cpack.log"; fail "cpack"; }
DEB=$WORK/retort_${VERSION}_amd64.deb
[ -f "$DEB" ] || { ls "$WORK"; fail "no retort_${VERSION}_amd64.deb"; }

depends=$(dpkg-deb -f "$DEB" Depends)
recommends=$(dpkg-deb -f "$DEB" Recommends)
echo "Depends: $depends"
echo "Recommends: $recommends"
# dpkg-shlibdeps computed these from the binaries' libraries.
for lib in libqt6core6 libqt6sql6 libqt6widgets6 libc6 libstdc++6; do
  tr ',' '\n' <<< "$depends" | awk '{print $1}' | grep -xF "$lib" >/dev/null || fail "Depends lacks $lib"
done
grep -q "python3-alembic" <<< "$recommends" || fail "Recommends lacks python3-alembic"

dpkg-deb -c "$DEB" | awk '{print $6}' > "$WORK/contents"
for f in ./usr/bin/retort ./usr/bin/retort-studio \
         ./usr/share/retort/python/retort_worker.py ./usr/share/retort/templates/generic/env.py \
         ./usr/share/applications/retort-studio.desktop \
         ./usr/share/metainfo/invalid.retort.studio.metainfo.xml \
         ./usr/share/icons/hicolor/scalable/apps/retort-studio.svg \
         ./usr/share/icons/hicolor/48x48/apps/retort-studio.png \
         ./usr/share/icons/hicolor/512x512/apps/retort-studio.png \
         ./usr/share/man/man1/retort.1.gz ./usr/share/man/man1/retort-studio.1.gz \
         ./usr/share/bash-completion/completions/retort ./usr/share/doc/retort/copyright \
         ./usr/share/retort/translations/retort_de.qm ./usr/share/retort/translations/retort_fr.qm; do
  grep -qx -- "$f" "$WORK/contents" || fail "the package lacks $f"
done

if command -v lintian > /dev/null; then
  # Root runs lintian in CI; it refuses unless told it may.
  lintian --allow-root --fail-on error --tag-display-limit 0 "$DEB" > "$WORK/lintian.log" 2>&1 || {
    cat "$WORK/lintian.log"; fail "lintian reports errors"; }
  echo "lintian (no errors):"
  cat "$WORK/lintian.log"
else
  fail "lintian is not installed (packaging/install-deps.sh installs it)"
fi
echo "deb test passed: $(basename "$DEB")"
