// SPDX-License-Identifier: MIT
/*
 * Per-CPU page sets: batch and high against numbers worked out by hand
 * from Linux's zone_batchsize() and zone_highsize(); refill, return above
 * high, drains, CPU offline, the bulk API, the zoneinfo pagesets block, and
 * a CPU allocating from its set while another holds the zone lock.
 */
#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "th_internal.h"
#include "harness.h"

/* One node, one Normal zone of @mib MiB at 4 GiB, @cpus CPUs, exact managed pages. */
static void machine(unsigned long mib, unsigned int cpus)
{
	assert_int_equal(pa_set_nr_cpus(cpus), 0);
	assert_int_equal(pa_memblock_add(4 * GiB, (pa_phys_t)mib * MiB, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).managed, mib * MiB / PA_PAGE_SIZE);
}

static __attribute__((unused)) void sysctl(const char *name, long v)
{
	assert_int_equal(pa_sysctl_set(name, &v, 1), 0);
}

static struct pa_pcp_info pcp(int nid, unsigned int cpu)
{
	struct pa_pcp_info pi;

	assert_int_equal(pa_pcp_get(nid, PA_ZONE_NORMAL, cpu, &pi), 0);
	return pi;
}

static __attribute__((unused)) void expect(int nid, unsigned int cpu, int batch, int high_min, int high_max)
{
	struct pa_pcp_info pi = pcp(nid, cpu);

	/* high: 0, Linux's boot pageset value, until the set's first refill or free */
	if (pi.batch != batch || pi.high_min != high_min || pi.high_max != high_max || pi.high)
		fail_msg("node %d cpu %u: batch %d high %d high_min %d high_max %d, expected %d %d %d",
			 nid, cpu, pi.batch, pi.high, pi.high_min, pi.high_max, batch, high_min,
			 high_max);
}

#ifdef CONFIG_PA_PCP
#if PA_PAGE_SHIFT == 12
/*
 * 4K pages.  zone_batchsize(): b = min(managed >> 10, 1M / 4K = 256) / 4,
 * then rounddown_pow_of_two(b + b/2) - 1.  zone_highsize(): low watermark
 * (or managed / fraction) / CPUs of the node, at least 4 * batch; high_max
 * with fraction 8.  One lowmem zone: min = min_free_kbytes / 4 pages, low =
 * min + max(min / 4, managed * 10 / 10000).
 */
static void test_batch_and_high_1g_4cpus(void **state)
{
	(void)state;
	machine(1024, 4);
	sysctl("min_free_kbytes", 4096);
	/*
	 * managed 262144: b = min(256, 256) / 4 = 64 -> pow2(96) - 1 = 63.
	 * min 1024, low 1024 + max(256, 262) = 1286; high_min 1286 / 4 = 321
	 * (> 4 * 63); high_max 262144 / 8 / 4 = 8192.
	 */
	for (unsigned int cpu = 0; cpu < 4; cpu++)
		expect(0, cpu, 63, 321, 8192);
	/* percpu_pagelist_high_fraction 100: 262144 / 100 = 2621 / 4 = 655 both. */
	sysctl("percpu_pagelist_high_fraction", 100);
	expect(0, 3, 63, 655, 655);
	/* Back to 0 and a larger min: min 4096, low 4096 + 1024 = 5120 / 4 = 1280. */
	sysctl("percpu_pagelist_high_fraction", 0);
	sysctl("min_free_kbytes", 16384);
	expect(0, 0, 63, 1280, 8192);
	/* CPU 3 offline: split over 3 CPUs, 5120 / 3 = 1706, 32768 / 3 = 10922. */
	assert_int_equal(pa_cpu_offline(3), 0);
	expect(0, 0, 63, 1706, 10922);
	struct pa_pcp_info off = pcp(0, 3);
	assert_int_equal(off.batch, 1);
	assert_int_equal(off.high, 0);
	assert_int_equal(pa_cpu_online(3), 0);
	expect(0, 3, 63, 1280, 8192);
	th_check();
}

