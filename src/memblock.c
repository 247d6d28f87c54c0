// SPDX-License-Identifier: MIT
/*
 * Boot-time memory description, in the manner of Linux's memblock: two
 * sorted tables of disjoint regions (memory, with a node each; reserved),
 * a top-down early allocator, and an iterator over the free ranges that
 * pa_init() hands to the buddy allocator.
 */
#include "internal.h"

static bool nid_valid(int nid)
{
	return nid >= 0 && nid < PA_MAX_NUMNODES;
}

static int boot_only(const char *func)
{
	if (pa_g.initialized)
		return pa_fail(PA_EBUSY, func, "not allowed after pa_init()");
	return 0;
}

static void region_insert(struct pa_memblock_type *t, unsigned int at, pa_phys_t base, pa_phys_t size,
			  int nid)
{
	for (unsigned int i = t->cnt; i > at; i--)
		t->regions[i] = t->regions[i - 1];
	t->regions[at] = (struct pa_memblock_region){ .base = base, .size = size, .nid = nid };
	t->cnt++;
}

static void region_remove(struct pa_memblock_type *t, unsigned int at)
{
	t->cnt--;
	for (unsigned int i = at; i < t->cnt; i++)
		t->regions[i] = t->regions[i + 1];
}

/* Merge region @i with its right neighbour while they touch and agree on nid. */
static void region_merge_right(struct pa_memblock_type *t, unsigned int i, bool any_nid)
{
	while (i + 1 < t->cnt) {
		struct pa_memblock_region *a = &t->regions[i], *b = &t->regions[i + 1];
		pa_phys_t a_end = a->base + a->size;

		if (b->base > a_end || (!any_nid && a->nid != b->nid))
			break;
		if (b->base + b->size > a_end)
			a->size = b->base + b->size - a->base;
		region_remove(t, i + 1);
	}
}

int pa_memblock_add(pa_phys_t base, pa_phys_t size, int nid)
{
	struct pa_memblock_type *t = &pa_g.memory;
	unsigned int i;
	int ret = boot_only(__func__);

	if (ret)
		return ret;
	if (!size)
		return PA_FAIL(PA_EINVAL, "empty range at %#llx", (unsigned long long)base);
	if ((base | size) & (PA_PAGE_SIZE - 1))
		return PA_FAIL(PA_EINVAL, "range [%#llx+%#llx) is not page aligned",
			       (unsigned long long)base, (unsigned long long)size);
	if (!nid_valid(nid))
		return PA_FAIL(PA_ENOENT, "node %d out of range (max %d)", nid, PA_MAX_NUMNODES - 1);
	if (base + size < base)
		return PA_FAIL(PA_EINVAL, "range at %#llx of %#llx bytes wraps around",
			       (unsigned long long)base, (unsigned long long)size);
	if (base + size > pa_max_phys_addr())
		return PA_FAIL(PA_ERANGE, "range [%#llx-%#llx) above the supported %#llx",
			       (unsigned long long)base, (unsigned long long)(base + size - 1),
			       (unsigned long long)pa_max_phys_addr());
	for (i = 0; i < t->cnt && t->regions[i].base < base + size; i++) {
		if (t->regions[i].base + t->regions[i].size > base)
			return PA_FAIL(PA_EEXIST, "range [%#llx-%#llx) overlaps memory already added",
				       (unsigned long long)base, (unsigned long long)(base + size - 1));
	}
	if (t->cnt == PA_ARRAY_SIZE(t->regions))
		return PA_FAIL(PA_ENOSPC, "memory region table full (%u)", t->cnt);
	region_insert(t, i, base, size, nid);
	region_merge_right(t, i, false);
	if (i > 0)
		region_merge_right(t, i - 1, false);
	return 0;
}

/* Add [base, base+size) to the reserved table, merging what it touches. */
static int reserve_range(pa_phys_t base, pa_phys_t size, const char *func)
{
	struct pa_memblock_type *t = &pa_g.reserved;
	unsigned int i;

	for (i = 0; i < t->cnt && t->regions[i].base + t->regions[i].size < base; i++)
		;
	/* Region i is the first that touches or follows the new range. */
	if (i < t->cnt && t->regions[i].base <= base + size) {
		struct pa_memblock_region *r = &t->regions[i];
		pa_phys_t end = PA_MAX(r->base + r->size, base + size);

		r->base = PA_MIN(r->base, base);
		r->size = end - r->base;
		region_merge_right(t, i, true);
		return 0;
	}
	if (t->cnt == PA_ARRAY_SIZE(t->regions))
		return pa_fail(PA_ENOSPC, func, "reserved region table full (%u)", t->cnt);
	region_insert(t, i, base, size, PA_NUMA_NO_NODE);
	return 0;
}

