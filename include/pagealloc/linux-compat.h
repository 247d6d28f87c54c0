/* SPDX-License-Identifier: MIT */
/*
 * Linux's names for the page allocator, for code ported from Linux.
 *
 * Opt-in: <pagealloc/pagealloc.h> does not include this header, and the
 * library itself never uses it.  Include it in the files that call the
 * allocator with Linux's names, after the kernel's own headers:
 *
 *	struct page *page = alloc_pages(GFP_KERNEL, 2);
 *	unsigned long addr = __get_free_page(GFP_KERNEL | __GFP_ZERO);
 *	...
 *	free_page(addr);
 *	__free_pages(page, 2);
 *
 * What it defines:
 *  - struct page, enum zone_type: `page` and `zone_type` are macros for
 *    pa_page and pa_zone_type, so `struct page` IS struct pa_page (no
 *    casts, no aliasing).  This renames every identifier `page` or
 *    `zone_type` after the include (locals, parameters, members), which
 *    is harmless within a file but means a structure with a member named
 *    `page` must be declared on the same side of the include everywhere
 *    it is used.
 *  - gfp_t, nodemask_t (a 64-bit node mask: pass its address where Linux
 *    takes a nodemask_t *), every GFP name of <pagealloc/gfp.h> without its PA_ prefix
 *    (GFP_KERNEL, __GFP_DMA32, ...), ZONE_DMA ZONE_DMA32 ZONE_NORMAL
 *    ZONE_MOVABLE MAX_NR_ZONES and MIGRATE_*, as macros.  ZONE_DMA,
 *    ZONE_DMA32, MIGRATE_CMA and MIGRATE_ISOLATE exist only when
 *    configured, so `#ifdef ZONE_DMA32` works as Linux's
 *    `#ifdef CONFIG_ZONE_DMA32`.
 *  - the functions, as static inline wrappers (each argument evaluated
 *    once): alloc_pages, alloc_page, alloc_pages_node, __free_pages,
 *    __free_page, __get_free_pages, __get_free_page, get_zeroed_page,
 *    free_pages, free_page, get_page, put_page, page_count, page_to_pfn,
 *    pfn_to_page, pfn_valid, page_to_phys, phys_to_page, page_to_nid,
 *    page_zonenum, nr_free_pages, page_address, virt_to_page,
 *    page_private, set_page_private; with CONFIG_PA_MEMORY_ISOLATION
 *    alloc_contig_range (Linux 6.12's form, with a migratetype argument),
 *    alloc_contig_pages, free_contig_range, and with CONFIG_PA_CMA
 *    cma_alloc and cma_release, whose area is a struct pa_cma (there is
 *    no struct cma).
 *
 * Name clashes: a kernel's arch headers often define PAGE_SHIFT and
 * PAGE_SIZE already.  The constants (PAGE_SHIFT, PAGE_SIZE, PAGE_MASK,
 * MAX_PAGE_ORDER, NR_PAGE_ORDERS, MAX_ORDER_NR_PAGES, pageblock_order,
 * pageblock_nr_pages, PAGE_ALLOC_COSTLY_ORDER, MAX_NUMNODES, NUMA_NO_NODE)
 * are therefore defined only if not defined yet, and a definition found
 * is checked at compile time against the library's configuration: a
 * kernel built for 16K pages cannot use a 4K pagealloc by accident.
 * Every other name is defined unconditionally: if the kernel has its own
 * GFP_KERNEL or alloc_pages, the compiler reports the clash, since two
 * page allocators cannot both own those names.
 *
 * Addresses: __get_free_pages(), get_zeroed_page() and page_address()
 * map a page's physical address with the port hook pa_port_phys_to_virt(),
 * which must then be callable in any context (as it already is with
 * CONFIG_PA_PAGE_POISONING).  The library has no reverse mapping, so
 * free_pages(), free_page() and virt_to_page() call one more hook that
 * the kernel defines, pa_port_virt_to_phys() below (a one-liner around
 * its own virt_to_phys()).  It is needed only if those three are used:
 * nothing else references it.
 *
 * __GFP_ZERO: the library never writes page contents (it only manages
 * them), so the allocation wrappers here clear the block themselves
 * through pa_port_phys_to_virt() when the flag is set.
 *
 * Return values: Linux's __free_pages(), put_page() and free_pages() return
 * nothing.  A bad free is still reported by the library (one bad-page log
 * line) and changes nothing, as with pa_free_pages().
 */
