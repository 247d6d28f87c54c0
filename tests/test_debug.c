// SPDX-License-Identifier: MIT
/*
 * Debugging options (include/pagealloc/debug.h).  With
 * CONFIG_PA_PAGE_POISONING: a write into a freed page is reported with its
 * pfn, offset and byte on the next allocation of that page, through the
 * per-CPU lists and the buddy lists, at order 0 and 3; a clean cycle
 * reports nothing.  With CONFIG_PA_PAGE_OWNER: the recorded sites are the
 * callers of the public entries, a double free names them, and the dump
 * lists exactly the allocated blocks.  Without the options, the APIs say
 * so and freed memory is left alone.  make check runs this suite in
 * configs/check/debug.config, where both are on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include <pagealloc/port.h>

#define NPAGES 4096 /* the 16 MiB machine */

/* 16 MiB of ZONE_NORMAL on one CPU. */
static void machine(void)
{
	assert_int_equal(pa_set_nr_cpus(1), 0);
	assert_int_equal(pa_memblock_add(4 * GiB, 16 * MiB, 0), 0);
	assert_int_equal(pa_init(), 0);
}

static unsigned long poison_errors(void)
{
	struct pa_debug_counts c;

	assert_int_equal(pa_debug_get_counts(&c), 0);
	return c.poison_errors;
}

#ifdef CONFIG_PA_PAGE_POISONING
static unsigned char *page_mem(const struct pa_page *page, unsigned long i)
{
	return pa_port_phys_to_virt(pa_page_to_phys(page) + i * PA_PAGE_SIZE, PA_PAGE_SIZE);
}

/* The report for page @i of @page: one line naming pfn, offset and byte. */
static void expect_report(const struct pa_page *page, unsigned long i, unsigned int off,
			  unsigned int byte, const char *kind)
{
	char want[160];

	snprintf(want, sizeof(want), "pagealloc: %s at pfn:%05lx offset %#x: byte %#04x, expected 0xaa",
		 kind, pa_page_to_pfn(page) + i, off, byte);
	assert_int_equal(th_log_lines(), 1);
	if (!strstr(th_last_log(), want))
		fail_msg("log '%s' lacks '%s'", th_last_log(), want);
	th_log_clear();
}

/* Take every page, first in blocks of @first; returns how many blocks. */
static unsigned int take_all(struct pa_page **held, unsigned int first)
{
	unsigned int n = 0;

	for (unsigned int order = first;; order = 0) {
		struct pa_page *p;

		while (n < NPAGES && (p = pa_alloc_pages(TH_GFP_ANY, order)))
			held[n++] = p;
		if (!order)
			return n;
	}
}

static unsigned long normal_free(void)
{
	return th_zone(0, PA_ZONE_NORMAL).free;
}

static void free_all(struct pa_page **held, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(pa_put_page(held[i]), 0);
}

/*
 * Free a block of @order, write @byte at @off of its page @idx, take it
 * back: through this CPU's set with @pcp, else with the sets off and every
 * other page allocated, so the buddy lists hold only this block (above
 * order 3 the allocation takes it from them directly).
 */
static void write_after_free(bool pcp, unsigned int order, unsigned long idx, unsigned int off,
			     unsigned char byte, const char *kind)
{
	static struct pa_page *held[NPAGES];
	unsigned int n = 0;
	struct pa_page *victim, *again;

	machine();
	if (!pcp) {
		assert_int_equal(pa_pcp_set_enabled(false), 0);
		n = take_all(held, order ? order : 3);
		assert_int_equal(normal_free(), 0);
		/* held[0] is an order-@order block, the last one an order-0 page. */
		victim = order ? held[0] : held[n - 1];
		held[order ? 0 : n - 1] = held[n - 1];
		n--;
	} else {
		victim = pa_alloc_pages(PA_GFP_KERNEL, order);
		assert_non_null(victim);
	}
	/* pa_put_page() takes the general free path, pa_free_pages() the fast one. */
	assert_int_equal(pcp ? pa_free_pages(victim, order) : pa_put_page(victim), 0);
	assert_int_equal(th_log_lines(), 0);
	page_mem(victim, idx)[off] = byte;
	again = pa_alloc_pages(pcp ? PA_GFP_KERNEL : TH_GFP_ANY, order);
	assert_ptr_equal(again, victim);
	expect_report(victim, idx, off, byte, kind);
	assert_int_equal(poison_errors(), 1);
	th_check();
	assert_int_equal(pa_free_pages(again, order), 0);
	free_all(held, n);
	th_check();
}

