// SPDX-License-Identifier: MIT
/*
 * Per-CPU high tuned at run time, as Linux 6.12 does it (mm/page_alloc.c:
 * nr_pcp_alloc(), nr_pcp_high(), nr_pcp_free(), free_unref_page_commit(),
 * rmqueue_pcplist(), decay_pcp_high()).  Two kinds of check:
 *  - a model of one CPU's order-0 movable list, written here from those
 *    functions with Linux's own per-operation state (free_count,
 *    alloc_factor, high), run in lockstep with the library, which keeps
 *    two of them in another form: after every operation the set's high
 *    and count and the zone's free pages must agree;
 *  - numbers worked out by hand for one machine: 256 MiB at 4 GiB, one
 *    CPU, 4K pages: managed 65536, batch 15, min_free_kbytes 2048 (min
 *    512, low 640, high 768), high_min = low = 640, high_max = 65536 / 8
 *    = 8192, free_count capped at 15 << 5 = 480.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "th_internal.h"
#include "harness.h"
#include <pagealloc/host.h>

#define GFP_MOV (PA_GFP_KERNEL | PA__GFP_MOVABLE) /* no fallback, so no boost */
#define MAX_HELD 8192

#ifdef CONFIG_PA_PCP
#define SCALE CONFIG_PA_PCP_BATCH_SCALE_MAX
/* The hand-worked numbers hold for this machine only. */
#define HAND (PA_PAGE_SHIFT == 12 && SCALE == 5)

