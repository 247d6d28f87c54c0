/* SPDX-License-Identifier: MIT */
/*
 * The EL1 exception vector table.  The demo kernel takes no interrupts
 * (DAIF stays masked) and expects no exception at all, so every entry
 * reports what happened and ends the run with a failure:
 * exception_report() prints the kind, ESR_EL1's exception class, ESR, ELR
 * and FAR and the registers, then exits QEMU with status 1.
 *
 * Register use:
 *   sp    on entry: the interrupted context's SP_EL1 (we run on SP_ELx);
 *         a frame of EXC_FRAME_SIZE bytes is pushed on it.
 *   x0    the frame pointer passed to exception_report()
 *   x1    the vector index 0..15 (group * 4 + kind), see vector_names[]
 *   x2-x4 scratch, after they were saved
 *
 * The table is 2 KiB aligned and made of 16 entries of 128 bytes; both are
 * checked at assembly time below, and again by the linker script.
 */
#include "asm.h"

/*
 * vector_entry - one 128-byte slot: save x0/x1, load the index, join the
 * common path.  .org places slot n at vectors + n * 128 (and fails to
 * assemble if the previous slot ran past that); .error if this one would
 * overflow into the next.
 */
	.macro vector_entry, index
	.org	vectors + \index * VECTOR_ENTRY_SIZE
vector_\index:
	sub	sp, sp, #EXC_FRAME_SIZE
	stp	x0, x1, [sp, #EXC_FRAME_X0]
	mov	x1, #\index
	b	exception_common
	.if (. - vector_\index) > VECTOR_ENTRY_SIZE
	.error "exception vector entry larger than 128 bytes"
	.endif
	.endm

	.section .text.vectors, "ax"
	.p2align 11
	.globl	vectors
vectors:
	/* Current EL with SP_EL0 */
	vector_entry 0		/* synchronous */
	vector_entry 1		/* IRQ */
	vector_entry 2		/* FIQ */
	vector_entry 3		/* SError */
	/* Current EL with SP_ELx: where this kernel runs */
	vector_entry 4
	vector_entry 5
	vector_entry 6
	vector_entry 7
	/* Lower EL, AArch64 (unused: nothing runs at EL0) */
	vector_entry 8
	vector_entry 9
	vector_entry 10
	vector_entry 11
	/* Lower EL, AArch32 */
	vector_entry 12
	vector_entry 13
	vector_entry 14
	vector_entry 15
	/* Exactly 2 KiB: pads the last slot, fails if it overflowed. */
	.org	vectors + VECTOR_TABLE_SIZE
	.globl	vectors_end
vectors_end:
	.size	vectors, vectors_end - vectors

/*
 * exception_common - finish the frame (x0/x1 are saved already, x1 holds
 * the index) and hand it to C.  Does not return.
 */
exception_common:
	stp	x2, x3, [sp, #(2 * 8)]
	stp	x4, x5, [sp, #(4 * 8)]
	stp	x6, x7, [sp, #(6 * 8)]
	stp	x8, x9, [sp, #(8 * 8)]
	stp	x10, x11, [sp, #(10 * 8)]
	stp	x12, x13, [sp, #(12 * 8)]
	stp	x14, x15, [sp, #(14 * 8)]
	stp	x16, x17, [sp, #(16 * 8)]
	stp	x18, x19, [sp, #(18 * 8)]
	stp	x20, x21, [sp, #(20 * 8)]
	stp	x22, x23, [sp, #(22 * 8)]
	stp	x24, x25, [sp, #(24 * 8)]
	stp	x26, x27, [sp, #(26 * 8)]
	stp	x28, x29, [sp, #(28 * 8)]
	add	x2, sp, #EXC_FRAME_SIZE		/* SP before the exception */
	stp	x30, x2, [sp, #(30 * 8)]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #EXC_FRAME_ELR]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #EXC_FRAME_ESR]
	mov	x0, sp
	mov	x29, #0
	bl	exception_report
	b	cpu_park
	.size	exception_common, . - exception_common
