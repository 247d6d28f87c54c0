// SPDX-License-Identifier: MIT
/*
 * Introspection: zone counters, the writers of /proc/buddyinfo and
 * /proc/zoneinfo, in the formats of Linux 6.12, and the console summary of
 * Linux's show_free_areas().
 */
#include "internal.h"

const char *pa_zone_name(enum pa_zone_type zone)
{
	return (int)zone >= 0 && zone < PA_MAX_NR_ZONES ? pa_zone_types[zone].name : "?";
}

/*
 * Which free lists of each order hold blocks: bit mt of @types[o] set when
 * the migratetype mt list of order o is not empty.  Zone lock held.
 */
static void free_types_locked(const struct pa_zone *zone, unsigned int *types)
{
	for (int o = 0; o < PA_NR_PAGE_ORDERS; o++) {
		types[o] = 0;
		for (int mt = 0; mt < PA_MIGRATE_TYPES; mt++)
			if (!pa_list_empty(&zone->free_area[o].free_list[mt]))
				types[o] |= 1u << mt;
	}
}

/*
 * Copy what the counters API and the writers show, under the zone lock;
 * with @types (PA_NR_PAGE_ORDERS entries), also which free lists hold
 * blocks, read in the same hold as nr_free.
 */
static void zone_snapshot(struct pa_zone *zone, struct pa_zone_counts *out, unsigned int *types)
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
	out->cma = pa_zone_cma_pages(zone);
	out->free_cma = pa_zone_free_cma(zone);
	if (types)
		free_types_locked(zone, types);
	pa_port_spin_unlock_irqrestore(&zone->lock, flags);
	out->pcp_pages = pa_pcp_zone_pages(zone);
}

int pa_zone_get_counts(int nid, enum pa_zone_type type, struct pa_zone_counts *out)
{
	if (!pa_g.initialized)
		return PA_FAIL(PA_ENODEV, "called before pa_init()");
	if (nid < 0 || nid >= PA_MAX_NUMNODES || (int)type < 0 || type >= PA_MAX_NR_ZONES)
		return PA_FAIL(PA_ENOENT, "no zone %d on node %d", (int)type, nid);
	if (!out)
		return PA_FAIL(PA_EINVAL, "out is NULL");
	zone_snapshot(&pa_g.nodes[nid].zones[type], out, NULL);
	return 0;
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
	pa_for_each_zone(zone) {
		out->present_pages += zone->present_pages;
		out->managed_pages += zone->managed_pages;
	}
	return 0;
}

int pa_print_buddyinfo(pa_print_fn fn, void *ctx)
{
	struct pa_printer p;
	int ret = pa_writer_check(fn, __func__);

	if (ret)
		return ret;
	pa_pr_init(&p, fn, ctx);
	pa_for_each_populated_zone(zone) {
		struct pa_zone_counts c;

		zone_snapshot(zone, &c, NULL);
		pa_pr(&p, "Node %d, zone %8s ", zone->node, zone->name);
		for (int o = 0; o < PA_NR_PAGE_ORDERS; o++)
			pa_pr(&p, "%6lu ", c.nr_free[o]);
		pa_pr(&p, "\n");
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
	pa_pr(p, "Node %d, zone %8s", node->node_id, pa_zone_types[z].name);
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

			zone_snapshot(&pa_g.nodes[nid].zones[z], &c, NULL);
			zoneinfo_header(&p, node, z, &c);
			if (c.present)
				zoneinfo_body(&p, &pa_g.nodes[nid].zones[z], &c);
			pa_pr(&p, "\n");
			pa_pr_flush(&p);
		}
	}
	return 0;
}

/* ------------------------------------------------------------ show_free_areas */

/* Linux's K(): pages in kB. */
static unsigned long kb(unsigned long pages)
{
	return pages * (PA_PAGE_SIZE / 1024);
}

/* "Mem-Info:" and the totals in pages, as __show_free_areas() begins. */
static void show_totals(struct pa_printer *p)
{
	unsigned long free = 0, pcp = 0, cma = 0;

	pa_for_each_populated_zone(zone) {
		struct pa_zone_counts c;

		zone_snapshot(zone, &c, NULL);
		free += c.free;
		pcp += c.pcp_pages;
		cma += c.free_cma;
	}
	pa_pr(p, "Mem-Info:\n");
	pa_pr(p, "free:%lu free_pcp:%lu free_cma:%lu\n", free, pcp, cma);
}

/*
 * One zone's figures in kB, then its lowmem_reserve[] in pages.  The marks
 * are Linux 6.12's min_wmark_pages() etc.: boost included.
 */
static void show_zone(struct pa_printer *p, struct pa_zone *zone)
{
	struct pa_zone_counts c;

	zone_snapshot(zone, &c, NULL);
	pa_pr(p, "Node %d %s free:%lukB boost:%lukB min:%lukB low:%lukB high:%lukB",
	      zone->node, zone->name, kb(c.free), kb(c.boost), kb(c.wmark_min), kb(c.wmark_low),
	      kb(c.wmark_high));
	/* Linux writes "KB" here. */
	pa_pr(p, " reserved_highatomic:%luKB present:%lukB managed:%lukB", kb(c.highatomic),
	      kb(c.present), kb(c.managed));
	pa_pr(p, " free_pcp:%lukB free_cma:%lukB\n", kb(c.pcp_pages), kb(c.free_cma));
	pa_pr(p, "lowmem_reserve[]:");
	for (int j = 0; j < PA_MAX_NR_ZONES; j++)
		pa_pr(p, " %ld", (long)c.lowmem_reserve[j]);
	pa_pr(p, "\n");
}

/* Linux's show_migration_types(): a letter per migratetype bit of @types. */
static void show_migration_types(struct pa_printer *p, unsigned int types)
{
	char tmp[PA_MIGRATE_TYPES + 1];
	int n = 0;

	for (int mt = 0; mt < PA_MIGRATE_TYPES; mt++)
		if (types & (1u << mt))
			tmp[n++] = pa_migratetypes[mt].letter;
	tmp[n] = '\0';
	pa_pr(p, "(%s) ", tmp);
}

/* "Node N Zone: " then count*size per order, with the lists' types, "= total". */
static void show_zone_orders(struct pa_printer *p, struct pa_zone *zone)
{
	unsigned int types[PA_NR_PAGE_ORDERS];
	struct pa_zone_counts c;
	unsigned long total = 0;

	zone_snapshot(zone, &c, types);
	pa_pr(p, "Node %d %s: ", zone->node, zone->name);
	for (int o = 0; o < PA_NR_PAGE_ORDERS; o++) {
		total += c.nr_free[o] << o;
		pa_pr(p, "%lu*%lukB ", c.nr_free[o], kb(1) << o);
		if (c.nr_free[o])
			show_migration_types(p, types[o]);
	}
	pa_pr(p, "= %lukB\n", kb(total));
}

/* Linux 6.12's __show_free_areas(), without the figures we do not have. */
int pa_show_free_areas(pa_print_fn fn, void *ctx)
{
	struct pa_printer p;
	int ret = pa_writer_check(fn, __func__);

	if (ret)
		return ret;
	pa_pr_init(&p, fn, ctx);
	show_totals(&p);
	pa_for_each_populated_zone(zone)
		show_zone(&p, zone);
	pa_for_each_populated_zone(zone)
		show_zone_orders(&p, zone);
	pa_pr_flush(&p);
	return 0;
}
