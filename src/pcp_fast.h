/* SPDX-License-Identifier: MIT */
/*
 * The fast paths' shared parts.  The paths themselves are inlined into the
 * public entry points: the allocation (alloc_fast(), buddy_alloc_fast())
 * into pa_alloc_pages*() in alloc.c, the free (free_fast(),
 * pa_buddy_free_block_fast()) into pa_free_pages() in free.c, so that the
 * per-CPU case, and the order-0 buddy case, is one function with no calls
 * but the port's hooks.
 *
 * Alloc: a valid GFP without __GFP_WRITE or __GFP_THISNODE, the first zone
 * of this CPU's (or @nid's) zonelist above its low watermark, and either
 * an order up to PA_PCP_MAX_ORDER with this CPU's set free to take, or a
 * larger order (any order without CONFIG_PA_PCP), served from the zone's
 * buddy lists under one lock hold (buddy_alloc_fast()).
 * Free: a pointer into the fast run (pa_run_locate(), one compare), else
 * into its section's map (pa_page_locate_in(), from a second function);
 * a head page of the order given, whose last reference this drops (as
 * Linux's put_page_testzero(): a shared block gives its tail halves back
 * at once): to this CPU's set, or for larger orders straight to the buddy
 * lists.  Anything else, or any doubt, takes the general path, which also
 * reports every error.
 *
 * Each path counts its event once, at its end, in the counter at hand:
 * the per-CPU fast paths in the set (nr_alloc, nr_free, under its lock),
 * the buddy fast allocation in the zone's fast_alloc (by the CPU's node)
 * and every free to the buddy lists in the zone's nr_freed (under the
 * zone lock), the general allocation in this CPU's cpu_stats at the exit
 * of rmqueue() (alloc.c), where the preferred zone is known.  vmstat.c
 * folds them into pgalloc, pgfree, numa_hit and numa_local/numa_other.
 */
#ifndef PA_PCP_FAST_H
#define PA_PCP_FAST_H

#include "internal.h"

/* Linux's order_to_pindex(): lists of one order are adjacent. */
static inline unsigned long pa_pcp_index(unsigned long mt, unsigned int order)
{
	return order * PA_MIGRATE_PCPTYPES + mt;
}

/* The order and the migratetype of list @pindex (the inverse of pa_pcp_index()). */
static inline unsigned int pa_pcp_pindex_order(unsigned int pindex)
{
	return pindex / PA_MIGRATE_PCPTYPES;
}

static inline int pa_pcp_pindex_mt(unsigned int pindex)
{
	return (int)(pindex % PA_MIGRATE_PCPTYPES);
}

/*
 * The set's lock, taken by its own CPU (interrupts off) to use it.  Without
 * CONFIG_PA_PCP_REMOTE_BARRIER, a try-lock: an atomic exchange of @locked.
 * With it, an asymmetric Dekker lock: the owner stores busy = 1 and loads
 * locked, with no fence between them; another CPU (pcp_lock_remote()) sets
 * locked, calls pa_port_remote_barrier(), which makes every CPU execute a
 * full barrier, and then loads busy.  So either the owner sees locked and
 * backs off, or the other CPU sees busy and waits for the release.  The
 * owner's lock and release are then plain moves: no atomic
 * read-modify-write on the per-CPU path.
 */
_Noreturn void pa_pcp_shared_panic(void);

static inline bool pa_pcp_trylock(struct pa_pcp *pcp)
{
	if (!IS_ENABLED(CONFIG_PA_PCP_REMOTE_BARRIER))
		return !__atomic_exchange_n(&pcp->locked, 1, __ATOMIC_ACQUIRE);
	if (IS_ENABLED(CONFIG_PA_DEBUG_VM)) { /* two threads (or contexts) as one CPU? */
		if (pa_unlikely(__atomic_exchange_n(&pcp->busy, 1, __ATOMIC_RELAXED)))
			pa_pcp_shared_panic();
	} else
		__atomic_store_n(&pcp->busy, 1, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST); /* the CPU's side: pa_port_remote_barrier() */
	if (pa_likely(!__atomic_load_n(&pcp->locked, __ATOMIC_ACQUIRE)))
		return true;
	__atomic_store_n(&pcp->busy, 0, __ATOMIC_RELEASE);
	return false;
}