static void test_batch_and_high_small_zones(void **state)
{
	(void)state;
	/*
	 * 64 MiB, 2 CPUs: managed 16384, b = 16 / 4 = 4 -> pow2(6) - 1 = 3.
	 * min_free_kbytes 1024: min 256, low 256 + max(64, 16) = 320;
	 * high_min 320 / 2 = 160; high_max 16384 / 8 / 2 = 1024.
	 */
	machine(64, 2);
	sysctl("min_free_kbytes", 1024);
	expect(0, 1, 3, 160, 1024);
	th_reset();
	/*
	 * 4 MiB, 8 CPUs: managed 1024, b = 1 / 4 = 0 -> 1 -> pow2(1) - 1 = 0
	 * -> batch max(1, 0) = 1.  min_free_kbytes 128: min 32, low 32 +
	 * max(8, 1) = 40; 40 / 8 = 5 (> 4 * 1); high_max 1024 / 8 / 8 = 16.
	 */
	machine(4, PA_NR_CPUS >= 8 ? 8 : PA_NR_CPUS);
	sysctl("min_free_kbytes", 128);
	if (PA_NR_CPUS >= 8)
		expect(0, 7, 1, 5, 16);
	th_reset();
	/*
	 * 8 GiB, 1 CPU: managed 2097152, b = min(2048, 256) / 4 = 64 -> 63.
	 * min_free_kbytes 65536: min 16384, low 16384 + max(4096, 2097) =
	 * 20480; high_max 2097152 / 8 = 262144.
	 */
	machine(8192, 1);
	sysctl("min_free_kbytes", 65536);
	expect(0, 0, 63, 20480, 262144);
	th_check();
}

#if PA_MAX_NUMNODES > 1
/*
 * Two nodes of 1 GiB, CPUs 0-2 on node 0, none on node 1: node 0 splits
 * over its 3 CPUs, node 1 (headless) over all 3 online CPUs.
 * min_free_kbytes 8192 over 524288 lowmem pages: min 1024 each, low 1286.
 */
static void test_high_headless_node(void **state)
{
	(void)state;
	assert_int_equal(pa_set_nr_cpus(3), 0);
	assert_int_equal(pa_memblock_add(4 * GiB, 1 * GiB, 0), 0);
	assert_int_equal(pa_memblock_add(8 * GiB, 1 * GiB, 1), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	sysctl("min_free_kbytes", 8192);
	/* 1286 / 3 = 428; 262144 / 8 / 3 = 10922. */
	expect(0, 0, 63, 428, 10922);
	expect(1, 2, 63, 428, 10922);
	/* Two CPUs offline: node 0 has one left, node 1 splits over that one. */
	assert_int_equal(pa_cpu_offline(1), 0);
	assert_int_equal(pa_cpu_offline(2), 0);
	expect(0, 0, 63, 1286, 32768);
	expect(1, 0, 63, 1286, 32768);
	th_check();
}
#endif
#elif PA_PAGE_SHIFT == 14
/*
 * 16K pages, 1 GiB, 2 CPUs: managed 65536, b = min(64, 1M / 16K = 64) / 4
 * = 16 -> pow2(24) - 1 = 15.  min_free_kbytes 4096 = 256 pages: low 256 +
 * max(64, 65) = 321; high_min 321 / 2 = 160; high_max 65536 / 8 / 2 = 4096.
 */
static void test_batch_and_high_16k(void **state)
{
	(void)state;
	machine(1024, 2);
	sysctl("min_free_kbytes", 4096);
	expect(0, 1, 15, 160, 4096);
	th_check();
}
#endif /* page size */

/* Refill takes a batch; frees above high return a batch; the verifier agrees. */
static void test_refill_and_return(void **state)
{
	struct pa_page *p[4096];
	struct pa_pcp_info pi;
	unsigned long free0;
	int n = 0;

	(void)state;
	machine(256, 2);
	pi = pcp(0, 0);
	free0 = th_zone(0, PA_ZONE_NORMAL).free;
	p[n++] = pa_alloc_pages(PA_GFP_KERNEL, 0);
	/* One refill of batch pages, one handed out. */
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, free0 - (unsigned long)pi.batch);
	assert_int_equal(pcp(0, 0).count, pi.batch - 1);
	/* Order 1 refills max(batch >> 1, 2) blocks. */
	p[n++] = pa_alloc_pages(PA_GFP_KERNEL, 1);
	assert_int_equal(pcp(0, 0).count, pi.batch - 1 + 2 * (PA_MAX(pi.batch >> 1, 2) - 1));
	th_check();
	/* Free them all: each free that reaches high returns pages, to below it. */
	while (n < 4096 && (p[n] = pa_alloc_pages(PA_GFP_KERNEL, 0)))
		n++;
	for (int i = n - 1; i >= 2; i--) {
		assert_int_equal(pa_free_pages(p[i], 0), 0);
		assert_true(pcp(0, 0).count < pcp(0, 0).high);
	}
	th_check();
	assert_int_equal(pa_free_pages(p[1], 1), 0);
	assert_int_equal(pa_free_pages(p[0], 0), 0);
	assert_true(th_zone(0, PA_ZONE_NORMAL).pcp_pages > 0);
	pa_drain_all_pages();
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).pcp_pages, 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, free0);
	th_check();
}

