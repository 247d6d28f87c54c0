// SPDX-License-Identifier: MIT
/*
 * The boot-time API: every bad input gets its error and one log line and
 * changes nothing (the machine built afterwards is identical to one built
 * without the bad call); early allocation is top-down, aligned, node-aware.
 */
#include <string.h>
#include "harness.h"
#include "th_internal.h"

/* The reference machine: two ranges, one reservation. */
static void build_reference(void)
{
	assert_int_equal(pa_memblock_add(1 * GiB, 256 * MiB, 0), 0);
	assert_int_equal(pa_memblock_add(2 * GiB, 256 * MiB, 0), 0);
	assert_int_equal(pa_memblock_reserve(1 * GiB, 1 * MiB), 0);
}

static void reference_buddyinfo(char *buf, size_t size)
{
	th_reset();
	build_reference();
	assert_int_equal(pa_init(), 0);
	th_buddyinfo(buf, size);
	th_reset();
}

struct bad_call {
	const char *what;
	int (*call)(void);
	int err;
	const char *needle;
};

static int add_unaligned_base(void) { return pa_memblock_add(1 * GiB + 100, 1 * MiB, 0); }
static int add_unaligned_size(void) { return pa_memblock_add(3 * GiB, 1 * MiB + 1, 0); }
static int add_empty(void) { return pa_memblock_add(3 * GiB, 0, 0); }
static int add_overlap(void) { return pa_memblock_add(1 * GiB + 128 * MiB, 256 * MiB, 0); }
static int add_overlap_inside(void) { return pa_memblock_add(2 * GiB + 4096 * 16, 4096 * 16, 0); }
static int add_bad_node(void) { return pa_memblock_add(3 * GiB, 1 * MiB, PA_MAX_NUMNODES); }
static int add_negative_node(void) { return pa_memblock_add(3 * GiB, 1 * MiB, -1); }
static int add_too_high(void) { return pa_memblock_add(pa_max_phys_addr(), 1 * GiB, 0); }
static int add_wrapping(void) { return pa_memblock_add(~(pa_phys_t)0 - PA_PAGE_SIZE + 1, 2 * PA_PAGE_SIZE, 0); }
static int reserve_empty(void) { return pa_memblock_reserve(1 * GiB, 0); }
static int reserve_wrapping(void) { return pa_memblock_reserve(~(pa_phys_t)0 - 10, 100); }
static int alloc_zero(void) { pa_phys_t pa; return pa_memblock_alloc(0, 0, 0, &pa); }
static int alloc_bad_align(void) { pa_phys_t pa; return pa_memblock_alloc(4096, 3000, 0, &pa); }
static int alloc_bad_node(void) { pa_phys_t pa; return pa_memblock_alloc(4096, 0, PA_MAX_NUMNODES, &pa); }
static int alloc_too_big(void) { pa_phys_t pa; return pa_memblock_alloc(1 * GiB, 0, 0, &pa); }
static int alloc_null(void) { return pa_memblock_alloc(4096, 0, 0, NULL); }
static int limit_normal(void) { return pa_set_zone_limit(PA_ZONE_NORMAL, 4 * GiB); }
static int limit_movable(void) { return pa_set_zone_limit(PA_ZONE_MOVABLE, 4 * GiB); }
#ifdef CONFIG_PA_ZONE_DMA32
static int limit_unaligned(void) { return pa_set_zone_limit(PA_ZONE_DMA32, 4 * GiB + 1); }
static int limit_zero(void) { return pa_set_zone_limit(PA_ZONE_DMA32, 0); }
#endif
static int kernelcore_zero(void) { return pa_set_kernelcore(0); }
static int movablecore_tiny(void) { return pa_set_movablecore(100); }
static int cpus_zero(void) { return pa_set_nr_cpus(0); }
static int cpus_too_many(void) { return pa_set_nr_cpus(PA_NR_CPUS + 1); }
static int numa_cpus_bad_node(void) { return pa_numa_set_cpus(PA_MAX_NUMNODES, 0, 0); }
static int numa_cpus_bad_range(void) { return pa_numa_set_cpus(0, 1, 0); }
static int distance_self(void) { return pa_numa_set_distance(0, 0, 20); }
static int distance_bad_node(void) { return pa_numa_set_distance(0, PA_MAX_NUMNODES, 20); }
static int memmap_null(void) { return pa_set_memmap(NULL, 4096); }
static int memmap_misaligned(void) { static char b[128]; return pa_set_memmap(b + 1, 64); }

