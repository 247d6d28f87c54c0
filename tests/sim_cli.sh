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
# Grouping by mobility: /proc/pagetypeinfo, extfrag_index, unusable_index.
"$sim" "$tmp/ok.machine" pagetypeinfo > "$tmp/pt"
grep -q '^Page block order: [0-9][0-9]*$' "$tmp/pt"
grep -q '^Pages per block:  [0-9][0-9]*$' "$tmp/pt"
grep -q '^Free pages count per migrate type at order       0      1 ' "$tmp/pt"
grep -q '^Node    0, zone   Normal, type      Movable  *[0-9]' "$tmp/pt"
grep -q '^Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic ' "$tmp/pt"
grep -Eq '^Node 0, zone   Normal( +[0-9]+)+ $' "$tmp/pt"
"$sim" "$tmp/ok.machine" extfrag_index unusable_index > "$tmp/ef"
[ "$(grep -Ec '^Node 0, zone   Normal( +-?[0-9]\.[0-9]{3})+ $' "$tmp/ef")" -eq 2 ] ||
	{ echo "extfrag_index/unusable_index:"; cat "$tmp/ef"; exit 1; }
# Zonelists: the issue's two-node example, in node order (auto on 64-bit)
# and in zone order; vmstat lines are "name value".
if grep -q '^CONFIG_PA_NUMA=y' "$(dirname "$sim")/.config" &&
	grep -q '^CONFIG_PA_ZONE_DMA32=y' "$(dirname "$sim")/.config"; then
	cat > "$tmp/two.machine" <<'M'
cpus 4
node 0 cpus 0-1 distance 10 20
node 1 cpus 2-3 distance 20 10
memory 1G 1088M node 0
memory 2G 2112M node 1
memory 4G 4160M node 0
memory 6G 6208M node 1
zone_limit DMA32 4G
M
	"$sim" "$tmp/two.machine" zonelists > "$tmp/zl"
	printf 'Node 0: 0/Normal 0/DMA32 1/Normal 1/DMA32\nNode 1: 1/Normal 1/DMA32 0/Normal 0/DMA32\n' |
		diff - "$tmp/zl"
	{ cat "$tmp/two.machine"; echo "zonelist_order zone"; } > "$tmp/twoz.machine"
	"$sim" "$tmp/twoz.machine" zonelists > "$tmp/zl"
	printf 'Node 0: 0/Normal 1/Normal 0/DMA32 1/DMA32\nNode 1: 1/Normal 0/Normal 1/DMA32 0/DMA32\n' |
		diff - "$tmp/zl"
	"$sim" "$tmp/two.machine" vmstat > "$tmp/vm"
	grep -q '^nr_free_pages [0-9][0-9]*$' "$tmp/vm"
	grep -q '^pgalloc_dma32 0$' "$tmp/vm"
	! grep -qv '^[a-z0-9_]* [0-9][0-9]*$' "$tmp/vm"
	{ cat "$tmp/two.machine"; echo "zonelist_order sideways"; } > "$tmp/bad2.machine"
	set +e
	"$sim" "$tmp/bad2.machine" zonelists 2> "$tmp/err"
	status=$?
	set -e
	[ $status -eq 2 ] && grep -q "bad2.machine:9: zonelist_order takes" "$tmp/err" ||
		{ echo "bad zonelist_order: status $status"; cat "$tmp/err"; exit 1; }
fi
printf 'cpus 1\nmemory 0x40000000 0x80000000\nbogus 1 2\n' > "$tmp/bad.machine"
set +e
"$sim" "$tmp/bad.machine" buddyinfo 2> "$tmp/err"
status=$?
set -e
[ $status -eq 2 ] || { echo "exit status $status, expected 2"; exit 1; }
grep -q "bad.machine:3: unknown directive 'bogus'" "$tmp/err" || { cat "$tmp/err"; exit 1; }
echo "pa-sim CLI ok"
