// SPDX-License-Identifier: MIT
/*
 * The machine description reader of pa-sim (the format: docs/pa-sim.md).
 * Each line is one directive; '#' starts a comment; numbers are decimal or
 * 0x-hex and sizes take K/M/G/T suffixes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <pagealloc/pagealloc.h>
#include <pagealloc/host.h>
#include "sim.h"

#define MAX_SYSCTLS 64

struct sysctl_line {
	int lineno;
	char text[1024];
};

struct parse {
	const char *path;
	int lineno;
	char *err;
	size_t errlen;
	char liberr[256]; /* the library's last log line while applying */
	int memmap_external;
	int nsysctl;
	struct sysctl_line sysctl[MAX_SYSCTLS];
};

static double init_ms, init_cpu_ms;
static unsigned int nr_cpus = 1; /* the machine's "cpus" line */
static void *memmap_buf; /* the external memmap of the machine last loaded */

unsigned int pa_sim_nr_cpus(void)
{
	return nr_cpus;
}

double pa_sim_init_ms(void)
{
	return init_ms;
}

double pa_sim_init_cpu_ms(void)
{
	return init_cpu_ms;
}

static double user_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec * 1e3 + (double)ru.ru_utime.tv_usec / 1e3;
}

static int fail(struct parse *p, const char *fmt, ...)
{
	int n = snprintf(p->err, p->errlen, "%s:%d: ", p->path, p->lineno);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return 2;
}

static void capture_log(int level, const char *line, void *ctx)
{
	struct parse *p = ctx;

	(void)level;
	snprintf(p->liberr, sizeof(p->liberr), "%s", line);
}

/* A library call failed: report its own log line at this line. */
static int lib_fail(struct parse *p, int ret)
{
	return fail(p, "%s (%s)", p->liberr[0] ? p->liberr : "rejected", pa_strerror(ret));
}

int pa_sim_parse_size(const char *s, unsigned long long *out)
{
	char *end;
	unsigned long long v, mul = 1;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'K': case 'k': mul = 1ULL << 10; end++; break;
	case 'M': case 'm': mul = 1ULL << 20; end++; break;
	case 'G': case 'g': mul = 1ULL << 30; end++; break;
	case 'T': case 't': mul = 1ULL << 40; end++; break;
	default: break;
	}
	if (*end || (v && mul > ~0ULL / v))
		return -1;
	*out = v * mul;
	return 0;
}

static int want_size(struct parse *p, const char *tok, const char *what, unsigned long long *out)
{
	if (!tok)
		return fail(p, "missing %s", what);
	if (pa_sim_parse_size(tok, out))
		return fail(p, "bad %s '%s'", what, tok);
	return 0;
}

static int want_int(struct parse *p, const char *tok, const char *what, long min, long max, long *out)
{
	char *end;

	if (!tok)
		return fail(p, "missing %s", what);
	errno = 0;
	*out = strtol(tok, &end, 0);
	if (errno || *end || end == tok || *out < min || *out > max)
		return fail(p, "bad %s '%s' (expected %ld..%ld)", what, tok, min, max);
	return 0;
}

static int no_more(struct parse *p, char **tok, int i)
{
	return tok[i] ? fail(p, "unexpected '%s'", tok[i]) : 0;
}

static int do_page_shift(struct parse *p, char **t)
{
	long v;
	int r = want_int(p, t[1], "page_shift", 0, 64, &v);

	if (r)
		return r;
	if (v != PA_PAGE_SHIFT)
		return fail(p, "page_shift %ld does not match this build (CONFIG_PA_PAGE_SHIFT=%d)", v,
			    PA_PAGE_SHIFT);
	return no_more(p, t, 2);
}

static int do_cpus(struct parse *p, char **t)
{
	long v;
	int r = want_int(p, t[1], "CPU count", 1, PA_NR_CPUS, &v);

	if (r || (r = no_more(p, t, 2)))
		return r;
	r = pa_set_nr_cpus((unsigned int)v);
	if (!r)
		nr_cpus = (unsigned int)v;
	return r ? lib_fail(p, r) : 0;
}

