// SPDX-License-Identifier: MIT
/*
 * pa-bench highalloc, in the manner of mmtests' stress-highalloc: on the
 * standard machine, the mixed churn of pa-bench fragmentation (unmovable,
 * reclaimable and movable blocks of orders 0-3, about 90% full), then,
 * holding every block, pageblock-order allocations with a blocking mask
 * until one fails.  The success rate is the blocks obtained against the
 * blocks that could exist: the free pages over a pageblock, and no more
 * than the pageblocks that hold only free pages and movable blocks (at
 * best, compaction gathers all free memory into such pageblocks).
 *
 * compaction=on: this program's pa_port_migrate_page() moves a block (its
 * slot in the churn's array follows it, through priv); compaction=off: it
 * answers -PA_EOPNOTSUPP, a kernel that does not migrate.  Both runs
 * start from the same churn (same seed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pagealloc/port.h>
#include "bench.h"
#include "../../arch/host/sim/fragmix.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define HIGHALLOC_GFP (PA_GFP_HIGHUSER_MOVABLE | PA__GFP_NOWARN | PA__GFP_RETRY_MAYFAIL)

static bool migrate_on;
static struct pa_frag_blk *blks;
static unsigned long migrated_pages;

int pa_port_migrate_page(struct pa_page *src, struct pa_page *dst, unsigned int order)
{
	unsigned long slot = src->priv;

	if (!migrate_on)
		return -PA_EOPNOTSUPP;
	if (!slot || blks[slot - 1].page != src)
		return -PA_EBUSY; /* not one of the churn's blocks */
	memcpy(pa_port_phys_to_virt(pa_page_to_phys(dst), PA_PAGE_SIZE << order),
	       pa_port_phys_to_virt(pa_page_to_phys(src), PA_PAGE_SIZE << order), PA_PAGE_SIZE << order);
	blks[slot - 1].page = dst;
	dst->priv = slot;
	migrated_pages += 1UL << order;
	return pa_free_pages(src, order);
}

/* Each pfn's holder, from the lowest zone's start: 0 none, 1 a movable block, 2 another. */
static unsigned char *held_by;
static unsigned long base_pfn;

static void mark_held(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		unsigned long pfn = pa_page_to_pfn(blks[i].page);

		for (unsigned long k = 0; k < (1UL << blks[i].order); k++)
			held_by[pfn + k - base_pfn] = blks[i].movable ? 1 : 2;
	}
}

/*
 * Does the pageblock at @start hold only free pages and movable blocks?
 * A page nobody holds is free when its count is 0 (reserved pages keep 1).
 */
static bool block_clean(unsigned long start)
{
	for (unsigned long pfn = start; pfn < start + PA_PAGEBLOCK_NR_PAGES; pfn++) {
		struct pa_page *page;

		if (held_by[pfn - base_pfn] == 2)
			return false;
		if (held_by[pfn - base_pfn])
			continue;
		page = pa_pfn_to_page(pfn);
		if (!page || pa_page_count(page) != 0)
			return false;
	}
	return true;
}

/* The blocks that could exist: min(free / pageblock, clean pageblocks). */
static unsigned long possible_blocks(unsigned long n)
{
	unsigned long clean = 0, nfree = 0, end = 0;

	pa_drain_all_pages();
	base_pfn = ~0UL;
	for (int z = 0; z < PA_MAX_NR_ZONES; z++) {
		struct pa_zone_counts c;

		if (pa_zone_get_counts(0, (enum pa_zone_type)z, &c) || !c.managed)
			continue;
		base_pfn = MIN(base_pfn, c.start_pfn);
		end = MAX(end, c.start_pfn + c.spanned);
	}
	held_by = calloc(end - base_pfn, 1);
	if (!held_by)
		bench_die("highalloc: out of memory");
	mark_held(n);
	for (int z = 0; z < PA_MAX_NR_ZONES; z++) {
		struct pa_zone_counts c;

		if (pa_zone_get_counts(0, (enum pa_zone_type)z, &c) || !c.managed)
			continue;
		nfree += c.free;
		for (unsigned long pfn = (c.start_pfn + PA_PAGEBLOCK_NR_PAGES - 1) / PA_PAGEBLOCK_NR_PAGES * PA_PAGEBLOCK_NR_PAGES;
		     pfn + PA_PAGEBLOCK_NR_PAGES <= c.start_pfn + c.spanned;
		     pfn += PA_PAGEBLOCK_NR_PAGES)
			clean += block_clean(pfn);
	}
	free(held_by);
	return MIN(nfree / PA_PAGEBLOCK_NR_PAGES, clean);
}

/*
 * Free every other movable block, as reclaim that drops half the page
 * cache would: holes all over the movable pageblocks.  Returns the blocks kept.
 */
static unsigned long free_half_movable(unsigned long n, unsigned long long *seed)
{
	unsigned long kept = 0;

	for (unsigned long i = 0; i < n; i++) {
		if (blks[i].movable && pa_frag_rnd(seed) % 2)
			pa_free_pages(blks[i].page, blks[i].order);
		else
			blks[kept++] = blks[i];
	}
	return kept;
}

static void highalloc_run(bool on, unsigned long ops)
{
	unsigned long cap, n, possible, got = 0;
	struct pa_frag_stats st = { 0 };
	unsigned long long seed = 42;
	struct pa_page **big;
	uint64_t t0, ns;
	struct pa_meminfo mi;

	bench_std_machine();
	if (pa_get_meminfo(&mi))
		bench_die("highalloc: no meminfo");
	cap = mi.managed_pages;
	blks = calloc(cap, sizeof(*blks));
	big = calloc(2 * (cap / PA_PAGEBLOCK_NR_PAGES) + 16, sizeof(*big));
	if (!blks || !big)
		bench_die("highalloc: out of memory");
	n = pa_frag_churn(blks, cap, cap / 10, ops, &seed, &st, NULL, NULL);
	n = free_half_movable(n, &seed);
	for (unsigned long i = 0; i < n; i++)
		blks[i].page->priv = i + 1;
	possible = possible_blocks(n);
	migrate_on = on;
	migrated_pages = 0;
	t0 = bench_now_ns();
	for (unsigned long tries = 0, misses = 0; tries < 2 * possible + 8 && misses < 8; tries++) {
		big[got] = pa_alloc_pages(HIGHALLOC_GFP, PA_PAGEBLOCK_ORDER);
		misses = big[got] ? 0 : misses + 1;
		got += big[got] != NULL;
	}
	ns = bench_now_ns() - t0;
	if (pa_check())
		bench_die("highalloc: the verifier failed");
	bench_result("highalloc",
		     "compaction=%s success_pct=%.1f blocks=%lu possible=%lu ns_per_block=%.0f "
		     "migrated_pages_per_block=%.1f",
		     on ? "on" : "off", possible ? 100.0 * (double)got / (double)possible : 0.0, got,
		     possible, got ? (double)ns / (double)got : 0.0,
		     got ? (double)migrated_pages / (double)got : 0.0);
	free(big);
	free(blks);
	blks = NULL;
	bench_teardown();
}

void bench_highalloc(const struct bench *b, unsigned long n)
{
	(void)b;
	highalloc_run(false, n);
	highalloc_run(true, n);
}
