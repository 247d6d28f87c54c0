// SPDX-License-Identifier: MIT
/*
 * Introspection: zone counters and the writers of /proc/buddyinfo and
 * /proc/zoneinfo, in the formats of Linux 6.12.
 */
#include "internal.h"

const char *const pa_migratetype_names[PA_MIGRATE_TYPES] = {
	[PA_MIGRATE_UNMOVABLE] = "Unmovable",
	[PA_MIGRATE_MOVABLE] = "Movable",
	[PA_MIGRATE_RECLAIMABLE] = "Reclaimable",
	[PA_MIGRATE_HIGHATOMIC] = "HighAtomic",
#ifdef CONFIG_PA_CMA
	[PA_MIGRATE_CMA] = "CMA",
#endif
#ifdef CONFIG_PA_MEMORY_ISOLATION
	[PA_MIGRATE_ISOLATE] = "Isolate",
#endif
};

const char *pa_zone_name(enum pa_zone_type zone)
{
	return (int)zone >= 0 && zone < PA_MAX_NR_ZONES ? pa_zone_names[zone] : "?";
}

/* Copy what the counters API and the writers show, under the zone lock. */
static void zone_snapshot(struct pa_zone *zone, struct pa_zone_counts *out)
{
	unsigned long flags = pa_port_spin_lock_irqsave(&zone->lock);

	out->start_pfn = zone->zone_start_pfn;
	out->spanned = zone->spanned_pages;
	out->present = zone->present_pages;
	out->managed = zone->managed_pages;
	out->free = zone->free_pages;
	for (int o = 0; o < PA_NR_PAGE_ORDERS; o++)
		out->nr_free[o] = zone->free_area[o].nr_free;
	out->boost = zone->watermark_boost;
	out->wmark_min = zone->_watermark[PA_WMARK_MIN] + zone->watermark_boost;
	out->wmark_low = zone->_watermark[PA_WMARK_LOW] + zone->watermark_boost;
	out->wmark_high = zone->_watermark[PA_WMARK_HIGH] + zone->watermark_boost;
	out->wmark_promo = zone->_watermark[PA_WMARK_PROMO] + zone->watermark_boost;
	for (int j = 0; j < PA_MAX_NR_ZONES; j++)
		out->lowmem_reserve[j] = zone->lowmem_reserve[j];
	for (int mt = 0; mt < PA_MIGRATE_TYPES; mt++)
		out->free_mt[mt] = zone->free_pages_mt[mt];
	out->highatomic = zone->nr_reserved_highatomic;
	out->cma = out->free_cma = 0;
#ifdef CONFIG_PA_CMA
	out->cma = zone->cma_pages;
	out->free_cma = zone->free_pages_mt[PA_MIGRATE_CMA];
#endif
	pa_port_spin_unlock_irqrestore(&zone->lock, flags);
	out->pcp_pages = 0;
#ifdef CONFIG_PA_PCP
	if (zone->pcp)
		for (unsigned int cpu = 0; cpu < pa_g.nr_cpus; cpu++)
			out->pcp_pages += (unsigned long)__atomic_load_n(&zone->pcp[cpu].count,
									 __ATOMIC_RELAXED);
#endif
}

int pa_zone_get_counts(int nid, enum pa_zone_type type, struct pa_zone_counts *out)
{
	if (!pa_g.initialized)
		return PA_FAIL(PA_ENODEV, "called before pa_init()");
	if (nid < 0 || nid >= PA_MAX_NUMNODES || (int)type < 0 || type >= PA_MAX_NR_ZONES)
		return PA_FAIL(PA_ENOENT, "no zone %d on node %d", (int)type, nid);
	if (!out)
		return PA_FAIL(PA_EINVAL, "out is NULL");
	zone_snapshot(&pa_g.nodes[nid].zones[type], out);
	return 0;
}

unsigned long pa_nr_free_pages(void)
{
	unsigned long sum = 0;

	for (int nid = 0; nid < pa_g.nr_node_ids; nid++)
		for (int z = 0; z < PA_MAX_NR_ZONES; z++)
			sum += __atomic_load_n(&pa_g.nodes[nid].zones[z].free_pages, __ATOMIC_RELAXED);
	return sum;
}

