// SPDX-License-Identifier: MIT
/*
 * /proc/pagetypeinfo and debugfs extfrag/{extfrag_index,unusable_index}:
 * parsed the way a tool reading the kernel's files would (regexes for the
 * header, the per-migratetype free lines and the "Number of blocks type"
 * table), the numbers checked against the zone counters; the
 * fragmentation and unusable indices of a state worked out by hand; the
 * 100000 cap of a free-list count.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "th_internal.h"
#include "harness.h"

#define TEXT_SIZE (64 * 1024)

static const char *const expected_names[] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic",
#ifdef CONFIG_PA_CMA
	"CMA",
#endif
#ifdef CONFIG_PA_MEMORY_ISOLATION
	"Isolate",
#endif
};
_Static_assert(sizeof(expected_names) / sizeof(expected_names[0]) == PA_MIGRATE_TYPES,
	       "one name per migratetype");

static int teardown(void **state)
{
	(void)state;
	th_reset();
	return 0;
}

/* One node, one Normal zone of @pages pages at 4 GiB, one CPU, no per-CPU sets. */
static void machine(unsigned long pages)
{
	assert_int_equal(pa_set_nr_cpus(1), 0);
	assert_int_equal(pa_memblock_add(4 * GiB, (pa_phys_t)pages * PA_PAGE_SIZE, 0), 0);
	th_external_memmap();
	assert_int_equal(pa_init(), 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).managed, pages);
#ifdef CONFIG_PA_PCP
	assert_int_equal(pa_pcp_set_enabled(false), 0);
#endif
}

/* The numbers of @s (separated by spaces, each maybe after '>'), at most @max. */
static int numbers(const char *s, unsigned long *out, int max)
{
	int n = 0;

	while (*s && n < max) {
		char *end;

		while (*s == ' ' || *s == '>')
			s++;
		if (!*s)
			break;
		out[n++] = strtoul(s, &end, 10);
		assert_true(end != s);
		s = end;
	}
	return n;
}

/* The words of @s separated by spaces, copied into @out. */
static int words(const char *s, char out[][16], int max)
{
	int n = 0;

	while (*s && n < max) {
		size_t len;

		while (*s == ' ')
			s++;
		len = strcspn(s, " ");
		if (!len)
			break;
		assert_true(len < 16);
		memcpy(out[n], s, len);
		out[n++][len] = '\0';
		s += len;
	}
	return n;
}

/* What a /proc/pagetypeinfo parser finds, for a machine of one zone. */
struct pti {
	long block_order, pages_per_block;
	int nr_orders, nr_types, nr_block_types;
	char type[PA_MIGRATE_TYPES][16];
	unsigned long free[PA_MIGRATE_TYPES][PA_NR_PAGE_ORDERS];
	bool over[PA_MIGRATE_TYPES][PA_NR_PAGE_ORDERS];
	char block_type[PA_MIGRATE_TYPES][16];
	unsigned long blocks[PA_MIGRATE_TYPES];
	int nr_block_lines;
};

static const char *const pti_patterns[] = {
	"^Page block order: ([0-9]+)$",
	"^Pages per block:  ([0-9]+)$",
	"^Free pages count per migrate type at order(( +[0-9]+)+) $",
	"^Node +([0-9]+), zone +([A-Za-z0-9]+), type +([A-Za-z]+)(( +>?[0-9]+)+) $",
	"^Number of blocks type(( +[A-Za-z]+)+) $",
	"^Node ([0-9]+), zone +([A-Za-z0-9]+)(( +[0-9]+)+) $",
	"^$",
};
enum { PT_ORDER, PT_PER_BLOCK, PT_FREE_HDR, PT_FREE, PT_BLOCK_HDR, PT_BLOCKS, PT_BLANK, PT_N };

