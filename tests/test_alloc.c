// SPDX-License-Identifier: MIT
/*
 * GFP flags -> zone, migratetype and alloc flags; zonelists in node and
 * zone order on 2- and 4-node machines; where allocations may land.
 * Expected values are worked out by hand from Linux 6.12's gfp_zone(),
 * gfp_migratetype(), gfp_to_alloc_flags() and build_zonelists().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

/* ------------------------------------------------------------ GFP tables */

#ifdef CONFIG_PA_ZONE_DMA
#define Z_DMA PA_ZONE_DMA
#else
#define Z_DMA PA_ZONE_NORMAL /* __GFP_DMA without ZONE_DMA: Linux's OPT_ZONE_DMA */
#endif
#ifdef CONFIG_PA_ZONE_DMA32
#define Z_DMA32 PA_ZONE_DMA32
#else
#define Z_DMA32 PA_ZONE_NORMAL
#endif
#define CMA_IF_MOVABLE (IS_ENABLED(CONFIG_PA_CMA) ? 0x80u : 0u)

static const struct gfp_case {
	const char *name;
	pa_gfp_t gfp;
	int zone;
	int mt;
	unsigned int flags0; /* gfp_to_alloc_flags(gfp, 0) */
	unsigned int flags3; /* gfp_to_alloc_flags(gfp, 3) */
} gfp_cases[] = {
	/* ALLOC_CPUSET 0x40 | ALLOC_KSWAPD 0x800, MIN watermark (0). */
	{ "GFP_KERNEL", PA_GFP_KERNEL, PA_ZONE_NORMAL, PA_MIGRATE_UNMOVABLE, 0x840, 0x840 },
	/* MIN_RESERVE 0x20 | KSWAPD 0x800 | NON_BLOCK 0x10; no CPUSET; HIGHATOMIC 0x200 if order>0. */
	{ "GFP_ATOMIC", PA_GFP_ATOMIC, PA_ZONE_NORMAL, PA_MIGRATE_UNMOVABLE, 0x830, 0xa30 },
	/* CPUSET | KSWAPD | NON_BLOCK; no MIN_RESERVE. */
	{ "GFP_NOWAIT", PA_GFP_NOWAIT, PA_ZONE_NORMAL, PA_MIGRATE_UNMOVABLE, 0x850, 0xa50 },
	{ "GFP_NOIO", PA_GFP_NOIO, PA_ZONE_NORMAL, PA_MIGRATE_UNMOVABLE, 0x840, 0x840 },
	{ "GFP_NOFS", PA_GFP_NOFS, PA_ZONE_NORMAL, PA_MIGRATE_UNMOVABLE, 0x840, 0x840 },
	{ "GFP_USER", PA_GFP_USER, PA_ZONE_NORMAL, PA_MIGRATE_UNMOVABLE, 0x840, 0x840 },
	/* HIGHMEM|MOVABLE selects ZONE_MOVABLE; movable may use CMA. */
	{ "GFP_HIGHUSER_MOVABLE", PA_GFP_HIGHUSER_MOVABLE, PA_ZONE_MOVABLE, PA_MIGRATE_MOVABLE,
	  0x840 | CMA_IF_MOVABLE, 0x840 | CMA_IF_MOVABLE },
	{ "GFP_HIGHUSER", PA_GFP_HIGHUSER, PA_ZONE_NORMAL, PA_MIGRATE_UNMOVABLE, 0x840, 0x840 },
	/* No reclaim bits at all: CPUSET | NON_BLOCK. */
	{ "GFP_DMA", PA_GFP_DMA, Z_DMA, PA_MIGRATE_UNMOVABLE, 0x50, 0x250 },
	{ "GFP_DMA32", PA_GFP_DMA32, Z_DMA32, PA_MIGRATE_UNMOVABLE, 0x50, 0x250 },
	{ "GFP_KERNEL|__GFP_DMA", PA_GFP_KERNEL | PA__GFP_DMA, Z_DMA, PA_MIGRATE_UNMOVABLE, 0x840,
	  0x840 },
	{ "GFP_KERNEL|__GFP_DMA32", PA_GFP_KERNEL | PA__GFP_DMA32, Z_DMA32, PA_MIGRATE_UNMOVABLE,
	  0x840, 0x840 },
	/* MOVABLE without HIGHMEM stays in ZONE_NORMAL. */
	{ "GFP_USER|__GFP_MOVABLE", PA_GFP_USER | PA__GFP_MOVABLE, PA_ZONE_NORMAL,
	  PA_MIGRATE_MOVABLE, 0x840 | CMA_IF_MOVABLE, 0x840 | CMA_IF_MOVABLE },
	{ "GFP_KERNEL|__GFP_RECLAIMABLE", PA_GFP_KERNEL | PA__GFP_RECLAIMABLE, PA_ZONE_NORMAL,
	  PA_MIGRATE_RECLAIMABLE, 0x840, 0x840 },
	{ "GFP_KERNEL|__GFP_HIGH", PA_GFP_KERNEL | PA__GFP_HIGH, PA_ZONE_NORMAL,
	  PA_MIGRATE_UNMOVABLE, 0x860, 0x860 },
	/* NOMEMALLOC: no NON_BLOCK/HIGHATOMIC; __GFP_HIGH still drops CPUSET. */
	{ "GFP_ATOMIC|__GFP_NOMEMALLOC", PA_GFP_ATOMIC | PA__GFP_NOMEMALLOC, PA_ZONE_NORMAL,
	  PA_MIGRATE_UNMOVABLE, 0x820, 0x820 },
	{ "GFP_DMA32|__GFP_MOVABLE", PA__GFP_DMA32 | PA__GFP_MOVABLE, Z_DMA32, PA_MIGRATE_MOVABLE,
	  0x50 | CMA_IF_MOVABLE, 0x250 | CMA_IF_MOVABLE },
	{ "GFP_KERNEL|__GFP_THISNODE|__GFP_NOWARN|__GFP_ZERO",
	  PA_GFP_KERNEL | PA__GFP_THISNODE | PA__GFP_NOWARN | PA__GFP_ZERO, PA_ZONE_NORMAL,
	  PA_MIGRATE_UNMOVABLE, 0x840, 0x840 },
};

