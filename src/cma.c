// SPDX-License-Identifier: MIT
/*
 * CMA areas, after Linux 6.12's mm/cma.c: pageblock-aligned ranges declared
 * at boot, reserved from memblock until pa_init() makes their pageblocks
 * MIGRATE_CMA and frees their pages to the CMA lists (used by movable
 * allocations only).  pa_cma_alloc() takes a range back with
 * pa_alloc_contig_range(CMA); a bitmap with one bit per page records what
 * it handed out.
 */
#include "internal.h"

#define BITS_PER_LONG (sizeof(unsigned long) * 8)
#define PB_BYTES ((pa_phys_t)PA_PAGEBLOCK_NR_PAGES << PA_PAGE_SHIFT)

/* ------------------------------------------------------------ bitmap */

static bool bit_test(const unsigned long *map, unsigned long i)
{
	return map[i / BITS_PER_LONG] >> (i % BITS_PER_LONG) & 1;
}

static void bits_assign(unsigned long *map, unsigned long i, unsigned long n, bool set)
{
	for (; n--; i++) {
		if (set)
			map[i / BITS_PER_LONG] |= 1UL << (i % BITS_PER_LONG);
		else
			map[i / BITS_PER_LONG] &= ~(1UL << (i % BITS_PER_LONG));
	}
}

/* Are bits [i, i + n) all @set? */
static bool bits_all(const unsigned long *map, unsigned long i, unsigned long n, bool set)
{
	for (; n--; i++)
		if (bit_test(map, i) != set)
			return false;
	return true;
}

/* ------------------------------------------------------------ boot */

/* Is [base, base + size) inside one memory region?  Its node, or -1. */
static int memory_node(pa_phys_t base, pa_phys_t size)
{
	const struct pa_memblock_type *m = &pa_g.memory;

	for (unsigned int i = 0; i < m->cnt; i++)
		if (base >= m->regions[i].base && base + size <= m->regions[i].base + m->regions[i].size)
			return m->regions[i].nid;
	return -1;
}

static bool overlaps_reserved(pa_phys_t base, pa_phys_t size)
{
	const struct pa_memblock_type *r = &pa_g.reserved;

	for (unsigned int i = 0; i < r->cnt; i++)
		if (r->regions[i].base < base + size && base < r->regions[i].base + r->regions[i].size)
			return true;
	return false;
}

/* Record the area [base, base + size) of @nid (already reserved) with its bitmap. */
static int add_area(pa_phys_t base, pa_phys_t size, int nid, const char *name,
		    struct pa_cma **out, const char *func)
{
	struct pa_cma *cma = &pa_g.cma_areas[pa_g.nr_cma_areas];
	unsigned long count = (unsigned long)(size >> PA_PAGE_SHIFT);
	size_t bytes = (count + BITS_PER_LONG - 1) / BITS_PER_LONG * sizeof(unsigned long);
	pa_phys_t pa;

	if (pa_memblock_alloc_locked(bytes, sizeof(unsigned long), nid, &pa))
		return pa_fail(PA_ENOMEM, func, "no boot memory for the bitmap of %lu pages", count);
	cma->bitmap = pa_port_phys_to_virt(pa, bytes);
	pa_memset(cma->bitmap, 0, bytes);
	cma->base_pfn = PA_PFN_DOWN(base);
	cma->count = count;
	pa_port_spin_init(&cma->lock);
	pa_snprintf(cma->name, sizeof(cma->name), "%s", name ? name : "cma");
	pa_g.nr_cma_areas++;
	if (out)
		*out = cma;
	return 0;
}

/* The checks both boot calls share. */
static int declare_check(pa_phys_t size, struct pa_cma **out, const char *func)
{
	if (pa_g.initialized)
		return pa_fail(PA_EBUSY, func, "not allowed after pa_init()");
	if (!out)
		return pa_fail(PA_EINVAL, func, "NULL result pointer");
	if (!size || (size & (PB_BYTES - 1)))
		return pa_fail(PA_EINVAL, func, "size %#llx is not a multiple of a pageblock (%#llx)",
			       (unsigned long long)size, (unsigned long long)PB_BYTES);
	if (pa_g.nr_cma_areas == PA_MAX_CMA_AREAS)
		return pa_fail(PA_ENOSPC, func, "already %d CMA areas", PA_MAX_CMA_AREAS);
	return 0;
}

