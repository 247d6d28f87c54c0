// SPDX-License-Identifier: MIT
/*
 * pa-sim --trace FILE: replay a trace (format: <pagealloc/trace.h>) on the
 * loaded machine.  Each line's ID maps to the block its allocation
 * returned while that block is live; a malformed line, an unknown or
 * duplicate ID, a CPU the machine lacks or a rejected sysctl is an error
 * "file:line: what is wrong" (exit status 2).  An allocation that fails is
 * counted, not an error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pagealloc/host.h>
#include "sim.h"


/*
 * A live block by ID: open addressing, linear probing, tombstones.  A
 * slot whose page is NULL is an allocation that failed in the replay
 * (the recorded run got pages): its later lines are skipped and counted,
 * and @refs stands in for the page's reference count, so that the ID
 * lives as long as the recorded block did.
 */
struct slot {
	char *id;   /* NULL: empty; TOMB: deleted */
	struct pa_page *page;
	unsigned int order;
	unsigned int refs; /* page NULL only */
};

/* An op_*() result: the line names an allocation that failed here; no call made. */
#define SKIPPED (-1)

static char tomb;
#define TOMB (&tomb)

struct replay {
	const char *path;
	int lineno;
	char *err;
	size_t errlen;
	struct slot *tab;
	size_t cap, used; /* used counts tombstones too */
	struct pa_sim_stats st;
	unsigned long skipped; /* lines naming an allocation that failed here */
};

static int fail(struct replay *r, const char *fmt, ...)
{
	int n = snprintf(r->err, r->errlen, "%s:%d: ", r->path, r->lineno);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return 2;
}

static size_t hash(const char *s)
{
	size_t h = 14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* The slot of @id, or the free slot where it would go (@found false). */
static struct slot *lookup(struct replay *r, const char *id, bool *found)
{
	struct slot *free_slot = NULL;

	for (size_t i = hash(id) & (r->cap - 1);; i = (i + 1) & (r->cap - 1)) {
		struct slot *s = &r->tab[i];

		if (!s->id) {
			*found = false;
			return free_slot ? free_slot : s;
		}
		if (s->id == TOMB) {
			if (!free_slot)
				free_slot = s;
		} else if (!strcmp(s->id, id)) {
			*found = true;
			return s;
		}
	}
}

/* Double the table (and drop tombstones) when it is half full. */
static void grow(struct replay *r)
{
	struct slot *old = r->tab;
	size_t old_cap = r->cap;
	bool found;

	if (r->used * 2 < r->cap)
		return;
	r->cap = old_cap ? old_cap * 2 : 1024;
	r->tab = calloc(r->cap, sizeof(*r->tab));
	if (!r->tab)
		abort();
	r->used = 0;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].id && old[i].id != TOMB) {
			*lookup(r, old[i].id, &found) = old[i];
			r->used++;
		}
	free(old);
}

static void forget(struct replay *r, struct slot *s)
{
	if (s->page)
		r->st.held -= 1UL << s->order;
	free(s->id);
	s->id = TOMB;
}

static int want_long(struct replay *r, const char *tok, const char *what, long min, long max,
		     long *out)
{
	char *end;

	if (!tok)
		return fail(r, "missing %s", what);
	errno = 0;
	*out = strtol(tok, &end, 0);
	if (errno || *end || end == tok || *out < min || *out > max)
		return fail(r, "bad %s '%s' (expected %ld..%ld)", what, tok, min, max);
	return 0;
}

static int want_cpu(struct replay *r, const char *tok, long *cpu)
{
	return want_long(r, tok, "CPU", 0, (long)pa_sim_nr_cpus() - 1, cpu);
}

static int no_more(struct replay *r, char **w, int i)
{
	return w[i] ? fail(r, "unexpected '%s'", w[i]) : 0;
}

/* The live block an "f", "g" or "p" line names. */
static int find_block(struct replay *r, const char *id, struct slot **out)
{
	bool found;

	if (!id)
		return fail(r, "missing ID");
	*out = lookup(r, id, &found);
	return found ? 0 : fail(r, "no live allocation has ID '%s'", id);
}

static void capture_log(int level, const char *line, void *ctx)
{
	(void)level;
	snprintf(ctx, 256, "%s", line);
}

/* GFP flags by pa_gfp_parse(), whose log line becomes part of the error. */
static int want_gfp(struct replay *r, const char *tok, pa_gfp_t *gfp)
{
	char why[256] = "";
	int ret;

	if (!tok)
		return fail(r, "missing GFP flags");
	pa_host_set_log(capture_log, why);
	ret = pa_gfp_parse(tok, gfp);
	pa_host_set_log(NULL, NULL);
	return ret ? fail(r, "bad GFP flags '%s' (%s)", tok, why) : 0;
}