/* The state bits of @page: PG_buddy, PG_head, PG_pcp and PG_movable. */
static uint32_t state_bits(const struct pa_page *page)
{
	return pa_page_flags(page) & (PA_PG_STATE_MASK | (1u << PA_PG_movable));
}

/*
 * A block on a per-CPU list carries PG_movable exactly when the list is
 * the movable one, so that its allocation only swaps PG_pcp for PG_head;
 * the verifier reports a block whose bits disagree with its list.
 */
static void test_pcp_state_bits(void **state)
{
	const uint32_t pcp_bit = 1u << PA_PG_pcp, head = 1u << PA_PG_head;
	const uint32_t movable = 1u << PA_PG_movable;
	struct pa_page *m, *u;

	(void)state;
	machine(1024, 1); /* big enough for grouping by mobility with 64K pages */
	assert_true(pa_mobility_grouping());
	m = pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_MOVABLE, 0);
	u = pa_alloc_pages(PA_GFP_KERNEL, 0);
	assert_non_null(m);
	assert_non_null(u);
	assert_int_equal(state_bits(m), head | movable);
	assert_int_equal(state_bits(u), head);
	assert_int_equal(pa_free_pages(m, 0), 0);
	assert_int_equal(pa_free_pages(u, 0), 0);
	assert_int_equal(state_bits(m), pcp_bit | movable);
	assert_int_equal(state_bits(u), pcp_bit);
	th_check();

	/* A movable-list block without PG_movable: the verifier names it. */
	pa_page_clear(m, PA_PG_movable);
	assert_int_equal(pa_check(), -PA_EUCLEAN);
	assert_non_null(strstr(th_last_log(), "state bits"));
	pa_page_set(m, PA_PG_movable);
	th_check();

	/* Taken again, each comes back as pa_prep_new_page() writes it. */
	assert_ptr_equal(pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_MOVABLE, 0), m);
	assert_ptr_equal(pa_alloc_pages(PA_GFP_KERNEL, 0), u);
	assert_int_equal(state_bits(m), head | movable);
	assert_int_equal(state_bits(u), head);
	assert_int_equal(pa_free_pages(m, 0), 0);
	assert_int_equal(pa_free_pages(u, 0), 0);
	th_check();
}

