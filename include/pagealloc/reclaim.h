/* SPDX-License-Identifier: MIT */
/*
 * What the library offers a kernel's reclaim and compaction: the kswapd
 * decision and balancing step (the library owns no threads: the kernel's
 * kswapd thread, woken through pa_port_wake_kswapd(), calls
 * pa_kswapd_balance()); the kcompactd step and pa_compact_memory() of the
 * compaction engine (CONFIG_PA_COMPACTION), which moves blocks through
 * the kernel's pa_port_migrate_page(); and Linux's compaction-suitability
 * tests.
 */
#ifndef PAGEALLOC_RECLAIM_H
#define PAGEALLOC_RECLAIM_H

#include <pagealloc/types.h>

/* Linux's RECLAIM_DISTANCE: node reclaim is tried only this close. */
#define PA_RECLAIM_DISTANCE 30
/* Linux's MAX_RECLAIM_RETRIES: reclaim rounds without progress before OOM. */
#define PA_MAX_RECLAIM_RETRIES 16
/* zone_reclaim_mode bits, as Linux's node_reclaim_mode. */
#define PA_RECLAIM_ZONE 0x1
#define PA_RECLAIM_WRITE 0x2
#define PA_RECLAIM_UNMAP 0x4

/**
 * pa_kswapd_should_run - does node @nid need its kswapd?
 * @nid: node.
 *
 * True when an allocation has asked for kswapd on @nid (the slow path does,
 * through pa_port_wake_kswapd()) and no zone up to the highest zone it
 * asked for is above its high watermark (boost included) at the order it
 * asked for, or some such zone is boosted; false once kswapd has failed
 * PA_MAX_RECLAIM_RETRIES runs in a row on the node (Linux's
 * prepare_kswapd_sleep()).  A kernel's kswapd thread sleeps until this is
 * true.
 * Context: any.
 * Return: true or false; false with a log line for a bad node.
 */
bool pa_kswapd_should_run(int nid);

/**
 * pa_kswapd_balance - one kswapd run on node @nid.
 * @nid: node.
 *
 * Linux 6.12's balance_pgdat(): reclaims through pa_port_kswapd_reclaim(),
 * each pass asking for the sum of the high watermarks (boost included,
 * at least 32 pages each) of @nid's managed zones up to the requested
 * highest zone, until one of those zones is above its high watermark
 * plus boost at the requested order (order 0 once twice its size was
 * reclaimed, for compaction) and, while the node stays balanced, the
 * boosts are reclaimed.  Priorities run from 12 down to 1: a pass that
 * got less than it asked for, or nothing, lowers it; a boost pass that
 * reclaims nothing ends the run.  Then it lowers each zone's watermark
 * boost by what it was at the start, and clears the request.  A run that
 * reclaims nothing while unbalanced counts as a kswapd failure; after
 * PA_MAX_RECLAIM_RETRIES of them in a row the node is hopeless and kswapd
 * is no longer woken for it, until a direct reclaim on the node makes
 * progress (Linux's kswapd_failures).
 * Context: sleepable (the kernel's kswapd thread); no allocator lock held.
 * Return: pages reclaimed (>= 0); -PA_ENODEV before pa_init(); -PA_ENOENT
 * bad node.
 */
long pa_kswapd_balance(int nid);

/**
 * pa_kcompactd_should_run - does node @nid need its kcompactd?
 * @nid: the node.
 *
 * True when kswapd asked for a high order (pa_port_wake_kcompactd()), or
 * when the node's fragmentation score is above the high mark that
 * vm.compaction_proactiveness sets (Linux's
 * should_proactive_compact_node()) and kswapd is not busy with it.
 * Context: any.
 * Return: true to call pa_kcompactd_run().
 */
bool pa_kcompactd_should_run(int nid);

/**
 * pa_kcompactd_run - one kcompactd run on node @nid.
 * @nid: the node.
 *
 * Linux's kcompactd_do_work() for an order kswapd asked for: each zone
 * up to its highest that compaction could help and that is not deferred,
 * sync-light.  Otherwise proactive compaction (proactive_compact_node()):
 * every zone whole, until the node's score is under the low mark.
 * Counts compact_daemon_wake and the daemon's scanned pages.
 * Context: the kernel's kcompactd thread (sleepable, no lock held).
 * Return: pages migrated; -PA_ENOENT bad node; -PA_ENODEV before
 * pa_init(); -PA_EOPNOTSUPP without CONFIG_PA_COMPACTION (each one line).
 */
long pa_kcompactd_run(int nid);

/**
 * pa_compact_memory - compact every zone (Linux's /proc/sys/vm/compact_memory).
 *
 * Runs the compaction engine over each populated zone at its most
 * thorough priority, moving allocated movable blocks from each zone's
 * start to free pages at its end through pa_port_migrate_page(), so that
 * free memory gathers into large blocks.
 * Context: process context, sleepable (the migrate hook is called); no
 * allocator lock held.
 * Return: 0; -PA_ENODEV before pa_init(); -PA_EOPNOTSUPP (one line)
 * without CONFIG_PA_COMPACTION, or when the kernel's
 * pa_port_migrate_page() is the default, which migrates nothing.
 */
int pa_compact_memory(void);

/**
 * pa_compaction_suitable - would compacting this zone help an allocation?
 * @nid: node.
 * @zone: zone type.
 * @order: the allocation's order.
 * @highest_zoneidx: the allocation's highest zone.
 *
 * Linux's compaction_suitable(): the zone must pass its order-0 min
 * watermark (low for costly orders) plus the compaction gap (2 << @order)
 * free pages; for costly orders the fragmentation index must also be
 * above extfrag_threshold (or negative).
 * Context: any.
 * Return: 1 suitable, 0 not; -PA_ENODEV, -PA_ENOENT, -PA_EINVAL (with a
 * log line) for bad arguments.
 */
int pa_compaction_suitable(int nid, enum pa_zone_type zone, unsigned int order,
			   enum pa_zone_type highest_zoneidx);

/**
 * pa_fragmentation_index - Linux's fragmentation_index() of a zone.
 * @nid: node.
 * @zone: zone type.
 * @order: the order asked about.
 * @index: receives -1000 when a block of @order is free; otherwise
 *         0..1000, towards 0 when a failure would be for lack of memory and
 *         towards 1000 when it would be for fragmentation; 0 when the zone
 *         has no free pages.
 *
 * Context: any; takes the zone lock.
 * Return: 0; -PA_ENODEV, -PA_ENOENT, -PA_EINVAL (with a log line) for bad
 * arguments.
 */
int pa_fragmentation_index(int nid, enum pa_zone_type zone, unsigned int order, int *index);

#endif /* PAGEALLOC_RECLAIM_H */
