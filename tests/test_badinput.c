// SPDX-License-Identifier: MIT
/*
 * Bad input to the run-time API, as a table: each row is one public call
 * with one class of invalid argument.  Each must return its documented
 * error (NULL or 0 pages for the allocation calls), log exactly one line
 * that names the entry point called and what is wrong, and change
 * nothing: buddyinfo text and the vm event counters are the same before
 * and after.  The boot-time calls have their table in test_memblock.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pagealloc/port.h>
#include "harness.h"

/* The value the allocation rows return for NULL / nothing filled. */
#define NOTHING 1

static struct pa_page *good_page; /* an allocated order-1 block */

static int ret_page(struct pa_page *p)
{
	return p ? 0 : NOTHING;
}

/* ---- allocation */
static int alloc_order_too_big(void)
{
	return ret_page(pa_alloc_pages(PA_GFP_KERNEL, PA_MAX_PAGE_ORDER + 1));
}
static int alloc_two_zones(void)
{
	return ret_page(pa_alloc_pages(PA__GFP_DMA32 | PA__GFP_MOVABLE | PA__GFP_HIGHMEM, 0));
}
static int alloc_two_zones_order3(void)
{
	/* The order > 0 fast path's watermark: the bad zone column has no lowmem reserve. */
	return ret_page(pa_alloc_pages(PA__GFP_DMA | PA__GFP_DMA32, 3));
}
static int alloc_movable_reclaimable(void)
{
	return ret_page(pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_MOVABLE | PA__GFP_RECLAIMABLE, 0));
}
static int alloc_unknown_bits(void)
{
	return ret_page(pa_alloc_pages(PA_GFP_KERNEL | 0x800000u, 0));
}
static int alloc_node_unknown(void)
{
	return ret_page(pa_alloc_pages_node(PA_MAX_NUMNODES, PA_GFP_KERNEL, 0));
}
static int alloc_node_negative(void)
{
	return ret_page(pa_alloc_pages_node(-7, PA_GFP_KERNEL, 0));
}
/* Orders above 0 take another copy of the fast path: per-CPU (3) and buddy (5). */
static int alloc_node_unknown_order3(void)
{
	return ret_page(pa_alloc_pages_node(PA_MAX_NUMNODES, PA_GFP_KERNEL, 3));
}
static int alloc_node_unknown_order5(void)
{
	return ret_page(pa_alloc_pages_node(PA_MAX_NUMNODES, PA_GFP_KERNEL, 5));
}
static int alloc_node_order_too_big(void)
{
	return ret_page(pa_alloc_pages_node(0, PA_GFP_KERNEL, PA_MAX_PAGE_ORDER + 1));
}
static int alloc_nodemask_two_zones(void)
{
	return ret_page(pa_alloc_pages_nodemask(PA__GFP_DMA | PA__GFP_DMA32, 0, 0, NULL));
}
static int alloc_nodemask_order(void)
{
	pa_nodemask_t m = 1;

	return ret_page(pa_alloc_pages_nodemask(PA_GFP_KERNEL, 99, 0, &m));
}
static int bulk_null_array(void)
{
	return pa_alloc_pages_bulk(PA_GFP_KERNEL, 0, NULL, 4, NULL) ? 0 : NOTHING;
}
static int bulk_bad_gfp(void)
{
	struct pa_page *a[4] = { 0 };

	return pa_alloc_pages_bulk(PA__GFP_DMA | PA__GFP_DMA32, 0, NULL, 4, a) ? 0 : NOTHING;
}
static int bulk_bad_node(void)
{
	struct pa_page *a[4] = { 0 };

	return pa_alloc_pages_bulk(PA_GFP_KERNEL, PA_MAX_NUMNODES, NULL, 4, a) ? 0 : NOTHING;
}

