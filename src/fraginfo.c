// SPDX-License-Identifier: MIT
/*
 * Grouping by mobility, seen from outside: the writers of Linux 6.12's
 * /proc/pagetypeinfo and of debugfs extfrag/extfrag_index and
 * extfrag/unusable_index, in the kernel's formats.
 *
 * As in Linux, each file shows nodes with memory (N_MEMORY) and, within
 * them, populated zones (present pages).  Numbers are gathered under the
 * zone lock and printed after it is dropped, so the print function never
 * runs with a zone lock held.
 */
#include "internal.h"

/* Linux stops counting a free list here to bound the lock hold time. */
#define PA_FREE_LIST_COUNT_CAP 100000UL

typedef void (*pa_zone_show_fn)(struct pa_printer *p, struct pa_zone *zone);

/* Linux's node_state(nid, N_MEMORY). */
static bool node_has_memory(int nid)
{
	return pa_g.nodes[nid].node_present_pages != 0;
}

/* Linux's walk_zones_in_node() with assert_populated: zones with present pages. */
static void walk_zones_in_node(struct pa_printer *p, int nid, pa_zone_show_fn show)
{
	for (int z = 0; z < PA_MAX_NR_ZONES; z++) {
		struct pa_zone *zone = &pa_g.nodes[nid].zones[z];

		if (zone->present_pages)
			show(p, zone);
	}
}

/*
 * Free blocks on @zone's @mt list of each order, capped at
 * PA_FREE_LIST_COUNT_CAP (reported as reached).  The lock is taken per
 * order, as Linux drops it between orders.
 */
static void count_free_lists(struct pa_zone *zone, int mt, unsigned long *count)
{
	for (int o = 0; o < PA_NR_PAGE_ORDERS; o++) {
		const struct pa_list *head = &zone->free_area[o].free_list[mt];
		unsigned long flags = pa_port_spin_lock_irqsave(&zone->lock);
		unsigned long n = 0;

		for (const struct pa_list *e = head->next; e != head; e = e->next)
			if (++n >= PA_FREE_LIST_COUNT_CAP)
				break;
		pa_port_spin_unlock_irqrestore(&zone->lock, flags);
		count[o] = n;
	}
}

static void show_free_counts(struct pa_printer *p, struct pa_zone *zone)
{
	unsigned long count[PA_NR_PAGE_ORDERS];

	for (int mt = 0; mt < PA_MIGRATE_TYPES; mt++) {
		count_free_lists(zone, mt, count);
		pa_pr(p, "Node %4d, zone %8s, type %12s ", zone->node, zone->name,
		      pa_migratetypes[mt].name);
		for (int o = 0; o < PA_NR_PAGE_ORDERS; o++)
			pa_pr(p, "%s%6lu ", count[o] >= PA_FREE_LIST_COUNT_CAP ? ">" : "", count[o]);
		pa_pr(p, "\n");
	}
}

/*
 * Pageblocks of each migratetype: every pageblock_nr_pages from the zone's
 * first pfn, those with a struct page that belongs to this zone.
 */
static void show_block_counts(struct pa_printer *p, struct pa_zone *zone)
{
	unsigned long count[PA_MIGRATE_TYPES] = { 0 };
	unsigned long end = zone->zone_start_pfn + zone->spanned_pages;
	unsigned long flags = pa_port_spin_lock_irqsave(&zone->lock);

	for (unsigned long pfn = zone->zone_start_pfn; pfn < end; pfn += PA_PAGEBLOCK_NR_PAGES) {
		int mt;

		if (!pa_pfn_valid(pfn) || pa_page_zone(pa_pfn_to_page_fast(pfn)) != zone)
			continue;
		mt = pa_get_pageblock_migratetype(pfn);
		if (mt >= 0 && mt < PA_MIGRATE_TYPES)
			count[mt]++;
	}
	pa_port_spin_unlock_irqrestore(&zone->lock, flags);
	pa_pr(p, "Node %d, zone %8s ", zone->node, zone->name);
	for (int mt = 0; mt < PA_MIGRATE_TYPES; mt++)
		pa_pr(p, "%12lu ", count[mt]);
	pa_pr(p, "\n");
}