#ifndef PAGEALLOC_LINUX_COMPAT_H
#define PAGEALLOC_LINUX_COMPAT_H

#include <pagealloc/pagealloc.h>
#include <pagealloc/port.h>

/**
 * pa_port_virt_to_phys - the physical address behind a kernel virtual address.
 * @va: an address inside a block that pa_port_phys_to_virt() mapped.
 *
 * Defined by the kernel, not the library, and only needed when the
 * kernel calls free_pages(), free_page() or virt_to_page() of this
 * header.  The inverse of pa_port_phys_to_virt(): for an identity map
 * return (pa_phys_t)(uintptr_t)@va.  arch/host implements it for the
 * simulated memory.
 * Context: any.
 * Return: the physical address; for an address that maps no memory,
 * (pa_phys_t)-1, which makes the free report a bad page instead of
 * freeing anything.
 */
pa_phys_t pa_port_virt_to_phys(const void *va);

/* ------------------------------------------------------------ types */

#define page pa_page
#define zone_type pa_zone_type
typedef pa_gfp_t gfp_t;
typedef pa_nodemask_t nodemask_t;

/* ------------------------------------------------------------ constants */

#ifdef PAGE_SHIFT
_Static_assert(PAGE_SHIFT == PA_PAGE_SHIFT, "the kernel's PAGE_SHIFT is not pagealloc's CONFIG_PA_PAGE_SHIFT");
#else
#define PAGE_SHIFT PA_PAGE_SHIFT
#endif
#ifdef PAGE_SIZE
_Static_assert(PAGE_SIZE == PA_PAGE_SIZE, "the kernel's PAGE_SIZE is not pagealloc's page size");
#else
#define PAGE_SIZE PA_PAGE_SIZE
#endif
#ifdef PAGE_MASK
_Static_assert(PAGE_MASK == ~(PA_PAGE_SIZE - 1), "the kernel's PAGE_MASK is not pagealloc's page size");
#else
#define PAGE_MASK (~(PA_PAGE_SIZE - 1))
#endif
#ifdef MAX_PAGE_ORDER
_Static_assert(MAX_PAGE_ORDER == PA_MAX_PAGE_ORDER, "the kernel's MAX_PAGE_ORDER is not pagealloc's CONFIG_PA_MAX_PAGE_ORDER");
#else
#define MAX_PAGE_ORDER PA_MAX_PAGE_ORDER
#endif
#ifdef NR_PAGE_ORDERS
_Static_assert(NR_PAGE_ORDERS == PA_NR_PAGE_ORDERS, "the kernel's NR_PAGE_ORDERS is not pagealloc's");
#else
#define NR_PAGE_ORDERS PA_NR_PAGE_ORDERS
#endif
#ifdef MAX_ORDER_NR_PAGES
_Static_assert(MAX_ORDER_NR_PAGES == PA_MAX_ORDER_NR_PAGES, "the kernel's MAX_ORDER_NR_PAGES is not pagealloc's");
#else
#define MAX_ORDER_NR_PAGES PA_MAX_ORDER_NR_PAGES
#endif
#ifdef pageblock_order
_Static_assert(pageblock_order == PA_PAGEBLOCK_ORDER, "the kernel's pageblock_order is not pagealloc's");
#else
#define pageblock_order PA_PAGEBLOCK_ORDER
#endif
#ifdef pageblock_nr_pages
_Static_assert(pageblock_nr_pages == PA_PAGEBLOCK_NR_PAGES, "the kernel's pageblock_nr_pages is not pagealloc's");
#else
#define pageblock_nr_pages PA_PAGEBLOCK_NR_PAGES
#endif
#ifdef PAGE_ALLOC_COSTLY_ORDER
_Static_assert(PAGE_ALLOC_COSTLY_ORDER == PA_PAGE_ALLOC_COSTLY_ORDER, "the kernel's PAGE_ALLOC_COSTLY_ORDER is not pagealloc's");
#else
#define PAGE_ALLOC_COSTLY_ORDER PA_PAGE_ALLOC_COSTLY_ORDER
#endif
#ifdef MAX_NUMNODES
_Static_assert(MAX_NUMNODES == PA_MAX_NUMNODES, "the kernel's MAX_NUMNODES is not pagealloc's 1 << CONFIG_PA_NODES_SHIFT");
#else
#define MAX_NUMNODES PA_MAX_NUMNODES
#endif
#ifdef NUMA_NO_NODE
_Static_assert(NUMA_NO_NODE == PA_NUMA_NO_NODE, "the kernel's NUMA_NO_NODE is not -1");
#else
#define NUMA_NO_NODE PA_NUMA_NO_NODE
#endif

