// SPDX-License-Identifier: MIT
/*
 * pa-sim's kernel side of migration (pa_port_migrate_page()): the blocks
 * it may move are the page cache's pages and the blocks a workload
 * registered with pa_sim_hold().  A block's priv says which: the top
 * byte the kind, the rest its slot + 1.  A move copies the contents (a
 * block's identity: the cache writes each page's slot into it) and points
 * the holder's slot at the new block, as a kernel updates its mappings;
 * everything else is refused.
 */
#include <stdlib.h>
#include <string.h>
#include <pagealloc/port.h>
#include "sim.h"

#define KIND_SHIFT 56
#define SLOT_MASK ((1ULL << KIND_SHIFT) - 1)

static struct {
	struct pa_page ***slot; /* where each held block's pointer lives */
	unsigned long n, cap;
	unsigned long moved_pages, refused;
	bool off;
} m;

uintptr_t pa_sim_migrate_tag(unsigned int kind, unsigned long slot)
{
	return ((uintptr_t)kind << KIND_SHIFT) | (slot + 1);
}

void pa_sim_hold(struct pa_page **slot)
{
	if (m.n == m.cap) {
		m.cap = m.cap ? 2 * m.cap : 4096;
		m.slot = realloc(m.slot, m.cap * sizeof(*m.slot));
		if (!m.slot)
			abort();
	}
	m.slot[m.n] = slot;
	(*slot)->priv = pa_sim_migrate_tag(PA_SIM_MOVE_HELD, m.n++);
}

void pa_sim_hold_reset(void)
{
	for (unsigned long i = 0; i < m.n; i++)
		if (*m.slot[i])
			(*m.slot[i])->priv = 0;
	m.n = 0;
}

void pa_sim_migrate_enable(bool on)
{
	m.off = !on;
}

unsigned long pa_sim_migrated_pages(void)
{
	return m.moved_pages;
}

int pa_port_migrate_page(struct pa_page *src, struct pa_page *dst, unsigned int order)
{
	unsigned long slot = (unsigned long)(src->priv & SLOT_MASK) - 1;
	unsigned int kind = (unsigned int)(src->priv >> KIND_SHIFT);
	size_t bytes = PA_PAGE_SIZE << order;
	int ret = -PA_EBUSY;

	if (m.off || !src->priv)
		return m.off ? -PA_EOPNOTSUPP : -PA_EBUSY;
	if (kind == PA_SIM_MOVE_CACHE)
		ret = pa_sim_cache_move(slot, src, dst);
	else if (kind == PA_SIM_MOVE_HELD && slot < m.n && *m.slot[slot] == src) {
		*m.slot[slot] = dst;
		dst->priv = src->priv;
		ret = 0;
	}
	if (ret) {
		m.refused++;
		return ret;
	}
	memcpy(pa_port_phys_to_virt(pa_page_to_phys(dst), bytes),
	       pa_port_phys_to_virt(pa_page_to_phys(src), bytes), bytes);
	m.moved_pages += 1UL << order;
	return pa_free_pages(src, order);
}
