/* SPDX-License-Identifier: MIT */
/*
 * The hosted port's fast-path hooks, each written once (contracts:
 * include/pagealloc/port.h).  With CONFIG_PA_PORT_INLINE the library
 * includes this header and inlines them; without, arch/host/port.c defines
 * PA_PORT_FAST empty and includes it, which makes them ordinary functions.
 * A thread is a CPU: its id is a thread-local set by pa_host_set_cpu();
 * nothing allocates from a signal handler, so "interrupts off" is only a
 * compiler barrier.
 */
#ifndef PA_PORT_INLINE_H
#define PA_PORT_INLINE_H

#include <pagealloc/config.h>
#include <pa_host_spin.h>
#include <pa_host_sanitized.h>

#ifndef PA_PORT_FAST
#define PA_PORT_FAST static inline
#endif

/*
 * Local-exec: one %fs-relative load, as a kernel's per-CPU id read is one
 * instruction.  It holds because the hosted library links into
 * executables (the tests, pa-bench, pa-sim), never into a shared object.
 */
extern _Thread_local unsigned int pa_host_cpu_tls __attribute__((tls_model("local-exec")));
/* CONFIG_PA_DEBUG_VM: "interrupts off" sections, counted (port.c). */
extern _Thread_local unsigned int pa_host_irq_depth __attribute__((tls_model("local-exec")));

/* The optional pair too: the zone lock (the host's test-and-test-and-set word). */
#define PA_PORT_INLINE_SPINLOCK 1

PA_PORT_FAST unsigned long pa_port_spin_lock_irqsave(pa_spinlock_t *lock)
{
	pa_host_spin_acquire(&lock->opaque[0]);
	return 0;
}

PA_PORT_FAST void pa_port_spin_unlock_irqrestore(pa_spinlock_t *lock, unsigned long flags)
{
	(void)flags;
	pa_host_spin_release(&lock->opaque[0]);
}

PA_PORT_FAST unsigned long pa_port_irq_save(void)
{
	if (IS_ENABLED(CONFIG_PA_DEBUG_VM))
		pa_host_irq_depth++;
	__asm__ __volatile__("" ::: "memory");
	return 0;
}

PA_PORT_FAST void pa_port_irq_restore(unsigned long flags)
{
	(void)flags;
	__asm__ __volatile__("" ::: "memory");
	if (IS_ENABLED(CONFIG_PA_DEBUG_VM))
		pa_host_irq_depth--;
}

PA_PORT_FAST unsigned int pa_port_cpu_id(void)
{
	return pa_host_cpu_tls;
}

#if defined(__x86_64__) && !defined(PA_HOST_SANITIZED)
/*
 * The single-writer updates (src/local_ops.h) as one unlocked
 * read-modify-write instruction, which x86 performs as one
 * single-copy-atomic store (Linux's __this_cpu_add()); elsewhere, and
 * under a sanitizer, the library's relaxed load and store.
 */
#define PA_ARCH_LOCAL_OPS 1

static inline void pa_arch_local_add(unsigned long *p, unsigned long v)
{
	__asm__("addq %1, %0" : "+m"(*p) : "er"(v));
}

static inline void pa_arch_local_add_int(int *p, int v)
{
	__asm__("addl %1, %0" : "+m"(*p) : "ir"(v));
}

static inline void pa_arch_local_xor32(uint32_t *p, uint32_t v)
{
	__asm__("xorl %1, %0" : "+m"(*p) : "ir"(v));
}
#endif

#endif /* PA_PORT_INLINE_H */
