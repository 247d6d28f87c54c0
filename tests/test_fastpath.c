// SPDX-License-Identifier: MIT
/*
 * The fast paths against the general path, the same workload through both.
 *
 * pa_alloc_pages_node() and pa_free_pages() take the fast paths when they
 * can (pcp_fast.h: the per-CPU sets, or the buddy fast path for orders the
 * sets do not keep and for every order without CONFIG_PA_PCP).
 * pa_alloc_pages_nodemask() with a node mask never does, nor does
 * pa_put_page(): they always build the allocation context and walk the
 * zonelist (Linux's __alloc_pages() and free path).  A fast path is only a
 * shortcut for the general path's first try, so a random workload of
 * allocations (orders 0-9, eight GFP classes, local and named nodes, under
 * memory pressure so watermarks, fallback, kswapd wake-ups and failures
 * all happen) and frees must give the same pages in the same order, and
 * the same vmstat, zoneinfo, buddyinfo and pagetypeinfo, both ways.
 */
#include <stdlib.h>
#include <string.h>
#include "th_internal.h"
#include "harness.h"

/*
 * This kernel runs kswapd, which is what a watermark boost is for (without
 * it the library applies none): its thread is this file's own
 * pa_kswapd_balance() calls, so the wake-up only counts.
 */
static unsigned long kswapd_wakes;

void pa_port_wake_kswapd(int nid, unsigned int order, enum pa_zone_type highest_zoneidx)
{
	(void)nid, (void)order, (void)highest_zoneidx;
	kswapd_wakes++;
}

#define SLOTS 3000
#define OPS 40000
#define TEXT 200000

enum way { FAST, GENERAL };

struct outcome {
	uint64_t seq; /* hash of the pfns handed out, in order (0 for a failure) */
	unsigned long fast_pages; /* pages the fast paths counted (per-CPU sets, buddy) */
	char text[4][TEXT];   /* vmstat, zoneinfo, buddyinfo, pagetypeinfo */
};

static struct pa_page *slot[SLOTS];
static unsigned int slot_order[SLOTS];
static struct outcome got[2];
static uint64_t rng;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const pa_gfp_t gfps[] = {
	PA_GFP_KERNEL,
	PA_GFP_KERNEL | PA__GFP_MOVABLE,
	PA_GFP_HIGHUSER_MOVABLE,
	PA_GFP_KERNEL | PA__GFP_RECLAIMABLE,
	PA_GFP_ATOMIC,
	PA_GFP_NOWAIT,
	PA_GFP_KERNEL | PA__GFP_DMA32,
	PA_GFP_KERNEL | PA__GFP_NORETRY,
};

/* Two nodes (one without NUMA), a DMA32 zone, a CMA area where built: small enough to run low. */
static void machine(void)
{
	th_reset();
	pa_host_set_cpu(0);
	assert_int_equal(pa_set_nr_cpus(2), 0);
	assert_int_equal(pa_memblock_add(1 * GiB, 96 * MiB, 0), 0);
	assert_int_equal(pa_memblock_add(8 * GiB, 64 * MiB, 0), 0);
	assert_int_equal(pa_memblock_add(16 * GiB, 64 * MiB, IS_ENABLED(CONFIG_PA_NUMA) ? 1 : 0), 0);
#ifdef CONFIG_PA_CMA
	struct pa_cma *cma;

	assert_int_equal(pa_cma_declare(8 * GiB + 32 * MiB, 32 * MiB, "diff", &cma), 0);
#endif
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
}

/* Pages the fast paths counted on their own counters, all CPUs and zones. */
static unsigned long fast_pages(void)
{
	unsigned long n = 0;

	for (unsigned int id = 0; id < PA_MAX_ZONEIDS; id++) {
		n += pa_pcp_event_sum(id, PA_PCP_EV_ALLOC);
		if (th_zone_by_id(id))
			n += th_zone_by_id(id)->fast_alloc[0] + th_zone_by_id(id)->fast_alloc[1];
	}
	return n;
}

static struct pa_page *alloc(enum way way, pa_gfp_t gfp, unsigned int order, int nid)
{
	pa_nodemask_t all = PA_NODEMASK_ALL;

	if (way == FAST)
		return pa_alloc_pages_node(nid, gfp, order);
	return pa_alloc_pages_nodemask(gfp, order, nid, &all);
}

