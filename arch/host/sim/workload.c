// SPDX-License-Identifier: MIT
/*
 * pa-sim's built-in workloads ("--workload NAME[:KEY=VALUE,...]").  Each
 * runs single-threaded with a fixed default seed, picks the simulated CPU
 * of each operation with pa_host_set_cpu(), calls pa_sim_tick() after each
 * allocator call (plots), ends with every per-CPU set drained (so the
 * views show all free pages on the buddy lists) and prints one summary line
 *
 *   workload NAME ops=N allocs=A fails=F frees=R held=P [extra fields]
 *
 * with ops = A + F + R (allocator calls) and P the pages still allocated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pagealloc/host.h>
#include "fragmix.h"
#include "sim.h"

#define MAX_PARAMS 5

struct blk {
	struct pa_page *page;
	unsigned int order;
};

/* The blocks a workload holds; freeing takes a random one. */
struct pool {
	struct blk *v;
	unsigned long n, pages;
};

struct run {
	unsigned long p[MAX_PARAMS]; /* parameter values, in the workload's key order */
	unsigned long long seed;
	struct pa_sim_stats st;
	char extra[256];             /* fields after held= */
};

struct workload {
	const char *name;
	const char *help;
	const char *keys[MAX_PARAMS];
	unsigned long defaults[MAX_PARAMS];
	void (*fn)(struct run *r);
};

static unsigned int rnd(struct run *r)
{
	return pa_frag_rnd(&r->seed);
}

static void pick_cpu(struct run *r)
{
	pa_host_set_cpu(rnd(r) % pa_sim_nr_cpus());
}

/* Managed pages of all zones: the pool's capacity bound. */
static unsigned long managed_pages(void)
{
	struct pa_meminfo mi;

	return pa_get_meminfo(&mi) ? 0 : mi.managed_pages;
}

static void pool_init(struct pool *pl)
{
	pl->v = calloc(managed_pages() + 1, sizeof(*pl->v));
	pl->n = pl->pages = 0;
	if (!pl->v)
		abort();
}

/* One allocation; kept in @pl when it succeeds. */
static struct pa_page *alloc_into(struct run *r, struct pool *pl, pa_gfp_t gfp, unsigned int order)
{
	struct pa_page *page = pa_alloc_pages(gfp | PA__GFP_NOWARN, order);

	r->st.ops++;
	if (page) {
		r->st.allocs++;
		if (pl) {
			pl->v[pl->n++] = (struct blk){ page, order };
			pl->pages += 1UL << order;
		}
	} else {
		r->st.fails++;
	}
	pa_sim_tick();
	return page;
}

static void free_at(struct run *r, struct pool *pl, unsigned long k)
{
	pa_free_pages(pl->v[k].page, pl->v[k].order);
	pl->pages -= 1UL << pl->v[k].order;
	pl->v[k] = pl->v[--pl->n];
	r->st.ops++;
	r->st.frees++;
	pa_sim_tick();
}

/* Drain every set, so the views see all free pages, and back to CPU 0. */
static void finish(struct run *r, unsigned long held)
{
	pa_drain_all_pages();
	pa_host_set_cpu(0);
	r->st.held = held;
}

/* ------------------------------------------------------------ churn */

static const pa_gfp_t churn_gfp[] = {
	PA_GFP_KERNEL, PA_GFP_HIGHUSER_MOVABLE, PA_GFP_KERNEL | PA__GFP_RECLAIMABLE, PA_GFP_ATOMIC,
};

/* Allocate one block of the churn mix: half order 0, half 0..maxorder; GFP class at random. */
static struct pa_page *churn_alloc(struct run *r, struct pool *pl, unsigned int maxorder)
{
	unsigned int order = rnd(r) % 2 ? 0 : rnd(r) % (maxorder + 1);

	return alloc_into(r, pl, churn_gfp[rnd(r) % 4], order);
}

/*
 * Steady churn: fill to the target occupancy (a share of the managed
 * pages), then "ops" steps that allocate with probability 3/4 below the
 * target and 1/4 above it, else free a random block: a random walk held
 * at the target.
 */
