// SPDX-License-Identifier: MIT
/*
 * The pagealloc demo kernels' common part (QEMU's virt machine, arm64 and
 * riscv64; the arch code is in arch/NAME/).
 *
 * Boot CPU (demo_main, after the arch's boot code set up the console,
 * parsed the DTB and, on arm64, turned the MMU on): describe memory to
 * the library (pa_memblock_add per /memory range, reservations for the
 * DTB, the image, the arch's own (page tables) and whatever the DTB
 * reserves), set the zone limits as the arch's Linux does (arch_zones()),
 * the CPU count, pa_init(), allocate one GFP_DMA page, start the
 * other CPUs (arch_start_cpu(): PSCI CPU_ON, or releasing a parked hart),
 * and run the stress on every CPU.
 * Every CPU (stress):
 *   random allocations of orders 0..5 with four kinds of GFP flags, kept
 *   in a per-CPU array, freed in random order, some handed to another CPU
 *   through its mailbox to be freed there.  Each block carries a tag in
 *   its first and last words so that two owners of one page, or a block
 *   outside its zone or misaligned, are caught.
 * Boot CPU at the end:
 *   frees everything still held, drains the per-CPU page lists, runs
 *   pa_check(), compares the free page count with the one right after
 *   pa_init(), prints zoneinfo and buddyinfo, and ends with exactly one of
 *     pagealloc demo: PASS cpus=N
 *     pagealloc demo: FAIL <reason>
 *   and the matching semihosting exit status (0 or 1).
 *
 * Fault builds (make qemu QEMU_FAULT=...): -DDEMO_FAULT_DOUBLE_FREE frees
 * a page twice after the stress, which the library must report as a bad
 * page (the run then fails); -DDEMO_FAULT_DATA_ABORT reads an unmapped
 * address in the middle of the stress, which the vectors must report.
 */
#include "demo.h"
#include <pagealloc/pagealloc.h>
#include <pagealloc/port.h>

#ifndef DEMO_ITERS
#define DEMO_ITERS 100000 /* stress iterations per CPU */
#endif
#define HELD_MAX 64       /* blocks one CPU holds at most */
#define MAILBOX_SLOTS 128 /* blocks waiting to be freed by another CPU */
#define DEMO_MAX_ORDER (PA_MAX_PAGE_ORDER < 5 ? PA_MAX_PAGE_ORDER : 5)
#define SZ_4G 0x100000000ULL
/*
 * Nothing there on QEMU's virt machines (beyond arm64's 39-bit map, and no
 * RAM or device at that physical address on riscv64): the data-abort
 * fault build reads it.
 */
#define DEMO_FAULT_ADDR 0x000000dead000000ULL

#define CPU_ON_TIMEOUT_S 5
#define STRESS_TIMEOUT_S 90

struct block {
	struct pa_page *page;
	unsigned int order;
	pa_gfp_t gfp;
	uint64_t tag;
};

struct mailbox {
	pa_spinlock_t lock;
	unsigned int count;
	struct block slot[MAILBOX_SLOTS];
} __attribute__((aligned(64)));

struct cpu_state {
	uint64_t rng;
	unsigned int nheld;
	struct block held[HELD_MAX];
	unsigned long iter, allocs, frees, handed, received, failures, getput;
	unsigned long errors;
	bool online;
} __attribute__((aligned(64)));

static const struct fdt_info *dt;
static unsigned int nr_cpus = 1;
static uint64_t cpu_hwid[DEMO_MAX_CPUS];
static struct cpu_state cpu_state[DEMO_MAX_CPUS];
static struct mailbox mailbox[DEMO_MAX_CPUS];
static bool stress_go;
static unsigned int stress_done;
static unsigned long total_errors;
static char first_error[160];

static const struct {
	pa_gfp_t gfp;
	const char *name;
} gfp_kinds[] = {
	{ PA_GFP_KERNEL, "GFP_KERNEL" },
	{ PA_GFP_ATOMIC, "GFP_ATOMIC" },
	{ PA_GFP_KERNEL | PA_GFP_DMA32, "GFP_KERNEL|GFP_DMA32" },
	{ PA_GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE" },
};
#define NR_GFP_KINDS (sizeof(gfp_kinds) / sizeof(gfp_kinds[0]))

/* ------------------------------------------------------------ helpers */

_Noreturn void demo_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_lock();
	kprintf("pagealloc demo: FAIL ");
	kvprintf_unlocked(fmt, ap);
	kprintf("\n");
	console_unlock();
	va_end(ap);
	system_exit(1);
}

