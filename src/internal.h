/* SPDX-License-Identifier: MIT */
/*
 * Internal definitions shared by the files of src/.  Not installed.
 */
#ifndef PAGEALLOC_INTERNAL_H
#define PAGEALLOC_INTERNAL_H

#include <stdarg.h>
#include <pagealloc/pagealloc.h>
#include <pagealloc/port.h>
#include <pagealloc/numa.h>
#include <pagealloc/reclaim.h>
#include <pagealloc/vmstat.h>
#include <pagealloc/pcp.h>
#include <pagealloc/mobility.h>
#include <pagealloc/trace.h>
#include "local_ops.h"

#define PA_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PA_MIN(a, b) ((a) < (b) ? (a) : (b))
#define PA_MAX(a, b) ((a) > (b) ? (a) : (b))
#define PA_ALIGN_UP(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define PA_ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
/*
 * Fields read without the lock that guards their writes (watermark checks,
 * list-empty peeks, neighbour page flags): one relaxed atomic access on
 * each side, like Linux's READ_ONCE/WRITE_ONCE.  Plain loads and stores on
 * arm64 and x86; it tells the compiler and ThreadSanitizer the race is meant.
 */
#define PA_READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define PA_WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define pa_likely(x) __builtin_expect(!!(x), 1)
#define pa_unlikely(x) __builtin_expect(!!(x), 0)
#define PA_PFN_DOWN(pa) ((unsigned long)((pa) >> PA_PAGE_SHIFT))
#define PA_PFN_UP(pa) ((unsigned long)(((pa) + PA_PAGE_SIZE - 1) >> PA_PAGE_SHIFT))
#define PA_PFN_PHYS(pfn) ((pa_phys_t)(pfn) << PA_PAGE_SHIFT)

/* ------------------------------------------------------------ logging */

int pa_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
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

