// SPDX-License-Identifier: MIT
/*
 * page_owner (include/pagealloc/debug.h): who allocated and last freed
 * each block.
 *
 * One record per page, in an array per memory section carved from
 * metadata like mem_map, used for head pages only.  Handing a block out
 * (pa_debug_alloc_prep(), under the zone or per-CPU lock) writes the order
 * and sequence number and clears the site; the public entry point then
 * writes its caller's address and the GFP mask (so the site is the
 * kernel's call, never an internal frame).  The public free entries write
 * the free site after a successful free.  Fields are written and read
 * with relaxed atomics: records are advisory, read locklessly by reports
 * and the dump.
 */
#include "internal.h"

/*
 * One page's record.  @info packs the GFP mask (23 bits) and the order
 * (above bit 24); @seq 0 means never allocated.
 */
struct pa_owner_rec {
	uintptr_t alloc_site;
	uintptr_t free_site;
	uint32_t info;
	uint32_t seq;
};

_Static_assert(sizeof(void *) != 8 || sizeof(struct pa_owner_rec) == 24, "24-byte records (test_init)");

#define INFO_ORDER_SHIFT 24
#define INFO_GFP_MASK PA__GFP_BITS_MASK
_Static_assert(PA__GFP_BITS_MASK < (1u << INFO_ORDER_SHIFT), "gfp must fit below the order");

size_t pa_page_owner_meta_bytes(unsigned long nr_pages)
{
	if (!IS_ENABLED(CONFIG_PA_PAGE_OWNER))
		return 0;
	return PA_ALIGN_UP(nr_pages * sizeof(struct pa_owner_rec), (size_t)64);
}

#ifdef CONFIG_PA_PAGE_OWNER
/* Carve and clear the records of @ms (its map covers @nr_pages pages). */
int pa_page_owner_section_init(struct pa_mem_section *ms, unsigned long nr_pages, int nid)
{
	ms->owner = pa_meta_alloc(nr_pages * sizeof(struct pa_owner_rec), nid);
	if (!ms->owner)
		return -PA_ENOMEM;
	pa_memset(ms->owner, 0, nr_pages * sizeof(struct pa_owner_rec));
	return 0;
}

/* The record of the valid page @page. */
static struct pa_owner_rec *owner_of(const struct pa_page *page)
{
	unsigned long nr = pa_page_section(page);
	const struct pa_mem_section *ms = pa_nr_to_section(nr);
	unsigned long idx = (unsigned long)(page - (const struct pa_page *)ms->map_base);

	return ms->owner + (idx - ms->map_start);
}
#else /* no records (struct pa_mem_section has no owner field) */
int pa_page_owner_section_init(struct pa_mem_section *ms, unsigned long nr_pages, int nid)
{
	(void)ms, (void)nr_pages, (void)nid;
	return 0;
}

static struct pa_owner_rec *owner_of(const struct pa_page *page)
{
	(void)page;
	return NULL;
}
#endif

/* Handing out: order and sequence now, the site when the entry point returns. */
static void owner_prep(const struct pa_page *page, unsigned int order)
{
	struct pa_owner_rec *r = owner_of(page);
	uint32_t seq = (uint32_t)__atomic_add_fetch(&pa_g.owner_seq, 1, __ATOMIC_RELAXED);

	PA_WRITE_ONCE(r->alloc_site, 0);
	PA_WRITE_ONCE(r->info, order << INFO_ORDER_SHIFT);
	PA_WRITE_ONCE(r->seq, seq ? seq : 1);
}

void pa_debug_alloc_prep(struct pa_page *page, unsigned int order)
{
	if (IS_ENABLED(CONFIG_PA_PAGE_POISONING))
		pa_check_poison(page, order);
	if (IS_ENABLED(CONFIG_PA_PAGE_OWNER))
		owner_prep(page, order);
}

/* @page was just allocated (owner_prep() ran) by a public entry called from @site. */
void pa_page_owner_set_alloc(struct pa_page *page, pa_gfp_t gfp, uintptr_t site)
{
	struct pa_owner_rec *r;

	if (!IS_ENABLED(CONFIG_PA_PAGE_OWNER))
		return;
	r = owner_of(page);
	PA_WRITE_ONCE(r->info, (PA_READ_ONCE(r->info) & ~INFO_GFP_MASK) | (gfp & INFO_GFP_MASK));
	PA_WRITE_ONCE(r->alloc_site, site);
}

/*
 * With the last reference, before the block goes back to a list: the
 * record keeps this free as the last one (Linux's "last free" handle)
 * until the block's next allocation.
 */
void pa_page_owner_set_free(const struct pa_page *page, uintptr_t site)
{
	if (IS_ENABLED(CONFIG_PA_PAGE_OWNER))
		PA_WRITE_ONCE(owner_of(page)->free_site, site);
}