int pa_memblock_reserve(pa_phys_t base, pa_phys_t size)
{
	int ret = boot_only(__func__);

	if (ret)
		return ret;
	if (!size)
		return PA_FAIL(PA_EINVAL, "empty range at %#llx", (unsigned long long)base);
	if (base + size < base)
		return PA_FAIL(PA_EINVAL, "range at %#llx of %#llx bytes wraps around",
			       (unsigned long long)base, (unsigned long long)size);
	return reserve_range(base, size, __func__);
}

/*
 * The gaps between reserved regions: gap k runs from the end of reserved
 * region k-1 (0 for k = 0) to the start of region k (the top of the
 * address space for k = cnt).
 */
static void gap(unsigned int k, pa_phys_t *lo, pa_phys_t *hi)
{
	const struct pa_memblock_type *t = &pa_g.reserved;

	*lo = k ? t->regions[k - 1].base + t->regions[k - 1].size : 0;
	*hi = k < t->cnt ? t->regions[k].base : ~(pa_phys_t)0;
}

/* Highest @align-aligned block of @size inside [lo, hi), or 0 if none fits. */
static bool fit_top_down(pa_phys_t lo, pa_phys_t hi, pa_phys_t size, pa_phys_t align, pa_phys_t *out)
{
	pa_phys_t cand;

	if (hi <= lo || hi - lo < size)
		return false;
	cand = PA_ALIGN_DOWN(hi - size, align);
	if (cand < lo)
		return false;
	*out = cand;
	return true;
}

static bool find_top_down(pa_phys_t size, pa_phys_t align, int nid, pa_phys_t *out)
{
	const struct pa_memblock_type *m = &pa_g.memory;

	for (unsigned int i = m->cnt; i-- > 0;) {
		pa_phys_t mlo = m->regions[i].base, mhi = mlo + m->regions[i].size;

		if (nid != PA_NUMA_NO_NODE && m->regions[i].nid != nid)
			continue;
		for (unsigned int k = pa_g.reserved.cnt + 1; k-- > 0;) {
			pa_phys_t lo, hi;

			gap(k, &lo, &hi);
			if (lo >= mhi || hi <= mlo)
				continue;
			if (fit_top_down(PA_MAX(lo, mlo), PA_MIN(hi, mhi), size, align, out))
				return true;
		}
	}
	return false;
}

int pa_memblock_alloc_locked(pa_phys_t size, pa_phys_t align, int nid, pa_phys_t *pa)
{
	if (!find_top_down(size, align, nid, pa) &&
	    (nid == PA_NUMA_NO_NODE || !find_top_down(size, align, PA_NUMA_NO_NODE, pa)))
		return -PA_ENOMEM;
	return reserve_range(*pa, size, "pa_memblock_alloc");
}

int pa_memblock_alloc(pa_phys_t size, pa_phys_t align, int nid, pa_phys_t *pa)
{
	int ret = boot_only(__func__);

	if (ret)
		return ret;
	if (!pa)
		return PA_FAIL(PA_EINVAL, "NULL result pointer");
	if (!size)
		return PA_FAIL(PA_EINVAL, "zero size");
	if (!align)
		align = PA_PAGE_SIZE;
	if (align & (align - 1))
		return PA_FAIL(PA_EINVAL, "alignment %#llx is not a power of two",
			       (unsigned long long)align);
	if (nid != PA_NUMA_NO_NODE && !nid_valid(nid))
		return PA_FAIL(PA_ENOENT, "node %d out of range", nid);
	ret = pa_memblock_alloc_locked(size, align, nid, pa);
	if (ret == -PA_ENOMEM)
		return PA_FAIL(PA_ENOMEM, "no free range of %#llx bytes aligned to %#llx",
			       (unsigned long long)size, (unsigned long long)align);
	return ret;
}

void pa_memblock_for_each_free(pa_range_fn fn, void *arg)
{
	const struct pa_memblock_type *m = &pa_g.memory;

	for (unsigned int i = 0; i < m->cnt; i++) {
		pa_phys_t mlo = m->regions[i].base, mhi = mlo + m->regions[i].size;

		for (unsigned int k = 0; k <= pa_g.reserved.cnt; k++) {
			pa_phys_t lo, hi;
			unsigned long spfn, epfn;

			gap(k, &lo, &hi);
			if (lo >= mhi || hi <= mlo)
				continue;
			spfn = PA_PFN_UP(PA_MAX(lo, mlo));
			epfn = PA_PFN_DOWN(PA_MIN(hi, mhi));
			if (spfn < epfn)
				fn(arg, m->regions[i].nid, spfn, epfn);
		}
	}
}
