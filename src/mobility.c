// SPDX-License-Identifier: MIT
/*
 * Grouping by mobility, after Linux 6.12: when a migratetype's own lists
 * are empty, borrow from the fallback types, claiming the whole pageblock
 * when the request is large or the block is mostly free or compatible,
 * else stealing just the pages; a fragmenting fallback boosts the zone's
 * watermark; high-order atomic allocations may reserve HIGHATOMIC blocks,
 * which the slow path gives back before it fails.
 */
#include "internal.h"

/* Linux's fallback order for the three ordinary migratetypes. */
static const uint8_t fallbacks[PA_MIGRATE_PCPTYPES][PA_MIGRATE_PCPTYPES - 1] = {
	[PA_MIGRATE_UNMOVABLE] = { PA_MIGRATE_RECLAIMABLE, PA_MIGRATE_MOVABLE },
	[PA_MIGRATE_MOVABLE] = { PA_MIGRATE_RECLAIMABLE, PA_MIGRATE_UNMOVABLE },
	[PA_MIGRATE_RECLAIMABLE] = { PA_MIGRATE_UNMOVABLE, PA_MIGRATE_MOVABLE },
};

/* Linux's can_steal_fallback(): may a fallback of @order claim the block? */
static bool can_steal_fallback(unsigned int order, int start_mt)
{
	return order >= PA_PAGEBLOCK_ORDER / 2 || start_mt == PA_MIGRATE_RECLAIMABLE ||
	       start_mt == PA_MIGRATE_UNMOVABLE || pa_g.mobility_disabled;
}

/*
 * Linux's boost_watermark(): raise the zone's watermarks by a pageblock,
 * capped at watermark_boost_factor / 10000 of the high watermark (at least
 * one pageblock); never in zones smaller than four pageblocks.  Only
 * kswapd's reclaim takes a boost back, so without kswapd (the kernel kept
 * the default pa_port_wake_kswapd()) none is applied: allocations then
 * stop at the plain watermarks, as Linux's do once its kswapd has run.
 * With @wake (the request may wake kswapd) the zone is flagged for the
 * allocation to wake it, which turns the fast marks off until then.
 */
static void boost_watermark_locked(struct pa_zone *zone, bool wake)
{
	struct pa_zone_marks m;
	unsigned long max_boost;

	if (!pa_g.watermark_boost_factor || PA_PAGEBLOCK_NR_PAGES * 4 > zone->managed_pages ||
	    !pa_kswapd_present())
		return;
	pa_zone_get_marks(zone, &m);
	max_boost = (unsigned long)((uint64_t)m.wmark[PA_WMARK_HIGH] *
				    (uint64_t)pa_g.watermark_boost_factor / 10000);
	if (!max_boost)
		return;
	max_boost = PA_MAX(PA_PAGEBLOCK_NR_PAGES, max_boost);
	m.boost = PA_MIN(m.boost + PA_PAGEBLOCK_NR_PAGES, max_boost);
	m.boosted |= wake;
	pa_zone_set_marks_locked(zone, &m);
}

unsigned long pa_walk_free_blocks_locked(struct pa_zone *zone, unsigned long start,
					 pa_free_block_fn fn, const int *types)
{
	unsigned long pfn = start, pages = 0;

	while (pfn < start + PA_PAGEBLOCK_NR_PAGES) {
		struct pa_page *page = pa_pfn_to_page_fast(pfn);
		unsigned int order = pa_page_order(page);

		if (!pa_page_test(page, PA_PG_buddy)) {
			pfn++;
			continue;
		}
		fn(zone, page, pfn, order, types);
		pages += 1UL << order;
		pfn += 1UL << order;
	}
	return pages;
}

/* A free block from the lists of types[0] to those of types[1]. */
static void move_free_block(struct pa_zone *zone, struct pa_page *page, unsigned long pfn,
			    unsigned int order, const int *types)
{
	(void)pfn;
	pa_del_from_free_list(page, zone, order, types[0]);
	pa_add_to_free_list(page, zone, order, types[1], false);
}