/* Release the lock pa_pcp_trylock() took. */
static inline void pa_pcp_release(struct pa_pcp *pcp)
{
	__atomic_store_n(IS_ENABLED(CONFIG_PA_PCP_REMOTE_BARRIER) ? &pcp->busy : &pcp->locked, 0,
			 __ATOMIC_RELEASE);
}

/* Release the lock and restore the interrupts pa_port_irq_save() saved in @irq. */
static inline void pa_pcp_unlock(struct pa_pcp *pcp, unsigned long irq)
{
	pa_pcp_release(pcp);
	pa_port_irq_restore(irq);
}

/* A count only the set's lock holder writes; others read it (vmstat). */
static inline void pa_pcp_count(unsigned long *c, unsigned long delta)
{
	if (IS_ENABLED(CONFIG_PA_VM_EVENT_COUNTERS))
		pa_local_add(c, delta);
}

/*
 * The fast paths' rare turns, out of line in pcp.c.  Each finishes the
 * operation (unlocks the set, restores interrupts), so the fast paths
 * reach them by tail calls and need no stack frame of their own.  None
 * takes more than six arguments, so that all are passed in registers
 * (docs/design.md, "Fast paths").
 */
int pa_pcp_free_high(uint32_t flags, struct pa_pcp *pcp, unsigned long irq,
		     const struct pa_list *list, bool free_high);
int pa_pcp_free_busy(uint32_t flags, struct pa_page *page, unsigned int order,
		     unsigned long irq, const char *func);
struct pa_page *pa_pcp_refill_take_locked(struct pa_zone *zone, struct pa_pcp *pcp,
					  unsigned int order, int mt, unsigned int alloc_flags);
int pa_pcp_free_other(struct pa_page *page, unsigned int order, const char *func);

/*
 * zone_watermark_fast() at the high watermark (the low one once the zone
 * is below high, pa_zone_fast_wmark()) for a request of migratetype @mt:
 * order 0 compares the usable free pages (for non-movable requests, CMA
 * pages left out) with that mark + boost + lowmem_reserve + the free highatomic
 * pages, summed in advance (fast_mark); higher orders take the full check.
 */
static PA_ALWAYS_INLINE bool pa_fast_wmark_ok(const struct pa_zone *z, unsigned int order,
					     unsigned long hz, int mt)
{
	unsigned int alloc_flags = pa_alloc_flags_cma(mt, PA_ALLOC_WMARK_LOW);
	long free = (long)PA_READ_ONCE(z->free_pages);

	if (pa_unlikely(order)) {
		if (pa_unlikely(hz >= PA_MAX_NR_ZONES)) /* PA_FAST_ZONE_BAD, in pa_no_zone */
			return false;
		/* high or low (+ boost); pa_zone_wmark_ok() reads the lowmem reserve once. */
		unsigned long mark = pa_zone_wmark(z, (unsigned int)pa_zone_fast_wmark(z));

		return pa_zone_wmark_ok(z, order, mark, (int)hz, alloc_flags, free);
	}
	/*
	 * The free highatomic pages are in fast_mark; CMA pages (without
	 * ALLOC_CMA) are left out here.  Unclamped: a torn read that goes
	 * negative just fails to the general path.
	 */
	return free - pa_zone_reserved_free(z, alloc_flags | PA_ALLOC_RESERVES) >
	       (long)PA_READ_ONCE(z->fast_mark[hz]);
}

/* The alloc_flags a per-CPU refill uses (Linux's rmqueue() from get_page_from_freelist()). */
static inline unsigned int pa_pcp_alloc_flags(const struct pa_zone *z, pa_gfp_t gfp, int mt)
{
	return pa_alloc_flags_cma(mt, PA_ALLOC_WMARK_LOW | (gfp & PA__GFP_KSWAPD_RECLAIM)) |
	       z->nofragment;
}

