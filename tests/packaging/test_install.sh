#!/usr/bin/env bash
# Installs the build (stripped, as the package is) into a staging prefix, moves the staged tree elsewhere (so nothing can
# rely on the CMake prefix or the build/source trees), and runs the installed binaries:
# retort --version, init, revision --autogenerate with /usr/bin/python3, upgrade; the studio
# offscreen (--version, a screenshot run); the desktop file, metainfo, icons, man pages and
# bash completion.
# Usage: test_install.sh <cmake> <build dir> <source dir> <version>
set -euo pipefail
CMAKE=$1 BUILD=$2 SOURCE=$3 VERSION=$4

WORK=$(mktemp -d /tmp/retort-install-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$CMAKE" --install "$BUILD" --strip --prefix "$WORK/stage/usr" > "$WORK/install.log" || { cat "$WORK/install.log"; fail "cmake --install"; }
mv "$WORK/stage" "$WORK/moved"
P=$WORK/moved/usr
SHARE=$P/share

for f in bin/retort bin/retort-studio \
         share/retort/python/retort_worker.py share/retort/python/retort_metadata.py \
         share/retort/python/retort_headers.py share/retort/python/retort_envpy.py \
         share/retort/python/retort_filters.py \
         share/retort/templates/generic/env.py share/retort/templates/multidb/alembic.ini.mako \
         share/retort/templates/async/script.py.mako \
         share/applications/retort-studio.desktop share/metainfo/invalid.retort.studio.metainfo.xml \
         share/icons/hicolor/scalable/apps/retort-studio.svg \
         share/man/man1/retort.1.gz share/man/man1/retort-studio.1.gz \
         share/bash-completion/completions/retort share/doc/retort/copyright \
         share/retort/translations/retort_de.qm share/retort/translations/retort_fr.qm; do
  [ -f "$P/$f" ] || fail "not installed: $f"
done
# hicolor PNGs, each of its size.
for s in 16 22 24 32 48 64 128 256 512; do
  png=$SHARE/icons/hicolor/${s}x${s}/apps/retort-studio.png
  [ -f "$png" ] || fail "no ${s}x${s} icon"
  size=$(/usr/bin/python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print("%dx%d" % struct.unpack(">II", d[16:24]))' "$png")
  [ "$size" = "${s}x${s}" ] || fail "$png is $size"
done

# No build or source tree path baked into what was installed.
for dir in "$BUILD" "$SOURCE"; do
  if grep -rlaF "$dir" "$P" > "$WORK/paths"; then
    cat "$WORK/paths" >&2
    fail "installed files name $dir"
  fi
done

desktop-file-validate "$SHARE/applications/retort-studio.desktop" || fail "desktop-file-validate"
appstreamcli validate --no-net "$SHARE/metainfo/invalid.retort.studio.metainfo.xml" || fail "appstreamcli validate"
for page in retort retort-studio; do
  warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l -Tutf8 "$SHARE/man/man1/$page.1.gz" 2>&1 >/dev/null)
  [ -z "$warnings" ] || fail "man $page: $warnings"
  zcat "$SHARE/man/man1/$page.1.gz" | grep -F "Retort $VERSION" >/dev/null || fail "man $page has no version $VERSION"
done

# The binaries, run from the moved tree with a clean environment.
cd "$WORK"
export HOME=$WORK/home XDG_CACHE_HOME=$WORK/cache XDG_CONFIG_HOME=$WORK/config RETORT_PYTHON=/usr/bin/python3
mkdir -p "$HOME"
unset RETORT_DATABASE_URL ALEMBIC_CONFIG
out=$("$P/bin/retort" --version)
[ "$out" = "retort $VERSION (Alembic 1.8.1)" ] || fail "retort --version: $out"

# init reads the installed templates: mark the staged generic README to see it.
echo "staged-template-marker" >> "$SHARE/retort/templates/generic/README"
"$P/bin/retort" init migrations > init.log || { cat init.log; fail "retort init"; }
grep -q "staged-template-marker" migrations/README || fail "init did not read share/retort/templates"

sed -i 's|^sqlalchemy.url = .*|sqlalchemy.url = sqlite:///app.db|' alembic.ini
cat > models.py <<'PY'
import sqlalchemy as sa

metadata = sa.MetaData()
users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
)
PY
sed -i 's|^target_metadata = None|import models\ntarget_metadata = models.metadata|' migrations/env.py
grep -q "^prepend_sys_path = \." alembic.ini || fail "template without prepend_sys_path"
"$P/bin/retort" revision --autogenerate -m "add users" > rev.log 2>&1 || { cat rev.log; fail "revision --autogenerate"; }
grep -q "Detected added table 'users'" rev.log || { cat rev.log; fail "autogenerate saw no table"; }
grep -q "op.create_table('users'" migrations/versions/*_add_users.py || fail "script without create_table"
"$P/bin/retort" upgrade head > up.log 2>&1 || { cat up.log; fail "upgrade head"; }
"$P/bin/retort" current | grep "(head)" >/dev/null || fail "current is not head"

# The installed python helpers are the ones run: break the staged copy, see autogenerate fail.
rm -rf "$XDG_CACHE_HOME"
mv "$SHARE/retort/python/retort_metadata.py" "$WORK/metadata.bak"
printf 'raise SystemExit("staged-helper-marker")\n' > "$SHARE/retort/python/retort_metadata.py"
if "$P/bin/retort" check > check.log 2>&1 || ! grep -q "staged-helper-marker" check.log; then
  cat check.log; fail "the staged python helper was not the one run"
fi
mv "$WORK/metadata.bak" "$SHARE/retort/python/retort_metadata.py"
"$P/bin/retort" check > check.log 2>&1 || { cat check.log; fail "check after restoring the helper"; }

# The studio, offscreen: --version, then a screenshot run on the project (opens, renders, quits).
export QT_QPA_PLATFORM=offscreen
out=$("$P/bin/retort-studio" --version)
[ "$out" = "retort-studio $VERSION" ] || fail "retort-studio --version: $out"
mkdir shots
timeout 180 "$P/bin/retort-studio" --screenshot shots alembic.ini > studio.log 2>&1 || { cat studio.log; fail "studio screenshot run"; }
[ -s shots/studio.png ] || fail "the studio wrote no screenshot"

# Bash completion: commands, options, revision ids from `retort history`. The words are
# captured first: `| grep -q` under pipefail fails at random when grep exits before the writer.
head_id=$(basename migrations/versions/*_add_users.py | cut -d_ -f1)
# grep without -q reads all of the output: with -q it may exit first and, under pipefail,
# the SIGPIPE of the completion's printf would fail the check at random.
complete_words() {
  bash -c '
    source /usr/share/bash-completion/bash_completion
    source "$1"; shift
    PATH=$(dirname "$1"):$PATH; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _retort retort "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}"' _ "$SHARE/bash-completion/completions/retort" "$P/bin/retort" "$@"
}
words=$(complete_words retort up); grep -qx upgrade <<<"$words" || fail "completion: no upgrade"
words=$(complete_words retort upgrade --s); grep -qx -- --sql <<<"$words" || fail "completion: no --sql"
words=$(complete_words retort -c alembic.ini upgrade ""); grep -qx "$head_id" <<<"$words" || fail "completion: no revision $head_id"
words=$(complete_words retort init -t ""); grep -qx multidb <<<"$words" || fail "completion: no template"

echo "install test passed ($P)"
