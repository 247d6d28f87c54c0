// SPDX-License-Identifier: MIT
/*
 * Boot-time configuration and pa_init(): zone boundaries, ZONE_MOVABLE
 * placement (kernelcore= / movablecore=), per-node zone geometry, then the
 * hand-over of every free page to the buddy allocator.
 */
#include "internal.h"

bool pa_is_initialized(void)
{
	return pa_g.initialized;
}

void pa_reset(void)
{
	pa_memset(&pa_g, 0, sizeof(pa_g));
	pa_memset(pa_fast_gfp_tab, 0, sizeof(pa_fast_gfp_tab));
	pa_cpu_zone_reset();
}

static int boot_only(const char *func)
{
	if (pa_g.initialized)
		return pa_fail(PA_EBUSY, func, "not allowed after pa_init()");
	return 0;
}

int pa_set_zone_limit(enum pa_zone_type zone, pa_phys_t limit)
{
	int ret = boot_only(__func__);

	if (ret)
		return ret;
	if (!IS_ENABLED(CONFIG_PA_ZONE_DMA) && !IS_ENABLED(CONFIG_PA_ZONE_DMA32))
		return PA_FAIL(PA_EOPNOTSUPP, "no DMA zones in this configuration");
	if ((int)zone < 0 || zone >= PA_ZONE_NORMAL)
		return PA_FAIL(PA_EINVAL, "zone %d has no settable limit", (int)zone);
	if (!limit || (limit & (PA_PAGE_SIZE - 1)))
		return PA_FAIL(PA_EINVAL, "%s limit %#llx is zero or not page aligned",
			       pa_zone_types[zone].name, (unsigned long long)limit);
	for (int z = 0; z < PA_ZONE_NORMAL; z++) {
		pa_phys_t other = pa_g.zone_limit[z];

		if (other && ((z < (int)zone && other > limit) || (z > (int)zone && other < limit)))
			return PA_FAIL(PA_EINVAL, "%s limit %#llx out of order with %s limit %#llx",
				       pa_zone_types[zone].name, (unsigned long long)limit,
				       pa_zone_types[z].name, (unsigned long long)other);
	}
	pa_g.zone_limit[zone] = limit;
	return 0;
}

int pa_set_kernelcore(pa_phys_t size)
{
	int ret = boot_only(__func__);

	if (ret)
		return ret;
	if (size >> PA_PAGE_SHIFT == 0)
		return PA_FAIL(PA_EINVAL, "kernelcore of %llu bytes is less than a page",
			       (unsigned long long)size);
	pa_g.required_kernelcore = (unsigned long)(size >> PA_PAGE_SHIFT);
	return 0;
}

int pa_set_movablecore(pa_phys_t size)
{
	int ret = boot_only(__func__);

	if (ret)
		return ret;
	if (size >> PA_PAGE_SHIFT == 0)
		return PA_FAIL(PA_EINVAL, "movablecore of %llu bytes is less than a page",
			       (unsigned long long)size);
	pa_g.required_movablecore = (unsigned long)(size >> PA_PAGE_SHIFT);
	return 0;
}

int pa_set_nr_cpus(unsigned int nr)
{
	int ret = boot_only(__func__);

	if (ret)
		return ret;
	if (nr == 0 || nr > PA_NR_CPUS)
		return PA_FAIL(PA_EINVAL, "%u CPUs: must be 1..%d", nr, PA_NR_CPUS);
	pa_g.nr_cpus = nr;
	return 0;
}

int pa_numa_set_cpus(int nid, unsigned int first, unsigned int last)
{
	int ret = boot_only(__func__);

	if (ret)
		return ret;
	if (nid < 0 || nid >= PA_MAX_NUMNODES)
		return PA_FAIL(PA_ENOENT, "node %d out of range", nid);
	if (first > last || last >= PA_NR_CPUS)
		return PA_FAIL(PA_EINVAL, "CPU range %u-%u invalid (max %d)", first, last,
			       PA_NR_CPUS - 1);
	for (unsigned int cpu = first; cpu <= last; cpu++)
		pa_g.cpu_to_node[cpu] = (int16_t)nid;
	return 0;
}

int pa_numa_set_distance(int from, int to, unsigned int distance)
{
	int ret = boot_only(__func__);

	if (ret)
		return ret;
	if (from < 0 || from >= PA_MAX_NUMNODES || to < 0 || to >= PA_MAX_NUMNODES)
		return PA_FAIL(PA_ENOENT, "node pair %d,%d out of range", from, to);
	if (distance > 255 || (from == to && distance != 10) || (from != to && distance <= 10))
		return PA_FAIL(PA_ERANGE, "distance %u from node %d to %d invalid", distance, from,
			       to);
	pa_g.nodes[from].distance[to] = (uint8_t)distance;
	pa_g.distance_set[from][to] = 1;
	return 0;
}

