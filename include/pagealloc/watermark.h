/* SPDX-License-Identifier: MIT */
/*
 * Watermark checks, as Linux's zone_watermark_ok() and zone_watermark_fast(),
 * with Linux 6.12's ALLOC_* flags.
 */
#ifndef PAGEALLOC_WATERMARK_H
#define PAGEALLOC_WATERMARK_H

#include <pagealloc/types.h>

/* The low bits select the watermark (Linux's ALLOC_WMARK_*). */
#define PA_ALLOC_WMARK_MIN 0x00u
#define PA_ALLOC_WMARK_LOW 0x01u
#define PA_ALLOC_WMARK_HIGH 0x02u
#define PA_ALLOC_WMARK_PROMO 0x03u
#define PA_ALLOC_NO_WATERMARKS 0x04u /* the caller skips the check */
#define PA_ALLOC_WMARK_MASK (PA_ALLOC_NO_WATERMARKS - 1)
#define PA_ALLOC_OOM 0x08u           /* OOM victim: a further half of the reserve */
#define PA_ALLOC_NON_BLOCK 0x10u     /* with MIN_RESERVE: a further quarter */
#define PA_ALLOC_MIN_RESERVE 0x20u   /* __GFP_HIGH: half of the min reserve */
#define PA_ALLOC_CPUSET 0x40u
#define PA_ALLOC_CMA 0x80u           /* may use MIGRATE_CMA pages */
#define PA_ALLOC_NOFRAGMENT 0x100u
#define PA_ALLOC_HIGHATOMIC 0x200u   /* may use the highatomic reserve */
#define PA_ALLOC_KSWAPD 0x800u
/* Flags that grant access below the min watermark. */
#define PA_ALLOC_RESERVES \
	(PA_ALLOC_NON_BLOCK | PA_ALLOC_MIN_RESERVE | PA_ALLOC_HIGHATOMIC | PA_ALLOC_OOM)

/**
 * pa_wmark_pages - the watermark @alloc_flags selects, boost included.
 * @nid: node.
 * @zone: zone type.
 * @alloc_flags: PA_ALLOC_WMARK_MIN/LOW/HIGH/PROMO in the low bits.
 *
 * Linux's wmark_pages(): _watermark[] + watermark_boost.
 * Context: any.
 * Return: pages; 0 with a log line for a bad node or zone.
 */
unsigned long pa_wmark_pages(int nid, enum pa_zone_type zone, unsigned int alloc_flags);

/**
 * pa_zone_watermark_ok - may an allocation of @order take pages from a zone?
 * @nid: node of the zone.
 * @zone: zone type.
 * @order: allocation order.
 * @mark: the watermark to keep (from pa_wmark_pages()).
 * @highest_zoneidx: the highest zone the allocation may use; its
 *                   lowmem_reserve entry is added to @mark.
 * @alloc_flags: PA_ALLOC_* flags.
 *
 * Free pages, less (2^order - 1) and less what this request may not use
 * (free highatomic pages without PA_ALLOC_RESERVES, free CMA pages without
 * PA_ALLOC_CMA), must exceed the mark plus lowmem_reserve.  MIN_RESERVE
 * halves the mark, NON_BLOCK (with MIN_RESERVE) takes a further quarter, OOM
 * then halves it.  For order > 0 a free block of at least @order must sit on
 * a list the request may use.  PA_ALLOC_NO_WATERMARKS has no effect here: as
 * in Linux, a caller with it skips the check.
 * Context: any; reads the zone's counters without its lock.
 * Return: 1 ok, 0 not ok; -PA_ENOENT bad node or zone, -PA_EINVAL bad
 * order or zone index (with a log line); -PA_ENODEV before pa_init().
 */
int pa_zone_watermark_ok(int nid, enum pa_zone_type zone, unsigned int order, unsigned long mark,
			 enum pa_zone_type highest_zoneidx, unsigned int alloc_flags);

/**
 * pa_zone_watermark_fast - pa_zone_watermark_ok() with Linux's shortcuts.
 * @nid: node of the zone.
 * @zone: zone type.
 * @order: allocation order.
 * @mark: the watermark to keep.
 * @highest_zoneidx: the highest zone the allocation may use.
 * @alloc_flags: PA_ALLOC_* flags.
 *
 * Order 0 first compares usable free pages with the mark directly; an
 * order-0 PA_ALLOC_MIN_RESERVE request at the min watermark ignores the
 * watermark boost when the boosted check fails (zone_watermark_fast()).
 * Context: any.
 * Return: as pa_zone_watermark_ok().
 */
int pa_zone_watermark_fast(int nid, enum pa_zone_type zone, unsigned int order, unsigned long mark,
			   enum pa_zone_type highest_zoneidx, unsigned int alloc_flags);

#endif /* PAGEALLOC_WATERMARK_H */
