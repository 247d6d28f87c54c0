/* SPDX-License-Identifier: MIT */
/*
 * The allocator's data: memblock regions, free areas, per-CPU sets,
 * zones, zonelists, nodes, memory sections, the per-CPU counters, CMA
 * areas, and the global state pa_g with the CPU-id checks on it.
 */
#ifndef PA_MMZONE_H
#define PA_MMZONE_H

#include <pagealloc/pagealloc.h>
#include <pagealloc/port.h>
#include <pagealloc/vmstat.h>
#include "compiler.h"
#include "list.h"

struct pa_memblock_region {
	pa_phys_t base;
	pa_phys_t size;
	int nid;
};

struct pa_memblock_type {
	unsigned int cnt;
	struct pa_memblock_region regions[CONFIG_PA_MEMBLOCK_REGIONS];
};

/*
 * Each zone type, lowest first, as X(type, name, vmstat name, default
 * lowmem_reserve_ratio): the one list the names and defaults come from.
 */
#ifdef CONFIG_PA_ZONE_DMA
#define PA_ZONE_TYPE_DMA(X) X(PA_ZONE_DMA, "DMA", "dma", 256)
#else
#define PA_ZONE_TYPE_DMA(X)
#endif
#ifdef CONFIG_PA_ZONE_DMA32
#define PA_ZONE_TYPE_DMA32(X) X(PA_ZONE_DMA32, "DMA32", "dma32", 256)
#else
#define PA_ZONE_TYPE_DMA32(X)
#endif
#define PA_FOR_EACH_ZONE_TYPE(X)                                                         \
	PA_ZONE_TYPE_DMA(X) PA_ZONE_TYPE_DMA32(X) X(PA_ZONE_NORMAL, "Normal", "normal", 32) \
	X(PA_ZONE_MOVABLE, "Movable", "movable", 0)

struct pa_zone_type_info {
	const char *name;        /* zoneinfo's, buddyinfo's */
	const char *vmstat_name; /* pgalloc_<name> */
	int reserve_ratio;       /* the default lowmem_reserve_ratio */
};
extern const struct pa_zone_type_info pa_zone_types[PA_MAX_NR_ZONES]; /* state.c */

/*
 * The migratetypes this build has, each once: X(type, name, letter), the
 * name pagetypeinfo and the verifier print, the letter of Linux's
 * show_migration_types().
 */
#ifdef CONFIG_PA_CMA
#define PA_MIGRATETYPE_CMA(X) X(PA_MIGRATE_CMA, "CMA", 'C')
#else
#define PA_MIGRATETYPE_CMA(X)
#endif
#ifdef CONFIG_PA_MEMORY_ISOLATION
#define PA_MIGRATETYPE_ISOLATE(X) X(PA_MIGRATE_ISOLATE, "Isolate", 'I')
#else
#define PA_MIGRATETYPE_ISOLATE(X)
#endif
#define PA_FOR_EACH_MIGRATETYPE(X)                                                      \
	X(PA_MIGRATE_UNMOVABLE, "Unmovable", 'U') X(PA_MIGRATE_MOVABLE, "Movable", 'M')  \
	X(PA_MIGRATE_RECLAIMABLE, "Reclaimable", 'E')                                    \
	X(PA_MIGRATE_HIGHATOMIC, "HighAtomic", 'H') PA_MIGRATETYPE_CMA(X)                \
	PA_MIGRATETYPE_ISOLATE(X)

struct pa_migratetype_info {
	const char *name;
	char letter;
};
extern const struct pa_migratetype_info pa_migratetypes[PA_MIGRATE_TYPES]; /* state.c */

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
 * other CPUs take (pcp_fast.h).  @count is in pages.
 *
 * @high is Linux's pcp->high, tuned at run time between @high_min and
 * @high_max (pcp.c).  A free that leaves @count below @fast_high is done
 * at once; any other takes pcp.c's turn, which applies Linux's rules.
 * @fast_high is @high while that equals Linux's decision, else 0, so that
 * every free takes the turn: while the zone is below its high watermark
 * or under kswapd's reclaim, and until the turn first clamps @high.
 *
 * Linux also updates free_count, alloc_factor and the previous-free flag
 * on each operation.  @free_count is kept as Linux keeps it (halved by
 * each allocation, raised by each free below @free_cap = batch << 5).
 * The other two are derived where they are read, from @nr_free, which
 * each free raises by its pages: @af_mark is @nr_free (low 32 bits) when
 * @alloc_factor was last stored, less 2^order - 1 for each order > 0
 * free since, so that @nr_free - @af_mark is the number of frees that
 * halved it; @hi_mark is @nr_free just after the last free of order 1 to
 * PA_PAGE_ALLOC_COSTLY_ORDER (Linux's PCPF_PREV_FREE_HIGH_ORDER holds
 * while nothing was freed since).
 */
