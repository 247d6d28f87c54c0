// SPDX-License-Identifier: MIT
/*
 * The fragmentation mix (fragmix.h), shared by pa-bench and pa-sim: 20%
 * unmovable, 10% reclaimable and 70% movable allocations; a quarter of them
 * of order 0-3, the rest order 0.
 */
#include "fragmix.h"

unsigned int pa_frag_rnd(unsigned long long *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned int)(*s >> 33);
}

/* One allocation of the mix into @b; false when it failed. */
static int alloc_one(struct pa_frag_blk *b, unsigned long long *seed, struct pa_frag_stats *st)
{
	unsigned int r = pa_frag_rnd(seed) % 100;
	pa_gfp_t gfp = r < 20 ? PA_GFP_KERNEL : r < 30 ? PA_GFP_KERNEL | PA__GFP_RECLAIMABLE
						    : PA_GFP_HIGHUSER_MOVABLE;

	b->order = pa_frag_rnd(seed) % 4 == 0 ? pa_frag_rnd(seed) % 4 : 0;
	b->movable = r >= 30;
	b->page = pa_alloc_pages(gfp | PA__GFP_NOWARN, b->order);
	if (b->page)
		st->allocs++;
	else
		st->fails++;
	return b->page != NULL;
}

unsigned long pa_frag_churn(struct pa_frag_blk *v, unsigned long cap, unsigned long floor,
			    unsigned long ops,
			    unsigned long long *seed, struct pa_frag_stats *st,
			    void (*step)(void *ctx), void *ctx)
{
	unsigned long n = 0;

	while (n < cap && pa_nr_free_pages() > floor && alloc_one(&v[n], seed, st)) {
		n++;
		if (step)
			step(ctx);
	}
	for (unsigned long i = 0; i < ops && n; i++) {
		unsigned long k = pa_frag_rnd(seed) % n;

		pa_free_pages(v[k].page, v[k].order);
		st->frees++;
		if (!alloc_one(&v[k], seed, st))
			v[k] = v[--n];
		if (step)
			step(ctx);
	}
	return n;
}

unsigned long pa_frag_free_movable(struct pa_frag_blk *v, unsigned long n, struct pa_frag_stats *st)
{
	unsigned long kept = 0;

	for (unsigned long i = 0; i < n; i++) {
		if (v[i].movable) {
			pa_free_pages(v[i].page, v[i].order);
			st->frees++;
		} else {
			v[kept++] = v[i];
		}
	}
	return kept;
}

double pa_frag_whole_block_fraction(void)
{
	unsigned long whole = 0, free = 0;

	pa_drain_all_pages();
	for (int nid = 0; nid < PA_MAX_NUMNODES; nid++)
		for (int z = 0; z < PA_MAX_NR_ZONES; z++) {
			struct pa_zone_counts c;

			if (pa_zone_get_counts(nid, (enum pa_zone_type)z, &c))
				continue;
			free += c.free;
			for (unsigned int o = PA_PAGEBLOCK_ORDER; o < PA_NR_PAGE_ORDERS; o++)
				whole += c.nr_free[o] << o;
		}
	return free ? (double)whole / (double)free : 0;
}
