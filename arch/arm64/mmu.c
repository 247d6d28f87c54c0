// SPDX-License-Identifier: MIT
/*
 * The identity map: stage-1 EL1 translation tables with a 4 KiB granule
 * and a 39-bit address space (T0SZ 25, walks start at level 1, so one
 * level-1 entry covers 1 GiB and one level-2 entry 2 MiB).
 *
 *   RAM (from the DTB)    Normal write-back, inner shareable, executable
 *   [0, 1 GiB) elsewhere  Device-nGnRE, never executable (QEMU virt's
 *                         UART, GIC, virtio and flash live here)
 *   the rest              unmapped: any access is a translation fault
 *
 * RAM is mapped with 1 GiB blocks where a whole aligned GiB is RAM and
 * 2 MiB blocks otherwise (ranges are widened to 2 MiB; QEMU's RAM is GiB
 * aligned anyway).  The allocator's page size is independent of this
 * granule.  The tables live in .bss.pgtables, inside the image the demo
 * reserves; they are written by the boot CPU with the MMU off and used
 * unchanged by every CPU.
 */
#include "arm64.h"

#define SZ_2M 0x200000ULL
#define SZ_1G 0x40000000ULL
#define ENTRIES 512
#define MAX_L2_TABLES 16 /* 2 MiB-granular GiBs the map can hold */

#define DESC_VALID (1ULL << 0)
#define DESC_TABLE (3ULL << 0)
#define DESC_BLOCK (1ULL << 0)
#define DESC_ATTRIDX(i) ((uint64_t)(i) << 2)
#define DESC_AP_RW_EL1 (0ULL << 6)
#define DESC_SH_INNER (3ULL << 8)
#define DESC_AF (1ULL << 10)
#define DESC_PXN (1ULL << 53)
#define DESC_UXN (1ULL << 54)
#define DESC_ADDR_MASK 0x0000fffffffff000ULL

#define ATTR_RAM (DESC_ATTRIDX(MT_NORMAL) | DESC_AP_RW_EL1 | DESC_SH_INNER | DESC_AF | DESC_UXN)
#define ATTR_DEVICE (DESC_ATTRIDX(MT_DEVICE_nGnRE) | DESC_AP_RW_EL1 | DESC_AF | DESC_PXN | DESC_UXN)

#define VA_LIMIT (1ULL << ARM64_VA_BITS)
#define DEVICE_END SZ_1G

/* mmu_l1_table is what head.S loads into TTBR0_EL1 on every CPU. */
__attribute__((section(".bss.pgtables"), aligned(4096))) uint64_t mmu_l1_table[ENTRIES];
__attribute__((section(".bss.pgtables"), aligned(4096))) static uint64_t
	l2_tables[MAX_L2_TABLES][ENTRIES];
static unsigned int nr_l2_tables;

/* Level-2 table for the GiB at @l1_index, created on first use, or NULL. */
static uint64_t *l2_for(unsigned int l1_index)
{
	uint64_t desc = mmu_l1_table[l1_index];
	uint64_t *l2;

	if ((desc & 3) == DESC_TABLE)
		return (uint64_t *)(uintptr_t)(desc & DESC_ADDR_MASK);
	if (desc & DESC_VALID)
		return NULL; /* a 1 GiB block already covers it */
	if (nr_l2_tables == MAX_L2_TABLES)
		return NULL;
	l2 = l2_tables[nr_l2_tables++];
	mmu_l1_table[l1_index] = (uintptr_t)l2 | DESC_TABLE;
	return l2;
}

/*
 * Map [base, end) (2 MiB aligned) with @attr, leaving anything already
 * mapped as it is.  Return: 0, or -1 when the level-2 tables ran out.
 */
static int map_range(uint64_t base, uint64_t end, uint64_t attr)
{
	uint64_t addr = base;

	while (addr < end) {
		unsigned int l1 = (unsigned int)(addr / SZ_1G);
		uint64_t *l2;

		if (!(addr & (SZ_1G - 1)) && end - addr >= SZ_1G && !mmu_l1_table[l1]) {
			mmu_l1_table[l1] = addr | attr | DESC_BLOCK;
			addr += SZ_1G;
			continue;
		}
		if ((mmu_l1_table[l1] & 3) == DESC_BLOCK) {
			addr = (addr | (SZ_1G - 1)) + 1; /* whole GiB mapped already */
			continue;
		}
		l2 = l2_for(l1);
		if (!l2)
			return -1;
		for (; addr < end && addr / SZ_1G == l1; addr += SZ_2M) {
			unsigned int i = (unsigned int)((addr / SZ_2M) % ENTRIES);

			if (!l2[i])
				l2[i] = addr | attr | DESC_BLOCK;
		}
	}
	return 0;
}

int mmu_map_ram(uint64_t base, uint64_t end)
{
	base &= ~(SZ_2M - 1);
	end = (end + SZ_2M - 1) & ~(SZ_2M - 1);
	if (end <= base || end > VA_LIMIT || base < DEVICE_END)
		return -1;
	return map_range(base, end, ATTR_RAM);
}

void mmu_map_devices(void)
{
	/* Cannot fail: RAM is never below DEVICE_END, so L1[0] is free. */
	(void)map_range(0, DEVICE_END, ATTR_DEVICE);
}

/* Descriptor mapping @addr, or 0. */
static uint64_t lookup(uint64_t addr)
{
	uint64_t desc;

	if (addr >= VA_LIMIT)
		return 0;
	desc = mmu_l1_table[addr / SZ_1G];
	if ((desc & 3) == DESC_TABLE)
		desc = ((uint64_t *)(uintptr_t)(desc & DESC_ADDR_MASK))[(addr / SZ_2M) % ENTRIES];
	return (desc & DESC_VALID) ? desc : 0;
}

bool mmu_ram_mapped(uint64_t base, uint64_t end)
{
	uint64_t addr;

	if (end <= base)
		return false;
	for (addr = base & ~(SZ_2M - 1); addr < end; addr += SZ_2M) {
		uint64_t desc = lookup(addr);

		if (!desc || (desc & DESC_ATTRIDX(7)) != DESC_ATTRIDX(MT_NORMAL))
			return false;
		if ((desc & 3) == DESC_BLOCK && (mmu_l1_table[addr / SZ_1G] & 3) == DESC_BLOCK)
			addr = (addr | (SZ_1G - 1)) + 1 - SZ_2M; /* next GiB */
	}
	return true;
}

void mmu_enable_boot(void)
{
	/*
	 * Everything so far was written with the D-cache off, straight to
	 * memory; drop any line a loader may have left for the image (tables,
	 * .bss, stacks) so the first cached reads see that memory.
	 */
	__asm__ volatile("dsb sy" : : : "memory");
	dcache_inval_range((uintptr_t)__image_start, (uintptr_t)__image_end);
	mmu_enable();
}
