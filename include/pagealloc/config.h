/* SPDX-License-Identifier: MIT */
/*
 * Build configuration: the Kconfig-generated macros plus the constants
 * derived from them.  Every other header includes this one.
 */
#ifndef PAGEALLOC_CONFIG_H
#define PAGEALLOC_CONFIG_H

#include <pagealloc/autoconf.h>

/*
 * IS_ENABLED(CONFIG_PA_FOO) - 1 if the bool option is set, else 0, usable
 * in ordinary C expressions so both branches are always compiled.
 * A set option is defined to 1; pasting it onto __PA_ARG_PLACEHOLDER_
 * yields "0," which shifts a 1 into the second argument slot.
 */
#define __PA_ARG_PLACEHOLDER_1 0,
#define __pa_take_second(ignored, val, ...) val
#define __pa_is_defined3(arg_or_junk) __pa_take_second(arg_or_junk 1, 0, 0)
#define __pa_is_defined2(val) __pa_is_defined3(__PA_ARG_PLACEHOLDER_##val)
#define __pa_is_defined(x) __pa_is_defined2(x)
#ifndef IS_ENABLED
#define IS_ENABLED(option) __pa_is_defined(option)
#endif
#define PA_IS_ENABLED(option) __pa_is_defined(option)

#define __PA_STR(x) #x
#define PA_STR(x) __PA_STR(x)

#define PA_PAGE_SHIFT CONFIG_PA_PAGE_SHIFT
#define PA_PAGE_SIZE (1UL << PA_PAGE_SHIFT)
#define PA_MAX_PAGE_ORDER CONFIG_PA_MAX_PAGE_ORDER
#define PA_NR_PAGE_ORDERS (PA_MAX_PAGE_ORDER + 1)
#define PA_MAX_ORDER_NR_PAGES (1UL << PA_MAX_PAGE_ORDER)
#define PA_NR_CPUS CONFIG_PA_NR_CPUS

/* Order of a PMD mapping: one page-table page of 8-byte entries. */
#define PA_PMD_ORDER (PA_PAGE_SHIFT - 3)
#if CONFIG_PA_PAGEBLOCK_ORDER != 0
#define PA_PAGEBLOCK_ORDER CONFIG_PA_PAGEBLOCK_ORDER
#elif PA_PMD_ORDER < PA_MAX_PAGE_ORDER
#define PA_PAGEBLOCK_ORDER PA_PMD_ORDER
#else
#define PA_PAGEBLOCK_ORDER PA_MAX_PAGE_ORDER
#endif
#define PA_PAGEBLOCK_NR_PAGES (1UL << PA_PAGEBLOCK_ORDER)
#if PA_PAGEBLOCK_ORDER > PA_MAX_PAGE_ORDER
#error "CONFIG_PA_PAGEBLOCK_ORDER must not exceed CONFIG_PA_MAX_PAGE_ORDER"
#endif

#ifdef CONFIG_PA_NUMA
#define PA_NODES_SHIFT CONFIG_PA_NODES_SHIFT
#else
#define PA_NODES_SHIFT 0
#endif
#define PA_MAX_NUMNODES (1 << PA_NODES_SHIFT)
#define PA_NUMA_NO_NODE (-1)

/* Orders up to this one are "cheap" (Linux's PAGE_ALLOC_COSTLY_ORDER). */
#define PA_PAGE_ALLOC_COSTLY_ORDER 3

/*
 * Memory sections: the granule at which struct pages exist.  As Linux on
 * arm64: 128 MiB with 4K and 16K pages, 512 MiB with 64K pages.  A block
 * of the largest order always lies inside one section.
 */
#if PA_PAGE_SHIFT == 16
#define PA_SECTION_SIZE_BITS 29
#else
#define PA_SECTION_SIZE_BITS 27
#endif
#define PA_PFN_SECTION_SHIFT (PA_SECTION_SIZE_BITS - PA_PAGE_SHIFT)
#define PA_PAGES_PER_SECTION (1UL << PA_PFN_SECTION_SHIFT)
#if PA_MAX_PAGE_ORDER > PA_PFN_SECTION_SHIFT
#error "CONFIG_PA_MAX_PAGE_ORDER: a largest-order block must fit in a section"
#endif

#endif /* PAGEALLOC_CONFIG_H */
