#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# clang_rt.sh CC RUNTIME...: does the compiler CC have each of clang's
# runtime archives (asan, ubsan_standalone, tsan, fuzzer)?  A build that
# needs one fails otherwise only at its link, deep in the log; this says
# at once which package gives it.  gcc (any CC that is not clang) passes.
set -u
cc=$1
shift
$cc --version 2>/dev/null | grep -q clang || exit 0
dir=$($cc --print-runtime-dir 2>/dev/null)
arch=$(uname -m)
for rt in "$@"; do
	if [ ! -f "$dir/libclang_rt.$rt-$arch.a" ] && [ ! -f "$dir/libclang_rt.$rt.a" ]; then
		echo "clang_rt: $cc has no $rt runtime (libclang_rt.$rt-$arch.a in ${dir:-its runtime directory}): install libclang-rt-dev" >&2
		exit 1
	fi
done
