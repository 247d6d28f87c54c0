/* SPDX-License-Identifier: MIT */
/*
 * The platform boundary: every function the library needs from the
 * environment it runs in.  A port (arch/arm64, arch/riscv64, arch/host, or
 * your kernel) defines each REQUIRED hook below as an ordinary function;
 * the library calls them directly, nothing is registered at run time.
 * The OPTIONAL hooks have weak defaults in libpagealloc.a; define one in
 * your kernel to replace it.
 *
 * Contexts used below:
 *   boot     - the single-threaded boot CPU, before and during pa_init().
 *   any      - any CPU, process or interrupt context, any lock held.
 *   sleepable- a context that may block (only reached for allocations with
 *              PA__GFP_DIRECT_RECLAIM); no allocator lock is held.
 *
 * The library never holds a zone lock while calling an OPTIONAL hook, so a
 * hook may itself allocate or free pages.
 *
 * Linking: define the hooks in object files that the kernel links
 * directly (or link their archive with --whole-archive).  A hook inside
 * an archive that comes after libpagealloc.a is never pulled in for an
 * OPTIONAL hook: the library's weak default already satisfies the
 * reference by then, and the linker does not look further.
 *
 * Besides the hooks, the library calls memcpy(), memset() and memmove()
 * (below), and nothing from libgcc or compiler-rt: make check proves it
 * with nm for each target it builds.
 */
#ifndef PAGEALLOC_PORT_H
#define PAGEALLOC_PORT_H

#include <pagealloc/types.h>
#include <pagealloc/trace.h>

/**
 * typedef pa_spinlock_t - storage for one port spinlock.
 *
 * Opaque to the library, which only hands its address to the lock hooks:
 * CONFIG_PA_SPINLOCK_SIZE bytes (8 by default), 8-byte aligned, for the
 * port to keep its own lock in.  A port _Static_asserts that its lock
 * fits and casts (a kernel whose lock is larger sets the option to its
 * size), or keeps a pointer to a lock of its own here.  Zero-filled
 * storage is not a valid lock until pa_port_spin_init().
 */
typedef struct pa_spinlock {
	_Alignas(8) uint32_t opaque[CONFIG_PA_SPINLOCK_SIZE / 4];
} pa_spinlock_t;
_Static_assert(CONFIG_PA_SPINLOCK_SIZE % 8 == 0, "pa_spinlock_t is whole 8-byte words");

/*
 * The C library functions the library calls, as the compiler does for
 * struct copies and zeroing in any freestanding code: the kernel provides
 * them with the C standard's prototypes, size_t lengths included (not
 * declared here, so that a kernel's own declarations never clash):
 *   void *memcpy(void *dst, const void *src, size_t n);
 *   void *memset(void *dst, int c, size_t n);
 *   void *memmove(void *dst, const void *src, size_t n);
 * A kernel whose own take another length type adds these three as
 * wrappers under these names.
 */

/* ---------------------------------------------------------------- REQUIRED */

/*
 * The fast paths' hooks (the interrupt pair, the CPU id, and optionally
 * the lock pair): ordinary functions, or with CONFIG_PA_PORT_INLINE static
 * inline functions of the port's header <pa_port_inline.h> (on the
 * include path, as Linux's <asm/irqflags.h>), with the same names and
 * contracts.  The header may define PA_PORT_INLINE_SPINLOCK and give the
 * lock pair too (the buddy fast paths take the zone lock once per call),
 * and PA_ARCH_LOCAL_OPS with the single-writer updates of src/local_ops.h.
 * A port writes each of them once, in that header, each marked
 * PA_PORT_FAST (static inline unless the includer defines it): its port.c
 * defines PA_PORT_FAST empty and includes the header to get the ordinary
 * functions when the option is off (arch/host, arch/arm64).
 */
#ifdef CONFIG_PA_PORT_INLINE
#include <pa_port_inline.h>
#endif

/**
 * pa_port_spin_init - prepare a lock for use.
 * @lock: storage inside a library structure.
 *
 * Context: boot.  Called once per zone lock at pa_init().
 */
void pa_port_spin_init(pa_spinlock_t *lock);

