// SPDX-License-Identifier: MIT
/*
 * Weak defaults for the OPTIONAL port hooks of <pagealloc/port.h>: a kernel
 * without reclaim, compaction or an OOM killer links these and still gets
 * correct watermark behaviour and NULL on exhaustion.  A strong definition
 * in the kernel replaces any of them at link time; that the kswapd hook
 * was replaced tells the library the kernel runs kswapd.
 */
#include "internal.h"

#define PA_WEAK __attribute__((weak))

PA_WEAK void pa_port_parallel(void (*fn)(void *arg, unsigned int part), void *arg, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++)
		fn(arg, i);
}

PA_WEAK void pa_port_memmap_fill(struct pa_page *first, unsigned long nr,
				 const struct pa_page *tmpl)
{
	for (; nr; nr--)
		*first++ = *tmpl;
}

/*
 * The default pa_port_wake_kswapd(), under a name of its own, so that
 * pa_kswapd_present() can tell whether the kernel replaced it.
 */
static void kswapd_hook_default(int nid, unsigned int order, enum pa_zone_type highest_zoneidx)
{
	(void)nid;
	(void)order;
	(void)highest_zoneidx;
}

void pa_port_wake_kswapd(int nid, unsigned int order, enum pa_zone_type highest_zoneidx)
	__attribute__((weak, alias("kswapd_hook_default")));

PA_WEAK unsigned long pa_port_direct_reclaim(int nid, unsigned int order, pa_gfp_t gfp)
{
	(void)nid;
	(void)order;
	(void)gfp;
	return 0;
}

PA_WEAK unsigned long pa_port_kswapd_reclaim(int nid, unsigned long nr_pages,
					     enum pa_zone_type highest_zoneidx)
{
	(void)nid;
	(void)nr_pages;
	(void)highest_zoneidx;
	return 0;
}

PA_WEAK unsigned long pa_port_reclaimable_pages(int nid, enum pa_zone_type zone)
{
	(void)nid;
	(void)zone;
	return 0;
}

PA_WEAK bool pa_port_compact(int nid, unsigned int order, pa_gfp_t gfp, int prio)
{
	(void)nid;
	(void)order;
	(void)gfp;
	(void)prio;
	return false;
}

PA_WEAK bool pa_port_out_of_memory(unsigned int order, pa_gfp_t gfp)
{
	(void)order;
	(void)gfp;
	return false;
}

PA_WEAK int pa_port_node_reclaim(int nid, unsigned int order, pa_gfp_t gfp)
{
	(void)nid;
	(void)order;
	(void)gfp;
	return 0;
}

PA_WEAK void pa_port_wake_kcompactd(int nid, unsigned int order,
				    enum pa_zone_type highest_zoneidx)
{
	(void)nid, (void)order, (void)highest_zoneidx;
}

PA_WEAK bool pa_port_node_dirty_ok(int nid)
{
	(void)nid;
	return true;
}

PA_WEAK int pa_port_migrate_page(struct pa_page *src, struct pa_page *dst, unsigned int order)
{
	(void)src;
	(void)dst;
	(void)order;
	return -PA_EOPNOTSUPP;
}

PA_WEAK void pa_port_trace(const struct pa_trace_event *ev)
{
	(void)ev;
}

/*
 * The linker resolves pa_port_wake_kswapd to the kernel's hook, or to the
 * weak alias of kswapd_hook_default().  The address is compared as
 * the linker left it: a compiler may fold a comparison of two distinct
 * functions to "different" (clang does), so the pointer is laundered
 * through an empty asm first.
 */
bool pa_kswapd_present(void)
{
	void (*hook)(int, unsigned int, enum pa_zone_type) = pa_port_wake_kswapd;

	__asm__("" : "+r"(hook));
	return hook != kswapd_hook_default;
}
