// SPDX-License-Identifier: MIT
/*
 * The buddy core: split and merge at every order, exhaustion and full
 * recovery, bad frees, reference counts, conversions, the verifier.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "th_internal.h"

#define BLOCK_BYTES ((pa_phys_t)PA_MAX_ORDER_NR_PAGES << PA_PAGE_SHIFT)

/* A machine of @blocks largest-order blocks at 1 GiB, metadata outside. */
static void machine(unsigned long blocks)
{
	assert_int_equal(pa_memblock_add(1 * GiB, blocks * BLOCK_BYTES, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
}

static void test_split_and_merge_every_order(void **state)
{
	char before[4096], after[4096];

	(void)state;
	machine(1);
	th_buddyinfo(before, sizeof(before));
	for (unsigned int order = 0; order <= PA_MAX_PAGE_ORDER; order++) {
		struct pa_page *p = pa_alloc_pages(TH_GFP_ANY, order);
		struct pa_zone_counts c;

		assert_non_null(p);
		/* The first block of the region: the lower half is taken each split. */
		assert_int_equal(pa_page_to_phys(p), 1 * GiB);
		c = th_zone(0, PA_ZONE_NORMAL);
		/* Splitting one top block leaves exactly one free block per order in between. */
		for (unsigned int o = 0; o <= PA_MAX_PAGE_ORDER; o++)
			assert_int_equal(c.nr_free[o], o >= order && o < PA_MAX_PAGE_ORDER ? 1 : 0);
		assert_int_equal(c.free, PA_MAX_ORDER_NR_PAGES - (1UL << order));
		th_check();
		assert_int_equal(pa_free_pages(p, order), 0);
		th_buddyinfo(after, sizeof(after));
		assert_string_equal(before, after);
		th_check();
	}
}

static void test_buddies_merge_in_any_order(void **state)
{
	struct pa_page *pages[8];

	(void)state;
	machine(1);
	/* Eight order-0 pages from one order-3 block, freed out of order. */
	for (int i = 0; i < 8; i++)
		pages[i] = pa_alloc_pages(TH_GFP_ANY, 0);
	for (int i = 1; i < 8; i++)
		assert_int_equal(pa_page_to_pfn(pages[i]), pa_page_to_pfn(pages[0]) + (unsigned long)i);
	const int order[8] = { 5, 2, 7, 0, 3, 6, 1, 4 };
	for (int i = 0; i < 8; i++) {
		assert_int_equal(pa_free_pages(pages[order[i]], 0), 0);
		th_check();
	}
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).nr_free[PA_MAX_PAGE_ORDER], 1);
}

static int cmp_rand(const void *a, const void *b)
{
	(void)a;
	(void)b;
	return (rand() & 2) - 1;
}

static void test_exhaust_and_restore(void **state)
{
	char before[4096], after[4096];
	const unsigned long blocks = 4, total = blocks * PA_MAX_ORDER_NR_PAGES;
	struct pa_page **pages = calloc(total + 1, sizeof(*pages));
	unsigned long n = 0;

	(void)state;
	machine(blocks);
	th_buddyinfo(before, sizeof(before));
	while ((pages[n] = pa_alloc_pages(TH_GFP_ANY, 0)) != NULL)
		n++;
	assert_int_equal(n, total);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, 0);
	assert_int_equal(pa_nr_free_pages(), 0);
	th_check();
	/* No page handed out twice. */
	for (unsigned long i = 0; i < n; i++)
		assert_int_equal(pa_page_count(pages[i]), 1);
	srand(42);
	qsort(pages, n, sizeof(*pages), cmp_rand);
	for (unsigned long i = 0; i < n; i++)
		assert_int_equal(pa_free_pages(pages[i], 0), 0);
	th_buddyinfo(after, sizeof(after));
	assert_string_equal(before, after);
	th_check();
	free(pages);
}

