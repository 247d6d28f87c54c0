// SPDX-License-Identifier: MIT
/*
 * The allocation slow path, in the order of Linux 6.12's
 * __alloc_pages_slowpath(): wake kswapd, retry at the min watermark with
 * the reserves the GFP mask grants, compact (costly and non-movable
 * orders first), reclaim, compact again, retry while reclaim could still
 * help, call the OOM hook, and finally fail with a warning, unless
 * __GFP_NOFAIL.  Every hook is optional; with none, exhaustion gives NULL.
 */
#include "internal.h"

/* Linux's compact_priority (alloc_ctx.h) and compact_result. */
#define PRIO_SYNC_FULL PA_COMPACT_SYNC
#define PRIO_SYNC_LIGHT PA_COMPACT_SYNC_LIGHT
#define PRIO_ASYNC PA_COMPACT_ASYNC
#define COMPACT_SKIPPED PA_COMPACT_SKIPPED
#define COMPACT_COMPLETE PA_COMPACT_COMPLETE
#define COMPACT_SUCCESS PA_COMPACT_SUCCESS
#define compact_result pa_compact_result
#define MAX_COMPACT_RETRIES 16

/* Linux's __gfp_pfmemalloc_flags(): __GFP_MEMALLOC ignores the watermarks. */
static unsigned int pfmemalloc_flags(pa_gfp_t gfp)
{
	if (gfp & PA__GFP_NOMEMALLOC)
		return 0;
	return (gfp & PA__GFP_MEMALLOC) ? PA_ALLOC_NO_WATERMARKS : 0;
}

/* Reset the walk to the first eligible zone under @ac's current nodemask. */
static void restart_walk(struct pa_alloc_ctx *ac)
{
	ac->preferred = pa_next_zoneref(ac, 0);
}

/*
 * Is some zone of @ac suitable for compacting?  With @reclaimable, as
 * Linux's compaction_zonelist_suitable(): counting what reclaim could free.
 */
static bool compaction_zonelist_suitable(const struct pa_alloc_ctx *ac, unsigned int order,
					 bool reclaimable)
{
	pa_for_each_zoneref(i, ac, 0) {
		const struct pa_zone *z = pa_zonelist_zone(ac->zonelist, i);
		unsigned long avail = __atomic_load_n(&z->free_pages, __ATOMIC_RELAXED);

		if (reclaimable)
			avail += pa_port_reclaimable_pages(z->node, (enum pa_zone_type)z->type);
		if (pa_compaction_suitable_zone(z, order, ac->highest_zoneidx, avail))
			return true;
	}
	return false;
}

/* Linux's __alloc_pages_direct_compact() over the compaction hook. */
static struct pa_page *direct_compact(pa_gfp_t gfp, unsigned int order, unsigned int alloc_flags,
				      const struct pa_alloc_ctx *ac, int prio,
				      enum compact_result *result)
{
	struct pa_page *page;

	*result = COMPACT_SKIPPED;
	if (!order || !compaction_zonelist_suitable(ac, order, false))
		return NULL;
	pa_count_event(PA_COMPACTSTALL, 1);
	*result = pa_try_to_compact_pages(gfp, order, ac, prio);
	page = pa_get_page_from_freelist(gfp, order, alloc_flags, ac);
#ifdef CONFIG_PA_COMPACTION
	if (page)
		pa_compaction_defer_reset(pa_page_zone(page), (int)order, true);
#endif
	pa_count_event(page ? PA_COMPACTSUCCESS : PA_COMPACTFAIL, 1);
	return page;
}

/* Linux's should_compact_retry(). */
static bool should_compact_retry(const struct pa_alloc_ctx *ac, unsigned int order,
				 enum compact_result result, int *prio, int *retries)
{
	int max_retries = MAX_COMPACT_RETRIES;
	int min_prio;

	if (!order)
		return false;
	if (result == COMPACT_SKIPPED)
		return compaction_zonelist_suitable(ac, order, true);
	if (result == COMPACT_SUCCESS) {
		if (order > PA_PAGE_ALLOC_COSTLY_ORDER)
			max_retries /= 4;
		if (++*retries <= max_retries)
			return true;
	}
	min_prio = order > PA_PAGE_ALLOC_COSTLY_ORDER ? PRIO_SYNC_LIGHT : PRIO_SYNC_FULL;
	if (*prio > min_prio) {
		(*prio)--;
		*retries = 0;
		return true;
	}
	return false;
}

