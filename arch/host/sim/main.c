// SPDX-License-Identifier: MIT
/*
 * pa-sim MACHINE [--workload NAME[:KEY=VALUE,...] | --trace FILE]... [--plot FILE.png]
 *        [VIEW...]: build the machine a description file gives, run
 * workloads and replay traces on it in the order given, then print what
 * the allocator made of it.
 */
#include <stdbool.h>
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

/* Every tunable, as Linux's `sysctl vm.NAME` prints it. */
static int view_sysctl(void)
{
	const char *name;

	for (unsigned int i = 0; (name = pa_sysctl_name(i)) != NULL; i++) {
		long v[PA_MAX_NR_ZONES];
		unsigned int n;

		if (pa_sysctl_get(name, v, PA_MAX_NR_ZONES, &n))
			return 1;
		printf("vm.%s =", name);
		for (unsigned int j = 0; j < n; j++)
			printf("%s%ld", j ? "\t" : " ", v[j]);
		printf("\n");
	}
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
	if (!strcmp(name, "summary"))
		return pa_show_free_areas(out, stdout) ? 1 : 0;
	if (!strcmp(name, "metadata"))
		return view_metadata();
	if (!strcmp(name, "sysctl"))
		return view_sysctl();
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
	fprintf(stderr, "usage: pa-sim MACHINE [--workload NAME[:KEY=VALUE,...]] [--trace FILE]\n"
			"              [--plot FILE.png] [VIEW...]\n"
			"views: buddyinfo zoneinfo pagetypeinfo extfrag_index unusable_index\n"
			"       zonelists vmstat summary metadata sysctl check\n"
			"workloads (KEY=default):\n");
	pa_sim_workload_help(stderr);
}

/* One run option: a workload or a trace. */
struct run_opt {
	bool trace;
	const char *arg;
};

struct args {
	struct run_opt run[16];
	int nrun;
	const char *plot;
	const char *views[64];
	int nviews;
};

static int parse_args(int argc, char **argv, struct args *a)
{
	for (int i = 2; i < argc; i++) {
		bool w = !strcmp(argv[i], "--workload"), t = !strcmp(argv[i], "--trace");

		if (w || t || !strcmp(argv[i], "--plot")) {
			if (i + 1 == argc)
				return fprintf(stderr, "pa-sim: %s needs an argument\n", argv[i]), 2;
			if (!w && !t)
				a->plot = argv[++i];
			else if (a->nrun == 16)
				return fprintf(stderr, "pa-sim: at most 16 workloads and traces\n"), 2;
			else
				a->run[a->nrun++] = (struct run_opt){ t, argv[++i] };
		} else if (argv[i][0] == '-') {
			return fprintf(stderr, "pa-sim: unknown option '%s'\n", argv[i]), 2;
		} else if (a->nviews == 64) {
			return fprintf(stderr, "pa-sim: at most 64 views\n"), 2;
		} else {
			a->views[a->nviews++] = argv[i];
		}
	}
	if (!a->nviews && !a->nrun)
		return usage(), 2;
	if (a->plot && !a->nrun)
		return fprintf(stderr, "pa-sim: --plot needs --workload or --trace\n"), 2;
	return 0;
}

/* The plot's title: the run options, quotes replaced (gnuplot strings). */
static void plot_title(const struct args *a, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < a->nrun && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s %s", i ? ", " : "",
				      a->run[i].trace ? "trace" : "workload", a->run[i].arg);
	for (char *c = buf; *c; c++)
		if (*c == '\'' || *c == '\\')
			*c = '"';
}

static int run_all(const struct args *a, char *err, size_t errlen)
{
	char title[512];
	int r = 0;

	if (a->plot)
		pa_sim_plot_start(a->plot);
	for (int i = 0; !r && i < a->nrun; i++)
		r = a->run[i].trace ? pa_sim_replay(a->run[i].arg, err, errlen)
				    : pa_sim_workload(a->run[i].arg, err, errlen);
	fflush(stdout);
	if (!r && a->plot) {
		plot_title(a, title, sizeof(title));
		r = pa_sim_plot_finish(title, err, errlen);
	}
	return r;
}

int main(int argc, char **argv)
{
	struct args a = { 0 };
	char err[1024];
	int r;

	if (argc < 3) {
		usage();
		return 2;
	}
	if ((r = parse_args(argc, argv, &a)))
		return r;
	r = pa_sim_load(argv[1], err, sizeof(err));
	if (!r)
		r = run_all(&a, err, sizeof(err));
	if (r) {
		fprintf(stderr, "%s\n", err);
		return r;
	}
	for (int i = 0; i < a.nviews; i++) {
		r = view(a.views[i]);
		if (r)
			return r;
	}
	return 0;
}
