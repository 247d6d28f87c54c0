// SPDX-License-Identifier: MIT
/*
 * Zonelists: for each node, the order in which allocations preferring it
 * try the zones of the machine.  Nodes are ranked as Linux's
 * find_next_best_node() ranks them; zones are then laid out in node order
 * (Linux today) or zone order (the classic kernels' alternative).
 */
#include "internal.h"

int pa_set_zonelist_order(enum pa_zonelist_order order)
{
	if (pa_g.initialized)
		return PA_FAIL(PA_EBUSY, "not allowed after pa_init()");
	if ((int)order < PA_ZONELIST_ORDER_AUTO || order > PA_ZONELIST_ORDER_ZONE)
		return PA_FAIL(PA_EINVAL, "unknown zonelist order %d", (int)order);
	pa_g.zonelist_order_req = (int)order;
	return 0;
}

enum pa_zonelist_order pa_zonelist_order(void)
{
	return (enum pa_zonelist_order)pa_g.zonelist_order;
}

int pa_cpu_node(void)
{
	unsigned int cpu = pa_this_cpu();

	return cpu < pa_nr_cpus_now() ? pa_g.cpu_to_node[cpu] : 0; /* a bad id: pa_cpu_id_bad() */
}

static bool node_has_memory(int nid)
{
	return pa_g.nodes[nid].node_present_pages != 0;
}

/*
 * The next node for @local's list, as find_next_best_node(): @local itself
 * first, then the memory node minimising
 *   (distance + (n < local) + has_cpus(n)) * MAX_NUMNODES + load[n],
 * i.e. nearest first; among equals prefer nodes after @local, headless
 * nodes, then the less loaded; lowest id on a full tie.
 */
static int next_best_node(int local, pa_nodemask_t *used, const int *load)
{
	long best_val = -1;
	int best = -1;

	if (!(*used & PA_NODE_BIT(local))) {
		*used |= PA_NODE_BIT(local);
		return local;
	}
	for (int n = 0; n < PA_MAX_NUMNODES; n++) {
		long val;

		if (!node_has_memory(n) || (*used & PA_NODE_BIT(n)))
			continue;
		val = pa_g.nodes[local].distance[n] + (n < local);
		if (pa_g.node_has_cpus & PA_NODE_BIT(n))
			val += 1;
		val = val * PA_MAX_NUMNODES + load[n];
		if (best < 0 || val < best_val) {
			best_val = val;
			best = n;
		}
	}
	if (best >= 0)
		*used |= PA_NODE_BIT(best);
	return best;
}

static void zonelist_add(struct pa_zonelist *zl, int nid, int z)
{
	const struct pa_zone *zone = &pa_g.nodes[nid].zones[z];

	if (zone->managed_pages)
		zl->zoneid[zl->nr++] = zone->zoneid;
}

/* Nodes in preference order for @local; bumps @load as build_zonelists() does. */
static int node_order(int local, int *order, int *load)
{
	pa_nodemask_t used = 0;
	int nr = 0, prev = local, n;

	while ((n = next_best_node(local, &used, load)) >= 0) {
		/* Round-robin among equals: charge the first node of each distance group. */
		if (pa_g.nodes[local].distance[n] != pa_g.nodes[local].distance[prev])
			load[n]++;
		order[nr++] = n;
		prev = n;
	}
	return nr;
}

static void build_zonelists(int nid, int *load)
{
	struct pa_node *node = &pa_g.nodes[nid];
	struct pa_zonelist *zl = &node->zonelists[PA_ZONELIST_FALLBACK];
	int order[PA_MAX_NUMNODES];
	int nr = node_order(nid, order, load);

	zl->nr = 0;
	if (pa_g.zonelist_order == PA_ZONELIST_ORDER_ZONE) {
		for (int z = PA_MAX_NR_ZONES - 1; z >= 0; z--)
			for (int i = 0; i < nr; i++)
				zonelist_add(zl, order[i], z);
	} else {
		for (int i = 0; i < nr; i++)
			for (int z = PA_MAX_NR_ZONES - 1; z >= 0; z--)
				zonelist_add(zl, order[i], z);
	}
	zl = &node->zonelists[PA_ZONELIST_NOFALLBACK];
	zl->nr = 0;
	for (int z = PA_MAX_NR_ZONES - 1; z >= 0; z--)
		zonelist_add(zl, nid, z);
	for (int l = 0; l < PA_MAX_ZONELISTS; l++)
		for (int hz = 0; hz <= PA_FAST_ZONE_BAD; hz++) {
			node->first_zone[l][hz] = NULL;
			if (hz == PA_FAST_ZONE_BAD)
				continue;
			for (int i = node->zonelists[l].nr - 1; i >= 0; i--)
				if ((int)(node->zonelists[l].zoneid[i] % PA_MAX_NR_ZONES) <= hz)
					node->first_zone[l][hz] = pa_zonelist_zone(&node->zonelists[l], i);
		}
}

/*
 * Linux's alloc_flags_nofragment() for @z as the preferred zone: avoid
 * fragmenting fallback when it is ZONE_NORMAL and ZONE_DMA32 below it is
 * populated (or the machine has one node): the request may use DMA32.
 */
#ifdef CONFIG_PA_ZONE_DMA32
static unsigned int zone_nofragment(const struct pa_zone *z)
{
	if (z->type != PA_ZONE_NORMAL)
		return 0;
	if ((pa_g.node_online & (pa_g.node_online - 1)) &&
	    !pa_g.nodes[z->node].zones[PA_ZONE_DMA32].present_pages)
		return 0;
	return PA_ALLOC_NOFRAGMENT;
}
#else /* no DMA32 zone to spare */
static unsigned int zone_nofragment(const struct pa_zone *z)
{
	(void)z;
	return 0;
}
#endif

