// SPDX-License-Identifier: MIT
/*
 * The workload benchmarks: alloc+free pairs, exhaust-and-free, the mixed
 * working set and the two-thread pairs.  Each runs against this allocator
 * (BE_PA, on a simulated machine) or a peer (mimalloc, glibc) doing the
 * same calls; the loop of each backend is a separate copy calling its
 * allocator directly (bench_alloc/bench_free are always inlined with a
 * constant backend), so the peers pay no dispatch the allocator does not.
 *
 * Every set-up cost is fixed, independent of the iteration count, so
 * whole-program instruction counts at two counts subtract to the cost of
 * the loop alone (tests/bench/instr.sh).
 */
#include <pthread.h>
#include <stdlib.h>
#include <pagealloc/host.h>
#include "bench.h"

#define MAX_ROUNDS 100
#define WARMUP_PAIRS 1000

/* ------------------------------------------------------------ pairs */

BENCH_INLINE void pair_loop(enum bench_backend be, unsigned int order, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		void *p = bench_alloc(be, PA_GFP_KERNEL, order);

		if (__builtin_expect(!p, 0))
			bench_die("%s: order-%u allocation failed", bench_backend_name(be), order);
		bench_free(be, p, order);
	}
}

static __attribute__((noinline)) void pair_run(enum bench_backend be, unsigned int order,
					       unsigned long n)
{
	switch (be) {
	case BE_PA:
		pair_loop(BE_PA, order, n);
		break;
	case BE_MIMALLOC:
		pair_loop(BE_MIMALLOC, order, n);
		break;
	default:
		pair_loop(BE_GLIBC, order, n);
		break;
	}
}

/* Steady state: a warm-up, then bench_rounds timed runs of @n pairs. */
static void pair_measure(const struct bench *b, unsigned long n)
{
	double ns[MAX_ROUNDS], best, median;

	pair_run(b->be, b->order, WARMUP_PAIRS);
	for (unsigned int r = 0; r < bench_rounds; r++) {
		uint64_t t0 = bench_now_ns();

		pair_run(b->be, b->order, n);
		ns[r] = (double)(bench_now_ns() - t0) / (double)n;
	}
	best = bench_best(ns, bench_rounds, &median);
	bench_result(b->name, "ns_per_op=%.2f ns_median=%.2f order=%u ops=%lu rounds=%u", best, median,
		     b->order, n, bench_rounds);
}

/*
 * On the standard machine, fresh: without per-CPU lists each order-0 pair
 * splits a max-order block and merges it back.
 */
void bench_pair(const struct bench *b, unsigned long n)
{
	if (b->be == BE_PA)
		bench_std_machine();
	pair_measure(b, n);
}

/*
 * As on a machine that has run for a while, the order-0 free list of the
 * request's type holds a page whose buddy is in use: hold one page of a
 * buddy pair and free the other, so each pair takes that page from the
 * order-0 list and returns it there, with no split and no merge.
 */
void bench_pair_warm(const struct bench *b, unsigned long n)
{
	struct pa_page *p, *held;

	bench_std_machine();
	p = pa_alloc_pages(PA_GFP_KERNEL, 0);
	held = pa_alloc_pages(PA_GFP_KERNEL, 0);
	if (!p || !held || (pa_page_to_pfn(p) ^ 1) != pa_page_to_pfn(held))
		bench_die("%s: the first two pages are not buddies", b->name);
	pa_free_pages(p, 0);
	pair_measure(b, n);
	pa_free_pages(held, 0);
}

/* ------------------------------------------------------------ exhaust */

#define EXHAUST_BYTES BENCH_GiB
/* Opportunistic: fail at once rather than reclaim, and say nothing. */
#define EXHAUST_GFP (PA_GFP_KERNEL | PA__GFP_NOWARN | PA__GFP_NORETRY)

BENCH_INLINE unsigned long exhaust_alloc(enum bench_backend be, void **v, unsigned long cap)
{
	unsigned long i;

	for (i = 0; i < cap; i++) {
		v[i] = bench_alloc(be, EXHAUST_GFP, 0);
		if (!v[i])
			break;
	}
	return i;
}

