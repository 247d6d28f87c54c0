/* SPDX-License-Identifier: MIT */
/*
 * Core types: physical addresses, zones, migratetypes and struct pa_page.
 */
#ifndef PAGEALLOC_TYPES_H
#define PAGEALLOC_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <pagealloc/config.h>

/** typedef pa_phys_t - a physical address (always 64 bits). */
typedef uint64_t pa_phys_t;

/** typedef pa_gfp_t - allocation flags, see <pagealloc/gfp.h>. */
typedef unsigned int pa_gfp_t;

/** typedef pa_nodemask_t - a set of nodes: bit n stands for node n. */
typedef uint64_t pa_nodemask_t;
_Static_assert(PA_MAX_NUMNODES <= 64, "a nodemask is one 64-bit word");
#define PA_NODEMASK_ALL (~(pa_nodemask_t)0)
#define PA_NODE_BIT(nid) ((pa_nodemask_t)1 << (nid))

/* Zone types, lowest first, exactly as Linux's enum zone_type. */
enum pa_zone_type {
#ifdef CONFIG_PA_ZONE_DMA
	PA_ZONE_DMA,
#endif
#ifdef CONFIG_PA_ZONE_DMA32
	PA_ZONE_DMA32,
#endif
	PA_ZONE_NORMAL,
	PA_ZONE_MOVABLE,
	PA_MAX_NR_ZONES
};
#define PA_ZONES_SHIFT 2
_Static_assert(PA_MAX_NR_ZONES <= (1 << PA_ZONES_SHIFT), "zone index must fit ZONES_SHIFT");

/* Migratetypes in Linux's order; the first three have per-CPU lists. */
enum pa_migratetype {
	PA_MIGRATE_UNMOVABLE,
	PA_MIGRATE_MOVABLE,
	PA_MIGRATE_RECLAIMABLE,
	PA_MIGRATE_PCPTYPES,
	PA_MIGRATE_HIGHATOMIC = PA_MIGRATE_PCPTYPES,
#ifdef CONFIG_PA_CMA
	PA_MIGRATE_CMA,
#endif
#ifdef CONFIG_PA_MEMORY_ISOLATION
	PA_MIGRATE_ISOLATE,
#endif
	PA_MIGRATE_TYPES
};

/** struct pa_list - a doubly linked list node (circular, with a head). */
struct pa_list {
	struct pa_list *next;
	struct pa_list *prev;
};

/**
 * struct pa_page - the descriptor of one page frame (Linux's struct page).
 * @lru: list linkage; the allocator's while the page is free.  While the
 *       page is allocated the kernel may use it for its own lists.
 * @flags: page state, allocation order, zone and node, memory section; read
 *         it through the pa_page_*() accessors only.
 * @refcount: reference count; 1 after allocation, the page is freed when
 *            pa_put_page() drops it to 0.
 * @priv: one word for the kernel's own use while the page is allocated
 *        (Linux's page->private); 0 after allocation.
 *
 * 32 bytes on 64-bit (Linux's is 64), so mem_map costs 0.78% of memory with
 * 4K pages.  The layout of @flags, low bit first:
 *   PA_PG_NR_FLAGS state bits | 4 bits order | ZONES_SHIFT + NODES_SHIFT bits
 *   zone id (node * PA_MAX_NR_ZONES + zone) | the rest: memory section number.
 */
struct pa_page {
	struct pa_list lru; /* first: a list entry is its page, with no offset to apply */
	uint32_t flags;
	int32_t refcount;
	uintptr_t priv;
};
_Static_assert(sizeof(void *) != 8 || sizeof(struct pa_page) == 32,
	       "struct pa_page must be 32 bytes on 64-bit");

/* Page state bits in pa_page.flags. */
enum pa_page_flag {
	PA_PG_buddy,    /* head of a free block on a buddy free list */
	PA_PG_reserved, /* never handed to the buddy allocator */
	PA_PG_head,     /* head of an allocated block */
	PA_PG_pcp,      /* free, on a per-CPU list */
	PA_PG_poisoned, /* free and poisoned (CONFIG_PA_PAGE_POISONING) */
	PA_PG_movable,  /* with PG_head: allocated for a movable request (counts towards
			 * claiming its block); with PG_pcp: on a movable per-CPU list */
	PA_PG_NR_FLAGS = 6
};

#define PA_PG_ORDER_SHIFT PA_PG_NR_FLAGS
#define PA_PG_ORDER_BITS 4
/* The zone id on top: the fast free path finds the zone with one shift. */
#define PA_PG_ZONEID_BITS (PA_ZONES_SHIFT + PA_NODES_SHIFT)
#define PA_PG_ZONEID_SHIFT (32 - PA_PG_ZONEID_BITS)
#define PA_PG_SECTION_SHIFT (PA_PG_ORDER_SHIFT + PA_PG_ORDER_BITS)
#define PA_PG_SECTION_BITS (PA_PG_ZONEID_SHIFT - PA_PG_SECTION_SHIFT)
_Static_assert(PA_MAX_PAGE_ORDER < (1 << PA_PG_ORDER_BITS), "order must fit in page flags");
_Static_assert(PA_PG_SECTION_BITS >= 12, "too few page-flag bits left for the section number");

/* The highest physical address + 1 that page flags can describe. */
#define PA_MAX_PHYS_BITS (PA_PG_SECTION_BITS + PA_SECTION_SIZE_BITS)

#endif /* PAGEALLOC_TYPES_H */
