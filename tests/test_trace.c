// SPDX-License-Identifier: MIT
/*
 * Allocation traces: the line of each event (pa_trace_format), GFP flags by
 * name, and with CONFIG_PA_TRACE the hook's events for each entry point and
 * a recorded run replayed by pa-sim to the same buddyinfo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pagealloc/port.h>
#include "harness.h"
#include "sim/sim.h"

/* ------------------------------------------------------------ the recording hook */

#define REC_MAX (1 << 22)

static struct {
	bool on;
	char *text;
	size_t len;
	unsigned long events;
} rec;

void pa_port_trace(const struct pa_trace_event *ev)
{
	char line[PA_TRACE_LINE_MAX];
	int n;

	if (!rec.on)
		return;
	n = pa_trace_format(ev, line, sizeof(line));
	assert_true(n > 0 && rec.len + (size_t)n < REC_MAX);
	memcpy(rec.text + rec.len, line, (size_t)n + 1);
	rec.len += (size_t)n;
	rec.events++;
}

/*
 * pa-sim, which replays the recording, runs a kswapd (sim/cache.c); so
 * does this kernel, then, or the two would differ in the watermark boost
 * (which only a kernel with kswapd applies).  pa-sim's replay never
 * balances, and neither does this.
 */
void pa_port_wake_kswapd(int nid, unsigned int order, enum pa_zone_type highest_zoneidx)
{
	(void)nid, (void)order, (void)highest_zoneidx;
}

static void rec_start(void)
{
	if (!rec.text)
		rec.text = malloc(REC_MAX);
	assert_non_null(rec.text);
	rec.text[0] = '\0';
	rec.len = 0;
	rec.events = 0;
	rec.on = true;
}

static int setup(void **state)
{
	th_setup(state);
	rec.on = false;
	return 0;
}

/* ------------------------------------------------------------ formatting, every build */

static void expect_line(struct pa_trace_event ev, const char *want)
{
	char buf[PA_TRACE_LINE_MAX];

	assert_int_equal(pa_trace_format(&ev, buf, sizeof(buf)), (int)strlen(want));
	assert_string_equal(buf, want);
}

static void test_format_lines(void **state)
{
	(void)state;
	expect_line((struct pa_trace_event){ PA_TRACE_ALLOC, 0x40200, PA_GFP_KERNEL, 3, -1, 1, false, 0 },
		    "a 0x40200 GFP_KERNEL 3 -1 1\n");
	expect_line((struct pa_trace_event){ PA_TRACE_ALLOC, 0x40201, PA_GFP_KERNEL, 0, -1, 1, true, 0 },
		    "a 0x40201 GFP_KERNEL 0 -1 1 bulk\n");
	/* 0x2820 = __GFP_HIGH | __GFP_KSWAPD_RECLAIM | __GFP_NOWARN: GFP_ATOMIC is the first
	 * combination of the table contained in it. */
	expect_line((struct pa_trace_event){ PA_TRACE_ALLOC, PA_TRACE_NO_PFN, 0x2820, 0, 0, 0, false, 0 },
		    "a - GFP_ATOMIC|__GFP_NOWARN 0 0 0\n");
	expect_line((struct pa_trace_event){ PA_TRACE_FREE, 0x40200, 0, 3, -1, 1, false, 0 }, "f 0x40200 3 1\n");
	expect_line((struct pa_trace_event){ PA_TRACE_GET, 0x7, 0, 0, -1, 2, false, 0 }, "g 0x7\n");
	expect_line((struct pa_trace_event){ PA_TRACE_PUT, 0x7, 0, 0, -1, 2, false, 0 }, "p 0x7 2\n");
	expect_line((struct pa_trace_event){ PA_TRACE_MIGRATE, 0x40400, 0, 2, -1, 3, false, 0x40010 },
		    "m 0x40010 0x40400 2 3\n");
	assert_int_equal(th_log_lines(), 0);
}

static void expect_gfp(pa_gfp_t gfp, const char *want)
{
	char buf[128];
	pa_gfp_t back = 0;

	assert_int_equal(pa_gfp_format(gfp, buf, sizeof(buf)), (int)strlen(want));
	assert_string_equal(buf, want);
	assert_int_equal(pa_gfp_parse(buf, &back), 0);
	assert_int_equal(back, gfp);
}

