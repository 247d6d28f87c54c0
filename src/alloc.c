// SPDX-License-Identifier: MIT
/*
 * The allocation entry point and its fast path, after Linux 6.12's
 * __alloc_pages() and get_page_from_freelist(): walk the zonelist from the
 * highest zone the GFP mask allows, take the first zone that passes its
 * low watermark, first without fragmenting fallback.  What cannot be
 * served there goes to the slow path (slowpath.c).
 */
#include "pcp_fast.h"

_Static_assert(PA_ALLOC_KSWAPD == PA__GFP_KSWAPD_RECLAIM, "ALLOC_KSWAPD is __GFP_KSWAPD_RECLAIM");
_Static_assert(PA_ALLOC_MIN_RESERVE == PA__GFP_HIGH, "ALLOC_MIN_RESERVE is __GFP_HIGH");
_Static_assert(PA_ALLOC_NO_WATERMARKS > PA_ALLOC_WMARK_MASK, "watermark index below the flags");

/* Everything the fast paths decline: the zonelist walk, then the slow path. */
static struct pa_page *alloc_general(pa_gfp_t gfp, unsigned int order, int nid,
				     const pa_nodemask_t *nodemask, const char *func,
				     const struct pa_zone *refill_failed);
#define alloc_pages_general(gfp, order, nid, nodemask, func) \
	alloc_general(gfp, order, nid, nodemask, func, NULL)

/* A fallback boosted @zone's watermark: wake kswapd once (Linux's rmqueue()). */
static inline void check_boosted(struct pa_zone *zone, unsigned int alloc_flags)
{
	if (pa_unlikely(PA_READ_ONCE(zone->zflags) & PA_ZONE_BOOSTED_WATERMARK) &&
	    (alloc_flags & PA_ALLOC_KSWAPD))
		pa_clear_boosted(zone);
}

/* Count a fast allocation from @z by @cpu (under the zone lock: the CPU may have changed). */
static PA_ALWAYS_INLINE void fast_alloc_count_locked(struct pa_zone *z, unsigned int cpu,
						     unsigned int order)
{
	pa_count_add(&z->fast_alloc[PA_MAX_NUMNODES > 1 && pa_g.cpu_to_node[cpu] != z->node],
		     1UL << order);
}

/* A fast allocation saw @zone's boost flag after its unlock: wake kswapd once (Linux's rmqueue()). */
static __attribute__((noinline)) struct pa_page *fast_alloc_boosted(struct pa_zone *zone,
								    struct pa_page *page,
								    pa_gfp_t gfp)
{
	check_boosted(zone, gfp & PA__GFP_KSWAPD_RECLAIM);
	return page;
}

/*
 * The boost test at the end of a fast allocation from @z.  A boost waiting
 * to wake kswapd turns the order-0 fast mark off (pa_zone_fast_mark()), so
 * an order-0 hit, which passed that mark and cannot fall back, skips it
 * (@check false); a higher order, whose watermark check is not the fast
 * mark, and a miss, which may fall back and boost, make it.
 */
static PA_ALWAYS_INLINE struct pa_page *fast_alloc_end(struct pa_zone *z, struct pa_page *page,
						       pa_gfp_t gfp, bool check)
{
	if (check && pa_unlikely(PA_READ_ONCE(z->zflags) & PA_ZONE_BOOSTED_WATERMARK))
		return fast_alloc_boosted(z, page, gfp);
	return page;
}

/*
 * The end of a buddy fast allocation that got @page from @z, whose lock
 * it holds (@flags): prep and count it, unlock, then fast_alloc_end().
 */
static PA_ALWAYS_INLINE struct pa_page *buddy_alloc_fast_done(struct pa_zone *z,
							      struct pa_page *page,
							      unsigned long flags, pa_gfp_t gfp,
							      unsigned int order, int mt,
							      unsigned int cpu, bool check)
{
	pa_prep_new_page(page, order, mt);
	fast_alloc_count_locked(z, cpu, order);
	pa_port_spin_unlock_irqrestore(&z->lock, flags);
	return fast_alloc_end(z, page, gfp, check);
}

/*
 * buddy_alloc_fast() found @z's list of (@order, @mt) empty or its CMA
 * turn due: the rest of the general path's first try, under the lock it
 * holds (@flags), then unlock; failure goes to the general path.
 */