static void wl_churn(struct run *r)
{
	unsigned long ops = r->p[0], target = managed_pages() / 100 * r->p[3];
	unsigned int maxorder = (unsigned int)r->p[2];
	struct pool pl;

	pool_init(&pl);
	while (pl.pages < target) {
		pick_cpu(r);
		if (!churn_alloc(r, &pl, maxorder))
			break;
	}
	for (unsigned long i = 0; i < ops; i++) {
		bool below = pl.pages < target;

		pick_cpu(r);
		if (!pl.n || (rnd(r) % 4 == 0) != below)
			churn_alloc(r, &pl, maxorder);
		else
			free_at(r, &pl, rnd(r) % pl.n);
	}
	finish(r, pl.pages);
	free(pl.v);
}

/* ------------------------------------------------------------ frag */

static void frag_tick(void *ctx)
{
	(void)ctx;
	pa_sim_tick();
}

/*
 * pa-bench's fragmentation mix (fragmix.c): fill to 90%, churn, free the
 * movable blocks; reports the fraction of free memory in whole pageblocks.
 */
static void wl_frag(struct run *r)
{
	unsigned long cap = managed_pages() + 1, n, held = 0;
	struct pa_frag_blk *v = calloc(cap, sizeof(*v));
	struct pa_frag_stats fs = { 0 };

	if (!v)
		abort();
	n = pa_frag_churn(v, cap, pa_nr_free_pages() / 10, r->p[0], &r->seed, &fs, frag_tick, NULL);
	n = pa_frag_free_movable(v, n, &fs);
	for (unsigned long i = 0; i < n; i++)
		held += 1UL << v[i].order;
	r->st.allocs = fs.allocs;
	r->st.fails = fs.fails;
	r->st.frees = fs.frees;
	r->st.ops = fs.allocs + fs.fails + fs.frees;
	snprintf(r->extra, sizeof(r->extra), " whole_block_fraction=%.4f",
		 pa_frag_whole_block_fraction());
	finish(r, held);
	free(v);
}

/* ------------------------------------------------------------ pressure */

/*
 * Memory pressure with a reclaimable page cache: three steps in four read
 * a "file" page into the cache (never freed by the workload: only reclaim
 * shrinks it), the fourth churns kernel blocks of order 0-2 around
 * anon% of memory.  kswapd, when woken, runs after every "kswapd"
 * operations: the larger, the more allocations find the zone below min
 * first and reclaim directly.
 */
static void wl_pressure(struct run *r)
{
	unsigned long ops = r->p[0], target = managed_pages() / 100 * r->p[2];
	struct pa_sim_reclaim_stats rs;
	struct pool pl;

	pool_init(&pl);
	for (unsigned long i = 0; i < ops; i++) {
		struct pa_page *page;

		pick_cpu(r);
		if (rnd(r) % 4) {
			page = alloc_into(r, NULL, PA_GFP_HIGHUSER_MOVABLE, 0);
			if (page)
				pa_sim_cache_add(page);
		} else if (pl.pages < target || !pl.n) {
			alloc_into(r, &pl, PA_GFP_KERNEL, rnd(r) % 3);
		} else {
			free_at(r, &pl, rnd(r) % pl.n);
		}
		if ((i + 1) % r->p[3] == 0) {
			pa_host_set_cpu(0);
			pa_sim_run_kswapd();
		}
	}
	pa_sim_reclaim_stats(&rs);
	r->st.frees += rs.kswapd_reclaimed + rs.direct_reclaimed;
	r->st.ops += rs.kswapd_reclaimed + rs.direct_reclaimed;
	snprintf(r->extra, sizeof(r->extra),
		 " cache=%lu kswapd_runs=%lu kswapd_reclaimed=%lu direct_reclaims=%lu direct_reclaimed=%lu",
		 pa_sim_cache_pages(), rs.kswapd_runs, rs.kswapd_reclaimed, rs.direct_calls,
		 rs.direct_reclaimed);
	finish(r, pl.pages + pa_sim_cache_pages());
	free(pl.v);
}

/* ------------------------------------------------------------ atomic */

struct dip {
	long worst;           /* lowest free - min seen, any zone */
	int nid, zone;        /* where */
	unsigned long min, lowest;
};

