// SPDX-License-Identifier: MIT
/*
 * Reference-model test: a deliberately simple model of the allocator (the
 * allocated blocks by pfn with their order, zone and node, and the zone
 * bounds read once after pa_init()) driven in lockstep with the library by
 * random operations from a seed.  Operations: allocations of every order
 * with every GFP class on every node (pa_alloc_pages, _node, _nodemask with
 * random masks, __GFP_THISNODE), the bulk API, frees in random order with
 * pa_free_pages or pa_put_page, extra references, valid tunable changes,
 * drains, CPU offline/online and switching CPUs, and (with
 * CONFIG_PA_MEMORY_ISOLATION) isolating a random pageblock range of a zone
 * and undoing it a later time.  After every operation:
 *  - pa_check() == 0,
 *  - blocks are disjoint (a pfn bitmap), lie inside one zone, and
 *    pa_page_zone_type()/pa_page_to_nid() agree with the model's zone bounds,
 *  - the zone respects the GFP zone limit, the node the nodemask and
 *    __GFP_THISNODE,
 *  - no block allocated while a range is isolated lies in it,
 *  - per zone: free + pcp_pages + isolated free == managed - allocated, and
 *    after pa_drain_all_pages() pcp_pages == 0 (free pages on the
 *    isolated lists are not counted as free, as in Linux).
 *
 * Per-CPU sets stay on.  Scale with the environment:
 *   PA_MODEL_SEEDS        number of seeds (default 4; seeds 1..N)
 *   PA_MODEL_SEED         first seed (default 1)
 *   PA_MODEL_OPS          operations per seed (default 25000)
 *   PA_MODEL_CHECK_EVERY  run pa_check() and the full zone comparison every
 *                         N operations (default 1: after every one); the
 *                         per-block checks of an operation always run.
 * make stress runs 4 seeds x 2.5M operations with PA_MODEL_CHECK_EVERY=1000.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pagealloc/port.h>
#include "harness.h"

/* ------------------------------------------------------------ random */

static uint64_t rng;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static unsigned int rnd_below(unsigned int n)
{
	return (unsigned int)((rnd() >> 11) % n);
}

/* ------------------------------------------------------------ machine */

#define NR_CPUS_USED 4

#if defined(CONFIG_PA_NUMA) && defined(CONFIG_PA_ZONE_DMA32)
#define MODEL_NODES 2
#else
#define MODEL_NODES 1
#endif

/* Pages per memory range: at least 4096 and two max-order blocks. */
#define RANGE_PAGES (4096UL > (2UL << PA_MAX_PAGE_ORDER) ? 4096UL : (2UL << PA_MAX_PAGE_ORDER))
#define RANGE_BYTES ((pa_phys_t)RANGE_PAGES * PA_PAGE_SIZE)

static int cpu_node(unsigned int cpu)
{
	return MODEL_NODES == 2 ? (int)(cpu / 2) : 0;
}

/* The memory ranges the machine has, and their nodes: the model's node map. */
struct range {
	pa_phys_t base, size;
	int nid;
};
static const struct range ranges[] = {
#if MODEL_NODES == 2
	/* Packed around 4 GiB so the zone spans (and pa_check()) stay small. */
	{ 4 * GiB - 2 * RANGE_BYTES, RANGE_BYTES, 0 },
	{ 4 * GiB - RANGE_BYTES, RANGE_BYTES, 1 },
	{ 4 * GiB, RANGE_BYTES, 0 },
	{ 4 * GiB + RANGE_BYTES, RANGE_BYTES, 1 },
#else
	{ 4 * GiB, 2 * RANGE_BYTES, 0 },
#endif
};
#define NR_RANGES (sizeof(ranges) / sizeof(ranges[0]))

/*
 * Two nodes: node 0 has DMA (the first half of its low range, when the
 * configuration has ZONE_DMA), DMA32 and Normal; node 1 DMA32 and Normal.
 * Otherwise one node with one range.
 */