#ifdef CONFIG_PA_PCP
static void test_poison_pcp_order0(void **state)
{
	(void)state;
	write_after_free(true, 0, 0, 0x64, 0x55, "memory corruption");
}

static void test_poison_pcp_order3(void **state)
{
	(void)state;
	write_after_free(true, 3, 5, 0xff8, 0x00, "memory corruption");
}

#endif

static void test_poison_buddy_order0(void **state)
{
	(void)state;
	/* 0xab is 0xaa with bit 0 flipped: Linux's "single bit error". */
	write_after_free(false, 0, 0, 7, 0xab, "single bit error");
}

static void test_poison_buddy_order3(void **state)
{
	(void)state;
	write_after_free(false, 3, 7, PA_PAGE_SIZE - 1, 0x12, "memory corruption");
}

static void test_poison_buddy_order5(void **state)
{
	(void)state;
	write_after_free(false, 5, 31, 0x800, 0xaa ^ 0x81, "memory corruption");
}

/* Freed pages hold the poison; a clean alloc/free cycle reports nothing. */
static void test_poison_clean_cycle(void **state)
{
	struct pa_page *p[16];

	(void)state;
	machine();
	for (int round = 0; round < 4; round++) {
		for (unsigned int i = 0; i < 16; i++) {
			p[i] = pa_alloc_pages(PA_GFP_KERNEL, i % 5);
			assert_non_null(p[i]);
			memset(page_mem(p[i], 0), 0x11, PA_PAGE_SIZE);
		}
		for (unsigned int i = 0; i < 16; i++) {
			assert_int_equal(pa_free_pages(p[i], i % 5), 0);
			for (unsigned long j = 0; j < (1UL << (i % 5)); j++)
				for (unsigned int b = 0; b < PA_PAGE_SIZE; b += 1021)
					assert_int_equal(page_mem(p[i], j)[b], PA_PAGE_POISON);
		}
	}
	pa_drain_all_pages();
	assert_int_equal(th_log_lines(), 0);
	assert_int_equal(poison_errors(), 0);
	th_check();
}
#endif /* CONFIG_PA_PAGE_POISONING */

#ifdef CONFIG_PA_PAGE_OWNER
static volatile uintptr_t sink; /* keeps the helpers' calls from becoming tail calls */

/* The sites the records must hold lie inside these helpers' code. */
static __attribute__((noinline)) struct pa_page *alloc_helper(pa_gfp_t gfp, unsigned int order)
{
	struct pa_page *p = pa_alloc_pages(gfp, order);

	sink = (uintptr_t)p;
	return p;
}

static __attribute__((noinline)) int free_helper(struct pa_page *p, unsigned int order)
{
	int ret = pa_free_pages(p, order);

	sink = (uintptr_t)ret;
	return ret;
}

static __attribute__((noinline)) unsigned int bulk_helper(unsigned int nr, struct pa_page **array)
{
	unsigned int n = pa_alloc_pages_bulk(PA_GFP_KERNEL, PA_NUMA_NO_NODE, NULL, nr, array);

	sink = n;
	return n;
}

static __attribute__((noinline)) int put_helper(struct pa_page *p)
{
	int ret = pa_put_page(p);

	sink = (uintptr_t)ret;
	return ret;
}