/* Note each zone's free pages against its min watermark. */
static void dip_sample(struct dip *d)
{
	for (int nid = 0; nid < PA_MAX_NUMNODES; nid++)
		for (int z = 0; z < PA_MAX_NR_ZONES; z++) {
			struct pa_zone_counts c;

			if (pa_zone_get_counts(nid, (enum pa_zone_type)z, &c) || !c.managed)
				continue;
			if (d->nid < 0 || (long)c.free - (long)c.wmark_min < d->worst) {
				*d = (struct dip){ (long)c.free - (long)c.wmark_min, nid, z, c.wmark_min,
						   c.free };
			}
		}
}

/*
 * An atomic burst: fill memory with GFP_NOWAIT pages (no reserves: they
 * stop at the min watermark), then "count" GFP_ATOMIC allocations of
 * "order", which may go below min (__GFP_HIGH and the non-blocking
 * reserve).  Reports the deepest dip below min of any zone.
 */
static void wl_atomic(struct run *r)
{
	struct dip d = { .nid = -1 };
	unsigned long atomic_fails;
	struct pool pl;

	pool_init(&pl);
	while (alloc_into(r, &pl, PA_GFP_NOWAIT | PA__GFP_MOVABLE, 0))
		;
	dip_sample(&d);
	atomic_fails = r->st.fails;
	for (unsigned long i = 0; i < r->p[0]; i++) {
		alloc_into(r, &pl, PA_GFP_ATOMIC, (unsigned int)r->p[1]);
		dip_sample(&d);
	}
	atomic_fails = r->st.fails - atomic_fails;
	snprintf(r->extra, sizeof(r->extra),
		 " atomic_fails=%lu zone=%d/%s min=%lu lowest_free=%lu below_min=%ld (%.1f%% of min)",
		 atomic_fails, d.nid, pa_zone_name((enum pa_zone_type)d.zone), d.min, d.lowest,
		 -d.worst, d.min ? -100.0 * (double)d.worst / (double)d.min : 0.0);
	finish(r, pl.pages);
	free(pl.v);
}

/* ------------------------------------------------------------ burst */

/* An idle second's width on a plot's operations axis. */
#define IDLE_SECOND_OPS 500

/* CPU 0's set of the zone @page is in. */
static struct pa_pcp_info set_of(const struct pa_page *page)
{
	struct pa_pcp_info pi = { 0 };

	pa_pcp_get(pa_page_to_nid(page), pa_page_zone_type(page), 0, &pi);
	return pi;
}

/*
 * Bursts on CPU 0: "count" order-0 movable pages allocated and freed
 * again, then "idle" seconds of the CPU's periodic work
 * (pa_vmstat_update(), once a second, as Linux's vmstat_update()), the
 * whole "bursts" times.  The set's high, in the zone the pages come
 * from, rises with the refills and frees of a burst and falls back while
 * idle.  Reports that zone, the set's high_min and high_max, the highest
 * high seen after an allocation or a free phase, high after the last idle
 * time, and the periodic calls made.  A plot draws each idle second
 * IDLE_SECOND_OPS operations wide.
 */
static void wl_burst(struct run *r)
{
	struct pa_pcp_info pi = { 0 };
	unsigned long calls = 0;
	int peak = 0, nid = 0, zone = 0;
	struct pool pl;

	pool_init(&pl);
	pa_host_set_cpu(0);
	for (unsigned long b = 0; b < r->p[2]; b++) {
		for (unsigned long i = 0; i < r->p[0]; i++)
			if (!alloc_into(r, &pl, PA_GFP_HIGHUSER_MOVABLE, 0))
				break;
		if (pl.n) {
			pi = set_of(pl.v[0].page);
			nid = pa_page_to_nid(pl.v[0].page);
			zone = pa_page_zone_type(pl.v[0].page);
		}
		peak = pi.high > peak ? pi.high : peak;
		while (pl.n)
			free_at(r, &pl, pl.n - 1);
		if (pa_pcp_get(nid, (enum pa_zone_type)zone, 0, &pi) == 0 && pi.high > peak)
			peak = pi.high;
		for (unsigned long t = 0; t < r->p[1]; t++, calls++) {
			pa_vmstat_update();
			pa_sim_tick_span(IDLE_SECOND_OPS);
		}
	}
	pa_pcp_get(nid, (enum pa_zone_type)zone, 0, &pi);
	snprintf(r->extra, sizeof(r->extra),
		 " zone=%d/%s high_min=%d high_max=%d peak_high=%d end_high=%d vmstat_updates=%lu",
		 nid, pa_zone_name((enum pa_zone_type)zone), pi.high_min, pi.high_max, peak, pi.high,
		 calls);
	finish(r, pl.pages);
	free(pl.v);
}

