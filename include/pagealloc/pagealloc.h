/* SPDX-License-Identifier: MIT */
/*
 * pagealloc - a zoned buddy page allocator for kernels, after Linux's.
 * The umbrella header: include this one.
 */
#ifndef PAGEALLOC_PAGEALLOC_H
#define PAGEALLOC_PAGEALLOC_H

#include <pagealloc/config.h>
#include <pagealloc/types.h>
#include <pagealloc/errno.h>
#include <pagealloc/gfp.h>
#include <pagealloc/init.h>
#include <pagealloc/page.h>
#include <pagealloc/info.h>
#include <pagealloc/tunables.h>
#include <pagealloc/watermark.h>
#include <pagealloc/numa.h>
#include <pagealloc/reclaim.h>
#include <pagealloc/vmstat.h>
#include <pagealloc/pcp.h>
#include <pagealloc/mobility.h>
#include <pagealloc/contig.h>
#include <pagealloc/debug.h>
#include <pagealloc/trace.h>

#endif /* PAGEALLOC_PAGEALLOC_H */