static void pagetypeinfo_node(struct pa_printer *p, int nid)
{
	pa_pr(p, "Page block order: %d\n", PA_PAGEBLOCK_ORDER);
	pa_pr(p, "Pages per block:  %lu\n", PA_PAGEBLOCK_NR_PAGES);
	pa_pr(p, "\n");
	pa_pr(p, "%-43s ", "Free pages count per migrate type at order");
	for (int o = 0; o < PA_NR_PAGE_ORDERS; o++)
		pa_pr(p, "%6d ", o);
	pa_pr(p, "\n");
	walk_zones_in_node(p, nid, show_free_counts);
	pa_pr(p, "\n%-23s", "Number of blocks type ");
	for (int mt = 0; mt < PA_MIGRATE_TYPES; mt++)
		pa_pr(p, "%12s ", pa_migratetypes[mt].name);
	pa_pr(p, "\n");
	walk_zones_in_node(p, nid, show_block_counts);
}

/* Each node with memory through @node_show, then flush. */
static int print_nodes(pa_print_fn fn, void *ctx, const char *func,
		       void (*node_show)(struct pa_printer *p, int nid))
{
	struct pa_printer p;
	int ret = pa_writer_check(fn, func);

	if (ret)
		return ret;
	pa_pr_init(&p, fn, ctx);
	for (int nid = 0; nid < pa_g.nr_node_ids; nid++)
		if (node_has_memory(nid))
			node_show(&p, nid);
	pa_pr_flush(&p);
	return 0;
}

int pa_print_pagetypeinfo(pa_print_fn fn, void *ctx)
{
	return print_nodes(fn, ctx, __func__, pagetypeinfo_node);
}

/* ------------------------------------------------------------ extfrag */

/*
 * Linux's unusable_free_index(): the share (x1000) of free pages in blocks
 * smaller than 2^@order; 1000 when nothing is free.
 */
static int unusable_index(const unsigned long *nr_free, unsigned int order)
{
	unsigned long pages = 0, suitable = 0;

	for (unsigned int o = 0; o < PA_NR_PAGE_ORDERS; o++) {
		pages += nr_free[o] << o;
		if (o >= order)
			suitable += nr_free[o] << (o - order);
	}
	if (!pages)
		return 1000;
	return (int)((pages - (suitable << order)) * 1000 / pages);
}

static void show_unusable(struct pa_printer *p, struct pa_zone *zone)
{
	unsigned long nr_free[PA_NR_PAGE_ORDERS];
	unsigned long flags = pa_port_spin_lock_irqsave(&zone->lock);

	for (int o = 0; o < PA_NR_PAGE_ORDERS; o++)
		nr_free[o] = zone->free_area[o].nr_free;
	pa_port_spin_unlock_irqrestore(&zone->lock, flags);
	pa_pr(p, "Node %d, zone %8s ", zone->node, zone->name);
	for (unsigned int o = 0; o < PA_NR_PAGE_ORDERS; o++) {
		int index = unusable_index(nr_free, o);

		pa_pr(p, "%d.%03d ", index / 1000, index % 1000);
	}
	pa_pr(p, "\n");
}

static void show_extfrag(struct pa_printer *p, struct pa_zone *zone)
{
	int index[PA_NR_PAGE_ORDERS];
	unsigned long flags = pa_port_spin_lock_irqsave(&zone->lock);

	for (unsigned int o = 0; o < PA_NR_PAGE_ORDERS; o++)
		index[o] = pa_fragindex(zone, o);
	pa_port_spin_unlock_irqrestore(&zone->lock, flags);
	pa_pr(p, "Node %d, zone %8s ", zone->node, zone->name);
	/* -1000 (a block is free) prints as "-1.000". */
	for (int o = 0; o < PA_NR_PAGE_ORDERS; o++)
		pa_pr(p, "%2d.%03d ", index[o] / 1000, index[o] % 1000);
	pa_pr(p, "\n");
}

static void unusable_node(struct pa_printer *p, int nid)
{
	walk_zones_in_node(p, nid, show_unusable);
}

static void extfrag_node(struct pa_printer *p, int nid)
{
	walk_zones_in_node(p, nid, show_extfrag);
}

int pa_print_unusable_index(pa_print_fn fn, void *ctx)
{
	return print_nodes(fn, ctx, __func__, unusable_node);
}

int pa_print_extfrag_index(pa_print_fn fn, void *ctx)
{
	return print_nodes(fn, ctx, __func__, extfrag_node);
}