int pa_set_memmap(void *buf, size_t size)
{
	int ret = boot_only(__func__);

	if (ret)
		return ret;
	if (!buf || ((uintptr_t)buf & 63))
		return PA_FAIL(PA_EINVAL, "buffer %p is NULL or not 64-byte aligned", buf);
	pa_g.memmap_external = true;
	pa_g.memmap_buf = buf;
	pa_g.memmap_buf_size = size;
	return 0;
}

/* ------------------------------------------------------------ zone geometry */

/* Zone boundaries shared by all nodes, as Linux's free_area_init(). */
struct pa_bounds {
	unsigned long lowest[PA_MAX_NR_ZONES];
	unsigned long highest[PA_MAX_NR_ZONES];
	int movable_zone;
	unsigned long zone_movable_pfn[PA_MAX_NUMNODES];
	unsigned long node_start[PA_MAX_NUMNODES];
	unsigned long node_end[PA_MAX_NUMNODES];
};

static void compute_bounds(struct pa_bounds *b)
{
	const struct pa_memblock_type *m = &pa_g.memory;
	unsigned long start = PA_PFN_DOWN(m->regions[0].base);
	unsigned long max_zone_pfn[PA_MAX_NR_ZONES] = { 0 };

	for (int z = 0; z < PA_ZONE_NORMAL; z++)
		max_zone_pfn[z] = PA_PFN_DOWN(pa_g.zone_limit[z]);
	max_zone_pfn[PA_ZONE_NORMAL] = pa_g.max_pfn;
	for (int z = 0; z < PA_MAX_NR_ZONES; z++) {
		unsigned long end;

		if (z == PA_ZONE_MOVABLE)
			continue;
		end = PA_MAX(max_zone_pfn[z], start);
		b->lowest[z] = start;
		b->highest[z] = end;
		start = end;
	}
	/* The zone ZONE_MOVABLE is carved from: the highest non-empty one. */
	b->movable_zone = 0;
	for (int z = PA_MAX_NR_ZONES - 1; z >= 0; z--) {
		if (z != PA_ZONE_MOVABLE && b->highest[z] > b->lowest[z]) {
			b->movable_zone = z;
			break;
		}
	}
	for (int n = 0; n < PA_MAX_NUMNODES; n++)
		b->node_start[n] = b->node_end[n] = 0;
	for (unsigned int i = m->cnt; i-- > 0;)
		b->node_start[m->regions[i].nid] = PA_PFN_DOWN(m->regions[i].base);
	for (unsigned int i = 0; i < m->cnt; i++)
		b->node_end[m->regions[i].nid] = PA_PFN_DOWN(m->regions[i].base + m->regions[i].size);
}

static unsigned long total_memory_pages(unsigned int *usable_nodes)
{
	const struct pa_memblock_type *m = &pa_g.memory;
	unsigned long total = 0;
	bool seen[PA_MAX_NUMNODES] = { false };

	*usable_nodes = 0;
	for (unsigned int i = 0; i < m->cnt; i++) {
		total += (unsigned long)(m->regions[i].size >> PA_PAGE_SHIFT);
		if (!seen[m->regions[i].nid])
			(*usable_nodes)++;
		seen[m->regions[i].nid] = true;
	}
	return total;
}

/*
 * One pass of kernelcore spreading over node @nid: memory below
 * @usable_start is kernel memory whatever happens; above it, take up to
 * @remaining pages for the kernel and start ZONE_MOVABLE after them.
 */
static void spread_kernelcore_node(struct pa_bounds *b, int nid, unsigned long usable_start,
				   unsigned long remaining, unsigned long *required)
{
	const struct pa_memblock_type *m = &pa_g.memory;

	for (unsigned int i = 0; i < m->cnt; i++) {
		unsigned long s = PA_PFN_DOWN(m->regions[i].base);
		unsigned long e = s + (unsigned long)(m->regions[i].size >> PA_PAGE_SHIFT);
		unsigned long size;

		if (m->regions[i].nid != nid)
			continue;
		s = PA_MAX(s, b->zone_movable_pfn[nid]);
		if (s >= e)
			continue;
		if (s < usable_start) {
			unsigned long kp = PA_MIN(e, usable_start) - s;

			remaining -= PA_MIN(kp, remaining);
			*required -= PA_MIN(kp, *required);
			if (e <= usable_start) {
				b->zone_movable_pfn[nid] = e;
				continue;
			}
			s = usable_start;
		}
		size = PA_MIN(e - s, remaining);
		b->zone_movable_pfn[nid] = s + size;
		*required -= PA_MIN(*required, size);
		remaining -= size;
		if (!remaining)
			break;
	}
}