/* ---- free / put */
static int free_null(void)
{
	return pa_free_pages(NULL, 0);
}
static int free_order_too_big(void)
{
	return pa_free_pages(good_page, PA_MAX_PAGE_ORDER + 1);
}
static int free_wrong_order(void)
{
	return pa_free_pages(good_page, 0);
}
static int free_tail(void)
{
	return pa_free_pages(good_page + 1, 0);
}
static int free_inside(void)
{
	/* Inside good_page's struct page: the fast run's one compare refuses it. */
	return pa_free_pages((struct pa_page *)((char *)good_page + 8), 0);
}
static int free_free(void)
{
	/* Nothing but good_page is allocated: its neighbours in a 4-aligned group are free. */
	return pa_free_pages(pa_pfn_to_page(pa_page_to_pfn(good_page) ^ 2), 1);
}
static int put_null(void)
{
	return pa_put_page(NULL);
}
static int put_tail(void)
{
	return pa_put_page(good_page + 1);
}

/* ---- page accessors: NULL, a pointer into a struct page, a free page */
static struct pa_page *inside_page(void)
{
	return (struct pa_page *)((char *)good_page + 8);
}
static struct pa_page *free_page(void)
{
	/* Nothing but good_page is allocated: its neighbours in a 4-aligned group are free. */
	return pa_pfn_to_page(pa_page_to_pfn(good_page) ^ 2);
}
static int get_null(void)
{
	pa_get_page(NULL);
	return -PA_EFAULT; /* void: the one log line and nothing changed are the checks */
}
static int get_inside(void)
{
	pa_get_page(inside_page());
	return -PA_EFAULT;
}
static int get_free(void)
{
	struct pa_page *p = free_page();

	pa_get_page(p);
	return pa_page_count(p) == 0 ? -PA_EINVAL : 0;
}
static int count_null(void)
{
	return pa_page_count(NULL);
}
static int count_inside(void)
{
	return pa_page_count(inside_page());
}
static int pfn_null(void)
{
	return pa_page_to_pfn(NULL) == PA_INVALID_PFN ? -PA_EFAULT : 0;
}
static int phys_inside(void)
{
	return pa_page_to_phys(inside_page()) == PA_INVALID_PHYS ? -PA_EFAULT : 0;
}
static int zone_null(void)
{
	return pa_page_zone_type(NULL) == (enum pa_zone_type)PA_MAX_NR_ZONES ? -PA_EFAULT : 0;
}
static int nid_inside(void)
{
	return pa_page_to_nid(inside_page()) == PA_NUMA_NO_NODE ? -PA_EFAULT : 0;
}

/* ---- per-CPU sets */
static int drain_bad_cpu(void)
{
	return pa_drain_pages(PA_NR_CPUS + 5);
}
static int offline_bad_cpu(void)
{
	return pa_cpu_offline(1000);
}
static int online_already(void)
{
	return pa_cpu_online(0);
}
#ifdef CONFIG_PA_PCP
static int pcp_get_bad_cpu(void)
{
	struct pa_pcp_info pi;

	return pa_pcp_get(0, PA_ZONE_NORMAL, 1000, &pi);
}
static int pcp_get_null_out(void)
{
	return pa_pcp_get(0, PA_ZONE_NORMAL, 0, NULL);
}
#endif
/* The machine has 2 CPUs: ids 2 and up are refused, the thread stays CPU 0. */
static int host_cpu_count(void)
{
	return pa_host_set_cpu(2);
}
static int host_cpu_max(void)
{
	return pa_host_set_cpu(PA_NR_CPUS);
}
static int host_cpu_huge(void)
{
	return pa_host_set_cpu(1000);
}

