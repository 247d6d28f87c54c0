// SPDX-License-Identifier: MIT
/*
 * pa-sim --plot FILE.png: samples taken during a workload or a trace
 * (free pages per order of all zones, stacked; the free pages of each of
 * the first MAX_ZONES zones against its min/low/high watermarks; CPU 0's
 * per-CPU set in the highest populated zone of node 0: count and high
 * between high_min and high_max), written
 * with a gnuplot script to a temporary directory and drawn by gnuplot
 * (Debian's gnuplot-nox) with the pngcairo terminal, or png where cairo is
 * missing.  The sampling interval starts at one operation and doubles
 * whenever MAX_SAMPLES are stored (every other sample is dropped), so a
 * run gives at most MAX_SAMPLES points plus the final one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "sim.h"

#define MAX_SAMPLES 2048
#define MAX_ZONES 16 /* zones drawn against their watermarks (the first, by node) */
#define ALL_ZONES (PA_MAX_NUMNODES * PA_MAX_NR_ZONES)

struct zone_sample {
	unsigned long free, min, low, high;
};

struct sample {
	unsigned long op;
	unsigned long order_pages[PA_NR_PAGE_ORDERS];
	struct zone_sample zone[MAX_ZONES];
	struct pa_pcp_info set; /* CPU 0's, in zone set_zone */
};

static struct {
	const char *png;
	struct sample *s;
	unsigned int n, nzones; /* populated zones: all count per order, MAX_ZONES are drawn */
	int nid[ALL_ZONES], type[ALL_ZONES];
	int set_zone; /* index of node 0's highest populated zone, or -1 */
	unsigned long ops, every;
} P;

static void take_sample(void)
{
	struct sample *s = &P.s[P.n++];

	memset(s, 0, sizeof(*s));
	s->op = P.ops;
	for (unsigned int i = 0; i < P.nzones; i++) {
		struct pa_zone_counts c;

		if (pa_zone_get_counts(P.nid[i], (enum pa_zone_type)P.type[i], &c))
			continue;
		for (unsigned int o = 0; o < PA_NR_PAGE_ORDERS; o++)
			s->order_pages[o] += c.nr_free[o] << o;
		if (i < MAX_ZONES)
			s->zone[i] = (struct zone_sample){ c.free, c.wmark_min, c.wmark_low, c.wmark_high };
	}
	if (P.set_zone >= 0)
		pa_pcp_get(P.nid[P.set_zone], (enum pa_zone_type)P.type[P.set_zone], 0, &s->set);
}

/* The populated zones, in node then zone order. */
static void find_zones(void)
{
	P.nzones = 0;
	P.set_zone = -1;
	for (int nid = 0; nid < PA_MAX_NUMNODES; nid++)
		for (int z = 0; z < PA_MAX_NR_ZONES; z++) {
			struct pa_zone_counts c;

			if (pa_zone_get_counts(nid, (enum pa_zone_type)z, &c) || !c.managed)
				continue;
			if (!nid)
				P.set_zone = (int)P.nzones;
			P.nid[P.nzones] = nid;
			P.type[P.nzones++] = z;
		}
}

void pa_sim_plot_start(const char *png)
{
	P.png = png;
	P.s = calloc(MAX_SAMPLES + 1, sizeof(*P.s));
	if (!P.s)
		abort();
	P.n = 0;
	P.ops = 0;
	P.every = 1;
	find_zones();
	take_sample();
}

void pa_sim_tick(void)
{
	if (!P.png)
		return;
	P.ops++;
	if (P.ops % P.every)
		return;
	if (P.n == MAX_SAMPLES) { /* keep every other sample, sample half as often */
		for (unsigned int i = 0; 2 * i < P.n; i++)
			P.s[i] = P.s[2 * i];
		P.n = (P.n + 1) / 2;
		P.every *= 2;
		if (P.ops % P.every)
			return;
	}
	take_sample();
}

void pa_sim_tick_span(unsigned long n)
{
	if (!P.png)
		return;
	P.ops += n - 1;
	P.ops += P.every - 1 - P.ops % P.every; /* the next tick is due */
	pa_sim_tick();
}

/* orders.dat: op, then free pages of orders <= o summed (the stacked areas); zones.dat likewise. */
static int write_data(const char *dir)
{
	char path[512];
	FILE *fo, *fz;

	snprintf(path, sizeof(path), "%s/orders.dat", dir);
	fo = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/zones.dat", dir);
	fz = fopen(path, "w");
	if (!fo || !fz)
		return fo ? fclose(fo) : 0, fz ? fclose(fz) : 0, -1;
	for (unsigned int i = 0; i < P.n; i++) {
		unsigned long sum = 0;

		fprintf(fo, "%lu", P.s[i].op);
		for (unsigned int o = 0; o < PA_NR_PAGE_ORDERS; o++)
			fprintf(fo, " %lu", sum += P.s[i].order_pages[o]);
		fprintf(fz, "%lu %d %d %d %d", P.s[i].op, P.s[i].set.count, P.s[i].set.high,
			P.s[i].set.high_min, P.s[i].set.high_max);
		for (unsigned int z = 0; z < P.nzones && z < MAX_ZONES; z++)
			fprintf(fz, " %lu %lu %lu %lu", P.s[i].zone[z].free, P.s[i].zone[z].min,
				P.s[i].zone[z].low, P.s[i].zone[z].high);
		fprintf(fo, "\n");
		fprintf(fz, "\n");
	}
	return fclose(fo) | fclose(fz);
}