static int parse_cpu_range(struct parse *p, const char *tok, long *first, long *last)
{
	char *end;

	if (!tok)
		return fail(p, "missing CPU range");
	*first = strtol(tok, &end, 10);
	*last = *first;
	if (*end == '-')
		*last = strtol(end + 1, &end, 10);
	if (*end || end == tok || *first < 0 || *last < *first)
		return fail(p, "bad CPU range '%s' (expected A or A-B)", tok);
	return 0;
}

/* node N [cpus A-B] [distance D0 D1 ...] */
static int do_node(struct parse *p, char **t)
{
	long nid, first = 0, last = 0, d;
	int r = want_int(p, t[1], "node id", 0, PA_MAX_NUMNODES - 1, &nid), i = 2;

	if (r)
		return r;
	while (t[i]) {
		if (!strcmp(t[i], "cpus")) {
			if ((r = parse_cpu_range(p, t[i + 1], &first, &last)))
				return r;
			if ((r = pa_numa_set_cpus((int)nid, (unsigned)first, (unsigned)last)))
				return lib_fail(p, r);
			i += 2;
		} else if (!strcmp(t[i], "distance")) {
			int to = 0;

			for (i++; t[i] && strcmp(t[i], "cpus"); i++, to++) {
				if ((r = want_int(p, t[i], "distance", 0, 255, &d)))
					return r;
				if (to >= PA_MAX_NUMNODES)
					return fail(p, "more distances than nodes (%d)", PA_MAX_NUMNODES);
				if ((r = pa_numa_set_distance((int)nid, to, (unsigned)d)))
					return lib_fail(p, r);
			}
		} else {
			return fail(p, "unexpected '%s' (expected cpus or distance)", t[i]);
		}
	}
	return 0;
}

/* memory START END [node N] */
static int do_memory(struct parse *p, char **t)
{
	unsigned long long s, e;
	long nid = 0;
	int r;

	if ((r = want_size(p, t[1], "start address", &s)) || (r = want_size(p, t[2], "end address", &e)))
		return r;
	if (t[3]) {
		if (strcmp(t[3], "node"))
			return fail(p, "unexpected '%s' (expected node)", t[3]);
		if ((r = want_int(p, t[4], "node id", 0, 1 << 30, &nid)) || (r = no_more(p, t, 5)))
			return r;
	}
	if (e <= s)
		return fail(p, "end %#llx is not above start %#llx", e, s);
	r = pa_memblock_add(s, e - s, (int)nid);
	return r ? lib_fail(p, r) : 0;
}

static int do_reserve(struct parse *p, char **t)
{
	unsigned long long s, e;
	int r;

	if ((r = want_size(p, t[1], "start address", &s)) || (r = want_size(p, t[2], "end address", &e)) ||
	    (r = no_more(p, t, 3)))
		return r;
	if (e <= s)
		return fail(p, "end %#llx is not above start %#llx", e, s);
	r = pa_memblock_reserve(s, e - s);
	return r ? lib_fail(p, r) : 0;
}

/*
 * cma START END [name NAME]: a CMA area over [START, END) (pa_cma_declare(),
 * pageblock-aligned); its pageblocks become MIGRATE_CMA at pa_init().
 */
static int do_cma(struct parse *p, char **t)
{
	unsigned long long s, e;
	const char *name = NULL;
	struct pa_cma *cma;
	int r;

	if ((r = want_size(p, t[1], "start address", &s)) || (r = want_size(p, t[2], "end address", &e)))
		return r;
	if (t[3]) {
		if (strcmp(t[3], "name") || !t[4])
			return fail(p, "unexpected '%s' (expected name NAME)", t[3]);
		name = t[4];
		if ((r = no_more(p, t, 5)))
			return r;
	}
	if (e <= s)
		return fail(p, "end %#llx is not above start %#llx", e, s);
	r = pa_cma_declare(s, e - s, name, &cma);
	return r ? lib_fail(p, r) : 0;
}

