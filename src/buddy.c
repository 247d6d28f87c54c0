// SPDX-License-Identifier: MIT
/*
 * The buddy core: free lists per order and migratetype, splitting on
 * allocation and merging on free, and the checked free path.
 *
 * Invariants (checked by pa_check()):
 *  - a free block of order o starts at a pfn aligned to 2^o, its head page
 *    has PG_buddy and order o, and it sits on free_area[o].free_list[mt]
 *    with page->priv == mt, where mt is its first pageblock's migratetype;
 *  - pages inside a free block (not the head) carry no state bits;
 *  - nr_free and free_pages_mt[] count exactly what is listed, free_pages
 *    all of it except the isolated lists (as Linux's NR_FREE_PAGES).
 */
#include "pcp_fast.h"


#define ZONE_BITS (PA_PG_ZONEID_MASK << PA_PG_ZONEID_SHIFT)

/*
 * Is @buddy the head of a free block of @order in the zone whose id bits
 * (flags & ZONE_BITS) are @zbits?  The caller guarantees @buddy has a
 * struct page: it lies in the same largest-order block as the page it is
 * the buddy of, and mem_map covers whole such blocks.
 */
static inline bool page_is_buddy(const struct pa_page *buddy, unsigned int order, uint32_t zbits)
{
	uint32_t want = (1u << PA_PG_buddy) | (order << PA_PG_ORDER_SHIFT) | zbits;
	uint32_t mask = (1u << PA_PG_buddy) | (PA_PG_ORDER_MASK << PA_PG_ORDER_SHIFT) | ZONE_BITS;

	return (pa_page_flags(buddy) & mask) == want;
}

/*
 * If the block at @pfn of @order is freed and its buddy at order + 1 is
 * already free, a later free of our buddy would merge twice: keep this
 * block at the tail so it is less likely to be handed out first.
 */
static inline bool buddy_merge_likely(const struct pa_page *page, unsigned long pfn,
				      unsigned int order, uint32_t zbits)
{
	unsigned long higher_pfn, higher_buddy_pfn;

	if (order >= PA_MAX_PAGE_ORDER - 1)
		return false;
	higher_pfn = pfn & ~((2UL << order) - 1);
	higher_buddy_pfn = higher_pfn ^ (2UL << order);
	return page_is_buddy(page + (long)(higher_buddy_pfn - pfn), order + 1, zbits);
}

/*
 * Free the block [pfn, pfn + 2^order) into @zone, merging with free
 * buddies.  At order o the buddy of a block is pfn ^ (1 << o): the other
 * half of the aligned 2^(o+1) block both belong to, whose start is
 * pfn & ~(1 << o).
 */
static __attribute__((noinline)) void free_merge_locked(struct pa_zone *zone, struct pa_page *page,
							 unsigned long pfn, unsigned int order,
							 int mt, uint32_t zbits)
{
	/* The freed page may end up inside a merged block: drop its state now. */
	pa_page_set_state(page, 0, 0);
	pa_account_free(zone, mt, 1L << order);
	while (order < PA_MAX_PAGE_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct pa_page *buddy = page + (long)(buddy_pfn - pfn);
		int buddy_mt;

		if (!page_is_buddy(buddy, order, zbits))
			break;
		buddy_mt = (int)buddy->priv;
		if (!pa_buddy_mergeable(order, mt, buddy_mt))
			break;
		pa_unlist_free_block(buddy, zone, order, buddy_mt);
		if (buddy_mt != mt) { /* whole pageblocks: make them match the merged block */
			pa_account_free(zone, buddy_mt, -(1L << order));
			pa_account_free(zone, mt, 1L << order);
			pa_change_pageblock_range(buddy_pfn, order, mt);
		}
		page += (long)((pfn & buddy_pfn) - pfn);
		pfn &= buddy_pfn;
		order++;
	}
	pa_list_free_block(page, zone, order, mt, buddy_merge_likely(page, pfn, order, zbits));
}