static void test_mixed_orders_restore(void **state)
{
	char before[4096], after[4096];
	struct pa_page *held[512];
	unsigned int ord[512];
	int n = 0;

	(void)state;
	machine(8);
	th_buddyinfo(before, sizeof(before));
	srand(7);
	for (int i = 0; i < 4000; i++) {
		if (n < 512 && (rand() % 3 || n == 0)) {
			unsigned int o = (unsigned int)rand() % (PA_MAX_PAGE_ORDER + 1);
			struct pa_page *p = pa_alloc_pages(TH_GFP_ANY, o);

			if (p) {
				held[n] = p;
				ord[n++] = o;
			}
		} else {
			int k = rand() % n;

			assert_int_equal(pa_free_pages(held[k], ord[k]), 0);
			held[k] = held[--n];
			ord[k] = ord[n];
		}
		if (i % 500 == 0)
			th_check();
	}
	while (n--)
		assert_int_equal(pa_free_pages(held[n], ord[n]), 0);
	th_buddyinfo(after, sizeof(after));
	assert_string_equal(before, after);
	th_check();
}

static void assert_unchanged(const char *before)
{
	char after[4096];

	th_buddyinfo(after, sizeof(after));
	assert_string_equal(before, after);
	th_check();
}

static void test_bad_frees(void **state)
{
	char before[4096];
	struct pa_page *p, *q;

	(void)state;
	assert_int_equal(pa_memblock_add(1 * GiB, 4 * BLOCK_BYTES, 0), 0);
	assert_int_equal(pa_memblock_reserve(1 * GiB, PA_PAGE_SIZE), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	p = pa_alloc_pages(PA_GFP_KERNEL, 2);
	q = pa_alloc_pages(PA_GFP_KERNEL, 0);
	th_buddyinfo(before, sizeof(before));
	th_log_clear();

	/* Wrong order, larger and smaller. */
	th_assert_error(pa_free_pages(p, 3), PA_EINVAL, "larger order");
	th_assert_error(pa_free_pages(p, 1), PA_EINVAL, "smaller order");
	/* A tail page of an allocation. */
	th_assert_error(pa_free_pages(p + 1, 0), PA_EINVAL, "not the head");
	/* A reserved page. */
	th_assert_error(pa_free_pages(pa_phys_to_page(1 * GiB), 0), PA_EINVAL, "reserved");
	/* A page never allocated (inside a free block). */
	th_assert_error(pa_free_pages(pa_phys_to_page(1 * GiB + 3 * BLOCK_BYTES + PA_PAGE_SIZE), 0),
			PA_EINVAL, "not the head");
	/* Not a page of ours at all. */
	struct pa_page fake = { .flags = 0xffffffffu };
	th_assert_error(pa_free_pages(&fake, 0), PA_EFAULT, "not a page");
	th_assert_error(pa_free_pages(NULL, 0), PA_EFAULT, "not a page");
	/* Order out of range. */
	th_assert_error(pa_free_pages(p, PA_MAX_PAGE_ORDER + 1), PA_EINVAL, "MAX_PAGE_ORDER");
	assert_unchanged(before);

	/* Double free: the second is reported with the pfn and changes nothing. */
	assert_int_equal(pa_free_pages(q, 0), 0);
	th_buddyinfo(before, sizeof(before));
	th_log_clear();
	th_assert_error(pa_free_pages(q, 0), PA_EINVAL, "double free");
	assert_unchanged(before);
	assert_int_equal(pa_free_pages(p, 2), 0);
	th_check();
}

static void test_bad_page_report_names_pfn(void **state)
{
	struct pa_page *p;
	char want[64];

	(void)state;
	machine(1);
	p = pa_alloc_pages(PA_GFP_KERNEL, 0);
	assert_int_equal(pa_free_pages(p, 0), 0);
	th_log_clear();
	assert_int_equal(pa_free_pages(p, 0), -PA_EINVAL);
	snprintf(want, sizeof(want), "pfn:%05lx", pa_page_to_pfn(p));
	assert_non_null(strstr(th_last_log(), want));
	assert_non_null(strstr(th_last_log(), "flags:"));
	assert_non_null(strstr(th_last_log(), "buddy"));
}

static void test_refcount(void **state)
{
	(void)state;
	machine(1);
	struct pa_page *p = pa_alloc_pages(PA_GFP_KERNEL, 2);
	unsigned long free0 = th_zone(0, PA_ZONE_NORMAL).free;

	assert_int_equal(pa_page_count(p), 1);
	assert_int_equal(p->priv, 0);
	p->priv = 0xdeadbeef; /* the kernel's word while allocated */
	pa_get_page(p);
	assert_int_equal(pa_page_count(p), 2);
	/* Freeing with another reference held: the tails go back, the head stays. */
	assert_int_equal(pa_free_pages(p, 2), 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, free0 + 3);
	assert_int_equal(pa_page_count(p), 1);
	th_check();
	assert_int_equal(pa_put_page(p), 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, PA_MAX_ORDER_NR_PAGES);
	th_check();
	/* put_page on a plain allocation frees it with its own order. */
	p = pa_alloc_pages(PA_GFP_KERNEL, 3);
	assert_int_equal(pa_put_page(p), 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, PA_MAX_ORDER_NR_PAGES);
	th_log_clear();
	th_assert_error(pa_put_page(p), PA_EINVAL, "double free");
}

static void test_conversions(void **state)
{
	(void)state;
	machine(2);
	struct pa_page *p = pa_alloc_pages(PA_GFP_KERNEL, 0);
	unsigned long pfn = pa_page_to_pfn(p);

	assert_true(pfn >= (1 * GiB >> PA_PAGE_SHIFT));
	assert_ptr_equal(pa_pfn_to_page(pfn), p);
	assert_int_equal(pa_page_to_phys(p), (pa_phys_t)pfn << PA_PAGE_SHIFT);
	assert_ptr_equal(pa_phys_to_page(pa_page_to_phys(p) + 123), p);
	assert_int_equal(pa_page_to_nid(p), 0);
	assert_int_equal(pa_page_zone_type(p), PA_ZONE_NORMAL);
	assert_true(pa_pfn_valid(pfn));
	assert_false(pa_pfn_valid(0));
	assert_null(pa_pfn_to_page(1 * GiB >> PA_PAGE_SHIFT >> 1));
	assert_null(pa_phys_to_page(~(pa_phys_t)0));
	assert_int_equal(pa_free_pages(p, 0), 0);
}

static void test_alloc_bad_input(void **state)
{
	(void)state;
	assert_null(pa_alloc_pages(PA_GFP_KERNEL, 0));
	assert_int_equal(th_log_lines(), 1);
	assert_non_null(strstr(th_last_log(), "before pa_init"));
	th_log_clear();
	th_assert_error(pa_check(), PA_ENODEV, "before pa_init");
	machine(1);
	char before[4096];
	th_buddyinfo(before, sizeof(before));
	assert_null(pa_alloc_pages(PA_GFP_KERNEL, PA_MAX_PAGE_ORDER + 1));
	assert_int_equal(th_log_lines(), 1);
	th_log_clear();
	assert_null(pa_alloc_pages(PA__GFP_DMA | PA__GFP_DMA32, 0));
	assert_int_equal(th_log_lines(), 1);
	assert_non_null(strstr(th_last_log(), "two zones"));
	th_log_clear();
	assert_null(pa_alloc_pages(PA__GFP_MOVABLE | PA__GFP_RECLAIMABLE, 0));
	assert_int_equal(th_log_lines(), 1);
	th_log_clear();
	assert_null(pa_alloc_pages_node(PA_MAX_NUMNODES, PA_GFP_KERNEL, 0));
	assert_int_equal(th_log_lines(), 1);
	th_log_clear();
	assert_unchanged(before);
}

/* The verifier notices corruption (white-box: break the structures). */
static void test_verifier_detects_corruption(void **state)
{
	(void)state;
	machine(1);
	struct pa_zone *zone = th_pa_zone(0, PA_ZONE_NORMAL);
	struct pa_page *p = pa_alloc_pages(TH_GFP_ANY, 0);

	th_check();
	zone->free_area[3].nr_free++;
	assert_int_equal(pa_check(), -PA_EUCLEAN);
	assert_non_null(strstr(th_last_log(), "nr_free"));
	zone->free_area[3].nr_free--;
	th_check();

	zone->free_pages += 1;
	assert_int_equal(pa_check(), -PA_EUCLEAN);
	zone->free_pages -= 1;

	/* A stale fast-path mark: a boost written without the rewrite. */
	zone->watermark_boost += 1;
	assert_int_equal(pa_check(), -PA_EUCLEAN);
	assert_non_null(strstr(th_last_log(), "fast_mark"));
	zone->watermark_boost -= 1;
	th_check();

	/* A lost page: an allocated head that forgets it is allocated. */
	pa_page_clear(p, PA_PG_head);
	assert_int_equal(pa_check(), -PA_EUCLEAN);
	assert_non_null(strstr(th_last_log(), "lost"));
	pa_page_set(p, PA_PG_head);
	th_check();

	/* A broken list link. */
	struct pa_list *l = zone->free_area[1].free_list[PA_MIGRATE_MOVABLE].next;
	struct pa_list *saved = l->prev;
	l->prev = l;
	assert_int_equal(pa_check(), -PA_EUCLEAN);
	assert_non_null(strstr(th_last_log(), "corrupt"));
	l->prev = saved;
	th_check();
	assert_int_equal(pa_free_pages(p, 0), 0);
}

/*
 * The verifier notices a free block above pageblock order one of whose
 * pageblocks has another type (merging across pageblocks retypes them).
 */
static void test_verifier_detects_mixed_block(void **state)
{
	struct pa_zone *zone;
	struct pa_list *big = NULL;
	unsigned long pfn;
	int mt = 0;

	(void)state;
	if (PA_MAX_PAGE_ORDER == PA_PAGEBLOCK_ORDER)
		skip();
	machine(2);
	zone = th_pa_zone(0, PA_ZONE_NORMAL);
	th_check();
	for (unsigned int o = PA_PAGEBLOCK_ORDER + 1; o <= PA_MAX_PAGE_ORDER && !big; o++)
		for (mt = 0; mt < PA_MIGRATE_PCPTYPES; mt++)
			if (!pa_list_empty(&zone->free_area[o].free_list[mt])) {
				big = &zone->free_area[o].free_list[mt];
				break;
			}
	assert_non_null(big);
	pfn = pa_page_to_pfn(pa_lru_to_page(big->next)) + PA_PAGEBLOCK_NR_PAGES;
	pa_set_pageblock_migratetype(pfn, PA_MIGRATE_HIGHATOMIC);
	assert_int_equal(pa_check(), -PA_EUCLEAN);
	assert_non_null(strstr(th_last_log(), "holds a pageblock of type HighAtomic"));
	pa_set_pageblock_migratetype(pfn, mt);
	th_check();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_split_and_merge_every_order, th_setup_exact),
		cmocka_unit_test_setup(test_buddies_merge_in_any_order, th_setup_exact),
		cmocka_unit_test_setup(test_exhaust_and_restore, th_setup_exact),
		cmocka_unit_test_setup(test_mixed_orders_restore, th_setup_exact),
		cmocka_unit_test_setup(test_bad_frees, th_setup_exact),
		cmocka_unit_test_setup(test_bad_page_report_names_pfn, th_setup_exact),
		cmocka_unit_test_setup(test_refcount, th_setup_exact),
		cmocka_unit_test_setup(test_conversions, th_setup_exact),
		cmocka_unit_test_setup(test_alloc_bad_input, th_setup_exact),
		cmocka_unit_test_setup(test_verifier_detects_corruption, th_setup_exact),
		cmocka_unit_test_setup(test_verifier_detects_mixed_block, th_setup_exact),
	};

	return cmocka_run_group_tests_name("buddy", tests, NULL, NULL);
}
