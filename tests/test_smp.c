// SPDX-License-Identifier: MIT
/*
 * SMP stress: N threads as N CPUs (N = 2, 4, 8) allocate and free blocks of
 * every order with every GFP class; half of the frees happen on another CPU
 * than the allocation (pages are handed over through per-thread inboxes).
 * The verifier runs during the run and after it; at the end every page is
 * back and free pages equal managed pages.  Then a double free racing
 * the owner's next allocation of the same page.  make check also runs
 * this under ThreadSanitizer.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pagealloc/port.h>
#include "harness.h"

#define OPS_PER_RUN 400000L /* per N: 1.2 million operations over N = 2, 4, 8 */
#define HELD_MAX 1024
#define INBOX_MAX 4096

struct block {
	struct pa_page *page;
	unsigned int order;
};

static struct worker {
	pthread_t thread;
	unsigned int cpu;
	unsigned int seed;
	long ops_to_do;
	long ops_done;
	long allocs, frees, remote_frees, fails, checks, migrations;
	int check_err;
	struct block held[HELD_MAX];
	int nheld;
	pthread_mutex_t inbox_lock;
	struct block inbox[INBOX_MAX];
	int ninbox;
} workers[8];
static int nworkers;

/* The worker this thread is (its CPU); NULL on the main thread. */
static __thread struct worker *self;

/*
 * The kernel's migration: a block this thread's worker holds moves (its
 * slot follows it); every other block is refused, as another thread owns
 * it.  Compaction thus runs beside the other CPUs' work and the verifier.
 */
int pa_port_migrate_page(struct pa_page *src, struct pa_page *dst, unsigned int order)
{
	if (!self)
		return -PA_EBUSY;
	for (int i = 0; i < self->nheld; i++) {
		if (self->held[i].page != src)
			continue;
		if (self->held[i].order != order)
			self->check_err = -2;
		self->held[i].page = dst;
		self->migrations++;
		return pa_free_pages(src, order);
	}
	return -PA_EBUSY;
}

static const pa_gfp_t classes[] = {
	PA_GFP_KERNEL,
	PA_GFP_ATOMIC,
	PA_GFP_NOWAIT,
	PA_GFP_HIGHUSER_MOVABLE,
	PA_GFP_KERNEL | PA__GFP_RECLAIMABLE,
	PA_GFP_USER | PA__GFP_MOVABLE,
	PA_GFP_KERNEL | PA__GFP_NORETRY,
};

/* Mostly small orders, as kernels allocate; every order up to MAX now and then. */
static unsigned int pick_order(unsigned int *seed)
{
	unsigned int r = (unsigned int)rand_r(seed) % 100;

	if (r < 60)
		return 0;
	if (r < 90)
		return 1 + (unsigned int)rand_r(seed) % PA_PAGE_ALLOC_COSTLY_ORDER;
	return (unsigned int)rand_r(seed) % (PA_MAX_PAGE_ORDER + 1);
}

/* Free everything another CPU handed to @w. */
static void drain_inbox(struct worker *w)
{
	struct block b[INBOX_MAX];
	int n;

	pthread_mutex_lock(&w->inbox_lock);
	n = w->ninbox;
	memcpy(b, w->inbox, (size_t)n * sizeof(b[0]));
	w->ninbox = 0;
	pthread_mutex_unlock(&w->inbox_lock);
	for (int i = 0; i < n; i++) {
		if (pa_free_pages(b[i].page, b[i].order))
			w->check_err = -1;
		w->remote_frees++;
	}
}

/* Free held block @i here, or hand it to the next CPU to free. */
static void release(struct worker *w, int i)
{
	struct block b = w->held[i];
	struct worker *to = &workers[(w - workers + 1) % nworkers];

	w->held[i] = w->held[--w->nheld];
	w->frees++;
	if (rand_r(&w->seed) % 2) {
		pthread_mutex_lock(&to->inbox_lock);
		if (to->ninbox < INBOX_MAX) {
			to->inbox[to->ninbox++] = b;
			b.page = NULL;
		}
		pthread_mutex_unlock(&to->inbox_lock);
	}
	if (b.page && pa_free_pages(b.page, b.order))
		w->check_err = -1;
}

