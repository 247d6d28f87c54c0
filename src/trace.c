// SPDX-License-Identifier: MIT
/*
 * Allocation traces (<pagealloc/trace.h>): the events the entry points hand
 * to pa_port_trace() when CONFIG_PA_TRACE is set, their text form, and GFP
 * flags by name.  The entry points call the pa_trace_*() inlines of
 * internal.h, which compile to nothing without CONFIG_PA_TRACE.
 */
#include "internal.h"
#include <pagealloc/trace.h>

/*
 * GFP names in the order of Linux's %pGg (its gfpflag_names): the
 * combinations first, then the single bits; pa_gfp_format() takes each
 * name whose bits are all still in the mask.  The last three are only
 * read (the bits they name are taken before they come up): older traces
 * and hand-written ones spell them so.
 */
static const struct gfp_name {
	pa_gfp_t bits;
	const char *name;
} gfp_names[] = {
	{ PA_GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE" },
	{ PA_GFP_HIGHUSER, "GFP_HIGHUSER" },
	{ PA_GFP_USER, "GFP_USER" },
	{ PA_GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT" },
	{ PA_GFP_KERNEL, "GFP_KERNEL" },
	{ PA_GFP_NOFS, "GFP_NOFS" },
	{ PA_GFP_ATOMIC, "GFP_ATOMIC" },
	{ PA_GFP_NOIO, "GFP_NOIO" },
	{ PA_GFP_NOWAIT, "GFP_NOWAIT" },
	{ PA_GFP_DMA, "GFP_DMA" },
	{ PA__GFP_HIGHMEM, "__GFP_HIGHMEM" },
	{ PA_GFP_DMA32, "GFP_DMA32" },
	{ PA__GFP_HIGH, "__GFP_HIGH" },
	{ PA__GFP_IO, "__GFP_IO" },
	{ PA__GFP_FS, "__GFP_FS" },
	{ PA__GFP_ZERO, "__GFP_ZERO" },
	{ PA__GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
	{ PA__GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" },
	{ PA__GFP_WRITE, "__GFP_WRITE" },
	{ PA__GFP_NOWARN, "__GFP_NOWARN" },
	{ PA__GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL" },
	{ PA__GFP_NOFAIL, "__GFP_NOFAIL" },
	{ PA__GFP_NORETRY, "__GFP_NORETRY" },
	{ PA__GFP_MEMALLOC, "__GFP_MEMALLOC" },
	{ PA__GFP_COMP, "__GFP_COMP" },
	{ PA__GFP_NOMEMALLOC, "__GFP_NOMEMALLOC" },
	{ PA__GFP_HARDWALL, "__GFP_HARDWALL" },
	{ PA__GFP_THISNODE, "__GFP_THISNODE" },
	{ PA__GFP_ACCOUNT, "__GFP_ACCOUNT" },
	{ PA__GFP_MOVABLE, "__GFP_MOVABLE" },
	{ PA__GFP_RECLAIMABLE, "__GFP_RECLAIMABLE" },
	{ PA__GFP_DMA, "__GFP_DMA" },
	{ PA__GFP_DMA32, "__GFP_DMA32" },
	{ PA__GFP_RECLAIM, "__GFP_RECLAIM" },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Append "|" (unless first) and @s; false when @buf is full. */
static bool gfp_append(char *buf, size_t len, size_t *pos, const char *s)
{
	int n = pa_snprintf(buf + *pos, len - *pos, "%s%s", *pos ? "|" : "", s);

	if ((size_t)n >= len - *pos)
		return false;
	*pos += (size_t)n;
	return true;
}

/* Each name whose bits are all still in @gfp takes them; the rest in hex. */
int pa_gfp_format(pa_gfp_t gfp, char *buf, size_t len)
{
	char hex[16];
	size_t pos = 0;
	bool ok = true;

	if (!buf || !len)
		return PA_FAIL(PA_ENOSPC, "no room for the flags");
	buf[0] = '\0';
	for (unsigned int i = 0; ok && gfp && i < ARRAY_LEN(gfp_names); i++)
		if ((gfp & gfp_names[i].bits) == gfp_names[i].bits) {
			ok = gfp_append(buf, len, &pos, gfp_names[i].name);
			gfp &= ~gfp_names[i].bits;
		}
	if (ok && (gfp || !pos)) {
		pa_snprintf(hex, sizeof(hex), gfp ? "%#x" : "0", gfp);
		ok = gfp_append(buf, len, &pos, hex);
	}
	if (!ok)
		return PA_FAIL(PA_ENOSPC, "%zu bytes are too few", len);
	return (int)pos;
}

/* Does [@s, @s+@n) spell @name? */
static bool word_is(const char *s, size_t n, const char *name)
{
	size_t i = 0;

	while (i < n && name[i] && s[i] == name[i])
		i++;
	return i == n && !name[i];
}

/* A number, 0x hex or decimal, spanning all of [@s, @s+@n). */
static int parse_number(const char *s, size_t n, pa_gfp_t *out)
{
	unsigned int base = 10;
	unsigned long long v = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		n -= 2;
	}
	if (!n)
		return -PA_EINVAL;
	for (; n; s++, n--) {
		unsigned int d = (*s >= '0' && *s <= '9')   ? (unsigned int)(*s - '0')
				 : (*s >= 'a' && *s <= 'f') ? (unsigned int)(*s - 'a' + 10)
				 : (*s >= 'A' && *s <= 'F') ? (unsigned int)(*s - 'A' + 10)
							    : 99;
		if (d >= base)
			return -PA_EINVAL;
		v = v * base + d;
		if (v > 0xffffffffULL)
			return -PA_EINVAL;
	}
	*out = (pa_gfp_t)v;
	return 0;
}

/* One '|'-separated word: a name of either table (PA_ prefix allowed) or a number. */
static int parse_word(const char *s, size_t n, pa_gfp_t *out)
{
	if (n > 3 && s[0] == 'P' && s[1] == 'A' && s[2] == '_') {
		s += 3;
		n -= 3;
	}
	for (unsigned int i = 0; i < ARRAY_LEN(gfp_names); i++)
		if (word_is(s, n, gfp_names[i].name))
			return *out = gfp_names[i].bits, 0;
	return parse_number(s, n, out);
}

int pa_gfp_parse(const char *s, pa_gfp_t *gfp)
{
	pa_gfp_t acc = 0, w;

	if (!s || !gfp)
		return PA_FAIL(PA_EINVAL, "NULL %s", s ? "result" : "string");
	for (;;) {
		size_t n = 0;

		while (s[n] && s[n] != '|')
			n++;
		if (parse_word(s, n, &w))
			return PA_FAIL(PA_EINVAL, "'%.*s' is neither a GFP name nor a number", (int)n, s);
		acc |= w;
		if (!s[n])
			break;
		s += n + 1;
	}
	*gfp = acc;
	return 0;
}

/* "a ID GFP ORDER NODE CPU" with ID "-" for a failed allocation. */
static int format_alloc(const struct pa_trace_event *ev, char *buf, size_t len)
{
	char gfp[128], id[24];

	if (pa_gfp_format(ev->gfp, gfp, sizeof(gfp)) < 0)
		return -PA_EINVAL;
	pa_snprintf(id, sizeof(id), ev->pfn == PA_TRACE_NO_PFN ? "-" : "%#lx", ev->pfn);
	return pa_snprintf(buf, len, "a %s %s %u %d %u%s\n", id, gfp, ev->order, ev->nid, ev->cpu,
			   ev->bulk ? " bulk" : "");
}

int pa_trace_format(const struct pa_trace_event *ev, char *buf, size_t len)
{
	int n;

	if (!ev || !buf)
		return PA_FAIL(PA_EINVAL, "NULL %s", ev ? "buffer" : "event");
	switch (ev->op) {
	case PA_TRACE_ALLOC:
		n = format_alloc(ev, buf, len);
		break;
	case PA_TRACE_FREE:
		n = pa_snprintf(buf, len, "f %#lx %u %u\n", ev->pfn, ev->order, ev->cpu);
		break;
	case PA_TRACE_GET:
		n = pa_snprintf(buf, len, "g %#lx\n", ev->pfn);
		break;
	case PA_TRACE_PUT:
		n = pa_snprintf(buf, len, "p %#lx %u\n", ev->pfn, ev->cpu);
		break;
	case PA_TRACE_MIGRATE:
		n = pa_snprintf(buf, len, "m %#lx %#lx %u %u\n", ev->src_pfn, ev->pfn, ev->order, ev->cpu);
		break;
	default:
		return PA_FAIL(PA_EINVAL, "unknown op %d", (int)ev->op);
	}
	if (n < 0 || (size_t)n >= len)
		return PA_FAIL(PA_EINVAL, "%zu bytes are too few for the line", len);
	return n;
}

/* ------------------------------------------------------------ the hooks' callers */

static void emit(enum pa_trace_op op, unsigned long pfn, pa_gfp_t gfp, unsigned int order, int nid,
		 bool bulk)
{
	struct pa_trace_event ev = {
		.op = op, .pfn = pfn, .gfp = gfp, .order = order, .nid = nid, .cpu = pa_this_cpu(),
		.bulk = bulk,
	};

	pa_port_trace(&ev);
}

void pa_trace_alloc_event(const struct pa_page *page, pa_gfp_t gfp, unsigned int order, int nid,
			  bool bulk)
{
	emit(PA_TRACE_ALLOC, page ? pa_page_to_pfn_fast(page) : PA_TRACE_NO_PFN, gfp, order, nid,
	     bulk);
}

void pa_trace_migrate_event(const struct pa_page *src, const struct pa_page *dst, unsigned int order)
{
	struct pa_trace_event ev = {
		.op = PA_TRACE_MIGRATE, .pfn = pa_page_to_pfn_fast(dst), .order = order,
		.nid = PA_NUMA_NO_NODE, .cpu = pa_this_cpu(), .src_pfn = pa_page_to_pfn_fast(src),
	};

	pa_port_trace(&ev);
}

/* A page that is not one of ours gets no event: the call changes nothing. */
void pa_trace_page_event(enum pa_trace_op op, const struct pa_page *page, unsigned int order)
{
	if (pa_g.initialized && pa_page_ptr_valid(page))
		emit(op, pa_page_to_pfn_fast(page), 0, order, PA_NUMA_NO_NODE, false);
}
