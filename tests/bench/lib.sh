# shellcheck shell=bash
# SPDX-License-Identifier: MIT
# Shared by run.sh and instr.sh (sourced from the top of the tree): install
# what is missing, build pa-bench in its two configurations, pick the binary
# a benchmark needs.
#   BENCH_O   output directory (default build/bench); the build without
#             per-CPU lists goes to $BENCH_O-nopcp
#   NO_DEPS=1 install nothing

BENCH_O=${BENCH_O:-build/bench}
PCP_BIN=$BENCH_O/pa-bench
NOPCP_BIN=$BENCH_O-nopcp/pa-bench
PYTHON=${PYTHON:-/usr/bin/python3}

bench_deps() {
	bash tests/deps.sh bench
}

# Optimised (-O2), CONFIG_PA_DEBUG_VM off; per-CPU lists on and off.
# Position-dependent, as a kernel is built (Linux: -fno-PIE; our arm64
# library: -fno-pic), so a table is addressed in one instruction rather
# than through a register loaded with its address.
bench_build() {
	local make="make --no-print-directory"
	# Under make -jN the jobserver is inherited; otherwise use every core.
	case "${MAKEFLAGS:-}" in
	*jobserver*) ;;
	*) make="$make -j${JOBS:-$(nproc 2>/dev/null || echo 2)}" ;;
	esac
	local flags=(OPT=-O2 EXTRA_CFLAGS=-fno-pie PABENCH_LDFLAGS=-no-pie)
	$make O="$BENCH_O" FRAGMENT=configs/bench/pcp.config "${flags[@]}" pa-bench &&
		$make O="$BENCH_O-nopcp" FRAGMENT=configs/bench/nopcp.config "${flags[@]}" pa-bench
}

# All benchmark names, in table order.
bench_names() {
	"$PCP_BIN" --list | awk '{ print $1 }'
}

# The binary that runs benchmark $1: the one whose configuration it needs.
bench_bin_for() {
	local build
	build=$("$PCP_BIN" --list | awk -v n="$1" '$1 == n { sub("build=", "", $2); print $2 }')
	if [ "$build" = nopcp ]; then echo "$NOPCP_BIN"; else echo "$PCP_BIN"; fi
}
