// SPDX-License-Identifier: MIT
/*
 * Watermarks, min_free_kbytes, lowmem reserves and the watermark checks,
 * against numbers worked out by hand from Linux 6.12's formulas:
 *
 *   min_free_kbytes = clamp(int_sqrt(lowmem_kbytes * 16), 128, 262144)
 *   pages_min       = min_free_kbytes >> (PAGE_SHIFT - 10)
 *   share           = pages_min * managed / lowmem_pages   (MOVABLE not lowmem)
 *   min             = share; MOVABLE: clamp(managed / 1024, 32, 128)
 *   tmp             = max(share / 4, mult_frac(managed, wsf, 10000))
 *   low/high/promo  = min + tmp / 2 tmp / 3 tmp
 *   lowmem_reserve[j] of zone i = sum(managed i+1..j) / ratio[i]
 *
 * mult_frac(x, n, d) = (x / d) * n + ((x % d) * n) / d.  Metadata is placed
 * outside memory so managed == present.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "th_internal.h"


static inline void sysctl_set1(const char *name, long v)
{
	assert_int_equal(pa_sysctl_set(name, &v, 1), 0);
}

static long sysctl1(const char *name)
{
	long v[PA_MAX_NR_ZONES];
	unsigned int n;

	assert_int_equal(pa_sysctl_get(name, v, PA_MAX_NR_ZONES, &n), 0);
	return v[0];
}

static void assert_wmarks(int nid, enum pa_zone_type z, unsigned long min, unsigned long low,
			  unsigned long high, unsigned long promo)
{
	struct pa_zone_counts c = th_zone(nid, z);

	if (c.wmark_min != min || c.wmark_low != low || c.wmark_high != high || c.wmark_promo != promo)
		fail_msg("zone %s: min/low/high/promo %lu/%lu/%lu/%lu, want %lu/%lu/%lu/%lu",
			 pa_zone_name(z), c.wmark_min, c.wmark_low, c.wmark_high, c.wmark_promo, min,
			 low, high, promo);
}

/* The one-zone machine: 1 GiB at 1 GiB, all ZONE_NORMAL. */
static void one_zone(void)
{
	assert_int_equal(pa_memblock_add(1 * GiB, 1 * GiB, 0), 0);
	th_external_memmap();
}

#if PA_PAGE_SHIFT == 12
static void test_one_zone(void **state)
{
	(void)state;
	one_zone();
	assert_int_equal(pa_init(), 0);
	/*
	 * managed 262144 pages = 1048576 KiB; int_sqrt(16777216) = 4096.
	 * pages_min = 1024, all of it NORMAL's share.
	 * tmp = max(1024 / 4 = 256, 26 * 10 + (2144 * 10) / 10000 = 262) = 262.
	 */
	assert_int_equal(sysctl1("min_free_kbytes"), 4096);
	assert_wmarks(0, PA_ZONE_NORMAL, 1024, 1286, 1548, 1810);
	/* An empty MOVABLE zone: min = clamp(0, 32, 128) = 32, tmp = 0. */
	assert_wmarks(0, PA_ZONE_MOVABLE, 32, 32, 32, 32);
	/* NORMAL's only higher zone is empty: no protection. */
	for (int j = 0; j < PA_MAX_NR_ZONES; j++)
		assert_int_equal(th_zone(0, PA_ZONE_NORMAL).lowmem_reserve[j], 0);
}

static void test_scale_factor_1_and_1000(void **state)
{
	long one = 1, thousand = 1000, ten = 10;

	(void)state;
	one_zone();
	assert_int_equal(pa_init(), 0);
	/* wsf 1: tmp = max(256, 26 * 1 + 2144 / 10000 = 26) = 256. */
	assert_int_equal(pa_sysctl_set("watermark_scale_factor", &one, 1), 0);
	assert_wmarks(0, PA_ZONE_NORMAL, 1024, 1280, 1536, 1792);
	/* wsf 1000: tmp = 26 * 1000 + (2144 * 1000) / 10000 = 26214. */
	assert_int_equal(pa_sysctl_set("watermark_scale_factor", &thousand, 1), 0);
	assert_wmarks(0, PA_ZONE_NORMAL, 1024, 27238, 53452, 79666);
	assert_int_equal(pa_sysctl_set("watermark_scale_factor", &ten, 1), 0);
	assert_wmarks(0, PA_ZONE_NORMAL, 1024, 1286, 1548, 1810);
}