/* The block's buddy at @order is a free block: the merge loop's turn. */
static PA_ALWAYS_INLINE bool buddy_is_free(const struct pa_page *page, unsigned long pfn,
					   unsigned int order, uint32_t zbits)
{
	return order >= PA_MAX_PAGE_ORDER ||
	       page_is_buddy(page + (long)((pfn ^ (1UL << order)) - pfn), order, zbits);
}

/*
 * free_merge_locked() with the common case inline: the buddy is not a
 * free block of this order (in use, split, or on a per-CPU list), so
 * nothing merges and the block is listed as it is.
 */
static PA_ALWAYS_INLINE void free_one_page(struct pa_zone *zone, struct pa_page *page,
					   unsigned long pfn, unsigned int order, int mt)
{
	const uint32_t zbits = pa_page_flags(page) & ZONE_BITS;

	if (pa_likely(!buddy_is_free(page, pfn, order, zbits))) {
		pa_add_to_free_list(page, zone, order, mt, buddy_merge_likely(page, pfn, order, zbits));
		return;
	}
	free_merge_locked(zone, page, pfn, order, mt, zbits);
}

void pa_free_one_page_locked(struct pa_zone *zone, struct pa_page *page, unsigned long pfn,
			     unsigned int order, int mt)
{
	free_one_page(zone, page, pfn, order, mt);
}

struct pa_page *pa_rmqueue_smallest_locked(struct pa_zone *zone, unsigned int order, int mt)
{
	for (unsigned int o = order; o < PA_NR_PAGE_ORDERS; o++) {
		struct pa_list *list = &zone->free_area[o].free_list[mt];
		struct pa_page *page;

		if (pa_list_empty(list))
			continue;
		page = pa_lru_to_page(list->next);
		pa_del_from_free_list(page, zone, o, mt);
		pa_expand(zone, page, order, o, mt);
		return page;
	}
	return NULL;
}

/* ------------------------------------------------------------ free path */

void pa_page_flags_string(uint32_t flags, char *buf, size_t size)
{
	static const char *const names[] = { "buddy", "reserved", "head", "pcp", "poisoned",
					     "movable" };
	size_t n = 0;

	_Static_assert(PA_ARRAY_SIZE(names) == PA_PG_NR_FLAGS, "a name for each state bit");

	buf[0] = '\0';
	for (unsigned int i = 0; i < PA_ARRAY_SIZE(names); i++)
		if (flags & (1u << i))
			n += (size_t)pa_snprintf(buf + n, n < size ? size - n : 0, "%s%s",
						 n ? "|" : "", names[i]);
}

void pa_bad_page(const struct pa_page *page, unsigned long pfn, const char *reason,
		 const char *func)
{
	char fl[48], owner[112];

	pa_page_flags_string(pa_page_flags(page), fl, sizeof(fl));
	pa_page_owner_describe(page, owner, sizeof(owner));
	__atomic_add_fetch(&pa_g.nr_bad_pages, 1, __ATOMIC_RELAXED);
	pa_err("BUG: Bad page state in %s: pfn:%05lx flags:%#x(%s) refcount:%d order:%u zone:%d/%s: "
	       "%s%s",
	       func, pfn, pa_page_flags(page), fl, __atomic_load_n(&page->refcount, __ATOMIC_RELAXED),
	       pa_page_order(page), (int)(pa_page_zoneid(page) / PA_MAX_NR_ZONES),
	       pa_zone_types[pa_page_zoneid(page) % PA_MAX_NR_ZONES].name, reason, owner);
}

/* Why a block whose flags word reads @flags cannot be freed with @order, or NULL if it can. */
static const char *free_check(uint32_t flags, unsigned int order)
{
	unsigned int own = (flags >> PA_PG_ORDER_SHIFT) & PA_PG_ORDER_MASK;

	if (flags & (1u << PA_PG_reserved))
		return "freeing a reserved page";
	if (flags & ((1u << PA_PG_buddy) | (1u << PA_PG_pcp)))
		return "page is already free (double free)";
	if (!(flags & (1u << PA_PG_head)))
		return "not the head of an allocated block (tail page or never allocated)";
	if (own != order)
		return order > own ? "freed with a larger order than allocated"
				   : "freed with a smaller order than allocated";
	return NULL;
}