static void pti_line(struct pti *t, int k, const char *line, const regmatch_t *m)
{
	unsigned long v[PA_NR_PAGE_ORDERS + 1];
	char tmp[512];

	/* The last group of interest, as a string. */
	int g = k == PT_FREE ? 4 : k == PT_BLOCKS ? 3 : 1;

	snprintf(tmp, sizeof(tmp), "%.*s", (int)(m[g].rm_eo - m[g].rm_so), line + m[g].rm_so);
	if (k == PT_ORDER)
		t->block_order = atol(tmp);
	else if (k == PT_PER_BLOCK)
		t->pages_per_block = atol(tmp);
	else if (k == PT_FREE_HDR)
		t->nr_orders = numbers(tmp, v, PA_NR_PAGE_ORDERS + 1);
	else if (k == PT_FREE) {
		int mt = t->nr_types++;

		assert_true(mt < PA_MIGRATE_TYPES);
		snprintf(t->type[mt], 16, "%.*s", (int)(m[3].rm_eo - m[3].rm_so), line + m[3].rm_so);
		assert_int_equal(numbers(tmp, t->free[mt], PA_NR_PAGE_ORDERS), PA_NR_PAGE_ORDERS);
		for (int o = 0, i = 0; o < PA_NR_PAGE_ORDERS; o++, i++) {
			while (tmp[i] == ' ')
				i++;
			t->over[mt][o] = tmp[i] == '>';
			i += (int)strcspn(tmp + i, " ");
		}
	} else if (k == PT_BLOCK_HDR)
		t->nr_block_types = words(tmp, t->block_type, PA_MIGRATE_TYPES);
	else if (k == PT_BLOCKS) {
		assert_int_equal(numbers(tmp, t->blocks, PA_MIGRATE_TYPES), PA_MIGRATE_TYPES);
		t->nr_block_lines++;
	}
}

/* Parse @text; every line must match one of the patterns, in file order. */
static void parse_pagetypeinfo(const char *text, struct pti *t)
{
	regex_t re[PT_N];
	int last = -1;

	memset(t, 0, sizeof(*t));
	for (int k = 0; k < PT_N; k++)
		assert_int_equal(regcomp(&re[k], pti_patterns[k], REG_EXTENDED), 0);
	for (const char *s = text; *s;) {
		size_t len = strcspn(s, "\n");
		char line[512];
		regmatch_t m[8];
		int k = 0;

		assert_true(len < sizeof(line));
		memcpy(line, s, len);
		line[len] = '\0';
		while (k < PT_N && regexec(&re[k], line, 8, m, 0))
			k++;
		if (k == PT_N)
			fail_msg("unexpected line '%s'", line);
		if (k != PT_BLANK && k != PT_FREE && k != PT_BLOCKS && k <= last)
			fail_msg("line '%s' out of order", line);
		if (k != PT_BLANK)
			last = k;
		pti_line(t, k, line, m);
		s += len + (s[len] == '\n');
	}
	for (int k = 0; k < PT_N; k++)
		regfree(&re[k]);
}

/* Pageblocks of each migratetype in @z, from the pageblock bitmap. */
static void count_blocks(const struct pa_zone_counts *z, unsigned long *count)
{
	memset(count, 0, sizeof(*count) * PA_MIGRATE_TYPES);
	for (unsigned long pfn = z->start_pfn; pfn < z->start_pfn + z->spanned;
	     pfn += PA_PAGEBLOCK_NR_PAGES)
		count[pa_get_pageblock_migratetype(pfn)]++;
}

