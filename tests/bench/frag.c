// SPDX-License-Identifier: MIT
/*
 * pa-bench fragmentation: what grouping by mobility buys.  On a 1 GiB
 * machine, a long churn of unmovable, reclaimable and movable allocations
 * (orders 0-3) keeps memory about 90% full; then every movable block is
 * freed, as reclaim would free page cache.  The figure is the fraction of
 * free memory that lies in whole free pageblocks (what a huge page or a
 * compaction-free high-order allocation needs), with grouping on and off.
 */
#include <stdio.h>
#include <stdlib.h>
#include "bench.h"

#define FRAG_BYTES (1ULL << 30)

struct blk {
	struct pa_page *page;
	unsigned int order;
	int movable;
};

/* Park a fresh machine with grouping @on (pa_set_mobility_grouping() must precede pa_init()). */
static void frag_machine(int on)
{
	int r;

	bench_teardown();
	if ((r = pa_memblock_add(BENCH_RAM_BASE, FRAG_BYTES, 0)) ||
	    (r = pa_set_mobility_grouping(on)) || (r = pa_init()))
		bench_die("fragmentation: cannot build the machine: %s", pa_strerror(r));
}

static unsigned int rnd(unsigned long long *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned int)(*s >> 33);
}

/* One allocation of the mix: 20% unmovable, 10% reclaimable, 70% movable. */
static int alloc_one(struct blk *b, unsigned long long *seed)
{
	unsigned int r = rnd(seed) % 100;
	pa_gfp_t gfp = r < 20 ? PA_GFP_KERNEL : r < 30 ? PA_GFP_KERNEL | PA__GFP_RECLAIMABLE
						    : PA_GFP_HIGHUSER_MOVABLE;

	b->order = rnd(seed) % 4 == 0 ? rnd(seed) % 4 : 0;
	b->movable = r >= 30;
	b->page = pa_alloc_pages(gfp | PA__GFP_NOWARN, b->order);
	return b->page != NULL;
}

/* Fraction of free pages in free blocks of at least a pageblock. */
static double whole_block_fraction(void)
{
	unsigned long whole = 0, free = 0;

	pa_drain_all_pages();
	for (int z = 0; z < PA_MAX_NR_ZONES; z++) {
		struct pa_zone_counts c;

		if (pa_zone_get_counts(0, (enum pa_zone_type)z, &c))
			continue;
		free += c.free;
		for (unsigned int o = PA_PAGEBLOCK_ORDER; o < PA_NR_PAGE_ORDERS; o++)
			whole += c.nr_free[o] << o;
	}
	return free ? (double)whole / (double)free : 0;
}

/* The churn and the release of movable blocks; returns the fraction. */
static double frag_run(int on, unsigned long ops)
{
	unsigned long cap = FRAG_BYTES / PA_PAGE_SIZE, n = 0;
	struct blk *v = calloc(cap, sizeof(*v));
	unsigned long long seed = 42;
	double f;

	frag_machine(on);
	while (n < cap && pa_nr_free_pages() > cap / 10 && alloc_one(&v[n], &seed))
		n++;
	for (unsigned long i = 0; i < ops && n; i++) {
		unsigned long k = rnd(&seed) % n;

		pa_free_pages(v[k].page, v[k].order);
		if (!alloc_one(&v[k], &seed))
			v[k] = v[--n];
	}
	for (unsigned long i = 0; i < n; i++)
		if (v[i].movable)
			pa_free_pages(v[i].page, v[i].order);
	f = whole_block_fraction();
	if (pa_check())
		bench_die("fragmentation: the verifier failed");
	for (unsigned long i = 0; i < n; i++)
		if (!v[i].movable)
			pa_free_pages(v[i].page, v[i].order);
	free(v);
	return f;
}

void bench_fragmentation(const struct bench *b, unsigned long n)
{
	double on = frag_run(1, n), off = frag_run(0, n);

	bench_teardown();
	bench_result(b->name, "grouping=on whole_block_fraction=%.4f", on);
	bench_result(b->name, "grouping=off whole_block_fraction=%.4f", off);
	if (off > 0)
		bench_result(b->name, "ratio=%.2f", on / off);
	else
		bench_result(b->name, "ratio=inf (no whole free pageblock without grouping)");
}
