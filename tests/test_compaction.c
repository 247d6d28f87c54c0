// SPDX-License-Identifier: MIT
/*
 * The compaction engine (CONFIG_PA_COMPACTION): a zone whose every other
 * page is allocated and movable has no free block above order 0; direct
 * compaction in the slow path, or pa_compact_memory(), moves the pages
 * through this file's pa_port_migrate_page() so that whole pageblocks
 * come free.  Each page's identity (priv, an index into held[]) moves
 * with it and no page is lost; a refusing hook leaves everything as it
 * was; a kernel that does not migrate turns compaction off.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "th_internal.h"
#include "harness.h"

#define PB PA_PAGEBLOCK_NR_PAGES
#define GFP_MOV (PA_GFP_KERNEL | PA__GFP_MOVABLE | PA__GFP_NOWARN)
/* The machine: 32 pageblocks of one ZONE_NORMAL at 4 GiB, one CPU. */
#define NR_PAGES (32UL * PB)
#define FIRST_PFN (4 * GiB / PA_PAGE_SIZE)

#ifdef CONFIG_PA_COMPACTION

enum hook_mode { HOOK_MIGRATE, HOOK_REFUSE, HOOK_UNSUPPORTED };
static enum hook_mode hook_mode;
static struct pa_page **held; /* the test's pages; priv = index + 1 */
static unsigned long nheld, calls, moves;

/* The kernel's side: identity and bookkeeping to @dst, @src let go. */
int pa_port_migrate_page(struct pa_page *src, struct pa_page *dst, unsigned int order)
{
	calls++;
	if (hook_mode == HOOK_UNSUPPORTED)
		return -PA_EOPNOTSUPP;
	if (hook_mode == HOOK_REFUSE)
		return -PA_EBUSY;
	assert_int_equal(order, 0);
	assert_true(src->priv >= 1 && src->priv <= nheld);
	assert_ptr_equal(held[src->priv - 1], src);
	assert_int_equal(pa_page_count(dst), 1);
	held[src->priv - 1] = dst;
	dst->priv = src->priv;
	moves++;
	assert_int_equal(pa_free_pages(src, 0), 0);
	return 0;
}

/* The trace hook (CONFIG_PA_TRACE): events by op, and the last migration. */
static unsigned long trace_ops[PA_TRACE_MIGRATE + 1];
static struct pa_trace_event last_migration;

void pa_port_trace(const struct pa_trace_event *ev)
{
	trace_ops[ev->op]++;
	if (ev->op == PA_TRACE_MIGRATE)
		last_migration = *ev;
}

