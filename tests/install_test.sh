#!/usr/bin/env bash
# make install, checked from the outside (see "install" in the Makefile):
#  - ARCH=host into a temporary prefix: every public header plus this
#    build's autoconf.h, the port-less libpagealloc.a, libpagealloc-host.a,
#    pagealloc.pc (the hosted library) and pagealloc-kernel.pc (port-less);
#  - tests/install/host_prog.c, built with nothing but
#    `pkg-config --cflags --libs pagealloc`, boots a small simulated
#    machine, allocates and frees a page and gets the free count back;
#  - the README's hello world, extracted from its text, built the same way
#    and run;
#  - tests/install/own_port.c, a "kernel" with its own port hooks built
#    with only pagealloc-kernel.pc, does the same through
#    <pagealloc/linux-compat.h>;
#  - linux-compat.h refuses a kernel PAGE_SHIFT that is not the library's;
#  - DESTDIR stages the same tree, whose .pc files name PREFIX and relocate;
#  - with CONFIG_PA_PORT_INLINE the port's headers are installed too, and
#    host_prog.c builds against them;
#  - ARCH=arm64 installs no host port, and its headers (linux-compat.h
#    included) compile freestanding.
# Build directories: $INSTALL_TEST_BUILD (build/check/install) /host, /arm64.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
build=${INSTALL_TEST_BUILD:-build/check/install}
MAKE=(make --no-print-directory -j"$(nproc 2>/dev/null || echo 2)")
HOSTCC=${HOSTCC:-cc}
CFLAGS_PROG=(-std=c11 -Wall -Wextra -Werror -Wpedantic -O1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "install test: FAILED: $*" >&2
	exit 1
}
# CC, if set in the environment, must not reach the arm64 build.
mk() { env -u CC "${MAKE[@]}" "$@"; }