void pa_page_owner_describe(const struct pa_page *page, char *buf, size_t size)
{
	const struct pa_owner_rec *r = owner_of(page);

	buf[0] = '\0';
	if (!IS_ENABLED(CONFIG_PA_PAGE_OWNER) || !PA_READ_ONCE(r->seq))
		return;
	pa_snprintf(buf, size, "; allocated by [<%#lx>] order %u seq %u, freed by [<%#lx>]",
		    (unsigned long)PA_READ_ONCE(r->alloc_site), PA_READ_ONCE(r->info) >> INFO_ORDER_SHIFT,
		    PA_READ_ONCE(r->seq), (unsigned long)PA_READ_ONCE(r->free_site));
}

/* ------------------------------------------------------------ public API */

static bool block_allocated(const struct pa_page *page)
{
	uint32_t f = pa_page_flags(page);

	return (f & (1u << PA_PG_head)) && !(f & (1u << PA_PG_reserved));
}

int pa_page_owner_get(const struct pa_page *page, struct pa_page_owner_info *out)
{
	const struct pa_owner_rec *r;
	uint32_t info;
	int err;

	if (!IS_ENABLED(CONFIG_PA_PAGE_OWNER))
		return PA_FAIL(PA_EOPNOTSUPP, "built without CONFIG_PA_PAGE_OWNER");
	err = pa_page_arg_check(page, __func__);
	if (err)
		return err;
	if (!out)
		return PA_FAIL(PA_EINVAL, "NULL output");
	r = owner_of(page);
	info = PA_READ_ONCE(r->info);
	out->alloc_site = PA_READ_ONCE(r->alloc_site);
	out->free_site = PA_READ_ONCE(r->free_site);
	out->seq = PA_READ_ONCE(r->seq);
	out->gfp = info & INFO_GFP_MASK;
	out->order = info >> INFO_ORDER_SHIFT;
	out->allocated = block_allocated(page);
	return 0;
}

/* ------------------------------------------------------------ the dump */

/* One block's entry, as Linux's print_page_owner() less pid and stack. */
static void print_owner(struct pa_printer *p, const struct pa_page *page, unsigned long pfn)
{
	const struct pa_owner_rec *r = owner_of(page);
	uint32_t info = PA_READ_ONCE(r->info), flags = pa_page_flags(page);
	pa_gfp_t gfp = info & INFO_GFP_MASK;
	int mt = pa_gfp_migratetype(gfp);
	char gfps[160], fl[48];

	pa_gfp_format(gfp, gfps, sizeof(gfps));
	pa_page_flags_string(flags, fl, sizeof(fl));
	pa_pr(p, "Page allocated via order %u, mask %#x(%s), seq %u\n", info >> INFO_ORDER_SHIFT,
	      gfp, gfps, PA_READ_ONCE(r->seq));
	pa_pr(p, "PFN 0x%lx type %s Block %lu type %s Flags %#x(%s)\n", pfn,
	      pa_migratetypes[mt < 0 ? PA_MIGRATE_UNMOVABLE : mt].name, pfn >> PA_PAGEBLOCK_ORDER,
	      pa_migratetypes[pa_get_pageblock_migratetype(pfn)].name, flags, fl);
	pa_pr(p, " [<%#lx>]\n\n", (unsigned long)PA_READ_ONCE(r->alloc_site));
}

/* Every allocated block of the present section @ms (number @nr). */
static void print_section(struct pa_printer *p, const struct pa_mem_section *ms, unsigned long nr)
{
	unsigned long base = nr << PA_PFN_SECTION_SHIFT;

	for (unsigned long idx = ms->map_start; idx < pa_section_map_end(ms);) {
		const struct pa_page *page = (const struct pa_page *)ms->map_base + idx;

		if (!block_allocated(page)) {
			idx++;
			continue;
		}
		print_owner(p, page, base + idx);
		idx += 1UL << pa_page_order(page);
	}
}

int pa_print_page_owner(pa_print_fn fn, void *ctx)
{
	struct pa_printer p;
	int ret;

	if (!IS_ENABLED(CONFIG_PA_PAGE_OWNER))
		return PA_FAIL(PA_EOPNOTSUPP, "built without CONFIG_PA_PAGE_OWNER");
	ret = pa_writer_check(fn, __func__);
	if (ret)
		return ret;
	pa_pr_init(&p, fn, ctx);
	for (unsigned long nr = 0; nr < pa_g.nr_section_roots * PA_SECTIONS_PER_LEAF; nr++) {
		const struct pa_mem_section *ms;

		if (!pa_g.section_root[nr / PA_SECTIONS_PER_LEAF]) {
			nr += PA_SECTIONS_PER_LEAF - 1 - nr % PA_SECTIONS_PER_LEAF;
			continue;
		}
		ms = pa_nr_to_section(nr);
		if (ms->map_base)
			print_section(&p, ms, nr);
	}
	pa_pr_flush(&p);
	return 0;
}
