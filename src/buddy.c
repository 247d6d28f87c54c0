// SPDX-License-Identifier: MIT
/*
 * The buddy core: free lists per order and migratetype, splitting on
 * allocation and merging on free, and the checked free path.
 *
 * Invariants (checked by pa_check()):
 *  - a free block of order o starts at a pfn aligned to 2^o, its head page
 *    has PG_buddy and order o, and it sits on free_area[o].free_list[mt]
 *    with page->priv == mt, where mt is its first pageblock's migratetype;
 *  - pages inside a free block (not the head) carry no state bits;
 *  - nr_free and free_pages_mt[] count exactly what is listed, free_pages
 *    all of it except the isolated lists (as Linux's NR_FREE_PAGES).
 */
#include "pcp_fast.h"



/*
 * Free the block [pfn, pfn + 2^order) into @zone, merging with free
 * buddies.  At order o the buddy of a block is pfn ^ (1 << o): the other
 * half of the aligned 2^(o+1) block both belong to, whose start is
 * pfn & ~(1 << o).
 */
static __attribute__((noinline)) void free_merge_locked(struct pa_zone *zone, struct pa_page *page,
							 unsigned long pfn, unsigned int order,
							 int mt, uint32_t zbits)
{
	/* The freed page may end up inside a merged block: drop its state now. */
	pa_page_set_state(page, 0, 0);
	pa_account_free(zone, mt, 1L << order);
	while (order < PA_MAX_PAGE_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct pa_page *buddy = page + (long)(buddy_pfn - pfn);
		int buddy_mt;

		if (!pa_page_is_buddy(buddy, order, zbits))
			break;
		buddy_mt = (int)buddy->priv;
		if (!pa_buddy_mergeable(order, mt, buddy_mt))
			break;
		pa_unlist_free_block(buddy, zone, order, buddy_mt);
		if (buddy_mt != mt) { /* whole pageblocks: make them match the merged block */
			pa_account_free(zone, buddy_mt, -(1L << order));
			pa_account_free(zone, mt, 1L << order);
			pa_change_pageblock_range(buddy_pfn, order, mt);
		}
		page += (long)((pfn & buddy_pfn) - pfn);
		pfn &= buddy_pfn;
		order++;
	}
	pa_list_free_block(page, zone, order, mt, pa_buddy_merge_likely(page, pfn, order, zbits));
}


/*
 * free_merge_locked() with the common case inline: the buddy is not a
 * free block of this order (in use, split, or on a per-CPU list), so
 * nothing merges and the block is listed as it is.
 */
static PA_ALWAYS_INLINE void free_one_page(struct pa_zone *zone, struct pa_page *page,
					   unsigned long pfn, unsigned int order, int mt)
{
	const uint32_t zbits = pa_page_flags(page) & PA_ZONE_BITS;

	if (pa_likely(!pa_buddy_is_free(page, pfn, order, zbits))) {
		pa_add_to_free_list(page, zone, order, mt, pa_buddy_merge_likely(page, pfn, order, zbits));
		return;
	}
	free_merge_locked(zone, page, pfn, order, mt, zbits);
}

void pa_free_one_page_locked(struct pa_zone *zone, struct pa_page *page, unsigned long pfn,
			     unsigned int order, int mt)
{
	free_one_page(zone, page, pfn, order, mt);
}

struct pa_page *pa_rmqueue_smallest_locked(struct pa_zone *zone, unsigned int order, int mt)
{
	for (unsigned int o = order; o < PA_NR_PAGE_ORDERS; o++) {
		struct pa_list *list = &zone->free_area[o].free_list[mt];
		struct pa_page *page;

		if (pa_list_empty(list))
			continue;
		page = pa_lru_to_page(list->next);
		pa_del_from_free_list(page, zone, o, mt);
		pa_expand(zone, page, order, o, mt);
		return page;
	}
	return NULL;
}

/*
 * Take a block from @zone's buddy lists (Linux's rmqueue_buddy()).  A
 * high-order atomic request tries the highatomic reserve first; OOM and
 * non-blocking requests may use it when everything else failed.
 */