/* ------------------------------------------------------------ highalloc */

/*
 * As pa-bench highalloc: the fragmentation mix (about 90% full, "ops"
 * churn steps), then a random half of its movable blocks freed, as
 * reclaim dropping half the page cache would; then, holding the rest,
 * pageblock-order movable allocations until 8 fail in a row.  The
 * movable blocks are pa-sim's to migrate ("compaction=0": the hook
 * refuses, a kernel that does not migrate).  Reports the blocks obtained
 * and the pages moved; vmstat shows the compaction counters.
 */
/* A pageblock allocation's width on a plot's operations axis (the phase shows). */
#define HIGHALLOC_STEP_OPS 500

static void tick(void *ctx)
{
	(void)ctx;
	pa_sim_tick();
}

static void wl_highalloc(struct run *r)
{
	unsigned long cap = managed_pages(), n, kept = 0, got = 0, misses = 0;
	struct pa_frag_blk *v = calloc(cap, sizeof(*v));
	struct pa_page **big = calloc(cap / PA_PAGEBLOCK_NR_PAGES + 1, sizeof(*big));
	struct pa_frag_stats fs = { 0 };

	if (!v || !big)
		abort();
	pa_sim_migrate_enable(r->p[2] != 0);
	n = pa_frag_churn(v, cap, cap / 10, r->p[0], &r->seed, &fs, tick, NULL);
	for (unsigned long i = 0; i < n; i++) {
		if (v[i].movable && rnd(r) % 2) {
			pa_free_pages(v[i].page, v[i].order);
			fs.frees++;
			pa_sim_tick();
			continue;
		}
		v[kept] = v[i];
		if (v[kept].movable)
			pa_sim_hold(&v[kept].page);
		kept++;
	}
	while (misses < 8 && got < cap / PA_PAGEBLOCK_NR_PAGES) {
		big[got] = pa_alloc_pages(PA_GFP_HIGHUSER_MOVABLE | PA__GFP_RETRY_MAYFAIL |
					  PA__GFP_NOWARN, PA_PAGEBLOCK_ORDER);
		misses = big[got] ? 0 : misses + 1;
		fs.allocs += big[got] != NULL;
		fs.fails += big[got] == NULL;
		if (big[got])
			pa_sim_hold(&big[got++]);
		pa_sim_tick_span(HIGHALLOC_STEP_OPS);
	}
	snprintf(r->extra, sizeof(r->extra), " blocks=%lu migrated_pages=%lu", got,
		 pa_sim_migrated_pages());
	r->st.allocs = fs.allocs;
	r->st.fails = fs.fails;
	r->st.frees = fs.frees;
	r->st.ops = fs.allocs + fs.fails + fs.frees;
	finish(r, 0);
	for (unsigned long i = 0; i < got; i++)
		r->st.held += PA_PAGEBLOCK_NR_PAGES;
	for (unsigned long i = 0; i < kept; i++)
		r->st.held += 1UL << v[i].order;
	pa_sim_hold_reset();
	free(big);
	free(v);
}

/* ------------------------------------------------------------ table and parsing */

static const struct workload workloads[] = {
	{ "churn", "fill to occupancy%, then ops random allocs/frees of mixed orders and GFP classes",
	  { "ops", "seed", "maxorder", "occupancy" }, { 100000, 1, 3, 50 }, wl_churn },
	{ "frag", "unmovable/reclaimable/movable churn at 90% full, then the movable pages freed",
	  { "ops", "seed" }, { 200000, 42 }, wl_frag },
	{ "pressure", "a growing page cache shrunk by kswapd and direct reclaim, kernel churn at anon%",
	  { "ops", "seed", "anon", "kswapd" }, { 200000, 7, 30, 1024 }, wl_pressure },
	{ "atomic", "fill to the min watermark, then a burst of GFP_ATOMIC allocations",
	  { "count", "order" }, { 4096, 0 }, wl_atomic },
	{ "highalloc", "fragment, free half the movable blocks, then pageblock-order allocations",
	  { "ops", "seed", "compaction" }, { 200000, 42, 1 }, wl_highalloc },
	{ "burst", "CPU 0 allocates and frees count pages, then idles: its per-CPU high rises, decays",
	  { "count", "idle", "bursts" }, { 20000, 40, 2 }, wl_burst },
};

