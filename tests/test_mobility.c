// SPDX-License-Identifier: MIT
/*
 * Grouping by mobility: fallback order, claiming a pageblock versus
 * stealing pages (Linux's steal_suitable_fallback() rule: claim when free
 * plus compatible pages make half the block), the watermark boost and its
 * cap, kswapd resetting it, and the highatomic reserve's release before an
 * allocation fails.  Per-CPU sets off: the tests count buddy pages exactly.
 */
#include <stdio.h>
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

#define PB PA_PAGEBLOCK_NR_PAGES
/* Below every watermark on purpose, with the type bits given. */
#define GFP_MOV (PA_GFP_KERNEL | PA__GFP_MOVABLE | PA__GFP_MEMALLOC | PA__GFP_NOWARN)
#define GFP_UNMOV (PA_GFP_KERNEL | PA__GFP_MEMALLOC | PA__GFP_NOWARN)

static struct pa_page **held;
static unsigned long nheld;

static int setup(void **state)
{
	th_setup_exact(state);
	free(held);
	held = NULL;
	nheld = 0;
	return 0;
}

/* 64K pages: 512 MiB pageblocks would not fit below 4 GiB. */
#if defined(CONFIG_PA_ZONE_DMA32) && PA_PAGE_SHIFT < 16
#define DMA32_TESTS 1
/*
 * One DMA32 zone of @blocks pageblocks at 1 GiB (preferred zone DMA32, so
 * no ALLOC_NOFRAGMENT), every page then allocated as movable.
 */
static struct pa_zone *full_movable_zone(unsigned long blocks)
{
	unsigned long n = blocks * PB;
	struct pa_page *p;