struct pa_page *pa_rmqueue_buddy(struct pa_zone *zone, unsigned int order,
				 unsigned int alloc_flags, int mt)
{
	struct pa_page *page = NULL;
	unsigned long flags = pa_port_spin_lock_irqsave(&zone->lock);

	if (alloc_flags & PA_ALLOC_HIGHATOMIC)
		page = pa_rmqueue_smallest_locked(zone, order, PA_MIGRATE_HIGHATOMIC);
	if (!page)
		page = pa_rmqueue_locked(zone, order, mt, alloc_flags);
	if (!page && (alloc_flags & (PA_ALLOC_OOM | PA_ALLOC_NON_BLOCK)))
		page = pa_rmqueue_smallest_locked(zone, order, PA_MIGRATE_HIGHATOMIC);
	if (page)
		pa_prep_new_page(page, order, mt); /* under the lock: the verifier sees no gap */
	pa_port_spin_unlock_irqrestore(&zone->lock, flags);
	return page;
}

unsigned long pa_nr_free_pages(void)
{
	unsigned long sum = 0;

	pa_for_each_zone(zone)
		sum += __atomic_load_n(&zone->free_pages, __ATOMIC_RELAXED);
	return sum;
}

/* ------------------------------------------------------------ the zone's marks */

void pa_zone_fast_mark_update_locked(struct pa_zone *zone)
{
	for (int hz = 0; hz < PA_MAX_NR_ZONES; hz++)
		PA_WRITE_ONCE(zone->fast_mark[hz], pa_zone_fast_mark(zone, hz));
}

void pa_zone_get_marks(const struct pa_zone *zone, struct pa_zone_marks *m)
{
	for (int i = 0; i < PA_NR_WMARK; i++)
		m->wmark[i] = PA_READ_ONCE(zone->_watermark[i]);
	m->boost = PA_READ_ONCE(zone->watermark_boost);
	for (int hz = 0; hz < PA_MAX_NR_ZONES; hz++)
		m->lowmem_reserve[hz] = PA_READ_ONCE(zone->lowmem_reserve[hz]);
	m->boosted = PA_READ_ONCE(zone->zflags) & PA_ZONE_BOOSTED_WATERMARK;
}

/*
 * Store @m as @zone's marks and rewrite fast_mark[] from them: the only
 * writer of the parts, so the fast marks always equal their sum (which
 * pa_check() verifies).  Each value is one store, for the lock-free
 * readers (pa_zone_wmark(), the fast paths).
 */
void pa_zone_set_marks_locked(struct pa_zone *zone, const struct pa_zone_marks *m)
{
	unsigned long zflags = zone->zflags & ~PA_ZONE_BOOSTED_WATERMARK;

	for (int i = 0; i < PA_NR_WMARK; i++)
		PA_WRITE_ONCE(zone->_watermark[i], m->wmark[i]);
	PA_WRITE_ONCE(zone->watermark_boost, m->boost);
	for (int hz = 0; hz < PA_MAX_NR_ZONES; hz++)
		PA_WRITE_ONCE(zone->lowmem_reserve[hz], m->lowmem_reserve[hz]);
	PA_WRITE_ONCE(zone->zflags, zflags | (m->boosted ? PA_ZONE_BOOSTED_WATERMARK : 0));
	pa_zone_fast_mark_update_locked(zone);
}

/*
 * Set @flag (PA_ZONE_BELOW_HIGH or PA_ZONE_RECLAIM_ACTIVE) in @zone's
 * zflags, under its lock: BELOW_HIGH moves fast_mark[] from the high
 * watermark to the low one (pa_zone_fast_mark()).  Return: true if it was
 * clear.
 */
bool pa_zone_set_flag(struct pa_zone *zone, unsigned long flag)
{
	unsigned long flags = pa_port_spin_lock_irqsave(&zone->lock);
	bool was_clear = !(zone->zflags & flag);

	__atomic_store_n(&zone->zflags, zone->zflags | flag, __ATOMIC_SEQ_CST); /* pcp_publish_high() */
	if (was_clear && flag == PA_ZONE_BELOW_HIGH)
		pa_zone_fast_mark_update_locked(zone);
	pa_port_spin_unlock_irqrestore(&zone->lock, flags);
	return was_clear;
}

