/* SPDX-License-Identifier: MIT */
/*
 * Allocating and freeing pages, reference counts, and conversions between
 * struct pa_page, page frame numbers and physical addresses.
 */
#ifndef PAGEALLOC_PAGE_H
#define PAGEALLOC_PAGE_H

#include <pagealloc/types.h>
#include <pagealloc/gfp.h>

/**
 * pa_alloc_pages - allocate 2^@order physically contiguous pages.
 * @gfp: allocation flags (PA_GFP_KERNEL, PA_GFP_ATOMIC, ...).
 * @order: 0..PA_MAX_PAGE_ORDER.
 *
 * pa_alloc_pages_nodemask() on the current CPU's node with no nodemask.
 * Its head page has a reference count of 1 and priv 0.
 * Context: any without PA__GFP_DIRECT_RECLAIM (takes zone locks with
 * interrupts disabled); sleepable with it (may call the reclaim, compaction
 * and OOM hooks of <pagealloc/port.h>).
 * Return: the head page, or NULL: out of memory (one rate-limited warning
 * unless PA__GFP_NOWARN), or an invalid argument (one log line: order too
 * large, bad flag combination, before pa_init()).
 */
struct pa_page *pa_alloc_pages(pa_gfp_t gfp, unsigned int order);

/**
 * pa_alloc_pages_node - allocate from a preferred node.
 * @nid: the node to try first, or PA_NUMA_NO_NODE for the current CPU's.
 * @gfp: allocation flags.
 * @order: 0..PA_MAX_PAGE_ORDER.
 *
 * Context: as pa_alloc_pages().
 * Return: as pa_alloc_pages(); NULL with a log line for a node that is out
 * of range or has neither memory nor CPUs.
 */
struct pa_page *pa_alloc_pages_node(int nid, pa_gfp_t gfp, unsigned int order);

/**
 * pa_alloc_pages_nodemask - the allocator proper (Linux's __alloc_pages()).
 * @gfp: allocation flags.
 * @order: 0..PA_MAX_PAGE_ORDER.
 * @nid: preferred node, or PA_NUMA_NO_NODE for the current CPU's; its
 *       zonelist gives the order in which zones are tried.
 * @nodemask: nodes the pages may come from, or NULL for all.
 *
 * The fast path walks the zonelist from the highest zone @gfp allows,
 * skipping zones outside @nodemask, and takes the first zone above its low
 * watermark; PA__GFP_THISNODE uses the node's own zones only.  The slow
 * path wakes kswapd, retries at the min watermark (with the reserves
 * @gfp grants), compacts, reclaims, retries and finally calls the OOM hook,
 * in Linux 6.12's order.  PA__GFP_NOFAIL with PA__GFP_DIRECT_RECLAIM never
 * returns NULL.
 * Context: as pa_alloc_pages().
 * Return: as pa_alloc_pages_node().
 */
struct pa_page *pa_alloc_pages_nodemask(pa_gfp_t gfp, unsigned int order, int nid,
					const pa_nodemask_t *nodemask);

/**
 * pa_free_pages - drop a reference to a block from pa_alloc_pages().
 * @page: its head page.
 * @order: the order it was allocated with.
 *
 * When the count reaches zero the block returns to the buddy lists,
 * merging with free buddies.  A page that is free, reserved, not the head
 * of an allocation, or freed with another order is reported as a bad page
 * (pfn, flags, reason) and left alone, never put on a free list.
 * Context: any; takes a zone lock with interrupts disabled.
 * Return: 0; -PA_EINVAL for a bad page (reported); -PA_EFAULT for NULL or a
 * pointer that is not a page of this allocator; -PA_ENODEV before pa_init().
 */
int pa_free_pages(struct pa_page *page, unsigned int order);

/**
 * pa_get_page - take an extra reference to an allocated page.
 * @page: the head page of an allocated block.
 *
 * NULL or a pointer that is not a page of this allocator is logged and
 * ignored; so is a page whose count is 0 (a free page), reported as a
 * bad page.
 * Context: any; lock-free.
 */
void pa_get_page(struct pa_page *page);

/**
 * pa_put_page - drop a reference; free the block when it was the last.
 * @page: the head page of an allocated block.
 *
 * Frees with the order the block was allocated with.
 * Context: any.
 * Return: 0; -PA_EINVAL for a bad page (reported); -PA_EFAULT for NULL or a
 * pointer that is not a page of this allocator; -PA_ENODEV before pa_init().
 */
int pa_put_page(struct pa_page *page);

/**
 * pa_page_count - the reference count of @page.
 * @page: any page.
 *
 * Context: any.
 * Return: the count (0 for free pages); -PA_EFAULT for NULL or a pointer
 * that is not a page of this allocator, -PA_ENODEV before pa_init() (each
 * logged).
 */
int pa_page_count(const struct pa_page *page);

/**
 * pa_pfn_valid - is there a struct pa_page for @pfn?
 * @pfn: a page frame number.
 *
 * True for every pfn inside a present memory section (holes inside one
 * have reserved struct pages).
 * Context: any, after pa_init().
 * Return: true if pa_pfn_to_page() may be called.
 */
bool pa_pfn_valid(unsigned long pfn);

/**
 * pa_pfn_to_page - the descriptor of page frame @pfn.
 * @pfn: a page frame number.
 *
 * O(1): two table loads.
 * Context: any, after pa_init().
 * Return: the page, or NULL when !pa_pfn_valid(@pfn).
 */
struct pa_page *pa_pfn_to_page(unsigned long pfn);

/*
 * What pa_page_to_pfn() and pa_page_to_phys() return for NULL or a pointer
 * that is not a struct page of this allocator (logged).  As pa_free_pages(),
 * the page accessors read the flags word of an aligned pointer first, so
 * all sizeof(struct pa_page) bytes there must be readable memory.
 */
#define PA_INVALID_PFN (~0UL)
#define PA_INVALID_PHYS ((pa_phys_t)~(pa_phys_t)0)

/**
 * pa_page_to_pfn - the page frame number of @page.
 * @page: a page from this allocator.
 *
 * O(1): the memory section is kept in the page's flags.
 * Context: any, after pa_init().
 * Return: its pfn; PA_INVALID_PFN, logged, for NULL or a pointer that is
 * not a page of this allocator.
 */
unsigned long pa_page_to_pfn(const struct pa_page *page);

/**
 * pa_page_to_phys - the physical address of @page.
 * @page: a page from this allocator.
 *
 * Context: any.
 * Return: pfn << PA_PAGE_SHIFT; PA_INVALID_PHYS, logged, for NULL or a
 * pointer that is not a page of this allocator.
 */
pa_phys_t pa_page_to_phys(const struct pa_page *page);

/**
 * pa_phys_to_page - the page containing physical address @pa.
 * @pa: any physical address.
 *
 * Context: any.
 * Return: the page, or NULL when no struct page exists there.
 */
struct pa_page *pa_phys_to_page(pa_phys_t pa);

/**
 * pa_page_zone_type - the zone a page belongs to.
 * @page: a page from this allocator.
 *
 * Context: any.
 * Return: its zone type; PA_MAX_NR_ZONES, logged, for NULL or a pointer
 * that is not a page of this allocator.
 */
enum pa_zone_type pa_page_zone_type(const struct pa_page *page);

/**
 * pa_page_to_nid - the node a page belongs to.
 * @page: a page from this allocator.
 *
 * Context: any.
 * Return: its node id; PA_NUMA_NO_NODE, logged, for NULL or a pointer that
 * is not a page of this allocator.
 */
int pa_page_to_nid(const struct pa_page *page);

#endif /* PAGEALLOC_PAGE_H */
