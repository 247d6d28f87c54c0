#!/usr/bin/env bash
# pa-sim's command line: views print, a bad line exits 2 with file:line.
set -euo pipefail
sim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/ok.machine" <<'M'
# two banks 32 GiB apart
cpus 2
memory 0x40000000 0x80000000
memory 0x840000000 0x880000000
reserve 0x40000000 0x40200000
M
"$sim" "$tmp/ok.machine" buddyinfo zoneinfo metadata check > "$tmp/out"
grep -q '^Node 0, zone   Normal ' "$tmp/out"
grep -q '^  pages free ' "$tmp/out"
grep -q '^check: ok$' "$tmp/out"
printf 'cpus 1\nmemory 0x40000000 0x80000000\nbogus 1 2\n' > "$tmp/bad.machine"
set +e
"$sim" "$tmp/bad.machine" buddyinfo 2> "$tmp/err"
status=$?
set -e
[ $status -eq 2 ] || { echo "exit status $status, expected 2"; exit 1; }
grep -q "bad.machine:3: unknown directive 'bogus'" "$tmp/err" || { cat "$tmp/err"; exit 1; }
echo "pa-sim CLI ok"
