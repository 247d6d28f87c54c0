/* SPDX-License-Identifier: MIT */
/*
 * Isolation of pfn ranges, contiguous allocations and CMA areas, after
 * Linux 6.12's mm/page_isolation.c, alloc_contig_range() and mm/cma.c.
 *
 * Isolation (CONFIG_PA_MEMORY_ISOLATION) turns pageblocks MIGRATE_ISOLATE:
 * their free pages move to the isolated free lists, where no allocation
 * finds them and from where they never merge with a neighbouring block;
 * pages freed inside them go there too, past the per-CPU sets.  As in
 * Linux, isolated free pages are not counted as free (NR_FREE_PAGES, the
 * watermarks, pa_zone_counts.free); buddyinfo still lists them.
 *
 * A contiguous allocation isolates its range, has the kernel migrate the
 * movable pages in it (the OPTIONAL hook pa_port_migrate_page() of
 * <pagealloc/port.h>; without it only free ranges can be taken), takes the
 * then free pages and undoes the isolation.  The range comes back as
 * individual order-0 pages, each with a reference count of 1.
 */
#ifndef PAGEALLOC_CONTIG_H
#define PAGEALLOC_CONTIG_H

#include <pagealloc/types.h>
#include <pagealloc/gfp.h>

/* pa_isolate_range() flags. */
#define PA_ISOLATE_UNMOVABLE_OK 0x1u /* isolate blocks holding unmovable pages too */

/**
 * pa_isolate_range - isolate the pageblocks of [@start_pfn, @end_pfn).
 * @start_pfn: first pfn, aligned to a pageblock.
 * @end_pfn: pfn after the last, aligned to a pageblock.
 * @migratetype: the type the blocks isolated so far get back when a later
 *               block cannot be isolated (Linux's start_isolate_page_range()).
 * @flags: 0, or PA_ISOLATE_UNMOVABLE_OK.
 *
 * The range must lie inside one zone.  A block is refused with -PA_EBUSY
 * when it is already isolated, is a HIGHATOMIC block, is a CMA block while
 * @migratetype is not PA_MIGRATE_CMA (or the other way round), or, without
 * PA_ISOLATE_UNMOVABLE_OK, holds a page that is neither free nor movable
 * (allocated without __GFP_MOVABLE, reserved or a hole: Linux's
 * has_unmovable_pages()); allocated movable pages are allowed, they are
 * for the caller to migrate.  Then the blocks done so far revert to
 * @migratetype and nothing else changes.  The per-CPU sets are drained
 * afterwards, so free pages of the range end up on the isolated lists.
 * Context: sleepable or any; takes each zone lock in turn and drains every
 * CPU's set.
 * Return: 0; -PA_EBUSY (not logged); -PA_EINVAL bad range or type,
 * -PA_ENODEV before pa_init(), -PA_EOPNOTSUPP without
 * CONFIG_PA_MEMORY_ISOLATION (one log line each).
 */
int pa_isolate_range(unsigned long start_pfn, unsigned long end_pfn, int migratetype,
		     unsigned int flags);

/**
 * pa_undo_isolate_range - give isolated pageblocks back to the allocator.
 * @start_pfn: first pfn, aligned to a pageblock.
 * @end_pfn: pfn after the last, aligned to a pageblock.
 * @migratetype: the type every block of the range gets (as Linux's
 *               undo_isolate_page_range(), the type before isolation is
 *               not remembered): PA_MIGRATE_UNMOVABLE, MOVABLE,
 *               RECLAIMABLE or CMA.
 *
 * Each block's free pages move to @migratetype's lists, merging with their
 * free buddies again.  Blocks of the range that are not isolated are left
 * alone.
 * Context: any; takes the zone lock.
 * Return: 0; -PA_EINVAL bad range or type, -PA_ENODEV, -PA_EOPNOTSUPP
 * (one log line each).
 */
int pa_undo_isolate_range(unsigned long start_pfn, unsigned long end_pfn, int migratetype);