static int do_zone_limit(struct parse *p, char **t)
{
	unsigned long long limit;
	int zone = -1, r;

	if (!t[1])
		return fail(p, "missing zone name");
#ifdef CONFIG_PA_ZONE_DMA
	if (!strcmp(t[1], "DMA"))
		zone = PA_ZONE_DMA;
#endif
#ifdef CONFIG_PA_ZONE_DMA32
	if (!strcmp(t[1], "DMA32"))
		zone = PA_ZONE_DMA32;
#endif
	if (zone < 0)
		return fail(p, "zone '%s' has no limit in this build (DMA, DMA32 if configured)", t[1]);
	if ((r = want_size(p, t[2], "limit", &limit)) || (r = no_more(p, t, 3)))
		return r;
	r = pa_set_zone_limit((enum pa_zone_type)zone, limit);
	return r ? lib_fail(p, r) : 0;
}

static int do_core(struct parse *p, char **t, int movable)
{
	unsigned long long size;
	int r;

	if ((r = want_size(p, t[1], "size", &size)) || (r = no_more(p, t, 2)))
		return r;
	r = movable ? pa_set_movablecore(size) : pa_set_kernelcore(size);
	return r ? lib_fail(p, r) : 0;
}

/* The index of the word @t[1] in @names (@n of them), or -1 (none, or not one of them). */
static int word_index(char **t, const char *const *names, int n)
{
	for (int i = 0; t[1] && i < n; i++)
		if (!strcmp(t[1], names[i]))
			return i;
	return -1;
}

static int do_memmap(struct parse *p, char **t)
{
	static const char *const names[] = { "internal", "external" };
	int i = word_index(t, names, 2);

	if (i < 0)
		return fail(p, "memmap takes 'internal' or 'external'");
	p->memmap_external = i == 1;
	return no_more(p, t, 2);
}

static int do_zonelist_order(struct parse *p, char **t)
{
	static const char *const names[] = { "auto", "node", "zone" };
	int i = word_index(t, names, 3), r;

	if (i < 0)
		return fail(p, "zonelist_order takes 'node', 'zone' or 'auto'");
	if ((r = no_more(p, t, 2)))
		return r;
	r = pa_set_zonelist_order((enum pa_zonelist_order)i);
	return r ? lib_fail(p, r) : 0;
}

/* thp never|madvise|always: the value of Linux's transparent_hugepage/enabled. */
static int do_thp(struct parse *p, char **t)
{
	static const char *const names[] = { "never", "madvise", "always" };
	int i = word_index(t, names, 3), r;

	if (i < 0)
		return fail(p, "thp takes 'never', 'madvise' or 'always'");
	if ((r = no_more(p, t, 2)))
		return r;
	r = pa_set_thp((enum pa_thp)(PA_THP_NEVER + i));
	return r ? lib_fail(p, r) : 0;
}

static int do_sysctl(struct parse *p, char **t, const char *raw)
{
	if (!t[1] || !t[2])
		return fail(p, "sysctl needs a name and a value");
	if (p->nsysctl == MAX_SYSCTLS)
		return fail(p, "too many sysctl lines (%d)", MAX_SYSCTLS);
	p->sysctl[p->nsysctl].lineno = p->lineno;
	snprintf(p->sysctl[p->nsysctl].text, sizeof(p->sysctl[0].text), "%s", raw);
	p->nsysctl++;
	return 0;
}

int pa_sim_tokenize(char *line, char **tok)
{
	int n = 0;
	char *save = NULL;

	for (char *s = strtok_r(line, " \t\r\n", &save); s; s = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == PA_SIM_MAX_TOKENS - 1)
			return -1;
		tok[n++] = s;
	}
	tok[n] = NULL;
	return n;
}