/*
 * A page the way pa_alloc_pages_bulk() took it from this CPU's set: a
 * call whose second slot is filled (a marker, never read), so that it
 * takes the first from the set with the bulk call's own bookkeeping.
 */
static struct pa_page *bulk_page(int nid, pa_gfp_t gfp)
{
	static char marker;
	struct pa_page *v[2] = { NULL, (struct pa_page *)&marker };

	pa_alloc_pages_bulk(gfp, nid, NULL, 2, v);
	return v[0];
}

/* a ID GFP ORDER NODE CPU [bulk] */
static int op_alloc(struct replay *r, char **w)
{
	long order, nid, cpu;
	pa_gfp_t gfp;
	struct slot *s = NULL;
	struct pa_page *page;
	bool found = false, bulk;
	int ret;

	if (!w[1])
		return fail(r, "missing ID");
	if ((ret = want_gfp(r, w[2], &gfp)))
		return ret;
	if ((ret = want_long(r, w[3], "order", 0, 63, &order)) ||
	    (ret = want_long(r, w[4], "node", -1, PA_MAX_NUMNODES - 1, &nid)) ||
	    (ret = want_cpu(r, w[5], &cpu)))
		return ret;
	bulk = w[6] && !strcmp(w[6], "bulk");
	if (bulk && order)
		return fail(r, "a bulk allocation is of order 0");
	if ((ret = no_more(r, w, bulk ? 7 : 6)))
		return ret;
	if (strcmp(w[1], "-")) {
		grow(r);
		s = lookup(r, w[1], &found);
		if (found && s->page)
			return fail(r, "ID '%s' is already allocated", w[1]);
		if (found) /* failed here earlier, never freed: the ID is reused */
			forget(r, s);
	}
	pa_host_set_cpu((unsigned int)cpu);
	page = bulk ? bulk_page((int)nid, gfp) : pa_alloc_pages_node((int)nid, gfp, (unsigned int)order);
	if (page) {
		r->st.allocs++;
		r->st.held += 1UL << order;
	} else {
		r->st.fails++;
	}
	if (!s)
		return 0;
	if (s->id != TOMB)
		r->used++;
	*s = (struct slot){ strdup(w[1]), page, (unsigned int)order, 1 };
	return 0;
}

/*
 * m SRC DST ORDER CPU: DST is handed to the kernel's hook as SRC's new
 * home.  Compaction took DST off the free lists, so here it is an
 * allocation of ORDER, movable; a contiguous range's DST has its own "a"
 * line and is already live (or failed here: skipped, as its other lines).
 */
static int op_migrate(struct replay *r, char **w)
{
	char *a[7] = { "a", w[2], "GFP_HIGHUSER_MOVABLE", w[3], "-1", w[4], NULL };
	struct slot *s;
	bool found = false;
	long order, cpu;
	int ret;

	if (!w[1] || !w[2])
		return fail(r, "missing ID");
	if (!strcmp(w[2], "-"))
		return fail(r, "a migration's destination has an ID");
	if ((ret = want_long(r, w[3], "order", 0, 63, &order)) || (ret = want_cpu(r, w[4], &cpu)) ||
	    (ret = no_more(r, w, 5)))
		return ret;
	s = lookup(r, w[2], &found);
	if (found)
		return s->page ? 0 : SKIPPED; /* its "a" line allocated it, or failed here */
	return op_alloc(r, a);
}

/* A line dropping a reference of a block that failed here: skipped; the last one ends the ID. */
static int skip_put(struct replay *r, struct slot *s)
{
	if (--s->refs == 0)
		forget(r, s);
	return SKIPPED;
}

/*
 * After a free (@split) or a put: forget the ID once the head page has no
 * reference left.  A pa_free_pages() that leaves references frees all but
 * the head page at once.
 */
static void settle(struct replay *r, struct slot *s, int ret, bool split)
{
	if (ret)
		return;
	if (pa_page_count(s->page) == 0) {
		r->st.frees++;
		forget(r, s);
	} else if (split && s->order) {
		r->st.held -= (1UL << s->order) - 1;
		s->order = 0;
	}
}

/* f ID [ORDER [CPU]] */
static int op_free(struct replay *r, char **w)
{
	struct slot *s;
	long order, cpu = 0;
	int ret;

	if ((ret = find_block(r, w[1], &s)))
		return ret;
	order = s->order;
	if ((w[2] && (ret = want_long(r, w[2], "order", 0, 63, &order))) ||
	    (w[2] && w[3] && (ret = want_cpu(r, w[3], &cpu))) || (w[2] && (ret = no_more(r, w, 4))))
		return ret;
	if (!s->page)
		return skip_put(r, s);
	pa_host_set_cpu((unsigned int)cpu);
	settle(r, s, pa_free_pages(s->page, (unsigned int)order), true);
	return 0;
}

