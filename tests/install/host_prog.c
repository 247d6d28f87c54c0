// SPDX-License-Identifier: MIT
/*
 * Built by tests/install_test.sh against an installed pagealloc with
 * nothing but `pkg-config --cflags --libs pagealloc`: boot a small
 * simulated machine on the hosted port, allocate and free a page, and
 * check that the free count comes back.  The zone checks also show that
 * the installed autoconf.h gives this program the library's configuration.
 */
#include <stdio.h>
#include <string.h>
#include <pagealloc/pagealloc.h>
#include <pagealloc/port.h>
#include <pagealloc/host.h>

#define MiB (1ULL << 20)
#define BASE 0x40000000ULL
#define DMA32_LIMIT (BASE + 128 * MiB)

#define CHECK(cond)                                                                   \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			return 1;                                                     \
		}                                                                     \
	} while (0)

int main(void)
{
	struct pa_zone_counts normal;
	struct pa_page *page;
	unsigned long before;
	unsigned char *va;

	/* The boot sequence of README.md: RAM, the kernel image, zones, CPUs. */
	CHECK(pa_memblock_add(BASE, 256 * MiB, 0) == 0);
	CHECK(pa_memblock_reserve(BASE, 2 * MiB) == 0);
#ifdef CONFIG_PA_ZONE_DMA32
	CHECK(pa_set_zone_limit(PA_ZONE_DMA32, DMA32_LIMIT) == 0);
#endif
	CHECK(pa_set_nr_cpus(1) == 0);
	/* Exact free counts below: no pages parked on per-CPU lists. */
	CHECK(pa_pcp_set_enabled(false) == 0);
	CHECK(pa_init() == 0);

	before = pa_nr_free_pages();
	CHECK(before > 0);
	page = pa_alloc_pages(PA_GFP_KERNEL, 0);
	CHECK(page != NULL);
	CHECK(pa_page_count(page) == 1);
	CHECK(pa_nr_free_pages() == before - 1);
	CHECK(pa_page_zone_type(page) == PA_ZONE_NORMAL);
	CHECK(strcmp(pa_zone_name(pa_page_zone_type(page)), "Normal") == 0);
	va = pa_port_phys_to_virt(pa_page_to_phys(page), PA_PAGE_SIZE);
	memset(va, 0x5a, PA_PAGE_SIZE);
	CHECK(pa_free_pages(page, 0) == 0);
	CHECK(pa_nr_free_pages() == before);

#ifdef CONFIG_PA_ZONE_DMA32
	page = pa_alloc_pages(PA_GFP_DMA32, 0);
	CHECK(page != NULL);
	CHECK(pa_page_zone_type(page) == PA_ZONE_DMA32);
	CHECK(strcmp(pa_zone_name(PA_ZONE_DMA32), "DMA32") == 0);
	CHECK(pa_page_to_phys(page) < DMA32_LIMIT);
	CHECK(pa_free_pages(page, 0) == 0);
	CHECK(pa_nr_free_pages() == before);
#endif
	CHECK(pa_zone_get_counts(0, PA_ZONE_NORMAL, &normal) == 0);
	CHECK(normal.free <= normal.managed && normal.managed <= normal.present);
	CHECK(pa_check() == 0);
	printf("host program: %lu free pages of %lu bytes, restored after alloc and free\n", before,
	       (unsigned long)PA_PAGE_SIZE);
	return 0;
}
