// SPDX-License-Identifier: MIT
/*
 * Boot-time init: zone geometry (spanned >= present >= managed), holes,
 * reservations, zone limits, nodes, ZONE_MOVABLE, mem_map placement and
 * the hand-over of every free page to the buddy lists.
 */
#include <stdlib.h>
#include <string.h>
#include "th_internal.h"
#include "harness.h"


/* The sum of a zone's free blocks, from buddyinfo's point of view. */
static unsigned long free_from_blocks(const struct pa_zone_counts *c)
{
	unsigned long sum = 0;

	for (int o = 0; o < PA_NR_PAGE_ORDERS; o++)
		sum += c->nr_free[o] << o;
	return sum;
}

/*
 * A digest of every struct page of [lo, hi): validity, flags, refcount and
 * pfn round trip, in pfn order (FNV-1a over the words).
 */
static uint64_t memmap_digest(unsigned long lo, unsigned long hi)
{
	uint64_t h = 1469598103934665603ULL;

	for (unsigned long pfn = lo; pfn < hi; pfn++) {
		const struct pa_page *page = pa_pfn_valid(pfn) ? pa_pfn_to_page(pfn) : NULL;
		uint64_t w[3] = { page != NULL, page ? page->flags : 0,
				  page ? (uint64_t)(uint32_t)page->refcount ^
						 (pa_page_to_pfn(page) == pfn ? 0 : 1ULL << 40)
				       : 0 };

		for (int i = 0; i < 3; i++) {
			h ^= w[i];
			h *= 1099511628211ULL;
		}
	}
	return h;
}

/* 7 GiB in two banks with reservations, metadata carved inside; 4 CPUs, threads or not. */
static void parallel_machine(bool threads, uint64_t *digest, char *buddy, size_t size)
{
	th_reset();
	pa_host_set_parallel(threads);
	assert_int_equal(pa_set_nr_cpus(4), 0);
	assert_int_equal(pa_memblock_add(1 * GiB, 1 * GiB, 0), 0);
	assert_int_equal(pa_memblock_add(4 * GiB, 6 * GiB, 0), 0);
	assert_int_equal(pa_memblock_reserve(1 * GiB + 12345 * 4096ULL, 3 * MiB), 0);
	assert_int_equal(pa_memblock_reserve(6 * GiB - 65536, 131072), 0);
	assert_int_equal(pa_memblock_reserve(9 * GiB + 7 * 4096ULL, 4096), 0);
	assert_int_equal(pa_init(), 0);
	pa_host_set_parallel(true);
	*digest = memmap_digest(PAGES(1 * GiB), PAGES(10 * GiB));
	th_buddyinfo(buddy, size);
	th_check();
}

/*
 * pa_init() writes mem_map in parts of at least 512 MiB, one per CPU, through
 * pa_port_parallel() (threads in the host port): with 4 CPUs the 7 GiB
 * here are written by four threads at once.  Every struct page and the
 * buddy lists must come out exactly as the same parts written one after
 * another on one thread make them.
 */
static void test_parallel_memmap_init_matches_sequential(void **state)
{
	char seq[4096], par[4096];
	uint64_t d_seq, d_par;

	(void)state;
	parallel_machine(false, &d_seq, seq, sizeof(seq));
	parallel_machine(true, &d_par, par, sizeof(par));
	assert_true(d_seq == d_par);
	assert_true(d_seq != 0);
	assert_string_equal(seq, par);
}