static __attribute__((noinline)) struct pa_page *
buddy_alloc_fast_miss(struct pa_zone *z, unsigned long flags, pa_gfp_t gfp, unsigned int order,
		      int nid, int mt)
{
	struct pa_page *page = pa_rmqueue_locked(z, order, mt, pa_pcp_alloc_flags(z, gfp, mt));

	if (pa_unlikely(!page)) {
		pa_port_spin_unlock_irqrestore(&z->lock, flags);
		return alloc_pages_general(gfp, order, nid, NULL, NULL);
	}
	return buddy_alloc_fast_done(z, page, flags, gfp, order, mt, pa_this_cpu(), true);
}

/*
 * The first try itself, on @z above its watermark: a block from the exact
 * list under one lock hold, else buddy_alloc_fast_miss().  The hit makes
 * no call but the lock's (without the debug options: page poisoning and
 * page_owner add theirs) and every other turn is a tail call of at most
 * six arguments (all in registers), so the order-0 fast path, which
 * inlines it, needs no stack frame.
 */
static PA_ALWAYS_INLINE struct pa_page *buddy_alloc_fast_take(struct pa_zone *z, pa_gfp_t gfp,
							      unsigned int order, int nid, int mt,
							      unsigned int cpu)
{
	unsigned long flags;
	struct pa_page *page;

	PA_ASSUME(mt >= 0 && mt < PA_MIGRATE_PCPTYPES); /* from pa_fast_gfp(): never ISOLATE */
	flags = pa_port_spin_lock_irqsave(&z->lock);
	page = pa_rmqueue_exact_locked(z, order, mt, pa_alloc_flags_cma(mt, 0));
	if (pa_unlikely(!page))
		return buddy_alloc_fast_miss(z, flags, gfp, order, nid, mt);
	return buddy_alloc_fast_done(z, page, flags, gfp, order, mt, cpu, order != 0);
}

/*
 * buddy_alloc_fast() above order 0 on a zone @z (not pa_no_zone: every
 * input is valid): the full watermark check, a call, has a frame of its
 * own.
 */
static __attribute__((noinline)) struct pa_page *
buddy_alloc_fast_order(struct pa_zone *z, pa_gfp_t gfp, unsigned int order, int nid, int hz, int mt)
{
	if (pa_unlikely(!pa_fast_wmark_ok(z, order, hz, mt)))
		return alloc_pages_general(gfp, order, nid, NULL, NULL);
	return buddy_alloc_fast_take(z, gfp, order, nid, mt, pa_this_cpu());
}

/*
 * As the general path's first try on its first zone (pa_rmqueue_buddy()
 * with the low watermark's alloc_flags), but counted as one fast_alloc
 * event; failure or a zone below its watermark goes to the general path.
 */
static PA_ALWAYS_INLINE struct pa_page *buddy_alloc_fast(pa_gfp_t gfp, unsigned int order, int nid,
							 int hz, int mt, const char *func)
{
	unsigned int cpu = pa_this_cpu();
	struct pa_zone *z = pa_fast_zone(cpu, nid, hz);

	if (pa_unlikely(order > PA_MAX_PAGE_ORDER))
		return alloc_pages_general(gfp, order, nid, NULL, func);
	if (order) {
		if (pa_unlikely(z == PA_NO_ZONE)) /* bad input: the general path names @func */
			return alloc_pages_general(gfp, order, nid, NULL, func);
		return buddy_alloc_fast_order(z, gfp, order, nid, hz, mt);
	}
	if (pa_unlikely(!pa_fast_wmark_ok(z, 0, hz, mt)))
		return alloc_pages_general(gfp, 0, nid, NULL, func);
	return buddy_alloc_fast_take(z, gfp, 0, nid, mt, cpu);
}

#ifdef CONFIG_PA_PCP

/* alloc_fast() found its per-CPU list empty: refill, finish, or take the general path. */
static __attribute__((noinline)) struct pa_page *
pcp_alloc_refill(struct pa_zone *zone, struct pa_pcp *pcp, unsigned long irq,
		 pa_gfp_t gfp, unsigned int pindex, int nid)
{
	unsigned int order = pa_pcp_pindex_order(pindex);
	int mt = pa_pcp_pindex_mt(pindex);
	struct pa_page *page = pa_pcp_refill_take_locked(zone, pcp, order, mt,
							 pa_pcp_alloc_flags(zone, gfp, mt));

	if (page)
		pa_pcp_count(&pcp->nr_alloc, 1UL << order);
	pa_pcp_unlock(pcp, irq);
	if (!page)
		return alloc_general(gfp, order, nid, NULL, NULL, zone);
	check_boosted(zone, gfp & PA__GFP_KSWAPD_RECLAIM);
	return page;
}