#ifndef PA_PORT_INLINE_SPINLOCK
/**
 * pa_port_spin_lock_irqsave - disable local interrupts, then take @lock.
 * @lock: a lock set up with pa_port_spin_init().
 *
 * Must give acquire ordering, spin (never sleep) and be safe against the
 * same lock being taken from an interrupt handler on another CPU.  Locks
 * are not recursive; the library never takes one lock twice.
 *
 * Context: any.
 * Return: the previous interrupt state, which the library only hands back
 * to pa_port_spin_unlock_irqrestore(), unread: a port without such a value
 * (one that counts nested disables) returns anything.
 */
unsigned long pa_port_spin_lock_irqsave(pa_spinlock_t *lock);

/**
 * pa_port_spin_unlock_irqrestore - release @lock, then restore interrupts.
 * @lock: a lock held by this CPU.
 * @flags: the value its pa_port_spin_lock_irqsave() returned.
 *
 * Must give release ordering.  Calls pair up in last-in, first-out order
 * on a CPU, as Linux's spin_lock_irqsave() does.
 * Context: any, with @lock held.
 */
void pa_port_spin_unlock_irqrestore(pa_spinlock_t *lock, unsigned long flags);
#endif

#ifndef CONFIG_PA_PORT_INLINE
/**
 * pa_port_irq_save - disable interrupts on this CPU.
 *
 * Protects per-CPU data (page sets, counters) against an interrupt handler
 * on the same CPU that allocates or frees.  Must be cheap: it is on the
 * per-CPU fast path.  Also acts as a compiler barrier.  A port whose
 * allocator is never called from interrupt context may return 0 and
 * do nothing but the barrier, as arch/host does.
 *
 * Context: any.
 * Return: the previous interrupt state: opaque, only handed back to
 * pa_port_irq_restore(), in last-in, first-out order (a kernel that
 * counts nested disables, as xv6's push_off()/pop_off(), returns 0).
 */
unsigned long pa_port_irq_save(void);

/**
 * pa_port_irq_restore - restore the interrupt state saved by
 * pa_port_irq_save().
 * @flags: its return value.
 *
 * Context: any.
 */
void pa_port_irq_restore(unsigned long flags);

/**
 * pa_port_cpu_id - the id of the CPU running the caller.
 *
 * Must be below the count given to pa_set_nr_cpus() (pa_nr_cpus(), at
 * most CONFIG_PA_NR_CPUS), and no two contexts that can run the
 * allocator at the same time may return the same id: ids 0..n-1 for the
 * CPUs, as Linux's smp_processor_id() (not a hardware id such as MPIDR or
 * a hart id).  Called with interrupts disabled on the per-CPU path, so the
 * answer cannot change under the caller there; elsewhere (the node of an
 * allocation, per-CPU counters written under a zone lock) a stale answer
 * is harmless.  An id out of range is a port bug: with
 * CONFIG_PA_DEBUG_VM every use panics with the id and the count; without
 * it, an id below CONFIG_PA_NR_CPUS makes allocations fail with one log
 * line each, and frees go to the buddy lists (the first one on that id
 * says so in one line); a larger one is
 * not checked on the fast paths (it indexes a table of
 * CONFIG_PA_NR_CPUS rows).
 *
 * Context: any.
 * Return: the current CPU id.
 */
unsigned int pa_port_cpu_id(void);
#endif /* !CONFIG_PA_PORT_INLINE */

/**
 * pa_port_panic - stop: an internal invariant of the allocator is broken.
 * @msg: one line saying what, without a newline.
 *
 * Only reached through an internal consistency check (CONFIG_PA_DEBUG_VM)
 * or a memory corruption; never for bad input from a caller, which gets
 * an error code instead.  Must not return.
 *
 * Context: any, possibly with a zone lock held.
 */
_Noreturn void pa_port_panic(const char *msg);

/**
 * pa_port_log - print one line of the allocator's log.
 * @level: a Linux console level, PA_LOG_ERR (3) .. PA_LOG_DEBUG (7).
 * @line: the text, NUL-terminated, without a trailing newline.
 *
 * Errors from bad input produce exactly one call.  The port adds its own
 * prefix and newline.  Must not allocate pages through this library.
 *
 * Context: any, possibly with a zone lock held.
 */
