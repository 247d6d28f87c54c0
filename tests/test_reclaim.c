// SPDX-License-Identifier: MIT
/*
 * The allocation paths against a scripted host kernel: a fake page cache
 * of reclaimable pages behind the reclaim hooks, a kswapd thread, an OOM
 * hook, node reclaim.  Each test checks where pages came from, which hooks
 * ran how often, and the vmstat counters.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pagealloc/port.h>
#include "th_internal.h"
#include "harness.h"

/* Counter checks hold only where the counters are compiled in. */
#define assert_event(a, b)                                              \
	do {                                                            \
		if (IS_ENABLED(CONFIG_PA_VM_EVENT_COUNTERS))            \
			assert_int_equal((a), (b));                     \
		else                                                    \
			assert_int_equal(pa_vm_event_count(PA_PGFREE), 0); \
	} while (0)

/* ------------------------------------------------------------ the scripted kernel */

#define CACHE_MAX 300000

static struct kernel {
	pthread_mutex_t lock;
	struct pa_page *cache[CACHE_MAX]; /* order-0 page-cache pages, oldest first */
	unsigned long cache_head, cache_tail;

	/* Behaviour. */
	bool direct_reclaims;          /* direct reclaim frees 32 cache pages */
	int dirty_node;                /* pa_port_node_dirty_ok() is false for it; -1 none */
	unsigned long reclaimable;     /* what pa_port_reclaimable_pages() says */
	int oom_frees_after;           /* the OOM hook frees 16 pages from this call on; 0 never */
	int node_reclaim_result[2];    /* per node: 0, 1 or 2; 2 also frees 64 cache pages there */

	/* What happened. */
	unsigned long wakes, direct_calls, kswapd_calls, oom_calls, node_reclaim_calls;
	int last_wake_nid, last_node_reclaim_nid;
	enum pa_zone_type last_wake_zone;
	unsigned long kswapd_reclaimed;
	unsigned long kswapd_first_ask; /* nr_pages of the first pa_port_kswapd_reclaim() */
	struct pa_page *oom_pool[64];
	int oom_pool_n;

	/* The kswapd thread. */
	pthread_cond_t cond;
	bool kswapd_on, woken, stop, balanced;
	bool hold; /* a woken kswapd waits until the test clears this */
	pthread_t kswapd;
} k = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };

static void cache_add(struct pa_page *p)
{
	pthread_mutex_lock(&k.lock);
	assert_true(k.cache_tail < CACHE_MAX);
	k.cache[k.cache_tail++] = p;
	pthread_mutex_unlock(&k.lock);
}

/* Free up to @nr of the oldest cache pages of node @nid (-1: any) in zones <= @hz. */
static unsigned long cache_reclaim(int nid, int hz, unsigned long nr)
{
	unsigned long freed = 0;

	pthread_mutex_lock(&k.lock);
	for (unsigned long i = k.cache_head; i < k.cache_tail && freed < nr; i++) {
		struct pa_page *p = k.cache[i];

		if (!p || (nid >= 0 && pa_page_to_nid(p) != nid) || (int)pa_page_zone_type(p) > hz)
			continue;
		k.cache[i] = NULL;
		assert_int_equal(pa_free_pages(p, 0), 0);
		freed++;
	}
	while (k.cache_head < k.cache_tail && !k.cache[k.cache_head])
		k.cache_head++;
	pthread_mutex_unlock(&k.lock);
	return freed;
}

void pa_port_wake_kswapd(int nid, unsigned int order, enum pa_zone_type highest_zoneidx)
{
	(void)order;
	pthread_mutex_lock(&k.lock);
	k.wakes++;
	k.last_wake_nid = nid;
	k.last_wake_zone = highest_zoneidx;
	k.woken = true;
	pthread_cond_signal(&k.cond);
	pthread_mutex_unlock(&k.lock);
}

unsigned long pa_port_direct_reclaim(int nid, unsigned int order, pa_gfp_t gfp)
{
	(void)order;
	k.direct_calls++;
	return k.direct_reclaims ? cache_reclaim(nid, pa_gfp_to_zone(gfp), 32) : 0;
}

unsigned long pa_port_kswapd_reclaim(int nid, unsigned long nr_pages,
				     enum pa_zone_type highest_zoneidx)
{
	unsigned long got = cache_reclaim(nid, highest_zoneidx, nr_pages);

	if (!k.kswapd_calls)
		k.kswapd_first_ask = nr_pages;
	k.kswapd_calls++;
	k.kswapd_reclaimed += got;
	return got;
}

unsigned long pa_port_reclaimable_pages(int nid, enum pa_zone_type zone)
{
	(void)nid;
	(void)zone;
	return k.reclaimable;
}

