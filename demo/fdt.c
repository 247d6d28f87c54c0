// SPDX-License-Identifier: MIT
/*
 * Flattened device tree reader (Devicetree Specification, "DTB" format
 * version 17, backwards compatible to 16).
 *
 * The blob is big endian: a 40-byte header, the memory reservation block
 * (pairs of 64-bit address and size, ending with 0/0), the structure block
 * (a stream of 32-bit tokens: BEGIN_NODE name, PROP len nameoff value,
 * END_NODE, NOP, END; everything padded to 4 bytes) and the strings block
 * holding property names.  One linear pass over the structure block is
 * enough here: a node's properties come before its children, so when a
 * node ends everything about it and its parent is known.
 *
 * On arm64 this runs with the MMU off, where memory is Device memory and
 * unaligned accesses fault, so it reads only aligned 32-bit words (the
 * arm64 demo is built with -mstrict-align) and bounds-checks every offset
 * against the header's sizes before it reads.
 */
#include "demo.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u

#define FDT_HDR_SIZE 40
#define MAX_DEPTH 16

enum node_kind {
	NODE_OTHER,
	NODE_ROOT,
	NODE_MEMORY,   /* a child of / named memory or with device_type "memory" */
	NODE_RESMEM,   /* /reserved-memory */
	NODE_RESCHILD, /* a child of /reserved-memory */
	NODE_CPUS,     /* /cpus */
	NODE_CPUNODE,  /* a child of /cpus (cpu@N, or cpu-map) */
	NODE_PSCI,     /* /psci */
	NODE_CHOSEN,   /* /chosen */
};

struct node {
	enum node_kind kind;
	const char *name;
	/* Cell counts this node's children use (defaults of the spec). */
	uint32_t addr_cells, size_cells;
	/* Properties gathered while the node is open. */
	const uint8_t *reg;
	uint32_t reg_len;
	const uint8_t *dma_ranges;
	uint32_t dma_ranges_len;
	bool type_memory, type_cpu, disabled, has_size;
	uint64_t initrd_start, initrd_end;
	bool has_initrd_start, has_initrd_end;
	bool psci_02;        /* compatible with arm,psci-0.2 or later */
	uint32_t cpu_on_fn;  /* PSCI 0.1 "cpu_on" function id */
};

struct blob {
	const uint8_t *base;
	uint32_t size;
	uint32_t strings, strings_size;
};

/* A big-endian word, read as one aligned load; swapped by shifts (no libgcc call). */
static inline uint32_t be32(const void *p)
{
	uint32_t v = *(const uint32_t *)p;

	return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
}

/* @n cells (big endian, n <= 2 significant) at @p as one number. */
static uint64_t read_cells(const uint8_t *p, uint32_t n)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < n; i++)
		v = (v << 32) | be32(p + 4 * i);
	return v;
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* Is node name @name equal to @base, or @base followed by '@unit'? */
static bool name_is(const char *name, const char *base)
{
	while (*base && *name == *base) {
		name++;
		base++;
	}
	return !*base && (!*name || *name == '@');
}

/* Does the string list @val (@len bytes, NUL-separated) contain @s? */
static bool strlist_has(const uint8_t *val, uint32_t len, const char *s)
{
	uint32_t i = 0;

	while (i < len) {
		const char *entry = (const char *)val + i;
		uint32_t n = 0;

		while (i + n < len && entry[n])
			n++;
		if (i + n < len && str_eq(entry, s))
			return true;
		i += n + 1;
	}
	return false;
}

/* A property value that must be a NUL-terminated string inside the blob. */
static bool prop_str_is(const uint8_t *val, uint32_t len, const char *s)
{
	return len > 0 && val[len - 1] == '\0' && str_eq((const char *)val, s);
}

static void add_range(struct fdt_info *info, bool resv, uint64_t base, uint64_t size,
		      const char *what)
{
	struct fdt_range *tab = resv ? info->resv : info->mem;
	unsigned int *nr = resv ? &info->nr_resv : &info->nr_mem;
	unsigned int max = resv ? FDT_MAX_RESV : FDT_MAX_MEM;

	if (!size)
		return;
	if (*nr == max) {
		info->nr_dropped++;
		return;
	}
	tab[*nr].base = base;
	tab[*nr].size = size;
	tab[*nr].what = what;
	(*nr)++;
}