void pa_port_log(int level, const char *line);

/**
 * pa_port_phys_to_virt - a CPU pointer to physical memory.
 * @pa: physical address inside a range given to pa_memblock_add().
 * @size: number of bytes the library will access from @pa.
 *
 * The library uses it for the metadata it carves from memory (mem_map and
 * section tables) and, with CONFIG_PA_PAGE_POISONING, for page contents.
 * It never asks for a range that crosses a 1 GiB-aligned boundary.  A
 * kernel with an identity map returns (void *)pa; one with a linear map
 * adds its offset; the host port backs the address on demand.
 *
 * Context: boot (metadata) or any (poisoning).
 * Return: a pointer valid for @size bytes.
 */
void *pa_port_phys_to_virt(pa_phys_t pa, size_t size);

/**
 * pa_port_remote_barrier - make every other CPU execute a full memory barrier.
 *
 * Required with CONFIG_PA_PCP_REMOTE_BARRIER (off by default) only.
 * Must not return before
 * each CPU that may be running the library has executed a full barrier
 * (store-load included) after this call began, or has passed through
 * something that implies one (an interrupt, a context switch).  A kernel
 * sends an IPI to the other online CPUs and waits for each handler, which
 * runs one barrier instruction (Linux's membarrier() does this for a
 * process's threads, and is what the host port calls).  It lets a CPU take
 * its own per-CPU set with no fence at all (pa_pcp_trylock()).
 *
 * Context: interrupts enabled, no zone lock held: the library calls it
 * only from the calls that need process context in every configuration
 * (draining another CPU's sets, pa_check()); may wait for other CPUs.
 */
void pa_port_remote_barrier(void);

/* ---------------------------------------------------------------- OPTIONAL */

/**
 * pa_port_parallel - run @fn for parts 0..@nr-1, concurrently if possible.
 * @fn: called once as fn(@arg, part) for each part; the parts write
 *      disjoint memory and take no lock.
 * @arg: passed through.
 * @nr: number of parts, at most the CPU count given to pa_set_nr_cpus().
 *
 * pa_init() writes mem_map (32 bytes per page, bound by memory bandwidth)
 * in parts of at least 512 MiB of memory each, one per CPU, through this
 * hook, as Linux spreads deferred struct page init over a node's CPUs
 * (padata_do_multithreaded()).  A kernel whose other CPUs (or threads)
 * can run at boot runs the parts on them and returns when all are done.
 * Default: the parts one after another on the calling CPU.
 * Context: boot.
 */
void pa_port_parallel(void (*fn)(void *arg, unsigned int part), void *arg, unsigned int nr);

/**
 * pa_port_memmap_fill - write @nr copies of the struct page *@tmpl from @first.
 * @first: a struct page of mem_map, the first of @nr in a row.
 * @nr: how many to write.
 * @tmpl: the value each gets.
 *
 * pa_init() writes every struct page once through this hook, a row at a
 * time, and reads few of them back soon: 32 bytes a page of memory, bound
 * by memory bandwidth.  A port may use stores that bypass the cache (no
 * read for ownership: x86's MOVNTI, arm64's STNP) as long as they are
 * ordered (SFENCE, DMB) before it returns.
 * Default: a plain loop of struct assignments.
 * Context: boot; from several CPUs at once for disjoint rows when
 * pa_port_parallel() runs the parts concurrently.
 */
void pa_port_memmap_fill(struct pa_page *first, unsigned long nr, const struct pa_page *tmpl);

/**
 * pa_port_wake_kswapd - ask the kernel's kswapd for @nid to run.
 * @nid: the node whose zones are below their low watermark, or boosted.
 * @order: the order of the allocation that noticed.
 * @highest_zoneidx: the highest zone that allocation may use.
 *
 * The kernel's kswapd thread then calls pa_kswapd_balance().  Must not
 * block.  Defining this hook is how a kernel says it runs kswapd.
 * Default: no kswapd.  The watermark boost a fallback into another
 * pageblock type would add (Linux's boost_watermark()) is then not
 * applied, since only kswapd's reclaim takes it back; the allocator then
 * fails at the min watermark, as Linux does with its kswapd running.
 * Context: any, no allocator lock held.
 */