#ifdef CONFIG_PA_MEMORY_ISOLATION
static __attribute__((noinline)) struct pa_page *contig_helper(unsigned long nr)
{
	struct pa_page *p = pa_alloc_contig_pages(nr, PA_GFP_KERNEL, PA_NUMA_NO_NODE, NULL);

	sink = (uintptr_t)p;
	return p;
}

static __attribute__((noinline)) int contig_free_helper(unsigned long pfn, unsigned long nr)
{
	int ret = pa_free_contig_range(pfn, nr);

	sink = (uintptr_t)ret;
	return ret;
}
#endif

static void assert_site_in(uintptr_t site, void *fn)
{
	if (site <= (uintptr_t)fn || site - (uintptr_t)fn >= 512)
		fail_msg("site %#lx is not inside the helper at %p", (unsigned long)site, fn);
}

static struct pa_page_owner_info owner(const struct pa_page *p)
{
	struct pa_page_owner_info o;

	assert_int_equal(pa_page_owner_get(p, &o), 0);
	return o;
}

/* Sites are the helpers' calls; a double free names both in its report. */
static void test_owner_double_free(void **state)
{
	struct pa_page *p, *q;
	struct pa_page_owner_info o;
	char want[160];

	(void)state;
	machine();
	p = alloc_helper(PA_GFP_KERNEL, 2);
	q = alloc_helper(PA_GFP_KERNEL, 0);
	assert_non_null(p);
	o = owner(p);
	assert_site_in(o.alloc_site, (void *)alloc_helper);
	assert_int_equal(o.order, 2);
	assert_int_equal(o.gfp, PA_GFP_KERNEL);
	assert_true(o.allocated);
	assert_int_equal(o.free_site, 0);
	assert_true(owner(q).seq > o.seq);
	assert_int_equal(free_helper(p, 2), 0);
	o = owner(p);
	assert_false(o.allocated);
	assert_site_in(o.free_site, (void *)free_helper);
	/* The second free is reported, naming the allocation and the first free. */
	assert_int_equal(pa_free_pages(p, 2), -PA_EINVAL);
	snprintf(want, sizeof(want), "double free); allocated by [<%#lx>] order 2 seq %llu, freed by [<%#lx>]",
		 (unsigned long)o.alloc_site, o.seq, (unsigned long)o.free_site);
	assert_int_equal(th_log_lines(), 1);
	if (!strstr(th_last_log(), want))
		fail_msg("log '%s' lacks '%s'", th_last_log(), want);
	th_log_clear();
	assert_int_equal(pa_free_pages(q, 0), 0);
	th_check();
}

/*
 * A free that leaves a reference (pa_get_page() was called) frees the tail
 * pages only: the head stays allocated and records no free site until the
 * last reference goes, whose caller it then names.
 */
static void test_owner_partial_free(void **state)
{
	struct pa_page *p;
	struct pa_page_owner_info o;

	(void)state;
	machine();
	p = alloc_helper(PA_GFP_KERNEL, 2);
	assert_non_null(p);
	pa_get_page(p);
	assert_int_equal(free_helper(p, 2), 0);
	o = owner(p);
	assert_true(o.allocated);
	assert_int_equal(o.free_site, 0);
	assert_site_in(o.alloc_site, (void *)alloc_helper);
	assert_int_equal(put_helper(p), 0);
	o = owner(p);
	assert_false(o.allocated);
	assert_site_in(o.free_site, (void *)put_helper);
	assert_int_equal(th_log_lines(), 0);
	th_check();
}

#ifdef CONFIG_PA_MEMORY_ISOLATION
/* Contiguous ranges: every page names the caller of the range calls. */
static void test_owner_contig(void **state)
{
	struct pa_page *p;
	unsigned long pfn;

	(void)state;
	machine();
	p = contig_helper(5);
	assert_non_null(p);
	pfn = pa_page_to_pfn(p);
	for (unsigned long i = 0; i < 5; i++) {
		struct pa_page_owner_info o = owner(pa_pfn_to_page(pfn + i));

		assert_true(o.allocated);
		assert_site_in(o.alloc_site, (void *)contig_helper);
		assert_int_equal(o.free_site, 0);
	}
	assert_int_equal(contig_free_helper(pfn, 5), 0);
	for (unsigned long i = 0; i < 5; i++) {
		struct pa_page_owner_info o = owner(pa_pfn_to_page(pfn + i));

		assert_false(o.allocated);
		assert_site_in(o.free_site, (void *)contig_free_helper);
	}
	assert_int_equal(th_log_lines(), 0);
	th_check();
}
#endif

