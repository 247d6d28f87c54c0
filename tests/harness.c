// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

void th_reset(void)
{
	pa_reset();
	pa_host_release_memory();
	free(memmap_buf);
	memmap_buf = NULL;
	pa_host_set_log(capture, NULL);
	th_log_clear();
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