/*
 * Decode @gfp for a fast path: false sends a mask with unknown bits,
 * __GFP_WRITE or __GFP_THISNODE to the general path, which reports what is
 * wrong; otherwise the highest zone index (PA_FAST_ZONE_BAD for a mask
 * selecting two zones or two mobility types, whose zone is pa_no_zone)
 * and the migratetype as its list offset, from one table entry
 * (pa_mobility_init(), gfp.c).
 */
static PA_ALWAYS_INLINE bool pa_fast_gfp(pa_gfp_t gfp, unsigned long *hz, unsigned long *lofs)
{
	const pa_gfp_t reject = ~(pa_gfp_t)PA__GFP_BITS_MASK | PA__GFP_WRITE | PA__GFP_THISNODE;

	*hz = pa_fast_gfp_tab[gfp & PA_FAST_GFP_INDEX].hz;
	*lofs = pa_fast_gfp_tab[gfp & PA_FAST_GFP_INDEX].lofs;
	return !(gfp & reject);
}

/* The migratetype of a list offset from pa_fast_gfp(). */
static inline int pa_fast_mt(unsigned long lofs)
{
	return (int)(lofs / sizeof(struct pa_list));
}

/*
 * The zone a fast allocation tries: the first of @cpu's (or @nid's)
 * zonelist for @hz, or pa_no_zone (before pa_init(), for
 * PA_FAST_ZONE_BAD, a node out of range, or a CPU id without sets: its
 * row of pa_cpu_zone is all pa_no_zone), which fails every watermark and
 * so takes the general path, which reports the bad input.
 */
static PA_ALWAYS_INLINE struct pa_zone *pa_fast_zone(unsigned int cpu, int nid, unsigned long hz)
{
	if (nid == PA_NUMA_NO_NODE)
		return pa_cpu_zone[cpu][hz];
	if (pa_unlikely(cpu >= pa_g.nr_cpus))
		return PA_NO_ZONE;
	return pa_node_fast_zone(nid, hz);
}

/*
 * Does a fast free of @order find what it must in the flags word @flags:
 * the head of an allocated block of that order, not reserved?  Else the
 * general path looks, and reports what is wrong.
 */
static PA_ALWAYS_INLINE bool pa_fast_free_head(uint32_t flags, unsigned int order)
{
	const uint32_t mask = PA_PG_STATE_MASK | (1u << PA_PG_reserved) |
			      (PA_PG_ORDER_MASK << PA_PG_ORDER_SHIFT);

	return (flags & mask) == ((1u << PA_PG_head) | (order << PA_PG_ORDER_SHIFT));
}

/* The zone of a page whose flags are @flags. */
static PA_ALWAYS_INLINE struct pa_zone *pa_flags_zone(uint32_t flags)
{
	return pa_g.zone_by_id[flags >> PA_PG_ZONEID_SHIFT]; /* the top bits */
}

/* Count a freed block and drop @zone's lock, taken with @flags. */
static PA_ALWAYS_INLINE void pa_buddy_free_done(struct pa_zone *zone, unsigned int order,
					     unsigned long flags)
{
	pa_count_add(&zone->nr_freed, 1UL << order); /* under the lock: one counter for all CPUs */
	pa_port_spin_unlock_irqrestore(&zone->lock, flags);
}

/* The buddy fast free's out-of-line turn (buddy.c): merge, or a block over a pageblock. */
int pa_buddy_free_block_slow(struct pa_zone *zone, struct pa_page *page, unsigned long pfn,
			     unsigned int order, int mt, unsigned long flags);

/*
 * Return a block to its zone's buddy lists, counting it as freed.  The
 * common case, a block of at most a pageblock whose buddy is not free,
 * makes no call but the lock's; the rest is a tail call of six arguments.
 */