/* Bulk pages record the bulk call; a slot the caller filled is left alone. */
static void test_owner_bulk(void **state)
{
	struct pa_page *a[8] = { 0 }, marker;
	unsigned int n;

	(void)state;
	machine();
	a[3] = &marker;
	n = bulk_helper(8, a);
	assert_int_equal(n, 8);
	assert_ptr_equal(a[3], &marker);
	for (unsigned int i = 0; i < 8; i++) {
		if (i == 3)
			continue;
		assert_site_in(owner(a[i]).alloc_site, (void *)bulk_helper);
		assert_int_equal(owner(a[i]).order, 0);
		assert_int_equal(pa_free_pages(a[i], 0), 0);
	}
	assert_int_equal(th_log_lines(), 0);
	th_check();
}

struct entry {
	unsigned long pfn;
	unsigned int order;
};

/* Parse the dump: the order and pfn of each entry, in order. */
static unsigned int parse_dump(const char *text, struct entry *e, unsigned int max)
{
	unsigned int n = 0;

	for (const char *s = text; (s = strstr(s, "Page allocated via order ")); s++) {
		const char *pfn = strstr(s, "\nPFN 0x");

		assert_true(n < max);
		assert_non_null(pfn);
		e[n].order = (unsigned int)strtoul(s + strlen("Page allocated via order "), NULL, 10);
		e[n].pfn = strtoul(pfn + strlen("\nPFN 0x"), NULL, 16);
		n++;
	}
	return n;
}

/* The dump lists exactly the allocated blocks, in pfn order, with their orders. */
static void test_owner_dump(void **state)
{
	static const unsigned int orders[] = { 0, 3, 1, 9, 0, 2, 4 };
	struct pa_page *p[7];
	struct entry want[7], got[16];
	static char text[8192];
	char line[160];
	unsigned int n = 0, m;

	(void)state;
	machine();
	for (unsigned int i = 0; i < 7; i++)
		assert_non_null(p[i] = alloc_helper(i == 6 ? PA_GFP_HIGHUSER_MOVABLE : PA_GFP_KERNEL,
						    orders[i]));
	assert_int_equal(pa_free_pages(p[4], 0), 0); /* no longer listed */
	for (unsigned int i = 0; i < 7; i++)
		if (i != 4)
			want[n++] = (struct entry){ pa_page_to_pfn(p[i]), orders[i] };
	for (unsigned int i = 0; i < n; i++) /* sort by pfn */
		for (unsigned int j = i + 1; j < n; j++)
			if (want[j].pfn < want[i].pfn) {
				struct entry t = want[i];
				want[i] = want[j];
				want[j] = t;
			}
	th_text(pa_print_page_owner, text, sizeof(text));
	m = parse_dump(text, got, 16);
	assert_int_equal(m, n);
	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(got[i].pfn, want[i].pfn);
		assert_int_equal(got[i].order, want[i].order);
	}
	/* GFP_KERNEL = 0x400|0x800|0x40|0x80; HIGHUSER_MOVABLE adds 0x100000|0x2|0x8. */
	snprintf(line, sizeof(line), "Page allocated via order 3, mask 0xcc0(GFP_KERNEL), seq %llu\n"
		 "PFN %#lx type Unmovable Block %lu type Unmovable Flags",
		 owner(p[1]).seq, pa_page_to_pfn(p[1]), pa_page_to_pfn(p[1]) >> PA_PAGEBLOCK_ORDER);
	assert_non_null(strstr(text, line));
	snprintf(line, sizeof(line), "Page allocated via order 4, mask 0x100cca(GFP_HIGHUSER_MOVABLE)");
	assert_non_null(strstr(text, line));
	snprintf(line, sizeof(line), "\n [<%#lx>]\n\n", (unsigned long)owner(p[3]).alloc_site);
	assert_non_null(strstr(text, line));
	assert_int_equal(th_log_lines(), 0);
}

