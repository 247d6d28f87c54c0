// SPDX-License-Identifier: MIT
/*
 * A small freestanding printf (the subset the writers and the log need),
 * log lines through the port, and error names.
 *
 * Supported: %d %i %u %x %X %o %c %s %p %% with flags '-', '0', '#', ' ',
 * '+', a width (or '*'), a precision for strings and integers, and the
 * length modifiers hh h l ll z t j.
 */
#include "internal.h"

struct pa_out {
	char *buf;
	size_t size;
	size_t pos; /* characters that would have been written */
};

static void out_char(struct pa_out *o, char c)
{
	if (o->pos + 1 < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

static void out_pad(struct pa_out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

struct pa_spec {
	bool left, zero, alt, space, plus;
	int width;
	int prec; /* -1: none */
};

/* Format the magnitude @v in @base into @tmp, backwards; returns length. */
static int utoa_rev(char *tmp, unsigned long long v, unsigned int base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	return n;
}

static void out_number(struct pa_out *o, unsigned long long v, bool neg, unsigned int base,
		       bool upper, const struct pa_spec *s)
{
	char tmp[24];
	char sign = neg ? '-' : s->plus ? '+' : s->space ? ' ' : 0;
	const char *prefix = "";
	int len, digits, pad, plen;

	len = (v == 0 && s->prec == 0) ? 0 : utoa_rev(tmp, v, base, upper);
	if (s->alt && v && base == 16)
		prefix = upper ? "0X" : "0x";
	else if (s->alt && base == 8)
		prefix = "0";
	plen = prefix[0] ? (prefix[1] ? 2 : 1) : 0;
	digits = s->prec > len ? s->prec : len;
	pad = s->width - digits - (sign ? 1 : 0) - plen;
	if (!s->left && !(s->zero && s->prec < 0))
		out_pad(o, ' ', pad);
	if (sign)
		out_char(o, sign);
	while (*prefix)
		out_char(o, *prefix++);
	if (!s->left && s->zero && s->prec < 0)
		out_pad(o, '0', pad);
	out_pad(o, '0', digits - len);
	while (len)
		out_char(o, tmp[--len]);
	if (s->left)
		out_pad(o, ' ', pad);
}

static void out_string(struct pa_out *o, const char *str, const struct pa_spec *s)
{
	int len = 0;

	if (!str)
		str = "(null)";
	while (str[len] && (s->prec < 0 || len < s->prec))
		len++;
	if (!s->left)
		out_pad(o, ' ', s->width - len);
	for (int i = 0; i < len; i++)
		out_char(o, str[i]);
	if (s->left)
		out_pad(o, ' ', s->width - len);
}

/* Parse flags, width and precision at *fmt; advances it. */
static void parse_spec(const char **fmt, va_list *ap, struct pa_spec *s)
{
	const char *f = *fmt;

	*s = (struct pa_spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '-')
			s->left = true;
		else if (*f == '0')
			s->zero = true;
		else if (*f == '#')
			s->alt = true;
		else if (*f == ' ')
			s->space = true;
		else if (*f == '+')
			s->plus = true;
		else
			break;
	}
	if (*f == '*') {
		s->width = va_arg(*ap, int);
		if (s->width < 0) {
			s->left = true;
			s->width = -s->width;
		}
		f++;
	}
	while (*f >= '0' && *f <= '9')
		s->width = s->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		s->prec = 0;
		if (*f == '*') {
			s->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			s->prec = s->prec * 10 + (*f++ - '0');
	}
	*fmt = f;
}

/* Length modifier: returns the size in bytes of the argument (0 = int). */
static int parse_length(const char **fmt)
{
	const char *f = *fmt;
	int len = 0;

	if (f[0] == 'h') {
		f += (f[1] == 'h') ? 2 : 1;
	} else if (f[0] == 'l') {
		len = (f[1] == 'l') ? (int)sizeof(long long) : (int)sizeof(long);
		f += (f[1] == 'l') ? 2 : 1;
	} else if (f[0] == 'z' || f[0] == 't' || f[0] == 'j') {
		len = f[0] == 'j' ? (int)sizeof(long long) : (int)sizeof(size_t);
		f++;
	}
	*fmt = f;
	return len;
}

static void out_integer(struct pa_out *o, char conv, int len, va_list *ap, struct pa_spec *s)
{
	unsigned long long u;
	bool neg = false;

	if (conv == 'd' || conv == 'i') {
		long long v = len == (int)sizeof(long long) ? va_arg(*ap, long long)
			      : len == (int)sizeof(long) ? va_arg(*ap, long)
							 : va_arg(*ap, int);
		neg = v < 0;
		u = neg ? 0ULL - (unsigned long long)v : (unsigned long long)v;
		out_number(o, u, neg, 10, false, s);
		return;
	}
	u = len == (int)sizeof(long long) ? va_arg(*ap, unsigned long long)
	    : len == (int)sizeof(long) ? va_arg(*ap, unsigned long)
				       : va_arg(*ap, unsigned int);
	s->plus = s->space = false;
	if (conv == 'u')
		out_number(o, u, false, 10, false, s);
	else if (conv == 'o')
		out_number(o, u, false, 8, false, s);
	else
		out_number(o, u, false, 16, conv == 'X', s);
}

static int format_va(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct pa_out o = { .buf = buf, .size = size, .pos = 0 };
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		struct pa_spec s;
		int len;

		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt++;
		parse_spec(&fmt, &aq, &s);
		len = parse_length(&fmt);
		switch (*fmt) {
		case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
			out_integer(&o, *fmt, len, &aq, &s);
			break;
		case 'c':
			out_pad(&o, ' ', s.left ? 0 : s.width - 1);
			out_char(&o, (char)va_arg(aq, int));
			out_pad(&o, ' ', s.left ? s.width - 1 : 0);
			break;
		case 's':
			out_string(&o, va_arg(aq, const char *), &s);
			break;
		case 'p': { /* NULL as Linux's printk() writes it */
			const void *ptr = va_arg(aq, const void *);

			s.alt = true;
			if (ptr)
				out_number(&o, (uintptr_t)ptr, false, 16, false, &s);
			else
				out_string(&o, "(null)", &s);
			break;
		}
		case '%':
			out_char(&o, '%');
			break;
		default: /* unknown conversion: print it verbatim */
			out_char(&o, '%');
			if (*fmt)
				out_char(&o, *fmt);
			break;
		}
		if (*fmt)
			fmt++;
	}
	va_end(aq);
	if (size)
		buf[o.pos < size ? o.pos : size - 1] = '\0';
	return (int)o.pos;
}

int pa_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = format_va(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void pa_log(int level, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	format_va(line, sizeof(line), fmt, ap);
	va_end(ap);
	pa_port_log(level, line);
}

int pa_fail(int err, const char *func, const char *fmt, ...)
{
	char line[256];
	int n;
	va_list ap;

	n = pa_snprintf(line, sizeof(line), "%s: ", func);
	va_start(ap, fmt);
	format_va(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	pa_port_log(PA_LOG_ERR, line);
	return -err;
}

_Noreturn void pa_bug(const char *func, int line, const char *what)
{
	char msg[256];

	pa_snprintf(msg, sizeof(msg), "BUG at %s:%d: %s", func, line, what);
	pa_port_panic(msg);
}

void pa_pr_init(struct pa_printer *p, pa_print_fn fn, void *ctx)
{
	p->fn = fn;
	p->ctx = ctx;
	p->len = 0;
}

void pa_pr_flush(struct pa_printer *p)
{
	if (p->len)
		p->fn(p->ctx, p->buf, p->len);
	p->len = 0;
}

void pa_pr(struct pa_printer *p, const char *fmt, ...)
{
	char tmp[192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = format_va(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(tmp))
		n = (int)sizeof(tmp) - 1;
	if (p->len + (size_t)n > sizeof(p->buf))
		pa_pr_flush(p);
	__builtin_memcpy(p->buf + p->len, tmp, (size_t)n);
	p->len += (size_t)n;
}

const char *pa_strerror(int err)
{
	static const struct {
		int code;
		const char *name;
	} names[] = {
		{ 0, "OK" },
		{ PA_ENOENT, "ENOENT" },   { PA_ENOMEM, "ENOMEM" },
		{ PA_EFAULT, "EFAULT" },   { PA_EBUSY, "EBUSY" },
		{ PA_EEXIST, "EEXIST" },   { PA_EINVAL, "EINVAL" },
		{ PA_ENOSPC, "ENOSPC" },   { PA_ERANGE, "ERANGE" },
		{ PA_EOPNOTSUPP, "EOPNOTSUPP" }, { PA_EUCLEAN, "EUCLEAN" },
		{ PA_ENODEV, "ENODEV" },   { PA_EALREADY, "EALREADY" },
	};

	for (size_t i = 0; i < PA_ARRAY_SIZE(names); i++)
		if (names[i].code == -err)
			return names[i].name;
	return "E?";
}

int pa_writer_check(pa_print_fn fn, const char *func)
{
	if (!pa_g.initialized)
		return pa_fail(PA_ENODEV, func, "called before pa_init()");
	if (!fn)
		return pa_fail(PA_EINVAL, func, "NULL print function");
	return 0;
}
