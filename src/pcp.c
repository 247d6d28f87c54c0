// SPDX-License-Identifier: MIT
/*
 * Per-CPU page sets (Linux's per_cpu_pages): each CPU keeps a few free
 * blocks of orders 0..PA_PCP_MAX_ORDER per zone, so most small
 * allocations and frees touch only its own cache lines.  Refill takes
 * `batch` blocks and freeing above `high` returns a batch, each under one
 * zone-lock hold.  batch and high_min/high_max are Linux's zone_batchsize()
 * and zone_highsize().
 */
#include "pcp_fast.h"

#define MIN_PERCPU_PAGELIST_HIGH_FRACTION 8

/* The bits pa_pcp_state() gives a block on a per-CPU list. */
#define PCP_STATE_MASK (PA_PG_STATE_MASK | (1u << PA_PG_movable))

/* ------------------------------------------------------------ sizes */

static unsigned long rounddown_pow_of_two(unsigned long v)
{
	return 1UL << pa_ilog2(v);
}

/*
 * Linux's zone_batchsize(): about 0.1% of the zone or 1 MiB, whichever is
 * smaller, divided by 4, then rounded to 2^n - 1 from 1.5 times that
 * (2^n - 1 avoids cache-colour aliasing between CPUs taking turns).
 */
static int zone_batchsize(const struct pa_zone *z)
{
	unsigned long batch = PA_MIN(z->managed_pages >> 10, (1UL << 20) / PA_PAGE_SIZE);

	batch /= 4;
	if (batch < 1)
		batch = 1;
	return (int)(rounddown_pow_of_two(batch + batch / 2) - 1);
}

/* Online CPUs of @nid (Linux's cpumask_weight(cpumask_of_node())). */
static unsigned int node_online_cpus(int nid)
{
	unsigned int n = 0;

	for (unsigned int cpu = 0; cpu < pa_g.nr_cpus; cpu++)
		n += pa_g.cpu_online[cpu] && pa_g.cpu_to_node[cpu] == nid;
	return n;
}

static unsigned int online_cpus(void)
{
	unsigned int n = 0;

	for (unsigned int cpu = 0; cpu < pa_g.nr_cpus; cpu++)
		n += pa_g.cpu_online[cpu];
	return n;
}

/*
 * Linux's zone_highsize(): the low watermark (or managed / @fraction),
 * split over the node's online CPUs (all online CPUs for a node without
 * any), and at least 4 * @batch.
 */
static int zone_highsize(const struct pa_zone *z, int batch, int fraction)
{
	unsigned long total = fraction ? z->managed_pages / (unsigned long)fraction
				       : pa_zone_wmark(z, PA_WMARK_LOW);
	unsigned int split = node_online_cpus(z->node);
	long high;

	if (!split)
		split = online_cpus();
	high = split ? (long)(total / split) : (long)total;
	return (int)PA_MAX(high, (long)batch << 2);
}

/*
 * Linux's pageset_update(): new limits for a set, which its next free
 * (made to take pa_pcp_free_high()) or refill clamps high into.  The
 * owner may be publishing fast_high meanwhile: pcp_publish_high()
 * explains why either it sees the new limits or its store comes first.
 */
static void pageset_update(struct pa_pcp *pcp, int high_min, int high_max, int batch)
{
	__atomic_store_n(&pcp->batch, batch, __ATOMIC_RELAXED);
	__atomic_store_n(&pcp->free_cap, (uint16_t)(batch << PA_PCP_BATCH_SCALE_MAX), __ATOMIC_RELAXED);
	__atomic_store_n(&pcp->high_min, high_min, __ATOMIC_SEQ_CST);
	__atomic_store_n(&pcp->high_max, high_max, __ATOMIC_SEQ_CST);
	__atomic_store_n(&pcp->fast_high, 0, __ATOMIC_SEQ_CST);
}

/* Linux's zone_set_pageset_high_and_batch(): off line or disabled sets get the boot pageset's. */
static void zone_set_high_and_batch(struct pa_zone *z)
{
	int batch = PA_MAX(1, zone_batchsize(z));
	int frac = pa_g.percpu_pagelist_high_fraction;
	int high_min = zone_highsize(z, batch, frac);
	int high_max = frac ? high_min : zone_highsize(z, batch, MIN_PERCPU_PAGELIST_HIGH_FRACTION);

	z->pageset_batch = batch;
	z->pageset_high_min = high_min;
	z->pageset_high_max = high_max;
	for (unsigned int cpu = 0; cpu < pa_g.nr_cpus; cpu++) {
		bool off = pa_g.pcp_disabled || !pa_g.cpu_online[cpu];

		pageset_update(&z->pcp[cpu], off ? 0 : high_min, off ? 0 : high_max, off ? 1 : batch);
	}
}

