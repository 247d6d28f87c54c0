// SPDX-License-Identifier: MIT
/*
 * Isolation of pfn ranges, contiguous allocations and CMA areas: isolated
 * blocks hand out no page and merge with no neighbour, undoing isolation
 * restores buddyinfo; a contiguous range full of movable pages is taken
 * after this file's migrate hook moves them, and fails cleanly on an
 * unmovable page or a refusing hook; the bad-input table; CMA areas in
 * zoneinfo and pagetypeinfo, kept from unmovable allocations, taken back
 * by pa_cma_alloc().  Per-CPU sets off unless a test says otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "th_internal.h"
#include "harness.h"

#define PB PA_PAGEBLOCK_NR_PAGES
#define GFP_MOV (PA_GFP_KERNEL | PA__GFP_MOVABLE | PA__GFP_MEMALLOC | PA__GFP_NOWARN)
#define GFP_UNMOV (PA_GFP_KERNEL | PA__GFP_MEMALLOC | PA__GFP_NOWARN)
#define BASE (1 * GiB)
/* The test machine: 32 pageblocks of one ZONE_NORMAL at 1 GiB. */
#define NR_BLOCKS 32UL
#define NR_PAGES (NR_BLOCKS * PB)

/* ------------------------------------------------------------ the migrate hook */

enum hook_mode { HOOK_MIGRATE, HOOK_REFUSE, HOOK_KEEP };
static enum hook_mode hook_mode;
static unsigned long hook_budget; /* moves allowed before refusing (HOOK_REFUSE) */
static struct pa_page **held;     /* test allocations; page->priv = index + 1 */
static unsigned long nheld;
static unsigned long *moved_to;   /* destination pfn of each move */
static unsigned long nmoves;

/*
 * The kernel's side: the test's bookkeeping moved over to the block the
 * library gave (held[] and priv), the old block freed.
 */
int pa_port_migrate_page(struct pa_page *page, struct pa_page *dst, unsigned int order)
{
	if (hook_mode == HOOK_KEEP) {
		assert_int_equal(pa_free_pages(dst, order), 0); /* says yes, keeps @page */
		return 0;
	}
	if (hook_mode == HOOK_REFUSE && hook_budget-- == 0)
		return -PA_EBUSY;
	assert_true(page->priv >= 1 && page->priv <= nheld);
	held[page->priv - 1] = dst;
	dst->priv = page->priv;
	moved_to[nmoves++] = pa_page_to_pfn(dst);
	assert_int_equal(pa_free_pages(page, order), 0);
	return 0;
}

static int setup(void **state)
{
	th_setup_exact(state);
	free(held);
	free(moved_to);
	held = calloc(4 * NR_PAGES, sizeof(*held));
	moved_to = calloc(4 * NR_PAGES, sizeof(*moved_to));
	nheld = nmoves = 0;
	hook_mode = HOOK_MIGRATE;
	hook_budget = 0;
	return 0;
}

#ifdef CONFIG_PA_MEMORY_ISOLATION /* (CMA selects it) */

static unsigned long start_pfn(void)
{
	return (unsigned long)(BASE >> PA_PAGE_SHIFT);
}

