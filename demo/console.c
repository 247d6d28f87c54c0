// SPDX-License-Identifier: MIT
/*
 * The demo kernels' console: the arch's UART (arch_console_putc()) with a
 * lock that keeps one CPU's message whole, and a small printf.
 *
 * Until console_set_smp() only the boot CPU runs and no lock is taken
 * (on arm64 the MMU is off then, and exclusives on Device memory are not
 * architecturally reliable).
 */
#include "demo.h"
#include <pagealloc/port.h>
#include <pagealloc/errno.h>

void console_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			arch_console_putc('\r');
		arch_console_putc(s[i]);
	}
}

/* ------------------------------------------------------------ locking */

/*
 * The console lock: the CPU id of its holder in one word, UINT32_MAX when
 * free, taken by compare-and-swap.  Nested takes by the holder (an
 * exception while printing) only count.  A CPU that cannot get it in two
 * seconds prints anyway: a report of a hang or a panic must get out even
 * when the holder will never let go.
 */
#define CONSOLE_FREE UINT32_MAX

static bool console_smp;
static uint32_t console_owner = CONSOLE_FREE;
static unsigned int console_depth;
static unsigned long console_flags;

void console_set_smp(void)
{
	__atomic_store_n(&console_smp, true, __ATOMIC_RELEASE);
}

static bool console_take(uint32_t cpu)
{
	uint64_t start = arch_timer_count(), limit = arch_timer_freq() * 2;

	for (;;) {
		uint32_t free = CONSOLE_FREE;

		if (__atomic_compare_exchange_n(&console_owner, &free, cpu, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return true;
		if (arch_timer_count() - start > limit)
			return false;
		arch_cpu_relax();
	}
}

void console_lock(void)
{
	unsigned long flags;
	uint32_t cpu;

	if (!__atomic_load_n(&console_smp, __ATOMIC_ACQUIRE))
		return;
	flags = pa_port_irq_save();
	cpu = pa_port_cpu_id();
	if (__atomic_load_n(&console_owner, __ATOMIC_RELAXED) == cpu) {
		console_depth++; /* nested: an exception while printing */
		pa_port_irq_restore(flags);
		return;
	}
	if (!console_take(cpu)) { /* better garbled than silent */
		pa_port_irq_restore(flags);
		return;
	}
	console_depth = 1;
	console_flags = flags;
}

void console_unlock(void)
{
	unsigned long flags;

	if (!__atomic_load_n(&console_smp, __ATOMIC_ACQUIRE))
		return;
	if (__atomic_load_n(&console_owner, __ATOMIC_RELAXED) != pa_port_cpu_id())
		return; /* we printed without the lock after a timeout */
	if (--console_depth)
		return;
	flags = console_flags;
	__atomic_store_n(&console_owner, CONSOLE_FREE, __ATOMIC_RELEASE);
	pa_port_irq_restore(flags);
}

/* ------------------------------------------------------------ printf */

struct sink {
	char *buf; /* NULL: the UART */
	size_t size;
	size_t pos;
};

static void sink_putc(struct sink *s, char c)
{
	if (!s->buf)
		console_write(&c, 1);
	else if (s->pos + 1 < s->size)
		s->buf[s->pos] = c;
	s->pos++;
}

static void sink_pad(struct sink *s, char c, int n)
{
	while (n-- > 0)
		sink_putc(s, c);
}

static void print_num(struct sink *s, unsigned long long v, bool neg, unsigned int base,
		      int width, bool zero, bool left)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	width -= n + (neg ? 1 : 0);
	if (!left && !zero)
		sink_pad(s, ' ', width);
	if (neg)
		sink_putc(s, '-');
	if (!left && zero)
		sink_pad(s, '0', width);
	while (n)
		sink_putc(s, tmp[--n]);
	if (left)
		sink_pad(s, ' ', width);
}

/*
 * The subset the kernel uses: %d %i %u %x %p %s %c %%, flags '-' and '0',
 * a decimal width, and the length modifiers l, ll and z.
 */
static void do_vprintf(struct sink *s, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		bool left = false, zero = false;
		int width = 0, lng = 0;
		unsigned long long u;
		long long d;
		const char *str;

		if (*fmt != '%') {
			sink_putc(s, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				zero = true;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		for (;; fmt++) {
			if (*fmt == 'l')
				lng++;
			else if (*fmt == 'z')
				lng = 1;
			else
				break;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			d = lng >= 2 ? va_arg(ap, long long) : lng ? va_arg(ap, long) : va_arg(ap, int);
			u = d < 0 ? 0ULL - (unsigned long long)d : (unsigned long long)d;
			print_num(s, u, d < 0, 10, width, zero, left);
			break;
		case 'u':
		case 'x':
			u = lng >= 2 ? va_arg(ap, unsigned long long)
			    : lng    ? va_arg(ap, unsigned long)
				     : va_arg(ap, unsigned int);
			print_num(s, u, false, *fmt == 'u' ? 10 : 16, width, zero, left);
			break;
		case 'p':
			sink_putc(s, '0');
			sink_putc(s, 'x');
			print_num(s, (uintptr_t)va_arg(ap, void *), false, 16, 16, true, false);
			break;
		case 'c':
			sink_putc(s, (char)va_arg(ap, int));
			break;
		case 's': {
			int len = 0;

			str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			while (str[len])
				len++;
			if (!left)
				sink_pad(s, ' ', width - len);
			for (int i = 0; i < len; i++)
				sink_putc(s, str[i]);
			if (left)
				sink_pad(s, ' ', width - len);
			break;
		}
		case '%':
			sink_putc(s, '%');
			break;
		case '\0':
			return;
		default:
			sink_putc(s, '%');
			sink_putc(s, *fmt);
			break;
		}
	}
}

void kvprintf_unlocked(const char *fmt, va_list ap)
{
	struct sink s = { 0 };

	do_vprintf(&s, fmt, ap);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_lock();
	kvprintf_unlocked(fmt, ap);
	console_unlock();
	va_end(ap);
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { .buf = buf, .size = size };

	do_vprintf(&s, fmt, ap);
	if (size)
		buf[s.pos < size ? s.pos : size - 1] = '\0';
	return (int)s.pos;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* ------------------------------------------------------------ the library's log */

static unsigned long error_count;

unsigned long port_error_count(void)
{
	return __atomic_load_n(&error_count, __ATOMIC_RELAXED);
}

void console_log(int level, const char *line)
{
	if (level <= PA_LOG_ERR)
		__atomic_fetch_add(&error_count, 1, __ATOMIC_RELAXED);
	kprintf("pagealloc: %s\n", line);
}