/* ---- sysctl */
static int sysctl_unknown(void)
{
	long v = 1;

	return pa_sysctl_set("no_such_tunable", &v, 1);
}
static int sysctl_wsf_zero(void)
{
	long v = 0;

	return pa_sysctl_set("watermark_scale_factor", &v, 1);
}
static int sysctl_wsf_too_big(void)
{
	long v = 3001;

	return pa_sysctl_set("watermark_scale_factor", &v, 1);
}
static int sysctl_min_free_negative(void)
{
	long v = -1;

	return pa_sysctl_set("min_free_kbytes", &v, 1);
}
static int sysctl_high_fraction(void)
{
	long v = 7;

	return pa_sysctl_set("percpu_pagelist_high_fraction", &v, 1);
}
static int sysctl_wrong_count(void)
{
	long v[2] = { 10, 10 };

	return pa_sysctl_set("watermark_scale_factor", v, 2);
}
static int sysctl_lowmem_count(void)
{
	long v = 256;

	return pa_sysctl_set("lowmem_reserve_ratio", &v, 1);
}
static int sysctl_get_small(void)
{
	long v[1];
	unsigned int n;

	return pa_sysctl_get("lowmem_reserve_ratio", v, 1, &n);
}
static int sysctl_set_null(void)
{
	return pa_sysctl_set("watermark_scale_factor", NULL, 1);
}
static int sysctl_get_null(void)
{
	unsigned int n;

	return pa_sysctl_get("watermark_scale_factor", NULL, 1, &n);
}

/* ---- zone info, watermarks, zonelists, reclaim, compaction */
static int counts_bad_node(void)
{
	struct pa_zone_counts c;

	return pa_zone_get_counts(PA_MAX_NUMNODES, PA_ZONE_NORMAL, &c);
}
static int counts_bad_zone(void)
{
	struct pa_zone_counts c;

	return pa_zone_get_counts(0, (enum pa_zone_type)(PA_MAX_NR_ZONES + 1), &c);
}
static int counts_null_out(void)
{
	return pa_zone_get_counts(0, PA_ZONE_NORMAL, NULL);
}
static int wmark_bad_order(void)
{
	return pa_zone_watermark_ok(0, PA_ZONE_NORMAL, PA_MAX_PAGE_ORDER + 1, 0, PA_ZONE_NORMAL, 0);
}
static int zonelist_bad_node(void)
{
	struct pa_zoneref zr[8];

	return pa_zonelist_get(PA_MAX_NUMNODES, false, zr, 8);
}
static int kswapd_bad_node(void)
{
	return (int)pa_kswapd_balance(PA_MAX_NUMNODES);
}
static int compaction_bad_order(void)
{
	return pa_compaction_suitable(0, PA_ZONE_NORMAL, PA_MAX_PAGE_ORDER + 1, PA_ZONE_NORMAL);
}
static int fragindex_bad_zone(void)
{
	int idx;

	return pa_fragmentation_index(0, (enum pa_zone_type)-1, 0, &idx);
}

static int fragindex_bad_order(void)
{
	int idx;

	return pa_fragmentation_index(0, PA_ZONE_NORMAL, PA_MAX_PAGE_ORDER + 1, &idx);
}

struct row {
	const char *name;
	int (*call)(void);
	int expect;       /* a negative error, or NOTHING */
	const char *says; /* in the log line (each "*" any text): the entry called, what is wrong */
};

/* Does @line hold the parts of @pattern between its "*"s, in order? */
static bool says(const char *line, const char *pattern)
{
	char part[128];

	while (*pattern) {
		size_t n = strcspn(pattern, "*");

		snprintf(part, sizeof(part), "%.*s", (int)n, pattern);
		line = strstr(line, part);
		if (!line)
			return false;
		line += n;
		pattern += n + (pattern[n] == '*');
	}
	return true;
}

#define ROW(fn, e, says) { #fn, fn, e, says }

