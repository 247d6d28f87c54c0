/* SPDX-License-Identifier: MIT */
/*
 * The library's base helpers: min/max and alignment, the annotated
 * unlocked accesses, branch hints, the invariant checks, bit scans.
 */
#ifndef PA_COMPILER_H
#define PA_COMPILER_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <pagealloc/config.h>
#include <pagealloc/types.h>

#define PA_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PA_MIN(a, b) ((a) < (b) ? (a) : (b))
#define PA_MAX(a, b) ((a) > (b) ? (a) : (b))
#define PA_ALIGN_UP(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define PA_ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
/*
 * Fields read without the lock that guards their writes (watermark checks,
 * list-empty peeks, neighbour page flags): one relaxed atomic access on
 * each side, like Linux's READ_ONCE/WRITE_ONCE.  Plain loads and stores on
 * arm64 and x86; it tells the compiler and ThreadSanitizer the race is meant.
 */
#define PA_READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define PA_WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define pa_likely(x) __builtin_expect(!!(x), 1)
#define pa_unlikely(x) __builtin_expect(!!(x), 0)
#define PA_PFN_DOWN(pa) ((unsigned long)((pa) >> PA_PAGE_SHIFT))
#define PA_PFN_UP(pa) ((unsigned long)(((pa) + PA_PAGE_SIZE - 1) >> PA_PAGE_SHIFT))
#define PA_PFN_PHYS(pfn) ((pa_phys_t)(pfn) << PA_PAGE_SHIFT)

_Noreturn void pa_bug(const char *func, int line, const char *what);
/* Internal invariant (not bad input): panics when CONFIG_PA_DEBUG_VM is set. */
#define PA_BUG_ON(cond)                                                        \
	do {                                                                   \
		if (IS_ENABLED(CONFIG_PA_DEBUG_VM) && pa_unlikely(cond))       \
			pa_bug(__func__, __LINE__, #cond);                     \
	} while (0)

#define PA_ALWAYS_INLINE inline __attribute__((always_inline))

/*
 * An invariant the compiler may rely on: checked (PA_BUG_ON) with
 * CONFIG_PA_DEBUG_VM, assumed without it, so that code after it folds.
 * @cond is evaluated twice: it must have no side effects.
 */
#define PA_ASSUME(cond)                                                        \
	do {                                                                   \
		PA_BUG_ON(!(cond));                                            \
		if (!(cond))                                                   \
			__builtin_unreachable();                               \
	} while (0)

static inline void *pa_memset(void *dst, int c, size_t n)
{
	return __builtin_memset(dst, c, n);
}

/*
 * Bit scans that need nothing from libgcc.  The compiler's builtins are
 * one instruction on the targets below; elsewhere (rv64gc without Zbb,
 * for one) they become calls to libgcc's __clzdi2 and __ctzdi2, which a
 * kernel may not link, so a binary search does it: log2(BITS_PER_LONG)
 * steps, on no hot path.
 */
#if defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) || \
	defined(__powerpc64__) || defined(__riscv_zbb) || defined(__s390x__)
#define PA_HAVE_BITSCAN 1
#else
#define PA_HAVE_BITSCAN 0
#endif

/* floor(log2(@v)), @v > 0, by binary search: the targets without a bit scan. */
static inline unsigned int pa_ilog2_generic(unsigned long v)
{
	unsigned int r = 0;

	for (unsigned int s = sizeof(long) * 4; s; s >>= 1) {
		if (v >> s) {
			v >>= s;
			r += s;
		}
	}
	return r;
}

/* floor(log2(@v)), @v > 0: the index of the highest set bit. */
static inline unsigned int pa_ilog2(unsigned long v)
{
	if (PA_HAVE_BITSCAN)
		return (unsigned int)(sizeof(long) * 8 - 1 - (unsigned int)__builtin_clzl(v));
	return pa_ilog2_generic(v);
}

/* The index of the lowest set bit of @v > 0. */
static inline unsigned int pa_ctzl(unsigned long v)
{
	if (PA_HAVE_BITSCAN)
		return (unsigned int)__builtin_ctzl(v);
	return pa_ilog2_generic(v & -v);
}

#endif /* PA_COMPILER_H */
