// SPDX-License-Identifier: MIT
/*
 * Exhaustion, as a table over GFP classes: on a fresh machine without any
 * reclaim (the default hooks free nothing), allocate until the allocator
 * says no, and check where each class stopped against the watermark
 * formula of Linux 6.12's __zone_watermark_ok(), worked out here:
 *   - an order-0 request fails once free <= mark + lowmem_reserve, so it
 *     stops with free == mark + protection;
 *   - the slow path's mark is min; ALLOC_MIN_RESERVE (__GFP_HIGH) takes
 *     min / 2 off, and together with ALLOC_NON_BLOCK (no direct reclaim)
 *     a further quarter of the rest: min - min/2 - (min - min/2)/4;
 *   - __GFP_MEMALLOC has no watermark at all: down to 0 free;
 *   - a zone used as fallback for a higher zone keeps its protection,
 *     lowmem_reserve = managed pages of the higher zones / 256 (DMA32's
 *     lowmem_reserve_ratio).
 * Then: reserves hold (GFP_ATOMIC gets pages GFP_KERNEL could not, and
 * __GFP_MEMALLOC the rest), and freeing everything gives back the initial
 * /proc/buddyinfo byte for byte.  The per-CPU sets are off so zone free
 * counts are exact.  test_reclaim.c covers the same reserves with reclaim
 * hooks and kswapd; here nothing can be reclaimed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

#define ZONE_MIB 64
#define ZONE_PAGES ((unsigned long)ZONE_MIB * MiB / PA_PAGE_SIZE)
#define MAX_BLOCKS (2 * ZONE_PAGES)
#define HAVE_DMA32 IS_ENABLED(CONFIG_PA_ZONE_DMA32)
#ifdef CONFIG_PA_ZONE_DMA32
#define ZONE_D PA_ZONE_DMA32
#else
#define ZONE_D PA_ZONE_NORMAL /* never used: HAVE_DMA32 is 0 */
#endif

static struct pa_page *held[MAX_BLOCKS];
static unsigned long nheld;
static char initial[4096];

static int setup(void **state)
{
	th_setup(state);
	nheld = 0;
	return 0;
}

/*
 * One node: ZONE_NORMAL of 64 MiB at 4 GiB, plus ZONE_DMA32 of 64 MiB at
 * 1 GiB when configured; external mem_map so managed == present.
 */
static void machine(void)
{
	assert_int_equal(pa_set_nr_cpus(1), 0);
	if (HAVE_DMA32) {
		assert_int_equal(pa_memblock_add(1 * GiB, ZONE_MIB * MiB, 0), 0);
		assert_int_equal(pa_set_zone_limit(ZONE_D, 4 * GiB), 0);
	}
	assert_int_equal(pa_memblock_add(4 * GiB, ZONE_MIB * MiB, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	assert_int_equal(pa_pcp_set_enabled(false), 0);
	th_buddyinfo(initial, sizeof(initial));
}

/* Allocate with @gfp at @order until it fails; returns how many blocks. */
static unsigned long exhaust(pa_gfp_t gfp, unsigned int order)
{
	unsigned long n = 0;
	struct pa_page *p;

	while ((p = pa_alloc_pages(gfp, order)) != NULL) {
		assert_true(nheld < MAX_BLOCKS);
		held[nheld++] = p;
		n++;
	}
	return n;
}

/* Free everything: buddyinfo is what pa_init() left, the verifier passes. */
static void free_all_and_compare(void)
{
	char now[4096];

	while (nheld)
		assert_int_equal(pa_put_page(held[--nheld]), 0);
	th_buddyinfo(now, sizeof(now));
	assert_string_equal(now, initial);
	th_check();
}

enum mark { MIN, MIN_RESERVE, ATOMIC_RESERVE, NO_WATERMARK };

/* The free count an order-0 class stops at in a zone whose min is @min. */
static unsigned long stop_at(enum mark m, unsigned long min)
{
	unsigned long half = min - min / 2;

	switch (m) {
	case MIN:
		return min;
	case MIN_RESERVE:
		return half;
	case ATOMIC_RESERVE:
		return half - half / 4;
	case NO_WATERMARK:
		return 0;
	}
	return ~0UL;
}

struct row {
	const char *name;
	pa_gfp_t gfp;
	enum mark mark;
	bool dma32_only; /* may not use ZONE_NORMAL */
};

static const struct row rows[] = {
	{ "GFP_KERNEL", PA_GFP_KERNEL, MIN, false },
	{ "GFP_USER", PA_GFP_USER, MIN, false },
	{ "GFP_HIGHUSER_MOVABLE", PA_GFP_HIGHUSER_MOVABLE, MIN, false },
	{ "GFP_NOIO", PA_GFP_NOIO, MIN, false },
	{ "GFP_NOWAIT", PA_GFP_NOWAIT, MIN, false }, /* NON_BLOCK alone lowers nothing */
	{ "GFP_KERNEL|__GFP_HIGH", PA_GFP_KERNEL | PA__GFP_HIGH, MIN_RESERVE, false },
	{ "GFP_ATOMIC", PA_GFP_ATOMIC, ATOMIC_RESERVE, false },
	{ "__GFP_HIGH", PA__GFP_HIGH, ATOMIC_RESERVE, false },
	{ "GFP_KERNEL|__GFP_MEMALLOC", PA_GFP_KERNEL | PA__GFP_MEMALLOC, NO_WATERMARK, false },
	{ "GFP_DMA32", PA_GFP_DMA32, MIN, true },
	{ "GFP_KERNEL|GFP_DMA32", PA_GFP_KERNEL | PA_GFP_DMA32, MIN, true },
};

/* Order 0: where the row's class stops in each zone. */
static void run_row(const struct row *r)
{
	struct pa_zone_counts n, d = { 0 };
	unsigned long protect = ZONE_PAGES / 256; /* DMA32's reserve against Normal/Movable */

	machine();
	n = th_zone(0, PA_ZONE_NORMAL);
	if (HAVE_DMA32)
		d = th_zone(0, ZONE_D);
	assert_int_equal(n.managed, ZONE_PAGES);
	exhaust(r->gfp | PA__GFP_NOWARN, 0);
	if (r->dma32_only)
		assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, ZONE_PAGES);
	else
		assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, stop_at(r->mark, n.wmark_min));
	if (HAVE_DMA32)
		assert_int_equal(th_zone(0, ZONE_D).free,
				 stop_at(r->mark, d.wmark_min) +
					 (r->dma32_only || r->mark == NO_WATERMARK ? 0 : protect));
	free_all_and_compare();
}

