// SPDX-License-Identifier: MIT
/*
 * Memory sections and mem_map.
 *
 * Physical memory is cut into sections of 2^PA_SECTION_SIZE_BITS bytes.
 * Only sections that hold memory get struct pages, so a hole between two
 * banks costs nothing but its (absent) entries in a two-level section table
 * (root -> leaves of PA_SECTIONS_PER_LEAF entries).  Within a present
 * section, struct pages cover the memory rounded out to whole
 * largest-order blocks, so the buddy of any block always has a struct page
 * (pages in such holes are reserved and never merge).
 *
 * pfn -> page: two loads (root, leaf) and an add.  page -> pfn: the section
 * number is kept in the page's flags, then the same two loads.
 *
 * Sections are allocated in runs: present sections of one node whose
 * memory continues across each boundary between them get one mem_map
 * array and one pageblock array (at most RUN_MAX_MAP bytes of map, so one
 * pa_port_phys_to_virt() range).  The longest run is the fast run
 * (pa_g.run): the fast free checks a pointer against it with one compare.
 *
 * Other pointers are checked against their section's map
 * (pa_page_locate_in()); for them the present sections are also one flat
 * array of pointers from the first present section to the last, absent
 * ones pointing at pa_no_section, whose map holds no page: one load, no
 * test for an absent leaf.  It costs 8 bytes per section of the span, so
 * it is only built while that stays within 1/64 of mem_map (or 4 KiB);
 * a layout with wider holes keeps the two-level lookup alone, and its
 * frees all take the general path, which uses it.
 */
#include "internal.h"

#define LEAF_BYTES (PA_SECTIONS_PER_LEAF * sizeof(struct pa_mem_section))

typedef void (*section_fn)(void *arg, unsigned long nr, unsigned long lo, unsigned long hi, int nid);

/*
 * Call @fn once per present section, in increasing order, with the pfns
 * [lo, hi) spanned by memory inside it and the node of its first pfn.
 */
static void for_each_present_section(section_fn fn, void *arg)
{
	const struct pa_memblock_type *m = &pa_g.memory;
	unsigned long cur = ~0UL, lo = 0, hi = 0;
	int nid = 0;

	for (unsigned int i = 0; i < m->cnt; i++) {
		unsigned long pfn = PA_PFN_DOWN(m->regions[i].base);
		unsigned long end = PA_PFN_DOWN(m->regions[i].base + m->regions[i].size);

		while (pfn < end) {
			unsigned long nr = pfn >> PA_PFN_SECTION_SHIFT;
			unsigned long send = PA_MIN(end, (nr + 1) << PA_PFN_SECTION_SHIFT);

			if (nr != cur) {
				if (cur != ~0UL)
					fn(arg, cur, lo, hi, nid);
				cur = nr;
				lo = pfn;
				nid = m->regions[i].nid;
			}
			hi = send;
			pfn = send;
		}
	}
	if (cur != ~0UL)
		fn(arg, cur, lo, hi, nid);
}

static unsigned long map_pages(unsigned long lo, unsigned long hi)
{
	return PA_ALIGN_UP(hi, PA_MAX_ORDER_NR_PAGES) - PA_ALIGN_DOWN(lo, PA_MAX_ORDER_NR_PAGES);
}

/* A run: present sections [first, last] of node @nid, their memory spanning [lo, hi). */
struct run {
	unsigned long first, last, lo, hi;
	int nid;
};

typedef void (*run_fn)(void *arg, const struct run *r);

/* A run's map stays within one 1 GiB-aligned range (pa_port_phys_to_virt()). */
#define RUN_MAX_MAP (1UL << 30)

struct run_acc {
	run_fn fn;
	void *arg;
	struct run cur;
	bool open;
};

/*
 * Extend the open run by section @nr when memory crosses the boundary
 * between them (the run reaches the end of its last section, @lo is the
 * start of this one) on the same node, within RUN_MAX_MAP; else close it
 * and open another.
 */