/*
 * Move every free block of the pageblock at @start from @old's lists to
 * @new's and retype the pageblock.  Return: pages moved.
 */
unsigned long pa_move_freepages_block_locked(struct pa_zone *zone, unsigned long start, int old,
					     int new)
{
	const int types[2] = { old, new };
	unsigned long moved = pa_walk_free_blocks_locked(zone, start, move_free_block, types);

	pa_set_pageblock_migratetype(start, new);
	return moved;
}

/*
 * Count the pageblock holding @pfn, as Linux's prep_move_freepages_block():
 * free pages (buddy blocks) and pages of movable allocations; reserved and
 * other pages count as neither.  Return: false when the block sticks out of
 * the zone or has no struct pages.
 */
static bool count_block(const struct pa_zone *zone, unsigned long pfn, unsigned long *start,
			unsigned long *free, unsigned long *movable)
{
	/* Allocated movable; PG_movable on a per-CPU block does not count. */
	const uint32_t mask = PA_PG_STATE_MASK | (1u << PA_PG_movable);
	const uint32_t allocated_movable = (1u << PA_PG_head) | (1u << PA_PG_movable);
	unsigned long end;

	*start = PA_ALIGN_DOWN(pfn, PA_PAGEBLOCK_NR_PAGES);
	end = *start + PA_PAGEBLOCK_NR_PAGES;
	*free = *movable = 0;
	if (*start < zone->zone_start_pfn || end > zone->zone_start_pfn + zone->spanned_pages)
		return false;
	for (pfn = *start; pfn < end;) {
		const struct pa_page *page;
		unsigned long step;

		if (!pa_pfn_valid(pfn))
			return false;
		page = pa_pfn_to_page_fast(pfn);
		step = pa_page_flags(page) & ((1u << PA_PG_buddy) | (1u << PA_PG_head))
			       ? 1UL << pa_page_order(page) : 1;
		if (pa_page_test(page, PA_PG_buddy))
			*free += step;
		else if ((pa_page_flags(page) & mask) == allocated_movable)
			*movable += step;
		pfn += step;
	}
	return true;
}

/* Take @page (a free block of @cur on @mt's lists) and split it to @order. */
static struct pa_page *take_block(struct pa_zone *zone, struct pa_page *page, unsigned int order,
				  unsigned int cur, int mt)
{
	pa_del_from_free_list(page, zone, cur, mt);
	pa_expand(zone, page, order, cur, mt);
	return page;
}

/*
 * Linux's steal_suitable_fallback(): @page is a free block of order @cur
 * on @block_mt's lists.  A block of a whole pageblock or more changes type
 * at once.  Otherwise the zone's watermark is boosted, and the pageblock
 * is claimed when free plus compatible pages make at least half of it
 * (with @whole_block allowed); else only the pages needed are stolen.
 */
static struct pa_page *steal_fallback(struct pa_zone *zone, struct pa_page *page,
				      unsigned int cur, unsigned int order, int start_mt,
				      int block_mt, unsigned int alloc_flags, bool whole_block)
{
	unsigned long pfn = pa_page_to_pfn_fast(page), start, free, movable, alike;

	if (cur >= PA_PAGEBLOCK_ORDER) {
		pa_del_from_free_list(page, zone, cur, block_mt);
		pa_change_pageblock_range(pfn, cur, start_mt);
		pa_expand(zone, page, order, cur, start_mt);
		return page;
	}
	boost_watermark_locked(zone, alloc_flags & PA_ALLOC_KSWAPD);
	if (!whole_block || !count_block(zone, pfn, &start, &free, &movable))
		return take_block(zone, page, order, cur, block_mt);
	if (start_mt == PA_MIGRATE_MOVABLE)
		alike = movable;
	else
		alike = block_mt == PA_MIGRATE_MOVABLE ? PA_PAGEBLOCK_NR_PAGES - (free + movable) : 0;
	if (free + alike >= PA_PAGEBLOCK_NR_PAGES / 2 || pa_g.mobility_disabled) {
		pa_move_freepages_block_locked(zone, start, block_mt, start_mt);
		pa_count_event_locked(PA_PGALLOC_FALLBACK_CLAIM, 1);
		return pa_rmqueue_smallest_locked(zone, order, start_mt);
	}
	return take_block(zone, page, order, cur, block_mt);
}