bool pa_port_out_of_memory(unsigned int order, pa_gfp_t gfp)
{
	(void)order;
	(void)gfp;
	k.oom_calls++;
	if (!k.oom_frees_after || (int)k.oom_calls < k.oom_frees_after)
		return false;
	/* "Kill a task": its 16 pages come back. */
	for (int i = 0; i < 16 && k.oom_pool_n; i++)
		assert_int_equal(pa_free_pages(k.oom_pool[--k.oom_pool_n], 0), 0);
	return true;
}

bool pa_port_node_dirty_ok(int nid)
{
	return nid != k.dirty_node;
}

int pa_port_node_reclaim(int nid, unsigned int order, pa_gfp_t gfp)
{
	(void)order;
	(void)gfp;
	k.node_reclaim_calls++;
	k.last_node_reclaim_nid = nid;
	if (k.node_reclaim_result[nid] == 2)
		cache_reclaim(nid, PA_MAX_NR_ZONES - 1, 64);
	return k.node_reclaim_result[nid];
}

/* The kernel's kswapd: sleeps until woken, balances while it should run. */
static void *kswapd_main(void *arg)
{
	(void)arg;
	pa_host_set_cpu(1);
	pthread_mutex_lock(&k.lock);
	while (!k.stop) {
		while ((!k.woken || k.hold) && !k.stop)
			pthread_cond_wait(&k.cond, &k.lock);
		if (k.stop)
			break;
		k.woken = false;
		pthread_mutex_unlock(&k.lock);
		while (pa_kswapd_should_run(0))
			assert_true(pa_kswapd_balance(0) >= 0);
		pthread_mutex_lock(&k.lock);
		k.balanced = true;
		pthread_cond_broadcast(&k.cond);
	}
	pthread_mutex_unlock(&k.lock);
	return NULL;
}

static __attribute__((unused)) void kswapd_start(void)
{
	k.kswapd_on = true;
	k.hold = true;
	assert_int_equal(pthread_create(&k.kswapd, NULL, kswapd_main, NULL), 0);
}

/* Let a woken kswapd run, and wait until it has finished a balancing run. */
static __attribute__((unused)) void kswapd_wait_balanced(void)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 30;
	pthread_mutex_lock(&k.lock);
	k.hold = false;
	pthread_cond_broadcast(&k.cond);
	while (!k.balanced)
		assert_int_equal(pthread_cond_timedwait(&k.cond, &k.lock, &until), 0);
	pthread_mutex_unlock(&k.lock);
}

static void kswapd_stop(void)
{
	if (!k.kswapd_on)
		return;
	pthread_mutex_lock(&k.lock);
	k.stop = true;
	pthread_cond_broadcast(&k.cond);
	pthread_mutex_unlock(&k.lock);
	pthread_join(k.kswapd, NULL);
	k.kswapd_on = false;
}