static void clear_flag_locked(struct pa_zone *zone, unsigned long flag)
{
	PA_WRITE_ONCE(zone->zflags, zone->zflags & ~flag);
	if (flag == PA_ZONE_BELOW_HIGH)
		pa_zone_fast_mark_update_locked(zone);
}

void pa_zone_clear_flag(struct pa_zone *zone, unsigned long flag)
{
	unsigned long flags = pa_port_spin_lock_irqsave(&zone->lock);

	if (zone->zflags & flag)
		clear_flag_locked(zone, flag);
	pa_port_spin_unlock_irqrestore(&zone->lock, flags);
}

/*
 * Linux's zone_watermark_ok(zone, 0, high_wmark_pages(zone), ZONE_MOVABLE, 0)
 * after a per-CPU return: the free pages a movable order-0 request may
 * count are above high + boost + lowmem_reserve[ZONE_MOVABLE].  If so the
 * zone leaves the below-high state.
 */
void pa_zone_leave_below_high(struct pa_zone *zone)
{
	unsigned long flags = pa_port_spin_lock_irqsave(&zone->lock);
	long usable = (long)zone->free_pages - pa_zone_reserved_free(zone, 0);
	unsigned long mark = pa_zone_wmark(zone, PA_WMARK_HIGH) + zone->lowmem_reserve[PA_ZONE_MOVABLE];

	if ((zone->zflags & PA_ZONE_BELOW_HIGH) && usable > (long)mark)
		clear_flag_locked(zone, PA_ZONE_BELOW_HIGH);
	pa_port_spin_unlock_irqrestore(&zone->lock, flags);
}

/* ------------------------------------------------------------ freeing to the lists */

/*
 * Free a block into @zone's lists of its pageblock's type (@mt, the type
 * of its first pageblock).  A block larger than a pageblock whose
 * pageblocks differ in type, or are isolated, is freed one pageblock at a
 * time, each to its own type's lists (Linux's split_large_buddy()): no
 * free block spans two types, and an isolated free block never spans two
 * pageblocks, so undoing the isolation of one of them cannot hand out the
 * other.  The pieces merge again where allowed.  The types of an
 * allocated block's pageblocks differ only when one was isolated (or
 * unisolated) meanwhile: every other retype covers whole free or
 * allocated blocks.
 */
static void free_block_locked(struct pa_zone *zone, struct pa_page *page, unsigned long pfn,
			      unsigned int order, int mt)
{
	if (pa_likely(order <= PA_PAGEBLOCK_ORDER) ||
	    (!pa_is_migrate_isolate(mt) && !pa_other_type_pageblock(pfn, order, mt))) {
		free_one_page(zone, page, pfn, order, mt);
		return;
	}
	for (unsigned long b = 0; b < (1UL << order); b += PA_PAGEBLOCK_NR_PAGES)
		pa_free_one_page_locked(zone, page + b, pfn + b, PA_PAGEBLOCK_ORDER,
					pa_get_pageblock_migratetype(pfn + b));
}

/*
 * pa_buddy_free_block_fast() when the block spans pageblocks, or when its buddy
 * is free (or it has none, at MAX_PAGE_ORDER): straight to the merge loop.
 */
int pa_buddy_free_block_slow(struct pa_zone *zone, struct pa_page *page, unsigned long pfn,
			     unsigned int order, int mt, unsigned long flags)
{
	if (order > PA_PAGEBLOCK_ORDER)
		free_block_locked(zone, page, pfn, order, mt);
	else
		free_merge_locked(zone, page, pfn, order, mt, pa_page_flags(page) & PA_ZONE_BITS);
	pa_buddy_free_done(zone, order, flags);
	return 0;
}

int pa_buddy_free_block(struct pa_zone *zone, struct pa_page *page, unsigned long pfn,
			unsigned int order, const uint8_t *pb)
{
	return pa_buddy_free_block_fast(zone, page, pfn, order, pb);
}
