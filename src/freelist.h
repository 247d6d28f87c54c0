/* SPDX-License-Identifier: MIT */
/*
 * The buddy core's inline half: listing and unlisting free blocks,
 * accounting, splitting, merge rules, the exact-order take, the prep of a
 * block handed out, and the zones' fast-path watermark (fast_mark) with
 * the boost flag that turns it off.
 */
#ifndef PA_FREELIST_H
#define PA_FREELIST_H

#include "page_flags.h"
#include "debug.h"
#include "local_ops.h"

/* A fast_mark no free count passes: the fast paths leave the zone to the general path. */
#define PA_FAST_MARK_OFF (~0UL >> 1) /* LONG_MAX */

/*
 * The watermark a fast allocation from @zone checks: Linux's
 * get_page_from_freelist() tries the high one first while the zone is not
 * marked below it, and the allocation's (low) one after.  So while
 * PA_ZONE_BELOW_HIGH is clear the fast paths pass only above high, and
 * the general path, which sets the flag, takes the rest.
 */
static inline int pa_zone_fast_wmark(const struct pa_zone *zone)
{
	return (PA_READ_ONCE(zone->zflags) & PA_ZONE_BELOW_HIGH) ? PA_WMARK_LOW : PA_WMARK_HIGH;
}

/*
 * What @zone's fast_mark[@hz] must hold: that watermark + boost +
 * lowmem_reserve[@hz], plus the free highatomic pages, which an order-0
 * request without ALLOC_RESERVES may not count (moved to the mark's side
 * of the compare).  While a boost waits to wake kswapd
 * (PA_ZONE_BOOSTED_WATERMARK), the mark is off, so the next allocation
 * takes the general path, which wakes it (check_boosted() in alloc.c):
 * the fast paths need not test the flag.
 */
static inline unsigned long pa_zone_fast_mark(const struct pa_zone *zone, int hz)
{
	if (PA_READ_ONCE(zone->zflags) & PA_ZONE_BOOSTED_WATERMARK)
		return PA_FAST_MARK_OFF;
	return zone->_watermark[pa_zone_fast_wmark(zone)] + zone->watermark_boost +
	       zone->lowmem_reserve[hz] + zone->free_pages_mt[PA_MIGRATE_HIGHATOMIC];
}

/*
 * The parts of a zone's fast marks but the free highatomic pages (which
 * pa_account_free() keeps): its watermarks, boost, lowmem reserves and
 * the PA_ZONE_BOOSTED_WATERMARK flag.  Their writers read them with
 * pa_zone_get_marks(), change what they change and store them with
 * pa_zone_set_marks_locked(), which rewrites fast_mark[] with them: no
 * other code writes any of them.
 */
struct pa_zone_marks {
	unsigned long wmark[PA_NR_WMARK];
	unsigned long boost;
	unsigned long lowmem_reserve[PA_MAX_NR_ZONES];
	bool boosted;
};

void pa_zone_get_marks(const struct pa_zone *zone, struct pa_zone_marks *m);
/* The zone flags the per-CPU sets follow (buddy.c; PA_ZONE_BELOW_HIGH moves fast_mark[]). */
bool pa_zone_set_flag(struct pa_zone *zone, unsigned long flag);
void pa_zone_clear_flag(struct pa_zone *zone, unsigned long flag);
void pa_zone_leave_below_high(struct pa_zone *zone);
void pa_zone_set_marks_locked(struct pa_zone *zone, const struct pa_zone_marks *m);

/* Free-list primitives; the caller holds zone->lock. */
static inline void pa_set_buddy_order(struct pa_page *page, unsigned int order, int mt)
{
	pa_page_set_state(page, 1u << PA_PG_buddy, order);
	page->priv = (uintptr_t)mt;
}

/*
 * List a free block without counting its pages: splits and merges move
 * pages between orders of one zone and settle free_pages/free_pages_mt
 * once per operation (pa_account_free()) rather than at every level.
 */
static inline void pa_list_free_block(struct pa_page *page, struct pa_zone *zone,
				      unsigned int order, int mt, bool tail)
{
	struct pa_free_area *area = &zone->free_area[order];

	pa_set_buddy_order(page, order, mt);
	if (tail)
		pa_list_add_tail(&page->lru, &area->free_list[mt]);
	else
		pa_list_add(&page->lru, &area->free_list[mt]);
	PA_WRITE_ONCE(area->nr_free, area->nr_free + 1);
}

/* Take a free block off its list, PG_buddy left set: for a caller that rewrites the state. */
static inline void pa_unlist_free_block_keep_state(struct pa_page *page, struct pa_zone *zone,
						   unsigned int order, int mt)
{
	PA_BUG_ON(!pa_page_test(page, PA_PG_buddy) || (int)page->priv != mt);
	pa_list_del(&page->lru);
	PA_WRITE_ONCE(zone->free_area[order].nr_free, zone->free_area[order].nr_free - 1);
}