static void one_op(struct worker *w)
{
	unsigned int r = (unsigned int)rand_r(&w->seed) % 1000;

	if (r < 2) {
		pa_drain_local_pages();
	} else if (r < 4 && w->cpu == 0) {
		int err = pa_check();

		w->checks++;
		if (err)
			w->check_err = err;
	} else if (r < 5 && w->cpu == 1 && IS_ENABLED(CONFIG_PA_COMPACTION)) {
		if (pa_compact_memory())
			w->check_err = -3;
	} else if (r < 520 && w->nheld < HELD_MAX) {
		pa_gfp_t gfp = classes[(unsigned int)rand_r(&w->seed) % (sizeof(classes) / sizeof(classes[0]))];
		unsigned int order = pick_order(&w->seed);
		struct pa_page *p = pa_alloc_pages(gfp | PA__GFP_NOWARN, order);

		w->allocs++;
		if (!p) {
			w->fails++;
			return;
		}
		w->held[w->nheld].page = p;
		w->held[w->nheld++].order = order;
	} else if (w->nheld) {
		release(w, (int)((unsigned int)rand_r(&w->seed) % (unsigned int)w->nheld));
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	pa_host_set_cpu(w->cpu);
	self = w;
	for (w->ops_done = 0; w->ops_done < w->ops_to_do; w->ops_done++) {
		one_op(w);
		if ((w->ops_done & 63) == 0)
			drain_inbox(w);
	}
	return NULL;
}

/* Two nodes of 65536 pages (one without NUMA), CPUs split between them. */
#define NODE_BYTES ((pa_phys_t)65536 << PA_PAGE_SHIFT)
static void machine(unsigned int cpus)
{
	assert_int_equal(pa_set_nr_cpus(cpus), 0);
#ifdef CONFIG_PA_NUMA
	assert_int_equal(pa_numa_set_cpus(1, cpus / 2, cpus - 1), 0);
	assert_int_equal(pa_memblock_add(16 * GiB, NODE_BYTES, 1), 0);
#endif
	assert_int_equal(pa_memblock_add(4 * GiB, NODE_BYTES, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
}

static unsigned long total(bool managed)
{
	unsigned long sum = 0;

	for (int nid = 0; nid < PA_MAX_NUMNODES; nid++)
		for (int z = 0; z < PA_MAX_NR_ZONES; z++) {
			struct pa_zone_counts c;

			if (pa_zone_get_counts(nid, (enum pa_zone_type)z, &c) == 0)
				sum += managed ? c.managed : c.free;
		}
	return sum;
}

static void run(unsigned int n)
{
	long ops = 0, remote = 0, allocs = 0, fails = 0, checks = 0, migrations = 0;

	th_reset();
	machine(n);
	nworkers = (int)n;
	for (unsigned int i = 0; i < n; i++) {
		struct worker *w = &workers[i];

		memset(w, 0, sizeof(*w));
		pthread_mutex_init(&w->inbox_lock, NULL);
		w->cpu = i;
		w->seed = 1234 + i * 7919 + n;
		w->ops_to_do = OPS_PER_RUN / n;
	}
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]), 0);
	for (unsigned int i = 0; i < n; i++)
		pthread_join(workers[i].thread, NULL);
	/* Everything still held or in flight goes back, from CPU 0. */
	pa_host_set_cpu(0);
	for (unsigned int i = 0; i < n; i++) {
		struct worker *w = &workers[i];

		if (w->check_err)
			fprintf(stderr, "  CPU %u: error %d, last log line: %s\n", w->cpu, w->check_err,
				th_last_log());
		assert_int_equal(w->check_err, 0);
		drain_inbox(w);
		while (w->nheld) {
			w->nheld--;
			assert_int_equal(pa_free_pages(w->held[w->nheld].page, w->held[w->nheld].order), 0);
		}
		ops += w->ops_done;
		remote += w->remote_frees;
		migrations += w->migrations;
		allocs += w->allocs;
		fails += w->fails;
		checks += w->checks;
	}
	th_check();
	pa_drain_all_pages();
	th_check();
	assert_int_equal(total(false), total(true)); /* every page came back */
	assert_int_equal(th_log_lines(), 0);
	assert_int_equal(pa_vm_event_count(PA_PGALLOC + PA_ZONE_NORMAL),
			 IS_ENABLED(CONFIG_PA_VM_EVENT_COUNTERS) ? pa_vm_event_count(PA_PGFREE) : 0);
	printf("  N=%u: %ld operations, %ld allocations (%ld failed), %ld freed on another CPU, "
	       "%ld verifier runs during the run, %ld blocks migrated\n",
	       n, ops, allocs, fails, remote, checks, migrations);
	if (IS_ENABLED(CONFIG_PA_COMPACTION))
		assert_true(migrations > 0);
	assert_true(ops >= OPS_PER_RUN - (long)n);
	/* Handed over and freed by another CPU (an inbox refuses when full, under load). */
	assert_true(remote > (allocs - fails) / 50);
	assert_true(checks > 0);
}

