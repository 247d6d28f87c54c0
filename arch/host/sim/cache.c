// SPDX-License-Identifier: MIT
/*
 * pa-sim's kernel side of reclaim: a fake page cache of order-0 pages
 * behind the reclaim hooks of <pagealloc/port.h>.  Reclaim frees the
 * oldest cache pages of the zones it may use.  kswapd runs synchronously:
 * pa_port_wake_kswapd() only notes the node, and the workload calls
 * pa_sim_run_kswapd() between two operations, so runs are deterministic.
 * Linked into pa-sim only (the tests bring their own hooks).
 */
#include <stdlib.h>
#include <string.h>
#include <pagealloc/port.h>
#include "sim.h"

static struct {
	struct pa_page **page; /* oldest first; NULL: reclaimed */
	unsigned long *id;     /* each page's identity, also written at its start */
	unsigned long next_id;
	unsigned long head, tail, cap, live;
	unsigned long per_zone[PA_MAX_NUMNODES][PA_MAX_NR_ZONES];
	unsigned long long woken; /* nodes whose kswapd was woken */
	struct pa_sim_reclaim_stats st;
} c;

_Static_assert(PA_MAX_NUMNODES <= 64, "woken is a 64-bit node mask");

/* Move the live entries to the front so that @tail has room again. */
static void cache_compact(void)
{
	unsigned long n = 0;

	for (unsigned long i = c.head; i < c.tail; i++)
		if (c.page[i]) {
			c.page[n] = c.page[i];
			c.id[n] = c.id[i];
			c.page[n]->priv = pa_sim_migrate_tag(PA_SIM_MOVE_CACHE, n);
			n++;
		}
	c.head = 0;
	c.tail = n;
}

void pa_sim_cache_add(struct pa_page *page)
{
	if (c.tail == c.cap)
		cache_compact();
	if (c.tail == c.cap) {
		c.cap = c.cap ? 2 * c.cap : 4096;
		c.page = realloc(c.page, c.cap * sizeof(*c.page));
		c.id = realloc(c.id, c.cap * sizeof(*c.id));
		if (!c.page || !c.id)
			abort();
	}
	page->priv = pa_sim_migrate_tag(PA_SIM_MOVE_CACHE, c.tail);
	c.id[c.tail] = ++c.next_id;
	*(unsigned long *)pa_port_phys_to_virt(pa_page_to_phys(page), sizeof(long)) = c.next_id;
	c.page[c.tail++] = page;
	c.live++;
	c.per_zone[pa_page_to_nid(page)][pa_page_zone_type(page)]++;
}

unsigned long pa_sim_cache_pages(void)
{
	return c.live;
}

/* Free up to @nr of the oldest cache pages of node @nid (-1: any) in zones <= @hz. */
static unsigned long cache_reclaim(int nid, int hz, unsigned long nr)
{
	unsigned long freed = 0;

	for (unsigned long i = c.head; i < c.tail && freed < nr; i++) {
		struct pa_page *p = c.page[i];
		int pn, pz;

		if (!p)
			continue;
		pn = pa_page_to_nid(p);
		pz = (int)pa_page_zone_type(p);
		if ((nid >= 0 && pn != nid) || pz > hz)
			continue;
		c.page[i] = NULL;
		c.per_zone[pn][pz]--;
		c.live--;
		pa_free_pages(p, 0);
		freed++;
	}
	while (c.head < c.tail && !c.page[c.head])
		c.head++;
	return freed;
}

int pa_sim_cache_move(unsigned long slot, struct pa_page *src, struct pa_page *dst)
{
	unsigned long *word = pa_port_phys_to_virt(pa_page_to_phys(src), sizeof(long));

	if (slot < c.head || slot >= c.tail || c.page[slot] != src)
		return -PA_EBUSY;
	if (*word != c.id[slot]) /* the identity the cache wrote: the page lost its content */
		abort();
	c.page[slot] = dst;
	dst->priv = src->priv;
	return 0;
}

void pa_port_wake_kswapd(int nid, unsigned int order, enum pa_zone_type highest_zoneidx)
{
	(void)order;
	(void)highest_zoneidx;
	c.woken |= 1ULL << nid;
}

/* Direct reclaim frees SWAP_CLUSTER_MAX (32) pages, from @nid first, then anywhere. */
unsigned long pa_port_direct_reclaim(int nid, unsigned int order, pa_gfp_t gfp)
{
	int hz = pa_gfp_to_zone(gfp);
	unsigned long got;

	(void)order;
	got = cache_reclaim(nid, hz, 32);
	if (got < 32)
		got += cache_reclaim(-1, hz, 32 - got);
	c.st.direct_calls++;
	c.st.direct_reclaimed += got;
	return got;
}

unsigned long pa_port_kswapd_reclaim(int nid, unsigned long nr_pages,
				     enum pa_zone_type highest_zoneidx)
{
	unsigned long got = cache_reclaim(nid, (int)highest_zoneidx, nr_pages);

	c.st.kswapd_reclaimed += got;
	return got;
}

unsigned long pa_port_reclaimable_pages(int nid, enum pa_zone_type zone)
{
	return c.per_zone[nid][zone];
}

unsigned long pa_sim_run_kswapd(void)
{
	unsigned long runs = 0;

	while (c.woken) {
		int nid = __builtin_ctzll(c.woken);

		c.woken &= c.woken - 1;
		if (pa_kswapd_should_run(nid)) {
			pa_kswapd_balance(nid);
			runs++;
		}
	}
	c.st.kswapd_runs += runs;
	return runs;
}

void pa_sim_reclaim_stats(struct pa_sim_reclaim_stats *out)
{
	*out = c.st;
}
