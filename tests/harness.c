// SPDX-License-Identifier: MIT
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "harness.h"

static char last[512];
static unsigned long lines;
static void *memmap_buf;

static void capture(int level, const char *line, void *ctx)
{
	(void)level;
	(void)ctx;
	snprintf(last, sizeof(last), "%s", line);
	lines++;
	if (getenv("PA_TEST_VERBOSE"))
		fprintf(stderr, "  log: %s\n", line);
}

void th_log_clear(void)
{
	lines = 0;
	last[0] = '\0';
}

unsigned long th_log_lines(void)
{
	return lines;
}

const char *th_last_log(void)
{
	return last;
}

void th_reset_log(void)
{
	pa_host_set_log(capture, NULL);
	th_log_clear();
}

void th_reset(void)
{
	pa_reset();
	pa_host_release_memory();
	free(memmap_buf);
	memmap_buf = NULL;
	th_reset_log();
}

int th_setup(void **state)
{
	(void)state;
	th_reset();
	pa_host_set_cpu(0);
	return 0;
}

int th_setup_exact(void **state)
{
	th_setup(state);
	pa_pcp_set_enabled(false);
	pa_set_mobility_grouping(1);
	return 0;
}

void th_expect_panic(void (*fn)(void), const char *needle)
{
	char out[1024];
	size_t len = 0;
	ssize_t n;
	int fds[2], status;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		signal(SIGABRT, SIG_DFL);
		fn();
		_exit(0);
	}
	close(fds[1]);
	while (len < sizeof(out) - 1 && (n = read(fds[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
		fail_msg("no panic (wait status %#x), printed '%s'", status, out);
	if (!strstr(out, needle))
		fail_msg("the panic '%s' does not mention '%s'", out, needle);
}

struct strbuf {
	char *buf;
	size_t size, len;
};

static void to_buf(void *ctx, const char *s, size_t len)
{
	struct strbuf *b = ctx;

	if (b->len + len >= b->size)
		len = b->size - b->len - 1;
	memcpy(b->buf + b->len, s, len);
	b->len += len;
	b->buf[b->len] = '\0';
}

void th_buddyinfo(char *buf, size_t size)
{
	struct strbuf b = { buf, size, 0 };

	buf[0] = '\0';
	assert_int_equal(pa_print_buddyinfo(to_buf, &b), 0);
}

void th_zoneinfo(char *buf, size_t size)
{
	struct strbuf b = { buf, size, 0 };

	buf[0] = '\0';
	assert_int_equal(pa_print_zoneinfo(to_buf, &b), 0);
}

void th_text(int (*writer)(pa_print_fn, void *), char *buf, size_t size)
{
	struct strbuf b = { buf, size, 0 };

	buf[0] = '\0';
	assert_int_equal(writer(to_buf, &b), 0);
}

struct pa_zone_counts th_zone(int nid, enum pa_zone_type z)
{
	struct pa_zone_counts c;

	assert_int_equal(pa_zone_get_counts(nid, z, &c), 0);
	return c;
}

void th_external_memmap(void)
{
	size_t size = pa_memmap_size();

	memmap_buf = aligned_alloc(64, (size + 63) & ~(size_t)63);
	assert_non_null(memmap_buf);
	assert_int_equal(pa_set_memmap(memmap_buf, size), 0);
}

void th_assert_error(int ret, int err, const char *needle)
{
	assert_int_equal(ret, -err);
	assert_int_equal(th_log_lines(), 1);
	if (!strstr(th_last_log(), needle))
		fail_msg("log line '%s' does not mention '%s'", th_last_log(), needle);
	th_log_clear();
}
