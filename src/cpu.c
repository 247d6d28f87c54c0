// SPDX-License-Identifier: MIT
/*
 * The public calls about CPUs and their per-CPU sets: drains, the periodic
 * decay of high, CPU hotplug, switching the sets off and on, and reading
 * one set.  Each checks its arguments and calls pcp.c, whose calls are no-ops in a build without
 * CONFIG_PA_PCP (pcp.h).
 */
#include "internal.h"

static int pcp_api_check(const char *func)
{
	if (!pa_g.initialized)
		return pa_fail(PA_ENODEV, func, "called before pa_init()");
	return 0;
}

static void drain_all(void)
{
	for (unsigned int cpu = 0; cpu < pa_g.nr_cpus; cpu++)
		pa_pcp_drain_cpu(cpu);
}

void pa_drain_local_pages(void)
{
	if (!IS_ENABLED(CONFIG_PA_PCP))
		return;
	if (pcp_api_check(__func__) || pa_cpu_id_bad(__func__))
		return;
	pa_pcp_drain_cpu(pa_this_cpu()); /* each set through its owner's lock */
}

int pa_drain_pages(unsigned int cpu)
{
	int ret = pcp_api_check(__func__);

	if (ret)
		return ret;
	if (cpu >= pa_g.nr_cpus)
		return PA_FAIL(PA_EINVAL, "CPU %u out of range (%u CPUs)", cpu, pa_g.nr_cpus);
	pa_pcp_drain_cpu(cpu);
	return 0;
}

void pa_drain_all_pages(void)
{
	if (pcp_api_check(__func__))
		return;
	drain_all();
}

int pa_vmstat_update(void)
{
	int ret = pcp_api_check(__func__);

	if (ret)
		return ret;
	if (pa_cpu_id_bad(__func__))
		return -PA_EINVAL;
	return pa_pcp_decay_local();
}

static int set_cpu_online(unsigned int cpu, bool on, const char *func)
{
	int ret = pcp_api_check(func);

	if (ret)
		return ret;
	if (cpu >= pa_g.nr_cpus)
		return pa_fail(PA_EINVAL, func, "CPU %u out of range (%u CPUs)", cpu, pa_g.nr_cpus);
	if (pa_g.cpu_online[cpu] == on)
		return pa_fail(PA_EALREADY, func, "CPU %u is already %s", cpu, on ? "online" : "offline");
	pa_g.cpu_online[cpu] = on;
	pa_pcp_update_all(); /* first: the drain then shows the boot pageset's high 0 */
	if (!on)
		pa_pcp_drain_cpu(cpu);
	return 0;
}

int pa_cpu_offline(unsigned int cpu)
{
	return set_cpu_online(cpu, false, __func__);
}

int pa_cpu_online(unsigned int cpu)
{
	return set_cpu_online(cpu, true, __func__);
}

int pa_pcp_set_enabled(bool on)
{
	if (!IS_ENABLED(CONFIG_PA_PCP))
		return on ? PA_FAIL(PA_EOPNOTSUPP, "built without CONFIG_PA_PCP") : 0;
	pa_g.pcp_disabled = !on;
	if (pa_g.initialized) {
		pa_pcp_update_all();
		if (!on)
			drain_all();
	}
	return 0;
}

int pa_pcp_get(int nid, enum pa_zone_type zone, unsigned int cpu, struct pa_pcp_info *out)
{
	int ret = pcp_api_check(__func__);

	if (ret)
		return ret;
	if (nid < 0 || nid >= PA_MAX_NUMNODES || (int)zone < 0 || zone >= PA_MAX_NR_ZONES)
		return PA_FAIL(PA_EINVAL, "no zone %d on node %d", (int)zone, nid);
	if (cpu >= pa_g.nr_cpus)
		return PA_FAIL(PA_EINVAL, "CPU %u out of range (%u CPUs)", cpu, pa_g.nr_cpus);
	if (!out)
		return PA_FAIL(PA_EINVAL, "out is NULL");
	if (!IS_ENABLED(CONFIG_PA_PCP))
		return PA_FAIL(PA_EOPNOTSUPP, "built without CONFIG_PA_PCP");
	if (pa_pcp_read(&pa_g.nodes[nid].zones[zone], cpu, out))
		return PA_FAIL(PA_ENOENT, "node %d zone %d is empty", nid, (int)zone);
	return 0;
}