/*
 * An allocation: the per-CPU fast path (see the top of pcp_fast.h), else
 * the general path.  Every turn off the fast path is a tail call.
 */
static PA_ALWAYS_INLINE struct pa_page *alloc_fast(pa_gfp_t gfp, unsigned int order, int nid,
						   const char *func)
{
	struct pa_list *list, *first;
	unsigned int cpu;
	struct pa_page *page;
	struct pa_zone *z;
	struct pa_pcp *pcp;
	unsigned long irq, hz, lofs;
	int mt;

	if (pa_unlikely(!pa_fast_gfp(gfp, &hz, &lofs)))
		goto general;
	mt = pa_fast_mt(lofs);
	if (order > PA_PCP_MAX_ORDER)
		return buddy_alloc_fast(gfp, order, nid, hz, mt, func);
	irq = pa_port_irq_save();
	cpu = pa_this_cpu();
	z = pa_fast_zone(cpu, nid, hz);
	if (pa_unlikely(!pa_fast_wmark_ok(z, order, hz, mt)))
		goto general_irq;
	pcp = &z->pcp[cpu];
	/* &pcp->lists[pa_pcp_index(mt, order)], with mt as the offset it is */
	list = (struct pa_list *)((char *)&pcp->lists[pa_pcp_index(0, order)] + lofs);
	if (pa_unlikely(!pa_pcp_trylock(pcp)))
		goto general_irq;
	pcp->free_count >>= 1; /* Linux's rmqueue_pcplist(): frees in a row end */
	first = list->next;
	if (pa_unlikely(first == list))
		return pcp_alloc_refill(z, pcp, irq, gfp, pa_pcp_index(mt, order), nid);
	page = pa_pcp_pop_locked(pcp, list, first, order, mt);
	pa_pcp_count(&pcp->nr_alloc, 1UL << order);
	pa_pcp_release(pcp);
	pa_port_irq_restore(irq);
	return fast_alloc_end(z, page, gfp, order != 0);
general_irq:
	pa_port_irq_restore(irq);
general:
	return alloc_pages_general(gfp, order, nid, NULL, func);
}

#else /* !CONFIG_PA_PCP */

/* Without per-CPU sets every fast allocation is the buddy one. */
static PA_ALWAYS_INLINE struct pa_page *alloc_fast(pa_gfp_t gfp, unsigned int order, int nid,
						   const char *func)
{
	unsigned long hz, lofs;

	if (pa_unlikely(!pa_fast_gfp(gfp, &hz, &lofs)))
		return alloc_pages_general(gfp, order, nid, NULL, func);
	return buddy_alloc_fast(gfp, order, nid, hz, pa_fast_mt(lofs), func);
}

#endif /* CONFIG_PA_PCP */

static bool zone_allows_reclaim(const struct pa_zone *local, const struct pa_zone *z)
{
	return pa_g.nodes[local->node].distance[z->node] <= PA_RECLAIM_DISTANCE;
}

/*
 * @z failed its watermark: as Linux's node_reclaim(), ask the port to
 * reclaim on its node when that is allowed.  Return: true if @z now passes
 * @mark.
 */
static bool try_node_reclaim(struct pa_zone *z, const struct pa_zone *preferred, pa_gfp_t gfp,
			     unsigned int order, unsigned long mark, unsigned int alloc_flags,
			     const struct pa_alloc_ctx *ac)
{
	int ret;

	if (!pa_g.zone_reclaim_mode || !zone_allows_reclaim(preferred, z))
		return false;
	if (!(gfp & PA__GFP_DIRECT_RECLAIM))
		return false;
	if ((pa_g.node_has_cpus & PA_NODE_BIT(z->node)) && z->node != pa_cpu_node())
		return false;
	pa_count_event(PA_NODE_RECLAIM_CALL, 1);
	ret = pa_port_node_reclaim(z->node, order, gfp);
	if (ret == 0)
		return false;
	pa_count_event(ret == 2 ? PA_ZONE_RECLAIM_SUCCESS : PA_ZONE_RECLAIM_FAILED, 1);
	return ret == 2 && pa_zone_wmark_ok(z, order, mark, ac->highest_zoneidx, alloc_flags,
					    (long)__atomic_load_n(&z->free_pages, __ATOMIC_RELAXED));
}

