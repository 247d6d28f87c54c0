/* SPDX-License-Identifier: MIT */
/*
 * The arm64 port's zone lock (the design is described at the top of
 * arch/arm64/port.c): a test-and-test-and-set word, 0 when free, else
 * 1 + the holder's CPU id from TPIDR_EL1.  Acquire is an LDAXR/STXR pair
 * that stores only when the word reads 0, the waiter sleeping in WFE with
 * the exclusive monitor armed; release is an STLR of zero, which clears
 * the monitor and so wakes the waiters.  Used inline by pa_port_inline.h
 * (CONFIG_PA_PORT_INLINE) and out of line by arch/arm64/port.c otherwise.
 */
#ifndef PA_ARM64_SPIN_H
#define PA_ARM64_SPIN_H

#include <stdint.h>

/* The lock word's value while this CPU holds it. */
static inline uint32_t pa_arm64_spin_owner(void)
{
	unsigned long id;

	__asm__ __volatile__("mrs	%0, tpidr_el1" : "=r"(id));
	return (uint32_t)id + 1;
}

static inline void pa_arm64_spin_acquire(uint32_t *word)
{
	uint32_t val = pa_arm64_spin_owner(), tmp, fail;

	__asm__ __volatile__(
		/* The first WFE falls through on SEVL's event. */
		"	sevl\n"
		"1:	wfe\n"
		"2:	ldaxr	%w[tmp], %[word]\n"
		"	cbnz	%w[tmp], 1b\n"
		"	stxr	%w[fail], %w[val], %[word]\n"
		"	cbnz	%w[fail], 2b\n"
		: [tmp] "=&r"(tmp), [fail] "=&r"(fail), [word] "+Q"(*word)
		: [val] "r"(val)
		: "memory");
}

static inline void pa_arm64_spin_release(uint32_t *word)
{
	__asm__ __volatile__("stlr	wzr, %[word]" : [word] "=Q"(*word) : : "memory");
}

#endif /* PA_ARM64_SPIN_H */