static void run(enum way way, uint64_t seed)
{
	struct outcome *o = &got[way];

	machine();
	memset(slot, 0, sizeof(slot));
	rng = seed;
	o->seq = 0;
	for (unsigned long op = 0; op < OPS; op++) {
		unsigned int i = (unsigned int)(next() % SLOTS), r = (unsigned int)next(), order;
		int nid = IS_ENABLED(CONFIG_PA_NUMA) ? (int)((r >> 16) % 3) - 1 : PA_NUMA_NO_NODE;
		struct pa_page *p;

		if (slot[i]) {
			assert_int_equal(way == FAST ? pa_free_pages(slot[i], slot_order[i])
						     : pa_put_page(slot[i]), 0);
			slot[i] = NULL;
			continue;
		}
		/* Half order 0, then orders 4-6 (above the sets), 0-3, and 9. */
		order = r % 16 < 8 ? 0 : r % 16 < 13 ? 4 + (r >> 8) % 3 : r % 16 < 15 ? (r >> 8) % 4 : 9;
		p = alloc(way, gfps[(r >> 12) % PA_ARRAY_SIZE(gfps)] | PA__GFP_NOWARN, order, nid);
		o->seq = o->seq * 1000003 + (p ? pa_page_to_pfn(p) + 1 : 0);
		slot[i] = p;
		slot_order[i] = order;
	}
	th_check();
	o->fast_pages = fast_pages();
	th_text(pa_print_vmstat, o->text[0], TEXT);
	th_zoneinfo(o->text[1], TEXT);
	th_buddyinfo(o->text[2], TEXT);
	th_text(pa_print_pagetypeinfo, o->text[3], TEXT);
	for (unsigned int i = 0; i < SLOTS; i++)
		if (slot[i])
			assert_int_equal(pa_put_page(slot[i]), 0);
	th_check();
}

static void test_fast_equals_general(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 2; seed++) {
		run(FAST, seed * 0x9e3779b97f4a7c15ULL);
		run(GENERAL, seed * 0x9e3779b97f4a7c15ULL);
		assert_true(got[FAST].seq == got[GENERAL].seq);
		for (int t = 0; t < 4; t++)
			assert_string_equal(got[FAST].text[t], got[GENERAL].text[t]);
		/* The fast paths did run (their counters exist with the vmstat counters). */
		assert_true(got[GENERAL].fast_pages == 0);
		if (IS_ENABLED(CONFIG_PA_VM_EVENT_COUNTERS))
			assert_true(got[FAST].fast_pages > OPS / 8);
	}
}

static bool boost_pending(const struct pa_zone *z)
{
	return PA_READ_ONCE(z->zflags) & PA_ZONE_BOOSTED_WATERMARK;
}

/* What steal_fallback() leaves under the zone lock: a boost whose wake-up is pending. */
static void pend_boost(struct pa_zone *z)
{
	unsigned long flags = pa_port_spin_lock_irqsave(&z->lock);
	struct pa_zone_marks m;

	pa_zone_get_marks(z, &m);
	m.boost += PA_PAGEBLOCK_NR_PAGES;
	m.boosted = true;
	pa_zone_set_marks_locked(z, &m);
	pa_port_spin_unlock_irqrestore(&z->lock, flags);
}

/*
 * A boost whose wake-up is still pending (another CPU's fragmenting
 * fallback set it and has not yet checked): the next allocation that may
 * wake kswapd does so, once, even one its per-CPU list serves at once
 * (the boost turns the order-0 fast mark off, so it takes the general
 * path); one without __GFP_KSWAPD_RECLAIM leaves it pending.
 */