/* Decode a "reg" property with the parent's cell counts. */
static int add_reg(struct fdt_info *info, bool resv, const struct node *n,
		   const struct node *parent, const char *what)
{
	uint32_t ac = parent->addr_cells, sc = parent->size_cells;
	uint32_t entry = 4 * (ac + sc);

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
		kprintf("pagealloc demo: DTB: %s: unsupported #address-cells %u / #size-cells %u\n",
			n->name, ac, sc);
		return -1;
	}
	if (n->reg_len % entry) {
		kprintf("pagealloc demo: DTB: %s: reg length %u is not a multiple of %u\n", n->name,
			n->reg_len, entry);
		return -1;
	}
	for (uint32_t off = 0; off < n->reg_len; off += entry)
		add_range(info, resv, read_cells(n->reg + off, ac), read_cells(n->reg + off + 4 * ac, sc),
			  what);
	return 0;
}

static enum node_kind classify(const struct node *parent, const char *name, unsigned int depth)
{
	if (depth == 1)
		return NODE_ROOT;
	switch (parent->kind) {
	case NODE_ROOT:
		if (name_is(name, "memory"))
			return NODE_MEMORY;
		if (str_eq(name, "reserved-memory"))
			return NODE_RESMEM;
		if (str_eq(name, "cpus"))
			return NODE_CPUS;
		if (str_eq(name, "psci"))
			return NODE_PSCI;
		if (str_eq(name, "chosen"))
			return NODE_CHOSEN;
		return NODE_OTHER; /* may still be memory, by device_type */
	case NODE_RESMEM:
		return NODE_RESCHILD;
	case NODE_CPUS:
		return NODE_CPUNODE;
	default:
		return NODE_OTHER;
	}
}

static void take_prop(struct fdt_info *info, struct node *n, const char *pname, const uint8_t *val,
		      uint32_t len)
{
	if (str_eq(pname, "#address-cells") && len == 4)
		n->addr_cells = be32(val);
	else if (str_eq(pname, "#size-cells") && len == 4)
		n->size_cells = be32(val);
	else if (str_eq(pname, "reg")) {
		n->reg = val;
		n->reg_len = len;
	} else if (str_eq(pname, "dma-ranges")) {
		n->dma_ranges = val;
		n->dma_ranges_len = len;
	} else if (str_eq(pname, "device_type")) {
		n->type_memory = prop_str_is(val, len, "memory");
		n->type_cpu = prop_str_is(val, len, "cpu");
	} else if (str_eq(pname, "status")) {
		n->disabled = !prop_str_is(val, len, "okay") && !prop_str_is(val, len, "ok");
	} else if (str_eq(pname, "size")) {
		n->has_size = true;
	} else if (n->kind == NODE_CPUS && str_eq(pname, "timebase-frequency") && len == 4) {
		info->timebase_hz = be32(val);
	} else if (n->kind == NODE_PSCI && str_eq(pname, "method")) {
		info->psci = prop_str_is(val, len, "hvc")   ? PSCI_HVC
			     : prop_str_is(val, len, "smc") ? PSCI_SMC
							    : PSCI_NONE;
	} else if (n->kind == NODE_PSCI && str_eq(pname, "compatible")) {
		/* PSCI 0.2 and later have fixed function ids; 0.1 lists them. */
		n->psci_02 = strlist_has(val, len, "arm,psci-0.2") ||
			     strlist_has(val, len, "arm,psci-1.0");
	} else if (n->kind == NODE_PSCI && str_eq(pname, "cpu_on") && len == 4) {
		n->cpu_on_fn = be32(val);
	} else if (n->kind == NODE_CHOSEN && (len == 4 || len == 8)) {
		if (str_eq(pname, "linux,initrd-start")) {
			n->initrd_start = read_cells(val, len / 4);
			n->has_initrd_start = true;
		} else if (str_eq(pname, "linux,initrd-end")) {
			n->initrd_end = read_cells(val, len / 4);
			n->has_initrd_end = true;
		}
	}
}

