#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make bench: build pa-bench with optimisation on and debug checks off, per-
# CPU lists on (build/bench) and off (build/bench-nopcp, for buddy-pair), run
# each benchmark in a process of its own with the build it needs, keep the
# result lines in $BENCH_O/results.txt and print them as a table.
#   BENCH="pcp-pair mixed"   run only these (default: all, see pa-bench --list)
#   BENCH_ARGS="-n 100000"   extra arguments for every run (-n, -r)
# Exits non-zero only when a benchmark fails to run; the performance targets
# in the table are reported, not enforced.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/bench/lib.sh
bench_deps || exit 1
bench_build || exit 1

results=$BENCH_O/results.txt
out=$BENCH_O/run.out
: > "$results"
failed=0
headers=""
for name in ${BENCH:-$(bench_names)}; do
	bin=$(bench_bin_for "$name")
	# shellcheck disable=SC2086
	"$bin" "$name" ${BENCH_ARGS:-} > "$out"
	rc=$?
	# Each binary's "# pa-bench: configuration" header once, then the results.
	while IFS= read -r line; do
		case "$line" in
		"#"*) case "$headers" in *"|$line|"*) continue ;; esac
			headers="$headers|$line|" ;;
		esac
		printf '%s\n' "$line" | tee -a "$results"
	done < "$out"
	if [ $rc -ne 0 ]; then
		echo "result $name failed=1 status=$rc binary=$bin" | tee -a "$results"
		failed=1
	fi
done
echo
"$PYTHON" tests/bench/table.py "$results"
exit $failed
