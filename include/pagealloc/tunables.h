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

#endif /* PAGEALLOC_TUNABLES_H */