/*
 * Linux's find_suitable_fallback(): the first fallback type with a free
 * block of @order; *@can_steal says whether claiming is allowed.
 */
static int find_fallback(const struct pa_zone *zone, unsigned int order, int mt, bool *can_steal)
{
	const struct pa_free_area *area = &zone->free_area[order];

	*can_steal = false;
	if (!area->nr_free)
		return -1;
	for (unsigned int i = 0; i < PA_ARRAY_SIZE(fallbacks[mt]); i++) {
		int fmt = fallbacks[mt][i];

		if (pa_list_empty(&area->free_list[fmt]))
			continue;
		*can_steal = can_steal_fallback(order, mt);
		return fmt;
	}
	return -1;
}

/*
 * Linux's __rmqueue_fallback(): the largest free block of a fallback type
 * (roughly the emptiest pageblock), except that a movable request which
 * may not claim splits the smallest instead; with ALLOC_NOFRAGMENT only
 * whole pageblocks are taken.
 */
static struct pa_page *rmqueue_fallback(struct pa_zone *zone, unsigned int order, int mt,
					unsigned int alloc_flags)
{
	unsigned int min_order = order;
	bool can_steal;
	int fmt = -1, cur;

	if (order < PA_PAGEBLOCK_ORDER && (alloc_flags & PA_ALLOC_NOFRAGMENT))
		min_order = PA_PAGEBLOCK_ORDER;
	for (cur = PA_MAX_PAGE_ORDER; cur >= (int)min_order; cur--) {
		fmt = find_fallback(zone, (unsigned int)cur, mt, &can_steal);
		if (fmt >= 0)
			break;
	}
	if (fmt < 0)
		return NULL;
	if (!can_steal && mt == PA_MIGRATE_MOVABLE && cur > (int)order)
		for (cur = (int)order; cur <= PA_MAX_PAGE_ORDER; cur++)
			if ((fmt = find_fallback(zone, (unsigned int)cur, mt, &can_steal)) >= 0)
				break;
	pa_count_event_locked(PA_PGALLOC_FALLBACK, 1);
	return steal_fallback(zone,
			      pa_lru_to_page(zone->free_area[cur].free_list[fmt].next),
			      (unsigned int)cur, order, mt, fmt, alloc_flags, can_steal);
}

#ifdef CONFIG_PA_CMA
#define CMA_TYPE PA_MIGRATE_CMA
#else
#define CMA_TYPE 0
#endif

struct pa_page *pa_rmqueue_locked(struct pa_zone *zone, unsigned int order, int mt,
				  unsigned int alloc_flags)
{
	struct pa_page *page;

	if (pa_cma_first(zone, alloc_flags)) {
		page = pa_rmqueue_smallest_locked(zone, order, CMA_TYPE);
		if (page)
			return page;
	}
	page = pa_rmqueue_smallest_locked(zone, order, mt);
	if (pa_likely(page != NULL) || mt >= PA_MIGRATE_PCPTYPES)
		return page;
	if (IS_ENABLED(CONFIG_PA_CMA) && (alloc_flags & PA_ALLOC_CMA)) {
		page = pa_rmqueue_smallest_locked(zone, order, CMA_TYPE);
		if (page)
			return page;
	}
	return rmqueue_fallback(zone, order, mt, alloc_flags);
}

/* ------------------------------------------------------------ highatomic */

/* At most about 1% of the zone plus one pageblock (the bound). */
static unsigned long highatomic_limit(const struct pa_zone *zone)
{
	return zone->managed_pages / 100 + PA_PAGEBLOCK_NR_PAGES;
}