int pa_get_meminfo(struct pa_meminfo *out)
{
	if (!pa_g.initialized)
		return PA_FAIL(PA_ENODEV, "called before pa_init()");
	if (!out)
		return PA_FAIL(PA_EINVAL, "NULL result pointer");
	*out = (struct pa_meminfo){
		.memmap_bytes = pa_g.memmap_bytes,
		.table_bytes = pa_g.table_bytes,
		.nr_sections = pa_g.nr_present_sections,
	};
	for (int nid = 0; nid < pa_g.nr_node_ids; nid++) {
		for (int z = 0; z < PA_MAX_NR_ZONES; z++) {
			out->present_pages += pa_g.nodes[nid].zones[z].present_pages;
			out->managed_pages += pa_g.nodes[nid].zones[z].managed_pages;
		}
	}
	return 0;
}

int pa_writer_check(pa_print_fn fn, const char *func)
{
	if (!pa_g.initialized)
		return pa_fail(PA_ENODEV, func, "called before pa_init()");
	if (!fn)
		return pa_fail(PA_EINVAL, func, "NULL print function");
	return 0;
}

int pa_print_buddyinfo(pa_print_fn fn, void *ctx)
{
	struct pa_printer p;
	int ret = pa_writer_check(fn, __func__);

	if (ret)
		return ret;
	pa_pr_init(&p, fn, ctx);
	for (int nid = 0; nid < pa_g.nr_node_ids; nid++) {
		for (int z = 0; z < PA_MAX_NR_ZONES; z++) {
			struct pa_zone *zone = &pa_g.nodes[nid].zones[z];
			struct pa_zone_counts c;

			if (!zone->present_pages)
				continue;
			zone_snapshot(zone, &c);
			pa_pr(&p, "Node %d, zone %8s ", nid, zone->name);
			for (int o = 0; o < PA_NR_PAGE_ORDERS; o++)
				pa_pr(&p, "%6lu ", c.nr_free[o]);
			pa_pr(&p, "\n");
		}
	}
	pa_pr_flush(&p);
	return 0;
}

/* ------------------------------------------------------------ zoneinfo */

/* Linux 6.12's node_stat_item names (CONFIG_SWAP, no THP/NUMA balancing). */
static const char *const node_stat_names[] = {
	"nr_inactive_anon", "nr_active_anon", "nr_inactive_file", "nr_active_file",
	"nr_unevictable", "nr_slab_reclaimable", "nr_slab_unreclaimable", "nr_isolated_anon",
	"nr_isolated_file", "workingset_nodes", "workingset_refault_anon",
	"workingset_refault_file", "workingset_activate_anon", "workingset_activate_file",
	"workingset_restore_anon", "workingset_restore_file", "workingset_nodereclaim",
	"nr_anon_pages", "nr_mapped", "nr_file_pages", "nr_dirty", "nr_writeback",
	"nr_writeback_temp", "nr_shmem", "nr_shmem_hugepages", "nr_shmem_pmdmapped",
	"nr_file_hugepages", "nr_file_pmdmapped", "nr_anon_transparent_hugepages",
	"nr_vmscan_write", "nr_vmscan_immediate_reclaim", "nr_dirtied", "nr_written",
	"nr_throttled_written", "nr_kernel_misc_reclaimable", "nr_foll_pin_acquired",
	"nr_foll_pin_released", "nr_kernel_stack", "nr_page_table_pages",
	"nr_sec_page_table_pages", "nr_swapcached", "pgdemote_kswapd", "pgdemote_direct",
	"pgdemote_khugepaged",
};

/* Linux 6.12's zone_stat_item names after nr_free_pages. */
static const char *const zone_stat_names[] = {
	"nr_zone_inactive_anon", "nr_zone_active_anon", "nr_zone_inactive_file",
	"nr_zone_active_file", "nr_zone_unevictable", "nr_zone_write_pending", "nr_mlock",
	"nr_bounce", "nr_free_cma",
};

static const char *const numa_stat_names[] = {
	"numa_hit", "numa_miss", "numa_foreign", "numa_interleave", "numa_local", "numa_other",
};

static int fls_ul(unsigned long v)
{
	return v ? (int)pa_ilog2(v) + 1 : 0;
}

/* calculate_normal_threshold(): the per-CPU vmstat drift allowed for a zone. */
static int stat_threshold(const struct pa_zone_counts *c)
{
	unsigned long mem = c->managed >> (27 - PA_PAGE_SHIFT);
	int t = 2 * fls_ul(pa_g.nr_cpus) * (1 + fls_ul(mem));

	return t < 125 ? t : 125;
}

static bool first_populated(const struct pa_node *node, int z)
{
	for (int i = 0; i < z; i++)
		if (node->zones[i].present_pages)
			return false;
	return node->zones[z].present_pages != 0;
}