/* ------------------------------------------------------------ GFP flags */

#define __GFP_DMA PA__GFP_DMA
#define __GFP_HIGHMEM PA__GFP_HIGHMEM
#define __GFP_DMA32 PA__GFP_DMA32
#define __GFP_MOVABLE PA__GFP_MOVABLE
#define GFP_ZONEMASK PA_GFP_ZONEMASK
#define __GFP_RECLAIMABLE PA__GFP_RECLAIMABLE
#define GFP_MOVABLE_MASK PA_GFP_MOVABLE_MASK
#define __GFP_HIGH PA__GFP_HIGH
#define __GFP_IO PA__GFP_IO
#define __GFP_FS PA__GFP_FS
#define __GFP_ZERO PA__GFP_ZERO
#define __GFP_DIRECT_RECLAIM PA__GFP_DIRECT_RECLAIM
#define __GFP_KSWAPD_RECLAIM PA__GFP_KSWAPD_RECLAIM
#define __GFP_WRITE PA__GFP_WRITE
#define __GFP_NOWARN PA__GFP_NOWARN
#define __GFP_RETRY_MAYFAIL PA__GFP_RETRY_MAYFAIL
#define __GFP_NOFAIL PA__GFP_NOFAIL
#define __GFP_NORETRY PA__GFP_NORETRY
#define __GFP_MEMALLOC PA__GFP_MEMALLOC
#define __GFP_COMP PA__GFP_COMP
#define __GFP_NOMEMALLOC PA__GFP_NOMEMALLOC
#define __GFP_HARDWALL PA__GFP_HARDWALL
#define __GFP_THISNODE PA__GFP_THISNODE
#define __GFP_ACCOUNT PA__GFP_ACCOUNT
#define __GFP_BITS_MASK PA__GFP_BITS_MASK
#define __GFP_RECLAIM PA__GFP_RECLAIM
#define GFP_ATOMIC PA_GFP_ATOMIC
#define GFP_KERNEL PA_GFP_KERNEL
#define GFP_KERNEL_ACCOUNT PA_GFP_KERNEL_ACCOUNT
#define GFP_NOWAIT PA_GFP_NOWAIT
#define GFP_NOIO PA_GFP_NOIO
#define GFP_NOFS PA_GFP_NOFS
#define GFP_USER PA_GFP_USER
#define GFP_DMA PA_GFP_DMA
#define GFP_DMA32 PA_GFP_DMA32
#define GFP_HIGHUSER PA_GFP_HIGHUSER
#define GFP_HIGHUSER_MOVABLE PA_GFP_HIGHUSER_MOVABLE

/* ------------------------------------------------------------ zones, migratetypes */

#ifdef CONFIG_PA_ZONE_DMA
#define ZONE_DMA PA_ZONE_DMA
#endif
#ifdef CONFIG_PA_ZONE_DMA32
#define ZONE_DMA32 PA_ZONE_DMA32
#endif
#define ZONE_NORMAL PA_ZONE_NORMAL
#define ZONE_MOVABLE PA_ZONE_MOVABLE
#define MAX_NR_ZONES PA_MAX_NR_ZONES