/* Count one direct reclaim stall against the allocation's highest zone. */
static unsigned long perform_reclaim(pa_gfp_t gfp, unsigned int order, const struct pa_alloc_ctx *ac)
{
	int nid = pa_zonelist_zone(ac->zonelist, ac->preferred)->node;
	unsigned long progress;

	pa_count_event(PA_ALLOCSTALL + (unsigned int)ac->highest_zoneidx, 1);
	pa_count_event(PA_DIRECT_RECLAIM, 1);
	progress = pa_port_direct_reclaim(nid, order, gfp);
	if (progress) {
		pa_count_event(PA_PGSTEAL_DIRECT, progress);
		pa_kswapd_reset_failures(nid);
	}
	return progress;
}

/*
 * Give back what is held aside from the free lists: the per-CPU sets (and,
 * with grouping by mobility, the highatomic reserve).
 */
static void drain_reserves(const struct pa_alloc_ctx *ac)
{
	pa_unreserve_highatomic(ac, false);
	pa_drain_all_pages();
}

/* Linux's __alloc_pages_direct_reclaim(): reclaim, retry; drain once on failure. */
static struct pa_page *direct_reclaim(pa_gfp_t gfp, unsigned int order, unsigned int alloc_flags,
				      const struct pa_alloc_ctx *ac, unsigned long *progress)
{
	struct pa_page *page;

	*progress = perform_reclaim(gfp, order, ac);
	if (!*progress)
		return NULL;
	page = pa_get_page_from_freelist(gfp, order, alloc_flags, ac);
	if (!page) {
		/* Pages may sit on per-CPU lists or in highatomic reserves. */
		drain_reserves(ac);
		page = pa_get_page_from_freelist(gfp, order, alloc_flags, ac);
	}
	return page;
}

/*
 * Linux's should_reclaim_retry(): retry while some zone would pass its min
 * watermark if every reclaimable page were freed, at most
 * PA_MAX_RECLAIM_RETRIES rounds without progress (costly orders never
 * count as progress).
 */