BENCH_INLINE void exhaust_free(enum bench_backend be, void **v, unsigned long count)
{
	for (unsigned long i = 0; i < count; i++)
		bench_free(be, v[i], 0);
}

static __attribute__((noinline)) unsigned long exhaust_run(enum bench_backend be, void **v,
							   unsigned long cap, uint64_t *alloc_ns)
{
	uint64_t t0 = bench_now_ns();
	unsigned long count;

	switch (be) {
	case BE_PA:
		count = exhaust_alloc(BE_PA, v, cap);
		*alloc_ns = bench_now_ns() - t0;
		exhaust_free(BE_PA, v, count);
		break;
	case BE_MIMALLOC:
		count = exhaust_alloc(BE_MIMALLOC, v, cap);
		*alloc_ns = bench_now_ns() - t0;
		exhaust_free(BE_MIMALLOC, v, count);
		break;
	default:
		count = exhaust_alloc(BE_GLIBC, v, cap);
		*alloc_ns = bench_now_ns() - t0;
		exhaust_free(BE_GLIBC, v, count);
		break;
	}
	return count;
}

/*
 * @n cycles of: allocate order-0 pages until the allocator says no, free
 * them all in the same order.  The allocator works on a 1 GiB machine; a
 * peer allocates as many pages as 1 GiB holds (it would never say no).
 */
void bench_exhaust_free(const struct bench *b, unsigned long n)
{
	unsigned long cap = EXHAUST_BYTES / PA_PAGE_SIZE, pages = 0, free0 = 0, ops = 0;
	double pair[MAX_ROUNDS], alloc[MAX_ROUNDS], fr[MAX_ROUNDS], best, median;
	void **v = malloc(cap * sizeof(*v));
	unsigned int cycles = n > MAX_ROUNDS ? MAX_ROUNDS : (unsigned int)n;

	if (!v)
		bench_die("out of memory");
	if (b->be == BE_PA) {
		bench_teardown();
		bench_machine(EXHAUST_BYTES, 2, 0, NULL);
		free0 = pa_nr_free_pages();
	}
	for (unsigned int c = 0; c < cycles; c++) {
		uint64_t alloc_ns, t0 = bench_now_ns(), total;
		unsigned long count = exhaust_run(b->be, v, cap, &alloc_ns);

		total = bench_now_ns() - t0;
		/*
		 * The cycles allocate about as many pages, not exactly: the last
		 * per-CPU refill before the zone runs dry takes up to batch << 5
		 * pages the watermark then keeps from use, and where it lands
		 * moves once the first cycle has changed pageblock types.
		 */
		if (!count || (c && (count > pages + pages / 50 || count < pages - pages / 50)))
			bench_die("%s: cycle %u allocated %lu pages, the one before %lu", b->name, c, count,
				  pages);
		/*
		 * Untimed, as a kernel would between two such bursts: the per-CPU
		 * sets give back what they kept, kswapd (woken by the exhaustion)
		 * runs once, clearing the watermark boost that the fallbacks of
		 * the burst raised, and the periodic work brings the set's high
		 * back to high_min.
		 */
		if (b->be == BE_PA) {
			pa_drain_all_pages();
			pa_kswapd_balance(0);
			while (pa_vmstat_update() == 1)
				;
		}
		if (b->be == BE_PA && pa_nr_free_pages() != free0)
			bench_die("%s: %lu pages free after the cycle, %lu before", b->name,
				  pa_nr_free_pages(), free0);
		pages = count;
		ops += count;
		pair[c] = (double)total / (double)count;
		alloc[c] = (double)alloc_ns / (double)count;
		fr[c] = (double)(total - alloc_ns) / (double)count;
	}
	free(v);
	best = bench_best(pair, cycles, &median);
	bench_result(b->name,
		     "ns_per_op=%.2f ns_median=%.2f alloc_ns=%.2f free_ns=%.2f pages=%lu ops=%lu cycles=%u",
		     best, median, bench_best(alloc, cycles, NULL), bench_best(fr, cycles, NULL), pages,
		     ops, cycles);
}

/* ------------------------------------------------------------ mixed */

