// SPDX-License-Identifier: MIT
/*
 * <pagealloc/linux-compat.h>: code written against Linux's names compiles
 * and behaves as the pa_ API it maps to, in every configuration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

/* As a kernel's arch header would: the compat header must accept it. */
#define PAGE_SHIFT CONFIG_PA_PAGE_SHIFT
#include <pagealloc/linux-compat.h>

_Static_assert(__builtin_types_compatible_p(struct page, struct pa_page), "struct page is struct pa_page");
_Static_assert(__builtin_types_compatible_p(gfp_t, pa_gfp_t), "gfp_t is pa_gfp_t");
_Static_assert(__builtin_types_compatible_p(enum zone_type, enum pa_zone_type), "enum zone_type");

/*
 * The machine: 256 MiB around the 4 GiB line.  With the zones configured:
 * DMA [4G-128M, 4G-64M), DMA32 [4G-64M, 4G), Normal [4G, 4G+128M).
 */
#define BASE (4 * GiB - 128 * MiB)
#define DMA_LIMIT (4 * GiB - 64 * MiB)
#define DMA32_LIMIT (4 * GiB)

/* The suite's machine: 256 MiB at BASE, Linux's zone limits, an external mem_map. */
static void add_machine(void)
{
	assert_int_equal(pa_memblock_add(BASE, 256 * MiB, 0), 0);
#ifdef ZONE_DMA
	assert_int_equal(pa_set_zone_limit(ZONE_DMA, DMA_LIMIT), 0);
#endif
#ifdef ZONE_DMA32
	assert_int_equal(pa_set_zone_limit(ZONE_DMA32, DMA32_LIMIT), 0);
#endif
	th_external_memmap();
}

static int setup(void **state)
{
	th_setup_exact(state);
	add_machine();
	assert_int_equal(pa_init(), 0);
	return 0;
}

/* ------------------------------------------------------------ names */

struct name_map {
	const char *name;
	unsigned long linux_value, pa_value;
};
/* GFP_KERNEL is PA_GFP_KERNEL, but __GFP_DMA is PA__GFP_DMA (gfp.h). */
#define MAP(n) { #n, (unsigned long)(n), (unsigned long)(PA_##n) }
#define MAP__(n) { #n, (unsigned long)(n), (unsigned long)(PA##n) }

/* Every name of <pagealloc/gfp.h>, without its PA_ prefix. */
static const struct name_map gfp_names[] = {
	MAP__(__GFP_DMA), MAP__(__GFP_HIGHMEM), MAP__(__GFP_DMA32), MAP__(__GFP_MOVABLE),
	MAP(GFP_ZONEMASK), MAP__(__GFP_RECLAIMABLE), MAP(GFP_MOVABLE_MASK), MAP__(__GFP_HIGH),
	MAP__(__GFP_IO), MAP__(__GFP_FS), MAP__(__GFP_ZERO), MAP__(__GFP_DIRECT_RECLAIM),
	MAP__(__GFP_KSWAPD_RECLAIM), MAP__(__GFP_WRITE), MAP__(__GFP_NOWARN), MAP__(__GFP_RETRY_MAYFAIL),
	MAP__(__GFP_NOFAIL), MAP__(__GFP_NORETRY), MAP__(__GFP_MEMALLOC), MAP__(__GFP_COMP),
	MAP__(__GFP_NOMEMALLOC), MAP__(__GFP_HARDWALL), MAP__(__GFP_THISNODE), MAP__(__GFP_ACCOUNT),
	MAP__(__GFP_BITS_MASK), MAP__(__GFP_RECLAIM), MAP(GFP_ATOMIC), MAP(GFP_KERNEL),
	MAP(GFP_KERNEL_ACCOUNT), MAP(GFP_NOWAIT), MAP(GFP_NOIO), MAP(GFP_NOFS), MAP(GFP_USER),
	MAP(GFP_DMA), MAP(GFP_DMA32), MAP(GFP_HIGHUSER), MAP(GFP_HIGHUSER_MOVABLE),
};

