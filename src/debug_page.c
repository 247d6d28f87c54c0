// SPDX-License-Identifier: MIT
/*
 * Page poisoning (include/pagealloc/debug.h): freed pages are filled with
 * a pattern that is checked when they are handed out again.
 *
 * Poisoning: a block freed by the kernel is filled with PA_PAGE_POISON and
 * each of its pages gets PG_poisoned before it reaches any free list; the
 * block is then the allocator's, so a changed byte found when a page is
 * handed out again was written after free.  Only pages carrying the flag
 * are checked: memory never handed out since pa_init() was never written.
 * Splitting and merging keep the per-page flags, so every page of a block
 * handed out is checked exactly when it was poisoned.
 * The page_owner records are in page_owner.c.
 */
#include "internal.h"

/* ------------------------------------------------------------ poisoning */

#define POISON_WORD (0x0101010101010101ULL * PA_PAGE_POISON)

static inline unsigned char *page_bytes(unsigned long pfn)
{
	return pa_port_phys_to_virt(PA_PFN_PHYS(pfn), PA_PAGE_SIZE);
}

void pa_poison_free_block(struct pa_page *page, unsigned long pfn, unsigned int order)
{
	if (!IS_ENABLED(CONFIG_PA_PAGE_POISONING))
		return;
	for (unsigned long i = 0; i < (1UL << order); i++) {
		pa_memset(page_bytes(pfn + i), PA_PAGE_POISON, PA_PAGE_SIZE);
		pa_page_set(page + i, PA_PG_poisoned);
	}
}

/* Offset of the first byte of @mem that is not the poison, or PA_PAGE_SIZE. */
static size_t first_changed(const unsigned char *mem)
{
	const uint64_t *w = (const uint64_t *)mem;
	size_t i = 0;

	while (i < PA_PAGE_SIZE / 8 && w[i] == POISON_WORD)
		i++;
	if (i == PA_PAGE_SIZE / 8)
		return PA_PAGE_SIZE;
	for (i *= 8; mem[i] == PA_PAGE_POISON; i++)
		;
	return i;
}

/* Offset of the last changed byte; @first is the first one. */
static size_t last_changed(const unsigned char *mem, size_t first)
{
	size_t i = PA_PAGE_SIZE - 1;

	while (i > first && mem[i] == PA_PAGE_POISON)
		i--;
	return i;
}

/* Rate limit without a clock: the first REPORT_BURST, then one in REPORT_EVERY. */
#define REPORT_BURST 100
#define REPORT_EVERY 1000

/*
 * One line per corrupted page, as Linux's check_poison_mem(): a lone
 * flipped bit is told apart from a write.  The page is still handed out.
 */
static void report_corruption(const struct pa_page *head, const struct pa_page *page,
			      unsigned long pfn, const unsigned char *mem, size_t first)
{
	unsigned long nr = __atomic_add_fetch(&pa_g.nr_poison_errors, 1, __ATOMIC_RELAXED);
	size_t last = last_changed(mem, first);
	unsigned int diff = mem[first] ^ PA_PAGE_POISON;
	bool single_bit = first == last && !(diff & (diff - 1));
	char owner[112];

	if (nr > REPORT_BURST && nr % REPORT_EVERY)
		return;
	/* The page's own record if it headed a block, else the block's. */
	pa_page_owner_describe(page, owner, sizeof(owner));
	if (!owner[0])
		pa_page_owner_describe(head, owner, sizeof(owner));
	pa_err("pagealloc: %s at pfn:%05lx offset %#zx: byte %#04x, expected %#04x; "
	       "changed bytes up to offset %#zx%s",
	       single_bit ? "single bit error" : "memory corruption", pfn, first, mem[first],
	       PA_PAGE_POISON, last, owner);
}

/* Check and unpoison every poisoned page of the block at @page. */
void pa_check_poison(struct pa_page *page, unsigned int order)
{
	unsigned long pfn = pa_page_to_pfn_fast(page);

	for (unsigned long i = 0; i < (1UL << order); i++) {
		const unsigned char *mem;
		size_t first;

		if (!pa_page_test(page + i, PA_PG_poisoned))
			continue;
		pa_page_clear(page + i, PA_PG_poisoned);
		mem = page_bytes(pfn + i);
		first = first_changed(mem);
		if (pa_unlikely(first < PA_PAGE_SIZE))
			report_corruption(page, page + i, pfn + i, mem, first);
	}
}

/* ------------------------------------------------------------ public API */

int pa_debug_get_counts(struct pa_debug_counts *out)
{
	if (!pa_g.initialized)
		return PA_FAIL(PA_ENODEV, "called before pa_init()");
	if (!out)
		return PA_FAIL(PA_EINVAL, "NULL output");
	out->bad_pages = __atomic_load_n(&pa_g.nr_bad_pages, __ATOMIC_RELAXED);
	out->poison_errors = __atomic_load_n(&pa_g.nr_poison_errors, __ATOMIC_RELAXED);
	return 0;
}

/* ------------------------------------------------------------ bad pages */

void pa_page_flags_string(uint32_t flags, char *buf, size_t size)
{
	static const char *const names[] = { "buddy", "reserved", "head", "pcp", "poisoned",
					     "movable" };
	size_t n = 0;

	_Static_assert(PA_ARRAY_SIZE(names) == PA_PG_NR_FLAGS, "a name for each state bit");

	buf[0] = '\0';
	for (unsigned int i = 0; i < PA_ARRAY_SIZE(names); i++)
		if (flags & (1u << i))
			n += (size_t)pa_snprintf(buf + n, n < size ? size - n : 0, "%s%s",
						 n ? "|" : "", names[i]);
}

void pa_bad_page(const struct pa_page *page, unsigned long pfn, const char *reason,
		 const char *func)
{
	char fl[48], owner[112];

	pa_page_flags_string(pa_page_flags(page), fl, sizeof(fl));
	pa_page_owner_describe(page, owner, sizeof(owner));
	__atomic_add_fetch(&pa_g.nr_bad_pages, 1, __ATOMIC_RELAXED);
	pa_err("BUG: Bad page state in %s: pfn:%05lx flags:%#x(%s) refcount:%d order:%u zone:%d/%s: "
	       "%s%s",
	       func, pfn, pa_page_flags(page), fl, __atomic_load_n(&page->refcount, __ATOMIC_RELAXED),
	       pa_page_order(page), (int)(pa_page_zoneid(page) / PA_MAX_NR_ZONES),
	       pa_zone_types[pa_page_zoneid(page) % PA_MAX_NR_ZONES].name, reason, owner);
}
