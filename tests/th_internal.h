/* SPDX-License-Identifier: MIT */
/*
 * The white-box suites' one way into the library's inside: the internal
 * headers (struct pa_zone and the rest, the _locked helpers) and
 * accessors for the global state, so that no suite names a field of pa_g
 * and a change of its layout touches this file alone.  tests/layers.sh
 * fails a suite that includes internal.h itself or reads pa_g.
 */
#ifndef PA_TH_INTERNAL_H
#define PA_TH_INTERNAL_H

#include "internal.h"

/* Zone @type of node @nid. */
static inline struct pa_zone *th_pa_zone(int nid, enum pa_zone_type type)
{
	return &pa_g.nodes[nid].zones[type];
}

/* Node @nid. */
static inline struct pa_node *th_pa_node(int nid)
{
	return &pa_g.nodes[nid];
}

/* The zone of zone id @id (node * PA_MAX_NR_ZONES + type); NULL for one without pages. */
static inline struct pa_zone *th_zone_by_id(unsigned int id)
{
	return pa_g.zone_by_id[id];
}

/* The fast free's run of struct pages (sparse.c). */
static inline const struct pa_fast_run *th_fast_run(void)
{
	return &pa_g.run;
}

/* Entries of the flat section array; 0 when none was built. */
static inline unsigned long th_nr_section_flat(void)
{
	return pa_g.nr_section_flat;
}

/* The memory regions memblock holds. */
static inline const struct pa_memblock_type *th_memblock_memory(void)
{
	return &pa_g.memory;
}

#endif /* PA_TH_INTERNAL_H */
