#!/usr/bin/env bash
# nm_check.sh NM LIB: the freestanding library may need from outside only
# the hooks port.h declares and the mem* functions it states the
# prototypes of (nothing from libgcc), and the symbols the linker itself
# defines for position-independent code: powerpc64's TOC base .TOC. and
# the _GLOBAL_OFFSET_TABLE_ of a PIE-by-default compiler (x86-64).
set -euo pipefail
nm=$1 lib=$2
hooks=$(grep -o 'pa_port_[a-z_]*(' include/pagealloc/port.h | tr -d '(' | sort -u)
defined=$($nm --defined-only "$lib" | awk 'NF == 3 {print $3}' | sort -u)
undef=$(comm -23 <($nm -u "$lib" | awk '{print $2}' | grep -v '^$' | sort -u) <(echo "$defined"))
bad=0
for sym in $undef; do
	case $sym in
	memcpy|memset|memmove|memcmp|.TOC.|_GLOBAL_OFFSET_TABLE_) ;;
	*) if ! grep -qx "$sym" <<<"$hooks"; then echo "unexpected undefined symbol: $sym"; bad=1; fi ;;
	esac
done
echo "undefined symbols of $lib:" $undef
exit $bad