static void run_add_section(void *arg, unsigned long nr, unsigned long lo, unsigned long hi,
			    int nid)
{
	struct run_acc *a = arg;
	unsigned long base = nr << PA_PFN_SECTION_SHIFT;

	if (a->open && nid == a->cur.nid && nr == a->cur.last + 1 && a->cur.hi == base &&
	    lo == base && map_pages(a->cur.lo, hi) * sizeof(struct pa_page) <= RUN_MAX_MAP) {
		a->cur.last = nr;
		a->cur.hi = hi;
		return;
	}
	if (a->open)
		a->fn(a->arg, &a->cur);
	a->cur = (struct run){ .first = nr, .last = nr, .lo = lo, .hi = hi, .nid = nid };
	a->open = true;
}

/* Call @fn once per run, in increasing order. */
static void for_each_run(run_fn fn, void *arg)
{
	struct run_acc a = { .fn = fn, .arg = arg };

	for_each_present_section(run_add_section, &a);
	if (a.open)
		fn(arg, &a.cur);
}

/* Section @nr's memory in run @r. */
static unsigned long run_section_lo(const struct run *r, unsigned long nr)
{
	return nr == r->first ? r->lo : nr << PA_PFN_SECTION_SHIFT;
}

static unsigned long run_section_hi(const struct run *r, unsigned long nr)
{
	return nr == r->last ? r->hi : (nr + 1) << PA_PFN_SECTION_SHIFT;
}

static size_t run_pb_bytes(const struct run *r)
{
	return (r->last - r->first + 1) * PA_SECTION_PB_BYTES;
}

/* The entry of the flat array for a section without memory: no page is inside its map. */
static const struct pa_mem_section pa_no_section;

struct meta_plan {
	size_t total; /* bytes, each piece rounded to 64 */
	size_t map_bytes;
	unsigned long last_leaf;
	unsigned long nr_sections;
	unsigned long min_nr, max_nr;
	unsigned long nr_flat; /* entries of pa_g.section_flat, 0 for none */
};

static void plan_section(void *arg, unsigned long nr, unsigned long lo, unsigned long hi, int nid)
{
	struct meta_plan *p = arg;
	unsigned long n = map_pages(lo, hi);

	(void)nid;
	if (!p->nr_sections || nr / PA_SECTIONS_PER_LEAF != p->last_leaf)
		p->total += PA_ALIGN_UP(LEAF_BYTES, 64);
	p->last_leaf = nr / PA_SECTIONS_PER_LEAF;
	p->total += pa_page_owner_meta_bytes(n);
	p->map_bytes += n * sizeof(struct pa_page);
	if (!p->nr_sections)
		p->min_nr = nr;
	p->nr_sections++;
	p->max_nr = nr;
}

/* Entries of the flat section array for plan @p: 0 when it would be too big. */
static unsigned long flat_entries(const struct meta_plan *p)
{
	unsigned long n = p->max_nr - p->min_nr + 1;

	if (!p->nr_sections || n * sizeof(void *) > PA_MAX(p->map_bytes / 64, (size_t)4096))
		return 0;
	return n;
}

static void plan_run(void *arg, const struct run *r)
{
	struct meta_plan *p = arg;

	p->total += PA_ALIGN_UP(map_pages(r->lo, r->hi) * sizeof(struct pa_page), 64);
	p->total += PA_ALIGN_UP(run_pb_bytes(r), 64);
}

static void make_plan(struct meta_plan *p)
{
	*p = (struct meta_plan){ 0 };
	for_each_present_section(plan_section, p);
	for_each_run(plan_run, p);
	if (p->nr_sections)
		p->total += PA_ALIGN_UP((p->max_nr / PA_SECTIONS_PER_LEAF + 1) * sizeof(void *), 64);
	p->nr_flat = flat_entries(p);
	p->total += PA_ALIGN_UP(p->nr_flat * sizeof(void *), 64);
}

size_t pa_sparse_meta_bytes(void)
{
	struct meta_plan p;

	make_plan(&p);
	return p.total;
}

/* Smallest power of two >= @v (v >= 1). */
static pa_phys_t pow2_roundup(pa_phys_t v)
{
	pa_phys_t p = 1;

	while (p < v)
		p <<= 1;
	return p;
}

/*
 * Metadata memory: from the caller's buffer, or carved from @nid's memory
 * (reserved, naturally aligned so it never crosses a 1 GiB boundary, as
 * the port contract of pa_port_phys_to_virt() promises).
 */
