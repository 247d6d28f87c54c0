#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make bench-instr: instructions per operation, counted by valgrind's
# callgrind.  Each benchmark runs twice, with N1 and N2 iterations and one
# round; set-up costs do not depend on the count, so
#     instr_per_op = (Ir(N2) - Ir(N1)) / (ops(N2) - ops(N1))
# over the whole program: the allocator's calls plus the benchmark loop
# around them (a handful of instructions: a compare, the calls, the count).
#   BENCH="..."      benchmarks (default: the pairs, their peers and mixed)
#   BENCH_N1, BENCH_N2  the two counts (default 20000 and 120000)
# Results go to $BENCH_O/instr.txt and are printed as a table.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/bench/lib.sh
bench_deps || exit 1
bench_build || exit 1

n1=${BENCH_N1:-20000}
n2=${BENCH_N2:-120000}
names=${BENCH:-pcp-pair pcp-pair-mimalloc pcp-pair-glibc buddy-pair buddy-pair-cold order3-pair order9-pair mixed mixed-mimalloc mixed-glibc}
results=$BENCH_O/instr.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: > "$results"
failed=0

# count NAME BIN N: sets ir, ops (empty when the benchmark was skipped)
count() {
	valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$2" "$1" -n "$3" -r 1 \
		> "$tmp/out" 2> "$tmp/err" || { cat "$tmp/err" >&2; return 1; }
	ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/err")
	ops=$(sed -n 's/^result .* ops=\([0-9]*\).*/\1/p' "$tmp/out")
	[ -n "$ir" ] || { echo "instr: no instruction count from callgrind" >&2; return 1; }
}

for name in $names; do
	bin=$(bench_bin_for "$name")
	if ! count "$name" "$bin" "$n1"; then
		echo "result $name failed=1" | tee -a "$results"; failed=1; continue
	fi
	if [ -z "$ops" ]; then # skipped: pass its line on
		grep '^result ' "$tmp/out" | tee -a "$results"; continue
	fi
	ir1=$ir ops1=$ops
	if ! count "$name" "$bin" "$n2"; then
		echo "result $name failed=1" | tee -a "$results"; failed=1; continue
	fi
	awk -v name="$name" -v ir1="$ir1" -v ir2="$ir" -v o1="$ops1" -v o2="$ops" 'BEGIN {
		printf "result %s instr_per_op=%.1f ir1=%s ir2=%s ops1=%s ops2=%s\n",
			name, (ir2 - ir1) / (o2 - o1), ir1, ir2, o1, o2 }' | tee -a "$results"
done
echo
"$PYTHON" tests/bench/table.py "$results"
exit $failed
