/* SPDX-License-Identifier: MIT */
/*
 * Extras of the hosted port (arch/host): CPU identity per thread, log
 * capture for tests, and the simulated physical memory.  Not part of the
 * freestanding library.
 */
#ifndef PAGEALLOC_HOST_H
#define PAGEALLOC_HOST_H

#include <pagealloc/types.h>

/**
 * pa_host_set_cpu - make the calling thread CPU @cpu.
 * @cpu: the id pa_port_cpu_id() returns on this thread from now on:
 *       below pa_nr_cpus(), so call pa_set_nr_cpus() first.
 *
 * Threads start as CPU 0.  Two threads that use the allocator at the same
 * time must be different CPUs, as two CPUs are: with
 * CONFIG_PA_PCP_REMOTE_BARRIER a CPU's own per-CPU set has no atomic to
 * serialise two users of it (CONFIG_PA_DEBUG_VM panics when it sees two).
 * Context: any thread.
 * Return: 0; -PA_EINVAL (one log line, the thread's id unchanged) for an
 * id at or above pa_nr_cpus().
 */
int pa_host_set_cpu(unsigned int cpu);

/**
 * pa_host_set_parallel - run pa_port_parallel()'s parts on threads, or not.
 * @on: true (the default): each part but the first on a thread of its
 *	own; false: all of them in turn on the calling thread, as a port
 *	without threads would (to compare the two on one machine).
 * Context: any thread, before pa_init().
 */
void pa_host_set_parallel(bool on);

/**
 * typedef pa_host_log_fn - receives each log line instead of stderr.
 * @level: PA_LOG_* level.
 * @line: the line, no newline.
 * @ctx: the pointer given to pa_host_set_log().
 */
typedef void (*pa_host_log_fn)(int level, const char *line, void *ctx);

/**
 * pa_host_set_log - redirect the allocator's log.
 * @fn: the sink, or NULL to print to stderr again.
 * @ctx: passed to @fn.
 */
void pa_host_set_log(pa_host_log_fn fn, void *ctx);

/**
 * pa_host_log_count - lines logged since start (any sink).
 * Return: the count.
 */
unsigned long pa_host_log_count(void);

/**
 * pa_host_release_memory - unmap all simulated physical memory.
 *
 * Call after pa_reset() when building another machine in the same
 * process.
 */
void pa_host_release_memory(void);

/**
 * pa_host_mapped_bytes - simulated physical memory reserved on the host.
 * Return: bytes of address space mapped (touched or not).
 */
size_t pa_host_mapped_bytes(void);

#endif /* PAGEALLOC_HOST_H */
