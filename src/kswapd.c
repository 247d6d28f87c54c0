// SPDX-License-Identifier: MIT
/*
 * kswapd's decision and balancing step.  The library owns no threads: the
 * slow path records a request on each node (order, highest zone) and calls
 * pa_port_wake_kswapd(); the kernel's kswapd thread calls
 * pa_kswapd_balance(), which reclaims through pa_port_kswapd_reclaim()
 * until every eligible zone is above its high watermark plus boost.  (Linux
 * stops at the first balanced zone; the specification asks for all.)
 */
#include "internal.h"

#define KSWAPD_PRIORITIES 12 /* Linux's DEF_PRIORITY: rounds per run */
#define SWAP_CLUSTER_MAX 32UL

static bool zone_balanced(const struct pa_zone *z, unsigned int order, int highest_zoneidx)
{
	unsigned long mark = pa_zone_wmark(z, PA_WMARK_HIGH);

	return pa_zone_wmark_ok(z, order, mark, highest_zoneidx, 0,
				(long)__atomic_load_n(&z->free_pages, __ATOMIC_RELAXED));
}

/*
 * Is every managed zone of @node up to @highest_zoneidx above its high
 * watermark (boost included) at @order?  A node without such zones needs
 * no balancing.
 */
static bool node_balanced(const struct pa_node *node, unsigned int order, int highest_zoneidx)
{
	for (int z = 0; z <= highest_zoneidx; z++) {
		const struct pa_zone *zone = &node->zones[z];

		if (zone->managed_pages && !zone_balanced(zone, order, highest_zoneidx))
			return false;
	}
	return true;
}

/* Is some zone up to @highest_zoneidx boosted? */
static bool node_boosted(const struct pa_node *node, int highest_zoneidx)
{
	for (int z = 0; z <= highest_zoneidx; z++)
		if (PA_READ_ONCE(node->zones[z].watermark_boost))
			return true;
	return false;
}

/* Linux's wakeup_kswapd(): record the request, wake unless pointless. */
static void wakeup_kswapd(struct pa_node *node, unsigned int order, int highest_zoneidx)
{
	int cur = __atomic_load_n(&node->kswapd_highest_zoneidx, __ATOMIC_RELAXED);

	if (cur == PA_MAX_NR_ZONES || cur < highest_zoneidx)
		__atomic_store_n(&node->kswapd_highest_zoneidx, highest_zoneidx, __ATOMIC_RELAXED);
	if (__atomic_load_n(&node->kswapd_order, __ATOMIC_RELAXED) < (int)order)
		__atomic_store_n(&node->kswapd_order, (int)order, __ATOMIC_RELAXED);
	if (__atomic_load_n(&node->kswapd_failures, __ATOMIC_RELAXED) >= PA_MAX_RECLAIM_RETRIES)
		return;
	if (node_balanced(node, order, highest_zoneidx) && !node_boosted(node, highest_zoneidx))
		return;
	pa_count_event(PA_KSWAPD_WAKE, 1);
	pa_port_wake_kswapd(node->node_id, order, (enum pa_zone_type)highest_zoneidx);
}

/* Linux's wake_all_kswapds(): each node of the zonelist, once per run of it. */
void pa_wake_all_kswapds(unsigned int order, pa_gfp_t gfp, const struct pa_alloc_ctx *ac)
{
	int last = -1;

	(void)gfp;
	pa_for_each_zoneref(i, ac, 0) {
		const struct pa_zone *z = pa_zonelist_zone(ac->zonelist, i);

		if (z->node == last)
			continue;
		wakeup_kswapd(&pa_g.nodes[z->node], order, ac->highest_zoneidx);
		last = z->node;
	}
}

/* A boosted zone's wake-up: order 0, the zone's own type as the highest. */
static void wakeup_kswapd_zone(struct pa_zone *zone)
{
	wakeup_kswapd(&pa_g.nodes[zone->node], 0, zone->type);
}

/*
 * The first allocation with ALLOC_KSWAPD after a boost: clear the flag,
 * which only the zone lock's holder writes, give the fast paths their mark
 * back and wake kswapd, once however many allocations race here.
 */
void pa_clear_boosted(struct pa_zone *zone)
{
	unsigned long flags = pa_port_spin_lock_irqsave(&zone->lock);
	struct pa_zone_marks m;
	bool boosted;

	pa_zone_get_marks(zone, &m);
	boosted = m.boosted;
	if (boosted) {
		m.boosted = false;
		pa_zone_set_marks_locked(zone, &m);
	}
	pa_port_spin_unlock_irqrestore(&zone->lock, flags);
	if (boosted)
		wakeup_kswapd_zone(zone);
}