static int setup(void **state)
{
	th_setup_exact(state);
	memset(&k, 0, sizeof(k)); /* no kswapd thread runs between tests */
	k.dirty_node = -1;
	pthread_mutex_init(&k.lock, NULL);
	pthread_cond_init(&k.cond, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kswapd_stop();
	return 0;
}

/* ------------------------------------------------------------ machines */

#define ZONE_PAGES (64 * MiB / PA_PAGE_SIZE)
#define GFP_CACHE (PA_GFP_USER | PA__GFP_MOVABLE) /* page cache: movable, may reclaim */
#define GFP_CACHE_NOWAIT (PA_GFP_NOWAIT | PA__GFP_MOVABLE)

/* One node, one Normal zone of 64 MiB (plus DMA32 of 64 MiB with @dma32). */
static void machine(bool dma32)
{
	assert_int_equal(pa_set_nr_cpus(2), 0);
	if (dma32) {
#ifdef CONFIG_PA_ZONE_DMA32
		assert_int_equal(pa_memblock_add(1 * GiB, 64 * MiB, 0), 0);
		assert_int_equal(pa_set_zone_limit(PA_ZONE_DMA32, 4 * GiB), 0);
#endif
	}
	assert_int_equal(pa_memblock_add(4 * GiB, 64 * MiB, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
}

/* Linux's max(high_wmark_pages(zone), SWAP_CLUSTER_MAX). */
static inline unsigned long at_least_32(unsigned long pages)
{
	return pages > 32 ? pages : 32;
}

static unsigned long zfree(enum pa_zone_type z)
{
	return th_zone(0, z).free;
}

/* Fill the cache with non-blocking allocations until they fail (at min). */
static void fill_cache_to_min(void)
{
	struct pa_page *p;

	while ((p = pa_alloc_pages(GFP_CACHE_NOWAIT, 0)) != NULL)
		cache_add(p);
}

/* ------------------------------------------------------------ tests */

#ifdef CONFIG_PA_ZONE_DMA32
/*
 * Cache pages fill ZONE_NORMAL down to its low watermark, then ZONE_DMA32
 * down to low + its protection for Normal allocations; the next allocation
 * wakes kswapd and is served at the min watermark.  kswapd then reclaims,
 * each pass asking for the sum of the zones' high watermarks (Linux's
 * kswapd_shrink_node()), until one zone is above high (pgdat_balanced()):
 * Normal, whose pages are the oldest in the cache.
 */
static void test_fill_then_kswapd_balances(void **state)
{
	struct pa_zone_counts n, d;
	unsigned long first_dma32_normal_free = 0, allocs = 0;
	struct pa_page *p;

	(void)state;
	machine(true);
	kswapd_start();
	n = th_zone(0, PA_ZONE_NORMAL);
	d = th_zone(0, PA_ZONE_DMA32);
	assert_true(n.free > n.wmark_low && d.free > d.wmark_low);
	for (;;) {
		p = pa_alloc_pages(GFP_CACHE, 0);
		assert_non_null(p);
		allocs++;
		if (k.wakes)
			break;
		cache_add(p);
		if (pa_page_zone_type(p) == PA_ZONE_DMA32 && !first_dma32_normal_free)
			first_dma32_normal_free = zfree(PA_ZONE_NORMAL);
		/* No wake-up while some zone is above its low watermark. */
	}
	/* Normal was used down to exactly its low watermark, then DMA32. */
	assert_int_equal(first_dma32_normal_free, n.wmark_low);
	/* DMA32 stopped at low + the protection it keeps from Normal allocations. */
	assert_int_equal(zfree(PA_ZONE_DMA32), d.wmark_low + d.lowmem_reserve[PA_ZONE_NORMAL]);
	/* The allocation that woke kswapd was served from Normal at the min watermark. */
	assert_int_equal(pa_page_zone_type(p), PA_ZONE_NORMAL);
	assert_int_equal(zfree(PA_ZONE_NORMAL), n.wmark_low - 1);
	assert_int_equal(k.last_wake_nid, 0);
	assert_int_equal(k.last_wake_zone, PA_ZONE_NORMAL);
	cache_add(p);
	kswapd_wait_balanced();
	/* One pass asked for both high watermarks and was enough: Normal is above high. */
	assert_int_equal(k.kswapd_calls, 1);
	assert_int_equal(k.kswapd_first_ask, at_least_32(n.wmark_high) + at_least_32(d.wmark_high));
	assert_int_equal(k.kswapd_reclaimed, k.kswapd_first_ask);
	assert_true(zfree(PA_ZONE_NORMAL) > n.wmark_high);
	/* DMA32 was not lifted: one balanced zone is enough. */
	assert_true(zfree(PA_ZONE_DMA32) < d.wmark_high + d.lowmem_reserve[PA_ZONE_NORMAL]);
	assert_false(pa_kswapd_should_run(0));
	assert_event(pa_vm_event_count(PA_PGSTEAL_KSWAPD), k.kswapd_reclaimed);
	assert_event(pa_vm_event_count(PA_PAGEOUTRUN) >= 1, true);
	assert_event(pa_vm_event_count(PA_KSWAPD_WAKE), k.wakes);
	assert_event(pa_vm_event_count(PA_PGALLOC + PA_ZONE_NORMAL) +
				 pa_vm_event_count(PA_PGALLOC + PA_ZONE_DMA32),
			 allocs);
	assert_event(pa_vm_event_count(PA_PGFREE), k.kswapd_reclaimed);
	assert_int_equal(th_log_lines(), 0);
	th_check();
}

/*
 * Linux's pgdat_balanced(): one balanced zone is enough.  With both zones
 * filled to min and then DMA32 given back above high (its protection for
 * Normal allocations included), kswapd reclaims nothing, although Normal
 * is still under its min watermark, and does not count a failure.
 */
static void test_kswapd_stops_at_first_balanced_zone(void **state)
{
	struct pa_zone_counts n, d;

	(void)state;
	machine(true);
	fill_cache_to_min();
	assert_true(k.wakes > 0);
	d = th_zone(0, PA_ZONE_DMA32);
	cache_reclaim(0, PA_ZONE_DMA32, d.wmark_high + d.lowmem_reserve[PA_ZONE_NORMAL] + 64 - d.free);
	pa_drain_all_pages();
	n = th_zone(0, PA_ZONE_NORMAL);
	d = th_zone(0, PA_ZONE_DMA32);
	assert_true(d.free > d.wmark_high + d.lowmem_reserve[PA_ZONE_NORMAL]);
	assert_true(n.free <= n.wmark_min);
	assert_false(pa_kswapd_should_run(0));
	assert_int_equal(pa_kswapd_balance(0), 0);
	assert_int_equal(k.kswapd_calls, 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, n.free);
	assert_int_equal(__atomic_load_n(&th_pa_zone(0, PA_ZONE_NORMAL)->free_pages, __ATOMIC_RELAXED),
			 n.free);
	th_check();
}
#endif

/*
 * A boost on a balanced node: kswapd reclaims the boost, each pass asking
 * for max(high + boost, 32) pages, then takes the boost back (Linux's
 * balance_pgdat() with nr_boost_reclaim).
 */
static void test_kswapd_reclaims_a_boost(void **state)
{
	struct pa_zone *z;
	struct pa_zone_marks m;
	struct pa_zone_counts c;
	unsigned long flags;
	struct pa_page *p;

	(void)state;
	machine(false);
	for (unsigned long i = 0; i < ZONE_PAGES / 4; i++) {
		p = pa_alloc_pages(GFP_CACHE, 0);
		assert_non_null(p);
		cache_add(p);
	}
	z = th_pa_zone(0, PA_ZONE_NORMAL);
	flags = pa_port_spin_lock_irqsave(&z->lock);
	pa_zone_get_marks(z, &m);
	m.boost = ZONE_PAGES / 32; /* 512 with 4K pages */
	pa_zone_set_marks_locked(z, &m);
	pa_port_spin_unlock_irqrestore(&z->lock, flags);
	c = th_zone(0, PA_ZONE_NORMAL);
	assert_true(c.free > c.wmark_high); /* balanced, boost included */
	assert_true(c.wmark_high < ZONE_PAGES / 4); /* the cache holds what the pass asks for */
	assert_int_equal(pa_kswapd_balance(0), (long)at_least_32(c.wmark_high));
	assert_int_equal(k.kswapd_calls, 1);
	assert_int_equal(k.kswapd_first_ask, at_least_32(c.wmark_high));
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).boost, 0);
	th_check();
}

/*
 * Linux's prepare_kswapd_sleep(): after MAX_RECLAIM_RETRIES runs that
 * reclaimed nothing, kswapd is not asked to run on the node any more.
 */
static void test_kswapd_gives_up(void **state)
{
	(void)state;
	machine(false);
	fill_cache_to_min();
	k.cache_head = k.cache_tail; /* nothing left to reclaim */
	for (int i = 0; i < 16; i++) {
		assert_true(pa_kswapd_should_run(0));
		assert_int_equal(pa_kswapd_balance(0), 0);
		pa_alloc_pages(GFP_CACHE_NOWAIT, 0); /* asks for kswapd again: fails at min */
	}
	assert_false(pa_kswapd_should_run(0));
}

/* Below min, GFP_KERNEL enters direct reclaim, which frees cache pages. */
static void test_kernel_reclaims_and_succeeds(void **state)
{
	struct pa_zone_counts c;
	struct pa_page *p;

	(void)state;
	machine(false);
	fill_cache_to_min();
	c = th_zone(0, PA_ZONE_NORMAL);
	assert_int_equal(c.free, c.wmark_min);
	assert_null(pa_alloc_pages(PA_GFP_NOWAIT, 0)); /* no reclaim, no reserve */
	k.direct_reclaims = true;
	p = pa_alloc_pages(PA_GFP_KERNEL, 0);
	assert_non_null(p);
	assert_int_equal(k.direct_calls, 1);
	assert_int_equal(k.oom_calls, 0);
	assert_int_equal(zfree(PA_ZONE_NORMAL), c.wmark_min + 32 - 1);
	assert_event(pa_vm_event_count(PA_ALLOCSTALL + PA_ZONE_NORMAL), 1);
	assert_event(pa_vm_event_count(PA_PGSTEAL_DIRECT), 32);
	assert_event(pa_vm_event_count(PA_DIRECT_RECLAIM), 1);
	/* The NOWAIT failures (end of the fill, then above), counted, not warned. */
	assert_event(pa_vm_event_count(PA_PGALLOC_FAIL), 2);
	assert_int_equal(th_log_lines(), 0);
	assert_int_equal(pa_free_pages(p, 0), 0);
	th_check();
}

/*
 * GFP_ATOMIC may go below min to min - min/2 - (min - min/2)/4 (MIN_RESERVE
 * then NON_BLOCK, __zone_watermark_ok()); GFP_NOWAIT may not.  Its failure
 * warns once with the zone state.
 */
static void test_atomic_reserve(void **state)
{
	struct pa_zone_counts c;
	unsigned long m1, m2, got = 0;
	struct pa_page *p;

	(void)state;
	machine(false);
	fill_cache_to_min();
	c = th_zone(0, PA_ZONE_NORMAL);
	assert_null(pa_alloc_pages(PA_GFP_NOWAIT, 0));
	m1 = c.wmark_min - c.wmark_min / 2;
	m2 = m1 - m1 / 4;
	while ((p = pa_alloc_pages(PA_GFP_ATOMIC, 0)) != NULL) {
		cache_add(p);
		got++;
	}
	assert_int_equal(zfree(PA_ZONE_NORMAL), m2);
	assert_int_equal(got, c.wmark_min - m2);
	assert_int_equal(th_log_lines(), 1);
	assert_non_null(strstr(th_last_log(), "page allocation failure: order:0, mode:0x820"));
	assert_non_null(strstr(th_last_log(), "0/Normal free:"));
	/* kswapd was asked for, even though no thread runs here. */
	assert_true(k.wakes >= 1);
	assert_event(pa_vm_event_count(PA_KSWAPD_WAKE), k.wakes);
	th_check();
}

/* __GFP_MEMALLOC ignores the watermarks entirely: down to 0 free pages. */
static void test_memalloc_ignores_watermarks(void **state)
{
	struct pa_page *p;

	(void)state;
	machine(false);
	fill_cache_to_min();
	while ((p = pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_MEMALLOC | PA__GFP_NOWARN, 0)) != NULL)
		cache_add(p);
	assert_int_equal(zfree(PA_ZONE_NORMAL), 0);
	/* __GFP_NOMEMALLOC wins over __GFP_MEMALLOC. */
	cache_reclaim(-1, PA_MAX_NR_ZONES - 1, 10);
	assert_null(pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_MEMALLOC | PA__GFP_NOMEMALLOC |
					   PA__GFP_NOWARN, 0));
	assert_non_null(p = pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_MEMALLOC, 0));
	cache_add(p);
	th_check();
}