_Noreturn void pa_bug(const char *func, int line, const char *what);
/* Internal invariant (not bad input): panics when CONFIG_PA_DEBUG_VM is set. */
#define PA_BUG_ON(cond)                                                        \
	do {                                                                   \
		if (IS_ENABLED(CONFIG_PA_DEBUG_VM) && pa_unlikely(cond))       \
			pa_bug(__func__, __LINE__, #cond);                     \
	} while (0)

#define PA_ALWAYS_INLINE inline __attribute__((always_inline))

/*
 * An invariant the compiler may rely on: checked (PA_BUG_ON) with
 * CONFIG_PA_DEBUG_VM, assumed without it, so that code after it folds.
 * @cond is evaluated twice: it must have no side effects.
 */
#define PA_ASSUME(cond)                                                        \
	do {                                                                   \
		PA_BUG_ON(!(cond));                                            \
		if (!(cond))                                                   \
			__builtin_unreachable();                               \
	} while (0)

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

/* ------------------------------------------------------------ lists */

static inline void pa_list_init(struct pa_list *head)
{
	head->next = head;
	head->prev = head;
}

static inline bool pa_list_empty(const struct pa_list *head)
{
	return PA_READ_ONCE(head->next) == head;
}

static inline void pa_list_add_between(struct pa_list *n, struct pa_list *prev, struct pa_list *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	PA_WRITE_ONCE(prev->next, n);
}

static inline void pa_list_add(struct pa_list *n, struct pa_list *head)
{
	pa_list_add_between(n, head, head->next);
}

static inline void pa_list_add_tail(struct pa_list *n, struct pa_list *head)
{
	pa_list_add_between(n, head->prev, head);
}

/*
 * After an unlink, @n's own pointers are left as they were (the next owner
 * of the entry rewrites them) except with CONFIG_PA_DEBUG_VM, which clears
 * them, as Linux's list poisoning, so that a use after the unlink faults.
 */
static inline void pa_list_poison(struct pa_list *n)
{
	if (IS_ENABLED(CONFIG_PA_DEBUG_VM)) {
		n->next = NULL;
		n->prev = NULL;
	}
}

/* Unlink @n. */
static inline void pa_list_del(struct pa_list *n)
{
	n->next->prev = n->prev;
	PA_WRITE_ONCE(n->prev->next, n->next);
	pa_list_poison(n);
}

/* pa_list_del() of @first, known to be @head's first entry: its prev is @head. */
static inline void pa_list_del_first(struct pa_list *head, struct pa_list *first)
{
	PA_BUG_ON(first->prev != head || head->next != first);
	first->next->prev = head;
	PA_WRITE_ONCE(head->next, first->next);
	pa_list_poison(first);
}

#define pa_lru_to_page(l) ((struct pa_page *)((char *)(l) - offsetof(struct pa_page, lru)))

/* ------------------------------------------------------------ memblock */

struct pa_memblock_region {
	pa_phys_t base;
	pa_phys_t size;
	int nid;
};

struct pa_memblock_type {
	unsigned int cnt;
	struct pa_memblock_region regions[CONFIG_PA_MEMBLOCK_REGIONS];
};

/* Iterate the free (memory minus reserved) ranges of @nid, in pfns. */
typedef void (*pa_range_fn)(void *arg, int nid, unsigned long start_pfn, unsigned long end_pfn);
void pa_memblock_for_each_free(pa_range_fn fn, void *arg);
int pa_memblock_alloc_locked(pa_phys_t size, pa_phys_t align, int nid, pa_phys_t *pa);

/* ------------------------------------------------------------ zones, nodes */

struct pa_free_area {
	struct pa_list free_list[PA_MIGRATE_TYPES];
	unsigned long nr_free; /* blocks of this order, all migratetypes */
};

enum pa_zone_watermarks { PA_WMARK_MIN, PA_WMARK_LOW, PA_WMARK_HIGH, PA_WMARK_PROMO, PA_NR_WMARK };

/*
 * PAGE_ALLOC_COSTLY_ORDER, or the pageblock order when that is smaller: a
 * block in a set lies inside one pageblock, so the set's type (the first
 * pageblock's) is the whole block's, and a drain never lists a block that
 * spans pageblocks of two types.
 */
#define PA_PCP_MAX_ORDER PA_MIN(PA_PAGE_ALLOC_COSTLY_ORDER, PA_PAGEBLOCK_ORDER)
#define PA_NR_PCP_ORDERS (PA_PCP_MAX_ORDER + 1)

/*
 * Per-CPU page set of one zone (Linux's per_cpu_pages): free blocks of
 * orders 0..PA_PCP_MAX_ORDER, one list per (order, pcp migratetype).
 * Its CPU uses it with interrupts off after a try-lock of @locked (Linux's
 * pcp_spin_trylock()); if that fails, because another CPU is draining or
 * verifying the set, the operation goes to the buddy lists instead, so the
 * owner never waits.  With CONFIG_PA_PCP_REMOTE_BARRIER the owner's
 * try-lock is a plain store to @busy and a load of @locked, which only the
 * other CPUs take (pcp_fast.h).  @count is in pages; above @high a batch
 * goes back.
 */
#define PA_NR_PCP_LISTS (PA_MIGRATE_PCPTYPES * PA_NR_PCP_ORDERS)
struct pa_pcp {
	uint32_t locked;
	int count;
	int high;
	int batch;
	int high_min;
	int high_max;
	unsigned long nr_alloc; /* pages the fast path took: pgalloc, numa_hit, numa_local/other */
	unsigned long nr_free;  /* pages freed to the set: pgfree */
	struct pa_list lists[PA_NR_PCP_LISTS];
	/*
	 * CONFIG_PA_PCP_REMOTE_BARRIER: the owner's flag, written by it only.
	 * Last, in the padding, so the fields above keep their offsets (as a
	 * byte beside @locked it measured a nanosecond slower a pair: the
	 * owner's load of @locked then waits for its store to the same word).
	 */
	uint32_t busy;
} __attribute__((aligned(64)));

struct pa_zone {
	/* Read-mostly, used by the allocation fast path. */
	/*
	 * low + boost + lowmem_reserve[hz] + the free highatomic pages, by
	 * highest zone index hz: the mark of an order-0 fast allocation
	 * (pa_fast_wmark_ok()), one load where the sum is four.  Rewritten
	 * under @lock by every writer of the four
	 * (pa_zone_fast_mark_update_locked()).  First: the load is then
	 * zone + 8 * hz, with no offset to add.  The last entry, for
	 * PA_FAST_ZONE_BAD, is only read in pa_no_zone (0, and no free page).
	 */
	unsigned long fast_mark[PA_MAX_NR_ZONES + 1];
	unsigned long _watermark[PA_NR_WMARK];
	unsigned long watermark_boost;
	unsigned long lowmem_reserve[PA_MAX_NR_ZONES];
	unsigned long zone_start_pfn;
	unsigned long spanned_pages;
	unsigned long present_pages;
	unsigned long managed_pages;
	int node;
	unsigned int nofragment; /* PA_ALLOC_NOFRAGMENT when preferred (alloc_flags_nofragment()) */
	uint8_t type;   /* enum pa_zone_type */
	uint8_t zoneid; /* node * PA_MAX_NR_ZONES + type, as in page flags */
	const char *name;

#define PA_ZONE_BOOSTED_WATERMARK 1UL /* a fallback boosted it: wake kswapd once (zone lock) */
#ifdef CONFIG_PA_PCP
	struct pa_pcp *pcp; /* [nr_cpus], carved at init like mem_map */
	int pageset_batch;
	int pageset_high_min;
	int pageset_high_max;
#endif

	/* Protected by @lock. */
	pa_spinlock_t lock;
	unsigned long free_pages;                   /* NR_FREE_PAGES */
	unsigned long nr_freed;  /* pages freed to the buddy lists: pgfree (pa_buddy_free_block()) */
	/*
	 * Pages the buddy fast path took here (the first zone of the
	 * zonelist), [0] for CPUs of this zone's node, [1] for others:
	 * pgalloc and numa_hit, and numa_local or numa_other (vmstat.c), one
	 * count where pa_count_alloc() makes three.
	 */
	unsigned long fast_alloc[2];
	unsigned long nr_reserved_highatomic;       /* pages in HIGHATOMIC pageblocks */
	unsigned long zflags;                       /* PA_ZONE_BOOSTED_WATERMARK */
	unsigned long free_pages_mt[PA_MIGRATE_TYPES]; /* free pages per list type */
#ifdef CONFIG_PA_CMA
	unsigned long cma_pages; /* pages of CMA areas in this zone (zoneinfo's cma) */
#endif
	struct pa_free_area free_area[PA_NR_PAGE_ORDERS];
};

/*
 * A zonelist: zone ids (node * PA_MAX_NR_ZONES + type) in the order an
 * allocation tries them.  Only zones with managed pages are listed.
 */
#define PA_MAX_ZONEIDS (PA_MAX_NUMNODES * PA_MAX_NR_ZONES)
struct pa_zonelist {
	uint16_t nr;
	uint16_t zoneid[PA_MAX_ZONEIDS];
};
enum { PA_ZONELIST_FALLBACK, PA_ZONELIST_NOFALLBACK, PA_MAX_ZONELISTS };

struct pa_node {
	int node_id;
	unsigned long node_start_pfn;
	unsigned long node_spanned_pages;
	unsigned long node_present_pages;
	unsigned long zone_movable_pfn; /* first pfn of ZONE_MOVABLE here, 0: none */
	uint8_t distance[PA_MAX_NUMNODES];
	struct pa_zone zones[PA_MAX_NR_ZONES];
	struct pa_zonelist zonelists[PA_MAX_ZONELISTS];
	/*
	 * First zone of each zonelist an allocation with that highest zone may
	 * use; the last column, PA_FAST_ZONE_BAD, stays NULL (see pa_fast_gfp()).
	 */
	struct pa_zone *first_zone[PA_MAX_ZONELISTS][PA_MAX_NR_ZONES + 1];
	/* kswapd request (kswapd.c); read and written with atomics. */
	int kswapd_order;
	int kswapd_highest_zoneidx; /* PA_MAX_NR_ZONES: none pending */
	int kswapd_failures;
};

/* ------------------------------------------------------------ sections */

/*
 * A byte per pageblock, its low three bits the migratetype: where Linux
 * packs four bits, a whole byte is read with one load on every free and
 * written with one store (no neighbour to preserve).  It costs half a
 * byte more per pageblock: 32 bytes a 128 MiB section with 4K pages and
 * pageblock order 9.  The bytes of a run of sections (sparse.c) are one
 * array, as its struct pages are.
 */
#define PA_PAGEBLOCKS_PER_SECTION (PA_PAGES_PER_SECTION >> PA_PAGEBLOCK_ORDER)
#define PA_SECTION_PB_BYTES PA_PAGEBLOCKS_PER_SECTION
#define PA_SECTIONS_PER_LEAF_SHIFT 8
#define PA_SECTIONS_PER_LEAF (1UL << PA_SECTIONS_PER_LEAF_SHIFT)
#define PA_NR_SECTIONS (1UL << PA_PG_SECTION_BITS)
#define PA_NR_SECTION_ROOTS ((PA_NR_SECTIONS + PA_SECTIONS_PER_LEAF - 1) / PA_SECTIONS_PER_LEAF)
#define PA_PAGEBLOCK_MT_MASK 0x7u
_Static_assert(PA_MIGRATE_TYPES <= PA_PAGEBLOCK_MT_MASK + 1,
	       "migratetype must fit the pageblock bits");

/*
 * One memory section.  Its struct pages cover pfn offsets [map_start,
 * map_end) of the section (map_end = pa_section_map_end()), rounded out to
 * whole largest-order blocks so a buddy of any order always has a struct
 * page.  @map_base is the address the page for offset 0 would have: page =
 * map_base + offset (it may point before the array, like Linux's encoded
 * section_mem_map, and is only used inside [map_start, map_end)).
 * @map_first is the first struct page itself and @map_bytes the map's
 * size, so that a pointer is checked with one unsigned compare.
 */
struct pa_mem_section {
	uintptr_t map_base;
	uintptr_t map_first;
	uint32_t map_start;
	uint32_t map_bytes;
	uint8_t *pageblock_flags; /* [PA_SECTION_PB_BYTES], in its run's array */
#ifdef CONFIG_PA_PAGE_OWNER
	struct pa_owner_rec *owner; /* page_owner records for [map_start, map_end) */
#endif
};
_Static_assert(PA_PAGES_PER_SECTION * (unsigned long long)sizeof(struct pa_page) <= UINT32_MAX,
	       "map_bytes must fit 32 bits");

/*
 * The fast run (sparse.c): the longest stretch of memory, on one node,
 * whose struct pages are one array and whose pageblock bytes are another,
 * so that the fast free checks a page pointer against it with one compare
 * (pa_run_locate()) and finds its pageblock with one load.  nr_pages 0:
 * no run (none built yet, or struct pa_page is not a power of two bytes).
 */
struct pa_fast_run {
	uintptr_t first;         /* the struct page of frame @pfn */
	unsigned long nr_pages;  /* struct pages in the array */
	unsigned long pfn;       /* frame of the first, a MAX_ORDER block's */
	const uint8_t *pageblock; /* [i >> PA_PAGEBLOCK_ORDER]: the block of page i */
};

/* log2(sizeof(struct pa_page)), for the fast run; exact only when a power of two. */
#define PA_PAGE_STRUCT_SHIFT __builtin_ctz(sizeof(struct pa_page))
#define PA_PAGE_STRUCT_POW2 ((sizeof(struct pa_page) & (sizeof(struct pa_page) - 1)) == 0)

static inline unsigned long pa_section_map_end(const struct pa_mem_section *ms)
{
	return ms->map_start + ms->map_bytes / sizeof(struct pa_page);
}

/* ------------------------------------------------------------ event counters */

/* One CPU's counters (vmstat.c), on cache lines of their own. */
struct pa_cpu_stats {
	unsigned long events[PA_NR_VM_EVENTS];
	unsigned long zone_alloc[PA_MAX_ZONEIDS]; /* pages, by zone id */
#ifdef CONFIG_PA_NUMA
	unsigned long numa[PA_MAX_ZONEIDS][PA_NR_NUMA_EVENTS]; /* by zone id */
#endif
} __attribute__((aligned(64)));

/* ------------------------------------------------------------ CMA areas */

/* One CMA area (cma.c): @bitmap has a bit per page, set while pa_cma_alloc() holds it. */
struct pa_cma {
	unsigned long base_pfn;
	unsigned long count;
	unsigned long *bitmap;
	pa_spinlock_t lock; /* the bitmap */
	bool active;
	char name[16];
};

/* ------------------------------------------------------------ global state */

/* pa_cpu_zone's row: a highest zone index, or PA_FAST_ZONE_BAD (PA_MAX_NR_ZONES). */
#define PA_CPU_ZONE_COLS 8
_Static_assert(PA_MAX_NR_ZONES + 1 <= PA_CPU_ZONE_COLS, "a cpu_zone row holds every column");

struct pa_state {
	bool initialized;
	bool memmap_external;
	unsigned int nr_cpus;
	int nr_node_ids; /* highest node with memory + 1 */
	pa_phys_t zone_limit[PA_MAX_NR_ZONES]; /* 0: not set */
	unsigned long required_kernelcore;   /* pages */
	unsigned long required_movablecore;  /* pages */
	int16_t cpu_to_node[PA_NR_CPUS];
	uint8_t distance_set[PA_MAX_NUMNODES][PA_MAX_NUMNODES];

	struct pa_memblock_type memory;
	struct pa_memblock_type reserved;

	/* Caller-provided metadata buffer (pa_set_memmap). */
	char *memmap_buf;
	size_t memmap_buf_size;
	size_t memmap_buf_used;
	size_t memmap_bytes;
	size_t table_bytes;
	unsigned long nr_present_sections;

	struct pa_mem_section **section_root;
	unsigned long nr_section_roots;
	/*
	 * The sections [section_flat_min, section_flat_min + nr_section_flat)
	 * as one array of pointers (absent ones to pa_no_section), so that
	 * pa_page_locate_in() finds a section in one load; 0 entries when
	 * the array would be large beside mem_map (see sparse.c).
	 */
	const struct pa_mem_section **section_flat;
	unsigned long section_flat_min;
	unsigned long nr_section_flat;
	struct pa_fast_run run; /* the fast free's first check (sparse.c) */
	unsigned long max_pfn;
	unsigned long min_pfn;

	unsigned long nr_bad_pages;
	unsigned long nr_poison_errors; /* debug_page.c */
	unsigned long long owner_seq;   /* page_owner allocation sequence */

	/* Tunables (sysctl.c); valid once tunables_ready is set. */
	bool tunables_ready;
	int min_free_kbytes;
	int user_min_free_kbytes; /* -1: never set */
	int watermark_scale_factor;
	int watermark_boost_factor;
	int lowmem_reserve_ratio[PA_MAX_NR_ZONES];
	int percpu_pagelist_high_fraction;
	int zone_reclaim_mode;
	int extfrag_threshold;
	unsigned long totalreserve_pages;

	/* Zonelists (zonelist.c). */
	int zonelist_order_req;   /* enum pa_zonelist_order asked for */
	int zonelist_order;       /* resolved: NODE or ZONE */
	pa_nodemask_t node_online; /* nodes with memory or CPUs */
	pa_nodemask_t node_has_cpus;

	unsigned long warn_count; /* allocation-failure warnings (slowpath.c) */
	bool pcp_disabled;        /* pa_pcp_set_enabled(false): high 0, batch 1 */
	bool mobility_disabled;   /* Linux's page_group_by_mobility_disabled */
	int mobility_req;         /* pa_set_mobility_grouping(): -1 auto, 0 off, 1 on */
	uint8_t cpu_online[PA_NR_CPUS];
	uint8_t cpu_id_said[PA_NR_CPUS + 1]; /* pa_cpu_id_bad_once(); the last: any larger id */
	struct pa_cpu_stats cpu_stats[PA_NR_CPUS];

#ifdef CONFIG_PA_CMA
	unsigned int nr_cma_areas;
	struct pa_cma cma_areas[PA_MAX_CMA_AREAS];
#endif
	struct pa_node nodes[PA_MAX_NUMNODES];
	struct pa_zone *zone_by_id[PA_MAX_NUMNODES * PA_MAX_NR_ZONES];
};

extern struct pa_state pa_g;

/* The CPU count in effect: pa_set_nr_cpus()'s, 1 until it is called. */
static inline unsigned int pa_nr_cpus_now(void)
{
	return pa_g.nr_cpus ? pa_g.nr_cpus : 1;
}

_Noreturn void pa_bad_cpu_panic(unsigned int cpu);

/*
 * pa_port_cpu_id(), which the port contract keeps below the CPU count
 * (pa_set_nr_cpus()).  With CONFIG_PA_DEBUG_VM each use checks it and
 * panics with the id and the count.  Without, the per-CPU fast paths
 * trust it; an id in [count, CONFIG_PA_NR_CPUS) finds no zone in
 * pa_cpu_zone and takes the general path, which refuses it
 * (pa_cpu_id_bad()), and the fast free checks it before using a set.
 */
static PA_ALWAYS_INLINE unsigned int pa_this_cpu(void)
{
	unsigned int cpu = pa_port_cpu_id();

	if (IS_ENABLED(CONFIG_PA_DEBUG_VM) && pa_unlikely(cpu >= pa_nr_cpus_now()))
		pa_bad_cpu_panic(cpu);
	return cpu;
}

/*
 * The check of pa_this_cpu() for the paths that can refuse: true, with one
 * log line naming @func, when this CPU's id is not below the CPU count
 * (an allocation, which is then refused).
 */
bool pa_cpu_id_bad(const char *func);
/*
 * The same for a free, which then goes round the per-CPU sets to the
 * buddy lists and succeeds: the line only the first time each bad id
 * frees, rather than one for every block of a range.
 */
bool pa_cpu_id_bad_once(const char *func);

/* ------------------------------------------------------------ page helpers */

#define PA_PG_ORDER_MASK ((1u << PA_PG_ORDER_BITS) - 1)
#define PA_PG_STATE_MASK ((1u << PA_PG_buddy) | (1u << PA_PG_head) | (1u << PA_PG_pcp))

static inline bool pa_is_migrate_isolate(int mt)
{
#ifdef CONFIG_PA_MEMORY_ISOLATION
	return mt == PA_MIGRATE_ISOLATE;
#else
	(void)mt;
	return false;
#endif
}
#define PA_PG_ZONEID_MASK ((1u << PA_PG_ZONEID_BITS) - 1)
#define PA_PG_SECTION_MASK ((1u << PA_PG_SECTION_BITS) - 1)

/* page->flags: written by its owner, read by a neighbour's merge under another lock. */
static inline uint32_t pa_page_flags(const struct pa_page *p)
{
	return PA_READ_ONCE(p->flags);
}

static inline void pa_page_set_flags(struct pa_page *p, uint32_t v)
{
	PA_WRITE_ONCE(p->flags, v);
}

static inline bool pa_page_test(const struct pa_page *p, enum pa_page_flag f)
{
	return pa_page_flags(p) & (1u << f);
}

static inline void pa_page_set(struct pa_page *p, enum pa_page_flag f)
{
	pa_page_set_flags(p, pa_page_flags(p) | 1u << f);
}

static inline void pa_page_clear(struct pa_page *p, enum pa_page_flag f)
{
	pa_page_set_flags(p, pa_page_flags(p) & ~(1u << f));
}

static inline unsigned int pa_page_order(const struct pa_page *p)
{
	return (pa_page_flags(p) >> PA_PG_ORDER_SHIFT) & PA_PG_ORDER_MASK;
}

/* @flags with the state bits (PG_movable included) and the order replaced. */
static inline uint32_t pa_flags_with_state(uint32_t flags, uint32_t state, unsigned int order)
{
	const uint32_t clear = PA_PG_STATE_MASK | (1u << PA_PG_movable) |
			       (PA_PG_ORDER_MASK << PA_PG_ORDER_SHIFT);

	return (flags & ~clear) | state | (order << PA_PG_ORDER_SHIFT);
}

static inline void pa_page_set_state(struct pa_page *p, uint32_t state, unsigned int order)
{
	pa_page_set_flags(p, pa_flags_with_state(pa_page_flags(p), state, order));
}

static inline void pa_page_set_order(struct pa_page *p, unsigned int order)
{
	pa_page_set_flags(p, (pa_page_flags(p) & ~(PA_PG_ORDER_MASK << PA_PG_ORDER_SHIFT)) |
			     (order << PA_PG_ORDER_SHIFT));
}

static inline unsigned int pa_page_zoneid(const struct pa_page *p)
{
	return (pa_page_flags(p) >> PA_PG_ZONEID_SHIFT) & PA_PG_ZONEID_MASK;
}

/* The section number in the flags word @flags. */
static inline unsigned long pa_flags_section(uint32_t flags)
{
	return (flags >> PA_PG_SECTION_SHIFT) & PA_PG_SECTION_MASK;
}

static inline unsigned long pa_page_section(const struct pa_page *p)
{
	return pa_flags_section(pa_page_flags(p));
}

static inline struct pa_zone *pa_page_zone(const struct pa_page *p)
{
	return pa_g.zone_by_id[pa_page_zoneid(p)];
}

static inline uint32_t pa_page_flags_init(unsigned int zoneid, unsigned long section)
{
	return ((uint32_t)zoneid << PA_PG_ZONEID_SHIFT) | ((uint32_t)section << PA_PG_SECTION_SHIFT);
}


static inline struct pa_mem_section *pa_nr_to_section(unsigned long nr)
{
	return pa_g.section_root[nr / PA_SECTIONS_PER_LEAF] + nr % PA_SECTIONS_PER_LEAF;
}

/*
 * Section @nr from the two-level table, or NULL when its leaf is absent
 * (nr_section_roots is 0 while there is no table).
 */
static inline struct pa_mem_section *pa_section_lookup(unsigned long nr)
{
	unsigned long root = nr / PA_SECTIONS_PER_LEAF;

	if (root >= pa_g.nr_section_roots || !pa_g.section_root[root])
		return NULL;
	return pa_g.section_root[root] + nr % PA_SECTIONS_PER_LEAF;
}

/* The section of @pfn, or NULL when it has no struct pages at all. */
static inline struct pa_mem_section *pa_pfn_section(unsigned long pfn)
{
	struct pa_mem_section *ms = pa_section_lookup(pfn >> PA_PFN_SECTION_SHIFT);

	return ms && ms->map_base ? ms : NULL;
}

/* The entry of pa_g.section_flat for a section without memory: no page is inside its map. */
extern const struct pa_mem_section pa_no_section;

/*
 * The zone of pa_cpu_zone's empty entries: no free page, so no watermark
 * passes and the fast path turns to the general path.  Never written.
 */
extern const struct pa_zone pa_no_zone;
#define PA_NO_ZONE ((struct pa_zone *)&pa_no_zone) /* as the tables hold it: never written */

/*
 * The first zone of each CPU's node's fallback zonelist, by highest zone
 * (zonelist.c).  Not in pa_g: its empty entries are &pa_no_zone from the
 * start (a static initializer; pa_reset() restores them), before
 * pa_init(), for PA_FAST_ZONE_BAD and for the columns that pad a row to
 * PA_CPU_ZONE_COLS (a row is then one scaled index away), so the fast
 * path needs no NULL test.
 */
extern struct pa_zone *pa_cpu_zone[PA_NR_CPUS][PA_CPU_ZONE_COLS];
void pa_cpu_zone_reset(void);

/*
 * The first zone of @nid's fallback zonelist for highest zone @hz
 * (PA_FAST_ZONE_BAD included), or PA_NO_ZONE: pa_cpu_zone's entries, and
 * the fast paths' zone for an allocation that names its node.
 */
static inline struct pa_zone *pa_node_fast_zone(int nid, unsigned long hz)
{
	struct pa_zone *z = (unsigned int)nid < PA_MAX_NUMNODES
				    ? pa_g.nodes[nid].first_zone[PA_ZONELIST_FALLBACK][hz]
				    : NULL;

	return z ? z : PA_NO_ZONE;
}

/* Does every pfn of [@start, @end) have a struct page (pa_pfn_valid())? */
bool pa_pfn_range_valid(unsigned long start, unsigned long end);

/* pfn -> page without validity checks: the pfn must have a struct page. */
static inline struct pa_page *pa_pfn_to_page_fast(unsigned long pfn)
{
	struct pa_mem_section *ms = pa_nr_to_section(pfn >> PA_PFN_SECTION_SHIFT);

	return (struct pa_page *)ms->map_base + (pfn & (PA_PAGES_PER_SECTION - 1));
}

static inline unsigned long pa_page_to_pfn_fast(const struct pa_page *page)
{
	unsigned long nr = pa_page_section(page);
	struct pa_mem_section *ms = pa_nr_to_section(nr);

	return (nr << PA_PFN_SECTION_SHIFT) + (unsigned long)(page - (struct pa_page *)ms->map_base);
}

/*
 * The section of @page when it points at a struct page of mem_map (aligned,
 * inside its section's map), with *@idx its offset in the section and
 * *@flags the flags word it read; NULL otherwise.  Reads @page's flags for
 * the section number first, so the pointer must be readable, as for any
 * pointer handed to the free path.  The frame is pa_flags_pfn(*@flags, *@idx).
 * With @flat_only (the fast free paths), a section outside the flat array
 * gives NULL too, and the caller's general path looks again.
 */
static PA_ALWAYS_INLINE const struct pa_mem_section *
pa_page_locate_in(const struct pa_page *page, unsigned long *idx, uint32_t *flags, bool flat_only)
{
	const struct pa_mem_section *ms;
	unsigned long i;

	if (!page || ((uintptr_t)page & (sizeof(*page) - 1)))
		return NULL;
	*flags = pa_page_flags(page);
	i = pa_flags_section(*flags) - pa_g.section_flat_min;
	if (pa_likely(i < pa_g.nr_section_flat))
		ms = pa_g.section_flat[i];
	else if (flat_only || !(ms = pa_section_lookup(pa_flags_section(*flags))))
		return NULL;
	/*
	 * Below the map the difference wraps around and fails the bound; a
	 * section without a map has map_bytes == 0.
	 */
	if ((uintptr_t)page - ms->map_first >= ms->map_bytes)
		return NULL;
	*idx = ((uintptr_t)page - ms->map_base) / sizeof(*page);
	PA_ASSUME(*idx < PA_PAGES_PER_SECTION); /* inside the map, so inside the section */
	return ms;
}

/* The frame of the page at offset @idx of the section named in @flags. */
static inline unsigned long pa_flags_pfn(uint32_t flags, unsigned long idx)
{
	return (pa_flags_section(flags) << PA_PFN_SECTION_SHIFT) + idx;
}

/* pa_page_locate_in() with *@pfn the page's frame. */
static inline const struct pa_mem_section *pa_page_locate(const struct pa_page *page,
							   unsigned long *pfn, uint32_t *flags)
{
	unsigned long idx;
	const struct pa_mem_section *ms = pa_page_locate_in(page, &idx, flags, false);

	if (ms)
		*pfn = pa_flags_pfn(*flags, idx);
	return ms;
}

/* The byte of @pfn's pageblock in its section @ms.  @pfn may be the offset in the section. */
static inline const uint8_t *pa_section_pageblock(const struct pa_mem_section *ms,
						  unsigned long pfn)
{
	return &ms->pageblock_flags[(pfn & (PA_PAGES_PER_SECTION - 1)) >> PA_PAGEBLOCK_ORDER];
}

/*
 * The migratetype in pageblock byte @pb.  Read without the zone lock by
 * the per-CPU free path, as Linux's get_pfnblock_flags_mask(), and under
 * it by pa_buddy_free_block().  The byte holds the type alone
 * (pa_set_pageblock_migratetype() masks what it stores), so it is read
 * unmasked.
 */
static inline unsigned int pa_pageblock_mt(const uint8_t *pb)
{
	return PA_READ_ONCE(*pb);
}

/* The migratetype of @pfn's pageblock, from its section @ms (@pfn as above). */
static inline unsigned int pa_section_pageblock_mt(const struct pa_mem_section *ms,
						   unsigned long pfn)
{
	return pa_pageblock_mt(pa_section_pageblock(ms, pfn));
}

/*
 * Is @page a struct page of the fast run?  Then *@i is its index there
 * (frame pa_g.run.pfn + *@i).  One compare checks the bound and the
 * alignment: the offset is rotated, so the low bits of a pointer inside
 * a struct page land on top and fail the bound, as NULL's wrap-around
 * does.  Reads nothing of @page.
 */
static PA_ALWAYS_INLINE bool pa_run_locate(const struct pa_page *page, unsigned long *i)
{
	const unsigned int s = PA_PAGE_STRUCT_SHIFT;
	uintptr_t off = (uintptr_t)page - pa_g.run.first;

	*i = (off >> s) | (off << (sizeof(off) * 8 - s));
	return *i < pa_g.run.nr_pages;
}

/* ------------------------------------------------------------ sparse */

int pa_sparse_init(void);         /* allocate section tables and mem_map */
/* Drop the fast free's lookups (the fast run, the flat section array): they see no page. */
void pa_sparse_fast_forget(void);
void pa_sparse_init_pages(void);  /* write every struct page (zones must be set up) */
bool pa_page_ptr_valid(const struct pa_page *page);
/*
 * A public entry's @page argument: 0 for one of our struct pages, else one
 * log line in @func's name and -PA_ENODEV (before pa_init()) or -PA_EFAULT
 * (NULL or any other pointer).
 */
int pa_page_arg_check(const struct pa_page *page, const char *func);

/* ------------------------------------------------------------ pageblocks */

int pa_get_pageblock_migratetype(unsigned long pfn);
void pa_set_pageblock_migratetype(unsigned long pfn, int mt);
/* Retype each pageblock of the block of @order (>= pageblock_order) at @pfn. */
void pa_change_pageblock_range(unsigned long pfn, unsigned int order, int mt);

/*
 * The offset in the block at @pfn of @order of its first pageblock whose
 * type is not @mt (the first pageblock's own), or 0 when they all agree.
 */
static inline unsigned long pa_other_type_pageblock(unsigned long pfn, unsigned int order, int mt)
{
	for (unsigned long b = PA_PAGEBLOCK_NR_PAGES; b < (1UL << order); b += PA_PAGEBLOCK_NR_PAGES)
		if (pa_get_pageblock_migratetype(pfn + b) != mt)
			return b;
	return 0;
}

/* ------------------------------------------------------------ buddy core */

/* Free-list primitives; the caller holds zone->lock. */
static inline void set_buddy_order(struct pa_page *page, unsigned int order, int mt)
{
	pa_page_set_state(page, 1u << PA_PG_buddy, order);
	page->priv = (uintptr_t)mt;
}

/*
 * List a free block without counting its pages: splits and merges move
 * pages between orders of one zone and settle free_pages/free_pages_mt
 * once per operation (pa_account_free()) rather than at every level.
 */
static inline void pa_list_free_block(struct pa_page *page, struct pa_zone *zone,
				      unsigned int order, int mt, bool tail)
{
	struct pa_free_area *area = &zone->free_area[order];

	set_buddy_order(page, order, mt);
	if (tail)
		pa_list_add_tail(&page->lru, &area->free_list[mt]);
	else
		pa_list_add(&page->lru, &area->free_list[mt]);
	PA_WRITE_ONCE(area->nr_free, area->nr_free + 1);
}

/* Take a free block off its list, PG_buddy left set: for a caller that rewrites the state. */
static inline void pa_unlist_free_block_keep_state(struct pa_page *page, struct pa_zone *zone,
						   unsigned int order, int mt)
{
	PA_BUG_ON(!pa_page_test(page, PA_PG_buddy) || (int)page->priv != mt);
	pa_list_del(&page->lru);
	PA_WRITE_ONCE(zone->free_area[order].nr_free, zone->free_area[order].nr_free - 1);
}

static inline void pa_unlist_free_block(struct pa_page *page, struct pa_zone *zone,
					unsigned int order, int mt)
{
	pa_unlist_free_block_keep_state(page, zone, order, mt);
	pa_page_clear(page, PA_PG_buddy);
}

/*
 * After a change of @zone's low watermark, boost, lowmem reserve or free
 * highatomic pages: rewrite fast_mark[].
 */
void pa_zone_fast_mark_update_locked(struct pa_zone *zone);

/*
 * @delta pages of list type @mt became free (or, negative, left the lists).
 * Pages on the isolate lists are not free memory (NR_FREE_PAGES): only
 * free_pages_mt counts them.
 */
static inline void pa_account_free(struct pa_zone *zone, int mt, long delta)
{
	if (!pa_is_migrate_isolate(mt))
		PA_WRITE_ONCE(zone->free_pages, zone->free_pages + (unsigned long)delta);
	PA_WRITE_ONCE(zone->free_pages_mt[mt], zone->free_pages_mt[mt] + (unsigned long)delta);
	if (mt == PA_MIGRATE_HIGHATOMIC)
		pa_zone_fast_mark_update_locked(zone); /* the fast mark counts them */
}

static inline void pa_add_to_free_list(struct pa_page *page, struct pa_zone *zone, unsigned int order,
				    int mt, bool tail)
{
	pa_list_free_block(page, zone, order, mt, tail);
	pa_account_free(zone, mt, 1L << order);
}

static inline void pa_del_from_free_list(struct pa_page *page, struct pa_zone *zone, unsigned int order,
				      int mt)
{
	pa_unlist_free_block(page, zone, order, mt);
	pa_account_free(zone, mt, -(1L << order));
}

/* Split a block of order @high down to @low, listing the upper halves. */
static inline void pa_expand(struct pa_zone *zone, struct pa_page *page, unsigned int low,
			  unsigned int high, int mt)
{
	unsigned long size = 1UL << high;

	pa_account_free(zone, mt, (1L << high) - (1L << low));
	while (high > low) {
		high--;
		size >>= 1;
		pa_list_free_block(&page[size], zone, high, mt, false);
	}
}

/* Only the three ordinary types may merge across a pageblock boundary. */
static inline bool pa_migratetype_is_mergeable(int mt)
{
	return mt < PA_MIGRATE_PCPTYPES;
}

/*
 * May a free block of type @mt merge with its free buddy of type @buddy_mt
 * at @order?  Below a pageblock always (one pageblock, one type).  From a
 * pageblock up: blocks of one type, or of two ordinary types; an isolated
 * block never, not even with another isolated one, so every isolated free
 * block lies inside one pageblock and undoing isolation is per pageblock.
 */
static inline bool pa_buddy_mergeable(unsigned int order, int mt, int buddy_mt)
{
	if (order < PA_PAGEBLOCK_ORDER)
		return true;
	if (pa_is_migrate_isolate(mt))
		return false;
	return buddy_mt == mt || (pa_migratetype_is_mergeable(mt) && pa_migratetype_is_mergeable(buddy_mt));
}


/* All _locked helpers need zone->lock held. */
void pa_free_one_page_locked(struct pa_zone *zone, struct pa_page *page, unsigned long pfn,
			     unsigned int order, int mt);
struct pa_page *pa_rmqueue_smallest_locked(struct pa_zone *zone, unsigned int order, int mt);
struct pa_page *pa_rmqueue_locked(struct pa_zone *zone, unsigned int order, int mt,
				  unsigned int alloc_flags);

/*
 * Linux's __rmqueue() CMA balancing: a request that may use CMA takes
 * from the CMA lists first while they hold more than half the zone's free
 * pages, so CMA areas are used before the rest runs low.
 */
static inline bool pa_cma_first(const struct pa_zone *zone, unsigned int alloc_flags)
{
#ifdef CONFIG_PA_CMA
	return (alloc_flags & PA_ALLOC_CMA) &&
	       zone->free_pages_mt[PA_MIGRATE_CMA] > zone->free_pages / 2;
#else
	(void)zone, (void)alloc_flags;
	return false;
#endif
}

/*
 * The buddy fast path's first step (pa_rmqueue_locked()'s when it finds a
 * block at once): the first free block of exactly @order on the @mt list,
 * unlisted and counted, or NULL (then pa_rmqueue_locked() does the rest:
 * larger orders, CMA, fallback).  The caller preps the block in the same
 * lock hold, and pa_prep_new_page() rewrites every state bit, so PG_buddy
 * is left to it; the list head is read plainly, as the zone lock orders
 * every writer of the lists.
 */
static inline struct pa_page *pa_rmqueue_exact_locked(struct pa_zone *zone, unsigned int order,
						      int mt, unsigned int alloc_flags)
{
	struct pa_list *list = &zone->free_area[order].free_list[mt];
	struct pa_page *page = pa_lru_to_page(list->next);

	if (pa_cma_first(zone, alloc_flags) || &page->lru == list)
		return NULL;
	pa_unlist_free_block_keep_state(page, zone, order, mt);
	pa_account_free(zone, mt, -(1L << order));
	return page;
}
/* ------------------------------------------------------------ debug_page.c */

#define PA_DEBUG_PAGES (IS_ENABLED(CONFIG_PA_PAGE_POISONING) || IS_ENABLED(CONFIG_PA_PAGE_OWNER))
#define PA_RET_IP ((uintptr_t)__builtin_return_address(0))
/*
 * The page_owner site of a public entry: its caller, or 0 without
 * page_owner, so that the paths that pass it down compute nothing.
 */
#define PA_OWNER_SITE (IS_ENABLED(CONFIG_PA_PAGE_OWNER) ? PA_RET_IP : (uintptr_t)0)

/* Poison a block whose last reference is gone, before it is listed anywhere. */
void pa_poison_free_block(struct pa_page *page, unsigned long pfn, unsigned int order);
/* Check and clear the poison of the pages of a block being handed out. */
void pa_check_poison(struct pa_page *page, unsigned int order);
/* A block is being handed out: check its poison, start its owner record. */
void pa_debug_alloc_prep(struct pa_page *page, unsigned int order);
/* Owner record: the caller of the public entry that allocated / freed @page. */
void pa_page_owner_set_alloc(struct pa_page *page, pa_gfp_t gfp, uintptr_t site);
void pa_page_owner_set_free(const struct pa_page *page, uintptr_t site);
/* ", allocated by [<site>] order N seq S, freed by [<site>]" or "" (bad-page reports). */
void pa_page_owner_describe(const struct pa_page *page, char *buf, size_t size);
size_t pa_page_owner_meta_bytes(unsigned long nr_pages);
int pa_page_owner_section_init(struct pa_mem_section *ms, unsigned long nr_pages, int nid);

/* The public allocation entries return through this (zero cost when off). */
static inline struct pa_page *pa_owner_alloc(struct pa_page *page, pa_gfp_t gfp, uintptr_t site)
{
	if (IS_ENABLED(CONFIG_PA_PAGE_OWNER) && page)
		pa_page_owner_set_alloc(page, gfp, site);
	return page;
}

/* The free paths call this when @page's last reference goes, before the block is freed. */
static inline void pa_owner_freed(const struct pa_page *page, uintptr_t site)
{
	if (IS_ENABLED(CONFIG_PA_PAGE_OWNER))
		pa_page_owner_set_free(page, site);
}

/*
 * The reference a new allocation gets, stored last, with release order: a
 * free whose compare-and-swap drops it (acquire) is ordered after all the
 * allocation wrote to the block (list pointers, flags, priv), so the two
 * never race on those words, even for a free from a CPU the owner never
 * handed the page to (a double free racing the allocation).  The free's
 * checks of the flags word come before its compare-and-swap and may read
 * an older word: they only pick the path the free takes.  A plain store
 * on x86; arm64's STLR.
 */
static inline void pa_set_first_ref(struct pa_page *page)
{
	__atomic_store_n(&page->refcount, 1, __ATOMIC_RELEASE);
}

/* A block leaves the allocator for @mt: head of @order, one reference, priv 0. */
static inline void pa_prep_new_page(struct pa_page *page, unsigned int order, int mt)
{
	if (PA_DEBUG_PAGES)
		pa_debug_alloc_prep(page, order);
	pa_page_set_state(page, (1u << PA_PG_head) |
				((uint32_t)(mt == PA_MIGRATE_MOVABLE) << PA_PG_movable), order);
	page->priv = 0;
	pa_set_first_ref(page);
}

/*
 * The state bits of a block on a per-CPU list of type @mt: PG_pcp, and
 * PG_movable when the list is the movable one, so that taking it for a
 * request of that type (pa_prep_pcp_page()) flips PG_pcp to PG_head and
 * leaves the rest as pa_prep_new_page() would write it.  PG_movable means
 * "allocated movable" only with PG_head (mobility.c counts it so).
 */
static inline uint32_t pa_pcp_state(unsigned long mt)
{
	static const uint32_t state[PA_MIGRATE_PCPTYPES] = {
		[PA_MIGRATE_UNMOVABLE] = 1u << PA_PG_pcp,
		[PA_MIGRATE_MOVABLE] = (1u << PA_PG_pcp) | (1u << PA_PG_movable),
		[PA_MIGRATE_RECLAIMABLE] = 1u << PA_PG_pcp,
	};

	PA_ASSUME(mt < PA_MIGRATE_PCPTYPES); /* the sets keep these types only */
	return state[mt]; /* a load: cheaper than the compare and select it replaces */
}

/* pa_prep_new_page() for a block taken from a per-CPU list of @mt and @order. */
static inline void pa_prep_pcp_page(struct pa_page *page, unsigned int order, int mt)
{
	if (PA_DEBUG_PAGES)
		pa_debug_alloc_prep(page, order); /* may clear PG_poisoned */
	if (IS_ENABLED(CONFIG_PA_DEBUG_VM)) {
		uint32_t flags = pa_page_flags(page);

		PA_BUG_ON(flags != pa_flags_with_state(flags, pa_pcp_state(mt), order));
	}
	pa_local_xor32(&page->flags, (1u << PA_PG_pcp) | (1u << PA_PG_head));
	page->priv = 0;
	pa_set_first_ref(page);
}
/* Report a bad page met by the public entry @func (Linux's bad_page()). */
void pa_bad_page(const struct pa_page *page, unsigned long pfn, const char *reason,
		 const char *func);
/* "flag|flag" names of the state bits in @flags. */
void pa_page_flags_string(uint32_t flags, char *buf, size_t size);
/* Takes the zone lock; @pb is @pfn's pageblock byte if the caller has it, else NULL. */
int pa_buddy_free_block(struct pa_zone *zone, struct pa_page *page, unsigned long pfn,
			 unsigned int order, const uint8_t *pb);
/* pa_free_pages() for the public entry @func called from @site (contig.c). */
int pa_free_pages_site(struct pa_page *page, unsigned int order, uintptr_t site, const char *func);

/* ------------------------------------------------------------ per-CPU page sets */

void *pa_meta_alloc(size_t size, int nid);
size_t pa_pcp_meta_bytes(void);                 /* metadata pa_pcp_init() will take */
int pa_pcp_init(void);                          /* carve and set up every zone's sets */
void pa_pcp_update_all(void);                   /* batch/high after a watermark change */
struct pa_page *pa_rmqueue_pcplist(struct pa_zone *preferred, struct pa_zone *zone,
				   unsigned int order, int mt, unsigned int alloc_flags);
struct pa_page *pa_rmqueue_buddy(struct pa_zone *preferred, struct pa_zone *zone,
				 unsigned int order, unsigned int alloc_flags, int mt);
unsigned int pa_rmqueue_pcp_bulk(struct pa_zone *preferred, struct pa_zone *zone, int mt,
				 unsigned int alloc_flags, unsigned int nr, struct pa_page **array);
void pa_free_to_pcp(struct pa_zone *zone, struct pa_page *page, unsigned long pfn,
		    unsigned int order, const char *func);
int pa_check_pcp(const struct pa_zone *zone, unsigned long *pages, unsigned long *blocks);
enum pa_pcp_event { PA_PCP_EV_ALLOC, PA_PCP_EV_FREE, PA_PCP_EV_LOCAL, PA_PCP_EV_OTHER };
unsigned long pa_pcp_event_sum(unsigned int zoneid, enum pa_pcp_event item);
void pa_pcp_events_reset(void);
void pa_pcp_lock_zone(struct pa_zone *zone, unsigned long *flags);
void pa_pcp_unlock_zone(struct pa_zone *zone, const unsigned long *flags);


static inline bool pa_pcp_allowed_order(unsigned int order)
{
	return IS_ENABLED(CONFIG_PA_PCP) && order <= PA_PCP_MAX_ORDER;
}

/* Linux's gfp_to_alloc_flags_cma(): movable requests may use CMA pageblocks. */
static inline unsigned int pa_alloc_flags_cma(int mt, unsigned int alloc_flags)
{
	if (IS_ENABLED(CONFIG_PA_CMA) && mt == PA_MIGRATE_MOVABLE)
		alloc_flags |= PA_ALLOC_CMA;
	return alloc_flags;
}

/* ------------------------------------------------------------ mobility */

void pa_mobility_init(unsigned long total_pages);
/* A fast_mark no free count passes: the fast paths leave the zone to the general path. */
#define PA_FAST_MARK_OFF (~0UL >> 1) /* LONG_MAX */

/*
 * What @zone's fast_mark[@hz] must hold: low + boost + lowmem_reserve[@hz],
 * plus the free highatomic pages, which an order-0 request without
 * ALLOC_RESERVES may not count (moved to the mark's side of the compare).
 * While a boost waits to wake kswapd (PA_ZONE_BOOSTED_WATERMARK), the
 * mark is off, so the next allocation takes the general path, which wakes
 * it (pa_check_boosted()): the fast paths need not test the flag.
 */
static inline unsigned long pa_zone_fast_mark(const struct pa_zone *zone, int hz)
{
	if (PA_READ_ONCE(zone->zflags) & PA_ZONE_BOOSTED_WATERMARK)
		return PA_FAST_MARK_OFF;
	return zone->_watermark[PA_WMARK_LOW] + zone->watermark_boost + zone->lowmem_reserve[hz] +
	       zone->free_pages_mt[PA_MIGRATE_HIGHATOMIC];
}
bool pa_boost_watermark_locked(struct pa_zone *zone);
void pa_reserve_highatomic(struct pa_zone *zone, struct pa_page *page, unsigned int order);
struct pa_alloc_ctx;
bool pa_unreserve_highatomic(const struct pa_alloc_ctx *ac, bool force);
void pa_wakeup_kswapd_zone(struct pa_zone *zone);
/* Does the kernel run kswapd (it defined pa_port_wake_kswapd())?  kswapd.c. */
bool pa_kswapd_present(void);
/* The default pa_port_wake_kswapd() (port_default.c), for that test. */
void pa_kswapd_hook_default(int nid, unsigned int order, enum pa_zone_type highest_zoneidx);
/* Move the pageblock's free blocks from @old's lists to @new's, retype it; pages moved. */
unsigned long pa_move_freepages_block_locked(struct pa_zone *zone, unsigned long start, int old,
					     int new);

/* ------------------------------------------------------------ isolation, contig, CMA */

/* The zone holding all of [start, end), or NULL with *@err set and one line logged. */
struct pa_zone *pa_range_zone(unsigned long start, unsigned long end, const char *func, int *err);
/* The same without the pa_init() check, and no log line with a NULL @func (CMA activation). */
struct pa_zone *pa_range_zone_init(unsigned long start, unsigned long end, const char *func,
				   int *err);
/* Head pfn of the free or allocated block covering @pfn; @pfn when none does. */
unsigned long pa_block_head_pfn(unsigned long pfn);
/*
 * Isolate the pageblocks of [start, end) of @zone (pageblock aligned);
 * unmovable pages count only inside [check_start, check_end).  Takes the
 * zone lock per block; does not drain.  Return: 0 or -PA_EBUSY (undone).
 */
int pa_isolate_zone_range(struct pa_zone *zone, unsigned long start, unsigned long end,
			  unsigned long check_start, unsigned long check_end, int mt,
			  unsigned int flags);
void pa_undo_isolate_zone_range(struct pa_zone *zone, unsigned long start, unsigned long end,
				int mt);
/* pa_alloc_contig_range() on a checked range of @zone. */
int pa_alloc_contig_zone(struct pa_zone *zone, unsigned long start, unsigned long end, int mt,
			 pa_gfp_t gfp);
/* A range just allocated from @site: trace events and page_owner, page by page. */
void pa_contig_allocated(unsigned long pfn, unsigned long nr_pages, pa_gfp_t gfp, uintptr_t site);
/* pa_free_contig_range() for the public entry @func, called from @site. */
int pa_free_contig_site(unsigned long pfn, unsigned long nr_pages, const char *func,
			uintptr_t site);
/* At pa_init(), after the free memory: activate the CMA areas and free their pages. */
void pa_cma_init(void);
/* Free [start, end) of node @nid to its zones at boot, counting them managed. */
void pa_free_boot_range(int nid, unsigned long start, unsigned long end);

void pa_clear_boosted(struct pa_zone *zone);

/* A fallback boosted @zone's watermark: wake kswapd once (Linux's rmqueue()). */
static inline void pa_check_boosted(struct pa_zone *zone, unsigned int alloc_flags)
{
	if (pa_unlikely(PA_READ_ONCE(zone->zflags) & PA_ZONE_BOOSTED_WATERMARK) &&
	    (alloc_flags & PA_ALLOC_KSWAPD))
		pa_clear_boosted(zone);
}

/* ------------------------------------------------------------ gfp */

extern const int8_t pa_gfp_zone_table[16];

/*
 * The fast paths' GFP decoding: the five bits that choose the zone and the
 * migratetype index a table (pa_fast_gfp_tab) built by pa_fast_gfp_init()
 * once grouping by mobility is settled.  An invalid combination maps to hz
 * PA_FAST_ZONE_BAD, whose first zone is always pa_no_zone, so the fast
 * path sends it to the general path without a test of its own.  The
 * table is a global of its own, not in pa_g, so that an entry is one
 * scaled-index load; it holds words (no widening) and the migratetype as
 * the offset of its list (mt * sizeof(struct pa_list)), which the per-CPU
 * hit path adds as it is.  It is indexed by the mask's low byte, the five
 * bits' entries repeated for the three above them (2 KiB where 256 bytes
 * would do), so the index is one zero-extending move, not a move and a
 * mask.
 */
#define PA_FAST_GFP_BITS (PA_GFP_ZONEMASK | PA__GFP_RECLAIMABLE)
#define PA_FAST_GFP_INDEX 0xffu
#define PA_FAST_ZONE_BAD PA_MAX_NR_ZONES
_Static_assert(PA_FAST_GFP_BITS == 31, "the fast GFP table's entries are the low five bits'");
struct pa_fast_gfp {
	uint32_t hz;   /* highest zone index, or PA_FAST_ZONE_BAD */
	uint32_t lofs; /* migratetype * sizeof(struct pa_list) */
};
extern struct pa_fast_gfp pa_fast_gfp_tab[PA_FAST_GFP_INDEX + 1];
void pa_fast_gfp_init(void);

/* Highest zone for @gfp (Linux's gfp_zone()), or -1 if invalid. */
static inline int pa_gfp_zone(pa_gfp_t gfp)
{
	return pa_gfp_zone_table[gfp & PA_GFP_ZONEMASK];
}

/*
 * __GFP_MOVABLE (bit 3) -> MIGRATE_MOVABLE 1, __GFP_RECLAIMABLE (bit 4) -> 2;
 * -1 both.  Everything is UNMOVABLE with grouping by mobility off.
 */
static inline int pa_gfp_migratetype(pa_gfp_t gfp)
{
	unsigned int mt = (gfp & PA_GFP_MOVABLE_MASK) >> 3;

	if (mt >= PA_MIGRATE_PCPTYPES)
		return -1;
	return pa_unlikely(pa_g.mobility_disabled) ? PA_MIGRATE_UNMOVABLE : (int)mt;
}
int pa_gfp_check(pa_gfp_t gfp, const char *func);

/* ------------------------------------------------------------ watermarks */

void pa_tunables_defaults(void);      /* idempotent */
void pa_calculate_min_free_kbytes(void);
void pa_setup_per_zone_wmarks(void);
void pa_setup_per_zone_lowmem_reserve(void);
unsigned long pa_int_sqrt(unsigned long x);
/* Take a zone pointer; read its counters without the zone lock (a snapshot). */
bool pa_zone_wmark_ok(const struct pa_zone *z, unsigned int order, unsigned long mark,
				 int highest_zoneidx, unsigned int alloc_flags, long free_pages);
/*
 * Free pages a request may not count towards a watermark: the highatomic
 * reserve without PA_ALLOC_RESERVES, CMA pages without PA_ALLOC_CMA.
 */
static inline long pa_zone_reserved_free(const struct pa_zone *z, unsigned int alloc_flags)
{
	long n = 0;

	if (!(alloc_flags & PA_ALLOC_RESERVES))
		n += (long)PA_READ_ONCE(z->free_pages_mt[PA_MIGRATE_HIGHATOMIC]);
#ifdef CONFIG_PA_CMA
	if (!(alloc_flags & PA_ALLOC_CMA))
		n += (long)PA_READ_ONCE(z->free_pages_mt[PA_MIGRATE_CMA]);
#endif
	return n;
}

/* zone_watermark_fast()'s order-0 shortcut: usable free pages above the mark. */
static inline bool pa_zone_wmark_order0_ok(const struct pa_zone *z, unsigned long mark,
					   int highest_zoneidx, unsigned int alloc_flags, long free)
{
	long usable = free - PA_MIN(free, pa_zone_reserved_free(z, alloc_flags));

	return usable > (long)(mark + PA_READ_ONCE(z->lowmem_reserve[highest_zoneidx]));
}

bool pa_zone_wmark_fast(const struct pa_zone *z, unsigned int order, unsigned long mark,
				   int highest_zoneidx, unsigned int alloc_flags);

/* ------------------------------------------------------------ allocation */

/* What one allocation needs to know, fixed at its start (Linux's alloc_context). */
struct pa_alloc_ctx {
	const struct pa_zonelist *zonelist;
	pa_nodemask_t nodemask;  /* PA_NODEMASK_ALL when the caller gave none */
	int highest_zoneidx;
	int migratetype;
	int preferred;           /* zonelist index of the first eligible zone; -1 none */
	bool spread_dirty_pages; /* __GFP_WRITE, fast path only */
};

static inline struct pa_zone *pa_zonelist_zone(const struct pa_zonelist *zl, int i)
{
	return pa_g.zone_by_id[zl->zoneid[i]];
}

/* May the allocation described by @ac take pages from zonelist entry @i? */
static inline bool pa_zoneref_eligible(const struct pa_alloc_ctx *ac, int i)
{
	unsigned int id = ac->zonelist->zoneid[i];

	return (int)(id % PA_MAX_NR_ZONES) <= ac->highest_zoneidx &&
	       (ac->nodemask & PA_NODE_BIT(id / PA_MAX_NR_ZONES));
}

/* The first eligible entry at or after @i, or -1. */
static inline int pa_next_zoneref(const struct pa_alloc_ctx *ac, int i)
{
	for (; i < ac->zonelist->nr; i++)
		if (pa_zoneref_eligible(ac, i))
			return i;
	return -1;
}

#define pa_for_each_zoneref(i, ac, from) \
	for (int i = pa_next_zoneref((ac), (from)); i >= 0; i = pa_next_zoneref((ac), i + 1))

void pa_build_all_zonelists(void);
int pa_cpu_node(void); /* the current CPU's node */
struct pa_page *pa_get_page_from_freelist(pa_gfp_t gfp, unsigned int order,
					  unsigned int alloc_flags, const struct pa_alloc_ctx *ac);
struct pa_page *pa_alloc_slowpath(pa_gfp_t gfp, unsigned int order, struct pa_alloc_ctx *ac);
void pa_wake_all_kswapds(unsigned int order, pa_gfp_t gfp, const struct pa_alloc_ctx *ac);
void pa_kswapd_reset_failures(int nid);
bool pa_compaction_suitable_zone(const struct pa_zone *z, unsigned int order, int highest_zoneidx,
				 unsigned long wmark_target);
int pa_fragindex(const struct pa_zone *z, unsigned int order);
void pa_warn_alloc(pa_gfp_t gfp, unsigned int order, const struct pa_alloc_ctx *ac);

/* ------------------------------------------------------------ event counters */

/* Add to this CPU's counter; the caller has interrupts off (or a zone lock). */
static inline void pa_count_add(unsigned long *c, unsigned long delta)
{
	if (IS_ENABLED(CONFIG_PA_VM_EVENT_COUNTERS))
		pa_local_add(c, delta);
}

static inline struct pa_cpu_stats *pa_this_cpu_stats(void)
{
	return &pa_g.cpu_stats[pa_this_cpu()];
}

static inline void pa_count_event_locked(unsigned int item, unsigned long delta)
{
	pa_count_add(&pa_this_cpu_stats()->events[item], delta);
}

/* From any context: interrupts off around the add. */
static inline void pa_count_event(unsigned int item, unsigned long delta)
{
	if (IS_ENABLED(CONFIG_PA_VM_EVENT_COUNTERS)) {
		unsigned long flags = pa_port_irq_save();

		pa_count_event_locked(item, delta);
		pa_port_irq_restore(flags);
	}
}

unsigned long pa_zone_numa_event(unsigned int zoneid, unsigned int item);

/*
 * Count an allocation of @nr pages from @z on @cpu, which preferred
 * @preferred (pgalloc and Linux's zone_statistics()).  Interrupts off.
 */
static inline void pa_count_alloc(unsigned int cpu, const struct pa_zone *preferred,
				  const struct pa_zone *z, unsigned long nr)
{
	struct pa_cpu_stats *st = &pa_g.cpu_stats[cpu];

	pa_count_add(&st->zone_alloc[z->zoneid], nr);
#ifdef CONFIG_PA_NUMA
	if (z->node == preferred->node) {
		pa_count_add(&st->numa[z->zoneid][PA_NUMA_HIT], nr);
	} else {
		pa_count_add(&st->numa[z->zoneid][PA_NUMA_MISS], nr);
		pa_count_add(&st->numa[preferred->zoneid][PA_NUMA_FOREIGN], nr);
	}
	pa_count_add(&st->numa[z->zoneid][z->node == pa_g.cpu_to_node[cpu] ? PA_NUMA_LOCAL
									     : PA_NUMA_OTHER], nr);
#else
	(void)preferred;
#endif
}

static inline void pa_zone_statistics_locked(const struct pa_zone *preferred,
					     const struct pa_zone *z, unsigned long nr)
{
	pa_count_alloc(pa_this_cpu(), preferred, z, nr);
}

/* ------------------------------------------------------------ trace (trace.c) */

void pa_trace_alloc_event(const struct pa_page *page, pa_gfp_t gfp, unsigned int order, int nid);
void pa_trace_page_event(enum pa_trace_op op, const struct pa_page *page, unsigned int order);

/*
 * The entry points' one-line calls: with CONFIG_PA_TRACE they hand an
 * event to pa_port_trace(), without it they compile to nothing.
 * pa_trace_alloc() returns @page so that it can wrap the allocation.
 */
static inline struct pa_page *pa_trace_alloc(struct pa_page *page, pa_gfp_t gfp,
					     unsigned int order, int nid)
{
	if (IS_ENABLED(CONFIG_PA_TRACE))
		pa_trace_alloc_event(page, gfp, order, nid);
	return page;
}

static inline void pa_trace_page(enum pa_trace_op op, const struct pa_page *page,
				 unsigned int order)
{
	if (IS_ENABLED(CONFIG_PA_TRACE))
		pa_trace_page_event(op, page, order);
}

/* ------------------------------------------------------------ misc */

extern const char *const pa_zone_names[PA_MAX_NR_ZONES];
extern const char *const pa_migratetype_names[PA_MIGRATE_TYPES];

static inline void *pa_memset(void *dst, int c, size_t n)
{
	return __builtin_memset(dst, c, n);
}

/*
 * Bit scans that need nothing from libgcc.  The compiler's builtins are
 * one instruction on the targets below; elsewhere (rv64gc without Zbb,
 * for one) they become calls to libgcc's __clzdi2 and __ctzdi2, which a
 * kernel may not link, so a binary search does it: log2(BITS_PER_LONG)
 * steps, on no hot path.
 */
#if defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) || \
	defined(__powerpc64__) || defined(__riscv_zbb) || defined(__s390x__)
#define PA_HAVE_BITSCAN 1
#else
#define PA_HAVE_BITSCAN 0
#endif

/* floor(log2(@v)), @v > 0, by binary search: the targets without a bit scan. */
static inline unsigned int pa_ilog2_generic(unsigned long v)
{
	unsigned int r = 0;

	for (unsigned int s = sizeof(long) * 4; s; s >>= 1) {
		if (v >> s) {
			v >>= s;
			r += s;
		}
	}
	return r;
}

/* floor(log2(@v)), @v > 0: the index of the highest set bit. */
static inline unsigned int pa_ilog2(unsigned long v)
{
	if (PA_HAVE_BITSCAN)
		return (unsigned int)(sizeof(long) * 8 - 1 - (unsigned int)__builtin_clzl(v));
	return pa_ilog2_generic(v);
}

/* The index of the lowest set bit of @v > 0. */
static inline unsigned int pa_ctzl(unsigned long v)
{
	if (PA_HAVE_BITSCAN)
		return (unsigned int)__builtin_ctzl(v);
	return pa_ilog2_generic(v & -v);
}

#endif /* PAGEALLOC_INTERNAL_H */