/*
 * The three panels: stacked free pages per order, each zone against its
 * watermarks, and CPU 0's per-CPU set.  zones.dat: op, the set's count,
 * high, high_min, high_max, then four columns per zone.
 */
static void write_panels(FILE *f, const char *title)
{
	fprintf(f, "set multiplot layout 3,1 title '%s'\n", title);
	fprintf(f, "set xlabel 'operations'\nset ylabel 'free pages'\nset key outside right\n"
		   "set lmargin 12\nset rmargin 24\nset style fill solid 0.9 noborder\n"
		   "set palette rgbformulae 33,13,10\nunset colorbox\n"
		   "set title 'free pages per order (stacked, buddy lists)'\n");
	fprintf(f, "plot for [o=%d:0:-1] 'orders.dat' using 1:(column(o+2)) with filledcurves x1 "
		   "lc palette frac o/%d.0 title sprintf('order %%d', o)\n", PA_NR_PAGE_ORDERS - 1,
		PA_NR_PAGE_ORDERS - 1);
	/* Watermarks are a small fraction of a zone: a log scale shows both. */
	fprintf(f, "set title 'zone free pages and watermarks (log scale)'\nset logscale y\nplot ");
	for (unsigned int z = 0; z < P.nzones && z < MAX_ZONES; z++) {
		const char *name = pa_zone_name((enum pa_zone_type)P.type[z]);
		unsigned int c = 6 + 4 * z;

		fprintf(f, "%s'zones.dat' using 1:%u with lines lw 2 lc %u title '%d/%s free', "
			   "'' using 1:%u with lines dt 3 lc %u title 'min', "
			   "'' using 1:%u with lines dt 2 lc %u title 'low', "
			   "'' using 1:%u with lines dt 4 lc %u title 'high'",
			z ? ", " : "", c, z + 1, P.nid[z], name, c + 1, z + 1, c + 2, z + 1, c + 3, z + 1);
	}
	fprintf(f, "\nunset logscale y\nset ylabel 'pages'\n");
	if (P.set_zone >= 0)
		fprintf(f, "set title \"CPU 0's per-CPU set in %d/%s\"\n"
			   "plot 'zones.dat' using 1:3 with lines lw 2 lc 1 title 'high', "
			   "'' using 1:2 with lines lc 2 title 'count', "
			   "'' using 1:4 with lines dt 2 lc 3 title 'high_min', "
			   "'' using 1:5 with lines dt 4 lc 4 title 'high_max'\n",
			P.nid[P.set_zone], pa_zone_name((enum pa_zone_type)P.type[P.set_zone]));
	fprintf(f, "unset multiplot\n");
}

static int write_script(const char *dir, const char *title, const char *terminal)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/plot.gp", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "# pa-sim --plot: gnuplot %s/plot.gp (run in that directory)\n", dir);
	fprintf(f, "set terminal %s size 900,1000 noenhanced\nset output 'plot.png'\n", terminal);
	write_panels(f, title);
	return fclose(f);
}

/* Run gnuplot on DIR/plot.gp in DIR; its exit status, or -1. */
static int run_gnuplot(const char *dir)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (chdir(dir) == 0) {
			freopen("gnuplot.log", "w", stderr);
			execlp("gnuplot", "gnuplot", "plot.gp", (char *)NULL);
		}
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int have_gnuplot(void)
{
	return system("command -v gnuplot >/dev/null 2>&1") == 0;
}

/* Move DIR/plot.png to the requested file; the temporary directory goes. */
static int deliver(const char *dir, char *err, size_t errlen)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), "mv '%s/plot.png' '%s' && rm -rf '%s'", dir, P.png, dir);
	if (strchr(P.png, '\'') || system(cmd))
		return snprintf(err, errlen, "pa-sim: cannot write %s (gnuplot output in %s)", P.png,
				dir), 2;
	return 0;
}

int pa_sim_plot_finish(const char *title, char *err, size_t errlen)
{
	char dir[] = "/tmp/pa-sim-plot.XXXXXX";
	int st;

	take_sample();
	if (!have_gnuplot())
		return snprintf(err, errlen, "pa-sim: --plot needs gnuplot, which is not installed "
					     "(Debian: apt-get install gnuplot-nox)"), 2;
	if (!mkdtemp(dir) || write_data(dir))
		return snprintf(err, errlen, "pa-sim: cannot write the plot data in %s", dir), 2;
	st = write_script(dir, title, "pngcairo") ? -1 : run_gnuplot(dir);
	if (st == 127)
		return snprintf(err, errlen, "pa-sim: cannot run gnuplot"), 2;
	if (st) /* no cairo: gnuplot's own png terminal */
		st = write_script(dir, title, "png") ? -1 : run_gnuplot(dir);
	if (st)
		return snprintf(err, errlen, "pa-sim: gnuplot failed (exit %d), see %s/gnuplot.log", st,
				dir), 2;
	return deliver(dir, err, errlen);
}