static void machine(void)
{
	assert_int_equal(pa_set_nr_cpus(1), 0);
	assert_int_equal(pa_memblock_add(4 * GiB, NR_PAGES * PA_PAGE_SIZE, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
}

/*
 * Every page allocated as order-0 movable, then every other one freed by
 * pfn: half the zone free, none of it above order 0.
 */
static void fragment(void)
{
	unsigned long all = 0, kept = 0;
	struct pa_page *p, **v = calloc(NR_PAGES, sizeof(*v));

	assert_non_null(v);
	while ((p = pa_alloc_pages(GFP_MOV | PA__GFP_MEMALLOC | PA__GFP_NORETRY, 0)))
		v[all++] = p;
	for (unsigned long i = 0; i < all; i++) {
		if (pa_page_to_pfn(v[i]) % 2) {
			assert_int_equal(pa_free_pages(v[i], 0), 0);
			continue;
		}
		held[kept] = v[i];
		v[i]->priv = ++kept;
	}
	nheld = kept;
	free(v);
	pa_drain_all_pages();
	for (unsigned int o = 1; o < PA_NR_PAGE_ORDERS; o++)
		assert_int_equal(th_zone(0, PA_ZONE_NORMAL).nr_free[o], 0);
}

/* Each held page is still allocated, once, with its own identity. */
static void check_identities(void)
{
	for (unsigned long i = 0; i < nheld; i++) {
		assert_int_equal(held[i]->priv, i + 1);
		assert_int_equal(pa_page_count(held[i]), 1);
	}
	th_check();
}

static void free_held(void)
{
	while (nheld)
		assert_int_equal(pa_free_pages(held[--nheld], 0), 0);
	th_check();
}

static int setup(void **state)
{
	th_setup(state);
	free(held);
	held = calloc(NR_PAGES, sizeof(*held));
	nheld = calls = moves = 0;
	memset(trace_ops, 0, sizeof(trace_ops));
	hook_mode = HOOK_MIGRATE;
	return 0;
}

/* A pageblock-order allocation gets its block through direct compaction. */
static void test_direct_compaction(void **state)
{
	struct pa_page *big;

	(void)state;
	machine();
	fragment();
	pa_vm_events_reset();
	memset(trace_ops, 0, sizeof(trace_ops));
	big = pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_MOVABLE, PA_PAGEBLOCK_ORDER);
	assert_non_null(big);
	assert_true(moves >= PB / 2 && moves <= NR_PAGES / 2);
	if (IS_ENABLED(CONFIG_PA_TRACE)) { /* each move: "m", then the hook's free; the scanner's puts unseen */
		assert_int_equal(trace_ops[PA_TRACE_MIGRATE], moves);
		assert_int_equal(trace_ops[PA_TRACE_FREE], moves);
		assert_int_equal(trace_ops[PA_TRACE_PUT], 0);
		assert_int_equal(trace_ops[PA_TRACE_ALLOC], 1);
		assert_true(last_migration.src_pfn != last_migration.pfn);
		assert_ptr_equal(pa_pfn_to_page(last_migration.pfn), held[pa_pfn_to_page(last_migration.pfn)->priv - 1]);
	}
	if (IS_ENABLED(CONFIG_PA_VM_EVENT_COUNTERS)) {
		assert_true(pa_vm_event_count(PA_COMPACTSTALL) >= 1);
		assert_int_equal(pa_vm_event_count(PA_COMPACTSUCCESS), 1);
		assert_true(pa_vm_event_count(PA_COMPACTMIGRATE_SCANNED) >= moves);
		assert_true(pa_vm_event_count(PA_COMPACTFREE_SCANNED) > 0);
		assert_true(pa_vm_event_count(PA_COMPACTISOLATED) >= moves);
	}
	check_identities();
	assert_int_equal(pa_free_pages(big, PA_PAGEBLOCK_ORDER), 0);
	free_held();
}

/*
 * pa_compact_memory() gathers the free half: most of it in whole free
 * pageblocks afterwards (the held pages fill the other half).
 */
static void test_compact_memory(void **state)
{
	unsigned long whole = 0;
	struct pa_zone_counts c;

	(void)state;
	machine();
	fragment();
	assert_int_equal(pa_compact_memory(), 0);
	c = th_zone(0, PA_ZONE_NORMAL);
	for (unsigned int o = PA_PAGEBLOCK_ORDER; o < PA_NR_PAGE_ORDERS; o++)
		whole += c.nr_free[o] << o;
	assert_true(whole * 10 >= c.free * 8); /* at least 80% of free memory */
	check_identities();
	free_held();
}

/* A refusing kernel: no page moves, the allocation fails, nothing is lost. */
static void test_refused_migration(void **state)
{
	unsigned long free0;

	(void)state;
	machine();
	fragment();
	free0 = th_zone(0, PA_ZONE_NORMAL).free;
	hook_mode = HOOK_REFUSE;
	memset(trace_ops, 0, sizeof(trace_ops));
	assert_null(pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_MOVABLE | PA__GFP_NOWARN,
				   PA_PAGEBLOCK_ORDER));
	assert_true(calls > 0);
	assert_int_equal(moves, 0);
	if (IS_ENABLED(CONFIG_PA_TRACE)) { /* each refusal: "m", then the destination's free */
		assert_int_equal(trace_ops[PA_TRACE_MIGRATE], calls);
		assert_int_equal(trace_ops[PA_TRACE_FREE], calls);
		assert_int_equal(trace_ops[PA_TRACE_PUT], 0);
	}
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, free0);
	check_identities();
	free_held();
}

