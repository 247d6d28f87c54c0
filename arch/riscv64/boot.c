// SPDX-License-Identifier: MIT
/*
 * The riscv64 side of the demo kernel (the rest is demo/): boot_main(),
 * which head.S calls on the hart that won the lottery, and the arch_*()
 * services of demo/demo.h.  M-mode, no MMU: all RAM is usable as it is;
 * the other harts are already running, parked in head.S until
 * arch_start_cpu() names them; the timer is the CLINT's mtime; the run
 * ends through QEMU's SiFive test finisher, whose status QEMU exits with.
 */
#include "riscv64.h"
#include <pagealloc/pagealloc.h>

static struct fdt_info dt;
static uint64_t timebase_hz = VIRT_TIMEBASE_HZ;

uint64_t arch_timer_count(void)
{
	return *(volatile uint64_t *)CLINT_MTIME;
}

uint64_t arch_timer_freq(void)
{
	return timebase_hz;
}

void arch_cpu_relax(void)
{
	__asm__ volatile("nop" : : : "memory");
}

bool arch_ram_usable(uint64_t base, uint64_t end)
{
	(void)base, (void)end;
	return true; /* M-mode, no translation */
}

uint64_t arch_boot_cpu_hwid(void)
{
	return csr_read(mhartid);
}

const char *arch_smp_init(const struct fdt_info *info, unsigned int nr)
{
	(void)info, (void)nr;
	return NULL; /* every hart is parked in head.S already */
}

/* Name hart @hwid logical CPU @cpu: release_cpu first, then (release) the hart id it waits for. */
const char *arch_start_cpu(unsigned int cpu, uint64_t hwid)
{
	if (hwid == arch_boot_cpu_hwid())
		return "it is the boot hart";
	__atomic_store_n(&release_cpu, cpu, __ATOMIC_RELAXED);
	__atomic_store_n(&release_hart, hwid, __ATOMIC_RELEASE);
	return NULL;
}

void arch_wake_cpus(void)
{
}

/*
 * riscv Linux 6.12's zone_sizes_init(): no ZONE_DMA (the defconfig
 * leaves it out, so GFP_DMA means Normal, as there), ZONE_DMA32 up to
 * 4 GiB or the end of memory.
 */
void arch_zones(const struct fdt_info *info, uint64_t dram_start, uint64_t dram_end)
{
	(void)info, (void)dram_start;
	if (IS_ENABLED(CONFIG_PA_ZONE_DMA32))
		demo_zone_limit(PA_ZONE_DMA32, dram_end < 0x100000000ULL ? dram_end : 0x100000000ULL);
}

void arch_reserve(void (*reserve)(const char *what, uint64_t base, uint64_t size))
{
	(void)reserve; /* nothing beyond the image: no page tables */
}

_Noreturn void system_exit(int status)
{
	uint32_t v = status ? ((uint32_t)status << 16) | SIFIVE_TEST_FAIL : SIFIVE_TEST_PASS;

	*(volatile uint32_t *)SIFIVE_TEST = v;
	cpu_park();
}

_Noreturn void boot_main(unsigned long hartid, unsigned long dtb_pa)
{
	uart_init();
	kprintf("\npagealloc demo: riscv64 kernel at 0x%lx-0x%lx, M-mode, hart %lu, DTB at 0x%lx\n",
		(unsigned long)(uintptr_t)__image_start, (unsigned long)(uintptr_t)__image_end,
		hartid, dtb_pa);
	if (fdt_parse(dtb_pa, &dt))
		demo_fail("cannot read the DTB at 0x%lx", dtb_pa);
	if (dt.timebase_hz)
		timebase_hz = dt.timebase_hz;
	kprintf("pagealloc demo: DTB: %u memory range(s), %u reservation(s), %u hart(s), "
		"timebase %lu Hz\n",
		dt.nr_mem, dt.nr_resv, dt.nr_cpus, (unsigned long)timebase_hz);
	console_set_smp();
	demo_main("riscv64", &dt);
}