static const struct row rows[] = {
	ROW(alloc_order_too_big, NOTHING, "pa_alloc_pages: order * above MAX_PAGE_ORDER"),
	ROW(alloc_two_zones, NOTHING, "pa_alloc_pages: GFP 0xe selects two zones"),
	ROW(alloc_two_zones_order3, NOTHING, "pa_alloc_pages: GFP 0x5 selects two zones"),
	ROW(alloc_movable_reclaimable, NOTHING, "pa_alloc_pages: GFP 0xcd8 is both movable and"),
	ROW(alloc_unknown_bits, NOTHING, "pa_alloc_pages: unknown GFP bits 0x800000"),
	ROW(alloc_node_unknown, NOTHING, "pa_alloc_pages_node: node * is out of range"),
	ROW(alloc_node_negative, NOTHING, "pa_alloc_pages_node: node -7 is out of range"),
	ROW(alloc_node_unknown_order3, NOTHING, "pa_alloc_pages_node: node * is out of range"),
	ROW(alloc_node_unknown_order5, NOTHING, "pa_alloc_pages_node: node * is out of range"),
	ROW(alloc_node_order_too_big, NOTHING, "pa_alloc_pages_node: order * above MAX_PAGE_ORDER"),
	ROW(alloc_nodemask_order, NOTHING, "pa_alloc_pages_nodemask: order 99 above MAX_PAGE_ORDER"),
	ROW(alloc_nodemask_two_zones, NOTHING, "pa_alloc_pages_nodemask: GFP 0x5 selects two"),
	ROW(bulk_null_array, NOTHING, "pa_alloc_pages_bulk: array is NULL"),
	ROW(bulk_bad_gfp, NOTHING, "pa_alloc_pages_bulk: GFP 0x5 selects two zones"),
	ROW(bulk_bad_node, NOTHING, "pa_alloc_pages_bulk: node * is out of range"),
	ROW(free_null, -PA_EFAULT, "pa_free_pages: (null) is not a page of this allocator"),
	ROW(free_order_too_big, -PA_EINVAL, "pa_free_pages: order * above MAX_PAGE_ORDER"),
	ROW(free_wrong_order, -PA_EINVAL, "Bad page state in pa_free_pages: pfn:"),
	ROW(free_tail, -PA_EINVAL, "Bad page state in pa_free_pages: pfn:"),
	ROW(free_inside, -PA_EFAULT, "is not a page of this allocator"),
	ROW(free_free, -PA_EINVAL, "in pa_free_pages: pfn:"),
	ROW(put_null, -PA_EFAULT, "pa_put_page: (null) is not a page"),
	ROW(put_tail, -PA_EINVAL, "Bad page state in pa_put_page: pfn:"),
	ROW(get_null, -PA_EFAULT, "pa_get_page: (null) is not a page"),
	ROW(get_inside, -PA_EFAULT, "is not a page of this allocator"),
	ROW(get_free, -PA_EINVAL, "Bad page state in pa_get_page: pfn:"),
	ROW(count_null, -PA_EFAULT, "pa_page_count: (null) is not a page"),
	ROW(count_inside, -PA_EFAULT, "is not a page of this allocator"),
	ROW(pfn_null, -PA_EFAULT, "pa_page_to_pfn: (null) is not a page"),
	ROW(phys_inside, -PA_EFAULT, "is not a page of this allocator"),
	ROW(zone_null, -PA_EFAULT, "pa_page_zone_type: (null) is not a page"),
	ROW(nid_inside, -PA_EFAULT, "is not a page of this allocator"),
	ROW(drain_bad_cpu, -PA_EINVAL, "pa_drain_pages: CPU * out of range (2 CPUs)"),
	ROW(offline_bad_cpu, -PA_EINVAL, "pa_cpu_offline: CPU 1000 out of range (2 CPUs)"),
	ROW(online_already, -PA_EALREADY, "pa_cpu_online: CPU 0 is already online"),
#ifdef CONFIG_PA_PCP
	ROW(pcp_get_bad_cpu, -PA_EINVAL, "pa_pcp_get: CPU 1000 out of range (2 CPUs)"),
	ROW(pcp_get_null_out, -PA_EINVAL, "pa_pcp_get: out is NULL"),
#endif
	ROW(host_cpu_count, -PA_EINVAL, "pa_host_set_cpu: CPU 2 is not below the 2 CPUs"),
	ROW(host_cpu_max, -PA_EINVAL, "pa_host_set_cpu: CPU"),
	ROW(host_cpu_huge, -PA_EINVAL, "pa_host_set_cpu: CPU 1000 is not below the 2 CPUs"),
	ROW(sysctl_unknown, -PA_ENOENT, "pa_sysctl_set: unknown tunable 'no_such_tunable'"),
	ROW(sysctl_wsf_zero, -PA_EINVAL, "pa_sysctl_set: watermark_scale_factor: 0 is out of"),
	ROW(sysctl_wsf_too_big, -PA_EINVAL, "watermark_scale_factor: 3001 is out of range"),
	ROW(sysctl_min_free_negative, -PA_EINVAL, "pa_sysctl_set: min_free_kbytes: -1 is out"),
	ROW(sysctl_high_fraction, -PA_EINVAL, "percpu_pagelist_high_fraction: 7 is out of range"),
	ROW(sysctl_wrong_count, -PA_EINVAL, "watermark_scale_factor takes 1 value, got 2"),
	ROW(sysctl_lowmem_count, -PA_EINVAL, "lowmem_reserve_ratio takes * values, got 1"),
	ROW(sysctl_get_small, -PA_ENOSPC, "pa_sysctl_get: lowmem_reserve_ratio has * values, room for 1"),
	ROW(sysctl_set_null, -PA_EINVAL, "pa_sysctl_set: watermark_scale_factor: values is NULL"),
	ROW(sysctl_get_null, -PA_EINVAL, "pa_sysctl_get: watermark_scale_factor: values is NULL"),
	ROW(counts_bad_node, -PA_ENOENT, "pa_zone_get_counts: no zone * on node *"),
	ROW(counts_bad_zone, -PA_ENOENT, "pa_zone_get_counts: no zone * on node 0"),
	ROW(counts_null_out, -PA_EINVAL, "pa_zone_get_counts: out is NULL"),
	ROW(wmark_bad_order, -PA_EINVAL, "pa_zone_watermark_ok: order * above MAX_PAGE_ORDER"),
	ROW(zonelist_bad_node, -PA_ENOENT, "pa_zonelist_get: node * is not online"),
	ROW(kswapd_bad_node, -PA_ENOENT, "pa_kswapd_balance: node * out of range"),
	ROW(compaction_bad_order, -PA_EINVAL, "pa_compaction_suitable: order * above MAX_PAGE_ORDER"),
	ROW(fragindex_bad_zone, -PA_ENOENT, "pa_fragmentation_index: no zone -1 on node 0"),
	ROW(fragindex_bad_order, -PA_EINVAL, "pa_fragmentation_index: order * above MAX_PAGE_ORDER"),
};