#define PA_NR_PCP_LISTS (PA_MIGRATE_PCPTYPES * PA_NR_PCP_ORDERS)
#ifdef CONFIG_PA_PCP_BATCH_SCALE_MAX
#define PA_PCP_BATCH_SCALE_MAX CONFIG_PA_PCP_BATCH_SCALE_MAX
#else
#define PA_PCP_BATCH_SCALE_MAX 5
#endif
struct pa_pcp {
	uint32_t locked;
	int count;
	int fast_high;
	int batch;
	int high_min;
	int high_max;
	unsigned long nr_alloc; /* pages the fast path took: pgalloc, numa_hit, numa_local/other */
	unsigned long nr_free;  /* pages freed to the set: pgfree, and the marks below */
	struct pa_list lists[PA_NR_PCP_LISTS];
	/*
	 * CONFIG_PA_PCP_REMOTE_BARRIER: the owner's flag, written by it only.
	 * A word of its own, away from @locked: the owner stores it and then
	 * loads @locked, and a load from the word just stored to would wait
	 * for that store (docs/design.md, "Per-CPU sets").
	 */
	uint32_t busy;
	int high;
	uint16_t free_count;
	uint16_t free_cap;
	uint8_t alloc_factor;
	uint32_t af_mark;
	uint32_t hi_mark;
} __attribute__((aligned(64)));
_Static_assert(sizeof(struct pa_pcp) == 256, "a set is four cache lines (the fast paths scale by it)");
/* zone_batchsize() is at most 63, so free_count stays below 63 << 6 + 8. */
_Static_assert((1UL << 20) / PA_PAGE_SIZE <= 256 && PA_PCP_BATCH_SCALE_MAX <= 6,
	       "free_count fits its 16 bits");

struct pa_zone {
	/* Read-mostly, used by the allocation fast path. */
	/*
	 * low + boost + lowmem_reserve[hz] + the free highatomic pages, by
	 * highest zone index hz: the mark of an order-0 fast allocation
	 * (pa_fast_wmark_ok()), one load where the sum is four.  Derived:
	 * written only with its parts, under @lock, by
	 * pa_zone_set_marks_locked() and pa_account_free().  First: the load is then
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

/* zflags, each written under the zone lock */
#define PA_ZONE_BOOSTED_WATERMARK 1UL /* a fallback boosted it: wake kswapd once */
#define PA_ZONE_BELOW_HIGH 2UL        /* an allocation found it below high (Linux's ZONE_BELOW_HIGH) */
#define PA_ZONE_RECLAIM_ACTIVE 4UL    /* kswapd is reclaiming for it (ZONE_RECLAIM_ACTIVE) */
#ifdef CONFIG_PA_PCP
	struct pa_pcp *pcp; /* [nr_cpus], carved at init like mem_map */
	int pageset_batch;
	int pageset_high_min;
	int pageset_high_max;
	unsigned long pcp_free_base; /* the sets' nr_free at the last counter reset (pa_pcp_events_reset()) */
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
	unsigned long zflags;                       /* PA_ZONE_* above */
	/* Where compaction's scanners stopped (compaction.c; 0: start afresh). */
	unsigned long compact_cached_migrate_pfn;
	unsigned long compact_cached_free_pfn;
	/* Linux's deferral after a failed compaction: skip 2^shift tries at order_failed and up */
	unsigned long *compact_skip; /* a bit per pageblock of the span: Linux's PB_migrate_skip */
	bool compact_blockskip_flush; /* a pass went through: kswapd's sleep clears the bits */
	unsigned int compact_considered;
	unsigned int compact_defer_shift;
	int compact_order_failed;
	unsigned long free_pages_mt[PA_MIGRATE_TYPES]; /* free pages per list type */
#ifdef CONFIG_PA_CMA
	unsigned long cma_pages; /* pages of CMA areas in this zone (zoneinfo's cma) */
#endif
	struct pa_free_area free_area[PA_NR_PAGE_ORDERS];
};

