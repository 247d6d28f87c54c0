/* SPDX-License-Identifier: MIT */
/*
 * The single-writer updates, after Linux's asm-generic/local.h: a counter
 * or a flags word that only one CPU at a time writes (its owner: the CPU
 * with interrupts off, or the holder of the lock that guards it), while
 * others may read it at any time with a relaxed load.  The sum or the
 * flipped bits are stored in one single-copy-atomic write, so a reader
 * sees the old or the new value, never a torn one; no atomicity against
 * other writers is needed (there are none): no lock prefix, no exclusive
 * pair.
 *
 * Generic: a relaxed atomic load and store.  A port's <pa_port_inline.h>
 * (CONFIG_PA_PORT_INLINE) may define PA_ARCH_LOCAL_OPS and give
 * pa_arch_local_add(), pa_arch_local_add_int() and pa_arch_local_xor32()
 * with these contracts instead (the host's: one unlocked read-modify-write
 * instruction on x86-64, as Linux's __this_cpu_add()).
 */
#ifndef PA_LOCAL_OPS_H
#define PA_LOCAL_OPS_H

#include <pagealloc/port.h>

/* Add @v to the counter *@p, naturally aligned, whose only writer is the caller. */
static inline void pa_local_add(unsigned long *p, unsigned long v)
{
#ifdef PA_ARCH_LOCAL_OPS
	pa_arch_local_add(p, v);
#else
	__atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + v, __ATOMIC_RELAXED);
#endif
}

/* pa_local_add() for an int counter (a page set's page count); @v may be negative. */
static inline void pa_local_add_int(int *p, int v)
{
#ifdef PA_ARCH_LOCAL_OPS
	pa_arch_local_add_int(p, v);
#else
	__atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + v, __ATOMIC_RELAXED);
#endif
}

/* Flip the bits @v of *@p (a struct page's flags), whose only writer is the caller. */
static inline void pa_local_xor32(uint32_t *p, uint32_t v)
{
#ifdef PA_ARCH_LOCAL_OPS
	pa_arch_local_xor32(p, v);
#else
	__atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) ^ v, __ATOMIC_RELAXED);
#endif
}

#endif /* PA_LOCAL_OPS_H */
