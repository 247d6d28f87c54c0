/* SPDX-License-Identifier: MIT */
/*
 * The fragmentation mix shared by pa-bench's fragmentation benchmark and
 * pa-sim's frag workload: a long churn of unmovable, reclaimable and
 * movable allocations (orders 0-3) that keeps memory about 90% full, then
 * the release of every movable block, as reclaim would free page cache.
 */
#ifndef PA_SIM_FRAGMIX_H
#define PA_SIM_FRAGMIX_H

#include <pagealloc/pagealloc.h>

/* One live allocation of the mix. */
struct pa_frag_blk {
	struct pa_page *page;
	unsigned int order;
	int movable;
};

/* What a run did, for the summary lines. */
struct pa_frag_stats {
	unsigned long allocs, fails, frees;
};

/* The mix's generator: a 64-bit LCG, top bits out (same sequence everywhere). */
unsigned int pa_frag_rnd(unsigned long long *seed);

/**
 * pa_frag_churn - fill memory with the mix, then @ops free+alloc steps.
 * @v: room for @cap blocks; receives the live ones.
 * @cap: capacity of @v (the managed pages is always enough).
 * @floor: the fill stops when free pages are down to this (a tenth of
 *         memory keeps it about 90% full).
 * @ops: churn steps (each frees a random block and allocates another).
 * @seed: generator state.
 * @st: counts added here.
 * @step: called after every operation with @ctx, or NULL.
 * @ctx: passed to @step.
 * Return: the number of live blocks in @v.
 */
unsigned long pa_frag_churn(struct pa_frag_blk *v, unsigned long cap, unsigned long floor,
			    unsigned long ops,
			    unsigned long long *seed, struct pa_frag_stats *st,
			    void (*step)(void *ctx), void *ctx);

/* Free the movable blocks of @v[0..n) and compact the array; returns how many remain. */
unsigned long pa_frag_free_movable(struct pa_frag_blk *v, unsigned long n, struct pa_frag_stats *st);

/* Fraction of free pages (per-CPU sets drained first) in free blocks of a pageblock or more. */
double pa_frag_whole_block_fraction(void);

#endif /* PA_SIM_FRAGMIX_H */
