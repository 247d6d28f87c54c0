/* SPDX-License-Identifier: MIT */
/*
 * Grouping by mobility: pageblocks of one migratetype each, so that
 * movable and reclaimable pages do not pin every large block.
 */
#ifndef PAGEALLOC_MOBILITY_H
#define PAGEALLOC_MOBILITY_H

#include <pagealloc/types.h>

/**
 * pa_set_mobility_grouping - switch grouping by mobility on or off.
 * @on: 1 on, 0 off (every allocation is UNMOVABLE and fallbacks always
 *      claim, Linux's page_group_by_mobility_disabled), -1 automatic: off
 *      only when memory is smaller than one pageblock per migratetype, as
 *      Linux decides at boot.
 *
 * For comparisons (pa-bench fragmentation) and tiny machines.
 * Context: boot, before pa_init().
 * Return: 0; -PA_EINVAL bad value; -PA_EBUSY after pa_init().
 */
int pa_set_mobility_grouping(int on);

/**
 * pa_mobility_grouping - is grouping by mobility on?
 *
 * Context: any, after pa_init().
 * Return: true when on.
 */
bool pa_mobility_grouping(void);

#endif /* PAGEALLOC_MOBILITY_H */
