#!/usr/bin/env bash
# make check: install what is missing, then build and test
#  - the cmocka suites in several Kconfig configurations (gcc), among them
#    configs/check/debug.config (page poisoning and page_owner on),
#  - the one-way layers of src/ in each of them (tests/layers.sh),
#  - the default configuration with clang, and with ASan + UBSan,
#  - the threaded suites (SMP stress on 2, 4, 8 CPUs) under ThreadSanitizer,
#    with per-CPU sets and without (the buddy fast path),
#  - the allocator suites with pageblock order 2,
#  - the libFuzzer target (tests/fuzz/fuzz_api.c, clang + ASan + UBSan) for
#    30 seconds from the committed corpus (make fuzz runs it longer),
#  - pa-sim's command line (exit status, views, workloads, trace replay,
#    --plot with gnuplot),
#  - make install, used from outside through pkg-config (tests/install_test.sh),
#  - the documentation's examples, run and compared (tests/doc_examples.sh),
#  - the freestanding arm64 library for 4K/16K/64K pages (undefined symbols),
#  - generic freestanding builds for riscv64, powerpc64le and x86_64 (the
#    undefined symbols: the port hooks and mem* only),
#  - the QEMU boots of the arm64 and riscv64 demo kernels (4 and 1 CPUs)
#    and their fault modes.
# Ends with one line "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash tests/deps.sh check || exit 1

JOBS=$(nproc 2>/dev/null || echo 2)
MAKE="make --no-print-directory -j$JOBS"
passed=0
failed=0
failures=()

step() { # step NAME COMMAND...
	local name=$1
	shift
	echo
	echo "=== $name"
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures+=("$name")
		echo "=== FAILED: $name"
	fi
}

host_config() { # host_config NAME [FRAGMENT] [extra make args]
	local name=$1 frag=${2:-}
	shift 2 || shift
	$MAKE O=build/check/$name ${frag:+FRAGMENT=$frag} "$@" test
}

step "host default (gcc)" host_config default ""
for frag in configs/check/*.config; do
	name=$(basename "$frag" .config)
	step "host $name (gcc)" host_config "$name" "$frag"
done
# test_debug only checks poisoning and page_owner where they are built:
# make sure the debug configuration really has them and ran those tests.
debug_options() {
	local o=${1:-build/check/debug} out
	grep -q '^#define CONFIG_PA_PAGE_POISONING 1' $o/include/pagealloc/autoconf.h &&
		grep -q '^#define CONFIG_PA_PAGE_OWNER 1' $o/include/pagealloc/autoconf.h || return 1
	out=$($o/tests/test_debug 2>&1)
	echo "$out"
	grep -q 'PASSED  \] 12 test(s)' <<<"$out"
}
step "debug options: poisoning and page_owner tests ran" debug_options
# The one-way layers (src/layers.txt): in every configuration built above,
# no library object calls a function of a higher layer.
step "layers: no upward call" bash tests/layers.sh nm build/check/*/obj/src
step "host default (clang)" host_config clang "" CC=clang
step "host default (ASan+UBSan)" host_config asan "" OPT=-O1 \
	SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
# The trace hook's suites too, with clang's stack layout: gcc's once hid a
# read past a foreign "page" smaller than struct pa_page.
clang_asan() { # clang_asan NAME FRAGMENT: one line naming the package if the runtime lacks
	bash tests/clang_rt.sh clang asan && host_config "$1" "$2" CC=clang OPT=-O1 \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
}
step "host trace (clang ASan+UBSan)" clang_asan asan-trace configs/check/trace.config
# The threaded suites (SMP stress, per-CPU sets, the kswapd thread, the
# parallel mem_map init) under ThreadSanitizer; any report fails the step
# (halt_on_error).
tsan() { # tsan NAME [FRAGMENT]
	local o=build/check/$1
	$MAKE O=$o ${2:+FRAGMENT=$2} OPT=-O1 SAN="-fsanitize=thread -fno-omit-frame-pointer" tests ||
		return 1
	for t in test_smp test_pcp test_reclaim test_init; do
		echo "== $o/tests/$t (TSan)"
		TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$o/tests/$t" || return 1
	done
}
step "host threaded suites (ThreadSanitizer)" tsan tsan
# Again without per-CPU sets: the buddy fast path and the inline host lock.
step "host threaded suites, buddy fast path (ThreadSanitizer)" tsan tsan-nopcp \
	configs/check/inline-nopcp.config