/*
 * Free a block into @zone's lists of its pageblock's type (@mt, the type
 * of its first pageblock).  A block larger than a pageblock whose
 * pageblocks differ in type, or are isolated, is freed one pageblock at a
 * time, each to its own type's lists (Linux's split_large_buddy()): no
 * free block spans two types, and an isolated free block never spans two
 * pageblocks, so undoing the isolation of one of them cannot hand out the
 * other.  The pieces merge again where allowed.  The types of an
 * allocated block's pageblocks differ only when one was isolated (or
 * unisolated) meanwhile: every other retype covers whole free or
 * allocated blocks.
 */
static void free_block_locked(struct pa_zone *zone, struct pa_page *page, unsigned long pfn,
			      unsigned int order, int mt)
{
	if (pa_likely(order <= PA_PAGEBLOCK_ORDER) ||
	    (!pa_is_migrate_isolate(mt) && !pa_other_type_pageblock(pfn, order, mt))) {
		free_one_page(zone, page, pfn, order, mt);
		return;
	}
	for (unsigned long b = 0; b < (1UL << order); b += PA_PAGEBLOCK_NR_PAGES)
		pa_free_one_page_locked(zone, page + b, pfn + b, PA_PAGEBLOCK_ORDER,
					pa_get_pageblock_migratetype(pfn + b));
}

/* Count a freed block and drop @zone's lock, taken with @flags. */
static PA_ALWAYS_INLINE void buddy_free_done(struct pa_zone *zone, unsigned int order,
					     unsigned long flags)
{
	pa_count_add(&zone->nr_freed, 1UL << order); /* under the lock: one counter for all CPUs */
	pa_port_spin_unlock_irqrestore(&zone->lock, flags);
}

/*
 * buddy_free_block() when the block spans pageblocks, or when its buddy
 * is free (or it has none, at MAX_PAGE_ORDER): straight to the merge loop.
 */
static __attribute__((noinline)) int buddy_free_block_slow(struct pa_zone *zone,
							   struct pa_page *page, unsigned long pfn,
							   unsigned int order, int mt, unsigned long flags)
{
	if (order > PA_PAGEBLOCK_ORDER)
		free_block_locked(zone, page, pfn, order, mt);
	else
		free_merge_locked(zone, page, pfn, order, mt, pa_page_flags(page) & ZONE_BITS);
	buddy_free_done(zone, order, flags);
	return 0;
}

/*
 * Return a block to its zone's buddy lists, counting it as freed.  The
 * common case, a block of at most a pageblock whose buddy is not free,
 * makes no call but the lock's; the rest is a tail call of six arguments.
 */
static PA_ALWAYS_INLINE int buddy_free_block(struct pa_zone *zone, struct pa_page *page,
					    unsigned long pfn, unsigned int order, const uint8_t *pb)
{
	const uint32_t zbits = pa_page_flags(page) & ZONE_BITS;
	unsigned long flags = pa_port_spin_lock_irqsave(&zone->lock);
	int mt = (int)pa_pageblock_mt(
		pb ? pb : pa_section_pageblock(pa_nr_to_section(pfn >> PA_PFN_SECTION_SHIFT), pfn));

	if (pa_unlikely(order > PA_PAGEBLOCK_ORDER || buddy_is_free(page, pfn, order, zbits)))
		return buddy_free_block_slow(zone, page, pfn, order, mt, flags);
	pa_add_to_free_list(page, zone, order, mt, buddy_merge_likely(page, pfn, order, zbits));
	buddy_free_done(zone, order, flags);
	return 0;
}

#ifdef CONFIG_PA_PCP
/*
 * The per-CPU part of the fast free: the block (@flags, its pageblock's
 * type @mt) to this CPU's set of @zone.
 */