/* The zone pa_cpu_zone[@cpu][@hz] names: PA_NO_ZONE for none. */
static struct pa_zone *cpu_zone(unsigned int cpu, int hz)
{
	if (cpu < pa_g.nr_cpus && hz <= PA_FAST_ZONE_BAD)
		return pa_node_fast_zone(pa_g.cpu_to_node[cpu], (unsigned long)hz);
	return PA_NO_ZONE;
}

void pa_build_all_zonelists(void)
{
	int load[PA_MAX_NUMNODES] = { 0 };

	pa_g.zonelist_order = pa_g.zonelist_order_req;
	if (pa_g.zonelist_order == PA_ZONELIST_ORDER_AUTO)
		pa_g.zonelist_order = sizeof(long) >= 8 ? PA_ZONELIST_ORDER_NODE
							: PA_ZONELIST_ORDER_ZONE;
	pa_g.node_has_cpus = 0;
	for (unsigned int cpu = 0; cpu < pa_g.nr_cpus; cpu++)
		pa_g.node_has_cpus |= PA_NODE_BIT(pa_g.cpu_to_node[cpu]);
	pa_g.node_online = pa_g.node_has_cpus;
	for (int nid = 0; nid < PA_MAX_NUMNODES; nid++)
		if (node_has_memory(nid))
			pa_g.node_online |= PA_NODE_BIT(nid);
	for (int nid = 0; nid < PA_MAX_NUMNODES; nid++)
		for (int z = 0; z < PA_MAX_NR_ZONES; z++)
			pa_g.nodes[nid].zones[z].nofragment = zone_nofragment(&pa_g.nodes[nid].zones[z]);
	for (int nid = 0; nid < PA_MAX_NUMNODES; nid++) {
		pa_g.nodes[nid].kswapd_highest_zoneidx = PA_MAX_NR_ZONES;
		pa_g.nodes[nid].kcompactd_highest_zoneidx = PA_MAX_NR_ZONES - 1;
		if (pa_g.node_online & PA_NODE_BIT(nid))
			build_zonelists(nid, load);
	}
	for (unsigned int cpu = 0; cpu < PA_NR_CPUS; cpu++)
		for (int hz = 0; hz < PA_CPU_ZONE_COLS; hz++)
			pa_cpu_zone[cpu][hz] = cpu_zone(cpu, hz);
}

const struct pa_zone pa_no_zone;

/* A GNU range initializer: C11 has no way to fill an array of any size. */
struct pa_zone *pa_cpu_zone[PA_NR_CPUS][PA_CPU_ZONE_COLS] = {
	[0 ... PA_NR_CPUS - 1] = { [0 ... PA_CPU_ZONE_COLS - 1] = PA_NO_ZONE },
};

void pa_cpu_zone_reset(void)
{
	for (unsigned int cpu = 0; cpu < PA_NR_CPUS; cpu++)
		for (int hz = 0; hz < PA_CPU_ZONE_COLS; hz++)
			pa_cpu_zone[cpu][hz] = PA_NO_ZONE;
}

bool pa_node_online(int nid)
{
	return nid >= 0 && nid < PA_MAX_NUMNODES && (pa_g.node_online & PA_NODE_BIT(nid));
}

unsigned int pa_node_distance(int from, int to)
{
	if (from < 0 || from >= PA_MAX_NUMNODES || to < 0 || to >= PA_MAX_NUMNODES) {
		PA_FAIL(PA_ENOENT, "node %d or %d out of range", from, to);
		return 0;
	}
	if (!pa_g.initialized)
		return pa_g.distance_set[from][to] ? pa_g.nodes[from].distance[to]
						   : (from == to ? 10 : 20);
	return pa_g.nodes[from].distance[to];
}

int pa_zonelist_get(int nid, bool thisnode, struct pa_zoneref *out, unsigned int max)
{
	const struct pa_zonelist *zl;

	if (!pa_g.initialized)
		return PA_FAIL(PA_ENODEV, "called before pa_init()");
	if (!pa_node_online(nid))
		return PA_FAIL(PA_ENOENT, "node %d is not online", nid);
	zl = &pa_g.nodes[nid].zonelists[thisnode ? PA_ZONELIST_NOFALLBACK : PA_ZONELIST_FALLBACK];
	for (unsigned int i = 0; i < zl->nr && i < max; i++) {
		out[i].nid = zl->zoneid[i] / PA_MAX_NR_ZONES;
		out[i].zone = (enum pa_zone_type)(zl->zoneid[i] % PA_MAX_NR_ZONES);
	}
	return zl->nr;
}

int pa_print_zonelists(pa_print_fn fn, void *ctx)
{
	struct pa_printer p;

	if (!pa_g.initialized)
		return PA_FAIL(PA_ENODEV, "called before pa_init()");
	pa_pr_init(&p, fn, ctx);
	for (int nid = 0; nid < PA_MAX_NUMNODES; nid++) {
		const struct pa_zonelist *zl = &pa_g.nodes[nid].zonelists[PA_ZONELIST_FALLBACK];

		if (!pa_node_online(nid))
			continue;
		pa_pr(&p, "Node %d:", nid);
		for (int i = 0; i < zl->nr; i++)
			pa_pr(&p, " %d/%s", zl->zoneid[i] / PA_MAX_NR_ZONES,
			      pa_zone_types[zl->zoneid[i] % PA_MAX_NR_ZONES].name);
		pa_pr(&p, "\n");
	}
	pa_pr_flush(&p);
	return 0;
}