/**
 * pa_test_pages_isolated - is all of [@start_pfn, @end_pfn) free and isolated?
 * @start_pfn: first pfn.
 * @end_pfn: pfn after the last.
 *
 * Linux's test_pages_isolated(): every page must be in a free block on the
 * isolated lists (so none is allocated or on a per-CPU set).
 * Context: any; takes the zone lock.
 * Return: 0 yes; -PA_EBUSY no (not logged); -PA_EINVAL bad range,
 * -PA_ENODEV, -PA_EOPNOTSUPP (one log line each).
 */
int pa_test_pages_isolated(unsigned long start_pfn, unsigned long end_pfn);

/**
 * pa_alloc_contig_range - allocate the pages of [@start_pfn, @end_pfn).
 * @start_pfn: first pfn (any alignment).
 * @end_pfn: pfn after the last.
 * @migratetype: PA_MIGRATE_MOVABLE, or PA_MIGRATE_CMA inside a CMA area:
 *               the type the pageblocks covering the range have afterwards.
 * @gfp: flags handed to pa_port_migrate_page() for its destinations.
 *
 * Isolates the pageblocks covering the range (unmovable pages outside the
 * range but inside those blocks do not matter), drains the per-CPU sets,
 * asks pa_port_migrate_page() to move each allocated block in the range
 * (only movable ones: anything else fails with -PA_EBUSY), takes the free
 * pages, splitting the free blocks that stick out of the range and leaving
 * their outer parts free, and undoes the isolation.  The range must lie
 * inside one zone with the pageblocks covering it.
 * On failure the isolation is undone and no page is lost: free counts are
 * as before, except for pages the hook migrated.
 * Context: sleepable when @gfp has PA__GFP_DIRECT_RECLAIM (the hook may
 * sleep), else any; takes the zone lock and drains every CPU's set.
 * Return: 0, each page of the range allocated as an order-0 page with a
 * reference count of 1 (free with pa_free_contig_range()); -PA_EBUSY a
 * page could not be freed, or the hook's own error (not logged);
 * -PA_EINVAL empty or reversed range, outside a zone or across two, bad
 * type or flags, -PA_ENODEV, -PA_EOPNOTSUPP (one log line each).
 */
int pa_alloc_contig_range(unsigned long start_pfn, unsigned long end_pfn, int migratetype,
			  pa_gfp_t gfp);

/**
 * pa_alloc_contig_pages - find and allocate @nr_pages contiguous pages.
 * @nr_pages: how many (1 or more; need not be a power of two).
 * @gfp: zone and node flags as for pa_alloc_pages(), and the flags for
 *       the migrate hook.
 * @nid: preferred node, or PA_NUMA_NO_NODE for the current CPU's.
 * @nodemask: allowed nodes, or NULL for all.
 *
 * Linux's alloc_contig_pages(): in each zone of the zonelist, tries the
 * ranges that start at a multiple of the smallest power of two >=
 * @nr_pages, skipping those with reserved or unmovable pages or CMA,
 * HIGHATOMIC or isolated blocks, with pa_alloc_contig_range(MOVABLE).
 * Context: as pa_alloc_contig_range().
 * Return: the first page (free the range with pa_free_contig_range()), or
 * NULL: no range could be taken (not logged), or bad input (one log line:
 * zero pages, bad flags or node, before pa_init(), no isolation support).
 */
struct pa_page *pa_alloc_contig_pages(unsigned long nr_pages, pa_gfp_t gfp, int nid,
				      const pa_nodemask_t *nodemask);

/**
 * pa_free_contig_range - free pages from a contiguous allocation.
 * @pfn: first pfn.
 * @nr_pages: how many.
 *
 * Drops one reference to each order-0 page of [@pfn, @pfn + @nr_pages), as
 * Linux's free_contig_range(): any range of allocated order-0 pages,
 * whichever zones and nodes it spans, not only one that
 * pa_alloc_contig_range() returned whole.  Every page is checked before
 * any is freed.
 * Context: any.
 * Return: 0; -PA_EINVAL when a page is not an allocated order-0 page or
 * the range is empty, wraps, or has a pfn without a struct page (one log
 * line, nothing freed); -PA_ENODEV before pa_init().
 */
