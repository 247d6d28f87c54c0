// SPDX-License-Identifier: MIT
/*
 * What a kernel that compacts needs from the allocator: Linux's
 * compaction_suitable() and fragmentation_index().  The compaction itself
 * (migrating pages) is the kernel's, behind pa_port_compact().
 */
#include "internal.h"

/* Linux's compact_gap(): free pages compaction needs to build 2^order. */
static unsigned long compact_gap(unsigned int order)
{
	return 2UL << order;
}

/*
 * Linux's __fragmentation_index() over the zone's free blocks:
 *   -1000 if a block of @order is free, 0 if nothing is free, else
 *   1000 - (1000 + free_pages * 1000 / 2^order) / free_blocks.
 * Few large blocks missing gives ~1000 (fragmentation), few pages ~0.
 */
int pa_fragindex(const struct pa_zone *z, unsigned int order)
{
	unsigned long blocks = 0, suitable = 0, pages = 0;

	for (unsigned int o = 0; o < PA_NR_PAGE_ORDERS; o++) {
		unsigned long n = PA_READ_ONCE(z->free_area[o].nr_free); /* lock optional */

		blocks += n;
		pages += n << o;
		if (o >= order)
			suitable += n << (o - order);
	}
	if (!blocks)
		return 0;
	if (suitable)
		return -1000;
	return 1000 - (int)((1000 + pages * 1000 / (1UL << order)) / blocks);
}

/*
 * Linux's compaction_suitable() with the free count @wmark_target: the
 * order-0 min watermark (low for costly orders) plus compact_gap() must be
 * met with CMA pages counted; costly orders also need a fragmentation
 * index outside [0, extfrag_threshold] (failure would be for
 * fragmentation, not for lack of memory).
 */
bool pa_compaction_suitable_zone(const struct pa_zone *z, unsigned int order, int highest_zoneidx,
				 unsigned long wmark_target)
{
	unsigned long mark = pa_zone_wmark(z, order > PA_PAGE_ALLOC_COSTLY_ORDER ? PA_WMARK_LOW
									 : PA_WMARK_MIN) +
			     compact_gap(order);
	int fragindex;

	if (!pa_zone_wmark_ok(z, 0, mark, highest_zoneidx, PA_ALLOC_CMA, (long)wmark_target))
		return false;
	if (order <= PA_PAGE_ALLOC_COSTLY_ORDER)
		return true;
	fragindex = pa_fragindex(z, order);
	return !(fragindex >= 0 && fragindex <= pa_g.extfrag_threshold);
}

static int check_zone(int nid, int zone, unsigned int order, const struct pa_zone **z,
		      const char *func)
{
	if (!pa_g.initialized)
		return pa_fail(PA_ENODEV, func, "called before pa_init()");
	if (nid < 0 || nid >= PA_MAX_NUMNODES || zone < 0 || zone >= PA_MAX_NR_ZONES)
		return pa_fail(PA_ENOENT, func, "no zone %d on node %d", zone, nid);
	if (order > PA_MAX_PAGE_ORDER)
		return pa_fail(PA_EINVAL, func, "order %u above MAX_PAGE_ORDER %d", order,
			       PA_MAX_PAGE_ORDER);
	*z = &pa_g.nodes[nid].zones[zone];
	return 0;
}

int pa_compaction_suitable(int nid, enum pa_zone_type zone, unsigned int order,
			   enum pa_zone_type highest_zoneidx)
{
	const struct pa_zone *z = NULL;
	int ret = check_zone(nid, (int)zone, order, &z, __func__);

	if (ret)
		return ret;
	if ((int)highest_zoneidx < 0 || highest_zoneidx >= PA_MAX_NR_ZONES)
		return PA_FAIL(PA_EINVAL, "highest_zoneidx %d out of range", (int)highest_zoneidx);
	return pa_compaction_suitable_zone(z, order, (int)highest_zoneidx,
					   __atomic_load_n(&z->free_pages, __ATOMIC_RELAXED));
}

int pa_fragmentation_index(int nid, enum pa_zone_type zone, unsigned int order, int *index)
{
	const struct pa_zone *z = NULL;
	unsigned long flags;
	int ret = check_zone(nid, (int)zone, order, &z, __func__);

	if (ret)
		return ret;
	if (!index)
		return PA_FAIL(PA_EINVAL, "index is NULL");
	flags = pa_port_spin_lock_irqsave((pa_spinlock_t *)&z->lock);
	*index = pa_fragindex(z, order);
	pa_port_spin_unlock_irqrestore((pa_spinlock_t *)&z->lock, flags);
	return 0;
}

/* ------------------------------------------------------------ the engine */

#ifdef CONFIG_PA_COMPACTION

/* Linux's COMPACT_CLUSTER_MAX: blocks isolated per migration batch. */
#define COMPACT_CLUSTER_MAX 32

