#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Boot a pagealloc demo kernel on one of QEMU's virt machines (arm64,
# riscv64) and turn what it prints into an exit status.
#
#   run-qemu.sh [--expect-fail REGEX]... IMAGE LOG
#
# Normal run: succeeds only if QEMU exits with status 0 (the kernel's
# semihosting exit) AND the last marker line of the console is exactly
# "pagealloc demo: PASS cpus=N" with no FAIL line anywhere, so neither a
# silent exit 0 nor a hang (QEMU_TIMEOUT) can pass.  N is QEMU_SMP, or
# NR_CPUS (the kernel's CONFIG_PA_NR_CPUS) when that is smaller.
#
# --expect-fail: a deliberate-fault build.  Succeeds only if the run failed
# (non-zero status, a "pagealloc demo: FAIL" line, no PASS line) and the
# console output matches every REGEX given (extended grep, line by line),
# i.e. it failed for the expected reason.
#
# Environment: QEMU (the binary), QEMU_ARGS (the machine: -M virt -cpu ...,
# -semihosting or -bios none), QEMU_PKG (the Debian package that has it, for
# the message when it is missing), QEMU_SMP, QEMU_MEM, QEMU_TIMEOUT
# (seconds), NR_CPUS (optional).
set -u

expect=()
while [ "${1:-}" = --expect-fail ] && [ $# -ge 2 ]; do
	expect+=("$2")
	shift 2
done
if [ $# -ne 2 ]; then
	echo "usage: $0 [--expect-fail REGEX]... IMAGE LOG" >&2
	exit 2
fi
image=$1
log=$2

QEMU=${QEMU:-qemu-system-aarch64}
QEMU_ARGS=${QEMU_ARGS:--M virt -cpu cortex-a72 -semihosting}
QEMU_PKG=${QEMU_PKG:-qemu-system-arm}
QEMU_SMP=${QEMU_SMP:-4}
QEMU_MEM=${QEMU_MEM:-5G}
QEMU_TIMEOUT=${QEMU_TIMEOUT:-120}

name=$(basename "$image")
if ! command -v "$QEMU" >/dev/null 2>&1; then
	echo "$name: $QEMU not found (install $QEMU_PKG, or run without NO_DEPS=1)" >&2
	exit 1
fi

# -nic none: the demo needs no network, and virt's default virtio NIC wants
# a boot ROM (efi-virtio.rom, package ipxe-qemu) a minimal install lacks.
# shellcheck disable=SC2206 # QEMU_ARGS is words on purpose
cmd=("$QEMU" $QEMU_ARGS -smp "$QEMU_SMP" -m "$QEMU_MEM" -nographic -nic none -kernel "$image")
echo "  QEMU     ${cmd[*]}"
start=$(date +%s.%N)
# stdin from /dev/null: QEMU must not wait for (or grab) the terminal.
timeout -k 5 "$QEMU_TIMEOUT" "${cmd[@]}" </dev/null 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
end=$(date +%s.%N)
elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')

# The console uses CRLF line ends.
out=$(tr -d '\r' <"$log")
last_marker=$(printf '%s\n' "$out" | grep -E '^pagealloc demo: (PASS|FAIL)' | tail -n 1)
has_fail=$(printf '%s\n' "$out" | grep -c '^pagealloc demo: FAIL')
has_pass=$(printf '%s\n' "$out" | grep -c '^pagealloc demo: PASS')

if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
	why="timed out after ${QEMU_TIMEOUT} s"
elif [ "$status" -ne 0 ]; then
	why="QEMU exit status $status"
else
	why="QEMU exit status 0"
fi

if [ ${#expect[@]} -eq 0 ]; then
	cpus=$QEMU_SMP
	if [ -n "${NR_CPUS:-}" ] && [ "$NR_CPUS" -lt "$cpus" ]; then
		cpus=$NR_CPUS
	fi
	want="pagealloc demo: PASS cpus=$cpus"
	if [ "$status" -eq 0 ] && [ "$last_marker" = "$want" ] && [ "$has_fail" -eq 0 ]; then
		echo "$name: PASS in ${elapsed} s (-smp $QEMU_SMP -m $QEMU_MEM; log $log)"
		exit 0
	fi
	echo "$name: FAIL: $why; last marker: '${last_marker:-none}', want '$want' (log $log)" >&2
	exit 1
fi

if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
	echo "$name: expected a clean failure, but the run $why (log $log)" >&2
	exit 1
fi
if [ "$status" -eq 0 ] || [ "$has_fail" -eq 0 ] || [ "$has_pass" -ne 0 ]; then
	echo "$name: expected FAIL, got $why and '${last_marker:-no marker}' (log $log)" >&2
	exit 1
fi
for re in "${expect[@]}"; do
	if ! printf '%s\n' "$out" | grep -Eq -- "$re"; then
		echo "$name: failed, but without the expected report /$re/ (log $log)" >&2
		exit 1
	fi
done
echo "$name: failed as expected in ${elapsed} s: $last_marker"
exit 0