static void test_user_min_free_kbytes(void **state)
{
	long v;

	(void)state;
	/* Set at run time: 16384 KiB -> pages_min 4096, tmp = max(1024, 262). */
	one_zone();
	assert_int_equal(pa_init(), 0);
	v = 16384;
	assert_int_equal(pa_sysctl_set("min_free_kbytes", &v, 1), 0);
	assert_wmarks(0, PA_ZONE_NORMAL, 4096, 5120, 6144, 7168);

	/* Set before init above the computed 4096: kept, with Linux's warning. */
	th_reset();
	/* Exact buddy accounting in this file: per-CPU sets off (zone_pcp_disable), */
	pa_pcp_set_enabled(false);
	/* and grouping by mobility on even on tiny machines (Linux turns it off there). */
	pa_set_mobility_grouping(1);
	one_zone();
	v = 8192;
	assert_int_equal(pa_sysctl_set("min_free_kbytes", &v, 1), 0);
	th_log_clear();
	assert_int_equal(pa_init(), 0);
	assert_int_equal(th_log_lines(), 1);
	assert_string_equal(th_last_log(), "min_free_kbytes is not updated to 4096 because user "
					   "defined value 8192 is preferred");
	/* pages_min 2048: tmp = max(512, 262). */
	assert_int_equal(sysctl1("min_free_kbytes"), 8192);
	assert_wmarks(0, PA_ZONE_NORMAL, 2048, 2560, 3072, 3584);

	/* Set before init below the computed value: the computed one wins. */
	th_reset();
	/* Exact buddy accounting in this file: per-CPU sets off (zone_pcp_disable), */
	pa_pcp_set_enabled(false);
	/* and grouping by mobility on even on tiny machines (Linux turns it off there). */
	pa_set_mobility_grouping(1);
	one_zone();
	v = 100;
	assert_int_equal(pa_sysctl_set("min_free_kbytes", &v, 1), 0);
	assert_int_equal(pa_init(), 0);
	assert_int_equal(sysctl1("min_free_kbytes"), 4096);
}
#endif

