#!/bin/sh
# Regenerates tests/fixtures/ddl/expected/<project>/<dialect>-{up,down}.sql (stdout) and
# .err (Alembic's exception line, when it fails) with the reference Alembic 1.8.1, plus
# expected/batch/sqlite-online.log: the statements an online SQLite upgrade executes.
set -e
cd "$(dirname "$0")/../../fixtures/ddl"
A="/usr/bin/python3 -m alembic -c alembic.ini"
for p in common server pg mysql batch extra batchcopy flow tryrun fixes schema types; do
  mkdir -p expected/$p
  for d in sqlite postgresql mysql; do
    url="$d://"; [ $d = sqlite ] || url="$d://u@h/db"
    $A -n $p -x url=$url upgrade head --sql > expected/$p/$d-up.sql 2> expected/$p/$d-up.log || true
    $A -n $p -x url=$url downgrade head:base --sql > expected/$p/$d-down.sql 2> expected/$p/$d-down.log || true
    for f in expected/$p/$d-up expected/$p/$d-down; do
      # keep only the final exception line, without object addresses
      grep -E '^[A-Za-z_.]+(Error|Exception): ' $f.log | tail -1 | sed 's/ object at 0x[0-9a-f]*//' > $f.err || true
      rm -f $f.log
      [ -s $f.err ] || rm -f $f.err
    done
  done
done
tmp=$(mktemp -d)
rm -f expected/batch/sqlite-online.log
$A -n batch -x url=sqlite:///$tmp/b.db -x log=$PWD/expected/batch/sqlite-online.log upgrade head 2> /dev/null
rm -rf $tmp