static void test_gfp_names(void **state)
{
	pa_gfp_t g = 0;

	(void)state;
	expect_gfp(0, "0");
	expect_gfp(0xcc0, "GFP_KERNEL");
	expect_gfp(0xcc0 | 0x100, "GFP_KERNEL|__GFP_ZERO");
	expect_gfp(0x100cca, "GFP_HIGHUSER_MOVABLE");
	expect_gfp(0x10 | 0x4, "GFP_DMA32|__GFP_RECLAIMABLE"); /* GFP_DMA32 is a combination of one bit */
	expect_gfp(0xcc0 | 0x200, "GFP_KERNEL|0x200"); /* 0x200 has no name */
	expect_gfp(0x800000, "0x800000");
	for (unsigned int bit = 0; bit < 24; bit++) {
		char buf[128];
		pa_gfp_t back;

		assert_true(pa_gfp_format(1u << bit, buf, sizeof(buf)) > 0);
		assert_int_equal(pa_gfp_parse(buf, &back), 0);
		assert_int_equal(back, 1u << bit);
	}
	assert_int_equal(pa_gfp_parse("PA_GFP_ATOMIC|0x10|8", &g), 0);
	assert_int_equal(g, 0x820 | 0x10 | 8);
	assert_int_equal(pa_gfp_parse("__GFP_RECLAIM", &g), 0);
	assert_int_equal(g, 0xc00);
	assert_int_equal(th_log_lines(), 0);
}

/* Each bad string: -EINVAL, one log line naming the bad word, the result untouched. */
static void test_gfp_parse_bad(void **state)
{
	static const char *const bad[][2] = {
		{ "GFP_NOPE", "'GFP_NOPE'" },   { "", "''" },
		{ "GFP_KERNEL|", "''" },         { "0xZ", "'0xZ'" },
		{ "0x100000000", "'0x100000000'" }, { "GFP_KERNEL|__GFP_ZER0", "'__GFP_ZER0'" },
	};
	pa_gfp_t g = 0x1234;

	(void)state;
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		th_log_clear();
		th_assert_error(pa_gfp_parse(bad[i][0], &g), PA_EINVAL, bad[i][1]);
		assert_int_equal(g, 0x1234);
	}
	th_log_clear();
	th_assert_error(pa_gfp_parse(NULL, &g), PA_EINVAL, "string");
	th_log_clear();
	th_assert_error(pa_gfp_parse("GFP_KERNEL", NULL), PA_EINVAL, "result");
}

static void test_format_bad(void **state)
{
	struct pa_trace_event ev = { PA_TRACE_ALLOC, 0x40200, PA_GFP_KERNEL, 3, -1, 1, false, 0 };
	char buf[PA_TRACE_LINE_MAX], small[8];

	(void)state;
	th_assert_error(pa_trace_format(NULL, buf, sizeof(buf)), PA_EINVAL, "event");
	th_log_clear();
	th_assert_error(pa_trace_format(&ev, NULL, 0), PA_EINVAL, "buffer");
	th_log_clear();
	th_assert_error(pa_trace_format(&ev, small, sizeof(small)), PA_EINVAL, "too few");
	th_log_clear();
	ev.op = (enum pa_trace_op)42;
	th_assert_error(pa_trace_format(&ev, buf, sizeof(buf)), PA_EINVAL, "unknown op");
	th_log_clear();
	th_assert_error(pa_gfp_format(PA_GFP_KERNEL, small, sizeof(small)), PA_ENOSPC, "too few");
}

/* ------------------------------------------------------------ the hook, CONFIG_PA_TRACE */

static char machine_path[64], trace_path[64];
static unsigned long logged;

static void count_log(int level, const char *line, void *ctx)
{
	(void)level, (void)line, (void)ctx;
	logged++;
}

/* 256 MiB, 2 CPUs, written to a file so that pa-sim can build the same machine. */
static void trace_machine(void)
{
	char err[512] = "";
	FILE *f;

	snprintf(machine_path, sizeof(machine_path), "/tmp/pa-trace-test-%d.machine", (int)getpid());
	f = fopen(machine_path, "w");
	assert_non_null(f);
	fputs("cpus 2\nmemory 0x40000000 0x50000000\nreserve 0x40000000 0x40200000\n", f);
	fclose(f);
	th_reset();
	if (pa_sim_load(machine_path, err, sizeof(err)))
		fail_msg("%s", err);
	pa_host_set_log(count_log, NULL); /* pa_sim_load() left stderr as the sink */
	logged = 0;
}

static void expect_recorded(const char *want)
{
	assert_string_equal(rec.text, want);
	rec_start();
}