static void test_owner_bad_input(void **state)
{
	struct pa_page_owner_info o;

	(void)state;
	th_assert_error(pa_page_owner_get(NULL, &o), PA_ENODEV, "before pa_init");
	th_assert_error(pa_print_page_owner(NULL, NULL), PA_ENODEV, "before pa_init");
	machine();
	th_assert_error(pa_page_owner_get(NULL, &o), PA_EFAULT, "not a page");
	th_assert_error(pa_page_owner_get(pa_phys_to_page(4 * GiB), NULL), PA_EINVAL,
			"NULL");
	th_assert_error(pa_print_page_owner(NULL, NULL), PA_EINVAL, "NULL print");
}
#else
/* Without page_owner: the calls say so, with one log line each. */
static void test_owner_off(void **state)
{
	struct pa_page_owner_info o;
	char text[64];

	(void)state;
	machine();
	th_assert_error(pa_page_owner_get(pa_alloc_pages(PA_GFP_KERNEL, 0), &o), PA_EOPNOTSUPP,
			"CONFIG_PA_PAGE_OWNER");
	th_assert_error(pa_print_page_owner((pa_print_fn)(uintptr_t)1, text), PA_EOPNOTSUPP,
			"CONFIG_PA_PAGE_OWNER");
}
#endif

#ifndef CONFIG_PA_PAGE_POISONING
/* Without poisoning the allocator never writes page contents. */
static void test_poison_off(void **state)
{
	struct pa_page *p;
	unsigned char *mem;

	(void)state;
	machine();
	p = pa_alloc_pages(PA_GFP_KERNEL, 1);
	assert_non_null(p);
	mem = pa_port_phys_to_virt(pa_page_to_phys(p), 2 * PA_PAGE_SIZE);
	memset(mem, 0x11, 2 * PA_PAGE_SIZE);
	assert_int_equal(pa_free_pages(p, 1), 0);
	pa_drain_all_pages();
	for (unsigned int b = 0; b < 2 * PA_PAGE_SIZE; b++)
		assert_int_equal(mem[b], 0x11);
	assert_ptr_equal(pa_alloc_pages(PA_GFP_KERNEL, 1), p);
	assert_int_equal(poison_errors(), 0);
	assert_int_equal(th_log_lines(), 0);
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
#ifdef CONFIG_PA_PAGE_POISONING
#ifdef CONFIG_PA_PCP
		cmocka_unit_test_setup(test_poison_pcp_order0, th_setup),
		cmocka_unit_test_setup(test_poison_pcp_order3, th_setup),
#endif
		cmocka_unit_test_setup(test_poison_buddy_order0, th_setup),
		cmocka_unit_test_setup(test_poison_buddy_order3, th_setup),
		cmocka_unit_test_setup(test_poison_buddy_order5, th_setup),
		cmocka_unit_test_setup(test_poison_clean_cycle, th_setup),
#else
		cmocka_unit_test_setup(test_poison_off, th_setup),
#endif
#ifdef CONFIG_PA_PAGE_OWNER
		cmocka_unit_test_setup(test_owner_double_free, th_setup),
		cmocka_unit_test_setup(test_owner_partial_free, th_setup),
#ifdef CONFIG_PA_MEMORY_ISOLATION
		cmocka_unit_test_setup(test_owner_contig, th_setup),
#endif
		cmocka_unit_test_setup(test_owner_bulk, th_setup),
		cmocka_unit_test_setup(test_owner_dump, th_setup),
		cmocka_unit_test_setup(test_owner_bad_input, th_setup),
#else
		cmocka_unit_test_setup(test_owner_off, th_setup),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
