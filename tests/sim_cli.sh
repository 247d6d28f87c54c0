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
# Workloads: the summary's fields agree with each other and with the views
# (every per-CPU set is drained at the end, so the buddy lists hold every
# free page: managed - held = the pages buddyinfo counts), and a seed gives
# the same output every time.
cat > "$tmp/small.machine" <<'M'
cpus 2
memory 0x40000000 0x50000000
reserve 0x40000000 0x40200000
M
for w in churn:ops=20000 frag:ops=20000 pressure:ops=100000 atomic:count=2000 \
	burst:count=5000,idle=10; do
	"$sim" "$tmp/small.machine" --workload "$w" buddyinfo zoneinfo check > "$tmp/w"
	awk -v w="$w" '
		NR == 1 {
			for (i = 3; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
			if ($1 != "workload" || $2 != substr(w, 1, index(w, ":") - 1)) bad = "summary: " $0
			if (f["ops"] != f["allocs"] + f["fails"] + f["frees"]) bad = "ops != allocs + fails + frees: " $0
		}
		/^Node [0-9]+, zone +[A-Za-z0-9]+ +[0-9]/ {
			for (i = 5; i <= NF; i++) buddy += $i * 2 ^ (i - 5)
		}
		/^        managed / { managed += $2 }
		/^  pages free / { free += $3 }
		/^check: ok$/ { ok = 1 }
		END {
			if (!bad && managed - f["held"] != buddy) bad = "managed " managed " - held " f["held"] " != buddyinfo " buddy
			if (!bad && free != buddy) bad = "zoneinfo free " free " != buddyinfo " buddy
			if (!bad && !ok) bad = "pa_check failed"
			if (bad) { print w ": " bad; exit 1 }
		}' "$tmp/w" || exit 1
done
"$sim" "$tmp/small.machine" --workload churn:ops=5000 buddyinfo vmstat > "$tmp/c1"
"$sim" "$tmp/small.machine" --workload churn:ops=5000 buddyinfo vmstat > "$tmp/c2"
cmp "$tmp/c1" "$tmp/c2" || { echo "churn with the default seed differs between two runs"; exit 1; }
"$sim" "$tmp/small.machine" --workload churn:ops=5000,seed=2 buddyinfo vmstat > "$tmp/c3"
! cmp -s "$tmp/c1" "$tmp/c3" || { echo "churn seed=2 gave the output of seed=1"; exit 1; }
# Memory pressure: the fake page cache behind the reclaim hooks is shrunk
# by kswapd and, when kswapd lags (every 1024 operations), by direct reclaim.
"$sim" "$tmp/small.machine" --workload pressure > "$tmp/p"
grep -Eq '^workload pressure .* kswapd_runs=[1-9][0-9]* kswapd_reclaimed=[1-9][0-9]* direct_reclaims=[1-9][0-9]* direct_reclaimed=[1-9][0-9]*$' "$tmp/p" ||
	{ echo "pressure:"; cat "$tmp/p"; exit 1; }
# The atomic burst goes below min: GFP_NOWAIT stops at min, GFP_ATOMIC may take
# half of it and a quarter of the rest (Linux's __zone_watermark_ok()).
"$sim" "$tmp/small.machine" --workload atomic > "$tmp/a"
grep -Eq '^workload atomic .* zone=0/Normal min=[0-9]+ lowest_free=[0-9]+ below_min=[1-9][0-9]* ' "$tmp/a" ||
	{ echo "atomic:"; cat "$tmp/a"; exit 1; }
# A burst raises CPU 0's high above high_min, and idle seconds bring it back.
"$sim" "$tmp/small.machine" --workload burst:count=5000,idle=40,bursts=1 > "$tmp/b"
awk '{ for (i = 3; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } }
	END { exit !(f["peak_high"] > f["high_min"] && f["end_high"] == f["high_min"] &&
		     f["vmstat_updates"] == 40) }' "$tmp/b" || { echo "burst:"; cat "$tmp/b"; exit 1; }
for bad in nope churn:bogus=1 churn:ops=x churn:maxorder=99; do
	set +e
	"$sim" "$tmp/small.machine" --workload "$bad" buddyinfo > /dev/null 2> "$tmp/err"
	status=$?
	set -e
	[ $status -eq 2 ] && grep -q "workload" "$tmp/err" || { echo "--workload $bad: status $status"; cat "$tmp/err"; exit 1; }
done

# Traces: allocating and freeing everything (per-CPU sets drained) gives the
# initial buddyinfo back byte for byte.
"$sim" "$tmp/small.machine" buddyinfo > "$tmp/b0"
cat > "$tmp/all.trace" <<'T'
# every kind of line; the order-10 block first (later unmovable requests
# may split the largest free blocks: Linux's fallback takes the largest)
a z 0xcc0 10 0 0                     # hex flags, node 0
a x GFP_KERNEL 0 -1 0
a y GFP_KERNEL|__GFP_ZERO 3 -1 1     # symbolic flags
a w GFP_HIGHUSER_MOVABLE 2 -1 1
s watermark_scale_factor 20
g y
p y 1
f y 3 1
f x
f w 2 1
d 1
a x GFP_ATOMIC 1 -1 1                # x again, once freed
f x
f z 10 1
d 0
d 1
T
"$sim" "$tmp/small.machine" --trace "$tmp/all.trace" buddyinfo > "$tmp/b1"
echo "trace $tmp/all.trace ops=16 allocs=5 fails=0 frees=5 held=0" | diff - <(head -1 "$tmp/b1")
tail -n +2 "$tmp/b1" | diff "$tmp/b0" -
# References: a put that leaves one keeps the block; a free that leaves one
# gives back all but the head page (Linux's __free_pages() of a non-compound
# block), which the last put frees.
printf 'a x GFP_KERNEL 3 -1 0\ng x\np x\n' > "$tmp/ref.trace"
"$sim" "$tmp/small.machine" --trace "$tmp/ref.trace" | grep -qx "trace $tmp/ref.trace ops=3 allocs=1 fails=0 frees=0 held=8"
printf 'a x GFP_KERNEL 3 -1 0\ng x\nf x\n' > "$tmp/ref.trace"
"$sim" "$tmp/small.machine" --trace "$tmp/ref.trace" | grep -qx "trace $tmp/ref.trace ops=3 allocs=1 fails=0 frees=0 held=1"
printf 'a x GFP_KERNEL 3 -1 0\ng x\nf x\np x 1\n' > "$tmp/ref.trace"
"$sim" "$tmp/small.machine" --trace "$tmp/ref.trace" | grep -qx "trace $tmp/ref.trace ops=4 allocs=1 fails=0 frees=1 held=0"
# A failed allocation is counted, not an error; the rest of the trace runs.
printf 'a big GFP_NOWAIT 10 -1 0\n' > "$tmp/fail.trace"
for i in $(seq 1 70); do printf 'a b%d GFP_NOWAIT 10 -1 0\n' "$i"; done >> "$tmp/fail.trace"
"$sim" "$tmp/small.machine" --trace "$tmp/fail.trace" > "$tmp/f"
grep -Eq "^trace $tmp/fail.trace ops=71 allocs=[1-9][0-9]* fails=[1-9][0-9]* frees=0 held=" "$tmp/f" ||
	{ cat "$tmp/f"; exit 1; }
# An ID whose allocation failed here (the recorded run had the block): its
# lines are skipped and counted, and the ID may be allocated again.
nodma='GFP_ATOMIC|__GFP_DMA|__GFP_NOWARN' # ZONE_DMA is empty on this machine
printf 'a x %s 0 -1 0\ng x\np x\nf x\na x %s 0 -1 0\na x GFP_KERNEL 0 -1 0\nf x\n' \
	"$nodma" "$nodma" > "$tmp/skip.trace"
"$sim" "$tmp/small.machine" --trace "$tmp/skip.trace" > "$tmp/f"
grep -qx "trace $tmp/skip.trace ops=4 allocs=1 fails=2 frees=1 held=0 skipped=3" "$tmp/f" ||
	{ cat "$tmp/f"; exit 1; }
# Its references are followed as the recorded block's: a free that leaves
# one keeps the ID for the last put, and a second free after that is wrong.
printf 'a x %s 3 -1 0\ng x\nf x\np x 1\n' "$nodma" > "$tmp/skip.trace"
"$sim" "$tmp/small.machine" --trace "$tmp/skip.trace" > "$tmp/f"
grep -qx "trace $tmp/skip.trace ops=1 allocs=0 fails=1 frees=0 held=0 skipped=3" "$tmp/f" ||
	{ cat "$tmp/f"; exit 1; }
printf 'a x %s 3 -1 0\nf x\nf x\n' "$nodma" > "$tmp/skip.trace"
set +e
"$sim" "$tmp/small.machine" --trace "$tmp/skip.trace" > /dev/null 2> "$tmp/err"
status=$?
set -e
[ $status -eq 2 ] && grep -qF "$tmp/skip.trace:3: no live allocation has ID 'x'" "$tmp/err" ||
	{ cat "$tmp/err"; exit 1; }
# Bad lines: file:line: what is wrong, exit status 2.
bad_trace() { # bad_trace TEXT EXPECTED-MESSAGE
	printf "$1" > "$tmp/bad.trace"
	set +e
	"$sim" "$tmp/small.machine" --trace "$tmp/bad.trace" buddyinfo > /dev/null 2> "$tmp/err"
	status=$?
	set -e
	[ $status -eq 2 ] && grep -qF "$tmp/bad.trace:$2" "$tmp/err" ||
		{ echo "trace '$1': status $status"; cat "$tmp/err"; exit 1; }
}
bad_trace '# fine\na x GFP_KERNEL 0 -1 0\nf q\n' "3: no live allocation has ID 'q'"
bad_trace 'a x GFP_BOGUS 0 -1 0\n' "1: bad GFP flags 'GFP_BOGUS' (pa_gfp_parse: 'GFP_BOGUS' is neither a GFP name nor a number)"
bad_trace 'a x GFP_KERNEL 0 -1 2\n' "1: bad CPU '2' (expected 0..1)"
bad_trace 'a x GFP_KERNEL 0 -1 0\na x GFP_KERNEL 0 -1 0\n' "2: ID 'x' is already allocated"
bad_trace 'a x GFP_KERNEL\n' "1: missing order"
bad_trace 'a x\n' "1: missing GFP flags"
bad_trace 's no_such_tunable 1\n' "1: pa_sysctl_set: unknown tunable"
bad_trace 'x 1\n' "1: unknown operation 'x'"
bad_trace 'd 0 1\n' "1: unexpected '1'"
bad_trace 'a x GFP_KERNEL 1 -1 0 bulk\n' "1: a bulk allocation is of order 0"
bad_trace 'a x GFP_KERNEL 0 -1 0 bluk\n' "1: unexpected 'bluk'"
bad_trace 'm x\n' "1: missing ID"
bad_trace 'm x y 0 0 0\n' "1: unexpected '0'"
bad_trace 'm x - 0 0\n' "1: a migration's destination has an ID"
# A migration line allocates its destination unless an "a" line did.
printf 'a x GFP_HIGHUSER_MOVABLE 0 -1 0\nm x y 0 0\nf x\na z GFP_KERNEL 0 -1 0\nm y z 0 1\nf y\nf z\n' \
	> "$tmp/migrate.trace"
"$sim" "$tmp/small.machine" --trace "$tmp/migrate.trace" |
	grep -qx "trace $tmp/migrate.trace ops=7 allocs=3 fails=0 frees=3 held=0"
# A bulk line takes its page through the bulk call.
printf 'a x GFP_KERNEL 0 -1 0 bulk\na y GFP_KERNEL 0 -1 0 bulk\nf x\n' > "$tmp/bulk.trace"
"$sim" "$tmp/small.machine" --trace "$tmp/bulk.trace" |
	grep -qx "trace $tmp/bulk.trace ops=3 allocs=2 fails=0 frees=1 held=1"

# --plot: a PNG (its 8-byte signature) of more than 1000 bytes; without
# gnuplot, exit status 2 and a message that says so.
if command -v gnuplot > /dev/null; then
	"$sim" "$tmp/small.machine" --workload pressure:ops=50000 --plot "$tmp/p.png" > /dev/null
	[ "$(head -c 8 "$tmp/p.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
		{ echo "not a PNG"; exit 1; }
	[ "$(stat -c %s "$tmp/p.png")" -gt 1000 ] || { echo "PNG too small"; exit 1; }
	"$sim" "$tmp/small.machine" --trace "$tmp/all.trace" --plot "$tmp/t.png" > /dev/null
	[ -s "$tmp/t.png" ]
fi
set +e
PATH=/nonexistent "$sim" "$tmp/small.machine" --workload churn:ops=100 --plot "$tmp/n.png" > /dev/null 2> "$tmp/err"
status=$?
set -e
[ $status -eq 2 ] && grep -q "needs gnuplot" "$tmp/err" || { echo "no gnuplot: status $status"; cat "$tmp/err"; exit 1; }
echo "pa-sim CLI ok"
