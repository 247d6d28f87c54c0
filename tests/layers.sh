#!/usr/bin/env bash
# layers.sh NM OBJDIR...: fail on any call (or data reference) from a
# src/ file to a file of a higher layer, as src/layers.txt names them,
# reading the library objects' symbols in each OBJDIR (build/.../obj/src).
# Every src/*.c must have a layer, and every layer name must be known; no
# test suite may include internal.h or read pa_g but tests/th_internal.h.
set -euo pipefail
cd "$(dirname "$0")/.."
nm=$1
shift
table=src/layers.txt
bad=0
for f in src/*.c; do
	grep -q "^$(basename "$f")[[:space:]]" $table || { echo "layers: $f has no layer in $table"; bad=1; }
done
# The suites reach the inside through tests/th_internal.h alone.
for f in $(grep -rlE '#include "internal.h"|\<pa_g\>' tests --include='*.c'); do
	echo "layers: $f reads the library's inside without tests/th_internal.h"
	bad=1
done
symbols() { # symbols DIR: "D file sym" for each definition, "U file sym" for each use
	local o f
	for o in "$1"/*.o; do
		f=$(basename "$o" .o).c
		$nm --defined-only "$o" | awk -v f="$f" 'NF == 3 && $2 ~ /[A-Z]/ {print "D", f, $3}'
		$nm -u "$o" | awk -v f="$f" '{print "U", f, $2}'
	done
}
for dir in "$@"; do
	ls "$dir"/*.o >/dev/null 2>&1 || { echo "layers: no objects in $dir"; bad=1; continue; }
	symbols "$dir" | awk -v table=$table -v dir="$dir" '
	BEGIN {
		rank["1-base"] = 1; rank["2-memory-model"] = 2; rank["3-buddy-core"] = 3
		rank["4-percpu-sets"] = 4; rank["5-entry"] = 5; rank["6-observer"] = 6
		rank["leaf"] = 0
		while ((getline line < table) > 0) {
			if (line ~ /^#/ || line !~ /[^ \t]/) continue
			split(line, w)
			if (!(w[2] in rank)) { print "layers: unknown layer " w[2] " in " table; err = 1 }
			layer[w[1]] = w[2]
		}
	}
	$1 == "D" { def[$3] = $2; next }
	{ use[n++] = $2 " " $3 }
	END {
		for (i = 0; i < n; i++) {
			split(use[i], u, " ")
			from = u[1]; sym = u[2]
			if (!(sym in def)) continue
			to = def[sym]
			if (to == from) continue
			lf = layer[from]; lt = layer[to]
			if (lt == "leaf") ok = 1
			else if (lf == "leaf") ok = rank[lt] <= 2
			else ok = rank[lt] <= rank[lf]
			if (!ok && !seen[from " " to " " sym]++) {
				printf "layers: %s: %s (%s) uses %s of %s (%s)\n", dir, from, lf, sym, to, lt
				err = 1
			}
		}
		exit err
	}' || bad=1
done
[ $bad = 0 ] && echo "layers: no upward call in $*"
exit $bad