static void test_pending_boost_wakes_kswapd_once(void **state)
{
	const bool counted = IS_ENABLED(CONFIG_PA_VM_EVENT_COUNTERS);
	struct pa_zone *z;
	struct pa_page *p, *q;
	unsigned long wakes, hooked;

	(void)state;
	th_reset();
	pa_host_set_cpu(0);
	assert_int_equal(pa_set_nr_cpus(1), 0);
	/* Eight pageblocks: zones under four are never boosted. */
	assert_int_equal(pa_memblock_add(4 * GiB, (pa_phys_t)8 * PA_PAGEBLOCK_NR_PAGES << PA_PAGE_SHIFT,
					 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	z = th_pa_zone(0, PA_ZONE_NORMAL);
	p = pa_alloc_pages(PA_GFP_KERNEL, 0); /* fill this CPU's set, if built */
	assert_int_equal(pa_free_pages(p, 0), 0);

	pend_boost(z);
	th_check();
	wakes = pa_vm_event_count(PA_KSWAPD_WAKE);
	hooked = kswapd_wakes;

	p = pa_alloc_pages(PA_GFP_KERNEL & ~PA__GFP_KSWAPD_RECLAIM, 0);
	assert_non_null(p);
	assert_true(boost_pending(z));
	assert_int_equal(pa_vm_event_count(PA_KSWAPD_WAKE), wakes);
	assert_int_equal(kswapd_wakes, hooked);

	q = pa_alloc_pages(PA_GFP_KERNEL, 0);
	assert_non_null(q);
	assert_false(boost_pending(z));
	assert_int_equal(pa_vm_event_count(PA_KSWAPD_WAKE), wakes + counted);
	assert_int_equal(kswapd_wakes, hooked + 1);
	th_check(); /* the fast mark is back */
	assert_int_equal(pa_free_pages(q, 0), 0);
	q = pa_alloc_pages(PA_GFP_KERNEL, 0);
	assert_int_equal(pa_vm_event_count(PA_KSWAPD_WAKE), wakes + counted);
	assert_int_equal(pa_free_pages(q, 0), 0);

	/* Higher orders (per-CPU, then buddy) do not use the fast mark: they test the flag. */
	for (unsigned int order = 3, n = 2; order <= (unsigned int)PA_MIN(5, PA_MAX_PAGE_ORDER);
	     order += 2, n++) {
		pend_boost(z);
		q = pa_alloc_pages(PA_GFP_KERNEL, order);
		assert_non_null(q);
		assert_false(boost_pending(z));
		assert_int_equal(pa_vm_event_count(PA_KSWAPD_WAKE), wakes + n * counted);
		assert_int_equal(pa_free_pages(q, order), 0);
	}
	assert_int_equal(pa_free_pages(p, 0), 0);
	th_check();
}

/*
 * The fast free's reference drop on @p, an allocated order-0 page: with a
 * second reference one free leaves it allocated with one; the last sends
 * it to the free lists; a head page found with no reference (a free racing
 * another) is refused with one line and its count left as found.
 */
static void free_references(struct pa_page *p)
{
	const uint32_t head = 1u << PA_PG_head;

	pa_get_page(p);
	assert_int_equal(pa_page_count(p), 2);
	assert_int_equal(pa_free_pages(p, 0), 0);
	assert_int_equal(pa_page_count(p), 1);
	assert_true(pa_page_flags(p) & head);
	th_check();
	assert_int_equal(pa_free_pages(p, 0), 0);
	assert_false(pa_page_flags(p) & head);
	th_check();

	p = pa_alloc_pages(PA_GFP_KERNEL, 0);
	assert_non_null(p);
	p->refcount = 0;
	th_log_clear();
	th_assert_error(pa_free_pages(p, 0), PA_EINVAL, "no reference left to drop");
	assert_int_equal(p->refcount, 0);
	assert_true(pa_page_flags(p) & head);
	p->refcount = 1;
	assert_int_equal(pa_free_pages(p, 0), 0);
	th_check();
}

/*
 * A pointer 8 bytes into @p, whose own word (priv, the kernel's while the
 * page is allocated) holds what would read as a head page's flags and
 * count there: refused all the same, @p untouched.
 */
static void free_inside(struct pa_page *p)
{
	const uintptr_t word = (uintptr_t)pa_page_flags(p) | (uintptr_t)1 << 16 << 16;

	p->priv = word;
	th_log_clear();
	th_assert_error(pa_free_pages((struct pa_page *)((char *)p + 8), 0), PA_EFAULT,
			"not a page");
	assert_true(p->priv == word);
	assert_int_equal(pa_page_count(p), 1);
	p->priv = 0;
}

/*
 * Two banks of 64 MiB, sections apart: the first is the fast run (the
 * longest, the first of equals), the second is freed through the section
 * check (free_fast_sections()).  The reference rules hold on both, and a
 * pointer into the middle of a struct page is refused on both.
 */
static void test_fast_free_references(void **state)
{
	static struct pa_page *held[PAGES(128 * MiB)];
	struct pa_page *in_run = NULL, *other = NULL;
	unsigned long n = 0;

	(void)state;
	th_reset();
	pa_host_set_cpu(0);
	assert_int_equal(pa_set_nr_cpus(1), 0);
	assert_int_equal(pa_memblock_add(4 * GiB, 64 * MiB, 0), 0);
	assert_int_equal(pa_memblock_add(8 * GiB, 64 * MiB, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	assert_int_equal(th_fast_run()->pfn, PAGES(4 * GiB));
	assert_int_equal(th_fast_run()->nr_pages, PA_ALIGN_UP(PAGES(64 * MiB), PA_MAX_ORDER_NR_PAGES));
	assert_true(th_fast_run()->first == (uintptr_t)pa_pfn_to_page(PAGES(4 * GiB)));

	/* Take pages until one of each bank is held; give back the rest. */
	while (!in_run || !other) {
		struct pa_page *p = pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_NOWARN, 0);

		assert_non_null(p);
		if (pa_page_to_pfn(p) < PAGES(8 * GiB) ? !in_run : !other)
			*(pa_page_to_pfn(p) < PAGES(8 * GiB) ? &in_run : &other) = p;
		else
			held[n++] = p;
	}
	while (n)
		assert_int_equal(pa_free_pages(held[--n], 0), 0);

	free_inside(in_run);
	free_inside(other);
	free_references(in_run);
	free_references(other);
	th_check();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_equals_general),
		cmocka_unit_test(test_pending_boost_wakes_kswapd_once),
		cmocka_unit_test(test_fast_free_references),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