/* The zones with pages and per-CPU sets. */
#define for_each_managed_zone(z) pa_for_each_zone(z) if (!(z)->managed_pages || !(z)->pcp) {} else

void pa_pcp_update_all(void)
{
	if (!pa_g.initialized)
		return;
	for_each_managed_zone(z)
		zone_set_high_and_batch(z);
}

/* ------------------------------------------------------------ init */

size_t pa_pcp_meta_bytes(void)
{
	pa_nodemask_t nodes = 0;
	/* a set per CPU (one CPU when none is set yet) and the spare */
	size_t per_zone = PA_ALIGN_UP((PA_MAX(pa_g.nr_cpus, 1u) + 1) * sizeof(struct pa_pcp), (size_t)64) + 64;
	size_t n = 0;

	for (unsigned int i = 0; i < pa_g.memory.cnt; i++)
		nodes |= PA_NODE_BIT(pa_g.memory.regions[i].nid);
	for (; nodes; nodes &= nodes - 1)
		n++;
	return n * PA_MAX_NR_ZONES * per_zone;
}

uint32_t pa_cpu_pcp_off[PA_NR_CPUS];
const uint32_t pa_pcp_list_off[PA_MIGRATE_PCPTYPES] = { 0, sizeof(struct pa_list),
							  2 * sizeof(struct pa_list) };
_Static_assert(PA_MIGRATE_PCPTYPES == 3, "pa_pcp_list_off has one entry per type");

static void pcp_init_one(struct pa_pcp *pcp)
{
	pa_memset(pcp, 0, sizeof(*pcp)); /* Linux's boot pageset: high 0 */
	pcp->batch = 1;
	pcp->free_cap = (uint16_t)(1 << PA_PCP_BATCH_SCALE_MAX);
	for (unsigned int i = 0; i < PA_NR_PCP_LISTS; i++)
		pa_list_init(&pcp->lists[i]);
}

/*
 * Carve each populated zone's sets from its node, as mem_map is: one per
 * CPU, and after them one whose lock is never free, which the ids at or
 * above the CPU count find through pa_cpu_pcp_off (their frees then go
 * to the buddy lists).
 */
int pa_pcp_init(void)
{
	unsigned int n = pa_g.nr_cpus;

	for (unsigned int cpu = 0; cpu < PA_NR_CPUS; cpu++)
		pa_cpu_pcp_off[cpu] = (uint32_t)(PA_MIN(cpu, n) * sizeof(struct pa_pcp));
	pa_for_each_populated_zone(z) {
		z->pcp = pa_meta_alloc((n + 1) * sizeof(struct pa_pcp), z->node);
		if (!z->pcp)
			return PA_FAIL(PA_ENOMEM, "no room for the per-CPU page sets");
		for (unsigned int cpu = 0; cpu <= n; cpu++)
			pcp_init_one(&z->pcp[cpu]);
		z->pcp[n].locked = 1;
		pa_g.pcp_by_id[z->zoneid] = z->pcp;
	}
	return 0;
}

/* ------------------------------------------------------------ moving blocks */

/* CONFIG_PA_DEBUG_VM: pa_pcp_trylock() found its own CPU's set in use. */
_Noreturn void pa_pcp_shared_panic(void)
{
	char msg[200];

	pa_snprintf(msg, sizeof(msg),
		    "per-CPU set of CPU %u taken twice at once: two threads or contexts run "
		    "with this CPU id (pa_port_cpu_id()), or an interrupt came with interrupts on",
		    pa_port_cpu_id());
	pa_port_panic(msg);
}

/*
 * This CPU's set of @zone, locked, with interrupts off until pa_pcp_unlock();
 * NULL (interrupts restored) when another CPU holds it, or this CPU's id
 * has no set (pa_cpu_id_bad() reports it): use the buddy lists.
 */
static struct pa_pcp *pcp_lock(struct pa_zone *zone, unsigned long *irq)
{
	struct pa_pcp *pcp;

	*irq = pa_port_irq_save();
	pcp = pa_this_cpu_pcp(zone);
	if (pa_likely(pa_pcp_trylock(pcp)))
		return pcp;
	pa_port_irq_restore(*irq);
	return NULL;
}

