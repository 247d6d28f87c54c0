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

/* Linux's zone_set_pageset_high_and_batch(); high starts at high_min here. */
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
		struct pa_pcp *pcp = &z->pcp[cpu];
		bool off = pa_g.pcp_disabled || !pa_g.cpu_online[cpu];

		__atomic_store_n(&pcp->batch, off ? 1 : batch, __ATOMIC_RELAXED);
		__atomic_store_n(&pcp->high_min, off ? 0 : high_min, __ATOMIC_RELAXED);
		__atomic_store_n(&pcp->high_max, off ? 0 : high_max, __ATOMIC_RELAXED);
		__atomic_store_n(&pcp->high, off ? 0 : high_min, __ATOMIC_RELAXED);
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
	size_t per_zone = PA_ALIGN_UP(PA_MAX(pa_g.nr_cpus, 1u) * sizeof(struct pa_pcp), (size_t)64) + 64;
	size_t n = 0;

	for (unsigned int i = 0; i < pa_g.memory.cnt; i++)
		nodes |= PA_NODE_BIT(pa_g.memory.regions[i].nid);
	for (; nodes; nodes &= nodes - 1)
		n++;
	return n * PA_MAX_NR_ZONES * per_zone;
}

/* Carve each populated zone's sets from its node, as mem_map is. */
int pa_pcp_init(void)
{
	pa_for_each_populated_zone(z) {
		z->pcp = pa_meta_alloc(pa_g.nr_cpus * sizeof(struct pa_pcp), z->node);
		if (!z->pcp)
			return PA_FAIL(PA_ENOMEM, "no room for the per-CPU page sets");
		for (unsigned int cpu = 0; cpu < pa_g.nr_cpus; cpu++) {
			struct pa_pcp *pcp = &z->pcp[cpu];

			pa_memset(pcp, 0, sizeof(*pcp));
			pcp->batch = 1;
			for (unsigned int i = 0; i < PA_NR_PCP_LISTS; i++)
				pa_list_init(&pcp->lists[i]);
		}
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

	unsigned int cpu;

	*irq = pa_port_irq_save();
	cpu = pa_this_cpu();
	pcp = &zone->pcp[cpu];
	if (pa_likely(cpu < pa_g.nr_cpus && pa_pcp_trylock(pcp)))
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

/* Blocks to refill with: batch, scaled down for larger orders (at least 2). */
static int nr_pcp_alloc(const struct pa_pcp *pcp, unsigned int order)
{
	int batch = PA_READ_ONCE(pcp->batch);

	if (PA_READ_ONCE(pcp->high) < batch) /* disabled: one block, nothing kept */
		return 1;
	return batch > 1 ? PA_MAX(batch >> order, 2) : batch;
}

/* The list for (@mt, @order) is empty: refill it with a batch, then take one. */
struct pa_page *pa_pcp_refill_take_locked(struct pa_zone *zone, struct pa_pcp *pcp,
					  unsigned int order, int mt, unsigned int alloc_flags)
{
	struct pa_list *list = &pcp->lists[pa_pcp_index(mt, order)];
	int n = rmqueue_bulk(zone, order, nr_pcp_alloc(pcp, order), list, mt, alloc_flags);

	pcp->count += n << order;
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

/* Above high: return a batch to the buddy lists (everything, with the sets disabled). */
static void free_high_locked(struct pa_zone *zone, struct pa_pcp *pcp, unsigned int pindex)
{
	int high = PA_READ_ONCE(pcp->high), batch = PA_READ_ONCE(pcp->batch);

	free_pcppages_bulk(zone, high < batch ? pcp->count : batch, pcp, pindex);
}

/* free_fast() left its per-CPU set above high: return a batch and finish. */
int pa_pcp_free_high(struct pa_zone *zone, struct pa_pcp *pcp, unsigned long irq,
		     const struct pa_list *list)
{
	free_high_locked(zone, pcp, (unsigned int)(list - pcp->lists));
	pa_pcp_unlock(pcp, irq);
	return 0;
}

/*
 * This CPU's set is busy (a drain or the verifier holds it), or its id
 * has none (said once, as the pages are not lost): use the buddy lists.
 */
int pa_pcp_free_busy(struct pa_zone *zone, struct pa_page *page, unsigned int order,
		     unsigned long irq, const char *func)
{
	pa_port_irq_restore(irq);
	pa_cpu_id_bad_once(func);
	return pa_buddy_free_block(zone, page, pa_page_to_pfn_fast(page), order, NULL);
}

/*
 * A block whose pageblock was of a type the sets do not keep, read again
 * here: isolated blocks go straight to the buddy lists, highatomic and CMA
 * ones to the movable list (a type changed meanwhile to one the sets keep,
 * to its own).
 */
int pa_pcp_free_other(struct pa_zone *zone, struct pa_page *page, unsigned int order,
		      const char *func)
{
	unsigned long pfn = pa_page_to_pfn_fast(page);
	int mt = pa_get_pageblock_migratetype(pfn);

	if (pa_is_migrate_isolate(mt))
		return pa_buddy_free_block(zone, page, pfn, order, NULL);
	return pa_pcp_free_fast(zone, page, pa_page_flags(page), order,
				mt < PA_MIGRATE_PCPTYPES ? (unsigned long)mt : PA_MIGRATE_MOVABLE, func);
}

/*
 * Free a block whose last reference is gone to this CPU's set (Linux's
 * free_unref_page()); all to the buddy lists when the set is busy.  Above
 * high, a batch goes back; with the sets disabled, everything.
 */
void pa_free_to_pcp(struct pa_zone *zone, struct pa_page *page, unsigned long pfn,
		    unsigned int order, const char *func)
{
	pa_pcp_free_fast(zone, page, pa_page_flags(page), order,
			 (unsigned long)pa_get_pageblock_migratetype(pfn), func);
}

/* ------------------------------------------------------------ counters */

/*
 * Pages the fast paths counted in the sets of zone @zoneid: freed
 * (@item PA_PCP_EV_FREE), allocated (PA_PCP_EV_ALLOC, also numa_hit), or
 * allocated by CPUs on the zone's node (LOCAL) or off it (OTHER).
 */
unsigned long pa_pcp_event_sum(unsigned int zoneid, enum pa_pcp_event item)
{
	const struct pa_zone *z = pa_g.zone_by_id[zoneid];
	unsigned long sum = 0;

	if (!z || !z->pcp)
		return 0;
	for (unsigned int cpu = 0; cpu < pa_g.nr_cpus; cpu++) {
		const struct pa_pcp *pcp = &z->pcp[cpu];
		bool local = pa_g.cpu_to_node[cpu] == z->node;

		if (item == PA_PCP_EV_FREE)
			sum += PA_READ_ONCE(pcp->nr_free);
		else if (item == PA_PCP_EV_ALLOC || local == (item == PA_PCP_EV_LOCAL))
			sum += PA_READ_ONCE(pcp->nr_alloc);
	}
	return sum;
}

/* Zero them (pa_vm_events_reset()); writers may race, as for every counter. */
void pa_pcp_events_reset(void)
{
	for_each_managed_zone(z)
		if (z->pcp)
			for (unsigned int cpu = 0; cpu < pa_g.nr_cpus; cpu++) {
				PA_WRITE_ONCE(z->pcp[cpu].nr_alloc, 0);
				PA_WRITE_ONCE(z->pcp[cpu].nr_free, 0);
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
	if (own)
		pa_pcp_unlock(pcp, irq);
	else
		pcp_unlock_remote(pcp, irq);
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