void *pa_meta_alloc(size_t size, int nid)
{
	pa_phys_t pa;

	if (pa_g.memmap_external) {
		size_t off = PA_ALIGN_UP(pa_g.memmap_buf_used, (size_t)64);

		if (off + size > pa_g.memmap_buf_size)
			return NULL;
		pa_g.memmap_buf_used = off + size;
		return pa_g.memmap_buf + off;
	}
	if (pa_memblock_alloc_locked(size, PA_MAX(pow2_roundup(size), (pa_phys_t)64), nid, &pa))
		return NULL;
	return pa_port_phys_to_virt(pa, size);
}

struct alloc_ctx {
	int err;
	unsigned long run_pages; /* the fast run's, so far */
};

/* Give present section @nr its leaf, when it is the first of its leaf. */
static void alloc_leaf(void *arg, unsigned long nr, unsigned long lo, unsigned long hi, int nid)
{
	struct alloc_ctx *c = arg;
	struct pa_mem_section **leafp = &pa_g.section_root[nr / PA_SECTIONS_PER_LEAF];

	(void)lo;
	(void)hi;
	if (c->err || *leafp)
		return;
	*leafp = pa_meta_alloc(LEAF_BYTES, nid);
	if (!*leafp) {
		c->err = -PA_ENOMEM;
		return;
	}
	pa_memset(*leafp, 0, LEAF_BYTES);
	pa_g.table_bytes += LEAF_BYTES;
}

/* Section @nr of run @r: its part of the run's @map (from pfn @map_pfn) and @pb. */
static int init_section(const struct run *r, unsigned long nr, struct pa_page *map,
			unsigned long map_pfn, uint8_t *pb)
{
	struct pa_mem_section *ms = pa_nr_to_section(nr);
	unsigned long base = nr << PA_PFN_SECTION_SHIFT;
	unsigned long lo = run_section_lo(r, nr), n = map_pages(lo, run_section_hi(r, nr));

	ms->map_start = (uint32_t)(PA_ALIGN_DOWN(lo, PA_MAX_ORDER_NR_PAGES) - base);
	/* pa_page_locate_in() assumes it: a map never leaves its section. */
	PA_BUG_ON(ms->map_start + n > PA_PAGES_PER_SECTION);
	ms->map_bytes = (uint32_t)(n * sizeof(struct pa_page));
	ms->map_first = (uintptr_t)(map + (base + ms->map_start - map_pfn));
	ms->map_base = ms->map_first - ms->map_start * sizeof(struct pa_page);
	ms->pageblock_flags = pb + (nr - r->first) * PA_SECTION_PB_BYTES;
	for (unsigned long i = 0; i < PA_PAGEBLOCKS_PER_SECTION; i++)
		pa_set_pageblock_migratetype(base + (i << PA_PAGEBLOCK_ORDER), PA_MIGRATE_MOVABLE);
	pa_g.memmap_bytes += n * sizeof(struct pa_page);
	pa_g.nr_present_sections++;
	return IS_ENABLED(CONFIG_PA_PAGE_OWNER) ? pa_page_owner_section_init(ms, n, r->nid) : 0;
}

/* Make run @r the fast run if it is the longest so far. */
static void note_run(struct alloc_ctx *c, const struct run *r, const struct pa_page *map)
{
	unsigned long pfn = PA_ALIGN_DOWN(r->lo, PA_MAX_ORDER_NR_PAGES);
	unsigned long n = map_pages(r->lo, r->hi);

	if (!PA_PAGE_STRUCT_POW2 || n <= c->run_pages)
		return;
	c->run_pages = n;
	pa_g.run = (struct pa_fast_run){
		.first = (uintptr_t)map,
		.nr_pages = n,
		.pfn = pfn,
		.pageblock = pa_section_pageblock(pa_nr_to_section(r->first), pfn),
	};
}

/*
 * One map and one pageblock array for run @r; when memory has no room for
 * the map in one piece, each section of the run becomes a run of its own.
 */
