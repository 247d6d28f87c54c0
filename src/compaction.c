// SPDX-License-Identifier: MIT
/*
 * What a kernel that compacts needs from the allocator: Linux's
 * compaction_suitable() and fragmentation_index().  The compaction itself
 * (migrating pages) is the kernel's, behind pa_port_compact().
 */
#include "internal.h"

/* Linux's compact_gap(): free pages compaction needs to build 2^order. */
static unsigned long compact_gap(unsigned int order)
{
	return 2UL << order;
}

/*
 * Linux's __fragmentation_index() over the zone's free blocks:
 *   -1000 if a block of @order is free, 0 if nothing is free, else
 *   1000 - (1000 + free_pages * 1000 / 2^order) / free_blocks.
 * Few large blocks missing gives ~1000 (fragmentation), few pages ~0.
 */
int pa_fragindex(const struct pa_zone *z, unsigned int order)
{
	unsigned long blocks = 0, suitable = 0, pages = 0;

	for (unsigned int o = 0; o < PA_NR_PAGE_ORDERS; o++) {
		unsigned long n = PA_READ_ONCE(z->free_area[o].nr_free); /* lock optional */

		blocks += n;
		pages += n << o;
		if (o >= order)
			suitable += n << (o - order);
	}
	if (!blocks)
		return 0;
	if (suitable)
		return -1000;
	return 1000 - (int)((1000 + pages * 1000 / (1UL << order)) / blocks);
}

/*
 * Linux's compaction_suitable() with the free count @wmark_target: the
 * order-0 min watermark (low for costly orders) plus compact_gap() must be
 * met with CMA pages counted; costly orders also need a fragmentation
 * index outside [0, extfrag_threshold] (failure would be for
 * fragmentation, not for lack of memory).
 */
bool pa_compaction_suitable_zone(const struct pa_zone *z, unsigned int order, int highest_zoneidx,
				 unsigned long wmark_target)
{
	unsigned long mark = pa_zone_wmark(z, order > PA_PAGE_ALLOC_COSTLY_ORDER ? PA_WMARK_LOW
									 : PA_WMARK_MIN) +
			     compact_gap(order);
	int fragindex;

	if (!pa_zone_wmark_ok(z, 0, mark, highest_zoneidx, PA_ALLOC_CMA, (long)wmark_target))
		return false;
	if (order <= PA_PAGE_ALLOC_COSTLY_ORDER)
		return true;
	fragindex = pa_fragindex(z, order);
	return !(fragindex >= 0 && fragindex <= pa_g.extfrag_threshold);
}

static int check_zone(int nid, int zone, unsigned int order, const struct pa_zone **z,
		      const char *func)
{
	if (!pa_g.initialized)
		return pa_fail(PA_ENODEV, func, "called before pa_init()");
	if (nid < 0 || nid >= PA_MAX_NUMNODES || zone < 0 || zone >= PA_MAX_NR_ZONES)
		return pa_fail(PA_ENOENT, func, "no zone %d on node %d", zone, nid);
	if (order > PA_MAX_PAGE_ORDER)
		return pa_fail(PA_EINVAL, func, "order %u above MAX_PAGE_ORDER %d", order,
			       PA_MAX_PAGE_ORDER);
	*z = &pa_g.nodes[nid].zones[zone];
	return 0;
}

int pa_compaction_suitable(int nid, enum pa_zone_type zone, unsigned int order,
			   enum pa_zone_type highest_zoneidx)
{
	const struct pa_zone *z = NULL;
	int ret = check_zone(nid, (int)zone, order, &z, __func__);

	if (ret)
		return ret;
	if ((int)highest_zoneidx < 0 || highest_zoneidx >= PA_MAX_NR_ZONES)
		return PA_FAIL(PA_EINVAL, "highest_zoneidx %d out of range", (int)highest_zoneidx);
	return pa_compaction_suitable_zone(z, order, (int)highest_zoneidx,
					   __atomic_load_n(&z->free_pages, __ATOMIC_RELAXED));
}

int pa_fragmentation_index(int nid, enum pa_zone_type zone, unsigned int order, int *index)
{
	const struct pa_zone *z = NULL;
	unsigned long flags;
	int ret = check_zone(nid, (int)zone, order, &z, __func__);

	if (ret)
		return ret;
	if (!index)
		return PA_FAIL(PA_EINVAL, "index is NULL");
	flags = pa_port_spin_lock_irqsave((pa_spinlock_t *)&z->lock);
	*index = pa_fragindex(z, order);
	pa_port_spin_unlock_irqrestore((pa_spinlock_t *)&z->lock, flags);
	return 0;
}