static const struct bad_call bad_calls[] = {
	{ "add: unaligned base", add_unaligned_base, PA_EINVAL, "not page aligned" },
	{ "add: unaligned size", add_unaligned_size, PA_EINVAL, "not page aligned" },
	{ "add: empty", add_empty, PA_EINVAL, "empty" },
	{ "add: overlapping", add_overlap, PA_EEXIST, "overlaps" },
	{ "add: inside another", add_overlap_inside, PA_EEXIST, "overlaps" },
	{ "add: unknown node", add_bad_node, PA_ENOENT, "node" },
	{ "add: negative node", add_negative_node, PA_ENOENT, "node" },
	{ "add: above the address limit", add_too_high, PA_ERANGE, "above" },
	{ "add: wrapping", add_wrapping, PA_EINVAL, "wraps around" },
	{ "reserve: empty", reserve_empty, PA_EINVAL, "empty" },
	{ "reserve: wrapping", reserve_wrapping, PA_EINVAL, "wraps" },
	{ "alloc: zero size", alloc_zero, PA_EINVAL, "zero size" },
	{ "alloc: alignment not a power of two", alloc_bad_align, PA_EINVAL, "power of two" },
	{ "alloc: unknown node", alloc_bad_node, PA_ENOENT, "node" },
	{ "alloc: too big", alloc_too_big, PA_ENOMEM, "no free range" },
	{ "alloc: NULL result", alloc_null, PA_EINVAL, "NULL" },
#if defined(CONFIG_PA_ZONE_DMA) || defined(CONFIG_PA_ZONE_DMA32)
	{ "zone limit: NORMAL", limit_normal, PA_EINVAL, "no settable limit" },
	{ "zone limit: MOVABLE", limit_movable, PA_EINVAL, "no settable limit" },
#else
	{ "zone limit: no DMA zones", limit_normal, PA_EOPNOTSUPP, "no DMA zones" },
	{ "zone limit: MOVABLE, no DMA zones", limit_movable, PA_EOPNOTSUPP, "no DMA zones" },
#endif
#ifdef CONFIG_PA_ZONE_DMA32
	{ "zone limit: unaligned", limit_unaligned, PA_EINVAL, "not page aligned" },
	{ "zone limit: zero", limit_zero, PA_EINVAL, "zero" },
#endif
	{ "kernelcore: zero", kernelcore_zero, PA_EINVAL, "less than a page" },
	{ "movablecore: less than a page", movablecore_tiny, PA_EINVAL, "less than a page" },
	{ "cpus: zero", cpus_zero, PA_EINVAL, "CPUs" },
	{ "cpus: too many", cpus_too_many, PA_EINVAL, "CPUs" },
	{ "numa cpus: unknown node", numa_cpus_bad_node, PA_ENOENT, "node" },
	{ "numa cpus: bad range", numa_cpus_bad_range, PA_EINVAL, "CPU range" },
	{ "distance: self not 10", distance_self, PA_ERANGE, "distance" },
	{ "distance: unknown node", distance_bad_node, PA_ENOENT, "node" },
	{ "memmap: NULL", memmap_null, PA_EINVAL, "NULL" },
	{ "memmap: misaligned", memmap_misaligned, PA_EINVAL, "aligned" },
};

/* Each bad call, made on the reference machine before init, changes nothing. */
static void test_bad_boot_input_table(void **state)
{
	char want[4096], got[4096];

	(void)state;
	reference_buddyinfo(want, sizeof(want));
	for (size_t i = 0; i < sizeof(bad_calls) / sizeof(bad_calls[0]); i++) {
		const struct bad_call *b = &bad_calls[i];
		int ret;

		th_reset();
		build_reference();
		th_log_clear();
		ret = b->call();
		if (ret != -b->err || th_log_lines() != 1 || !strstr(th_last_log(), b->needle))
			fail_msg("%s: returned %d (%s), %lu log lines, last '%s'; want -%d and '%s'",
				 b->what, ret, pa_strerror(ret), th_log_lines(), th_last_log(), b->err,
				 b->needle);
		assert_int_equal(pa_init(), 0);
		th_buddyinfo(got, sizeof(got));
		if (strcmp(want, got))
			fail_msg("%s changed the machine:\n%s\nvs\n%s", b->what, got, want);
		th_check();
	}
}