/*
 * One compaction of one zone (Linux's struct compact_control).  The
 * migrate scanner walks up from the zone's start taking allocated movable
 * blocks; the free scanner walks down from its end taking free blocks,
 * which become the destinations, until they meet.  @order < 0: the whole
 * zone (pa_compact_memory()).
 */
struct compact_control {
	struct pa_zone *zone;
	int order;
	int mode;            /* PA_COMPACT_ASYNC, _SYNC_LIGHT, _SYNC */
	int migratetype;     /* the request's: its pageblocks are async sources */
	unsigned long migrate_pfn, free_pfn;
	struct pa_page *src[COMPACT_CLUSTER_MAX];
	unsigned int nr_src;
	struct pa_list freepages[PA_NR_PAGE_ORDERS]; /* destinations, held as allocated blocks */
	unsigned long nr_freepages;
	unsigned long migrated, scanned_migrate, scanned_free, isolated;
	bool unsupported;    /* the kernel does not migrate */
	/* Linux's at MIN_COMPACT_PRIORITY: any pageblock takes blocks, from the zone's start */
	bool ignore_block_suitable, whole_zone;
	bool proactive;      /* until the zone's score is under the low mark */
	bool ignore_skip_hint;
};

#define COMPACTION_HPAGE_ORDER PA_PAGEBLOCK_ORDER
#define COMPACT_MAX_DEFER_SHIFT 6

/*
 * Linux's pageblock skip hints: a bit per pageblock of a zone's span,
 * set when a scanner took nothing from the pageblock, so that later
 * passes step over it.  A zone's bits are cleared when kswapd goes to
 * sleep after a pass of it went through (the scanners met), or when its
 * deferral reached the maximum (Linux's __reset_isolation_suitable()).
 * The lowest priority, proactive compaction and pa_compact_memory()
 * ignore them.
 */
/* Words, not bytes: an atomic OR of a byte needs libatomic on some targets (riscv64). */
#define SKIP_BITS (8 * sizeof(unsigned long))

static unsigned long skip_index(const struct pa_zone *z, unsigned long start)
{
	return (start - PA_ALIGN_DOWN(z->zone_start_pfn, PA_PAGEBLOCK_NR_PAGES)) /
	       PA_PAGEBLOCK_NR_PAGES;
}

static bool test_skip(const struct compact_control *cc, unsigned long start)
{
	unsigned long i = skip_index(cc->zone, start);

	return !cc->ignore_skip_hint &&
	       (PA_READ_ONCE(cc->zone->compact_skip[i / SKIP_BITS]) & (1UL << (i % SKIP_BITS)));
}

static void set_skip(const struct compact_control *cc, unsigned long start)
{
	unsigned long i = skip_index(cc->zone, start);

	__atomic_fetch_or(&cc->zone->compact_skip[i / SKIP_BITS], 1UL << (i % SKIP_BITS),
			  __ATOMIC_RELAXED);
}

/* The bitmap's size in bytes: a bit per pageblock, two more for an unaligned start and end. */
static unsigned long skip_bytes(unsigned long span_pages)
{
	return (span_pages / PA_PAGEBLOCK_NR_PAGES + 2 + SKIP_BITS - 1) / SKIP_BITS *
	       sizeof(unsigned long);
}

static void reset_skip(struct pa_zone *z)
{
	unsigned long n = skip_bytes(z->spanned_pages) / sizeof(unsigned long);

	for (unsigned long i = 0; i < n; i++)
		PA_WRITE_ONCE(z->compact_skip[i], 0);
	PA_WRITE_ONCE(z->compact_blockskip_flush, false);
}

/*
 * Linux's reset_isolation_suitable(), when kswapd goes to sleep: the
 * zones whose last pass went through forget their hints.
 */
void pa_compaction_reset_skip(struct pa_node *node)
{
	for (int z = 0; z < PA_MAX_NR_ZONES; z++)
		if (node->zones[z].compact_skip && PA_READ_ONCE(node->zones[z].compact_blockskip_flush))
			reset_skip(&node->zones[z]);
}

/* Linux's compaction_restarting(): deferred as long as it gets, the next try scans everything. */
static bool compaction_restarting(const struct pa_zone *zone, int order)
{
	if (order < PA_READ_ONCE(zone->compact_order_failed))
		return false;
	return PA_READ_ONCE(zone->compact_defer_shift) == COMPACT_MAX_DEFER_SHIFT &&
	       PA_READ_ONCE(zone->compact_considered) >= 1u << COMPACT_MAX_DEFER_SHIFT;
}

size_t pa_compaction_meta_bytes(void)
{
	const struct pa_memblock_type *m = &pa_g.memory;
	pa_nodemask_t nodes = 0;
	unsigned long span;
	size_t n = 0;

	if (!m->cnt)
		return 0;
	/* each zone of each region's node spans at most all of memory: an upper bound */
	span = PA_PFN_DOWN(m->regions[m->cnt - 1].base + m->regions[m->cnt - 1].size) -
	       PA_PFN_DOWN(m->regions[0].base);
	for (unsigned int i = 0; i < m->cnt; i++)
		nodes |= PA_NODE_BIT(m->regions[i].nid);
	for (; nodes; nodes &= nodes - 1)
		n += PA_MAX_NR_ZONES * (PA_ALIGN_UP(skip_bytes(span), (size_t)64) + 64);
	return n;
}