#define MIGRATE_UNMOVABLE PA_MIGRATE_UNMOVABLE
#define MIGRATE_MOVABLE PA_MIGRATE_MOVABLE
#define MIGRATE_RECLAIMABLE PA_MIGRATE_RECLAIMABLE
#define MIGRATE_PCPTYPES PA_MIGRATE_PCPTYPES
#define MIGRATE_HIGHATOMIC PA_MIGRATE_HIGHATOMIC
#ifdef CONFIG_PA_CMA
#define MIGRATE_CMA PA_MIGRATE_CMA
#endif
#ifdef CONFIG_PA_MEMORY_ISOLATION
#define MIGRATE_ISOLATE PA_MIGRATE_ISOLATE
#endif
#define MIGRATE_TYPES PA_MIGRATE_TYPES

/* ------------------------------------------------------------ conversions */

/**
 * page_to_pfn - Linux's name for pa_page_to_pfn().
 * @page: a page from this allocator.
 *
 * Context: any, after pa_init().
 * Return: its page frame number.
 */
static inline unsigned long page_to_pfn(const struct page *page)
{
	return pa_page_to_pfn(page);
}

/**
 * pfn_to_page - Linux's name for pa_pfn_to_page().
 * @pfn: a page frame number.
 *
 * Context: any, after pa_init().
 * Return: its page, or NULL when !pfn_valid(@pfn).
 */
static inline struct page *pfn_to_page(unsigned long pfn)
{
	return pa_pfn_to_page(pfn);
}

/**
 * pfn_valid - Linux's name for pa_pfn_valid().
 * @pfn: a page frame number.
 *
 * Context: any, after pa_init().
 * Return: 1 if a struct page exists for @pfn, else 0.
 */
static inline int pfn_valid(unsigned long pfn)
{
	return pa_pfn_valid(pfn);
}

/**
 * page_to_phys - Linux's name for pa_page_to_phys().
 * @page: a page from this allocator.
 *
 * Context: any.
 * Return: its physical address.
 */
static inline pa_phys_t page_to_phys(const struct page *page)
{
	return pa_page_to_phys(page);
}

/**
 * phys_to_page - Linux's name for pa_phys_to_page().
 * @pa: a physical address.
 *
 * Context: any.
 * Return: the page containing @pa, or NULL.
 */
static inline struct page *phys_to_page(pa_phys_t pa)
{
	return pa_phys_to_page(pa);
}

/**
 * page_to_nid - Linux's name for pa_page_to_nid().
 * @page: a page from this allocator.
 *
 * Context: any.
 * Return: its node id.
 */
static inline int page_to_nid(const struct page *page)
{
	return pa_page_to_nid(page);
}

/**
 * page_zonenum - Linux's name for pa_page_zone_type().
 * @page: a page from this allocator.
 *
 * Context: any.
 * Return: the type of the zone it belongs to (ZONE_NORMAL, ...).
 */
static inline enum zone_type page_zonenum(const struct page *page)
{
	return pa_page_zone_type(page);
}

/**
 * page_address - the kernel virtual address of a page.
 * @page: a page from this allocator.
 *
 * Maps the page through pa_port_phys_to_virt().
 * Context: any (see the header comment about pa_port_phys_to_virt()).
 * Return: a pointer to its first byte; NULL (logged) when @page is not a
 * page of this allocator.
 */
static inline void *page_address(const struct page *page)
{
	pa_phys_t pa = pa_page_to_phys(page);

	return pa == PA_INVALID_PHYS ? NULL : pa_port_phys_to_virt(pa, PA_PAGE_SIZE);
}

/**
 * virt_to_page - the page behind a kernel virtual address.
 * @addr: an address inside a page mapped by pa_port_phys_to_virt().
 *
 * Needs the kernel's pa_port_virt_to_phys().
 * Context: any.
 * Return: the page, or NULL when @addr maps no page of this allocator.
 */
static inline struct page *virt_to_page(const void *addr)
{
	return pa_phys_to_page(pa_port_virt_to_phys(addr));
}

/**
 * page_private - the kernel's word in an allocated page (page->private).
 * @page: an allocated page.
 *
 * Context: any.
 * Return: the value; 0 right after allocation.
 */
static inline unsigned long page_private(const struct page *page)
{
	return (unsigned long)page->priv;
}

/**
 * set_page_private - set the kernel's word in an allocated page.
 * @page: an allocated page.
 * @val: the value to keep.
 *
 * Context: any, by the page's owner.
 */
