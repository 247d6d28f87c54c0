// SPDX-License-Identifier: MIT
/*
 * GFP flags -> highest usable zone and migratetype, as Linux's gfp_zone()
 * (GFP_ZONE_TABLE) and gfp_migratetype().
 */
#include "internal.h"

#ifdef CONFIG_PA_ZONE_DMA
#define OPT_ZONE_DMA PA_ZONE_DMA
#else
#define OPT_ZONE_DMA PA_ZONE_NORMAL
#endif
#ifdef CONFIG_PA_ZONE_DMA32
#define OPT_ZONE_DMA32 PA_ZONE_DMA32
#else
#define OPT_ZONE_DMA32 PA_ZONE_NORMAL
#endif
#define BAD (-1)

/*
 * Indexed by the four zone-modifier bits (DMA 1, HIGHMEM 2, DMA32 4,
 * MOVABLE 8).  Without highmem, __GFP_HIGHMEM means ZONE_NORMAL; MOVABLE
 * alone is NORMAL and reaches ZONE_MOVABLE only together with HIGHMEM.
 * Two zone selectors at once are invalid.
 */
const int8_t pa_gfp_zone_table[16] = {
	[0] = PA_ZONE_NORMAL,
	[PA__GFP_DMA] = OPT_ZONE_DMA,
	[PA__GFP_HIGHMEM] = PA_ZONE_NORMAL,
	[PA__GFP_DMA32] = OPT_ZONE_DMA32,
	[PA__GFP_MOVABLE] = PA_ZONE_NORMAL,
	[PA__GFP_MOVABLE | PA__GFP_DMA] = OPT_ZONE_DMA,
	[PA__GFP_MOVABLE | PA__GFP_HIGHMEM] = PA_ZONE_MOVABLE,
	[PA__GFP_MOVABLE | PA__GFP_DMA32] = OPT_ZONE_DMA32,
	[PA__GFP_DMA | PA__GFP_HIGHMEM] = BAD,
	[PA__GFP_DMA | PA__GFP_DMA32] = BAD,
	[PA__GFP_DMA32 | PA__GFP_HIGHMEM] = BAD,
	[PA__GFP_DMA | PA__GFP_DMA32 | PA__GFP_HIGHMEM] = BAD,
	[PA__GFP_MOVABLE | PA__GFP_DMA | PA__GFP_HIGHMEM] = BAD,
	[PA__GFP_MOVABLE | PA__GFP_DMA | PA__GFP_DMA32] = BAD,
	[PA__GFP_MOVABLE | PA__GFP_DMA32 | PA__GFP_HIGHMEM] = BAD,
	[PA__GFP_MOVABLE | PA__GFP_DMA | PA__GFP_DMA32 | PA__GFP_HIGHMEM] = BAD,
};

_Static_assert(PA__GFP_MOVABLE >> 3 == PA_MIGRATE_MOVABLE, "GFP mobility bits");
_Static_assert(PA__GFP_RECLAIMABLE >> 3 == PA_MIGRATE_RECLAIMABLE, "GFP mobility bits");

struct pa_fast_gfp pa_fast_gfp_tab[PA_FAST_GFP_INDEX + 1];

/* Fill pa_fast_gfp_tab from the two tables above and the mobility setting. */
static void fast_gfp_init(void)
{
	for (pa_gfp_t gfp = 0; gfp <= PA_FAST_GFP_INDEX; gfp++) {
		int hz = pa_gfp_zone(gfp), mt = pa_gfp_migratetype(gfp);

		if (hz == BAD || mt == BAD)
			hz = PA_FAST_ZONE_BAD, mt = 0;
		pa_fast_gfp_tab[gfp].hz = (uint32_t)hz;
		pa_fast_gfp_tab[gfp].lofs = (uint32_t)(mt * sizeof(struct pa_list));
	}
}

int pa_gfp_check(pa_gfp_t gfp, const char *func)
{
	if (gfp & ~PA__GFP_BITS_MASK)
		return pa_fail(PA_EINVAL, func, "unknown GFP bits %#x", gfp & ~PA__GFP_BITS_MASK);
	if (pa_gfp_zone(gfp) == BAD)
		return pa_fail(PA_EINVAL, func, "GFP %#x selects two zones (%#x)", gfp,
			       gfp & PA_GFP_ZONEMASK);
	if (pa_gfp_migratetype(gfp) == BAD)
		return pa_fail(PA_EINVAL, func, "GFP %#x is both movable and reclaimable", gfp);
	return 0;
}

int pa_gfp_to_zone(pa_gfp_t gfp)
{
	int ret = pa_gfp_check(gfp, __func__);

	return ret ? ret : pa_gfp_zone(gfp);
}

int pa_gfp_to_migratetype(pa_gfp_t gfp)
{
	if (gfp & ~PA__GFP_BITS_MASK)
		return PA_FAIL(PA_EINVAL, "unknown GFP bits %#x", gfp & ~PA__GFP_BITS_MASK);
	if (pa_gfp_migratetype(gfp) == BAD)
		return PA_FAIL(PA_EINVAL, "GFP %#x is both movable and reclaimable", gfp);
	return pa_gfp_migratetype(gfp);
}

int pa_set_mobility_grouping(int on)
{
	if (pa_g.initialized)
		return PA_FAIL(PA_EBUSY, "not allowed after pa_init()");
	if (on < -1 || on > 1)
		return PA_FAIL(PA_EINVAL, "mobility grouping %d is not -1 (auto), 0 or 1", on);
	pa_g.mobility_req = on + 2; /* 0 in a reset state means auto */
	return 0;
}

/*
 * At init, as Linux's build_all_zonelists(): grouping is pointless with
 * fewer pages than one pageblock per migratetype, and is then switched off
 * unless the caller asked for it.
 */
void pa_mobility_init(unsigned long total_pages)
{
	int req = pa_g.mobility_req ? pa_g.mobility_req - 2 : -1;

	pa_g.mobility_disabled = req == 0 ||
				 (req < 0 && total_pages < PA_PAGEBLOCK_NR_PAGES * PA_MIGRATE_TYPES);
	fast_gfp_init();
}

bool pa_mobility_grouping(void)
{
	return !pa_g.mobility_disabled;
}
