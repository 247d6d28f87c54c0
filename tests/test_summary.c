// SPDX-License-Identifier: MIT
/*
 * pa_show_free_areas(), Linux's show_free_areas() summary: the whole text
 * of a machine of one zone, line by line, with every figure worked out by
 * hand from the machine and the allocations made on it; the boost in the
 * marks; the per-CPU pages; bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "th_internal.h"
#include "harness.h"

/* Pages in kB, and the largest order. */
#define KB(pages) ((unsigned long)(pages) * (PA_PAGE_SIZE / 1024))
#define TOP PA_MAX_PAGE_ORDER
/* The zone: four free blocks of the largest order. */
#define ZONE_PAGES (4 * PA_MAX_ORDER_NR_PAGES)
/*
 * The marks, set by hand: min_free_kbytes 1024 gives the only (lowmem)
 * zone a min of 1024 kB; watermark_scale_factor 1 makes the step to low
 * and to high min / 4 (256 kB), above managed / 10000 pages at every page
 * size: 1024 kB min, 1280 kB low, 1536 kB high.
 */
#define MIN_KB 1024UL
#define LOW_KB (MIN_KB + MIN_KB / 4)
#define HIGH_KB (MIN_KB + 2 * (MIN_KB / 4))

_Static_assert(TOP >= 3, "the allocations below split blocks of order 3 and more");

static int teardown(void **state)
{
	(void)state;
	th_reset();
	return 0;
}

/*
 * One node, one Normal zone of ZONE_PAGES pages at 4 GiB, one CPU; marks
 * as above; grouping by mobility on (Linux would switch it off in a zone
 * of fewer pageblocks than migratetypes, as with 16 KiB pages here).
 */
static void machine(void)
{
	const long min_kbytes = (long)MIN_KB, scale = 1;

	assert_int_equal(pa_set_nr_cpus(1), 0);
	assert_int_equal(pa_set_mobility_grouping(1), 0);
	assert_int_equal(pa_memblock_add(4 * GiB, (pa_phys_t)ZONE_PAGES * PA_PAGE_SIZE, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).managed, ZONE_PAGES);
	assert_int_equal(pa_sysctl_set("min_free_kbytes", &min_kbytes, 1), 0);
	assert_int_equal(pa_sysctl_set("watermark_scale_factor", &scale, 1), 0);
	th_log_clear();
}

/* What the zone's free lists hold: blocks per order and the letters of their lists. */
struct lists {
	unsigned long nr[PA_NR_PAGE_ORDERS];
	const char *types[PA_NR_PAGE_ORDERS];
};

/* Lists holding @nr blocks of @types at each order from @lo to @hi. */
static void set_orders(struct lists *l, int lo, int hi, unsigned long nr, const char *types)
{
	for (int o = lo; o <= hi; o++) {
		l->nr[o] = nr;
		l->types[o] = types;
	}
}

