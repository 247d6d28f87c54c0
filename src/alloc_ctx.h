/* SPDX-License-Identifier: MIT */
/*
 * What an allocation decodes and carries: the GFP tables (the fast
 * paths' among them), the alloc context with its zonelist walk, and the
 * watermark checks on a zone.
 */
#ifndef PA_ALLOC_CTX_H
#define PA_ALLOC_CTX_H

#include "mmzone.h"

extern const int8_t pa_gfp_zone_table[16];

/*
 * The fast paths' GFP decoding: the five bits that choose the zone and the
 * migratetype index a table (pa_fast_gfp_tab) built by pa_mobility_init() (gfp.c)
 * once grouping by mobility is settled.  An invalid combination maps to hz
 * PA_FAST_ZONE_BAD, whose first zone is always pa_no_zone, so the fast
 * path sends it to the general path without a test of its own.  The
 * table is a global of its own, not in pa_g, so that an entry is one
 * scaled-index load; it holds words (no widening) and the migratetype as
 * the offset of its list (mt * sizeof(struct pa_list)), which the per-CPU
 * hit path adds as it is.  It is indexed by the mask's low byte, the five
 * bits' entries repeated for the three above them (2 KiB where 256 bytes
 * would do), so the index is one zero-extending move, not a move and a
 * mask.
 */
#define PA_FAST_GFP_BITS (PA_GFP_ZONEMASK | PA__GFP_RECLAIMABLE)
#define PA_FAST_GFP_INDEX 0xffu
#define PA_FAST_ZONE_BAD PA_MAX_NR_ZONES
_Static_assert(PA_FAST_GFP_BITS == 31, "the fast GFP table's entries are the low five bits'");
struct pa_fast_gfp {
	uint32_t hz;   /* highest zone index, or PA_FAST_ZONE_BAD */
	uint32_t lofs; /* migratetype * sizeof(struct pa_list) */
};
extern struct pa_fast_gfp pa_fast_gfp_tab[PA_FAST_GFP_INDEX + 1];

/* Highest zone for @gfp (Linux's gfp_zone()), or -1 if invalid. */
static inline int pa_gfp_zone(pa_gfp_t gfp)
{
	return pa_gfp_zone_table[gfp & PA_GFP_ZONEMASK];
}

/*
 * __GFP_MOVABLE (bit 3) -> MIGRATE_MOVABLE 1, __GFP_RECLAIMABLE (bit 4) -> 2;
 * -1 both.  Everything is UNMOVABLE with grouping by mobility off.
 */
static inline int pa_gfp_migratetype(pa_gfp_t gfp)
{
	unsigned int mt = (gfp & PA_GFP_MOVABLE_MASK) >> 3;

	if (mt >= PA_MIGRATE_PCPTYPES)
		return -1;
	return pa_unlikely(pa_g.mobility_disabled) ? PA_MIGRATE_UNMOVABLE : (int)mt;
}
int pa_gfp_check(pa_gfp_t gfp, const char *func);

/* Linux's gfp_to_alloc_flags_cma(): movable requests may use CMA pageblocks. */
static inline unsigned int pa_alloc_flags_cma(int mt, unsigned int alloc_flags)
{
	if (IS_ENABLED(CONFIG_PA_CMA) && mt == PA_MIGRATE_MOVABLE)
		alloc_flags |= PA_ALLOC_CMA;
	return alloc_flags;
}

/* What one allocation needs to know, fixed at its start (Linux's alloc_context). */
struct pa_alloc_ctx {
	const struct pa_zonelist *zonelist;
	pa_nodemask_t nodemask;  /* PA_NODEMASK_ALL when the caller gave none */
	int highest_zoneidx;
	int migratetype;
	int preferred;           /* zonelist index of the first eligible zone; -1 none */
	bool spread_dirty_pages; /* __GFP_WRITE, fast path only */
	/*
	 * A zone whose per-CPU refill the fast path just tried and found
	 * nothing: the first walk goes on past it, as Linux's would after
	 * that rmqueue_pcplist() (NULL: none).
	 */
	const struct pa_zone *refill_failed;
};

static inline struct pa_zone *pa_zonelist_zone(const struct pa_zonelist *zl, int i)
{
	return pa_g.zone_by_id[zl->zoneid[i]];
}