static inline void pa_unlist_free_block(struct pa_page *page, struct pa_zone *zone,
					unsigned int order, int mt)
{
	pa_unlist_free_block_keep_state(page, zone, order, mt);
	pa_page_clear(page, PA_PG_buddy);
}

/* Rewrite fast_mark[] from its parts: pa_zone_set_marks_locked() and pa_account_free() only. */
void pa_zone_fast_mark_update_locked(struct pa_zone *zone);

/*
 * @delta pages of list type @mt became free (or, negative, left the lists).
 * Pages on the isolate lists are not free memory (NR_FREE_PAGES): only
 * free_pages_mt counts them.
 */
static inline void pa_account_free(struct pa_zone *zone, int mt, long delta)
{
	if (!pa_is_migrate_isolate(mt))
		PA_WRITE_ONCE(zone->free_pages, zone->free_pages + (unsigned long)delta);
	PA_WRITE_ONCE(zone->free_pages_mt[mt], zone->free_pages_mt[mt] + (unsigned long)delta);
	if (mt == PA_MIGRATE_HIGHATOMIC)
		pa_zone_fast_mark_update_locked(zone); /* the fast mark counts them */
}

static inline void pa_add_to_free_list(struct pa_page *page, struct pa_zone *zone, unsigned int order,
				    int mt, bool tail)
{
	pa_list_free_block(page, zone, order, mt, tail);
	pa_account_free(zone, mt, 1L << order);
}

static inline void pa_del_from_free_list(struct pa_page *page, struct pa_zone *zone, unsigned int order,
				      int mt)
{
	pa_unlist_free_block(page, zone, order, mt);
	pa_account_free(zone, mt, -(1L << order));
}

/* Split a block of order @high down to @low, listing the upper halves. */
static inline void pa_expand(struct pa_zone *zone, struct pa_page *page, unsigned int low,
			  unsigned int high, int mt)
{
	unsigned long size = 1UL << high;

	pa_account_free(zone, mt, (1L << high) - (1L << low));
	while (high > low) {
		high--;
		size >>= 1;
		pa_list_free_block(&page[size], zone, high, mt, false);
	}
}

/* Only the three ordinary types may merge across a pageblock boundary. */
static inline bool pa_migratetype_is_mergeable(int mt)
{
	return mt < PA_MIGRATE_PCPTYPES;
}

/*
 * May a free block of type @mt merge with its free buddy of type @buddy_mt
 * at @order?  Below a pageblock always (one pageblock, one type).  From a
 * pageblock up: blocks of one type, or of two ordinary types; an isolated
 * block never, not even with another isolated one, so every isolated free
 * block lies inside one pageblock and undoing isolation is per pageblock.
 */
static inline bool pa_buddy_mergeable(unsigned int order, int mt, int buddy_mt)
{
	if (order < PA_PAGEBLOCK_ORDER)
		return true;
	if (pa_is_migrate_isolate(mt))
		return false;
	return buddy_mt == mt || (pa_migratetype_is_mergeable(mt) && pa_migratetype_is_mergeable(buddy_mt));
}


/*
 * Linux's __rmqueue() CMA balancing: a request that may use CMA takes
 * from the CMA lists first while they hold more than half the zone's free
 * pages, so CMA areas are used before the rest runs low.
 */
static inline bool pa_cma_first(const struct pa_zone *zone, unsigned int alloc_flags)
{
	return IS_ENABLED(CONFIG_PA_CMA) && (alloc_flags & PA_ALLOC_CMA) &&
	       pa_zone_free_cma(zone) > zone->free_pages / 2;
}

/*
 * The buddy fast path's first step (pa_rmqueue_locked()'s when it finds a
 * block at once): the first free block of exactly @order on the @mt list,
 * unlisted and counted, or NULL (then pa_rmqueue_locked() does the rest:
 * larger orders, CMA, fallback).  The caller preps the block in the same
 * lock hold, and pa_prep_new_page() rewrites every state bit, so PG_buddy
 * is left to it; the list head is read plainly, as the zone lock orders
 * every writer of the lists.
 */
static inline struct pa_page *pa_rmqueue_exact_locked(struct pa_zone *zone, unsigned int order,
						      int mt, unsigned int alloc_flags)
{
	struct pa_list *list = &zone->free_area[order].free_list[mt];
	struct pa_page *page = pa_lru_to_page(list->next);

	if (pa_cma_first(zone, alloc_flags) || &page->lru == list)
		return NULL;
	pa_unlist_free_block_keep_state(page, zone, order, mt);
	pa_account_free(zone, mt, -(1L << order));
	return page;
}

