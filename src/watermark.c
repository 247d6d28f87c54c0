// SPDX-License-Identifier: MIT
/*
 * Watermarks and lowmem reserves, computed exactly as Linux 6.12 does
 * (calculate_min_free_kbytes, __setup_per_zone_wmarks,
 * setup_per_zone_lowmem_reserve, calculate_totalreserve_pages).
 */
#include "internal.h"

#define SWAP_CLUSTER_MAX 32UL

#define for_each_zone(nid, z, zone)                                                      \
	for (int nid = 0; nid < pa_g.nr_node_ids; nid++)                                 \
		for (int z = 0; z < PA_MAX_NR_ZONES; z++)                                \
			for (struct pa_zone *zone = &pa_g.nodes[nid].zones[z]; zone; zone = NULL)

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

	for_each_zone(nid, z, zone) {
		unsigned long high = zone->_watermark[PA_WMARK_HIGH] + zone->watermark_boost;

		if (z <= PA_ZONE_NORMAL && zone->managed_pages > high)
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

static void calculate_totalreserve_pages(void)
{
	unsigned long total = 0;

	for_each_zone(nid, z, zone) {
		unsigned long max = 0;

		for (int j = z; j < PA_MAX_NR_ZONES; j++)
			max = PA_MAX(max, zone->lowmem_reserve[j]);
		max += zone->_watermark[PA_WMARK_HIGH] + zone->watermark_boost;
		total += PA_MIN(max, zone->managed_pages);
	}
	pa_g.totalreserve_pages = total;
}

void pa_setup_per_zone_wmarks(void)
{
	unsigned long pages_min = (unsigned long)pa_g.min_free_kbytes >> (PA_PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;

	for_each_zone(nid, z, zone)
		if (is_lowmem(z))
			lowmem_pages += zone->managed_pages;
	for_each_zone(nid, z, zone) {
		unsigned long flags = pa_port_spin_lock_irqsave(&zone->lock);
		unsigned long share = lowmem_pages ? (unsigned long)((uint64_t)pages_min *
						     zone->managed_pages / lowmem_pages) : 0;
		unsigned long min, tmp;

		if (!is_lowmem(z))
			min = PA_MIN(PA_MAX(zone->managed_pages / 1024, SWAP_CLUSTER_MAX), 128UL);
		else
			min = share;
		tmp = PA_MAX(share >> 2, mult_frac(zone->managed_pages,
						   (unsigned long)pa_g.watermark_scale_factor, 10000));
		zone->watermark_boost = 0;
		zone->_watermark[PA_WMARK_MIN] = min;
		zone->_watermark[PA_WMARK_LOW] = min + tmp;
		zone->_watermark[PA_WMARK_HIGH] = min + 2 * tmp;
		zone->_watermark[PA_WMARK_PROMO] = min + 3 * tmp;
		pa_port_spin_unlock_irqrestore(&zone->lock, flags);
	}
	calculate_totalreserve_pages();
}

void pa_setup_per_zone_lowmem_reserve(void)
{
	for_each_zone(nid, i, zone) {
		unsigned long ratio = (unsigned long)pa_g.lowmem_reserve_ratio[i];
		bool clear = !ratio || !zone->managed_pages;
		unsigned long acc = 0;

		for (int j = i + 1; j < PA_MAX_NR_ZONES; j++) {
			acc += pa_g.nodes[nid].zones[j].managed_pages;
			zone->lowmem_reserve[j] = clear ? 0 : acc / ratio;
		}
	}
	calculate_totalreserve_pages();
}
