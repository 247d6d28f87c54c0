// SPDX-License-Identifier: MIT
/*
 * Tunables by their Linux sysctl names: validation with Linux's ranges and
 * the recomputation each one triggers.
 */
#include "internal.h"

struct tunable {
	const char *name;
	int *value;
	unsigned int count;
	long min, max; /* valid range of each value */
	bool numa_only;
	int (*check)(const long *v); /* extra validation, or NULL */
	void (*apply)(const long *v, unsigned int n);
};

static void apply_min_free_kbytes(const long *v, unsigned int n)
{
	(void)n;
	pa_g.min_free_kbytes = (int)v[0];
	pa_g.user_min_free_kbytes = (int)v[0];
	if (pa_g.initialized)
		pa_setup_per_zone_wmarks();
}

static void apply_wmark_scale(const long *v, unsigned int n)
{
	(void)n;
	pa_g.watermark_scale_factor = (int)v[0];
	if (pa_g.initialized)
		pa_setup_per_zone_wmarks();
}

static void apply_plain(int *dst, const long *v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		dst[i] = (int)v[i];
}

static void apply_proactiveness(const long *v, unsigned int n)
{
	apply_plain(&pa_g.compaction_proactiveness, v, n);
}

static void apply_boost_factor(const long *v, unsigned int n)
{
	apply_plain(&pa_g.watermark_boost_factor, v, n);
}

static void apply_lowmem_ratio(const long *v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		pa_g.lowmem_reserve_ratio[i] = v[i] < 1 ? 0 : (int)v[i];
	if (pa_g.initialized)
		pa_setup_per_zone_lowmem_reserve();
}

static int check_high_fraction(const long *v)
{
	return v[0] != 0 && v[0] < 8 ? -PA_EINVAL : 0;
}

static void apply_high_fraction(const long *v, unsigned int n)
{
	apply_plain(&pa_g.percpu_pagelist_high_fraction, v, n);
	if (IS_ENABLED(CONFIG_PA_PCP))
		pa_pcp_update_all();
}

static void apply_zone_reclaim(const long *v, unsigned int n)
{
	apply_plain(&pa_g.zone_reclaim_mode, v, n);
}

static void apply_extfrag(const long *v, unsigned int n)
{
	apply_plain(&pa_g.extfrag_threshold, v, n);
}

#define INT_MAX_L 2147483647L

static const struct tunable tunables[] = {
	{ "min_free_kbytes", &pa_g.min_free_kbytes, 1, 0, INT_MAX_L, false, NULL,
	  apply_min_free_kbytes },
	{ "watermark_scale_factor", &pa_g.watermark_scale_factor, 1, 1, 3000, false, NULL,
	  apply_wmark_scale },
	{ "watermark_boost_factor", &pa_g.watermark_boost_factor, 1, 0, INT_MAX_L, false, NULL,
	  apply_boost_factor },
	{ "lowmem_reserve_ratio", pa_g.lowmem_reserve_ratio, PA_MAX_NR_ZONES, -INT_MAX_L - 1,
	  INT_MAX_L, false, NULL, apply_lowmem_ratio },
	{ "percpu_pagelist_high_fraction", &pa_g.percpu_pagelist_high_fraction, 1, 0, INT_MAX_L,
	  false, check_high_fraction, apply_high_fraction },
	{ "zone_reclaim_mode", &pa_g.zone_reclaim_mode, 1, 0, INT_MAX_L, true, NULL,
	  apply_zone_reclaim },
	{ "extfrag_threshold", &pa_g.extfrag_threshold, 1, 0, 1000, false, NULL, apply_extfrag },
	{ "compaction_proactiveness", &pa_g.compaction_proactiveness, 1, 0, 100, false, NULL,
	  apply_proactiveness },
};

static const struct tunable *find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < PA_ARRAY_SIZE(tunables); i++) {
		const char *a = tunables[i].name, *b = name;

		while (*a && *a == *b)
			a++, b++;
		if (!*a && !*b)
			return tunables[i].numa_only && !IS_ENABLED(CONFIG_PA_NUMA) ? NULL : &tunables[i];
	}
	return NULL;
}

int pa_sysctl_set(const char *name, const long *values, unsigned int n)
{
	const struct tunable *t = find(name);

	pa_tunables_defaults();
	if (!t)
		return PA_FAIL(PA_ENOENT, "unknown tunable '%s'", name ? name : "(null)");
	if (!values)
		return PA_FAIL(PA_EINVAL, "%s: values is NULL", t->name);
	if (n != t->count)
		return PA_FAIL(PA_EINVAL, "%s takes %u value%s, got %u", t->name, t->count,
			       t->count == 1 ? "" : "s", n);
	for (unsigned int i = 0; i < n; i++)
		if (values[i] < t->min || values[i] > t->max || (t->check && t->check(&values[i])))
			return PA_FAIL(PA_EINVAL, "%s: %ld is out of range", t->name, values[i]);
	t->apply(values, n);
	return 0;
}

int pa_sysctl_get(const char *name, long *values, unsigned int max, unsigned int *n)
{
	const struct tunable *t = find(name);

	pa_tunables_defaults();
	if (!t)
		return PA_FAIL(PA_ENOENT, "unknown tunable '%s'", name ? name : "(null)");
	if (n)
		*n = t->count;
	if (!values)
		return PA_FAIL(PA_EINVAL, "%s: values is NULL", t->name);
	if (max < t->count)
		return PA_FAIL(PA_ENOSPC, "%s has %u values, room for %u", t->name, t->count, max);
	for (unsigned int i = 0; i < t->count; i++)
		values[i] = t->value[i];
	return 0;
}

const char *pa_sysctl_name(unsigned int i)
{
	for (size_t t = 0; t < PA_ARRAY_SIZE(tunables); t++) {
		if (tunables[t].numa_only && !IS_ENABLED(CONFIG_PA_NUMA))
			continue;
		if (!i--)
			return tunables[t].name;
	}
	return NULL;
}

int pa_set_thp(enum pa_thp thp)
{
	pa_tunables_defaults();
	if ((unsigned int)thp > PA_THP_ALWAYS)
		return PA_FAIL(PA_EINVAL, "%d is not a transparent huge page mode", (int)thp);
	pa_g.thp = (int)thp;
	if (pa_g.initialized)
		pa_set_recommended_min_free_kbytes();
	return 0;
}