static void check_pagetypeinfo(void)
{
	char *text = malloc(TEXT_SIZE);
	struct pa_zone_counts c = th_zone(0, PA_ZONE_NORMAL);
	unsigned long blocks[PA_MIGRATE_TYPES], sum = 0;
	struct pti t;

	th_text(pa_print_pagetypeinfo, text, TEXT_SIZE);
	parse_pagetypeinfo(text, &t);
	assert_int_equal(t.block_order, PA_PAGEBLOCK_ORDER);
	assert_int_equal(t.pages_per_block, PA_PAGEBLOCK_NR_PAGES);
	assert_int_equal(t.nr_orders, PA_NR_PAGE_ORDERS);
	assert_int_equal(t.nr_types, PA_MIGRATE_TYPES);
	assert_int_equal(t.nr_block_types, PA_MIGRATE_TYPES);
	assert_int_equal(t.nr_block_lines, 1);
	for (int mt = 0; mt < PA_MIGRATE_TYPES; mt++) {
		assert_string_equal(t.type[mt], expected_names[mt]);
		assert_string_equal(t.block_type[mt], expected_names[mt]);
	}
	for (int o = 0; o < PA_NR_PAGE_ORDERS; o++) {
		unsigned long n = 0;

		for (int mt = 0; mt < PA_MIGRATE_TYPES; mt++)
			n += t.free[mt][o];
		assert_int_equal(n, c.nr_free[o]);
	}
	count_blocks(&c, blocks);
	for (int mt = 0; mt < PA_MIGRATE_TYPES; mt++) {
		assert_int_equal(t.blocks[mt], blocks[mt]);
		sum += t.blocks[mt];
	}
	assert_int_equal(sum, (c.spanned + PA_PAGEBLOCK_NR_PAGES - 1) / PA_PAGEBLOCK_NR_PAGES);
	free(text);
}

/* Free pages of each migratetype's lists, as the file shows them. */
static unsigned long type_pages(const struct pti *t, int mt)
{
	unsigned long n = 0;

	for (int o = 0; o < PA_NR_PAGE_ORDERS; o++)
		n += t->free[mt][o] << o;
	return n;
}

static void test_pagetypeinfo_types(void **state)
{
	struct pa_page *p[3];
	char *text = malloc(TEXT_SIZE);
	struct pti t;
	int mt;

	(void)state;
	machine(16 * PA_PAGEBLOCK_NR_PAGES);
	check_pagetypeinfo();
	p[0] = pa_alloc_pages(PA_GFP_KERNEL, 0);
	p[1] = pa_alloc_pages(PA_GFP_HIGHUSER_MOVABLE, 2);
	p[2] = pa_alloc_pages(PA_GFP_KERNEL | PA__GFP_RECLAIMABLE, 1);
	for (int i = 0; i < 3; i++)
		assert_non_null(p[i]);
	/*
	 * A free pageblock taken for another type becomes that type.  The
	 * reclaimable request may instead steal from the unmovable block (its
	 * first fallback) when the zone does not avoid fragmenting fallbacks
	 * (ALLOC_NOFRAGMENT needs a DMA32 zone below Normal).
	 */
	assert_int_equal(pa_get_pageblock_migratetype(pa_page_to_pfn(p[0])), PA_MIGRATE_UNMOVABLE);
	assert_int_equal(pa_get_pageblock_migratetype(pa_page_to_pfn(p[1])), PA_MIGRATE_MOVABLE);
	mt = pa_get_pageblock_migratetype(pa_page_to_pfn(p[2]));
	assert_true(mt == PA_MIGRATE_RECLAIMABLE || mt == PA_MIGRATE_UNMOVABLE);
	check_pagetypeinfo();
	th_text(pa_print_pagetypeinfo, text, TEXT_SIZE);
	parse_pagetypeinfo(text, &t);
	for (int i = 0; i < PA_MIGRATE_TYPES; i++)
		assert_int_equal(type_pages(&t, i),
				 th_pa_zone(0, PA_ZONE_NORMAL)->free_pages_mt[i]);
	/*
	 * Claiming a free block of order > pageblock_order takes all its
	 * pageblocks: at most two such claims here (unmovable, reclaimable),
	 * each of one MAX_PAGE_ORDER block.
	 */
	assert_true(t.blocks[PA_MIGRATE_UNMOVABLE] >= 1);
	assert_true(t.blocks[mt] >= 1);
	assert_true(t.blocks[PA_MIGRATE_MOVABLE] >=
		    16 - 2 * (PA_MAX_ORDER_NR_PAGES / PA_PAGEBLOCK_NR_PAGES));
	for (int i = 0; i < 3; i++)
		assert_int_equal(pa_free_pages(p[i], i == 0 ? 0 : 3 - i), 0);
	check_pagetypeinfo();
	th_check();
	free(text);
}

