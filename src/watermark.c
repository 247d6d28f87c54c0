// SPDX-License-Identifier: MIT
/*
 * Watermarks and lowmem reserves, computed exactly as Linux 6.12 does
 * (calculate_min_free_kbytes, __setup_per_zone_wmarks,
 * setup_per_zone_lowmem_reserve, calculate_totalreserve_pages).
 */
#include "internal.h"

#define SWAP_CLUSTER_MAX 32UL

/* floor(sqrt(x)), bit by bit. */
unsigned long pa_int_sqrt(unsigned long x)
{
	unsigned long res = 0, bit;

	if (x < 2)
		return x;
	bit = 1UL << (pa_ilog2(x) & ~1u);
	while (bit) {
		if (x >= res + bit) {
			x -= res + bit;
			res = (res >> 1) + bit;
		} else {
			res >>= 1;
		}
		bit >>= 2;
	}
	return res;
}

/* (x * n) / d without overflowing x * n: Linux's mult_frac(). */
static unsigned long mult_frac(unsigned long x, unsigned long n, unsigned long d)
{
	return (x / d) * n + ((x % d) * n) / d;
}

/* ZONE_MOVABLE (and HIGHMEM, which 64-bit has not) are not lowmem. */
static bool is_lowmem(int z)
{
	return z != PA_ZONE_MOVABLE;
}

/*
 * nr_free_buffer_pages(): pages above the high watermark in the zones a
 * GFP_USER allocation may use (up to ZONE_NORMAL), on every node of the
 * fallback zonelist.
 */
static unsigned long nr_free_buffer_pages(void)
{
	unsigned long sum = 0;

	pa_for_each_zone(zone) {
		unsigned long high = pa_zone_wmark(zone, PA_WMARK_HIGH);

		if (zone->type <= PA_ZONE_NORMAL && zone->managed_pages > high)
			sum += zone->managed_pages - high;
	}
	return sum;
}

void pa_calculate_min_free_kbytes(void)
{
	unsigned long lowmem_kbytes = nr_free_buffer_pages() * (PA_PAGE_SIZE >> 10);
	long new_min = (long)pa_int_sqrt(lowmem_kbytes * 16);

	if (new_min > pa_g.user_min_free_kbytes)
		pa_g.min_free_kbytes = (int)PA_MIN(PA_MAX(new_min, 128L), 262144L);
	else
		pa_warn("min_free_kbytes is not updated to %ld because user defined value %d is preferred",
			new_min, pa_g.user_min_free_kbytes);
}

/*
 * Linux's set_recommended_min_free_kbytes() (mm/khugepaged.c), for the
 * huge-page mode pa_set_thp() gave: with huge pages in use, at least two
 * free pageblocks per populated zone below ZONE_MOVABLE plus
 * MIGRATE_PCPTYPES^2 more (one to fall back to and one against further
 * fallbacks, per type), at most 5% of lowmem; without, the boot formula
 * again, which now leaves the high watermarks out.  Then the watermarks.
 */
void pa_set_recommended_min_free_kbytes(void)
{
	unsigned long zones = 0, pages;

	if (pa_g.thp == PA_THP_NONE)
		return;
	if (pa_g.thp == PA_THP_NEVER) {
		pa_calculate_min_free_kbytes();
		pa_setup_per_zone_wmarks();
		return;
	}
	pa_for_each_populated_zone(zone)
		zones += zone->type <= PA_ZONE_NORMAL;
	pages = PA_PAGEBLOCK_NR_PAGES * zones * (2 + PA_MIGRATE_PCPTYPES * PA_MIGRATE_PCPTYPES);
	pages = PA_MIN(pages, nr_free_buffer_pages() / 20);
	if ((pages << (PA_PAGE_SHIFT - 10)) > (unsigned long)pa_g.min_free_kbytes) {
		if (pa_g.user_min_free_kbytes >= 0)
			pa_info("raising min_free_kbytes from %d to %lu to help transparent hugepage allocations",
				pa_g.min_free_kbytes, pages << (PA_PAGE_SHIFT - 10));
		pa_g.min_free_kbytes = (int)(pages << (PA_PAGE_SHIFT - 10));
	}
	pa_setup_per_zone_wmarks();
}

static void calculate_totalreserve_pages(void)
{
	unsigned long total = 0;

	pa_for_each_zone(zone) {
		unsigned long max = 0;

		for (int j = zone->type; j < PA_MAX_NR_ZONES; j++)
			max = PA_MAX(max, zone->lowmem_reserve[j]);
		max += pa_zone_wmark(zone, PA_WMARK_HIGH);
		total += PA_MIN(max, zone->managed_pages);
	}
	pa_g.totalreserve_pages = total;
}