/* An exhausted machine where reclaim never makes progress. */
static void exhausted(void)
{
	struct pa_page *p;

	machine(false);
	fill_cache_to_min();
	while ((p = pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_MEMALLOC | PA__GFP_NOWARN, 0)) != NULL)
		cache_add(p);
	k.direct_reclaims = false;
	/* Count from here on. */
	k.direct_calls = k.oom_calls = 0;
	pa_vm_events_reset();
}

static void test_noretry_and_oom(void **state)
{
	(void)state;
	exhausted();
	/* __GFP_NORETRY: one reclaim attempt, no OOM. */
	assert_null(pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_NORETRY | PA__GFP_NOWARN, 0));
	assert_int_equal(k.direct_calls, 1);
	assert_int_equal(k.oom_calls, 0);
	/* Plain GFP_KERNEL, nothing reclaimable: reclaim once, then OOM once. */
	k.direct_calls = 0;
	assert_null(pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_NOWARN, 0));
	assert_int_equal(k.direct_calls, 1);
	assert_int_equal(k.oom_calls, 1);
	/*
	 * Reclaimable pages that reclaim never frees: 16 retries without progress
	 * (MAX_RECLAIM_RETRIES), so 17 reclaim calls, then OOM.
	 */
	k.direct_calls = k.oom_calls = 0;
	k.reclaimable = 100000;
	assert_null(pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_NOWARN, 0));
	assert_int_equal(k.direct_calls, 17);
	assert_int_equal(k.oom_calls, 1);
	/* __GFP_RETRY_MAYFAIL: the same retries, but never the OOM hook. */
	k.direct_calls = k.oom_calls = 0;
	assert_null(pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_RETRY_MAYFAIL | PA__GFP_NOWARN, 0));
	assert_int_equal(k.direct_calls, 17);
	assert_int_equal(k.oom_calls, 0);
	/* A costly order without RETRY_MAYFAIL gives up after one round. */
	k.direct_calls = 0;
	assert_null(pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_NOWARN, PA_PAGE_ALLOC_COSTLY_ORDER + 1));
	assert_int_equal(k.direct_calls, 1);
	assert_int_equal(k.oom_calls, 0);
	/*
	 * A costly order with RETRY_MAYFAIL may retry, but only while some zone
	 * could pass the order-4 watermark after reclaim: with no free block of
	 * that order at all, __zone_watermark_ok() says no, so one round; and
	 * never the OOM hook.
	 */
	k.direct_calls = 0;
	assert_null(pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_RETRY_MAYFAIL | PA__GFP_NOWARN,
				   PA_PAGE_ALLOC_COSTLY_ORDER + 1));
	assert_int_equal(k.direct_calls, 1);
	assert_int_equal(k.oom_calls, 0);
	assert_event(pa_vm_event_count(PA_OOM_CALL), 2);
	assert_event(pa_vm_event_count(PA_DIRECT_RECLAIM), 1 + 1 + 17 + 17 + 1 + 1);
	assert_event(pa_vm_event_count(PA_PGALLOC_FAIL), 6);
	assert_int_equal(th_log_lines(), 0);
	th_check();
}

