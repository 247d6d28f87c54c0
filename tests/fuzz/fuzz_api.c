// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the input bytes become a sequence of public API calls
 * on a fresh small machine, good ones and bad ones (orders above
 * MAX_PAGE_ORDER, unknown or conflicting GFP bits, bad nodes, zones and
 * CPUs, NULL pages and arrays, double frees, frees with the wrong order or
 * of a tail page, bad sysctl names, counts and values, isolation and
 * contiguous ranges anywhere, compaction with migrations refused at
 * random).  After every call
 * pa_check() must pass, and the calls must not crash or trip ASan/UBSan;
 * a failure abort()s so libFuzzer reports it.
 *
 * The fuzzer keeps its own list of the blocks it holds so that good frees
 * and extra references only ever touch blocks it owns; a bad free that the
 * library accepts must be one of those (a pointer freed twice after the
 * library handed it out again), anything else aborts.
 *
 * Build and run: make fuzz [FUZZ_SECONDS=300] (build/fuzz, clang).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pagealloc/pagealloc.h>
#include <pagealloc/port.h>
#include <pagealloc/host.h>

#define GiB (1ULL << 30)
#define NR_CPUS_USED 4
/* Small, so that pa_check() after every call stays cheap: one max-order block. */
#define RANGE_PAGES (1024UL > (1UL << PA_MAX_PAGE_ORDER) ? 1024UL : (1UL << PA_MAX_PAGE_ORDER))
#define RANGE_BYTES ((pa_phys_t)RANGE_PAGES * PA_PAGE_SIZE)
#define MAX_HELD 256

struct held {
	struct pa_page *page;
	unsigned int order;
	int refs;
};

static struct held held[MAX_HELD];
static unsigned int nr_held;
static struct pa_page *freed[16]; /* recently freed heads, for double frees */
static unsigned int freed_orders[16];
static unsigned int nr_freed;

static const uint8_t *in;
static size_t in_left;

static void die(const char *what)
{
	fprintf(stderr, "fuzz_api: %s\n", what);
	abort();
}

static void check(void)
{
	if (pa_check() != 0)
		die("pa_check() failed");
}

static uint8_t u8(void)
{
	if (!in_left)
		return 0;
	in_left--;
	return *in++;
}

static uint32_t u32(void)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v = v << 8 | u8();
	return v;
}

static void quiet(int level, const char *line, void *ctx)
{
	(void)level;
	(void)line;
	(void)ctx;
}

static void machine(void)
{
	pa_reset();
	pa_host_release_memory();
	pa_host_set_log(quiet, NULL);
	pa_host_set_cpu(0);
	if (pa_set_nr_cpus(NR_CPUS_USED))
		die("pa_set_nr_cpus");
#if defined(CONFIG_PA_NUMA) && defined(CONFIG_PA_ZONE_DMA32)
	if (pa_numa_set_cpus(0, 0, 1) || pa_numa_set_cpus(1, 2, 3) ||
	    pa_memblock_add(4 * GiB - 2 * RANGE_BYTES, RANGE_BYTES, 0) ||
	    pa_memblock_add(4 * GiB - RANGE_BYTES, RANGE_BYTES, 1) ||
	    pa_memblock_add(4 * GiB, RANGE_BYTES, 0) ||
	    pa_memblock_add(4 * GiB + RANGE_BYTES, RANGE_BYTES, 1) ||
	    pa_set_zone_limit(PA_ZONE_DMA32, 4 * GiB))
		die("machine");
#ifdef CONFIG_PA_ZONE_DMA
	if (pa_set_zone_limit(PA_ZONE_DMA, 4 * GiB - 3 * RANGE_BYTES / 2))
		die("DMA limit");
#endif
#else
	if (pa_memblock_add(4 * GiB, 2 * RANGE_BYTES, 0))
		die("machine");
#endif
	if (pa_init())
		die("pa_init");
	nr_held = 0;
	nr_freed = 0;
}

static const pa_gfp_t gfps[] = {
	PA_GFP_KERNEL,
	PA_GFP_ATOMIC,
	PA_GFP_NOWAIT,
	PA_GFP_HIGHUSER_MOVABLE,
	PA_GFP_KERNEL | PA_GFP_DMA,
	PA_GFP_KERNEL | PA_GFP_DMA32,
	PA_GFP_KERNEL | PA__GFP_RECLAIMABLE,
	PA_GFP_KERNEL | PA__GFP_THISNODE,
	PA_GFP_ATOMIC | PA__GFP_MEMALLOC,
	PA_GFP_KERNEL | PA__GFP_ZERO | PA__GFP_COMP,
	PA_GFP_KERNEL | PA__GFP_NORETRY,
	PA_GFP_KERNEL | PA__GFP_RETRY_MAYFAIL | PA__GFP_WRITE,
	/* bad combinations */
	PA__GFP_DMA | PA__GFP_DMA32,
	PA__GFP_MOVABLE | PA__GFP_RECLAIMABLE,
	PA_GFP_KERNEL | 0x800000u,
};