/*
 * The "dma-ranges" of node @n: (child address, parent address, size)
 * triples in @n's #address-cells, its parent's, and @n's #size-cells.  The
 * highest parent (CPU) address one reaches lowers info->dma_max_cpu_addr;
 * an empty property is a 1:1 mapping and lowers nothing.  Parent addresses
 * are taken as CPU addresses, as on QEMU's virt machine, whose buses do
 * not translate.
 */
static int take_dma_ranges(struct fdt_info *info, const struct node *n, const struct node *parent)
{
	uint32_t na = n->addr_cells, pna = parent ? parent->addr_cells : 2, ns = n->size_cells;
	uint32_t entry = 4 * (na + pna + ns);
	uint64_t end = 0;

	if (!n->dma_ranges_len || n->disabled)
		return 0;
	if (na > 3 || pna < 1 || pna > 2 || ns < 1 || ns > 2 || n->dma_ranges_len % entry) {
		kprintf("pagealloc demo: DTB: %s: unsupported dma-ranges\n", n->name);
		return -1;
	}
	for (uint32_t off = 0; off < n->dma_ranges_len; off += entry) {
		uint64_t cpu = read_cells(n->dma_ranges + off + 4 * na, pna);
		uint64_t size = read_cells(n->dma_ranges + off + 4 * (na + pna), ns);

		if (size && cpu + size - 1 > end)
			end = cpu + size - 1;
	}
	if (end < info->dma_max_cpu_addr)
		info->dma_max_cpu_addr = end;
	return 0;
}

static int end_node(struct fdt_info *info, struct node *n, struct node *parent)
{
	if (take_dma_ranges(info, n, parent))
		return -1;
	switch (n->kind) {
	case NODE_MEMORY:
	case NODE_OTHER:
		if (parent && parent->kind == NODE_ROOT && !n->disabled && n->reg &&
		    (n->type_memory || (n->kind == NODE_MEMORY && !n->type_cpu)))
			return add_reg(info, false, n, parent, "memory");
		return 0;
	case NODE_RESCHILD:
		if (n->disabled)
			return 0;
		if (n->reg)
			return add_reg(info, true, n, parent, "/reserved-memory");
		if (n->has_size)
			kprintf("pagealloc demo: DTB: /reserved-memory/%s: dynamic (size only), ignored\n",
				n->name);
		return 0;
	case NODE_CPUNODE:
		if (!n->type_cpu || n->disabled)
			return 0; /* cpu-map and friends */
		if (!n->reg || n->reg_len < 4 * parent->addr_cells || parent->addr_cells > 2 ||
		    parent->addr_cells < 1) {
			kprintf("pagealloc demo: DTB: /cpus/%s: bad reg\n", n->name);
			return -1;
		}
		if (info->nr_cpus == FDT_MAX_CPUS) {
			info->nr_dropped++;
			return 0;
		}
		info->cpu_hwid[info->nr_cpus++] = read_cells(n->reg, parent->addr_cells);
		return 0;
	case NODE_PSCI:
		if (!n->psci_02)
			info->psci_cpu_on = n->cpu_on_fn;
		return 0;
	case NODE_CHOSEN:
		if (n->has_initrd_start && n->has_initrd_end && n->initrd_end > n->initrd_start)
			add_range(info, true, n->initrd_start, n->initrd_end - n->initrd_start,
				  "initrd");
		return 0;
	default:
		return 0;
	}
}

static int parse_rsvmap(struct fdt_info *info, const struct blob *b, uint32_t off, uint32_t limit)
{
	for (;; off += 16) {
		uint64_t base, size;

		if (off + 16 > limit) {
			kprintf("pagealloc demo: DTB: memory reservation block is not terminated\n");
			return -1;
		}
		base = read_cells(b->base + off, 2);
		size = read_cells(b->base + off + 8, 2);
		if (!base && !size)
			return 0;
		add_range(info, true, base, size, "/memreserve/");
	}
}