#define NR_WORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

void pa_sim_workload_help(void *f)
{
	for (unsigned int i = 0; i < NR_WORKLOADS; i++) {
		const struct workload *w = &workloads[i];

		fprintf(f, "  %-9s %s\n            ", w->name, w->help);
		for (int k = 0; k < MAX_PARAMS && w->keys[k]; k++)
			fprintf(f, "%s%s=%lu", k ? "," : "", w->keys[k], w->defaults[k]);
		fprintf(f, "\n");
	}
}

/* "KEY=VALUE" into @r's parameter of @w. */
static int set_param(const struct workload *w, struct run *r, char *kv, char *err, size_t errlen)
{
	char *eq = strchr(kv, '='), *end;
	int k;

	for (k = 0; eq && k < MAX_PARAMS && w->keys[k]; k++)
		if (strlen(w->keys[k]) == (size_t)(eq - kv) && !strncmp(kv, w->keys[k], (size_t)(eq - kv)))
			break;
	if (!eq || k == MAX_PARAMS || !w->keys[k])
		return snprintf(err, errlen, "workload %s: unknown parameter '%s'", w->name, kv), 2;
	r->p[k] = strtoul(eq + 1, &end, 0);
	if (!eq[1] || *end || eq[1] == '-')
		return snprintf(err, errlen, "workload %s: bad value in '%s'", w->name, kv), 2;
	return 0;
}

/* Range checks that keep a workload meaningful. */
static int check_params(const struct workload *w, const struct run *r, char *err, size_t errlen)
{
	if (w->fn == wl_churn && (r->p[2] > PA_MAX_PAGE_ORDER || r->p[3] > 100))
		return snprintf(err, errlen, "workload churn: maxorder is 0..%d, occupancy 0..100",
				PA_MAX_PAGE_ORDER), 2;
	if (w->fn == wl_pressure && (r->p[2] > 100 || !r->p[3]))
		return snprintf(err, errlen, "workload pressure: anon is 0..100, kswapd at least 1"), 2;
	if (w->fn == wl_atomic && r->p[1] > PA_MAX_PAGE_ORDER)
		return snprintf(err, errlen, "workload atomic: order is 0..%d", PA_MAX_PAGE_ORDER), 2;
	return 0;
}

static const struct workload *find_workload(const char *name, size_t len)
{
	for (unsigned int i = 0; i < NR_WORKLOADS; i++)
		if (strlen(workloads[i].name) == len && !strncmp(workloads[i].name, name, len))
			return &workloads[i];
	return NULL;
}

int pa_sim_workload(const char *spec, char *err, size_t errlen)
{
	size_t len = strcspn(spec, ":");
	const struct workload *w = find_workload(spec, len);
	char params[256], *save = NULL;
	struct run r = { 0 };
	int ret;

	if (!w)
		return snprintf(err, errlen,
				"unknown workload '%.*s' (churn, frag, pressure, atomic, highalloc, burst)",
				(int)len, spec), 2;
	memcpy(r.p, w->defaults, sizeof(r.p));
	snprintf(params, sizeof(params), "%s", spec[len] ? spec + len + 1 : "");
	for (char *kv = strtok_r(params, ",", &save); kv; kv = strtok_r(NULL, ",", &save))
		if ((ret = set_param(w, &r, kv, err, errlen)))
			return ret;
	if ((ret = check_params(w, &r, err, errlen)))
		return ret;
	for (int k = 0; k < MAX_PARAMS && w->keys[k]; k++)
		if (!strcmp(w->keys[k], "seed"))
			r.seed = r.p[k];
	w->fn(&r);
	printf("workload %s ops=%lu allocs=%lu fails=%lu frees=%lu held=%lu%s\n", w->name, r.st.ops,
	       r.st.allocs, r.st.fails, r.st.frees, r.st.held, r.extra);
	return 0;
}