/* Record an error found by the stress (the first one is kept for FAIL). */
static void stress_error(struct cpu_state *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void stress_error(struct cpu_state *c, const char *fmt, ...)
{
	char line[160];
	va_list ap;
	unsigned long n;
	int len;

	len = ksnprintf(line, sizeof(line), "cpu %u: ", pa_port_cpu_id());
	va_start(ap, fmt);
	kvsnprintf(line + len, sizeof(line) - (size_t)len, fmt, ap);
	va_end(ap);
	c->errors++;
	n = __atomic_fetch_add(&total_errors, 1, __ATOMIC_ACQ_REL);
	if (n == 0) {
		for (size_t i = 0; i < sizeof(first_error); i++) {
			first_error[i] = line[i];
			if (!line[i])
				break;
		}
	}
	if (n < 10)
		kprintf("pagealloc demo: ERROR %s\n", line);
}

static uint64_t next_rand(struct cpu_state *c)
{
	/* xorshift64* */
	uint64_t x = c->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	c->rng = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static uint64_t *block_words(const struct block *b, size_t *nwords)
{
	size_t bytes = (size_t)PA_PAGE_SIZE << b->order;

	*nwords = bytes / sizeof(uint64_t);
	return pa_port_phys_to_virt(pa_page_to_phys(b->page), bytes);
}

static bool wait_until(const bool *flag, uint64_t seconds)
{
	uint64_t start = arch_timer_count(), limit = arch_timer_freq() * seconds;

	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE)) {
		if (arch_timer_count() - start > limit)
			return false;
		arch_cpu_relax();
	}
	return true;
}

/* ------------------------------------------------------------ stress */

static void take_block(struct cpu_state *c, unsigned int cpu)
{
	unsigned int order, kind;
	uint64_t r = next_rand(c);
	struct block b;
	pa_phys_t phys, bytes;
	uint64_t *w;
	size_t nw;

	/* Mostly small blocks, as in a kernel: half order 0, 1/16 order 5. */
	static const uint8_t order_mix[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 4, 5 };

	order = order_mix[r & 15];
	if (order > DEMO_MAX_ORDER)
		order = DEMO_MAX_ORDER;
	kind = (unsigned int)((r >> 8) % NR_GFP_KINDS);

	b.page = pa_alloc_pages(gfp_kinds[kind].gfp, order);
	if (!b.page) {
		c->failures++;
		return;
	}
	b.order = order;
	b.gfp = gfp_kinds[kind].gfp;
	c->allocs++;

	phys = pa_page_to_phys(b.page);
	bytes = (pa_phys_t)PA_PAGE_SIZE << order;
	if (phys & (bytes - 1))
		stress_error(c, "order-%u block at 0x%lx is not naturally aligned", order,
			     (unsigned long)phys);
	if (pa_page_count(b.page) != 1)
		stress_error(c, "new block 0x%lx has refcount %d", (unsigned long)phys,
			     pa_page_count(b.page));
#ifdef CONFIG_PA_ZONE_DMA32
	if ((b.gfp & PA__GFP_DMA32) && phys + bytes > SZ_4G)
		stress_error(c, "%s order-%u block at 0x%lx is above 4 GiB", gfp_kinds[kind].name,
			     order, (unsigned long)phys);
#endif
	/* A tag no other allocation has: owner CPU, sequence, address. */
	b.tag = ((uint64_t)(cpu + 1) << 56) ^ ((uint64_t)c->allocs << 20) ^ phys;
	w = block_words(&b, &nw);
	if (w[0] == b.tag)
		stress_error(c, "block 0x%lx already carries this allocation's tag",
			     (unsigned long)phys);
	w[0] = b.tag;
	w[nw - 1] = ~b.tag;
	c->held[c->nheld++] = b;
}