static const struct name_map other_names[] = {
	MAP(PAGE_SHIFT), MAP(PAGE_SIZE), MAP(MAX_PAGE_ORDER), MAP(NR_PAGE_ORDERS),
	MAP(MAX_ORDER_NR_PAGES), MAP(PAGE_ALLOC_COSTLY_ORDER), MAP(MAX_NUMNODES), MAP(NUMA_NO_NODE),
#ifdef ZONE_DMA
	MAP(ZONE_DMA),
#endif
#ifdef ZONE_DMA32
	MAP(ZONE_DMA32),
#endif
	MAP(ZONE_NORMAL), MAP(ZONE_MOVABLE), MAP(MAX_NR_ZONES),
	MAP(MIGRATE_UNMOVABLE), MAP(MIGRATE_MOVABLE), MAP(MIGRATE_RECLAIMABLE), MAP(MIGRATE_PCPTYPES),
	MAP(MIGRATE_HIGHATOMIC),
#ifdef MIGRATE_CMA
	MAP(MIGRATE_CMA),
#endif
#ifdef MIGRATE_ISOLATE
	MAP(MIGRATE_ISOLATE),
#endif
	MAP(MIGRATE_TYPES),
};

static void assert_same_values(const struct name_map *map, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (map[i].linux_value != map[i].pa_value)
			fail_msg("%s is %#lx, its PA_ name is %#lx", map[i].name, map[i].linux_value,
				 map[i].pa_value);
}

static void test_names_map_onto_pagealloc(void **state)
{
	const char *srctree = getenv("PA_SRCTREE");
	char path[512], line[256], name[64], linux_name[66];
	unsigned int found = 0;
	FILE *f;

	(void)state;
	assert_same_values(gfp_names, sizeof(gfp_names) / sizeof(gfp_names[0]));
	assert_same_values(other_names, sizeof(other_names) / sizeof(other_names[0]));
	assert_int_equal(PAGE_SIZE, 1UL << PAGE_SHIFT);
	assert_int_equal(PAGE_MASK, ~(PAGE_SIZE - 1));
	assert_int_equal(pageblock_nr_pages, 1UL << pageblock_order);
	assert_int_equal(pageblock_order, PA_PAGEBLOCK_ORDER);
	assert_int_equal(ZONE_NORMAL, IS_ENABLED(CONFIG_PA_ZONE_DMA) + IS_ENABLED(CONFIG_PA_ZONE_DMA32));

	/* Every GFP name gfp.h defines has its Linux name in the table above. */
	if (!srctree)
		fail_msg("PA_SRCTREE is not set; run through 'make test'");
	snprintf(path, sizeof(path), "%s/include/pagealloc/gfp.h", srctree);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		bool mapped = false;

		if (sscanf(line, "#define PA_%63[A-Za-z0-9_]", name) != 1)
			continue;
		/* PA_GFP_KERNEL is GFP_KERNEL; PA__GFP_DMA is __GFP_DMA. */
		snprintf(linux_name, sizeof(linux_name), "%s%s", name[0] == '_' ? "_" : "", name);
		found++;
		for (size_t i = 0; i < sizeof(gfp_names) / sizeof(gfp_names[0]); i++)
			mapped |= strcmp(gfp_names[i].name, linux_name) == 0;
		if (!mapped)
			fail_msg("gfp.h defines PA_%s: linux-compat.h and this test lack %s", name,
				 linux_name);
	}
	fclose(f);
	assert_int_equal(found, sizeof(gfp_names) / sizeof(gfp_names[0]));
}

/* ------------------------------------------------------------ pages */

static void test_alloc_pages_and_conversions(void **state)
{
	unsigned long before = nr_free_pages();
	struct page *page;
	unsigned long pfn;

	(void)state;
	page = alloc_pages(GFP_KERNEL, 2);
	assert_non_null(page);
	assert_int_equal(nr_free_pages(), before - 4);
	assert_int_equal(page_count(page), 1);
	assert_int_equal(page_private(page), 0);

	pfn = page_to_pfn(page);
	assert_int_equal(pfn & 3, 0);
	assert_true(pfn_valid(pfn));
	assert_ptr_equal(pfn_to_page(pfn), page);
	assert_ptr_equal(pfn_to_page(pfn + 3), page + 3);
	assert_int_equal(page_to_phys(page), (pa_phys_t)pfn << PAGE_SHIFT);
	assert_ptr_equal(phys_to_page(page_to_phys(page) + PAGE_SIZE - 1), page);
	assert_int_equal(page_to_nid(page), 0);
	assert_int_equal(page_zonenum(page), ZONE_NORMAL);
	assert_false(pfn_valid(0));
	assert_null(pfn_to_page(0));

	set_page_private(page, 0x5a5aUL);
	assert_int_equal(page->priv, 0x5a5a);
	assert_int_equal(page_private(page), 0x5a5a);

	__free_pages(page, 2);
	assert_int_equal(nr_free_pages(), before);
	assert_int_equal(page_count(page), 0);
	assert_int_equal(th_log_lines(), 0);
	th_check();
}