void pa_kswapd_reset_failures(int nid)
{
	__atomic_store_n(&pa_g.nodes[nid].kswapd_failures, 0, __ATOMIC_RELAXED);
}

static struct pa_node *checked_node(int nid, const char *func)
{
	if (!pa_g.initialized) {
		pa_fail(PA_ENODEV, func, "called before pa_init()");
		return NULL;
	}
	if (nid < 0 || nid >= PA_MAX_NUMNODES) {
		pa_fail(PA_ENOENT, func, "node %d out of range", nid);
		return NULL;
	}
	return &pa_g.nodes[nid];
}

bool pa_kswapd_should_run(int nid)
{
	struct pa_node *node = checked_node(nid, __func__);
	int hz;

	if (!node)
		return false;
	hz = __atomic_load_n(&node->kswapd_highest_zoneidx, __ATOMIC_RELAXED);
	if (hz == PA_MAX_NR_ZONES)
		return false;
	return !node_balanced(node, (unsigned int)__atomic_load_n(&node->kswapd_order,
								  __ATOMIC_RELAXED), hz) ||
	       node_boosted(node, hz);
}

/*
 * One reclaim round: for each unbalanced eligible zone, highest first, ask
 * for the pages that would lift it to high + boost (its protection for
 * @highest_zoneidx included) from zones up to it, so that a low zone gets
 * its own pages back rather than more of the zones above it.
 */
static unsigned long balance_round(struct pa_node *node, unsigned int order, int highest_zoneidx)
{
	unsigned long got = 0;

	for (int z = highest_zoneidx; z >= 0; z--) {
		const struct pa_zone *zone = &node->zones[z];
		unsigned long target = pa_zone_wmark(zone, PA_WMARK_HIGH) +
				       PA_READ_ONCE(zone->lowmem_reserve[highest_zoneidx]) + 1;
		unsigned long free = __atomic_load_n(&zone->free_pages, __ATOMIC_RELAXED);

		if (!zone->managed_pages || zone_balanced(zone, order, highest_zoneidx))
			continue;
		target = free < target ? target - free : 0;
		got += pa_port_kswapd_reclaim(node->node_id, PA_MAX(target, SWAP_CLUSTER_MAX),
					      (enum pa_zone_type)z);
	}
	return got;
}

/* Take back the boost each zone had when the run started (under its lock). */
static void unboost(struct pa_node *node, const unsigned long *boosts, int highest_zoneidx)
{
	for (int z = 0; z <= highest_zoneidx; z++) {
		struct pa_zone *zone = &node->zones[z];
		struct pa_zone_marks m;
		unsigned long flags;

		if (!boosts[z])
			continue;
		flags = pa_port_spin_lock_irqsave(&zone->lock);
		pa_zone_get_marks(zone, &m);
		m.boost -= PA_MIN(m.boost, boosts[z]);
		pa_zone_set_marks_locked(zone, &m);
		pa_port_spin_unlock_irqrestore(&zone->lock, flags);
	}
}

long pa_kswapd_balance(int nid)
{
	struct pa_node *node = checked_node(nid, __func__);
	unsigned long boosts[PA_MAX_NR_ZONES] = { 0 };
	unsigned long reclaimed = 0;
	unsigned int order;
	int hz;

	if (!node)
		return pa_g.initialized ? -PA_ENOENT : -PA_ENODEV;
	hz = __atomic_exchange_n(&node->kswapd_highest_zoneidx, PA_MAX_NR_ZONES, __ATOMIC_RELAXED);
	order = (unsigned int)__atomic_exchange_n(&node->kswapd_order, 0, __ATOMIC_RELAXED);
	if (hz == PA_MAX_NR_ZONES)
		hz = PA_MAX_NR_ZONES - 1;
	for (int z = 0; z <= hz; z++)
		boosts[z] = PA_READ_ONCE(node->zones[z].watermark_boost);
	pa_count_event(PA_PAGEOUTRUN, 1);
	for (int prio = KSWAPD_PRIORITIES; prio > 0 && !node_balanced(node, order, hz); prio--) {
		unsigned long got = balance_round(node, order, hz);

		if (!got)
			break;
		reclaimed += got;
		/* Enough for compaction to make the block: balance for order 0 now. */
		if (order && reclaimed >= (2UL << order))
			order = 0;
	}
	if (reclaimed)
		pa_kswapd_reset_failures(nid);
	else if (!node_balanced(node, order, hz))
		__atomic_add_fetch(&node->kswapd_failures, 1, __ATOMIC_RELAXED);
	pa_count_event(PA_PGSTEAL_KSWAPD, reclaimed);
	unboost(node, boosts, hz);
	return (long)reclaimed;
}