static void machine(void)
{
	assert_int_equal(pa_set_nr_cpus(NR_CPUS_USED), 0);
#if MODEL_NODES == 2
	assert_int_equal(pa_numa_set_cpus(0, 0, 1), 0);
	assert_int_equal(pa_numa_set_cpus(1, 2, 3), 0);
#ifdef CONFIG_PA_ZONE_DMA
	assert_int_equal(pa_set_zone_limit(PA_ZONE_DMA, 4 * GiB - 3 * RANGE_BYTES / 2), 0);
#endif
	assert_int_equal(pa_set_zone_limit(PA_ZONE_DMA32, 4 * GiB), 0);
#endif
	for (unsigned int i = 0; i < NR_RANGES; i++)
		assert_int_equal(pa_memblock_add(ranges[i].base, ranges[i].size, ranges[i].nid), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
}

/* ------------------------------------------------------------ model */

struct zone_model {
	bool present;
	unsigned long start, end; /* span */
	unsigned long managed;
	unsigned long allocated; /* pages the model says are allocated here */
};

struct block {
	struct pa_page *page;
	unsigned long pfn;
	unsigned int order;
	int extra_refs;
	int nid;
	int zone;
	uint64_t token; /* written at the start of the block: its identity, which migration moves */
};

#define MAX_BLOCKS 8192

static struct zone_model zones[MODEL_NODES][PA_MAX_NR_ZONES];
static struct block blocks[MAX_BLOCKS];
static unsigned int nr_blocks;
static unsigned long lo_pfn, hi_pfn;
static uint8_t *used; /* bitmap over [lo_pfn, hi_pfn) */
static bool cpu_online[NR_CPUS_USED];
static unsigned int cur_cpu;
static uint64_t cur_seed;
static unsigned long cur_op;
static const char *cur_what = "";
static char cur_detail[160];
/* The isolated range, if any (op_isolate). */
static bool iso_active;
static unsigned long iso_start, iso_end, nr_isolations;
/* What the run did, to show it reached exhaustion and every order. */
static unsigned long nr_alloc_ok[PA_NR_PAGE_ORDERS], nr_alloc_fail[PA_NR_PAGE_ORDERS], nr_bulk_pages;

#define MCHECK(cond, ...)                                                                  \
	do {                                                                               \
		if (!(cond)) {                                                             \
			fprintf(stderr, "seed %" PRIu64 " op %lu (%s %s): ", cur_seed,    \
				cur_op, cur_what, cur_detail);                             \
			fail_msg(__VA_ARGS__);                                             \
		}                                                                          \
	} while (0)

static bool bit(unsigned long pfn)
{
	pfn -= lo_pfn;
	return used[pfn / 8] & (1u << (pfn % 8));
}

static void set_bit(unsigned long pfn, bool on)
{
	pfn -= lo_pfn;
	if (on)
		used[pfn / 8] |= (uint8_t)(1u << (pfn % 8));
	else
		used[pfn / 8] &= (uint8_t)~(1u << (pfn % 8));
}

static void model_init(void)
{
	lo_pfn = ~0UL;
	hi_pfn = 0;
	for (int n = 0; n < MODEL_NODES; n++)
		for (int z = 0; z < PA_MAX_NR_ZONES; z++) {
			struct zone_model *zm = &zones[n][z];
			struct pa_zone_counts c = th_zone(n, (enum pa_zone_type)z);

			memset(zm, 0, sizeof(*zm));
			zm->present = c.spanned != 0;
			if (!zm->present)
				continue;
			zm->start = c.start_pfn;
			zm->end = c.start_pfn + c.spanned;
			zm->managed = c.managed;
			if (zm->start < lo_pfn)
				lo_pfn = zm->start;
			if (zm->end > hi_pfn)
				hi_pfn = zm->end;
		}
	assert_true(lo_pfn < hi_pfn);
	free(used);
	used = calloc((hi_pfn - lo_pfn) / 8 + 1, 1);
	assert_non_null(used);
	nr_blocks = 0;
	for (unsigned int c = 0; c < NR_CPUS_USED; c++)
		cpu_online[c] = true;
	cur_cpu = 0;
	pa_host_set_cpu(0);
}

/*
 * The model's zone of @pfn: its node from the memory ranges, its zone from
 * that node's zone spans (the spans of different nodes interleave).
 */
static bool model_zone_of(unsigned long pfn, int *nid, int *zone)
{
	for (unsigned int i = 0; i < NR_RANGES; i++) {
		unsigned long base = (unsigned long)(ranges[i].base >> PA_PAGE_SHIFT);
		unsigned long end = base + (unsigned long)(ranges[i].size >> PA_PAGE_SHIFT);
		int n = ranges[i].nid;

		if (pfn < base || pfn >= end)
			continue;
		for (int z = 0; z < PA_MAX_NR_ZONES; z++)
			if (zones[n][z].present && pfn >= zones[n][z].start && pfn < zones[n][z].end) {
				*nid = n;
				*zone = z;
				return true;
			}
	}
	return false;
}

/* The first word of a block's memory. */
static uint64_t *block_word(const struct pa_page *page)
{
	return pa_port_phys_to_virt(pa_page_to_phys(page), sizeof(uint64_t));
}

/*
 * A new block from the library: check it against the model and record it.
 * @max_zone: the highest zone the GFP flags allow; @mask: allowed nodes;
 * @thisnode: the only node allowed, or -1.
 */
static void model_add(struct pa_page *page, unsigned int order, int max_zone, pa_nodemask_t mask,
		      int thisnode)
{
	unsigned long pfn = pa_page_to_pfn(page), nr = 1UL << order;
	int nid = -1, zone = -1;

	MCHECK(nr_blocks < MAX_BLOCKS, "model full");
	MCHECK(pfn % nr == 0, "pfn %#lx not aligned to order %u", pfn, order);
	MCHECK(model_zone_of(pfn, &nid, &zone), "pfn %#lx outside every zone", pfn);
	{
		int last_nid = -1, last_zone = -1;

		MCHECK(model_zone_of(pfn + nr - 1, &last_nid, &last_zone) && last_nid == nid &&
			       last_zone == zone,
		       "block %#lx order %u crosses a zone or node boundary", pfn, order);
	}
	MCHECK((int)pa_page_zone_type(page) == zone, "pfn %#lx: library zone %d, model zone %d", pfn,
	       (int)pa_page_zone_type(page), zone);
	MCHECK(pa_page_to_nid(page) == nid, "pfn %#lx: library node %d, model node %d", pfn,
	       pa_page_to_nid(page), nid);
	MCHECK(zone <= max_zone, "pfn %#lx in zone %d above the GFP limit %d", pfn, zone, max_zone);
	MCHECK(mask & PA_NODE_BIT(nid), "pfn %#lx on node %d outside nodemask %#" PRIx64, pfn, nid,
	       (uint64_t)mask);
	MCHECK(thisnode < 0 || nid == thisnode, "__GFP_THISNODE for node %d gave node %d", thisnode,
	       nid);
	MCHECK(pa_page_count(page) == 1, "new block refcount %d", pa_page_count(page));
	MCHECK(!iso_active || pfn + nr <= iso_start || pfn >= iso_end,
	       "block %#lx order %u lies in the isolated range [%#lx, %#lx)", pfn, order, iso_start,
	       iso_end);
	for (unsigned long i = 0; i < nr; i++) {
		MCHECK(!bit(pfn + i), "pfn %#lx (block %#lx order %u) is already allocated", pfn + i,
		       pfn, order);
		set_bit(pfn + i, true);
	}
	blocks[nr_blocks] = (struct block){ page, pfn, order, 0, nid, zone, rnd() };
	*block_word(page) = blocks[nr_blocks].token;
	page->priv = ++nr_blocks;
	zones[nid][zone].allocated += nr;
}

static void model_remove(unsigned int i)
{
	struct block *b = &blocks[i];

	for (unsigned long p = 0; p < 1UL << b->order; p++)
		set_bit(b->pfn + p, false);
	zones[b->nid][b->zone].allocated -= 1UL << b->order;
	blocks[i] = blocks[--nr_blocks];
	if (i < nr_blocks)
		blocks[i].page->priv = i + 1;
}

static unsigned long nr_migrations, nr_refused;

/*
 * The kernel's migration: the block (found through priv) moves to @dst
 * with its contents and its model record, unless it has extra references
 * (pinned) or a coin says no; a refusal leaves everything as it was.
 */
int pa_port_migrate_page(struct pa_page *src, struct pa_page *dst, unsigned int order)
{
	unsigned long i = src->priv - 1, dpfn = pa_page_to_pfn(dst);
	struct block *b;

	MCHECK(src->priv >= 1 && i < nr_blocks && blocks[i].page == src,
	       "migrate of a block the model does not know");
	b = &blocks[i];
	MCHECK(order == b->order, "migrate order %u, model %u", order, b->order);
	MCHECK(pa_page_count(dst) == 1, "destination count %d", pa_page_count(dst));
	if (b->extra_refs || rnd_below(10) == 0) {
		nr_refused++;
		return -PA_EBUSY;
	}
	for (unsigned long p = 0; p < 1UL << order; p++) {
		MCHECK(!bit(dpfn + p), "destination pfn %#lx is allocated", dpfn + p);
		set_bit(dpfn + p, true);
	}
	memcpy(pa_port_phys_to_virt(pa_page_to_phys(dst), PA_PAGE_SIZE << order),
	       pa_port_phys_to_virt(pa_page_to_phys(src), PA_PAGE_SIZE << order), PA_PAGE_SIZE << order);
	for (unsigned long p = 0; p < 1UL << order; p++)
		set_bit(b->pfn + p, false);
	MCHECK((int)pa_page_zone_type(dst) == b->zone && pa_page_to_nid(dst) == b->nid,
	       "migrated out of its zone");
	b->page = dst;
	b->pfn = dpfn;
	dst->priv = i + 1;
	MCHECK(*block_word(dst) == b->token, "contents did not move");
	nr_migrations++;
	return pa_free_pages(src, order);
}

/* Free pages on the isolated lists of a zone: not in c->free. */
static unsigned long isolated_free(const struct pa_zone_counts *c)
{
#ifdef CONFIG_PA_MEMORY_ISOLATION
	return c->free_mt[PA_MIGRATE_ISOLATE];
#else
	(void)c;
	return 0;
#endif
}

/* Per zone: free + pcp + isolated == managed - allocated; @drained: pcp == 0. */
static void model_compare_counts(bool drained)
{
	for (int n = 0; n < MODEL_NODES; n++)
		for (int z = 0; z < PA_MAX_NR_ZONES; z++) {
			struct zone_model *zm = &zones[n][z];
			struct pa_zone_counts c;

			if (!zm->present)
				continue;
			assert_int_equal(pa_zone_get_counts(n, (enum pa_zone_type)z, &c), 0);
			MCHECK(c.managed == zm->managed, "node %d zone %d managed %lu, was %lu", n, z,
			       c.managed, zm->managed);
			MCHECK(c.free + c.pcp_pages + isolated_free(&c) == zm->managed - zm->allocated,
			       "node %d zone %d: free %lu + pcp %lu + isolated %lu != managed %lu - "
			       "allocated %lu", n, z, c.free, c.pcp_pages, isolated_free(&c),
			       zm->managed, zm->allocated);
			if (drained)
				MCHECK(c.pcp_pages == 0 &&
					       c.free + isolated_free(&c) == zm->managed - zm->allocated,
				       "node %d zone %d after drain: free %lu pcp %lu, expected %lu", n,
				       z, c.free, c.pcp_pages, zm->managed - zm->allocated);
		}
}

/* ------------------------------------------------------------ operations */

static const pa_gfp_t gfp_classes[] = {
	PA_GFP_KERNEL,
	PA_GFP_ATOMIC,
	PA_GFP_NOWAIT,
	PA_GFP_HIGHUSER_MOVABLE,
#ifdef CONFIG_PA_ZONE_DMA
	PA_GFP_KERNEL | PA_GFP_DMA,
#endif
#ifdef CONFIG_PA_ZONE_DMA32
	PA_GFP_KERNEL | PA_GFP_DMA32,
#endif
	PA_GFP_KERNEL | PA__GFP_RECLAIMABLE,
};
#define NR_GFP_CLASSES (sizeof(gfp_classes) / sizeof(gfp_classes[0]))

static pa_gfp_t random_gfp(void)
{
	pa_gfp_t gfp = gfp_classes[rnd_below(NR_GFP_CLASSES)] | PA__GFP_NOWARN;

	if (rnd_below(4) == 0)
		gfp |= PA__GFP_THISNODE;
	return gfp;
}

static unsigned int random_order(void)
{
	/* Half order 0, a quarter the cheap orders, a quarter any order. */
	switch (rnd_below(4)) {
	case 0:
	case 1:
		return 0;
	case 2:
		return rnd_below(PA_PAGE_ALLOC_COSTLY_ORDER + 1);
	default:
		return rnd_below(PA_MAX_PAGE_ORDER + 1);
	}
}

/* Where an allocation may come from: the allowed-node mask and THISNODE's node. */
struct target {
	int nid;            /* argument: a node or PA_NUMA_NO_NODE */
	const pa_nodemask_t *nodemask;
	pa_nodemask_t mask; /* what the model allows */
	int thisnode;
};

static struct target random_target(pa_gfp_t gfp, bool allow_mask, pa_nodemask_t *storage)
{
	struct target t = { PA_NUMA_NO_NODE, NULL, PA_NODEMASK_ALL, -1 };
	int pref;

	if (rnd_below(3) != 0)
		t.nid = (int)rnd_below(MODEL_NODES);
	pref = t.nid == PA_NUMA_NO_NODE ? cpu_node(cur_cpu) : t.nid;
	if (allow_mask && rnd_below(2) == 0) {
		*storage = (pa_nodemask_t)rnd_below(1u << MODEL_NODES);
		if (rnd_below(4) == 0)
			*storage |= ~(pa_nodemask_t)0 << MODEL_NODES; /* offline nodes too */
		t.nodemask = storage;
		t.mask = *storage;
	}
	if (gfp & PA__GFP_THISNODE)
		t.thisnode = pref;
	return t;
}

static void op_alloc(void)
{
	pa_gfp_t gfp = random_gfp();
	unsigned int order = random_order();
	pa_nodemask_t storage;
	struct target t;
	struct pa_page *page;
	int max_zone = pa_gfp_to_zone(gfp);

	assert_true(max_zone >= 0);
	switch (rnd_below(3)) {
	case 0:
		cur_what = "pa_alloc_pages";
		t = random_target(gfp, false, &storage);
		t.nid = PA_NUMA_NO_NODE;
		if (gfp & PA__GFP_THISNODE)
			t.thisnode = cpu_node(cur_cpu);
		page = pa_alloc_pages(gfp, order);
		break;
	case 1:
		cur_what = "pa_alloc_pages_node";
		t = random_target(gfp, false, &storage);
		page = pa_alloc_pages_node(t.nid, gfp, order);
		break;
	default:
		cur_what = "pa_alloc_pages_nodemask";
		t = random_target(gfp, true, &storage);
		page = pa_alloc_pages_nodemask(gfp, order, t.nid, t.nodemask);
		break;
	}
	if (page) {
		model_add(page, order, max_zone, t.mask, t.thisnode);
		nr_alloc_ok[order]++;
	} else {
		nr_alloc_fail[order]++;
	}
}

static void op_bulk(void)
{
	struct pa_page *array[32];
	unsigned int nr = 1 + rnd_below(32), prefilled = 0, got;
	pa_gfp_t gfp = random_gfp();
	pa_nodemask_t storage;
	struct target t = random_target(gfp, true, &storage);
	int max_zone = pa_gfp_to_zone(gfp);

	cur_what = "pa_alloc_pages_bulk";
	memset(array, 0, sizeof(array));
	/* Some slots pre-filled with a marker the call must keep. */
	struct pa_page marker;
	for (unsigned int i = 0; i < nr; i++)
		if (rnd_below(8) == 0) {
			array[i] = &marker;
			prefilled++;
		}
	got = pa_alloc_pages_bulk(gfp, t.nid, t.nodemask, nr, array);
	MCHECK(got <= nr, "bulk returned %u of %u", got, nr);
	/*
	 * As Linux's alloc_pages_bulk_array(), the return value counts the
	 * leading non-NULL slots: it stops at the first slot left empty.
	 */
	unsigned int leading = 0;
	while (leading < nr && array[leading])
		leading++;
	MCHECK(got == leading, "bulk returned %u but the first %u slots are filled", got, leading);
	for (unsigned int i = 0; i < nr; i++)
		if (array[i] && array[i] != &marker) {
			model_add(array[i], 0, max_zone, t.mask, t.thisnode);
			nr_bulk_pages++;
		}
	for (unsigned int i = 0; i < nr; i++)
		if (array[i] == &marker)
			prefilled--;
	MCHECK(prefilled == 0, "bulk overwrote a pre-filled slot");
}

static void op_free(void)
{
	unsigned int i;
	struct block *b;
	int ret;

	if (!nr_blocks)
		return;
	i = rnd_below(nr_blocks);
	b = &blocks[i];
	MCHECK(pa_page_count(b->page) == 1 + b->extra_refs, "pfn %#lx count %d, model %d", b->pfn,
	       pa_page_count(b->page), 1 + b->extra_refs);
	snprintf(cur_detail, sizeof(cur_detail), "pfn %#lx order %u refs %d node %d zone %d",
		 b->pfn, b->order, 1 + b->extra_refs, b->nid, b->zone);
	MCHECK(*block_word(b->page) == b->token, "pfn %#lx lost its contents", b->pfn);
	if (rnd_below(2)) {
		cur_what = "pa_free_pages";
		ret = pa_free_pages(b->page, b->order);
	} else {
		cur_what = "pa_put_page";
		ret = pa_put_page(b->page);
	}
	MCHECK(ret == 0, "free of pfn %#lx order %u returned %d", b->pfn, b->order, ret);
	if (b->extra_refs) {
		b->extra_refs--;
		/*
		 * As Linux's __free_pages() of a non-compound block someone
		 * else still holds: the tail halves are freed now, the head
		 * stays as an order-0 page.
		 */
		if (!strcmp(cur_what, "pa_free_pages") && b->order) {
			for (unsigned long p = 1; p < 1UL << b->order; p++)
				set_bit(b->pfn + p, false);
			zones[b->nid][b->zone].allocated -= (1UL << b->order) - 1;
			b->order = 0;
		}
		MCHECK(pa_page_count(b->page) == 1 + b->extra_refs, "count %d after put, model %d",
		       pa_page_count(b->page), 1 + b->extra_refs);
	} else {
		model_remove(i);
	}
}

static void op_get(void)
{
	struct block *b;

	if (!nr_blocks)
		return;
	cur_what = "pa_get_page";
	b = &blocks[rnd_below(nr_blocks)];
	pa_get_page(b->page);
	b->extra_refs++;
	MCHECK(pa_page_count(b->page) == 1 + b->extra_refs, "count %d after get, model %d",
	       pa_page_count(b->page), 1 + b->extra_refs);
}

static void sysctl_ok(const char *name, const long *v, unsigned int n)
{
	int ret = pa_sysctl_set(name, v, n);

	MCHECK(ret == 0, "pa_sysctl_set(%s, %ld...) returned %d", name, v[0], ret);
}

static void op_tunable(void)
{
	static const long min_free[] = { 0, 64, 128, 512, 1024, 2048 };
	long v[PA_MAX_NR_ZONES + 1];
	unsigned int n;

	cur_what = "pa_sysctl_set";
	switch (rnd_below(4)) {
	case 0:
		v[0] = min_free[rnd_below(sizeof(min_free) / sizeof(min_free[0]))];
		sysctl_ok("min_free_kbytes", v, 1);
		break;
	case 1:
		v[0] = 1 + rnd_below(1000);
		sysctl_ok("watermark_scale_factor", v, 1);
		break;
	case 2:
		v[0] = rnd_below(2) ? 0 : 8 + rnd_below(200);
		sysctl_ok("percpu_pagelist_high_fraction", v, 1);
		break;
	default:
		assert_int_equal(pa_sysctl_get("lowmem_reserve_ratio", v, PA_MAX_NR_ZONES + 1, &n), 0);
		for (unsigned int i = 0; i < n; i++)
			v[i] = rnd_below(4) == 0 ? 0 : 1 + rnd_below(512);
		sysctl_ok("lowmem_reserve_ratio", v, n);
		break;
	}
}

static void op_cpu(void)
{
	unsigned int cpu = rnd_below(NR_CPUS_USED);
	int ret;

	switch (rnd_below(5)) {
	case 0:
		cur_what = "pa_drain_local_pages";
		pa_drain_local_pages();
		break;
	case 1:
		cur_what = "pa_drain_pages";
		MCHECK(pa_drain_pages(cpu) == 0, "pa_drain_pages(%u) failed", cpu);
		break;
	case 2:
		/* Offline or online another CPU. */
		if (cpu == cur_cpu)
			break;
		cur_what = cpu_online[cpu] ? "pa_cpu_offline" : "pa_cpu_online";
		ret = cpu_online[cpu] ? pa_cpu_offline(cpu) : pa_cpu_online(cpu);
		MCHECK(ret == 0, "%s(%u) returned %d", cur_what, cpu, ret);
		cpu_online[cpu] = !cpu_online[cpu];
		break;
	default:
		/* Switch to an online CPU. */
		if (!cpu_online[cpu])
			break;
		cur_what = "pa_host_set_cpu";
		pa_host_set_cpu(cpu);
		cur_cpu = cpu;
		break;
	}
}

/*
 * Undo the isolated range, or isolate one or two pageblocks of a random
 * memory range when they lie in one zone (sometimes with
 * PA_ISOLATE_UNMOVABLE_OK); -EBUSY is a valid answer
 * for a range with unmovable pages or a highatomic block.
 */
static void op_isolate(void)
{
#ifdef CONFIG_PA_MEMORY_ISOLATION
	const struct range *r = &ranges[rnd_below(NR_RANGES)];
	unsigned long first, nblocks;
	int nid, zone, nid2, zone2;
	unsigned int flags = rnd_below(2) ? PA_ISOLATE_UNMOVABLE_OK : 0;
	int ret;

	if (iso_active) {
		cur_what = "pa_undo_isolate_range";
		ret = pa_undo_isolate_range(iso_start, iso_end, PA_MIGRATE_MOVABLE);
		MCHECK(ret == 0, "undo [%#lx, %#lx) returned %d", iso_start, iso_end, ret);
		iso_active = false;
		return;
	}
	first = (unsigned long)(r->base >> PA_PAGE_SHIFT);
	nblocks = (unsigned long)(r->size >> PA_PAGE_SHIFT) / PA_PAGEBLOCK_NR_PAGES;
	iso_start = first + rnd_below((unsigned int)nblocks) * PA_PAGEBLOCK_NR_PAGES;
	iso_end = iso_start + PA_PAGEBLOCK_NR_PAGES * (1 + rnd_below(2));
	/* Inside one zone of the range's node (zone spans of two nodes interleave). */
	if (!model_zone_of(iso_start, &nid, &zone) || !model_zone_of(iso_end - 1, &nid2, &zone2) ||
	    nid != nid2 || zone != zone2)
		return;
	cur_what = "pa_isolate_range";
	snprintf(cur_detail, sizeof(cur_detail), "[%#lx, %#lx) flags %u", iso_start, iso_end, flags);
	ret = pa_isolate_range(iso_start, iso_end, PA_MIGRATE_MOVABLE, flags);
	MCHECK(ret == 0 || ret == -PA_EBUSY, "isolate returned %d", ret);
	iso_active = ret == 0;
	nr_isolations += iso_active;
#endif
}

/* Compaction: all of memory, or one node's kcompactd (proactive or for an order). */
static void op_compact(void)
{
#ifdef CONFIG_PA_COMPACTION
	int nid = (int)rnd_below(MODEL_NODES);

	if (rnd_below(4) == 0) {
		cur_what = "pa_compact_memory";
		MCHECK(pa_compact_memory() == 0, "pa_compact_memory failed");
	} else {
		cur_what = "pa_kcompactd_run";
		MCHECK(pa_kcompactd_run(nid) >= 0, "pa_kcompactd_run failed");
	}
#endif
}

static void free_all(void)
{
	cur_what = "free everything";
	while (nr_blocks) {
		struct block *b = &blocks[nr_blocks - 1];

		MCHECK(*block_word(b->page) == b->token, "pfn %#lx lost its contents", b->pfn);
		while (b->extra_refs) {
			MCHECK(pa_put_page(b->page) == 0, "put failed");
			b->extra_refs--;
		}
		MCHECK(pa_free_pages(b->page, b->order) == 0, "free failed");
		model_remove(nr_blocks - 1);
	}
}

static unsigned long env_ulong(const char *name, unsigned long def)
{
	const char *s = getenv(name);

	return s && *s ? strtoul(s, NULL, 0) : def;
}

static void run_seed(uint64_t seed, unsigned long ops, unsigned long check_every)
{
	th_reset();
	machine();
	model_init();
	rng = seed * 0x9E3779B97F4A7C15ULL + 1;
	iso_active = false;
	cur_seed = seed;
	th_check();
	model_compare_counts(false);
	for (cur_op = 0; cur_op < ops; cur_op++) {
		unsigned int r = rnd_below(1000);
		bool drained = false;

		cur_detail[0] = '\0';
		if (r < 420) {
			if (nr_blocks + 32 >= MAX_BLOCKS)
				op_free();
			else
				op_alloc();
		} else if (r < 730) {
			op_free();
		} else if (r < 780) {
			op_get();
		} else if (r < 830) {
			if (nr_blocks + 32 >= MAX_BLOCKS)
				op_free();
			else
				op_bulk();
		} else if (r < 850) {
			op_tunable();
		} else if (r < 955) {
			op_cpu();
		} else if (r < 960) {
			op_compact();
		} else if (r < 990) {
			cur_what = "pa_drain_all_pages";
			pa_drain_all_pages();
			drained = true;
		} else if (r < 995) {
			op_isolate();
		} else if (r < 996) {
			free_all();
		} else {
			/* Burst: allocate until something fails, to reach exhaustion. */
			for (int i = 0; i < 64 && nr_blocks + 32 < MAX_BLOCKS; i++)
				op_alloc();
		}
		if (drained || (cur_op + 1) % check_every == 0) {
			int ret = pa_check();

			MCHECK(ret == 0, "pa_check() returned %d", ret);
			model_compare_counts(drained);
		}
	}
	if (iso_active)
		op_isolate(); /* undo */
	free_all();
	pa_drain_all_pages();
	cur_what = "end";
	th_check();
	model_compare_counts(true);
	for (int n = 0; n < MODEL_NODES; n++)
		for (int z = 0; z < PA_MAX_NR_ZONES; z++)
			MCHECK(zones[n][z].allocated == 0, "model leak");
}

static void test_model(void **state)
{
	unsigned long seeds = env_ulong("PA_MODEL_SEEDS", 4);
	unsigned long first = env_ulong("PA_MODEL_SEED", 1);
	unsigned long ops = env_ulong("PA_MODEL_OPS", 25000);
	unsigned long every = env_ulong("PA_MODEL_CHECK_EVERY", 1);

	(void)state;
	if (!every)
		every = 1;
	for (unsigned long s = first; s < first + seeds; s++)
		run_seed(s, ops, every);
	printf("model: %lu seeds x %lu operations (%lu nodes, %lu-page ranges), checked every %lu\n",
	       seeds, ops, (unsigned long)MODEL_NODES, RANGE_PAGES, every);
	printf("model: allocations ok/failed by order:");
	for (int o = 0; o < PA_NR_PAGE_ORDERS; o++) {
		printf(" %d:%lu/%lu", o, nr_alloc_ok[o], nr_alloc_fail[o]);
		/* Every order was served at least once, and the machine ran dry. */
		assert_true(nr_alloc_ok[o] > 0);
	}
	printf("; bulk pages %lu; isolations %lu; migrations %lu (%lu refused)\n", nr_bulk_pages,
	       nr_isolations, nr_migrations, nr_refused);
	if (IS_ENABLED(CONFIG_PA_COMPACTION))
		assert_true(nr_migrations > 0 && nr_refused > 0); /* compaction ran, both ways */
	if (IS_ENABLED(CONFIG_PA_MEMORY_ISOLATION) && ops >= 10000)
		assert_true(nr_isolations > 0);
	assert_true(nr_alloc_fail[0] + nr_alloc_fail[PA_MAX_PAGE_ORDER] > 0);
	free(used);
	used = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
