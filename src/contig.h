/* SPDX-License-Identifier: MIT */
/*
 * The interface of the range machinery: pageblock isolation (isolate.c)
 * and contiguous allocation (contig.c), built with
 * CONFIG_PA_MEMORY_ISOLATION, and CMA areas (cma.c), built with
 * CONFIG_PA_CMA.  Without the option each call is an inline stub: the
 * public calls (range.c) refuse before reaching one.
 */
#ifndef PA_CONTIG_H
#define PA_CONTIG_H

/* ---- range.c (always built) */
/* A range just allocated from @site: trace events and page_owner, page by page. */
void pa_contig_allocated(unsigned long pfn, unsigned long nr_pages, pa_gfp_t gfp, uintptr_t site);
/* pa_free_contig_range() for the public entry @func, called from @site. */
int pa_free_contig_site(unsigned long pfn, unsigned long nr_pages, const char *func,
			uintptr_t site);
/* ---- init.c */
/* Free [start, end) of node @nid to its zones at boot, counting them managed. */
void pa_free_boot_range(int nid, unsigned long start, unsigned long end);

#ifdef CONFIG_PA_MEMORY_ISOLATION
/* ---- isolate.c */
/*
 * Isolate the pageblocks of [start, end) of @zone (pageblock aligned);
 * unmovable pages count only inside [check_start, check_end).  Takes the
 * zone lock per block; does not drain.  Return: 0 or -PA_EBUSY (undone).
 */
int pa_isolate_zone_range(struct pa_zone *zone, unsigned long start, unsigned long end,
			  unsigned long check_start, unsigned long check_end, int mt,
			  unsigned int flags);
void pa_undo_isolate_zone_range(struct pa_zone *zone, unsigned long start, unsigned long end,
				int mt);
/* Linux's test_pages_isolated() under the zone lock: is all of [start, end) on isolated lists? */
bool pa_range_isolated_locked(unsigned long start, unsigned long end);
/* ---- contig.c */
/* pa_alloc_contig_range() on a checked range of @zone: isolate, drain, migrate, take. */
int pa_alloc_contig_zone(struct pa_zone *zone, unsigned long start, unsigned long end, int mt,
			 pa_gfp_t gfp);
#else
static inline int pa_isolate_zone_range(struct pa_zone *zone, unsigned long start,
					unsigned long end, unsigned long check_start,
					unsigned long check_end, int mt, unsigned int flags)
{
	(void)zone, (void)start, (void)end, (void)check_start, (void)check_end, (void)mt,
		(void)flags;
	return -PA_EOPNOTSUPP;
}
static inline void pa_undo_isolate_zone_range(struct pa_zone *zone, unsigned long start,
					      unsigned long end, int mt)
{
	(void)zone, (void)start, (void)end, (void)mt;
}
static inline bool pa_range_isolated_locked(unsigned long start, unsigned long end)
{
	(void)start, (void)end;
	return false;
}
static inline int pa_alloc_contig_zone(struct pa_zone *zone, unsigned long start,
				       unsigned long end, int mt, pa_gfp_t gfp)
{
	(void)zone, (void)start, (void)end, (void)mt, (void)gfp;
	return -PA_EOPNOTSUPP;
}
#endif /* CONFIG_PA_MEMORY_ISOLATION */

#ifdef CONFIG_PA_CMA
/* ---- cma.c: the public calls' work, their log lines in @func's name */
/* At pa_init(), after the free memory: activate the CMA areas and free their pages. */
void pa_cma_init(void);
int pa_cma_declare_area(pa_phys_t base, pa_phys_t size, const char *name, struct pa_cma **out,
			const char *func);
int pa_cma_reserve_area(pa_phys_t size, int nid, const char *name, struct pa_cma **out,
			const char *func);
struct pa_page *pa_cma_alloc_area(struct pa_cma *cma, unsigned long count, unsigned int align,
				  bool no_warn, const char *func, uintptr_t site);
int pa_cma_release_area(struct pa_cma *cma, struct pa_page *pages, unsigned long count,
			const char *func, uintptr_t site);
#else
static inline void pa_cma_init(void) {}
static inline int pa_cma_declare_area(pa_phys_t base, pa_phys_t size, const char *name,
				      struct pa_cma **out, const char *func)
{
	(void)base, (void)size, (void)name, (void)out, (void)func;
	return -PA_EOPNOTSUPP;
}
static inline int pa_cma_reserve_area(pa_phys_t size, int nid, const char *name,
				      struct pa_cma **out, const char *func)
{
	(void)size, (void)nid, (void)name, (void)out, (void)func;
	return -PA_EOPNOTSUPP;
}
static inline struct pa_page *pa_cma_alloc_area(struct pa_cma *cma, unsigned long count,
						unsigned int align, bool no_warn, const char *func,
						uintptr_t site)
{
	(void)cma, (void)count, (void)align, (void)no_warn, (void)func, (void)site;
	return NULL;
}
static inline int pa_cma_release_area(struct pa_cma *cma, struct pa_page *pages,
				      unsigned long count, const char *func, uintptr_t site)
{
	(void)cma, (void)pages, (void)count, (void)func, (void)site;
	return -PA_EOPNOTSUPP;
}
#endif /* CONFIG_PA_CMA */

#endif /* PA_CONTIG_H */