/* Allocate and free on CPUs 0..3; taking each CPU offline restores buddyinfo. */
static void test_cpu_offline_drains(void **state)
{
	char before[4096], after[4096];
	struct pa_page *p[64];

	(void)state;
	machine(256, 4);
	th_buddyinfo(before, sizeof(before));
	for (unsigned int cpu = 0; cpu < 4; cpu++) {
		pa_host_set_cpu(cpu);
		for (int i = 0; i < 64; i++)
			p[i] = pa_alloc_pages(PA_GFP_KERNEL | (i & 1 ? PA__GFP_MOVABLE : 0), i % 4);
		/* Last an order-0 free, after which no order-3 free drains all (free_high). */
		for (int i = 63; i >= 0; i--)
			assert_int_equal(pa_free_pages(p[i], i % 4), 0);
		assert_true(pcp(0, cpu).count > 0);
	}
	pa_host_set_cpu(0);
	th_buddyinfo(after, sizeof(after));
	assert_string_not_equal(before, after);
	for (unsigned int cpu = 0; cpu < 4; cpu++) {
		assert_int_equal(pa_cpu_offline(cpu), 0);
		assert_int_equal(pcp(0, cpu).count, 0);
		th_check();
	}
	th_buddyinfo(after, sizeof(after));
	assert_string_equal(before, after);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).pcp_pages, 0);
	th_assert_error(pa_cpu_offline(2), PA_EALREADY, "already offline");
	th_assert_error(pa_cpu_online(9999), PA_EINVAL, "out of range");
	th_assert_error(pa_drain_pages(4), PA_EINVAL, "out of range");
}

/* ------------------------------------------------------------ zone lock held */

static struct {
	pthread_mutex_t m;
	pthread_cond_t c;
	int stage; /* 1: lock held; 2: allocation done; 3: release */
	struct pa_page *page;
} zl = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, NULL };

static void zl_set(int stage)
{
	pthread_mutex_lock(&zl.m);
	zl.stage = stage;
	pthread_cond_broadcast(&zl.c);
	pthread_mutex_unlock(&zl.m);
}

static bool zl_wait(int stage, int seconds)
{
	struct timespec until;
	bool ok = true;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += seconds;
	pthread_mutex_lock(&zl.m);
	while (zl.stage < stage && ok)
		ok = pthread_cond_timedwait(&zl.c, &zl.m, &until) == 0;
	ok = zl.stage >= stage;
	pthread_mutex_unlock(&zl.m);
	return ok;
}

/* CPU 1 allocates from its filled set while the main thread holds the zone lock. */
static void *allocator(void *arg)
{
	(void)arg;
	pa_host_set_cpu(1);
	if (!zl_wait(1, 30))
		return NULL;
	zl.page = pa_alloc_pages(PA_GFP_KERNEL, 0);
	zl_set(2);
	return NULL;
}

static void test_pcp_alloc_while_zone_locked(void **state)
{
	struct pa_zone *zone;
	struct pa_page *warm;
	pthread_t t;
	unsigned long flags;
	bool done;

	(void)state;
	machine(256, 2);
	zone = th_pa_zone(0, PA_ZONE_NORMAL);
	/* Fill CPU 1's set: one allocation refills a batch, the free keeps it. */
	pa_host_set_cpu(1);
	warm = pa_alloc_pages(PA_GFP_KERNEL, 0);
	assert_int_equal(pa_free_pages(warm, 0), 0);
	assert_true(pcp(0, 1).count >= 2);
	pa_host_set_cpu(0);
	zl.stage = 0;
	zl.page = NULL;
	assert_int_equal(pthread_create(&t, NULL, allocator, NULL), 0);
	flags = pa_port_spin_lock_irqsave(&zone->lock);
	zl_set(1);
	done = zl_wait(2, 30); /* would time out if the allocation needed the zone lock */
	pa_port_spin_unlock_irqrestore(&zone->lock, flags);
	pthread_join(t, NULL);
	assert_true(done);
	assert_non_null(zl.page);
	assert_ptr_equal(zl.page, warm); /* last freed, first handed out again */
	assert_int_equal(pa_free_pages(zl.page, 0), 0);
	th_check();
}

