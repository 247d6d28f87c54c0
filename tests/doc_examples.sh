#!/usr/bin/env bash
# The documentation's examples (tests/doc_examples.py), as make check runs
# them: pa-sim built in build/host, the host library installed into a
# scratch prefix that PKG_CONFIG_PATH names, then every example of
# README.md and docs/*.md (or of the files given) run and compared.
set -euo pipefail
cd "$(dirname "$0")/.."
MAKE=(make --no-print-directory -j"$(nproc 2>/dev/null || echo 2)")
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
"${MAKE[@]}" >/dev/null
"${MAKE[@]}" install PREFIX="$prefix" >/dev/null
PKG_CONFIG_PATH=$prefix/lib/pkgconfig /usr/bin/python3 tests/doc_examples.py "$@"