int pa_compaction_init(void)
{
	pa_for_each_populated_zone(z) {
		z->compact_skip = pa_meta_alloc(skip_bytes(z->spanned_pages), z->node);
		if (!z->compact_skip)
			return PA_FAIL(PA_ENOMEM, "no room for compaction's skip bits");
		pa_memset(z->compact_skip, 0, skip_bytes(z->spanned_pages));
	}
	return 0;
}

/*
 * Linux's extfrag_for_order(): the percentage of @z's free pages that are
 * not in free blocks of @order or more.
 */
static unsigned int extfrag_for_order(const struct pa_zone *z, unsigned int order)
{
	unsigned long free = 0, suitable = 0;

	for (unsigned int o = 0; o < PA_NR_PAGE_ORDERS; o++) {
		unsigned long n = PA_READ_ONCE(z->free_area[o].nr_free);

		free += n << o;
		if (o >= order)
			suitable += n << (o - order);
	}
	return free ? (unsigned int)((free - (suitable << order)) * 100 / free) : 0;
}

/* Linux's fragmentation_score_wmark(): the low and high marks of proactive compaction. */
static unsigned int score_wmark(bool low)
{
	unsigned int wmark_low = (unsigned int)PA_MAX(100 - pa_g.compaction_proactiveness, 5);

	return low ? wmark_low : PA_MIN(wmark_low + 10, 100u);
}

/* The zone's last pfn + 1 (Linux's zone_end_pfn()). */
static unsigned long zone_end(const struct pa_zone *z)
{
	return z->zone_start_pfn + z->spanned_pages;
}

/*
 * May the pageblock at @start be scanned: every page present, all of
 * @cc's zone (Linux's pageblock_pfn_to_page())?
 */
static bool block_in_zone(const struct compact_control *cc, unsigned long start)
{
	unsigned long end = start + PA_PAGEBLOCK_NR_PAGES;

	if (start < cc->zone->zone_start_pfn || end > zone_end(cc->zone) ||
	    !pa_pfn_range_valid(start, end))
		return false;
	return pa_page_zone(pa_pfn_to_page_fast(start)) == cc->zone &&
	       pa_page_zone(pa_pfn_to_page_fast(end - 1)) == cc->zone;
}