int pa_cma_declare_area(pa_phys_t base, pa_phys_t size, const char *name, struct pa_cma **out,
			const char *func)
{
	int nid, ret = declare_check(size, out, func);

	if (ret)
		return ret;
	if (base & (PB_BYTES - 1))
		return pa_fail(PA_EINVAL, func, "base %#llx is not aligned to a pageblock",
			       (unsigned long long)base);
	nid = base + size > base ? memory_node(base, size) : -1;
	if (nid < 0)
		return pa_fail(PA_EINVAL, func, "[%#llx+%#llx) is not inside one memory region",
			       (unsigned long long)base, (unsigned long long)size);
	if (overlaps_reserved(base, size))
		return pa_fail(PA_EEXIST, func, "[%#llx+%#llx) overlaps reserved memory or a CMA area",
			       (unsigned long long)base, (unsigned long long)size);
	ret = pa_memblock_reserve(base, size);
	if (ret)
		return ret;
	return add_area(base, size, nid, name, out, func);
}

int pa_cma_reserve_area(pa_phys_t size, int nid, const char *name, struct pa_cma **out,
			const char *func)
{
	pa_phys_t base;
	int ret = declare_check(size, out, func);

	if (ret)
		return ret;
	if (nid != PA_NUMA_NO_NODE && (nid < 0 || nid >= PA_MAX_NUMNODES))
		return pa_fail(PA_EINVAL, func, "node %d out of range", nid);
	if (pa_memblock_alloc_locked(size, PB_BYTES, nid, &base))
		return pa_fail(PA_ENOMEM, func, "no free range of %#llx bytes", (unsigned long long)size);
	nid = memory_node(base, size);
	return add_area(base, size, nid < 0 ? PA_NUMA_NO_NODE : nid, name, out, func);
}

/*
 * Free the pages of [start, end), reserved in memblock (so PG_reserved)
 * until now, to their zones, one memory region (one node) at a time.
 */
static void free_area_pages(unsigned long start, unsigned long end)
{
	const struct pa_memblock_type *m = &pa_g.memory;

	for (unsigned long pfn = start; pfn < end; pfn++) {
		struct pa_page *page = pa_pfn_to_page(pfn);

		if (page) {
			pa_page_clear(page, PA_PG_reserved);
			page->refcount = 0;
		}
	}
	for (unsigned int i = 0; i < m->cnt; i++) {
		unsigned long rs = PA_PFN_DOWN(m->regions[i].base);
		unsigned long re = rs + (unsigned long)(m->regions[i].size >> PA_PAGE_SHIFT);

		if (re > start && rs < end)
			pa_free_boot_range(m->regions[i].nid, PA_MAX(rs, start), PA_MIN(re, end));
	}
}

/*
 * Linux's cma_activate_area(): an area inside one zone gets CMA
 * pageblocks; its pages (reserved in memblock, so PG_reserved until now)
 * are freed to the zone.  An area across zones stays ordinary memory.
 */
static void activate_area(struct pa_cma *cma)
{
	unsigned long start = cma->base_pfn, end = start + cma->count;
	int err;
	struct pa_zone *zone = pa_range_zone_init(start, end, NULL, &err);

	if (zone) {
		for (unsigned long pfn = start; pfn < end; pfn += PA_PAGEBLOCK_NR_PAGES)
			pa_set_pageblock_migratetype(pfn, PA_MIGRATE_CMA);
		zone->cma_pages += cma->count;
		cma->active = true;
	} else {
		pa_warn("CMA area %s could not be activated (not inside one zone): its pages are ordinary memory",
			cma->name);
	}
	free_area_pages(start, end);
}

void pa_cma_init(void)
{
	for (unsigned int i = 0; i < pa_g.nr_cma_areas; i++)
		activate_area(&pa_g.cma_areas[i]);
}

