// SPDX-License-Identifier: MIT
/*
 * The platform hooks of <pagealloc/port.h> for bare-metal arm64 (EL1,
 * identity-mapped, interrupts masked by the demo kernel but handled
 * correctly should a kernel using this port enable them).
 *
 * Spinlock: a test-and-test-and-set lock in the first word of
 * pa_spinlock_t: 0 when free, else 1 + the holder's CPU id (handy when
 * reading a hung machine's memory).  Acquire is an LDAXR/STXR pair that
 * only stores when the word reads 0; a waiter sleeps in WFE with the
 * exclusive monitor armed on the word, so the holder's STLR release
 * (which clears that monitor) wakes it.  Plain LL/SC works on every
 * ARMv8.0 core; it needs Normal cacheable memory to be architecturally
 * reliable, so the demo kernel turns the MMU on before any lock is used.
 *
 * Why not a FIFO (ticket) lock: under QEMU's TCG with more vCPUs than host
 * cores, a FIFO lock hands the lock to a waiter whose host thread is often
 * not running, and every handoff then costs a host time slice.  A ticket
 * lock measured about 200 handoffs per second with -smp 4 on a 2-core
 * host; this lock goes to whichever waiter runs.
 */
#include "arm64.h"
#include <pa_arm64_spin.h>
#include <pagealloc/port.h>
#include <pagealloc/errno.h>

_Static_assert(sizeof(uint32_t) <= sizeof(pa_spinlock_t), "the lock word must fit in pa_spinlock_t");
_Static_assert(_Alignof(pa_spinlock_t) >= _Alignof(uint32_t), "pa_spinlock_t alignment");

void pa_port_spin_init(pa_spinlock_t *lock)
{
	lock->opaque[0] = 0;
	lock->opaque[1] = 0;
}

/*
 * The fast hooks are written once, in pa_port_inline.h: inline in the
 * library with CONFIG_PA_PORT_INLINE, ordinary functions from here without.
 */
#ifndef CONFIG_PA_PORT_INLINE
#define PA_PORT_FAST
#include <pa_port_inline.h>
#endif

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
	/*
	 * Identity map.  The demo only hands mapped RAM to the library, so an
	 * address outside it is a library bug: stop rather than fault later.
	 */
	if (!mmu_ram_mapped(pa, pa + (size ? size : 1)))
		pa_port_panic("pa_port_phys_to_virt: address outside the RAM map");
	return (void *)(uintptr_t)pa;
}
