/* SPDX-License-Identifier: MIT */
/*
 * The arm64 port's fast-path hooks, each written once (contracts:
 * include/pagealloc/port.h).  With CONFIG_PA_PORT_INLINE the library
 * includes this header and inlines them; without, arch/arm64/port.c
 * defines PA_PORT_FAST empty and includes it, which makes them ordinary
 * functions.  IRQs are masked through DAIF.I; the CPU id is what the boot
 * code stored in TPIDR_EL1 for each CPU (arch/arm64/head.S); the zone
 * lock is <pa_arm64_spin.h>'s.
 */
#ifndef PA_PORT_INLINE_H
#define PA_PORT_INLINE_H

#include <pa_arm64_spin.h>

#ifndef PA_PORT_FAST
#define PA_PORT_FAST static inline
#endif

PA_PORT_FAST unsigned long pa_port_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("mrs	%0, daif\n"
			     "	msr	daifset, #2"
			     : "=r"(flags)
			     :
			     : "memory");
	return flags;
}

PA_PORT_FAST void pa_port_irq_restore(unsigned long flags)
{
	__asm__ __volatile__("msr	daif, %0" : : "r"(flags) : "memory");
}

/* The optional pair too: the zone lock. */
#define PA_PORT_INLINE_SPINLOCK 1

PA_PORT_FAST unsigned long pa_port_spin_lock_irqsave(pa_spinlock_t *lock)
{
	unsigned long flags = pa_port_irq_save();

	pa_arm64_spin_acquire(&lock->opaque[0]);
	return flags;
}

PA_PORT_FAST void pa_port_spin_unlock_irqrestore(pa_spinlock_t *lock, unsigned long flags)
{
	pa_arm64_spin_release(&lock->opaque[0]);
	pa_port_irq_restore(flags);
}

PA_PORT_FAST unsigned int pa_port_cpu_id(void)
{
	unsigned long id;

	__asm__ __volatile__("mrs	%0, tpidr_el1" : "=r"(id));
	return (unsigned int)id;
}

#endif /* PA_PORT_INLINE_H */
