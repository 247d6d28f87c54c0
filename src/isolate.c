// SPDX-License-Identifier: MIT
/*
 * Pageblock isolation, after Linux 6.12's mm/page_isolation.c.  An isolated
 * pageblock has type MIGRATE_ISOLATE: its free blocks sit on the isolated
 * lists, which no allocation reads, are not counted in free_pages, and
 * never merge with a buddy at pageblock order or above (buddy.c), so each
 * isolated free block lies inside its pageblock.  Free blocks larger than
 * a pageblock are split when one of their pageblocks is isolated; undoing
 * frees each isolated block again, which merges it back.
 */
#include "internal.h"

/*
 * Linux's has_unmovable_pages() over [start, end) of @zone: is any page
 * neither free (buddy or per-CPU) nor part of a movable allocation?
 * Reserved pages, holes and pages of another zone are unmovable.
 */
static bool has_unmovable_pages(const struct pa_zone *zone, unsigned long start,
				unsigned long end)
{
	unsigned long pfn = start;

	while (pfn < end) {
		unsigned long head = pa_block_head_pfn(pfn);
		const struct pa_page *page = pa_pfn_to_page_fast(head);
		uint32_t flags = pa_page_flags(page);

		if (!(flags & PA_PG_STATE_MASK) || pa_page_zone(page) != zone)
			return true;
		if ((flags & (1u << PA_PG_head)) && !(flags & (1u << PA_PG_movable)))
			return true;
		pfn = head + (1UL << pa_page_order(page));
	}
	return false;
}

/*
 * May a pageblock of type @cur be isolated and later given type @mt?  Not
 * twice, not a highatomic reserve, and CMA blocks only for CMA (so a
 * contiguous allocation outside an area never turns CMA blocks movable).
 */
static bool block_isolatable(int cur, int mt)
{
	return cur != PA_MIGRATE_ISOLATE && cur != PA_MIGRATE_HIGHATOMIC &&
	       pa_is_migrate_cma(cur) == pa_is_migrate_cma(mt);
}

/*
 * The free block at @head of @order > pageblock_order covers the pageblock
 * @start being isolated: take it off its list and free it again one
 * pageblock at a time, each with its own pageblock's type (@start's is
 * ISOLATE by now), so the other pageblocks merge back among themselves.
 */
static void split_large_free_locked(struct pa_zone *zone, unsigned long head, unsigned int order)
{
	struct pa_page *page = pa_pfn_to_page_fast(head);

	pa_del_from_free_list(page, zone, order, (int)page->priv);
	for (unsigned long pfn = head; pfn < head + (1UL << order); pfn += PA_PAGEBLOCK_NR_PAGES)
		pa_free_one_page_locked(zone, pa_pfn_to_page_fast(pfn), pfn, PA_PAGEBLOCK_ORDER,
					pa_get_pageblock_migratetype(pfn));
}

/* Isolate the pageblock at @start, checking [cs, ce) for unmovable pages. */
static int isolate_block(struct pa_zone *zone, unsigned long start, unsigned long cs,
			 unsigned long ce, int mt, unsigned int flags)
{
	unsigned long irq = pa_port_spin_lock_irqsave(&zone->lock);
	unsigned long head = pa_block_head_pfn(start);
	struct pa_page *hp = pa_pfn_to_page_fast(head);
	int cur = pa_get_pageblock_migratetype(start);

	if (!block_isolatable(cur, mt) ||
	    (!(flags & PA_ISOLATE_UNMOVABLE_OK) && cs < ce && has_unmovable_pages(zone, cs, ce))) {
		pa_port_spin_unlock_irqrestore(&zone->lock, irq);
		return -PA_EBUSY;
	}
	if (pa_page_test(hp, PA_PG_buddy) && pa_page_order(hp) > PA_PAGEBLOCK_ORDER) {
		pa_set_pageblock_migratetype(start, PA_MIGRATE_ISOLATE);
		split_large_free_locked(zone, head, pa_page_order(hp));
	} else {
		pa_move_freepages_block_locked(zone, start, cur, PA_MIGRATE_ISOLATE);
	}
	pa_port_spin_unlock_irqrestore(&zone->lock, irq);
	return 0;
}

/*
 * Give the isolated pageblock at @start type @mt and free its free blocks
 * again, so they merge with their buddies.  Inside the block they are
 * already merged as far as they can be, so only a whole free pageblock
 * merges further.
 */
static void unisolate_free_block(struct pa_zone *zone, struct pa_page *page, unsigned long pfn,
				 unsigned int order, const int *mt)
{
	pa_del_from_free_list(page, zone, order, PA_MIGRATE_ISOLATE);
	pa_free_one_page_locked(zone, page, pfn, order, *mt);
}

static void unisolate_block_locked(struct pa_zone *zone, unsigned long start, int mt)
{
	pa_set_pageblock_migratetype(start, mt);
	pa_walk_free_blocks_locked(zone, start, unisolate_free_block, &mt);
}

void pa_undo_isolate_zone_range(struct pa_zone *zone, unsigned long start, unsigned long end,
				int mt)
{
	for (unsigned long pfn = start; pfn < end; pfn += PA_PAGEBLOCK_NR_PAGES) {
		unsigned long irq = pa_port_spin_lock_irqsave(&zone->lock);

		if (pa_is_migrate_isolate(pa_get_pageblock_migratetype(pfn)))
			unisolate_block_locked(zone, pfn, mt);
		pa_port_spin_unlock_irqrestore(&zone->lock, irq);
	}
}

int pa_isolate_zone_range(struct pa_zone *zone, unsigned long start, unsigned long end,
			  unsigned long check_start, unsigned long check_end, int mt,
			  unsigned int flags)
{
	for (unsigned long pfn = start; pfn < end; pfn += PA_PAGEBLOCK_NR_PAGES) {
		unsigned long cs = PA_MAX(pfn, check_start);
		unsigned long ce = PA_MIN(pfn + PA_PAGEBLOCK_NR_PAGES, check_end);

		if (isolate_block(zone, pfn, cs, ce, mt, flags)) {
			pa_undo_isolate_zone_range(zone, start, pfn, mt);
			return -PA_EBUSY;
		}
	}
	return 0;
}

bool pa_range_isolated_locked(unsigned long start, unsigned long end)
{
	for (unsigned long pfn = start; pfn < end;) {
		const struct pa_page *page = pa_pfn_to_page_fast(pa_block_head_pfn(pfn));

		if (!pa_page_test(page, PA_PG_buddy) || !pa_is_migrate_isolate((int)page->priv))
			return false;
		pfn = pa_block_head_pfn(pfn) + (1UL << pa_page_order(page));
	}
	return true;
}
