#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install the Debian packages a command needs, if any is missing.
#
#   deps.sh SET|PACKAGE...
#
# A SET names what one command needs on a fresh Debian 12 (minbase: only
# git and make), so each README command works on its own, whichever runs
# first:
#   kconfig  the configuration step of every build (Python, kconfiglib)
#   check    make check: gcc and clang with their sanitizer and libFuzzer
#            runtimes (libclang-rt-dev, which clang only recommends), cmocka,
#            pkg-config, gnuplot, the arm64 and riscv64 cross toolchains
#            and QEMUs, and a powerpc64le compiler for a generic build
#   qemu     make qemu: the arm64 cross toolchain and QEMU
#   qemu-riscv64  make qemu ARCH=riscv64: the riscv64 cross toolchain and QEMU
#   fuzz     make fuzz: clang and its runtimes
#   bench    make bench and make bench-instr: mimalloc, valgrind
# Anything else is a package name.  apt-get as root, through sudo
# otherwise; NO_DEPS=1 skips everything, and so does a system without
# dpkg (install the equivalents yourself).
set -euo pipefail
[ "${NO_DEPS:-0}" = 1 ] && exit 0
command -v dpkg-query >/dev/null || exit 0

kconfig=(python3 python3-kconfiglib)
cross=(gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-system-arm)
riscv=(gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu qemu-system-misc)
clang=(clang libclang-rt-dev)
pkgs=()
for arg in "$@"; do
	case $arg in
	kconfig) pkgs+=("${kconfig[@]}") ;;
	check) pkgs+=(make gcc libc6-dev pkg-config libcmocka-dev gnuplot-nox "${kconfig[@]}"
		"${clang[@]}" "${cross[@]}" "${riscv[@]}" gcc-powerpc64le-linux-gnu
		binutils-powerpc64le-linux-gnu) ;;
	qemu) pkgs+=(make "${kconfig[@]}" "${cross[@]}") ;;
	qemu-riscv64) pkgs+=(make "${kconfig[@]}" "${riscv[@]}") ;;
	fuzz) pkgs+=(make libc6-dev "${kconfig[@]}" "${clang[@]}") ;;
	bench) pkgs+=(make gcc libc6-dev pkg-config libmimalloc-dev valgrind "${kconfig[@]}") ;;
	*) pkgs+=("$arg") ;;
	esac
done
missing=()
declare -A seen=()
for pkg in "${pkgs[@]}"; do
	[ -n "${seen[$pkg]:-}" ] && continue
	seen[$pkg]=1
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null || { echo "deps: need root or sudo to install ${missing[*]}" >&2; exit 1; }
	sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: installed ${missing[*]}"