/* ------------------------------------------------------------ run time */

/* The checks of the run-time calls: an active area of ours. */
static int area_check(const struct pa_cma *cma, const char *func)
{
	if (!pa_g.initialized)
		return pa_fail(PA_ENODEV, func, "called before pa_init()");
	if (cma < pa_g.cma_areas || cma >= pa_g.cma_areas + pa_g.nr_cma_areas)
		return pa_fail(PA_EINVAL, func, "%p is not a CMA area", (const void *)cma);
	if (!cma->active)
		return pa_fail(PA_EINVAL, func, "CMA area %s is not active", cma->name);
	return 0;
}

/* Claim bits [off, off + count) if all clear. */
static bool claim_bits(struct pa_cma *cma, unsigned long off, unsigned long count)
{
	unsigned long irq = pa_port_spin_lock_irqsave(&cma->lock);
	bool ok = bits_all(cma->bitmap, off, count, false);

	if (ok)
		bits_assign(cma->bitmap, off, count, true);
	pa_port_spin_unlock_irqrestore(&cma->lock, irq);
	return ok;
}

static void release_bits(struct pa_cma *cma, unsigned long off, unsigned long count)
{
	unsigned long irq = pa_port_spin_lock_irqsave(&cma->lock);

	bits_assign(cma->bitmap, off, count, false);
	pa_port_spin_unlock_irqrestore(&cma->lock, irq);
}

struct pa_page *pa_cma_alloc_area(struct pa_cma *cma, unsigned long count, unsigned int align,
				  bool no_warn, const char *func, uintptr_t site)
{
	unsigned long step, end;
	struct pa_zone *zone;

	if (area_check(cma, func) || pa_cpu_id_bad(func))
		return NULL;
	if (!count || count > cma->count || align >= BITS_PER_LONG - 1 ||
	    (1UL << align) > cma->count)
		return pa_fail(PA_EINVAL, func, "%lu pages aligned to 2^%u do not fit area %s (%lu pages)",
			       count, align, cma->name, cma->count), NULL;
	step = 1UL << align;
	end = cma->base_pfn + cma->count;
	zone = pa_page_zone(pa_pfn_to_page_fast(cma->base_pfn));
	for (unsigned long pfn = PA_ALIGN_UP(cma->base_pfn, step); pfn + count <= end; pfn += step) {
		int ret;

		if (!claim_bits(cma, pfn - cma->base_pfn, count))
			continue;
		ret = pa_alloc_contig_zone(zone, pfn, pfn + count, PA_MIGRATE_CMA, PA_GFP_KERNEL);
		if (!ret) {
			pa_contig_allocated(pfn, count, PA_GFP_KERNEL, site);
			return pa_pfn_to_page_fast(pfn);
		}
		release_bits(cma, pfn - cma->base_pfn, count);
	}
	if (!no_warn)
		pa_warn("pa_cma_alloc: %s: no range of %lu pages aligned to 2^%u", cma->name, count,
			align);
	return NULL;
}

int pa_cma_release_area(struct pa_cma *cma, struct pa_page *pages, unsigned long count,
			const char *func, uintptr_t site)
{
	unsigned long pfn;
	int ret = area_check(cma, func);

	if (ret)
		return ret;
	if (!pa_page_ptr_valid(pages))
		return pa_fail(PA_EINVAL, func, "%p is not a page", (void *)pages);
	pfn = pa_page_to_pfn_fast(pages);
	if (!count || pfn < cma->base_pfn || pfn + count > cma->base_pfn + cma->count ||
	    pfn + count < pfn || !bits_all(cma->bitmap, pfn - cma->base_pfn, count, true))
		return pa_fail(PA_EINVAL, func, "%lu pages at pfn %#lx were not allocated from area %s",
			       count, pfn, cma->name);
	ret = pa_free_contig_site(pfn, count, func, site);
	if (ret)
		return ret;
	release_bits(cma, pfn - cma->base_pfn, count);
	return 0;
}
