/* SPDX-License-Identifier: MIT */
/*
 * pa-bench: the benchmark program (host only, built from the same sources as
 * the library).  Each benchmark is one function in the table of main.c; it
 * sets up its own simulated machine, runs, and prints one or more lines
 *
 *     result NAME key=value ...
 *
 * A benchmark that cannot run prints "result NAME skipped=1 reason=WORDS"
 * (reason without spaces), never a number.
 */
#ifndef PA_BENCH_H
#define PA_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <mimalloc.h>
#include <pagealloc/pagealloc.h>

/* Who does the work: this allocator, or a peer for comparison. */
enum bench_backend {
	BE_PA,       /* pa_alloc_pages() / pa_free_pages() */
	BE_MIMALLOC, /* mi_malloc_aligned(size, size) / mi_free() */
	BE_GLIBC,    /* glibc's own aligned_alloc(size, size) / free() */
};

/* The library configuration a benchmark needs (see --list, tests/bench/run.sh). */
enum bench_build {
	BUILD_ANY,
	BUILD_PCP,   /* CONFIG_PA_PCP=y: pa-bench in build/bench */
	BUILD_NOPCP, /* CONFIG_PA_PCP=n: pa-bench in build/bench-nopcp */
};

struct bench;
typedef void (*bench_fn)(const struct bench *b, unsigned long n);

/**
 * struct bench - one entry of the benchmark table.
 * @name: what --list shows and the command line selects.
 * @desc: one line for --list.
 * @default_n: iterations when -n is not given (its meaning is the
 *             benchmark's: pairs, operations, cycles or runs).
 * @build: configuration it measures; elsewhere it prints a skipped line.
 * @fn: the benchmark, or NULL while it is not available yet.
 * @skip_reason: why @fn is NULL (one word, hyphens for spaces).
 * @be: backend for the benchmarks that run against peers too.
 * @order: allocation order for the pair benchmarks.
 */
struct bench {
	const char *name;
	const char *desc;
	unsigned long default_n;
	enum bench_build build;
	bench_fn fn;
	const char *skip_reason;
	enum bench_backend be;
	unsigned int order;
};

/* Command-line settings every benchmark may read. */
extern unsigned int bench_rounds; /* -r: timed rounds; the best is reported */

/* ------------------------------------------------------------ output */

/* Print "result NAME " followed by @fmt and a newline, then flush. */
void bench_result(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "result NAME skipped=1 reason=REASON". */
void bench_skip(const char *name, const char *reason);
/* Print a message to stderr and exit with status 1. */
_Noreturn void bench_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ------------------------------------------------------------ time */

uint64_t bench_now_ns(void);        /* CLOCK_MONOTONIC */
uint64_t bench_cpu_ns(void); /* CLOCK_PROCESS_CPUTIME_ID: every thread, pa_init()'s parallel parts too */

/* Sort @v[0..n) and return the smallest; *median gets the median. */
double bench_best(double *v, unsigned int n, double *median);

/* ------------------------------------------------------------ machines */

/* RAM starts where QEMU's arm64 virt machine puts it. */
#define BENCH_RAM_BASE 0x40000000ULL
#define BENCH_GiB (1ULL << 30)
#define BENCH_MiB (1ULL << 20)

/**
 * bench_machine - build and initialise a simulated machine.
 * @bytes: RAM from BENCH_RAM_BASE, one node.
 * @cpus: CPUs (pa_set_nr_cpus); capped at CONFIG_PA_NR_CPUS.
 * @dma32: set the DMA32 limit at 4 GiB (as an arm64 kernel does), so that
 *         RAM above it is ZONE_NORMAL and below it ZONE_DMA32.
 *
 * @cpu_ns: if not NULL, receives the CPU time pa_init() took (all threads).
 *
 * 8 MiB near the start of RAM are reserved as the kernel image.  The
 * allocator state of a previous machine is forgotten (pa_reset()) but its
 * simulated memory stays mapped until bench_teardown(), so building the
 * same machine again writes to memory the host has already faulted in.
 * Exits on failure.
 * Return: the wall-clock nanoseconds pa_init() took.
 */
uint64_t bench_machine(uint64_t bytes, unsigned int cpus, int dma32, uint64_t *cpu_ns);

/* The standard machine of the pair benchmarks: 5 GiB, 2 CPUs, DMA32 below
 * 4 GiB and 2 GiB of ZONE_NORMAL (the 5 GiB machine of docs/pa-sim.md). */
void bench_std_machine(void);

/* Forget the allocator state and unmap the simulated memory. */
void bench_teardown(void);

/* ------------------------------------------------------------ backends */

/* Resolve the peers (glibc's own aligned_alloc next to mimalloc's override). */
void bench_peers_init(void);
/* "pa", "mimalloc" or "glibc". */
const char *bench_backend_name(enum bench_backend be);
extern void *(*bench_glibc_aligned_alloc)(size_t align, size_t size);
extern void (*bench_glibc_free)(void *p);

#define BENCH_INLINE static inline __attribute__((always_inline))

/* Keep the compiler from eliding or merging an allocation. */
#define BENCH_ESCAPE(p) __asm__ __volatile__("" : : "r"(p) : "memory")

/*
 * Allocate / free one block of 2^@order pages.  Always inlined and called
 * with a constant @be, so each backend's loop calls its allocator directly.
 */
BENCH_INLINE void *bench_alloc(enum bench_backend be, pa_gfp_t gfp, unsigned int order)
{
	size_t size = PA_PAGE_SIZE << order;
	void *p;

	switch (be) {
	case BE_PA:
		p = pa_alloc_pages(gfp, order);
		break;
	case BE_MIMALLOC:
		p = mi_malloc_aligned(size, size);
		break;
	default:
		p = bench_glibc_aligned_alloc(size, size);
		break;
	}
	BENCH_ESCAPE(p);
	return p;
}

BENCH_INLINE void bench_free(enum bench_backend be, void *p, unsigned int order)
{
	switch (be) {
	case BE_PA:
		if (__builtin_expect(pa_free_pages(p, order) != 0, 0))
			bench_die("pa_free_pages failed");
		break;
	case BE_MIMALLOC:
		mi_free(p);
		break;
	default:
		bench_glibc_free(p);
		break;
	}
}

/* ------------------------------------------------------------ benchmarks */

void bench_pair(const struct bench *b, unsigned long n);
void bench_pair_warm(const struct bench *b, unsigned long n);
void bench_exhaust_free(const struct bench *b, unsigned long n);
void bench_mixed(const struct bench *b, unsigned long n);
void bench_fragmentation(const struct bench *b, unsigned long n);
void bench_highalloc(const struct bench *b, unsigned long n);
void bench_threads(const struct bench *b, unsigned long n);
void bench_threads_spin(const struct bench *b, unsigned long n);
void bench_init(const struct bench *b, unsigned long n);
void bench_bulk(const struct bench *b, unsigned long n);
void bench_refill_drain(const struct bench *b, unsigned long n);

#endif /* PA_BENCH_H */
