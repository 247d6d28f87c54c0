/* SPDX-License-Identifier: MIT */
/*
 * The per-CPU sets' interface (pcp.c, built with CONFIG_PA_PCP).  Without
 * it, each call is an inline no-op: nothing is kept per CPU, no set is
 * found (the callers then use the buddy lists), every free goes to the
 * buddy lists and the counters read zero.  The fast paths' own interface
 * to the sets is in pcp_fast.h.
 */
#ifndef PA_PCP_H
#define PA_PCP_H

enum pa_pcp_event { PA_PCP_EV_ALLOC, PA_PCP_EV_FREE, PA_PCP_EV_LOCAL, PA_PCP_EV_OTHER };

/* Takes the zone lock; @pb is @pfn's pageblock byte if the caller has it, else NULL (buddy.c). */
int pa_buddy_free_block(struct pa_zone *zone, struct pa_page *page, unsigned long pfn,
			unsigned int order, const uint8_t *pb);

#ifdef CONFIG_PA_PCP
size_t pa_pcp_meta_bytes(void);  /* metadata pa_pcp_init() will take */
int pa_pcp_init(void);           /* carve and set up every zone's sets */
void pa_pcp_update_all(void);    /* batch/high after a watermark or CPU change */
/* Set a zone flag the sets' high follows (PA_ZONE_BELOW_HIGH, PA_ZONE_RECLAIM_ACTIVE). */
void pa_pcp_zone_flag_set(struct pa_zone *zone, unsigned long flag);
/* Linux's decay_pcp_high() for this CPU's sets; true while one is above high_min or was drained. */
bool pa_pcp_decay_local(void);
/*
 * A block from this CPU's set of @zone, refilled from the buddy lists;
 * NULL with *@busy set when the set is busy (or this CPU has none), for
 * the caller to use the buddy lists.  Not counted: the caller counts it.
 */
struct pa_page *pa_rmqueue_pcplist(struct pa_zone *zone, unsigned int order, int mt,
				   unsigned int alloc_flags, bool *busy);
/* Fill up to @nr NULL slots of @array from this CPU's set of @zone: the pages taken. */
unsigned int pa_rmqueue_pcp_bulk(struct pa_zone *preferred, struct pa_zone *zone, int mt,
				 unsigned int alloc_flags, unsigned int nr, struct pa_page **array);
/* A block whose last reference is gone, to this CPU's set (the buddy lists if busy). */
void pa_free_to_pcp(struct pa_page *page, unsigned long pfn, unsigned int order, const char *func);
void pa_pcp_drain_cpu(unsigned int cpu);
/* Pages on @zone's sets, read without their locks. */
unsigned long pa_pcp_zone_pages(const struct pa_zone *zone);
/* @cpu's set of @zone as pa_pcp_get() reports it; -PA_ENOENT for a zone without sets. */
int pa_pcp_read(const struct pa_zone *zone, unsigned int cpu, struct pa_pcp_info *out);
/* The verifier: every set of @zone against its count; the pages and blocks they hold. */
int pa_check_pcp(const struct pa_zone *zone, unsigned long *pages, unsigned long *blocks);
unsigned long pa_pcp_event_sum(unsigned int zoneid, enum pa_pcp_event item);
void pa_pcp_events_reset(void);
/* Every set of @zone locked (the verifier's view), @flags one word per CPU. */
void pa_pcp_lock_zone(struct pa_zone *zone, unsigned long *flags);
void pa_pcp_unlock_zone(struct pa_zone *zone, const unsigned long *flags);
#else
static inline size_t pa_pcp_meta_bytes(void) { return 0; }
static inline int pa_pcp_init(void) { return 0; }
static inline void pa_pcp_update_all(void) {}
static inline void pa_pcp_zone_flag_set(struct pa_zone *zone, unsigned long flag)
{
	pa_zone_set_flag(zone, flag);
}
static inline bool pa_pcp_decay_local(void) { return false; }
static inline struct pa_page *pa_rmqueue_pcplist(struct pa_zone *zone, unsigned int order,
						 int mt, unsigned int alloc_flags, bool *busy)
{
	(void)zone, (void)order, (void)mt, (void)alloc_flags;
	*busy = true;
	return NULL;
}
static inline unsigned int pa_rmqueue_pcp_bulk(struct pa_zone *preferred, struct pa_zone *zone,
					       int mt, unsigned int alloc_flags, unsigned int nr,
					       struct pa_page **array)
{
	(void)preferred, (void)zone, (void)mt, (void)alloc_flags, (void)nr, (void)array;
	return 0;
}
static inline void pa_free_to_pcp(struct pa_page *page, unsigned long pfn, unsigned int order,
				  const char *func)
{
	(void)func;
	pa_buddy_free_block(pa_page_zone(page), page, pfn, order, NULL);
}
static inline void pa_pcp_drain_cpu(unsigned int cpu) { (void)cpu; }
static inline unsigned long pa_pcp_zone_pages(const struct pa_zone *zone)
{
	(void)zone;
	return 0;
}
static inline int pa_pcp_read(const struct pa_zone *zone, unsigned int cpu,
			      struct pa_pcp_info *out)
{
	(void)zone, (void)cpu, (void)out;
	return -PA_ENOENT;
}
static inline int pa_check_pcp(const struct pa_zone *zone, unsigned long *pages,
			       unsigned long *blocks)
{
	(void)zone;
	*pages = *blocks = 0;
	return 0;
}
static inline unsigned long pa_pcp_event_sum(unsigned int zoneid, enum pa_pcp_event item)
{
	(void)zoneid, (void)item;
	return 0;
}
static inline void pa_pcp_events_reset(void) {}
static inline void pa_pcp_lock_zone(struct pa_zone *zone, unsigned long *flags)
{
	(void)zone, (void)flags;
}
static inline void pa_pcp_unlock_zone(struct pa_zone *zone, const unsigned long *flags)
{
	(void)zone, (void)flags;
}
#endif /* CONFIG_PA_PCP */

#endif /* PA_PCP_H */
