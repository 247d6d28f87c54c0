// SPDX-License-Identifier: MIT
/*
 * The allocation entry points.  This first version walks the zones the GFP
 * mask allows, highest first, on the preferred node and then on the
 * others, and takes the block from the buddy lists; watermarks, zonelists,
 * per-CPU lists and the slow path come on top of it.
 */
#include "internal.h"

static struct pa_page *alloc_from_node(int nid, int highest_zone, unsigned int order, int mt)
{
	for (int z = highest_zone; z >= 0; z--) {
		struct pa_zone *zone = &pa_g.nodes[nid].zones[z];
		struct pa_page *page;
		unsigned long flags;

		if (!zone->managed_pages)
			continue;
		flags = pa_port_spin_lock_irqsave(&zone->lock);
		page = pa_rmqueue_locked(zone, order, mt);
		pa_port_spin_unlock_irqrestore(&zone->lock, flags);
		if (page) {
			pa_prep_new_page(page, order);
			return page;
		}
	}
	return NULL;
}

struct pa_page *pa_alloc_pages_node(int nid, pa_gfp_t gfp, unsigned int order)
{
	int hz, mt;
	struct pa_page *page;

	if (pa_unlikely(!pa_g.initialized)) {
		PA_FAIL(PA_ENODEV, "called before pa_init()");
		return NULL;
	}
	if (pa_unlikely(order > PA_MAX_PAGE_ORDER)) {
		PA_FAIL(PA_EINVAL, "order %u above MAX_PAGE_ORDER %d", order, PA_MAX_PAGE_ORDER);
		return NULL;
	}
	if (pa_unlikely(pa_gfp_check(gfp, __func__)))
		return NULL;
	if (nid == PA_NUMA_NO_NODE)
		nid = pa_g.cpu_to_node[pa_port_cpu_id()];
	if (pa_unlikely(nid < 0 || nid >= PA_MAX_NUMNODES)) {
		PA_FAIL(PA_ENOENT, "node %d out of range", nid);
		return NULL;
	}
	hz = pa_gfp_zone(gfp);
	mt = pa_gfp_migratetype(gfp);
	page = alloc_from_node(nid, hz, order, mt);
	for (int n = 0; !page && !(gfp & PA__GFP_THISNODE) && n < pa_g.nr_node_ids; n++)
		if (n != nid)
			page = alloc_from_node(n, hz, order, mt);
	return page;
}

struct pa_page *pa_alloc_pages(pa_gfp_t gfp, unsigned int order)
{
	return pa_alloc_pages_node(PA_NUMA_NO_NODE, gfp, order);
}