static int directive(struct parse *p, char *line)
{
	char *tok[PA_SIM_MAX_TOKENS], raw[1024];
	char *hash = strchr(line, '#');
	int n;

	if (hash)
		*hash = '\0';
	snprintf(raw, sizeof(raw), "%s", line);
	n = pa_sim_tokenize(line, tok);
	if (n < 0)
		return fail(p, "too many words");
	if (n == 0)
		return 0;
	if (!strcmp(tok[0], "page_shift"))
		return do_page_shift(p, tok);
	if (!strcmp(tok[0], "cpus"))
		return do_cpus(p, tok);
	if (!strcmp(tok[0], "node"))
		return do_node(p, tok);
	if (!strcmp(tok[0], "memory"))
		return do_memory(p, tok);
	if (!strcmp(tok[0], "reserve"))
		return do_reserve(p, tok);
	if (!strcmp(tok[0], "zone_limit"))
		return do_zone_limit(p, tok);
	if (!strcmp(tok[0], "cma"))
		return do_cma(p, tok);
	if (!strcmp(tok[0], "movablecore") || !strcmp(tok[0], "kernelcore"))
		return do_core(p, tok, tok[0][0] == 'm');
	if (!strcmp(tok[0], "memmap"))
		return do_memmap(p, tok);
	if (!strcmp(tok[0], "sysctl"))
		return do_sysctl(p, tok, raw);
	if (!strcmp(tok[0], "zonelist_order"))
		return do_zonelist_order(p, tok);
	if (!strcmp(tok[0], "thp"))
		return do_thp(p, tok);
	return fail(p, "unknown directive '%s'", tok[0]);
}

static int read_file(struct parse *p, FILE *f)
{
	char line[1024];
	int r = 0;

	while (!r && fgets(line, sizeof(line), f)) {
		p->lineno++;
		if (!strchr(line, '\n') && !feof(f))
			return fail(p, "line too long");
		p->liberr[0] = '\0';
		r = directive(p, line);
	}
	return r;
}

/* "sysctl NAME V [V...]": through the same tunables API a kernel uses. */
static int apply_sysctl(struct parse *p, char *text)
{
	char *tok[PA_SIM_MAX_TOKENS];
	long vals[PA_SIM_MAX_TOKENS];
	int n = pa_sim_tokenize(text, tok), r;

	for (int i = 2; i < n; i++)
		if ((r = want_int(p, tok[i], "sysctl value", -2147483648L, 2147483647L, &vals[i - 2])))
			return r;
	p->liberr[0] = '\0';
	r = pa_sysctl_set(tok[1], vals, (unsigned int)(n - 2));
	return r ? lib_fail(p, r) : 0;
}

static int finish(struct parse *p)
{
	struct timespec t0, t1;
	double u0;
	int r;

	if (p->memmap_external) {
		size_t size = pa_memmap_size();

		free(memmap_buf);
		memmap_buf = aligned_alloc(64, (size + 63) & ~(size_t)63);
		if (!memmap_buf || (r = pa_set_memmap(memmap_buf, size)))
			return fail(p, "cannot place an external memmap of %zu bytes", size);
	}
	p->lineno = 0;
	u0 = user_ms();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = pa_init();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	init_cpu_ms = user_ms() - u0;
	init_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	if (r)
		return snprintf(p->err, p->errlen, "%s: %s (%s)", p->path, p->liberr, pa_strerror(r)), 2;
	for (int i = 0; i < p->nsysctl; i++) {
		p->lineno = p->sysctl[i].lineno;
		r = apply_sysctl(p, p->sysctl[i].text);
		if (r)
			return r;
	}
	return 0;
}

int pa_sim_load(const char *path, char *err, size_t errlen)
{
	static struct parse p;
	FILE *f = fopen(path, "r");
	int r;

	p = (struct parse){ .path = path, .err = err, .errlen = errlen };
	nr_cpus = 1;
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return 2;
	}
	pa_host_set_log(capture_log, &p);
	r = read_file(&p, f);
	fclose(f);
	if (!r)
		r = finish(&p);
	pa_host_set_log(NULL, NULL);
	return r;
}
