// SPDX-License-Identifier: MIT
/*
 * Contiguous allocations, after Linux 6.12's alloc_contig_range(),
 * alloc_contig_pages() and free_contig_range(): isolate the pageblocks
 * covering the range, have the kernel migrate the movable pages in it
 * (pa_port_migrate_page()), take the free pages as order-0 allocations and
 * undo the isolation.
 */
#include "internal.h"

/*
 * Move one allocated block out of the isolated range: a destination from
 * the ordinary allocator (which never returns an isolated page), then the
 * kernel's copy (pa_port_migrate_page()).  A kernel that does not migrate
 * makes it -PA_EBUSY, as a pinned page.
 */
static int migrate_block(struct pa_page *page, unsigned int order, pa_gfp_t gfp)
{
	struct pa_page *dst = pa_alloc_pages(gfp | PA__GFP_MOVABLE | PA__GFP_NOWARN, order);
	int ret;

	if (!dst)
		return -PA_ENOMEM;
	pa_trace_migrate(page, dst, order); /* first: the hook's own lines on dst follow it */
	ret = pa_port_migrate_page(page, dst, order);
	if (!ret)
		return 0;
	pa_free_pages(dst, order);
	return ret == -PA_EOPNOTSUPP || ret >= 0 ? -PA_EBUSY : ret;
}

/*
 * Ask the kernel to move every allocated block of [start, end) away.
 * Free and per-CPU blocks are stepped over; a block that is not movable,
 * or still allocated after the hook, ends it.  Return: 0 or -errno.
 */
static int migrate_range(unsigned long start, unsigned long end, pa_gfp_t gfp)
{
	unsigned long pfn = start;

	while (pfn < end) {
		unsigned long head = pa_block_head_pfn(pfn);
		struct pa_page *page = pa_pfn_to_page_fast(head);
		uint32_t flags = pa_page_flags(page);
		int ret;

		if (!(flags & PA_PG_STATE_MASK))
			return -PA_EBUSY; /* reserved, or a hole */
		if (!(flags & (1u << PA_PG_head))) {
			pfn = head + (1UL << pa_page_order(page));
			continue;
		}
		if (!(flags & (1u << PA_PG_movable)))
			return -PA_EBUSY;
		ret = migrate_block(page, pa_page_order(page), gfp);
		if (ret)
			return ret;
		if (pa_page_test(page, PA_PG_head))
			return -PA_EBUSY; /* the hook said yes but kept it */
	}
	return 0;
}

/*
 * [pfn, pfn + 2^order) is off the free lists: its pages inside [a, b)
 * become allocated order-0 pages, the rest goes back to the isolated lists
 * in the largest aligned blocks (halving the block until each half lies
 * wholly inside or outside; at most 2 * order halves are listed).
 */
static void carve_locked(struct pa_zone *zone, struct pa_page *page, unsigned long pfn,
			 unsigned int order, unsigned long a, unsigned long b)
{
	unsigned long size = 1UL << order;

	if (pfn >= a && pfn + size <= b) {
		for (unsigned long i = 0; i < size; i++)
			pa_prep_new_page(page + i, 0, PA_MIGRATE_UNMOVABLE);
		return;
	}
	if (pfn >= b || pfn + size <= a) {
		pa_add_to_free_list(page, zone, order, PA_MIGRATE_ISOLATE, false);
		return;
	}
	carve_locked(zone, page, pfn, order - 1, a, b);
	carve_locked(zone, page + size / 2, pfn + size / 2, order - 1, a, b);
}

/* Take the free pages of [a, b) off the isolated lists as order-0 allocations. */
static int take_range(struct pa_zone *zone, unsigned long a, unsigned long b)
{
	unsigned long irq = pa_port_spin_lock_irqsave(&zone->lock);
	unsigned long pfn = a;

	if (!pa_range_isolated_locked(a, b)) {
		pa_port_spin_unlock_irqrestore(&zone->lock, irq);
		return -PA_EBUSY;
	}
	while (pfn < b) {
		unsigned long head = pa_block_head_pfn(pfn);
		struct pa_page *page = pa_pfn_to_page_fast(head);
		unsigned int order = pa_page_order(page);

		pa_del_from_free_list(page, zone, order, PA_MIGRATE_ISOLATE);
		carve_locked(zone, page, head, order, a, b);
		pfn = head + (1UL << order);
	}
	pa_zone_statistics_locked(zone, zone, b - a);
	pa_port_spin_unlock_irqrestore(&zone->lock, irq);
	return 0;
}

int pa_alloc_contig_zone(struct pa_zone *zone, unsigned long start, unsigned long end, int mt,
			 pa_gfp_t gfp)
{
	unsigned long cs = PA_ALIGN_DOWN(start, PA_PAGEBLOCK_NR_PAGES);
	unsigned long ce = PA_ALIGN_UP(end, PA_PAGEBLOCK_NR_PAGES);
	int ret = pa_isolate_zone_range(zone, cs, ce, start, end, mt, 0);

	if (ret)
		return ret;
	pa_drain_all_pages();
	ret = migrate_range(start, end, gfp);
	if (!ret)
		ret = take_range(zone, start, end);
	pa_undo_isolate_zone_range(zone, cs, ce, mt);
	return ret;
}
