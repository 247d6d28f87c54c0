// SPDX-License-Identifier: MIT
/*
 * pa-bench [--list] [NAME...] [-n ITERATIONS] [-r ROUNDS]
 *
 * The benchmark table, the command line, and the helpers every benchmark
 * shares (output, clocks, simulated machines, peers).  Adding a benchmark
 * is one function and one line in the table below.
 */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pagealloc/host.h>
#include "bench.h"

#define PAIR(nm, n, build, be_, ord, text) \
	{ nm, text, n, build, bench_pair, NULL, be_, ord }
#define NOT_YET(nm, text, reason) { nm, text, 0, BUILD_ANY, NULL, reason, BE_PA, 0 }

static const struct bench benches[] = {
	PAIR("pcp-pair", 2000000, BUILD_PCP, BE_PA, 0,
	     "order-0 pa_alloc_pages(GFP_KERNEL) + pa_free_pages through the per-CPU lists"),
	PAIR("pcp-pair-mimalloc", 2000000, BUILD_ANY, BE_MIMALLOC, 0,
	     "peer: mi_malloc_aligned(PAGE_SIZE, PAGE_SIZE) + mi_free"),
	PAIR("pcp-pair-glibc", 2000000, BUILD_ANY, BE_GLIBC, 0,
	     "peer: glibc aligned_alloc(PAGE_SIZE, PAGE_SIZE) + free"),
	{ "buddy-pair", "order-0 pair through the buddy lists alone (CONFIG_PA_PCP=n), buddy in use: no split, no merge",
	  2000000, BUILD_NOPCP, bench_pair_warm, NULL, BE_PA, 0 },
	PAIR("buddy-pair-cold", 1000000, BUILD_NOPCP, BE_PA, 0,
	     "buddy-pair on a fresh machine: each pair splits a max-order block, merges it back"),
	PAIR("order3-pair", 1000000, BUILD_ANY, BE_PA, 3, "order-3 pair (32 KiB with 4K pages)"),
	PAIR("order3-pair-mimalloc", 1000000, BUILD_ANY, BE_MIMALLOC, 3,
	     "peer: mi_malloc_aligned of 8 pages, aligned to their size"),
	PAIR("order3-pair-glibc", 1000000, BUILD_ANY, BE_GLIBC, 3,
	     "peer: glibc aligned_alloc of 8 pages, aligned to their size"),
	PAIR("order9-pair", 500000, BUILD_ANY, BE_PA, 9, "order-9 pair (2 MiB with 4K pages)"),
	PAIR("order9-pair-mimalloc", 100000, BUILD_ANY, BE_MIMALLOC, 9,
	     "peer: mi_malloc_aligned of 512 pages, aligned to their size"),
	PAIR("order9-pair-glibc", 20000, BUILD_ANY, BE_GLIBC, 9,
	     "peer: glibc aligned_alloc of 512 pages, aligned to their size (mmap)"),
	{ "refill-drain", "per-CPU set refill and drain: high_max + 2 batch pages allocated, freed",
	  2000, BUILD_PCP, bench_refill_drain, NULL, BE_PA, 0 },
	{ "exhaust-free", "allocate every page of a 1 GiB machine at order 0, then free them all", 5,
	  BUILD_ANY, bench_exhaust_free, NULL, BE_PA, 0 },
	{ "exhaust-free-mimalloc", "peer: as many page-aligned pages from mimalloc, then free", 5,
	  BUILD_ANY, bench_exhaust_free, NULL, BE_MIMALLOC, 0 },
	{ "exhaust-free-glibc", "peer: as many page-aligned pages from glibc, then free", 5, BUILD_ANY,
	  bench_exhaust_free, NULL, BE_GLIBC, 0 },
	{ "init", "pa_init of 1, 16, 64 and 256 GiB machines: ms per GiB, metadata", 3, BUILD_ANY,
	  bench_init, NULL, BE_PA, 0 },
	/*
	 * 4,000,000 pairs a thread: at 8 ns a pair on two threads, a phase of
	 * 1,000,000 lasted 8 ms, and a thread starting a millisecond late
	 * took a tenth off the speedup.
	 */
	{ "threads", "pcp-pair on 1 then 2 threads (CPUs 0, 1): throughput speedup", 4000000,
	  BUILD_PCP, bench_threads, NULL, BE_PA, 0 },
	{ "threads-mimalloc", "peer: the threads benchmark through mimalloc", 4000000, BUILD_ANY,
	  bench_threads, NULL, BE_MIMALLOC, 0 },
	{ "threads-glibc", "peer: the threads benchmark through glibc", 4000000, BUILD_ANY,
	  bench_threads, NULL, BE_GLIBC, 0 },
	{ "threads-spin", "calibration: 1 and 2 threads of arithmetic only, the machine's own speedup",
	  4000000, BUILD_ANY, bench_threads_spin, NULL, BE_PA, 0 },
	{ "bulk", "pa_alloc_pages_bulk() filling 64 pages, against 64 pa_alloc_pages() calls",
	  20000, BUILD_PCP, bench_bulk, NULL, BE_PA, 0 },
	{ "mixed", "free + allocate in a 4096-block working set: orders 0-4 and 9, five GFP classes",
	  1000000, BUILD_ANY, bench_mixed, NULL, BE_PA, 0 },
	{ "mixed-mimalloc", "peer: the mixed sequence through mimalloc", 1000000, BUILD_ANY,
	  bench_mixed, NULL, BE_MIMALLOC, 0 },
	{ "mixed-glibc", "peer: the mixed sequence through glibc", 1000000, BUILD_ANY, bench_mixed,
	  NULL, BE_GLIBC, 0 },
	{ "fragmentation", "mixed churn, then movable freed: free memory in whole pageblocks, grouping on/off",
	  2000000, BUILD_ANY, bench_fragmentation, NULL, BE_PA, 0 },
	{ "highalloc", "mixed churn kept, then pageblock-order allocations: success with compaction off/on",
	  1000000, BUILD_ANY, bench_highalloc, NULL, BE_PA, 0 },
};