/* p ID [CPU], g ID */
static int op_ref(struct replay *r, char **w, bool put)
{
	struct slot *s;
	long cpu = 0;
	int ret;

	if ((ret = find_block(r, w[1], &s)))
		return ret;
	if ((put && w[2] && (ret = want_cpu(r, w[2], &cpu))) || (ret = no_more(r, w, put && w[2] ? 3 : 2)))
		return ret;
	if (!s->page) {
		if (put)
			return skip_put(r, s);
		s->refs++;
		return SKIPPED;
	}
	if (!put) {
		pa_get_page(s->page);
		return 0;
	}
	pa_host_set_cpu((unsigned int)cpu);
	settle(r, s, pa_put_page(s->page), false);
	return 0;
}

/* s NAME VALUE...: as the machine file's sysctl lines. */
static int op_sysctl(struct replay *r, char **w)
{
	long vals[PA_SIM_MAX_TOKENS];
	char why[256] = "";
	unsigned int n = 0;
	int ret;

	if (!w[1] || !w[2])
		return fail(r, "s needs a name and a value");
	for (int i = 2; w[i]; i++)
		if ((ret = want_long(r, w[i], "sysctl value", -2147483648L, 2147483647L, &vals[n++])))
			return ret;
	pa_host_set_log(capture_log, why);
	ret = pa_sysctl_set(w[1], vals, n);
	pa_host_set_log(NULL, NULL);
	return ret ? fail(r, "%s (%s)", why[0] ? why : "rejected", pa_strerror(ret)) : 0;
}

/* d CPU */
static int op_drain(struct replay *r, char **w)
{
	long cpu;
	int ret;

	if ((ret = want_cpu(r, w[1], &cpu)) || (ret = no_more(r, w, 2)))
		return ret;
	pa_drain_pages((unsigned int)cpu);
	return 0;
}

static int one_line(struct replay *r, char *line)
{
	char *w[PA_SIM_MAX_TOKENS], *hash = strchr(line, '#');
	int n, ret;

	if (hash)
		*hash = '\0';
	n = pa_sim_tokenize(line, w);
	if (n < 0)
		return fail(r, "too many words");
	if (n == 0)
		return 0;
	if (strlen(w[0]) != 1)
		return fail(r, "unknown operation '%s' (a, f, g, p, m, s, d)", w[0]);
	switch (w[0][0]) {
	case 'a': ret = op_alloc(r, w); break;
	case 'f': ret = op_free(r, w); break;
	case 'g': ret = op_ref(r, w, false); break;
	case 'p': ret = op_ref(r, w, true); break;
	case 'm': ret = op_migrate(r, w); break;
	case 's': ret = op_sysctl(r, w); break;
	case 'd': ret = op_drain(r, w); break;
	default: return fail(r, "unknown operation '%s' (a, f, g, p, m, s, d)", w[0]);
	}
	if (ret == SKIPPED) {
		r->skipped++;
		return 0;
	}
	if (!ret) {
		r->st.ops++;
		pa_sim_tick();
	}
	return ret;
}

static int replay_file(struct replay *r, FILE *f)
{
	char line[1024];
	int ret = 0;

	while (!ret && fgets(line, sizeof(line), f)) {
		r->lineno++;
		if (!strchr(line, '\n') && !feof(f))
			return fail(r, "line too long");
		ret = one_line(r, line);
	}
	return ret;
}

/* " skipped=N" when lines named allocations that failed in the replay, else "". */
static const char *skipped_field(unsigned long skipped, char *buf, size_t size)
{
	if (skipped)
		snprintf(buf, size, " skipped=%lu", skipped);
	return buf;
}

int pa_sim_replay(const char *path, char *err, size_t errlen)
{
	struct replay r = { .path = path, .err = err, .errlen = errlen };
	FILE *f = fopen(path, "r");
	int ret;

	if (!f)
		return snprintf(err, errlen, "%s: %s", path, strerror(errno)), 2;
	grow(&r);
	ret = replay_file(&r, f);
	fclose(f);
	pa_host_set_cpu(0);
	for (size_t i = 0; i < r.cap; i++)
		if (r.tab[i].id != TOMB)
			free(r.tab[i].id);
	free(r.tab);
	if (!ret)
		printf("trace %s ops=%lu allocs=%lu fails=%lu frees=%lu held=%lu%s\n", path, r.st.ops,
		       r.st.allocs, r.st.fails, r.st.frees, r.st.held,
		       skipped_field(r.skipped, (char[40]){ 0 }, 40));
	return ret;
}