static void machine(void)
{
	assert_int_equal(pa_memblock_add(BASE, (pa_phys_t)NR_PAGES << PA_PAGE_SHIFT, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
}

static struct pa_page *hold(pa_gfp_t gfp, unsigned int order)
{
	struct pa_page *p = pa_alloc_pages(gfp, order);

	if (p) {
		held[nheld++] = p;
		p->priv = nheld;
	}
	return p;
}

static unsigned long hold_all(pa_gfp_t gfp, unsigned int order)
{
	unsigned long n = 0;

	while (hold(gfp, order))
		n++;
	return n;
}

static unsigned long held_pfn(unsigned long i)
{
	return pa_page_to_pfn(held[i]);
}

/* Free the held blocks whose pfn is outside [a, b); keep the rest. */
static void free_held_outside(unsigned long a, unsigned long b, unsigned int order)
{
	for (unsigned long i = 0; i < nheld; i++)
		if (held[i] && (held_pfn(i) < a || held_pfn(i) >= b)) {
			assert_int_equal(pa_free_pages(held[i], order), 0);
			held[i] = NULL;
		}
}

static void free_held(unsigned int order)
{
	free_held_outside(0, 0, order);
}

static struct pa_zone_counts normal(void)
{
	return th_zone(0, PA_ZONE_NORMAL);
}

/* What a clean failure must leave as it was. */
struct snapshot {
	char buddy[4096];
	char types[8192];
	struct pa_zone_counts c;
};

static void snap(struct snapshot *s)
{
	th_buddyinfo(s->buddy, sizeof(s->buddy));
	th_text(pa_print_pagetypeinfo, s->types, sizeof(s->types));
	s->c = normal();
}

static void assert_same(const struct snapshot *a)
{
	static struct snapshot b;

	snap(&b);
	assert_string_equal(a->buddy, b.buddy);
	assert_string_equal(a->types, b.types);
	assert_int_equal(a->c.free, b.c.free);
	assert_memory_equal(a->c.free_mt, b.c.free_mt, sizeof(a->c.free_mt));
	th_check();
}

/* ------------------------------------------------------------ isolation */

/*
 * One isolated pageblock: its pages leave the free count, and allocating
 * everything never returns one of them; undo gives back the buddyinfo of
 * a fresh machine.
 */
static void test_isolation_stops_allocation(void **state)
{
	static char before[4096], after[4096];
	unsigned long b = start_pfn() + 5 * PB, n;

	(void)state;
	machine();
	th_buddyinfo(before, sizeof(before));
	assert_int_equal(pa_isolate_range(b, b + PB, PA_MIGRATE_MOVABLE, 0), 0);
	assert_int_equal(th_log_lines(), 0);
	assert_int_equal(pa_get_pageblock_migratetype(b), PA_MIGRATE_ISOLATE);
	assert_int_equal(normal().free, NR_PAGES - PB);
	assert_int_equal(normal().free_mt[PA_MIGRATE_ISOLATE], PB);
	assert_int_equal(pa_test_pages_isolated(b, b + PB), 0);
	th_check();
	n = hold_all(GFP_MOV, 0);
	assert_int_equal(n, NR_PAGES - PB);
	for (unsigned long i = 0; i < nheld; i++)
		assert_false(held_pfn(i) >= b && held_pfn(i) < b + PB);
	th_check();
	free_held(0);
	assert_int_equal(pa_undo_isolate_range(b, b + PB, PA_MIGRATE_MOVABLE), 0);
	assert_int_equal(pa_get_pageblock_migratetype(b), PA_MIGRATE_MOVABLE);
	th_buddyinfo(after, sizeof(after));
	assert_string_equal(before, after);
	th_check();
}

/*
 * Isolating the first pageblock of a free MAX_PAGE_ORDER block splits it:
 * the isolated pageblock stays alone at pageblock_order, the other
 * 2^k - 1 pageblocks (k = MAX_PAGE_ORDER - pageblock_order) merge into one
 * block of each order pageblock_order .. MAX_PAGE_ORDER - 1.
 */
static void test_isolation_splits_large_block(void **state)
{
	struct pa_zone_counts c0, c1;
	unsigned long b = start_pfn() + 8 * PB; /* 8 pageblocks: aligned to MAX_PAGE_ORDER */

	(void)state;
	machine();
	c0 = normal();
	assert_int_equal(pa_isolate_range(b, b + PB, PA_MIGRATE_MOVABLE, 0), 0);
	c1 = normal();
	if (PA_PAGEBLOCK_ORDER == PA_MAX_PAGE_ORDER) {
		assert_int_equal(c1.nr_free[PA_MAX_PAGE_ORDER], c0.nr_free[PA_MAX_PAGE_ORDER]);
	} else {
		assert_int_equal(c1.nr_free[PA_MAX_PAGE_ORDER], c0.nr_free[PA_MAX_PAGE_ORDER] - 1);
		assert_int_equal(c1.nr_free[PA_PAGEBLOCK_ORDER], c0.nr_free[PA_PAGEBLOCK_ORDER] + 2);
		for (int o = PA_PAGEBLOCK_ORDER + 1; o < PA_MAX_PAGE_ORDER; o++)
			assert_int_equal(c1.nr_free[o], c0.nr_free[o] + 1);
	}
	th_check();
	assert_int_equal(pa_undo_isolate_range(b, b + PB, PA_MIGRATE_MOVABLE), 0);
	assert_memory_equal(normal().nr_free, c0.nr_free, sizeof(c0.nr_free));
	th_check();
}

/*
 * A buddy pair of pageblocks, one isolated: freeing both leaves two
 * pageblock_order blocks on separate lists; undo merges them.
 */
static void test_isolation_stops_merging(void **state)
{
	static char before[4096], after[4096];
	unsigned long b = start_pfn() + 6 * PB, i_b = ~0UL, i_buddy = ~0UL;
	struct pa_zone_counts c;

	(void)state;
	machine();
	th_buddyinfo(before, sizeof(before));
	assert_int_equal(hold_all(GFP_MOV, PA_PAGEBLOCK_ORDER), NR_BLOCKS);
	for (unsigned long i = 0; i < nheld; i++) {
		if (held_pfn(i) == b)
			i_b = i;
		if (held_pfn(i) == (b ^ PB))
			i_buddy = i;
	}
	assert_true(i_b != ~0UL && i_buddy != ~0UL);
	/* Allocated movable pages do not stop isolation. */
	assert_int_equal(pa_isolate_range(b, b + PB, PA_MIGRATE_MOVABLE, 0), 0);
	assert_int_equal(pa_free_pages(held[i_b], PA_PAGEBLOCK_ORDER), 0);
	assert_int_equal(pa_free_pages(held[i_buddy], PA_PAGEBLOCK_ORDER), 0);
	held[i_b] = held[i_buddy] = NULL;
	c = normal();
	assert_int_equal(c.nr_free[PA_PAGEBLOCK_ORDER], 2);
	assert_int_equal(c.free_mt[PA_MIGRATE_ISOLATE], PB);
	assert_int_equal(c.free_mt[PA_MIGRATE_MOVABLE], PB);
	assert_int_equal(c.free, PB);
	th_check();
	assert_int_equal(pa_undo_isolate_range(b, b + PB, PA_MIGRATE_MOVABLE), 0);
	c = normal();
	if (PA_PAGEBLOCK_ORDER < PA_MAX_PAGE_ORDER) {
		assert_int_equal(c.nr_free[PA_PAGEBLOCK_ORDER], 0);
		assert_int_equal(c.nr_free[PA_PAGEBLOCK_ORDER + 1], 1);
	}
	assert_int_equal(c.free, 2 * PB);
	free_held(PA_PAGEBLOCK_ORDER);
	th_buddyinfo(after, sizeof(after));
	assert_string_equal(before, after);
	th_check();
}

/*
 * Allocate a block of two pageblocks, isolate [pfn + @from, pfn + 2 * PB)
 * of it while it is allocated, and free it.  Return: its pfn.
 */
static unsigned long free_isolated_pair(unsigned long from)
{
	struct pa_page *p = pa_alloc_pages(GFP_MOV, PA_PAGEBLOCK_ORDER + 1);
	unsigned long pfn;

	assert_non_null(p);
	pfn = pa_page_to_pfn(p);
	assert_int_equal(pa_isolate_range(pfn + from, pfn + 2 * PB, PA_MIGRATE_MOVABLE, 0), 0);
	assert_int_equal(pa_free_pages(p, PA_PAGEBLOCK_ORDER + 1), 0);
	return pfn;
}

/* Only the upper pageblock of the pair at @pfn is isolated: all else, and none of it, allocates. */
static void assert_upper_isolated(unsigned long pfn)
{
	struct pa_zone_counts c = normal();

	assert_int_equal(c.free_mt[PA_MIGRATE_ISOLATE], PB);
	assert_int_equal(c.free, NR_PAGES - PB);
	th_check();
	assert_int_equal(hold_all(GFP_MOV, 0), NR_PAGES - PB);
	for (unsigned long i = 0; i < nheld; i++)
		assert_false(held_pfn(i) >= pfn + PB && held_pfn(i) < pfn + 2 * PB);
	free_held(0);
}

/*
 * A block of two pageblocks, allocated, then its upper pageblock isolated
 * and the block freed: each half goes to its own type's lists (nothing
 * isolated is handed out by the movable lists); undo merges them.
 */
static void test_isolation_inside_allocated_block(void **state)
{
	static char before[4096], after[4096];
	unsigned long pfn;

	(void)state;
	if (PA_PAGEBLOCK_ORDER == PA_MAX_PAGE_ORDER)
		skip();
	machine();
	th_buddyinfo(before, sizeof(before));
	pfn = free_isolated_pair(PB);
	assert_upper_isolated(pfn);
	assert_int_equal(pa_undo_isolate_range(pfn + PB, pfn + 2 * PB, PA_MIGRATE_MOVABLE), 0);
	th_buddyinfo(after, sizeof(after));
	assert_string_equal(before, after);
	th_check();
}

/*
 * A block of two pageblocks, both isolated while it was allocated, is
 * freed as two isolated pageblocks, never as one isolated block: undoing
 * the first then gives back exactly that one and the second stays isolated.
 */
static void test_isolated_free_block_per_pageblock(void **state)
{
	unsigned long pfn;

	(void)state;
	if (PA_PAGEBLOCK_ORDER == PA_MAX_PAGE_ORDER)
		skip();
	machine();
	pfn = free_isolated_pair(0);
	th_check(); /* rejects an isolated free block above pageblock order */
	assert_int_equal(pa_test_pages_isolated(pfn, pfn + 2 * PB), 0);
	assert_int_equal(pa_undo_isolate_range(pfn, pfn + PB, PA_MIGRATE_MOVABLE), 0);
	assert_int_equal(pa_test_pages_isolated(pfn + PB, pfn + 2 * PB), 0);
	assert_upper_isolated(pfn);
	assert_int_equal(pa_undo_isolate_range(pfn + PB, pfn + 2 * PB, PA_MIGRATE_MOVABLE), 0);
	assert_int_equal(normal().free, NR_PAGES);
	th_check();
}

#ifdef CONFIG_PA_PCP
/*
 * With per-CPU sets: pages a set holds from the block go to the isolated
 * lists when it is isolated, and a page freed there later skips the set.
 */
static void test_isolation_pcp(void **state)
{
	static char before[4096], after[4096];
	struct pa_pcp_info pi;
	struct pa_page *p;
	unsigned long b, isolated;

	(void)state;
	pa_pcp_set_enabled(true);
	machine();
	pa_drain_all_pages();
	th_buddyinfo(before, sizeof(before));
	p = pa_alloc_pages(GFP_MOV, 0);
	assert_non_null(p);
	assert_int_equal(pa_pcp_get(0, PA_ZONE_NORMAL, 0, &pi), 0);
	assert_true(pi.count > 0); /* the refill kept a batch here */
	b = PA_ALIGN_DOWN(pa_page_to_pfn(p), PB);
	assert_int_equal(pa_isolate_range(b, b + PB, PA_MIGRATE_MOVABLE, 0), 0);
	assert_int_equal(pa_pcp_get(0, PA_ZONE_NORMAL, 0, &pi), 0);
	assert_int_equal(pi.count, 0);
	isolated = normal().free_mt[PA_MIGRATE_ISOLATE];
	assert_int_equal(isolated, PB - 1);
	assert_int_equal(pa_test_pages_isolated(b, b + PB), -PA_EBUSY);
	assert_int_equal(pa_free_pages(p, 0), 0);
	assert_int_equal(pa_pcp_get(0, PA_ZONE_NORMAL, 0, &pi), 0);
	assert_int_equal(pi.count, 0);
	assert_int_equal(normal().free_mt[PA_MIGRATE_ISOLATE], PB);
	assert_int_equal(pa_test_pages_isolated(b, b + PB), 0);
	th_check();
	assert_int_equal(pa_undo_isolate_range(b, b + PB, PA_MIGRATE_MOVABLE), 0);
	th_buddyinfo(after, sizeof(after));
	assert_string_equal(before, after);
	th_check();
}
#endif

/* ------------------------------------------------------------ contiguous ranges */

/*
 * Every page allocated as movable, then all but the two pageblocks at
 * @cover freed: the range inside them is full of movable pages and the
 * hook has room elsewhere.
 */
static void occupied_machine(unsigned long cover)
{
	machine();
	assert_int_equal(hold_all(GFP_MOV, 0), NR_PAGES);
	free_held_outside(cover, cover + 2 * PB, 0);
}

static void test_contig_range_migrates(void **state)
{
	static char before[4096], after[4096];
	unsigned long cover = start_pfn() + 8 * PB;
	unsigned long a = cover + 100, b = cover + PB + 300; /* not aligned */
	unsigned long free0;

	(void)state;
	machine();
	th_buddyinfo(before, sizeof(before));
	th_reset();
	setup(NULL);
	occupied_machine(cover);
	free0 = normal().free;
	assert_int_equal(free0, NR_PAGES - 2 * PB);
	assert_int_equal(pa_alloc_contig_range(a, b, PA_MIGRATE_MOVABLE, GFP_MOV), 0);
	assert_int_equal(th_log_lines(), 0);
	assert_int_equal(nmoves, b - a);
	for (unsigned long i = 0; i < nmoves; i++)
		assert_false(moved_to[i] >= cover && moved_to[i] < cover + 2 * PB);
	for (unsigned long pfn = a; pfn < b; pfn++) {
		const struct pa_page *p = pa_pfn_to_page(pfn);

		assert_true(pa_page_test(p, PA_PG_head));
		assert_int_equal(pa_page_order(p), 0);
		assert_int_equal(pa_page_count(p), 1);
	}
	/* Destinations came from the free pages; the range's own pages are not free. */
	assert_int_equal(normal().free, free0 - (b - a));
	assert_int_equal(pa_get_pageblock_migratetype(cover), PA_MIGRATE_MOVABLE);
	assert_int_equal(pa_get_pageblock_migratetype(cover + PB), PA_MIGRATE_MOVABLE);
	th_check();
	assert_int_equal(pa_free_contig_range(a, b - a), 0);
	assert_int_equal(normal().free, free0);
	free_held(0);
	th_buddyinfo(after, sizeof(after));
	assert_string_equal(before, after);
	th_check();
}

/* A pageblock with an unmovable page: -EBUSY, no hook call, nothing changed. */
static void test_contig_unmovable_fails(void **state)
{
	static struct snapshot s;
	struct pa_page *u;
	unsigned long ublock, a;

	(void)state;
	machine();
	u = pa_alloc_pages(GFP_UNMOV, 0);
	assert_non_null(u);
	ublock = PA_ALIGN_DOWN(pa_page_to_pfn(u), PB);
	assert_int_equal(hold(GFP_MOV, 0) != NULL, 1);
	/* The range starts a pageblock earlier when it can: that one is isolated first. */
	a = ublock > start_pfn() ? ublock - PB : ublock;
	snap(&s);
	assert_int_equal(pa_alloc_contig_range(a, ublock + PB, PA_MIGRATE_MOVABLE, GFP_MOV),
			 -PA_EBUSY);
	assert_int_equal(th_log_lines(), 0);
	assert_int_equal(nmoves, 0);
	assert_same(&s);
	assert_int_equal(pa_isolate_range(a, ublock + PB, PA_MIGRATE_MOVABLE, 0), -PA_EBUSY);
	assert_same(&s);
	/* The flag lets it through. */
	assert_int_equal(pa_isolate_range(a, ublock + PB, PA_MIGRATE_MOVABLE,
					  PA_ISOLATE_UNMOVABLE_OK), 0);
	assert_int_equal(pa_get_pageblock_migratetype(ublock), PA_MIGRATE_ISOLATE);
	th_check();
	assert_int_equal(pa_free_pages(u, 0), 0);
	free_held(0);
}

/* The hook refuses at once, after some moves, or says yes and keeps the page. */
static void test_contig_hook_refuses(void **state)
{
	static struct snapshot s;
	unsigned long cover = start_pfn() + 4 * PB, free0;

	(void)state;
	occupied_machine(cover);
	hook_mode = HOOK_REFUSE;
	snap(&s);
	assert_int_equal(pa_alloc_contig_range(cover, cover + 2 * PB, PA_MIGRATE_MOVABLE, GFP_MOV),
			 -PA_EBUSY);
	assert_int_equal(nmoves, 0);
	assert_same(&s);
	hook_mode = HOOK_KEEP;
	assert_int_equal(pa_alloc_contig_range(cover, cover + 2 * PB, PA_MIGRATE_MOVABLE, GFP_MOV),
			 -PA_EBUSY);
	assert_same(&s);
	/* Five moves, then a refusal: each move took a free page and freed one. */
	hook_mode = HOOK_REFUSE;
	hook_budget = 5;
	free0 = normal().free;
	assert_int_equal(pa_alloc_contig_range(cover, cover + 2 * PB, PA_MIGRATE_MOVABLE, GFP_MOV),
			 -PA_EBUSY);
	assert_int_equal(nmoves, 5);
	assert_int_equal(normal().free, free0);
	assert_int_equal(th_log_lines(), 0);
	th_check();
	free_held(0);
	th_check();
}

/*
 * pa_alloc_contig_pages(): the first range aligned to the power of two
 * >= nr_pages, after moving the movable pages that sat there; a range
 * with an unmovable page is passed over.
 */
static void test_contig_pages(void **state)
{
	static char before[4096], after[4096];
	unsigned long nr = PB + PB / 2, step = 2 * PB; /* 1.5 pageblocks: aligned to 2 */
	struct pa_page *p, *u;
	unsigned long pfn, upfn;

	(void)state;
	machine();
	th_buddyinfo(before, sizeof(before));
	p = pa_alloc_contig_pages(nr, GFP_MOV, PA_NUMA_NO_NODE, NULL);
	assert_non_null(p);
	assert_int_equal(pa_page_to_pfn(p), start_pfn()); /* the zone start is aligned */
	assert_int_equal(normal().free, NR_PAGES - nr);
	th_check();
	assert_int_equal(pa_free_contig_range(pa_page_to_pfn(p), nr), 0);
	th_buddyinfo(after, sizeof(after));
	assert_string_equal(before, after);
	/* Movable pages at the start: migrated.  An unmovable page: skipped. */
	assert_int_equal(hold_all(GFP_MOV, 0), NR_PAGES);
	free_held_outside(start_pfn(), start_pfn() + 4 * PB, 0);
	u = pa_alloc_pages(GFP_UNMOV, 0);
	assert_non_null(u);
	upfn = pa_page_to_pfn(u);
	p = pa_alloc_contig_pages(nr, GFP_MOV, 0, NULL);
	assert_non_null(p);
	pfn = pa_page_to_pfn(p);
	assert_int_equal(pfn % step, 0);
	assert_false(upfn >= PA_ALIGN_DOWN(pfn, PB) && upfn < PA_ALIGN_UP(pfn + nr, PB));
	for (unsigned long i = 0; i < nmoves; i++)
		assert_false(moved_to[i] >= pfn && moved_to[i] < pfn + nr);
	th_check();
	assert_int_equal(pa_free_contig_range(pfn, nr), 0);
	assert_int_equal(pa_free_pages(u, 0), 0);
	free_held(0);
	th_buddyinfo(after, sizeof(after));
	assert_string_equal(before, after);
}

/*
 * pa_free_contig_range() frees any range of allocated order-0 pages, as
 * Linux's free_contig_range() does: here eight single pages across the
 * boundary of ZONE_NORMAL and ZONE_MOVABLE, in one call.
 */
static void test_free_contig_range_across_zones(void **state)
{
	const pa_gfp_t gfp = PA_GFP_HIGHUSER_MOVABLE | PA__GFP_MEMALLOC | PA__GFP_NOWARN;
	static char before[4096], after[4096];
	unsigned long mz;

	(void)state;
	assert_int_equal(pa_set_movablecore((pa_phys_t)(NR_PAGES / 4) << PA_PAGE_SHIFT), 0);
	machine();
	mz = th_pa_zone(0, PA_ZONE_MOVABLE)->zone_start_pfn;
	assert_true(mz > start_pfn());
	th_buddyinfo(before, sizeof(before));
	assert_true(hold_all(gfp, 0) > 0);
	free_held_outside(mz - 4, mz + 4, 0);
	for (unsigned long pfn = mz - 4; pfn < mz + 4; pfn++) /* held, in both zones */
		assert_int_equal(pa_page_count(pa_pfn_to_page(pfn)), 1);
	assert_int_equal(pa_page_zone_type(pa_pfn_to_page(mz - 1)), PA_ZONE_NORMAL);
	assert_int_equal(pa_page_zone_type(pa_pfn_to_page(mz)), PA_ZONE_MOVABLE);
	th_check();
	assert_int_equal(pa_free_contig_range(mz - 4, 8), 0);
	assert_int_equal(th_log_lines(), 0);
	th_check();
	th_buddyinfo(after, sizeof(after));
	assert_string_equal(before, after);
}

/* ------------------------------------------------------------ bad input */

static void test_bad_input_before_init(void **state)
{
	(void)state;
	th_assert_error(pa_isolate_range(0, PB, PA_MIGRATE_MOVABLE, 0), PA_ENODEV, "pa_init");
	th_assert_error(pa_undo_isolate_range(0, PB, PA_MIGRATE_MOVABLE), PA_ENODEV, "pa_init");
	th_assert_error(pa_test_pages_isolated(0, PB), PA_ENODEV, "pa_init");
	th_assert_error(pa_alloc_contig_range(0, PB, PA_MIGRATE_MOVABLE, GFP_MOV), PA_ENODEV,
			"pa_init");
	th_assert_error(pa_free_contig_range(0, 1), PA_ENODEV, "pa_init");
	assert_null(pa_alloc_contig_pages(1, GFP_MOV, PA_NUMA_NO_NODE, NULL));
	assert_int_equal(th_log_lines(), 1);
}

/*
 * One row per bad call after init: error, exactly one log line naming the
 * problem, buddyinfo and pagetypeinfo unchanged.  The machine has a
 * ZONE_MOVABLE (movablecore) above ZONE_NORMAL to span.
 */
static void test_bad_input_table(void **state)
{
	static struct snapshot s;
	unsigned long zs = start_pfn(), b = zs + 2 * PB, out = zs + 64 * NR_PAGES, mz;
	struct pa_page *page;

	(void)state;
	assert_int_equal(pa_set_movablecore((pa_phys_t)(NR_PAGES / 4) << PA_PAGE_SHIFT), 0);
	machine();
	mz = th_pa_zone(0, PA_ZONE_MOVABLE)->zone_start_pfn;
	assert_true(mz > zs);
	page = pa_alloc_pages(GFP_UNMOV, 0);
	snap(&s);
	th_assert_error(pa_isolate_range(b + 1, b + PB, PA_MIGRATE_MOVABLE, 0), PA_EINVAL, "aligned");
	th_assert_error(pa_isolate_range(b, b, PA_MIGRATE_MOVABLE, 0), PA_EINVAL, "empty");
	th_assert_error(pa_isolate_range(b + PB, b, PA_MIGRATE_MOVABLE, 0), PA_EINVAL, "reversed");
	th_assert_error(pa_isolate_range(out, out + PB, PA_MIGRATE_MOVABLE, 0), PA_EINVAL, "outside");
	th_assert_error(pa_isolate_range(mz - PB, mz + PB, PA_MIGRATE_MOVABLE, 0), PA_EINVAL,
			"one zone");
	th_assert_error(pa_isolate_range(b, b + PB, PA_MIGRATE_HIGHATOMIC, 0), PA_EINVAL,
			"migratetype");
	th_assert_error(pa_isolate_range(b, b + PB, PA_MIGRATE_MOVABLE, 0x80), PA_EINVAL, "flags");
	th_assert_error(pa_undo_isolate_range(b, b + 3, PA_MIGRATE_MOVABLE), PA_EINVAL, "aligned");
	th_assert_error(pa_test_pages_isolated(b + 5, b), PA_EINVAL, "reversed");
	th_assert_error(pa_alloc_contig_range(b, b, PA_MIGRATE_MOVABLE, GFP_MOV), PA_EINVAL, "empty");
	th_assert_error(pa_alloc_contig_range(b + 9, b + 3, PA_MIGRATE_MOVABLE, GFP_MOV), PA_EINVAL,
			"reversed");
	th_assert_error(pa_alloc_contig_range(out, out + 1, PA_MIGRATE_MOVABLE, GFP_MOV), PA_EINVAL,
			"outside");
	th_assert_error(pa_alloc_contig_range(mz - 1, mz + 1, PA_MIGRATE_MOVABLE, GFP_MOV),
			PA_EINVAL, "one zone");
	th_assert_error(pa_alloc_contig_range(b, b + 1, PA_MIGRATE_UNMOVABLE, GFP_MOV), PA_EINVAL,
			"MOVABLE");
	th_assert_error(pa_alloc_contig_range(b, b + 1, PA_MIGRATE_MOVABLE,
					      PA__GFP_MOVABLE | PA__GFP_RECLAIMABLE),
			PA_EINVAL, "GFP");
	th_assert_error(pa_free_contig_range(b, 0), PA_EINVAL, "empty");
	th_assert_error(pa_free_contig_range(b, 1), PA_EINVAL, "order-0"); /* a free page */
	th_assert_error(pa_free_contig_range(out, 1), PA_EINVAL, "outside");
	th_log_clear();
	assert_null(pa_alloc_contig_pages(0, GFP_MOV, PA_NUMA_NO_NODE, NULL));
	assert_int_equal(th_log_lines(), 1);
	th_log_clear();
	assert_null(pa_alloc_contig_pages(1, GFP_MOV, PA_MAX_NUMNODES + 1, NULL));
	assert_int_equal(th_log_lines(), 1);
	assert_same(&s);
	assert_int_equal(pa_free_pages(page, 0), 0);
}

#endif /* CONFIG_PA_MEMORY_ISOLATION */

#ifdef CONFIG_PA_CMA

/* ------------------------------------------------------------ CMA */

#define CMA_BLOCKS 4UL
#define CMA_PAGES (CMA_BLOCKS * PB)
/* The area's bitmap (one bit per page) takes one reserved page of boot memory. */
#define CMA_MANAGED (NR_PAGES - 1)

/* The machine with a CMA area of four pageblocks, eight pageblocks in. */
static struct pa_cma *cma_machine(void)
{
	struct pa_cma *cma = NULL;

	assert_int_equal(pa_memblock_add(BASE, (pa_phys_t)NR_PAGES << PA_PAGE_SHIFT, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_cma_declare(BASE + ((pa_phys_t)8 * PB << PA_PAGE_SHIFT),
					(pa_phys_t)CMA_PAGES << PA_PAGE_SHIFT, "test", &cma), 0);
	assert_non_null(cma);
	assert_int_equal(pa_init(), 0);
	return cma;
}

static unsigned long cma_start(void)
{
	return start_pfn() + 8 * PB;
}

static bool in_cma(unsigned long pfn)
{
	return pfn >= cma_start() && pfn < cma_start() + CMA_PAGES;
}

/* The CMA column of pagetypeinfo's "Number of blocks type" line for Normal. */
static unsigned long cma_block_column(void)
{
	static char text[8192];
	unsigned long v[PA_MIGRATE_TYPES];
	const char *line;

	th_text(pa_print_pagetypeinfo, text, sizeof(text));
	line = strstr(strstr(text, "Number of blocks type"), "Node 0, zone   Normal ");
	assert_non_null(line);
	line += strlen("Node 0, zone   Normal ");
	for (int mt = 0; mt < PA_MIGRATE_TYPES; mt++) {
		char *end;

		v[mt] = strtoul(line, &end, 10);
		line = end;
	}
	return v[PA_MIGRATE_CMA];
}

static void test_cma_area_shows(void **state)
{
	static char zi[16384], want[64];

	(void)state;
	cma_machine();
	th_zoneinfo(zi, sizeof(zi));
	snprintf(want, sizeof(want), "\n        cma      %lu\n", CMA_PAGES);
	assert_non_null(strstr(zi, want));
	snprintf(want, sizeof(want), "\n      nr_free_cma  %lu\n", CMA_PAGES);
	assert_non_null(strstr(zi, want));
	assert_int_equal(cma_block_column(), CMA_BLOCKS);
	for (unsigned long i = 0; i < CMA_BLOCKS; i++)
		assert_int_equal(pa_get_pageblock_migratetype(cma_start() + i * PB), PA_MIGRATE_CMA);
	assert_int_equal(normal().free_mt[PA_MIGRATE_CMA], CMA_PAGES);
	assert_int_equal(normal().managed, CMA_MANAGED);
	th_check();
}

/* Unmovable requests never get CMA pages; movable ones get them once the rest is gone. */
static void test_cma_only_movable(void **state)
{
	unsigned long n;

	(void)state;
	cma_machine();
	n = hold_all(GFP_UNMOV, 0);
	assert_int_equal(n, CMA_MANAGED - CMA_PAGES);
	for (unsigned long i = 0; i < nheld; i++)
		assert_false(in_cma(held_pfn(i)));
	n = hold_all(GFP_MOV, 0);
	assert_int_equal(n, CMA_PAGES);
	for (unsigned long i = CMA_MANAGED - CMA_PAGES; i < nheld; i++)
		assert_true(in_cma(held_pfn(i)));
	th_check();
	free_held(0);
	assert_int_equal(normal().free_mt[PA_MIGRATE_CMA], CMA_PAGES);
	th_check();
}

/* pa_cma_alloc() takes aligned ranges back from movable pages borrowing them. */
static void test_cma_alloc_release(void **state)
{
	static char before[4096], after[4096];
	struct pa_cma *cma;
	struct pa_page *p, *q;
	unsigned long count = PB / 2 + 3;

	(void)state;
	cma = cma_machine();
	th_buddyinfo(before, sizeof(before));
	assert_int_equal(hold_all(GFP_MOV, 0), CMA_MANAGED);
	free_held_outside(cma_start(), cma_start() + CMA_PAGES, 0);
	p = pa_cma_alloc(cma, count, PA_PAGEBLOCK_ORDER, false);
	assert_non_null(p);
	assert_int_equal(pa_page_to_pfn(p), cma_start());
	q = pa_cma_alloc(cma, count, PA_PAGEBLOCK_ORDER, false);
	assert_non_null(q);
	assert_int_equal(pa_page_to_pfn(q), cma_start() + PB); /* next aligned free range */
	assert_int_equal(nmoves, 2 * count);
	for (unsigned long i = 0; i < nmoves; i++)
		assert_false(in_cma(moved_to[i]));
	for (unsigned long i = 0; i < count; i++)
		assert_int_equal(pa_page_count(p + i), 1);
	for (unsigned long i = 0; i < CMA_BLOCKS; i++)
		assert_int_equal(pa_get_pageblock_migratetype(cma_start() + i * PB), PA_MIGRATE_CMA);
	th_check();
	assert_int_equal(pa_cma_release(cma, p, count), 0);
	assert_int_equal(normal().free_mt[PA_MIGRATE_CMA], count);
	th_assert_error(pa_cma_release(cma, p, count), PA_EINVAL, "not allocated");
	assert_int_equal(pa_cma_release(cma, q, count), 0);
	free_held(0);
	th_buddyinfo(after, sizeof(after));
	assert_string_equal(before, after);
	assert_int_equal(normal().free_mt[PA_MIGRATE_CMA], CMA_PAGES);
	th_check();
}

static void test_cma_bad_input(void **state)
{
	struct pa_cma *cma = NULL, *cma2 = NULL;
	pa_phys_t pbb = (pa_phys_t)PB << PA_PAGE_SHIFT;
	static struct snapshot s;
	struct pa_page *page;

	(void)state;
	assert_int_equal(pa_memblock_add(BASE, (pa_phys_t)NR_PAGES << PA_PAGE_SHIFT, 0), 0);
	th_assert_error(pa_cma_declare(BASE + PA_PAGE_SIZE, pbb, NULL, &cma), PA_EINVAL, "aligned");
	th_assert_error(pa_cma_declare(BASE, pbb / 2, NULL, &cma), PA_EINVAL, "multiple");
	th_assert_error(pa_cma_declare(BASE + 64 * GiB, pbb, NULL, &cma), PA_EINVAL, "memory");
	th_assert_error(pa_cma_declare(BASE, pbb, NULL, NULL), PA_EINVAL, "NULL");
	assert_int_equal(pa_cma_declare(BASE, pbb, NULL, &cma), 0);
	th_assert_error(pa_cma_declare(BASE, pbb, NULL, &cma2), PA_EEXIST, "overlaps");
	assert_int_equal(pa_cma_reserve(pbb, PA_NUMA_NO_NODE, "top", &cma2), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	th_assert_error(pa_cma_declare(BASE + 4 * pbb, pbb, NULL, &cma2), PA_EBUSY, "pa_init");
	page = pa_alloc_pages(GFP_UNMOV, 0);
	snap(&s);
	assert_null(pa_cma_alloc(cma, 0, 0, false));
	assert_int_equal(th_log_lines(), 1);
	th_log_clear();
	assert_null(pa_cma_alloc(cma, PB + 1, 0, true));
	assert_int_equal(th_log_lines(), 1);
	th_log_clear();
	assert_null(pa_cma_alloc((struct pa_cma *)page, 1, 0, false));
	assert_int_equal(th_log_lines(), 1);
	th_log_clear();
	th_assert_error(pa_cma_release(cma, page, 1), PA_EINVAL, "not allocated");
	assert_same(&s);
	assert_int_equal(pa_free_pages(page, 0), 0);
}

/* An area that ends up across two zones stays ordinary memory, as Linux. */
static void test_cma_across_zones(void **state)
{
	pa_phys_t movable = (pa_phys_t)(NR_PAGES / 4) << PA_PAGE_SHIFT;
	pa_phys_t pbb = (pa_phys_t)PB << PA_PAGE_SHIFT, mz;
	struct pa_cma *cma = NULL;

	(void)state;
	/* Where ZONE_MOVABLE starts on this machine: a dry run. */
	assert_int_equal(pa_set_movablecore(movable), 0);
	machine();
	mz = (pa_phys_t)th_pa_zone(0, PA_ZONE_MOVABLE)->zone_start_pfn << PA_PAGE_SHIFT;
	assert_true(mz > BASE);
	setup(NULL);
	assert_int_equal(pa_set_movablecore(movable), 0);
	assert_int_equal(pa_memblock_add(BASE, (pa_phys_t)NR_PAGES << PA_PAGE_SHIFT, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_cma_declare(mz - pbb, 2 * pbb, "across", &cma), 0);
	assert_int_equal(pa_init(), 0);
	assert_int_equal((pa_phys_t)th_pa_zone(0, PA_ZONE_MOVABLE)->zone_start_pfn
				 << PA_PAGE_SHIFT, mz);
	assert_int_equal(th_log_lines(), 1);
	assert_non_null(strstr(th_last_log(), "could not be activated"));
	th_log_clear();
	assert_int_equal(normal().cma + th_zone(0, PA_ZONE_MOVABLE).cma, 0);
	assert_int_equal(normal().managed + th_zone(0, PA_ZONE_MOVABLE).managed, NR_PAGES - 1);
	assert_int_equal(pa_get_pageblock_migratetype((unsigned long)(mz >> PA_PAGE_SHIFT)),
			 PA_MIGRATE_MOVABLE);
	assert_null(pa_cma_alloc(cma, 1, 0, true));
	assert_int_equal(th_log_lines(), 1);
	th_check();
}

/* pa_cma_reserve(): the highest pageblock-aligned room, an active area. */
static void test_cma_reserve(void **state)
{
	struct pa_cma *cma = NULL;
	struct pa_page *p;
	unsigned long top = start_pfn() + NR_PAGES;

	(void)state;
	assert_int_equal(pa_memblock_add(BASE, (pa_phys_t)NR_PAGES << PA_PAGE_SHIFT, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_cma_reserve((pa_phys_t)PB << PA_PAGE_SHIFT, 0, "top", &cma), 0);
	assert_int_equal(pa_init(), 0);
	assert_int_equal(normal().cma, PB);
	/* The top pageblock; the bitmap's page then went just below it. */
	assert_int_equal(pa_get_pageblock_migratetype(top - PB), PA_MIGRATE_CMA);
	assert_int_equal(pa_get_pageblock_migratetype(top - 2 * PB), PA_MIGRATE_MOVABLE);
	p = pa_cma_alloc(cma, PB, PA_PAGEBLOCK_ORDER, false);
	assert_non_null(p);
	assert_int_equal(pa_page_to_pfn(p), top - PB);
	assert_null(pa_cma_alloc(cma, 1, 0, true)); /* full */
	assert_int_equal(th_log_lines(), 0);
	assert_int_equal(pa_cma_release(cma, p, PB), 0);
	assert_int_equal(normal().free_cma, PB);
	th_check();
}

#else /* !CONFIG_PA_CMA */

static void test_cma_not_configured(void **state)
{
	struct pa_cma *cma = NULL;

	(void)state;
	th_assert_error(pa_cma_declare(BASE, (pa_phys_t)PB << PA_PAGE_SHIFT, NULL, &cma),
			PA_EOPNOTSUPP, "CONFIG_PA_CMA");
	assert_null(cma);
}

#endif /* CONFIG_PA_CMA */

#ifndef CONFIG_PA_MEMORY_ISOLATION
/* Built without isolation: every call says so, once, and changes nothing. */
static void test_isolation_not_configured(void **state)
{
	(void)state;
	th_assert_error(pa_isolate_range(0, PB, PA_MIGRATE_MOVABLE, 0), PA_EOPNOTSUPP,
			"CONFIG_PA_MEMORY_ISOLATION");
	th_assert_error(pa_alloc_contig_range(0, PB, PA_MIGRATE_MOVABLE, GFP_MOV), PA_EOPNOTSUPP,
			"CONFIG_PA_MEMORY_ISOLATION");
	assert_null(pa_alloc_contig_pages(1, GFP_MOV, PA_NUMA_NO_NODE, NULL));
	assert_int_equal(th_log_lines(), 1);
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
#ifdef CONFIG_PA_MEMORY_ISOLATION
		cmocka_unit_test_setup(test_isolation_stops_allocation, setup),
		cmocka_unit_test_setup(test_isolation_splits_large_block, setup),
		cmocka_unit_test_setup(test_isolation_stops_merging, setup),
		cmocka_unit_test_setup(test_isolation_inside_allocated_block, setup),
		cmocka_unit_test_setup(test_isolated_free_block_per_pageblock, setup),
#ifdef CONFIG_PA_PCP
		cmocka_unit_test_setup(test_isolation_pcp, setup),
#endif
		cmocka_unit_test_setup(test_contig_range_migrates, setup),
		cmocka_unit_test_setup(test_contig_unmovable_fails, setup),
		cmocka_unit_test_setup(test_contig_hook_refuses, setup),
		cmocka_unit_test_setup(test_contig_pages, setup),
		cmocka_unit_test_setup(test_free_contig_range_across_zones, setup),
		cmocka_unit_test_setup(test_bad_input_before_init, setup),
		cmocka_unit_test_setup(test_bad_input_table, setup),
#else
		cmocka_unit_test_setup(test_isolation_not_configured, setup),
#endif
#ifdef CONFIG_PA_CMA
		cmocka_unit_test_setup(test_cma_area_shows, setup),
		cmocka_unit_test_setup(test_cma_only_movable, setup),
		cmocka_unit_test_setup(test_cma_alloc_release, setup),
		cmocka_unit_test_setup(test_cma_bad_input, setup),
		cmocka_unit_test_setup(test_cma_across_zones, setup),
		cmocka_unit_test_setup(test_cma_reserve, setup),
#else
		cmocka_unit_test_setup(test_cma_not_configured, setup),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