/* Store @zone's watermarks: @min and steps of @tmp above it, its boost dropped. */
static void set_wmarks_locked(struct pa_zone *zone, unsigned long min, unsigned long tmp)
{
	struct pa_zone_marks m;

	pa_zone_get_marks(zone, &m);
	m.boost = 0;
	m.wmark[PA_WMARK_MIN] = min;
	m.wmark[PA_WMARK_LOW] = min + tmp;
	m.wmark[PA_WMARK_HIGH] = min + 2 * tmp;
	m.wmark[PA_WMARK_PROMO] = min + 3 * tmp;
	pa_zone_set_marks_locked(zone, &m);
}

void pa_setup_per_zone_wmarks(void)
{
	unsigned long pages_min = (unsigned long)pa_g.min_free_kbytes >> (PA_PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;

	pa_for_each_zone(zone)
		if (is_lowmem(zone->type))
			lowmem_pages += zone->managed_pages;
	pa_for_each_zone(zone) {
		unsigned long flags = pa_port_spin_lock_irqsave(&zone->lock);
		unsigned long share = lowmem_pages ? (unsigned long)((uint64_t)pages_min *
						     zone->managed_pages / lowmem_pages) : 0;
		unsigned long min, tmp;

		if (!is_lowmem(zone->type))
			min = PA_MIN(PA_MAX(zone->managed_pages / 1024, SWAP_CLUSTER_MAX), 128UL);
		else
			min = share;
		tmp = PA_MAX(share >> 2, mult_frac(zone->managed_pages,
						   (unsigned long)pa_g.watermark_scale_factor, 10000));
		set_wmarks_locked(zone, min, tmp);
		pa_port_spin_unlock_irqrestore(&zone->lock, flags);
	}
	calculate_totalreserve_pages();
	/* high_min follows the low watermark (zone_highsize()). */
	pa_pcp_update_all();
}

void pa_setup_per_zone_lowmem_reserve(void)
{
	pa_for_each_zone(zone) {
		int i = zone->type;
		unsigned long ratio = (unsigned long)pa_g.lowmem_reserve_ratio[i];
		bool clear = !ratio || !zone->managed_pages;
		unsigned long acc = 0, flags = pa_port_spin_lock_irqsave(&zone->lock);
		struct pa_zone_marks m;

		pa_zone_get_marks(zone, &m);
		for (int j = i + 1; j < PA_MAX_NR_ZONES; j++) {
			acc += pa_g.nodes[zone->node].zones[j].managed_pages;
			m.lowmem_reserve[j] = clear ? 0 : acc / ratio;
		}
		pa_zone_set_marks_locked(zone, &m);
		pa_port_spin_unlock_irqrestore(&zone->lock, flags);
	}
	calculate_totalreserve_pages();
}

/* ------------------------------------------------------------ checks */

/* Free pages this request may not use, plus the (2^order - 1) it needs beyond one. */
static long unusable_free(const struct pa_zone *z, unsigned int order, unsigned int alloc_flags)
{
	return (1L << order) - 1 + pa_zone_reserved_free(z, alloc_flags);
}

/* Is there a free block of at least @order on a list these flags may use? */
static bool free_block_usable(const struct pa_zone *z, unsigned int order, unsigned int alloc_flags)
{
	for (unsigned int o = order; o < PA_NR_PAGE_ORDERS; o++) {
		const struct pa_free_area *area = &z->free_area[o];

		if (!PA_READ_ONCE(area->nr_free))
			continue;
		for (int mt = 0; mt < PA_MIGRATE_PCPTYPES; mt++)
			if (!pa_list_empty(&area->free_list[mt]))
				return true;
		if (IS_ENABLED(CONFIG_PA_CMA) && (alloc_flags & PA_ALLOC_CMA) && pa_area_has_cma(area))
			return true;
		if ((alloc_flags & (PA_ALLOC_HIGHATOMIC | PA_ALLOC_OOM)) &&
		    !pa_list_empty(&area->free_list[PA_MIGRATE_HIGHATOMIC]))
			return true;
	}
	return false;
}

/*
 * Linux's __zone_watermark_ok().  The reserve discounts compound: with
 * MIN_RESERVE the mark loses half, NON_BLOCK then a quarter of the rest,
 * OOM half of what remains.
 */
bool pa_zone_wmark_ok(const struct pa_zone *z, unsigned int order, unsigned long mark,
				 int highest_zoneidx, unsigned int alloc_flags, long free_pages)
{
	long min = (long)mark;

	free_pages -= unusable_free(z, order, alloc_flags);
	if (alloc_flags & PA_ALLOC_RESERVES) {
		if (alloc_flags & PA_ALLOC_MIN_RESERVE) {
			min -= min / 2;
			if (alloc_flags & PA_ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		if (alloc_flags & PA_ALLOC_OOM)
			min -= min / 2;
	}
	if (free_pages <= min + (long)z->lowmem_reserve[highest_zoneidx])
		return false;
	return !order || free_block_usable(z, order, alloc_flags);
}

/* Linux's zone_watermark_fast(). */
bool pa_zone_wmark_fast(const struct pa_zone *z, unsigned int order, unsigned long mark,
				   int highest_zoneidx, unsigned int alloc_flags)
{
	long free_pages = (long)__atomic_load_n(&z->free_pages, __ATOMIC_RELAXED);

	if (!order && pa_zone_wmark_order0_ok(z, mark, highest_zoneidx, alloc_flags, free_pages))
		return true;
	if (pa_zone_wmark_ok(z, order, mark, highest_zoneidx, alloc_flags, free_pages))
		return true;
	if (!order && (alloc_flags & PA_ALLOC_MIN_RESERVE) && PA_READ_ONCE(z->watermark_boost) &&
	    (alloc_flags & PA_ALLOC_WMARK_MASK) == PA_ALLOC_WMARK_MIN)
		return pa_zone_wmark_ok(z, order, PA_READ_ONCE(z->_watermark[PA_WMARK_MIN]),
						   highest_zoneidx, alloc_flags, free_pages);
	return false;
}

static struct pa_zone *checked_zone(int nid, int zone, const char *func)
{
	if (!pa_g.initialized) {
		pa_fail(PA_ENODEV, func, "called before pa_init()");
		return NULL;
	}
	if (nid < 0 || nid >= PA_MAX_NUMNODES || zone < 0 || zone >= PA_MAX_NR_ZONES) {
		pa_fail(PA_ENOENT, func, "no zone %d on node %d", zone, nid);
		return NULL;
	}
	return &pa_g.nodes[nid].zones[zone];
}

unsigned long pa_wmark_pages(int nid, enum pa_zone_type zone, unsigned int alloc_flags)
{
	const struct pa_zone *z = checked_zone(nid, (int)zone, __func__);

	if (!z)
		return 0;
	return pa_zone_wmark(z, alloc_flags & PA_ALLOC_WMARK_MASK);
}

static int check_args(int nid, int zone, unsigned int order, int highest, const char *func,
		      const struct pa_zone **z)
{
	*z = checked_zone(nid, zone, func);
	if (!*z)
		return pa_g.initialized ? -PA_ENOENT : -PA_ENODEV;
	if (order > PA_MAX_PAGE_ORDER)
		return pa_fail(PA_EINVAL, func, "order %u above MAX_PAGE_ORDER %d", order,
			       PA_MAX_PAGE_ORDER);
	if (highest < 0 || highest >= PA_MAX_NR_ZONES)
		return pa_fail(PA_EINVAL, func, "highest_zoneidx %d out of range", highest);
	return 0;
}

int pa_zone_watermark_ok(int nid, enum pa_zone_type zone, unsigned int order, unsigned long mark,
			 enum pa_zone_type highest_zoneidx, unsigned int alloc_flags)
{
	const struct pa_zone *z;
	int ret = check_args(nid, (int)zone, order, (int)highest_zoneidx, __func__, &z);

	if (ret)
		return ret;
	return pa_zone_wmark_ok(z, order, mark, (int)highest_zoneidx, alloc_flags,
					   (long)__atomic_load_n(&z->free_pages, __ATOMIC_RELAXED));
}

int pa_zone_watermark_fast(int nid, enum pa_zone_type zone, unsigned int order, unsigned long mark,
			   enum pa_zone_type highest_zoneidx, unsigned int alloc_flags)
{
	const struct pa_zone *z;
	int ret = check_args(nid, (int)zone, order, (int)highest_zoneidx, __func__, &z);

	if (ret)
		return ret;
	return pa_zone_wmark_fast(z, order, mark, (int)highest_zoneidx, alloc_flags);
}
