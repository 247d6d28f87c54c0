/* SPDX-License-Identifier: MIT */
/*
 * Boot-time API, in the manner of Linux's memblock: describe memory, reserve
 * what is in use, take early allocations, set the zone limits, then call
 * pa_init() once to build the zones and free every unreserved page into
 * the buddy lists.
 *
 * All of these run on the boot CPU before any allocation (context "boot"),
 * take no lock and are not reentrant.  Each returns 0 or a negative
 * PA_E* code and logs one line on error; a failed call changes nothing.
 */
#ifndef PAGEALLOC_INIT_H
#define PAGEALLOC_INIT_H

#include <pagealloc/types.h>

/**
 * pa_memblock_add - declare a range of RAM.
 * @base: physical start; must be page aligned.
 * @size: length in bytes; must be a non-zero multiple of the page size.
 * @nid: node the memory belongs to (0 without NUMA).
 *
 * A range adjacent to an existing one of the same node is merged with it.
 * Context: boot, before pa_init().
 * Return: 0; -PA_EINVAL unaligned, empty or wrapping past the top of the
 * address space; -PA_EEXIST overlaps memory already added; -PA_ENOENT bad node; -PA_ERANGE above pa_max_phys_addr();
 * -PA_ENOSPC region table full; -PA_EBUSY after pa_init().
 */
int pa_memblock_add(pa_phys_t base, pa_phys_t size, int nid);

/**
 * pa_memblock_reserve - mark a range as in use (kernel image, DTB, firmware).
 * @base: physical start; need not be aligned.
 * @size: length in bytes, non-zero.
 *
 * Every page the range touches is kept out of the buddy allocator.
 * Reservations may overlap each other and may lie outside memory (then
 * they have no effect), as in Linux.
 * Context: boot, before pa_init().
 * Return: 0; -PA_EINVAL empty or wrapping range; -PA_ENOSPC table full;
 * -PA_EBUSY after pa_init().
 */
int pa_memblock_reserve(pa_phys_t base, pa_phys_t size);

/**
 * pa_memblock_alloc - allocate boot memory before the buddy allocator exists.
 * @size: bytes wanted, non-zero.
 * @align: alignment, a power of two (0 means the page size).
 * @nid: node to take it from, or PA_NUMA_NO_NODE for any.  When the node
 *       has no room, other nodes are tried.
 * @pa: on success, the physical address of the block.
 *
 * The block is reserved, so it is never handed out by the buddy
 * allocator.  Allocation is top-down (highest free address first), as in
 * Linux.  The memory is not cleared.
 * Context: boot, before pa_init().
 * Return: 0; -PA_EINVAL bad size or alignment; -PA_ENOENT bad node;
 * -PA_ENOMEM no free range fits; -PA_EBUSY after pa_init().
 */
int pa_memblock_alloc(pa_phys_t size, pa_phys_t align, int nid, pa_phys_t *pa);

/**
 * pa_set_zone_limit - set where a low zone ends.
 * @zone: PA_ZONE_DMA or PA_ZONE_DMA32.
 * @limit: the first physical address above the zone, page aligned.
 *
 * A zone whose limit is never set is empty.  ZONE_NORMAL takes everything
 * above the highest limit.  DMA's limit may not exceed DMA32's.
 * Context: boot, before pa_init().
 * Return: 0; -PA_EINVAL bad zone, unaligned or zero limit, or limits out of
 * order; -PA_EBUSY after pa_init().
 */
int pa_set_zone_limit(enum pa_zone_type zone, pa_phys_t limit);

/**
 * pa_set_kernelcore - carve ZONE_MOVABLE: keep @size bytes for kernel use.
 * @size: memory that stays in the non-movable zones (Linux's kernelcore=),
 *        spread evenly over the nodes; the rest becomes ZONE_MOVABLE.
 *
 * Combined with pa_set_movablecore() the larger kernel portion wins, as
 * in Linux.
 * Context: boot, before pa_init().
 * Return: 0; -PA_EINVAL zero; -PA_EBUSY after pa_init().
 */
int pa_set_kernelcore(pa_phys_t size);

/**
 * pa_set_movablecore - carve ZONE_MOVABLE of about @size bytes.
 * @size: memory for ZONE_MOVABLE (Linux's movablecore=), rounded up to a
 *        largest-order block.
 *
 * Context: boot, before pa_init().
 * Return: 0; -PA_EINVAL zero; -PA_EBUSY after pa_init().
 */
int pa_set_movablecore(pa_phys_t size);