#if defined(CONFIG_PA_ZONE_DMA) && defined(CONFIG_PA_ZONE_DMA32)
static void test_zone_limits_out_of_order(void **state)
{
	(void)state;
	build_reference();
	assert_int_equal(pa_set_zone_limit(PA_ZONE_DMA32, 4 * GiB), 0);
	th_assert_error(pa_set_zone_limit(PA_ZONE_DMA, 8 * GiB), PA_EINVAL, "out of order");
	assert_int_equal(pa_init(), 0);
	/* The refused DMA limit was not kept: DMA is empty, DMA32 has it all. */
	assert_int_equal(th_zone(0, PA_ZONE_DMA).spanned, 0);
	assert_int_equal(th_zone(0, PA_ZONE_DMA32).present, (512 * MiB) >> PA_PAGE_SHIFT);
}
#endif

static void test_memblock_alloc_top_down(void **state)
{
	pa_phys_t a, b, c;

	(void)state;
	build_reference();
	/* Top-down: the first block comes from the top of the highest range. */
	assert_int_equal(pa_memblock_alloc(8192, 0, PA_NUMA_NO_NODE, &a), 0);
	assert_int_equal(a, (2 * GiB + 256 * MiB - 8192) & ~(pa_phys_t)(PA_PAGE_SIZE - 1));
	/* Alignment is honoured, and the next block sits below the first. */
	assert_int_equal(pa_memblock_alloc(4096, 1 * MiB, 0, &b), 0);
	assert_int_equal(b, 2 * GiB + 255 * MiB);
	/* 250 MiB still fits below them; the next 250 MiB only in the lower range. */
	assert_int_equal(pa_memblock_alloc(250 * MiB, 0, 0, &c), 0);
	assert_true(c >= 2 * GiB);
	assert_int_equal(pa_memblock_alloc(250 * MiB, 0, 0, &c), 0);
	assert_true(c >= 1 * GiB + 1 * MiB && c + 250 * MiB <= 1 * GiB + 256 * MiB);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	/* Every early allocation is reserved: its pages are not managed. */
	struct pa_zone_counts n = th_zone(0, PA_ZONE_NORMAL);
	assert_int_equal(n.managed,
			 n.present - ((1 * MiB + 500 * MiB) >> PA_PAGE_SHIFT) -
				 (8192 + PA_PAGE_SIZE - 1) / PA_PAGE_SIZE - 1);
	th_check();
}

#if PA_MAX_NUMNODES >= 2
static void test_memblock_alloc_node(void **state)
{
	pa_phys_t pa;

	(void)state;
	assert_int_equal(pa_memblock_add(1 * GiB, 256 * MiB, 0), 0);
	assert_int_equal(pa_memblock_add(2 * GiB, 256 * MiB, 1), 0);
	assert_int_equal(pa_memblock_alloc(4096, 0, 0, &pa), 0);
	assert_true(pa < 2 * GiB);
	assert_int_equal(pa_memblock_alloc(4096, 0, 1, &pa), 0);
	assert_true(pa >= 2 * GiB);
	/* A node without memory falls back to any node. */
	assert_int_equal(pa_memblock_alloc(4096, 0, PA_MAX_NUMNODES - 1, &pa), 0);
}
#endif

static void test_adjacent_ranges_merge(void **state)
{
	(void)state;
	assert_int_equal(pa_memblock_add(1 * GiB + 64 * MiB, 64 * MiB, 0), 0);
	assert_int_equal(pa_memblock_add(1 * GiB, 64 * MiB, 0), 0);
	assert_int_equal(pa_memblock_add(1 * GiB + 128 * MiB, 64 * MiB, 0), 0);
	assert_int_equal(th_memblock_memory()->cnt, 1);
	assert_int_equal(th_memblock_memory()->regions[0].size, 192 * MiB);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).present, (192 * MiB) >> PA_PAGE_SHIFT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_bad_boot_input_table, th_setup),
		cmocka_unit_test_setup(test_memblock_alloc_top_down, th_setup),
#if defined(CONFIG_PA_ZONE_DMA) && defined(CONFIG_PA_ZONE_DMA32)
		cmocka_unit_test_setup(test_zone_limits_out_of_order, th_setup),
#endif
#if PA_MAX_NUMNODES >= 2
		cmocka_unit_test_setup(test_memblock_alloc_node, th_setup),
#endif
		cmocka_unit_test_setup(test_adjacent_ranges_merge, th_setup),
	};

	return cmocka_run_group_tests_name("memblock", tests, NULL, NULL);
}