static int parse_struct(struct fdt_info *info, const struct blob *b, uint32_t off, uint32_t end)
{
	struct node stack[MAX_DEPTH];
	unsigned int depth = 0; /* open nodes */

	while (off + 4 <= end) {
		uint32_t tok = be32(b->base + off);
		struct node *n, *parent;

		off += 4;
		switch (tok) {
		case FDT_BEGIN_NODE: {
			const char *name = (const char *)b->base + off;
			uint32_t len = 0;

			while (off + len < end && name[len])
				len++;
			if (off + len >= end)
				goto truncated;
			off = (off + len + 1 + 3) & ~3u;
			if (depth == MAX_DEPTH) {
				kprintf("pagealloc demo: DTB: nodes nested deeper than %u\n", MAX_DEPTH);
				return -1;
			}
			parent = depth ? &stack[depth - 1] : NULL;
			n = &stack[depth++];
			*n = (struct node){ .name = name, .addr_cells = 2, .size_cells = 1 };
			n->kind = classify(parent, name, depth);
			break;
		}
		case FDT_END_NODE:
			if (!depth)
				goto malformed;
			depth--;
			if (end_node(info, &stack[depth], depth ? &stack[depth - 1] : NULL))
				return -1;
			break;
		case FDT_PROP: {
			uint32_t len, nameoff;

			if (off + 8 > end || !depth)
				goto malformed;
			len = be32(b->base + off);
			nameoff = be32(b->base + off + 4);
			off += 8;
			if (len > end - off || nameoff >= b->strings_size)
				goto truncated;
			take_prop(info, &stack[depth - 1], (const char *)b->base + b->strings + nameoff,
				  b->base + off, len);
			off = (off + len + 3) & ~3u;
			break;
		}
		case FDT_NOP:
			break;
		case FDT_END:
			if (depth)
				goto malformed;
			return 0;
		default:
			goto malformed;
		}
	}
truncated:
	kprintf("pagealloc demo: DTB: structure block truncated at offset 0x%x\n", off);
	return -1;
malformed:
	kprintf("pagealloc demo: DTB: malformed structure block at offset 0x%x\n", off - 4);
	return -1;
}

int fdt_parse(uint64_t dtb_pa, struct fdt_info *info)
{
	struct blob b;
	uint32_t total, off_struct, off_strings, off_rsvmap, version, size_struct;

	*info = (struct fdt_info){ .dtb_pa = dtb_pa, .psci_cpu_on = 0, .dma_max_cpu_addr = ~0ULL };
	if (!dtb_pa || (dtb_pa & 7)) {
		kprintf("pagealloc demo: DTB: bad address 0x%lx from the loader\n",
			(unsigned long)dtb_pa);
		return -1;
	}
	b.base = (const uint8_t *)(uintptr_t)dtb_pa;
	if (be32(b.base) != FDT_MAGIC) {
		kprintf("pagealloc demo: DTB: no FDT magic at 0x%lx\n", (unsigned long)dtb_pa);
		return -1;
	}
	total = be32(b.base + 4);
	off_struct = be32(b.base + 8);
	off_strings = be32(b.base + 12);
	off_rsvmap = be32(b.base + 16);
	version = be32(b.base + 20);
	b.strings_size = be32(b.base + 32);
	size_struct = version >= 17 ? be32(b.base + 36) : total - off_struct;
	b.size = total;
	b.strings = off_strings;

	if (version < 16 || be32(b.base + 24) > 17) {
		kprintf("pagealloc demo: DTB: unsupported version %u\n", version);
		return -1;
	}
	if (total < FDT_HDR_SIZE || (off_struct & 3) || (off_rsvmap & 7) ||
	    off_struct > total || size_struct > total - off_struct || off_strings > total ||
	    b.strings_size > total - off_strings || off_rsvmap < FDT_HDR_SIZE || off_rsvmap > total) {
		kprintf("pagealloc demo: DTB: inconsistent header (totalsize %u)\n", total);
		return -1;
	}
	info->dtb_size = total;

	if (parse_rsvmap(info, &b, off_rsvmap, total))
		return -1;
	if (parse_struct(info, &b, off_struct, off_struct + size_struct))
		return -1;
	if (!info->nr_mem) {
		kprintf("pagealloc demo: DTB: no /memory node with a reg property\n");
		return -1;
	}
	return 0;
}
