/* SPDX-License-Identifier: MIT */
/*
 * The demo kernels' shared part and what each architecture gives it.
 *
 * demo/ holds what does not depend on the CPU: the stress and its verdict
 * (demo.c), the DTB reader (fdt.c), printf and the console lock
 * (console.c), the mem* functions (string.c) and the QEMU runner
 * (run-qemu.sh).  Each arch/NAME/ brings the boot code, the traps, the
 * UART, the timer, the way other CPUs are started and the library's port
 * hooks, and calls demo_main() once its boot CPU has a console, a parsed
 * DTB and (where it has one) its MMU on.
 */
#ifndef DEMO_H
#define DEMO_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <pagealloc/config.h>
#include <pagealloc/types.h>
#include "fdt.h"

/* Logical CPUs a demo kernel can run: the library's upper bound. */
#define DEMO_MAX_CPUS CONFIG_PA_NR_CPUS

/* ------------------------------------------------------------ from arch/NAME/ */

/* The loaded image, .bss and stacks (its linker script). */
extern char __image_start[], __image_end[];

/* Write one byte to the console UART, polled, with interrupts as they are. */
void arch_console_putc(char c);
/* A counter that runs at arch_timer_freq() Hz on every CPU, for timeouts. */
uint64_t arch_timer_count(void);
uint64_t arch_timer_freq(void);
/* A hint inside a spin-wait loop. */
void arch_cpu_relax(void);
/* Is [base, end) memory this kernel can access (mapped, where there is an MMU)? */
bool arch_ram_usable(uint64_t base, uint64_t end);
/* The boot CPU's hardware id, as /cpus/cpu@N's reg in the DTB. */
uint64_t arch_boot_cpu_hwid(void);
/* Can @nr CPUs be started with what the DTB describes?  NULL if so, else why not. */
const char *arch_smp_init(const struct fdt_info *dt, unsigned int nr);
/*
 * Start the CPU with hardware id @hwid as logical CPU @cpu: it calls
 * secondary_main(@cpu) with its stack and pa_port_cpu_id() set up.
 * NULL when started, else why not.
 */
const char *arch_start_cpu(unsigned int cpu, uint64_t hwid);
/* Wake CPUs waiting for a store (arm64's SEV); nothing where they poll. */
void arch_wake_cpus(void);
/* Reserve the arch's own memory beyond the image, through @reserve. */
void arch_reserve(void (*reserve)(const char *what, uint64_t base, uint64_t size));
/*
 * Set the zone limits as the arch's Linux lays its zones out, for memory
 * [@dram_start, @dram_end), through demo_zone_limit().
 */
void arch_zones(const struct fdt_info *info, uint64_t dram_start, uint64_t dram_end);
/* End the run: QEMU exits with @status (0 PASS, 1 FAIL). */
_Noreturn void system_exit(int status);
/* Stop this CPU for good. */
_Noreturn void cpu_park(void);

/* ------------------------------------------------------------ demo/ */

/* pa_set_zone_limit(@zone, @limit), said on the console; the run fails if refused. */
void demo_zone_limit(enum pa_zone_type zone, uint64_t limit);

/* The console: the UART, with a lock that keeps messages whole. */
void console_write(const char *s, size_t len);
/* From now on several CPUs may print: messages are serialised. */
void console_set_smp(void);
void console_lock(void);
void console_unlock(void);
/* Print without taking the console lock (the caller holds it, or panics). */
void kvprintf_unlocked(const char *fmt, va_list ap);
__attribute__((format(printf, 1, 2))) void kprintf(const char *fmt, ...);
__attribute__((format(printf, 3, 4))) int ksnprintf(char *buf, size_t size, const char *fmt, ...);
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* The ports' pa_port_log(): print "pagealloc: @line", counting errors. */
void console_log(int level, const char *line);
/* Library log lines at PA_LOG_ERR or worse since boot. */
unsigned long port_error_count(void);

/* Print "pagealloc demo: FAIL ..." and end the run with status 1. */
_Noreturn void demo_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The boot CPU, after the arch's set-up: the whole demo, ending in its verdict. */
_Noreturn void demo_main(const char *arch, const struct fdt_info *dt);
/* Every other CPU, started by arch_start_cpu(). */
_Noreturn void secondary_main(unsigned long cpu);

#endif /* DEMO_H */