static inline void set_page_private(struct page *page, unsigned long val)
{
	page->priv = (uintptr_t)val;
}

/* ------------------------------------------------------------ allocation */

/* Clear an allocated block (__GFP_ZERO); never crosses a 1 GiB line. */
static inline void __pa_compat_zero(struct page *page, unsigned int order)
{
	size_t size = (size_t)PA_PAGE_SIZE << order;

	__builtin_memset(pa_port_phys_to_virt(pa_page_to_phys(page), size), 0, size);
}

/**
 * alloc_pages_node - Linux's name for pa_alloc_pages_node().
 * @nid: the preferred node, or NUMA_NO_NODE for the current CPU's.
 * @gfp: allocation flags; __GFP_ZERO clears the block.
 * @order: 0..MAX_PAGE_ORDER.
 *
 * Context: as pa_alloc_pages_node().
 * Return: the head page of 2^@order pages, or NULL.
 */
static inline struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	struct page *page = pa_alloc_pages_node(nid, gfp & ~PA__GFP_ZERO, order);

	if (page && (gfp & PA__GFP_ZERO))
		__pa_compat_zero(page, order);
	return page;
}

/**
 * alloc_pages - Linux's name for pa_alloc_pages().
 * @gfp: allocation flags; __GFP_ZERO clears the block.
 * @order: 0..MAX_PAGE_ORDER.
 *
 * Context: as pa_alloc_pages().
 * Return: the head page of 2^@order pages, or NULL.
 */
static inline struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return alloc_pages_node(PA_NUMA_NO_NODE, gfp, order);
}

/**
 * alloc_page - allocate one page.
 * @gfp: allocation flags.
 *
 * Context: as pa_alloc_pages().
 * Return: the page, or NULL.
 */
static inline struct page *alloc_page(gfp_t gfp)
{
	return alloc_pages(gfp, 0);
}

/**
 * __get_free_pages - allocate 2^@order pages and return their address.
 * @gfp: allocation flags (__GFP_HIGHMEM is dropped, as Linux does).
 * @order: 0..MAX_PAGE_ORDER.
 *
 * Context: as pa_alloc_pages().
 * Return: the kernel virtual address of the block (pa_port_phys_to_virt()),
 * or 0.
 */
static inline unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp & ~PA__GFP_HIGHMEM, order);

	if (!page)
		return 0;
	return (unsigned long)(uintptr_t)pa_port_phys_to_virt(pa_page_to_phys(page),
							      (size_t)PA_PAGE_SIZE << order);
}

/**
 * __get_free_page - allocate one page and return its address.
 * @gfp: allocation flags.
 *
 * Context: as pa_alloc_pages().
 * Return: its kernel virtual address, or 0.
 */
static inline unsigned long __get_free_page(gfp_t gfp)
{
	return __get_free_pages(gfp, 0);
}

/**
 * get_zeroed_page - allocate one cleared page and return its address.
 * @gfp: allocation flags.
 *
 * Context: as pa_alloc_pages().
 * Return: its kernel virtual address, or 0.
 */
static inline unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | PA__GFP_ZERO, 0);
}

/* ------------------------------------------------------------ free, references */

/**
 * __free_pages - Linux's name for pa_free_pages().
 * @page: the head page of a block from alloc_pages().
 * @order: the order it was allocated with.
 *
 * A bad free is reported by the library and changes nothing.
 * Context: as pa_free_pages().
 */
static inline void __free_pages(struct page *page, unsigned int order)
{
	(void)pa_free_pages(page, order);
}

/**
 * __free_page - free one page from alloc_page().
 * @page: the page.
 *
 * Context: as pa_free_pages().
 */
static inline void __free_page(struct page *page)
{
	__free_pages(page, 0);
}

/**
 * free_pages - free a block by its address from __get_free_pages().
 * @addr: the address, or 0 (then nothing happens).
 * @order: the order it was allocated with.
 *
 * Needs the kernel's pa_port_virt_to_phys().  An address that maps no
 * page is reported by the library as a bad free.
 * Context: as pa_free_pages().
 */
static inline void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page((const void *)(uintptr_t)addr), order);
}