static void test_hook_events(void **state)
{
	struct pa_page *p, *bulk[3] = { NULL, NULL, NULL };
	char want[512];
	unsigned long pfn;
	/* A foreign page: readable and aligned, as the accessors require, but not ours. */
	static struct pa_page foreign __attribute__((aligned(32)));

	(void)state;
	if (!IS_ENABLED(CONFIG_PA_TRACE))
		skip();
	trace_machine();
	rec_start();
	pa_host_set_cpu(1);
	p = pa_alloc_pages(PA_GFP_KERNEL, 2);
	assert_non_null(p);
	pfn = pa_page_to_pfn(p);
	snprintf(want, sizeof(want), "a %#lx GFP_KERNEL 2 -1 1\n", pfn);
	expect_recorded(want);
	pa_get_page(p);
	assert_int_equal(pa_put_page(p), 0);
	assert_int_equal(pa_free_pages(p, 2), 0);
	snprintf(want, sizeof(want), "g %#lx\np %#lx 1\nf %#lx 2 1\n", pfn, pfn, pfn);
	expect_recorded(want);
	pa_host_set_cpu(0);
	/* Invalid: a "-" line (no ID), logged as ever; a foreign pointer: no event. */
	assert_null(pa_alloc_pages_node(0, PA_GFP_KERNEL, PA_MAX_PAGE_ORDER + 1));
	assert_int_equal(pa_free_pages(&foreign, 0), -PA_EFAULT);
	assert_int_equal(logged, 2);
	snprintf(want, sizeof(want), "a - GFP_KERNEL %d 0 0\n", PA_MAX_PAGE_ORDER + 1);
	expect_recorded(want);
	/* Bulk: one order-0 line per page, in slot order, marked as the set's bulk take. */
	assert_int_equal(pa_alloc_pages_bulk(PA_GFP_KERNEL, PA_NUMA_NO_NODE, NULL, 3, bulk), 3);
	snprintf(want, sizeof(want), "a %#lx GFP_KERNEL 0 -1 0 bulk\na %#lx GFP_KERNEL 0 -1 0 bulk\n"
		 "a %#lx GFP_KERNEL 0 -1 0 bulk\n", pa_page_to_pfn(bulk[0]), pa_page_to_pfn(bulk[1]),
		 pa_page_to_pfn(bulk[2]));
	expect_recorded(want);
	/*
	 * A filled slot after an empty one (a page, a non-page marker, an odd
	 * sentinel) is kept and not recorded; the new pages are, in slot order.
	 */
	struct pa_page marker, *odd = (struct pa_page *)(uintptr_t)1;
	struct pa_page *gap[6] = { NULL, bulk[1], NULL, &marker, NULL, odd };

	assert_int_equal(pa_alloc_pages_bulk(PA_GFP_KERNEL, PA_NUMA_NO_NODE, NULL, 6, gap), 6);
	assert_ptr_equal(gap[1], bulk[1]);
	assert_ptr_equal(gap[3], &marker);
	assert_ptr_equal(gap[5], odd);
	snprintf(want, sizeof(want), "a %#lx GFP_KERNEL 0 -1 0 bulk\na %#lx GFP_KERNEL 0 -1 0 bulk\n"
		 "a %#lx GFP_KERNEL 0 -1 0 bulk\n", pa_page_to_pfn(gap[0]), pa_page_to_pfn(gap[2]),
		 pa_page_to_pfn(gap[4]));
	expect_recorded(want);
#ifdef CONFIG_PA_MEMORY_ISOLATION
	/*
	 * A contiguous range: one order-0 line per page, movable (the pages
	 * came from movable pageblocks) on the range's node, then one per free.
	 */
	p = pa_alloc_contig_pages(2, PA_GFP_KERNEL, PA_NUMA_NO_NODE, NULL);
	assert_non_null(p);
	pfn = pa_page_to_pfn(p);
	snprintf(want, sizeof(want), "a %#lx GFP_KERNEL|__GFP_MOVABLE 0 0 0\n"
		 "a %#lx GFP_KERNEL|__GFP_MOVABLE 0 0 0\n", pfn, pfn + 1);
	expect_recorded(want);
	assert_int_equal(pa_free_contig_range(pfn, 2), 0);
	snprintf(want, sizeof(want), "f %#lx 0 0\nf %#lx 0 0\n", pfn, pfn + 1);
	expect_recorded(want);
#endif
	rec.on = false;
	for (int i = 0; i < 3; i++)
		assert_int_equal(pa_free_pages(bulk[i], 0), 0);
	for (int i = 0; i < 5; i += 2)
		assert_int_equal(pa_free_pages(gap[i], 0), 0);
	th_check();
}

struct held {
	struct pa_page *page;
	unsigned int order;
};

struct run_counts {
	unsigned long allocs, fails, frees;
};

static unsigned int lcg(unsigned long long *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned int)(*s >> 33);
}

static const pa_gfp_t mix[] = {
	PA_GFP_KERNEL, PA_GFP_HIGHUSER_MOVABLE, PA_GFP_KERNEL | PA__GFP_RECLAIMABLE, PA_GFP_ATOMIC,
};

