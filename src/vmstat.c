// SPDX-License-Identifier: MIT
/*
 * Event counters (per CPU, summed on read) and the /proc/vmstat writer.
 */
#include "internal.h"

/* /proc/vmstat names of the events after PA_PGFREE, in enum order. */
static const char *const event_names[PA_NR_VM_EVENTS - PA_PGFREE] = {
	"pgfree",          "pgsteal_kswapd",  "pgsteal_direct",   "zone_reclaim_success",
	"zone_reclaim_failed", "pageoutrun",  "compact_migrate_scanned", "compact_free_scanned",
	"compact_isolated", "compact_stall",  "compact_fail",
	"compact_success", "compact_daemon_wake", "compact_daemon_migrate_scanned",
	"compact_daemon_free_scanned", "pgalloc_fail",    "kswapd_wake",      "direct_reclaim",
	"node_reclaim_call", "oom_call",      "pgalloc_fallback", "pgalloc_fallback_claim",
	"pgalloc_slowpath",
};
_Static_assert(PA_NR_VM_EVENTS - PA_PGFREE == PA_ARRAY_SIZE(event_names), "one name per event");

static const char *const numa_names[PA_NR_NUMA_EVENTS] = {
	"numa_hit", "numa_miss", "numa_foreign", "numa_local", "numa_other",
};

