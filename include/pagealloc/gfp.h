/* SPDX-License-Identifier: MIT */
/*
 * GFP ("get free pages") flags: where an allocation may come from and what
 * the allocator may do to satisfy it.  Names are Linux's with the PA_
 * prefix: Linux's __GFP_DMA is PA__GFP_DMA, GFP_KERNEL is PA_GFP_KERNEL.
 * <pagealloc/linux-compat.h> maps the Linux names for ported code.
 */
#ifndef PAGEALLOC_GFP_H
#define PAGEALLOC_GFP_H

#include <pagealloc/types.h>

/* Zone modifiers (the low four bits select the highest usable zone). */
#define PA__GFP_DMA 0x01u
#define PA__GFP_HIGHMEM 0x02u /* no highmem on 64-bit: means ZONE_NORMAL */
#define PA__GFP_DMA32 0x04u
#define PA__GFP_MOVABLE 0x08u /* also a mobility hint */
#define PA_GFP_ZONEMASK (PA__GFP_DMA | PA__GFP_HIGHMEM | PA__GFP_DMA32 | PA__GFP_MOVABLE)

/* Mobility. */
#define PA__GFP_RECLAIMABLE 0x10u
#define PA_GFP_MOVABLE_MASK (PA__GFP_RECLAIMABLE | PA__GFP_MOVABLE)

/* Watermark and reclaim modifiers. */
#define PA__GFP_HIGH 0x20u
#define PA__GFP_IO 0x40u
#define PA__GFP_FS 0x80u
#define PA__GFP_ZERO 0x100u
#define PA__GFP_DIRECT_RECLAIM 0x400u
#define PA__GFP_KSWAPD_RECLAIM 0x800u
#define PA__GFP_WRITE 0x1000u
/*
 * PA__GFP_NOWARN: no failure line, for callers that expect to fail (a
 * test that exhausts memory, a try-allocation with a fallback).  When the
 * slow path gives up on a valid request, it logs Linux's warn_alloc() line
 * ("page allocation failure: order:..., mode:..., nodemask=..." and each
 * usable zone's free pages and marks; the first 10 failures, then one in
 * 1024); with this flag it logs nothing and the failure does not count
 * towards that rate limit.  Nothing else changes: the request still
 * reclaims, compacts and calls the OOM hook as its other flags allow, and
 * the pgalloc_fail event is still counted.  Lines about bad input are
 * still logged: an invalid GFP mask (unknown bits, two zone modifiers,
 * movable with reclaimable), an order above PA_MAX_PAGE_ORDER, a bad node
 * or CPU id, a call before pa_init().  PA_GFP_NOWAIT includes it.
 */
#define PA__GFP_NOWARN 0x2000u
#define PA__GFP_RETRY_MAYFAIL 0x4000u
#define PA__GFP_NOFAIL 0x8000u
#define PA__GFP_NORETRY 0x10000u
#define PA__GFP_MEMALLOC 0x20000u
#define PA__GFP_COMP 0x40000u
#define PA__GFP_NOMEMALLOC 0x80000u
#define PA__GFP_HARDWALL 0x100000u
#define PA__GFP_THISNODE 0x200000u
#define PA__GFP_ACCOUNT 0x400000u /* accepted and ignored */
#define PA__GFP_BITS_MASK 0x7fffffu

#define PA__GFP_RECLAIM (PA__GFP_DIRECT_RECLAIM | PA__GFP_KSWAPD_RECLAIM)

/* The usual combinations, as Linux 6.12 defines them. */
#define PA_GFP_ATOMIC (PA__GFP_HIGH | PA__GFP_KSWAPD_RECLAIM)
#define PA_GFP_KERNEL (PA__GFP_RECLAIM | PA__GFP_IO | PA__GFP_FS)
#define PA_GFP_KERNEL_ACCOUNT (PA_GFP_KERNEL | PA__GFP_ACCOUNT)
#define PA_GFP_NOWAIT (PA__GFP_KSWAPD_RECLAIM | PA__GFP_NOWARN)
#define PA_GFP_NOIO (PA__GFP_RECLAIM)
#define PA_GFP_NOFS (PA__GFP_RECLAIM | PA__GFP_IO)
#define PA_GFP_USER (PA__GFP_RECLAIM | PA__GFP_IO | PA__GFP_FS | PA__GFP_HARDWALL)
#define PA_GFP_DMA PA__GFP_DMA
#define PA_GFP_DMA32 PA__GFP_DMA32
#define PA_GFP_HIGHUSER (PA_GFP_USER | PA__GFP_HIGHMEM)
#define PA_GFP_HIGHUSER_MOVABLE (PA_GFP_HIGHUSER | PA__GFP_MOVABLE)

/**
 * pa_gfp_to_zone - the highest zone an allocation with @gfp may use.
 * @gfp: allocation flags.
 *
 * Linux's gfp_zone(): no zone modifier is ZONE_NORMAL, __GFP_DMA and
 * __GFP_DMA32 their zones (ZONE_NORMAL when the zone is configured out),
 * __GFP_MOVABLE together with __GFP_HIGHMEM (GFP_HIGHUSER_MOVABLE)
 * ZONE_MOVABLE.  Two zone modifiers at once are invalid.
 * Context: any.
 * Return: an enum pa_zone_type; -PA_EINVAL with a log line for an invalid
 * combination or unknown bits.
 */
int pa_gfp_to_zone(pa_gfp_t gfp);

/**
 * pa_gfp_to_migratetype - the free lists an allocation with @gfp uses.
 * @gfp: allocation flags.
 *
 * Linux's gfp_migratetype(): __GFP_MOVABLE MOVABLE, __GFP_RECLAIMABLE
 * RECLAIMABLE, neither UNMOVABLE.
 * Context: any.
 * Return: an enum pa_migratetype; -PA_EINVAL with a log line when both bits
 * or unknown bits are set.
 */
int pa_gfp_to_migratetype(pa_gfp_t gfp);

/**
 * pa_gfp_to_alloc_flags - the PA_ALLOC_* flags of the slow path.
 * @gfp: allocation flags.
 * @order: allocation order.
 *
 * Linux's gfp_to_alloc_flags(): the MIN watermark; __GFP_HIGH gives
 * ALLOC_MIN_RESERVE, __GFP_KSWAPD_RECLAIM ALLOC_KSWAPD; without
 * __GFP_DIRECT_RECLAIM (and without __GFP_NOMEMALLOC) ALLOC_NON_BLOCK and,
 * for order > 0, ALLOC_HIGHATOMIC; ALLOC_CPUSET unless non-blocking
 * __GFP_HIGH; ALLOC_CMA for movable requests with CONFIG_PA_CMA.  (The fast
 * path uses the LOW watermark and ALLOC_KSWAPD only.)
 * Context: any.
 * Return: the flags (see <pagealloc/watermark.h>).
 */
unsigned int pa_gfp_to_alloc_flags(pa_gfp_t gfp, unsigned int order);

#endif /* PAGEALLOC_GFP_H */