	assert_int_equal(pa_memblock_add(1 * GiB, (pa_phys_t)n << PA_PAGE_SHIFT, 0), 0);
	assert_int_equal(pa_set_zone_limit(PA_ZONE_DMA32, 4 * GiB), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	held = calloc(n, sizeof(*held));
	while ((p = pa_alloc_pages(GFP_MOV | PA__GFP_DMA32, 0)) != NULL)
		held[nheld++] = p;
	assert_int_equal(nheld, n);
	return th_pa_zone(0, PA_ZONE_DMA32);
}

/* Free every @step-th page of the first pageblock: order-0 holes, no merging. */
static unsigned long punch_holes(unsigned long step)
{
	unsigned long freed = 0;

	for (unsigned long i = 0; i < PB; i += step) {
		assert_int_equal(pa_free_pages(held[i], 0), 0);
		held[i] = NULL;
		freed++;
	}
	return freed;
}

static int block_type(unsigned long idx)
{
	return pa_get_pageblock_migratetype(pa_page_to_pfn(held[idx ? idx : 1]));
}

/*
 * Half the block free (every other page): an unmovable request claims it,
 * the free pages move to the unmovable lists.
 */
static void test_claim_half_free_block(void **state)
{
	struct pa_page *p;
	unsigned long freed;

	(void)state;
	full_movable_zone(4);
	freed = punch_holes(2); /* PB / 2 free: exactly Linux's threshold */
	assert_int_equal(freed, PB / 2);
	p = pa_alloc_pages(GFP_UNMOV | PA__GFP_DMA32, 0);
	assert_non_null(p);
	assert_int_equal(block_type(1), PA_MIGRATE_UNMOVABLE);
	assert_int_equal(th_zone(0, PA_ZONE_DMA32).free_mt[PA_MIGRATE_UNMOVABLE], freed - 1);
	assert_int_equal(th_zone(0, PA_ZONE_DMA32).free_mt[PA_MIGRATE_MOVABLE], 0);
	assert_int_equal(pa_vm_event_count(PA_PGALLOC_FALLBACK_CLAIM),
			 IS_ENABLED(CONFIG_PA_VM_EVENT_COUNTERS) ? 1 : 0);
	th_check();
	assert_int_equal(pa_free_pages(p, 0), 0);
	th_check();
}

/* A quarter free, the rest movable: the unmovable request only steals a page. */
static void test_steal_from_busy_block(void **state)
{
	struct pa_page *p;
	unsigned long freed;

	(void)state;
	full_movable_zone(4);
	freed = punch_holes(4);
	p = pa_alloc_pages(GFP_UNMOV | PA__GFP_DMA32, 0);
	assert_non_null(p);
	assert_int_equal(block_type(1), PA_MIGRATE_MOVABLE);
	assert_int_equal(th_zone(0, PA_ZONE_DMA32).free_mt[PA_MIGRATE_MOVABLE], freed - 1);
	assert_int_equal(pa_vm_event_count(PA_PGALLOC_FALLBACK_CLAIM), 0);
	assert_int_equal(pa_vm_event_count(PA_PGALLOC_FALLBACK),
			 IS_ENABLED(CONFIG_PA_VM_EVENT_COUNTERS) ? 1 : 0);
	th_check();
}

/*
 * Grouping off (Linux's page_group_by_mobility_disabled): every request is
 * unmovable, and a fallback claims the block whatever its occupancy.
 */
static void test_grouping_off(void **state)
{
	(void)state;
	assert_int_equal(pa_set_mobility_grouping(0), 0);
	assert_int_equal(pa_memblock_add(1 * GiB, 4 * PB << PA_PAGE_SHIFT, 0), 0);
	assert_int_equal(pa_set_zone_limit(PA_ZONE_DMA32, 4 * GiB), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	assert_false(pa_mobility_grouping());
	struct pa_page *p = pa_alloc_pages(PA_GFP_HIGHUSER_MOVABLE, 0);
	assert_int_equal(pa_get_pageblock_migratetype(pa_page_to_pfn(p)), PA_MIGRATE_UNMOVABLE);
	assert_int_equal(pa_free_pages(p, 0), 0);
	th_assert_error(pa_set_mobility_grouping(1), PA_EBUSY, "after pa_init");
	th_check();
}

/*
 * Each fragmenting fallback (a block smaller than a pageblock) boosts the
 * watermark by one pageblock, up to watermark_boost_factor / 10000 of the
 * high watermark (at least one pageblock); kswapd's run drops it.
 */
static void test_boost_and_cap(void **state)
{
	unsigned long high, cap;
	long factor = 100000; /* 10 x high */
	struct pa_page *p[4];

	(void)state;
	full_movable_zone(8);
	assert_int_equal(pa_sysctl_set("watermark_boost_factor", &factor, 1), 0);
	high = th_zone(0, PA_ZONE_DMA32).wmark_high;
	cap = PA_MAX(PB, high * 10);
	punch_holes(8);
	for (int i = 0; i < 4; i++) {
		p[i] = pa_alloc_pages(GFP_UNMOV | PA__GFP_DMA32, 0);
		assert_non_null(p[i]);
		assert_int_equal(th_zone(0, PA_ZONE_DMA32).boost, PA_MIN((unsigned long)(i + 1) * PB, cap));
	}
	/* The boost is in the watermarks zoneinfo shows. */
	assert_int_equal(th_zone(0, PA_ZONE_DMA32).wmark_high, high + PA_MIN(4 * PB, cap));
	assert_true(kswapd_wakes > 0);
	assert_true(pa_kswapd_balance(0) >= 0);
	assert_int_equal(th_zone(0, PA_ZONE_DMA32).boost, 0);
	/* Factor 0: no boost at all. */
	factor = 0;
	assert_int_equal(pa_sysctl_set("watermark_boost_factor", &factor, 1), 0);
	struct pa_page *q = pa_alloc_pages(GFP_UNMOV | PA__GFP_DMA32, 0);
	assert_non_null(q);
	assert_int_equal(th_zone(0, PA_ZONE_DMA32).boost, 0);
	th_check();
}

/* Zones smaller than four pageblocks are never boosted. */
static void test_no_boost_in_small_zone(void **state)
{
	(void)state;
	full_movable_zone(3);
	punch_holes(8);
	assert_non_null(pa_alloc_pages(GFP_UNMOV | PA__GFP_DMA32, 0));
	assert_int_equal(th_zone(0, PA_ZONE_DMA32).boost, 0);
	th_check();
}

/* The page at offset @i of full_movable_zone()'s zone, and its pageblock. */
static struct pa_page *at(unsigned long i)
{
	return pa_pfn_to_page((unsigned long)(1 * GiB >> PA_PAGE_SHIFT) + i);
}

static unsigned long block_of(const struct pa_page *p)
{
	return (pa_page_to_pfn(p) - (unsigned long)(1 * GiB >> PA_PAGE_SHIFT)) / PB;
}

static int type_of_block(unsigned long b)
{
	return pa_get_pageblock_migratetype(pa_page_to_pfn(at(b * PB)));
}

/* White-box: pageblock @b takes type @mt while its pages stay allocated. */
static void retype(unsigned long b, int mt)
{
	pa_set_pageblock_migratetype(pa_page_to_pfn(at(b * PB)), mt);
}

static void free_range(unsigned long from, unsigned long to, unsigned long step)
{
	for (unsigned long i = from; i < to; i += step)
		assert_int_equal(pa_free_pages(at(i), 0), 0);
}

static unsigned long free_of(int mt)
{
	return th_zone(0, PA_ZONE_DMA32).free_mt[mt];
}

/*
 * Linux's fallback table: a request of type @mt whose own lists are empty
 * takes from @first, then from @second.  Blocks 0 and 1 (types @first and
 * @second) hold two order-0 holes each, block 2 (type @mt) none; all the
 * rest is allocated movable, so every fallback steals one page and no
 * block changes type.
 */
static void fallback_order(pa_gfp_t gfp, int mt, int first, int second)
{
	full_movable_zone(3);
	retype(0, first);
	retype(1, second);
	retype(2, mt);
	free_range(0, 8, 4);
	free_range(PB, PB + 8, 4);
	for (unsigned long i = 0; i < 4; i++) {
		struct pa_page *p = pa_alloc_pages(gfp | PA__GFP_DMA32, 0);

		assert_non_null(p);
		assert_int_equal(block_of(p), i < 2 ? 0 : 1);
	}
	assert_int_equal(type_of_block(0), first);
	assert_int_equal(type_of_block(1), second);
	assert_int_equal(type_of_block(2), mt);
	assert_int_equal(pa_vm_event_count(PA_PGALLOC_FALLBACK),
			 IS_ENABLED(CONFIG_PA_VM_EVENT_COUNTERS) ? 4 : 0);
	assert_int_equal(pa_vm_event_count(PA_PGALLOC_FALLBACK_CLAIM), 0);
	th_check();
}

static void test_fallback_unmovable(void **state)
{
	(void)state;
	fallback_order(GFP_UNMOV, PA_MIGRATE_UNMOVABLE, PA_MIGRATE_RECLAIMABLE, PA_MIGRATE_MOVABLE);
}

static void test_fallback_movable(void **state)
{
	(void)state;
	fallback_order(GFP_MOV, PA_MIGRATE_MOVABLE, PA_MIGRATE_RECLAIMABLE, PA_MIGRATE_UNMOVABLE);
}

static void test_fallback_reclaimable(void **state)
{
	(void)state;
	fallback_order(GFP_UNMOV | PA__GFP_RECLAIMABLE, PA_MIGRATE_RECLAIMABLE,
		       PA_MIGRATE_UNMOVABLE, PA_MIGRATE_MOVABLE);
}

/*
 * A movable request may claim a block only when the free block it falls
 * back to is at least half a pageblock (can_steal_fallback() on the
 * block's order).  Block 0 is unmovable with half its pages free and the
 * other half allocated movable: as order-0 holes (@holes) the request
 * steals one page; as one free block of order pageblock_order - 1 it
 * claims the block (free + movable pages make all of it), which turns
 * movable.
 */
static void movable_fallback(bool holes)
{
	int mt = holes ? PA_MIGRATE_UNMOVABLE : PA_MIGRATE_MOVABLE; /* block 0's type after */
	struct pa_page *p;

	full_movable_zone(4);
	retype(0, PA_MIGRATE_UNMOVABLE);
	if (holes)
		free_range(0, PB, 2);
	else
		free_range(0, PB / 2, 1); /* merges into one block of pageblock_order - 1 */
	assert_int_equal(th_zone(0, PA_ZONE_DMA32).free, PB / 2);
	p = pa_alloc_pages(GFP_MOV | PA__GFP_DMA32, 0);
	assert_non_null(p);
	assert_int_equal(block_of(p), 0);
	assert_int_equal(type_of_block(0), mt);
	assert_int_equal(free_of(mt), PB / 2 - 1);
	if (!holes)
		assert_int_equal(free_of(PA_MIGRATE_UNMOVABLE), 0);
	assert_int_equal(pa_vm_event_count(PA_PGALLOC_FALLBACK_CLAIM),
			 IS_ENABLED(CONFIG_PA_VM_EVENT_COUNTERS) && !holes ? 1 : 0);
	th_check();
}

static void test_movable_claim_by_block_order(void **state)
{
	(void)state;
	movable_fallback(true);
	th_reset();
	setup(NULL);
	movable_fallback(false);
}

/*
 * Unmovable requests of orders 0 and 2 against one free block in a
 * movable pageblock whose other pages are allocated movable: a quarter of
 * the block free is below half, so the request splits the free block and
 * the pageblock stays movable; half of it free is claimed, and the rest
 * of the free block lands on the unmovable lists.
 */
static void claim_or_steal(unsigned long nfree, unsigned int order, bool claims)
{
	struct pa_page *p;

	full_movable_zone(4);
	free_range(0, nfree, 1);
	p = pa_alloc_pages(GFP_UNMOV | PA__GFP_DMA32, order);
	assert_non_null(p);
	assert_int_equal(block_of(p), 0);
	assert_int_equal(type_of_block(0), claims ? PA_MIGRATE_UNMOVABLE : PA_MIGRATE_MOVABLE);
	assert_int_equal(free_of(claims ? PA_MIGRATE_UNMOVABLE : PA_MIGRATE_MOVABLE),
			 nfree - (1UL << order));
	assert_int_equal(pa_vm_event_count(PA_PGALLOC_FALLBACK_CLAIM),
			 IS_ENABLED(CONFIG_PA_VM_EVENT_COUNTERS) && claims ? 1 : 0);
	th_check();
	assert_int_equal(pa_free_pages(p, order), 0);
	th_check();
}

static void test_unmovable_claim_by_occupancy(void **state)
{
	(void)state;
	for (unsigned int order = 0; order <= 2; order += 2) {
		claim_or_steal(PB / 4, order, false);
		th_reset();
		setup(NULL);
		claim_or_steal(PB / 2, order, true);
		th_reset();
		setup(NULL);
	}
}
#endif /* DMA32_TESTS */

/*
 * A high-order atomic allocation that reaches the slow path reserves its
 * pageblock as HIGHATOMIC (at most 1% of the zone plus one pageblock); an
 * ordinary allocation that is about to fail takes the reserve back first.
 */
static void test_highatomic_reserve_and_release(void **state)
{
	const unsigned long n = 64 * PB;
	struct pa_page *p, *atomic;
	struct pa_zone_counts c;

	(void)state;
	assert_int_equal(pa_memblock_add(4 * GiB, (pa_phys_t)n << PA_PAGE_SHIFT, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	held = calloc(n, sizeof(*held));
	/* Down to the low watermark with non-blocking movable allocations. */
	c = th_zone(0, PA_ZONE_NORMAL);
	while (th_zone(0, PA_ZONE_NORMAL).free > c.wmark_low)
		held[nheld++] = pa_alloc_pages(PA_GFP_NOWAIT | PA__GFP_MOVABLE, 0);
	atomic = pa_alloc_pages(PA_GFP_ATOMIC, 1);
	assert_non_null(atomic);
	c = th_zone(0, PA_ZONE_NORMAL);
	assert_int_equal(c.highatomic, PB);
	assert_int_equal(pa_get_pageblock_migratetype(pa_page_to_pfn(atomic)),
			 PA_MIGRATE_HIGHATOMIC);
	assert_true(c.highatomic <= n / 100 + PB);
	th_check();
	/* Exhaust with a blocking allocation: the reserve goes back before it fails. */
	while ((p = pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_NOWARN, 0)) != NULL)
		held[nheld++] = p;
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).highatomic, 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free_mt[PA_MIGRATE_HIGHATOMIC], 0);
	th_check();
	assert_int_equal(pa_free_pages(atomic, 1), 0);
	while (nheld)
		assert_int_equal(pa_free_pages(held[--nheld], 0), 0);
	th_check();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#ifdef DMA32_TESTS
		cmocka_unit_test_setup(test_claim_half_free_block, setup),
		cmocka_unit_test_setup(test_steal_from_busy_block, setup),
		cmocka_unit_test_setup(test_grouping_off, setup),
		cmocka_unit_test_setup(test_boost_and_cap, setup),
		cmocka_unit_test_setup(test_no_boost_in_small_zone, setup),
		cmocka_unit_test_setup(test_fallback_unmovable, setup),
		cmocka_unit_test_setup(test_fallback_movable, setup),
		cmocka_unit_test_setup(test_fallback_reclaimable, setup),
		cmocka_unit_test_setup(test_movable_claim_by_block_order, setup),
		cmocka_unit_test_setup(test_unmovable_claim_by_occupancy, setup),
#endif
		cmocka_unit_test_setup(test_highatomic_reserve_and_release, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