/* The default hook (no migration): one refused call, then compaction stays off. */
static void test_kernel_without_migration(void **state)
{
	unsigned long scanned;

	(void)state;
	machine();
	fragment();
	hook_mode = HOOK_UNSUPPORTED;
	th_assert_error(pa_compact_memory(), PA_EOPNOTSUPP, "migrates nothing");
	assert_int_equal(calls, 1);
	scanned = pa_vm_event_count(PA_COMPACTMIGRATE_SCANNED);
	assert_null(pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_MOVABLE | PA__GFP_NOWARN,
				   PA_PAGEBLOCK_ORDER));
	assert_int_equal(calls, 1); /* no second call: nothing was scanned */
	assert_int_equal(pa_vm_event_count(PA_COMPACTMIGRATE_SCANNED), scanned);
	check_identities();
	free_held();
}

/*
 * Proactive compaction: a zone whose free memory is all at order 0 scores
 * about 100, above the high mark of the default proactiveness 20 (90), so
 * kcompactd should run; its run compacts until the score is under the low
 * mark (80).  With proactiveness 0 it is never asked to.
 */
static void test_kcompactd_proactive(void **state)
{
	long zero = 0;

	(void)state;
	machine();
	fragment();
	pa_vm_events_reset();
	assert_true(pa_kcompactd_should_run(0));
	assert_true(pa_kcompactd_run(0) > 0);
	if (IS_ENABLED(CONFIG_PA_VM_EVENT_COUNTERS)) {
		assert_int_equal(pa_vm_event_count(PA_KCOMPACTD_WAKE), 1);
		assert_true(pa_vm_event_count(PA_KCOMPACTD_MIGRATE_SCANNED) > 0);
		assert_true(pa_vm_event_count(PA_KCOMPACTD_FREE_SCANNED) > 0);
	}
	assert_false(pa_kcompactd_should_run(0));
	check_identities();
	free_held();
	th_reset();
	setup(state);
	machine();
	fragment();
	assert_int_equal(pa_sysctl_set("compaction_proactiveness", &zero, 1), 0);
	assert_false(pa_kcompactd_should_run(0));
	free_held();
}

/*
 * One sync-light pass of the engine over the zone for a pageblock-order
 * block, the kernel refusing every migration so that nothing changes
 * between passes.  Return: the pages the migrate scanner scanned.
 */
static unsigned long refused_pass(int mode)
{
	unsigned long before = pa_vm_event_count(PA_COMPACTMIGRATE_SCANNED);

	pa_compact_zone_order(th_pa_zone(0, PA_ZONE_NORMAL), PA_PAGEBLOCK_ORDER, mode,
			      PA_MIGRATE_MOVABLE, NULL);
	return pa_vm_event_count(PA_COMPACTMIGRATE_SCANNED) - before;
}

/*
 * Fill the zone's first eight pageblocks with unmovable order-0 pages
 * (each of which the migrate scanner looks at) into @unmov: everything
 * else held as movable pageblocks while they are taken.
 */
