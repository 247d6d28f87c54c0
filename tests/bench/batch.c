// SPDX-License-Identifier: MIT
/*
 * The batch benchmarks: the bulk API, and the per-CPU sets' refill and
 * drain.  Both run on the standard machine (bench_std_machine()).
 *
 * bulk: pa_alloc_pages_bulk() fills an array of BULK_NR order-0 pages,
 * then they are freed one by one; per page, against the same pages taken
 * one pa_alloc_pages() at a time (single), in the same run.
 *
 * refill-drain: each cycle allocates high_max + 2 * batch order-0 pages on
 * one CPU and frees them all, so the set refills from the buddy lists
 * (batches doubling while allocations follow each other, high rising to
 * high_max) and, once the frees reach high, returns the pages freed in a
 * row (Linux's rmqueue_bulk() and free_pcppages_bulk()); per page moved.
 */
#include <stdlib.h>
#include <pagealloc/host.h>
#include "bench.h"

#define BULK_NR 64
#define MAX_ROUNDS 100

static void free_all(struct pa_page **v, unsigned long nr)
{
	for (unsigned long i = 0; i < nr; i++)
		if (__builtin_expect(pa_free_pages(v[i], 0) != 0, 0))
			bench_die("pa_free_pages failed");
}

/* @n fills of BULK_NR pages, by the bulk API (@bulk) or one at a time. */
static __attribute__((noinline)) void bulk_run(unsigned long n, bool bulk)
{
	struct pa_page *v[BULK_NR];

	for (unsigned long i = 0; i < n; i++) {
		for (unsigned int j = 0; j < BULK_NR; j++)
			v[j] = NULL;
		if (bulk) {
			if (pa_alloc_pages_bulk(PA_GFP_KERNEL, PA_NUMA_NO_NODE, NULL, BULK_NR, v) !=
			    BULK_NR)
				bench_die("bulk: short fill");
		} else {
			for (unsigned int j = 0; j < BULK_NR; j++)
				if (!(v[j] = pa_alloc_pages(PA_GFP_KERNEL, 0)))
					bench_die("bulk: single allocation failed");
		}
		BENCH_ESCAPE(v);
		free_all(v, BULK_NR);
	}
}

static double bulk_round(unsigned long n, bool bulk)
{
	uint64_t t0 = bench_now_ns();

	bulk_run(n, bulk);
	return (double)(bench_now_ns() - t0) / (double)(n * BULK_NR);
}

void bench_bulk(const struct bench *b, unsigned long n)
{
	double bulk[MAX_ROUNDS], single[MAX_ROUNDS], best_bulk, best_single, median;

	bench_std_machine();
	bulk_run(100, true);
	bulk_run(100, false);
	for (unsigned int r = 0; r < bench_rounds; r++) {
		bulk[r] = bulk_round(n, true);
		single[r] = bulk_round(n, false);
	}
	best_bulk = bench_best(bulk, bench_rounds, &median);
	best_single = bench_best(single, bench_rounds, &median);
	bench_result(b->name,
		     "ns_per_page=%.2f ns_per_page_single=%.2f speedup=%.2f nr=%d ops=%lu rounds=%u",
		     best_bulk, best_single, best_single / best_bulk, BULK_NR, n * BULK_NR,
		     bench_rounds);
}

/* @n cycles of @nr allocations then @nr frees on this CPU. */
static __attribute__((noinline)) void refill_drain_run(struct pa_page **v, unsigned long nr,
						       unsigned long n)
{
	for (unsigned long c = 0; c < n; c++) {
		for (unsigned long i = 0; i < nr; i++)
			if (!(v[i] = pa_alloc_pages(PA_GFP_KERNEL, 0)))
				bench_die("refill-drain: allocation failed");
		BENCH_ESCAPE(v);
		free_all(v, nr);
	}
}

void bench_refill_drain(const struct bench *b, unsigned long n)
{
	double ns[MAX_ROUNDS], best, median;
	struct pa_pcp_info pcp;
	struct pa_page **v;
	unsigned long nr;

	bench_std_machine();
	if (pa_pcp_get(0, PA_ZONE_NORMAL, 0, &pcp))
		bench_die("refill-drain: no per-CPU set on node 0 Normal");
	nr = (unsigned long)pcp.high_max + 2UL * (unsigned long)pcp.batch;
	v = malloc(nr * sizeof(*v));
	if (!v)
		bench_die("out of memory");
	pa_drain_all_pages();
	refill_drain_run(v, nr, 2);
	for (unsigned int r = 0; r < bench_rounds; r++) {
		uint64_t t0 = bench_now_ns();

		refill_drain_run(v, nr, n);
		ns[r] = (double)(bench_now_ns() - t0) / (double)(n * nr);
	}
	best = bench_best(ns, bench_rounds, &median);
	bench_result(b->name,
		     "ns_per_page=%.2f ns_median=%.2f pages_per_cycle=%lu batch=%d high_max=%d ops=%lu "
		     "rounds=%u", best, median, nr, pcp.batch, pcp.high_max, n * nr, bench_rounds);
	free(v);
}