/*
 * A kernel-like mix: a working set of MIXED_SLOTS blocks; each operation
 * frees one block chosen at random and allocates a new one in its place.
 * Orders: 0 76%, 1 8%, 2 6%, 3 7% (slab and page-table refills), 4 2%,
 * 9 1% (transparent huge pages, always movable).  GFP classes of the
 * others: GFP_KERNEL 40%, GFP_HIGHUSER_MOVABLE 40%, reclaimable 10%,
 * GFP_ATOMIC 7%, GFP_DMA32 3%.  The sequence is generated once with a fixed
 * seed (MIXED_OPS entries, replayed cyclically), so every backend does
 * exactly the same calls and generating it costs nothing per operation.
 */
#define MIXED_SLOTS 4096
#define MIXED_OPS 65536

struct mixed_op {
	uint16_t slot;
	uint8_t order;
	uint8_t cls;
};

static const pa_gfp_t mixed_gfp[] = {
	PA_GFP_KERNEL,
	PA_GFP_HIGHUSER_MOVABLE,
	PA_GFP_KERNEL | PA__GFP_RECLAIMABLE,
	PA_GFP_ATOMIC,
	PA_GFP_KERNEL | PA__GFP_DMA32,
};

struct mixed {
	struct mixed_op ops[MIXED_OPS];
	void *block[MIXED_SLOTS];
	uint8_t order[MIXED_SLOTS];
	unsigned long next;
};

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void mixed_generate(struct mixed *m)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL;

	for (unsigned int i = 0; i < MIXED_OPS; i++) {
		unsigned int o = (unsigned int)(xorshift(&seed) % 100);
		unsigned int c = (unsigned int)(xorshift(&seed) % 100);
		struct mixed_op *op = &m->ops[i];

		op->slot = (uint16_t)(xorshift(&seed) % MIXED_SLOTS);
		op->order = o < 76 ? 0 : o < 84 ? 1 : o < 90 ? 2 : o < 97 ? 3 : o < 99 ? 4 : 9;
		op->cls = op->order == 9 ? 1 : c < 40 ? 0 : c < 80 ? 1 : c < 90 ? 2 : c < 97 ? 3 : 4;
	}
}

BENCH_INLINE void mixed_loop(enum bench_backend be, struct mixed *m, unsigned long n)
{
	unsigned long k = m->next;

	for (unsigned long i = 0; i < n; i++, k++) {
		const struct mixed_op *op = &m->ops[k % MIXED_OPS];
		void *p;

		bench_free(be, m->block[op->slot], m->order[op->slot]);
		p = bench_alloc(be, mixed_gfp[op->cls], op->order);
		if (__builtin_expect(!p, 0))
			bench_die("mixed: order-%u allocation failed", op->order);
		m->block[op->slot] = p;
		m->order[op->slot] = op->order;
	}
	m->next = k;
}

static __attribute__((noinline)) void mixed_run(enum bench_backend be, struct mixed *m,
						unsigned long n)
{
	switch (be) {
	case BE_PA:
		mixed_loop(BE_PA, m, n);
		break;
	case BE_MIMALLOC:
		mixed_loop(BE_MIMALLOC, m, n);
		break;
	default:
		mixed_loop(BE_GLIBC, m, n);
		break;
	}
}

void bench_mixed(const struct bench *b, unsigned long n)
{
	struct mixed *m = calloc(1, sizeof(*m));
	double ns[MAX_ROUNDS], best, median;

	if (!m)
		bench_die("out of memory");
	if (b->be == BE_PA)
		bench_std_machine();
	mixed_generate(m);
	for (unsigned int s = 0; s < MIXED_SLOTS; s++) { /* fill the working set */
		m->block[s] = bench_alloc(b->be, PA_GFP_KERNEL, 0);
		if (!m->block[s])
			bench_die("mixed: cannot fill the working set");
	}
	mixed_run(b->be, m, MIXED_OPS); /* warm up: reach the mix's steady state */
	for (unsigned int r = 0; r < bench_rounds; r++) {
		uint64_t t0 = bench_now_ns();

		mixed_run(b->be, m, n);
		ns[r] = (double)(bench_now_ns() - t0) / (double)n;
	}
	for (unsigned int s = 0; s < MIXED_SLOTS; s++)
		bench_free(b->be, m->block[s], m->order[s]);
	free(m);
	best = bench_best(ns, bench_rounds, &median);
	bench_result(b->name, "ns_per_op=%.2f ns_median=%.2f ops=%lu rounds=%u slots=%u", best, median,
		     n, bench_rounds, MIXED_SLOTS);
}

