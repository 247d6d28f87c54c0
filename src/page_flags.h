/* SPDX-License-Identifier: MIT */
/*
 * struct pa_page's flags word (state bits, order, zone id, section), the
 * section lookups, pfn <-> page, the fast run's pointer check and the
 * pageblock bytes.
 */
#ifndef PA_PAGE_FLAGS_H
#define PA_PAGE_FLAGS_H

#include "mmzone.h"

#define PA_PG_ORDER_MASK ((1u << PA_PG_ORDER_BITS) - 1)
#define PA_PG_STATE_MASK ((1u << PA_PG_buddy) | (1u << PA_PG_head) | (1u << PA_PG_pcp))

static inline bool pa_is_migrate_cma(int mt)
{
#ifdef CONFIG_PA_CMA
	return mt == PA_MIGRATE_CMA;
#else
	(void)mt;
	return false;
#endif
}

static inline bool pa_is_migrate_isolate(int mt)
{
#ifdef CONFIG_PA_MEMORY_ISOLATION
	return mt == PA_MIGRATE_ISOLATE;
#else
	(void)mt;
	return false;
#endif
}
#define PA_PG_ZONEID_MASK ((1u << PA_PG_ZONEID_BITS) - 1)
#define PA_PG_SECTION_MASK ((1u << PA_PG_SECTION_BITS) - 1)

/* page->flags: written by its owner, read by a neighbour's merge under another lock. */
static inline uint32_t pa_page_flags(const struct pa_page *p)
{
	return PA_READ_ONCE(p->flags);
}

static inline void pa_page_set_flags(struct pa_page *p, uint32_t v)
{
	PA_WRITE_ONCE(p->flags, v);
}

static inline bool pa_page_test(const struct pa_page *p, enum pa_page_flag f)
{
	return pa_page_flags(p) & (1u << f);
}

static inline void pa_page_set(struct pa_page *p, enum pa_page_flag f)
{
	pa_page_set_flags(p, pa_page_flags(p) | 1u << f);
}

static inline void pa_page_clear(struct pa_page *p, enum pa_page_flag f)
{
	pa_page_set_flags(p, pa_page_flags(p) & ~(1u << f));
}

static inline unsigned int pa_page_order(const struct pa_page *p)
{
	return (pa_page_flags(p) >> PA_PG_ORDER_SHIFT) & PA_PG_ORDER_MASK;
}

/* @flags with the state bits (PG_movable included) and the order replaced. */
static inline uint32_t pa_flags_with_state(uint32_t flags, uint32_t state, unsigned int order)
{
	const uint32_t clear = PA_PG_STATE_MASK | (1u << PA_PG_movable) |
			       (PA_PG_ORDER_MASK << PA_PG_ORDER_SHIFT);

	return (flags & ~clear) | state | (order << PA_PG_ORDER_SHIFT);
}

static inline void pa_page_set_state(struct pa_page *p, uint32_t state, unsigned int order)
{
	pa_page_set_flags(p, pa_flags_with_state(pa_page_flags(p), state, order));
}

static inline void pa_page_set_order(struct pa_page *p, unsigned int order)
{
	pa_page_set_flags(p, (pa_page_flags(p) & ~(PA_PG_ORDER_MASK << PA_PG_ORDER_SHIFT)) |
			     (order << PA_PG_ORDER_SHIFT));
}

static inline unsigned int pa_page_zoneid(const struct pa_page *p)
{
	return (pa_page_flags(p) >> PA_PG_ZONEID_SHIFT) & PA_PG_ZONEID_MASK;
}

/* The section number in the flags word @flags. */
static inline unsigned long pa_flags_section(uint32_t flags)
{
	return (flags >> PA_PG_SECTION_SHIFT) & PA_PG_SECTION_MASK;
}

static inline unsigned long pa_page_section(const struct pa_page *p)
{
	return pa_flags_section(pa_page_flags(p));
}

static inline struct pa_zone *pa_page_zone(const struct pa_page *p)
{
	return pa_g.zone_by_id[pa_page_zoneid(p)];
}

static inline uint32_t pa_page_flags_init(unsigned int zoneid, unsigned long section)
{
	return ((uint32_t)zoneid << PA_PG_ZONEID_SHIFT) | ((uint32_t)section << PA_PG_SECTION_SHIFT);
}


static inline struct pa_mem_section *pa_nr_to_section(unsigned long nr)
{
	return pa_g.section_root[nr / PA_SECTIONS_PER_LEAF] + nr % PA_SECTIONS_PER_LEAF;
}

/*
 * Section @nr from the two-level table, or NULL when its leaf is absent
 * (nr_section_roots is 0 while there is no table).
 */
static inline struct pa_mem_section *pa_section_lookup(unsigned long nr)
{
	unsigned long root = nr / PA_SECTIONS_PER_LEAF;

	if (root >= pa_g.nr_section_roots || !pa_g.section_root[root])
		return NULL;
	return pa_g.section_root[root] + nr % PA_SECTIONS_PER_LEAF;
}

/* The section of @pfn, or NULL when it has no struct pages at all. */
static inline struct pa_mem_section *pa_pfn_section(unsigned long pfn)
{
	struct pa_mem_section *ms = pa_section_lookup(pfn >> PA_PFN_SECTION_SHIFT);

	return ms && ms->map_base ? ms : NULL;
}

/* Does every pfn of [@start, @end) have a struct page (pa_pfn_valid())? */
bool pa_pfn_range_valid(unsigned long start, unsigned long end);

