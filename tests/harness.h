/* SPDX-License-Identifier: MIT */
/* Shared helpers for the cmocka suites. */
#ifndef PA_TEST_HARNESS_H
#define PA_TEST_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pagealloc/pagealloc.h>
#include <pagealloc/host.h>

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)
/* Pages in @bytes of memory. */
#define PAGES(bytes) ((unsigned long)((bytes) >> PA_PAGE_SHIFT))

/* Forget all allocator state and simulated memory; clear the log capture. */
void th_reset(void);
/* The suites' set-up (cmocka): th_reset(), this thread as CPU 0. */
int th_setup(void **state);
/*
 * th_setup() for exact buddy accounting on tiny machines: per-CPU sets
 * off (Linux's zone_pcp_disable()) and grouping by mobility on, which
 * Linux turns off there.
 */
int th_setup_exact(void **state);
/* Lines logged since the last th_reset()/th_log_clear(), and the last one. */
unsigned long th_log_lines(void);
const char *th_last_log(void);
void th_log_clear(void);
/* Write buddyinfo / zoneinfo into @buf (NUL-terminated). */
void th_buddyinfo(char *buf, size_t size);
void th_zoneinfo(char *buf, size_t size);
/* The output of one of the pa_print_*() writers. */
void th_text(int (*writer)(pa_print_fn, void *), char *buf, size_t size);
/* Assert the verifier passes. */
/*
 * For tests of the buddy core that set up exact free counts on tiny
 * machines: __GFP_MEMALLOC ignores the watermarks, __GFP_NOWARN keeps the
 * expected failure at exhaustion out of the log, and __GFP_MOVABLE matches
 * the type free pageblocks start with, so no block changes type.
 */
#define TH_GFP_ANY (PA_GFP_KERNEL | PA__GFP_MOVABLE | PA__GFP_MEMALLOC | PA__GFP_NOWARN)

#define th_check() assert_int_equal(pa_check(), 0)
/* Counts of one zone (asserts success). */
struct pa_zone_counts th_zone(int nid, enum pa_zone_type z);
/* An external memmap buffer big enough for the memory added so far. */
void th_external_memmap(void);
/* A failed call: returns @ret == @err, exactly one log line, which contains @needle. */
void th_assert_error(int ret, int err, const char *needle);
/* The log captured again (after a test's own pa_host_set_log() sink), and cleared. */
void th_reset_log(void);
/*
 * Run @fn in a child process, which must stop in pa_port_panic() (the host
 * port aborts) with @needle in its message.
 */
void th_expect_panic(void (*fn)(void), const char *needle);

#endif