static void test_get_put_page(void **state)
{
	unsigned long before = nr_free_pages();
	struct page *page;

	(void)state;
	page = alloc_page(GFP_KERNEL);
	assert_non_null(page);
	get_page(page);
	assert_int_equal(page_count(page), 2);
	put_page(page);
	assert_int_equal(page_count(page), 1);
	assert_int_equal(nr_free_pages(), before - 1); /* still allocated */
	put_page(page);                                 /* the last reference frees */
	assert_int_equal(page_count(page), 0);
	assert_int_equal(nr_free_pages(), before);
	assert_int_equal(th_log_lines(), 0);

	/* A put of a free page is reported by the library and changes nothing. */
	put_page(page);
	assert_int_equal(th_log_lines(), 1);
	assert_non_null(strstr(th_last_log(), "Bad page state"));
	assert_int_equal(nr_free_pages(), before);
	th_check();
}

static void test_get_free_pages_by_address(void **state)
{
	unsigned long before = nr_free_pages();
	unsigned long addr, one;
	struct page *page;

	(void)state;
	addr = __get_free_pages(GFP_KERNEL, 1);
	assert_true(addr != 0);
	assert_int_equal(nr_free_pages(), before - 2);
	page = virt_to_page((void *)addr);
	assert_non_null(page);
	assert_int_equal(page_count(page), 1);
	assert_ptr_equal(page_address(page), (void *)addr);
	assert_ptr_equal(virt_to_page((char *)addr + 2 * PAGE_SIZE - 1), page + 1);
	memset((void *)addr, 0xa5, 2 * PAGE_SIZE); /* the memory is really there */
	free_pages(addr, 1);
	assert_int_equal(nr_free_pages(), before);
	assert_int_equal(page_count(page), 0);

	one = __get_free_page(GFP_KERNEL);
	assert_true(one != 0);
	assert_int_equal(nr_free_pages(), before - 1);
	free_page(one);
	assert_int_equal(nr_free_pages(), before);

	free_pages(0, 3); /* as Linux: nothing */
	assert_int_equal(th_log_lines(), 0);
	th_check();
}

/* __GFP_ZERO and get_zeroed_page() clear memory that held data. */
static void test_gfp_zero(void **state)
{
	unsigned long addr, again;
	struct page *page;

	(void)state;
	addr = __get_free_pages(GFP_KERNEL, 1);
	assert_true(addr != 0);
	memset((void *)addr, 0xa5, 2 * PAGE_SIZE);
	free_pages(addr, 1);
	/* The same block comes back (lowest first, or LIFO per-CPU lists). */
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	assert_non_null(page);
	assert_ptr_equal(page_address(page), (void *)addr);
	for (size_t i = 0; i < 2 * PAGE_SIZE; i++)
		if (((unsigned char *)addr)[i])
			fail_msg("byte %zu of a __GFP_ZERO block is %#x", i, ((unsigned char *)addr)[i]);

	memset((void *)addr, 0x5a, 2 * PAGE_SIZE);
	__free_pages(page, 1);
	again = get_zeroed_page(GFP_KERNEL);
	assert_int_equal(again, addr);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		if (((unsigned char *)again)[i])
			fail_msg("byte %zu of get_zeroed_page() is %#x", i, ((unsigned char *)again)[i]);
	free_page(again);
	assert_int_equal(th_log_lines(), 0);
	th_check();
}