static void test_gfp_tables(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(gfp_cases) / sizeof(gfp_cases[0]); i++) {
		const struct gfp_case *c = &gfp_cases[i];

		if (pa_gfp_to_zone(c->gfp) != c->zone || pa_gfp_to_migratetype(c->gfp) != c->mt ||
		    pa_gfp_to_alloc_flags(c->gfp, 0) != c->flags0 ||
		    pa_gfp_to_alloc_flags(c->gfp, 3) != c->flags3)
			fail_msg("%s: zone %d mt %d flags %#x/%#x, expected %d %d %#x/%#x", c->name,
				 pa_gfp_to_zone(c->gfp), pa_gfp_to_migratetype(c->gfp),
				 pa_gfp_to_alloc_flags(c->gfp, 0), pa_gfp_to_alloc_flags(c->gfp, 3),
				 c->zone, c->mt, c->flags0, c->flags3);
	}
	assert_int_equal(th_log_lines(), 0);
}

static void test_gfp_invalid(void **state)
{
	static const pa_gfp_t two_zones[] = {
		PA__GFP_DMA | PA__GFP_DMA32,
		PA__GFP_DMA | PA__GFP_HIGHMEM,
		PA__GFP_DMA32 | PA__GFP_HIGHMEM,
		PA_GFP_KERNEL | PA__GFP_DMA | PA__GFP_DMA32 | PA__GFP_MOVABLE,
	};
	char before[4096];

	(void)state;
	for (size_t i = 0; i < sizeof(two_zones) / sizeof(two_zones[0]); i++)
		th_assert_error(pa_gfp_to_zone(two_zones[i]), PA_EINVAL, "two zones");
	th_assert_error(pa_gfp_to_migratetype(PA__GFP_MOVABLE | PA__GFP_RECLAIMABLE), PA_EINVAL,
			"movable and reclaimable");
	th_assert_error(pa_gfp_to_zone(0x800000u), PA_EINVAL, "unknown GFP bits");
	th_assert_error(pa_gfp_to_migratetype(0x1000000u), PA_EINVAL, "unknown GFP bits");

	/* The allocator refuses them too: NULL, one line, nothing taken. */
	assert_int_equal(pa_memblock_add(1 * GiB, 64 * MiB, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	th_buddyinfo(before, sizeof(before));
	for (size_t i = 0; i < sizeof(two_zones) / sizeof(two_zones[0]); i++) {
		char after[4096];

		assert_null(pa_alloc_pages(two_zones[i], 0));
		assert_int_equal(th_log_lines(), 1);
		assert_non_null(strstr(th_last_log(), "two zones"));
		th_log_clear();
		th_buddyinfo(after, sizeof(after));
		assert_string_equal(before, after);
	}
	th_check();
}

/* ------------------------------------------------------------ zonelists */

#if defined(CONFIG_PA_NUMA) && defined(CONFIG_PA_ZONE_DMA32)

static void two_nodes(enum pa_zonelist_order order)
{
	/* Each node has DMA32 below 4 GiB and Normal above it (spans interleave). */
	assert_int_equal(pa_set_nr_cpus(4), 0);
	assert_int_equal(pa_numa_set_cpus(0, 0, 1), 0);
	assert_int_equal(pa_numa_set_cpus(1, 2, 3), 0);
	assert_int_equal(pa_memblock_add(1 * GiB, 64 * MiB, 0), 0);
	assert_int_equal(pa_memblock_add(2 * GiB, 64 * MiB, 1), 0);
	assert_int_equal(pa_memblock_add(4 * GiB, 64 * MiB, 0), 0);
	assert_int_equal(pa_memblock_add(6 * GiB, 64 * MiB, 1), 0);
	assert_int_equal(pa_set_zone_limit(PA_ZONE_DMA32, 4 * GiB), 0);
	assert_int_equal(pa_set_zonelist_order(order), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
}

static void test_zonelists_two_nodes(void **state)
{
	char buf[512];

	(void)state;
	two_nodes(PA_ZONELIST_ORDER_AUTO);
	assert_int_equal(pa_zonelist_order(), PA_ZONELIST_ORDER_NODE); /* 64-bit host */
	th_text(pa_print_zonelists, buf, sizeof(buf));
	assert_string_equal(buf, "Node 0: 0/Normal 0/DMA32 1/Normal 1/DMA32\n"
				 "Node 1: 1/Normal 1/DMA32 0/Normal 0/DMA32\n");
	th_reset();
	two_nodes(PA_ZONELIST_ORDER_ZONE);
	th_text(pa_print_zonelists, buf, sizeof(buf));
	assert_string_equal(buf, "Node 0: 0/Normal 1/Normal 0/DMA32 1/DMA32\n"
				 "Node 1: 1/Normal 0/Normal 1/DMA32 0/DMA32\n");
	/* The __GFP_THISNODE list: the node's own zones only. */
	struct pa_zoneref zr[8];
	assert_int_equal(pa_zonelist_get(1, true, zr, 8), 2);
	assert_int_equal(zr[0].nid, 1);
	assert_int_equal(zr[0].zone, PA_ZONE_NORMAL);
	assert_int_equal(zr[1].nid, 1);
	assert_int_equal(zr[1].zone, PA_ZONE_DMA32);
	th_assert_error(pa_zonelist_get(2, false, zr, 8), PA_ENOENT, "not online");
	th_assert_error(pa_set_zonelist_order(PA_ZONELIST_ORDER_NODE), PA_EBUSY, "after pa_init");
}

#if PA_MAX_NUMNODES >= 4
/*
 * Four nodes, one CPU each, in a ring:      0   1   2   3
 *                                       0: 10  20  30  20
 *                                       1: 20  10  20  30
 *                                       2: 30  20  10  20
 *                                       3: 20  30  20  10
 * Node 0 has DMA32 and Normal, the others Normal only.
 */
static void four_nodes(enum pa_zonelist_order order)
{
	static const unsigned int d[4][4] = {
		{ 10, 20, 30, 20 }, { 20, 10, 20, 30 }, { 30, 20, 10, 20 }, { 20, 30, 20, 10 }
	};

	assert_int_equal(pa_set_nr_cpus(4), 0);
	for (int n = 0; n < 4; n++) {
		assert_int_equal(pa_numa_set_cpus(n, (unsigned int)n, (unsigned int)n), 0);
		for (int m = 0; m < 4; m++)
			assert_int_equal(pa_numa_set_distance(n, m, d[n][m]), 0);
		assert_int_equal(pa_memblock_add((4 + 2 * (pa_phys_t)n) * GiB, 64 * MiB, n), 0);
	}
	assert_int_equal(pa_memblock_add(1 * GiB, 64 * MiB, 0), 0);
	assert_int_equal(pa_set_zone_limit(PA_ZONE_DMA32, 4 * GiB), 0);
	assert_int_equal(pa_set_zonelist_order(order), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
}

/*
 * find_next_best_node() by hand, the load array carried from node to node
 * (val = (distance + (n < local) + has_cpus) * MAX_NUMNODES + load[n]):
 *  node 0: 0; then 1 (84) ties 3 (84), lower id wins, load[1]=1; 3 (84);
 *          2 last, load[2]=1                          -> 0 1 3 2
 *  node 1: 1; 0 = 22*N+0, 2 = 21*N+1 -> 2, load[2]=2; 0; 3, load[3]=1
 *                                                     -> 1 2 0 3
 *  node 2: 2; 3 = 21*N+1 beats 1 = 22*N+1, load[3]=2; 1; 0, load[0]=1
 *                                                     -> 2 3 1 0
 *  node 3: 3; 0 = 22*N+1 beats 2 = 22*N+2, load[0]=2; 2; 1
 *                                                     -> 3 0 2 1
 * (N = MAX_NUMNODES; the comparisons hold for any N >= 4.)
 */
static void test_zonelists_four_nodes(void **state)
{
	char buf[1024];

	(void)state;
	four_nodes(PA_ZONELIST_ORDER_NODE);
	th_text(pa_print_zonelists, buf, sizeof(buf));
	assert_string_equal(buf, "Node 0: 0/Normal 0/DMA32 1/Normal 3/Normal 2/Normal\n"
				 "Node 1: 1/Normal 2/Normal 0/Normal 0/DMA32 3/Normal\n"
				 "Node 2: 2/Normal 3/Normal 1/Normal 0/Normal 0/DMA32\n"
				 "Node 3: 3/Normal 0/Normal 0/DMA32 2/Normal 1/Normal\n");
	th_reset();
	four_nodes(PA_ZONELIST_ORDER_ZONE);
	th_text(pa_print_zonelists, buf, sizeof(buf));
	assert_string_equal(buf, "Node 0: 0/Normal 1/Normal 3/Normal 2/Normal 0/DMA32\n"
				 "Node 1: 1/Normal 2/Normal 0/Normal 3/Normal 0/DMA32\n"
				 "Node 2: 2/Normal 3/Normal 1/Normal 0/Normal 0/DMA32\n"
				 "Node 3: 3/Normal 0/Normal 2/Normal 1/Normal 0/DMA32\n");
}

/*
 * Random allocations of every class with random preferred nodes and
 * nodemasks, held until memory runs out: each lands at or below its GFP
 * zone, inside its nodemask, and on its node with __GFP_THISNODE.
 */
static void test_placement_rules(void **state)
{
	static const pa_gfp_t classes[] = {
		PA_GFP_KERNEL, PA_GFP_ATOMIC, PA_GFP_NOWAIT, PA_GFP_DMA32, PA_GFP_HIGHUSER_MOVABLE,
		PA_GFP_USER, PA_GFP_KERNEL | PA__GFP_THISNODE, PA_GFP_DMA32 | PA__GFP_THISNODE,
		PA_GFP_KERNEL | PA__GFP_RECLAIMABLE,
	};
	enum { MAX_HELD = 200000 };
	struct held { struct pa_page *p; unsigned int order; } *held = calloc(MAX_HELD, sizeof(*held));
	unsigned long n = 0, fails = 0, consecutive = 0, landed_remote = 0;

	(void)state;
	srand(42);
	for (int round = 0; round < 2; round++) {
		th_reset();
		four_nodes(round ? PA_ZONELIST_ORDER_ZONE : PA_ZONELIST_ORDER_NODE);
		n = 0;
		consecutive = 0;
		/* Until 1000 attempts in a row fail: every node is at its reserves. */
		while (n < MAX_HELD && consecutive < 1000) {
			pa_gfp_t gfp = classes[rand() % (int)(sizeof(classes) / sizeof(classes[0]))] |
				       PA__GFP_NOWARN;
			int nid = rand() % 4;
			pa_nodemask_t mask = (pa_nodemask_t)(rand() % 16);
			bool use_mask = rand() % 2;
			unsigned int order = (unsigned int)(rand() % 4);
			struct pa_page *p = pa_alloc_pages_nodemask(gfp, order, nid,
								    use_mask ? &mask : NULL);
			int pn;

			if (!p) {
				fails++;
				consecutive++;
				continue;
			}
			consecutive = 0;
			pn = pa_page_to_nid(p);
			assert_true((int)pa_page_zone_type(p) <= pa_gfp_to_zone(gfp));
			if (use_mask)
				assert_true(mask & PA_NODE_BIT(pn));
			if (gfp & PA__GFP_THISNODE)
				assert_int_equal(pn, nid);
			landed_remote += pn != nid;
			held[n].p = p;
			held[n++].order = order;
		}
		assert_int_equal(th_log_lines(), 0);
		th_check();
		while (n) {
			n--;
			assert_int_equal(pa_free_pages(held[n].p, held[n].order), 0);
		}
		th_check();
	}
	/* The run really exhausted nodes and fell back across them. */
	assert_true(fails >= 2000);
	assert_true(landed_remote > 100);
	assert_true(n == 0);
	free(held);
}
#endif /* PA_MAX_NUMNODES >= 4 */
#endif /* NUMA && DMA32 */

/* A node with no memory and no CPUs, or beyond the limit, is refused. */
static void test_bad_nodes(void **state)
{
	(void)state;
	assert_int_equal(pa_memblock_add(1 * GiB, 64 * MiB, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	assert_null(pa_alloc_pages_node(PA_MAX_NUMNODES, PA_GFP_KERNEL, 0));
	assert_int_equal(th_log_lines(), 1);
	th_log_clear();
	assert_null(pa_alloc_pages_node(-5, PA_GFP_KERNEL, 0));
	assert_int_equal(th_log_lines(), 1);
	th_log_clear();
#if PA_MAX_NUMNODES > 1
	assert_null(pa_alloc_pages_node(1, PA_GFP_KERNEL, 0));
	assert_non_null(strstr(th_last_log(), "no memory and no CPUs"));
	th_log_clear();
#endif
	/* A nodemask without any node that has memory: NULL and one warning. */
	pa_nodemask_t none = 0;
	assert_null(pa_alloc_pages_nodemask(PA_GFP_KERNEL, 0, 0, &none));
	assert_int_equal(th_log_lines(), 1);
	assert_non_null(strstr(th_last_log(), "page allocation failure: order:0"));
	th_log_clear();
	th_check();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_gfp_tables, th_setup),
		cmocka_unit_test_setup(test_gfp_invalid, th_setup),
		cmocka_unit_test_setup(test_bad_nodes, th_setup),
#if defined(CONFIG_PA_NUMA) && defined(CONFIG_PA_ZONE_DMA32)
		cmocka_unit_test_setup(test_zonelists_two_nodes, th_setup),
#if PA_MAX_NUMNODES >= 4
		cmocka_unit_test_setup(test_zonelists_four_nodes, th_setup),
		cmocka_unit_test_setup(test_placement_rules, th_setup),
#endif
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