/* __GFP_NOFAIL loops until the OOM hook frees memory, and never returns NULL. */
static void test_nofail(void **state)
{
	struct pa_page *p;

	(void)state;
	exhausted();
	/* Take 16 pages back from the cache into the "victim" the OOM hook frees. */
	cache_reclaim(-1, PA_MAX_NR_ZONES - 1, 16);
	while (k.oom_pool_n < 16)
		assert_non_null(k.oom_pool[k.oom_pool_n++] = pa_alloc_pages(TH_GFP_ANY, 0));
	assert_int_equal(zfree(PA_ZONE_NORMAL), 0);
	k.oom_frees_after = 3;
	p = pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_NOFAIL, 0);
	assert_non_null(p);
	assert_int_equal(k.oom_calls, 3);
	assert_int_equal(k.direct_calls, 3);
	assert_int_equal(th_log_lines(), 0);
	assert_int_equal(pa_free_pages(p, 0), 0);
	th_check();
}

/*
 * A failing allocation warns once per failure, unless NOWARN, with every
 * figure each zone's watermark check used: free, the boost, the plain
 * marks, the lowmem reserve and the highatomic reserve.
 */
static void test_failure_warning(void **state)
{
	const unsigned long kb = PA_PAGE_SIZE / 1024;
	struct pa_zone_counts c;
	char want[256];

	(void)state;
	exhausted();
	assert_null(pa_alloc_pages(PA_GFP_KERNEL, 2));
	assert_int_equal(th_log_lines(), 1);
	c = th_zone(0, PA_ZONE_NORMAL); /* its marks include the boost */
	snprintf(want, sizeof(want),
		 "page allocation failure: order:2, mode:0xcc0, nodemask=(null); 0/Normal free:0kB "
		 "boost:%lukB min:%lukB low:%lukB high:%lukB lowmem_reserve:0kB "
		 "reserved_highatomic:%lukB",
		 c.boost * kb, (c.wmark_min - c.boost) * kb, (c.wmark_low - c.boost) * kb,
		 (c.wmark_high - c.boost) * kb, c.highatomic * kb);
	if (!strstr(th_last_log(), want))
		fail_msg("'%s' does not say '%s'", th_last_log(), want);
	th_log_clear();
	assert_null(pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_NOWARN, 2));
	assert_int_equal(th_log_lines(), 0);
}

