/* SPDX-License-Identifier: MIT */
/*
 * Introspection: zone counters, the /proc-format writers, a console summary
 * and the verifier.
 */
#ifndef PAGEALLOC_INFO_H
#define PAGEALLOC_INFO_H

#include <pagealloc/types.h>

/**
 * typedef pa_print_fn - where the writers send their text.
 * @ctx: the caller's context pointer, passed through.
 * @s: a chunk of text, not NUL-terminated; may hold several lines or part
 *     of one.
 * @len: its length.
 */
typedef void (*pa_print_fn)(void *ctx, const char *s, size_t len);

/**
 * struct pa_zone_counts - a snapshot of one zone's sizes and free pages.
 * @start_pfn: first pfn the zone spans.
 * @spanned: pages from the first to the last, holes included.
 * @present: pages backed by memory.
 * @managed: present pages handed to the buddy allocator (not reserved).
 * @free: pages on the free lists now, isolated ones aside (Linux's
 *        NR_FREE_PAGES).
 * @cma: pages of CMA areas in the zone (zoneinfo's "cma").
 * @free_cma: free pages on the CMA lists (NR_FREE_CMA_PAGES).
 * @nr_free: free blocks per order.
 * @wmark_min: min watermark, boost included (as /proc/zoneinfo shows it).
 * @wmark_low: low watermark, boost included.
 * @wmark_high: high watermark, boost included.
 * @wmark_promo: promo watermark, boost included.
 * @boost: watermark_boost.
 * @lowmem_reserve: pages kept from allocations whose highest zone is each
 *                  zone type (the "protection:" line).
 * @pcp_pages: free pages on the per-CPU sets of all CPUs (not in @free,
 *             as in Linux, where NR_FREE_PAGES leaves them out too).
 * @free_mt: free pages on the buddy lists of each migratetype.
 * @highatomic: pages in pageblocks reserved as HIGHATOMIC.
 */
struct pa_zone_counts {
	unsigned long start_pfn;
	unsigned long spanned;
	unsigned long present;
	unsigned long managed;
	unsigned long free;
	unsigned long nr_free[PA_NR_PAGE_ORDERS];
	unsigned long wmark_min;
	unsigned long wmark_low;
	unsigned long wmark_high;
	unsigned long wmark_promo;
	unsigned long boost;
	unsigned long lowmem_reserve[PA_MAX_NR_ZONES];
	unsigned long pcp_pages;
	unsigned long free_mt[PA_MIGRATE_TYPES];
	unsigned long highatomic;
	unsigned long cma;
	unsigned long free_cma;
};

/**
 * pa_zone_get_counts - read one zone's counters.
 * @nid: node id.
 * @zone: zone type.
 * @out: filled in.
 *
 * Context: any; takes the zone lock for a consistent snapshot.
 * Return: 0; -PA_ENODEV before pa_init(); -PA_ENOENT bad node or zone;
 * -PA_EINVAL @out NULL.
 */
int pa_zone_get_counts(int nid, enum pa_zone_type zone, struct pa_zone_counts *out);

/**
 * pa_zone_name - Linux's name of a zone type ("DMA", "DMA32", "Normal",
 * "Movable").
 * @zone: zone type.
 *
 * Context: any.
 * Return: a static string, "?" when out of range.
 */
const char *pa_zone_name(enum pa_zone_type zone);

/**
 * pa_nr_free_pages - free pages in all zones.
 *
 * Context: any; lock-free, may be slightly stale on SMP.
 * Return: the sum of the zones' free-page counters.
 */
unsigned long pa_nr_free_pages(void);

/**
 * pa_print_buddyinfo - write /proc/buddyinfo.
 * @fn: output sink.
 * @ctx: passed to @fn.
 *
 * One line per populated zone: "Node N, zone %8s" then the free block
 * count of each order, as Linux.
 * Context: any; takes each zone lock in turn (the per-CPU counts are read
 * without their locks).
 * Return: 0; -PA_ENODEV before pa_init(); -PA_EINVAL NULL @fn.
 */
int pa_print_buddyinfo(pa_print_fn fn, void *ctx);

/**
 * pa_print_zoneinfo - write /proc/zoneinfo in Linux 6.12's format.
 * @fn: output sink.
 * @ctx: passed to @fn.
 *
 * Context: any; takes each zone lock in turn (the per-CPU counts are read
 * without their locks).
 * Return: 0; -PA_ENODEV before pa_init(); -PA_EINVAL NULL @fn.
 */
int pa_print_zoneinfo(pa_print_fn fn, void *ctx);

/**
 * pa_print_pagetypeinfo - write /proc/pagetypeinfo in Linux 6.12's format.
 * @fn: output sink.
 * @ctx: passed to @fn.
 *
 * For each node with memory: the pageblock order and size, the free block
 * count of each (populated zone, migratetype, order) -- a list is counted
 * up to 100000 blocks, then shown as ">100000" -- and the number of
 * pageblocks of each migratetype in each zone.
 * Context: any; takes each zone lock in turn, never calls @fn under it.
 * Return: 0; -PA_ENODEV before pa_init(); -PA_EINVAL NULL @fn.
 */