/*
 * A zone's CMA pages: in its areas, and free on its CMA lists; a free
 * area's CMA list non-empty.  0 and false without CONFIG_PA_CMA, so code
 * tests IS_ENABLED(CONFIG_PA_CMA) rather than the fields.
 */
#ifdef CONFIG_PA_CMA
static inline unsigned long pa_zone_cma_pages(const struct pa_zone *z)
{
	return z->cma_pages;
}
static inline unsigned long pa_zone_free_cma(const struct pa_zone *z)
{
	return PA_READ_ONCE(z->free_pages_mt[PA_MIGRATE_CMA]);
}
static inline bool pa_area_has_cma(const struct pa_free_area *area)
{
	return !pa_list_empty(&area->free_list[PA_MIGRATE_CMA]);
}
#else
static inline unsigned long pa_zone_cma_pages(const struct pa_zone *z)
{
	(void)z;
	return 0;
}
static inline unsigned long pa_zone_free_cma(const struct pa_zone *z)
{
	(void)z;
	return 0;
}
static inline bool pa_area_has_cma(const struct pa_free_area *area)
{
	(void)area;
	return false;
}
#endif

/*
 * Linux's wmark_pages(): watermark @i (enum pa_wmark) of @z with its
 * boost, the mark every check compares with.  Read without the lock.
 */
static inline unsigned long pa_zone_wmark(const struct pa_zone *z, unsigned int i)
{
	return PA_READ_ONCE(z->_watermark[i]) + PA_READ_ONCE(z->watermark_boost);
}

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
	int kswapd_active; /* inside pa_kswapd_balance() (Linux's kswapd_is_running()) */
	/* kcompactd request (compaction.c), as kswapd's: order 0 none pending */
	int kcompactd_max_order;
	int kcompactd_highest_zoneidx;
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
	bool no_migration; /* pa_port_migrate_page() said -PA_EOPNOTSUPP: compaction is off */
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
	int compaction_proactiveness; /* Linux's vm.compaction_proactiveness, 0..100 */
	int thp;                  /* enum pa_thp (pa_set_thp()) */
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
#ifdef CONFIG_PA_PCP
	struct pa_pcp *pcp_by_id[PA_MAX_NUMNODES * PA_MAX_NR_ZONES]; /* zone_by_id[i]->pcp */
#endif
};

extern struct pa_state pa_g;

/*
 * The zone after @zone, in node then type order, over the nodes in use
 * (pa_g.nr_node_ids), empty zones included; NULL gives the first zone,
 * and NULL follows the last (Linux's next_zone()).
 */
static inline struct pa_zone *pa_next_zone(const struct pa_zone *zone)
{
	int nid = zone ? zone->node : 0, z = zone ? zone->type + 1 : 0;

	if (z == PA_MAX_NR_ZONES) {
		nid++;
		z = 0;
	}
	return nid < pa_g.nr_node_ids ? &pa_g.nodes[nid].zones[z] : NULL;
}

/* Every zone of the nodes in use; break leaves the walk. */
#define pa_for_each_zone(zone) \
	for (struct pa_zone *zone = pa_next_zone(NULL); zone; zone = pa_next_zone(zone))

/* Linux's for_each_populated_zone(): the zones with present pages. */
#define pa_for_each_populated_zone(zone) \
	pa_for_each_zone(zone) if (!(zone)->present_pages) {} else

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
 * (pa_cpu_id_bad()), and the fast free finds the zone's spare set, which
 * is always locked (pa_cpu_pcp_off), so it goes to the buddy lists.
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

static inline bool pa_pcp_allowed_order(unsigned int order)
{
	return IS_ENABLED(CONFIG_PA_PCP) && order <= PA_PCP_MAX_ORDER;
}

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

#endif /* PA_MMZONE_H */