static void test_smp_2(void **state)
{
	(void)state;
	run(2);
}

static void test_smp_4(void **state)
{
	(void)state;
	run(PA_NR_CPUS >= 4 ? 4 : PA_NR_CPUS);
}

static void test_smp_8(void **state)
{
	(void)state;
	run(PA_NR_CPUS >= 8 ? 8 : PA_NR_CPUS);
}

/*
 * A refused free must not write the count it refuses.  Each round, CPU 0
 * (A) allocates page p, publishes it, frees it and at once allocates
 * again: its per-CPU list hands p back.  CPU 1 (B) frees p as soon as it
 * sees it, at the same moment.  Whichever way the two frees land, one
 * allocation gave one reference, so:
 *   B refused: A's new page has count 1, its own;
 *   B first, A refused: the same for A's new page;
 *   both succeeded: B freed A's new page (it was p again, a use after
 *   free that no allocator can tell from a free), which is free now.
 * A free count that a refused free took to -1 and added back to, after
 * A's allocation set it to 1, leaves 2: A's one free would then leave
 * the page allocated for ever.  At the end every page must be back.
 */
#define RACE_ROUNDS 100000L

static struct pa_page *race_page;     /* A's p for this round (release / acquire) */
static long race_round;               /* the round A published */
static long race_b_done;              /* the round B's free ended */
static int race_b_ret;                /* its result */
static unsigned long race_refusals;   /* log lines: one per refused free */
static unsigned long race_other;      /* any other line: there must be none */

static void race_log(int level, const char *line, void *ctx)
{
	(void)level, (void)ctx;
	if (strstr(line, "Bad page state in pa_free_pages:"))
		__atomic_add_fetch(&race_refusals, 1, __ATOMIC_RELAXED);
	else if (__atomic_add_fetch(&race_other, 1, __ATOMIC_RELAXED) == 1)
		fprintf(stderr, "unexpected log line: %s\n", line);
}