/* A GFP zone modifier picks the zone as in Linux, also when zones are off. */
static void assert_zone_of(gfp_t gfp, enum zone_type want, pa_phys_t lo, pa_phys_t hi)
{
	struct page *page = alloc_pages(gfp, 0);

	assert_non_null(page);
	assert_int_equal(page_zonenum(page), want);
	assert_true(page_to_phys(page) >= lo && page_to_phys(page) < hi);
	__free_pages(page, 0);
}

static void test_gfp_zones(void **state)
{
	unsigned long before = nr_free_pages();

	(void)state;
#ifdef ZONE_DMA
	assert_zone_of(GFP_DMA, ZONE_DMA, BASE, DMA_LIMIT);
	assert_zone_of(GFP_KERNEL | __GFP_DMA, ZONE_DMA, BASE, DMA_LIMIT);
#else
	assert_zone_of(GFP_DMA, ZONE_NORMAL, BASE, BASE + 256 * MiB);
#endif
#ifdef ZONE_DMA32
	assert_zone_of(GFP_DMA32, ZONE_DMA32, DMA_LIMIT, DMA32_LIMIT);
	assert_zone_of(GFP_KERNEL | __GFP_DMA32, ZONE_DMA32, DMA_LIMIT, DMA32_LIMIT);
	assert_zone_of(GFP_KERNEL, ZONE_NORMAL, DMA32_LIMIT, BASE + 256 * MiB);
#else
	/* Without ZONE_DMA32, Linux serves GFP_DMA32 from ZONE_NORMAL. */
	assert_zone_of(GFP_DMA32, ZONE_NORMAL, BASE, BASE + 256 * MiB);
	assert_zone_of(GFP_KERNEL, ZONE_NORMAL, BASE, BASE + 256 * MiB);
#endif
	/* No ZONE_MOVABLE was carved: movable requests come from Normal. */
	assert_zone_of(GFP_HIGHUSER_MOVABLE, ZONE_NORMAL, BASE, BASE + 256 * MiB);
	assert_int_equal(th_log_lines(), 0);
	assert_int_equal(nr_free_pages(), before);

	/* Two zone modifiers: refused with one log line, as pa_alloc_pages(). */
	assert_null(alloc_pages(__GFP_DMA | __GFP_DMA32, 0));
	assert_int_equal(th_log_lines(), 1);
	assert_non_null(strstr(th_last_log(), "two zones"));
	assert_int_equal(nr_free_pages(), before);
	th_check();
}

static void test_alloc_pages_node(void **state)
{
	unsigned long before = nr_free_pages();
	struct page *a, *b;

	(void)state;
	a = alloc_pages_node(0, GFP_KERNEL | __GFP_THISNODE, 3);
	b = alloc_pages_node(NUMA_NO_NODE, GFP_KERNEL, 0);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(page_to_nid(a), 0);
	assert_int_equal(page_to_nid(b), 0);
	assert_int_equal(page_to_pfn(a) & 7, 0);
	assert_int_equal(nr_free_pages(), before - 9);
	__free_pages(a, 3);
	__free_page(b);
	assert_int_equal(nr_free_pages(), before);

	/* An order above MAX_PAGE_ORDER: NULL and one log line. */
	assert_null(alloc_pages_node(0, GFP_KERNEL, MAX_PAGE_ORDER + 1));
	assert_int_equal(th_log_lines(), 1);
	assert_non_null(strstr(th_last_log(), "MAX_PAGE_ORDER"));
	th_check();
}

/* Bad frees through the Linux names are reported and change nothing. */
static void test_bad_frees_reported(void **state)
{
	unsigned long before = nr_free_pages();
	unsigned long addr;
	int not_memory;

	(void)state;
	/* An address that maps no simulated memory. */
	free_pages((unsigned long)&not_memory, 0);
	assert_int_equal(th_log_lines(), 1);
	assert_non_null(strstr(th_last_log(), "not a page"));
	th_log_clear();

	/* Freed with the wrong order. */
	addr = __get_free_pages(GFP_KERNEL, 2);
	assert_true(addr != 0);
	free_pages(addr, 1);
	assert_int_equal(th_log_lines(), 1);
	assert_non_null(strstr(th_last_log(), "smaller order"));
	assert_int_equal(nr_free_pages(), before - 4);
	free_pages(addr, 2);
	assert_int_equal(nr_free_pages(), before);

	/* Twice. */
	th_log_clear();
	free_pages(addr, 2);
	assert_int_equal(th_log_lines(), 1);
	assert_non_null(strstr(th_last_log(), "Bad page state"));
	assert_int_equal(nr_free_pages(), before);
	th_check();
}

