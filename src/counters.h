/* SPDX-License-Identifier: MIT */
/*
 * The event counters: per CPU, added to by their owner without an
 * atomic (local_ops.h), summed on read (vmstat.c).
 */
#ifndef PA_COUNTERS_H
#define PA_COUNTERS_H

#include "mmzone.h"
#include "local_ops.h"

/* Add to this CPU's counter; the caller has interrupts off (or a zone lock). */
static inline void pa_count_add(unsigned long *c, unsigned long delta)
{
	if (IS_ENABLED(CONFIG_PA_VM_EVENT_COUNTERS))
		pa_local_add(c, delta);
}

static inline struct pa_cpu_stats *pa_this_cpu_stats(void)
{
	return &pa_g.cpu_stats[pa_this_cpu()];
}

static inline void pa_count_event_locked(unsigned int item, unsigned long delta)
{
	pa_count_add(&pa_this_cpu_stats()->events[item], delta);
}

/* From any context: interrupts off around the add. */
static inline void pa_count_event(unsigned int item, unsigned long delta)
{
	if (IS_ENABLED(CONFIG_PA_VM_EVENT_COUNTERS)) {
		unsigned long flags = pa_port_irq_save();

		pa_count_event_locked(item, delta);
		pa_port_irq_restore(flags);
	}
}

unsigned long pa_zone_numa_event(unsigned int zoneid, unsigned int item);

/*
 * Count an allocation of @nr pages from @z on @cpu, which preferred
 * @preferred (pgalloc and Linux's zone_statistics()).  Interrupts off.
 */
static inline void pa_count_alloc(unsigned int cpu, const struct pa_zone *preferred,
				  const struct pa_zone *z, unsigned long nr)
{
	struct pa_cpu_stats *st = &pa_g.cpu_stats[cpu];

	pa_count_add(&st->zone_alloc[z->zoneid], nr);
#ifdef CONFIG_PA_NUMA
	if (z->node == preferred->node) {
		pa_count_add(&st->numa[z->zoneid][PA_NUMA_HIT], nr);
	} else {
		pa_count_add(&st->numa[z->zoneid][PA_NUMA_MISS], nr);
		pa_count_add(&st->numa[preferred->zoneid][PA_NUMA_FOREIGN], nr);
	}
	pa_count_add(&st->numa[z->zoneid][z->node == pa_g.cpu_to_node[cpu] ? PA_NUMA_LOCAL
									     : PA_NUMA_OTHER], nr);
#else
	(void)preferred;
#endif
}

/* pa_count_alloc() on this CPU from any context: interrupts off around it. */
static inline void pa_count_alloc_irq(const struct pa_zone *preferred, const struct pa_zone *z,
				      unsigned long nr)
{
	if (IS_ENABLED(CONFIG_PA_VM_EVENT_COUNTERS)) {
		unsigned long flags = pa_port_irq_save();

		pa_count_alloc(pa_this_cpu(), preferred, z, nr);
		pa_port_irq_restore(flags);
	}
}

static inline void pa_zone_statistics_locked(const struct pa_zone *preferred,
					     const struct pa_zone *z, unsigned long nr)
{
	pa_count_alloc(pa_this_cpu(), preferred, z, nr);
}

#endif /* PA_COUNTERS_H */