/*
 * The sets of other CPUs (drains of another CPU, the verifier): the lock
 * word first, which orders these users among themselves (and, without
 * CONFIG_PA_PCP_REMOTE_BARRIER, against the owner too), taken with
 * interrupts off as before.  With the option it is taken with interrupts
 * on, as pa_port_remote_barrier() may wait for other CPUs (which is why
 * these callers then need process context), and the owner's short hold
 * is waited out after the barrier (pa_pcp_trylock() explains the pairing).
 */
static void pcp_take_word(struct pa_pcp *pcp)
{
	while (__atomic_exchange_n(&pcp->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&pcp->locked, __ATOMIC_RELAXED))
			;
}

static void pcp_wait_owner(struct pa_pcp *pcp)
{
	while (__atomic_load_n(&pcp->busy, __ATOMIC_ACQUIRE))
		;
}

static unsigned long pcp_lock_remote(struct pa_pcp *pcp)
{
	unsigned long irq;

	if (!IS_ENABLED(CONFIG_PA_PCP_REMOTE_BARRIER)) {
		irq = pa_port_irq_save();
		pcp_take_word(pcp);
		return irq;
	}
	pcp_take_word(pcp);
	pa_port_remote_barrier();
	irq = pa_port_irq_save();
	pcp_wait_owner(pcp);
	return irq;
}

static void pcp_unlock_remote(struct pa_pcp *pcp, unsigned long irq)
{
	__atomic_store_n(&pcp->locked, 0, __ATOMIC_RELEASE);
	pa_port_irq_restore(irq);
}

/*
 * Return @count pages from @pcp to the buddy lists under one zone-lock
 * hold (Linux's free_pcppages_bulk()): round-robin over the lists starting
 * with @pindex, the oldest (tail) block of each first.  Each block goes to
 * the lists of its pageblock's type as it is now.  Caller holds pcp->lock.
 */
static void free_pcppages_bulk(struct pa_zone *zone, int count, struct pa_pcp *pcp,
			       unsigned int pindex)
{
	unsigned long flags = pa_port_spin_lock_irqsave(&zone->lock);

	count = PA_MIN(count, pcp->count);
	while (count > 0) {
		struct pa_list *list = &pcp->lists[pindex];
		unsigned int order = pa_pcp_pindex_order(pindex);

		if (++pindex == PA_NR_PCP_LISTS)
			pindex = 0;
		if (pa_list_empty(list))
			continue;
		do {
			struct pa_page *page = pa_lru_to_page(list->prev);
			unsigned long pfn = pa_page_to_pfn_fast(page);

			pa_list_del(&page->lru);
			pa_page_clear(page, PA_PG_pcp);
			pcp->count -= 1 << order;
			count -= 1 << order;
			pa_free_one_page_locked(zone, page, pfn, order,
						pa_get_pageblock_migratetype(pfn));
		} while (count > 0 && !pa_list_empty(list));
	}
	pa_port_spin_unlock_irqrestore(&zone->lock, flags);
}

/*
 * Refill @list with up to @count blocks of @order under one zone-lock hold
 * (Linux's rmqueue_bulk()).  Added at the tail, so they leave in the order
 * the buddy lists gave them.  Return: blocks added.
 */
static int rmqueue_bulk(struct pa_zone *zone, unsigned int order, int count, struct pa_list *list,
			int mt, unsigned int alloc_flags)
{
	unsigned long flags = pa_port_spin_lock_irqsave(&zone->lock);
	int i;

	for (i = 0; i < count; i++) {
		struct pa_page *page = pa_rmqueue_locked(zone, order, mt, alloc_flags);

		if (!page)
			break;
		pa_page_set_state(page, pa_pcp_state(mt), order);
		pa_list_add_tail(&page->lru, list);
	}
	pa_port_spin_unlock_irqrestore(&zone->lock, flags);
	return i;
}

/* ------------------------------------------------------------ high */

/*
 * Does Linux's nr_pcp_high() do more for @pcp of @z than compare count
 * with high?  While kswapd reclaims for the zone, and while it is below
 * its high watermark with high tunable (high_min < high_max), every free
 * lowers high; and a high outside [high_min, high_max] is clamped first.
 */
static bool pcp_high_moves(const struct pa_zone *z, const struct pa_pcp *pcp)
{
	unsigned long zf = __atomic_load_n(&z->zflags, __ATOMIC_SEQ_CST);
	int high = pcp->high, high_min = __atomic_load_n(&pcp->high_min, __ATOMIC_SEQ_CST);
	int high_max = __atomic_load_n(&pcp->high_max, __ATOMIC_SEQ_CST);

	if (zf & PA_ZONE_RECLAIM_ACTIVE || high < high_min || high > high_max)
		return true;
	return (zf & PA_ZONE_BELOW_HIGH) && high_min != high_max;
}

