/* SPDX-License-Identifier: MIT */
/*
 * The debug services the other layers call (page poisoning, page_owner,
 * the trace hook): their entry points, and the inline wrappers that
 * compile to nothing when an option is off.
 */
#ifndef PA_DEBUG_H
#define PA_DEBUG_H

#include "page_flags.h"

#define PA_DEBUG_PAGES (IS_ENABLED(CONFIG_PA_PAGE_POISONING) || IS_ENABLED(CONFIG_PA_PAGE_OWNER))
#define PA_RET_IP ((uintptr_t)__builtin_return_address(0))
/*
 * The page_owner site of a public entry: its caller, or 0 without
 * page_owner, so that the paths that pass it down compute nothing.
 */
#define PA_OWNER_SITE (IS_ENABLED(CONFIG_PA_PAGE_OWNER) ? PA_RET_IP : (uintptr_t)0)

/* Poison a block whose last reference is gone, before it is listed anywhere. */
void pa_poison_free_block(struct pa_page *page, unsigned long pfn, unsigned int order);
/* Check and clear the poison of the pages of a block being handed out. */
void pa_check_poison(struct pa_page *page, unsigned int order);
/* A block is being handed out: check its poison, start its owner record. */
void pa_debug_alloc_prep(struct pa_page *page, unsigned int order);
/* Owner record: the caller of the public entry that allocated / freed @page. */
void pa_page_owner_set_alloc(struct pa_page *page, pa_gfp_t gfp, uintptr_t site);
void pa_page_owner_set_free(const struct pa_page *page, uintptr_t site);
/* ", allocated by [<site>] order N seq S, freed by [<site>]" or "" (bad-page reports). */
void pa_page_owner_describe(const struct pa_page *page, char *buf, size_t size);
size_t pa_page_owner_meta_bytes(unsigned long nr_pages);
int pa_page_owner_section_init(struct pa_mem_section *ms, unsigned long nr_pages, int nid);

/* The public allocation entries return through this (zero cost when off). */
static inline struct pa_page *pa_owner_alloc(struct pa_page *page, pa_gfp_t gfp, uintptr_t site)
{
	if (IS_ENABLED(CONFIG_PA_PAGE_OWNER) && page)
		pa_page_owner_set_alloc(page, gfp, site);
	return page;
}

/* The free paths call this when @page's last reference goes, before the block is freed. */
static inline void pa_owner_freed(const struct pa_page *page, uintptr_t site)
{
	if (IS_ENABLED(CONFIG_PA_PAGE_OWNER))
		pa_page_owner_set_free(page, site);
}

void pa_trace_alloc_event(const struct pa_page *page, pa_gfp_t gfp, unsigned int order, int nid,
			  bool bulk);
void pa_trace_page_event(enum pa_trace_op op, const struct pa_page *page, unsigned int order);
void pa_trace_migrate_event(const struct pa_page *src, const struct pa_page *dst, unsigned int order);

/*
 * The entry points' one-line calls: with CONFIG_PA_TRACE they hand an
 * event to pa_port_trace(), without it they compile to nothing.
 * pa_trace_alloc() returns @page so that it can wrap the allocation.
 */
static inline struct pa_page *pa_trace_alloc(struct pa_page *page, pa_gfp_t gfp,
					     unsigned int order, int nid)
{
	if (IS_ENABLED(CONFIG_PA_TRACE))
		pa_trace_alloc_event(page, gfp, order, nid, false);
	return page;
}

/* A page pa_alloc_pages_bulk() took from a per-CPU set ("bulk" in the trace). */
static inline void pa_trace_bulk(const struct pa_page *page, pa_gfp_t gfp, int nid)
{
	if (IS_ENABLED(CONFIG_PA_TRACE))
		pa_trace_alloc_event(page, gfp, 0, nid, true);
}

/* pa_port_migrate_page() moved @src to @dst ("m" in the trace). */
static inline void pa_trace_migrate(const struct pa_page *src, const struct pa_page *dst,
				    unsigned int order)
{
	if (IS_ENABLED(CONFIG_PA_TRACE))
		pa_trace_migrate_event(src, dst, order);
}

static inline void pa_trace_page(enum pa_trace_op op, const struct pa_page *page,
				 unsigned int order)
{
	if (IS_ENABLED(CONFIG_PA_TRACE))
		pa_trace_page_event(op, page, order);
}

#endif /* PA_DEBUG_H */