#define NR_BENCHES (sizeof(benches) / sizeof(benches[0]))

unsigned int bench_rounds = 5;

/* ------------------------------------------------------------ output */

void bench_result(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("result %s ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void bench_skip(const char *name, const char *reason)
{
	bench_result(name, "skipped=1 reason=%s", reason);
}

_Noreturn void bench_die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "pa-bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* ------------------------------------------------------------ time */

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t bench_now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t bench_cpu_ns(void)
{
	return clock_ns(CLOCK_PROCESS_CPUTIME_ID);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double bench_best(double *v, unsigned int n, double *median)
{
	qsort(v, n, sizeof(*v), cmp_double);
	if (median)
		*median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return v[0];
}

/* ------------------------------------------------------------ machines */

uint64_t bench_machine(uint64_t bytes, unsigned int cpus, int dma32, uint64_t *cpu_ns)
{
	uint64_t t0, c0;
	int r;

	pa_reset();
	if (cpus > PA_NR_CPUS)
		cpus = PA_NR_CPUS;
	if ((r = pa_memblock_add(BENCH_RAM_BASE, bytes, 0)) ||
	    (r = pa_memblock_reserve(BENCH_RAM_BASE + 512 * 1024, 8 * BENCH_MiB)) ||
	    (r = pa_set_nr_cpus(cpus)))
		bench_die("cannot describe a %llu MiB machine: %s", (unsigned long long)(bytes >> 20),
			  pa_strerror(r));
#ifdef CONFIG_PA_ZONE_DMA32
	if (dma32 && (r = pa_set_zone_limit(PA_ZONE_DMA32, 4 * BENCH_GiB)))
		bench_die("cannot set the DMA32 limit: %s", pa_strerror(r));
#else
	(void)dma32;
#endif
	c0 = bench_cpu_ns();
	t0 = bench_now_ns();
	r = pa_init();
	t0 = bench_now_ns() - t0;
	if (cpu_ns)
		*cpu_ns = bench_cpu_ns() - c0;
	if (r)
		bench_die("pa_init of a %llu MiB machine failed: %s", (unsigned long long)(bytes >> 20),
			  pa_strerror(r));
	return t0;
}

void bench_std_machine(void)
{
	bench_teardown();
	bench_machine(5 * BENCH_GiB, 2, 1, NULL);
}

void bench_teardown(void)
{
	pa_reset();
	pa_host_release_memory();
}

/* ------------------------------------------------------------ peers */

void *(*bench_glibc_aligned_alloc)(size_t align, size_t size);
void (*bench_glibc_free)(void *p);

/*
 * Linking libmimalloc overrides malloc, free and aligned_alloc for the
 * whole process (Debian builds it with MI_OVERRIDE), so the glibc peer
 * takes glibc's own entry points from libc.so.6 explicitly.
 */
void bench_peers_init(void)
{
	void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);

	if (libc) {
		bench_glibc_aligned_alloc = (void *(*)(size_t, size_t))dlsym(libc, "aligned_alloc");
		bench_glibc_free = (void (*)(void *))dlsym(libc, "free");
	}
	if (!bench_glibc_aligned_alloc || !bench_glibc_free)
		bench_die("cannot find glibc's aligned_alloc and free in libc.so.6");
}

const char *bench_backend_name(enum bench_backend be)
{
	return be == BE_PA ? "pa" : be == BE_MIMALLOC ? "mimalloc" : "glibc";
}

/* ------------------------------------------------------------ driver */

static const char *build_name(enum bench_build b)
{
	return b == BUILD_PCP ? "pcp" : b == BUILD_NOPCP ? "nopcp" : "any";
}

/* Why @b cannot run in this build, or NULL. */
static const char *build_mismatch(const struct bench *b)
{
	if (b->build == BUILD_PCP && !IS_ENABLED(CONFIG_PA_PCP))
		return "needs-CONFIG_PA_PCP-on";
	if (b->build == BUILD_NOPCP && IS_ENABLED(CONFIG_PA_PCP))
		return "needs-CONFIG_PA_PCP-off-build";
	return NULL;
}

static void run(const struct bench *b, unsigned long n)
{
	const char *why = b->fn ? build_mismatch(b) : b->skip_reason;

	if (why) {
		bench_skip(b->name, why);
		return;
	}
	b->fn(b, n ? n : b->default_n);
	bench_teardown();
}

static void list(void)
{
	for (unsigned int i = 0; i < NR_BENCHES; i++)
		printf("%-22s build=%-5s n=%-8lu %s%s\n", benches[i].name, build_name(benches[i].build),
		       benches[i].default_n, benches[i].fn ? "" : "(not yet available) ",
		       benches[i].desc);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: pa-bench [NAME...] [-n ITERATIONS] [-r ROUNDS]\n"
		   "       pa-bench --list\n"
		   "Runs the named benchmarks (all without a name); each prints lines\n"
		   "'result NAME key=value ...'.  -n overrides each benchmark's iteration\n"
		   "count (pairs or operations; cycles for exhaust-free and runs per size\n"
		   "for init, at most 100), -r the number of timed rounds (default 5; the\n"
		   "best is reported).\n");
}

static unsigned long parse_count(const char *opt, const char *s)
{
	char *end;
	unsigned long v;

	if (!s)
		bench_die("%s needs a value", opt);
	v = strtoul(s, &end, 0);
	if (*end || end == s || !v)
		bench_die("bad %s value '%s'", opt, s);
	return v;
}

#ifdef __OPTIMIZE__
static const int optimized = 1;
#else
static const int optimized = 0;
#endif

int main(int argc, char **argv)
{
	const struct bench *sel[NR_BENCHES * 4];
	unsigned int nsel = 0;
	unsigned long n = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		unsigned int j;

		if (!strcmp(a, "--list") || !strcmp(a, "-l")) {
			list();
			return 0;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "-n")) {
			n = parse_count(a, argv[++i]);
		} else if (!strcmp(a, "-r")) {
			bench_rounds = (unsigned int)parse_count(a, argv[++i]);
			if (bench_rounds > 100)
				bench_die("-r: at most 100 rounds");
		} else {
			for (j = 0; j < NR_BENCHES && strcmp(a, benches[j].name); j++)
				;
			if (j == NR_BENCHES || a[0] == '-') {
				fprintf(stderr, "pa-bench: unknown benchmark or option '%s' (see --list)\n", a);
				usage(stderr);
				return 2;
			}
			if (nsel == sizeof(sel) / sizeof(sel[0]))
				bench_die("too many names");
			sel[nsel++] = &benches[j];
		}
	}
	if (!nsel)
		for (unsigned int j = 0; j < NR_BENCHES; j++)
			sel[nsel++] = &benches[j];

	printf("# pa-bench: page_size=%lu max_order=%d nr_cpus=%d pcp=%d debug_vm=%d optimized=%d\n",
	       PA_PAGE_SIZE, PA_MAX_PAGE_ORDER, PA_NR_CPUS, IS_ENABLED(CONFIG_PA_PCP),
	       IS_ENABLED(CONFIG_PA_DEBUG_VM), optimized);
	if (IS_ENABLED(CONFIG_PA_DEBUG_VM))
		printf("# warning: CONFIG_PA_DEBUG_VM=y: debug checks are on (make bench turns them off)\n");
	bench_peers_init();
	for (unsigned int i = 0; i < nsel; i++)
		run(sel[i], n);
	return 0;
}