/* Append to @buf (holding @*n characters) as snprintf would. */
static void add(char *buf, size_t size, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void add(char *buf, size_t size, size_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	*n += (size_t)vsnprintf(buf + *n, size - *n, fmt, ap);
	va_end(ap);
	assert_true(*n < size);
}

/* The expected text: @free pages, the zone's @boost, its free lists @l. */
static void expected(char *buf, size_t size, unsigned long free, unsigned long boost,
		     const struct lists *l)
{
	unsigned long total = 0;
	size_t n = 0;

	add(buf, size, &n, "Mem-Info:\nfree:%lu free_pcp:0 free_cma:0\n", free);
	add(buf, size, &n, "Node 0 Normal free:%lukB boost:%lukB min:%lukB low:%lukB high:%lukB",
	    KB(free), KB(boost), MIN_KB + KB(boost), LOW_KB + KB(boost), HIGH_KB + KB(boost));
	add(buf, size, &n, " reserved_highatomic:0KB present:%lukB managed:%lukB", KB(ZONE_PAGES),
	    KB(ZONE_PAGES));
	add(buf, size, &n, " free_pcp:0kB free_cma:0kB\nlowmem_reserve[]:");
	for (int z = 0; z < PA_MAX_NR_ZONES; z++)
		add(buf, size, &n, " 0");
	add(buf, size, &n, "\nNode 0 Normal: ");
	for (int o = 0; o < PA_NR_PAGE_ORDERS; o++) {
		add(buf, size, &n, "%lu*%lukB ", l->nr[o], KB(1UL << o));
		if (l->nr[o])
			add(buf, size, &n, "(%s) ", l->types[o]);
		total += l->nr[o] << o;
	}
	add(buf, size, &n, "= %lukB\n", KB(total));
	assert_int_equal(total, free);
}

/* Compare @got with @want line by line. */
static void assert_lines(const char *got, const char *want)
{
	int line = 1;

	while (*got || *want) {
		size_t g = strcspn(got, "\n"), w = strcspn(want, "\n");
		char a[1024], b[1024];

		assert_true(g < sizeof(a) && w < sizeof(b));
		snprintf(a, sizeof(a), "%.*s", (int)g, got);
		snprintf(b, sizeof(b), "%.*s", (int)w, want);
		if (strcmp(a, b))
			fail_msg("line %d:\n  got  '%s'\n  want '%s'", line, a, b);
		assert_int_equal(got[g], want[w]); /* both end the line, or both the text */
		got += g + (got[g] == '\n');
		want += w + (want[w] == '\n');
		line++;
	}
}

static void expect_summary(unsigned long free, unsigned long boost, const struct lists *l)
{
	char got[4096], want[4096];

	expected(want, sizeof(want), free, boost, l);
	th_text(pa_show_free_areas, got, sizeof(got));
	assert_lines(got, want);
	assert_int_equal(th_log_lines(), 0);
}

/*
 * Four free blocks of order TOP, all movable; then, with the per-CPU sets
 * off (each allocation straight from the buddy lists):
 *   a movable page: one order-TOP block splits, leaving one free block of
 *     each order 0..TOP-1 (M) and three of TOP;
 *   an unmovable order-2 block: no unmovable list holds one, so the
 *     largest fallback, a movable order-TOP block, becomes unmovable
 *     (whole pageblocks: no boost) and splits: orders 2..TOP-1 (U);
 *   a reclaimable order-1 block: likewise from another movable order-TOP
 *     block (reclaimable falls back to unmovable first, but no unmovable
 *     block of order TOP is free): orders 1..TOP-1 (E).
 * Free: order 0 1 (M), 1 2 (ME), 2..TOP-1 3 (UME), TOP 1 (M); 7 pages used.
 * Freeing the page merges it with its buddies back into one order-TOP
 * block; freeing the other two gives four order-TOP blocks again, on the
 * lists of their pageblocks' new types: two movable, one unmovable, one
 * reclaimable.
 */
static void test_summary_by_hand(void **state)
{
	struct lists l = { 0 };
	struct pa_page *page, *unmov, *recl;

	(void)state;
	machine();
#ifdef CONFIG_PA_PCP
	assert_int_equal(pa_pcp_set_enabled(false), 0);
#endif
	set_orders(&l, TOP, TOP, 4, "M");
	expect_summary(ZONE_PAGES, 0, &l);

	page = pa_alloc_pages(PA_GFP_HIGHUSER_MOVABLE, 0);
	unmov = pa_alloc_pages(PA_GFP_KERNEL, 2);
	recl = pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_RECLAIMABLE, 1);
	assert_non_null(page);
	assert_non_null(unmov);
	assert_non_null(recl);
	set_orders(&l, 0, 0, 1, "M");
	set_orders(&l, 1, 1, 2, "ME");
	set_orders(&l, 2, TOP - 1, 3, "UME");
	set_orders(&l, TOP, TOP, 1, "M");
	expect_summary(ZONE_PAGES - 7, 0, &l);

	assert_int_equal(pa_free_pages(page, 0), 0);
	set_orders(&l, 0, 0, 0, NULL);
	set_orders(&l, 1, 1, 1, "E");
	set_orders(&l, 2, TOP - 1, 2, "UE");
	set_orders(&l, TOP, TOP, 2, "M");
	expect_summary(ZONE_PAGES - 6, 0, &l);

	assert_int_equal(pa_free_pages(unmov, 2), 0);
	assert_int_equal(pa_free_pages(recl, 1), 0);
	set_orders(&l, 0, TOP - 1, 0, NULL);
	set_orders(&l, TOP, TOP, 4, "UME");
	expect_summary(ZONE_PAGES, 0, &l);
	th_check();
}