/* pfn -> page without validity checks: the pfn must have a struct page. */
static inline struct pa_page *pa_pfn_to_page_fast(unsigned long pfn)
{
	struct pa_mem_section *ms = pa_nr_to_section(pfn >> PA_PFN_SECTION_SHIFT);

	return (struct pa_page *)ms->map_base + (pfn & (PA_PAGES_PER_SECTION - 1));
}

static inline unsigned long pa_page_to_pfn_fast(const struct pa_page *page)
{
	unsigned long nr = pa_page_section(page);
	struct pa_mem_section *ms = pa_nr_to_section(nr);

	return (nr << PA_PFN_SECTION_SHIFT) + (unsigned long)(page - (struct pa_page *)ms->map_base);
}

/*
 * The section of @page when it points at a struct page of mem_map (aligned,
 * inside its section's map), with *@idx its offset in the section and
 * *@flags the flags word it read; NULL otherwise.  Reads @page's flags for
 * the section number first, so the pointer must be readable, as for any
 * pointer handed to the free path.  The frame is pa_flags_pfn(*@flags, *@idx).
 * With @flat_only (the fast free paths), a section outside the flat array
 * gives NULL too, and the caller's general path looks again.
 */
static PA_ALWAYS_INLINE const struct pa_mem_section *
pa_page_locate_in(const struct pa_page *page, unsigned long *idx, uint32_t *flags, bool flat_only)
{
	const struct pa_mem_section *ms;
	unsigned long i;

	if (!page || ((uintptr_t)page & (sizeof(*page) - 1)))
		return NULL;
	*flags = pa_page_flags(page);
	i = pa_flags_section(*flags) - pa_g.section_flat_min;
	if (pa_likely(i < pa_g.nr_section_flat))
		ms = pa_g.section_flat[i];
	else if (flat_only || !(ms = pa_section_lookup(pa_flags_section(*flags))))
		return NULL;
	/*
	 * Below the map the difference wraps around and fails the bound; a
	 * section without a map has map_bytes == 0.
	 */
	if ((uintptr_t)page - ms->map_first >= ms->map_bytes)
		return NULL;
	*idx = ((uintptr_t)page - ms->map_base) / sizeof(*page);
	PA_ASSUME(*idx < PA_PAGES_PER_SECTION); /* inside the map, so inside the section */
	return ms;
}

/* The frame of the page at offset @idx of the section named in @flags. */
static inline unsigned long pa_flags_pfn(uint32_t flags, unsigned long idx)
{
	return (pa_flags_section(flags) << PA_PFN_SECTION_SHIFT) + idx;
}

/* pa_page_locate_in() with *@pfn the page's frame. */
static inline const struct pa_mem_section *pa_page_locate(const struct pa_page *page,
							   unsigned long *pfn, uint32_t *flags)
{
	unsigned long idx;
	const struct pa_mem_section *ms = pa_page_locate_in(page, &idx, flags, false);

	if (ms)
		*pfn = pa_flags_pfn(*flags, idx);
	return ms;
}

/* The byte of @pfn's pageblock in its section @ms.  @pfn may be the offset in the section. */
static inline const uint8_t *pa_section_pageblock(const struct pa_mem_section *ms,
						  unsigned long pfn)
{
	return &ms->pageblock_flags[(pfn & (PA_PAGES_PER_SECTION - 1)) >> PA_PAGEBLOCK_ORDER];
}

/*
 * The migratetype in pageblock byte @pb.  Read without the zone lock by
 * the per-CPU free path, as Linux's get_pfnblock_flags_mask(), and under
 * it by pa_buddy_free_block().  The byte holds the type alone
 * (pa_set_pageblock_migratetype() masks what it stores), so it is read
 * unmasked.
 */
static inline unsigned int pa_pageblock_mt(const uint8_t *pb)
{
	return PA_READ_ONCE(*pb);
}

/* The migratetype of @pfn's pageblock, from its section @ms (@pfn as above). */
static inline unsigned int pa_section_pageblock_mt(const struct pa_mem_section *ms,
						   unsigned long pfn)
{
	return pa_pageblock_mt(pa_section_pageblock(ms, pfn));
}

/*
 * Is @page a struct page of the fast run?  Then *@i is its index there
 * (frame pa_g.run.pfn + *@i).  One compare checks the bound and the
 * alignment: the offset is rotated, so the low bits of a pointer inside
 * a struct page land on top and fail the bound, as NULL's wrap-around
 * does.  Reads nothing of @page.
 */
static PA_ALWAYS_INLINE bool pa_run_locate(const struct pa_page *page, unsigned long *i)
{
	const unsigned int s = PA_PAGE_STRUCT_SHIFT;
	uintptr_t off = (uintptr_t)page - pa_g.run.first;

	*i = (off >> s) | (off << (sizeof(off) * 8 - s));
	return *i < pa_g.run.nr_pages;
}

int pa_get_pageblock_migratetype(unsigned long pfn);
void pa_set_pageblock_migratetype(unsigned long pfn, int mt);
/* Retype each pageblock of the block of @order (>= pageblock_order) at @pfn. */
void pa_change_pageblock_range(unsigned long pfn, unsigned int order, int mt);

/*
 * The offset in the block at @pfn of @order of its first pageblock whose
 * type is not @mt (the first pageblock's own), or 0 when they all agree.
 */
static inline unsigned long pa_other_type_pageblock(unsigned long pfn, unsigned int order, int mt)
{
	for (unsigned long b = PA_PAGEBLOCK_NR_PAGES; b < (1UL << order); b += PA_PAGEBLOCK_NR_PAGES)
		if (pa_get_pageblock_migratetype(pfn + b) != mt)
			return b;
	return 0;
}

#endif /* PA_PAGE_FLAGS_H */