/*
 * The reference a new allocation gets, stored last, with release order: a
 * free whose compare-and-swap drops it (acquire) is ordered after all the
 * allocation wrote to the block (list pointers, flags, priv), so the two
 * never race on those words, even for a free from a CPU the owner never
 * handed the page to (a double free racing the allocation).  The free's
 * checks of the flags word come before its compare-and-swap and may read
 * an older word: they only pick the path the free takes.  A plain store
 * on x86; arm64's STLR.
 */
static inline void pa_set_first_ref(struct pa_page *page)
{
	__atomic_store_n(&page->refcount, 1, __ATOMIC_RELEASE);
}

/* A block leaves the allocator for @mt: head of @order, one reference, priv 0. */
static inline void pa_prep_new_page(struct pa_page *page, unsigned int order, int mt)
{
	if (PA_DEBUG_PAGES)
		pa_debug_alloc_prep(page, order);
	pa_page_set_state(page, (1u << PA_PG_head) |
				((uint32_t)(mt == PA_MIGRATE_MOVABLE) << PA_PG_movable), order);
	page->priv = 0;
	pa_set_first_ref(page);
}

/*
 * The state bits of a block on a per-CPU list of type @mt: PG_pcp, and
 * PG_movable when the list is the movable one, so that taking it for a
 * request of that type (pa_prep_pcp_page()) flips PG_pcp to PG_head and
 * leaves the rest as pa_prep_new_page() would write it.  PG_movable means
 * "allocated movable" only with PG_head (mobility.c counts it so).
 */
static inline uint32_t pa_pcp_state(unsigned long mt)
{
	static const uint32_t state[PA_MIGRATE_PCPTYPES] = {
		[PA_MIGRATE_UNMOVABLE] = 1u << PA_PG_pcp,
		[PA_MIGRATE_MOVABLE] = (1u << PA_PG_pcp) | (1u << PA_PG_movable),
		[PA_MIGRATE_RECLAIMABLE] = 1u << PA_PG_pcp,
	};

	PA_ASSUME(mt < PA_MIGRATE_PCPTYPES); /* the sets keep these types only */
	return state[mt];
}

/* pa_prep_new_page() for a block taken from a per-CPU list of @mt and @order. */
static inline void pa_prep_pcp_page(struct pa_page *page, unsigned int order, int mt)
{
	if (PA_DEBUG_PAGES)
		pa_debug_alloc_prep(page, order); /* may clear PG_poisoned */
	if (IS_ENABLED(CONFIG_PA_DEBUG_VM)) {
		uint32_t flags = pa_page_flags(page);

		PA_BUG_ON(flags != pa_flags_with_state(flags, pa_pcp_state(mt), order));
	}
	pa_local_xor32(&page->flags, (1u << PA_PG_pcp) | (1u << PA_PG_head));
	page->priv = 0;
	pa_set_first_ref(page);
}


/* The zone id bits of a page's flags word: buddies must match them. */
#define PA_ZONE_BITS (PA_PG_ZONEID_MASK << PA_PG_ZONEID_SHIFT)

/*
 * Is @buddy the head of a free block of @order in the zone whose id bits
 * (flags & PA_ZONE_BITS) are @zbits?  The caller guarantees @buddy has a
 * struct page: it lies in the same largest-order block as the page it is
 * the buddy of, and mem_map covers whole such blocks.
 */
static inline bool pa_page_is_buddy(const struct pa_page *buddy, unsigned int order, uint32_t zbits)
{
	uint32_t want = (1u << PA_PG_buddy) | (order << PA_PG_ORDER_SHIFT) | zbits;
	uint32_t mask = (1u << PA_PG_buddy) | (PA_PG_ORDER_MASK << PA_PG_ORDER_SHIFT) | PA_ZONE_BITS;

	return (pa_page_flags(buddy) & mask) == want;
}

/*
 * If the block at @pfn of @order is freed and its buddy at order + 1 is
 * already free, a later free of our buddy would merge twice: keep this
 * block at the tail so it is less likely to be handed out first.
 */
static inline bool pa_buddy_merge_likely(const struct pa_page *page, unsigned long pfn,
				      unsigned int order, uint32_t zbits)
{
	unsigned long higher_pfn, higher_buddy_pfn;

	if (order >= PA_MAX_PAGE_ORDER - 1)
		return false;
	higher_pfn = pfn & ~((2UL << order) - 1);
	higher_buddy_pfn = higher_pfn ^ (2UL << order);
	return pa_page_is_buddy(page + (long)(higher_buddy_pfn - pfn), order + 1, zbits);
}

/* The block's buddy at @order is a free block: the merge loop's turn. */
static PA_ALWAYS_INLINE bool pa_buddy_is_free(const struct pa_page *page, unsigned long pfn,
					   unsigned int order, uint32_t zbits)
{
	return order >= PA_MAX_PAGE_ORDER ||
	       pa_page_is_buddy(page + (long)((pfn ^ (1UL << order)) - pfn), order, zbits);
}

#endif /* PA_FREELIST_H */