/*
 * The owner, after changing high: publish what its fast frees compare
 * count with (struct pa_pcp).  Whoever sets a zone flag or new limits
 * stores them and then zeroes fast_high (pa_pcp_zone_flag_set(),
 * pageset_update()); this side stores fast_high and looks again.  All
 * four accesses are sequentially consistent, so if the second look
 * misses the change, the zeroing comes after this store in their one
 * order, and a non-zero fast_high never outlives a change that makes it
 * wrong.
 */
static void pcp_publish_high(const struct pa_zone *z, struct pa_pcp *pcp)
{
	if (pcp_high_moves(z, pcp)) {
		PA_WRITE_ONCE(pcp->fast_high, 0);
		return;
	}
	__atomic_store_n(&pcp->fast_high, pcp->high, __ATOMIC_SEQ_CST);
	if (pcp_high_moves(z, pcp))
		PA_WRITE_ONCE(pcp->fast_high, 0);
}

/* Linux's clamp of high into [high_min, high_max], stored; returns it. */
static int pcp_clamp_high(struct pa_pcp *pcp)
{
	int high = PA_MAX(pcp->high, PA_READ_ONCE(pcp->high_min));

	pcp->high = PA_MIN(high, PA_READ_ONCE(pcp->high_max));
	return pcp->high;
}

/* alloc_factor now: the stored one, halved by each free since (struct pa_pcp). */
static unsigned int pcp_alloc_factor(const struct pa_pcp *pcp)
{
	uint32_t frees = (uint32_t)pcp->nr_free - pcp->af_mark;

	return frees > PA_PCP_BATCH_SCALE_MAX ? 0 : pcp->alloc_factor >> frees;
}

static void pcp_set_alloc_factor(struct pa_pcp *pcp, unsigned int af)
{
	pcp->alloc_factor = (uint8_t)af;
	pcp->af_mark = (uint32_t)pcp->nr_free;
}

/*
 * Linux's nr_pcp_alloc(): blocks to refill with.  high, clamped, grows by
 * the batch (up to high_max) unless the zone is below its high watermark.
 * An order-0 refill takes batch << alloc_factor pages, no more than leave
 * a batch of room under high, and doubles the next one (up to
 * PA_PCP_BATCH_SCALE_MAX) when that fitted; larger orders take batch
 * pages' worth in blocks, at least 2.  A set with high below batch
 * (disabled, or off line) takes one block.
 */
static int nr_pcp_alloc(struct pa_pcp *pcp, const struct pa_zone *zone, unsigned int order)
{
	int base = PA_READ_ONCE(pcp->batch), high = pcp_clamp_high(pcp), batch = base;
	int high_max = PA_READ_ONCE(pcp->high_max);
	unsigned int af = pcp_alloc_factor(pcp);

	if (high < base)
		return 1;
	if (!order)
		batch = base << af;
	if (PA_READ_ONCE(pcp->high_min) != high_max &&
	    !(PA_READ_ONCE(zone->zflags) & PA_ZONE_BELOW_HIGH))
		high = pcp->high = PA_MIN(high + batch, high_max);
	if (!order) {
		int room = PA_MAX(high - pcp->count - base, base);

		if (batch <= room && af < PA_PCP_BATCH_SCALE_MAX)
			af++;
		pcp_set_alloc_factor(pcp, af);
		batch = PA_MIN(batch, room);
	}
	return batch > 1 ? PA_MAX(batch >> order, 2) : batch;
}

/*
 * Set @zone's @flag (PA_ZONE_BELOW_HIGH, PA_ZONE_RECLAIM_ACTIVE) and send
 * every set's next free to pa_pcp_free_high(), where nr_pcp_high() acts
 * on it (pcp_publish_high() explains the order).
 */
void pa_pcp_zone_flag_set(struct pa_zone *zone, unsigned long flag)
{
	if (!pa_zone_set_flag(zone, flag) || !zone->pcp)
		return;
	for (unsigned int cpu = 0; cpu < pa_g.nr_cpus; cpu++)
		__atomic_store_n(&zone->pcp[cpu].fast_high, 0, __ATOMIC_SEQ_CST);
}