static PA_ALWAYS_INLINE int free_to_pcp_fast(struct pa_zone *zone, struct pa_page *page,
					    uint32_t flags, unsigned int order, unsigned long mt,
					    const char *func)
{
	unsigned long irq, pindex;
	struct pa_pcp *pcp;
	unsigned int cpu;

	if (pa_unlikely(mt >= PA_MIGRATE_PCPTYPES))
		return pa_pcp_free_other(zone, page, order, func);
	pindex = pa_pcp_index(mt, order);
	irq = pa_port_irq_save();
	cpu = pa_this_cpu();
	if (pa_unlikely(cpu >= pa_g.nr_cpus)) /* no set: pa_pcp_free_busy() says so */
		return pa_pcp_free_busy(zone, page, order, irq, func);
	pcp = &zone->pcp[cpu];
	if (pa_unlikely(!pa_pcp_trylock(pcp)))
		return pa_pcp_free_busy(zone, page, order, irq, func);
	if (pa_pcp_free_locked(pcp, page, flags, order, mt, pindex))
		return pa_pcp_free_high(zone, pcp, irq, &pcp->lists[pindex]);
	pa_pcp_release(pcp);
	pa_port_irq_restore(irq);
	return 0;
}
#endif

int pa_buddy_free_block(struct pa_zone *zone, struct pa_page *page, unsigned long pfn,
			unsigned int order, const uint8_t *pb)
{
	return buddy_free_block(zone, page, pfn, order, pb);
}

static void free_block(struct pa_page *page, unsigned int order, const char *func);

/*
 * Drop one reference to @page, whose count was read as @count, unless
 * none is left: a count at or below zero (a free of a block another free
 * has just freed) is never written, so no interleaving with the CPU that
 * allocates the block next can change that owner's count.
 *
 * A free of a block of order @split > 0 that leaves other references
 * splits it first, as Linux's __free_pages() does a non-compound block:
 * the head becomes an order-0 page before the drop that publishes it, so
 * whoever drops the last reference frees the head alone and never the
 * tail halves this caller gives back (pa_put_page() reads the order only
 * after its own drop).
 * Return: the count after the drop, or -1 when refused.
 */