static void unmovable_at_start(struct pa_page **unmov)
{
	struct pa_page *p, **blocks = calloc(NR_PAGES / PB, sizeof(*blocks));
	unsigned long n = 0;

	assert_non_null(blocks);
	while ((p = pa_alloc_pages(GFP_MOV | PA__GFP_MEMALLOC | PA__GFP_NORETRY, PA_PAGEBLOCK_ORDER)))
		blocks[n++] = p;
	for (unsigned long i = 0; i < n; i++)
		if (pa_page_to_pfn(blocks[i]) < FIRST_PFN + 8 * PB)
			assert_int_equal(pa_free_pages(blocks[i], PA_PAGEBLOCK_ORDER), 0);
	pa_drain_all_pages();
	for (unsigned long i = 0; i < 8 * PB; i++)
		assert_non_null(unmov[i] = pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_MEMALLOC | PA__GFP_NOWARN, 0));
	for (unsigned long i = 0; i < 8 * PB; i++)
		assert_true(pa_page_to_pfn(unmov[i]) < FIRST_PFN + 8 * PB);
	for (unsigned long i = 0; i < n; i++)
		if (pa_page_to_pfn(blocks[i]) >= FIRST_PFN + 8 * PB)
			assert_int_equal(pa_free_pages(blocks[i], PA_PAGEBLOCK_ORDER), 0);
	free(blocks);
	pa_drain_all_pages(); /* the per-CPU leftovers go to fragment() */
}

/*
 * Skip hints: a pageblock where a scanner took nothing (here the eight
 * full of unmovable pages at the zone's start) is stepped over by the
 * next pass, until kswapd's sleep clears the hints; the most thorough
 * mode ignores them.
 */
static void test_skip_hints(void **state)
{
	unsigned long first, hinted, cleared, sync;
	struct pa_page **unmov = calloc(8 * PB, sizeof(*unmov));

	(void)state;
	machine();
	assert_non_null(unmov);
	unmovable_at_start(unmov);
	fragment();
	hook_mode = HOOK_REFUSE;
	first = refused_pass(PA_COMPACT_SYNC_LIGHT);
	hinted = refused_pass(PA_COMPACT_SYNC_LIGHT);
	pa_compaction_reset_skip(th_pa_node(0));
	cleared = refused_pass(PA_COMPACT_SYNC_LIGHT);
	sync = refused_pass(PA_COMPACT_SYNC);
	if (IS_ENABLED(CONFIG_PA_VM_EVENT_COUNTERS)) {
		assert_true(first >= 8 * PB);
		assert_true(hinted + 8 * PB <= first); /* the unmovable pageblocks stepped over */
		assert_int_equal(cleared, first);
		assert_true(sync >= first);
	}
	assert_int_equal(moves, 0);
	check_identities();
	for (unsigned long i = 0; i < 8 * PB; i++)
		assert_int_equal(pa_free_pages(unmov[i], 0), 0);
	free(unmov);
	free_held();
}

/* Bad nodes: one line each. */
static void test_kcompactd_bad_input(void **state)
{
	(void)state;
	th_assert_error((int)pa_kcompactd_run(0), PA_ENODEV, "before pa_init");
	machine();
	th_assert_error((int)pa_kcompactd_run(-1), PA_ENOENT, "node -1");
	assert_false(pa_kcompactd_should_run(PA_MAX_NUMNODES));
	assert_int_equal(th_log_lines(), 1);
	th_log_clear();
}

#else

/* Without the engine, the call says so. */
static void test_without_engine(void **state)
{
	(void)state;
	assert_int_equal(pa_memblock_add(4 * GiB, NR_PAGES * PA_PAGE_SIZE, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	th_assert_error(pa_compact_memory(), PA_EOPNOTSUPP, "CONFIG_PA_COMPACTION");
}

#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
#ifdef CONFIG_PA_COMPACTION
		cmocka_unit_test_setup(test_direct_compaction, setup),
		cmocka_unit_test_setup(test_compact_memory, setup),
		cmocka_unit_test_setup(test_refused_migration, setup),
		cmocka_unit_test_setup(test_kernel_without_migration, setup),
		cmocka_unit_test_setup(test_kcompactd_proactive, setup),
		cmocka_unit_test_setup(test_kcompactd_bad_input, setup),
		cmocka_unit_test_setup(test_skip_hints, setup),
#else
		cmocka_unit_test_setup(test_without_engine, th_setup),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