/*
 * Does @z pass the watermark @alloc_flags selects, perhaps after node
 * reclaim?  Above its high watermark it does at once; the first request
 * to find it below high marks it so (Linux's ZONE_BELOW_HIGH, which the
 * per-CPU sets' high follows) until a per-CPU return finds it above.
 */
static bool zone_usable(struct pa_zone *z, const struct pa_zone *preferred, pa_gfp_t gfp,
			unsigned int order, unsigned int alloc_flags, const struct pa_alloc_ctx *ac)
{
	unsigned long mark;

	if (!(PA_READ_ONCE(z->zflags) & PA_ZONE_BELOW_HIGH)) {
		mark = pa_zone_wmark(z, PA_WMARK_HIGH);
		if (pa_zone_wmark_fast(z, order, mark, ac->highest_zoneidx, alloc_flags))
			return true;
		pa_pcp_zone_flag_set(z, PA_ZONE_BELOW_HIGH);
	}
	mark = pa_zone_wmark(z, alloc_flags & PA_ALLOC_WMARK_MASK);
	if (pa_zone_wmark_fast(z, order, mark, ac->highest_zoneidx, alloc_flags))
		return true;
	if (alloc_flags & PA_ALLOC_NO_WATERMARKS)
		return true;
	return try_node_reclaim(z, preferred, gfp, order, mark, alloc_flags, ac);
}

/*
 * Linux's rmqueue(): a block of @order from @zone, through this CPU's set
 * for the orders the sets keep, from the buddy lists for the others and
 * when the set is busy.  Its one exit counts the allocation (pgalloc and
 * the NUMA events, against @preferred) and wakes kswapd if a fallback
 * boosted the zone.
 */
static struct pa_page *rmqueue(struct pa_zone *preferred, struct pa_zone *zone,
			       unsigned int order, unsigned int alloc_flags, int mt)
{
	struct pa_page *page = NULL;
	bool busy = true;

	if (pa_pcp_allowed_order(order))
		page = pa_rmqueue_pcplist(zone, order, mt, alloc_flags, &busy);
	if (busy)
		page = pa_rmqueue_buddy(zone, order, alloc_flags, mt);
	if (!page)
		return NULL;
	pa_count_alloc_irq(preferred, zone, 1UL << order);
	check_boosted(zone, alloc_flags);
	return page;
}

/*
 * Linux's get_page_from_freelist().  With ALLOC_NOFRAGMENT, reaching a zone
 * of another node, or the end of the list, restarts the walk without it:
 * fragmenting fallback locally is preferred to a remote node.
 */
struct pa_page *pa_get_page_from_freelist(pa_gfp_t gfp, unsigned int order,
					  unsigned int alloc_flags, const struct pa_alloc_ctx *ac)
{
	const struct pa_zone *skip = ac->refill_failed;
	struct pa_zone *preferred;
	int last_nid = -1;
	bool dirty_ok = true;

	if (ac->preferred < 0)
		return NULL;
	preferred = pa_zonelist_zone(ac->zonelist, ac->preferred);
retry:
	pa_for_each_zoneref(i, ac, ac->preferred) {
		struct pa_zone *z = pa_zonelist_zone(ac->zonelist, i);
		struct pa_page *page;

		if (ac->spread_dirty_pages) {
			if (z->node != last_nid) {
				last_nid = z->node;
				dirty_ok = pa_port_node_dirty_ok(z->node);
			}
			if (!dirty_ok)
				continue;
		}
		if ((alloc_flags & PA_ALLOC_NOFRAGMENT) && z->node != preferred->node &&
		    pa_g.node_online != PA_NODE_BIT(preferred->node)) {
			alloc_flags &= ~PA_ALLOC_NOFRAGMENT;
			skip = NULL;
			goto retry;
		}
		if (z == skip)
			continue;
		if (!zone_usable(z, preferred, gfp, order, alloc_flags, ac))
			continue;
		page = rmqueue(preferred, z, order, alloc_flags, ac->migratetype);
		if (page) {
			if (pa_unlikely(alloc_flags & PA_ALLOC_HIGHATOMIC))
				pa_reserve_highatomic(z, page, order);
			return page;
		}
	}
	if (alloc_flags & PA_ALLOC_NOFRAGMENT) {
		alloc_flags &= ~PA_ALLOC_NOFRAGMENT;
		skip = NULL;
		goto retry;
	}
	return NULL;
}

