/* SPDX-License-Identifier: MIT */
/*
 * Nodes and zonelists: the order in which an allocation tries the zones of
 * the machine.  Each node has a fallback zonelist (every populated zone of
 * every node, in node order or zone order) and a PA__GFP_THISNODE zonelist
 * (its own zones only).  A zone type borrows from the same type on other
 * nodes and from lower types, never from higher ones: an allocation starts
 * at the first entry not above its highest zone and skips higher entries.
 */
#ifndef PAGEALLOC_NUMA_H
#define PAGEALLOC_NUMA_H

#include <pagealloc/types.h>
#include <pagealloc/info.h>

/*
 * enum pa_zonelist_order - how fallback zonelists are ordered (the classic
 * kernels' numa_zonelist_order).
 * @PA_ZONELIST_ORDER_AUTO: node order on 64-bit, zone order on 32-bit.
 * @PA_ZONELIST_ORDER_NODE: nodes by distance (Linux's find_next_best_node),
 *                          then each node's zones from the highest type down.
 * @PA_ZONELIST_ORDER_ZONE: zone types from the highest down, then nodes by
 *                          distance: lower zones are used only when no node
 *                          has a higher one free.
 */
enum pa_zonelist_order {
	PA_ZONELIST_ORDER_AUTO,
	PA_ZONELIST_ORDER_NODE,
	PA_ZONELIST_ORDER_ZONE,
};

/**
 * pa_set_zonelist_order - choose the order of the fallback zonelists.
 * @order: a value of enum pa_zonelist_order.
 *
 * Context: boot, before pa_init().
 * Return: 0; -PA_EINVAL unknown order; -PA_EBUSY after pa_init().
 */
int pa_set_zonelist_order(enum pa_zonelist_order order);

/**
 * pa_zonelist_order - the order the zonelists were built in.
 *
 * Context: any, after pa_init().
 * Return: PA_ZONELIST_ORDER_NODE or PA_ZONELIST_ORDER_ZONE (AUTO resolved).
 */
enum pa_zonelist_order pa_zonelist_order(void);

/**
 * struct pa_zoneref - one entry of a zonelist.
 * @nid: node of the zone.
 * @zone: zone type.
 */
struct pa_zoneref {
	int nid;
	enum pa_zone_type zone;
};

/**
 * pa_zonelist_get - read a node's zonelist.
 * @nid: node.
 * @thisnode: false for the fallback zonelist, true for the PA__GFP_THISNODE one.
 * @out: receives up to @max entries, first tried first.
 * @max: capacity of @out.
 *
 * Context: any, after pa_init().
 * Return: the number of entries (which may exceed @max: only @max are
 * written); -PA_ENODEV before pa_init(); -PA_ENOENT bad node.
 */
int pa_zonelist_get(int nid, bool thisnode, struct pa_zoneref *out, unsigned int max);

/**
 * pa_print_zonelists - write every online node's fallback zonelist.
 * @fn: output function.
 * @ctx: passed to @fn.
 *
 * One line per node, highest zone first: "Node 0: 0/Normal 0/DMA32 1/Normal".
 * Context: any, after pa_init().
 * Return: 0; -PA_ENODEV before pa_init().
 */
int pa_print_zonelists(pa_print_fn fn, void *ctx);

/**
 * pa_node_distance - the distance between two nodes (10 = local).
 * @from: node.
 * @to: node.
 *
 * Context: any.
 * Return: the distance; 0 with a log line for a bad node.
 */
unsigned int pa_node_distance(int from, int to);

/**
 * pa_node_online - does node @nid have memory or CPUs?
 * @nid: node.
 *
 * Context: any, after pa_init().
 * Return: true if it does (an allocation may prefer it).
 */
bool pa_node_online(int nid);

#endif /* PAGEALLOC_NUMA_H */