# Pageblock order 2 (Kconfig allows orders from 1): blocks of the per-CPU
# sets' largest order would span pageblocks, which the sets must not keep.
# The suites that do not size their machines in pageblocks; test_model's
# lockstep run with isolation is the one that catches a block listed
# across two pageblock types.
small_pageblock() {
	local o=build/check/pageblock2
	mkdir -p build && printf 'CONFIG_PA_PAGEBLOCK_ORDER=2\n' > build/check-pageblock2.frag
	$MAKE O=$o FRAGMENT=build/check-pageblock2.frag tests || return 1
	for t in test_alloc test_badinput test_buddy test_debug test_exhaust test_memblock \
		test_model test_pcp test_reclaim test_smp test_watermark; do
		echo "== $o/tests/$t"
		"$o/tests/$t" || return 1
	done
}
step "host pageblock order 2: allocator suites (gcc)" small_pageblock
# Any crash, sanitizer report or pa_check() failure ends libFuzzer non-zero.
step "libFuzzer API target, 30 s (ASan+UBSan)" $MAKE FUZZ_O=build/check/fuzz FUZZ_SECONDS=30 fuzz
step "pa-sim command line" bash tests/sim_cli.sh build/check/default/pa-sim
step "make install: pkg-config consumers, DESTDIR, arm64" bash tests/install_test.sh
# Every example of README.md and docs/*.md that shows output, run and
# compared (the hello world built from the README's text).
step "documentation examples (README.md, docs/)" bash tests/doc_examples.sh

arm64_lib() { # arm64_lib NAME FRAGMENT
	local o=build/check/arm64-$1
	$MAKE ARCH=arm64 O=$o ${2:+FRAGMENT=$2} lib || return 1
	bash tests/nm_check.sh aarch64-linux-gnu-nm $o/libpagealloc.a
}
mkdir -p build
# 16K pages with the port's inline fast-path hooks (arch/arm64/include).
printf 'CONFIG_PA_PAGE_SIZE_16KB=y\nCONFIG_PA_PORT_INLINE=y\n' > build/check-16k.frag
printf 'CONFIG_PA_PORT_INLINE=y\n' > build/check-inline.frag
printf 'CONFIG_PA_PAGE_SIZE_64KB=y\n' > build/check-64k.frag
step "arm64 library 4K (gcc, freestanding)" arm64_lib 4k ""
step "arm64 library 16K, inline port hooks" arm64_lib 16k build/check-16k.frag
step "arm64 library 64K" arm64_lib 64k build/check-64k.frag
step "arm64 library 4K (clang)" bash -c "$MAKE ARCH=arm64 O=build/check/arm64-clang \
	CC='clang --target=aarch64-linux-gnu' lib"

# Any target, with no port of ours: the library alone, freestanding, with
# the kernel's flags in KCFLAGS, needing nothing but the hooks and mem*.
# (riscv64 has a port, but its library build uses nothing of it: KCFLAGS
# given here replace the port's defaults.)
generic_lib() { # generic_lib ARCH PREFIX [KCFLAGS]: build, install, nm
	local o=build/check/generic-$1 pc
	rm -rf "$o/stage"
	$MAKE ARCH=$1 O=$o CROSS_COMPILE=$2 KCFLAGS="${3:-}" install DESTDIR="$PWD/$o/stage" \
		PREFIX=/usr || return 1
	pc=$o/stage/usr/lib/pkgconfig/pagealloc-kernel.pc
	grep -qx "arch=$1" "$pc" && grep -qx "target=$("${2}gcc" -dumpmachine)" "$pc" ||
		{ echo "$pc does not name arch=$1 and its target"; return 1; }
	bash tests/nm_check.sh "${2}nm" "$o/libpagealloc.a"
}
step "generic library: riscv64 (KCFLAGS=-mcmodel=medany)" generic_lib riscv64 \
	riscv64-linux-gnu- -mcmodel=medany
step "generic library: powerpc64le" generic_lib ppc64le powerpc64le-linux-gnu-
if command -v x86_64-linux-gnu-gcc >/dev/null; then
	step "generic library: x86_64, freestanding" generic_lib x86_64 x86_64-linux-gnu-
fi

step "QEMU boot: -smp 4 -m 5G (make qemu)" $MAKE ARCH=arm64 qemu
step "QEMU boot: -smp 1 -m 1G" $MAKE ARCH=arm64 qemu QEMU_SMP=1 QEMU_MEM=1G
step "QEMU boot: -smp 2 -m 1G, inline port hooks" $MAKE ARCH=arm64 O=build/check/qemu-inline \
	FRAGMENT=build/check-inline.frag qemu QEMU_SMP=2 QEMU_MEM=1G
step "QEMU fault modes: double free, data abort" $MAKE ARCH=arm64 qemu-faults
step "riscv64 QEMU boot: -smp 4 -m 2G (make qemu ARCH=riscv64)" $MAKE ARCH=riscv64 qemu
step "riscv64 QEMU boot: -smp 1 -m 1G" $MAKE ARCH=riscv64 qemu QEMU_SMP=1 QEMU_MEM=1G
step "riscv64 QEMU fault modes: double free, load access fault" $MAKE ARCH=riscv64 qemu-faults

echo
if [ $failed -ne 0 ]; then
	printf 'failed step: %s\n' "${failures[@]}"
fi
echo "check: $passed passed, $failed failed"
[ $failed -eq 0 ]