/*
 * Where ZONE_MOVABLE starts on each node (Linux's
 * find_zone_movable_pfns_for_nodes() for absolute kernelcore= and
 * movablecore=): the kernel's share is spread evenly over the nodes, the
 * memory above it on each node becomes movable, and each start is rounded
 * up to a largest-order block.
 */
static void find_zone_movable_pfns(struct pa_bounds *b)
{
	unsigned int usable_nodes;
	unsigned long total = total_memory_pages(&usable_nodes);
	unsigned long required_kc = pa_g.required_kernelcore;
	unsigned long required_mc = pa_g.required_movablecore;
	unsigned long usable_start, kc_node;

	if (required_mc) {
		required_mc = PA_ALIGN_UP(required_mc, PA_MAX_ORDER_NR_PAGES);
		required_mc = PA_MIN(total, required_mc);
		required_kc = PA_MAX(required_kc, total - required_mc);
	}
	if (!required_kc || required_kc >= total)
		return;
	usable_start = b->lowest[b->movable_zone];
	do {
		kc_node = required_kc / usable_nodes;
		for (int nid = 0; nid < PA_MAX_NUMNODES; nid++) {
			if (b->node_end[nid] == 0)
				continue;
			if (required_kc < kc_node)
				kc_node = required_kc / usable_nodes;
			spread_kernelcore_node(b, nid, usable_start, kc_node, &required_kc);
		}
		usable_nodes--;
	} while (usable_nodes && required_kc > usable_nodes);

	for (int nid = 0; nid < PA_MAX_NUMNODES; nid++) {
		unsigned long zmp = PA_ALIGN_UP(b->zone_movable_pfn[nid], PA_MAX_ORDER_NR_PAGES);

		b->zone_movable_pfn[nid] = zmp >= b->node_end[nid] ? 0 : zmp;
	}
}

/* Clip zone @z of node @nid to ZONE_MOVABLE (adjust_zone_range_for_zone_movable). */
static void adjust_for_movable(const struct pa_bounds *b, int nid, int z, unsigned long *zs,
			       unsigned long *ze)
{
	unsigned long zmp = b->zone_movable_pfn[nid];

	if (!zmp)
		return;
	if (z == PA_ZONE_MOVABLE) {
		*zs = zmp;
		*ze = PA_MIN(b->node_end[nid], b->highest[b->movable_zone]);
	} else if (*zs < zmp && *ze > zmp) {
		*ze = zmp;
	} else if (*zs >= zmp) {
		*zs = *ze;
	}
}

static unsigned long memory_pages_in(int nid, unsigned long s, unsigned long e)
{
	const struct pa_memblock_type *m = &pa_g.memory;
	unsigned long n = 0;

	for (unsigned int i = 0; i < m->cnt; i++) {
		unsigned long rs = PA_PFN_DOWN(m->regions[i].base);
		unsigned long re = rs + (unsigned long)(m->regions[i].size >> PA_PAGE_SHIFT);

		if (m->regions[i].nid == nid && re > s && rs < e)
			n += PA_MIN(re, e) - PA_MAX(rs, s);
	}
	return n;
}

static void setup_zone(const struct pa_bounds *b, struct pa_node *node, int z)
{
	struct pa_zone *zone = &node->zones[z];
	int nid = node->node_id;
	unsigned long ns = b->node_start[nid], ne = b->node_end[nid];
	unsigned long zs = PA_MIN(PA_MAX(ns, b->lowest[z]), b->highest[z]);
	unsigned long ze = PA_MIN(PA_MAX(ne, b->lowest[z]), b->highest[z]);

	zone->node = nid;
	zone->type = (uint8_t)z;
	zone->zoneid = (uint8_t)(nid * PA_MAX_NR_ZONES + z);
	zone->name = pa_zone_types[z].name;
	pa_port_spin_init(&zone->lock);
	for (int o = 0; o < PA_NR_PAGE_ORDERS; o++)
		for (int mt = 0; mt < PA_MIGRATE_TYPES; mt++)
			pa_list_init(&zone->free_area[o].free_list[mt]);
	pa_g.zone_by_id[zone->zoneid] = zone;

	adjust_for_movable(b, nid, z, &zs, &ze);
	if (ne == 0 || ze < ns || zs > ne || ze <= zs)
		return;
	zs = PA_MAX(zs, ns);
	ze = PA_MIN(ze, ne);
	zone->zone_start_pfn = zs;
	zone->spanned_pages = ze - zs;
	zone->present_pages = memory_pages_in(nid, zs, ze);
}