static unsigned long events_total(void)
{
	unsigned long sum = 0;

	for (unsigned int i = 0; i < PA_NR_VM_EVENTS; i++)
		sum += pa_vm_event_count(i);
	return sum;
}

static void test_runtime_table(void **state)
{
	static char before[8192], after[8192];
	int failures = 0;

	(void)state;
	th_reset();
	pa_host_set_cpu(0);
	assert_int_equal(pa_set_nr_cpus(2), 0);
	assert_int_equal(pa_memblock_add(4 * GiB, 64ULL << 20, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	good_page = pa_alloc_pages(PA_GFP_KERNEL, 1);
	assert_non_null(good_page);
	pa_drain_all_pages();
	th_log_clear();
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		unsigned long ev;
		int ret;

		th_buddyinfo(before, sizeof(before));
		ev = events_total();
		ret = r->call();
		pa_drain_all_pages();
		th_buddyinfo(after, sizeof(after));
		if (ret != r->expect) {
			printf("%s: returned %d, expected %d\n", r->name, ret, r->expect);
			failures++;
		}
		if (th_log_lines() != 1) {
			printf("%s: %lu log lines (last '%s'), expected 1\n", r->name, th_log_lines(),
			       th_last_log());
			failures++;
		} else if (!says(th_last_log(), r->says)) {
			printf("%s: the line '%s' does not say '%s'\n", r->name, th_last_log(), r->says);
			failures++;
		}
		if (strcmp(before, after)) {
			printf("%s: buddyinfo changed\n", r->name);
			failures++;
		}
		if (events_total() != ev) {
			printf("%s: vm events changed\n", r->name);
			failures++;
		}
		assert_int_equal(pa_page_count(good_page), 1);
		th_log_clear();
		th_check();
	}
	assert_int_equal(pa_port_cpu_id(), 0); /* the refused ids left it */
	assert_int_equal(pa_free_pages(good_page, 1), 0);
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runtime_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