/*
 * The line of one zone in an index file: "Node 0, zone   Normal " then,
 * per order, index / 1000 "." index % 1000 as Linux prints them: "%d.%03d"
 * of a negative index other than -1000 gives e.g. "0.-500", so parse the
 * two integers, not a decimal number.
 */
static void index_line(int (*writer)(pa_print_fn, void *), double *v)
{
	char text[4096];
	regex_t re;
	regmatch_t m[2];
	const char *s;

	th_text(writer, text, sizeof(text));
	assert_int_equal(regcomp(&re, "^Node 0, zone   Normal(( +-?[0-9]+\\.(-[0-9]+|[0-9]{3}))+) \n$",
				 REG_EXTENDED), 0);
	if (regexec(&re, text, 2, m, 0))
		fail_msg("unexpected index file:\n%s", text);
	regfree(&re);
	s = text + m[1].rm_so;
	for (int o = 0; o < PA_NR_PAGE_ORDERS; o++) {
		char *end;
		long whole = strtol(s, &end, 10);

		assert_true(end != s && *end == '.');
		s = end + 1;
		v[o] = (double)whole + (double)strtol(s, &end, 10) / 1000.0;
		assert_true(end != s);
		s = end;
	}
	assert_int_equal(s - text, m[1].rm_eo);
}

static void expect_index(int (*writer)(pa_print_fn, void *), const double *want, int n)
{
	double v[PA_NR_PAGE_ORDERS];

	index_line(writer, v);
	for (int o = 0; o < n; o++)
		if (v[o] < want[o] - 0.0005 || v[o] > want[o] + 0.0005)
			fail_msg("order %d: %.3f, expected %.3f", o, v[o], want[o]);
}

/* Allocate every page of the zone at order 0, filed by pfn in @p; the count. */
static unsigned long alloc_all(struct pa_page **p)
{
	unsigned long start = th_zone(0, PA_ZONE_NORMAL).start_pfn, n = 0;

	for (struct pa_page *page; (page = pa_alloc_pages(TH_GFP_ANY, 0)); n++)
		p[pa_page_to_pfn(page) - start] = page;
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).free, 0);
	return n;
}

/* Free every other page of @p[0..@pages), from @first. */
static void free_alternate(struct pa_page **p, unsigned long pages, unsigned long first)
{
	for (unsigned long i = first; i < pages; i += 2)
		assert_int_equal(pa_free_pages(p[i], 0), 0);
}

/* Orders 0..@n-1 of the index file all show @value. */
static void expect_all(int (*writer)(pa_print_fn, void *), double value, int n)
{
	double want[PA_NR_PAGE_ORDERS];

	for (int o = 0; o < PA_NR_PAGE_ORDERS; o++)
		want[o] = value;
	expect_index(writer, want, n);
}

/*
 * Every page of the zone allocated at order 0 (nothing free), then every
 * other page of the first 1024 freed: 512 free blocks of order 0, no two
 * buddies free.  Worked by hand from Linux's formulas:
 *   unusable_index(o) = (free_pages - (suitable_blocks << o)) * 1000 / free_pages
 *     o = 0: (512 - 512) / 512 = 0.000; o >= 1: no suitable block, 1.000.
 *     Nothing free: 1.000 at every order.
 *   fragmentation_index(o) = 1000 - (1000 + free_pages * 1000 / 2^o) / free_blocks
 *     o = 0: a block is free, -1.000;
 *     o = 1: 1000 - (1000 + 512000 / 2) / 512 = 1000 - 257000 / 512
 *            = 1000 - 501 = 499, 0.499;
 *     o = 2: 1000 - (1000 + 128000) / 512 = 1000 - 251 = 749;
 *     o = 3: 1000 - (1000 + 64000) / 512 = 1000 - 126 = 874.
 *     Nothing free: 0.000 at every order.
 */