/* ------------------------------------------------------------ threads */

#define MAX_THREADS 2

struct worker {
	pthread_t tid;
	unsigned int cpu;
	int spin; /* calibration: arithmetic instead of pairs */
	enum bench_backend be;
	unsigned long n;
	pthread_barrier_t *start;
	uint64_t t0, t1;
};

/* About as long as a pair (64 dependent additions) and touching no memory. */
static __attribute__((noinline)) void spin_run(unsigned long n)
{
	unsigned long x = 0;

	for (unsigned long i = 0; i < n * 64; i++) {
		x += i;
		__asm__ __volatile__("" : "+r"(x));
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	pa_host_set_cpu(w->cpu);
	if (w->spin)
		spin_run(WARMUP_PAIRS);
	else
		pair_run(w->be, 0, WARMUP_PAIRS);
	pthread_barrier_wait(w->start);
	w->t0 = bench_now_ns();
	if (w->spin)
		spin_run(w->n);
	else
		pair_run(w->be, 0, w->n);
	w->t1 = bench_now_ns();
	return NULL;
}

/* @nthreads threads, thread i on CPU i, each @n pairs: wall ns from first start to last end. */
static uint64_t threads_phase(enum bench_backend be, int spin, unsigned int nthreads, unsigned long n)
{
	struct worker w[MAX_THREADS];
	pthread_barrier_t start;
	uint64_t t0 = UINT64_MAX, t1 = 0;

	pthread_barrier_init(&start, NULL, nthreads);
	for (unsigned int i = 0; i < nthreads; i++) {
		w[i] = (struct worker){ .cpu = i, .spin = spin, .be = be, .n = n, .start = &start };
		if (pthread_create(&w[i].tid, NULL, worker_main, &w[i]))
			bench_die("pthread_create failed");
	}
	for (unsigned int i = 0; i < nthreads; i++) {
		pthread_join(w[i].tid, NULL);
		t0 = w[i].t0 < t0 ? w[i].t0 : t0;
		t1 = w[i].t1 > t1 ? w[i].t1 : t1;
	}
	pthread_barrier_destroy(&start);
	return t1 - t0;
}

/*
 * Order-0 pairs on one thread, then on two at once (CPUs 0 and 1), each
 * thread doing @n pairs (or the calibration loop).  speedup is the two-thread throughput over the
 * one-thread throughput (2.0 is perfect scaling on two cores).
 */
static void threads(const struct bench *b, int spin, unsigned long n)
{
	double one[MAX_ROUNDS], two[MAX_ROUNDS], best1, best2;

	if (b->be == BE_PA && !spin) {
		if (PA_NR_CPUS < 2) {
			bench_skip(b->name, "needs-CONFIG_PA_NR_CPUS-2-or-more");
			return;
		}
		bench_std_machine();
	}
	for (unsigned int r = 0; r < bench_rounds; r++) {
		one[r] = (double)threads_phase(b->be, spin, 1, n) / (double)n;
		two[r] = (double)threads_phase(b->be, spin, 2, n) / (double)(2 * n);
	}
	best1 = bench_best(one, bench_rounds, NULL);
	best2 = bench_best(two, bench_rounds, NULL);
	bench_result(b->name, "speedup=%.2f ns_per_op_1t=%.2f ns_per_op_2t=%.2f threads=2 ops=%lu rounds=%u",
		     best1 / best2, best1, best2, n, bench_rounds);
}

void bench_threads(const struct bench *b, unsigned long n)
{
	threads(b, 0, n);
}

/*
 * The same two phases with an arithmetic loop that shares nothing: the
 * speedup this machine gives two threads at all (on a busy or
 * oversubscribed virtual machine it is below 2, and no allocator can do
 * better than it).
 */
void bench_threads_spin(const struct bench *b, unsigned long n)
{
	threads(b, 1, n);
}