static void alloc_run(void *arg, const struct run *r)
{
	struct alloc_ctx *c = arg;
	unsigned long map_pfn = PA_ALIGN_DOWN(r->lo, PA_MAX_ORDER_NR_PAGES);
	struct pa_page *map;
	uint8_t *pb;

	if (c->err)
		return;
	map = pa_meta_alloc(map_pages(r->lo, r->hi) * sizeof(struct pa_page), r->nid);
	if (!map && r->first != r->last) {
		for (unsigned long nr = r->first; nr <= r->last && !c->err; nr++) {
			struct run one = { .first = nr, .last = nr, .lo = run_section_lo(r, nr),
					   .hi = run_section_hi(r, nr), .nid = r->nid };

			alloc_run(c, &one);
		}
		return;
	}
	pb = map ? pa_meta_alloc(run_pb_bytes(r), r->nid) : NULL;
	if (!pb) {
		c->err = -PA_ENOMEM;
		return;
	}
	pa_g.table_bytes += run_pb_bytes(r);
	for (unsigned long nr = r->first; nr <= r->last && !c->err; nr++)
		c->err = init_section(r, nr, map, map_pfn, pb);
	note_run(c, r, map);
}

/* The flat array of plan @p's span, once every present section has its map. */
static int build_flat(const struct meta_plan *p)
{
	const struct pa_mem_section **flat = pa_meta_alloc(p->nr_flat * sizeof(void *),
							   pa_g.memory.regions[0].nid);

	if (!flat)
		return -PA_ENOMEM;
	for (unsigned long i = 0; i < p->nr_flat; i++) {
		const struct pa_mem_section *ms =
			pa_pfn_section((p->min_nr + i) << PA_PFN_SECTION_SHIFT);

		flat[i] = ms ? ms : &pa_no_section;
	}
	pa_g.table_bytes += p->nr_flat * sizeof(void *);
	pa_g.section_flat = flat;
	pa_g.section_flat_min = p->min_nr;
	pa_g.nr_section_flat = p->nr_flat; /* last: 0 is the "no array" check */
	return 0;
}

void pa_sparse_fast_forget(void)
{
	pa_g.section_flat = NULL;
	pa_g.section_flat_min = pa_g.nr_section_flat = 0;
	pa_g.run = (struct pa_fast_run){ 0 };
}

int pa_sparse_init(size_t more)
{
	struct meta_plan p;
	struct alloc_ctx c = { 0 };
	size_t root_bytes;

	pa_sparse_fast_forget(); /* a retried pa_init() must not keep older ones */
	make_plan(&p);
	p.total += more;
	if (pa_g.memmap_external && p.total > pa_g.memmap_buf_size)
		return PA_FAIL(PA_ENOSPC, "memmap buffer of %zu bytes too small: %zu needed",
			       pa_g.memmap_buf_size, p.total);
	root_bytes = (p.max_nr / PA_SECTIONS_PER_LEAF + 1) * sizeof(void *);
	pa_g.section_root = pa_meta_alloc(root_bytes, pa_g.memory.regions[0].nid);
	if (pa_g.section_root) {
		/* Set only with the root: a zero count is the no-table check. */
		pa_g.nr_section_roots = p.max_nr / PA_SECTIONS_PER_LEAF + 1;
		pa_memset(pa_g.section_root, 0, root_bytes);
		pa_g.table_bytes = root_bytes;
		for_each_present_section(alloc_leaf, &c);
		if (!c.err)
			for_each_run(alloc_run, &c);
	}
	if (pa_g.section_root && !c.err && p.nr_flat)
		c.err = build_flat(&p);
	if (!pa_g.section_root || c.err) {
		pa_g.section_root = NULL;
		pa_g.nr_section_roots = 0;
		pa_sparse_fast_forget();
		pa_g.memmap_buf_used = 0;
		pa_g.memmap_bytes = pa_g.table_bytes = 0;
		pa_g.nr_present_sections = 0;
		return PA_FAIL(PA_ENOMEM, "no room for %zu bytes of mem_map and section tables",
			       p.total);
	}
	return 0;
}

/* ------------------------------------------------------------ page init */

