/* SPDX-License-Identifier: MIT */
/*
 * Run-time tunables by their Linux sysctl names (vm.*), with Linux's valid
 * ranges.  Setting one recomputes everything that depends on it, as the
 * sysctl handlers do.
 *
 *   min_free_kbytes               >= 0; a set value is kept over the computed one
 *   watermark_scale_factor        1..3000 (default 10)
 *   watermark_boost_factor        >= 0 (default 15000)
 *   lowmem_reserve_ratio          one value per zone (default 256 256 32 0);
 *                                 values below 1 become 0
 *   percpu_pagelist_high_fraction 0 or >= 8 (default 0)
 *   zone_reclaim_mode             >= 0, bits 1|2|4 (NUMA builds only): non-zero
 *                                 calls pa_port_node_reclaim() before
 *                                 falling back to another node
 *   extfrag_threshold             0..1000 (default 500): costly orders are
 *                                 not compacted while the fragmentation index
 *                                 is at or below it
 */
#ifndef PAGEALLOC_TUNABLES_H
#define PAGEALLOC_TUNABLES_H

#include <pagealloc/types.h>

/* What the kernel does with transparent huge pages (pa_set_thp()). */
enum pa_thp {
	PA_THP_NONE,    /* no huge pages: the boot-time min_free_kbytes alone */
	PA_THP_NEVER,   /* Linux's transparent_hugepage/enabled "never" */
	PA_THP_MADVISE, /* "madvise" */
	PA_THP_ALWAYS,  /* "always" */
};

/**
 * pa_sysctl_set - set a tunable.
 * @name: its Linux name, e.g. "watermark_scale_factor".
 * @values: the value(s); lowmem_reserve_ratio takes one per zone.
 * @n: how many values.
 *
 * Before pa_init() the value is stored and used by pa_init(); after it,
 * watermarks, lowmem reserves and dependent limits are recomputed.
 * Context: boot or process context; takes every zone lock in turn.
 * Return: 0; -PA_ENOENT unknown name; -PA_EINVAL @values NULL, the wrong
 * number of values or a value outside the valid range (nothing is changed).
 */
int pa_sysctl_set(const char *name, const long *values, unsigned int n);

/**
 * pa_sysctl_get - read a tunable.
 * @name: its Linux name.
 * @values: receives the value(s).
 * @max: room in @values.
 * @n: receives how many values the tunable has.
 *
 * Context: any.
 * Return: 0; -PA_ENOENT unknown name; -PA_EINVAL @values NULL; -PA_ENOSPC
 * @max too small.
 */
int pa_sysctl_get(const char *name, long *values, unsigned int max, unsigned int *n);

/**
 * pa_sysctl_name - the name of tunable @i, to list them all.
 * @i: 0, 1, ... (tunables this build lacks, zone_reclaim_mode without
 *     NUMA, are skipped).
 *
 * Context: any.
 * Return: its Linux name, or NULL after the last.
 */
const char *pa_sysctl_name(unsigned int i);

/**
 * pa_set_thp - say what the kernel does with transparent huge pages.
 * @thp: PA_THP_NONE (the default of CONFIG_PA_THP_NONE: no huge pages),
 *       PA_THP_NEVER, PA_THP_MADVISE or PA_THP_ALWAYS, as Linux's
 *       /sys/kernel/mm/transparent_hugepage/enabled.
 *
 * min_free_kbytes then follows Linux 6.12's khugepaged
 * (set_recommended_min_free_kbytes()): with madvise or always it is
 * raised, if that is more, to (2 + MIGRATE_PCPTYPES^2) pageblocks per
 * populated zone below ZONE_MOVABLE, at most 5% of lowmem; with never it
 * is computed again with the high watermarks left out of lowmem.  The
 * watermarks follow.  Before pa_init() this applies at the end of
 * pa_init() (when Linux starts khugepaged); after it, at once, as a
 * write to that sysfs file.  A user-set min_free_kbytes that is raised is
 * said in one line, as Linux does.
 * Context: boot or process context; takes every zone lock in turn.
 * Return: 0, or -PA_EINVAL for a value that is none of these (one line).
 */
int pa_set_thp(enum pa_thp thp);

#endif /* PAGEALLOC_TUNABLES_H */