/**
 * pa_set_nr_cpus - declare how many CPUs will call the allocator.
 * @nr: CPUs 0..@nr-1 exist; at most CONFIG_PA_NR_CPUS.  Default 1.
 *
 * Every id pa_port_cpu_id() returns must be below @nr (Linux's
 * nr_cpu_ids): a kernel that does not yet know which CPUs will come up
 * gives the most it supports, and brings the absent ones down with
 * pa_cpu_offline() if it likes.  Without NUMA description all CPUs
 * belong to node 0.
 * Context: boot, before pa_init().
 * Return: 0; -PA_EINVAL zero or too many; -PA_EBUSY after pa_init().
 */
int pa_set_nr_cpus(unsigned int nr);

/**
 * pa_nr_cpus - the CPU count in effect.
 *
 * Context: any.
 * Return: the count given to pa_set_nr_cpus(), 1 until it is called.
 */
unsigned int pa_nr_cpus(void);

/**
 * pa_numa_set_cpus - attach CPUs @first..@last to node @nid.
 * @nid: a node below PA_MAX_NUMNODES.
 * @first: first CPU id.
 * @last: last CPU id (inclusive).
 *
 * Context: boot, before pa_init().
 * Return: 0; -PA_ENOENT bad node; -PA_EINVAL bad CPU range;
 * -PA_EBUSY after pa_init().
 */
int pa_numa_set_cpus(int nid, unsigned int first, unsigned int last);

/**
 * pa_numa_set_distance - set the distance from node @from to node @to.
 * @from: a node.
 * @to: a node.
 * @distance: 10 for local (Linux's LOCAL_DISTANCE), larger for remote,
 *            at most 255.
 *
 * Unset distances default to 10 for a node to itself and 20 otherwise.
 * Context: boot, before pa_init().
 * Return: 0; -PA_ENOENT bad node; -PA_ERANGE bad distance (a node's
 * distance to itself must be 10, to another node more than 10);
 * -PA_EBUSY after pa_init().
 */
int pa_numa_set_distance(int from, int to, unsigned int distance);

/**
 * pa_memmap_size - bytes of metadata pa_init() needs for the memory so far.
 *
 * The struct pa_page arrays and section tables for every present memory
 * section, and (CONFIG_PA_PCP) each node's per-CPU page sets, which depend
 * on pa_set_nr_cpus(): call it after that.  Use it to size the buffer for
 * pa_set_memmap().
 * Context: boot, before pa_init().
 * Return: a byte count (0 with no memory added).
 */
size_t pa_memmap_size(void);

/**
 * pa_set_memmap - place the metadata in a caller-provided buffer.
 * @buf: virtual address of the buffer, 64-byte aligned; outside the
 *       memory handed to the allocator (or reserved by the caller).
 * @size: its size; at least pa_memmap_size() when pa_init() runs.
 *
 * Without this call pa_init() carves the metadata from memory with
 * pa_memblock_alloc() on each section's own node, and those pages count
 * as reserved (they are not managed).
 * Context: boot, before pa_init().
 * Return: 0; -PA_EINVAL NULL or misaligned buffer; -PA_EBUSY after
 * pa_init().
 */
int pa_set_memmap(void *buf, size_t size);

/**
 * pa_init - build nodes, zones and mem_map; free all unreserved memory.
 *
 * Computes the zone ranges per node (spanned, present, managed), lays out
 * struct pa_page for every present section, marks reserved pages, and frees
 * every other page into the buddy lists in the largest aligned blocks, as
 * Linux's free_area_init() followed by memblock_free_all().  The managed
 * pages themselves are never read or written.
 * Context: boot, once.
 * Return: 0; -PA_EBUSY called twice; -PA_EINVAL no memory; -PA_ENOSPC
 * pa_set_memmap() buffer too small; -PA_ENOMEM no room for the metadata.
 */
int pa_init(void);

/**
 * pa_is_initialized - has pa_init() completed?
 *
 * Context: any.
 * Return: true after a successful pa_init().
 */
bool pa_is_initialized(void);

/**
 * pa_reset - forget every boot-time and run-time state.
 *
 * For hosted test harnesses and simulators that build many machines in one
 * process: after it the library is as before the first pa_memblock_add().
 * Pages handed out earlier become invalid.  Metadata in a pa_set_memmap()
 * buffer is not touched.
 * Context: boot; no other CPU may be inside the allocator.
 */
void pa_reset(void);

/**
 * pa_max_phys_addr - the highest physical address + 1 the build supports.
 *
 * struct pa_page keeps its memory-section number in its flags word; fewer
 * bits are left for it with more NUMA nodes (CONFIG_PA_NODES_SHIFT).
 * Context: any.
 * Return: the limit in bytes.
 */
pa_phys_t pa_max_phys_addr(void);

#endif /* PAGEALLOC_INIT_H */
