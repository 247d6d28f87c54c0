/* SPDX-License-Identifier: MIT */
/*
 * Assembler helpers and architectural constants shared by the arm64 boot
 * code (.S) and the C side of the demo kernel.  Everything here is plain
 * numbers or assembler macros, so it is safe to include from both.
 */
#ifndef ARM64_ASM_H
#define ARM64_ASM_H

/* Size of each CPU's boot/run stack (a multiple of 16). */
#define ARM64_STACK_SIZE 0x4000

/* Logical CPUs the kernel can run: the library's upper bound. */
#define ARM64_MAX_CPUS CONFIG_PA_NR_CPUS

/* The PL011 UART of QEMU's virt machine. */
#define PL011_BASE 0x09000000UL

/* Physical memory the identity map can describe (T0SZ = 25: 39-bit VA). */
#define ARM64_VA_BITS 39
#define ARM64_T0SZ (64 - ARM64_VA_BITS)

/*
 * SCTLR_EL1.  The RES1 bits of ARMv8.0 (bits 11, 20, 22, 23, 28, 29), SA
 * (stack alignment check), and later M, C and I once the page tables exist.
 * A (alignment check) stays clear; EE and E0E clear: little endian.
 */
#define SCTLR_EL1_RES1 ((1 << 11) | (1 << 20) | (1 << 22) | (1 << 23) | (1 << 28) | (1 << 29))
#define SCTLR_EL1_M (1 << 0)
#define SCTLR_EL1_C (1 << 2)
#define SCTLR_EL1_SA (1 << 3)
#define SCTLR_EL1_I (1 << 12)
#define SCTLR_EL1_BOOT (SCTLR_EL1_RES1 | SCTLR_EL1_SA)

/*
 * MAIR_EL1 attribute indexes used by the page tables.
 *   0: Device-nGnRE (MMIO)
 *   1: Normal, inner/outer write-back, read- and write-allocate (RAM)
 *   2: Normal, non-cacheable (unused, for completeness)
 */
#define MT_DEVICE_nGnRE 0
#define MT_NORMAL 1
#define MT_NORMAL_NC 2
#define MAIR_EL1_VALUE ((0x04 << (8 * MT_DEVICE_nGnRE)) | (0xff << (8 * MT_NORMAL)) | \
			(0x44 << (8 * MT_NORMAL_NC)))

/*
 * TCR_EL1: TTBR0 only (EPD1 set), 4K granule, inner-shareable write-back
 * write-allocate walks, T0SZ as above.  IPS is filled in at run time from
 * ID_AA64MMFR0_EL1.PARange.
 */
#define TCR_T0SZ(x) (x)
#define TCR_IRGN0_WBWA (1 << 8)
#define TCR_ORGN0_WBWA (1 << 10)
#define TCR_SH0_INNER (3 << 12)
#define TCR_TG0_4K (0 << 14)
#define TCR_EPD1 (1 << 23)
#define TCR_IPS_SHIFT 32
#define TCR_EL1_VALUE (TCR_T0SZ(ARM64_T0SZ) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | \
		       TCR_SH0_INNER | TCR_TG0_4K | TCR_EPD1)

/* Exception vector table geometry. */
#define VECTOR_ENTRY_SIZE 0x80
#define VECTOR_TABLE_SIZE 0x800

/* The register frame the vectors build on the stack (see vectors.S). */
#define EXC_FRAME_X0 0          /* x0..x30 at 8 * n */
#define EXC_FRAME_SP (31 * 8)
#define EXC_FRAME_ELR (32 * 8)
#define EXC_FRAME_SPSR (33 * 8)
#define EXC_FRAME_ESR (34 * 8)
#define EXC_FRAME_FAR (35 * 8)
#define EXC_FRAME_SIZE (36 * 8) /* a multiple of 16 */

#ifdef __ASSEMBLER__

/*
 * adr_l - load the address of @sym, anywhere within +-4 GiB of the PC.
 * The kernel runs at its link address (head.S checks), so this is the same
 * as its absolute address, with or without the MMU.
 */
	.macro adr_l, reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
	.endm

/* func - open a global function @name in .text with ELF type and size. */
	.macro func, name
	.section .text.\name, "ax"
	.type	\name, %function
	.globl	\name
	.p2align 2
\name:
	.endm

	.macro endfunc, name
	.size	\name, . - \name
	.endm

/*
 * declare_stacks - reserve @count stacks of @size bytes each, 16-byte
 * aligned, in the .stacks section (never loaded or cleared: the boot CPU
 * runs on one while it clears .bss).  Stack n occupies
 * [name + n * size, name + (n + 1) * size) and grows down from its end.
 */
	.macro declare_stacks, name, size, count
	.if ((\size) % 16) != 0
	.error "stack size must be a multiple of 16"
	.endif
	.section .stacks, "aw", %nobits
	.p2align 4
	.globl	\name
\name:
	.space	(\size) * (\count)
	.size	\name, . - \name
	.endm

/*
 * stack_top - @out = the initial SP of logical CPU @cpu (a register) in the
 * stacks declared as @name.  Clobbers @tmp.
 */
	.macro stack_top, out, cpu, name, size, tmp
	adr_l	\out, \name
	mov	\tmp, #(\size)
	madd	\out, \cpu, \tmp, \out
	add	\out, \out, \tmp
	.endm

#endif /* __ASSEMBLER__ */

#endif /* ARM64_ASM_H */