static void test_exhaust_table(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (rows[i].dma32_only && !HAVE_DMA32)
			continue;
		print_message("  %s\n", rows[i].name);
		run_row(&rows[i]);
		setup(NULL);
	}
}

/* Largest multiple of 8 <= @v: where an order-3 run stops (free counts stay multiples of 8). */
static unsigned long down8(unsigned long v)
{
	return v & ~7UL;
}

/*
 * Order 3 with GFP_KERNEL: a request passes while free - 7 > mark +
 * protection, and every free count is a multiple of 8, so each zone stops
 * at the largest multiple of 8 not above mark + protection + 7.
 */
static void test_exhaust_order3(void **state)
{
	struct pa_zone_counts n, d = { 0 };
	unsigned long got;

	(void)state;
	machine();
	n = th_zone(0, PA_ZONE_NORMAL);
	if (HAVE_DMA32)
		d = th_zone(0, ZONE_D);
	got = exhaust(PA_GFP_KERNEL | PA__GFP_NOWARN, 3);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, down8(n.wmark_min + 7));
	if (HAVE_DMA32)
		assert_int_equal(th_zone(0, ZONE_D).free,
				 down8(d.wmark_min + ZONE_PAGES / 256 + 7));
	assert_int_equal(got * 8, ZONE_PAGES - down8(n.wmark_min + 7) +
				       (HAVE_DMA32 ? ZONE_PAGES - down8(d.wmark_min + ZONE_PAGES / 256 + 7) : 0));
	free_all_and_compare();
}

/*
 * Reserves hold: after GFP_KERNEL failed, GFP_ATOMIC still gets pages (down
 * to its own mark) and __GFP_MEMALLOC the rest; its failure then logs one
 * warning (no __GFP_NOWARN).
 */
