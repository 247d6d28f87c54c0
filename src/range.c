// SPDX-License-Identifier: MIT
/*
 * The public calls on pfn ranges: isolating pageblocks, contiguous
 * allocations and frees, and CMA areas.  Each checks its arguments and
 * calls isolate.c, contig.c or cma.c; a build without the option they
 * need (CONFIG_PA_MEMORY_ISOLATION, CONFIG_PA_CMA) refuses the call with
 * -PA_EOPNOTSUPP and one line, and those files are not built (contig.h
 * has their inline stubs).
 */
#include "internal.h"

/* ------------------------------------------------------------ isolation (isolate.c) */

/*
 * The zone of a public isolation or contiguous call's range: NULL, with
 * *@err set and one line logged, for a build without isolation or a bad
 * range.
 */
static struct pa_zone *isolation_zone(unsigned long start, unsigned long end, const char *func,
				      int *err)
{
	if (!IS_ENABLED(CONFIG_PA_MEMORY_ISOLATION)) {
		*err = PA_EOPNOTSUPP;
		pa_fail(PA_EOPNOTSUPP, func, "built without CONFIG_PA_MEMORY_ISOLATION");
		return NULL;
	}
	return pa_range_zone(start, end, func, err);
}

/* The checks of the public calls: an aligned range of one zone, a type to restore. */
static struct pa_zone *isolate_args(unsigned long start, unsigned long end, int mt,
				    const char *func, int *err)
{
	struct pa_zone *zone = isolation_zone(start, end, func, err);

	if (!zone)
		return NULL;
	*err = PA_EINVAL;
	if ((start | end) & (PA_PAGEBLOCK_NR_PAGES - 1)) {
		pa_fail(PA_EINVAL, func, "range [%#lx, %#lx) is not aligned to a pageblock (%lu pages)",
			start, end, PA_PAGEBLOCK_NR_PAGES);
		return NULL;
	}
	if (mt < 0 || (mt >= PA_MIGRATE_PCPTYPES && !pa_is_migrate_cma(mt))) {
		pa_fail(PA_EINVAL, func, "migratetype %d cannot be restored", mt);
		return NULL;
	}
	return zone;
}

int pa_isolate_range(unsigned long start_pfn, unsigned long end_pfn, int migratetype,
		     unsigned int flags)
{
	int err;
	struct pa_zone *zone = isolate_args(start_pfn, end_pfn, migratetype, __func__, &err);

	if (!zone)
		return -err;
	if (flags & ~PA_ISOLATE_UNMOVABLE_OK)
		return PA_FAIL(PA_EINVAL, "unknown flags %#x", flags);
	err = pa_isolate_zone_range(zone, start_pfn, end_pfn, start_pfn, end_pfn, migratetype, flags);
	if (!err)
		pa_drain_all_pages(); /* pages freed to a set before: now to the isolated lists */
	return err;
}

int pa_undo_isolate_range(unsigned long start_pfn, unsigned long end_pfn, int migratetype)
{
	int err;
	struct pa_zone *zone = isolate_args(start_pfn, end_pfn, migratetype, __func__, &err);

	if (!zone)
		return -err;
	pa_undo_isolate_zone_range(zone, start_pfn, end_pfn, migratetype);
	return 0;
}

int pa_test_pages_isolated(unsigned long start_pfn, unsigned long end_pfn)
{
	int err;
	struct pa_zone *zone = isolation_zone(start_pfn, end_pfn, __func__, &err);
	unsigned long irq;
	bool isolated;

	if (!zone)
		return -err;
	irq = pa_port_spin_lock_irqsave(&zone->lock);
	isolated = pa_range_isolated_locked(start_pfn, end_pfn);
	pa_port_spin_unlock_irqrestore(&zone->lock, irq);
	return isolated ? 0 : -PA_EBUSY;
}

/* ------------------------------------------------------------ contiguous ranges (contig.c) */

static bool contig_type_ok(int mt)
{
	return mt == PA_MIGRATE_MOVABLE || pa_is_migrate_cma(mt);
}

int pa_alloc_contig_range(unsigned long start_pfn, unsigned long end_pfn, int migratetype,
			  pa_gfp_t gfp)
{
	int err;
	struct pa_zone *zone = isolation_zone(start_pfn, end_pfn, __func__, &err);

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

	if (!IS_ENABLED(CONFIG_PA_MEMORY_ISOLATION))
		return PA_FAIL(PA_EOPNOTSUPP, "built without CONFIG_PA_MEMORY_ISOLATION"), NULL;
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

/* ------------------------------------------------------------ CMA (cma.c) */

int pa_cma_declare(pa_phys_t base, pa_phys_t size, const char *name, struct pa_cma **out)
{
	if (!IS_ENABLED(CONFIG_PA_CMA))
		return PA_FAIL(PA_EOPNOTSUPP, "built without CONFIG_PA_CMA");
	return pa_cma_declare_area(base, size, name, out, __func__);
}

int pa_cma_reserve(pa_phys_t size, int nid, const char *name, struct pa_cma **out)
{
	if (!IS_ENABLED(CONFIG_PA_CMA))
		return PA_FAIL(PA_EOPNOTSUPP, "built without CONFIG_PA_CMA");
	return pa_cma_reserve_area(size, nid, name, out, __func__);
}

struct pa_page *pa_cma_alloc(struct pa_cma *cma, unsigned long count, unsigned int align,
			     bool no_warn)
{
	if (!IS_ENABLED(CONFIG_PA_CMA))
		return PA_FAIL(PA_EOPNOTSUPP, "built without CONFIG_PA_CMA"), NULL;
	return pa_cma_alloc_area(cma, count, align, no_warn, __func__, PA_OWNER_SITE);
}

int pa_cma_release(struct pa_cma *cma, struct pa_page *pages, unsigned long count)
{
	if (!IS_ENABLED(CONFIG_PA_CMA))
		return PA_FAIL(PA_EOPNOTSUPP, "built without CONFIG_PA_CMA");
	return pa_cma_release_area(cma, pages, count, __func__, PA_OWNER_SITE);
}