static void test_extfrag_by_hand(void **state)
{
	const unsigned long pages = 1024;
	struct pa_page **p = calloc(pages, sizeof(*p));
	/* The zone is one block of order 10 (or of the largest order, if lower). */
	const int top = PA_MAX_PAGE_ORDER < 10 ? PA_MAX_PAGE_ORDER : 10;
	const double unusable[] = { 0.0, 1.0, 1.0, 1.0 };
	const double frag[] = { -1.0, 0.499, 0.749, 0.874 };

	(void)state;
	machine(pages);
	/* All free in blocks of order top: usable and no fragmentation up to it. */
	expect_all(pa_print_unusable_index, 0.0, top + 1);
	expect_all(pa_print_extfrag_index, -1.0, top + 1);
	if (PA_MAX_PAGE_ORDER > 10) {
		/*
		 * Order 11, more than is free: 1000 - (1000 + 1024000 / 2048) / 1
		 * = -500, which Linux prints as " 0.-500".
		 */
		char text[1024];

		th_text(pa_print_extfrag_index, text, sizeof(text));
		assert_non_null(strstr(text, " -1.000  0.-500 "));
	}
	assert_int_equal(alloc_all(p), pages);
	expect_all(pa_print_unusable_index, 1.0, PA_NR_PAGE_ORDERS);
	expect_all(pa_print_extfrag_index, 0.0, PA_NR_PAGE_ORDERS);
	free_alternate(p, pages, 0);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).nr_free[0], 512);
	expect_index(pa_print_unusable_index, unusable, 4);
	expect_index(pa_print_extfrag_index, frag, 4);
	check_pagetypeinfo();
	free_alternate(p, pages, 1);
	th_check();
	free(p);
}

/*
 * A free list longer than 100000 blocks: Linux stops counting it there and
 * prints ">100000".  262144 pages, every other one free at order 0.
 */
static void test_free_count_cap(void **state)
{
	const unsigned long pages = 262144;
	struct pa_page **p = calloc(pages, sizeof(*p));
	char *text = malloc(TEXT_SIZE);
	struct pti t;

	(void)state;
	machine(pages);
	assert_int_equal(alloc_all(p), pages);
	free_alternate(p, pages, 0);
	th_text(pa_print_pagetypeinfo, text, TEXT_SIZE);
	assert_non_null(strstr(text, "type      Movable >100000      0 "));
	parse_pagetypeinfo(text, &t);
	assert_true(t.over[PA_MIGRATE_MOVABLE][0]);
	assert_int_equal(t.free[PA_MIGRATE_MOVABLE][0], 100000);
	assert_false(t.over[PA_MIGRATE_UNMOVABLE][0]);
	assert_int_equal(th_zone(0, PA_ZONE_NORMAL).nr_free[0], pages / 2);
	free_alternate(p, pages, 1);
	th_check();
	free(text);
	free(p);
}

static void test_before_init(void **state)
{
	(void)state;
	th_assert_error(pa_print_pagetypeinfo(NULL, NULL), PA_ENODEV, "pa_print_pagetypeinfo");
	machine(PA_PAGEBLOCK_NR_PAGES);
	th_log_clear();
	th_assert_error(pa_print_extfrag_index(NULL, NULL), PA_EINVAL, "NULL print function");
	th_log_clear();
	th_assert_error(pa_print_unusable_index(NULL, NULL), PA_EINVAL, "NULL print function");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pagetypeinfo_types, th_setup, teardown),
		cmocka_unit_test_setup_teardown(test_extfrag_by_hand, th_setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_count_cap, th_setup, teardown),
		cmocka_unit_test_setup_teardown(test_before_init, th_setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