static bool should_reclaim_retry(unsigned int order, const struct pa_alloc_ctx *ac,
				 unsigned int alloc_flags, bool progress, int *no_progress_loops)
{
	if (progress && order <= PA_PAGE_ALLOC_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		++*no_progress_loops;
	if (*no_progress_loops > PA_MAX_RECLAIM_RETRIES)
		return pa_unreserve_highatomic(ac, true);
	pa_for_each_zoneref(i, ac, 0) {
		const struct pa_zone *z = pa_zonelist_zone(ac->zonelist, i);
		long avail = (long)(pa_port_reclaimable_pages(z->node, (enum pa_zone_type)z->type) +
				    __atomic_load_n(&z->free_pages, __ATOMIC_RELAXED));
		unsigned long min = pa_zone_wmark(z, PA_WMARK_MIN);

		if (pa_zone_wmark_ok(z, order, min, ac->highest_zoneidx, alloc_flags, avail))
			return true;
	}
	/* Before the OOM hook, the highatomic reserve goes (Linux does the same). */
	return pa_unreserve_highatomic(ac, true);
}

/*
 * Linux's __alloc_pages_may_oom(): one more try at the high watermark (to
 * catch memory freed meanwhile), then the OOM hook for the cases the OOM
 * killer can help.  __GFP_NOFAIL then gets the reserves.
 */
static struct pa_page *may_oom(pa_gfp_t gfp, unsigned int order, const struct pa_alloc_ctx *ac,
			       unsigned long *progress)
{
	struct pa_page *page;

	*progress = 0;
	page = pa_get_page_from_freelist((gfp | PA__GFP_HARDWALL) & ~PA__GFP_DIRECT_RECLAIM, order,
					 PA_ALLOC_WMARK_HIGH | PA_ALLOC_CPUSET, ac);
	if (page)
		return page;
	if (order > PA_PAGE_ALLOC_COSTLY_ORDER || (gfp & (PA__GFP_RETRY_MAYFAIL | PA__GFP_THISNODE)))
		return NULL;
	if (ac->highest_zoneidx < PA_ZONE_NORMAL)
		return NULL;
	pa_count_event(PA_OOM_CALL, 1);
	if (pa_port_out_of_memory(order, gfp) || (gfp & PA__GFP_NOFAIL)) {
		*progress = 1;
		if (gfp & PA__GFP_NOFAIL)
			page = pa_get_page_from_freelist(gfp, order, PA_ALLOC_NO_WATERMARKS, ac);
	}
	return page;
}

/*
 * Append, for each zone of @ac, every figure its watermark check used:
 * "; N/Zone free:..kB boost:..kB min:..kB low:..kB high:..kB
 * lowmem_reserve:..kB reserved_highatomic:..kB" (and free_cma:..kB with
 * CMA), as Linux's show_free_areas() names them.  The marks are the plain
 * ones; the check adds the boost (and the lowmem reserve for @ac's
 * highest zone) to them.
 */
static size_t zone_state(char *buf, size_t size, size_t n, const struct pa_alloc_ctx *ac)
{
	const unsigned long k = PA_PAGE_SIZE / 1024;

	pa_for_each_zoneref(i, ac, 0) {
		const struct pa_zone *z = pa_zonelist_zone(ac->zonelist, i);

		n += (size_t)pa_snprintf(
			buf + n, n < size ? size - n : 0,
			"; %d/%s free:%lukB boost:%lukB min:%lukB low:%lukB high:%lukB "
			"lowmem_reserve:%lukB reserved_highatomic:%lukB",
			z->node, z->name, __atomic_load_n(&z->free_pages, __ATOMIC_RELAXED) * k,
			PA_READ_ONCE(z->watermark_boost) * k, PA_READ_ONCE(z->_watermark[PA_WMARK_MIN]) * k,
			PA_READ_ONCE(z->_watermark[PA_WMARK_LOW]) * k,
			PA_READ_ONCE(z->_watermark[PA_WMARK_HIGH]) * k,
			PA_READ_ONCE(z->lowmem_reserve[ac->highest_zoneidx]) * k,
			PA_READ_ONCE(z->nr_reserved_highatomic) * k);
		if (IS_ENABLED(CONFIG_PA_CMA))
			n += (size_t)pa_snprintf(buf + n, n < size ? size - n : 0, " free_cma:%lukB",
						 pa_zone_free_cma(z) * k);
	}
	return n;
}

#define WARN_BURST 10
#define WARN_EVERY 1024

/*
 * Linux's warn_alloc(), in one line: the request and each zone it could
 * use.  Rate-limited without a clock: the first WARN_BURST failures, then
 * one in WARN_EVERY.  A caller that expects to fail passes __GFP_NOWARN.
 */
static void warn_alloc(pa_gfp_t gfp, unsigned int order, const struct pa_alloc_ctx *ac)
{
	unsigned long nr = __atomic_add_fetch(&pa_g.warn_count, 1, __ATOMIC_RELAXED);
	char buf[640];
	size_t n;

	if (nr > WARN_BURST && nr % WARN_EVERY)
		return;
	n = (size_t)pa_snprintf(buf, sizeof(buf), "page allocation failure: order:%u, mode:%#x",
				order, gfp);
	if (ac->nodemask == PA_NODEMASK_ALL)
		n += (size_t)pa_snprintf(buf + n, sizeof(buf) - n, ", nodemask=(null)");
	else
		n += (size_t)pa_snprintf(buf + n, sizeof(buf) - n, ", nodemask=%#llx",
					 (unsigned long long)ac->nodemask);
	if (nr > WARN_BURST)
		n += (size_t)pa_snprintf(buf + n, sizeof(buf) - n, " (%lu failures so far)", nr);
	zone_state(buf, sizeof(buf), PA_MIN(n, sizeof(buf)), ac);
	pa_port_log(PA_LOG_WARNING, buf);
}

/*
 * __GFP_NOFAIL without success: Linux's __alloc_pages_cpuset_fallback(), a
 * try with @alloc_flags and then without the cpuset restriction.
 */
static struct pa_page *nofail_fallback(pa_gfp_t gfp, unsigned int order, unsigned int alloc_flags,
				       const struct pa_alloc_ctx *ac)
{
	struct pa_page *page = pa_get_page_from_freelist(gfp, order, alloc_flags | PA_ALLOC_CPUSET, ac);

	if (!page)
		page = pa_get_page_from_freelist(gfp, order, alloc_flags, ac);
	return page;
}

/* State of one slow-path run, so its steps stay small functions. */
struct slow {
	pa_gfp_t gfp;
	unsigned int order;
	unsigned int alloc_flags;
	struct pa_alloc_ctx *ac;
	bool can_reclaim;
	bool costly;
	int prio;
	int compact_retries;
	int no_progress_loops;
	enum compact_result compact_result;
};

/*
 * The first part of the slow path: precise alloc_flags, wake kswapd, try
 * at the min watermark, then compaction first for costly and non-movable
 * high orders.  Return: the page, or NULL with *@give_up set when a costly
 * __GFP_NORETRY request should fail now.
 */
static struct pa_page *slow_start(struct slow *s, bool *give_up)
{
	struct pa_page *page;

	*give_up = false;
	s->alloc_flags = pa_gfp_to_alloc_flags(s->gfp, s->order);
	restart_walk(s->ac);
	if (s->ac->preferred < 0) {
		*give_up = true;
		return NULL;
	}
	if (s->alloc_flags & PA_ALLOC_KSWAPD)
		pa_wake_all_kswapds(s->order, s->gfp, s->ac);
	page = pa_get_page_from_freelist(s->gfp, s->order, s->alloc_flags, s->ac);
	if (page)
		return page;
	if (s->can_reclaim && (s->costly || (s->order && s->ac->migratetype != PA_MIGRATE_MOVABLE)) &&
	    !pfmemalloc_flags(s->gfp)) {
		page = direct_compact(s->gfp, s->order, s->alloc_flags, s->ac, PRIO_ASYNC,
				      &s->compact_result);
		if (page)
			return page;
		if (s->costly && (s->gfp & PA__GFP_NORETRY)) {
			if (s->compact_result == COMPACT_SKIPPED) {
				*give_up = true;
				return NULL;
			}
			s->prio = PRIO_ASYNC;
		}
	}
	return NULL;
}

enum next { NEXT_RETRY, NEXT_OOM, NEXT_NOPAGE };

/* After reclaim and compaction failed: retry, try the OOM hook, or give up? */
static enum next slow_next(struct slow *s, unsigned long progress)
{
	if (s->gfp & PA__GFP_NORETRY)
		return NEXT_NOPAGE;
	if (s->costly && !(s->gfp & PA__GFP_RETRY_MAYFAIL))
		return NEXT_NOPAGE;
	if (should_reclaim_retry(s->order, s->ac, s->alloc_flags, progress > 0,
				 &s->no_progress_loops))
		return NEXT_RETRY;
	if (progress > 0 && should_compact_retry(s->ac, s->order, s->compact_result, &s->prio,
						 &s->compact_retries))
		return NEXT_RETRY;
	return NEXT_OOM;
}

/*
 * One round of the retry loop.  Return: the page; NULL with *@stop set
 * when the allocation must go to nopage; NULL otherwise to go round again.
 */
static struct pa_page *slow_round(struct slow *s, bool *stop)
{
	unsigned int reserve = pfmemalloc_flags(s->gfp);
	unsigned long progress;
	struct pa_page *page;

	*stop = true;
	if (s->alloc_flags & PA_ALLOC_KSWAPD)
		pa_wake_all_kswapds(s->order, s->gfp, s->ac);
	if (reserve)
		s->alloc_flags = reserve | (s->alloc_flags & PA_ALLOC_KSWAPD) |
				 (s->alloc_flags & PA_ALLOC_CMA);
	/*
	 * Linux drops the mempolicy nodemask here for non-blocking __GFP_HIGH
	 * and reserve users; ours is the caller's explicit constraint and is
	 * kept (callers wanting any node pass NULL).
	 */
	page = pa_get_page_from_freelist(s->gfp, s->order, s->alloc_flags, s->ac);
	if (page || !s->can_reclaim)
		return page;
	page = direct_reclaim(s->gfp, s->order, s->alloc_flags, s->ac, &progress);
	if (page)
		return page;
	page = direct_compact(s->gfp, s->order, s->alloc_flags, s->ac, s->prio, &s->compact_result);
	if (page)
		return page;
	switch (slow_next(s, progress)) {
	case NEXT_RETRY:
		*stop = false;
		return NULL;
	case NEXT_NOPAGE:
		return NULL;
	case NEXT_OOM:
		break;
	}
	page = may_oom(s->gfp, s->order, s->ac, &progress);
	if (page)
		return page;
	if (progress) {
		s->no_progress_loops = 0;
		*stop = false;
	}
	return NULL;
}

struct pa_page *pa_alloc_slowpath(pa_gfp_t gfp, unsigned int order, struct pa_alloc_ctx *ac)
{
	struct slow s = {
		.gfp = gfp,
		.order = order,
		.ac = ac,
		.can_reclaim = gfp & PA__GFP_DIRECT_RECLAIM,
		.costly = order > PA_PAGE_ALLOC_COSTLY_ORDER,
		.prio = PRIO_SYNC_LIGHT,
	};
	struct pa_page *page;
	bool stop;

	pa_count_event(PA_PGALLOC_SLOWPATH, 1);
	page = slow_start(&s, &stop);
	while (!page) {
		if (!stop) {
			page = slow_round(&s, &stop);
			continue;
		}
		if (!(gfp & PA__GFP_NOFAIL) || !s.can_reclaim || ac->preferred < 0)
			break;
		/* __GFP_NOFAIL: some of the reserves, never ALLOC_NO_WATERMARKS. */
		page = nofail_fallback(gfp, order, PA_ALLOC_MIN_RESERVE, ac);
		stop = false;
	}
	if (!page) {
		pa_count_event(PA_PGALLOC_FAIL, 1);
		if (!(gfp & PA__GFP_NOWARN))
			warn_alloc(gfp, order, ac);
	}
	return page;
}
