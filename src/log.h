/* SPDX-License-Identifier: MIT */
/*
 * The log formatter and the bad-input idiom (log.c), and the buffered
 * output of the /proc-style writers.
 */
#ifndef PA_LOG_H
#define PA_LOG_H

#include <stdarg.h>
#include <pagealloc/pagealloc.h>
#include "compiler.h"

int pa_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* One log line through pa_port_log(); truncated to 255 characters. */
void pa_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define pa_err(...) pa_log(PA_LOG_ERR, __VA_ARGS__)
#define pa_warn(...) pa_log(PA_LOG_WARNING, __VA_ARGS__)
#define pa_info(...) pa_log(PA_LOG_INFO, __VA_ARGS__)
/* Log "func: message" and return -err: the bad-input idiom. */
int pa_fail(int err, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define PA_FAIL(err, ...) pa_fail((err), __func__, __VA_ARGS__)

/* Buffered output for the /proc-style writers. */
struct pa_printer {
	pa_print_fn fn;
	void *ctx;
	size_t len;
	char buf[256];
};
void pa_pr_init(struct pa_printer *p, pa_print_fn fn, void *ctx);
void pa_pr(struct pa_printer *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pa_pr_flush(struct pa_printer *p);
/* A writer's argument check: 0, or the logged error (before pa_init(), NULL @fn). */
int pa_writer_check(pa_print_fn fn, const char *func);

#endif /* PA_LOG_H */