/* Linux's alloc_flags_nofragment(), precomputed per zone (zonelist.c). */
static unsigned int alloc_flags_nofragment(const struct pa_alloc_ctx *ac, pa_gfp_t gfp)
{
	unsigned int alloc_flags = gfp & PA__GFP_KSWAPD_RECLAIM;

	if (ac->preferred >= 0)
		alloc_flags |= pa_zonelist_zone(ac->zonelist, ac->preferred)->nofragment;
	return alloc_flags;
}

/*
 * Validate the arguments and fill @ac (Linux's prepare_alloc_pages()); a
 * bad one gets a line naming @func.  The CPU id too: an allocation on a
 * CPU without per-CPU sets is refused (no fast path would serve it).
 */
static int prepare_alloc(pa_gfp_t gfp, unsigned int order, int nid, const pa_nodemask_t *nodemask,
			 struct pa_alloc_ctx *ac, const char *func)
{
	if (pa_unlikely(!pa_g.initialized))
		return pa_fail(PA_ENODEV, func, "called before pa_init()");
	if (pa_unlikely(pa_cpu_id_bad(func)))
		return -PA_EINVAL;
	if (pa_unlikely(order > PA_MAX_PAGE_ORDER))
		return pa_fail(PA_EINVAL, func, "order %u above MAX_PAGE_ORDER %d", order,
			       PA_MAX_PAGE_ORDER);
	if (pa_unlikely(pa_gfp_check(gfp, func)))
		return -PA_EINVAL;
	if (nid == PA_NUMA_NO_NODE)
		nid = pa_cpu_node();
	if (pa_unlikely(!pa_node_online(nid)))
		return pa_fail(PA_ENOENT, func, "node %d is out of range or has no memory and no CPUs",
			       nid);
	ac->zonelist = &pa_g.nodes[nid].zonelists[(gfp & PA__GFP_THISNODE) ? PA_ZONELIST_NOFALLBACK
									    : PA_ZONELIST_FALLBACK];
	ac->nodemask = nodemask ? *nodemask : PA_NODEMASK_ALL;
	ac->highest_zoneidx = pa_gfp_zone(gfp);
	ac->migratetype = pa_gfp_migratetype(gfp);
	ac->spread_dirty_pages = gfp & PA__GFP_WRITE;
	ac->refill_failed = NULL;
	ac->preferred = pa_next_zoneref(ac, 0);
	return 0;
}

/* pa_alloc_flags_cma() for a valid @gfp. */
static unsigned int alloc_flags_cma(pa_gfp_t gfp, unsigned int alloc_flags)
{
	return pa_alloc_flags_cma(pa_gfp_migratetype(gfp), alloc_flags);
}

/*
 * Everything but the per-CPU fast path: zonelist walk, then the slow path.
 * @func is the public entry, for the lines about bad input; NULL from the
 * fast paths' turns after their checks passed (a valid mask, order, node
 * and CPU: their zone was not pa_no_zone), where no such line can come.
 * @refill_failed: the zone whose per-CPU refill the fast path found empty
 * (the first walk goes past it), or NULL.
 */
static struct pa_page *alloc_general(pa_gfp_t gfp, unsigned int order, int nid,
				     const pa_nodemask_t *nodemask, const char *func,
				     const struct pa_zone *refill_failed)
{
	struct pa_alloc_ctx ac;
	unsigned int alloc_flags;
	struct pa_page *page;

	if (pa_unlikely(prepare_alloc(gfp, order, nid, nodemask, &ac, func ? func : "pa_alloc_pages")))
		return NULL;
	alloc_flags = alloc_flags_cma(gfp, PA_ALLOC_WMARK_LOW) | alloc_flags_nofragment(&ac, gfp);
	ac.refill_failed = refill_failed;
	page = pa_get_page_from_freelist(gfp, order, alloc_flags, &ac);
	if (pa_likely(page))
		return page;
	ac.refill_failed = NULL;
	ac.spread_dirty_pages = false;
	return pa_alloc_slowpath(gfp, order, &ac);
}

