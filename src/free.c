// SPDX-License-Identifier: MIT
/*
 * The free entry points: pa_free_pages(), pa_put_page(), pa_get_page()
 * and the reference counting under them.  The fast free (free_fast())
 * is inlined into pa_free_pages(); every check, report and partial free
 * is the general path's (free_pages_general()).  A block whose last
 * reference goes is handed to this CPU's set (pcp.c) or the buddy lists
 * (buddy.c).
 */
#include "pcp_fast.h"

/* Everything the fast free declines: checks, reports, shared blocks. */
static int free_pages_general(struct pa_page *page, unsigned int order, uintptr_t site,
			      const char *func);

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
	struct pa_zone *zone = split ? pa_page_zone(page) : NULL;
	unsigned long flags = zone ? pa_port_spin_lock_irqsave(&zone->lock) : 0;

	do {
		if (count <= 0)
			break;
		if (split && count > 1)
			pa_page_set_order(page, 0);
	} while (!__atomic_compare_exchange_n(&page->refcount, &count, count - 1, true,
					      __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	if (zone) {
		/*
		 * Shared: the tail halves become blocks of their own, for
		 * free_shared_tails(), in the same zone-lock hold as the head
		 * became order 0, so that pa_check()'s walk of the zone, which
		 * holds the lock, finds every page in some block.
		 */
		for (unsigned int o = split; count > 1 && o-- > 0;)
			pa_page_set_state(page + (1UL << o), 1u << PA_PG_head, o);
		pa_port_spin_unlock_irqrestore(&zone->lock, flags);
	}
	return count <= 0 ? -1 : count - 1;
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
	unsigned long mt;
	int count;

	if (pa_unlikely(!pa_fast_free_head(flags, order)))
		return free_pages_general(page, order, site, func);
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
	if (pa_pcp_allowed_order(order))
		return pa_pcp_free_fast(page, flags, order, mt, func);
	return pa_buddy_free_block_fast(pa_flags_zone(flags), page, pfn, order, pb);
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
		return free_pages_general(page, order, site, func);
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
		return free_pages_general(page, order, site, func);
	if (pa_unlikely(!pa_run_locate(page, &i)))
		return free_fast_sections(page, order, site, func);
	return free_fast_located(page, order, site, func, pa_page_flags(page), pa_g.run.pfn + i,
				 &pa_g.run.pageblock[i >> PA_PAGEBLOCK_ORDER]);
}

/* A block whose last reference is gone: to this CPU's set, or the buddy lists. */
static void free_block(struct pa_page *page, unsigned int order, const char *func)
{
	unsigned long pfn = pa_page_to_pfn_fast(page);

	if (IS_ENABLED(CONFIG_PA_PAGE_POISONING))
		pa_poison_free_block(page, pfn, order);
	if (pa_pcp_allowed_order(order))
		pa_free_to_pcp(page, pfn, order, func);
	else
		pa_buddy_free_block(pa_page_zone(page), page, pfn, order, NULL);
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
static int free_pages_general(struct pa_page *page, unsigned int order, uintptr_t site,
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

/* Drop a reference; the last one frees the block, @site being page_owner's free site. */
static inline int put_common(struct pa_page *page, uintptr_t site)
{
	unsigned int order = ORDER_OWN;
	int ret = put_checked(page, &order, "pa_put_page");

	if (ret == 0) {
		pa_owner_freed(page, site);
		free_block(page, order, "pa_put_page");
	}
	return ret < 0 ? ret : 0;
}

int pa_put_page(struct pa_page *page)
{
	pa_trace_page(PA_TRACE_PUT, page, 0);
	return put_common(page, PA_OWNER_SITE);
}

/* A reference the library took itself (compaction's scanner): no trace event, as its get had none. */
int pa_put_page_untraced(struct pa_page *page)
{
	return put_common(page, PA_OWNER_SITE);
}

void pa_get_page(struct pa_page *page)
{
	int count;

	if (pa_page_arg_check(page, __func__))
		return;
	count = __atomic_load_n(&page->refcount, __ATOMIC_RELAXED);
	do {
		if (count <= 0) {
			pa_bad_page(page, pa_page_to_pfn_fast(page), "reference to a free page", __func__);
			return;
		}
	} while (!__atomic_compare_exchange_n(&page->refcount, &count, count + 1, true,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	pa_trace_page(PA_TRACE_GET, page, 0); /* only a reference taken is an event */
}
