// SPDX-License-Identifier: MIT
/*
 * The hosted port: test-and-test-and-set zone locks (pa_host_spin.h), one
 * thread = one CPU, log lines to stderr (or a test's sink), and simulated
 * physical memory backed lazily, 1 GiB at a time, by anonymous no-reserve
 * mappings so that a machine of hundreds of GiB costs only the metadata
 * actually written.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/membarrier.h>
#include <pagealloc/pagealloc.h>
#include <pagealloc/port.h>
#include <pagealloc/host.h>
#include <pagealloc/linux-compat.h> /* pa_port_virt_to_phys() */
#include <pa_host_spin.h>
#include <pa_host_sanitized.h>

void pa_port_spin_init(pa_spinlock_t *lock)
{
	__atomic_store_n(&lock->opaque[0], 0, __ATOMIC_RELAXED);
	lock->opaque[1] = 0;
}

/*
 * No interrupts on the host: a compiler barrier is all the contract needs.
 * With CONFIG_PA_DEBUG_VM the "interrupts off" sections are counted, so
 * that pa_port_remote_barrier() can check it is called with them on.
 */
_Thread_local unsigned int pa_host_cpu_tls;
_Thread_local unsigned int pa_host_irq_depth;

/*
 * The fast hooks are written once, in pa_port_inline.h: inline in the
 * library with CONFIG_PA_PORT_INLINE, ordinary functions from here without.
 */
#ifndef CONFIG_PA_PORT_INLINE
#define PA_PORT_FAST
#include <pa_port_inline.h>
#endif

int pa_host_set_cpu(unsigned int cpu)
{
	char line[128];

	if (cpu < pa_nr_cpus()) {
		pa_host_cpu_tls = cpu;
		return 0;
	}
	snprintf(line, sizeof(line), "pa_host_set_cpu: CPU %u is not below the %u CPUs of pa_set_nr_cpus()",
		 cpu, pa_nr_cpus());
	pa_port_log(PA_LOG_ERR, line);
	return -PA_EINVAL;
}

/* pa_port_parallel(): part 0 on the caller, each other part on a thread of its own. */
struct parallel_arg {
	void (*fn)(void *arg, unsigned int part);
	void *arg;
	unsigned int part;
};

static void *parallel_thread(void *p)
{
	const struct parallel_arg *a = p;

	a->fn(a->arg, a->part);
	return NULL;
}

static bool parallel_off;

void pa_host_set_parallel(bool on)
{
	parallel_off = !on;
}

void pa_port_parallel(void (*fn)(void *arg, unsigned int part), void *arg, unsigned int nr)
{
	struct parallel_arg a[PA_NR_CPUS];
	pthread_t t[PA_NR_CPUS];
	bool started[PA_NR_CPUS] = { false };

	nr = nr < PA_NR_CPUS ? nr : PA_NR_CPUS;
	for (unsigned int i = 1; i < nr; i++) {
		a[i] = (struct parallel_arg){ fn, arg, i };
		started[i] = !parallel_off && pthread_create(&t[i], NULL, parallel_thread, &a[i]) == 0;
		if (!started[i]) /* no thread: run it here */
			fn(arg, i);
	}
	if (nr)
		fn(arg, 0);
	for (unsigned int i = 1; i < nr; i++)
		if (started[i])
			pthread_join(t[i], NULL);
}

/*
 * pa_port_memmap_fill(): on x86-64, MOVNTI, whose stores skip the cache
 * and the read for ownership a plain store of a line not in the cache
 * makes (half the memory traffic: mem_map is written once and read little
 * soon after), then SFENCE to order them before the part returns.
 */
void pa_port_memmap_fill(struct pa_page *first, unsigned long nr, const struct pa_page *tmpl)
{
#if defined(__x86_64__) && !defined(PA_HOST_SANITIZED) /* a sanitizer must see the stores */
	if (sizeof(*tmpl) == 4 * sizeof(uint64_t)) {
		uint64_t w[4];

		memcpy(w, tmpl, sizeof(w));
		for (; nr; nr--, first++)
			__asm__ volatile("movnti %1, 0(%0)\n\t"
					 "movnti %2, 8(%0)\n\t"
					 "movnti %3, 16(%0)\n\t"
					 "movnti %4, 24(%0)"
					 :
					 : "r"(first), "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3])
					 : "memory");
		__asm__ volatile("sfence" ::: "memory");
		return;
	}
#endif
	for (; nr; nr--)
		*first++ = *tmpl;
}

#ifdef CONFIG_PA_PCP_REMOTE_BARRIER
/*
 * pa_port_remote_barrier(): Linux's membarrier(), private expedited: an IPI
 * to each CPU running one of this process's threads, which executes a full
 * barrier; a thread not running passes one when it is scheduled.  Linux
 * 4.14 and later; the registration is once per process.
 */