/* Free @b (allocated by any CPU), checking its tags first. */
static void release_block(struct cpu_state *c, const struct block *b, bool use_refcount)
{
	size_t nw;
	uint64_t *w = block_words(b, &nw);
	int rc, rc2 = 0;

	if (w[0] != b->tag || w[nw - 1] != ~b->tag)
		stress_error(c, "block 0x%lx order %u: tag overwritten (0x%lx, 0x%lx; want 0x%lx): "
			     "two owners?",
			     (unsigned long)pa_page_to_phys(b->page), b->order, (unsigned long)w[0],
			     (unsigned long)w[nw - 1], (unsigned long)b->tag);
	w[0] = 0;
	w[nw - 1] = 0;
	if (use_refcount) {
		/* Take a second reference; the block is freed by the last put. */
		pa_get_page(b->page);
		if (pa_page_count(b->page) != 2)
			stress_error(c, "refcount %d after get_page, want 2", pa_page_count(b->page));
		rc = pa_put_page(b->page);
		rc2 = pa_put_page(b->page);
		c->getput++;
	} else {
		rc = pa_free_pages(b->page, b->order);
	}
	if (rc || rc2)
		stress_error(c, "freeing block 0x%lx order %u failed: %s",
			     (unsigned long)pa_page_to_phys(b->page), b->order,
			     pa_strerror(rc ? rc : rc2));
	c->frees++;
}

static bool mailbox_post(unsigned int target, const struct block *b)
{
	struct mailbox *m = &mailbox[target];
	unsigned long flags = pa_port_spin_lock_irqsave(&m->lock);
	bool ok = m->count < MAILBOX_SLOTS;

	if (ok)
		m->slot[m->count++] = *b;
	pa_port_spin_unlock_irqrestore(&m->lock, flags);
	return ok;
}

/* Free what other CPUs handed to @cpu. */
static void mailbox_drain(struct cpu_state *c, unsigned int cpu)
{
	struct mailbox *m = &mailbox[cpu];
	struct block local[MAILBOX_SLOTS];
	unsigned int n;
	unsigned long flags;

	if (!__atomic_load_n(&m->count, __ATOMIC_RELAXED))
		return;
	flags = pa_port_spin_lock_irqsave(&m->lock);
	n = m->count;
	for (unsigned int i = 0; i < n; i++)
		local[i] = m->slot[i];
	m->count = 0;
	pa_port_spin_unlock_irqrestore(&m->lock, flags);
	for (unsigned int i = 0; i < n; i++) {
		release_block(c, &local[i], false);
		c->received++;
	}
}

static void drop_block(struct cpu_state *c, unsigned int cpu)
{
	uint64_t r = next_rand(c);
	unsigned int i = (unsigned int)(r % c->nheld);
	struct block b = c->held[i];

	c->held[i] = c->held[--c->nheld];
	if (nr_cpus > 1 && ((r >> 32) & 3) == 0) {
		unsigned int target = (cpu + 1 + (unsigned int)((r >> 40) % (nr_cpus - 1))) % nr_cpus;

		if (mailbox_post(target, &b)) {
			c->handed++;
			return;
		}
	}
	release_block(c, &b, ((r >> 36) & 7) == 0);
}

static void stress(unsigned int cpu)
{
	struct cpu_state *c = &cpu_state[cpu];

	c->rng = 0x9e3779b97f4a7c15ULL * (cpu + 1) ^ arch_timer_count();
	if (!c->rng)
		c->rng = 1;
	for (c->iter = 0; c->iter < DEMO_ITERS; c->iter++) {
		uint64_t r;

		if ((c->iter & 15) == 0)
			mailbox_drain(c, cpu);
#ifdef DEMO_FAULT_DATA_ABORT
		if (cpu == nr_cpus - 1 && c->iter == DEMO_ITERS / 2) {
			kprintf("pagealloc demo: cpu %u reads unmapped 0x%lx on purpose (DEMO_FAULT_DATA_ABORT)\n",
				cpu, (unsigned long)DEMO_FAULT_ADDR);
			(void)*(volatile uint64_t *)(uintptr_t)DEMO_FAULT_ADDR;
		}
#endif
		r = next_rand(c) % 100;
		if (c->nheld == HELD_MAX || (c->nheld && r >= 52))
			drop_block(c, cpu);
		else
			take_block(c, cpu);
	}
	mailbox_drain(c, cpu);
}

/* ------------------------------------------------------------ secondaries */