/* The list for (@mt, @order) is empty: refill it, then take one block. */
struct pa_page *pa_pcp_refill_take_locked(struct pa_zone *zone, struct pa_pcp *pcp,
					  unsigned int order, int mt, unsigned int alloc_flags)
{
	struct pa_list *list = &pcp->lists[pa_pcp_index(mt, order)];
	int n = rmqueue_bulk(zone, order, nr_pcp_alloc(pcp, zone, order), list, mt, alloc_flags);

	pcp->count += n << order;
	pcp_publish_high(zone, pcp);
	if (!n)
		return NULL;
	return pa_pcp_pop_locked(pcp, list, list->next, order, mt);
}

struct pa_page *pa_rmqueue_pcplist(struct pa_zone *zone, unsigned int order, int mt,
				   unsigned int alloc_flags, bool *busy)
{
	unsigned long irq;
	struct pa_pcp *pcp = pcp_lock(zone, &irq);
	struct pa_page *page;

	*busy = !pcp;
	if (pa_unlikely(!pcp))
		return NULL;
	pcp->free_count >>= 1; /* as the fast path's (the bulk call's takes do not) */
	page = pa_pcp_take_locked(zone, pcp, order, mt, alloc_flags);
	pa_pcp_unlock(pcp, irq);
	return page;
}

/* The bulk API: fill the NULL slots of @array from this CPU's set of @zone. */
unsigned int pa_rmqueue_pcp_bulk(struct pa_zone *preferred, struct pa_zone *zone, int mt,
				 unsigned int alloc_flags, unsigned int nr, struct pa_page **array)
{
	unsigned long irq;
	struct pa_pcp *pcp = pcp_lock(zone, &irq);
	unsigned int got = 0;

	if (!pcp)
		return 0;
	for (unsigned int i = 0; i < nr; i++) {
		struct pa_page *page;

		if (array[i])
			continue;
		page = pa_pcp_take_locked(zone, pcp, 0, mt, alloc_flags);
		if (!page)
			break;
		array[i] = page;
		got++;
	}
	pa_count_alloc((unsigned int)(pcp - zone->pcp), preferred, zone, got);
	pa_pcp_unlock(pcp, irq);
	return got;
}

/*
 * Linux's nr_pcp_high(): the count at which a free returns pages, with
 * high moved as Linux moves it.  free_high: order 1..3 frees in a row
 * (high falls by the most a free returns, and everything may go).  Under
 * kswapd's reclaim high falls by the pages freed in a row, and the set
 * keeps at most four batches; below the zone's high watermark it falls
 * as much, and every free above high_min returns pages; otherwise high
 * rises to hold the pages freed in a row plus a batch.
 */
static int nr_pcp_high(struct pa_pcp *pcp, const struct pa_zone *zone, int batch, bool free_high)
{
	int high = pcp_clamp_high(pcp), high_min = PA_READ_ONCE(pcp->high_min);
	int high_max = PA_READ_ONCE(pcp->high_max), fc = PA_MAX((int)pcp->free_count, batch);
	unsigned long zf = PA_READ_ONCE(zone->zflags);

	if (!high)
		return 0;
	if (free_high) {
		pcp->high = PA_MAX(high - (batch << PA_PCP_BATCH_SCALE_MAX), high_min);
		return 0;
	}
	if (zf & PA_ZONE_RECLAIM_ACTIVE) {
		pcp->high = PA_MAX(high - fc, high_min);
		return PA_MIN(batch << 2, pcp->high);
	}
	if (high_min == high_max)
		return high;
	if (zf & PA_ZONE_BELOW_HIGH) {
		pcp->high = PA_MAX(high - fc, high_min);
		return PA_MAX(pcp->count, high_min);
	}
	if (pcp->count >= high && high < (int)pcp->free_count + batch)
		pcp->high = PA_MIN(PA_MAX((int)pcp->free_count + batch, high_min), high_max);
	return high;
}

/*
 * Linux's nr_pcp_free(): pages to return.  After free_high, all (up to
 * the largest batch); with high below batch, one; else the pages freed in
 * a row, leaving at least a batch and returning at least one.
 */
static int nr_pcp_free(const struct pa_pcp *pcp, int batch, int high, bool free_high)
{
	if (free_high)
		return PA_MIN(pcp->count, batch << PA_PCP_BATCH_SCALE_MAX);
	if (high < batch)
		return 1;
	return PA_MIN(PA_MAX((int)pcp->free_count, batch), high - batch);
}

/*
 * A free reached the set's fast_high, or is Linux's free_high: apply
 * nr_pcp_high(), return pages when the count is at high, and let the
 * zone leave the below-high state when it is back above its high
 * watermark (Linux's free_unref_page_commit()); then finish the free.
 */