static PA_ALWAYS_INLINE int pa_buddy_free_block_fast(struct pa_zone *zone, struct pa_page *page,
					    unsigned long pfn, unsigned int order, const uint8_t *pb)
{
	const uint32_t zbits = pa_page_flags(page) & PA_ZONE_BITS;
	unsigned long flags = pa_port_spin_lock_irqsave(&zone->lock);
	int mt = (int)pa_pageblock_mt(
		pb ? pb : pa_section_pageblock(pa_nr_to_section(pfn >> PA_PFN_SECTION_SHIFT), pfn));

	if (pa_unlikely(order > PA_PAGEBLOCK_ORDER || pa_buddy_is_free(page, pfn, order, zbits)))
		return pa_buddy_free_block_slow(zone, page, pfn, order, mt, flags);
	pa_add_to_free_list(page, zone, order, mt, pa_buddy_merge_likely(page, pfn, order, zbits));
	pa_buddy_free_done(zone, order, flags);
	return 0;
}

#ifdef CONFIG_PA_PCP

/*
 * Byte offsets of each CPU id's set in a zone's array (pcp.c): id * the
 * set's size below the CPU count, else that of the never-free set after
 * the others, so that a bad id's try-lock fails with no bound check.
 */
extern uint32_t pa_cpu_pcp_off[PA_NR_CPUS];

/* This CPU's set in the array @sets (the locked spare for an id without one). */
static PA_ALWAYS_INLINE struct pa_pcp *pa_this_cpu_set(struct pa_pcp *sets)
{
	return (struct pa_pcp *)((char *)sets + pa_cpu_pcp_off[pa_this_cpu()]);
}

static PA_ALWAYS_INLINE struct pa_pcp *pa_this_cpu_pcp(struct pa_zone *zone)
{
	return pa_this_cpu_set(zone->pcp);
}

/*
 * Byte offsets of each migratetype's order-0 list in a set: the free
 * path's list from its pageblock's type in one load (a list is 16 bytes,
 * beyond an address scale).
 */
extern const uint32_t pa_pcp_list_off[PA_MIGRATE_PCPTYPES];

/*
 * Take the block at @first, the first entry of @pcp's list @list of
 * (@order, @mt).  The caller read @first (list->next) plainly: the set's
 * lock orders every writer of its lists.
 */
static PA_ALWAYS_INLINE struct pa_page *pa_pcp_pop_locked(struct pa_pcp *pcp, struct pa_list *list,
							  struct pa_list *first, unsigned int order,
							  int mt)
{
	struct pa_page *page = pa_lru_to_page(first);

	pa_list_del_first(list, first);
	pa_local_add_int(&pcp->count, -(1 << order));
	pa_prep_pcp_page(page, order, mt); /* under the lock: the verifier sees no gap */
	return page;
}

/* Take a block of (@mt, @order) from @pcp, refilling its list when empty. */
static PA_ALWAYS_INLINE struct pa_page *pa_pcp_take_locked(struct pa_zone *z, struct pa_pcp *pcp,
							   unsigned int order, int mt,
							   unsigned int alloc_flags)
{
	struct pa_list *list = &pcp->lists[pa_pcp_index(mt, order)];
	struct pa_list *first = list->next;

	if (pa_unlikely(first == list))
		return pa_pcp_refill_take_locked(z, pcp, order, mt, alloc_flags);
	return pa_pcp_pop_locked(pcp, list, first, order, mt);
}

/*
 * A free of @n pages (order 1..3): move the marks (struct pa_pcp) before nr_free
 * grows.  Return: Linux's free_high (the previous free was of such an
 * order too, and free_count is at batch or more).
 */
static inline bool pa_pcp_free_order_mark(struct pa_pcp *pcp, uint32_t n)
{
	uint32_t before = (uint32_t)pcp->nr_free;
	bool free_high = pcp->hi_mark == before && (int)pcp->free_count >= pcp->batch; /* as free_cap */

	pcp->hi_mark = before + n;
	pcp->af_mark += n - 1;
	return free_high;
}

/* What a free leaves to pa_pcp_free_high(): nothing, high reached, or Linux's free_high. */
enum pa_pcp_turn { PA_PCP_DONE, PA_PCP_OVER_HIGH, PA_PCP_FREE_HIGH };

