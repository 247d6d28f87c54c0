// SPDX-License-Identifier: MIT
/*
 * pa-bench fragmentation: what grouping by mobility buys.  On a 1 GiB
 * machine, a long churn of unmovable, reclaimable and movable allocations
 * (orders 0-3) keeps memory about 90% full; then every movable block is
 * freed, as reclaim would free page cache.  The figure is the fraction of
 * free memory that lies in whole free pageblocks (what a huge page or a
 * compaction-free high-order allocation needs), with grouping on and off.
 * The mix itself is shared with pa-sim's frag workload
 * (arch/host/sim/fragmix.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include "bench.h"
#include "../../arch/host/sim/fragmix.h"

#define FRAG_BYTES (1ULL << 30)

/* Park a fresh machine with grouping @on (pa_set_mobility_grouping() must precede pa_init()). */
static void frag_machine(int on)
{
	int r;

	bench_teardown();
	if ((r = pa_memblock_add(BENCH_RAM_BASE, FRAG_BYTES, 0)) ||
	    (r = pa_set_mobility_grouping(on)) || (r = pa_init()))
		bench_die("fragmentation: cannot build the machine: %s", pa_strerror(r));
}

/* The churn and the release of movable blocks; returns the fraction. */
static double frag_run(int on, unsigned long ops)
{
	unsigned long cap = FRAG_BYTES / PA_PAGE_SIZE, n;
	struct pa_frag_blk *v = calloc(cap, sizeof(*v));
	struct pa_frag_stats st = { 0 };
	unsigned long long seed = 42;
	double f;

	frag_machine(on);
	n = pa_frag_churn(v, cap, cap / 10, ops, &seed, &st, NULL, NULL);
	n = pa_frag_free_movable(v, n, &st);
	f = pa_frag_whole_block_fraction();
	if (pa_check())
		bench_die("fragmentation: the verifier failed");
	for (unsigned long i = 0; i < n; i++)
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
