/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU page sets (Linux's per_cpu_pages): what a kernel calls to drain
 * them, take CPUs on and off line, switch them off, and allocate many
 * order-0 pages in one call.  Without CONFIG_PA_PCP the drains do nothing
 * and the bulk call allocates page by page.
 */
#ifndef PAGEALLOC_PCP_H
#define PAGEALLOC_PCP_H

#include <pagealloc/types.h>

/**
 * struct pa_pcp_info - one CPU's set of one zone, as /proc/zoneinfo shows it.
 * @count: pages on its lists.
 * @high: at this many pages a free returns some to the buddy lists.
 * @batch: blocks moved per refill or return (Linux's zone_batchsize()).
 * @high_min: zone_highsize() from the low watermark (or from
 *            percpu_pagelist_high_fraction when that is set).
 * @high_max: zone_highsize() with fraction 8 (= @high_min with a fraction).
 */
struct pa_pcp_info {
	int count;
	int high;
	int batch;
	int high_min;
	int high_max;
};

/**
 * pa_pcp_get - read one CPU's set of one zone.
 * @nid: node.
 * @zone: zone type.
 * @cpu: CPU id.
 * @out: filled in.
 *
 * high is the live value, as Linux 6.12 tunes it: 0 until the set's first
 * refill or free clamps it to high_min; refills raise it by their batch
 * up to high_max while the zone is above its high watermark; frees raise
 * it to hold the pages freed in a row, and lower it while the zone is
 * below high or kswapd reclaims for it; pa_vmstat_update() lets it decay.
 * An offline CPU, or all CPUs after pa_pcp_set_enabled(false), shows
 * Linux's boot pageset: high 0, batch 1.
 * Context: any; a lock-free snapshot.
 * Return: 0; -PA_ENODEV before pa_init(); -PA_EINVAL bad node, zone or
 * CPU, or @out NULL; -PA_ENOENT empty zone; -PA_EOPNOTSUPP without
 * CONFIG_PA_PCP.
 */
int pa_pcp_get(int nid, enum pa_zone_type zone, unsigned int cpu, struct pa_pcp_info *out);

/**
 * pa_drain_local_pages - return this CPU's sets to the buddy lists.
 *
 * Context: any; takes this CPU's set locks and the zone locks.
 */
void pa_drain_local_pages(void);

/**
 * pa_drain_pages - return one CPU's sets to the buddy lists.
 * @cpu: the CPU whose sets are emptied; may be another CPU than the caller.
 *
 * Context: process context with interrupts enabled (as Linux's
 * drain_all_pages()), in every configuration: another CPU's set is taken
 * through its lock word (briefly stalling that CPU's allocator calls),
 * with CONFIG_PA_PCP_REMOTE_BARRIER through pa_port_remote_barrier(),
 * which waits for the other CPUs; and the zone locks.
 * Return: 0; -PA_ENODEV before pa_init(); -PA_EINVAL bad CPU.
 */
int pa_drain_pages(unsigned int cpu);

/**
 * pa_drain_all_pages - return every CPU's sets to the buddy lists.
 *
 * The slow path calls it once when direct reclaim freed memory and the
 * allocation still failed (Linux's drain_all_pages()).
 * Context: process context with interrupts enabled, in every
 * configuration (see pa_drain_pages()).
 */
void pa_drain_all_pages(void);

/**
 * pa_vmstat_update - this CPU's periodic work: let its sets' high fall back.
 *
 * Linux runs vmstat_update() on each CPU every vm.stat_interval (one
 * second); for each zone it calls decay_pcp_high(): a high above high_min
 * falls by an eighth (or further, to within batch << PCP_BATCH_SCALE_MAX
 * of the count), never below high_min, and the pages above it go back to
 * the buddy lists.  Call this from the kernel's own periodic work, on
 * each CPU, at that interval.  Without it high stays where the last
 * burst left it (a tickless kernel may stop calling once it returns 0).
 * Context: process context on the CPU it is for, interrupts enabled;
 * takes this CPU's set locks (waiting out a remote drain) and the zone
 * locks.
 * Return: 1 while there is more to do (a high above high_min, or pages
 * went back), 0 when every set is settled; -PA_ENODEV before pa_init();
 * -PA_EINVAL (one line) on a CPU id without sets.
 */
int pa_vmstat_update(void);

/**
 * pa_cpu_offline - a CPU is going away: drain its sets and stop keeping any.
 * @cpu: the CPU.
 *
 * Every page on its sets goes back to the buddy lists, its sets become
 * boot pagesets (high 0, batch 1), and high_min/high_max of the other CPUs
 * are recomputed over the CPUs still online (Linux's page_alloc_cpu_dead()).
 * Context: process context with interrupts enabled, in every
 * configuration (see pa_drain_pages()), typically the CPU-hotplug path
 * after @cpu stopped.
 * Return: 0; -PA_ENODEV before pa_init(); -PA_EINVAL bad CPU;
 * -PA_EALREADY already offline.
 */
int pa_cpu_offline(unsigned int cpu);

/**
 * pa_cpu_online - a CPU (back) online: its sets start keeping pages again.
 * @cpu: the CPU.
 *
 * Context: any.
 * Return: 0; -PA_ENODEV before pa_init(); -PA_EINVAL bad CPU;
 * -PA_EALREADY already online.
 */
int pa_cpu_online(unsigned int cpu);

/**
 * pa_pcp_set_enabled - switch every per-CPU set on or off.
 * @on: false drains all sets and makes them boot pagesets (every free goes
 *      straight back, Linux's zone_pcp_disable()); true restores batch and
 *      high.
 *
 * Useful before offlining memory, and for tests that want the buddy lists
 * to see every page at once.  Allowed before pa_init().
 * Context: process context with interrupts enabled, in every
 * configuration (see pa_drain_pages()).
 * Return: 0; -PA_EOPNOTSUPP to switch on without CONFIG_PA_PCP.
 */
int pa_pcp_set_enabled(bool on);

/**
 * pa_alloc_pages_bulk - fill the NULL slots of @array with order-0 pages.
 * @gfp: allocation flags.
 * @nid: preferred node, or PA_NUMA_NO_NODE.
 * @nodemask: allowed nodes, or NULL.
 * @nr: length of @array.
 * @array: slots; non-NULL ones (pages or the caller's markers) are kept
 *	as they are.
 *
 * Linux's alloc_pages_bulk_array(): the first zone of the preferred node
 * that stays above its watermark plus @nr serves all pages from this CPU's
 * set under one lock hold, refilling it by batches.  When no such zone
 * exists, or only one slot is empty, one page comes from
 * pa_alloc_pages_nodemask() (which may reclaim).
 * Context: as pa_alloc_pages().
 * Return: how many slots from the start of @array are now filled (Linux's
 * nr_populated: filled slots after the first empty one are not counted); a
 * bad argument logs one line and fills nothing.
 */
unsigned int pa_alloc_pages_bulk(pa_gfp_t gfp, int nid, const pa_nodemask_t *nodemask,
				 unsigned int nr, struct pa_page **array);

#endif /* PAGEALLOC_PCP_H */