void pa_port_wake_kswapd(int nid, unsigned int order, enum pa_zone_type highest_zoneidx);

/**
 * pa_port_wake_kcompactd - ask the kernel's kcompactd for @nid to run.
 * @nid: the node.
 * @order: the order kswapd balanced for (above 0).
 * @highest_zoneidx: the highest zone of that request.
 *
 * kswapd calls it after balancing a node for a high order, as Linux's
 * wakeup_kcompactd() (CONFIG_PA_COMPACTION).  The kernel's kcompactd
 * thread then calls pa_kcompactd_run(); it also wakes every 500 ms and
 * runs when pa_kcompactd_should_run() says so (proactive compaction).
 * Must not block.  Default: nothing (no background compaction).
 * Context: any, no allocator lock held.
 */
void pa_port_wake_kcompactd(int nid, unsigned int order, enum pa_zone_type highest_zoneidx);

/**
 * pa_port_direct_reclaim - free memory synchronously for an allocation.
 * @nid: the preferred node of the allocation.
 * @order: its order.
 * @gfp: its flags (include PA__GFP_DIRECT_RECLAIM).
 *
 * Called by the slow path of an allocation that may block, after the
 * attempt at the min watermark failed.  The pages it frees go back through
 * pa_free_pages().  Default: reclaims nothing.
 * Context: sleepable.
 * Return: the number of pages reclaimed (0: no progress).
 */
unsigned long pa_port_direct_reclaim(int nid, unsigned int order, pa_gfp_t gfp);

/**
 * pa_port_kswapd_reclaim - background reclaim for pa_kswapd_balance().
 * @nid: the node being balanced.
 * @nr_pages: the pass's target, Linux's kswapd_shrink_node(): the sum of
 *            the high watermarks (boost included) of the node's zones up
 *            to @highest_zoneidx, each at least 32 (SWAP_CLUSTER_MAX).
 * @highest_zoneidx: reclaim pages of zones up to this type only (Linux's
 *                   reclaim_idx): pages of higher zones would not help.
 *
 * Called once per pass of pa_kswapd_balance().
 * Default: reclaims nothing.
 * Context: the kernel's kswapd thread (the caller of pa_kswapd_balance()).
 * Return: the number of pages reclaimed (0: nothing left to reclaim).
 */
unsigned long pa_port_kswapd_reclaim(int nid, unsigned long nr_pages,
				     enum pa_zone_type highest_zoneidx);

/**
 * pa_port_reclaimable_pages - pages reclaim could still free in a zone.
 * @nid: node.
 * @zone: zone type.
 *
 * Linux's zone_reclaimable_pages(): the slow path keeps retrying reclaim
 * while free plus reclaimable pages would pass a zone's min watermark, and
 * goes to the OOM hook when no zone could.  Default: 0.
 * Context: sleepable.
 * Return: a page count.
 */
unsigned long pa_port_reclaimable_pages(int nid, enum pa_zone_type zone);

/**
 * pa_port_compact - compact memory so a block of @order becomes free
 *                   (CONFIG_PA_COMPACTION=n: the kernel's own compaction).
 * @nid: the preferred node.
 * @order: the wanted order (> 0).
 * @gfp: the allocation's flags.
 * @prio: 0 = most thorough .. 2 = lightest (Linux's compact_priority).
 *
 * Called for orders above 0 when some zone of the allocation's zonelist is
 * pa_compaction_suitable(); first at priority 2 (costly orders and
 * non-movable ones, before reclaim), then after each reclaim, lowering
 * @prio when it does not help.  Default: does nothing.
 * Context: sleepable.
 * Return: true if it made progress (pages were migrated).
 */
bool pa_port_compact(int nid, unsigned int order, pa_gfp_t gfp, int prio);