static void *race_b(void *arg)
{
	(void)arg;
	pa_host_set_cpu(1);
	for (long r = 1; r <= RACE_ROUNDS; r++) {
		struct pa_page *p;

		while (__atomic_load_n(&race_round, __ATOMIC_ACQUIRE) != r)
			;
		p = __atomic_load_n(&race_page, __ATOMIC_RELAXED);
		race_b_ret = pa_free_pages(p, 0);
		__atomic_store_n(&race_b_done, r, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* A's round @r; returns the count of refused frees seen in it. */
static int race_a_round(long r, unsigned int *seed, long *wrong)
{
	struct pa_page *p = pa_alloc_pages(PA_GFP_KERNEL, 0), *q;
	unsigned int delay = (unsigned int)rand_r(seed) % 64;
	int ra;

	assert_non_null(p);
	__atomic_store_n(&race_page, p, __ATOMIC_RELAXED);
	__atomic_store_n(&race_round, r, __ATOMIC_RELEASE);
	for (volatile unsigned int i = 0; i < delay; i++)
		;
	ra = pa_free_pages(p, 0);
	q = pa_alloc_pages(PA_GFP_KERNEL, 0);
	assert_non_null(q);
	while (__atomic_load_n(&race_b_done, __ATOMIC_ACQUIRE) != r)
		;
	assert_true(ra == 0 || ra == -PA_EINVAL);
	assert_true(race_b_ret == 0 || race_b_ret == -PA_EINVAL);
	assert_false(ra && race_b_ret); /* one free of an allocated page succeeds */
	if (ra == 0 && race_b_ret == 0) {
		assert_ptr_equal(q, p); /* B freed A's new allocation: nothing to free */
		return 0;
	}
	if (pa_page_count(q) != 1)
		(*wrong)++;
	assert_int_equal(pa_free_pages(q, 0), 0);
	return 1;
}

static void test_refused_free_races_allocation(void **state)
{
	unsigned int seed = 99;
	long refused = 0, wrong = 0;
	pthread_t b;

	(void)state;
	th_reset();
	machine(2);
	pa_host_set_log(race_log, NULL);
	race_round = race_b_done = 0;
	race_refusals = race_other = 0;
	pa_host_set_cpu(0);
	assert_int_equal(pthread_create(&b, NULL, race_b, NULL), 0);
	for (long r = 1; r <= RACE_ROUNDS; r++)
		refused += race_a_round(r, &seed, &wrong);
	pthread_join(b, NULL);
	th_reset_log();
	printf("  %ld rounds, %ld with a refused free, %ld pages with a count not their owner's\n",
	       RACE_ROUNDS, refused, wrong);
	assert_int_equal(wrong, 0);
	assert_int_equal(race_other, 0);
	assert_int_equal(race_refusals, (unsigned long)refused);
	pa_drain_all_pages();
	th_check();
	assert_int_equal(total(false), total(true)); /* every page came back */
}

/*
 * A shared order-3 block (its owner's reference and one pa_get_page()):
 * CPU 0 frees it with its order while CPU 1 drops the other reference
 * with pa_put_page(), at the same moment.  Whichever drop comes second
 * frees what is left: the owner's free gives back the tail halves at once
 * (Linux's __free_pages() of a non-compound block) and leaves the head as
 * an order-0 page, or frees the whole block when it drops last.  The
 * head's order must be 0 before the owner's drop is visible, or a put
 * that read order 3 first frees the tails a second time.  The verifier
 * runs every 1000 rounds; at the end every page is back, and nothing was
 * logged.
 */
#define SHARED_ROUNDS 200000L

static struct pa_page *shared_page;
static long shared_round, shared_done;
static int shared_put_ret;
static unsigned long shared_lines;

static void shared_log(int level, const char *line, void *ctx)
{
	(void)level, (void)ctx;
	if (__atomic_add_fetch(&shared_lines, 1, __ATOMIC_RELAXED) == 1)
		fprintf(stderr, "unexpected log line: %s\n", line);
}

static void *shared_putter(void *arg)
{
	(void)arg;
	pa_host_set_cpu(1);
	for (long r = 1; r <= SHARED_ROUNDS; r++) {
		while (__atomic_load_n(&shared_round, __ATOMIC_ACQUIRE) != r)
			;
		shared_put_ret = pa_put_page(__atomic_load_n(&shared_page, __ATOMIC_RELAXED));
		__atomic_store_n(&shared_done, r, __ATOMIC_RELEASE);
	}
	return NULL;
}

static void test_shared_block_free_races_put(void **state)
{
	unsigned int seed = 7;
	long checks_failed = 0;
	pthread_t b;

	(void)state;
	th_reset();
	machine(2);
	pa_host_set_log(shared_log, NULL);
	shared_round = shared_done = 0;
	shared_lines = 0;
	pa_host_set_cpu(0);
	assert_int_equal(pthread_create(&b, NULL, shared_putter, NULL), 0);
	for (long r = 1; r <= SHARED_ROUNDS; r++) {
		struct pa_page *p = pa_alloc_pages(PA_GFP_KERNEL, 3);
		unsigned int delay = (unsigned int)rand_r(&seed) % 32;

		assert_non_null(p);
		pa_get_page(p);
		__atomic_store_n(&shared_page, p, __ATOMIC_RELAXED);
		__atomic_store_n(&shared_round, r, __ATOMIC_RELEASE);
		for (volatile unsigned int i = 0; i < delay; i++)
			;
		assert_int_equal(pa_free_pages(p, 3), 0);
		while (__atomic_load_n(&shared_done, __ATOMIC_ACQUIRE) != r)
			;
		assert_int_equal(shared_put_ret, 0);
		if (r % 1000 == 0 && pa_check())
			checks_failed++;
	}
	pthread_join(b, NULL);
	th_reset_log();
	assert_int_equal(checks_failed, 0);
	assert_int_equal(shared_lines, 0);
	pa_drain_all_pages();
	th_check();
	assert_int_equal(total(false), total(true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused_free_races_allocation),
		cmocka_unit_test(test_shared_block_free_races_put),
		cmocka_unit_test(test_smp_2),
		cmocka_unit_test(test_smp_4),
		cmocka_unit_test(test_smp_8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