#ifdef CONFIG_PA_MEMORY_ISOLATION
/* ------------------------------------------------------------ contiguous ranges */

static void test_contig_names(void **state)
{
	unsigned long before = nr_free_pages(), pfn;
	nodemask_t node0 = 1;
	struct page *p;

	(void)state;
	p = alloc_contig_pages(24, GFP_KERNEL, NUMA_NO_NODE, NULL);
	assert_non_null(p);
	pfn = page_to_pfn(p);
	assert_int_equal(pfn % 32, 0); /* aligned to the power of two above 24 */
	assert_int_equal(nr_free_pages(), before - 24);
	for (unsigned long i = 0; i < 24; i++)
		assert_int_equal(page_count(pfn_to_page(pfn + i)), 1);
	free_contig_range(pfn, 24);
	assert_int_equal(nr_free_pages(), before);

	/* The same range by pfn, now that it is free. */
	assert_int_equal(alloc_contig_range(pfn, pfn + 24, MIGRATE_MOVABLE, GFP_KERNEL), 0);
	assert_int_equal(nr_free_pages(), before - 24);
	free_contig_range(pfn, 24);
	assert_int_equal(nr_free_pages(), before);

	/* A nodemask_t, as Linux passes it. */
	p = alloc_contig_pages(8, GFP_KERNEL, 0, &node0);
	assert_non_null(p);
	assert_int_equal(page_to_nid(p), 0);
	free_contig_range(page_to_pfn(p), 8);
	assert_int_equal(nr_free_pages(), before);

	/* Freed twice: reported once, nothing changes. */
	th_log_clear();
	free_contig_range(pfn, 24);
	assert_int_equal(th_log_lines(), 1);
	assert_int_equal(nr_free_pages(), before);
	th_check();
}
#endif

#ifdef CONFIG_PA_CMA
static struct pa_cma *compat_cma;

/* setup()'s machine with a CMA area of two pageblocks at 4 GiB (Normal). */
static int setup_cma(void **state)
{
	th_setup_exact(state);
	add_machine();
	compat_cma = NULL;
	assert_int_equal(pa_cma_declare(4 * GiB, (pa_phys_t)2 * pageblock_nr_pages * PAGE_SIZE,
					"compat", &compat_cma), 0);
	assert_int_equal(pa_init(), 0);
	return 0;
}

static void test_cma_names(void **state)
{
	unsigned long first = (unsigned long)(4 * GiB / PAGE_SIZE), pfn;
	struct page *p;

	(void)state;
	p = cma_alloc(compat_cma, 16, 4, false);
	assert_non_null(p);
	pfn = page_to_pfn(p);
	assert_int_equal(pfn % 16, 0);
	assert_true(pfn >= first && pfn + 16 <= first + 2 * pageblock_nr_pages);
	assert_true(cma_release(compat_cma, p, 16));
	th_log_clear();
	assert_false(cma_release(compat_cma, p, 16)); /* not allocated any more */
	assert_int_equal(th_log_lines(), 1);
	th_check();
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_names_map_onto_pagealloc, setup),
		cmocka_unit_test_setup(test_alloc_pages_and_conversions, setup),
		cmocka_unit_test_setup(test_get_put_page, setup),
		cmocka_unit_test_setup(test_get_free_pages_by_address, setup),
		cmocka_unit_test_setup(test_gfp_zero, setup),
		cmocka_unit_test_setup(test_gfp_zones, setup),
		cmocka_unit_test_setup(test_alloc_pages_node, setup),
		cmocka_unit_test_setup(test_bad_frees_reported, setup),
#ifdef CONFIG_PA_MEMORY_ISOLATION
		cmocka_unit_test_setup(test_contig_names, setup),
#endif
#ifdef CONFIG_PA_CMA
		cmocka_unit_test_setup(test_cma_names, setup_cma),
#endif
	};

	return cmocka_run_group_tests_name("linux-compat", tests, NULL, NULL);
}
