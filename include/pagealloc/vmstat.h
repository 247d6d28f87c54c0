/* SPDX-License-Identifier: MIT */
/*
 * Event counters, as Linux's /proc/vmstat: what the allocator did.  They
 * are per CPU (a plain add on the CPU's own cache line) and summed when
 * read, so a reader on SMP sees a value that may be a few events stale.
 * Without CONFIG_PA_VM_EVENT_COUNTERS every count reads 0.
 */
#ifndef PAGEALLOC_VMSTAT_H
#define PAGEALLOC_VMSTAT_H

#include <pagealloc/types.h>
#include <pagealloc/info.h>

/*
 * enum pa_vm_event - global event counters.  The names in the comments are
 * the /proc/vmstat names pa_print_vmstat() writes.  Those up to
 * PA_KCOMPACTD_FREE_SCANNED are Linux's; the rest are ours and come after
 * them.
 */
enum pa_vm_event {
	PA_PGALLOC,                                   /* pgalloc_<zone>: pages, per zone type */
	PA_ALLOCSTALL = PA_PGALLOC + PA_MAX_NR_ZONES, /* allocstall_<zone>: direct reclaims */
	PA_PGFREE = PA_ALLOCSTALL + PA_MAX_NR_ZONES,  /* pgfree: pages freed */
	PA_PGSTEAL_KSWAPD,       /* pgsteal_kswapd: pages kswapd reclaimed */
	PA_PGSTEAL_DIRECT,       /* pgsteal_direct: pages direct reclaim reclaimed */
	PA_ZONE_RECLAIM_SUCCESS, /* zone_reclaim_success: node reclaim freed some */
	PA_ZONE_RECLAIM_FAILED,  /* zone_reclaim_failed: node reclaim scanned in vain */
	PA_PAGEOUTRUN,           /* pageoutrun: kswapd balancing runs */
	PA_COMPACTMIGRATE_SCANNED, /* compact_migrate_scanned: pages the migrate scanner looked at */
	PA_COMPACTFREE_SCANNED,  /* compact_free_scanned: pages the free scanner looked at */
	PA_COMPACTISOLATED,      /* compact_isolated: pages isolated to migrate, and free targets */
	PA_COMPACTSTALL,         /* compact_stall: direct compactions */
	PA_COMPACTFAIL,          /* compact_fail */
	PA_COMPACTSUCCESS,       /* compact_success */
	PA_KCOMPACTD_WAKE,       /* compact_daemon_wake: kcompactd runs */
	PA_KCOMPACTD_MIGRATE_SCANNED, /* compact_daemon_migrate_scanned */
	PA_KCOMPACTD_FREE_SCANNED, /* compact_daemon_free_scanned */
	PA_PGALLOC_FAIL,         /* pgalloc_fail: allocations that returned NULL */
	PA_KSWAPD_WAKE,          /* kswapd_wake: pa_port_wake_kswapd() calls */
	PA_DIRECT_RECLAIM,       /* direct_reclaim: pa_port_direct_reclaim() calls */
	PA_NODE_RECLAIM_CALL,    /* node_reclaim_call: pa_port_node_reclaim() calls */
	PA_OOM_CALL,             /* oom_call: pa_port_out_of_memory() calls */
	PA_PGALLOC_FALLBACK,     /* pgalloc_fallback: blocks taken from another migratetype */
	PA_PGALLOC_FALLBACK_CLAIM, /* pgalloc_fallback_claim: ... claiming their pageblock */
	PA_PGALLOC_SLOWPATH,     /* pgalloc_slowpath: allocations that entered the slow path */
	PA_NR_VM_EVENTS
};

/*
 * enum pa_numa_event - per-node NUMA counters, Linux's numa_* (counted on
 * the node the pages came from).
 * @PA_NUMA_HIT: allocated on the preferred node.
 * @PA_NUMA_MISS: allocated here although another node was preferred.
 * @PA_NUMA_FOREIGN: preferred this node but allocated elsewhere (counted on
 *                   the preferred node).
 * @PA_NUMA_LOCAL: allocated here by a CPU of this node.
 * @PA_NUMA_OTHER: allocated here by a CPU of another node.
 */
enum pa_numa_event {
	PA_NUMA_HIT,
	PA_NUMA_MISS,
	PA_NUMA_FOREIGN,
	PA_NUMA_LOCAL,
	PA_NUMA_OTHER,
	PA_NR_NUMA_EVENTS
};

/**
 * pa_vm_event_count - the sum over CPUs of one event counter.
 * @item: a value of enum pa_vm_event (PA_PGALLOC + zone type for pgalloc_*).
 *
 * Context: any.
 * Return: the count; 0 with a log line for an unknown item.
 */
unsigned long pa_vm_event_count(unsigned int item);

/**
 * pa_numa_event_count - a node's NUMA counter.
 * @nid: node.
 * @item: a value of enum pa_numa_event.
 *
 * Context: any.
 * Return: the count (0 without CONFIG_PA_NUMA); 0 with a log line for a bad
 * node or item.
 */
unsigned long pa_numa_event_count(int nid, unsigned int item);

/**
 * pa_zone_event_count - pages allocated from or freed to one zone.
 * @nid: node.
 * @zone: zone type.
 * @freed: false for pages allocated, true for pages freed.
 *
 * Context: any.
 * Return: the count; 0 with a log line for a bad node or zone.
 */
unsigned long pa_zone_event_count(int nid, enum pa_zone_type zone, bool freed);

/**
 * pa_vm_events_reset - set every event counter to zero.
 *
 * For tests and benchmarks that look at one phase of a run.
 * Context: any; counts made concurrently may be lost.
 */
void pa_vm_events_reset(void);

/**
 * pa_print_vmstat - write /proc/vmstat lines ("name value").
 * @fn: output function.
 * @ctx: passed to @fn.
 *
 * nr_free_pages, the numa_* sums (with CONFIG_PA_NUMA), then the events of
 * enum pa_vm_event in its order, each zone-typed one as one line per zone
 * type (pgalloc_dma, pgalloc_dma32, pgalloc_normal, pgalloc_movable).
 * Context: any, after pa_init().
 * Return: 0; -PA_ENODEV before pa_init().
 */
int pa_print_vmstat(pa_print_fn fn, void *ctx);

#endif /* PAGEALLOC_VMSTAT_H */
