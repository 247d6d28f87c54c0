// SPDX-License-Identifier: MIT
/*
 * pa-sim MACHINE VIEW...: build the machine a description file gives and
 * print what the allocator made of it.
 */
#include <stdio.h>
#include <string.h>
#include <pagealloc/pagealloc.h>
#include "sim.h"

static void out(void *ctx, const char *s, size_t len)
{
	fwrite(s, 1, len, ctx);
}

static int view_metadata(void)
{
	struct pa_meminfo mi;
	double present_mib, meta;

	if (pa_get_meminfo(&mi))
		return 1;
	present_mib = (double)mi.present_pages * (double)PA_PAGE_SIZE / (1 << 20);
	meta = (double)(mi.memmap_bytes + mi.table_bytes);
	printf("present:        %lu pages (%.0f MiB) in %lu sections\n", mi.present_pages, present_mib,
	       mi.nr_sections);
	printf("managed:        %lu pages\n", mi.managed_pages);
	printf("memmap:         %zu bytes\n", mi.memmap_bytes);
	printf("tables:         %zu bytes\n", mi.table_bytes);
	printf("metadata:       %.3f%% of present memory\n",
	       100.0 * meta / ((double)mi.present_pages * (double)PA_PAGE_SIZE));
	printf("init:           %.3f ms wall, %.3f ms CPU in the allocator\n", pa_sim_init_ms(),
	       pa_sim_init_cpu_ms());
	return 0;
}

static int view(const char *name)
{
	if (!strcmp(name, "buddyinfo"))
		return pa_print_buddyinfo(out, stdout) ? 1 : 0;
	if (!strcmp(name, "zoneinfo"))
		return pa_print_zoneinfo(out, stdout) ? 1 : 0;
	if (!strcmp(name, "pagetypeinfo"))
		return pa_print_pagetypeinfo(out, stdout) ? 1 : 0;
	if (!strcmp(name, "extfrag_index"))
		return pa_print_extfrag_index(out, stdout) ? 1 : 0;
	if (!strcmp(name, "unusable_index"))
		return pa_print_unusable_index(out, stdout) ? 1 : 0;
	if (!strcmp(name, "zonelists"))
		return pa_print_zonelists(out, stdout) ? 1 : 0;
	if (!strcmp(name, "vmstat"))
		return pa_print_vmstat(out, stdout) ? 1 : 0;
	if (!strcmp(name, "metadata"))
		return view_metadata();
	if (!strcmp(name, "check")) {
		int r = pa_check();

		printf("check: %s\n", r ? "FAILED" : "ok");
		return r ? 1 : 0;
	}
	fprintf(stderr, "pa-sim: unknown view '%s'\n", name);
	return 2;
}

static void usage(void)
{
	fprintf(stderr, "usage: pa-sim MACHINE VIEW...\n"
			"views: buddyinfo zoneinfo pagetypeinfo extfrag_index unusable_index\n"
			"       zonelists vmstat metadata check\n");
}

int main(int argc, char **argv)
{
	char err[512];
	int r;

	if (argc < 3) {
		usage();
		return 2;
	}
	r = pa_sim_load(argv[1], err, sizeof(err));
	if (r) {
		fprintf(stderr, "%s\n", err);
		return r;
	}
	for (int i = 2; i < argc; i++) {
		r = view(argv[i]);
		if (r)
			return r;
	}
	return 0;
}
