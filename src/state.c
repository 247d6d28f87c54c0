// SPDX-License-Identifier: MIT
/*
 * The base layer's state: the global pa_g, the tables of zone and
 * migratetype names, and the checks of the CPU id the port reports.
 * Every other file may use these; they use nothing above the base.
 */
#include "internal.h"

struct pa_state pa_g;

#define ZONE_TYPE(type, name, vmstat_name, ratio) [type] = { name, vmstat_name, ratio },
const struct pa_zone_type_info pa_zone_types[PA_MAX_NR_ZONES] = {
	PA_FOR_EACH_ZONE_TYPE(ZONE_TYPE)
};

#define MIGRATETYPE(type, name, letter) [type] = { name, letter },
const struct pa_migratetype_info pa_migratetypes[PA_MIGRATE_TYPES] = {
	PA_FOR_EACH_MIGRATETYPE(MIGRATETYPE)
};

pa_phys_t pa_max_phys_addr(void)
{
	return (pa_phys_t)1 << PA_MAX_PHYS_BITS;
}

unsigned int pa_nr_cpus(void)
{
	return pa_nr_cpus_now();
}

_Noreturn void pa_bad_cpu_panic(unsigned int cpu)
{
	char msg[160];

	pa_snprintf(msg, sizeof(msg),
		    "pa_port_cpu_id() returned CPU %u, not below the %u CPUs of pa_set_nr_cpus()", cpu,
		    pa_nr_cpus_now());
	pa_port_panic(msg);
}

bool pa_cpu_id_bad(const char *func)
{
	unsigned int cpu = pa_this_cpu();

	if (pa_likely(cpu < pa_nr_cpus_now()))
		return false;
	pa_fail(PA_EINVAL, func,
		"pa_port_cpu_id() gave CPU %u, not below the %u CPUs of pa_set_nr_cpus()", cpu,
		pa_nr_cpus_now());
	return true;
}

bool pa_cpu_id_bad_once(const char *func)
{
	unsigned int cpu = pa_this_cpu();
	uint8_t *said;

	if (pa_likely(cpu < pa_nr_cpus_now()))
		return false;
	said = &pa_g.cpu_id_said[PA_MIN(cpu, (unsigned int)PA_NR_CPUS)];
	if (!__atomic_exchange_n(said, 1, __ATOMIC_RELAXED))
		pa_fail(PA_EINVAL, func,
			"pa_port_cpu_id() gave CPU %u, not below the %u CPUs of pa_set_nr_cpus(): "
			"its frees go to the buddy lists (said once)",
			cpu, pa_nr_cpus_now());
	return true;
}

/* The tunables' defaults (Linux's), set once: a later call keeps what sysctl changed. */
void pa_tunables_defaults(void)
{
	if (pa_g.tunables_ready)
		return;
	pa_g.min_free_kbytes = 1024; /* Linux's value before its initcall runs */
	pa_g.user_min_free_kbytes = -1;
	pa_g.watermark_scale_factor = 10;
	pa_g.watermark_boost_factor = 15000;
	for (int z = 0; z < PA_MAX_NR_ZONES; z++)
		pa_g.lowmem_reserve_ratio[z] = pa_zone_types[z].reserve_ratio;
	pa_g.percpu_pagelist_high_fraction = 0;
	pa_g.zone_reclaim_mode = 0;
	pa_g.extfrag_threshold = 500;
	pa_g.compaction_proactiveness = 20;
	pa_g.thp = IS_ENABLED(CONFIG_PA_THP_ALWAYS)    ? PA_THP_ALWAYS
		   : IS_ENABLED(CONFIG_PA_THP_MADVISE) ? PA_THP_MADVISE
		   : IS_ENABLED(CONFIG_PA_THP_NEVER)   ? PA_THP_NEVER
						       : PA_THP_NONE;
	pa_g.tunables_ready = true;
}
