# SPDX-License-Identifier: MIT
#
# riscv64: the bare-metal port (port.c) and the QEMU demo kernel, in M-mode
# on QEMU's virt machine with -bios none.  Included by the top-level
# Makefile with ARCH=riscv64; `make ARCH=riscv64` alone builds only the
# library, with nothing from this file but the default KCFLAGS below.
# The kernel's targets (kernel, qemu, qemu-faults) are demo/demo.mk's.
#
# Knobs: QEMU_SMP (4), QEMU_MEM (2G), QEMU_TIMEOUT (120 s), QEMU
# (qemu-system-riscv64), DEMO_ITERS, QEMU_FAULT.

RISCV64 := arch/riscv64

# The code model and ABI flags of the demo kernel, which the library gets
# too (a kernel's own KCFLAGS replace them): linked at 0x80000000, above
# the 2 GiB that medlow reaches; no linker relaxation, so no gp; no PIE.
KCFLAGS ?= -mcmodel=medany -mno-relax -fno-pie

QEMU ?= qemu-system-riscv64
QEMU_ARGS = -M virt -bios none
QEMU_PKG := qemu-system-misc
QEMU_SMP ?= 4
QEMU_MEM ?= 2G
QEMU_TIMEOUT ?= 120

DEMO_ARCH := $(RISCV64)
DEMO_ARCH_C := boot.c port.c uart.c trap.c
DEMO_ARCH_S := head.S
DEMO_BIN := elf
DEMO_DEPS := qemu-riscv64

KERNEL_CFLAGS := $(LIB_CFLAGS) -nostdlib
KERNEL_ASFLAGS := $(KCFLAGS) -I$(RISCV64) -I$(gen) -include $(AUTOCONF) -g
KERNEL_LDFLAGS := -nostdlib -static -no-pie -Wl,--no-relax -Wl,--build-id=none \
	-Wl,-T,$(RISCV64)/kernel.lds

# What the data-abort build must print (demo/run-qemu.sh --expect-fail):
# the load access fault of reading 0xdead000000, where QEMU's virt machine
# has nothing.
QEMU_EXPECT_data-abort := --expect-fail 'mcause=5 \(load access fault\)' \
	--expect-fail 'mepc=0x[0-9a-f]{16} mtval=0x000000dead000000' \
	--expect-fail '^pagealloc demo: FAIL exception mcause=5'

include demo/demo.mk