static int put_ref(struct pa_page *page, int count, unsigned int split)
{
	do {
		if (count <= 0)
			return -1;
		if (split && count > 1)
			pa_page_set_order(page, 0);
	} while (!__atomic_compare_exchange_n(&page->refcount, &count, count - 1, true,
					      __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	return count - 1;
}

/* put_ref() refused: report the free @func was asked for, which changed nothing. */
static int put_refused(struct pa_page *page, const char *func)
{
	pa_bad_page(page, pa_page_to_pfn_fast(page),
		    "no reference left to drop (freed twice, the other free first)", func);
	return -PA_EINVAL;
}

/*
 * A shared block (Linux's non-compound free with other references left),
 * whose head put_ref() made an order-0 page for the last reference to
 * free: as Linux's __free_pages(), give back its tail halves now.
 */
static void free_shared_tails(struct pa_page *page, unsigned int order, const char *func)
{
	while (order-- > 0)
		free_block(page + (1UL << order), order, func);
}

/*
 * The fast free found @page's count at @count, not 1: drop a reference
 * with put_ref().  Others may remain (free the tail halves), none may
 * have been left (refused and reported, nothing written), or the others
 * went meanwhile and this one was the last after all.
 */
static __attribute__((noinline)) int free_not_last(struct pa_page *page, unsigned int order,
						    uintptr_t site, const char *func, int count)
{
	count = put_ref(page, count, order);
	if (count < 0)
		return put_refused(page, func);
	if (count > 0) {
		free_shared_tails(page, order, func);
		return 0;
	}
	pa_owner_freed(page, site);
	free_block(page, order, func);
	return 0;
}

/*
 * Drop what should be @page's last reference: one compare-and-swap of its
 * count from 1 to 0 (as Linux's put_page_testzero() drops with one atomic
 * decrement, but a count that is not 1 stays as found).  False leaves the
 * count it saw in *@count.
 */
static PA_ALWAYS_INLINE bool put_last_ref(struct pa_page *page, int *count)
{
	*count = 1;
	return __atomic_compare_exchange_n(&page->refcount, count, 0, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_RELAXED);
}

/*
 * The fast free of @page, a struct page of frame @pfn whose flags word
 * read @flags and whose pageblock's byte is @pb: a head of @order, its
 * last reference dropped here, to this CPU's set (or, above
 * PA_PCP_MAX_ORDER or without per-CPU sets, the buddy lists).  Every turn
 * off the fast path is a tail call.  @site is the page_owner free site,
 * recorded when the last reference goes, before the block can be handed
 * out again; @func is the public entry, named in its failure lines.
 * Return: 0 or the general path's error.
 */
static PA_ALWAYS_INLINE int free_fast_located(struct pa_page *page, unsigned int order,
					     uintptr_t site, const char *func, uint32_t flags,
					     unsigned long pfn, const uint8_t *pb)
{
	struct pa_zone *zone;
	unsigned long mt;
	int count;

	if (pa_unlikely(!pa_fast_free_head(flags, order)))
		return pa_free_pages_general(page, order, site, func);
	/*
	 * The pageblock's type for a per-CPU set, read without a lock as it
	 * is after the drop (a change in between is the same race), but
	 * before it: the compare-and-swap then has its register to itself.
	 */
	mt = IS_ENABLED(CONFIG_PA_PCP) ? pa_pageblock_mt(pb) : 0;
	if (pa_unlikely(!put_last_ref(page, &count)))
		return free_not_last(page, order, site, func, count);
	pa_owner_freed(page, site);
	if (IS_ENABLED(CONFIG_PA_PAGE_POISONING)) {
		pa_poison_free_block(page, pfn, order);
		flags = pa_page_flags(page); /* with PG_poisoned */
	}
	zone = pa_flags_zone(flags);
#ifdef CONFIG_PA_PCP
	if (order <= PA_PCP_MAX_ORDER)
		return free_to_pcp_fast(zone, page, flags, order, mt, func);
#else
	(void)mt;
#endif
	return buddy_free_block(zone, page, pfn, order, pb);
}

/*
 * The fast free of a page outside the fast run: the pointer checked
 * against its section's map (the flat array's sections only; the general
 * path looks up the others).
 */
static __attribute__((noinline)) int free_fast_sections(struct pa_page *page, unsigned int order,
							 uintptr_t site, const char *func)
{
	const struct pa_mem_section *ms;
	unsigned long idx;
	uint32_t flags;

	ms = pa_page_locate_in(page, &idx, &flags, true);
	if (pa_unlikely(!ms))
		return pa_free_pages_general(page, order, site, func);
	return free_fast_located(page, order, site, func, flags, pa_flags_pfn(flags, idx),
				 pa_section_pageblock(ms, idx));
}

/*
 * A free: the fast path (see the top of pcp_fast.h), else the general
 * path.  A pointer into the fast run is checked with one compare before
 * anything of it is read; others take free_fast_sections().
 */
static PA_ALWAYS_INLINE int free_fast(struct pa_page *page, unsigned int order, uintptr_t site,
				     const char *func)
{
	unsigned long i;

	if (pa_unlikely(order > PA_MAX_PAGE_ORDER))
		return pa_free_pages_general(page, order, site, func);
	if (pa_unlikely(!pa_run_locate(page, &i)))
		return free_fast_sections(page, order, site, func);
	return free_fast_located(page, order, site, func, pa_page_flags(page), pa_g.run.pfn + i,
				 &pa_g.run.pageblock[i >> PA_PAGEBLOCK_ORDER]);
}

/* A block whose last reference is gone: to this CPU's set, or the buddy lists. */
static void free_block(struct pa_page *page, unsigned int order, const char *func)
{
	unsigned long pfn = pa_page_to_pfn_fast(page);
	struct pa_zone *zone = pa_page_zone(page);

	if (IS_ENABLED(CONFIG_PA_PAGE_POISONING))
		pa_poison_free_block(page, pfn, order);
	if (pa_pcp_allowed_order(order))
		pa_free_to_pcp(zone, page, pfn, order, func);
	else
		pa_buddy_free_block(zone, page, pfn, order, NULL);
}

/* Order value for put_checked(): the order the block was allocated with. */
#define ORDER_OWN (~0u)

/*
 * Validate @page and drop one reference.  @order is the order the caller
 * frees with, or ORDER_OWN (then it becomes the block's own).
 * Return: 0 last reference gone, 1 others remain, -errno bad page (reported).
 */
static int put_checked(struct pa_page *page, unsigned int *order, const char *func)
{
	int err = pa_page_arg_check(page, func);
	const char *why;
	uint32_t flags;
	int count;
	bool own;

	if (err)
		return err;
	/* One snapshot: the order a put takes and the one it checks are the same. */
	flags = pa_page_flags(page);
	own = *order == ORDER_OWN;
	if (own)
		*order = (flags >> PA_PG_ORDER_SHIFT) & PA_PG_ORDER_MASK;
	why = free_check(flags, *order);
	if (why) {
		pa_bad_page(page, pa_page_to_pfn_fast(page), why, func);
		return -PA_EINVAL;
	}
	count = put_ref(page, __atomic_load_n(&page->refcount, __ATOMIC_RELAXED), own ? 0 : *order);
	if (count < 0)
		return put_refused(page, func);
	if (!count && own) /* a free of the block split it meanwhile */
		*order = pa_page_order(page);
	return count > 0;
}

/*
 * Everything but the per-CPU fast path: checks, reports, partial frees.
 * @site becomes the page_owner free site only with the last reference.
 */
int pa_free_pages_general(struct pa_page *page, unsigned int order, uintptr_t site,
			  const char *func)
{
	int ret;

	if (order > PA_MAX_PAGE_ORDER)
		return pa_fail(PA_EINVAL, func, "order %u above MAX_PAGE_ORDER %d", order,
			       PA_MAX_PAGE_ORDER);
	ret = put_checked(page, &order, func);
	if (ret < 0)
		return ret;
	if (ret == 0) {
		pa_owner_freed(page, site);
		free_block(page, order, func);
		return 0;
	}
	/* Someone else still holds the head page. */
	free_shared_tails(page, order, func);
	return 0;
}

/* The fast path inlined (free_fast()), for any order, for pa_free_pages(). */
static __attribute__((noinline)) int free_pages_order(struct pa_page *page, unsigned int order,
						       uintptr_t site)
{
	return free_fast(page, order, site, "pa_free_pages");
}

/*
 * The caller is the page_owner free site; the fast path specialised for
 * order 0, and both turns tail calls.
 */
int pa_free_pages(struct pa_page *page, unsigned int order)
{
	pa_trace_page(PA_TRACE_FREE, page, order);
	if (pa_likely(order == 0))
		return free_fast(page, 0, PA_OWNER_SITE, __func__);
	return free_pages_order(page, order, PA_OWNER_SITE);
}

/* Rarely called (contiguous ranges): the fast path inlined with @func, a variable, here. */
int pa_free_pages_site(struct pa_page *page, unsigned int order, uintptr_t site, const char *func)
{
	pa_trace_page(PA_TRACE_FREE, page, order);
	return free_fast(page, order, site, func);
}

int pa_put_page(struct pa_page *page)
{
	unsigned int order = ORDER_OWN;
	int ret;

	pa_trace_page(PA_TRACE_PUT, page, 0);
	ret = put_checked(page, &order, __func__);

	if (ret == 0) {
		pa_owner_freed(page, PA_OWNER_SITE);
		free_block(page, order, __func__);
	}
	return ret < 0 ? ret : 0;
}
