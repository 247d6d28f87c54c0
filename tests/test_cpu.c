// SPDX-License-Identifier: MIT
/*
 * CPU ids: every id pa_port_cpu_id() returns must be below the count given
 * to pa_set_nr_cpus().  Where an id enters (pa_set_nr_cpus(), CPU online,
 * the host's pa_host_set_cpu()) a bad one is refused with one line.  An id
 * that got past them anyway (set before the count shrank, or a kernel's
 * port that breaks the contract): with CONFIG_PA_DEBUG_VM every use
 * panics with the id and the count; without, an allocation is refused
 * with one line naming its entry, and a free goes to the buddy lists with
 * one line, so no other CPU's set is touched and no page is lost.  And
 * two threads running as one CPU panic with a message that says so.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "th_internal.h"
#include "harness.h"

#define MEM (64ULL << 20)

/* Two CPUs; this thread is CPU @cpu, set while the count was 4. */
static void machine_with_cpu(unsigned int cpu)
{
	th_reset();
	assert_int_equal(pa_host_set_cpu(0), 0);
	assert_int_equal(pa_set_nr_cpus(4), 0);
	assert_int_equal(pa_host_set_cpu(cpu), 0);
	assert_int_equal(pa_set_nr_cpus(2), 0);
	assert_int_equal(pa_memblock_add(4 * GiB, MEM, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
}

static unsigned int cpu0_order;

static void *alloc_on_cpu0(void *arg)
{
	struct pa_page **p = arg;

	*p = pa_alloc_pages(PA_GFP_KERNEL, cpu0_order); /* a new thread is CPU 0 */
	return NULL;
}

/* A block of @order allocated by CPU 0, from a thread of its own. */
static struct pa_page *block_from_cpu0(unsigned int order)
{
	struct pa_page *p = NULL;
	pthread_t t;

	cpu0_order = order;
	assert_int_equal(pthread_create(&t, NULL, alloc_on_cpu0, &p), 0);
	pthread_join(t, NULL);
	assert_non_null(p);
	return p;
}

static struct pa_page *page_from_cpu0(void)
{
	return block_from_cpu0(0);
}

static void entry_refuses(struct pa_page *p, const char *entry)
{
	char want[96];

	snprintf(want, sizeof(want), "%s: pa_port_cpu_id() gave CPU 3, not below the 2 CPUs",
		 entry);
	assert_null(p);
	assert_int_equal(th_log_lines(), 1);
	if (!strstr(th_last_log(), want))
		fail_msg("'%s' does not say '%s'", th_last_log(), want);
	th_log_clear();
}

static void bad_cpu_alloc(void)
{
	pa_alloc_pages(PA_GFP_KERNEL, 0);
}

static void bad_cpu_free(void)
{
	pa_free_pages(page_from_cpu0(), 0);
}

static unsigned long free_pages(void)
{
	unsigned long sum = 0;

	for (int z = 0; z < PA_MAX_NR_ZONES; z++)
		sum += th_zone(0, (enum pa_zone_type)z).free;
	return sum;
}

/*
 * Frees on the bad CPU go to the buddy lists (the zone's free count grows
 * at once; a per-CPU set's pages are not in it), not to a set past the
 * zone's.  The first says so in one line; no other free on that CPU logs
 * again, whatever it frees: a shared block's tail halves, a range.
 */
static void bad_cpu_frees(void)
{
	const unsigned long lines = IS_ENABLED(CONFIG_PA_PCP); /* no sets: no use of the id */
	struct pa_page *p = page_from_cpu0(), *q, *r[3];
	unsigned long before = free_pages();

	th_log_clear();
	assert_int_equal(pa_free_pages(p, 0), 0);
	assert_int_equal(free_pages(), before + 1);
	assert_int_equal(th_log_lines(), lines);
	if (lines)
		assert_non_null(strstr(th_last_log(), "pa_free_pages: pa_port_cpu_id() gave CPU 3, "
						      "not below the 2 CPUs of pa_set_nr_cpus(): its "
						      "frees go to the buddy lists (said once)"));
	th_log_clear();
	q = block_from_cpu0(3); /* shared: the tails now, the head with the last put */
	pa_get_page(q);
	before = free_pages();
	assert_int_equal(pa_free_pages(q, 3), 0);
	assert_int_equal(free_pages(), before + 7);
	assert_int_equal(pa_put_page(q), 0);
	assert_int_equal(free_pages(), before + 8);
	for (int i = 0; i < 3; i++)
		r[i] = page_from_cpu0();
	pa_free_pages(r[1], 0);
	pa_free_pages(r[2], 0);
	assert_int_equal(pa_free_contig_range(pa_page_to_pfn(r[0]), 1), 0);
	assert_int_equal(th_log_lines(), 0);
}

/* Without CONFIG_PA_DEBUG_VM: allocations refused, one line each; frees succeed. */
static void bad_cpu_nodebug(void)
{
	unsigned long boot = free_pages();
	struct pa_page *a[4] = { 0 };

	th_log_clear();
	entry_refuses(pa_alloc_pages(PA_GFP_KERNEL, 0), "pa_alloc_pages");
	entry_refuses(pa_alloc_pages(PA_GFP_KERNEL, 3), "pa_alloc_pages");
	entry_refuses(pa_alloc_pages_node(0, PA_GFP_KERNEL, 0), "pa_alloc_pages_node");
	entry_refuses(pa_alloc_pages_node(0, PA_GFP_KERNEL, 5), "pa_alloc_pages_node");
	entry_refuses(pa_alloc_pages_nodemask(PA_GFP_KERNEL, 0, 0, NULL), "pa_alloc_pages_nodemask");
	assert_int_equal(pa_alloc_pages_bulk(PA_GFP_KERNEL, PA_NUMA_NO_NODE, NULL, 4, a), 0);
	entry_refuses(NULL, "pa_alloc_pages_bulk");
#ifdef CONFIG_PA_MEMORY_ISOLATION
	assert_null(pa_alloc_contig_pages(4, PA_GFP_KERNEL, PA_NUMA_NO_NODE, NULL));
	entry_refuses(NULL, "pa_alloc_contig_pages");
#endif
	bad_cpu_frees();
	th_check();
	pa_drain_all_pages();
	th_check();
	assert_int_equal(free_pages(), boot);
}

static void test_cpu_beyond_count(void **state)
{
	(void)state;
	machine_with_cpu(3);
	if (IS_ENABLED(CONFIG_PA_DEBUG_VM)) {
		th_expect_panic(bad_cpu_alloc,
				"pa_port_cpu_id() returned CPU 3, not below the 2 CPUs");
		if (IS_ENABLED(CONFIG_PA_PCP)) /* a buddy free uses no CPU id */
			th_expect_panic(bad_cpu_free,
					"pa_port_cpu_id() returned CPU 3, not below the 2 CPUs");
	} else {
		bad_cpu_nodebug();
	}
	assert_int_equal(pa_host_set_cpu(0), 0);
}

/* The entries where an id comes in refuse a bad one, each with one line. */
static void test_cpu_ids_refused_where_they_enter(void **state)
{
	(void)state;
	th_reset();
	assert_int_equal(pa_nr_cpus(), 1);
	th_assert_error(pa_host_set_cpu(1), PA_EINVAL, "pa_host_set_cpu: CPU 1 is not below the 1");
	th_assert_error(pa_set_nr_cpus(0), PA_EINVAL, "pa_set_nr_cpus: 0 CPUs");
	th_assert_error(pa_set_nr_cpus(PA_NR_CPUS + 1), PA_EINVAL, "pa_set_nr_cpus");
	assert_int_equal(pa_set_nr_cpus(2), 0);
	assert_int_equal(pa_nr_cpus(), 2);
	assert_int_equal(pa_host_set_cpu(1), 0);
	th_assert_error(pa_host_set_cpu(PA_NR_CPUS), PA_EINVAL, "pa_host_set_cpu: CPU");
	th_assert_error(pa_host_set_cpu(1000), PA_EINVAL, "pa_host_set_cpu: CPU 1000");
	assert_int_equal(pa_port_cpu_id(), 1); /* unchanged by the refusals */
	assert_int_equal(pa_host_set_cpu(0), 0);
	assert_int_equal(pa_memblock_add(4 * GiB, MEM, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	th_assert_error(pa_cpu_online(2), PA_EINVAL, "pa_cpu_online: CPU 2 out of range");
	th_assert_error(pa_cpu_offline(PA_NR_CPUS), PA_EINVAL, "pa_cpu_offline: CPU");
	th_check();
}

#if defined(CONFIG_PA_PCP) && defined(CONFIG_PA_PCP_REMOTE_BARRIER)
/* Another context holds CPU 0's set of Normal (busy, as its owner would be) when CPU 0 allocates. */
static void shared_cpu_alloc(void)
{
	__atomic_store_n(&th_pa_zone(0, PA_ZONE_NORMAL)->pcp[0].busy, 1, __ATOMIC_RELAXED);
	pa_alloc_pages(PA_GFP_KERNEL, 0);
}
#endif

/*
 * Two threads as one CPU: with the per-CPU barrier lock there is no atomic
 * to part them, so CONFIG_PA_DEBUG_VM panics, saying why.
 */
static void test_two_threads_one_cpu(void **state)
{
	(void)state;
	machine_with_cpu(0);
#if defined(CONFIG_PA_PCP) && defined(CONFIG_PA_PCP_REMOTE_BARRIER)
	if (IS_ENABLED(CONFIG_PA_DEBUG_VM))
		th_expect_panic(shared_cpu_alloc, "per-CPU set of CPU 0 taken twice at once: two "
						  "threads or contexts run with this CPU id");
#endif
	th_check();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_beyond_count),
		cmocka_unit_test(test_cpu_ids_refused_where_they_enter),
		cmocka_unit_test(test_two_threads_one_cpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