/**
 * pa_port_out_of_memory - the allocation cannot be satisfied: kill something.
 * @order: the failing order.
 * @gfp: the allocation's flags.
 *
 * Called once reclaim made no progress, for orders up to
 * PA_PAGE_ALLOC_COSTLY_ORDER, without PA__GFP_RETRY_MAYFAIL or
 * PA__GFP_THISNODE, and when the allocation may use ZONE_NORMAL.  Unlike
 * Linux's out_of_memory(), it is also called for allocations without
 * PA__GFP_FS: the hook decides (returning true for them, as Linux does,
 * makes such an allocation retry for ever).  Default: nothing.
 * Context: sleepable.
 * Return: true if memory was (or will be) freed and the allocation should
 * retry.
 */
bool pa_port_out_of_memory(unsigned int order, pa_gfp_t gfp);

/**
 * pa_port_node_reclaim - reclaim on @nid before falling back to another node.
 * @nid: node whose zone failed its watermark (zone_reclaim_mode set).
 * @order: the allocation's order.
 * @gfp: its flags.
 *
 * Called by the fast path, as Linux's node_reclaim(), when zone_reclaim_mode
 * is not 0, the zone failed its watermark, @nid is within
 * PA_RECLAIM_DISTANCE of the preferred node, @gfp allows direct reclaim,
 * and @nid is the current CPU's node or has no CPUs.  Default: scans nothing.
 * Context: sleepable.
 * Return: 0 no scan, 1 scanned without success, 2 reclaimed some.
 */
int pa_port_node_reclaim(int nid, unsigned int order, pa_gfp_t gfp);

/**
 * pa_port_node_dirty_ok - may the node take more dirty page cache?
 * @nid: node considered for a PA__GFP_WRITE allocation.
 *
 * Default: true.
 * Context: any.
 * Return: false when @nid is over its dirty limit.
 */
bool pa_port_node_dirty_ok(int nid);

/**
 * pa_port_migrate_page - move an allocated movable block to another.
 * @src: head page of an allocated block of 2^@order pages, allocated for
 *       a movable request (PA__GFP_MOVABLE).
 * @dst: head page of the block to move it to: allocated for you, with one
 *       reference, of the same order, in a place the library chose (for
 *       compaction, near the zone's end; for a contiguous range, outside
 *       it).
 * @order: the blocks' order.
 *
 * The one step of migration the library cannot do: copy the contents of
 * @src to @dst, move every mapping and reference over (@dst's reference
 * becomes yours), then drop all references to @src so that it is freed
 * before returning 0.  Or refuse (the page is pinned, under I/O, not
 * yours to move) and change nothing: the library then frees @dst.  Called
 * by the compaction engine (CONFIG_PA_COMPACTION) for the blocks its
 * scanner isolated, and by pa_alloc_contig_range() and pa_cma_alloc() for
 * the allocated blocks of the range, in pfn order.
 * Default: -PA_EOPNOTSUPP, a kernel that does not migrate: compaction then
 * stops at once, and only ranges that are already free can be allocated.
 * Context: called without any allocator lock held, in process context
 * (the caller of a blocking allocation, the kernel's kcompactd or its
 * call of pa_compact_memory()); may sleep.
 * Return: 0 moved, @src freed; a negative errno (-PA_EBUSY pinned,
 * -PA_ENOMEM, ...) refused.
 */
int pa_port_migrate_page(struct pa_page *src, struct pa_page *dst, unsigned int order);

/**
 * pa_port_trace - record one allocator operation (CONFIG_PA_TRACE).
 * @ev: the operation: an allocation (one event per page for
 *      pa_alloc_pages_bulk()), a pa_free_pages(), pa_get_page() or
 *      pa_put_page() call, or a migration, with the head pfn as the
 *      block's ID.
 *
 * Called after an allocation returns, when a free, get or put is
 * entered, and after pa_port_migrate_page() moved a block, for calls with a page of this allocator (a free that is then
 * rejected as a bad page is recorded too, and replays the same way).
 * pa_trace_format() turns @ev into the line "pa-sim --trace" replays.
 * Only compiled in with CONFIG_PA_TRACE.  Must not call into this
 * allocator (allocating would recurse).  Default: nothing.
 * Context: any, no allocator lock held.
 */
void pa_port_trace(const struct pa_trace_event *ev);

#endif /* PAGEALLOC_PORT_H */
