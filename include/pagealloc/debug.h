/* SPDX-License-Identifier: MIT */
/*
 * Debugging aids: page poisoning and page_owner.
 *
 * CONFIG_PA_PAGE_POISONING fills every block freed through pa_free_pages()
 * or pa_put_page() with PA_PAGE_POISON through pa_port_phys_to_virt() and
 * checks the pattern when the block is handed out again (per-CPU and buddy
 * paths alike).  A mismatch is a write after free: it is logged as one line
 * "pagealloc: memory corruption at pfn:..." (or "single bit error" when one
 * bit of one byte flipped) naming the first changed offset and byte, and
 * counted; as in Linux the page is handed out all the same.  Pages never
 * allocated since pa_init() are not poisoned (the allocator does not touch
 * memory it has not handed out), so they are not checked either.
 *
 * CONFIG_PA_PAGE_OWNER records, for the head page of every block, the
 * allocation site (the return address of the pa_alloc_pages*() call), its
 * order and GFP mask, an allocation sequence number, and the site of the
 * last free.  Bad-page reports then name both sites, and
 * pa_print_page_owner() lists every allocated block, after Linux's
 * /sys/kernel/debug/page_owner.
 */
#ifndef PAGEALLOC_DEBUG_H
#define PAGEALLOC_DEBUG_H

#include <pagealloc/types.h>
#include <pagealloc/gfp.h>
#include <pagealloc/info.h>

/* The byte freed pages are filled with (Linux's PAGE_POISON). */
#define PA_PAGE_POISON 0xaa

/**
 * struct pa_debug_counts - what the debugging checks found since pa_init().
 * @bad_pages: bad-page reports (bad frees; always counted).
 * @poison_errors: pages whose poison was found changed on allocation
 *                 (0 without CONFIG_PA_PAGE_POISONING).
 */
struct pa_debug_counts {
	unsigned long bad_pages;
	unsigned long poison_errors;
};

/**
 * pa_debug_get_counts - read the debugging counters.
 * @out: filled on success.
 *
 * Context: any; lock-free.
 * Return: 0; -PA_ENODEV before pa_init(); -PA_EINVAL for a NULL @out.
 */
int pa_debug_get_counts(struct pa_debug_counts *out);

/**
 * struct pa_page_owner_info - the page_owner record of a block's head page.
 * @alloc_site: return address of the pa_alloc_pages*() call (or the
 *              contiguous-range / CMA call) that last allocated the block
 *              (0: never allocated since pa_init()).
 * @free_site: return address of the pa_free_pages()/pa_put_page() (or
 *             range) call that dropped the last reference and freed it
 *             (0: never freed).
 * @seq: allocation sequence number, 1 for the first allocation after
 *       pa_init() (stands in for Linux's timestamp).
 * @gfp: the GFP mask of that allocation.
 * @order: its order.
 * @allocated: the page is the head of a block that is allocated now.
 */
struct pa_page_owner_info {
	uintptr_t alloc_site;
	uintptr_t free_site;
	unsigned long long seq;
	pa_gfp_t gfp;
	unsigned int order;
	bool allocated;
};

/**
 * pa_page_owner_get - the page_owner record of @page.
 * @page: a page of this allocator (head of a block for meaningful data).
 * @out: filled on success.
 *
 * Context: any; lock-free (a snapshot: fields may change under the caller
 * on other CPUs).
 * Return: 0; -PA_EOPNOTSUPP without CONFIG_PA_PAGE_OWNER; -PA_ENODEV before
 * pa_init(); -PA_EFAULT when @page is not a page of this allocator;
 * -PA_EINVAL for a NULL @out.  Each error logs one line.
 */
int pa_page_owner_get(const struct pa_page *page, struct pa_page_owner_info *out);

/**
 * pa_print_page_owner - write every allocated block's owner record.
 * @fn: output sink.
 * @ctx: passed to @fn.
 *
 * In pfn order, one entry per allocated block, in the format of Linux 6.12's
 * /sys/kernel/debug/page_owner with what the library knows (no pid, no
 * stack; the allocation site stands for the stack, the sequence number for
 * the timestamp):
 *   Page allocated via order 0, mask 0xcc0(GFP_KERNEL), seq 12
 *   PFN 0x40123 type Unmovable Block 512 type Unmovable Flags 0x...(head)
 *    [<0x55d0c0a01234>]
 *   (empty line)
 *
 * Context: any; lock-free, so blocks allocated or freed meanwhile may or
 * may not appear.
 * Return: 0; -PA_EOPNOTSUPP without CONFIG_PA_PAGE_OWNER; -PA_ENODEV before
 * pa_init(); -PA_EINVAL NULL @fn.  Each error logs one line.
 */
int pa_print_page_owner(pa_print_fn fn, void *ctx);

#endif /* PAGEALLOC_DEBUG_H */