#if PA_PAGE_SHIFT == 12 && defined(CONFIG_PA_ZONE_DMA) && defined(CONFIG_PA_ZONE_DMA32)
/* [0, 6G): DMA below 16 MiB (4096 pages), DMA32 (1044480), NORMAL (524288). */
static void three_zones(void)
{
	assert_int_equal(pa_memblock_add(0, 6 * GiB, 0), 0);
	assert_int_equal(pa_set_zone_limit(PA_ZONE_DMA, 16 * MiB), 0);
	assert_int_equal(pa_set_zone_limit(PA_ZONE_DMA32, 4 * GiB), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
}

static void assert_protection(enum pa_zone_type z, unsigned long r0, unsigned long r1,
			      unsigned long r2, unsigned long r3)
{
	struct pa_zone_counts c = th_zone(0, z);
	unsigned long want[4] = { r0, r1, r2, r3 };

	for (int j = 0; j < 4; j++)
		if (c.lowmem_reserve[j] != want[j])
			fail_msg("%s protection[%d] = %lu, want %lu", pa_zone_name(z), j,
				 c.lowmem_reserve[j], want[j]);
}

static void test_dma_dma32_normal(void **state)
{
	(void)state;
	three_zones();
	/*
	 * lowmem = 1572864 pages = 6291456 KiB; 6291456 * 16 = 100663296;
	 * 10033^2 = 100661089 <= it < 10034^2 = 100681156: min_free_kbytes 10033.
	 * pages_min = 10033 >> 2 = 2508.
	 */
	assert_int_equal(sysctl1("min_free_kbytes"), 10033);
	/* DMA: 2508 * 4096 / 1572864 = 6; tmp = max(1, 0 * 10 + 40960 / 10000 = 4) = 4. */
	assert_wmarks(0, PA_ZONE_DMA, 6, 10, 14, 18);
	/* DMA32: 2508 * 1044480 / 1572864 = 1665; tmp = max(416, 1040 + 44800 / 10000) = 1044. */
	assert_wmarks(0, PA_ZONE_DMA32, 1665, 2709, 3753, 4797);
	/* NORMAL: 2508 / 3 = 836; tmp = max(209, 520 + 42880 / 10000) = 524. */
	assert_wmarks(0, PA_ZONE_NORMAL, 836, 1360, 1884, 2408);
	/*
	 * protection, ratios 256 256 32 0:
	 * DMA: 1044480 / 256 = 4080, (1044480 + 524288) / 256 = 6128, +0.
	 * DMA32: 524288 / 256 = 2048, 2048.  NORMAL: 0 / 32 = 0.
	 */
	assert_protection(PA_ZONE_DMA, 0, 4080, 6128, 6128);
	assert_protection(PA_ZONE_DMA32, 0, 0, 2048, 2048);
	assert_protection(PA_ZONE_NORMAL, 0, 0, 0, 0);
}

static void test_lowmem_reserve_ratio_at_run_time(void **state)
{
	long ratio[4] = { 128, 128, 32, 0 };
	long bad[4] = { -5, 256, 32, 0 };
	long got[4];
	unsigned int n;

	(void)state;
	three_zones();
	/* DMA: 1044480 / 128 = 8160, 1568768 / 128 = 12256.  DMA32: 524288 / 128 = 4096. */
	assert_int_equal(pa_sysctl_set("lowmem_reserve_ratio", ratio, 4), 0);
	assert_protection(PA_ZONE_DMA, 0, 8160, 12256, 12256);
	assert_protection(PA_ZONE_DMA32, 0, 0, 4096, 4096);
	/* A ratio below 1 becomes 0 (no protection), as the Linux handler does. */
	assert_int_equal(pa_sysctl_set("lowmem_reserve_ratio", bad, 4), 0);
	assert_int_equal(pa_sysctl_get("lowmem_reserve_ratio", got, 4, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(got[0], 0);
	assert_protection(PA_ZONE_DMA, 0, 0, 0, 0);
	assert_protection(PA_ZONE_DMA32, 0, 0, 2048, 2048);
	/* Wrong count: refused, nothing changed. */
	th_log_clear();
	th_assert_error(pa_sysctl_set("lowmem_reserve_ratio", ratio, 3), PA_EINVAL, "takes 4 values");
	assert_protection(PA_ZONE_DMA32, 0, 0, 2048, 2048);
}

static void test_movable_zone(void **state)
{
	(void)state;
	/* [1G, 5G), DMA32 below 4G, movablecore=512M: DMA32 786432, NORMAL 131072, MOVABLE 131072. */
	assert_int_equal(pa_memblock_add(1 * GiB, 4 * GiB, 0), 0);
	assert_int_equal(pa_set_zone_limit(PA_ZONE_DMA32, 4 * GiB), 0);
	assert_int_equal(pa_set_movablecore(512 * MiB), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	/*
	 * lowmem (zones up to NORMAL) = 917504 pages = 3670016 KiB; * 16 = 58720256;
	 * 7662^2 = 58706244 <= it < 7663^2 = 58721569: 7662.  pages_min = 1915.
	 */
	assert_int_equal(sysctl1("min_free_kbytes"), 7662);
	/* DMA32: 1915 * 786432 / 917504 = 1641; tmp = max(410, 780 + 64320 / 10000) = 786. */
	assert_wmarks(0, PA_ZONE_DMA32, 1641, 2427, 3213, 3999);
	/* NORMAL: 1915 * 131072 / 917504 = 273; tmp = max(68, 130 + 10720 / 10000) = 131. */
	assert_wmarks(0, PA_ZONE_NORMAL, 273, 404, 535, 666);
	/* MOVABLE: min = clamp(131072 / 1024 = 128, 32, 128) = 128; share 273, tmp 131. */
	assert_wmarks(0, PA_ZONE_MOVABLE, 128, 259, 390, 521);
	/* DMA32: 131072 / 256 = 512, 262144 / 256 = 1024.  NORMAL: 131072 / 32 = 4096. */
	assert_protection(PA_ZONE_DMA32, 0, 0, 512, 1024);
	assert_protection(PA_ZONE_NORMAL, 0, 0, 0, 4096);
	assert_protection(PA_ZONE_DMA, 0, 0, 0, 0);
}
#endif

#if PA_PAGE_SHIFT == 14
static void test_16k_pages(void **state)
{
	(void)state;
	/*
	 * 1 GiB = 65536 pages of 16 KiB = 1048576 KiB: min_free_kbytes 4096.
	 * pages_min = 4096 >> 4 = 256; tmp = max(64, 6 * 10 + 55360 / 10000 = 65) = 65.
	 */
	one_zone();
	assert_int_equal(pa_init(), 0);
	assert_int_equal(sysctl1("min_free_kbytes"), 4096);
	assert_wmarks(0, PA_ZONE_NORMAL, 256, 321, 386, 451);
}
#endif

#if PA_PAGE_SHIFT == 16
static void test_64k_pages(void **state)
{
	(void)state;
	/*
	 * 1 GiB = 16384 pages of 64 KiB = 1048576 KiB: min_free_kbytes 4096.
	 * pages_min = 4096 >> 6 = 64; tmp = max(16, 1 * 10 + 63840 / 10000 = 16) = 16.
	 */
	one_zone();
	assert_int_equal(pa_init(), 0);
	assert_int_equal(sysctl1("min_free_kbytes"), 4096);
	assert_wmarks(0, PA_ZONE_NORMAL, 64, 80, 96, 112);
	assert_wmarks(0, PA_ZONE_MOVABLE, 32, 32, 32, 32);
}
#endif

static void test_int_sqrt(void **state)
{
	(void)state;
	assert_int_equal(pa_int_sqrt(0), 0);
	assert_int_equal(pa_int_sqrt(1), 1);
	assert_int_equal(pa_int_sqrt(3), 1);
	assert_int_equal(pa_int_sqrt(4), 2);
	assert_int_equal(pa_int_sqrt(100661089), 10033);
	assert_int_equal(pa_int_sqrt(100681155), 10033);
	assert_int_equal(pa_int_sqrt(100681156), 10034);
	assert_int_equal(pa_int_sqrt(~0UL), 4294967295UL);
}

/*
 * The bit scans the library uses where the target has no instruction for
 * them (pa_ilog2_generic(): rv64gc without Zbb), against a plain loop, for
 * every power of two and its neighbours.
 */
static void test_generic_bitscan(void **state)
{
	(void)state;
	for (unsigned int bit = 0; bit < sizeof(long) * 8; bit++) {
		unsigned long p = 1UL << bit;
		unsigned long vals[] = { p, p + 1, (p << 1) - 1, p | (p >> 1), p | 1 };

		for (unsigned int i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
			unsigned int want = 0;

			if (!vals[i])
				continue;
			for (unsigned long v = vals[i]; v >> 1; v >>= 1)
				want++;
			assert_int_equal(pa_ilog2_generic(vals[i]), want);
			assert_int_equal(pa_ilog2(vals[i]), want);
		}
		assert_int_equal(pa_ctzl(p), bit);
		assert_int_equal(pa_ctzl(p | (p << 1)), bit);
	}
	assert_int_equal(pa_ilog2_generic(~0UL), sizeof(long) * 8 - 1);
}

/* Every tunable: a valid change is applied, each invalid value refused with nothing changed. */
static void test_tunables_reject_invalid(void **state)
{
	struct {
		const char *name;
		long bad;
		long good;
	} cases[] = {
		{ "min_free_kbytes", -1, 2048 },
		{ "watermark_scale_factor", 0, 3000 },
		{ "watermark_scale_factor", 3001, 1 },
		{ "watermark_boost_factor", -1, 0 },
		{ "percpu_pagelist_high_fraction", 7, 8 },
		{ "percpu_pagelist_high_fraction", -1, 0 },
#ifdef CONFIG_PA_NUMA
		{ "zone_reclaim_mode", -1, 4 },
#endif
	};
	char before[8192], after[8192];

	(void)state;
	one_zone();
	assert_int_equal(pa_init(), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long old = sysctl1(cases[i].name);

		th_zoneinfo(before, sizeof(before));
		th_log_clear();
		th_assert_error(pa_sysctl_set(cases[i].name, &cases[i].bad, 1), PA_EINVAL, "out of range");
		assert_int_equal(sysctl1(cases[i].name), old);
		th_zoneinfo(after, sizeof(after));
		assert_string_equal(before, after);
		assert_int_equal(pa_sysctl_set(cases[i].name, &cases[i].good, 1), 0);
		assert_int_equal(sysctl1(cases[i].name), cases[i].good);
	}
	th_log_clear();
	long v = 1;
	th_assert_error(pa_sysctl_set("no_such_tunable", &v, 1), PA_ENOENT, "unknown tunable");
	th_assert_error(pa_sysctl_set("min_free_kbytes", NULL, 0), PA_EINVAL, "values is NULL");
	th_assert_error(pa_sysctl_set("watermark_scale_factor", NULL, 1), PA_EINVAL,
			"watermark_scale_factor: values is NULL");
	long two[2] = { 1, 2 };
	th_assert_error(pa_sysctl_set("watermark_scale_factor", two, 2), PA_EINVAL, "takes 1 value");
	th_assert_error(pa_sysctl_get("lowmem_reserve_ratio", &v, 1, NULL), PA_ENOSPC, "room for 1");
	th_assert_error(pa_sysctl_get("lowmem_reserve_ratio", NULL, 8, NULL), PA_EINVAL,
			"values is NULL");
#ifndef CONFIG_PA_NUMA
	th_assert_error(pa_sysctl_set("zone_reclaim_mode", &v, 1), PA_ENOENT, "unknown tunable");
#endif
}

/* ------------------------------------------------------------ watermark checks */

static struct pa_page **held;
static unsigned long nheld;

/* One-zone machine with exactly @free pages left free (order-0 allocations). */
static struct pa_zone *zone_with_free(unsigned long free)
{
	unsigned long managed;

	one_zone();
	assert_int_equal(pa_init(), 0);
	managed = th_zone(0, PA_ZONE_NORMAL).managed;
	held = calloc(managed, sizeof(*held));
	nheld = 0;
	while (th_zone(0, PA_ZONE_NORMAL).free > free)
		held[nheld++] = pa_alloc_pages(TH_GFP_ANY, PA_MAX_PAGE_ORDER);
	while (th_zone(0, PA_ZONE_NORMAL).free < free)
		assert_int_equal(pa_free_pages(held[--nheld], PA_MAX_PAGE_ORDER), 0);
	while (th_zone(0, PA_ZONE_NORMAL).free > free)
		held[nheld++] = pa_alloc_pages(TH_GFP_ANY, 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, free);
	return th_pa_zone(0, PA_ZONE_NORMAL);
}

static int ok(unsigned int order, unsigned long mark, unsigned int flags)
{
	return pa_zone_watermark_ok(0, PA_ZONE_NORMAL, order, mark, PA_ZONE_NORMAL, flags);
}

static void test_watermark_ok_flags(void **state)
{
	struct pa_zone *z;

	(void)state;
	z = zone_with_free(1000);
	/* Plain: free must exceed the mark. */
	assert_int_equal(ok(0, 999, 0), 1);
	assert_int_equal(ok(0, 1000, 0), 0);
	/* WMARK_* and NO_WATERMARKS only select or skip the mark in the caller. */
	assert_int_equal(ok(0, 1000, PA_ALLOC_WMARK_HIGH | PA_ALLOC_NO_WATERMARKS), 0);
	/* MIN_RESERVE halves: 1999 - 999 = 1000 fails, 1998 - 999 = 999 passes. */
	assert_int_equal(ok(0, 1999, PA_ALLOC_MIN_RESERVE), 0);
	assert_int_equal(ok(0, 1998, PA_ALLOC_MIN_RESERVE), 1);
	/* ...and with NON_BLOCK a further quarter: 2665 -> 1333 -> 1000; 2664 -> 1332 -> 999. */
	assert_int_equal(ok(0, 2665, PA_ALLOC_MIN_RESERVE | PA_ALLOC_NON_BLOCK), 0);
	assert_int_equal(ok(0, 2664, PA_ALLOC_MIN_RESERVE | PA_ALLOC_NON_BLOCK), 1);
	/* NON_BLOCK alone takes nothing off. */
	assert_int_equal(ok(0, 1000, PA_ALLOC_NON_BLOCK), 0);
	/* OOM halves: 1999 -> 1000 fails, 1998 -> 999 passes. */
	assert_int_equal(ok(0, 1999, PA_ALLOC_OOM), 0);
	assert_int_equal(ok(0, 1998, PA_ALLOC_OOM), 1);
	/* MIN_RESERVE then OOM: 4000 -> 2000 -> 1000 fails; 3996 -> 1998 -> 999 passes. */
	assert_int_equal(ok(0, 4000, PA_ALLOC_MIN_RESERVE | PA_ALLOC_OOM), 0);
	assert_int_equal(ok(0, 3996, PA_ALLOC_MIN_RESERVE | PA_ALLOC_OOM), 1);
	/* Order 3 needs 2^3 - 1 = 7 more pages: 1000 - 7 = 993 must exceed the mark. */
	assert_int_equal(ok(3, 992, 0), 1);
	assert_int_equal(ok(3, 993, 0), 0);

	/* Free highatomic pages are unusable without a reserves flag (white-box counter). */
	z->free_pages_mt[PA_MIGRATE_HIGHATOMIC] += 100;
	assert_int_equal(ok(0, 899, 0), 1);
	assert_int_equal(ok(0, 900, 0), 0);
	assert_int_equal(ok(0, 900, PA_ALLOC_HIGHATOMIC), 1);
	assert_int_equal(ok(0, 900, PA_ALLOC_NON_BLOCK), 1);
	z->free_pages_mt[PA_MIGRATE_HIGHATOMIC] -= 100;
#ifdef CONFIG_PA_CMA
	/* Free CMA pages are unusable without ALLOC_CMA. */
	z->free_pages_mt[PA_MIGRATE_CMA] += 100;
	assert_int_equal(ok(0, 900, 0), 0);
	assert_int_equal(ok(0, 900, PA_ALLOC_CMA), 1);
	z->free_pages_mt[PA_MIGRATE_CMA] -= 100;
#endif
	/* lowmem_reserve of the highest usable zone adds to the mark. */
	z->lowmem_reserve[PA_ZONE_MOVABLE] = 500;
	assert_int_equal(pa_zone_watermark_ok(0, PA_ZONE_NORMAL, 0, 499, PA_ZONE_MOVABLE, 0), 1);
	assert_int_equal(pa_zone_watermark_ok(0, PA_ZONE_NORMAL, 0, 500, PA_ZONE_MOVABLE, 0), 0);
	assert_int_equal(pa_zone_watermark_ok(0, PA_ZONE_NORMAL, 0, 500, PA_ZONE_NORMAL, 0), 1);
	z->lowmem_reserve[PA_ZONE_MOVABLE] = 0;
	/* The marks the WMARK bits select are the zone's own. */
	assert_int_equal(pa_wmark_pages(0, PA_ZONE_NORMAL, PA_ALLOC_WMARK_MIN), z->_watermark[0]);
	assert_int_equal(pa_wmark_pages(0, PA_ZONE_NORMAL, PA_ALLOC_WMARK_LOW), z->_watermark[1]);
	assert_int_equal(pa_wmark_pages(0, PA_ZONE_NORMAL, PA_ALLOC_WMARK_HIGH), z->_watermark[2]);
	/* Bad arguments. */
	th_log_clear();
	th_assert_error(pa_zone_watermark_ok(PA_MAX_NUMNODES, PA_ZONE_NORMAL, 0, 0, 0, 0), PA_ENOENT,
			"no zone");
	th_assert_error(ok(PA_MAX_PAGE_ORDER + 1, 0, 0), PA_EINVAL, "order");
	free(held);
}

/* Free memory only below the requested order: the block check fails. */
static void test_watermark_ok_high_order(void **state)
{
	unsigned long n = PA_MAX_ORDER_NR_PAGES;
	struct pa_page **pages = calloc(n, sizeof(*pages));
	struct pa_zone *z;
	struct pa_page *blk;

	(void)state;
	assert_int_equal(pa_memblock_add(1 * GiB, (pa_phys_t)n << PA_PAGE_SHIFT, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	z = th_pa_zone(0, PA_ZONE_NORMAL);
	for (unsigned long i = 0; i < n; i++)
		pages[i] = pa_alloc_pages(TH_GFP_ANY, 0);
	/* Free every other page: n/2 free pages, all order 0. */
	for (unsigned long i = 0; i < n; i += 2)
		assert_int_equal(pa_free_pages(pages[i], 0), 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, n / 2);
	assert_int_equal(ok(0, 0, 0), 1);
	assert_int_equal(ok(1, 0, 0), 0);
	assert_int_equal(ok(1, 0, PA_ALLOC_OOM | PA_ALLOC_MIN_RESERVE | PA_ALLOC_HIGHATOMIC), 0);
	/*
	 * Linux's fragmentation_index() over n/2 free order-0 blocks: order 0
	 * is available (-1000); order 1 fails for fragmentation:
	 * 1000 - (1000 + (n/2) * 1000 / 2) / (n/2).
	 */
	int idx;
	assert_int_equal(pa_fragmentation_index(0, PA_ZONE_NORMAL, 0, &idx), 0);
	assert_int_equal(idx, -1000);
	assert_int_equal(pa_fragmentation_index(0, PA_ZONE_NORMAL, 1, &idx), 0);
	assert_int_equal(idx, 1000 - (int)((1000 + (n / 2) * 1000 / 2) / (n / 2)));
	if (n == 1024)
		assert_int_equal(idx, 499); /* 1000 - 257000 / 512 */
	th_assert_error(pa_fragmentation_index(0, PA_ZONE_NORMAL, PA_MAX_PAGE_ORDER + 1, &idx),
			PA_EINVAL, "order");
	/* Freeing page 1 merges pages 0..1 into one order-1 block. */
	assert_int_equal(pa_free_pages(pages[1], 0), 0);
	assert_int_equal(ok(1, 0, 0), 1);
	assert_int_equal(ok(2, 0, 0), 0);
	/* That block on the highatomic list: only HIGHATOMIC or OOM may use it (white-box). */
	blk = pages[0];
	pa_list_del(&blk->lru);
	pa_list_add(&blk->lru, &z->free_area[1].free_list[PA_MIGRATE_HIGHATOMIC]);
	assert_int_equal(ok(1, 0, PA_ALLOC_RESERVES), 1);
	assert_int_equal(ok(1, 0, 0), 0);
	assert_int_equal(ok(1, 0, PA_ALLOC_MIN_RESERVE), 0);
	assert_int_equal(ok(1, 0, PA_ALLOC_HIGHATOMIC), 1);
	assert_int_equal(ok(1, 0, PA_ALLOC_OOM), 1);
	pa_list_del(&blk->lru);
	pa_list_add(&blk->lru, &z->free_area[1].free_list[PA_MIGRATE_MOVABLE]);
	th_check();
	free(pages);
}

static void test_watermark_fast(void **state)
{
	struct pa_zone *z;
	unsigned long min0;

	(void)state;
	z = zone_with_free(1000);
	/* Order 0 shortcut agrees with the full check. */
	assert_int_equal(pa_zone_watermark_fast(0, PA_ZONE_NORMAL, 0, 999, PA_ZONE_NORMAL, 0), 1);
	assert_int_equal(pa_zone_watermark_fast(0, PA_ZONE_NORMAL, 0, 1000, PA_ZONE_NORMAL, 0), 0);
	/*
	 * Boost: min 1500 + boost 1000 = 2500.  MIN_RESERVE halves 2500 to 1250:
	 * 1000 free fails; without the boost 1500 -> 750 passes, and the fast
	 * check retries so for an order-0 MIN_RESERVE request at WMARK_MIN.
	 */
	min0 = z->_watermark[PA_WMARK_MIN];
	z->_watermark[PA_WMARK_MIN] = 1500;
	z->watermark_boost = 1000;
	unsigned long mark = pa_wmark_pages(0, PA_ZONE_NORMAL, PA_ALLOC_WMARK_MIN);
	assert_int_equal(mark, 2500);
	assert_int_equal(ok(0, mark, PA_ALLOC_MIN_RESERVE), 0);
	assert_int_equal(pa_zone_watermark_fast(0, PA_ZONE_NORMAL, 0, mark, PA_ZONE_NORMAL,
						PA_ALLOC_MIN_RESERVE | PA_ALLOC_WMARK_MIN), 1);
	/* Not for the low watermark, nor without MIN_RESERVE, nor for order > 0. */
	assert_int_equal(pa_zone_watermark_fast(0, PA_ZONE_NORMAL, 0, mark, PA_ZONE_NORMAL,
						PA_ALLOC_MIN_RESERVE | PA_ALLOC_WMARK_LOW), 0);
	assert_int_equal(pa_zone_watermark_fast(0, PA_ZONE_NORMAL, 0, mark, PA_ZONE_NORMAL,
						PA_ALLOC_WMARK_MIN), 0);
	assert_int_equal(pa_zone_watermark_fast(0, PA_ZONE_NORMAL, 1, mark, PA_ZONE_NORMAL,
						PA_ALLOC_MIN_RESERVE), 0);
	z->_watermark[PA_WMARK_MIN] = min0;
	z->watermark_boost = 0;
	free(held);
}

#if PA_PAGE_SHIFT == 12 && PA_PAGEBLOCK_ORDER == 9
/*
 * Linux 6.12's set_recommended_min_free_kbytes() (khugepaged), worked out
 * by hand: with huge pages in use, min_free_kbytes is at least
 * pageblock_nr_pages * zones * (2 + MIGRATE_PCPTYPES^2) = 512 * zones * 11
 * pages, over the populated zones up to ZONE_NORMAL, capped at
 * nr_free_buffer_pages() / 20 (managed minus high, up to NORMAL); with
 * "never", the boot formula again over managed minus high.
 */

/* 2 GiB at 1 GiB, all ZONE_NORMAL: one zone. */
static void thp_machine_2g(enum pa_thp thp)
{
	assert_int_equal(pa_set_thp(thp), 0);
	assert_int_equal(pa_memblock_add(1 * GiB, 2 * GiB, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
}

static void test_thp_one_zone(void **state)
{
	(void)state;
	/*
	 * No huge pages: int_sqrt(2097152 KiB * 16) = 5792; pages_min 1448,
	 * tmp = max(362, mult_frac(524288, 10, 10000) = 52 * 10 + 4288 * 10 /
	 * 10000 = 524) = 524: high 2496.
	 */
	thp_machine_2g(PA_THP_NONE);
	assert_int_equal(sysctl1("min_free_kbytes"), 5792);
	assert_wmarks(0, PA_ZONE_NORMAL, 1448, 1972, 2496, 3020);
	/*
	 * always: 512 * 1 * 11 = 5632 pages (the cap, (524288 - 2496) / 20 =
	 * 26089, is above); pages_min 5632, tmp max(1408, 524) = 1408.
	 */
	th_setup_exact(state);
	thp_machine_2g(PA_THP_ALWAYS);
	assert_int_equal(sysctl1("min_free_kbytes"), 22528);
	assert_wmarks(0, PA_ZONE_NORMAL, 5632, 7040, 8448, 9856);
	th_setup_exact(state);
	thp_machine_2g(PA_THP_MADVISE);
	assert_int_equal(sysctl1("min_free_kbytes"), 22528);
	/* never: int_sqrt((524288 - 2496) * 4 * 16) = int_sqrt(33394688) = 5778; pages_min 1444. */
	th_setup_exact(state);
	thp_machine_2g(PA_THP_NEVER);
	assert_int_equal(sysctl1("min_free_kbytes"), 5778);
	assert_wmarks(0, PA_ZONE_NORMAL, 1444, 1968, 2492, 3016);
	assert_int_equal(th_log_lines(), 0);
}

#if defined(CONFIG_PA_ZONE_DMA32)
/* 5 GiB at 1 GiB: DMA32 3 GiB below 4 GiB, Normal 2 GiB. */
static void thp_machine_5g(enum pa_thp thp)
{
	assert_int_equal(pa_set_thp(thp), 0);
	assert_int_equal(pa_memblock_add(1 * GiB, 5 * GiB, 0), 0);
	assert_int_equal(pa_set_zone_limit(PA_ZONE_DMA32, 4 * GiB), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
}

static void test_thp_two_zones(void **state)
{
	(void)state;
	/* int_sqrt(5242880 * 16 = 83886080) = 9158. */
	thp_machine_5g(PA_THP_NONE);
	assert_int_equal(sysctl1("min_free_kbytes"), 9158);
	/* always: 512 * 2 * 11 = 11264 pages = 45056 KiB. */
	th_setup_exact(state);
	thp_machine_5g(PA_THP_ALWAYS);
	assert_int_equal(sysctl1("min_free_kbytes"), 45056);
	/*
	 * never: pages_min 2289; DMA32 share 2289 * 786432 / 1310720 = 1373,
	 * tmp max(343, 78 * 10 + 6432 * 10 / 10000 = 786) = 786, high 2945;
	 * Normal share 915, tmp 524, high 1963;
	 * int_sqrt((1310720 - 4908) * 4 * 16 = 83571968) = 9141.
	 */
	th_setup_exact(state);
	thp_machine_5g(PA_THP_NEVER);
	assert_int_equal(sysctl1("min_free_kbytes"), 9141);
}
#endif

#if defined(CONFIG_PA_ZONE_DMA32) && defined(CONFIG_PA_NUMA)
/* Two nodes, each 1 GiB of DMA32 and 1 GiB of Normal: four populated zones. */
static void test_thp_two_nodes(void **state)
{
	(void)state;
	assert_int_equal(pa_set_nr_cpus(2), 0);
	assert_int_equal(pa_set_thp(PA_THP_ALWAYS), 0);
	assert_int_equal(pa_memblock_add(1 * GiB, 1 * GiB, 0), 0);
	assert_int_equal(pa_memblock_add(2 * GiB, 1 * GiB, 1), 0);
	assert_int_equal(pa_memblock_add(4 * GiB, 1 * GiB, 0), 0);
	assert_int_equal(pa_memblock_add(6 * GiB, 1 * GiB, 1), 0);
	assert_int_equal(pa_set_zone_limit(PA_ZONE_DMA32, 4 * GiB), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	/* 512 * 4 * 11 = 22528 pages = 90112 KiB, under the cap (about 1 M pages / 20). */
	assert_int_equal(sysctl1("min_free_kbytes"), 90112);
}
#endif

/*
 * The cap and the user's value.  256 MiB: int_sqrt(262144 * 16) = 2048,
 * pages_min 512, tmp max(128, 6 * 10 + 5536 * 10 / 10000 = 65) = 128,
 * high 768; always: the cap (65536 - 768) / 20 = 3238 pages = 12952 KiB,
 * below 5632 pages.
 */
static void test_thp_cap_and_user_value(void **state)
{
	assert_int_equal(pa_set_thp(PA_THP_ALWAYS), 0);
	assert_int_equal(pa_memblock_add(1 * GiB, 256 * MiB, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	assert_int_equal(sysctl1("min_free_kbytes"), 12952);
	/* A user value above the recommendation is kept, without a word. */
	th_setup_exact(state);
	sysctl_set1("min_free_kbytes", 30000);
	thp_machine_2g(PA_THP_ALWAYS);
	assert_int_equal(sysctl1("min_free_kbytes"), 30000);
	/* One below it is raised, and said (after the boot formula's own line). */
	th_setup_exact(state);
	sysctl_set1("min_free_kbytes", 10000);
	th_log_clear();
	thp_machine_2g(PA_THP_ALWAYS);
	assert_int_equal(sysctl1("min_free_kbytes"), 22528);
	assert_int_equal(th_log_lines(), 2);
	assert_non_null(strstr(th_last_log(),
			       "raising min_free_kbytes from 10000 to 22528 to help transparent hugepage allocations"));
}

/* After pa_init(): a change of mode applies at once, as a write to the sysfs file. */
static void test_thp_at_run_time(void **state)
{
	(void)state;
	thp_machine_2g(PA_THP_NONE);
	assert_int_equal(pa_set_thp(PA_THP_ALWAYS), 0);
	assert_int_equal(sysctl1("min_free_kbytes"), 22528);
	assert_wmarks(0, PA_ZONE_NORMAL, 5632, 7040, 8448, 9856);
	/* never: int_sqrt((524288 - 8448) * 4 * 16 = 33013760) = 5745. */
	assert_int_equal(pa_set_thp(PA_THP_NEVER), 0);
	assert_int_equal(sysctl1("min_free_kbytes"), 5745);
	th_assert_error(pa_set_thp((enum pa_thp)7), PA_EINVAL, "not a transparent huge page mode");
	assert_int_equal(sysctl1("min_free_kbytes"), 5745);
	th_check();
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
#if PA_PAGE_SHIFT == 12
		cmocka_unit_test_setup(test_one_zone, th_setup_exact),
		cmocka_unit_test_setup(test_scale_factor_1_and_1000, th_setup_exact),
		cmocka_unit_test_setup(test_user_min_free_kbytes, th_setup_exact),
#endif
#if PA_PAGE_SHIFT == 12 && defined(CONFIG_PA_ZONE_DMA) && defined(CONFIG_PA_ZONE_DMA32)
		cmocka_unit_test_setup(test_dma_dma32_normal, th_setup_exact),
		cmocka_unit_test_setup(test_lowmem_reserve_ratio_at_run_time, th_setup_exact),
		cmocka_unit_test_setup(test_movable_zone, th_setup_exact),
#endif
#if PA_PAGE_SHIFT == 14
		cmocka_unit_test_setup(test_16k_pages, th_setup_exact),
#endif
#if PA_PAGE_SHIFT == 16
		cmocka_unit_test_setup(test_64k_pages, th_setup_exact),
#endif
#if PA_PAGE_SHIFT == 12 && PA_PAGEBLOCK_ORDER == 9
		cmocka_unit_test_setup(test_thp_one_zone, th_setup_exact),
		cmocka_unit_test_setup(test_thp_cap_and_user_value, th_setup_exact),
		cmocka_unit_test_setup(test_thp_at_run_time, th_setup_exact),
#if defined(CONFIG_PA_ZONE_DMA32)
		cmocka_unit_test_setup(test_thp_two_zones, th_setup_exact),
#endif
#if defined(CONFIG_PA_ZONE_DMA32) && defined(CONFIG_PA_NUMA)
		cmocka_unit_test_setup(test_thp_two_nodes, th_setup_exact),
#endif
#endif
		cmocka_unit_test_setup(test_int_sqrt, th_setup_exact),
		cmocka_unit_test(test_generic_bitscan),
		cmocka_unit_test_setup(test_tunables_reject_invalid, th_setup_exact),
		cmocka_unit_test_setup(test_watermark_ok_flags, th_setup_exact),
		cmocka_unit_test_setup(test_watermark_ok_high_order, th_setup_exact),
		cmocka_unit_test_setup(test_watermark_fast, th_setup_exact),
	};

	return cmocka_run_group_tests_name("watermark", tests, NULL, NULL);
}
