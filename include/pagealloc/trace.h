/* SPDX-License-Identifier: MIT */
/*
 * Allocation traces: the events the pa_port_trace() hook receives
 * (CONFIG_PA_TRACE), and the text line each becomes, which pa-sim replays
 * ("pa-sim MACHINE --trace FILE").  One operation per line, fields
 * separated by spaces:
 *
 *   a ID GFP ORDER NODE CPU [bulk]
 *                             allocate 2^ORDER pages on CPU, preferred NODE
 *                             (-1: the CPU's node); ID names the block for
 *                             the lines that free it ("-": it failed);
 *                             "bulk": a page pa_alloc_pages_bulk() took
 *                             from the CPU's per-CPU set, which the replay
 *                             takes the same way (a single allocation
 *                             would also halve the set's free_count)
 *   f ID [ORDER [CPU]]        pa_free_pages() of that block (default: its
 *                             own order, CPU 0)
 *   g ID                      pa_get_page(): one more reference
 *   p ID [CPU]                pa_put_page(): drop one
 *   s NAME VALUE...           pa_sysctl_set() by its Linux name, as the
 *                             machine file's sysctl lines
 *   d CPU                     pa_drain_pages(CPU)
 *   # ...                     a comment (also after the fields)
 *
 * GFP is a number (0x hex or decimal) or names joined with '|': the
 * GFP_* combinations and __GFP_* bits of <pagealloc/gfp.h> without the
 * PA prefix, e.g. GFP_KERNEL|__GFP_ZERO.  The recorded ID is the pfn of
 * the head page in hex; any token without spaces works, and an ID may be
 * reused once its block was freed.  Lines "s" and "d" are for traces
 * written by hand: the hook records allocations, frees and references.
 */
#ifndef PAGEALLOC_TRACE_H
#define PAGEALLOC_TRACE_H

#include <pagealloc/types.h>
#include <pagealloc/gfp.h>

/**
 * enum pa_trace_op - what a trace event records.
 * @PA_TRACE_ALLOC: an allocation ("a"); one per page for the bulk API.
 * @PA_TRACE_FREE: a pa_free_pages() call ("f").
 * @PA_TRACE_GET: a pa_get_page() call ("g").
 * @PA_TRACE_PUT: a pa_put_page() call ("p").
 * @PA_TRACE_MIGRATE: a migration ("m"): the block at @pfn is handed to
 *                    pa_port_migrate_page() as the destination of the
 *                    block at @src_pfn, before the call, so that the
 *                    hook's own events follow.  Compaction takes the
 *                    destination off the free lists, so this line is its
 *                    allocation (a contiguous range allocates it with an
 *                    "a" line first); a refusal is followed by a free of
 *                    the destination ("f").
 */
enum pa_trace_op {
	PA_TRACE_ALLOC,
	PA_TRACE_FREE,
	PA_TRACE_GET,
	PA_TRACE_PUT,
	PA_TRACE_MIGRATE,
};

/* The pfn of a failed allocation (written as "-"). */
#define PA_TRACE_NO_PFN (~0UL)

/* Room pa_trace_format() needs for any event, NUL included. */
#define PA_TRACE_LINE_MAX 192

/**
 * struct pa_trace_event - one operation, as pa_port_trace() receives it.
 * @op: what happened.
 * @pfn: the head page's pfn: the block's ID in the trace; PA_TRACE_NO_PFN
 *       for a failed allocation.
 * @gfp: the allocation's flags (allocations only).
 * @order: the order asked for (allocations), or given (frees).
 * @nid: the preferred node asked for, PA_NUMA_NO_NODE for the CPU's own.
 * @cpu: pa_port_cpu_id() of the caller.
 * @bulk: an allocation by pa_alloc_pages_bulk() from a per-CPU set.
 * @src_pfn: the block a migration moved (migrations only).
 */
struct pa_trace_event {
	enum pa_trace_op op;
	unsigned long pfn;
	pa_gfp_t gfp;
	unsigned int order;
	int nid;
	unsigned int cpu;
	bool bulk;
	unsigned long src_pfn;
};

/**
 * pa_trace_format - the trace line of an event.
 * @ev: the event.
 * @buf: receives the line, with a newline and a NUL.
 * @len: size of @buf; PA_TRACE_LINE_MAX is always enough.
 *
 * Context: any (no lock, no allocation).
 * Return: the length of the line without the NUL, or -PA_EINVAL (one log
 * line) for a NULL argument, an unknown op or a @buf too small.
 */
int pa_trace_format(const struct pa_trace_event *ev, char *buf, size_t len);

/**
 * pa_gfp_format - GFP flags as names joined with '|'.
 * @gfp: the flags.
 * @buf: receives the text and a NUL.
 * @len: size of @buf (128 bytes is always enough).
 *
 * Linux's %pGg: each name of its list (the GFP_* combinations, largest
 * first, then the __GFP_* bits) whose bits are all still in @gfp takes
 * them; bits without a name come last as one hex number; 0 is "0".
 * Context: any.
 * Return: the length written, or -PA_ENOSPC (one log line) when @buf is
 * too small.
 */
int pa_gfp_format(pa_gfp_t gfp, char *buf, size_t len);

/**
 * pa_gfp_parse - read GFP flags written by pa_gfp_format() or by hand.
 * @s: names (GFP_KERNEL, __GFP_ZERO; a PA_ prefix is accepted) and
 *     numbers (0x hex or decimal) joined with '|', NUL-terminated.
 * @gfp: receives the flags.
 *
 * Context: any.
 * Return: 0, or -PA_EINVAL (one log line naming the bad word, @gfp
 * unchanged) for an unknown name, a malformed or too large number, an
 * empty word (also an empty @s) or a NULL argument.
 */
int pa_gfp_parse(const char *s, pa_gfp_t *gfp);

#endif /* PAGEALLOC_TRACE_H */
