/* SPDX-License-Identifier: MIT */
/*
 * pa-sim: build a simulated machine from a machine description and run the
 * allocator on it (host only).
 */
#ifndef PA_SIM_H
#define PA_SIM_H

#include <stddef.h>

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

/** pa_sim_init_ms - milliseconds pa_init() took in the last pa_sim_load(). */
double pa_sim_init_ms(void);

/**
 * pa_sim_init_cpu_ms - user-mode CPU milliseconds of that pa_init(): the
 * allocator's own work, without the host kernel's time to fault in the
 * simulated memory the metadata is written to (RAM on real hardware).
 */
double pa_sim_init_cpu_ms(void);

#endif /* PA_SIM_H */
