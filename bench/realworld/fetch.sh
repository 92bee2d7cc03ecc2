#!/usr/bin/env bash
# Fetch the real-world corpus listed in corpus.txt into DEST/<name>/versions (outside the
# repository). Needs git and network access; a blobless clone per repository, at the
# listed commit. Already fetched projects are left alone.
#   bench/realworld/fetch.sh /work/corpus
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DEST=${1:?usage: fetch.sh DEST}
mkdir -p "$DEST"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
grep -v '^\s*#' "$HERE/corpus.txt" | while read -r name repo commit path _dialects; do
  [ -n "$name" ] || continue
  [ -d "$DEST/$name/versions" ] && { echo "fetch: $name already there"; continue; }
  clone="$TMP/${repo//\//+}"
  if [ ! -d "$clone" ]; then
    git clone -q --filter=blob:none --no-checkout "https://github.com/$repo.git" "$clone"
  fi
  mkdir -p "$DEST/$name/versions"
  git -C "$clone" archive "$commit" "$path" | tar -x -C "$DEST/$name/versions" \
    --strip-components="$(awk -F/ '{print NF}' <<<"$path")"
  echo "fetch: $name <- $repo@$commit:$path"
done
