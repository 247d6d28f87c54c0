#!/usr/bin/env bash
# nm_check.sh NM LIB: the freestanding library may need from outside only
# the hooks port.h declares and the mem* functions it states the
# prototypes of (nothing from libgcc), and on powerpc64 the TOC base
# .TOC., which the linker defines.
set -euo pipefail
nm=$1 lib=$2
hooks=$(grep -o 'pa_port_[a-z_]*(' include/pagealloc/port.h | tr -d '(' | sort -u)
defined=$($nm --defined-only "$lib" | awk 'NF == 3 {print $3}' | sort -u)
undef=$(comm -23 <($nm -u "$lib" | awk '{print $2}' | grep -v '^$' | sort -u) <(echo "$defined"))
bad=0
for sym in $undef; do
	case $sym in
	memcpy|memset|memmove|memcmp|.TOC.) ;;
	*) if ! grep -qx "$sym" <<<"$hooks"; then echo "unexpected undefined symbol: $sym"; bad=1; fi ;;
	esac
done
echo "undefined symbols of $lib:" $undef
exit $bad