_Noreturn void secondary_main(unsigned long cpu)
{
	unsigned int id = (unsigned int)cpu;

	__atomic_store_n(&cpu_state[id].online, true, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&stress_go, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
	stress(id);
	__atomic_add_fetch(&stress_done, 1, __ATOMIC_ACQ_REL);
	cpu_park();
}

/* Number the CPUs of the DTB: the boot CPU is 0, the others follow in DTB order. */
static void assign_cpus(void)
{
	uint64_t self = arch_boot_cpu_hwid();
	unsigned int found = 0;

	cpu_hwid[0] = self;
	nr_cpus = 1;
	for (unsigned int i = 0; i < dt->nr_cpus; i++) {
		if (dt->cpu_hwid[i] == self) {
			found = 1;
			continue;
		}
		if (nr_cpus == DEMO_MAX_CPUS) {
			kprintf("pagealloc demo: more CPUs in the DTB than CONFIG_PA_NR_CPUS=%u; "
				"the rest stay off\n", DEMO_MAX_CPUS);
			break;
		}
		cpu_hwid[nr_cpus++] = dt->cpu_hwid[i];
	}
	if (!found && dt->nr_cpus)
		kprintf("pagealloc demo: boot CPU 0x%lx not in the DTB /cpus\n", (unsigned long)self);
}

static void start_secondaries(void)
{
	for (unsigned int cpu = 1; cpu < nr_cpus; cpu++) {
		const char *err = arch_start_cpu(cpu, cpu_hwid[cpu]);

		if (err)
			demo_fail("starting cpu %u (hardware id 0x%lx): %s", cpu,
				  (unsigned long)cpu_hwid[cpu], err);
		if (!wait_until(&cpu_state[cpu].online, CPU_ON_TIMEOUT_S))
			demo_fail("cpu %u (hardware id 0x%lx) did not come up within %u s", cpu,
				  (unsigned long)cpu_hwid[cpu], CPU_ON_TIMEOUT_S);
	}
	kprintf("pagealloc demo: %u CPU%s online\n", nr_cpus, nr_cpus > 1 ? "s" : "");
}

/* ------------------------------------------------------------ boot */

static void print_cb(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	console_write(s, len);
}

static void reserve(const char *what, uint64_t base, uint64_t size)
{
	int rc;

	if (!size)
		return;
	kprintf("pagealloc demo: reserve [0x%010lx-0x%010lx) %s\n", (unsigned long)base,
		(unsigned long)(base + size), what);
	rc = pa_memblock_reserve(base, size);
	if (rc)
		demo_fail("pa_memblock_reserve(%s) failed: %s", what, pa_strerror(rc));
}

static void add_memory(void)
{
	unsigned int added = 0;

	for (unsigned int i = 0; i < dt->nr_mem; i++) {
		uint64_t base = dt->mem[i].base, end = base + dt->mem[i].size;
		int rc;

		base = (base + PA_PAGE_SIZE - 1) & ~(uint64_t)(PA_PAGE_SIZE - 1);
		end &= ~(uint64_t)(PA_PAGE_SIZE - 1);
		if (end <= base || !arch_ram_usable(base, end)) {
			kprintf("pagealloc demo: memory [0x%lx-0x%lx) not mapped, not used\n",
				(unsigned long)dt->mem[i].base,
				(unsigned long)(dt->mem[i].base + dt->mem[i].size));
			continue;
		}
		kprintf("pagealloc demo: memory  [0x%010lx-0x%010lx) node 0, %lu MiB\n",
			(unsigned long)base, (unsigned long)end, (unsigned long)((end - base) >> 20));
		rc = pa_memblock_add(base, end - base, 0);
		if (rc)
			demo_fail("pa_memblock_add(0x%lx, 0x%lx) failed: %s", (unsigned long)base,
			     (unsigned long)(end - base), pa_strerror(rc));
		added++;
	}
	if (!added)
		demo_fail("no usable memory");
}

void demo_zone_limit(enum pa_zone_type zone, uint64_t limit)
{
	int rc = pa_set_zone_limit(zone, (pa_phys_t)limit);

	if (rc)
		demo_fail("pa_set_zone_limit(%s, 0x%lx) failed: %s", pa_zone_name(zone),
			  (unsigned long)limit, pa_strerror(rc));
	kprintf("pagealloc demo: ZONE_%s below 0x%lx\n", pa_zone_name(zone), (unsigned long)limit);
}

/* The lowest and highest address of the memory the DTB describes. */
static void dram_span(uint64_t *start, uint64_t *end)
{
	*start = ~0ULL;
	*end = 0;
	for (unsigned int i = 0; i < dt->nr_mem; i++) {
		if (dt->mem[i].base < *start)
			*start = dt->mem[i].base;
		if (dt->mem[i].base + dt->mem[i].size > *end)
			*end = dt->mem[i].base + dt->mem[i].size;
	}
}

static void describe_memory(void)
{
	uint64_t dram_start, dram_end;
	int rc;

	add_memory();
	reserve("DTB", dt->dtb_pa, dt->dtb_size);
	reserve("kernel image, .bss and stacks", (uintptr_t)__image_start,
		(uintptr_t)(__image_end - __image_start));
	arch_reserve(reserve);
	for (unsigned int i = 0; i < dt->nr_resv; i++)
		reserve(dt->resv[i].what, dt->resv[i].base, dt->resv[i].size);
	if (dt->nr_dropped)
		kprintf("pagealloc demo: %u DTB entries did not fit the tables, ignored\n",
			dt->nr_dropped);
	dram_span(&dram_start, &dram_end);
	arch_zones(dt, dram_start, dram_end);
	rc = pa_set_nr_cpus(nr_cpus);
	if (rc)
		demo_fail("pa_set_nr_cpus(%u) failed: %s", nr_cpus, pa_strerror(rc));
}

/* One GFP_DMA page: where the kernel's device drivers would get theirs. */
static void dma_page(void)
{
	struct pa_page *page = pa_alloc_pages(PA_GFP_DMA, 0);

	if (!page)
		demo_fail("a GFP_DMA allocation failed");
	kprintf("pagealloc demo: GFP_DMA: page at 0x%lx in ZONE_%s\n",
		(unsigned long)pa_page_to_phys(page), pa_zone_name(pa_page_zone_type(page)));
	pa_free_pages(page, 0);
}

static void print_stats(void)
{
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
		const struct cpu_state *c = &cpu_state[cpu];

		kprintf("pagealloc demo: cpu %u: %lu allocs, %lu frees (%lu via get/put), "
			"%lu handed to other CPUs, %lu freed for them, %lu failed allocs\n",
			cpu, c->allocs, c->frees, c->getput, c->handed, c->received, c->failures);
	}
}