#if defined(CONFIG_PA_NUMA)
/*
 * Two nodes of one Normal zone each; node 1 at @distance from node 0 has
 * no CPUs (node reclaim is never run on a remote node that has CPUs).
 */
static void two_nodes(unsigned int distance, long reclaim_mode)
{
	assert_int_equal(pa_set_nr_cpus(2), 0);
	assert_int_equal(pa_numa_set_distance(0, 1, distance), 0);
	assert_int_equal(pa_numa_set_distance(1, 0, distance), 0);
	assert_int_equal(pa_memblock_add(4 * GiB, 64 * MiB, 0), 0);
	assert_int_equal(pa_memblock_add(8 * GiB, 64 * MiB, 1), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	assert_int_equal(pa_sysctl_set("zone_reclaim_mode", &reclaim_mode, 1), 0);
	/* Unmovable allocations from movable blocks would boost the watermarks. */
	long no_boost = 0;
	assert_int_equal(pa_sysctl_set("watermark_boost_factor", &no_boost, 1), 0);
}

/* Fill node @nid's zone to its low watermark with cache pages (fast path only). */
static void fill_node_to_low(int nid)
{
	struct pa_page *p;

	while (th_zone(nid, PA_ZONE_NORMAL).free > th_zone(nid, PA_ZONE_NORMAL).wmark_low) {
		p = pa_alloc_pages_node(nid, GFP_CACHE, 0);
		assert_int_equal(pa_page_to_nid(p), nid);
		cache_add(p);
	}
}

static void test_node_reclaim(void **state)
{
	struct pa_page *p;

	(void)state;
	/* Enabled and the local node's reclaim frees pages: stay local. */
	two_nodes(20, 1);
	fill_node_to_low(0);
	k.node_reclaim_result[0] = 2;
	p = pa_alloc_pages_node(0, PA_GFP_KERNEL, 0);
	assert_int_equal(pa_page_to_nid(p), 0);
	assert_int_equal(k.node_reclaim_calls, 1);
	assert_int_equal(k.last_node_reclaim_nid, 0);
	assert_event(pa_vm_event_count(PA_ZONE_RECLAIM_SUCCESS), 1);
	assert_event(pa_vm_event_count(PA_NODE_RECLAIM_CALL), 1);
	assert_event(pa_numa_event_count(0, PA_NUMA_HIT),
			 pa_vm_event_count(PA_PGALLOC + PA_ZONE_NORMAL));
	cache_add(p);

	/* Scanned in vain: falls back to node 1, counted as a miss there. */
	fill_node_to_low(0);
	k.node_reclaim_result[0] = 1;
	k.node_reclaim_calls = 0;
	p = pa_alloc_pages_node(0, PA_GFP_KERNEL, 0);
	assert_int_equal(pa_page_to_nid(p), 1);
	assert_int_equal(k.node_reclaim_calls, 1);
	assert_event(pa_vm_event_count(PA_ZONE_RECLAIM_FAILED), 1);
	assert_event(pa_numa_event_count(1, PA_NUMA_MISS), 1);
	assert_event(pa_numa_event_count(0, PA_NUMA_FOREIGN), 1);
	assert_event(pa_numa_event_count(1, PA_NUMA_OTHER), 1);
	cache_add(p);
	/* Non-blocking allocations never call it. */
	k.node_reclaim_calls = 0;
	p = pa_alloc_pages_node(0, PA_GFP_NOWAIT, 0);
	assert_int_equal(pa_page_to_nid(p), 1);
	assert_int_equal(k.node_reclaim_calls, 0);
	cache_add(p);
	/* Both nodes at low: node 1 (distance 20) is reclaimed too, and serves. */
	fill_node_to_low(1);
	k.node_reclaim_result[1] = 2;
	k.node_reclaim_calls = 0;
	p = pa_alloc_pages_node(0, PA_GFP_KERNEL, 0);
	assert_int_equal(pa_page_to_nid(p), 1);
	assert_int_equal(k.node_reclaim_calls, 2);
	assert_int_equal(k.last_node_reclaim_nid, 1);
	cache_add(p);
	th_check();

	/* Node 1 beyond RECLAIM_DISTANCE (40 > 30): only node 0 is reclaimed. */
	setup(NULL);
	two_nodes(40, 1);
	fill_node_to_low(0);
	fill_node_to_low(1);
	k.node_reclaim_result[0] = 1;
	k.node_reclaim_result[1] = 2;
	p = pa_alloc_pages_node(0, PA_GFP_KERNEL, 0);
	assert_int_equal(k.node_reclaim_calls, 1);
	assert_int_equal(k.last_node_reclaim_nid, 0);
	/* Neither passes low: the slow path serves it at min, from node 0. */
	assert_int_equal(pa_page_to_nid(p), 0);
	cache_add(p);

	/* zone_reclaim_mode 0: never called. */
	setup(NULL);
	two_nodes(20, 0);
	fill_node_to_low(0);
	k.node_reclaim_result[0] = 2;
	p = pa_alloc_pages_node(0, PA_GFP_KERNEL, 0);
	assert_int_equal(pa_page_to_nid(p), 1);
	assert_int_equal(k.node_reclaim_calls, 0);
	assert_event(pa_vm_event_count(PA_NODE_RECLAIM_CALL), 0);
	cache_add(p);
	th_check();
}
#endif

#if defined(CONFIG_PA_NUMA)
/*
 * Orders the per-CPU sets do not keep (every order without them) take the
 * buddy fast path, which counts in one zone counter (local or other by
 * this CPU's node) what Linux's zone_statistics() and pgalloc count in
 * three: pgalloc, numa_hit on the node served, and numa_local there for
 * this CPU's node or numa_other.
 */
static void test_fast_buddy_counts(void **state)
{
	const unsigned long nr = 1UL << 5;
	unsigned long hit[2], local0, other1, miss1, pgalloc, pgfree;
	struct pa_page *p, *q;

	(void)state;
	two_nodes(20, 0); /* CPU 0 is on node 0: without a NUMA description all are */
	for (int nid = 0; nid < 2; nid++)
		hit[nid] = pa_numa_event_count(nid, PA_NUMA_HIT);
	local0 = pa_numa_event_count(0, PA_NUMA_LOCAL);
	other1 = pa_numa_event_count(1, PA_NUMA_OTHER);
	miss1 = pa_numa_event_count(1, PA_NUMA_MISS);
	pgalloc = pa_vm_event_count(PA_PGALLOC + PA_ZONE_NORMAL);
	pgfree = pa_vm_event_count(PA_PGFREE);

	p = pa_alloc_pages(PA_GFP_KERNEL, 5);
	q = pa_alloc_pages_node(1, PA_GFP_KERNEL, 5);
	assert_non_null(p);
	assert_non_null(q);
	assert_int_equal(pa_page_to_nid(p), 0);
	assert_int_equal(pa_page_to_nid(q), 1);
	assert_event(pa_numa_event_count(0, PA_NUMA_HIT) - hit[0], nr);
	assert_event(pa_numa_event_count(1, PA_NUMA_HIT) - hit[1], nr);
	assert_event(pa_numa_event_count(0, PA_NUMA_LOCAL) - local0, nr);
	assert_event(pa_numa_event_count(1, PA_NUMA_OTHER) - other1, nr);
	assert_event(pa_numa_event_count(1, PA_NUMA_MISS) - miss1, 0);
	assert_event(pa_vm_event_count(PA_PGALLOC + PA_ZONE_NORMAL) - pgalloc, 2 * nr);
	assert_int_equal(pa_free_pages(p, 5), 0);
	assert_int_equal(pa_free_pages(q, 5), 0);
	assert_event(pa_vm_event_count(PA_PGFREE) - pgfree, 2 * nr);
	/* pa_vm_events_reset() zeroes them with the rest. */
	pa_vm_events_reset();
	assert_int_equal(pa_numa_event_count(0, PA_NUMA_HIT), 0);
	assert_int_equal(pa_vm_event_count(PA_PGALLOC + PA_ZONE_NORMAL), 0);
	th_check();
}

/* __GFP_WRITE skips a node over its dirty limit in the fast path only. */
static void test_dirty_limit(void **state)
{
	struct pa_page *p;

	(void)state;
	two_nodes(20, 0);
	k.dirty_node = 0;
	p = pa_alloc_pages_node(0, PA_GFP_KERNEL | PA__GFP_WRITE, 0);
	assert_int_equal(pa_page_to_nid(p), 1);
	cache_add(p);
	p = pa_alloc_pages_node(0, PA_GFP_KERNEL, 0); /* not a page-cache write */
	assert_int_equal(pa_page_to_nid(p), 0);
	cache_add(p);
	/* Preferring node 1, over its limit: node 0 takes the write. */
	k.dirty_node = 1;
	p = pa_alloc_pages_node(1, PA_GFP_KERNEL | PA__GFP_WRITE, 0);
	assert_int_equal(pa_page_to_nid(p), 0);
	cache_add(p);
	th_check();
}
#endif

/* The vmstat writer: Linux's line format, names in Linux's order. */
static void test_vmstat_format(void **state)
{
	static char buf[8192];
	struct pa_page *p;

	(void)state;
	machine(false);
	p = pa_alloc_pages(PA_GFP_KERNEL, 3);
	assert_int_equal(pa_free_pages(p, 3), 0);
	th_text(pa_print_vmstat, buf, sizeof(buf));
	assert_non_null(strstr(buf, IS_ENABLED(CONFIG_PA_VM_EVENT_COUNTERS) ? "\npgalloc_normal 8\n"
									   : "\npgalloc_normal 0\n"));
	assert_non_null(strstr(buf, IS_ENABLED(CONFIG_PA_VM_EVENT_COUNTERS) ? "\npgfree 8\n"
									   : "\npgfree 0\n"));
	assert_non_null(strstr(buf, "\nallocstall_normal 0\n"));
	assert_true(strstr(buf, "pgalloc_normal") < strstr(buf, "allocstall_normal"));
	assert_true(strstr(buf, "allocstall_movable") < strstr(buf, "pgfree"));
	assert_true(strstr(buf, "pgfree") < strstr(buf, "pgsteal_kswapd"));
	assert_true(strstr(buf, "pageoutrun") < strstr(buf, "compact_stall"));
	/* Every line is "name value". */
	for (char *line = buf; *line; line = strchr(line, '\n') + 1) {
		char name[64];
		unsigned long v;
		int used = 0;

		assert_int_equal(sscanf(line, "%63[a-z0-9_] %lu\n%n", name, &v, &used), 2);
	}
	assert_true(strncmp(buf, "nr_free_pages ", 14) == 0);
	th_check();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#ifdef CONFIG_PA_ZONE_DMA32
		cmocka_unit_test_setup_teardown(test_fill_then_kswapd_balances, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kswapd_stops_at_first_balanced_zone, setup, teardown),
#endif
		cmocka_unit_test_setup_teardown(test_kswapd_reclaims_a_boost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kswapd_gives_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kernel_reclaims_and_succeeds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_reserve, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memalloc_ignores_watermarks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_noretry_and_oom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nofail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failure_warning, setup, teardown),
#if defined(CONFIG_PA_NUMA)
		cmocka_unit_test_setup_teardown(test_node_reclaim, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fast_buddy_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dirty_limit, setup, teardown),
#endif
		cmocka_unit_test_setup_teardown(test_vmstat_format, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