int pa_print_pagetypeinfo(pa_print_fn fn, void *ctx);

/**
 * pa_print_extfrag_index - write Linux's debugfs extfrag/extfrag_index.
 * @fn: output sink.
 * @ctx: passed to @fn.
 *
 * One line per populated zone: "Node N, zone %8s" then, per order, the
 * fragmentation index as "%2d.%03d": -1.000 when a block of that order is
 * free, towards 0 when an allocation would fail for lack of memory,
 * towards 1 when it would fail for fragmentation.
 * Context: any; takes each zone lock in turn, never calls @fn under it.
 * Return: 0; -PA_ENODEV before pa_init(); -PA_EINVAL NULL @fn.
 */
int pa_print_extfrag_index(pa_print_fn fn, void *ctx);

/**
 * pa_print_unusable_index - write Linux's debugfs extfrag/unusable_index.
 * @fn: output sink.
 * @ctx: passed to @fn.
 *
 * One line per populated zone: "Node N, zone %8s" then, per order, the
 * share of free pages that are in blocks too small for that order, as
 * "%d.%03d" (1.000 when nothing is free).
 * Context: any; takes each zone lock in turn, never calls @fn under it.
 * Return: 0; -PA_ENODEV before pa_init(); -PA_EINVAL NULL @fn.
 */
int pa_print_unusable_index(pa_print_fn fn, void *ctx);

/**
 * pa_show_free_areas - write a short summary of free memory for a console.
 * @fn: output sink.
 * @ctx: passed to @fn.
 *
 * The short form, a few lines per zone, beside the Linux /proc formats
 * above: what Linux 6.12's show_free_areas() prints (sysrq-m, the OOM
 * report), restricted to the figures this allocator has.  "Mem-Info:",
 * then "free:%lu free_pcp:%lu free_cma:%lu" (pages, all zones); per
 * populated zone "Node N Zone free:..kB boost:..kB min:..kB low:..kB
 * high:..kB reserved_highatomic:..KB present:..kB managed:..kB
 * free_pcp:..kB free_cma:..kB" (the marks with the boost, as Linux's
 * min_wmark_pages()) and "lowmem_reserve[]: N N ..." (pages, one per zone
 * type); then per populated zone "Node N Zone: " and, for each order,
 * "count*sizekB " followed, when count is not 0, by "(letters) " naming
 * the non-empty free lists of that order (U unmovable, M movable, E
 * reclaimable, H highatomic, C CMA, I isolate), and "= totalkB".  No page
 * cache line.
 * Context: any; takes each zone lock in turn, never calls @fn under it
 * (the per-CPU counts are read without their locks).
 * Return: 0; -PA_ENODEV before pa_init(); -PA_EINVAL NULL @fn.
 */
int pa_show_free_areas(pa_print_fn fn, void *ctx);

/**
 * struct pa_meminfo - what the allocator's own metadata costs.
 * @memmap_bytes: struct pa_page arrays.
 * @table_bytes: section tables (including pageblock bits).
 * @present_pages: pages backed by memory, all nodes.
 * @managed_pages: pages handed to the buddy allocator.
 * @nr_sections: present memory sections.
 */
struct pa_meminfo {
	size_t memmap_bytes;
	size_t table_bytes;
	unsigned long present_pages;
	unsigned long managed_pages;
	unsigned long nr_sections;
};

/**
 * pa_get_meminfo - the metadata cost of the running configuration.
 * @out: filled in.
 *
 * Context: any.
 * Return: 0; -PA_ENODEV before pa_init(); -PA_EINVAL NULL @out.
 */
int pa_get_meminfo(struct pa_meminfo *out);

/**
 * pa_check - verify every free list, page state and counter.
 *
 * Walks each zone under its lock: list linkage, that every listed block is
 * a free, aligned buddy head of the list's order and migratetype inside
 * its zone, that no two free blocks overlap, that every buddy-flagged page
 * is listed, and that nr_free and the free-page counters match what the
 * lists hold.  Logs the first inconsistency found.  Linear in the number
 * of pages; meant for tests and debug kernels.
 * Context: process context with interrupts enabled, as a drain of other
 * CPUs: takes each zone lock in turn and every per-CPU set of the zone
 * (with CONFIG_PA_PCP_REMOTE_BARRIER through pa_port_remote_barrier(),
 * which waits for the other CPUs).
 * Return: 0 if consistent; -PA_EUCLEAN on the first inconsistency;
 * -PA_ENODEV before pa_init().
 */
int pa_check(void);

#endif /* PAGEALLOC_INFO_H */
