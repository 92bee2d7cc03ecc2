#!/usr/bin/env bash
# Fails when a committed translation (translations/retort_*.ts) is not complete and current:
# lupdate re-reads the studio's sources (ui/, app/studio_main.cpp, core/review's findings)
# into a scratch copy of each .ts; the copy must equal the committed file (no new source text
# missing from it) and hold no unfinished, vanished or obsolete message and no empty
# translation.
# Usage: check_translations.sh LUPDATE SOURCE_DIR
set -euo pipefail
lupdate=$1
src=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

shopt -s nullglob
committed=("$src"/translations/retort_*.ts)
if [ ${#committed[@]} -lt 2 ]; then
  echo "check_translations: expected the German and French .ts files, found ${#committed[@]}" >&2
  exit 1
fi
copies=()
for ts in "${committed[@]}"; do
  cp "$ts" "$scratch/"
  copies+=("$scratch/$(basename "$ts")")
done
# Same options as the update_translations target (ui/CMakeLists.txt) minus -no-obsolete,
# so that a message whose source text is gone shows up as vanished.
(cd "$src" && "$lupdate" -silent -locations none ui app/studio_main.cpp \
   core/review/planreview.cpp core/review/planreviewreport.cpp -ts "${copies[@]}")

status=0
for ts in "${committed[@]}"; do
  copy="$scratch/$(basename "$ts")"
  name=$(basename "$ts")
  for kind in unfinished vanished obsolete; do
    n=$(grep -c "type=\"$kind\"" "$copy" || true)
    if [ "$n" -gt 0 ]; then
      echo "$name: $n $kind message(s):" >&2
      grep -B2 "type=\"$kind\"" "$copy" | grep "<source>" | head -20 >&2
      status=1
    fi
  done
  n=$(grep -c -E '<translation></translation>|<numerusform></numerusform>|<translation/>' "$copy" || true)
  if [ "$n" -gt 0 ]; then
    echo "$name: $n empty translation(s)" >&2
    status=1
  fi
  if ! diff -u "$ts" "$copy" >"$scratch/diff"; then
    echo "$name is not what lupdate makes of the sources (run: cmake --build build --target update_translations):" >&2
    head -40 "$scratch/diff" >&2
    status=1
  fi
done
[ $status -eq 0 ] && echo "check_translations: ${#committed[@]} translations complete and current"
exit $status