/* Write fresh struct pages for [s, e), all in zone @zoneid. */
static void init_page_run(unsigned long s, unsigned long e, unsigned int zoneid, bool reserved)
{
	uint32_t flags0 = pa_page_flags_init(zoneid, 0) | (reserved ? 1u << PA_PG_reserved : 0);

	while (s < e) {
		unsigned long nr = s >> PA_PFN_SECTION_SHIFT;
		unsigned long ce = PA_MIN(e, (nr + 1) << PA_PFN_SECTION_SHIFT);
		const struct pa_page tmpl = {
			.flags = flags0 | ((uint32_t)nr << PA_PG_SECTION_SHIFT),
			.refcount = reserved ? 1 : 0,
		};

		pa_port_memmap_fill(pa_pfn_to_page_fast(s), ce - s, &tmpl);
		s = ce;
	}
}

/* The zone a pfn outside all memory is attributed to: the one spanning it, else a neighbour. */
static unsigned int hole_zoneid(int nid, unsigned long pfn)
{
	const struct pa_node *node = &pa_g.nodes[nid];
	int best = PA_ZONE_NORMAL;

	for (int z = 0; z < PA_MAX_NR_ZONES; z++) {
		const struct pa_zone *zone = &node->zones[z];

		if (zone->spanned_pages && zone->zone_start_pfn <= pfn)
			best = z;
	}
	return (unsigned int)(nid * PA_MAX_NR_ZONES + best);
}

/* Memory [s, e) of node @nid: split by the node's zones. */
static void init_present_run(int nid, unsigned long s, unsigned long e)
{
	const struct pa_node *node = &pa_g.nodes[nid];

	for (int z = 0; z < PA_MAX_NR_ZONES && s < e; z++) {
		const struct pa_zone *zone = &node->zones[z];
		unsigned long zs = zone->zone_start_pfn, ze = zs + zone->spanned_pages;

		if (!zone->spanned_pages || ze <= s || zs >= e)
			continue;
		PA_BUG_ON(zs > s); /* zones partition the node */
		init_page_run(s, PA_MIN(e, ze), zone->zoneid, false);
		s = PA_MIN(e, ze);
	}
	PA_BUG_ON(s < e);
}

static void init_section_pages(void *arg, unsigned long nr, unsigned long lo, unsigned long hi, int nid)
{
	const struct pa_memblock_type *m = &pa_g.memory;
	const struct pa_mem_section *ms = pa_nr_to_section(nr);
	unsigned long base = nr << PA_PFN_SECTION_SHIFT;
	unsigned long pfn = base + ms->map_start, end = base + pa_section_map_end(ms);

	(void)arg;
	(void)lo;
	(void)hi;
	for (unsigned int i = 0; i < m->cnt && pfn < end; i++) {
		unsigned long rs = PA_PFN_DOWN(m->regions[i].base);
		unsigned long re = PA_PFN_DOWN(m->regions[i].base + m->regions[i].size);

		if (re <= pfn || rs >= end)
			continue;
		rs = PA_MAX(rs, pfn);
		re = PA_MIN(re, end);
		if (pfn < rs)
			init_page_run(pfn, rs, hole_zoneid(nid, pfn), true);
		init_present_run(m->regions[i].nid, rs, re);
		pfn = re;
	}
	if (pfn < end)
		init_page_run(pfn, end, hole_zoneid(nid, pfn), true);
}

/* Memory per part of the struct page init (pa_port_parallel()): at least 512 MiB. */
#define INIT_PART_MIN_SECTIONS PA_MAX(1UL, (1UL << 29) >> (PA_PFN_SECTION_SHIFT + PA_PAGE_SHIFT))

/* One part of the init: present sections k with k * nr_parts / nr_present == part. */
struct init_part {
	unsigned int part, nr_parts;
	unsigned long k;
};

static void init_section_of_part(void *arg, unsigned long nr, unsigned long lo, unsigned long hi,
				 int nid)
{
	struct init_part *p = arg;

	if (p->k++ * p->nr_parts / pa_g.nr_present_sections == p->part)
		init_section_pages(NULL, nr, lo, hi, nid);
}

static void init_part(void *arg, unsigned int part)
{
	struct init_part p = { .part = part, .nr_parts = *(const unsigned int *)arg };

	for_each_present_section(init_section_of_part, &p);
}