/**
 * free_page - free one page by its address.
 * @addr: the address from __get_free_page(), or 0.
 *
 * Context: as pa_free_pages().
 */
static inline void free_page(unsigned long addr)
{
	free_pages(addr, 0);
}

/**
 * get_page - Linux's name for pa_get_page().
 * @page: the head page of an allocated block.
 *
 * Context: any.
 */
static inline void get_page(struct page *page)
{
	pa_get_page(page);
}

/**
 * put_page - Linux's name for pa_put_page(): the last reference frees.
 * @page: the head page of an allocated block.
 *
 * Context: as pa_put_page().
 */
static inline void put_page(struct page *page)
{
	(void)pa_put_page(page);
}

/**
 * page_count - Linux's name for pa_page_count().
 * @page: any page.
 *
 * Context: any.
 * Return: its reference count.
 */
static inline int page_count(const struct page *page)
{
	return pa_page_count(page);
}

/**
 * nr_free_pages - Linux's name for pa_nr_free_pages().
 *
 * Context: any.
 * Return: free pages in all zones.
 */
static inline unsigned long nr_free_pages(void)
{
	return pa_nr_free_pages();
}


#ifdef CONFIG_PA_MEMORY_ISOLATION
/* ------------------------------------------------------------ contiguous ranges */

/**
 * alloc_contig_range - Linux's name for pa_alloc_contig_range().
 * @start: first pfn.
 * @end: pfn after the last.
 * @migratetype: MIGRATE_MOVABLE, or MIGRATE_CMA inside a CMA area.
 * @gfp: flags for the migrate hook's destinations.
 *
 * Context: as pa_alloc_contig_range().
 * Return: 0, or a negative errno (Linux's values).
 */
static inline int alloc_contig_range(unsigned long start, unsigned long end,
				     unsigned int migratetype, gfp_t gfp)
{
	return pa_alloc_contig_range(start, end, (int)migratetype, gfp);
}

/**
 * alloc_contig_pages - Linux's name for pa_alloc_contig_pages().
 * @nr_pages: how many contiguous pages.
 * @gfp: zone, node and migrate-hook flags.
 * @nid: the preferred node, or NUMA_NO_NODE.
 * @nodemask: allowed nodes, or NULL.
 *
 * Context: as pa_alloc_contig_pages().
 * Return: the first page, or NULL.
 */
static inline struct page *alloc_contig_pages(unsigned long nr_pages, gfp_t gfp, int nid,
					      nodemask_t *nodemask)
{
	return pa_alloc_contig_pages(nr_pages, gfp, nid, nodemask);
}

/**
 * free_contig_range - Linux's name for pa_free_contig_range().
 * @pfn: first pfn.
 * @nr_pages: how many.
 *
 * A bad range is reported by the library (one log line) and frees nothing.
 * Context: any.
 */
static inline void free_contig_range(unsigned long pfn, unsigned long nr_pages)
{
	(void)pa_free_contig_range(pfn, nr_pages);
}
#endif /* CONFIG_PA_MEMORY_ISOLATION */

#ifdef CONFIG_PA_CMA
/**
 * cma_alloc - Linux's name for pa_cma_alloc().
 * @cma: the area (from pa_cma_declare() or pa_cma_reserve()).
 * @count: how many pages.
 * @align: the first pfn is a multiple of 2^@align.
 * @no_warn: no log line on failure.
 *
 * Context: sleepable.
 * Return: the first page, or NULL.
 */
static inline struct page *cma_alloc(struct pa_cma *cma, unsigned long count, unsigned int align,
				     bool no_warn)
{
	return pa_cma_alloc(cma, count, align, no_warn);
}

/**
 * cma_release - Linux's name for pa_cma_release().
 * @cma: the area.
 * @pages: the first page cma_alloc() returned.
 * @count: how many pages.
 *
 * Context: any.
 * Return: true when the pages were the area's and are freed.
 */
static inline bool cma_release(struct pa_cma *cma, const struct page *pages, unsigned long count)
{
	return pa_cma_release(cma, (struct page *)pages, count) == 0;
}
#endif /* CONFIG_PA_CMA */

#endif /* PAGEALLOC_LINUX_COMPAT_H */
