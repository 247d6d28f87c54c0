# SPDX-License-Identifier: MIT
#
# arm64: the bare-metal port (port.c) and the QEMU demo kernel.  Included by
# the top-level Makefile with ARCH=arm64; `make ARCH=arm64` alone still
# builds only the library.  The kernel's targets (kernel, qemu,
# qemu-faults) are demo/demo.mk's.
#
# Knobs: QEMU_SMP (4), QEMU_MEM (5G), QEMU_TIMEOUT (120 s), QEMU_CPU
# (cortex-a72), QEMU (qemu-system-aarch64), DEMO_ITERS (stress iterations
# per CPU, 0 = the demo's default), QEMU_FAULT.

ARM64 := arch/arm64

# The library on arm64: no FP/SIMD registers (a kernel does not save them
# around its own code), no PIC, no stack protector, and atomics inline
# (LL/SC on ARMv8.0; KCFLAGS=-march=armv8.1-a gives LSE) rather than
# libgcc's outline helpers, so the library needs nothing from libgcc.
ARCH_LIB_CFLAGS := -mgeneral-regs-only -fno-pic -fno-stack-protector -mno-outline-atomics

QEMU ?= qemu-system-aarch64
QEMU_CPU ?= cortex-a72
QEMU_ARGS = -M virt -cpu $(QEMU_CPU) -semihosting
QEMU_PKG := qemu-system-arm
QEMU_SMP ?= 4
QEMU_MEM ?= 5G
QEMU_TIMEOUT ?= 120

DEMO_ARCH := $(ARM64)
DEMO_ARCH_C := boot.c port.c uart.c psci.c mmu.c exception.c
DEMO_ARCH_S := head.S vectors.S
DEMO_BIN := Image
DEMO_DEPS := qemu

# The kernel's C: the library's flags (freestanding, -mgeneral-regs-only,
# no PIC, no stack protector) plus no PIE and strict alignment, because the
# boot CPU runs C with the MMU off, where memory is Device memory.
KERNEL_CFLAGS := $(LIB_CFLAGS) -nostdlib -fno-pie -mstrict-align
KERNEL_ASFLAGS := -I$(ARM64) -I$(gen) -include $(AUTOCONF) -g
KERNEL_LDFLAGS := -nostdlib -static -Wl,--build-id=none -Wl,-T,$(ARM64)/kernel.lds

# What the data-abort build must print: --expect-fail options of
# run-qemu.sh, each an extended regex that some line of the console must
# match: the data abort's class, ELR and FAR (the demo reads 0xdead000000).
QEMU_EXPECT_data-abort := --expect-fail 'EC=0x25 \(data abort, same EL\)' \
	--expect-fail 'ELR=0x[0-9a-f]{16} FAR=0x000000dead000000' \
	--expect-fail '^pagealloc demo: FAIL exception EC=0x25'

include demo/demo.mk