#ifdef DEMO_FAULT_DOUBLE_FREE
/*
 * Free one page twice; the library must refuse the second free with a
 * bad-page report.  Return: the pfn, for the verdict.
 */
static unsigned long double_free(void)
{
	struct pa_page *page = pa_alloc_pages(PA_GFP_KERNEL, 0);
	unsigned long before;
	int rc;

	if (!page)
		demo_fail("double-free test: allocation failed");
	rc = pa_free_pages(page, 0);
	if (rc)
		demo_fail("double-free test: first free failed: %s", pa_strerror(rc));
	before = port_error_count();
	kprintf("pagealloc demo: freeing pfn 0x%lx a second time on purpose (DEMO_FAULT_DOUBLE_FREE)\n",
		pa_page_to_pfn(page));
	rc = pa_free_pages(page, 0);
	kprintf("pagealloc demo: second free returned %d (%s), %lu error line(s) logged\n", rc,
		pa_strerror(rc), port_error_count() - before);
	if (rc == 0 || port_error_count() == before)
		demo_fail("double free of pfn 0x%lx was not %s", pa_page_to_pfn(page),
		     rc == 0 ? "refused" : "reported");
	return pa_page_to_pfn(page);
}
#endif

_Noreturn void demo_main(const char *arch, const struct fdt_info *info)
{
	unsigned long free_at_init, free_now, managed = 0, max_held;
	struct pa_meminfo mi;
	const char *err;
	uint64_t start;
	int rc;

	dt = info;
	assign_cpus();
	err = arch_smp_init(dt, nr_cpus);
	if (err)
		demo_fail("%u CPUs in the DTB, but %s", nr_cpus, err);
	kprintf("pagealloc demo: %s, %u CPU%s, page size %lu, MAX_PAGE_ORDER %u, NR_CPUS %u\n",
		arch, nr_cpus, nr_cpus > 1 ? "s" : "", (unsigned long)PA_PAGE_SIZE,
		PA_MAX_PAGE_ORDER, PA_NR_CPUS);
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
		pa_port_spin_init(&mailbox[cpu].lock);

	describe_memory();
	start = arch_timer_count();
	rc = pa_init();
	if (rc)
		demo_fail("pa_init() failed: %s", pa_strerror(rc));
	kprintf("pagealloc demo: pa_init() took %lu us\n",
		(unsigned long)((arch_timer_count() - start) * 1000000 / arch_timer_freq()));
	free_at_init = pa_nr_free_pages();
	if (pa_get_meminfo(&mi) == 0) {
		managed = mi.managed_pages;
		kprintf("pagealloc demo: %lu present pages, %lu managed, %lu free; metadata %lu KiB "
			"in %lu sections\n",
			mi.present_pages, mi.managed_pages, free_at_init,
			(unsigned long)((mi.memmap_bytes + mi.table_bytes) >> 10), mi.nr_sections);
	}

	dma_page();
	start_secondaries();
	kprintf("pagealloc demo: stress: %u iterations per CPU, orders 0..%u\n", DEMO_ITERS,
		DEMO_MAX_ORDER);
	start = arch_timer_count();
	__atomic_store_n(&stress_go, true, __ATOMIC_RELEASE);
	arch_wake_cpus();
	stress(0);
	__atomic_add_fetch(&stress_done, 1, __ATOMIC_ACQ_REL);

	while (__atomic_load_n(&stress_done, __ATOMIC_ACQUIRE) < nr_cpus) {
		if (arch_timer_count() - start > arch_timer_freq() * STRESS_TIMEOUT_S) {
			for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
				kprintf("pagealloc demo: cpu %u at iteration %lu\n", cpu,
					__atomic_load_n(&cpu_state[cpu].iter, __ATOMIC_RELAXED));
			demo_fail("stress did not finish within %u s (deadlock?)", STRESS_TIMEOUT_S);
		}
		arch_cpu_relax();
	}
	kprintf("pagealloc demo: stress done in %lu ms\n",
		(unsigned long)((arch_timer_count() - start) * 1000 / arch_timer_freq()));

	/* Everything still held or in a mailbox goes back, from this CPU. */
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
		struct cpu_state *c = &cpu_state[cpu];

		mailbox_drain(&cpu_state[0], cpu);
		while (c->nheld)
			release_block(&cpu_state[0], &c->held[--c->nheld], false);
	}
	pa_drain_all_pages();
	print_stats();