static unsigned long rd(const unsigned long *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

/*
 * The fast paths' counts for zone @zoneid (pa_pcp_event_sum()'s items):
 * the per-CPU sets', and the zone's own: fast_alloc (the buddy fast
 * path's allocations from the first zone of the zonelist, by the CPU's
 * node: numa_hit, and local when that is the zone's) and nr_freed (every
 * free to its buddy lists).
 */
static unsigned long fast_event_sum(unsigned int zoneid, enum pa_pcp_event item)
{
	const struct pa_zone *z = pa_g.zone_by_id[zoneid];
	unsigned long sum = pa_pcp_event_sum(zoneid, item);

	if (!z)
		return sum;
	if (item == PA_PCP_EV_FREE)
		return sum + rd(&z->nr_freed);
	if (item != PA_PCP_EV_OTHER)
		sum += rd(&z->fast_alloc[0]);
	if (item != PA_PCP_EV_LOCAL)
		sum += rd(&z->fast_alloc[1]);
	return sum;
}

/* Pages allocated (or freed) in zone @id, by every path. */
static unsigned long zone_id_sum(unsigned int id, bool freed)
{
	unsigned long sum = 0;

	for (unsigned int cpu = 0; cpu < PA_NR_CPUS && !freed; cpu++)
		sum += rd(&pa_g.cpu_stats[cpu].zone_alloc[id]);
	return sum + fast_event_sum(id, freed ? PA_PCP_EV_FREE : PA_PCP_EV_ALLOC);
}

/* Pages allocated (or freed) in all zones of type @zt. */
static unsigned long zone_type_sum(int zt, bool freed)
{
	unsigned long sum = 0;

	for (int nid = 0; nid < PA_MAX_NUMNODES; nid++)
		sum += zone_id_sum((unsigned int)(nid * PA_MAX_NR_ZONES + zt), freed);
	return sum;
}

static unsigned long event_sum(unsigned int item)
{
	unsigned long sum = 0;

	if (item < PA_ALLOCSTALL) /* PA_PGALLOC + zone type */
		return zone_type_sum((int)(item - PA_PGALLOC), false);
	if (item == PA_PGFREE) {
		for (int zt = 0; zt < PA_MAX_NR_ZONES; zt++)
			sum += zone_type_sum(zt, true);
		return sum;
	}
	for (unsigned int cpu = 0; cpu < PA_NR_CPUS; cpu++)
		sum += rd(&pa_g.cpu_stats[cpu].events[item]);
	return sum;
}

unsigned long pa_vm_event_count(unsigned int item)
{
	if (item >= PA_NR_VM_EVENTS) {
		PA_FAIL(PA_EINVAL, "no event %u", item);
		return 0;
	}
	return event_sum(item);
}

#ifdef CONFIG_PA_NUMA
unsigned long pa_zone_numa_event(unsigned int zoneid, unsigned int item)
{
	unsigned long sum = 0;

	for (unsigned int cpu = 0; cpu < PA_NR_CPUS; cpu++)
		sum += rd(&pa_g.cpu_stats[cpu].numa[zoneid][item]);
	if (item == PA_NUMA_HIT)
		sum += fast_event_sum(zoneid, PA_PCP_EV_ALLOC);
	else if (item == PA_NUMA_LOCAL || item == PA_NUMA_OTHER)
		sum += fast_event_sum(zoneid, item == PA_NUMA_LOCAL ? PA_PCP_EV_LOCAL
								    : PA_PCP_EV_OTHER);
	return sum;
}
#else /* no NUMA events (struct pa_cpu_stats has no numa field) */
unsigned long pa_zone_numa_event(unsigned int zoneid, unsigned int item)
{
	(void)zoneid, (void)item;
	return 0;
}
#endif

unsigned long pa_numa_event_count(int nid, unsigned int item)
{
	unsigned long sum = 0;

	if (nid < 0 || nid >= PA_MAX_NUMNODES || item >= PA_NR_NUMA_EVENTS) {
		PA_FAIL(PA_EINVAL, "no NUMA event %u on node %d", item, nid);
		return 0;
	}
	for (int zt = 0; zt < PA_MAX_NR_ZONES; zt++)
		sum += pa_zone_numa_event((unsigned int)(nid * PA_MAX_NR_ZONES + zt), item);
	return sum;
}

unsigned long pa_zone_event_count(int nid, enum pa_zone_type zone, bool freed)
{
	if (nid < 0 || nid >= PA_MAX_NUMNODES || (int)zone < 0 || zone >= PA_MAX_NR_ZONES) {
		PA_FAIL(PA_ENOENT, "no zone %d on node %d", (int)zone, nid);
		return 0;
	}
	return zone_id_sum((unsigned int)(nid * PA_MAX_NR_ZONES + (int)zone), freed);
}

void pa_vm_events_reset(void)
{
	for (unsigned int cpu = 0; cpu < PA_NR_CPUS; cpu++) {
		unsigned long *w = (unsigned long *)&pa_g.cpu_stats[cpu];

		for (size_t i = 0; i < sizeof(pa_g.cpu_stats[cpu]) / sizeof(long); i++)
			__atomic_store_n(&w[i], 0, __ATOMIC_RELAXED);
	}
	for (int nid = 0; nid < PA_MAX_NUMNODES; nid++)
		for (int zt = 0; zt < PA_MAX_NR_ZONES; zt++) { /* writers may race, as for every counter */
			struct pa_zone *z = &pa_g.nodes[nid].zones[zt];

			__atomic_store_n(&z->nr_freed, 0, __ATOMIC_RELAXED);
			__atomic_store_n(&z->fast_alloc[0], 0, __ATOMIC_RELAXED);
			__atomic_store_n(&z->fast_alloc[1], 0, __ATOMIC_RELAXED);
		}
	__atomic_store_n(&pa_g.warn_count, 0, __ATOMIC_RELAXED);
	pa_pcp_events_reset();
}

int pa_print_vmstat(pa_print_fn fn, void *ctx)
{
	struct pa_printer p;

	if (!pa_g.initialized)
		return PA_FAIL(PA_ENODEV, "called before pa_init()");
	pa_pr_init(&p, fn, ctx);
	pa_pr(&p, "nr_free_pages %lu\n", pa_nr_free_pages());
	if (IS_ENABLED(CONFIG_PA_NUMA))
		for (unsigned int e = 0; e < PA_NR_NUMA_EVENTS; e++) {
			unsigned long sum = 0;

			for (int nid = 0; nid < PA_MAX_NUMNODES; nid++)
				sum += pa_numa_event_count(nid, e);
			pa_pr(&p, "%s %lu\n", numa_names[e], sum);
			/* No interleave policy here: Linux's line, always 0. */
			if (e == PA_NUMA_FOREIGN)
				pa_pr(&p, "numa_interleave 0\n");
		}
	for (int zt = 0; zt < PA_MAX_NR_ZONES; zt++)
		pa_pr(&p, "pgalloc_%s %lu\n", pa_zone_types[zt].vmstat_name, event_sum(PA_PGALLOC + (unsigned int)zt));
	for (int zt = 0; zt < PA_MAX_NR_ZONES; zt++)
		pa_pr(&p, "allocstall_%s %lu\n", pa_zone_types[zt].vmstat_name, event_sum(PA_ALLOCSTALL + (unsigned int)zt));
	for (unsigned int e = PA_PGFREE; e < PA_NR_VM_EVENTS; e++)
		pa_pr(&p, "%s %lu\n", event_names[e - PA_PGFREE], event_sum(e));
	pa_pr_flush(&p);
	return 0;
}