static void test_single_range_external(void **state)
{
	(void)state;
	/* 1 GiB at 1 GiB, metadata outside: every page is managed and free. */
	assert_int_equal(pa_memblock_add(1 * GiB, 1 * GiB, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	struct pa_zone_counts n = th_zone(0, PA_ZONE_NORMAL);
	assert_int_equal(n.start_pfn, PAGES(1 * GiB));
	assert_int_equal(n.spanned, PAGES(1 * GiB));
	assert_int_equal(n.present, PAGES(1 * GiB));
	assert_int_equal(n.managed, PAGES(1 * GiB));
	assert_int_equal(n.free, n.managed);
	assert_int_equal(free_from_blocks(&n), n.free);
	/* Freed in the largest aligned blocks: nothing below the top order. */
	for (int o = 0; o < PA_MAX_PAGE_ORDER; o++)
		assert_int_equal(n.nr_free[o], 0);
	assert_int_equal(n.nr_free[PA_MAX_PAGE_ORDER], PAGES(1 * GiB) >> PA_MAX_PAGE_ORDER);
	th_check();
}

#if PA_PAGE_SHIFT == 12 && PA_MAX_PAGE_ORDER == 10
static void test_internal_memmap_is_reserved(void **state)
{
	(void)state;
	/*
	 * 1 GiB at 1 GiB = 262144 pages, one section row: metadata is carved
	 * top-down, each piece aligned to its size rounded up to a power of
	 * two, and reserved.  By hand: root table 8 bytes (one page,
	 * 0x7fffffc0); leaf 256 * 32 = 8192 bytes (a section: map base and
	 * first page 8 + 8, start and size 4 + 4, its pageblock bytes' address
	 * 8) at 0x7fffc000..0x7fffe000, pages 0x7fffc and 0x7fffd; then the 8
	 * sections are one run: one mem_map of 262144 * 32 = 8 MiB, aligned
	 * to 8 MiB, which the leaf leaves room for only at 0x7f000000: 2048
	 * pages; its pageblock bytes, 8 * 64 = 512, at 0x7ffffc00, and last
	 * the flat section array, 8 pointers (64 bytes), at 0x7fffff80, both
	 * in the root's page.  managed = 262144 - 2 - 1 - 2048 = 260093.
	 * With CONFIG_PA_PAGE_OWNER a section slot is 40 bytes, so the leaf
	 * is 10240 bytes at 0x7fffc000..0x7fffe800 (3 pages), and each
	 * section has 32768 records of 24 bytes, 768 KiB aligned to 1 MiB,
	 * which all 8 find between the map and the leaf: 6 MiB = 1536 pages
	 * more, 262144 - 3 - 1 - 2048 - 1536 = 258556 managed.
	 */
	const long managed = IS_ENABLED(CONFIG_PA_PAGE_OWNER) ? 258556 : 260093;

	assert_int_equal(pa_memblock_add(1 * GiB, 1 * GiB, 0), 0);
	assert_int_equal(pa_init(), 0);
	struct pa_zone_counts n = th_zone(0, PA_ZONE_NORMAL);
	assert_int_equal(n.present, 262144);
	assert_int_equal(n.managed, managed);
	assert_int_equal(n.free, managed);
	struct pa_page *p = pa_phys_to_page(0x7ffff000);
	assert_non_null(p);
	/* A metadata page is reserved: freeing it is refused. */
	assert_int_equal(pa_free_pages(p, 0), -PA_EINVAL);
	assert_non_null(strstr(th_last_log(), "reserved"));
	th_check();
}
#endif

static void test_holes(void **state)
{
	(void)state;
	/* Two ranges of one node with a 1 GiB hole (whole sections) between them. */
	assert_int_equal(pa_memblock_add(1 * GiB, 512 * MiB, 0), 0);
	assert_int_equal(pa_memblock_add(2 * GiB + 512 * MiB, 1 * GiB, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	struct pa_zone_counts n = th_zone(0, PA_ZONE_NORMAL);
	assert_int_equal(n.spanned, PAGES(2 * GiB + 512 * MiB));
	assert_int_equal(n.present, PAGES(1 * GiB + 512 * MiB));
	assert_int_equal(n.managed, PAGES(1 * GiB + 512 * MiB));
	assert_true(n.spanned >= n.present && n.present >= n.managed);
	/* The hole has no struct pages at all... */
	assert_false(pa_pfn_valid(PAGES(2 * GiB)));
	assert_null(pa_phys_to_page(2 * GiB));
	/* ...and the metadata is for present memory only. */
	struct pa_meminfo mi;
	assert_int_equal(pa_get_meminfo(&mi), 0);
	assert_int_equal(mi.memmap_bytes, PAGES(1 * GiB + 512 * MiB) * sizeof(struct pa_page));
	th_check();
}

static void test_hole_inside_a_section(void **state)
{
	(void)state;
	/*
	 * A 4 MiB hole inside one section: its struct pages exist (so buddies
	 * of any order have one) but are reserved and never freed or merged.
	 */
	assert_int_equal(pa_memblock_add(1 * GiB, 16 * MiB, 0), 0);
	assert_int_equal(pa_memblock_add(1 * GiB + 20 * MiB, 12 * MiB, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	struct pa_zone_counts n = th_zone(0, PA_ZONE_NORMAL);
	assert_int_equal(n.spanned, PAGES(32 * MiB));
	assert_int_equal(n.present, PAGES(28 * MiB));
	assert_int_equal(n.free, PAGES(28 * MiB));
	struct pa_page *hole = pa_phys_to_page(1 * GiB + 17 * MiB);
	assert_non_null(hole);
	assert_int_equal(pa_free_pages(hole, 0), -PA_EINVAL);
	th_check();
}

static void test_reserved_ranges(void **state)
{
	(void)state;
	assert_int_equal(pa_memblock_add(1 * GiB, 1 * GiB, 0), 0);
	/* An unaligned reservation covers every page it touches: 3 pages. */
	assert_int_equal(pa_memblock_reserve(1 * GiB + 100, 2 * PA_PAGE_SIZE), 0);
	/* Overlapping reservations merge: [+1M, +3M) is 2 MiB. */
	assert_int_equal(pa_memblock_reserve(1 * GiB + 1 * MiB, 1 * MiB), 0);
	assert_int_equal(pa_memblock_reserve(1 * GiB + 1 * MiB + 512 * 1024, 1536 * 1024), 0);
	/* Outside memory: no effect. */
	assert_int_equal(pa_memblock_reserve(8 * GiB, 1 * MiB), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	struct pa_zone_counts n = th_zone(0, PA_ZONE_NORMAL);
	assert_int_equal(n.present, PAGES(1 * GiB));
	assert_int_equal(n.managed, PAGES(1 * GiB) - 3 - PAGES(2 * MiB));
	assert_int_equal(n.free, n.managed);
	struct pa_page *first = pa_phys_to_page(1 * GiB);
	assert_int_equal(pa_page_count(first), 1); /* reserved pages hold a reference */
	assert_int_equal(pa_page_count(pa_phys_to_page(1 * GiB + 3 * PA_PAGE_SIZE)), 0);
	th_check();
}

#if defined(CONFIG_PA_ZONE_DMA) && defined(CONFIG_PA_ZONE_DMA32)
static void test_ranges_crossing_zone_limits(void **state)
{
	(void)state;
	/* [0, 1G) and [2G, 6G); DMA below 16 MiB, DMA32 below 4 GiB. */
	assert_int_equal(pa_memblock_add(0, 1 * GiB, 0), 0);
	assert_int_equal(pa_memblock_add(2 * GiB, 4 * GiB, 0), 0);
	assert_int_equal(pa_set_zone_limit(PA_ZONE_DMA, 16 * MiB), 0);
	assert_int_equal(pa_set_zone_limit(PA_ZONE_DMA32, 4 * GiB), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	struct pa_zone_counts dma = th_zone(0, PA_ZONE_DMA);
	struct pa_zone_counts d32 = th_zone(0, PA_ZONE_DMA32);
	struct pa_zone_counts nor = th_zone(0, PA_ZONE_NORMAL);
	assert_int_equal(dma.start_pfn, 0);
	assert_int_equal(dma.spanned, PAGES(16 * MiB));
	assert_int_equal(dma.present, PAGES(16 * MiB));
	assert_int_equal(d32.start_pfn, PAGES(16 * MiB));
	assert_int_equal(d32.spanned, PAGES(4 * GiB - 16 * MiB));
	assert_int_equal(d32.present, PAGES(1 * GiB - 16 * MiB + 2 * GiB));
	assert_int_equal(nor.start_pfn, PAGES(4 * GiB));
	assert_int_equal(nor.spanned, PAGES(2 * GiB));
	assert_int_equal(nor.managed, PAGES(2 * GiB));
	/* Blocks never straddle a zone boundary: the DMA zone's own blocks. */
	assert_int_equal(free_from_blocks(&dma), PAGES(16 * MiB));
	struct pa_page *p = pa_alloc_pages(PA_GFP_DMA, 0);
	assert_non_null(p);
	assert_int_equal(pa_page_zone_type(p), PA_ZONE_DMA);
	assert_true(pa_page_to_phys(p) < 16 * MiB);
	assert_int_equal(pa_free_pages(p, 0), 0);
	p = pa_alloc_pages(PA_GFP_DMA32, 3);
	assert_int_equal(pa_page_zone_type(p), PA_ZONE_DMA32);
	assert_int_equal(pa_free_pages(p, 3), 0);
	th_check();
}
#endif

#if PA_MAX_NUMNODES >= 2
static void test_two_nodes(void **state)
{
	(void)state;
	assert_int_equal(pa_memblock_add(1 * GiB, 2 * GiB, 0), 0);
	assert_int_equal(pa_memblock_add(3 * GiB, 2 * GiB, 1), 0);
#ifdef CONFIG_PA_ZONE_DMA32
	assert_int_equal(pa_set_zone_limit(PA_ZONE_DMA32, 4 * GiB), 0);
#endif
	assert_int_equal(pa_set_nr_cpus(4), 0);
	assert_int_equal(pa_numa_set_cpus(0, 0, 1), 0);
	assert_int_equal(pa_numa_set_cpus(1, 2, 3), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
#ifdef CONFIG_PA_ZONE_DMA32
	assert_int_equal(th_zone(0, PA_ZONE_DMA32).present, PAGES(2 * GiB));
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).present, 0);
	assert_int_equal(th_zone(1, PA_ZONE_DMA32).present, PAGES(1 * GiB));
	assert_int_equal(th_zone(1, PA_ZONE_DMA32).start_pfn, PAGES(3 * GiB));
	assert_int_equal(th_zone(1, PA_ZONE_NORMAL).present, PAGES(1 * GiB));
	assert_int_equal(th_zone(1, PA_ZONE_NORMAL).start_pfn, PAGES(4 * GiB));
#else
	assert_int_equal(th_zone(1, PA_ZONE_NORMAL).present, PAGES(2 * GiB));
#endif
	/* A page from node 1 says so; __GFP_THISNODE stays there. */
	struct pa_page *p = pa_alloc_pages_node(1, PA_GFP_KERNEL | PA__GFP_THISNODE, 0);
	assert_non_null(p);
	assert_int_equal(pa_page_to_nid(p), 1);
	assert_true(pa_page_to_phys(p) >= 3 * GiB);
	assert_int_equal(pa_free_pages(p, 0), 0);
	th_check();
}
#endif

static void test_movablecore(void **state)
{
	(void)state;
	/*
	 * 4 GiB at [1G, 5G) = pfns 0x40000..0x140000 (4K pages), DMA32 below
	 * 4 GiB, movablecore=512M = 131072 pages.  By Linux's algorithm:
	 * kernelcore = 1048576 - 131072 = 917504 pages; the 786432 pages below
	 * ZONE_NORMAL count first, leaving 131072 kernel pages of NORMAL:
	 * ZONE_MOVABLE starts at 0x100000 + 0x20000 = 0x120000 (already
	 * aligned to 1024 pages).
	 */
	assert_int_equal(pa_memblock_add(1 * GiB, 4 * GiB, 0), 0);
#ifdef CONFIG_PA_ZONE_DMA32
	assert_int_equal(pa_set_zone_limit(PA_ZONE_DMA32, 4 * GiB), 0);
#endif
	assert_int_equal(pa_set_movablecore(512 * MiB), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	struct pa_zone_counts mov = th_zone(0, PA_ZONE_MOVABLE);
	struct pa_zone_counts nor = th_zone(0, PA_ZONE_NORMAL);
#if defined(CONFIG_PA_ZONE_DMA32) && PA_PAGE_SHIFT == 12
	assert_int_equal(nor.start_pfn, 0x100000);
	assert_int_equal(nor.spanned, 0x20000);
	assert_int_equal(mov.start_pfn, 0x120000);
	assert_int_equal(mov.spanned, 0x20000);
	assert_int_equal(mov.managed, 131072);
#endif
	assert_int_equal(mov.present, PAGES(512 * MiB));
	unsigned long total = 0;
	for (int z = 0; z < PA_MAX_NR_ZONES; z++)
		total += th_zone(0, (enum pa_zone_type)z).present;
	assert_int_equal(total, PAGES(4 * GiB));
	assert_true(nor.present > 0);
	/* Only movable+highmem allocations may use ZONE_MOVABLE. */
	struct pa_page *p = pa_alloc_pages(PA_GFP_HIGHUSER_MOVABLE, 0);
	assert_int_equal(pa_page_zone_type(p), PA_ZONE_MOVABLE);
	assert_int_equal(pa_free_pages(p, 0), 0);
	p = pa_alloc_pages(PA_GFP_KERNEL, 0);
	assert_int_not_equal(pa_page_zone_type(p), PA_ZONE_MOVABLE);
	assert_int_equal(pa_free_pages(p, 0), 0);
	th_check();
}

#if defined(CONFIG_PA_ZONE_DMA32) && PA_PAGE_SHIFT == 12
static void test_kernelcore(void **state)
{
	(void)state;
	/*
	 * Same machine, kernelcore=3G = 786432 pages: exactly the memory below
	 * ZONE_NORMAL, so ZONE_MOVABLE starts at 0x100000 and NORMAL is empty.
	 */
	assert_int_equal(pa_memblock_add(1 * GiB, 4 * GiB, 0), 0);
	assert_int_equal(pa_set_zone_limit(PA_ZONE_DMA32, 4 * GiB), 0);
	assert_int_equal(pa_set_kernelcore(3 * GiB), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).spanned, 0);
	assert_int_equal(th_zone(0, PA_ZONE_MOVABLE).start_pfn, 0x100000);
	assert_int_equal(th_zone(0, PA_ZONE_MOVABLE).present, 0x40000);
	assert_int_equal(th_zone(0, PA_ZONE_DMA32).present, 0xc0000);
	th_check();
}

static void test_movablecore_two_nodes(void **state)
{
	(void)state;
	/*
	 * Node 0 [4G, 6G), node 1 [6G, 8G): all NORMAL.  movablecore=1G ->
	 * kernelcore = 1048576 - 262144 = 786432, 393216 per node.  Node 0:
	 * ZONE_MOVABLE at 0x100000 + 0x60000 = 0x160000; node 1 at
	 * 0x180000 + 0x60000 = 0x1e0000.
	 */
	assert_int_equal(pa_memblock_add(4 * GiB, 2 * GiB, 0), 0);
	assert_int_equal(pa_memblock_add(6 * GiB, 2 * GiB, 1), 0);
	assert_int_equal(pa_set_zone_limit(PA_ZONE_DMA32, 4 * GiB), 0);
	assert_int_equal(pa_set_movablecore(1 * GiB), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	assert_int_equal(th_zone(0, PA_ZONE_MOVABLE).start_pfn, 0x160000);
	assert_int_equal(th_zone(0, PA_ZONE_MOVABLE).spanned, 0x20000);
	assert_int_equal(th_zone(1, PA_ZONE_MOVABLE).start_pfn, 0x1e0000);
	assert_int_equal(th_zone(1, PA_ZONE_NORMAL).spanned, 0x60000);
	th_check();
}
#endif

static void test_two_banks_far_apart(void **state)
{
	(void)state;
	/* Two 1 GiB banks 32 GiB apart: mem_map only for the 2 GiB present. */
	assert_int_equal(pa_memblock_add(1 * GiB, 1 * GiB, 0), 0);
	assert_int_equal(pa_memblock_add(34 * GiB, 1 * GiB, 0), 0);
	assert_int_equal(pa_init(), 0);
	struct pa_meminfo mi;
	assert_int_equal(pa_get_meminfo(&mi), 0);
	assert_int_equal(mi.present_pages, PAGES(2 * GiB));
	assert_int_equal(mi.memmap_bytes, PAGES(2 * GiB) * sizeof(struct pa_page));
	/* Section tables are tiny next to it. */
	assert_true(mi.table_bytes < 64 * 1024);
	assert_false(pa_pfn_valid(PAGES(10 * GiB)));
	th_check();
}

/* A forged head page naming section @nr: refused, one line, untouched. */
static void free_forged(unsigned long nr)
{
	static struct pa_page fake __attribute__((aligned(32)));

	fake.flags = (uint32_t)(nr << PA_PG_SECTION_SHIFT) | (1u << PA_PG_head);
	fake.refcount = 1;
	th_assert_error(pa_free_pages(&fake, 0), PA_EFAULT, "not a page");
	assert_int_equal(fake.refcount, 1);
}

/*
 * Two 64 MiB banks, the first at 4 GiB (section nr 32), the second at
 * @second.  A narrow span gets the flat section array, a wide one (1/64 of
 * the 1 MiB mem_map is 16 KiB: 2048 sections) keeps the two-level lookup
 * alone; either way every page of both banks frees, and a page naming a
 * section in the hole, past the last or before the first is refused.
 */
static void two_banks_lookup(pa_phys_t second, bool flat)
{
	const unsigned long first_nr = (4 * GiB) >> PA_SECTION_SIZE_BITS;
	const unsigned long last_nr = second >> PA_SECTION_SIZE_BITS;
	static struct pa_page *held[PAGES(128 * MiB)];
	unsigned long n = 0;

	th_reset();
	assert_int_equal(pa_memblock_add(4 * GiB, 64 * MiB, 0), 0);
	assert_int_equal(pa_memblock_add(second, 64 * MiB, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	assert_int_equal(th_nr_section_flat(), flat ? last_nr - first_nr + 1 : 0);
	while (n < PAGES(128 * MiB) &&
	       (held[n] = pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_MEMALLOC | PA__GFP_NOWARN, 0)))
		n++;
	assert_int_equal(n, PAGES(128 * MiB));
	assert_int_equal(pa_page_to_pfn(held[0]) >> PA_PFN_SECTION_SHIFT == last_nr ||
			 pa_page_to_pfn(held[n - 1]) >> PA_PFN_SECTION_SHIFT == last_nr, 1);
	for (unsigned long i = 0; i < n; i++)
		assert_int_equal(pa_free_pages(held[i], 0), 0);
	free_forged(first_nr + 1);
	free_forged(last_nr + 1);
	free_forged(first_nr - 1);
	th_check();
}

static void test_section_lookup_flat_and_two_level(void **state)
{
	(void)state;
	two_banks_lookup(64 * GiB, true);      /* sections 32..512: 481 entries */
	two_banks_lookup(1024 * GiB, false);   /* 32..8192: 64 KiB > 16 KiB */
}

#define SECTION ((pa_phys_t)1 << PA_SECTION_SIZE_BITS)

/* Allocate every free page of the machine (at most @max), then free them all. */
static void alloc_free_all(unsigned long max)
{
	static struct pa_page *held[PAGES(11 * SECTION)];
	unsigned long n = 0;

	assert_true(max <= PAGES(11 * SECTION));
	while (n < max &&
	       (held[n] = pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_MEMALLOC | PA__GFP_NOWARN, 0)))
		n++;
	assert_int_equal(pa_nr_free_pages(), 0);
	while (n)
		assert_int_equal(pa_free_pages(held[--n], 0), 0);
	th_check();
}

/* Sections [first, last] share one mem_map array and one pageblock array. */
static void assert_one_run(unsigned long first, unsigned long last)
{
	for (unsigned long nr = first; nr < last; nr++) {
		const struct pa_mem_section *ms = pa_nr_to_section(nr), *next = pa_nr_to_section(nr + 1);

		assert_true(next->map_first == ms->map_first + ms->map_bytes);
		assert_true(next->pageblock_flags == ms->pageblock_flags + PA_SECTION_PB_BYTES);
	}
}

/*
 * Present sections whose memory continues across their boundaries are one
 * run: one mem_map array, one pageblock array.  A bank starting inside a
 * section starts a run; a whole absent section ends one.  The longest run
 * is the fast run; every page of both frees (through the run check or the
 * section check).
 */
static void test_runs(void **state)
{
	const unsigned long b_pfn = PAGES(13 * SECTION + SECTION / 2);

	(void)state;
	assert_int_equal(pa_memblock_add(8 * SECTION, 4 * SECTION, 0), 0);
	assert_int_equal(pa_memblock_add(13 * SECTION + SECTION / 2, 13 * SECTION / 2, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	assert_one_run(8, 11);
	assert_one_run(13, 19);
	assert_int_equal(th_fast_run()->pfn, PA_ALIGN_DOWN(b_pfn, PA_MAX_ORDER_NR_PAGES));
	assert_int_equal(th_fast_run()->nr_pages, PAGES(20 * SECTION) - th_fast_run()->pfn);
	assert_true(th_fast_run()->first == (uintptr_t)pa_pfn_to_page(th_fast_run()->pfn));
	assert_true(th_fast_run()->pageblock ==
		    pa_section_pageblock(pa_nr_to_section(13), th_fast_run()->pfn));
	alloc_free_all(PAGES(4 * SECTION + 13 * SECTION / 2));
}

/*
 * Memory with no room for a run's mem_map in one piece (a reserved page at
 * every boundary the piece would be aligned to, and everything below
 * reserved): each section gets a map, and a pageblock array, of its own;
 * the fast run is one section.
 */
static void test_run_split_when_no_room(void **state)
{
	const pa_phys_t map = PAGES(8 * SECTION) * sizeof(struct pa_page), top = 16 * SECTION;

	(void)state;
	assert_int_equal(pa_memblock_add(8 * SECTION, 8 * SECTION, 0), 0);
	assert_int_equal(pa_memblock_reserve(8 * SECTION, top - 8 * map + PA_PAGE_SIZE - 8 * SECTION),
			 0);
	for (int k = 1; k < 8; k++)
		assert_int_equal(pa_memblock_reserve(top - k * map, PA_PAGE_SIZE), 0);
	assert_int_equal(pa_init(), 0);
	for (unsigned long nr = 8; nr < 15; nr++) {
		const struct pa_mem_section *ms = pa_nr_to_section(nr), *next = pa_nr_to_section(nr + 1);

		assert_int_equal(ms->map_bytes, map / 8);
		assert_false(next->map_first == ms->map_first + ms->map_bytes);
		assert_false(next->pageblock_flags == ms->pageblock_flags + PA_SECTION_PB_BYTES);
	}
	assert_int_equal(th_fast_run()->pfn, PAGES(8 * SECTION));
	assert_int_equal(th_fast_run()->nr_pages, PAGES(SECTION));
	alloc_free_all(PAGES(8 * SECTION));
}

static void test_init_once_and_reset(void **state)
{
	(void)state;
	th_assert_error(pa_init(), PA_EINVAL, "no memory");
	assert_int_equal(pa_memblock_add(1 * GiB, 64 * MiB, 0), 0);
	assert_int_equal(pa_init(), 0);
	assert_true(pa_is_initialized());
	th_log_clear();
	th_assert_error(pa_init(), PA_EBUSY, "twice");
	th_assert_error(pa_memblock_add(2 * GiB, 64 * MiB, 0), PA_EBUSY, "after pa_init");
	th_assert_error(pa_memblock_reserve(1 * GiB, 4096), PA_EBUSY, "after pa_init");
	pa_phys_t pa;
	th_assert_error(pa_memblock_alloc(4096, 0, 0, &pa), PA_EBUSY, "after pa_init");
#ifdef CONFIG_PA_ZONE_DMA32
	th_assert_error(pa_set_zone_limit(PA_ZONE_DMA32, 4 * GiB), PA_EBUSY, "after pa_init");
#endif
	th_assert_error(pa_set_movablecore(1 * GiB), PA_EBUSY, "after pa_init");
	th_check();
	th_reset();
	assert_false(pa_is_initialized());
	assert_int_equal(pa_memblock_add(1 * GiB, 64 * MiB, 0), 0);
	assert_int_equal(pa_init(), 0);
}

static void test_external_memmap_too_small(void **state)
{
	(void)state;
	static char small[4096] __attribute__((aligned(64)));

	assert_int_equal(pa_memblock_add(1 * GiB, 1 * GiB, 0), 0);
	assert_int_equal(pa_set_memmap(small, sizeof(small)), 0);
	th_assert_error(pa_init(), PA_ENOSPC, "too small");
	assert_false(pa_is_initialized());
	/* Nothing changed: a big enough buffer now works. */
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).managed, PAGES(1 * GiB));
	th_check();
}

static void test_no_room_for_memmap(void **state)
{
	(void)state;
	/* 8 MiB of memory, all reserved but one page: no room for mem_map. */
	assert_int_equal(pa_memblock_add(1 * GiB, 8 * MiB, 0), 0);
	assert_int_equal(pa_memblock_reserve(1 * GiB, 8 * MiB - PA_PAGE_SIZE), 0);
	th_assert_error(pa_init(), PA_ENOMEM, "no room");
	assert_false(pa_is_initialized());
	/* The failed attempt released what it had reserved. */
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).managed, 1);
	th_check();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_single_range_external, th_setup),
#if PA_PAGE_SHIFT == 12 && PA_MAX_PAGE_ORDER == 10
		cmocka_unit_test_setup(test_internal_memmap_is_reserved, th_setup),
#endif
		cmocka_unit_test_setup(test_holes, th_setup),
		cmocka_unit_test_setup(test_hole_inside_a_section, th_setup),
		cmocka_unit_test_setup(test_reserved_ranges, th_setup),
#if defined(CONFIG_PA_ZONE_DMA) && defined(CONFIG_PA_ZONE_DMA32)
		cmocka_unit_test_setup(test_ranges_crossing_zone_limits, th_setup),
#endif
#if PA_MAX_NUMNODES >= 2
		cmocka_unit_test_setup(test_two_nodes, th_setup),
#endif
		cmocka_unit_test_setup(test_movablecore, th_setup),
#if defined(CONFIG_PA_ZONE_DMA32) && PA_PAGE_SHIFT == 12
		cmocka_unit_test_setup(test_kernelcore, th_setup),
#if PA_MAX_NUMNODES >= 2
		cmocka_unit_test_setup(test_movablecore_two_nodes, th_setup),
#endif
#endif
		cmocka_unit_test_setup(test_two_banks_far_apart, th_setup),
		cmocka_unit_test_setup(test_section_lookup_flat_and_two_level, th_setup),
		cmocka_unit_test_setup(test_runs, th_setup),
		cmocka_unit_test_setup(test_run_split_when_no_room, th_setup),
		cmocka_unit_test_setup(test_init_once_and_reset, th_setup),
		cmocka_unit_test_setup(test_parallel_memmap_init_matches_sequential, th_setup),
		cmocka_unit_test_setup(test_external_memmap_too_small, th_setup),
		cmocka_unit_test_setup(test_no_room_for_memmap, th_setup),
	};

	return cmocka_run_group_tests_name("init", tests, NULL, NULL);
}