/* May the allocation described by @ac take pages from zonelist entry @i? */
static inline bool pa_zoneref_eligible(const struct pa_alloc_ctx *ac, int i)
{
	unsigned int id = ac->zonelist->zoneid[i];

	return (int)(id % PA_MAX_NR_ZONES) <= ac->highest_zoneidx &&
	       (ac->nodemask & PA_NODE_BIT(id / PA_MAX_NR_ZONES));
}

/* The first eligible entry at or after @i, or -1. */
static inline int pa_next_zoneref(const struct pa_alloc_ctx *ac, int i)
{
	for (; i < ac->zonelist->nr; i++)
		if (pa_zoneref_eligible(ac, i))
			return i;
	return -1;
}

#define pa_for_each_zoneref(i, ac, from) \
	for (int i = pa_next_zoneref((ac), (from)); i >= 0; i = pa_next_zoneref((ac), i + 1))

/* Take a zone pointer; read its counters without the zone lock (a snapshot). */
bool pa_zone_wmark_ok(const struct pa_zone *z, unsigned int order, unsigned long mark,
				 int highest_zoneidx, unsigned int alloc_flags, long free_pages);
/*
 * Free pages a request may not count towards a watermark: the highatomic
 * reserve without PA_ALLOC_RESERVES, CMA pages without PA_ALLOC_CMA.
 */
static inline long pa_zone_reserved_free(const struct pa_zone *z, unsigned int alloc_flags)
{
	long n = 0;

	if (!(alloc_flags & PA_ALLOC_RESERVES))
		n += (long)PA_READ_ONCE(z->free_pages_mt[PA_MIGRATE_HIGHATOMIC]);
	if (IS_ENABLED(CONFIG_PA_CMA) && !(alloc_flags & PA_ALLOC_CMA))
		n += (long)pa_zone_free_cma(z);
	return n;
}

/* zone_watermark_fast()'s order-0 shortcut: usable free pages above the mark. */
static inline bool pa_zone_wmark_order0_ok(const struct pa_zone *z, unsigned long mark,
					   int highest_zoneidx, unsigned int alloc_flags, long free)
{
	long usable = free - PA_MIN(free, pa_zone_reserved_free(z, alloc_flags));

	return usable > (long)(mark + PA_READ_ONCE(z->lowmem_reserve[highest_zoneidx]));
}

/*
 * Compaction (compaction.c): Linux's compact_priority, which is also the
 * migrate mode (async: movable pageblocks only), and compact_result.
 */
enum { PA_COMPACT_SYNC, PA_COMPACT_SYNC_LIGHT, PA_COMPACT_ASYNC };
enum pa_compact_result {
	PA_COMPACT_CONTINUE, PA_COMPACT_SKIPPED, PA_COMPACT_COMPLETE, PA_COMPACT_SUCCESS,
};
/*
 * Linux's try_to_compact_pages(): compact the zones of @ac that
 * compaction_suitable() allows, until one has the order free.  With
 * CONFIG_PA_COMPACTION the engine, else pa_port_compact().
 */
enum pa_compact_result pa_try_to_compact_pages(pa_gfp_t gfp, unsigned int order,
					       const struct pa_alloc_ctx *ac, int prio);
/* Linux's wakeup_kcompactd(), from kswapd after a balance for @order (compaction.c). */
void pa_wakeup_kcompactd(struct pa_node *node, unsigned int order, int highest_zoneidx);
/* The metadata pa_compaction_init() carves (the skip bitmaps), and its carving. */
size_t pa_compaction_meta_bytes(void);
int pa_compaction_init(void);
/* kswapd going to sleep: the skip hints of zones whose last pass completed go. */
void pa_compaction_reset_skip(struct pa_node *node);
#ifdef CONFIG_PA_COMPACTION
/* Linux's compaction_defer_reset(): @order succeeded in @zone (allocated, with @alloc_success). */
void pa_compaction_defer_reset(struct pa_zone *zone, int order, bool alloc_success);
/* Compact @zone for @order (< 0: all of it) in @mode; adds the pages moved to *@migrated. */
enum pa_compact_result pa_compact_zone_order(struct pa_zone *zone, int order, int mode, int mt,
					     unsigned long *migrated);
#endif

bool pa_zone_wmark_fast(const struct pa_zone *z, unsigned int order, unsigned long mark,
				   int highest_zoneidx, unsigned int alloc_flags);

#endif /* PA_ALLOC_CTX_H */