static void machine(unsigned long mib)
{
	assert_int_equal(pa_set_nr_cpus(1), 0);
	assert_int_equal(pa_memblock_add(4 * GiB, (pa_phys_t)mib * MiB, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
}

static struct pa_pcp_info set(void)
{
	struct pa_pcp_info pi;

	assert_int_equal(pa_pcp_get(0, PA_ZONE_NORMAL, 0, &pi), 0);
	return pi;
}

static unsigned long zone_free(void)
{
	return th_zone(0, PA_ZONE_NORMAL).free;
}

/* ------------------------------------------------------------ the model */

struct model {
	int batch, high_min, high_max; /* the set's limits */
	int high, count, free_count, alloc_factor;
	bool below_high, reclaim_active; /* the zone's flags, as the test knows them */
	long zone_free;                  /* buddy free pages */
	long wmark_high;
};

static void m_start(struct model *m)
{
	struct pa_pcp_info pi = set();

	memset(m, 0, sizeof(*m));
	m->batch = pi.batch;
	m->high_min = pi.high_min;
	m->high_max = pi.high_max;
	m->high = pi.high;
	m->count = pi.count;
	m->zone_free = (long)zone_free();
	m->wmark_high = (long)th_zone(0, PA_ZONE_NORMAL).wmark_high;
}

static int m_clamp(struct model *m)
{
	m->high = PA_MIN(PA_MAX(m->high, m->high_min), m->high_max);
	return m->high;
}

/* nr_pcp_alloc(), order 0. */
static int m_nr_alloc(struct model *m)
{
	int base = m->batch, high = m_clamp(m), batch, room;

	if (high < base)
		return 1;
	batch = base << m->alloc_factor;
	if (m->high_min != m->high_max && !m->below_high)
		high = m->high = PA_MIN(high + batch, m->high_max);
	room = PA_MAX(high - m->count - base, base);
	if (batch <= room && m->alloc_factor < SCALE)
		m->alloc_factor++;
	batch = PA_MIN(batch, room);
	return batch > 1 ? PA_MAX(batch, 2) : batch;
}

/* __rmqueue_pcplist() of one order-0 page (the bulk call's); the zone has plenty. */
static void m_bulk_one(struct model *m)
{
	if (!m->count) {
		int n = m_nr_alloc(m);

		m->count += n;
		m->zone_free -= n;
	}
	m->count--;
}

/* rmqueue_pcplist(): the same, after halving free_count. */
static void m_alloc(struct model *m)
{
	m->free_count >>= 1;
	m_bulk_one(m);
}

/* nr_pcp_high() for an order-0 free (never free_high). */
static int m_nr_high(struct model *m)
{
	int high = m_clamp(m), fc = PA_MAX(m->free_count, m->batch);

	if (!high)
		return 0;
	if (m->reclaim_active) {
		m->high = PA_MAX(high - fc, m->high_min);
		return PA_MIN(m->batch << 2, m->high);
	}
	if (m->high_min == m->high_max)
		return high;
	if (m->below_high) {
		m->high = PA_MAX(high - fc, m->high_min);
		return PA_MAX(m->count, m->high_min);
	}
	if (m->count >= high && m->high < m->free_count + m->batch)
		m->high = PA_MIN(PA_MAX(m->free_count + m->batch, m->high_min), m->high_max);
	return high;
}

/* free_unref_page_commit() of one order-0 page. */
static void m_free(struct model *m)
{
	int high;

	m->alloc_factor >>= 1;
	m->count++;
	if (m->free_count < (m->batch << SCALE))
		m->free_count++;
	high = m_nr_high(m);
	if (m->count >= high) {
		int n = high < m->batch ? 1 : PA_MIN(PA_MAX(m->free_count, m->batch), high - m->batch);

		n = PA_MIN(n, m->count);
		m->count -= n;
		m->zone_free += n;
		if (m->below_high && m->zone_free > m->wmark_high)
			m->below_high = false;
	}
}

/* decay_pcp_high(). */
static bool m_decay(struct model *m)
{
	bool todo = false;

	if (m->high > m->high_min) {
		m->high = PA_MAX(PA_MAX(m->count - (m->batch << SCALE), m->high - (m->high >> 3)),
			       m->high_min);
		todo = m->high > m->high_min;
	}
	if (m->count > m->high) {
		m->zone_free += m->count - m->high;
		m->count = m->high;
		todo = true;
	}
	return todo;
}

static void m_check(const struct model *m, const char *what, int i)
{
	struct pa_pcp_info pi = set();

	if (pi.high != m->high || pi.count != m->count || (long)zone_free() != m->zone_free)
		fail_msg("%s %d: high %d count %d zone free %lu; Linux's rules give %d %d %ld", what,
			 i, pi.high, pi.count, zone_free(), m->high, m->count, m->zone_free);
}

static struct pa_page *held[MAX_HELD];
static int nheld;

static void do_alloc(struct model *m, int i)
{
	assert_true(nheld < MAX_HELD);
	held[nheld] = pa_alloc_pages(GFP_MOV, 0);
	assert_non_null(held[nheld]);
	nheld++;
	m_alloc(m);
	m_check(m, "alloc", i);
}

/* pa_alloc_pages_bulk() of @n pages into held[]. */
static void do_bulk(struct model *m, unsigned int n, int i)
{
	struct pa_page *b[16] = { NULL };

	assert_true(n <= 16 && nheld + (int)n <= MAX_HELD);
	assert_int_equal(pa_alloc_pages_bulk(GFP_MOV, PA_NUMA_NO_NODE, NULL, n, b), n);
	for (unsigned int k = 0; k < n; k++) {
		held[nheld++] = b[k];
		m_bulk_one(m);
	}
	m_check(m, "bulk", i);
}

static void do_free(struct model *m, int i)
{
	assert_int_equal(pa_free_pages(held[--nheld], 0), 0);
	m_free(m);
	m_check(m, "free", i);
}

/* ------------------------------------------------------------ tests */

/*
 * Refills raise high by their batch while the zone is above its high
 * watermark, and each refill after another with no free between takes
 * twice as many pages (alloc_factor, up to batch << 5).
 */
static void test_refill_raises_high(void **state)
{
	struct model m;

	(void)state;
	machine(256);
	assert_int_equal(set().high, 0); /* Linux's boot pageset, until first use */
	m_start(&m);
	for (int i = 0; i < 1000; i++)
		do_alloc(&m, i);
	if (HAND) {
		/*
		 * high 640 -> +15, +30, +60, +120, +240, +480, +480 = 2065 over
		 * seven refills of 15 + 30 + 60 + 120 + 240 + 480 + 480 = 1425
		 * pages, of which 1000 were handed out.
		 */
		assert_int_equal(set().high, 2065);
		assert_int_equal(set().count, 425);
	}
	/* One free halves alloc_factor: the next refill is 15 << 2 = 60 pages. */
	do_free(&m, 0);
	while (set().count)
		do_alloc(&m, 1);
	do_alloc(&m, 2);
	if (HAND) {
		assert_int_equal(set().high, 2065 + 60);
		assert_int_equal(set().count, 59);
	}
	th_check();
}

/*
 * Bursts of allocations and frees of random lengths: refill sizes,
 * high's rise when frees in a row need room, the pages each return takes
 * back (free_count between batch and high - batch), all as the model.
 */
static void test_bursts_follow_linux(void **state)
{
	unsigned int seed = 12345;
	struct model m;

	(void)state;
	machine(256);
	m_start(&m);
	for (int burst = 0; burst < 60; burst++) {
		int len;

		seed = seed * 1103515245u + 12345u;
		len = 1 + (int)((seed >> 8) % 1500);
		if (burst % 6 == 4) /* bulk calls of 16: no free_count halving */
			for (int i = 0; i < len / 16 && nheld + 16 <= MAX_HELD; i++)
				do_bulk(&m, 16, burst);
		else if (burst % 2 == 0 || !nheld)
			for (int i = 0; i < len && nheld < MAX_HELD; i++)
				do_alloc(&m, burst);
		else
			for (int i = 0; i < len && nheld; i++)
				do_free(&m, burst);
		th_check();
	}
	while (nheld)
		do_free(&m, -1);
	assert_true(set().high > set().high_min); /* it rose, and nothing lowered it */
	th_check();
}

/* Allocate until the zone is below its high watermark, with order-4 blocks (no set involved). */
static int push_below_high(struct pa_page **blocks, int max)
{
	int n = 0;

	while (zone_free() >= th_zone(0, PA_ZONE_NORMAL).wmark_high) {
		assert_true(n < max);
		blocks[n] = pa_alloc_pages(GFP_MOV, 4);
		assert_non_null(blocks[n]);
		n++;
	}
	return n;
}

static struct pa_page *blocks[MAX_HELD];

/*
 * Below the high watermark: refills leave high alone, and each free lowers
 * it by the pages freed in a row (at least a batch), down to high_min;
 * every free at high_min or above returns pages, and the first return
 * that leaves the zone above high ends the state.
 */
static void test_below_high_lowers_high(void **state)
{
	struct model m;
	int nb;

	(void)state;
	machine(256);
	m_start(&m);
	for (int i = 0; i < 1000; i++)
		do_alloc(&m, i);
	nb = push_below_high(blocks, MAX_HELD);
	m.below_high = true;
	m.zone_free = (long)zone_free();
	for (int k = 1; k <= 300; k++) {
		do_free(&m, k);
		if (!HAND)
			continue;
		/* k <= 15: 15 a free (the batch); then k, the pages freed in a row. */
		if (k == 15)
			assert_int_equal(set().high, 2065 - 15 * 15);
		if (k == 20)
			assert_int_equal(set().high, 1840 - (16 + 17 + 18 + 19 + 20));
		if (k == 214)
			assert_int_equal(set().count, 639);
		/* count reaches high_min: 215 pages back, and the zone is above high again. */
		if (k == 215) {
			assert_int_equal(set().high, 640);
			assert_int_equal(set().count, 425);
			assert_false(m.below_high);
		}
	}
	/* Above high again: the next refill raises high (215 frees left alloc_factor 0). */
	while (set().count)
		do_alloc(&m, 1);
	do_alloc(&m, 2);
	if (HAND)
		assert_int_equal(set().high, 640 + 15);
	for (int i = 0; i < nb; i++)
		assert_int_equal(pa_free_pages(blocks[i], 4), 0);
	while (nheld)
		assert_int_equal(pa_free_pages(held[--nheld], 0), 0);
	th_check();
}

/* kswapd's reclaim frees pages through the model (pa_port_kswapd_reclaim()). */
static struct model *reclaim_model;
static unsigned long reclaim_calls;

unsigned long pa_port_kswapd_reclaim(int nid, unsigned long nr_pages,
				     enum pa_zone_type highest_zoneidx)
{
	unsigned long got = 0;

	(void)nid, (void)highest_zoneidx;
	reclaim_calls++;
	if (!reclaim_model)
		return 0;
	reclaim_model->reclaim_active = true;
	for (; got < nr_pages && nheld; got++)
		do_free(reclaim_model, (int)got);
	return got;
}

/*
 * While kswapd reclaims for the zone, each free lowers high by the pages
 * freed in a row (at least a batch) and the set keeps at most four
 * batches; when it is done, frees are as before.
 */
static void test_reclaim_active_shrinks_set(void **state)
{
	struct model m;
	int nb;

	(void)state;
	machine(256);
	m_start(&m);
	for (int i = 0; i < 1000; i++)
		do_alloc(&m, i);
	nb = push_below_high(blocks, MAX_HELD);
	m.below_high = true;
	m.zone_free = (long)zone_free();
	reclaim_model = &m;
	reclaim_calls = 0;
	assert_true(pa_kswapd_balance(0) > 0);
	reclaim_model = NULL;
	assert_true(reclaim_calls > 0);
	assert_true(set().count <= 4 * set().batch);
	if (HAND) /* 768 frees lowered high by at least 15 each: to high_min */
		assert_int_equal(set().high, 640);
	m.reclaim_active = false;
	while (nheld)
		do_free(&m, 0);
	for (int i = 0; i < nb; i++)
		assert_int_equal(pa_free_pages(blocks[i], 4), 0);
	th_check();
}

/*
 * pa_vmstat_update(): high falls by an eighth (at most to within batch << 5
 * of the count, never below high_min) and the pages above it go back.
 */
static void test_decay(void **state)
{
	/* From high 2065, count 1425 (free_count 480). */
	static const int hand_high[] = { 1807, 1582, 1385, 1212, 1061, 929, 813, 712, 640, 640 };
	static const int hand_count[] = { 1425, 1425, 1385, 1212, 1061, 929, 813, 712, 640, 640 };
	struct model m;
	int calls = 0, r;

	(void)state;
	machine(256);
	m_start(&m);
	for (int i = 0; i < 1000; i++)
		do_alloc(&m, i);
	while (nheld)
		do_free(&m, 0);
	if (HAND) {
		assert_int_equal(set().high, 2065);
		assert_int_equal(set().count, 1425);
	}
	do {
		bool todo = m_decay(&m);

		r = pa_vmstat_update();
		assert_int_equal(r, todo);
		m_check(&m, "decay", calls);
		if (HAND) {
			assert_true(calls < 10);
			assert_int_equal(set().high, hand_high[calls]);
			assert_int_equal(set().count, hand_count[calls]);
		}
		calls++;
	} while (r == 1);
	if (HAND)
		assert_int_equal(calls, 10);
	assert_int_equal(set().high, set().high_min);
	th_check();
}

/*
 * Decay from a set near high_max: the count term (within batch << 5 of
 * the count) is then what bounds the fall, as the model says.
 */
static void test_decay_near_count(void **state)
{
	struct model m;
	int calls = 0, r;
	bool bounded = false;

	(void)state;
	machine(256);
	m_start(&m);
	for (int i = 0; i < 8000; i++)
		do_alloc(&m, i);
	while (nheld)
		do_free(&m, 0);
	do {
		int by_count = m.count - (m.batch << SCALE);
		bool todo;

		bounded |= m.high > m.high_min && by_count > m.high - (m.high >> 3);
		todo = m_decay(&m);
		r = pa_vmstat_update();
		assert_int_equal(r, todo);
		m_check(&m, "decay", calls++);
	} while (r == 1);
	assert_true(bounded); /* the count term decided at least one step */
	th_check();
}

/*
 * One order-3 free halves alloc_factor once, as one free: after seven
 * refills (15 << 5 = 480 stored as 5), the next order-0 refill takes
 * 15 << (5 >> 1) = 60 pages.
 */
static void test_order3_free_halves_once(void **state)
{
	struct pa_page *big;

	(void)state;
	machine(256);
	assert_non_null(big = pa_alloc_pages(GFP_MOV, 3));
	for (int i = 0; i < 1000; i++)
		assert_non_null(held[nheld++] = pa_alloc_pages(GFP_MOV, 0));
	assert_int_equal(pa_free_pages(big, 3), 0);
	while (set().count > 16) /* the order-3 list holds 16 pages: empty the order-0 one */
		assert_non_null(held[nheld++] = pa_alloc_pages(GFP_MOV, 0));
	assert_non_null(held[nheld++] = pa_alloc_pages(GFP_MOV, 0));
	if (HAND)
		assert_int_equal(set().count, 16 + 60 - 1);
	while (nheld)
		assert_int_equal(pa_free_pages(held[--nheld], 0), 0);
	th_check();
}

/* A refill while the zone is below its high watermark leaves high alone. */
static void test_refill_below_high_keeps_high(void **state)
{
	int nb, high;

	(void)state;
	machine(256);
	for (int i = 0; i < 1000; i++)
		assert_non_null(held[nheld++] = pa_alloc_pages(GFP_MOV, 0));
	nb = push_below_high(blocks, MAX_HELD);
	high = set().high;
	while (set().count)
		assert_non_null(held[nheld++] = pa_alloc_pages(GFP_MOV, 0));
	assert_non_null(held[nheld++] = pa_alloc_pages(GFP_MOV, 0)); /* a refill */
	assert_int_equal(set().high, high);
	if (HAND) /* 480 pages (alloc_factor 5), one handed out */
		assert_int_equal(set().count, 479);
	for (int i = 0; i < nb; i++)
		assert_int_equal(pa_free_pages(blocks[i], 4), 0);
	while (nheld)
		assert_int_equal(pa_free_pages(held[--nheld], 0), 0);
	th_check();
}

#ifdef CONFIG_PA_MEMORY_ISOLATION
/*
 * An order-0 allocation checks the zone's high watermark first: the zone,
 * brought just below high by a contiguous allocation (which checks no
 * watermark), is marked below high by the next order-0 allocation, whose
 * refill then leaves high alone.
 */
static void test_order0_notices_below_high(void **state)
{
	unsigned long wmark, free, pfn;
	struct pa_page *c;
	int nb = 0, high;

	(void)state;
	machine(256);
	for (int i = 0; i < 1000; i++)
		assert_non_null(held[nheld++] = pa_alloc_pages(GFP_MOV, 0));
	wmark = th_zone(0, PA_ZONE_NORMAL).wmark_high;
	while (zone_free() >= wmark + 2 * 16) /* above high throughout: no mark */
		assert_non_null(blocks[nb++] = pa_alloc_pages(GFP_MOV, 4));
	/* The contiguous allocation first drains the set into the zone. */
	free = zone_free() + (unsigned long)set().count;
	assert_non_null(c = pa_alloc_contig_pages(free - wmark + 1, GFP_MOV, PA_NUMA_NO_NODE, NULL));
	pfn = pa_page_to_pfn(c);
	assert_int_equal(zone_free(), wmark - 1);
	assert_int_equal(set().count, 0);
	high = set().high;
	assert_non_null(held[nheld++] = pa_alloc_pages(GFP_MOV, 0)); /* a refill, after the check */
	assert_int_equal(set().high, high);
	assert_int_equal(pa_free_contig_range(pfn, free - wmark + 1), 0);
	for (int i = 0; i < nb; i++)
		assert_int_equal(pa_free_pages(blocks[i], 4), 0);
	while (nheld)
		assert_int_equal(pa_free_pages(held[--nheld], 0), 0);
	th_check();
}
#endif

/*
 * Lowered limits and the periodic call before the next free: decay
 * works from the unclamped high, and the free then clamps (Linux's
 * decay_pcp_high() and nr_pcp_high()).
 */
static void test_limits_then_decay(void **state)
{
	struct model m;
	long v = 100;

	(void)state;
	machine(256);
	m_start(&m);
	for (int i = 0; i < 1000; i++)
		do_alloc(&m, i);
	assert_int_equal(pa_sysctl_set("percpu_pagelist_high_fraction", &v, 1), 0);
	m.high_min = set().high_min;
	m.high_max = set().high_max;
	assert_int_equal(pa_vmstat_update(), m_decay(&m));
	m_check(&m, "decay", 0);
	do_free(&m, 0);
	assert_int_equal(set().high, set().high_max);
	while (nheld)
		do_free(&m, 1);
	th_check();
}

/*
 * The bulk call takes from the set without halving free_count (Linux's
 * alloc_pages_bulk() calls __rmqueue_pcplist() directly): after 1000
 * frees in a row (480, the cap) and a bulk call of 16, a free at a
 * lowered high (fraction 100: 655) returns clamp(480, 15, 640) pages.
 */
static void test_bulk_keeps_free_count(void **state)
{
	struct pa_page *b[16] = { NULL };
	long v = 100;

	(void)state;
	machine(256);
	for (int i = 0; i < 1000; i++)
		assert_non_null(held[nheld++] = pa_alloc_pages(GFP_MOV, 0));
	while (nheld)
		assert_int_equal(pa_free_pages(held[--nheld], 0), 0);
	assert_int_equal(pa_alloc_pages_bulk(GFP_MOV, PA_NUMA_NO_NODE, NULL, 16, b), 16);
	assert_int_equal(pa_sysctl_set("percpu_pagelist_high_fraction", &v, 1), 0);
	assert_int_equal(pa_free_pages(b[0], 0), 0);
	if (HAND) {
		assert_int_equal(set().high, 655);
		assert_int_equal(set().count, 1425 - 16 + 1 - 480);
	}
	for (int i = 1; i < 16; i++)
		assert_int_equal(pa_free_pages(b[i], 0), 0);
	th_check();
}

/* A CPU that used its set and goes off line shows the boot pageset: high 0, batch 1. */
static void test_offline_after_use(void **state)
{
	struct pa_pcp_info pi;

	(void)state;
	assert_int_equal(pa_set_nr_cpus(2), 0);
	assert_int_equal(pa_memblock_add(4 * GiB, 256 * MiB, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	assert_int_equal(pa_host_set_cpu(1), 0);
	for (int i = 0; i < 1000; i++)
		assert_non_null(held[nheld++] = pa_alloc_pages(GFP_MOV, 0));
	while (nheld)
		assert_int_equal(pa_free_pages(held[--nheld], 0), 0);
	assert_int_equal(pa_host_set_cpu(0), 0);
	assert_int_equal(pa_pcp_get(0, PA_ZONE_NORMAL, 1, &pi), 0);
	assert_true(pi.high > pi.high_min);
	assert_int_equal(pa_cpu_offline(1), 0);
	assert_int_equal(pa_pcp_get(0, PA_ZONE_NORMAL, 1, &pi), 0);
	assert_int_equal(pi.count, 0);
	assert_int_equal(pi.high, 0);
	assert_int_equal(pi.batch, 1);
	th_check();
}

/* pgfree after a counter reset counts only the pages freed since. */
static void test_pgfree_after_reset(void **state)
{
	(void)state;
	machine(256);
	for (int i = 0; i < 100; i++)
		assert_non_null(held[nheld++] = pa_alloc_pages(GFP_MOV, 0));
	for (int i = 0; i < 50; i++)
		assert_int_equal(pa_free_pages(held[--nheld], 0), 0);
	pa_vm_events_reset();
	assert_int_equal(pa_vm_event_count(PA_PGFREE), 0);
	for (int i = 0; i < 30; i++)
		assert_int_equal(pa_free_pages(held[--nheld], 0), 0);
	assert_int_equal(pa_vm_event_count(PA_PGFREE), 30);
	while (nheld)
		assert_int_equal(pa_free_pages(held[--nheld], 0), 0);
	th_check();
}

/*
 * New limits (percpu_pagelist_high_fraction) leave high as it is, as
 * Linux's pageset_update(); the set's next free clamps it.
 */
static void test_limits_clamp_at_next_free(void **state)
{
	struct pa_pcp_info pi;
	struct model m;
	long v = 100;

	(void)state;
	machine(256);
	m_start(&m);
	for (int i = 0; i < 1000; i++)
		do_alloc(&m, i);
	pi = set();
	assert_int_equal(pa_sysctl_set("percpu_pagelist_high_fraction", &v, 1), 0);
	assert_int_equal(set().high, pi.high);
	assert_int_equal(set().high_min, set().high_max);
	m.high_min = set().high_min;
	m.high_max = set().high_max;
	do_free(&m, 0);
	assert_int_equal(set().high, set().high_max);
	if (HAND) /* 65536 / 100 = 655; count 426 stays */
		assert_int_equal(set().high, 655);
	while (nheld)
		do_free(&m, 1);
	th_check();
}

#if PA_PAGE_SHIFT == 12 && PA_PAGEBLOCK_ORDER >= 3 && SCALE == 5
/*
 * Order-3 frees in a row, with free_count at batch or more, return
 * everything (Linux's free_high) and drop high by batch << 5; an order-0
 * free between them breaks the row.
 */
static void test_free_high_order3(void **state)
{
	struct pa_page *p[10], *a, *b, *z[20];
	unsigned long free0;

	(void)state;
	machine(256);
	free0 = zone_free();
	/* Each refill: max(15 >> 3, 2) = 2 blocks; high + 15 each. */
	for (int i = 0; i < 10; i++)
		assert_non_null(p[i] = pa_alloc_pages(GFP_MOV, 3));
	assert_int_equal(set().high, 640 + 5 * 15);
	assert_int_equal(set().count, 0);
	assert_int_equal(pa_free_pages(p[0], 3), 0); /* free_count 0 -> 8 */
	assert_int_equal(pa_free_pages(p[1], 3), 0); /* 8 < 15: kept; -> 16 */
	assert_int_equal(set().count, 16);
	assert_int_equal(pa_free_pages(p[2], 3), 0); /* 16 >= 15: all 24 back */
	assert_int_equal(set().count, 0);
	assert_int_equal(set().high, 640); /* max(715 - 480, 640) */
	for (int i = 3; i < 10; i++)
		assert_int_equal(pa_free_pages(p[i], 3), 0);
	assert_int_equal(set().count, 0);
	assert_int_equal(zone_free(), free0);
	/*
	 * free_count 80, halved to 20 by two order-3 allocations (one refill:
	 * high 655) and to 0 by twenty order-0 ones (refills of 15 and 30:
	 * high 670, 700; 25 pages left).  Twenty order-0 frees: 20.
	 */
	assert_non_null(a = pa_alloc_pages(GFP_MOV, 3));
	assert_non_null(b = pa_alloc_pages(GFP_MOV, 3));
	for (int i = 0; i < 20; i++)
		assert_non_null(z[i] = pa_alloc_pages(GFP_MOV, 0));
	assert_int_equal(set().high, 700);
	assert_int_equal(set().count, 25);
	for (int i = 0; i < 20; i++)
		assert_int_equal(pa_free_pages(z[i], 0), 0);
	/* After an order-0 free the row starts again: kept, though 20 >= 15. */
	assert_int_equal(pa_free_pages(a, 3), 0);
	assert_int_equal(set().count, 45 + 8);
	assert_int_equal(set().high, 700);
	/* The second in a row: free_high; all 61 pages back, high max(700 - 480, 640). */
	assert_int_equal(pa_free_pages(b, 3), 0);
	assert_int_equal(set().count, 0);
	assert_int_equal(set().high, 640);
	assert_int_equal(zone_free(), free0);
	/*
	 * free_count exactly batch: 7 order-0 frees and one order 3 make 15,
	 * and the next order-3 free in the row returns everything.
	 */
	assert_non_null(a = pa_alloc_pages(GFP_MOV, 3));
	assert_non_null(b = pa_alloc_pages(GFP_MOV, 3));
	for (int i = 0; i < 7; i++)
		assert_non_null(z[i] = pa_alloc_pages(GFP_MOV, 0));
	for (int i = 0; i < 7; i++) /* halved nine times from 20: 0; then 7 */
		assert_int_equal(pa_free_pages(z[i], 0), 0);
	assert_int_equal(pa_free_pages(a, 3), 0); /* 7 < 15: kept; 15 */
	assert_true(set().count > 0);
	assert_int_equal(pa_free_pages(b, 3), 0); /* 15 >= 15: all back */
	assert_int_equal(set().count, 0);
	assert_int_equal(zone_free(), free0);
	th_check();
}
#endif

/* zoneinfo's pagesets show the live high. */
static void test_zoneinfo_live_high(void **state)
{
	static char buf[1 << 16];
	char want[64];
	struct model m;

	(void)state;
	machine(256);
	m_start(&m);
	for (int i = 0; i < 1000; i++)
		do_alloc(&m, i);
	th_zoneinfo(buf, sizeof(buf));
	snprintf(want, sizeof(want), "high:     %d\n", set().high);
	if (!strstr(buf, want))
		fail_msg("zoneinfo does not show '%s':\n%s", want, buf);
	while (nheld)
		do_free(&m, 0);
}

static int setup(void **state)
{
	nheld = 0;
	return th_setup(state);
}

#else /* !CONFIG_PA_PCP */

/* Without per-CPU sets there is no high to decay: the call has nothing to do. */
static void test_vmstat_update_without_sets(void **state)
{
	(void)state;
	assert_int_equal(pa_memblock_add(4 * GiB, 64 * MiB, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	assert_int_equal(pa_vmstat_update(), 0);
	th_check();
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
#ifdef CONFIG_PA_PCP
		cmocka_unit_test_setup(test_refill_raises_high, setup),
		cmocka_unit_test_setup(test_bursts_follow_linux, setup),
		cmocka_unit_test_setup(test_below_high_lowers_high, setup),
		cmocka_unit_test_setup(test_reclaim_active_shrinks_set, setup),
		cmocka_unit_test_setup(test_decay, setup),
		cmocka_unit_test_setup(test_limits_clamp_at_next_free, setup),
		cmocka_unit_test_setup(test_decay_near_count, setup),
		cmocka_unit_test_setup(test_order3_free_halves_once, setup),
		cmocka_unit_test_setup(test_refill_below_high_keeps_high, setup),
#ifdef CONFIG_PA_MEMORY_ISOLATION
		cmocka_unit_test_setup(test_order0_notices_below_high, setup),
#endif
		cmocka_unit_test_setup(test_limits_then_decay, setup),
		cmocka_unit_test_setup(test_pgfree_after_reset, setup),
		cmocka_unit_test_setup(test_bulk_keeps_free_count, setup),
		cmocka_unit_test_setup(test_offline_after_use, setup),
#if PA_PAGE_SHIFT == 12 && PA_PAGEBLOCK_ORDER >= 3 && SCALE == 5
		cmocka_unit_test_setup(test_free_high_order3, setup),
#endif
		cmocka_unit_test_setup(test_zoneinfo_live_high, setup),
#else
		cmocka_unit_test_setup(test_vmstat_update_without_sets, th_setup),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
