// SPDX-License-Identifier: MIT
/*
 * The console: QEMU virt's PL011 UART, polled, plus a small printf.
 *
 * Before the MMU is on only the boot CPU runs and the console takes no
 * lock (exclusives on Device memory are not architecturally reliable).
 * Afterwards kprintf() holds the console lock for a whole message, so
 * lines from several CPUs do not interleave.  The lock spins for a
 * bounded time only: a CPU reporting an exception or a panic must get its
 * message out even if the CPU holding the lock will never release it.
 */
#include "arm64.h"
#include <pagealloc/port.h>

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTIBRD 0x24
#define UARTFBRD 0x28
#define UARTLCR_H 0x2c
#define UARTCR 0x30
#define UARTIMSC 0x38
#define UARTICR 0x44

#define FR_TXFF (1u << 5)
#define FR_BUSY (1u << 3)
#define LCR_H_FEN (1u << 4)
#define LCR_H_WLEN8 (3u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)

static inline void uart_write32(unsigned int off, uint32_t v)
{
	*(volatile uint32_t *)(PL011_BASE + off) = v;
}

static inline uint32_t uart_read32(unsigned int off)
{
	return *(volatile uint32_t *)(PL011_BASE + off);
}

/*
 * 8N1 with FIFOs, 115200 baud from the 24 MHz reference clock QEMU's
 * virt board describes (QEMU itself ignores the divisor).
 */
void console_init(void)
{
	uart_write32(UARTCR, 0);
	uart_write32(UARTIMSC, 0);
	uart_write32(UARTICR, 0x7ff);
	uart_write32(UARTIBRD, 13);
	uart_write32(UARTFBRD, 1);
	uart_write32(UARTLCR_H, LCR_H_FEN | LCR_H_WLEN8);
	uart_write32(UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
}

static void uart_putc(char c)
{
	while (uart_read32(UARTFR) & FR_TXFF)
		;
	uart_write32(UARTDR, (uint8_t)c);
}

void console_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}

/* ------------------------------------------------------------ locking */

static bool console_smp;
static pa_spinlock_t console_spin;
static uint32_t console_owner = UINT32_MAX; /* CPU holding it, for nesting */
static unsigned int console_depth;
static unsigned long console_flags;

void console_set_smp(void)
{
	pa_port_spin_init(&console_spin);
	__atomic_store_n(&console_smp, true, __ATOMIC_RELEASE);
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
	/* Two seconds, then print anyway: better garbled than silent. */
	if (!port_spin_trylock_timeout(&console_spin, timer_freq() * 2)) {
		pa_port_irq_restore(flags);
		return;
	}
	__atomic_store_n(&console_owner, cpu, __ATOMIC_RELAXED);
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
	__atomic_store_n(&console_owner, UINT32_MAX, __ATOMIC_RELAXED);
	pa_port_spin_unlock_irqrestore(&console_spin, flags);
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