static pa_gfp_t gfp_arg(void)
{
	uint8_t b = u8();
	pa_gfp_t gfp;

	if (b == 0xff)
		gfp = u32() & ~PA__GFP_NOFAIL; /* anything but NOFAIL, which may loop */
	else
		gfp = gfps[b % (sizeof(gfps) / sizeof(gfps[0]))];
	if (b & 0x80)
		gfp |= PA__GFP_NOWARN;
	return gfp;
}

static unsigned int order_arg(void)
{
	uint8_t b = u8();

	if (b >= 0xf0)
		return PA_MAX_PAGE_ORDER + 1 + (b & 0xf) * 1000u; /* bad */
	return b % (PA_MAX_PAGE_ORDER + 1);
}

static int nid_arg(void)
{
	uint8_t b = u8();

	switch (b >> 6) {
	case 0:
		return PA_NUMA_NO_NODE;
	case 3:
		return (int)(int8_t)b * 3; /* mostly bad */
	default:
		return b & 1;
	}
}

static unsigned int cpu_arg(void)
{
	uint8_t b = u8();

	return b & 0x80 ? b : b % NR_CPUS_USED;
}

static void hold(struct pa_page *page, unsigned int order)
{
	if (!page)
		return;
	if (pa_page_count(page) != 1)
		die("new block without a single reference");
	if (nr_held == MAX_HELD) {
		if (pa_free_pages(page, order))
			die("free of a new block failed");
		return;
	}
	held[nr_held++] = (struct held){ page, order, 1 };
}

static void forget(unsigned int i)
{
	freed[nr_freed % 16] = held[i].page;
	freed_orders[nr_freed % 16] = held[i].order;
	nr_freed++;
	held[i] = held[--nr_held];
}

/*
 * A bad free the library accepted: the page must be one we hold, at that
 * order (@put: pa_put_page(), which uses the block's own order).
 */
static void accepted_bad_free(struct pa_page *page, unsigned int order, bool put)
{
	for (unsigned int i = 0; i < nr_held; i++)
		if (held[i].page == page) {
			if (!put && held[i].order != order)
				die("a free with the wrong order was accepted");
			if (--held[i].refs == 0)
				forget(i);
			else if (!put && order) /* the tails were freed, the head stays at order 0 */
				held[i].order = 0;
			return;
		}
	die("a free of a page nobody holds was accepted");
}

static void op_alloc(void)
{
	pa_gfp_t gfp = gfp_arg();
	unsigned int order = order_arg();
	int nid = nid_arg();
	pa_nodemask_t mask = u8();
	struct pa_page *page;

	switch (u8() % 3) {
	case 0:
		page = pa_alloc_pages(gfp, order);
		break;
	case 1:
		page = pa_alloc_pages_node(nid, gfp, order);
		break;
	default:
		page = pa_alloc_pages_nodemask(gfp, order, nid, u8() & 1 ? &mask : NULL);
		break;
	}
	if (page && order > PA_MAX_PAGE_ORDER)
		die("an order above MAX_PAGE_ORDER was served");
	hold(page, order);
}

static void op_bulk(void)
{
	struct pa_page *array[16] = { 0 };
	pa_gfp_t gfp = gfp_arg();
	int nid = nid_arg();
	pa_nodemask_t mask = u8();
	unsigned int nr = u8() % 17;
	uint8_t how = u8();
	unsigned int got;

	got = pa_alloc_pages_bulk(gfp, nid, how & 1 ? &mask : NULL, nr, how & 2 ? NULL : array);
	if (got > nr)
		die("bulk returned more than asked");
	for (unsigned int i = 0; i < nr; i++)
		hold(array[i], 0);
}