int pa_pcp_free_high(uint32_t flags, struct pa_pcp *pcp, unsigned long irq,
		     const struct pa_list *list, bool free_high)
{
	struct pa_zone *zone = pa_flags_zone(flags);
	int batch = PA_READ_ONCE(pcp->batch), high = nr_pcp_high(pcp, zone, batch, free_high);

	if (pcp->count >= high) {
		free_pcppages_bulk(zone, nr_pcp_free(pcp, batch, high, free_high), pcp,
				   (unsigned int)(list - pcp->lists));
		if (PA_READ_ONCE(zone->zflags) & PA_ZONE_BELOW_HIGH)
			pa_zone_leave_below_high(zone);
	}
	pcp_publish_high(zone, pcp);
	pa_pcp_unlock(pcp, irq);
	return 0;
}

/*
 * This CPU's set is busy (a drain or the verifier holds it), or its id
 * has none (said once, as the pages are not lost): use the buddy lists.
 */
int pa_pcp_free_busy(uint32_t flags, struct pa_page *page, unsigned int order,
		     unsigned long irq, const char *func)
{
	pa_port_irq_restore(irq);
	pa_cpu_id_bad_once(func);
	return pa_buddy_free_block(pa_flags_zone(flags), page, pa_page_to_pfn_fast(page), order,
				   NULL);
}

/*
 * A block whose pageblock was of a type the sets do not keep, read again
 * here: isolated blocks go straight to the buddy lists, highatomic and CMA
 * ones to the movable list (a type changed meanwhile to one the sets keep,
 * to its own).
 */
int pa_pcp_free_other(struct pa_page *page, unsigned int order, const char *func)
{
	unsigned long pfn = pa_page_to_pfn_fast(page);
	int mt = pa_get_pageblock_migratetype(pfn);

	if (pa_is_migrate_isolate(mt))
		return pa_buddy_free_block(pa_page_zone(page), page, pfn, order, NULL);
	return pa_pcp_free_fast(page, pa_page_flags(page), order,
				mt < PA_MIGRATE_PCPTYPES ? (unsigned long)mt : PA_MIGRATE_MOVABLE, func);
}

/*
 * Free a block whose last reference is gone to this CPU's set (Linux's
 * free_unref_page()); all to the buddy lists when the set is busy.  Above
 * high, a batch goes back; with the sets disabled, everything.
 */
void pa_free_to_pcp(struct pa_page *page, unsigned long pfn, unsigned int order, const char *func)
{
	pa_pcp_free_fast(page, pa_page_flags(page), order,
			 (unsigned long)pa_get_pageblock_migratetype(pfn), func);
}

/* ------------------------------------------------------------ counters */

/*
 * Pages the fast paths counted in the sets of zone @zoneid: freed
 * (@item PA_PCP_EV_FREE), allocated (PA_PCP_EV_ALLOC, also numa_hit), or
 * allocated by CPUs on the zone's node (LOCAL) or off it (OTHER).
 */
/* The sets' nr_free of @z summed, as they ran since boot. */
static unsigned long free_count_since_boot(const struct pa_zone *z)
{
	unsigned long sum = 0;

	for (unsigned int cpu = 0; cpu < pa_g.nr_cpus; cpu++)
		sum += PA_READ_ONCE(z->pcp[cpu].nr_free);
	return sum;
}

unsigned long pa_pcp_event_sum(unsigned int zoneid, enum pa_pcp_event item)
{
	const struct pa_zone *z = pa_g.zone_by_id[zoneid];
	unsigned long sum = 0, base;

	if (!z || !z->pcp)
		return 0;
	if (item == PA_PCP_EV_FREE) { /* acquire: the counts read after are at least the base's */
		base = __atomic_load_n(&z->pcp_free_base, __ATOMIC_ACQUIRE);
		sum = free_count_since_boot(z);
		return sum - base < (1UL << (sizeof(long) * 8 - 1)) ? sum - base : 0;
	}
	for (unsigned int cpu = 0; cpu < pa_g.nr_cpus; cpu++) {
		const struct pa_pcp *pcp = &z->pcp[cpu];
		bool local = pa_g.cpu_to_node[cpu] == z->node;

		if (item == PA_PCP_EV_ALLOC || local == (item == PA_PCP_EV_LOCAL))
			sum += PA_READ_ONCE(pcp->nr_alloc);
	}
	return sum;
}

/*
 * Zero them (pa_vm_events_reset()); writers may race, as for every
 * counter.  nr_free itself runs on: the sets derive their Linux state
 * from it (struct pa_pcp), so the zone keeps the sum to subtract.
 */