/* One step of the recorded run: mostly allocations while few are held, else frees. */
static void step(struct held *h, unsigned long *n, unsigned long long *seed, struct run_counts *c)
{
	unsigned int r = lcg(seed) % 100;

	pa_host_set_cpu(lcg(seed) % 2);
	if (*n && (r < 45 || *n > 400)) {
		unsigned long k = lcg(seed) % *n;

		if (r < 5) { /* a shared reference, dropped again */
			pa_get_page(h[k].page);
			assert_int_equal(pa_put_page(h[k].page), 0);
		}
		assert_int_equal(pa_free_pages(h[k].page, h[k].order), 0);
		c->frees++;
		h[k] = h[--*n];
	} else if (r < 50) {
		struct pa_page *b[8] = { NULL };
		unsigned int got = pa_alloc_pages_bulk(PA_GFP_KERNEL | PA__GFP_NOWARN, PA_NUMA_NO_NODE, NULL, 8, b);

		for (unsigned int i = 0; i < got; i++)
			h[(*n)++] = (struct held){ b[i], 0 };
		c->allocs += got;
	} else {
		unsigned int order = r % 3 ? lcg(seed) % 4 : lcg(seed) % (PA_MAX_PAGE_ORDER + 1);
		struct pa_page *p = pa_alloc_pages(mix[lcg(seed) % 4] | PA__GFP_NOWARN, order);

		if (p)
			h[(*n)++] = (struct held){ p, order };
		c->allocs += p != NULL;
		c->fails += p == NULL;
	}
}

/* The run: churn, then GFP_NOWAIT order-3 blocks until one fails (a "-" line). */
static void recorded_run(struct held *h, unsigned long *n, struct run_counts *c)
{
	unsigned long long seed = 2024;
	struct pa_page *p;

	for (int i = 0; i < 20000; i++)
		step(h, n, &seed, c);
	pa_host_set_cpu(1);
	while ((p = pa_alloc_pages(PA_GFP_NOWAIT, 3))) {
		h[(*n)++] = (struct held){ p, 3 };
		c->allocs++;
	}
	c->fails++;
	pa_host_set_cpu(0);
}

/* Run pa-sim on the machine and the recorded trace; its stdout. */
static char *replay(const char *views)
{
	const char *sim = getenv("PA_SIM");
	char cmd[512], *out = malloc(1 << 20);
	size_t len = 0, r;
	FILE *f;

	if (!sim)
		fail_msg("PA_SIM (the pa-sim binary) is not set; run through 'make test'");
	assert_non_null(out);
	snprintf(cmd, sizeof(cmd), "%s %s --trace %s %s", sim, machine_path, trace_path, views);
	f = popen(cmd, "r");
	assert_non_null(f);
	while ((r = fread(out + len, 1, (1 << 20) - 1 - len, f)) > 0)
		len += r;
	out[len] = '\0';
	assert_int_equal(pclose(f), 0);
	return out;
}

static void test_record_replay(void **state)
{
	struct held *h;
	struct run_counts c = { 0 };
	char *before, *out, want[256];
	unsigned long n = 0, held = 0;
	FILE *f;

	(void)state;
	if (!IS_ENABLED(CONFIG_PA_TRACE))
		skip();
	h = calloc(1 << 17, sizeof(*h));
	before = malloc(1 << 20);
	assert_non_null(h);
	assert_non_null(before);
	trace_machine();
	rec_start();
	recorded_run(h, &n, &c);
	rec.on = false;
	th_check();
	th_buddyinfo(before, 1 << 20);
	th_text(pa_print_zoneinfo, before + strlen(before), (1 << 20) - strlen(before));
	snprintf(trace_path, sizeof(trace_path), "/tmp/pa-trace-test-%d.trace", (int)getpid());
	f = fopen(trace_path, "w");
	assert_non_null(f);
	fputs(rec.text, f);
	fclose(f);
	out = replay("buddyinfo zoneinfo");
	for (unsigned long i = 0; i < n; i++)
		held += 1UL << h[i].order;
	/* ops: each allocation call, free, and get+put pair (2) of the run. */
	snprintf(want, sizeof(want), "trace %s ops=%lu allocs=%lu fails=%lu frees=%lu held=%lu\n",
		 trace_path, rec.events, c.allocs, c.fails, c.frees, held);
	if (strncmp(out, want, strlen(want)))
		fail_msg("summary:\n%.200s\nexpected:\n%s", out, want);
	assert_true(c.fails >= 1 && c.frees > 1000 && held > 0);
	assert_string_equal(out + strlen(want), before);
	unlink(trace_path);
	unlink(machine_path);
	free(out);
	free(before);
	free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_format_lines, setup),
		cmocka_unit_test_setup(test_gfp_names, setup),
		cmocka_unit_test_setup(test_gfp_parse_bad, setup),
		cmocka_unit_test_setup(test_format_bad, setup),
		cmocka_unit_test_setup(test_hook_events, setup),
		cmocka_unit_test_setup(test_record_replay, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