# ---- ARCH=host into $tmp/usr
prefix=$tmp/usr
mk O="$build/host" install PREFIX="$prefix" || fail "make install (host)"
for h in include/pagealloc/*.h; do
	cmp -s "$h" "$prefix/$h" || fail "$h not installed"
done
cmp -s "$build/host/include/pagealloc/autoconf.h" "$prefix/include/pagealloc/autoconf.h" ||
	fail "autoconf.h not installed"
for f in lib/libpagealloc.a lib/libpagealloc-host.a lib/pkgconfig/pagealloc.pc \
	lib/pkgconfig/pagealloc-kernel.pc; do
	[ -f "$prefix/$f" ] || fail "$f not installed"
done

# libpagealloc.a is the library alone: at most the weak optional hooks.
strong=$(nm -g --defined-only "$prefix/lib/libpagealloc.a" |
	awk '$2 != "W" && $3 ~ /^pa_(port|host)_/ {print $3}')
[ -z "$strong" ] || fail "libpagealloc.a defines port symbols: $strong"
grep -q ' T pa_port_spin_lock_irqsave$' <<<"$(nm -g --defined-only "$prefix/lib/libpagealloc-host.a")" ||
	fail "libpagealloc-host.a lacks the host port"

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
[ "$(pkg-config --variable=prefix pagealloc)" = "$prefix" ] || fail "pagealloc.pc prefix"
[ "$(pkg-config --variable=arch pagealloc-kernel)" = host ] || fail "pagealloc-kernel.pc arch"
case " $(pkg-config --libs pagealloc) " in
*-lpagealloc-host*) ;;
*) fail "pagealloc.pc does not link the host port" ;;
esac
case " $(pkg-config --libs pagealloc-kernel) " in
*pagealloc-host*) fail "pagealloc-kernel.pc links the host port" ;;
esac
pkg-config --print-variables pagealloc-kernel >/dev/null &&
	grep -q '^Description: .*port' "$prefix/lib/pkgconfig/pagealloc-kernel.pc" ||
	fail "pagealloc-kernel.pc does not say a port must be supplied"

# Build outside the tree, with pkg-config only (no -I into the sources).
cd "$tmp"
# shellcheck disable=SC2046
"$HOSTCC" "${CFLAGS_PROG[@]}" $(pkg-config --cflags pagealloc) "$src/tests/install/host_prog.c" \
	-o host_prog $(pkg-config --libs pagealloc) || fail "building host_prog.c"
./host_prog || fail "host_prog"
# The README's hello world, as its text shows it, with pkg-config alone.
/usr/bin/python3 "$src/tests/doc_examples.py" --extract "$src/README.md" hello.c >hello.c ||
	fail "no hello.c in README.md"
# shellcheck disable=SC2046
"$HOSTCC" "${CFLAGS_PROG[@]}" hello.c -o hello $(pkg-config --cflags --libs pagealloc) ||
	fail "building the README's hello.c"
./hello >/dev/null || fail "the README's hello world"
# shellcheck disable=SC2046
"$HOSTCC" "${CFLAGS_PROG[@]}" $(pkg-config --cflags pagealloc-kernel) "$src/tests/install/own_port.c" \
	-o own_port $(pkg-config --libs pagealloc-kernel) || fail "building own_port.c"
./own_port || fail "own_port"

# A kernel's own PAGE_SHIFT is accepted if it agrees, refused if not.
shift=$(sed -n 's/^#define CONFIG_PA_PAGE_SHIFT //p' "$prefix/include/pagealloc/autoconf.h")
[ -n "$shift" ] || fail "no CONFIG_PA_PAGE_SHIFT in the installed autoconf.h"
echo '#include <pagealloc/linux-compat.h>' >compat.c
# shellcheck disable=SC2046
"$HOSTCC" "${CFLAGS_PROG[@]}" -fsyntax-only $(pkg-config --cflags pagealloc-kernel) -DPAGE_SHIFT="$shift" compat.c ||
	fail "linux-compat.h refuses an agreeing PAGE_SHIFT"
# shellcheck disable=SC2046
if "$HOSTCC" "${CFLAGS_PROG[@]}" -fsyntax-only $(pkg-config --cflags pagealloc-kernel) -DPAGE_SHIFT=$((shift + 2)) \
	compat.c 2>compat.err; then
	fail "linux-compat.h accepts PAGE_SHIFT $((shift + 2)) for a $shift library"
fi
grep -q "PAGE_SHIFT is not pagealloc" compat.err || fail "no clear PAGE_SHIFT message: $(cat compat.err)"
cd "$src"

# ---- DESTDIR: staged under it, .pc files name PREFIX, and relocate.
stage=$tmp/stage
mk O="$build/host" install DESTDIR="$stage" PREFIX=/opt/pagealloc || fail "make install DESTDIR"
[ "$(ls -A "$stage")" = opt ] || fail "DESTDIR install wrote outside \$DESTDIR/opt"
[ -f "$stage/opt/pagealloc/lib/libpagealloc-host.a" ] || fail "DESTDIR: no libpagealloc-host.a"
grep -qx 'prefix=/opt/pagealloc' "$stage/opt/pagealloc/lib/pkgconfig/pagealloc.pc" ||
	fail "DESTDIR leaked into pagealloc.pc"
staged="PKG_CONFIG_PATH=$stage/opt/pagealloc/lib/pkgconfig"
cflags=$(env "$staged" pkg-config --cflags pagealloc)
[ "${cflags% }" = "-I/opt/pagealloc/include" ] || fail "staged pagealloc.pc Cflags: $cflags"
# shellcheck disable=SC2046
"$HOSTCC" "${CFLAGS_PROG[@]}" $(env "$staged" pkg-config --define-prefix --cflags pagealloc) \
	tests/install/host_prog.c -o "$tmp/host_prog_staged" \
	$(env "$staged" pkg-config --define-prefix --libs pagealloc) ||
	fail "building against the relocated staged tree"
"$tmp/host_prog_staged" || fail "host_prog (staged)"

# ---- CONFIG_PA_PORT_INLINE: the port's headers installed beside the
# library's, and a program built from them with pkg-config alone.
inline=$tmp/inline
mk O="$build/host-inline" FRAGMENT=configs/check/inline-nopcp.config install PREFIX="$inline" ||
	fail "make install (inline port hooks)"
for h in arch/host/include/*.h; do
	cmp -s "$h" "$inline/include/$(basename "$h")" || fail "$h not installed (inline)"
done
# shellcheck disable=SC2046
"$HOSTCC" "${CFLAGS_PROG[@]}" $(PKG_CONFIG_PATH=$inline/lib/pkgconfig pkg-config --cflags pagealloc) \
	tests/install/host_prog.c -o "$tmp/host_prog_inline" \
	$(PKG_CONFIG_PATH=$inline/lib/pkgconfig pkg-config --libs pagealloc) ||
	fail "building host_prog.c against the inline install"
"$tmp/host_prog_inline" || fail "host_prog (inline)"

# ---- ARCH=arm64: the freestanding library, no host port.
arm=$tmp/arm64
mk ARCH=arm64 O="$build/arm64" install PREFIX="$arm" || fail "make ARCH=arm64 install"
[ -f "$arm/lib/libpagealloc.a" ] || fail "arm64: no libpagealloc.a"
[ -f "$arm/include/pagealloc/linux-compat.h" ] || fail "arm64: no linux-compat.h"
for f in lib/libpagealloc-host.a lib/pkgconfig/pagealloc.pc include/pagealloc/host.h; do
	[ ! -e "$arm/$f" ] || fail "arm64 install has the host port's $f"
done
[ "$(PKG_CONFIG_PATH=$arm/lib/pkgconfig pkg-config --variable=arch pagealloc-kernel)" = arm64 ] ||
	fail "arm64 pagealloc-kernel.pc arch"
syms=$(aarch64-linux-gnu-nm "$arm/lib/libpagealloc.a")
grep -q ' U pa_port_spin_lock_irqsave$' <<<"$syms" ||
	fail "arm64 libpagealloc.a does not leave the port hooks to the kernel"
! grep -q 'pa_host_' <<<"$syms" || fail "arm64 libpagealloc.a has host symbols"
# A kernel file using Linux's names compiles with the compiler's own
# freestanding headers only (-nostdinc: no libc anywhere).
cat >"$tmp/kernel.c" <<'EOF'
#include <pagealloc/linux-compat.h>
unsigned long kernel_fn(void);
unsigned long kernel_fn(void)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	unsigned long addr = get_zeroed_page(GFP_DMA32);

	free_page(addr);
	__free_pages(page, 1);
	return nr_free_pages() + PAGE_SIZE;
}
EOF
aarch64-linux-gnu-gcc "${CFLAGS_PROG[@]}" -ffreestanding -nostdinc \
	-isystem "$(aarch64-linux-gnu-gcc -print-file-name=include)" -I"$arm/include" \
	-c "$tmp/kernel.c" -o "$tmp/kernel.o" || fail "linux-compat.h in a freestanding arm64 file"

echo "install test: passed"
