/* SPDX-License-Identifier: MIT */
/*
 * Entry points of the pagealloc demo kernel: the arm64 Image header, the
 * boot CPU's entry from the loader, the secondary CPUs' entry from PSCI
 * CPU_ON, and the few routines that must be written in assembly (MMU
 * enable, cache maintenance, park).
 *
 * The loader (QEMU's -kernel, or any arm64 Linux boot protocol loader)
 * enters primary_entry at EL1 (or EL2, which is refused) with the MMU and
 * D-cache off, and:
 *
 * Register use on entry and in this file:
 *
 *   reg   primary_entry                   secondary_entry
 *   ----  ------------------------------  ------------------------------
 *   x0    DTB physical address (in)       PSCI context id = logical CPU
 *   x1-3  0 (unused)                      undefined
 *   x19   DTB physical address (kept)     -
 *   x20   logical CPU index (0)           logical CPU index
 *   x21   -                               -
 *   sp    this CPU's stack, from          this CPU's stack, from
 *         cpu_stacks[x20]                 cpu_stacks[x20]
 *
 * x0-x18 are scratch here; x19 and x20 survive calls (callee-saved in
 * AAPCS64).  TPIDR_EL1 holds the logical CPU index for pa_port_cpu_id().
 *
 * The image is linked to run at its load address (0x40200000 on QEMU
 * virt: RAM base + 2 MiB, because text_offset is 0); primary_entry checks
 * this before touching memory through absolute addresses.
 */
#include "asm.h"

/* Image header flags: little endian, 4K kernel page size, 2 MiB aligned
 * base as close as possible to the start of DRAM. */
#define IMAGE_FLAG_BE 0
#define IMAGE_FLAG_PAGE_4K (1 << 1)
#define IMAGE_FLAG_PHYS_ANYWHERE 0
#define IMAGE_FLAGS (IMAGE_FLAG_BE | IMAGE_FLAG_PAGE_4K | IMAGE_FLAG_PHYS_ANYWHERE)

	.section .head.text, "ax"
	.globl	_head
_head:
	/* code0/code1: branch over the header (the second word is unused). */
	b	primary_entry
	.long	0
	.quad	0			/* text_offset from a 2 MiB base */
	.quad	__image_size		/* bytes the image needs, .bss and stacks included */
	.quad	IMAGE_FLAGS
	.quad	0			/* res2 */
	.quad	0			/* res3 */
	.quad	0			/* res4 */
	.ascii	"ARM\x64"		/* magic, offset 56 */
	.long	0			/* res5: no PE/COFF header */
	.if (. - _head) != 64
	.error "the arm64 Image header must be 64 bytes"
	.endif

/* --------------------------------------------------------------------------
 * primary_entry - the boot CPU, from the loader.
 */
func primary_entry
	mov	x19, x0
	msr	daifset, #0xf			/* everything masked, always */

	mrs	x1, CurrentEL
	cmp	x1, #(1 << 2)
	b.ne	wrong_el

	/* Running where we were linked?  Else absolute addresses are wrong. */
	adr	x1, _head
	ldr	x2, =_head
	cmp	x1, x2
	b.ne	wrong_address

	ldr	x1, =SCTLR_EL1_BOOT
	msr	sctlr_el1, x1
	isb
	adr_l	x1, vectors
	msr	vbar_el1, x1
	isb

	/* Clear .bss (16-byte aligned, the linker script checks). */
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:
	mov	x20, #0
	msr	tpidr_el1, x20
	stack_top x1, x20, cpu_stacks, ARM64_STACK_SIZE, x2
	mov	sp, x1
	mov	x29, #0
	mov	x30, #0

	mov	x0, x19
	bl	boot_main			/* does not return */
	b	cpu_park
endfunc primary_entry

/* --------------------------------------------------------------------------
 * secondary_entry - another CPU, started by PSCI CPU_ON at EL1 with the
 * MMU off; x0 is the context id the boot CPU passed: its logical index.
 */