void pa_sparse_init_pages(void)
{
	const struct pa_memblock_type *r = &pa_g.reserved;
	unsigned long parts = pa_g.nr_present_sections / INIT_PART_MIN_SECTIONS;
	unsigned int nr_parts = (unsigned int)PA_MAX(1UL, PA_MIN(parts, (unsigned long)pa_g.nr_cpus));

	if (nr_parts > 1)
		pa_port_parallel(init_part, &nr_parts, nr_parts);
	else
		for_each_present_section(init_section_pages, NULL);
	for (unsigned int i = 0; i < r->cnt; i++) {
		unsigned long s = PA_PFN_DOWN(r->regions[i].base);
		unsigned long e = PA_PFN_UP(r->regions[i].base + r->regions[i].size);

		s = PA_MAX(s, pa_g.min_pfn);
		e = PA_MIN(e, pa_g.max_pfn);
		for (unsigned long pfn = s; pfn < e; pfn++) {
			struct pa_page *page;

			if (!pa_pfn_section(pfn)) { /* skip a whole absent section */
				pfn = (PA_ALIGN_DOWN(pfn, PA_PAGES_PER_SECTION) + PA_PAGES_PER_SECTION) - 1;
				continue;
			}
			page = pa_pfn_to_page(pfn);
			if (page) {
				pa_page_set(page, PA_PG_reserved);
				page->refcount = 1;
			}
		}
	}
}

/* ------------------------------------------------------------ pageblocks */

int pa_get_pageblock_migratetype(unsigned long pfn)
{
	return pa_section_pageblock_mt(pa_nr_to_section(pfn >> PA_PFN_SECTION_SHIFT), pfn);
}

void pa_set_pageblock_migratetype(unsigned long pfn, int mt)
{
	struct pa_mem_section *ms = pa_nr_to_section(pfn >> PA_PFN_SECTION_SHIFT);
	unsigned long idx = (pfn & (PA_PAGES_PER_SECTION - 1)) >> PA_PAGEBLOCK_ORDER;

	/* The pageblock's own byte, no neighbour's bits to keep: one store. */
	PA_WRITE_ONCE(ms->pageblock_flags[idx], (uint8_t)((unsigned int)mt & PA_PAGEBLOCK_MT_MASK));
}

void pa_change_pageblock_range(unsigned long pfn, unsigned int order, int mt)
{
	for (unsigned long b = 0; b < (1UL << order); b += PA_PAGEBLOCK_NR_PAGES)
		pa_set_pageblock_migratetype(pfn + b, mt);
}

/* ------------------------------------------------------------ conversions */

bool pa_pfn_valid(unsigned long pfn)
{
	const struct pa_mem_section *ms;
	unsigned long off = pfn & (PA_PAGES_PER_SECTION - 1);

	if (!pa_g.section_root)
		return false;
	ms = pa_pfn_section(pfn);
	return ms && off >= ms->map_start && off < pa_section_map_end(ms);
}

/*
 * Does every pfn of [start, end) have a struct page?  A section's map is
 * one run [map_start, map_end), so the first and last pfn of the range's
 * part in each section tell.
 */
bool pa_pfn_range_valid(unsigned long start, unsigned long end)
{
	while (start < end) {
		unsigned long next = PA_MIN(end, PA_ALIGN_DOWN(start, PA_PAGES_PER_SECTION) +
						      PA_PAGES_PER_SECTION);

		if (!pa_pfn_valid(start) || !pa_pfn_valid(next - 1))
			return false;
		start = next;
	}
	return true;
}

struct pa_page *pa_pfn_to_page(unsigned long pfn)
{
	return pa_pfn_valid(pfn) ? pa_pfn_to_page_fast(pfn) : NULL;
}

int pa_page_arg_check(const struct pa_page *page, const char *func)
{
	if (!pa_g.initialized)
		return pa_fail(PA_ENODEV, func, "called before pa_init()");
	if (!pa_page_ptr_valid(page))
		return pa_fail(PA_EFAULT, func, "%p is not a page of this allocator",
			       (const void *)page);
	return 0;
}

