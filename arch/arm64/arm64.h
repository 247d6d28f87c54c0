/* SPDX-License-Identifier: MIT */
/*
 * Declarations shared by the C files of the arm64 port and demo kernel:
 * system-register access, the console, PSCI and exit, the identity map,
 * and the symbols of head.S and kernel.lds.
 */
#ifndef ARM64_ARM64_H
#define ARM64_ARM64_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "asm.h"

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
extern char __image_start[], __image_end[];
extern char __bss_start[], __bss_end[];
extern char __pgtables_start[], __pgtables_end[];
extern char __stacks_start[], __stacks_end[];
extern char secondary_entry[];

void mmu_enable(void);
void dcache_inval_range(uintptr_t start, uintptr_t end);
_Noreturn void cpu_park(void);

/* Entry points called from head.S. */
_Noreturn void boot_main(uint64_t dtb_pa);
_Noreturn void secondary_main(uint64_t cpu);

/* ------------------------------------------------------------ console.c */
void console_init(void);
/* After the MMU is on, console output from several CPUs is serialised. */
void console_set_smp(void);
void console_write(const char *s, size_t len);
void console_lock(void);
void console_unlock(void);
/* Print without taking the console lock (the caller holds it, or panics). */
void kvprintf_unlocked(const char *fmt, va_list ap);
__attribute__((format(printf, 1, 2))) void kprintf(const char *fmt, ...);
__attribute__((format(printf, 3, 4))) int ksnprintf(char *buf, size_t size, const char *fmt, ...);
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* ------------------------------------------------------------ psci.c */
enum psci_conduit { PSCI_NONE, PSCI_HVC, PSCI_SMC };
void psci_setup(enum psci_conduit conduit, uint32_t cpu_on_fn);
bool psci_available(void);
int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context);
const char *psci_strerror(int64_t err);
/* End the run with @status (semihosting SYS_EXIT, else PSCI SYSTEM_OFF). */
_Noreturn void system_exit(int status);
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

/* ------------------------------------------------------------ port.c */
/* Library log lines at PA_LOG_ERR or worse since boot. */
unsigned long port_error_count(void);
/* Spin on a port spinlock for at most @ticks counter ticks; true if taken. */
struct pa_spinlock;
bool port_spin_trylock_timeout(struct pa_spinlock *lock, uint64_t ticks);

#endif /* ARM64_ARM64_H */