/* Take a reference on an allocated block unless it is being freed (get_page_unless_zero()). */
static bool get_unless_zero(struct pa_page *page)
{
	int c = __atomic_load_n(&page->refcount, __ATOMIC_RELAXED);

	while (c > 0)
		if (__atomic_compare_exchange_n(&page->refcount, &c, c + 1, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return true;
	return false;
}

/* An allocated head of a movable request: a candidate to migrate. */
static bool movable_head(uint32_t flags)
{
	const uint32_t want = (1u << PA_PG_head) | (1u << PA_PG_movable);

	return (flags & (want | (1u << PA_PG_reserved))) == want;
}

/*
 * Linux's isolate_migratepages_block() over [@pfn, @end): take a
 * reference on each allocated movable block, up to a batch.  Free and
 * per-CPU blocks are stepped over by their order.  Return: where it
 * stopped.
 */
static unsigned long isolate_migratepages_block(struct compact_control *cc, unsigned long pfn,
						unsigned long end)
{
	while (pfn < end && cc->nr_src < COMPACT_CLUSTER_MAX) {
		struct pa_page *page = pa_pfn_to_page_fast(pfn);
		uint32_t flags = pa_page_flags(page);
		unsigned long step = 1;

		cc->scanned_migrate++;
		if (flags & PA_PG_STATE_MASK) /* a head: its order is its own */
			step = 1UL << pa_page_order(page);
		if (movable_head(flags) && get_unless_zero(page)) {
			if (movable_head(pa_page_flags(page)) && (1UL << pa_page_order(page)) == step &&
			    pfn + step <= end)
				cc->src[cc->nr_src++] = page;
			else
				pa_put_page_untraced(page);
		}
		pfn += PA_MIN(step, end - pfn); /* step >= 1 and pfn < end */
	}
	return pfn;
}

/* Linux's suitable_migration_source(): async compaction moves only from its own type's blocks. */
static bool suitable_source(const struct compact_control *cc, unsigned long start)
{
	int mt = pa_get_pageblock_migratetype(start);

	if (cc->mode != PA_COMPACT_ASYNC)
		return true;
	return mt == PA_MIGRATE_MOVABLE || mt == cc->migratetype ||
	       pa_is_migrate_cma(mt);
}

/*
 * Linux's isolate_migratepages(): from the migrate scanner's pageblock,
 * the next suitable one's movable blocks.  Return: false when the
 * scanners met.
 */
static bool isolate_migratepages(struct compact_control *cc)
{
	while (cc->migrate_pfn < cc->free_pfn) {
		unsigned long start = PA_ALIGN_DOWN(cc->migrate_pfn, PA_PAGEBLOCK_NR_PAGES);
		unsigned long end = PA_MIN(start + PA_PAGEBLOCK_NR_PAGES, cc->free_pfn);
		bool whole = cc->migrate_pfn == start; /* hints are read and set at a block's start */

		if (!block_in_zone(cc, start) || !suitable_source(cc, start) ||
		    (whole && test_skip(cc, start))) {
			cc->migrate_pfn = start + PA_PAGEBLOCK_NR_PAGES;
			continue;
		}
		cc->migrate_pfn = isolate_migratepages_block(cc, cc->migrate_pfn, end);
		if (cc->nr_src)
			return true;
		if (whole && cc->migrate_pfn == start + PA_PAGEBLOCK_NR_PAGES)
			set_skip(cc, start); /* nothing to take in all of it */
	}
	return false;
}

/*
 * Linux's suitable_migration_target(): a movable (or CMA) pageblock that
 * is not one free block already (breaking that would undo the work).
 */
static bool suitable_target(const struct compact_control *cc, unsigned long start)
{
	struct pa_page *page = pa_pfn_to_page_fast(start);
	unsigned int order = cc->order > 0 ? (unsigned int)cc->order : PA_PAGEBLOCK_ORDER;
	int mt = pa_get_pageblock_migratetype(start);

	if (pa_page_test(page, PA_PG_buddy) && pa_page_order(page) >= order)
		return false;
	if (cc->ignore_block_suitable)
		return true;
	return mt == PA_MIGRATE_MOVABLE || pa_is_migrate_cma(mt);
}

/*
 * A free block compaction holds as a destination: an allocated head, not
 * movable, with no reference, so that no migrate scanner (this CPU's or
 * another's) can take one (get_unless_zero()): the holder splits it and
 * hands it out with plain stores.  Handed out, it gets its reference.
 */
static void hold_block(struct pa_page *page, unsigned int order)
{
	pa_page_set_state(page, 1u << PA_PG_head, order);
	page->priv = 0;
}

/*
 * Linux's isolate_freepages_block(): take every free block of the
 * pageblock at @start off the lists, as an allocated block of its order
 * held on @cc->freepages.  Caller holds the zone lock.
 */
static void isolate_freepages_block_locked(struct compact_control *cc, unsigned long start)
{
	unsigned long pfn = start;

	while (pfn < start + PA_PAGEBLOCK_NR_PAGES) {
		struct pa_page *page = pa_pfn_to_page_fast(pfn);
		unsigned int order;

		cc->scanned_free++;
		if (!pa_page_test(page, PA_PG_buddy)) {
			pfn++;
			continue;
		}
		order = pa_page_order(page);
		pa_del_from_free_list(page, cc->zone, order, (int)page->priv);
		hold_block(page, order);
		pa_list_add(&page->lru, &cc->freepages[order]);
		cc->nr_freepages += 1UL << order;
		cc->isolated += 1UL << order;
		pfn += 1UL << order;
	}
}

/*
 * Linux's isolate_freepages(), one suitable pageblock at a time below the
 * free scanner.  Return: false when the scanners met.
 */
static bool isolate_freepages(struct compact_control *cc)
{
	while (cc->free_pfn > cc->migrate_pfn + PA_PAGEBLOCK_NR_PAGES) {
		unsigned long start = cc->free_pfn - PA_PAGEBLOCK_NR_PAGES, flags;

		unsigned long before = cc->nr_freepages;

		cc->free_pfn = start;
		if (!block_in_zone(cc, start) || !suitable_target(cc, start) || test_skip(cc, start))
			continue;
		flags = pa_port_spin_lock_irqsave(&cc->zone->lock);
		isolate_freepages_block_locked(cc, start);
		pa_port_spin_unlock_irqrestore(&cc->zone->lock, flags);
		if (cc->nr_freepages == before)
			set_skip(cc, start);
		return true;
	}
	return false;
}

/*
 * Linux's compaction_alloc(): a destination of @order from the isolated
 * free blocks, the smallest that fits, split as the buddy allocator
 * splits (the halves stay held).  NULL when none is left.
 */
static struct pa_page *compaction_alloc(struct compact_control *cc, unsigned int order)
{
	for (unsigned int o = order; o < PA_NR_PAGE_ORDERS; o++) {
		struct pa_page *page;

		if (pa_list_empty(&cc->freepages[o]))
			continue;
		unsigned long flags;

		page = pa_lru_to_page(cc->freepages[o].next);
		pa_list_del(&page->lru);
		/* under the zone lock: the verifier walks these pages under it */
		flags = pa_port_spin_lock_irqsave(&cc->zone->lock);
		while (o > order) {
			struct pa_page *half = page + (1UL << --o);

			hold_block(half, o);
			pa_list_add(&half->lru, &cc->freepages[o]);
		}
		pa_prep_new_page(page, order, PA_MIGRATE_MOVABLE);
		pa_port_spin_unlock_irqrestore(&cc->zone->lock, flags);
		cc->nr_freepages -= 1UL << order;
		return page;
	}
	return NULL;
}

/*
 * A destination not used goes back to the buddy lists as it came, not
 * freed as an allocation (no pgfree: it was never counted as allocated).
 */
static void release_block(struct compact_control *cc, struct pa_page *page, unsigned int order)
{
	unsigned long pfn = pa_page_to_pfn_fast(page);
	unsigned long flags = pa_port_spin_lock_irqsave(&cc->zone->lock);

	pa_free_one_page_locked(cc->zone, page, pfn, order, pa_get_pageblock_migratetype(pfn));
	pa_port_spin_unlock_irqrestore(&cc->zone->lock, flags);
}

/*
 * A destination the kernel refused: back to the lists, unless a migrate
 * scanner took a reference on it while it was out (it was a movable
 * block then).  Its last put then frees it, as the allocation it looked
 * like (counted as one, so pgalloc and pgfree still agree).
 */
static void return_target(struct compact_control *cc, struct pa_page *dst, unsigned int order)
{
	int one = 1;

	if (__atomic_compare_exchange_n(&dst->refcount, &one, 0, false, __ATOMIC_ACQUIRE,
					__ATOMIC_RELAXED)) {
		release_block(cc, dst, order);
		return;
	}
	pa_count_alloc_irq(cc->zone, cc->zone, 1UL << order);
	pa_put_page_untraced(dst);
}

static void release_freepages(struct compact_control *cc)
{
	for (unsigned int o = 0; o < PA_NR_PAGE_ORDERS; o++)
		while (!pa_list_empty(&cc->freepages[o])) {
			struct pa_page *page = pa_lru_to_page(cc->freepages[o].next);

			pa_list_del(&page->lru);
			release_block(cc, page, o);
		}
	cc->nr_freepages = 0;
}

/*
 * Linux's compaction_alloc(): a destination of @order from the blocks
 * held; when none is held at any order, isolate pageblocks until the
 * held pages cover the rest of the batch (@want) and look once more.
 * NULL: none for this block (the others may still find one).
 */
static struct pa_page *get_target(struct compact_control *cc, unsigned int order,
				  unsigned long want)
{
	struct pa_page *dst = compaction_alloc(cc, order);

	if (dst || cc->nr_freepages)
		return dst;
	while (cc->nr_freepages < want && isolate_freepages(cc))
		;
	return compaction_alloc(cc, order);
}

/*
 * Move the batch: each block to a destination through the kernel's
 * pa_port_migrate_page(), then drop the reference the scanner took, which
 * frees the old block when the kernel let it go.  A refusal leaves both
 * as they were (the destination goes back); a block with no destination
 * of its order stays.  Return: false when the free scanner has met the
 * migrate scanner and nothing is held.
 */
static bool migrate_batch(struct compact_control *cc)
{
	unsigned long want = 0;

	for (unsigned int i = 0; i < cc->nr_src; i++)
		want += 1UL << pa_page_order(cc->src[i]);
	for (unsigned int i = 0; i < cc->nr_src; i++) {
		struct pa_page *src = cc->src[i], *dst = NULL;
		unsigned int order = pa_page_order(src);
		int ret;

		if (!cc->unsupported)
			dst = get_target(cc, order, want);
		want -= 1UL << order;
		if (dst) {
			pa_trace_migrate(src, dst, order); /* first: the hook's own lines on dst follow it */
			ret = pa_port_migrate_page(src, dst, order);
			if (ret) {
				pa_trace_page(PA_TRACE_FREE, dst, order); /* a refusal gives dst back */
				return_target(cc, dst, order);
			} else {
				pa_count_alloc_irq(cc->zone, cc->zone, 1UL << order); /* as allocated */
			}
			cc->unsupported |= ret == -PA_EOPNOTSUPP;
			cc->migrated += ret ? 0 : 1UL << order;
		}
		pa_put_page_untraced(src);
	}
	cc->nr_src = 0;
	pa_drain_local_pages(); /* the freed blocks to the buddy lists, where they merge */
	return cc->free_pfn > cc->migrate_pfn + PA_PAGEBLOCK_NR_PAGES || cc->nr_freepages;
}

/*
 * Linux's __compact_finished(): a free block of the order is on the
 * request type's lists, or on any list at a pageblock or more (a
 * fallback would take it whole).
 */
static bool order_free(const struct compact_control *cc)
{
	struct pa_zone *z = cc->zone;
	unsigned long flags = pa_port_spin_lock_irqsave(&z->lock);
	bool found = false;

	for (unsigned int o = (unsigned int)cc->order; o < PA_NR_PAGE_ORDERS && !found; o++)
		for (int mt = 0; mt < PA_MIGRATE_PCPTYPES && !found; mt++)
			found = !pa_list_empty(&z->free_area[o].free_list[mt]) &&
				(mt == cc->migratetype || o >= PA_PAGEBLOCK_ORDER);
	pa_port_spin_unlock_irqrestore(&z->lock, flags);
	return found;
}

static void count_run(const struct compact_control *cc)
{
	pa_count_event(PA_COMPACTMIGRATE_SCANNED, cc->scanned_migrate);
	pa_count_event(PA_COMPACTFREE_SCANNED, cc->scanned_free);
	pa_count_event(PA_COMPACTISOLATED, cc->isolated);
}

/*
 * Linux's compact_zone(): batches until the order is free, the scanners
 * meet, or the kernel turns out not to migrate.  The scanners resume
 * where the last run stopped (compact_cached_*_pfn) and start afresh
 * after they met.
 */
static enum pa_compact_result compact_zone(struct compact_control *cc)
{
	struct pa_zone *z = cc->zone;
	enum pa_compact_result ret = PA_COMPACT_CONTINUE;

	if (PA_READ_ONCE(pa_g.no_migration))
		return PA_COMPACT_SKIPPED;
	for (unsigned int o = 0; o < PA_NR_PAGE_ORDERS; o++)
		pa_list_init(&cc->freepages[o]);
	cc->migrate_pfn = PA_READ_ONCE(z->compact_cached_migrate_pfn);
	cc->free_pfn = PA_READ_ONCE(z->compact_cached_free_pfn);
	if (cc->order >= 0 && compaction_restarting(z, cc->order))
		reset_skip(z);
	if (cc->whole_zone || !cc->free_pfn || cc->migrate_pfn >= cc->free_pfn) {
		cc->migrate_pfn = z->zone_start_pfn;
		cc->free_pfn = PA_ALIGN_DOWN(zone_end(z), PA_PAGEBLOCK_NR_PAGES);
	}
	pa_drain_local_pages();
	while (ret == PA_COMPACT_CONTINUE) {
		if (cc->order >= 0 && order_free(cc))
			ret = PA_COMPACT_SUCCESS;
		else if (cc->proactive &&
			 extfrag_for_order(z, COMPACTION_HPAGE_ORDER) <= score_wmark(true))
			ret = PA_COMPACT_SUCCESS;
		else if (!isolate_migratepages(cc))
			ret = PA_COMPACT_COMPLETE;
		else if (!migrate_batch(cc) || cc->unsupported)
			ret = cc->unsupported ? PA_COMPACT_SKIPPED : PA_COMPACT_COMPLETE;
	}
	release_freepages(cc);
	if (cc->unsupported) /* the default hook: no run will move anything */
		PA_WRITE_ONCE(pa_g.no_migration, true);
	if (ret == PA_COMPACT_COMPLETE) {
		cc->migrate_pfn = cc->free_pfn = 0; /* the next run starts afresh */
		PA_WRITE_ONCE(z->compact_blockskip_flush, true); /* kswapd's sleep clears the hints */
	}
	PA_WRITE_ONCE(z->compact_cached_migrate_pfn, cc->migrate_pfn);
	PA_WRITE_ONCE(z->compact_cached_free_pfn, cc->free_pfn);
	count_run(cc);
	return ret;
}

enum pa_compact_result pa_compact_zone_order(struct pa_zone *zone, int order, int mode, int mt,
					     unsigned long *migrated)
{
	struct compact_control cc = {
		.zone = zone, .order = order, .mode = mode, .migratetype = mt,
		.ignore_block_suitable = mode == PA_COMPACT_SYNC && order >= 0,
		.whole_zone = mode == PA_COMPACT_SYNC,
		.ignore_skip_hint = mode == PA_COMPACT_SYNC,
	};

	if (order >= 0 && mode == PA_COMPACT_SYNC)
		cc.mode = PA_COMPACT_SYNC_LIGHT; /* direct compaction's mode at its lowest priority */
	enum pa_compact_result ret = compact_zone(&cc);

	if (migrated)
		*migrated += cc.migrated;
	return ret;
}

/*
 * Linux's defer_compaction(): a compaction of @zone for @order failed;
 * skip the next 2^shift attempts at this order or above (shift up to 6).
 */
static void defer_compaction(struct pa_zone *zone, int order)
{
	PA_WRITE_ONCE(zone->compact_considered, 0);
	PA_WRITE_ONCE(zone->compact_defer_shift,
		      PA_MIN(PA_READ_ONCE(zone->compact_defer_shift) + 1, COMPACT_MAX_DEFER_SHIFT));
	if (order < PA_READ_ONCE(zone->compact_order_failed))
		PA_WRITE_ONCE(zone->compact_order_failed, order);
}

/* Linux's compaction_deferred(): is this attempt one to skip? */
static bool compaction_deferred(struct pa_zone *zone, int order)
{
	unsigned int limit = 1u << PA_READ_ONCE(zone->compact_defer_shift);

	if (order < PA_READ_ONCE(zone->compact_order_failed))
		return false;
	/* unlocked, as Linux's: racing CPUs may count one attempt twice */
	if (__atomic_add_fetch(&zone->compact_considered, 1, __ATOMIC_RELAXED) >= limit) {
		PA_WRITE_ONCE(zone->compact_considered, limit);
		return false;
	}
	return true;
}

void pa_compaction_defer_reset(struct pa_zone *zone, int order, bool alloc_success)
{
	if (alloc_success) {
		PA_WRITE_ONCE(zone->compact_considered, 0);
		PA_WRITE_ONCE(zone->compact_defer_shift, 0);
	}
	if (order >= PA_READ_ONCE(zone->compact_order_failed))
		PA_WRITE_ONCE(zone->compact_order_failed, order + 1);
}

/*
 * Linux's try_to_compact_pages() and compact_zone_order(): each zone
 * compaction_suitable() allows and that is not deferred (at the lowest
 * priority none is), async at PA_COMPACT_ASYNC and sync-light otherwise,
 * the lowest priority also taking any pageblock as a target.
 */
enum pa_compact_result pa_try_to_compact_pages(pa_gfp_t gfp, unsigned int order,
					       const struct pa_alloc_ctx *ac, int prio)
{
	enum pa_compact_result best = PA_COMPACT_SKIPPED;

	(void)gfp;
	pa_for_each_zoneref(i, ac, 0) {
		struct pa_zone *z = pa_zonelist_zone(ac->zonelist, i);
		enum pa_compact_result r;

		if (prio > PA_COMPACT_SYNC && compaction_deferred(z, (int)order))
			continue;
		if (!pa_compaction_suitable_zone(z, order, ac->highest_zoneidx,
						 __atomic_load_n(&z->free_pages, __ATOMIC_RELAXED)))
			continue;
		r = pa_compact_zone_order(z, (int)order, prio, ac->migratetype, NULL);
		best = PA_MAX(best, r);
		if (r == PA_COMPACT_SUCCESS) {
			pa_compaction_defer_reset(z, (int)order, false);
			break;
		}
		if (prio != PA_COMPACT_ASYNC && r == PA_COMPACT_COMPLETE)
			defer_compaction(z, (int)order);
	}
	return best;
}

/* ------------------------------------------------------------ kcompactd */

/*
 * Linux's wakeup_kcompactd(), from kswapd after a high-order balance:
 * note the order and zone, and wake the kernel's thread when some zone
 * could be compacted for it.
 */
void pa_wakeup_kcompactd(struct pa_node *node, unsigned int order, int highest_zoneidx)
{
	bool suitable = false;

	if (!order)
		return;
	if (__atomic_load_n(&node->kcompactd_max_order, __ATOMIC_RELAXED) < (int)order)
		__atomic_store_n(&node->kcompactd_max_order, (int)order, __ATOMIC_RELAXED);
	if (__atomic_load_n(&node->kcompactd_highest_zoneidx, __ATOMIC_RELAXED) > highest_zoneidx)
		__atomic_store_n(&node->kcompactd_highest_zoneidx, highest_zoneidx, __ATOMIC_RELAXED);
	for (int z = 0; z <= highest_zoneidx && !suitable; z++)
		suitable = node->zones[z].managed_pages &&
			   pa_compaction_suitable_zone(&node->zones[z], order, highest_zoneidx,
						       PA_READ_ONCE(node->zones[z].free_pages));
	if (suitable)
		pa_port_wake_kcompactd(node->node_id, order, (enum pa_zone_type)highest_zoneidx);
}

/* Linux's fragmentation_score_node(): the zones' scores weighted by their present pages. */
static unsigned int score_node(const struct pa_node *node)
{
	unsigned long present = 0, score = 0;

	for (int z = 0; z < PA_MAX_NR_ZONES; z++)
		present += node->zones[z].present_pages;
	for (int z = 0; z < PA_MAX_NR_ZONES; z++) {
		const struct pa_zone *zone = &node->zones[z];

		if (zone->managed_pages)
			score += zone->present_pages * extfrag_for_order(zone, COMPACTION_HPAGE_ORDER) /
				 (present + 1);
	}
	return (unsigned int)score;
}

static struct pa_node *kcompactd_node(int nid, const char *func)
{
	if (!pa_g.initialized) {
		pa_fail(PA_ENODEV, func, "called before pa_init()");
		return NULL;
	}
	if (!pa_node_online(nid)) {
		pa_fail(PA_ENOENT, func, "node %d is out of range or has no memory", nid);
		return NULL;
	}
	return &pa_g.nodes[nid];
}

bool pa_kcompactd_should_run(int nid)
{
	struct pa_node *node = kcompactd_node(nid, __func__);

	if (!node || PA_READ_ONCE(pa_g.no_migration))
		return false;
	if (__atomic_load_n(&node->kcompactd_max_order, __ATOMIC_RELAXED) > 0)
		return true;
	if (!pa_g.compaction_proactiveness ||
	    __atomic_load_n(&node->kswapd_active, __ATOMIC_RELAXED))
		return false;
	return score_node(node) > score_wmark(false);
}

/* One daemon compaction of @zone; counts its scanning as the daemon's too. */
static enum pa_compact_result daemon_compact(struct pa_zone *zone, int order, bool proactive,
					     unsigned long *migrated)
{
	struct compact_control cc = {
		.zone = zone, .order = order, .mode = PA_COMPACT_SYNC_LIGHT,
		.migratetype = PA_MIGRATE_MOVABLE, .proactive = proactive, .whole_zone = proactive,
		.ignore_skip_hint = proactive,
	};
	enum pa_compact_result ret = compact_zone(&cc);

	pa_count_event(PA_KCOMPACTD_MIGRATE_SCANNED, cc.scanned_migrate);
	pa_count_event(PA_KCOMPACTD_FREE_SCANNED, cc.scanned_free);
	*migrated += cc.migrated;
	return ret;
}

/* Linux's kcompactd_do_work() for the order kswapd asked for. */
static void kcompactd_do_work(struct pa_node *node, int order, int hz, unsigned long *migrated)
{
	for (int z = 0; z <= hz; z++) {
		struct pa_zone *zone = &node->zones[z];
		enum pa_compact_result ret;

		if (!zone->managed_pages || compaction_deferred(zone, order) ||
		    !pa_compaction_suitable_zone(zone, (unsigned int)order, hz,
						 PA_READ_ONCE(zone->free_pages)))
			continue;
		ret = daemon_compact(zone, order, false, migrated);
		if (ret == PA_COMPACT_SUCCESS)
			pa_compaction_defer_reset(zone, order, false);
		else if (ret == PA_COMPACT_COMPLETE)
			defer_compaction(zone, order);
	}
}

long pa_kcompactd_run(int nid)
{
	struct pa_node *node = kcompactd_node(nid, __func__);
	unsigned long migrated = 0;
	int order, hz;

	if (!node)
		return pa_g.initialized ? -PA_ENOENT : -PA_ENODEV;
	pa_count_event(PA_KCOMPACTD_WAKE, 1);
	order = __atomic_exchange_n(&node->kcompactd_max_order, 0, __ATOMIC_RELAXED);
	hz = __atomic_exchange_n(&node->kcompactd_highest_zoneidx, PA_MAX_NR_ZONES - 1,
				 __ATOMIC_RELAXED);
	if (order > 0) {
		kcompactd_do_work(node, order, hz, &migrated);
		return (long)migrated;
	}
	for (int z = 0; z < PA_MAX_NR_ZONES; z++) /* proactive_compact_node() */
		if (node->zones[z].managed_pages)
			daemon_compact(&node->zones[z], -1, true, &migrated);
	return (long)migrated;
}

int pa_compact_memory(void)
{
	if (!pa_g.initialized)
		return PA_FAIL(PA_ENODEV, "called before pa_init()");
	pa_for_each_populated_zone(z)
		if (pa_compact_zone_order(z, -1, PA_COMPACT_SYNC, PA_MIGRATE_MOVABLE, NULL) ==
		    PA_COMPACT_SKIPPED)
			return PA_FAIL(PA_EOPNOTSUPP, "pa_port_migrate_page() migrates nothing");
	return 0;
}

#else /* !CONFIG_PA_COMPACTION */

size_t pa_compaction_meta_bytes(void)
{
	return 0;
}

int pa_compaction_init(void)
{
	return 0;
}

/* The kernel's own compaction: progress counts as success, as the caller then retries. */
enum pa_compact_result pa_try_to_compact_pages(pa_gfp_t gfp, unsigned int order,
					       const struct pa_alloc_ctx *ac, int prio)
{
	int nid = pa_zonelist_zone(ac->zonelist, ac->preferred)->node;

	return pa_port_compact(nid, order, gfp, prio) ? PA_COMPACT_SUCCESS : PA_COMPACT_COMPLETE;
}

int pa_compact_memory(void)
{
	return PA_FAIL(PA_EOPNOTSUPP, "built without CONFIG_PA_COMPACTION");
}

void pa_wakeup_kcompactd(struct pa_node *node, unsigned int order, int highest_zoneidx)
{
	(void)node, (void)order, (void)highest_zoneidx;
}

void pa_compaction_reset_skip(struct pa_node *node)
{
	(void)node;
}

bool pa_kcompactd_should_run(int nid)
{
	(void)nid;
	return false;
}

long pa_kcompactd_run(int nid)
{
	(void)nid;
	return PA_FAIL(PA_EOPNOTSUPP, "built without CONFIG_PA_COMPACTION");
}

#endif /* CONFIG_PA_COMPACTION */