static void op_free(void)
{
	unsigned int i, kind = u8();
	struct held *h;
	int ret;

	if (!nr_held)
		return;
	i = u8() % nr_held;
	h = &held[i];
	switch (kind % 8) {
	case 0:
	case 1: /* good free */
		if (pa_free_pages(h->page, h->order))
			die("a good free failed");
		if (--h->refs == 0)
			forget(i);
		else if (h->order)
			h->order = 0;
		break;
	case 2: /* good put */
		if (pa_put_page(h->page))
			die("a good put failed");
		if (--h->refs == 0)
			forget(i);
		break;
	case 3: /* extra reference */
		if (h->refs < 1000) {
			pa_get_page(h->page);
			h->refs++;
		}
		break;
	case 4: { /* wrong order */
		unsigned int order = u8() % (PA_MAX_PAGE_ORDER + 2);

		ret = pa_free_pages(h->page, order);
		if (ret == 0)
			accepted_bad_free(h->page, order, false);
		break;
	}
	case 5: /* a tail page of the block */
		if (h->order) {
			unsigned long off = 1 + u8() % ((1UL << h->order) - 1);

			ret = pa_free_pages(h->page + off, u8() % (h->order + 1));
			if (ret == 0)
				die("a free of a tail page was accepted");
			if (pa_put_page(h->page + off) == 0)
				die("a put of a tail page was accepted");
		}
		break;
	default: /* something freed before, freed again */
		if (nr_freed) {
			unsigned int j = u8() % (nr_freed < 16 ? nr_freed : 16);
			bool put = u8() & 1;

			ret = put ? pa_put_page(freed[j]) : pa_free_pages(freed[j], freed_orders[j]);
			if (ret == 0)
				accepted_bad_free(freed[j], freed_orders[j], put);
		}
		break;
	}
}

static void op_bad_pointers(void)
{
	static struct pa_page fake;
	unsigned int order = order_arg();

	switch (u8() % 4) {
	case 0:
		if (pa_free_pages(NULL, order) == 0)
			die("pa_free_pages(NULL) accepted");
		break;
	case 1:
		if (pa_put_page(NULL) == 0)
			die("pa_put_page(NULL) accepted");
		break;
	case 2:
		memset(&fake, 0, sizeof(fake));
		fake.refcount = 1;
		if (pa_free_pages(&fake, order) == 0)
			die("a page outside the memmap was freed");
		break;
	default: {
		unsigned int n = 0;

		if (pa_sysctl_set(NULL, NULL, 1) == 0)
			die("pa_sysctl_set(NULL) accepted");
		if (pa_sysctl_get("min_free_kbytes", NULL, 0, &n) == 0 && n == 0)
			die("pa_sysctl_get reported no values");
		break;
	}
	}
}

static void op_sysctl(void)
{
	static const char *const names[] = {
		"min_free_kbytes", "watermark_scale_factor", "watermark_boost_factor",
		"lowmem_reserve_ratio", "percpu_pagelist_high_fraction", "zone_reclaim_mode",
		"extfrag_threshold", "", "min_free_kbytes ", "no_such_tunable",
	};
	const char *name = names[u8() % (sizeof(names) / sizeof(names[0]))];
	long v[6];
	unsigned int n = u8() % 7, got;
	uint8_t how = u8();

	for (unsigned int i = 0; i < 6; i++) {
		uint8_t b = u8();

		/* Small values mostly; sometimes huge or negative. */
		v[i] = b & 0x80 ? (long)(int32_t)u32() : (long)(b & 0x7f) * 16;
	}
	if (!strcmp(name, "min_free_kbytes") && v[0] > 8192)
		v[0] = 8192; /* keep the tiny machine usable */
	if (how & 1) {
		(void)pa_sysctl_set(name, v, n);
	} else {
		long out[6];

		(void)pa_sysctl_get(name, out, how >> 5, &got);
	}
}

static void op_cpu(void)
{
	unsigned int cpu = cpu_arg();

	switch (u8() % 7) {
	case 0:
		pa_drain_local_pages();
		break;
	case 1:
		(void)pa_drain_pages(cpu);
		break;
	case 2:
		pa_drain_all_pages();
		break;
	case 3:
		(void)pa_cpu_offline(cpu);
		break;
	case 4:
		(void)pa_cpu_online(cpu);
		break;
	case 5:
		(void)pa_pcp_set_enabled(u8() & 1);
		break;
	default:
		/* Switch CPU: the host port only takes valid ones. */
		if (cpu < NR_CPUS_USED)
			pa_host_set_cpu(cpu);
		break;
	}
}

static void op_query(void)
{
	int nid = nid_arg();
	enum pa_zone_type zone = (enum pa_zone_type)(int)(int8_t)(u8() % 8 - 2);
	unsigned int order = order_arg();
	struct pa_zone_counts c;
	struct pa_pcp_info pi;
	struct pa_zoneref zr[8];
	int idx;

	switch (u8() % 9) {
	case 0:
		(void)pa_zone_get_counts(nid, zone, &c);
		break;
	case 1:
		(void)pa_pcp_get(nid, zone, cpu_arg(), &pi);
		break;
	case 2:
		(void)pa_zone_watermark_ok(nid, zone, order, u32() % 4096, zone, u8());
		break;
	case 3:
		(void)pa_zone_watermark_fast(nid, zone, order, u32() % 4096, zone, u8());
		break;
	case 4:
		(void)pa_zonelist_get(nid, u8() & 1, zr, u8() % 9);
		break;
	case 5:
		(void)pa_fragmentation_index(nid, zone, order, &idx);
		break;
	case 6:
		(void)pa_compaction_suitable(nid, zone, order, zone);
		break;
	case 7:
		(void)pa_kswapd_should_run(nid);
		(void)pa_kswapd_balance(nid);
		break;
	default:
		(void)pa_vm_event_count(u8());
		(void)pa_zone_event_count(nid, zone, u8() & 1);
		(void)pa_nr_free_pages();
		break;
	}
}

