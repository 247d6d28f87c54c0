// SPDX-License-Identifier: MIT
/*
 * The platform hooks of <pagealloc/port.h> for bare-metal arm64 (EL1,
 * identity-mapped, interrupts masked by the demo kernel but handled
 * correctly should a kernel using this port enable them).
 *
 * Spinlock: a ticket lock in the first word of pa_spinlock_t.  The low
 * half-word is the ticket being served, the high half-word the next ticket
 * to hand out.  Taking a ticket is an LDAXR/STXR increment of the high
 * half; waiting re-reads the low half with LDAXRH between WFEs, so a CPU
 * sleeps until the holder's STLRH release clears its exclusive monitor
 * (which generates the wake-up event).  Plain LL/SC works on every ARMv8.0
 * core; the CPUs must run with the MMU on (Normal memory) for it to be
 * architecturally reliable, which the demo kernel ensures before it starts
 * a second CPU.
 */
#include "arm64.h"
#include <pagealloc/port.h>
#include <pagealloc/errno.h>

struct ticket_lock {
	uint16_t owner; /* little endian: bits 0..15 of the word */
	uint16_t next;  /* bits 16..31 */
};

_Static_assert(sizeof(struct ticket_lock) == sizeof(uint32_t), "ticket lock is one word");
_Static_assert(sizeof(struct ticket_lock) <= sizeof(pa_spinlock_t),
	       "ticket lock must fit in pa_spinlock_t");
_Static_assert(_Alignof(pa_spinlock_t) >= _Alignof(uint32_t), "pa_spinlock_t alignment");

static inline uint32_t *lock_word(pa_spinlock_t *lock)
{
	return &lock->opaque[0];
}

static inline uint16_t *lock_owner(pa_spinlock_t *lock)
{
	return (uint16_t *)(void *)&lock->opaque[0];
}

void pa_port_spin_init(pa_spinlock_t *lock)
{
	lock->opaque[0] = 0;
	lock->opaque[1] = 0;
}

static inline void ticket_lock(pa_spinlock_t *lock)
{
	uint32_t old, tmp, fail;

	__asm__ volatile(
		/* Take a ticket: next += 1, acquiring if it is served now. */
		"1:	ldaxr	%w[old], %[word]\n"
		"	add	%w[tmp], %w[old], #0x10, lsl #12\n"
		"	stxr	%w[fail], %w[tmp], %[word]\n"
		"	cbnz	%w[fail], 1b\n"
		/* Served already when owner == our ticket (old's two halves). */
		"	eor	%w[tmp], %w[old], %w[old], ror #16\n"
		"	cbz	%w[tmp], 3f\n"
		/* Wait for the owner half to reach our ticket. */
		"	sevl\n"
		"2:	wfe\n"
		"	ldaxrh	%w[tmp], %[owner]\n"
		"	eor	%w[tmp], %w[tmp], %w[old], lsr #16\n"
		"	cbnz	%w[tmp], 2b\n"
		"3:\n"
		: [old] "=&r"(old), [tmp] "=&r"(tmp), [fail] "=&r"(fail),
		  [word] "+Q"(*lock_word(lock))
		: [owner] "Q"(*lock_owner(lock))
		: "memory");
}

static inline void ticket_unlock(pa_spinlock_t *lock)
{
	uint16_t next = (uint16_t)(__atomic_load_n(lock_owner(lock), __ATOMIC_RELAXED) + 1);

	__asm__ volatile("stlrh	%w[v], %[owner]"
			 : [owner] "=Q"(*lock_owner(lock))
			 : [v] "r"(next)
			 : "memory");
}

/* Take @lock only if nobody holds or waits for it.  Return: true if taken. */
static bool ticket_trylock(pa_spinlock_t *lock)
{
	uint32_t old, tmp, fail;

	__asm__ volatile(
		"1:	ldaxr	%w[old], %[word]\n"
		"	eor	%w[tmp], %w[old], %w[old], ror #16\n"
		"	cbnz	%w[tmp], 2f\n"
		"	add	%w[tmp], %w[old], #0x10, lsl #12\n"
		"	stxr	%w[fail], %w[tmp], %[word]\n"
		"	cbnz	%w[fail], 1b\n"
		"	mov	%w[tmp], #0\n"
		"	b	3f\n"
		"2:	clrex\n"
		"	mov	%w[tmp], #1\n"
		"3:\n"
		: [old] "=&r"(old), [tmp] "=&r"(tmp), [fail] "=&r"(fail),
		  [word] "+Q"(*lock_word(lock))
		:
		: "memory");
	return tmp == 0;
}

/* For the console: spin on trylock for at most @ticks counter ticks. */
bool port_spin_trylock_timeout(pa_spinlock_t *lock, uint64_t ticks)
{
	uint64_t start = timer_count();

	while (!ticket_trylock(lock)) {
		if (timer_count() - start > ticks)
			return false;
		cpu_relax();
	}
	return true;
}

unsigned long pa_port_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("mrs	%0, daif\n"
			 "	msr	daifset, #2"
			 : "=r"(flags)
			 :
			 : "memory");
	return flags;
}

void pa_port_irq_restore(unsigned long flags)
{
	__asm__ volatile("msr	daif, %0" : : "r"(flags) : "memory");
}

unsigned long pa_port_spin_lock_irqsave(pa_spinlock_t *lock)
{
	unsigned long flags = pa_port_irq_save();

	ticket_lock(lock);
	return flags;
}

void pa_port_spin_unlock_irqrestore(pa_spinlock_t *lock, unsigned long flags)
{
	ticket_unlock(lock);
	pa_port_irq_restore(flags);
}

unsigned int pa_port_cpu_id(void)
{
	return (unsigned int)read_sysreg(tpidr_el1);
}

static unsigned long error_count;

unsigned long port_error_count(void)
{
	return __atomic_load_n(&error_count, __ATOMIC_RELAXED);
}

void pa_port_log(int level, const char *line)
{
	if (level <= PA_LOG_ERR)
		__atomic_fetch_add(&error_count, 1, __ATOMIC_RELAXED);
	kprintf("pagealloc: %s\n", line);
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

/*
 * The compiler's out-of-line atomics (-moutline-atomics, GCC's default for
 * aarch64-linux-gnu) in libgcc test this flag to choose LSE instructions
 * over LL/SC.  libgcc's own definition sets it from the Linux auxiliary
 * vector, which a bare-metal kernel does not have; defining it here keeps
 * that object out of the link.  boot_main() sets it from ID_AA64ISAR0_EL1.
 */
_Bool __aarch64_have_lse_atomics;

void port_set_lse(bool have_lse)
{
	__aarch64_have_lse_atomics = have_lse;
}
