// SPDX-License-Identifier: MIT
/*
 * pa-sim's machine description: every directive of the machine format (docs/pa-sim.md) as
 * written there, and "file:line: what is wrong" with status 2 for bad lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <regex.h>
#include <unistd.h>
#include "harness.h"
#include "sim/sim.h"

static char path[64];

static int setup(void **state)
{
	th_setup(state);
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

static void test_format_example(void **state)
{
	char err[512] = "";

	(void)state;
	/* The example machine of docs/pa-sim.md, verbatim but for the zone/node lines this build lacks. */
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
	{ "thp sometimes", "thp takes 'never', 'madvise' or 'always'" },
	{ "thp always now", "unexpected 'now'" },
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

/* "cma START END [name NAME]": an area of four pageblocks, 1 GiB in. */
static void test_cma_directive(void **state)
{
	unsigned long long pb = (unsigned long long)PA_PAGEBLOCK_NR_PAGES << PA_PAGE_SHIFT;
	unsigned long long start = 0x40000000ULL + 4 * pb;
	char text[256], err[512] = "";
	int r;

	(void)state;
	snprintf(text, sizeof(text), "memory 0x40000000 0x140000000\ncma %#llx %#llx name big\n",
		 start, start + 4 * pb);
	r = load(text, err, sizeof(err));
	if (!IS_ENABLED(CONFIG_PA_CMA)) {
		/* The library's refusal, on the directive's line. */
		assert_int_equal(r, 2);
		assert_non_null(strstr(err, ":2: "));
		assert_non_null(strstr(err, "CONFIG_PA_CMA"));
		return;
	}
	if (r)
		fail_msg("%s", err);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).cma, 4 * PA_PAGEBLOCK_NR_PAGES);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free_cma, 4 * PA_PAGEBLOCK_NR_PAGES);
	/* Not pageblock-aligned: the library's error, with the line. */
	snprintf(text, sizeof(text), "memory 0x40000000 0x140000000\ncma %#llx %#llx\n",
		 start + 4096, start + 4 * pb + 4096);
	assert_int_equal(load(text, err, sizeof(err)), 2);
	assert_non_null(strstr(err, ":2: "));
	assert_non_null(strstr(err, "aligned"));
	snprintf(text, sizeof(text), "memory 0x40000000 0x140000000\ncma %#llx %#llx name\n",
		 start, start + 4 * pb);
	assert_int_equal(load(text, err, sizeof(err)), 2);
	assert_non_null(strstr(err, "expected name NAME"));
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

#if PA_PAGE_SHIFT == 12 && defined(CONFIG_PA_ZONE_DMA) && defined(CONFIG_PA_ZONE_DMA32)
struct zi_zone {
	char name[16];
	long node, free, min, low, high, promo, spanned, present, managed, start_pfn;
	long protection[8];
	int nprot;
	bool has_stats;
};

static const char *const zi_line_patterns[] = {
	/* The shapes a /proc/zoneinfo parser accepts, as in procps and node_exporter. */
	"^Node ([0-9]+), zone +([A-Za-z0-9]+)$",
	"^  pages free +([0-9]+)$",
	"^ +(boost|min|low|high|promo|spanned|present|managed|cma) +([0-9]+)$",
	"^ +protection: \\(([0-9, ]+)\\)$",
	"^  per-node stats$",
	"^      ([a-z_0-9]+) +([0-9]+)$",
	"^  pagesets$",
	"^    cpu: ([0-9]+)$",
	"^ +(count|high|batch|high_min|high_max): +([0-9]+)$",
	"^  vm stats threshold: ([0-9]+)$",
	"^  node_unreclaimable: +([0-9]+)$",
	"^  start_pfn: +([0-9]+)$",
};