static pthread_once_t membarrier_once = PTHREAD_ONCE_INIT;

static void membarrier_register(void)
{
	if (syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0))
		pa_port_panic("membarrier() registration failed: this kernel cannot give "
			      "CONFIG_PA_PCP_REMOTE_BARRIER's barrier; build with it off");
}

void pa_port_remote_barrier(void)
{
	if (IS_ENABLED(CONFIG_PA_DEBUG_VM) && pa_host_irq_depth)
		pa_port_panic("pa_port_remote_barrier() with interrupts off: a kernel would deadlock");
	pthread_once(&membarrier_once, membarrier_register);
	if (syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0))
		pa_port_panic("membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) failed");
}
#endif

_Noreturn void pa_port_panic(const char *msg)
{
	fprintf(stderr, "pagealloc: PANIC: %s\n", msg);
	abort();
}

static pa_host_log_fn log_fn;
static void *log_ctx;
static unsigned long log_count;

void pa_host_set_log(pa_host_log_fn fn, void *ctx)
{
	log_fn = fn;
	log_ctx = ctx;
}

unsigned long pa_host_log_count(void)
{
	return __atomic_load_n(&log_count, __ATOMIC_RELAXED);
}

void pa_port_log(int level, const char *line)
{
	__atomic_add_fetch(&log_count, 1, __ATOMIC_RELAXED);
	if (log_fn)
		log_fn(level, line, log_ctx);
	else
		fprintf(stderr, "pagealloc: %s\n", line);
}

/* ------------------------------------------------------------ memory */

#define CHUNK_SHIFT 30
#define MAX_CHUNKS 4096

static struct chunk {
	pa_phys_t index; /* pa >> CHUNK_SHIFT */
	char *base;
} chunks[MAX_CHUNKS];
static unsigned int nr_chunks;
static pthread_mutex_t chunk_lock = PTHREAD_MUTEX_INITIALIZER;

/* A chunk already mapped; lock-free: entries are published by nr_chunks. */
static char *chunk_lookup(pa_phys_t index)
{
	unsigned int n = __atomic_load_n(&nr_chunks, __ATOMIC_ACQUIRE);

	for (unsigned int i = 0; i < n; i++)
		if (chunks[i].index == index)
			return chunks[i].base;
	return NULL;
}

/* Under chunk_lock: the chunk of @index, mapped on first use. */
static char *chunk_for(pa_phys_t index)
{
	char *base = chunk_lookup(index);

	if (base)
		return base;
	if (nr_chunks == MAX_CHUNKS)
		pa_port_panic("host: too many simulated memory chunks");
	base = mmap(NULL, 1UL << CHUNK_SHIFT, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		pa_port_panic("host: cannot map simulated physical memory");
#ifdef MADV_HUGEPAGE
	madvise(base, 1UL << CHUNK_SHIFT, MADV_HUGEPAGE);
#endif
	chunks[nr_chunks].index = index;
	chunks[nr_chunks].base = base;
	__atomic_store_n(&nr_chunks, nr_chunks + 1, __ATOMIC_RELEASE);
	return base;
}

void *pa_port_phys_to_virt(pa_phys_t pa, size_t size)
{
	char *base;

	if (((pa + size - 1) >> CHUNK_SHIFT) != (pa >> CHUNK_SHIFT) && size)
		pa_port_panic("host: phys_to_virt range crosses a 1 GiB boundary");
	base = chunk_lookup(pa >> CHUNK_SHIFT); /* poisoning calls this on every free */
	if (!base) {
		pthread_mutex_lock(&chunk_lock);
		base = chunk_for(pa >> CHUNK_SHIFT);
		pthread_mutex_unlock(&chunk_lock);
	}
	return base + (pa & ((1UL << CHUNK_SHIFT) - 1));
}

/* The reverse of pa_port_phys_to_virt(), for linux-compat.h's free_pages(). */
pa_phys_t pa_port_virt_to_phys(const void *va)
{
	pa_phys_t pa = (pa_phys_t)-1;

	pthread_mutex_lock(&chunk_lock);
	for (unsigned int i = 0; i < nr_chunks; i++) {
		uintptr_t off = (uintptr_t)va - (uintptr_t)chunks[i].base;

		if (off < (1UL << CHUNK_SHIFT)) {
			pa = (chunks[i].index << CHUNK_SHIFT) + off;
			break;
		}
	}
	pthread_mutex_unlock(&chunk_lock);
	return pa;
}

void pa_host_release_memory(void)
{
	pthread_mutex_lock(&chunk_lock);
	for (unsigned int i = 0; i < nr_chunks; i++)
		munmap(chunks[i].base, 1UL << CHUNK_SHIFT);
	__atomic_store_n(&nr_chunks, 0, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&chunk_lock);
}

size_t pa_host_mapped_bytes(void)
{
	return (size_t)nr_chunks << CHUNK_SHIFT;
}
