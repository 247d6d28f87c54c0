// SPDX-License-Identifier: MIT
/*
 * pa_check(): the verifier.  It walks every free list and every struct page
 * of every zone and reports the first broken invariant of buddy.c.
 */
#include "internal.h"

struct zone_walk {
	const struct pa_zone *zone;
	unsigned long pcp_pages;  /* on the per-CPU sets */
	unsigned long pcp_blocks;
	unsigned long listed_blocks;
	unsigned long listed_pages;
	unsigned long mt_pages[PA_MIGRATE_TYPES];
};

#define CHECK_FAIL(z, fmt, ...) \
	pa_fail(PA_EUCLEAN, "pa_check", "node %d zone %s: " fmt, (z)->node, (z)->name, __VA_ARGS__)

static int check_listed_block(struct zone_walk *w, const struct pa_page *page, unsigned int order,
			      int mt)
{
	const struct pa_zone *z = w->zone;
	unsigned long pfn, other, zend = z->zone_start_pfn + z->spanned_pages;

	if (!pa_page_ptr_valid(page))
		return CHECK_FAIL(z, "order %u %s list holds %p, not a page", order,
				  pa_migratetypes[mt].name, (const void *)page);
	pfn = pa_page_to_pfn_fast(page);
	if (!pa_page_test(page, PA_PG_buddy) || pa_page_order(page) != order)
		return CHECK_FAIL(z, "pfn %#lx on the order %u list is not a free block of that order",
				  pfn, order);
	if (pa_page_zone(page) != z || pfn < z->zone_start_pfn || pfn + (1UL << order) > zend)
		return CHECK_FAIL(z, "pfn %#lx order %u lies outside the zone", pfn,
				  order);
	if (pfn & ((1UL << order) - 1))
		return CHECK_FAIL(z, "pfn %#lx is not aligned to its order %u", pfn,
				  order);
	if ((int)page->priv != mt || pa_get_pageblock_migratetype(pfn) != mt)
		return CHECK_FAIL(z, "pfn %#lx on the %s list has type %d, pageblock type %d",
				  pfn, pa_migratetypes[mt].name, (int)page->priv,
				  pa_get_pageblock_migratetype(pfn));
	if (pa_is_migrate_isolate(mt) && order > PA_PAGEBLOCK_ORDER)
		return CHECK_FAIL(z, "isolated free block at pfn %#lx spans %lu pageblocks", pfn,
				  1UL << (order - PA_PAGEBLOCK_ORDER));
	/* Merging across pageblocks retypes them all: a free block has one type. */
	other = pa_other_type_pageblock(pfn, order, mt);
	if (other)
		return CHECK_FAIL(z, "free %s block at pfn %#lx holds a pageblock of type %s at %#lx",
				  pa_migratetypes[mt].name, pfn,
				  pa_migratetypes[pa_get_pageblock_migratetype(pfn + other)].name,
				  pfn + other);
	return 0;
}

static int check_lists(struct zone_walk *w)
{
	const struct pa_zone *z = w->zone;
	unsigned long limit = z->spanned_pages + 1;

	for (unsigned int o = 0; o < PA_NR_PAGE_ORDERS; o++) {
		unsigned long blocks = 0;

		for (int mt = 0; mt < PA_MIGRATE_TYPES; mt++) {
			const struct pa_list *head = &z->free_area[o].free_list[mt], *prev = head;

			for (const struct pa_list *l = head->next; l != head; prev = l, l = l->next) {
				int ret;

				if (!l || l->prev != prev || ++blocks > limit)
					return CHECK_FAIL(z, "order %u %s list is corrupt", o, pa_migratetypes[mt].name);
				ret = check_listed_block(w, pa_lru_to_page(l), o, mt);
				if (ret)
					return ret;
				w->mt_pages[mt] += 1UL << o;
				w->listed_pages += 1UL << o;
			}
		}
		if (blocks != z->free_area[o].nr_free)
			return CHECK_FAIL(z, "order %u lists hold %lu blocks, nr_free says %lu", o, blocks, z->free_area[o].nr_free);
		w->listed_blocks += blocks;
	}
	return 0;
}

static int check_counters(const struct zone_walk *w)
{
	const struct pa_zone *z = w->zone;

	unsigned long counted = w->listed_pages;

	for (int mt = 0; mt < PA_MIGRATE_TYPES; mt++)
		if (pa_is_migrate_isolate(mt))
			counted -= w->mt_pages[mt]; /* not free pages, as in Linux */
	if (counted != z->free_pages)
		return CHECK_FAIL(z, "lists hold %lu pages (isolated ones aside), free_pages says %lu",
				  counted, z->free_pages);
	for (int mt = 0; mt < PA_MIGRATE_TYPES; mt++)
		if (w->mt_pages[mt] != z->free_pages_mt[mt])
			return CHECK_FAIL(z, "%s lists hold %lu pages, counter says %lu", pa_migratetypes[mt].name, w->mt_pages[mt],
					  z->free_pages_mt[mt]);
	return 0;
}