int pa_free_contig_range(unsigned long pfn, unsigned long nr_pages);

/* ---------------------------------------------------------------- CMA */

/** struct pa_cma - a CMA area (opaque). */
struct pa_cma;

/* Areas pa_cma_declare() and pa_cma_reserve() can record (Linux's MAX_CMA_AREAS). */
#define PA_MAX_CMA_AREAS 8

/**
 * pa_cma_declare - make [@base, @base + @size) a CMA area.
 * @base: physical address, aligned to a pageblock.
 * @size: bytes, a multiple of a pageblock.
 * @name: for log lines (copied, at most 15 characters kept); NULL: "cma".
 * @out: receives the area.
 *
 * Linux's cma_declare_contiguous(): the range must be memory added with
 * pa_memblock_add() and not reserved; it is reserved now, so boot-time
 * allocations stay out of it, and at pa_init() its pageblocks become
 * MIGRATE_CMA and its pages go to the CMA free lists.  Only movable
 * allocations use them (ALLOC_CMA), until pa_cma_alloc() takes them back.
 * An area that ends up across two zones is not activated (one log line at
 * pa_init(); its pages are then ordinary memory).  The area's allocation
 * bitmap (one bit per page) comes from pa_memblock_alloc().
 * Context: boot, before pa_init().
 * Return: 0; -PA_EINVAL bad alignment or range, -PA_EEXIST overlaps
 * reserved memory or another area, -PA_ENOSPC PA_MAX_CMA_AREAS already,
 * -PA_ENOMEM no room for the bitmap, -PA_EBUSY after pa_init(),
 * -PA_EOPNOTSUPP without CONFIG_PA_CMA (one log line each).
 */
int pa_cma_declare(pa_phys_t base, pa_phys_t size, const char *name, struct pa_cma **out);

/**
 * pa_cma_reserve - find room for a CMA area of @size bytes and declare it.
 * @size: bytes, a multiple of a pageblock.
 * @nid: node to take it from, or PA_NUMA_NO_NODE for any.
 * @name: as for pa_cma_declare().
 * @out: receives the area.
 *
 * Linux's dma_contiguous_reserve(): pa_memblock_alloc() of a
 * pageblock-aligned range (the highest that fits), then pa_cma_declare().
 * Context: boot, before pa_init().
 * Return: as pa_cma_declare(); -PA_ENOMEM no free range that large.
 */
int pa_cma_reserve(pa_phys_t size, int nid, const char *name, struct pa_cma **out);

/**
 * pa_cma_alloc - allocate @count contiguous pages from a CMA area.
 * @cma: an area from pa_cma_declare() or pa_cma_reserve().
 * @count: pages, 1 to the size of the area.
 * @align: the first pfn is a multiple of 2^@align (at most the area's
 *         size).
 * @no_warn: no log line when the allocation fails.
 *
 * Linux's cma_alloc(): the first free range of the area's bitmap at that
 * alignment is taken with pa_alloc_contig_range(CMA), migrating movable
 * pages borrowed from the area; a range that cannot be taken (-PA_EBUSY)
 * is skipped for the next.
 * Context: sleepable (migration uses GFP_KERNEL).
 * Return: the first page (@count order-0 pages, each with a reference
 * count of 1), or NULL: no range (one log line unless @no_warn), or bad
 * input (one log line).
 */
struct pa_page *pa_cma_alloc(struct pa_cma *cma, unsigned long count, unsigned int align,
			     bool no_warn);

/**
 * pa_cma_release - give pages from pa_cma_alloc() back.
 * @cma: the area they came from.
 * @pages: the first page pa_cma_alloc() returned (or any page of it).
 * @count: how many pages from @pages.
 *
 * Frees them (pa_free_contig_range()) and marks them unused in the area.
 * Context: any.
 * Return: 0; -PA_EINVAL pages outside @cma or not allocated from it, bad
 * area (one log line, nothing freed); -PA_ENODEV; -PA_EOPNOTSUPP.
 */
int pa_cma_release(struct pa_cma *cma, struct pa_page *pages, unsigned long count);

#endif /* PAGEALLOC_CONTIG_H */