void pa_pcp_events_reset(void)
{
	for_each_managed_zone(z) {
		__atomic_store_n(&z->pcp_free_base, free_count_since_boot(z), __ATOMIC_RELEASE);
		for (unsigned int cpu = 0; cpu < pa_g.nr_cpus; cpu++)
			PA_WRITE_ONCE(z->pcp[cpu].nr_alloc, 0);
	}
}

/* ------------------------------------------------------------ drains */

/*
 * This CPU's set of @zone, if @cpu is this CPU, locked as its owner (no
 * barrier, any context), with interrupts off in *@irq; NULL for another
 * CPU's.  A drain or the verifier holding it is waited out with
 * interrupts on.
 */
static struct pa_pcp *pcp_lock_own(struct pa_zone *zone, unsigned int cpu, unsigned long *irq)
{
	struct pa_pcp *pcp = &zone->pcp[cpu];

	for (;;) {
		*irq = pa_port_irq_save();
		if (cpu != pa_this_cpu()) {
			pa_port_irq_restore(*irq);
			return NULL;
		}
		if (pa_pcp_trylock(pcp))
			return pcp;
		pa_port_irq_restore(*irq);
		while (__atomic_load_n(&pcp->locked, __ATOMIC_RELAXED))
			;
	}
}

/*
 * Linux's decay_pcp_high() on this CPU's locked set: high above high_min
 * falls by an eighth, or more to stay within the largest batch of the
 * count, never below high_min; pages above it go back.  Return: more to
 * do (high still above high_min, or pages went back).
 */
static bool decay_high_locked(struct pa_zone *zone, struct pa_pcp *pcp)
{
	int high_min = PA_READ_ONCE(pcp->high_min), batch = PA_READ_ONCE(pcp->batch);
	bool todo = false;

	if (pcp->high > high_min) {
		int high = PA_MAX(pcp->count - (batch << PA_PCP_BATCH_SCALE_MAX),
				  pcp->high - (pcp->high >> 3));

		pcp->high = PA_MAX(high, high_min);
		todo = pcp->high > high_min;
	}
	if (pcp->count > pcp->high) {
		free_pcppages_bulk(zone, pcp->count - pcp->high, pcp, 0);
		todo = true;
	}
	pcp_publish_high(zone, pcp);
	return todo;
}

bool pa_pcp_decay_local(void)
{
	unsigned int cpu = pa_this_cpu();
	bool todo = false;

	for_each_managed_zone(z) {
		unsigned long irq;
		struct pa_pcp *pcp = pcp_lock_own(z, cpu, &irq);

		if (!pcp) /* moved to another CPU: say there is more, for the next call */
			return true;
		todo |= decay_high_locked(z, pcp);
		pa_pcp_unlock(pcp, irq);
	}
	return todo;
}

/* Empty @cpu's set of @zone into the buddy lists (any CPU may call). */
static void drain_zone_cpu(struct pa_zone *zone, unsigned int cpu)
{
	unsigned long irq;
	struct pa_pcp *own = pcp_lock_own(zone, cpu, &irq);
	struct pa_pcp *pcp = own ? own : &zone->pcp[cpu];

	if (!own)
		irq = pcp_lock_remote(pcp);
	if (pcp->count)
		free_pcppages_bulk(zone, pcp->count, pcp, 0);
	/*
	 * A lower high_max (CPU off line, sets disabled: 0) shows at once;
	 * Linux clamps at the set's next use.  Its owner publishes fast_high.
	 */
	pcp->high = PA_MIN(pcp->high, PA_READ_ONCE(pcp->high_max));
	if (own) {
		pcp_publish_high(zone, pcp);
		pa_pcp_unlock(pcp, irq);
	} else {
		PA_WRITE_ONCE(pcp->fast_high, 0);
		pcp_unlock_remote(pcp, irq);
	}
}

/* Empty @cpu's sets into the buddy lists, each through its owner's lock when it is this CPU. */
void pa_pcp_drain_cpu(unsigned int cpu)
{
	for_each_managed_zone(z)
		drain_zone_cpu(z, cpu);
}

/*
 * Take every set's lock of @zone, in CPU order (the verifier's view): all
 * the lock words, one barrier, then each owner's hold waited out.
 */