static void test_atomic_after_kernel(void **state)
{
	struct pa_zone_counts n, d = { 0 };
	unsigned long atomic;

	(void)state;
	machine();
	n = th_zone(0, PA_ZONE_NORMAL);
	if (HAVE_DMA32)
		d = th_zone(0, ZONE_D);
	exhaust(PA_GFP_KERNEL | PA__GFP_NOWARN, 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, n.wmark_min);
	assert_int_equal(th_log_lines(), 0);
	atomic = exhaust(PA_GFP_ATOMIC, 0);
	/* Each zone from min (+ protection for DMA32) down to the atomic mark (+ it). */
	assert_int_equal(atomic, n.wmark_min - stop_at(ATOMIC_RESERVE, n.wmark_min) +
				 (HAVE_DMA32 ? d.wmark_min - stop_at(ATOMIC_RESERVE, d.wmark_min) : 0));
	if (HAVE_DMA32)
		assert_int_equal(th_zone(0, ZONE_D).free,
				 stop_at(ATOMIC_RESERVE, d.wmark_min) + ZONE_PAGES / 256);
	assert_int_equal(th_log_lines(), 1);
	assert_non_null(strstr(th_last_log(), "page allocation failure: order:0"));
	exhaust(PA_GFP_KERNEL | PA__GFP_MEMALLOC, 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, 0);
	if (HAVE_DMA32)
		assert_int_equal(th_zone(0, ZONE_D).free, 0);
	assert_int_equal(th_log_lines(), 2); /* MEMALLOC's own failure at 0 */
	free_all_and_compare();
}

/* The Unmovable column of pagetypeinfo's "Number of blocks type" line for @zone. */
static unsigned long unmovable_blocks(const char *zone)
{
	static char text[8192];
	char want[64];
	const char *line;

	th_text(pa_print_pagetypeinfo, text, sizeof(text));
	snprintf(want, sizeof(want), "Node 0, zone %8s ", zone);
	line = strstr(strstr(text, "Number of blocks type"), want);
	assert_non_null(line);
	return strtoul(line + strlen(want), NULL, 10);
}

/*
 * A kernel without kswapd: this file defines no pa_port_wake_kswapd().
 * One ZONE_NORMAL of eight pageblocks or more (boosts need four, and
 * grouping by mobility stays on); movable pages hold every other page of each
 * pageblock; GFP_KERNEL then falls back into those movable pageblocks a
 * few pages at a time, each fallback one that would raise the watermarks
 * by a pageblock (Linux's boost_watermark()) for kswapd to reclaim and
 * take back.  With no kswapd no boost is applied, and GFP_KERNEL stops at
 * the min watermark, where Linux stops once its kswapd has run, not at
 * min plus a boost that nothing would ever take back.
 */
static void test_fallback_without_kswapd(void **state)
{
	const pa_gfp_t mov = PA_GFP_HIGHUSER_MOVABLE | PA__GFP_MEMALLOC | PA__GFP_NOWARN;
	/* At least 8 pageblocks, and 64 MiB: half of it free must be well above min. */
	const unsigned long pages = 8UL * PA_PAGEBLOCK_NR_PAGES > PAGES(64 * MiB)
					    ? 8UL * PA_PAGEBLOCK_NR_PAGES
					    : PAGES(64 * MiB);
	struct pa_page **hold = calloc(pages, sizeof(*hold));
	struct pa_zone_counts n;
	unsigned long nh = 0, kept = 0;
	struct pa_page *p;

	(void)state;
	assert_non_null(hold);
	assert_int_equal(pa_set_nr_cpus(1), 0);
	assert_int_equal(pa_memblock_add(4 * GiB, (pa_phys_t)pages << PA_PAGE_SHIFT, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	assert_int_equal(pa_pcp_set_enabled(false), 0);
	assert_true(pa_mobility_grouping());
	n = th_zone(0, PA_ZONE_NORMAL);
	th_buddyinfo(initial, sizeof(initial));
	while ((p = pa_alloc_pages(mov, 0)) != NULL)
		hold[nh++] = p;
	assert_int_equal(nh, pages);
	/* The pages of even pfn go back: single pages that cannot merge. */
	for (unsigned long i = 0; i < nh; i++) {
		if (pa_page_to_pfn(hold[i]) % 2)
			hold[kept++] = hold[i];
		else
			assert_int_equal(pa_free_pages(hold[i], 0), 0);
	}
	nh = kept;
	assert_int_equal(unmovable_blocks("Normal"), 0);
	while ((p = pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_NOWARN, 0)) != NULL)
		hold[nh++] = p;
	assert_true(unmovable_blocks("Normal") > 0); /* it did fall back */
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).boost, 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, n.wmark_min);
	while (nh)
		assert_int_equal(pa_free_pages(hold[--nh], 0), 0);
	free(hold);
	free_all_and_compare();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_exhaust_table, setup),
		cmocka_unit_test_setup(test_exhaust_order3, setup),
		cmocka_unit_test_setup(test_atomic_after_kernel, setup),
		cmocka_unit_test_setup(test_fallback_without_kswapd, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
