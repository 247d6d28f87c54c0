/* SPDX-License-Identifier: MIT */
/*
 * The hosted port's zone lock: a test-and-test-and-set lock in the first
 * word of pa_spinlock_t (0 free, 1 held), exchange with acquire ordering
 * to take it, a release store to drop it; waiters spin on plain loads so
 * the line stays shared until the holder lets go.  One thread is one CPU
 * and nothing runs in interrupt context, so there is no IRQ state to keep.
 * Used inline by pa_port_inline.h (CONFIG_PA_PORT_INLINE) and out of line
 * by arch/host/port.c otherwise.
 */
#ifndef PA_HOST_SPIN_H
#define PA_HOST_SPIN_H

#include <stdint.h>

static inline void pa_host_spin_acquire(uint32_t *word)
{
	while (__atomic_exchange_n(word, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(word, __ATOMIC_RELAXED))
#if defined(__x86_64__) || defined(__i386__)
			__builtin_ia32_pause();
#else
			;
#endif
}

static inline void pa_host_spin_release(uint32_t *word)
{
	__atomic_store_n(word, 0, __ATOMIC_RELEASE);
}

#endif /* PA_HOST_SPIN_H */
