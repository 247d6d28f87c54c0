/* SPDX-License-Identifier: MIT */
/*
 * Declarations shared by the C and assembly files of the riscv64 port and
 * demo kernel: QEMU virt's devices, the CSR bits used, per-CPU stacks, and
 * the symbols of head.S and kernel.lds; demo/demo.h has the rest.
 *
 * The kernel runs in M-mode (QEMU -bios none): physical addresses, no MMU,
 * machine interrupts disabled throughout (the port's hooks still save and
 * restore mstatus.MIE, as a kernel that takes interrupts needs).
 */
#ifndef RISCV64_H
#define RISCV64_H

/* QEMU virt: the NS16550A UART, the CLINT's mtime, the SiFive test finisher. */
#define UART0_BASE 0x10000000UL
#define CLINT_MTIME 0x0200bff8UL
#define SIFIVE_TEST 0x00100000UL
#define SIFIVE_TEST_PASS 0x5555
#define SIFIVE_TEST_FAIL 0x3333 /* with the exit status in bits 31:16 */
#define VIRT_TIMEBASE_HZ 10000000 /* the DTB's timebase-frequency, if absent */

#define MSTATUS_MIE 0x8

/* Size of each CPU's stack (a multiple of 16), and how many there are. */
#define RISCV64_STACK_SIZE 0x4000
#define RISCV64_MAX_CPUS CONFIG_PA_NR_CPUS

/* The trap frame head.S builds on the stack: x1..x31, then the CSRs. */
#define TRAP_FRAME_X(n) ((n) * 8) /* x0's slot holds nothing */
#define TRAP_FRAME_MCAUSE (32 * 8)
#define TRAP_FRAME_MEPC (33 * 8)
#define TRAP_FRAME_MTVAL (34 * 8)
#define TRAP_FRAME_SIZE (36 * 8) /* a multiple of 16 */

#ifndef __ASSEMBLER__
#include "demo.h"

#define csr_read(csr)                                                 \
	({                                                            \
		unsigned long __v;                                    \
		__asm__ volatile("csrr %0, " #csr : "=r"(__v));       \
		__v;                                                  \
	})

/* head.S: the parked harts' release, and the trap report's entry. */
extern unsigned long release_hart, release_cpu;
_Noreturn void boot_main(unsigned long hartid, unsigned long dtb_pa);
_Noreturn void trap_report(unsigned long *frame);

/* uart.c */
void uart_init(void);

_Static_assert(TRAP_FRAME_SIZE % 16 == 0, "the trap frame keeps sp 16-byte aligned");
_Static_assert(RISCV64_STACK_SIZE % 16 == 0, "stacks keep sp 16-byte aligned");
#endif

#endif /* RISCV64_H */