/* A pfn near (mostly inside) the machine, or anything. */
static unsigned long pfn_arg(void)
{
	unsigned long lo = (unsigned long)((4 * GiB - 2 * RANGE_BYTES) >> PA_PAGE_SHIFT);
	uint8_t b = u8();

	if (b == 0xff)
		return u32();
	return lo + (u32() % (5 * RANGE_PAGES));
}

/*
 * Isolation and contiguous ranges (the default migrate hook moves
 * nothing): an isolated range is undone at once; a range allocated is
 * freed at once; pa_free_contig_range() gets only bad arguments or our
 * own range, never pages the fuzzer holds.
 */
static void op_contig(void)
{
	unsigned long a = pfn_arg(), n = u8() % 4 == 0 ? u32() % 3 : 1 + u32() % (2 * RANGE_PAGES);
	unsigned int flags = u8() % 4;
	int mt = (int)(u8() % 7) - 1;
	struct pa_page *p;

	switch (u8() % 4) {
	case 0:
		if (pa_isolate_range(a, a + n, mt, flags) == 0) {
			if (pa_test_pages_isolated(a, a + n) == -PA_EINVAL ||
			    pa_undo_isolate_range(a, a + n, mt))
				die("isolated range not undone");
		}
		break;
	case 1:
		if (pa_alloc_contig_range(a, a + n, mt, gfp_arg()) == 0 &&
		    pa_free_contig_range(a, n))
			die("contiguous range not freed");
		break;
	case 2:
		p = pa_alloc_contig_pages(n, gfp_arg(), nid_arg(), NULL);
		if (p && pa_free_contig_range(pa_page_to_pfn(p), n))
			die("contiguous pages not freed");
		break;
	default:
		(void)pa_free_contig_range(a, 0);
		(void)pa_test_pages_isolated(a, a + n);
		break;
	}
}

/*
 * The kernel's migration: a block the fuzzer holds with one reference
 * moves (its slot follows it), unless the input says no; anything else
 * is refused, and a refusal must leave both blocks as they were.
 */
int pa_port_migrate_page(struct pa_page *src, struct pa_page *dst, unsigned int order)
{
	for (unsigned int i = 0; i < nr_held; i++) {
		if (held[i].page != src)
			continue;
		if (held[i].order != order)
			die("migrate: order differs from the block's");
		if (held[i].refs > 1 || (u8() & 7) == 0)
			return -PA_EBUSY;
		held[i].page = dst;
		if (pa_free_pages(src, order))
			die("migrate: freeing the old block failed");
		return 0;
	}
	return -PA_EBUSY;
}

/* Compaction of everything, or a node's kcompactd; a bad node is refused. */
static void op_compact(void)
{
	int nid = (int)(int8_t)u8() % 3;

	if (u8() & 1) {
		int r = pa_compact_memory();

		if (r && r != -PA_EOPNOTSUPP)
			die("pa_compact_memory failed");
	} else {
		(void)pa_kcompactd_should_run(nid);
		(void)pa_kcompactd_run(nid);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	in = data;
	in_left = size;
	machine();
	check();
	while (in_left) {
		switch (u8() % 12) {
		case 0:
		case 1:
		case 2:
			op_alloc();
			break;
		case 3:
		case 4:
			op_free();
			break;
		case 5:
			op_bulk();
			break;
		case 6:
			op_bad_pointers();
			break;
		case 7:
			op_sysctl();
			break;
		case 8:
			op_cpu();
			break;
		case 9:
			op_contig();
			break;
		case 10:
			op_compact();
			break;
		default:
			op_query();
			break;
		}
		check();
	}
	/* Give everything back: the machine must be whole again. */
	while (nr_held) {
		struct held *h = &held[nr_held - 1];

		while (h->refs > 1) {
			if (pa_put_page(h->page))
				die("final put failed");
			h->refs--;
		}
		if (pa_free_pages(h->page, h->order))
			die("final free failed");
		nr_held--;
	}
	pa_drain_all_pages();
	check();
	return 0;
}
