/* SPDX-License-Identifier: MIT */
/*
 * Entry points of the pagealloc demo kernel for QEMU's riscv64 virt
 * machine, in M-mode with -bios none: every hart starts at _start at once,
 * from QEMU's reset vector, with interrupts disabled and no MMU.  One hart
 * wins the lottery and boots; the others park until boot_main() names
 * them (arch_start_cpu()).  Also the trap entry, which only reports: the
 * demo expects no trap of any kind.
 *
 * Register use:
 *
 *   reg   every hart on entry    boot hart              parked harts
 *   ----  ---------------------  ---------------------  ----------------------
 *   a0    mhartid (in)           -> boot_main(a0, a1)   -> secondary_main(cpu)
 *   a1    DTB address (in)       kept in s1             -
 *   s0    -                      mhartid                mhartid
 *   tp    -                      logical CPU 0          logical CPU, from
 *                                                       release_cpu
 *   sp    -                      top of cpu_stacks[0]   top of cpu_stacks[tp]
 *
 * tp holds the logical CPU id for pa_port_cpu_id() (the ABI reserves it;
 * the compiler never allocates it).  gp is unused: the kernel is built
 * with -mno-relax, so nothing is addressed relative to it.
 */
#include "riscv64.h"

/* sp = the top of cpu_stacks[\cpu]: the stack of logical CPU \cpu. */
	.macro	stack_top, cpu, tmp
	la	sp, cpu_stacks
	addi	\tmp, \cpu, 1
	slli	\tmp, \tmp, 14
	.if RISCV64_STACK_SIZE != (1 << 14)
	.error "stack_top assumes 16 KiB stacks"
	.endif
	add	sp, sp, \tmp
	.endm

	.section .text.entry, "ax"
	.globl	_start
_start:
	csrw	mie, zero
	csrci	mstatus, MSTATUS_MIE
	la	t0, trap_entry
	csrw	mtvec, t0
	mv	s0, a0
	mv	s1, a1
	/* The first hart to swap a 1 in boots; the rest wait to be named. */
	la	t0, boot_lottery
	li	t1, 1
	amoswap.w t1, t1, (t0)
	bnez	t1, park

	/* Clear .bss (8-byte aligned, the linker script checks). */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	li	tp, 0
	stack_top tp, t0
	mv	a0, s0
	mv	a1, s1
	call	boot_main			/* does not return */
	j	cpu_park

/*
 * A parked hart reads nothing but release_hart (in .data: the boot hart
 * clears .bss meanwhile) until it holds its own hart id; release_cpu,
 * written before it, is then its logical CPU.
 */
park:
	la	t0, release_hart
1:	ld	t1, 0(t0)
	bne	t1, s0, 1b
	fence	r, rw				/* acquire: release_cpu after release_hart */
	la	t0, release_cpu
	ld	tp, 0(t0)
	li	t1, RISCV64_MAX_CPUS
	bgeu	tp, t1, cpu_park
	stack_top tp, t0
	mv	a0, tp
	call	secondary_main			/* does not return */
	j	cpu_park

	.globl	cpu_park
cpu_park:
	csrci	mstatus, MSTATUS_MIE
1:	wfi
	j	1b

/*
 * trap_entry - any trap: save the registers and the trap CSRs in a frame
 * on the current stack and report (trap.c).  Direct mode: mtvec is this
 * address, 4-byte aligned.
 */
	.p2align 2
trap_entry:
	addi	sp, sp, -TRAP_FRAME_SIZE
	sd	x1, TRAP_FRAME_X(1)(sp)
	.irp	n, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sd	x\n, TRAP_FRAME_X(\n)(sp)
	.endr
	addi	t0, sp, TRAP_FRAME_SIZE		/* sp as it was */
	sd	t0, TRAP_FRAME_X(2)(sp)
	csrr	t0, mcause
	sd	t0, TRAP_FRAME_MCAUSE(sp)
	csrr	t0, mepc
	sd	t0, TRAP_FRAME_MEPC(sp)
	csrr	t0, mtval
	sd	t0, TRAP_FRAME_MTVAL(sp)
	mv	a0, sp
	call	trap_report			/* does not return */
	j	cpu_park

	.section .data
	.p2align 3
boot_lottery:
	.word	0
	.p2align 3
	.globl	release_hart, release_cpu
release_hart:
	.dword	-1
release_cpu:
	.dword	0

/* One stack per possible CPU, indexed by logical CPU id; not zeroed. */
	.section .stacks, "aw", @nobits
	.p2align 4
cpu_stacks:
	.space	RISCV64_STACK_SIZE * RISCV64_MAX_CPUS
