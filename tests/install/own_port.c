// SPDX-License-Identifier: MIT
/*
 * Built by tests/install_test.sh against an installed pagealloc with only
 * `pkg-config --cflags --libs pagealloc-kernel`: a "kernel" that brings its own
 * port hooks, as a real kernel must (libpagealloc.a contains none), and
 * calls the allocator by Linux's names through <pagealloc/linux-compat.h>.
 * Its physical memory is a static array seen at PHYS_BASE.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <pagealloc/pagealloc.h>
#include <pagealloc/port.h>
#include <pagealloc/linux-compat.h>

#define PHYS_BASE 0x80000000ULL
#define MEM_SIZE (64UL << 20)

static _Alignas(65536) unsigned char memory[MEM_SIZE];

/* ---- the port: one CPU, no interrupts, a linear map at PHYS_BASE. */

void pa_port_spin_init(pa_spinlock_t *lock)
{
	lock->opaque[0] = 0;
}

unsigned long pa_port_spin_lock_irqsave(pa_spinlock_t *lock)
{
	if (lock->opaque[0])
		pa_port_panic("spinlock taken twice");
	lock->opaque[0] = 1;
	return 0;
}

void pa_port_spin_unlock_irqrestore(pa_spinlock_t *lock, unsigned long flags)
{
	(void)flags;
	lock->opaque[0] = 0;
}

unsigned long pa_port_irq_save(void)
{
	return 0;
}

void pa_port_irq_restore(unsigned long flags)
{
	(void)flags;
}

unsigned int pa_port_cpu_id(void)
{
	return 0;
}

#ifdef CONFIG_PA_PCP_REMOTE_BARRIER
/* One CPU: no other CPU to make execute a barrier; this one's is enough. */
void pa_port_remote_barrier(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}
#endif

_Noreturn void pa_port_panic(const char *msg)
{
	fprintf(stderr, "kernel panic: %s\n", msg);
	exit(3);
}

void pa_port_log(int level, const char *line)
{
	fprintf(stderr, "kernel: <%d> %s\n", level, line);
}

void *pa_port_phys_to_virt(pa_phys_t pa, size_t size)
{
	if (pa < PHYS_BASE || pa - PHYS_BASE + size > MEM_SIZE)
		pa_port_panic("phys_to_virt outside memory");
	return memory + (pa - PHYS_BASE);
}

pa_phys_t pa_port_virt_to_phys(const void *va)
{
	uintptr_t off = (uintptr_t)va - (uintptr_t)memory;

	return off < MEM_SIZE ? PHYS_BASE + off : (pa_phys_t)-1;
}

/* ---- code written against Linux's names. */

#define CHECK(cond)                                                                   \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			return 1;                                                     \
		}                                                                     \
	} while (0)

int main(void)
{
	unsigned long before, addr;
	struct page *page;
	unsigned char *p;

	CHECK(pa_memblock_add(PHYS_BASE, MEM_SIZE, 0) == 0);
	CHECK(pa_memblock_reserve(PHYS_BASE, 1UL << 20) == 0);
	/* Exact free counts below: no pages parked on per-CPU lists. */
	CHECK(pa_pcp_set_enabled(false) == 0);
	CHECK(pa_init() == 0); /* mem_map is carved from memory[] */

	before = nr_free_pages();
	page = alloc_pages(GFP_KERNEL, 2);
	CHECK(page != NULL);
	CHECK(nr_free_pages() == before - 4);
	CHECK(pfn_to_page(page_to_pfn(page)) == page);
	p = page_address(page);
	CHECK(p >= memory && p + (PAGE_SIZE << 2) <= memory + MEM_SIZE);
	__free_pages(page, 2);
	CHECK(nr_free_pages() == before);

	addr = __get_free_page(GFP_KERNEL);
	CHECK(addr != 0);
	((unsigned char *)addr)[7] = 0xa5;
	free_page(addr);
	addr = get_zeroed_page(GFP_KERNEL);
	CHECK(addr != 0);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		CHECK(((unsigned char *)addr)[i] == 0);
	free_page(addr);
	CHECK(nr_free_pages() == before);
	CHECK(pa_check() == 0);
	printf("own-port kernel: %lu free pages, restored after alloc and free\n", before);
	return 0;
}
