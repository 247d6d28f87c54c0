// SPDX-License-Identifier: MIT
/*
 * Contiguous allocations, after Linux 6.x's alloc_contig_range(),
 * alloc_contig_pages() and free_contig_range(): isolate the pageblocks
 * covering the range, have the kernel migrate the movable pages in it
 * (pa_port_migrate_page()), take the free pages as order-0 allocations and
 * undo the isolation.
 */
#include "internal.h"

#ifdef CONFIG_PA_MEMORY_ISOLATION

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
		ret = pa_port_migrate_page(page, pa_page_order(page), gfp);
		if (ret)
			return ret < 0 ? ret : -PA_EBUSY;
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

/* Linux's test_pages_isolated() under the zone lock: is all of [a, b) on isolated lists? */
static bool range_isolated_locked(unsigned long a, unsigned long b)
{
	for (unsigned long pfn = a; pfn < b;) {
		const struct pa_page *page = pa_pfn_to_page_fast(pa_block_head_pfn(pfn));

		if (!pa_page_test(page, PA_PG_buddy) || !pa_is_migrate_isolate((int)page->priv))
			return false;
		pfn = pa_block_head_pfn(pfn) + (1UL << pa_page_order(page));
	}
	return true;
}

/* Take the free pages of [a, b) off the isolated lists as order-0 allocations. */
static int take_range(struct pa_zone *zone, unsigned long a, unsigned long b)
{
	unsigned long irq = pa_port_spin_lock_irqsave(&zone->lock);
	unsigned long pfn = a;

	if (!range_isolated_locked(a, b)) {
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

static bool contig_type_ok(int mt)
{
#ifdef CONFIG_PA_CMA
	if (mt == PA_MIGRATE_CMA)
		return true;
#endif
	return mt == PA_MIGRATE_MOVABLE;
}

int pa_alloc_contig_range(unsigned long start_pfn, unsigned long end_pfn, int migratetype,
			  pa_gfp_t gfp)
{
	int err;
	struct pa_zone *zone = pa_range_zone(start_pfn, end_pfn, __func__, &err);

	if (!zone)
		return -err;
	if (pa_cpu_id_bad(__func__))
		return -PA_EINVAL;
	if (!contig_type_ok(migratetype))
		return PA_FAIL(PA_EINVAL, "migratetype %d is neither MOVABLE nor CMA", migratetype);
	if (PA_ALIGN_DOWN(start_pfn, PA_PAGEBLOCK_NR_PAGES) < zone->zone_start_pfn ||
	    PA_ALIGN_UP(end_pfn, PA_PAGEBLOCK_NR_PAGES) > zone->zone_start_pfn + zone->spanned_pages)
		return PA_FAIL(PA_EINVAL, "the pageblocks around [%#lx, %#lx) leave zone %s",
			       start_pfn, end_pfn, zone->name);
	err = pa_gfp_check(gfp, __func__);
	if (!err)
		err = pa_alloc_contig_zone(zone, start_pfn, end_pfn, migratetype, gfp);
	if (!err)
		pa_contig_allocated(start_pfn, end_pfn - start_pfn, gfp, PA_OWNER_SITE);
	return err;
}

/*
 * Linux's pfn_range_valid_contig(), a hint read without the lock: may
 * [start, start + nr) of @zone be worth isolating?  Its pageblocks must be
 * in the zone and ordinary (not CMA, HIGHATOMIC or isolated), its pages
 * free or movable.
 */
static bool range_candidate(const struct pa_zone *zone, unsigned long start, unsigned long nr)
{
	unsigned long cs = PA_ALIGN_DOWN(start, PA_PAGEBLOCK_NR_PAGES);
	unsigned long ce = PA_ALIGN_UP(start + nr, PA_PAGEBLOCK_NR_PAGES);

	if (cs < zone->zone_start_pfn || ce > zone->zone_start_pfn + zone->spanned_pages)
		return false;
	for (unsigned long pfn = cs; pfn < ce; pfn += PA_PAGEBLOCK_NR_PAGES)
		if (!pa_pfn_valid(pfn) || !pa_migratetype_is_mergeable(pa_get_pageblock_migratetype(pfn)))
			return false;
	for (unsigned long pfn = start; pfn < start + nr;) {
		unsigned long head = pa_block_head_pfn(pfn);
		const struct pa_page *page = pa_pfn_to_page_fast(head);
		uint32_t flags = pa_page_flags(page);

		if (!(flags & PA_PG_STATE_MASK) || pa_page_zone(page) != zone ||
		    ((flags & (1u << PA_PG_head)) && !(flags & (1u << PA_PG_movable))))
			return false;
		pfn = head + (1UL << pa_page_order(page));
	}
	return true;
}

/* Try the ranges of @nr pages of @zone starting at multiples of @step: the first page, or NULL. */
static struct pa_page *contig_in_zone(struct pa_zone *zone, unsigned long nr, unsigned long step,
				      pa_gfp_t gfp)
{
	unsigned long end = zone->zone_start_pfn + zone->spanned_pages;

	for (unsigned long pfn = PA_ALIGN_UP(zone->zone_start_pfn, step); pfn + nr <= end;
	     pfn += step)
		if (range_candidate(zone, pfn, nr) &&
		    pa_alloc_contig_zone(zone, pfn, pfn + nr, PA_MIGRATE_MOVABLE, gfp) == 0)
			return pa_pfn_to_page_fast(pfn);
	return NULL;
}

struct pa_page *pa_alloc_contig_pages(unsigned long nr_pages, pa_gfp_t gfp, int nid,
				      const pa_nodemask_t *nodemask)
{
	struct pa_alloc_ctx ac = { .nodemask = nodemask ? *nodemask : PA_NODEMASK_ALL };
	unsigned long step;

	if (!pa_g.initialized)
		return PA_FAIL(PA_ENODEV, "called before pa_init()"), NULL;
	if (!nr_pages || nr_pages > pa_g.max_pfn)
		return PA_FAIL(PA_EINVAL, "cannot allocate %lu contiguous pages", nr_pages), NULL;
	if (pa_gfp_check(gfp, __func__) || pa_cpu_id_bad(__func__))
		return NULL;
	if (nid == PA_NUMA_NO_NODE)
		nid = pa_cpu_node();
	if (nid < 0 || nid >= pa_g.nr_node_ids)
		return PA_FAIL(PA_EINVAL, "node %d out of range", nid), NULL;
	ac.zonelist = &pa_g.nodes[nid].zonelists[(gfp & PA__GFP_THISNODE) ? PA_ZONELIST_NOFALLBACK
									 : PA_ZONELIST_FALLBACK];
	ac.highest_zoneidx = pa_gfp_zone(gfp);
	step = 1UL << (nr_pages > 1 ? pa_ilog2(nr_pages - 1) + 1 : 0);
	pa_for_each_zoneref(i, &ac, 0) {
		struct pa_page *page = contig_in_zone(pa_zonelist_zone(ac.zonelist, i), nr_pages,
						      step, gfp);

		if (page) {
			pa_contig_allocated(pa_page_to_pfn_fast(page), nr_pages, gfp, PA_OWNER_SITE);
			return page;
		}
	}
	return NULL;
}

#else /* !CONFIG_PA_MEMORY_ISOLATION */

int pa_alloc_contig_zone(struct pa_zone *zone, unsigned long start, unsigned long end, int mt,
			 pa_gfp_t gfp)
{
	(void)zone, (void)start, (void)end, (void)mt, (void)gfp;
	return -PA_EOPNOTSUPP;
}

int pa_alloc_contig_range(unsigned long start_pfn, unsigned long end_pfn, int migratetype,
			  pa_gfp_t gfp)
{
	(void)start_pfn, (void)end_pfn, (void)migratetype, (void)gfp;
	return PA_FAIL(PA_EOPNOTSUPP, "built without CONFIG_PA_MEMORY_ISOLATION");
}

struct pa_page *pa_alloc_contig_pages(unsigned long nr_pages, pa_gfp_t gfp, int nid,
				      const pa_nodemask_t *nodemask)
{
	(void)nr_pages, (void)gfp, (void)nid, (void)nodemask;
	PA_FAIL(PA_EOPNOTSUPP, "built without CONFIG_PA_MEMORY_ISOLATION");
	return NULL;
}

#endif /* CONFIG_PA_MEMORY_ISOLATION */

/* Is some page of [pfn, pfn + nr) not an allocated order-0 page?  *@bad: the first. */
static bool first_not_order0(unsigned long pfn, unsigned long nr, unsigned long *bad)
{
	for (unsigned long i = 0; i < nr; i++) {
		const struct pa_page *page = pa_pfn_to_page_fast(pfn + i);
		uint32_t want = 1u << PA_PG_head;
		uint32_t mask = PA_PG_STATE_MASK | (1u << PA_PG_reserved) |
				(PA_PG_ORDER_MASK << PA_PG_ORDER_SHIFT);

		if ((pa_page_flags(page) & mask) != want || __atomic_load_n(&page->refcount, __ATOMIC_RELAXED) < 1) {
			*bad = pfn + i;
			return true;
		}
	}
	return false;
}

/*
 * Free a range page by page, for the public entry @func called from
 * @site: any range of allocated order-0 pages, across zones and nodes too,
 * as Linux's free_contig_range() frees whatever it is given.
 */
int pa_free_contig_site(unsigned long pfn, unsigned long nr_pages, const char *func,
			uintptr_t site)
{
	unsigned long bad;

	if (!pa_g.initialized)
		return pa_fail(PA_ENODEV, func, "called before pa_init()");
	if (!nr_pages || pfn + nr_pages < pfn)
		return pa_fail(PA_EINVAL, func, "%lu pages at pfn %#lx: empty or wrapping range",
			       nr_pages, pfn);
	if (!pa_pfn_range_valid(pfn, pfn + nr_pages))
		return pa_fail(PA_EINVAL, func, "range [%#lx, %#lx) is outside memory", pfn,
			       pfn + nr_pages);
	if (first_not_order0(pfn, nr_pages, &bad))
		return pa_fail(PA_EINVAL, func,
			       "pfn %#lx is not an allocated order-0 page; nothing freed", bad);
	for (unsigned long i = 0; i < nr_pages; i++)
		pa_free_pages_site(pa_pfn_to_page_fast(pfn + i), 0, site, func);
	return 0;
}

int pa_free_contig_range(unsigned long pfn, unsigned long nr_pages)
{
	return pa_free_contig_site(pfn, nr_pages, __func__, PA_OWNER_SITE);
}

/*
 * A range just allocated, each page an order-0 block: page_owner names
 * @site and @gfp for every page, and the trace has one order-0 line per
 * page, as for the bulk API.  The lines say movable, on the range's node:
 * the pages came from movable (or CMA) pageblocks, so a replay, which
 * allocates them as single pages wherever they land, takes them from the
 * same kind of memory (a movable request may use CMA).
 */
void pa_contig_allocated(unsigned long pfn, unsigned long nr_pages, pa_gfp_t gfp, uintptr_t site)
{
	pa_gfp_t traced = gfp & ~(pa_gfp_t)PA_GFP_MOVABLE_MASK;
	int nid;

	if (!IS_ENABLED(CONFIG_PA_TRACE) && !IS_ENABLED(CONFIG_PA_PAGE_OWNER))
		return;
	if (!(gfp & PA__GFP_MOVABLE)) /* HIGHMEM with MOVABLE would mean ZONE_MOVABLE */
		traced &= ~(pa_gfp_t)PA__GFP_HIGHMEM;
	traced |= PA__GFP_MOVABLE;
	nid = (int)(pa_page_zoneid(pa_pfn_to_page_fast(pfn)) / PA_MAX_NR_ZONES);
	for (unsigned long i = 0; i < nr_pages; i++)
		pa_owner_alloc(pa_trace_alloc(pa_pfn_to_page_fast(pfn + i), traced, 0, nid), gfp,
			       site);
}