func secondary_entry
	msr	daifset, #0xf
	mov	x20, x0
	cmp	x20, #ARM64_MAX_CPUS
	b.hs	cpu_park

	ldr	x1, =SCTLR_EL1_BOOT
	msr	sctlr_el1, x1
	isb
	adr_l	x1, vectors
	msr	vbar_el1, x1
	msr	tpidr_el1, x20
	isb

	stack_top x1, x20, cpu_stacks, ARM64_STACK_SIZE, x2
	mov	sp, x1
	mov	x29, #0
	mov	x30, #0

	bl	mmu_enable			/* the boot CPU's tables */
	mov	x0, x20
	bl	secondary_main			/* does not return */
	b	cpu_park
endfunc secondary_entry

/* Not at EL1 (e.g. -M virtualization=on enters at EL2): say so and stop. */
func wrong_el
	adr	x0, msg_wrong_el
	b	early_fail
endfunc wrong_el

func wrong_address
	adr	x0, msg_wrong_address
	b	early_fail
endfunc wrong_address

/*
 * early_fail - print the string at x0 on the PL011 without a stack or the
 * MMU, then exit QEMU with status 1 (semihosting) or park.
 */
func early_fail
	mov	x1, #PL011_BASE
1:	ldrb	w2, [x0], #1
	cbz	w2, 3f
2:	ldr	w3, [x1, #0x18]			/* UARTFR */
	tbnz	w3, #5, 2b			/* TXFF */
	str	w2, [x1]			/* UARTDR */
	b	1b
3:	adr	x1, early_exit_block
	mov	x0, #0x18			/* SYS_EXIT */
	hlt	#0xf000
	b	cpu_park
endfunc early_fail

/* --------------------------------------------------------------------------
 * mmu_enable - load MAIR/TCR/TTBR0 for the identity map built by mmu.c and
 * turn on the MMU and both caches on this CPU.  Called with the MMU off;
 * the map is an identity map, so execution continues at the next
 * instruction.  Clobbers x0-x2.
 */
func mmu_enable
	ldr	x0, =MAIR_EL1_VALUE
	msr	mair_el1, x0

	ldr	x0, =TCR_EL1_VALUE
	mrs	x1, id_aa64mmfr0_el1
	ubfx	x1, x1, #0, #4			/* PARange */
	cmp	x1, #5				/* 48 bits: the most a 4K map needs */
	mov	x2, #5
	csel	x1, x1, x2, ls
	bfi	x0, x1, #TCR_IPS_SHIFT, #3
	msr	tcr_el1, x0

	adr_l	x0, mmu_l1_table
	msr	ttbr0_el1, x0
	isb

	tlbi	vmalle1
	ic	iallu
	dsb	nsh
	isb

	mrs	x0, sctlr_el1
	ldr	x1, =(SCTLR_EL1_M | SCTLR_EL1_C | SCTLR_EL1_I)
	orr	x0, x0, x1
	msr	sctlr_el1, x0
	isb
	ret
endfunc mmu_enable

/*
 * dcache_inval_range - invalidate the data cache lines covering
 * [x0, x1) to the point of coherency.  Used before the MMU is on, so that
 * no stale line (from the loader) hides what was written with caches off.
 */
func dcache_inval_range
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4			/* DminLine: log2(words) */
	mov	x2, #4
	lsl	x2, x2, x3			/* line size in bytes */
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	cmp	x0, x1
	b.hs	2f
	dc	ivac, x0
	add	x0, x0, x2
	b	1b
2:	dsb	sy
	ret
endfunc dcache_inval_range

/* cpu_park - stop this CPU for good (interrupts are masked). */
func cpu_park
	msr	daifset, #0xf
1:	wfe
	b	1b
endfunc cpu_park

	.section .rodata.head, "a"
msg_wrong_el:
	.asciz	"pagealloc demo: FAIL entered at EL2/EL3, this kernel runs at EL1\n"
msg_wrong_address:
	.asciz	"pagealloc demo: FAIL loaded at the wrong address (linked for 0x40200000)\n"
	.p2align 3
early_exit_block:
	.quad	0x20026				/* ADP_Stopped_ApplicationExit */
	.quad	1				/* exit status */

/* One stack per possible CPU, indexed by logical CPU id. */
	declare_stacks cpu_stacks, ARM64_STACK_SIZE, ARM64_MAX_CPUS
