/* SPDX-License-Identifier: MIT */
/*
 * The arm64 port's fast-path hooks as inline functions, for
 * CONFIG_PA_PORT_INLINE (contracts: include/pagealloc/port.h).  IRQs are
 * masked through DAIF.I; the CPU id is what the boot code stored in
 * TPIDR_EL1 for each CPU (arch/arm64/head.S).
 */
#ifndef PA_PORT_INLINE_H
#define PA_PORT_INLINE_H

static inline unsigned long pa_port_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("mrs	%0, daif\n"
			     "	msr	daifset, #2"
			     : "=r"(flags)
			     :
			     : "memory");
	return flags;
}

static inline void pa_port_irq_restore(unsigned long flags)
{
	__asm__ __volatile__("msr	daif, %0" : : "r"(flags) : "memory");
}

static inline unsigned int pa_port_cpu_id(void)
{
	unsigned long id;

	__asm__ __volatile__("mrs	%0, tpidr_el1" : "=r"(id));
	return (unsigned int)id;
}

#endif /* PA_PORT_INLINE_H */
