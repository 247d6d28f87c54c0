// SPDX-License-Identifier: MIT
/*
 * The port of <pagealloc/port.h> for the riscv64 demo kernel: the required
 * hooks, as ordinary functions, and nothing else (the optional ones keep
 * the library's defaults).  The smallest port there is; docs/porting.md
 * walks through it.
 *
 * M-mode, physical addresses: interrupts are mstatus.MIE; the CPU id is
 * the logical id head.S keeps in tp; the zone lock is a test-and-set word
 * taken with an AMOSWAP.W.AQ and released with a release store.
 */
#include "riscv64.h"
#include <pagealloc/port.h>

_Static_assert(sizeof(uint32_t) <= sizeof(pa_spinlock_t), "the lock word fits in pa_spinlock_t");

void pa_port_spin_init(pa_spinlock_t *lock)
{
	__atomic_store_n(&lock->opaque[0], 0, __ATOMIC_RELAXED);
}

unsigned long pa_port_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("csrrci %0, mstatus, %1" : "=r"(flags) : "i"(MSTATUS_MIE) : "memory");
	return flags & MSTATUS_MIE;
}

void pa_port_irq_restore(unsigned long flags)
{
	__asm__ volatile("csrs mstatus, %0" : : "r"(flags) : "memory");
}

unsigned long pa_port_spin_lock_irqsave(pa_spinlock_t *lock)
{
	unsigned long flags = pa_port_irq_save();

	while (__atomic_exchange_n(&lock->opaque[0], 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&lock->opaque[0], __ATOMIC_RELAXED))
			;
	return flags;
}

void pa_port_spin_unlock_irqrestore(pa_spinlock_t *lock, unsigned long flags)
{
	__atomic_store_n(&lock->opaque[0], 0, __ATOMIC_RELEASE);
	pa_port_irq_restore(flags);
}

unsigned int pa_port_cpu_id(void)
{
	unsigned long id;

	__asm__("mv %0, tp" : "=r"(id));
	return (unsigned int)id;
}

void pa_port_log(int level, const char *line)
{
	console_log(level, line);
}

_Noreturn void pa_port_panic(const char *msg)
{
	pa_port_irq_save();
	kprintf("pagealloc: PANIC on cpu %u: %s\n", pa_port_cpu_id(), msg);
	kprintf("pagealloc demo: FAIL panic: %s\n", msg);
	system_exit(1);
}

void *pa_port_phys_to_virt(pa_phys_t pa, size_t size)
{
	(void)size;
	return (void *)(uintptr_t)pa; /* no MMU */
}
