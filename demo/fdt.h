/* SPDX-License-Identifier: MIT */
/*
 * A minimal reader of the flattened device tree (FDT, "DTB") the loader
 * passes the boot CPU (arm64's x0, riscv's a1): just what the demo
 * kernels need to know about the machine.
 */
#ifndef DEMO_FDT_H
#define DEMO_FDT_H

#include <stdint.h>
#include <stdbool.h>

/* How /psci says to call the firmware (arm64). */
enum psci_conduit { PSCI_NONE, PSCI_HVC, PSCI_SMC };

#define FDT_MAX_MEM 32
#define FDT_MAX_RESV 64
#define FDT_MAX_CPUS 256

struct fdt_range {
	uint64_t base;
	uint64_t size;
	const char *what; /* where it came from, for the boot log */
};

struct fdt_info {
	uint64_t dtb_pa;
	uint32_t dtb_size; /* header totalsize */

	/* /memory nodes' reg, in the root's #address-cells/#size-cells. */
	struct fdt_range mem[FDT_MAX_MEM];
	unsigned int nr_mem;

	/* The memory reservation block, /reserved-memory children, initrd. */
	struct fdt_range resv[FDT_MAX_RESV];
	unsigned int nr_resv;

	/* /cpus/cpu@N "reg": the hardware id (arm64 MPIDR affinity, riscv hart id), in DTB order. */
	uint64_t cpu_hwid[FDT_MAX_CPUS];
	unsigned int nr_cpus;
	/* /cpus "timebase-frequency" (riscv's timer), 0 when absent. */
	uint32_t timebase_hz;

	/* /psci */
	enum psci_conduit psci;
	uint32_t psci_cpu_on; /* PSCI 0.1 function id, 0 for 0.2+ */

	/*
	 * The highest CPU address every device can reach for DMA, as Linux's
	 * of_dma_get_max_cpu_address(NULL): the lowest end of the
	 * "dma-ranges" of any enabled node, ~0 when no node narrows it.
	 */
	uint64_t dma_max_cpu_addr;

	unsigned int nr_dropped; /* entries beyond the tables above */
};

/*
 * fdt_parse - validate the DTB at @dtb_pa and fill @info.
 * Safe with the MMU off (aligned 32-bit reads only).
 * Return: 0, or a negative number after printing what is wrong.
 */
int fdt_parse(uint64_t dtb_pa, struct fdt_info *info);

#endif /* DEMO_FDT_H */