/* Linux 6.12's min_wmark_pages() and the others add the boost: so does the summary. */
static void test_summary_boost(void **state)
{
	struct pa_zone *zone;
	struct lists l = { 0 };
	unsigned long flags;

	(void)state;
	machine();
#ifdef CONFIG_PA_PCP
	assert_int_equal(pa_pcp_set_enabled(false), 0);
#endif
	zone = th_pa_zone(0, PA_ZONE_NORMAL);
	flags = pa_port_spin_lock_irqsave(&zone->lock);
	zone->watermark_boost = PA_PAGEBLOCK_NR_PAGES;
	pa_port_spin_unlock_irqrestore(&zone->lock, flags);
	set_orders(&l, TOP, TOP, 4, "M");
	expect_summary(ZONE_PAGES, PA_PAGEBLOCK_NR_PAGES, &l);
	flags = pa_port_spin_lock_irqsave(&zone->lock);
	zone->watermark_boost = 0;
	pa_port_spin_unlock_irqrestore(&zone->lock, flags);
}

#ifdef CONFIG_PA_PCP
/*
 * A page allocated and freed with the per-CPU sets on stays on this CPU's
 * set with the rest of its batch: those pages are free_pcp, not free.
 */
static void test_summary_pcp(void **state)
{
	char got[4096], want[128];
	struct pa_pcp_info pi;
	struct pa_page *page;

	(void)state;
	machine();
	page = pa_alloc_pages(PA_GFP_HIGHUSER_MOVABLE, 0);
	assert_non_null(page);
	assert_int_equal(pa_free_pages(page, 0), 0);
	assert_int_equal(pa_pcp_get(0, PA_ZONE_NORMAL, 0, &pi), 0);
	assert_true(pi.count > 0);
	th_text(pa_show_free_areas, got, sizeof(got));
	snprintf(want, sizeof(want), "Mem-Info:\nfree:%lu free_pcp:%d free_cma:0\n",
		 ZONE_PAGES - (unsigned long)pi.count, pi.count);
	assert_true(!strncmp(got, want, strlen(want)));
	snprintf(want, sizeof(want), " managed:%lukB free_pcp:%lukB free_cma:0kB\n",
		 KB(ZONE_PAGES), KB(pi.count));
	assert_non_null(strstr(got, want));
}
#endif

static void discard(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	(void)s;
	(void)len;
}

static void test_summary_bad_input(void **state)
{
	(void)state;
	th_assert_error(pa_show_free_areas(discard, NULL), PA_ENODEV,
			"pa_show_free_areas: called before pa_init()");
	th_assert_error(pa_show_free_areas(NULL, NULL), PA_ENODEV, "pa_show_free_areas");
	machine();
	th_assert_error(pa_show_free_areas(NULL, NULL), PA_EINVAL,
			"pa_show_free_areas: NULL print function");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_summary_by_hand, th_setup, teardown),
		cmocka_unit_test_setup_teardown(test_summary_boost, th_setup, teardown),
#ifdef CONFIG_PA_PCP
		cmocka_unit_test_setup_teardown(test_summary_pcp, th_setup, teardown),
#endif
		cmocka_unit_test_setup_teardown(test_summary_bad_input, th_setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