#ifdef DEMO_FAULT_DOUBLE_FREE
	unsigned long double_freed = double_free();

	pa_drain_all_pages(); /* its allocation refilled this CPU's set */
#endif

	rc = pa_check();
	free_now = pa_nr_free_pages();
	kprintf("pagealloc demo: pa_check() = %d, free pages %lu (after pa_init: %lu)\n", rc,
		free_now, free_at_init);

	console_lock();
	kprintf("pagealloc demo: /proc/zoneinfo\n");
	pa_print_zoneinfo(print_cb, NULL);
	kprintf("pagealloc demo: /proc/buddyinfo\n");
	pa_print_buddyinfo(print_cb, NULL);
	console_unlock();

	/* Failed allocations are an error while memory is plentiful. */
	max_held = (unsigned long)nr_cpus * (HELD_MAX + MAILBOX_SLOTS) << DEMO_MAX_ORDER;
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
		if (cpu_state[cpu].failures && managed > 16 * max_held)
			stress_error(&cpu_state[cpu], "%lu allocations failed with %lu pages managed",
				     cpu_state[cpu].failures, managed);
	}

	if (total_errors)
		demo_fail("%lu stress error(s), first: %s", total_errors, first_error);
	if (rc)
		demo_fail("pa_check() returned %d (%s)", rc, pa_strerror(rc));
	if (free_now != free_at_init)
		demo_fail("free pages %lu after the stress, %lu after pa_init(): %ld lost", free_now,
		     free_at_init, (long)(free_at_init - free_now));
#ifdef DEMO_FAULT_DOUBLE_FREE
	/* The free lists survived (checked above); the run still fails. */
	demo_fail("double free of pfn 0x%lx reported as a bad page (lists intact, no page lost)",
	     double_freed);
#endif
	if (port_error_count())
		demo_fail("the library logged %lu error(s)", port_error_count());
	kprintf("pagealloc demo: PASS cpus=%u\n", nr_cpus);
	system_exit(0);
}
