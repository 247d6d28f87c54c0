// SPDX-License-Identifier: MIT
/*
 * pa-sim's machine description: every directive of SPEC section 13 as
 * written there, and "file:line: what is wrong" with status 2 for bad lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "sim/sim.h"

static char path[64];

static int setup(void **state)
{
	(void)state;
	th_reset();
	snprintf(path, sizeof(path), "/tmp/pa-sim-test-%d.machine", (int)getpid());
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static int load(const char *text, char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	th_reset();
	return pa_sim_load(path, err, errlen);
}

static void test_spec_example(void **state)
{
	char err[512] = "";

	(void)state;
	/* The example of SPEC section 13, verbatim but for the zone/node lines this build lacks. */
	int r = load("# comments start with '#'\n"
		     "page_shift " PA_STR(PA_PAGE_SHIFT) "\n"
		     "cpus 4\n"
#if PA_MAX_NUMNODES >= 2
		     "node 0 cpus 0-1 distance 10 20       # optional\n"
		     "node 1 cpus 2-3 distance 20 10\n"
#endif
		     "memory 0x40000000 0x80000000 node 0  # [start, end) in bytes\n"
#if PA_MAX_NUMNODES >= 2
		     "memory 0x880000000 0x900000000 node 1\n"
#else
		     "memory 0x880000000 0x900000000\n"
#endif
		     "reserve 0x40000000 0x40200000        # [start, end)\n"
#ifdef CONFIG_PA_ZONE_DMA
		     "zone_limit DMA 0x1000000\n"
#endif
#ifdef CONFIG_PA_ZONE_DMA32
		     "zone_limit DMA32 0x100000000\n"
#endif
		     "movablecore 512M\n"
		     "memmap internal\n"
		     "sysctl min_free_kbytes 67584\n"
		     "sysctl lowmem_reserve_ratio"
#ifdef CONFIG_PA_ZONE_DMA
		     " 256"
#endif
#ifdef CONFIG_PA_ZONE_DMA32
		     " 256"
#endif
		     " 32 0\n",
		     err, sizeof(err));
	if (r)
		fail_msg("load failed: %s", err);
	assert_true(pa_is_initialized());
	long v;
	unsigned int n;
	assert_int_equal(pa_sysctl_get("min_free_kbytes", &v, 1, &n), 0);
	assert_int_equal(v, 67584);
	unsigned long movable = 0;
	for (int nid = 0; nid < PA_MAX_NUMNODES; nid++)
		movable += th_zone(nid, PA_ZONE_MOVABLE).present;
	assert_int_equal(movable, (512 * MiB) >> PA_PAGE_SHIFT);
	th_check();
}

static void test_sizes(void **state)
{
	unsigned long long v;

	(void)state;
	assert_int_equal(pa_sim_parse_size("0x1000", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(pa_sim_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(pa_sim_parse_size("512M", &v), 0);
	assert_int_equal(v, 512ULL << 20);
	assert_int_equal(pa_sim_parse_size("2G", &v), 0);
	assert_int_equal(v, 2ULL << 30);
	assert_int_equal(pa_sim_parse_size("64K", &v), 0);
	assert_int_equal(v, 65536);
	assert_int_equal(pa_sim_parse_size("1T", &v), 0);
	assert_int_equal(v, 1ULL << 40);
	assert_int_equal(pa_sim_parse_size("12Q", &v), -1);
	assert_int_equal(pa_sim_parse_size("", &v), -1);
	assert_int_equal(pa_sim_parse_size("-1", &v), -1);
	assert_int_equal(pa_sim_parse_size("99999999999999999999", &v), -1);
	assert_int_equal(pa_sim_parse_size("0x7fffffffffffffffG", &v), -1);
}

struct bad_line {
	const char *line;
	const char *message;
};

static const struct bad_line bad_lines[] = {
	{ "bogus 1 2", "unknown directive 'bogus'" },
	{ "page_shift 13", "does not match this build" },
	{ "cpus 0", "bad CPU count '0'" },
	{ "cpus many", "bad CPU count 'many'" },
	{ "memory 0x1000", "missing end address" },
	{ "memory 0x80000000 0x40000000", "is not above start" },
	{ "memory 0x40000000 0x50000000 nod 0", "unexpected 'nod'" },
	{ "memory 0x40000100 0x50000000", "not page aligned" },
	{ "memory 0x40000000 0x48000000", "overlaps" },
	{ "memory 0x100000000 0x200000000 node 99", "node" },
	{ "reserve 0x1000", "missing end address" },
	{ "reserve 12Q 0x2000", "bad start address '12Q'" },
	{ "zone_limit HIGHMEM 0x1000", "zone 'HIGHMEM' has no limit" },
	{ "movablecore", "missing size" },
	{ "kernelcore lots", "bad size 'lots'" },
	{ "memmap sideways", "memmap takes 'internal' or 'external'" },
	{ "node 0 cpus 3-1", "bad CPU range" },
	{ "node 0 distance 20", "distance" },
	{ "node 0 sockets 2", "unexpected 'sockets'" },
	{ "sysctl min_free_kbytes", "needs a name and a value" },
	{ "sysctl no_such_tunable 1", "unknown tunable" },
	{ "sysctl watermark_scale_factor 0", "out of range" },
	{ "sysctl watermark_scale_factor 3001", "out of range" },
	{ "sysctl percpu_pagelist_high_fraction 7", "out of range" },
	{ "sysctl lowmem_reserve_ratio 1 2 3 4 5", "takes" },
	{ "cpus 1 2", "unexpected '2'" },
};

static void test_bad_lines(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		char text[512], err[512] = "", want[128];
		int r;

		/* The bad line is line 4, after a comment, a blank line and memory. */
		snprintf(text, sizeof(text), "# header\n\nmemory 0x40000000 0x80000000\n%s\n",
			 bad_lines[i].line);
		r = load(text, err, sizeof(err));
		snprintf(want, sizeof(want), "%s:4: ", path);
		if (r != 2 || strncmp(err, want, strlen(want)) || !strstr(err, bad_lines[i].message))
			fail_msg("'%s': got %d '%s', want 2 '%s...%s'", bad_lines[i].line, r, err, want,
				 bad_lines[i].message);
	}
}

static void test_missing_file(void **state)
{
	char err[512];

	(void)state;
	th_reset();
	assert_int_equal(pa_sim_load("/nonexistent/machine", err, sizeof(err)), 2);
	assert_non_null(strstr(err, "/nonexistent/machine"));
}

static void test_external_memmap(void **state)
{
	char err[512] = "";

	(void)state;
	if (load("memory 0x40000000 0x80000000\nmemmap external\n", err, sizeof(err)))
		fail_msg("%s", err);
	/* Nothing carved from memory: all of it is managed. */
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).managed, (1 * GiB) >> PA_PAGE_SHIFT);
	if (load("memory 0x40000000 0x80000000\nmemmap internal\n", err, sizeof(err)))
		fail_msg("%s", err);
	assert_true(th_zone(0, PA_ZONE_NORMAL).managed < (1 * GiB) >> PA_PAGE_SHIFT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_spec_example, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_external_memmap, setup, teardown),
	};

	return cmocka_run_group_tests_name("pa-sim", tests, NULL, NULL);
}
