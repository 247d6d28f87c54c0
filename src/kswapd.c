// SPDX-License-Identifier: MIT
/*
 * kswapd's decision and balancing step.  The library owns no threads: the
 * slow path records a request on each node (order, highest zone) and calls
 * pa_port_wake_kswapd(); the kernel's kswapd thread calls
 * pa_kswapd_balance(), which reclaims through pa_port_kswapd_reclaim() as
 * Linux's balance_pgdat() does: until one eligible zone is above its high
 * watermark plus boost for the order, and the boosts are reclaimed.
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
 * Linux's pgdat_balanced(): is some managed zone of @node up to
 * @highest_zoneidx above its high watermark (boost included) at @order,
 * lower zones first?  A node without such zones needs no balancing.
 */
static bool node_balanced(const struct pa_node *node, unsigned int order, int highest_zoneidx)
{
	bool managed = false;

	for (int z = 0; z <= highest_zoneidx; z++) {
		const struct pa_zone *zone = &node->zones[z];

		if (!zone->managed_pages)
			continue;
		if (zone_balanced(zone, order, highest_zoneidx))
			return true;
		managed = true;
	}
	return !managed;
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
	/* Linux's prepare_kswapd_sleep(): a node kswapd keeps failing on is left alone. */
	if (__atomic_load_n(&node->kswapd_failures, __ATOMIC_RELAXED) >= PA_MAX_RECLAIM_RETRIES)
		return false;
	return !node_balanced(node, (unsigned int)__atomic_load_n(&node->kswapd_order,
								  __ATOMIC_RELAXED), hz) ||
	       node_boosted(node, hz);
}

/*
 * Linux's kswapd_shrink_node(): one reclaim pass over the node's zones up
 * to @highest_zoneidx, asking for the sum of their high watermarks (boost
 * included), at least SWAP_CLUSTER_MAX each.  Return: pages reclaimed;
 * *@enough says whether the pass got all it asked for.
 */
static unsigned long shrink_node(struct pa_node *node, int highest_zoneidx, bool *enough)
{
	unsigned long want = 0, got;

	for (int z = 0; z <= highest_zoneidx; z++) {
		const struct pa_zone *zone = &node->zones[z];

		if (zone->managed_pages)
			want += PA_MAX(pa_zone_wmark(zone, PA_WMARK_HIGH), SWAP_CLUSTER_MAX);
	}
	got = pa_port_kswapd_reclaim(node->node_id, want, (enum pa_zone_type)highest_zoneidx);
	*enough = got >= want;
	return got;
}

/*
 * Mark the managed zones up to @highest_zoneidx as under kswapd's reclaim,
 * or no longer (Linux's set_reclaim_active()/clear_reclaim_active()): while
 * marked, their per-CPU sets' high falls with each free.
 */
static void set_reclaim_active(struct pa_node *node, int highest_zoneidx, bool on)
{
	for (int z = 0; z <= highest_zoneidx; z++) {
		struct pa_zone *zone = &node->zones[z];

		if (!zone->managed_pages)
			continue;
		if (on)
			pa_pcp_zone_flag_set(zone, PA_ZONE_RECLAIM_ACTIVE);
		else
			pa_zone_clear_flag(zone, PA_ZONE_RECLAIM_ACTIVE);
	}
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

/*
 * Linux's balance_pgdat() loop, from priority 12 down to 1: reclaim while
 * no eligible zone is balanced, and, while every boost has not been
 * reclaimed yet, also when one is (Linux keeps the boost until the run
 * ends, so that allocations near the watermark keep reclaiming).  An
 * unbalanced node drops the boost reclaim and starts again; a boost pass
 * that reclaims nothing ends the run.  The priority falls after a pass
 * that reclaimed nothing or got less than it asked for, except at 10
 * while boosting (Linux keeps boost reclaim from writing back).  @order
 * falls to 0 once twice its size is reclaimed (compaction can then make
 * the block).  *@balanced: the run ended because the node was balanced.
 * Return: pages reclaimed.
 */
static unsigned long balance_node(struct pa_node *node, unsigned int *order, int hz,
				  unsigned long nr_boost, bool *balanced)
{
	unsigned long reclaimed = 0;
	int prio = KSWAPD_PRIORITIES;

	*balanced = false;
	while (prio >= 1) {
		bool raise = true, enough;
		unsigned long got;
		bool ok = node_balanced(node, *order, hz);

		if (!ok && nr_boost) {
			nr_boost = 0;
			prio = KSWAPD_PRIORITIES;
			continue;
		}
		if (ok && !nr_boost) {
			*balanced = true;
			break;
		}
		if (nr_boost && prio == KSWAPD_PRIORITIES - 2)
			raise = false;
		got = shrink_node(node, hz, &enough);
		if (enough)
			raise = false;
		reclaimed += got;
		if (*order && reclaimed >= (2UL << *order))
			*order = 0;
		nr_boost -= PA_MIN(nr_boost, got);
		if (nr_boost && !got)
			break;
		if (raise || !got)
			prio--;
	}
	return reclaimed;
}

long pa_kswapd_balance(int nid)
{
	struct pa_node *node = checked_node(nid, __func__);
	unsigned long boosts[PA_MAX_NR_ZONES] = { 0 }, nr_boost = 0, reclaimed;
	unsigned int order, order_asked;
	bool balanced;
	int hz;

	if (!node)
		return pa_g.initialized ? -PA_ENOENT : -PA_ENODEV;
	hz = __atomic_exchange_n(&node->kswapd_highest_zoneidx, PA_MAX_NR_ZONES, __ATOMIC_RELAXED);
	order = (unsigned int)__atomic_exchange_n(&node->kswapd_order, 0, __ATOMIC_RELAXED);
	order_asked = order; /* balance_node() may lower @order */
	if (hz == PA_MAX_NR_ZONES)
		hz = PA_MAX_NR_ZONES - 1;
	for (int z = 0; z <= hz; z++)
		if (node->zones[z].managed_pages) {
			boosts[z] = PA_READ_ONCE(node->zones[z].watermark_boost);
			nr_boost += boosts[z];
		}
	pa_count_event(PA_PAGEOUTRUN, 1);
	__atomic_store_n(&node->kswapd_active, 1, __ATOMIC_RELAXED);
	set_reclaim_active(node, hz, true);
	reclaimed = balance_node(node, &order, hz, nr_boost, &balanced);
	set_reclaim_active(node, hz, false);
	__atomic_store_n(&node->kswapd_active, 0, __ATOMIC_RELAXED);
	if (reclaimed)
		pa_kswapd_reset_failures(nid);
	else if (!balanced)
		__atomic_add_fetch(&node->kswapd_failures, 1, __ATOMIC_RELAXED);
	pa_count_event(PA_PGSTEAL_KSWAPD, reclaimed);
	unboost(node, boosts, hz);
	if (balanced) { /* Linux's kswapd_try_to_sleep() */
		pa_compaction_reset_skip(node);
		pa_wakeup_kcompactd(node, order_asked, hz);
	}
	return (long)reclaimed;
}