void pa_pcp_lock_zone(struct pa_zone *zone, unsigned long *flags)
{
	if (!zone->pcp)
		return;
	if (!IS_ENABLED(CONFIG_PA_PCP_REMOTE_BARRIER)) {
		for (unsigned int cpu = 0; cpu < pa_g.nr_cpus; cpu++)
			flags[cpu] = pcp_lock_remote(&zone->pcp[cpu]);
		return;
	}
	for (unsigned int cpu = 0; cpu < pa_g.nr_cpus; cpu++)
		pcp_take_word(&zone->pcp[cpu]);
	pa_port_remote_barrier();
	for (unsigned int cpu = 0; cpu < pa_g.nr_cpus; cpu++) {
		flags[cpu] = pa_port_irq_save();
		pcp_wait_owner(&zone->pcp[cpu]);
	}
}

void pa_pcp_unlock_zone(struct pa_zone *zone, const unsigned long *flags)
{
	if (zone->pcp)
		for (unsigned int cpu = pa_g.nr_cpus; cpu-- > 0;)
			pcp_unlock_remote(&zone->pcp[cpu], flags[cpu]);
}

#define PCP_FAIL(z, cpu, fmt, ...)                                                          \
	pa_fail(PA_EUCLEAN, "pa_check", "node %d zone %s cpu %u pcp: " fmt, (z)->node, (z)->name, \
		cpu, __VA_ARGS__)

/* One set's lists against its count; adds the pages and blocks it holds. */
static int check_one_pcp(const struct pa_zone *z, unsigned int cpu, unsigned long *pages,
			 unsigned long *blocks)
{
	const struct pa_pcp *pcp = &z->pcp[cpu];
	unsigned long n = 0;

	for (unsigned int i = 0; i < PA_NR_PCP_LISTS; i++) {
		const struct pa_list *head = &pcp->lists[i], *prev = head;

		for (const struct pa_list *l = head->next; l != head; prev = l, l = l->next) {
			const struct pa_page *page = pa_lru_to_page(l);

			if (!l || l->prev != prev || n > z->spanned_pages)
				return PCP_FAIL(z, cpu, "list %u is corrupt", i);
			if (!pa_page_ptr_valid(page) || !pa_page_test(page, PA_PG_pcp) ||
			    pa_page_zone(page) != z || pa_page_order(page) != pa_pcp_pindex_order(i))
				return PCP_FAIL(z, cpu, "list %u holds a page that is not a free "
						"order-%u block of this zone", i, pa_pcp_pindex_order(i));
			if ((pa_page_flags(page) & PCP_STATE_MASK) != pa_pcp_state(pa_pcp_pindex_mt(i)))
				return PCP_FAIL(z, cpu, "list %u holds a page whose state bits are %#x, "
						"not %#x", i, pa_page_flags(page) & PCP_STATE_MASK,
						pa_pcp_state(pa_pcp_pindex_mt(i)));
			n += 1UL << pa_pcp_pindex_order(i);
			++*blocks;
		}
	}
	if (n != (unsigned long)pcp->count)
		return PCP_FAIL(z, cpu, "lists hold %lu pages, count says %d", n, pcp->count);
	*pages += n;
	return 0;
}

int pa_check_pcp(const struct pa_zone *z, unsigned long *pages, unsigned long *blocks)
{
	*pages = *blocks = 0;
	if (!z->pcp)
		return 0;
	for (unsigned int cpu = 0; cpu < pa_g.nr_cpus; cpu++) {
		int ret = check_one_pcp(z, cpu, pages, blocks);

		if (ret)
			return ret;
	}
	return 0;
}

int pa_pcp_read(const struct pa_zone *zone, unsigned int cpu, struct pa_pcp_info *out)
{
	const struct pa_pcp *pcp = zone->pcp;

	if (!pcp)
		return -PA_ENOENT;
	pcp += cpu;
	out->count = __atomic_load_n(&pcp->count, __ATOMIC_RELAXED);
	out->high = __atomic_load_n(&pcp->high, __ATOMIC_RELAXED);
	out->batch = __atomic_load_n(&pcp->batch, __ATOMIC_RELAXED);
	out->high_min = __atomic_load_n(&pcp->high_min, __ATOMIC_RELAXED);
	out->high_max = __atomic_load_n(&pcp->high_max, __ATOMIC_RELAXED);
	return 0;
}

unsigned long pa_pcp_zone_pages(const struct pa_zone *zone)
{
	unsigned long n = 0;

	if (zone->pcp)
		for (unsigned int cpu = 0; cpu < pa_g.nr_cpus; cpu++)
			n += (unsigned long)__atomic_load_n(&zone->pcp[cpu].count, __ATOMIC_RELAXED);
	return n;
}
