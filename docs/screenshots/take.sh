#!/bin/sh
# Regenerates the studio screenshots in this folder: retort-studio runs under Xvfb on a
# temporary copy of resources/demo, upgraded part way (the orders branch) so that both
# the database's current revision and pending revisions show, and its hidden
# `--screenshot <dir>` option saves one PNG per view and dock, then quits.
#
#   docs/screenshots/take.sh [build-dir]     (default: build)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
studio=$build/app/retort-studio
cli=$build/app/retort
for tool in "$studio" "$cli"; do
  [ -x "$tool" ] || { echo "take.sh: $tool not built" >&2; exit 1; }
done
command -v xvfb-run >/dev/null || { echo "take.sh: xvfb-run not found (apt install xvfb)" >&2; exit 1; }

tmp=$(mktemp -d)
mkdir -m 700 "$tmp/run"
trap 'rm -rf "$tmp"' EXIT
cp -r "$root/resources/demo" "$tmp/demo"
rm -f "$tmp/demo/demo.db"
# Orders branch applied; the catalog branch, the merge and the head stay pending.
(cd "$tmp/demo" && { "$cli" upgrade 5e07f3d8b6c9 || "$cli" stamp 5e07f3d8b6c9; }) >/dev/null
# Rows that rolling back "add order items" would drop: the rollback dialog's red summary.
sqlite3 "$tmp/demo/demo.db" "INSERT INTO accounts (id, email) VALUES (1, 'ann@example.com');
  INSERT INTO products (id, name) VALUES (1, 'Apron');
  INSERT INTO orders (id, account_id, status) VALUES (1, 1, 'paid');
  INSERT INTO order_items (order_id, product_id, quantity) VALUES (1, 1, 2), (1, 1, 1), (1, 1, 5);"
# One backup for the Backups dock (the folder the studio reads with these settings).
(cd "$tmp/demo" && XDG_DATA_HOME=$tmp/data "$cli" backup) >/dev/null

# Fresh settings (no saved window layout, no keychain), a fixed screen, Fusion style.
XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_RUNTIME_DIR=$tmp/run \
  xvfb-run -a -s "-screen 0 1600x1000x24" \
  "$studio" -style Fusion --screenshot "$here" "$tmp/demo/alembic.ini"

# The same in the dark theme (Preferences > Theme: Dark); the whole window and the dialog.
mkdir -p "$tmp/config-dark/Retort" "$tmp/dark-shots"
printf '[ui]\ntheme=dark\n' > "$tmp/config-dark/Retort/retort-studio.conf"
XDG_CONFIG_HOME=$tmp/config-dark XDG_DATA_HOME=$tmp/data XDG_RUNTIME_DIR=$tmp/run \
  xvfb-run -a -s "-screen 0 1600x1000x24" \
  "$studio" --screenshot "$tmp/dark-shots" "$tmp/demo/alembic.ini"
cp "$tmp/dark-shots/studio.png" "$here/studio-dark.png"
cp "$tmp/dark-shots/rollbackDialog.png" "$here/rollbackDialog-dark.png"

# The Autogenerate review needs models: the blog fixture against its older database
# (a possible column and table rename, destructive drops with row counts). Only that
# dock's picture is kept from this run.
cp -r "$root/tests/fixtures/autogenerate/blog" "$tmp/blog"
mkdir -p "$tmp/blog/migrations/versions" "$tmp/blog-shots"
sqlite3 "$tmp/blog/blog.db" < "$root/tests/fixtures/autogenerate/blog_older_schema.sql"
sqlite3 "$tmp/blog/blog.db" "INSERT INTO authors VALUES (1, 'ann', 'Ann');
  INSERT INTO posts VALUES (1, 1, 1, 'Hello', 'hello', NULL), (2, 1, NULL, 'Again', 'again', NULL);"
(cd "$tmp/blog" && XDG_CONFIG_HOME=$tmp/config-blog XDG_DATA_HOME=$tmp/data XDG_RUNTIME_DIR=$tmp/run \
  RETORT_PYTHON=/usr/bin/python3 xvfb-run -a -s "-screen 0 1600x1000x24" \
  "$studio" -style Fusion --screenshot "$tmp/blog-shots" "$tmp/blog/alembic.ini")
cp "$tmp/blog-shots/autogenerate.png" "$here/autogenerate.png"
ls -1 "$here"/*.png