/* Parse zoneinfo text with the patterns above; every line must match one. */
static int parse_zoneinfo(char *text, struct zi_zone *zones, int max)
{
	regex_t re[sizeof(zi_line_patterns) / sizeof(zi_line_patterns[0])];
	int nz = -1;
	bool in_pagesets = false;

	for (size_t i = 0; i < sizeof(re) / sizeof(re[0]); i++)
		assert_int_equal(regcomp(&re[i], zi_line_patterns[i], REG_EXTENDED), 0);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		regmatch_t m[4];
		size_t k;

		for (k = 0; k < sizeof(re) / sizeof(re[0]); k++)
			if (!regexec(&re[k], line, 4, m, 0))
				break;
		if (k == sizeof(re) / sizeof(re[0]))
			fail_msg("zoneinfo line matches no parser pattern: '%s'", line);
		struct zi_zone *z = nz >= 0 ? &zones[nz] : NULL;
		char *v1 = line + m[1].rm_so;
		if (k == 0) {
			assert_true(++nz < max);
			z = &zones[nz];
			memset(z, 0, sizeof(*z));
			z->node = atol(v1);
			snprintf(z->name, sizeof(z->name), "%.*s", (int)(m[2].rm_eo - m[2].rm_so),
				 line + m[2].rm_so);
			in_pagesets = false;
			continue;
		}
		assert_non_null(z);
		if (k == 1) {
			z->free = atol(v1);
		} else if (k == 2 && !in_pagesets) {
			long v = atol(line + m[2].rm_so);
			const char *f = v1;
			if (!strncmp(f, "min ", 4)) z->min = v;
			else if (!strncmp(f, "low ", 4)) z->low = v;
			else if (!strncmp(f, "high ", 5)) z->high = v;
			else if (!strncmp(f, "promo ", 6)) z->promo = v;
			else if (!strncmp(f, "spanned ", 8)) z->spanned = v;
			else if (!strncmp(f, "present ", 8)) z->present = v;
			else if (!strncmp(f, "managed ", 8)) z->managed = v;
		} else if (k == 3) {
			for (char *t = strtok_r(v1, ", )", &v1); t && z->nprot < 8; t = strtok_r(NULL, ", )", &v1))
				z->protection[z->nprot++] = atol(t);
		} else if (k == 4) {
			z->has_stats = true;
		} else if (k == 6) {
			in_pagesets = true;
		} else if (k == 11) {
			z->start_pfn = atol(v1);
		}
	}
	for (size_t i = 0; i < sizeof(re) / sizeof(re[0]); i++)
		regfree(&re[i]);
	return nz + 1;
}

static void test_zoneinfo_parses(void **state)
{
	char cmd[256], *text = malloc(1 << 20);
	size_t len = 0, r;
	const char *sim = getenv("PA_SIM");
	struct zi_zone z[8];
	FILE *f;

	(void)state;
	if (!sim)
		fail_msg("PA_SIM (the pa-sim binary) is not set; run through 'make test'");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("memory 0 0x180000000\nzone_limit DMA 16M\nzone_limit DMA32 4G\ncpus 2\n"
	      "memmap external\n", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "%s %s zoneinfo", sim, path);
	f = popen(cmd, "r");
	assert_non_null(f);
	while ((r = fread(text + len, 1, (1 << 20) - 1 - len, f)) > 0)
		len += r;
	text[len] = '\0';
	assert_int_equal(pclose(f), 0);
	int n = parse_zoneinfo(text, z, 8);
	/* Every zone of the node, empty ones included, in zone order. */
	assert_int_equal(n, PA_MAX_NR_ZONES);
	assert_string_equal(z[0].name, "DMA");
	assert_string_equal(z[1].name, "DMA32");
	assert_string_equal(z[2].name, "Normal");
	assert_string_equal(z[3].name, "Movable");
	/* The figures worked out by hand in test_watermark's DMA + DMA32 + Normal case. */
	assert_int_equal(z[0].min, 6);
	assert_int_equal(z[1].min, 1665);
	assert_int_equal(z[1].low, 2709);
	assert_int_equal(z[1].high, 3753);
	assert_int_equal(z[1].promo, 4797);
	assert_int_equal(z[2].min, 836);
	assert_int_equal(z[3].min, 32);
	assert_int_equal(z[0].nprot, 4);
	assert_int_equal(z[0].protection[1], 4080);
	assert_int_equal(z[0].protection[2], 6128);
	assert_int_equal(z[1].protection[2], 2048);
	assert_int_equal(z[1].start_pfn, 4096);
	assert_int_equal(z[1].spanned, 1044480);
	assert_int_equal(z[1].present, 1044480);
	assert_int_equal(z[1].managed, 1044480);
	assert_int_equal(z[1].free, 1044480);
	assert_int_equal(z[2].start_pfn, 1048576);
	/* The per-node block comes with the first populated zone only. */
	assert_true(z[0].has_stats);
	assert_false(z[1].has_stats);
	free(text);
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_format_example, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cma_directive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_external_memmap, setup, teardown),
#if PA_PAGE_SHIFT == 12 && defined(CONFIG_PA_ZONE_DMA) && defined(CONFIG_PA_ZONE_DMA32)
		cmocka_unit_test_setup_teardown(test_zoneinfo_parses, setup, teardown),
#endif
	};

	return cmocka_run_group_tests_name("pa-sim", tests, NULL, NULL);
}
