/* SPDX-License-Identifier: MIT */
/*
 * pa-sim: build a simulated machine from a machine description and run the
 * allocator on it (host only).
 */
#ifndef PA_SIM_H
#define PA_SIM_H

#include <stddef.h>
#include <pagealloc/pagealloc.h>

/**
 * pa_sim_load - parse a machine description and initialise the allocator.
 * @path: the file to read.
 * @err: receives "file:line: what is wrong" on failure.
 * @errlen: size of @err.
 *
 * Applies each directive through the public API as it is read, then
 * calls pa_init() and finally applies the sysctl lines in order.  The
 * caller must pa_reset() (and pa_host_release_memory()) before loading
 * another machine.
 * Return: 0, or 2 (the exit status for a bad description) with @err set.
 */
int pa_sim_load(const char *path, char *err, size_t errlen);

/**
 * pa_sim_parse_size - parse "0x1000", "4096", "512M", "2G" (K/M/G/T suffixes).
 * @s: the token.
 * @out: the value in bytes.
 * Return: 0, or -1 if @s is not a size or overflows.
 */
int pa_sim_parse_size(const char *s, unsigned long long *out);

/*
 * Split @line at blanks into @tok (PA_SIM_MAX_TOKENS slots, the last NULL):
 * the machine description's and the trace's one tokenizer.
 * Return: the count, or -1 for too many words.
 */
#define PA_SIM_MAX_TOKENS 80
int pa_sim_tokenize(char *line, char **tok);

/** pa_sim_init_ms - milliseconds pa_init() took in the last pa_sim_load(). */
double pa_sim_init_ms(void);

/**
 * pa_sim_init_cpu_ms - user-mode CPU milliseconds of that pa_init(): the
 * allocator's own work, without the host kernel's time to fault in the
 * simulated memory the metadata is written to (RAM on real hardware).
 */
double pa_sim_init_cpu_ms(void);

/** pa_sim_nr_cpus - the CPU count of the machine last loaded (1 without a cpus line). */
unsigned int pa_sim_nr_cpus(void);

/**
 * struct pa_sim_stats - what a workload or a trace did: the summary line.
 * @ops: allocator calls (allocations tried, frees, gets, puts, drains,
 *       sysctl changes).
 * @allocs: allocations that returned pages.
 * @fails: allocations that returned NULL.
 * @frees: blocks given back (pa_free_pages(), a last pa_put_page()).
 * @held: pages the run still holds at its end.
 */
struct pa_sim_stats {
	unsigned long ops, allocs, fails, frees, held;
};

/**
 * pa_sim_workload - run a built-in workload on the loaded machine.
 * @spec: "NAME" or "NAME:KEY=VALUE,..." (see pa_sim_workload_help()).
 * @err: receives what is wrong with @spec.
 * @errlen: size of @err.
 *
 * Prints the summary line "workload NAME ops=... allocs=... fails=...
 * frees=... held=... ..." on stdout.  Deterministic: a fixed default seed,
 * one thread, the CPU of each operation set through pa_host_set_cpu().
 * Return: 0, or 2 with @err set (unknown workload or parameter).
 */
int pa_sim_workload(const char *spec, char *err, size_t errlen);

/** pa_sim_workload_help - print the workloads and their parameters to @f. */
void pa_sim_workload_help(void *f);

/**
 * pa_sim_replay - replay a trace file (format: <pagealloc/trace.h>).
 * @path: the file.
 * @err: receives "file:line: what is wrong".
 * @errlen: size of @err.
 *
 * Prints "trace FILE ops=... allocs=... fails=... frees=... held=...".
 * An allocation that fails is counted, not an error.
 * Return: 0, or 2 with @err set.
 */
int pa_sim_replay(const char *path, char *err, size_t errlen);

/* ------------------------------------------------------------ plots (plot.c) */

/** pa_sim_plot_start - sample from now on for a plot written to @png. */
void pa_sim_plot_start(const char *png);

/*
 * Migration (migrate.c): the page cache's pages (cache.c) and the blocks
 * a workload registered can move; priv tags them.
 */
enum { PA_SIM_MOVE_CACHE = 1, PA_SIM_MOVE_HELD = 2 };
uintptr_t pa_sim_migrate_tag(unsigned int kind, unsigned long slot);
/* Register the block *@slot points to as movable: a move updates *@slot. */
void pa_sim_hold(struct pa_page **slot);
/* Forget every registration (the workload frees its blocks). */
void pa_sim_hold_reset(void);
/* false: the hook says -PA_EOPNOTSUPP, a kernel that does not migrate. */
void pa_sim_migrate_enable(bool on);
unsigned long pa_sim_migrated_pages(void);
/* The cache's side of a move of its page @src in @slot to @dst: 0 or -errno. */
int pa_sim_cache_move(unsigned long slot, struct pa_page *src, struct pa_page *dst);

/** pa_sim_tick - one operation done: take a sample when one is due. */
void pa_sim_tick(void);

/**
 * pa_sim_tick_span - like pa_sim_tick(), for a step drawn @n operations
 * wide (an idle second of the burst workload), always sampled after.
 * @n: its width, at least 1.
 */
void pa_sim_tick_span(unsigned long n);

/**
 * pa_sim_plot_finish - write the samples and a gnuplot script to a
 * temporary directory and run gnuplot on them.
 * @title: the plot's title (the workload or trace).
 * @err: receives what went wrong.
 * @errlen: size of @err.
 * Return: 0, or 2 with @err set (no gnuplot, gnuplot failed, no samples).
 */
int pa_sim_plot_finish(const char *title, char *err, size_t errlen);

/* ------------------------------------------------------------ the fake page cache (cache.c) */

/* The reclaim hooks' page cache: add one order-0 page (the oldest is reclaimed first). */
void pa_sim_cache_add(struct pa_page *page);
/* Pages in the cache now. */
unsigned long pa_sim_cache_pages(void);
/* Run kswapd on each node it was woken for since the last call; returns the runs. */
unsigned long pa_sim_run_kswapd(void);

/* Reclaim counters for the pressure workload's summary. */
struct pa_sim_reclaim_stats {
	unsigned long kswapd_runs, kswapd_reclaimed, direct_calls, direct_reclaimed;
};
void pa_sim_reclaim_stats(struct pa_sim_reclaim_stats *out);

#endif /* PA_SIM_H */