/* ------------------------------------------------------------ bulk */

static void test_bulk(void **state)
{
	struct pa_page *a[300] = { 0 };
	struct pa_page *keep;
	unsigned long free0;

	(void)state;
	machine(256, 2);
	free0 = th_zone(0, PA_ZONE_NORMAL).free;
	keep = pa_alloc_pages(PA_GFP_KERNEL, 0);
	a[5] = keep; /* a pre-filled slot is kept */
	assert_int_equal(pa_alloc_pages_bulk(PA_GFP_KERNEL, PA_NUMA_NO_NODE, NULL, 300, a), 300);
	assert_ptr_equal(a[5], keep);
	for (int i = 0; i < 300; i++) {
		assert_int_equal(pa_page_count(a[i]), 1);
		for (int j = 0; j < i; j++)
			assert_ptr_not_equal(a[i], a[j]);
	}
	th_check();
	assert_int_equal(pa_vm_event_count(PA_PGALLOC + PA_ZONE_NORMAL), 300);
	for (int i = 0; i < 300; i++)
		assert_int_equal(pa_free_pages(a[i], 0), 0);
	pa_drain_all_pages();
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, free0);
	/* A full array is left alone; a NULL array is an error. */
	for (int i = 0; i < 4; i++)
		a[i] = (struct pa_page *)(uintptr_t)1;
	assert_int_equal(pa_alloc_pages_bulk(PA_GFP_KERNEL, PA_NUMA_NO_NODE, NULL, 4, a), 4);
	assert_int_equal(pa_alloc_pages_bulk(PA_GFP_KERNEL, PA_NUMA_NO_NODE, NULL, 4, NULL), 0);
	assert_int_equal(th_log_lines(), 1);
	th_log_clear();
	a[0] = NULL;
	assert_int_equal(pa_alloc_pages_bulk(PA__GFP_DMA | PA__GFP_DMA32, PA_NUMA_NO_NODE, NULL, 4, a),
			 0);
	assert_int_equal(th_log_lines(), 1);
	th_check();
}

/* ------------------------------------------------------------ zoneinfo */

/* The pagesets block, parsed as a /proc/zoneinfo reader does. */
static void test_zoneinfo_pagesets(void **state)
{
	static char buf[1 << 16];
	struct pa_page *p;
	regex_t re;
	regmatch_t m[7];
	const char *s;
	int cpus = 0;

	(void)state;
	machine(256, 2);
	pa_host_set_cpu(1);
	p = pa_alloc_pages(PA_GFP_KERNEL, 0);
	pa_host_set_cpu(0);
	th_zoneinfo(buf, sizeof(buf));
	assert_non_null(strstr(buf, "\n  pagesets\n    cpu: 0\n"));
	assert_int_equal(regcomp(&re,
				 "\n    cpu: ([0-9]+)\n              count:    ([0-9]+)\n"
				 "              high:     ([0-9]+)\n              batch:    ([0-9]+)\n"
				 "              high_min: ([0-9]+)\n              high_max: ([0-9]+)\n"
				 "  vm stats threshold: [0-9]+",
				 REG_EXTENDED),
			 0);
	for (s = buf; regexec(&re, s, 7, m, 0) == 0; s += m[0].rm_eo, cpus++) {
		struct pa_pcp_info pi = pcp(0, (unsigned int)atoi(s + m[1].rm_so));

		assert_int_equal(atoi(s + m[1].rm_so), cpus);
		assert_int_equal(atoi(s + m[2].rm_so), pi.count);
		assert_int_equal(atoi(s + m[3].rm_so), pi.high);
		assert_int_equal(atoi(s + m[4].rm_so), pi.batch);
		assert_int_equal(atoi(s + m[5].rm_so), pi.high_min);
		assert_int_equal(atoi(s + m[6].rm_so), pi.high_max);
		if (cpus == 1)
			assert_int_equal(pi.count, pi.batch - 1);
	}
	regfree(&re);
	assert_int_equal(cpus, 2);
	pa_host_set_cpu(1);
	assert_int_equal(pa_free_pages(p, 0), 0);
	pa_host_set_cpu(0);
}