unsigned long pa_page_to_pfn(const struct pa_page *page)
{
	return pa_page_arg_check(page, __func__) ? PA_INVALID_PFN : pa_page_to_pfn_fast(page);
}

pa_phys_t pa_page_to_phys(const struct pa_page *page)
{
	return pa_page_arg_check(page, __func__) ? PA_INVALID_PHYS
						 : PA_PFN_PHYS(pa_page_to_pfn_fast(page));
}

struct pa_page *pa_phys_to_page(pa_phys_t pa)
{
	if (pa >= pa_max_phys_addr())
		return NULL;
	return pa_pfn_to_page(PA_PFN_DOWN(pa));
}

enum pa_zone_type pa_page_zone_type(const struct pa_page *page)
{
	if (pa_page_arg_check(page, __func__))
		return (enum pa_zone_type)PA_MAX_NR_ZONES;
	return (enum pa_zone_type)(pa_page_zoneid(page) % PA_MAX_NR_ZONES);
}

int pa_page_to_nid(const struct pa_page *page)
{
	if (pa_page_arg_check(page, __func__))
		return PA_NUMA_NO_NODE;
	return (int)(pa_page_zoneid(page) / PA_MAX_NR_ZONES);
}

int pa_page_count(const struct pa_page *page)
{
	int err = pa_page_arg_check(page, __func__);

	if (err)
		return err;
	return __atomic_load_n(&page->refcount, __ATOMIC_RELAXED);
}

/*
 * Which zone holds all of [start, end): every pfn must have a struct page
 * (pa_pfn_range_valid()) of one zone, inside the zone's span.
 */
struct pa_zone *pa_range_zone(unsigned long start, unsigned long end, const char *func, int *err)
{
	if (!pa_g.initialized) {
		*err = PA_ENODEV;
		pa_fail(PA_ENODEV, func, "called before pa_init()");
		return NULL;
	}
	return pa_range_zone_init(start, end, func, err);
}

/* One log line for @func's bad range, none when @func is NULL. */
#define RANGE_FAIL(func, ...)                              \
	do {                                               \
		if (func)                                  \
			pa_fail(PA_EINVAL, func, __VA_ARGS__); \
	} while (0)

struct pa_zone *pa_range_zone_init(unsigned long start, unsigned long end, const char *func,
				   int *err)
{
	struct pa_zone *zone;

	*err = PA_EINVAL;
	if (start >= end) {
		RANGE_FAIL(func, "empty or reversed range [%#lx, %#lx)", start, end);
		return NULL;
	}
	if (!pa_pfn_range_valid(start, end)) {
		RANGE_FAIL(func, "range [%#lx, %#lx) is outside memory", start, end);
		return NULL;
	}
	zone = pa_page_zone(pa_pfn_to_page_fast(start));
	if (!zone->present_pages || start < zone->zone_start_pfn ||
	    end > zone->zone_start_pfn + zone->spanned_pages ||
	    pa_page_zone(pa_pfn_to_page_fast(end - 1)) != zone) {
		RANGE_FAIL(func, "range [%#lx, %#lx) is not inside one zone", start, end);
		return NULL;
	}
	*err = 0;
	return zone;
}

/*
 * A free, per-CPU or allocated block of order o covering @pfn starts at
 * pfn & ~(2^o - 1) and has state bits and an order >= o there; blocks do
 * not overlap, so the first such candidate from o = 0 up is the one.
 * mem_map covers whole largest-order blocks, so each candidate exists.
 */
unsigned long pa_block_head_pfn(unsigned long pfn)
{
	for (unsigned int o = 0; o <= PA_MAX_PAGE_ORDER; o++) {
		unsigned long head = pfn & ~((1UL << o) - 1);
		const struct pa_page *page = pa_pfn_to_page_fast(head);

		if ((pa_page_flags(page) & PA_PG_STATE_MASK) && pa_page_order(page) >= o)
			return head;
	}
	return pfn;
}

/* A pointer that is one of our struct pages: inside its section's map. */
bool pa_page_ptr_valid(const struct pa_page *page)
{
	unsigned long pfn;
	uint32_t flags;

	return pa_page_locate(page, &pfn, &flags) != NULL;
}