static void setup_nodes(const struct pa_bounds *b)
{
	for (int nid = 0; nid < PA_MAX_NUMNODES; nid++) {
		struct pa_node *node = &pa_g.nodes[nid];

		node->node_id = nid;
		node->zone_movable_pfn = b->zone_movable_pfn[nid];
		for (int to = 0; to < PA_MAX_NUMNODES; to++)
			if (!pa_g.distance_set[nid][to])
				node->distance[to] = nid == to ? 10 : 20;
		node->node_present_pages = 0;
		for (int z = 0; z < PA_MAX_NR_ZONES; z++) {
			setup_zone(b, node, z);
			node->node_present_pages += node->zones[z].present_pages;
		}
		if (b->node_end[nid]) {
			node->node_start_pfn = b->node_start[nid];
			node->node_spanned_pages = b->node_end[nid] - b->node_start[nid];
			pa_g.nr_node_ids = nid + 1;
		}
	}
}

/* ------------------------------------------------------------ freeing */

/* Free [start, end) of one zone in the largest naturally aligned blocks. */
static void free_range_to_zone(struct pa_zone *zone, unsigned long start, unsigned long end)
{
	while (start < end) {
		unsigned int order = PA_MAX_PAGE_ORDER;
		struct pa_page *page;

		if (start)
			order = PA_MIN(order, pa_ctzl(start));
		order = PA_MIN(order, pa_ilog2(end - start));
		page = pa_pfn_to_page_fast(start);
		pa_free_one_page_locked(zone, page, start, order, pa_get_pageblock_migratetype(start));
		zone->managed_pages += 1UL << order;
		start += 1UL << order;
	}
}

static void free_range(void *arg, int nid, unsigned long start, unsigned long end)
{
	struct pa_node *node = &pa_g.nodes[nid];

	(void)arg;
	for (int z = 0; z < PA_MAX_NR_ZONES; z++) {
		struct pa_zone *zone = &node->zones[z];
		unsigned long zs = zone->zone_start_pfn, ze = zs + zone->spanned_pages;

		if (zone->spanned_pages && ze > start && zs < end)
			free_range_to_zone(zone, PA_MAX(zs, start), PA_MIN(ze, end));
	}
}

void pa_free_boot_range(int nid, unsigned long start, unsigned long end)
{
	free_range(NULL, nid, start, end);
}

/* The bytes pa_pcp_init() and pa_compaction_init() will carve from the metadata, after mem_map. */
static size_t late_meta_bytes(void)
{
	return (IS_ENABLED(CONFIG_PA_PCP) ? pa_pcp_meta_bytes() : 0) + pa_compaction_meta_bytes();
}

size_t pa_memmap_size(void)
{
	return pa_sparse_meta_bytes() + late_meta_bytes();
}

int pa_init(void)
{
	static struct pa_memblock_type saved_reserved;
	struct pa_bounds b = { 0 };
	const struct pa_memblock_type *m = &pa_g.memory;
	int ret;

	if (pa_g.initialized)
		return PA_FAIL(PA_EBUSY, "called twice");
	if (!m->cnt)
		return PA_FAIL(PA_EINVAL, "no memory added with pa_memblock_add()");
	if (!pa_g.nr_cpus)
		pa_g.nr_cpus = 1;
	pa_g.min_pfn = PA_PFN_DOWN(m->regions[0].base);
	pa_g.max_pfn = PA_PFN_DOWN(m->regions[m->cnt - 1].base + m->regions[m->cnt - 1].size);

	saved_reserved = pa_g.reserved;
	ret = pa_sparse_init(late_meta_bytes());
	if (ret) {
		pa_g.reserved = saved_reserved;
		return ret;
	}
	compute_bounds(&b);
	find_zone_movable_pfns(&b);
	setup_nodes(&b);
	for (unsigned int cpu = 0; cpu < pa_g.nr_cpus; cpu++)
		pa_g.cpu_online[cpu] = 1;
	ret = IS_ENABLED(CONFIG_PA_PCP) ? pa_pcp_init() : 0;
	if (!ret)
		ret = pa_compaction_init();
	if (ret) {
		pa_sparse_fast_forget(); /* the struct pages are unwritten */
		return ret;
	}
	pa_sparse_init_pages();
	pa_memblock_for_each_free(free_range, NULL);
	pa_cma_init();
	pa_g.initialized = true;
	pa_tunables_defaults();
	pa_calculate_min_free_kbytes();
	pa_setup_per_zone_wmarks();
	pa_setup_per_zone_lowmem_reserve();
	/* The fast GFP table before the zonelists publish pa_cpu_zone. */
	pa_mobility_init(pa_nr_free_pages());
	pa_build_all_zonelists();
	if (IS_ENABLED(CONFIG_PA_PCP))
		pa_pcp_update_all();
	/* Linux's khugepaged starts later in boot: its min_free_kbytes last. */
	pa_set_recommended_min_free_kbytes();
	return 0;
}