/*
 * The public entry points: the per-CPU fast path inlined (pcp_fast.h),
 * specialised for order 0 (the common case: constant shifts, no call on
 * the way); other orders take one call more.  Each records its own caller
 * as the page_owner site and reports the allocation to the trace hook
 * (alloc_done(): nothing when both are off, and the turns off the fast path
 * stay tail calls).
 */
static PA_ALWAYS_INLINE struct pa_page *alloc_done(struct pa_page *page, pa_gfp_t gfp,
						    unsigned int order, int nid, uintptr_t site)
{
	return pa_trace_alloc(pa_owner_alloc(page, gfp, site), gfp, order, nid);
}

/*
 * The fast path inlined (alloc_fast()) for orders above 0, one copy per
 * public entry, so that the entry's name (@func, for the lines about bad
 * input) is a constant rather than a register kept live through it.
 */
#define DEFINE_ALLOC_PAGES_ORDER(entry)                                                            \
	static __attribute__((noinline)) struct pa_page *entry##_order(pa_gfp_t gfp,               \
								       unsigned int order, int nid) \
	{                                                                                          \
		return alloc_fast(gfp, order, nid, #entry);                                        \
	}
DEFINE_ALLOC_PAGES_ORDER(pa_alloc_pages)
DEFINE_ALLOC_PAGES_ORDER(pa_alloc_pages_node)
DEFINE_ALLOC_PAGES_ORDER(pa_alloc_pages_nodemask)

/* Order 0 inline, others from @entry's copy: both name @entry. */
#define alloc_pages(gfp, order, nid, entry)                                         \
	(pa_likely((order) == 0) ? alloc_fast((gfp), 0, (nid), #entry) \
				 : entry##_order((gfp), (order), (nid)))

struct pa_page *pa_alloc_pages_nodemask(pa_gfp_t gfp, unsigned int order, int nid,
					const pa_nodemask_t *nodemask)
{
	if (nodemask)
		return alloc_done(alloc_pages_general(gfp, order, nid, nodemask, __func__), gfp,
				  order, nid, PA_OWNER_SITE);
	return alloc_done(alloc_pages(gfp, order, nid, pa_alloc_pages_nodemask), gfp, order, nid,
			  PA_OWNER_SITE);
}

struct pa_page *pa_alloc_pages_node(int nid, pa_gfp_t gfp, unsigned int order)
{
	return alloc_done(alloc_pages(gfp, order, nid, pa_alloc_pages_node), gfp, order, nid,
			  PA_OWNER_SITE);
}

struct pa_page *pa_alloc_pages(pa_gfp_t gfp, unsigned int order)
{
	return alloc_done(alloc_pages(gfp, order, PA_NUMA_NO_NODE, pa_alloc_pages), gfp, order,
			  PA_NUMA_NO_NODE, PA_OWNER_SITE);
}

unsigned int pa_gfp_to_alloc_flags(pa_gfp_t gfp, unsigned int order)
{
	unsigned int alloc_flags = PA_ALLOC_WMARK_MIN | PA_ALLOC_CPUSET;

	alloc_flags |= gfp & (PA__GFP_HIGH | PA__GFP_KSWAPD_RECLAIM);
	if (!(gfp & PA__GFP_DIRECT_RECLAIM)) {
		if (!(gfp & PA__GFP_NOMEMALLOC)) {
			alloc_flags |= PA_ALLOC_NON_BLOCK;
			if (order > 0)
				alloc_flags |= PA_ALLOC_HIGHATOMIC;
		}
		if (alloc_flags & PA_ALLOC_MIN_RESERVE)
			alloc_flags &= ~PA_ALLOC_CPUSET;
	}
	return alloc_flags_cma(gfp, alloc_flags);
}

/*
 * One page for a bulk request, traced as an allocation of its own, with
 * the bulk call's caller @site as its page_owner site.
 */
static struct pa_page *bulk_one(pa_gfp_t gfp, int nid, const pa_nodemask_t *nodemask,
				uintptr_t site)
{
	struct pa_page *page = nodemask ? alloc_pages_general(gfp, 0, nid, nodemask,
								 "pa_alloc_pages_bulk")
					: alloc_fast(gfp, 0, nid, "pa_alloc_pages_bulk");

	return pa_owner_alloc(pa_trace_alloc(page, gfp, 0, nid), gfp, site);
}

/*
 * The per-CPU take for the empty slots of @array from @done on.  With the
 * trace hook or page_owner, one take per run of empty slots: a run's
 * first n slots are then exactly its n new pages, each traced and given
 * @site, whatever the caller left in the other slots (which are never
 * read, so they may hold anything).  Return: pages taken.
 */
static unsigned int bulk_take(struct pa_zone *preferred, struct pa_zone *zone, int mt,
			      unsigned int alloc_flags, pa_gfp_t gfp, int nid, unsigned int nr,
			      struct pa_page **array, unsigned int done, uintptr_t site)
{
	unsigned int got = 0;

	if (!IS_ENABLED(CONFIG_PA_TRACE) && !IS_ENABLED(CONFIG_PA_PAGE_OWNER))
		return pa_rmqueue_pcp_bulk(preferred, zone, mt, alloc_flags, nr, array);
	for (unsigned int a = done, b; a < nr; a = b) {
		unsigned int n;

		for (b = a; b < nr && !array[b]; b++)
			;
		n = pa_rmqueue_pcp_bulk(preferred, zone, mt, alloc_flags, b - a, array + a);
		for (unsigned int i = a; i < a + n; i++) {
			pa_trace_bulk(array[i], gfp, nid);
			pa_owner_alloc(array[i], gfp, site);
		}
		got += n;
		if (n < b - a)
			break;
		while (b < nr && array[b])
			b++;
	}
	return got;
}

/*
 * The zone a bulk allocation serves every page from: the first one of the
 * preferred node that stays above its watermark with @nr pages taken
 * (Linux's alloc_pages_bulk()); NULL to fall back to one page.
 */
static struct pa_zone *bulk_zone(const struct pa_alloc_ctx *ac, unsigned int alloc_flags,
				 unsigned int nr)
{
	const struct pa_zone *preferred;

	if (ac->preferred < 0)
		return NULL;
	preferred = pa_zonelist_zone(ac->zonelist, ac->preferred);
	pa_for_each_zoneref(i, ac, ac->preferred) {
		struct pa_zone *z = pa_zonelist_zone(ac->zonelist, i);
		unsigned long mark = pa_zone_wmark(z, alloc_flags & PA_ALLOC_WMARK_MASK) + nr;

		if (z->node != preferred->node)
			return NULL;
		if (pa_zone_wmark_fast(z, 0, mark, preferred->type, alloc_flags))
			return z;
	}
	return NULL;
}

static unsigned int leading_filled(struct pa_page **array, unsigned int nr)
{
	unsigned int n = 0;

	while (n < nr && array[n])
		n++;
	return n;
}

unsigned int pa_alloc_pages_bulk(pa_gfp_t gfp, int nid, const pa_nodemask_t *nodemask,
				 unsigned int nr, struct pa_page **array)
{
	unsigned int alloc_flags = alloc_flags_cma(gfp, PA_ALLOC_WMARK_LOW);
	struct pa_alloc_ctx ac;
	struct pa_zone *zone = NULL;
	unsigned int done, got = 0;

	if (!array) {
		PA_FAIL(PA_EINVAL, "array is NULL");
		return 0;
	}
	done = leading_filled(array, nr);
	if (done == nr || prepare_alloc(gfp, 0, nid, nodemask, &ac, __func__))
		return done;
	if (pa_pcp_allowed_order(0) && nr - done > 1)
		zone = bulk_zone(&ac, alloc_flags, nr);
	if (zone)
		got = bulk_take(pa_zonelist_zone(ac.zonelist, ac.preferred), zone, ac.migratetype,
				alloc_flags, gfp, nid, nr, array, done, PA_OWNER_SITE);
	/* Nothing from the sets: one page the normal way (which may reclaim). */
	if (!got) {
		if (!IS_ENABLED(CONFIG_PA_PCP))
			while (done < nr && (array[done] = bulk_one(gfp, nid, nodemask, PA_OWNER_SITE)))
				done = leading_filled(array, nr);
		else
			array[done] = bulk_one(gfp, nid, nodemask, PA_OWNER_SITE);
	}
	return leading_filled(array, nr);
}
