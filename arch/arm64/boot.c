// SPDX-License-Identifier: MIT
/*
 * The arm64 side of the demo kernel (the rest is demo/): boot_main(), which
 * head.S calls on the boot CPU with the MMU off, and the arch_*() services
 * of demo/demo.h: the generic timer, the identity map, PSCI CPU_ON for the
 * other CPUs, whose hardware id is their MPIDR affinity.
 */
#include "arm64.h"
#include <pagealloc/pagealloc.h>

static struct fdt_info dt;

uint64_t arch_timer_count(void)
{
	return timer_count();
}

uint64_t arch_timer_freq(void)
{
	return timer_freq();
}

void arch_cpu_relax(void)
{
	cpu_relax();
}

bool arch_ram_usable(uint64_t base, uint64_t end)
{
	return mmu_ram_mapped(base, end);
}

static uint64_t mpidr_aff(uint64_t mpidr)
{
	return mpidr & 0xff00ffffffULL; /* Aff3, Aff2, Aff1, Aff0 */
}

uint64_t arch_boot_cpu_hwid(void)
{
	return mpidr_aff(read_sysreg(mpidr_el1));
}

const char *arch_smp_init(const struct fdt_info *info, unsigned int nr)
{
	psci_setup(info->psci, info->psci_cpu_on);
	return nr > 1 && !psci_available() ? "no usable /psci method" : NULL;
}

const char *arch_start_cpu(unsigned int cpu, uint64_t hwid)
{
	int64_t rc = psci_cpu_on(hwid, (uintptr_t)secondary_entry, cpu);

	return rc ? psci_strerror(rc) : NULL;
}

void arch_wake_cpus(void)
{
	__asm__ volatile("sev" : : : "memory");
}

/*
 * arm64 Linux 6.12's zone_sizes_init(): ZONE_DMA up to the lowest
 * dma-ranges limit of the DTB (of_dma_get_max_cpu_address()), within
 * 4 GiB when memory starts below it; ZONE_DMA32 up to 4 GiB.  With no
 * dma-ranges, as on QEMU's virt machine, ZONE_DMA takes all memory below
 * 4 GiB and ZONE_DMA32 is empty.  Each limit stops at the end of memory
 * (max_zone_phys()).
 */
void arch_zones(const struct fdt_info *info, uint64_t dram_start, uint64_t dram_end)
{
	uint64_t dma = info->dma_max_cpu_addr, dma32 = 0xffffffffULL;

	if (dram_start < 0xffffffffULL && dma > 0xffffffffULL)
		dma = 0xffffffffULL;
	if (dma > dram_end - 1)
		dma = dram_end - 1;
	if (dma32 > dram_end - 1)
		dma32 = dram_end - 1;
	if (IS_ENABLED(CONFIG_PA_ZONE_DMA))
		demo_zone_limit(PA_ZONE_DMA, dma + 1);
	if (IS_ENABLED(CONFIG_PA_ZONE_DMA32))
		demo_zone_limit(PA_ZONE_DMA32, (IS_ENABLED(CONFIG_PA_ZONE_DMA) && dma > dma32 ? dma : dma32) + 1);
}

void arch_reserve(void (*reserve)(const char *what, uint64_t base, uint64_t size))
{
	reserve("page tables", (uintptr_t)__pgtables_start,
		(uintptr_t)(__pgtables_end - __pgtables_start));
}

/* Map the DTB's memory and the devices, and turn the MMU on. */
static void map_memory(void)
{
	for (unsigned int i = 0; i < dt.nr_mem; i++) {
		uint64_t base = dt.mem[i].base, end = base + dt.mem[i].size;

		if (mmu_map_ram(base, end))
			kprintf("pagealloc demo: cannot map memory [0x%lx-0x%lx)\n",
				(unsigned long)base, (unsigned long)end);
	}
	mmu_map_devices();
	mmu_enable_boot();
}

_Noreturn void boot_main(uint64_t dtb_pa)
{
	uint64_t isar0 = read_sysreg(id_aa64isar0_el1);

	console_init();
	kprintf("\npagealloc demo: arm64 kernel at 0x%lx-0x%lx, MPIDR 0x%lx, DTB at 0x%lx\n",
		(unsigned long)(uintptr_t)__image_start, (unsigned long)(uintptr_t)__image_end,
		(unsigned long)read_sysreg(mpidr_el1), (unsigned long)dtb_pa);
	kprintf("pagealloc demo: LSE atomics %s (the build uses LL/SC)\n",
		((isar0 >> 20) & 0xf) >= 2 ? "yes" : "no");
	if (fdt_parse(dtb_pa, &dt))
		demo_fail("cannot read the DTB at 0x%lx", (unsigned long)dtb_pa);
	kprintf("pagealloc demo: DTB: %u memory range(s), %u reservation(s), %u CPU(s), PSCI %s\n",
		dt.nr_mem, dt.nr_resv, dt.nr_cpus,
		dt.psci == PSCI_HVC ? "hvc" : dt.psci == PSCI_SMC ? "smc" : "none");
	for (unsigned int i = 0; i < dt.nr_cpus; i++)
		dt.cpu_hwid[i] = mpidr_aff(dt.cpu_hwid[i]);
	map_memory();
	console_set_smp();
	kprintf("pagealloc demo: MMU on (identity map, 4K granule)\n");
	demo_main("arm64", &dt);
}