/*
 * Linux's reserve_highatomic_pageblock(): after a high-order atomic
 * allocation succeeded, make its pageblock (or blocks) HIGHATOMIC so that
 * later such requests find free blocks there.
 */
void pa_reserve_highatomic(struct pa_zone *zone, struct pa_page *page, unsigned int order)
{
	unsigned long pfn, flags;
	int mt;

	if (PA_READ_ONCE(zone->nr_reserved_highatomic) >= highatomic_limit(zone))
		return;
	flags = pa_port_spin_lock_irqsave(&zone->lock);
	pfn = pa_page_to_pfn_fast(page);
	mt = pa_get_pageblock_migratetype(pfn);
	if (zone->nr_reserved_highatomic < highatomic_limit(zone) &&
	    pa_migratetype_is_mergeable(mt)) {
		if (order < PA_PAGEBLOCK_ORDER) {
			unsigned long start, free, movable;

			if (count_block(zone, pfn, &start, &free, &movable)) {
				pa_move_freepages_block_locked(zone, start, mt, PA_MIGRATE_HIGHATOMIC);
				PA_WRITE_ONCE(zone->nr_reserved_highatomic,
					      zone->nr_reserved_highatomic + PA_PAGEBLOCK_NR_PAGES);
			}
		} else {
			pa_change_pageblock_range(pfn, order, PA_MIGRATE_HIGHATOMIC);
			PA_WRITE_ONCE(zone->nr_reserved_highatomic,
				      zone->nr_reserved_highatomic + (1UL << order));
		}
	}
	pa_port_spin_unlock_irqrestore(&zone->lock, flags);
}

/* Give one HIGHATOMIC free block's pageblock of @zone back to @mt.  Zone lock held. */
static bool unreserve_one_locked(struct pa_zone *zone, int mt)
{
	for (unsigned int o = 0; o < PA_NR_PAGE_ORDERS; o++) {
		struct pa_list *list = &zone->free_area[o].free_list[PA_MIGRATE_HIGHATOMIC];
		struct pa_page *page;
		unsigned long pfn, size;

		if (pa_list_empty(list))
			continue;
		page = pa_lru_to_page(list->next);
		pfn = pa_page_to_pfn_fast(page);
		size = PA_MIN(PA_MAX(PA_PAGEBLOCK_NR_PAGES, 1UL << o), zone->nr_reserved_highatomic);
		PA_WRITE_ONCE(zone->nr_reserved_highatomic, zone->nr_reserved_highatomic - size);
		if (o < PA_PAGEBLOCK_ORDER) {
			pa_move_freepages_block_locked(zone, PA_ALIGN_DOWN(pfn, PA_PAGEBLOCK_NR_PAGES),
					     PA_MIGRATE_HIGHATOMIC, mt);
		} else {
			pa_del_from_free_list(page, zone, o, PA_MIGRATE_HIGHATOMIC);
			pa_change_pageblock_range(pfn, o, mt);
			pa_add_to_free_list(page, zone, o, mt, false);
		}
		return true;
	}
	return false;
}

/*
 * Linux's unreserve_highatomic_pageblock(): give a reserved block back to
 * the allocation's type, in the first zone of @ac that has one; unless
 * @force, keep one pageblock of reserve per zone.  Return: true if one was.
 */
bool pa_unreserve_highatomic(const struct pa_alloc_ctx *ac, bool force)
{
	pa_for_each_zoneref(i, ac, 0) {
		struct pa_zone *zone = pa_zonelist_zone(ac->zonelist, i);
		unsigned long flags;
		bool done;

		if (!force && PA_READ_ONCE(zone->nr_reserved_highatomic) <= PA_PAGEBLOCK_NR_PAGES)
			continue;
		flags = pa_port_spin_lock_irqsave(&zone->lock);
		done = unreserve_one_locked(zone, ac->migratetype);
		pa_port_spin_unlock_irqrestore(&zone->lock, flags);
		if (done)
			return true;
	}
	return false;
}