/*
 * Add a freed block, whose flags word is @flags, to @pcp's list @list of
 * type @mt, with Linux's free_unref_page_commit() bookkeeping: free_count
 * grows by the block while below free_cap; a block of order 1..3 freed
 * right after another (no page freed between: hi_mark) with free_count at
 * batch or more is Linux's free_high.  alloc_factor's halving is counted
 * by nr_free (struct pa_pcp).  Return: the turn the free must take.
 */
static PA_ALWAYS_INLINE enum pa_pcp_turn pa_pcp_free_locked(struct pa_pcp *pcp,
							    struct pa_page *page, uint32_t flags,
							    unsigned int order, unsigned long mt,
							    struct pa_list *list)
{
	unsigned int n = 1u << order;
	bool free_high = false;
	uint16_t fc;

	_Static_assert(PA_PCP_MAX_ORDER <= PA_PAGE_ALLOC_COSTLY_ORDER, "every order > 0 is high");
	pa_list_add(&page->lru, list);
	pa_page_set_flags(page, pa_flags_with_state(flags, pa_pcp_state(mt), order));
	pa_local_add_int(&pcp->count, (int)n); /* pa_pcp_info() reads it unlocked */
	if (order)
		free_high = pa_pcp_free_order_mark(pcp, n);
	pa_local_add(&pcp->nr_free, n);
	fc = pcp->free_count;
	/*
	 * free_cap is a plain read so that it folds into the compare:
	 * pageset_update() may store a new one meanwhile, and either value is
	 * what Linux's READ_ONCE(pcp->batch) could have read.
	 */
	pcp->free_count = (uint16_t)(fc + (fc < pcp->free_cap ? n : 0));
	if (pa_unlikely(free_high))
		return PA_PCP_FREE_HIGH;
	return pa_unlikely(pcp->count >= PA_READ_ONCE(pcp->fast_high)) ? PA_PCP_OVER_HIGH : PA_PCP_DONE;
}

/*
 * Free a block (flags word @flags, its pageblock's type @mt) to this
 * CPU's set of its zone: the fast free's per-CPU part, and the general
 * free's (pa_free_to_pcp()).  A type the sets do not keep, a busy set or
 * a set above high takes its turn in pcp.c, a tail call that finishes.
 */
static PA_ALWAYS_INLINE int pa_pcp_free_fast(struct pa_page *page, uint32_t flags,
					     unsigned int order, unsigned long mt, const char *func)
{
	enum pa_pcp_turn turn;
	struct pa_list *list;
	struct pa_pcp *pcp;
	unsigned long irq;

	if (pa_unlikely(mt >= PA_MIGRATE_PCPTYPES))
		return pa_pcp_free_other(page, order, func);
	irq = pa_port_irq_save();
	/* the zone's sets, from the flags word: the turns find the zone the same way */
	pcp = pa_this_cpu_set(pa_g.pcp_by_id[flags >> PA_PG_ZONEID_SHIFT]);
	if (pa_unlikely(!pa_pcp_trylock(pcp))) /* pa_pcp_free_busy() says if the id has no set */
		return pa_pcp_free_busy(flags, page, order, irq, func);
	/* &pcp->lists[pa_pcp_index(mt, order)] */
	list = (struct pa_list *)((char *)&pcp->lists[pa_pcp_index(0, order)] + pa_pcp_list_off[mt]);
	turn = pa_pcp_free_locked(pcp, page, flags, order, mt, list);
	if (turn != PA_PCP_DONE)
		return pa_pcp_free_high(flags, pcp, irq, list, turn == PA_PCP_FREE_HIGH);
	pa_pcp_release(pcp);
	pa_port_irq_restore(irq);
	return 0;
}

#else /* !CONFIG_PA_PCP */

/* Without per-CPU sets no order takes this turn (pa_pcp_allowed_order()). */
static inline int pa_pcp_free_fast(struct pa_page *page, uint32_t flags, unsigned int order,
				   unsigned long mt, const char *func)
{
	(void)page, (void)flags, (void)order, (void)mt, (void)func;
	return 0;
}

#endif /* CONFIG_PA_PCP */
#endif /* PA_PCP_FAST_H */