/* A free block's inner pages must carry no state. */
static int check_block_interior(const struct zone_walk *w, unsigned long pfn, unsigned int order)
{
	const struct pa_page *head = pa_pfn_to_page_fast(pfn);
	const uint32_t state = PA_PG_STATE_MASK | (1u << PA_PG_reserved);

	for (unsigned long i = 1; i < (1UL << order); i++)
		if (head[i].flags & state)
			return CHECK_FAIL(w->zone, "pfn %#lx inside the free block at %#lx has flags %#x",
					  pfn + i, pfn, head[i].flags);
	return 0;
}

/*
 * Walk the zone's pages: every buddy head must be listed (their count must
 * match the lists), free blocks must not overlap, and free plus allocated
 * pages must add up to the managed pages.
 */
static int check_pages(const struct zone_walk *w)
{
	const struct pa_zone *z = w->zone;
	unsigned long pfn = z->zone_start_pfn, end = pfn + z->spanned_pages;
	unsigned long heads = 0, free = 0, allocated = 0, pcp_heads = 0, pcp = 0;

	while (pfn < end) {
		const struct pa_page *page;
		unsigned long step = 1;

		if (!pa_pfn_valid(pfn)) {
			pfn++;
			continue;
		}
		page = pa_pfn_to_page_fast(pfn);
		if (pa_page_zone(page) == z && (pa_page_flags(page) & PA_PG_STATE_MASK)) {
			int ret = check_block_interior(w, pfn, pa_page_order(page));

			if (ret)
				return ret;
			step = 1UL << pa_page_order(page);
			if (pa_page_test(page, PA_PG_buddy)) {
				heads++;
				free += step;
			} else if (pa_page_test(page, PA_PG_pcp)) {
				pcp_heads++;
				pcp += step;
			} else {
				allocated += step;
			}
		}
		pfn += step;
	}
	if (heads != w->listed_blocks)
		return CHECK_FAIL(z, "%lu pages are marked free block heads, %lu are listed", heads, w->listed_blocks);
	if (pcp_heads != w->pcp_blocks || pcp != w->pcp_pages)
		return CHECK_FAIL(z, "%lu pages (%lu blocks) are marked per-CPU, the sets hold %lu (%lu)",
				  pcp, pcp_heads, w->pcp_pages, w->pcp_blocks);
	if (free + pcp + allocated != z->managed_pages)
		return CHECK_FAIL(z, "%lu free + %lu per-CPU + %lu allocated pages != %lu managed (pages lost)",
				  free, pcp, allocated, z->managed_pages);
	return 0;
}

/* The order-0 fast path's summed marks agree with their parts (under the zone lock). */
static int check_fast_mark(const struct pa_zone *z)
{
	for (int hz = 0; hz < PA_MAX_NR_ZONES; hz++) {
		unsigned long want = pa_zone_fast_mark(z, hz);

		if (z->fast_mark[hz] != want)
			return CHECK_FAIL(z, "fast_mark[%d] is %lu, its parts (pa_zone_fast_mark()) give %lu",
					  hz, z->fast_mark[hz], want);
	}
	return 0;
}

static int check_zone(struct pa_zone *zone)
{
	struct zone_walk w = { .zone = zone };
	unsigned long pcp_flags[PA_NR_CPUS], flags;
	int ret;

	/* Lock order: the per-CPU sets, then the zone (as the free path). */
	pa_pcp_lock_zone(zone, pcp_flags);
	flags = pa_port_spin_lock_irqsave(&zone->lock);
	ret = pa_check_pcp(zone, &w.pcp_pages, &w.pcp_blocks);
	if (!ret)
		ret = check_fast_mark(zone);
	if (!ret)
		ret = check_lists(&w);
	if (!ret)
		ret = check_counters(&w);
	if (!ret)
		ret = check_pages(&w);
	pa_port_spin_unlock_irqrestore(&zone->lock, flags);
	pa_pcp_unlock_zone(zone, pcp_flags);
	return ret;
}

int pa_check(void)
{
	if (!pa_g.initialized)
		return PA_FAIL(PA_ENODEV, "called before pa_init()");
	pa_for_each_zone(zone) {
		int ret = check_zone(zone);

		if (ret)
			return ret;
	}
	return 0;
}
