/* SPDX-License-Identifier: MIT */
/*
 * Declarations shared by the files of src/, grouped by the file that
 * defines them, in layer order (src/layers.txt): base, memory model,
 * buddy core, entry, leaves.  The types and inline helpers are in the
 * headers below, one per concern; the per-CPU sets' interface is pcp.h,
 * the range machinery's contig.h.  Not installed.
 *
 * Comments in src/ that cite Linux mean Linux 6.12 and 6.18, the
 * long-term kernels whose behaviour and figures the library reproduces.
 */
#ifndef PAGEALLOC_INTERNAL_H
#define PAGEALLOC_INTERNAL_H

#include <pagealloc/pagealloc.h>
#include <pagealloc/port.h>
#include "compiler.h"
#include "log.h"
#include "local_ops.h"
#include "list.h"
#include "mmzone.h"
#include "page_flags.h"
#include "debug.h"
#include "freelist.h"
#include "alloc_ctx.h"
#include "counters.h"
#include "pcp.h"
#include "contig.h"

/* ---- state.c, port_default.c (base) */
void pa_tunables_defaults(void); /* Linux's values, once: idempotent */
/* Does the kernel run kswapd (it defined pa_port_wake_kswapd())? */
bool pa_kswapd_present(void);

/* ---- memblock.c (memory model) */
/* Iterate the free (memory minus reserved) ranges of @nid, in pfns. */
typedef void (*pa_range_fn)(void *arg, int nid, unsigned long start_pfn, unsigned long end_pfn);
void pa_memblock_for_each_free(pa_range_fn fn, void *arg);
int pa_memblock_alloc_locked(pa_phys_t size, pa_phys_t align, int nid, pa_phys_t *pa);

/* ---- sparse.c (memory model) */
/* Metadata memory: from the memmap buffer, else memblock; 64-byte aligned. */
void *pa_meta_alloc(size_t size, int nid);
/* Bytes of section tables and mem_map pa_sparse_init() will take. */
size_t pa_sparse_meta_bytes(void);
/* Allocate section tables and mem_map, with room for @more bytes after them. */
int pa_sparse_init(size_t more);
/* Drop the fast free's lookups (the fast run, the flat section array): they see no page. */
void pa_sparse_fast_forget(void);
void pa_sparse_init_pages(void);  /* write every struct page (zones must be set up) */
bool pa_page_ptr_valid(const struct pa_page *page);
/*
 * A public entry's @page argument: 0 for one of our struct pages, else one
 * log line in @func's name and -PA_ENODEV (before pa_init()) or -PA_EFAULT
 * (NULL or any other pointer).
 */
int pa_page_arg_check(const struct pa_page *page, const char *func);
/* The zone holding all of [start, end), or NULL with *@err set and one line logged. */
struct pa_zone *pa_range_zone(unsigned long start, unsigned long end, const char *func, int *err);
/* The same without the pa_init() check, and no log line with a NULL @func (CMA activation). */
struct pa_zone *pa_range_zone_init(unsigned long start, unsigned long end, const char *func,
				   int *err);
/* Head pfn of the free or allocated block covering @pfn; @pfn when none does. */
unsigned long pa_block_head_pfn(unsigned long pfn);

/* ---- buddy.c (buddy core); the _locked helpers need zone->lock held */
/* Take a block from @zone's buddy lists, highatomic reserve included (Linux's rmqueue_buddy()). */
struct pa_page *pa_rmqueue_buddy(struct pa_zone *zone, unsigned int order,
				 unsigned int alloc_flags, int mt);
void pa_free_one_page_locked(struct pa_zone *zone, struct pa_page *page, unsigned long pfn,
			     unsigned int order, int mt);
struct pa_page *pa_rmqueue_smallest_locked(struct pa_zone *zone, unsigned int order, int mt);

/* ---- mobility.c (buddy core) */
/* The smallest block of @order for @mt: its own lists, CMA, then fallback (Linux's __rmqueue()). */
struct pa_page *pa_rmqueue_locked(struct pa_zone *zone, unsigned int order, int mt,
				  unsigned int alloc_flags);
void pa_reserve_highatomic(struct pa_zone *zone, struct pa_page *page, unsigned int order);
struct pa_alloc_ctx;
bool pa_unreserve_highatomic(const struct pa_alloc_ctx *ac, bool force);
/*
 * Call @fn for each free block of the pageblock at @start, in pfn order,
 * with @arg; @fn may unlist, relist or free the block (its order was
 * read before).  Zone lock held.  Return: the pages of the blocks.
 */
typedef void (*pa_free_block_fn)(struct pa_zone *zone, struct pa_page *page, unsigned long pfn,
				 unsigned int order, const int *arg);
unsigned long pa_walk_free_blocks_locked(struct pa_zone *zone, unsigned long start,
					 pa_free_block_fn fn, const int *arg);
/* Move the pageblock's free blocks from @old's lists to @new's, retype it; pages moved. */
unsigned long pa_move_freepages_block_locked(struct pa_zone *zone, unsigned long start, int old,
					     int new);

/* ---- gfp.c, zonelist.c, watermark.c (entry) */
/* At pa_init(): grouping by mobility on or off, and the fast paths' GFP table. */
void pa_mobility_init(unsigned long total_pages);
void pa_build_all_zonelists(void);
int pa_cpu_node(void); /* the current CPU's node */
void pa_calculate_min_free_kbytes(void);
void pa_setup_per_zone_wmarks(void);
void pa_setup_per_zone_lowmem_reserve(void);
void pa_set_recommended_min_free_kbytes(void); /* khugepaged's, for pa_g.thp */
unsigned long pa_int_sqrt(unsigned long x);

/* ---- alloc.c, slowpath.c, free.c (entry) */
struct pa_page *pa_get_page_from_freelist(pa_gfp_t gfp, unsigned int order,
					  unsigned int alloc_flags, const struct pa_alloc_ctx *ac);
struct pa_page *pa_alloc_slowpath(pa_gfp_t gfp, unsigned int order, struct pa_alloc_ctx *ac);
/* pa_free_pages() for the public entry @func called from @site (range.c). */
int pa_free_pages_site(struct pa_page *page, unsigned int order, uintptr_t site, const char *func);
/* pa_put_page() without its trace event, for a reference the library took itself (compaction). */
int pa_put_page_untraced(struct pa_page *page);

/* ---- kswapd.c, compaction.c (entry) */
void pa_wake_all_kswapds(unsigned int order, pa_gfp_t gfp, const struct pa_alloc_ctx *ac);
void pa_kswapd_reset_failures(int nid);
/* A fallback boosted @zone (PA_ZONE_BOOSTED_WATERMARK): clear the flag and wake kswapd, once. */
void pa_clear_boosted(struct pa_zone *zone);
bool pa_compaction_suitable_zone(const struct pa_zone *z, unsigned int order, int highest_zoneidx,
				 unsigned long wmark_target);
int pa_fragindex(const struct pa_zone *z, unsigned int order);

/* ---- debug_page.c (leaf) */
/* Report a bad page met by the public entry @func (Linux's bad_page()). */
void pa_bad_page(const struct pa_page *page, unsigned long pfn, const char *reason,
		 const char *func);
/* "flag|flag" names of the state bits in @flags. */
void pa_page_flags_string(uint32_t flags, char *buf, size_t size);

#endif /* PAGEALLOC_INTERNAL_H */