static void zoneinfo_header(struct pa_printer *p, const struct pa_node *node, int z,
			    const struct pa_zone_counts *c)
{
	pa_pr(p, "Node %d, zone %8s", node->node_id, pa_zone_names[z]);
	if (first_populated(node, z)) {
		pa_pr(p, "\n  per-node stats");
		for (size_t i = 0; i < PA_ARRAY_SIZE(node_stat_names); i++)
			pa_pr(p, "\n      %-12s %lu", node_stat_names[i], 0UL);
	}
	pa_pr(p, "\n  pages free     %lu", c->free);
	pa_pr(p, "\n        boost    %lu", c->boost);
	pa_pr(p, "\n        min      %lu", c->wmark_min);
	pa_pr(p, "\n        low      %lu", c->wmark_low);
	pa_pr(p, "\n        high     %lu", c->wmark_high);
	pa_pr(p, "\n        promo    %lu", c->wmark_promo);
	pa_pr(p, "\n        spanned  %lu", c->spanned);
	pa_pr(p, "\n        present  %lu", c->present);
	pa_pr(p, "\n        managed  %lu", c->managed);
	pa_pr(p, "\n        cma      %lu", c->cma);
	pa_pr(p, "\n        protection: (%ld", (long)c->lowmem_reserve[0]);
	for (int j = 1; j < PA_MAX_NR_ZONES; j++)
		pa_pr(p, ", %ld", (long)c->lowmem_reserve[j]);
	pa_pr(p, ")");
}

static void zoneinfo_body(struct pa_printer *p, const struct pa_zone *z,
			  const struct pa_zone_counts *c)
{
	pa_pr(p, "\n      %-12s %lu", "nr_free_pages", c->free);
	for (size_t i = 0; i < PA_ARRAY_SIZE(zone_stat_names); i++) /* nr_free_cma is last */
		pa_pr(p, "\n      %-12s %lu", zone_stat_names[i],
		      i + 1 == PA_ARRAY_SIZE(zone_stat_names) ? c->free_cma : 0UL);
	if (IS_ENABLED(CONFIG_PA_NUMA))
		for (unsigned int i = 0; i < PA_ARRAY_SIZE(numa_stat_names); i++) {
			/* numa_interleave (index 3) has no enum pa_numa_event: always 0. */
			unsigned long v = i == 3 ? 0 : pa_zone_numa_event(z->zoneid, i < 3 ? i : i - 1);

			pa_pr(p, "\n      %-12s %lu", numa_stat_names[i], v);
		}
	pa_pr(p, "\n  pagesets");
	for (unsigned int cpu = 0; cpu < pa_g.nr_cpus; cpu++) {
		struct pa_pcp_info pi = { .batch = 1 };

		if (!pa_g.cpu_online[cpu])
			continue;
		if (IS_ENABLED(CONFIG_PA_PCP))
			pa_pcp_get(z->node, (enum pa_zone_type)z->type, cpu, &pi);
		pa_pr(p, "\n    cpu: %i", (int)cpu);
		pa_pr(p, "\n              count:    %i", pi.count);
		pa_pr(p, "\n              high:     %i", pi.high);
		pa_pr(p, "\n              batch:    %i", pi.batch);
		pa_pr(p, "\n              high_min: %i", pi.high_min);
		pa_pr(p, "\n              high_max: %i", pi.high_max);
		pa_pr(p, "\n  vm stats threshold: %d", stat_threshold(c));
	}
	pa_pr(p, "\n  node_unreclaimable:  %u",
	      __atomic_load_n(&pa_g.nodes[z->node].kswapd_failures, __ATOMIC_RELAXED) >=
		      PA_MAX_RECLAIM_RETRIES);
	pa_pr(p, "\n  start_pfn:           %lu", c->start_pfn);
}

int pa_print_zoneinfo(pa_print_fn fn, void *ctx)
{
	struct pa_printer p;
	int ret = pa_writer_check(fn, __func__);

	if (ret)
		return ret;
	pa_pr_init(&p, fn, ctx);
	for (int nid = 0; nid < pa_g.nr_node_ids; nid++) {
		const struct pa_node *node = &pa_g.nodes[nid];

		if (!node->node_present_pages)
			continue;
		for (int z = 0; z < PA_MAX_NR_ZONES; z++) {
			struct pa_zone_counts c; /* printed without the lock held */

			zone_snapshot(&pa_g.nodes[nid].zones[z], &c);
			zoneinfo_header(&p, node, z, &c);
			if (c.present)
				zoneinfo_body(&p, &pa_g.nodes[nid].zones[z], &c);
			pa_pr(&p, "\n");
			pa_pr_flush(&p);
		}
	}
	return 0;
}
