/* SPDX-License-Identifier: MIT */
/*
 * Declarations shared by the C files of the arm64 port and demo kernel:
 * system-register access, PSCI, the identity map, and the symbols of
 * head.S and kernel.lds; demo/demo.h has the rest (console, exit, the
 * arch_*() services this port gives the shared demo).
 */
#ifndef ARM64_ARM64_H
#define ARM64_ARM64_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "asm.h"
#include "demo.h"

#define read_sysreg(reg)                                              \
	({                                                            \
		uint64_t __v;                                         \
		__asm__ volatile("mrs %0, " #reg : "=r"(__v));        \
		__v;                                                  \
	})

#define write_sysreg(reg, v) __asm__ volatile("msr " #reg ", %0" : : "r"((uint64_t)(v)) : "memory")

static inline void isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}

static inline void cpu_relax(void)
{
	__asm__ volatile("yield" : : : "memory");
}

/* The architected counter, for timeouts. */
static inline uint64_t timer_count(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

static inline uint64_t timer_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

/* ------------------------------------------------------------ linker/head.S */
extern char __bss_start[], __bss_end[];
extern char __pgtables_start[], __pgtables_end[];
extern char __stacks_start[], __stacks_end[];
extern char secondary_entry[];

void mmu_enable(void);
void dcache_inval_range(uintptr_t start, uintptr_t end);

/* The boot CPU's entry from head.S (boot.c); the others enter secondary_main(). */
_Noreturn void boot_main(uint64_t dtb_pa);

/* ------------------------------------------------------------ uart.c */
void console_init(void);

/* ------------------------------------------------------------ psci.c */
void psci_setup(enum psci_conduit conduit, uint32_t cpu_on_fn);
bool psci_available(void);
int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context);
const char *psci_strerror(int64_t err);
/* Set once system_exit() has started. */
extern bool exit_in_progress;

/* ------------------------------------------------------------ mmu.c */
/* Add [base, end) to the identity map as normal memory; 0 or -1. */
int mmu_map_ram(uint64_t base, uint64_t end);
/* Map the MMIO window, compute nothing else; call once after the RAM. */
void mmu_map_devices(void);
/* Is [base, end) fully covered by the normal-memory map? */
bool mmu_ram_mapped(uint64_t base, uint64_t end);
/* Turn the MMU on on the boot CPU (the secondaries call mmu_enable()). */
void mmu_enable_boot(void);

/* ------------------------------------------------------------ exception.c */
_Noreturn void exception_report(uint64_t *frame, uint64_t index);

#endif /* ARM64_ARM64_H */