/* Switched off: every free goes straight back, the lists hold nothing. */
static void test_disable(void **state)
{
	struct pa_page *p;
	unsigned long free0;

	(void)state;
	machine(256, 2);
	p = pa_alloc_pages(PA_GFP_KERNEL, 0);
	assert_int_equal(pa_free_pages(p, 0), 0);
	assert_true(pcp(0, 0).count > 0);
	assert_int_equal(pa_pcp_set_enabled(false), 0);
	assert_int_equal(pcp(0, 0).count, 0);
	assert_int_equal(pcp(0, 0).high, 0);
	free0 = th_zone(0, PA_ZONE_NORMAL).free;
	p = pa_alloc_pages(PA_GFP_KERNEL, 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, free0 - 1);
	assert_int_equal(pa_free_pages(p, 0), 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, free0);
	assert_int_equal(pa_pcp_set_enabled(true), 0);
	assert_int_equal(pcp(0, 0).high, 0); /* until the set's next use clamps it */
	p = pa_alloc_pages(PA_GFP_KERNEL, 0);
	assert_true(pcp(0, 0).high >= pcp(0, 0).high_min);
	assert_true(pcp(0, 0).count > 0);
	assert_int_equal(pa_free_pages(p, 0), 0);
	th_check();
}

#else

/* Built without per-CPU sets: the API says so, bulk still fills the array. */
static void test_without_pcp(void **state)
{
	struct pa_page *a[16] = { 0 };
	struct pa_pcp_info pi;
	unsigned long free0;

	(void)state;
	machine(64, 2);
	free0 = th_zone(0, PA_ZONE_NORMAL).free;
	th_assert_error(pa_pcp_get(0, PA_ZONE_NORMAL, 0, &pi), PA_EOPNOTSUPP, "CONFIG_PA_PCP");
	th_assert_error(pa_pcp_set_enabled(true), PA_EOPNOTSUPP, "CONFIG_PA_PCP");
	assert_int_equal(pa_pcp_set_enabled(false), 0);
	assert_int_equal(pa_alloc_pages_bulk(PA_GFP_KERNEL, PA_NUMA_NO_NODE, NULL, 16, a), 16);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, free0 - 16);
	for (int i = 0; i < 16; i++)
		assert_int_equal(pa_free_pages(a[i], 0), 0);
	pa_drain_all_pages();
	assert_int_equal(pa_cpu_offline(1), 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, free0);
	th_check();
}
#endif /* CONFIG_PA_PCP */

int main(void)
{
	const struct CMUnitTest tests[] = {
#ifdef CONFIG_PA_PCP
#if PA_PAGE_SHIFT == 12
		cmocka_unit_test_setup(test_batch_and_high_1g_4cpus, th_setup),
		cmocka_unit_test_setup(test_batch_and_high_small_zones, th_setup),
#if PA_MAX_NUMNODES > 1
		cmocka_unit_test_setup(test_high_headless_node, th_setup),
#endif
#elif PA_PAGE_SHIFT == 14
		cmocka_unit_test_setup(test_batch_and_high_16k, th_setup),
#endif
		cmocka_unit_test_setup(test_refill_and_return, th_setup),
		cmocka_unit_test_setup(test_pcp_state_bits, th_setup),
		cmocka_unit_test_setup(test_cpu_offline_drains, th_setup),
		cmocka_unit_test_setup(test_pcp_alloc_while_zone_locked, th_setup),
		cmocka_unit_test_setup(test_bulk, th_setup),
		cmocka_unit_test_setup(test_zoneinfo_pagesets, th_setup),
		cmocka_unit_test_setup(test_disable, th_setup),
#else
		cmocka_unit_test_setup(test_without_pcp, th_setup),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
