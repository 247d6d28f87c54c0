# SPDX-License-Identifier: MIT
#
# pagealloc build.
#
#   make                    host libpagealloc.a and pa-sim in build/host
#   make ARCH=arm64         freestanding libpagealloc.a with aarch64-linux-gnu-
#   make ARCH=riscv64       the same with riscv64-linux-gnu-
#   make ARCH=name CROSS_COMPILE=prefix KCFLAGS='...'
#                           any other target: libpagealloc.a alone,
#                           freestanding, built with $(CROSS_COMPILE)gcc and
#                           the kernel's own code-model and ABI flags
#                           (KCFLAGS, e.g. -mcmodel=medany -mno-relax)
#   make O=dir ...          build in dir (several configurations side by side)
#   make defconfig | olddefconfig | menuconfig | NAME_defconfig
#   make check              install test dependencies, test several configs
#   make stress             the reference-model test (tests/test_model.c) for
#                           10^7 operations: 4 seeds x 2.5M, pa_check() and
#                           the zone comparison every 1000 operations and at
#                           the end instead of after each (make test runs
#                           4 x 25000 checking after every operation)
#   make install            headers, libpagealloc.a, pagealloc-kernel.pc into
#                           $(DESTDIR)$(PREFIX) (PREFIX=/usr/local); see
#                           "install" below for what each ARCH gets
#   make fuzz               the libFuzzer target (tests/fuzz/fuzz_api.c) with
#                           clang, ASan and UBSan in build/fuzz, for
#                           FUZZ_SECONDS (default 300) seconds
#   make bench              benchmarks, optimised, debug off: a table (tests/bench/)
#   make bench-instr        instructions per operation with callgrind
#   make qemu               boot the arm64 demo kernel (arch/arm64/arch.mk);
#                           make qemu ARCH=riscv64 the riscv64 one
#   make clean              remove $(O); make distclean removes build/
#   V=1                     show the commands
#   NO_DEPS=1               never install packages

ARCH ?= host
O ?= build/$(ARCH)
# Our ports (arch/$(ARCH)/arch.mk: its flags, demo kernel and make qemu)
# name their Debian cross compiler; any other ARCH is a generic
# freestanding build of the library alone.
ARCH_MK := $(wildcard arch/$(ARCH)/arch.mk)
CROSS_COMPILE_arm64 := aarch64-linux-gnu-
CROSS_COMPILE_riscv64 := riscv64-linux-gnu-
CROSS_COMPILE ?= $(CROSS_COMPILE_$(ARCH))
ifeq ($(origin CC),default)
CC := $(CROSS_COMPILE)gcc
endif
AR := $(CROSS_COMPILE)ar
NM := $(CROSS_COMPILE)nm
OBJCOPY := $(CROSS_COMPILE)objcopy
PYTHON ?= /usr/bin/python3

ifeq ($(V),1)
Q :=
quiet = @:
else
Q := @
quiet = @printf '  %-8s %s\n'
endif

srctree := $(CURDIR)
obj := $(O)/obj
gen := $(O)/include
CONFIG := $(O)/.config
AUTOCONF := $(gen)/pagealloc/autoconf.h

# Kconfig through kconfiglib (Debian's python3-kconfiglib).  CONFIG_ sets the
# prefix of the written symbols.
KCONFIG_ENV = KCONFIG_CONFIG=$(CONFIG) CONFIG_=CONFIG_PA_ srctree=$(srctree)
KCONFIG = $(KCONFIG_ENV) $(PYTHON) -m

# The defconfig for this ARCH (configs/generic_defconfig for an ARCH we do
# not port), plus an optional fragment merged on top (make check uses one
# per configuration).
DEFCONFIG ?= $(firstword $(wildcard configs/$(ARCH)_defconfig) configs/generic_defconfig)
FRAGMENT ?=

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wpointer-arith -Wundef -Wvla
BASE_CFLAGS := -std=c11 $(WARN) -g -I$(srctree)/include -I$(srctree)/arch/$(ARCH)/include \
	-I$(gen) -include $(AUTOCONF)
OPT ?= -O2
EXTRA_CFLAGS ?=
SAN ?=
# KCFLAGS: the kernel's flags for every library object: code model, ABI,
# -march, -fno-pie, ... (Linux's KCFLAGS).  Given on the command line; a
# port's arch.mk may give a default (riscv64's: -mcmodel=medany -mno-relax
# -fno-pie), which the command line's replaces.
# Flags an architecture needs for the library: a port's arch.mk sets them
# (arm64: no FP/SIMD registers); an ARCH without one gets only what every
# kernel wants (no stack protector: a kernel provides its own, if any).
ARCH_LIB_CFLAGS ?= -fno-stack-protector
# src/ is freestanding everywhere; only arch/host, pa-sim and tests see libc.
LIB_CFLAGS = $(BASE_CFLAGS) $(OPT) -ffreestanding -fno-common $(ARCH_LIB_CFLAGS) $(SAN) \
	$(KCFLAGS) $(EXTRA_CFLAGS)
HOST_CFLAGS := $(BASE_CFLAGS) $(OPT) -D_GNU_SOURCE -pthread $(SAN) $(EXTRA_CFLAGS)
HOST_LDLIBS := -pthread

# The library's objects, Kbuild-style: obj-y always, obj-$(CONFIG_PA_...)
# with that option on, read from this build's $(CONFIG) (which make
# writes first when missing).  In layer order (src/layers.txt).
NOCONFIG_GOALS := clean distclean check bench bench-instr defconfig %_defconfig kconfig-deps
ifneq ($(if $(MAKECMDGOALS),$(filter-out $(NOCONFIG_GOALS),$(MAKECMDGOALS)),all),)
-include $(CONFIG)
endif
obj-y := log.o port_default.o state.o
obj-y += memblock.o sparse.o
obj-y += buddy.o mobility.o
obj-$(CONFIG_PA_MEMORY_ISOLATION) += isolate.o
obj-$(CONFIG_PA_PCP) += pcp.o
obj-y += gfp.o zonelist.o watermark.o alloc.o slowpath.o free.o cpu.o range.o kswapd.o \
	 compaction.o init.o
obj-$(CONFIG_PA_MEMORY_ISOLATION) += contig.o
obj-$(CONFIG_PA_CMA) += cma.o
obj-y += check.o fraginfo.o stats.o vmstat.o sysctl.o
obj-y += debug_page.o page_owner.o trace.o
# Every src/*.c is listed above, once.
lib-all := $(sort $(obj-y) $(obj-n) $(obj-))
ifneq ($(filter-out $(lib-all),$(patsubst src/%.c,%.o,$(wildcard src/*.c))),)
$(error src/ files missing from the object lists: $(filter-out $(lib-all),$(patsubst src/%.c,%.o,$(wildcard src/*.c))))
endif
LIB_OBJS := $(addprefix $(obj)/src/,$(obj-y))
LIB := $(O)/libpagealloc.a

.DEFAULT_GOAL := all
.PHONY: all lib defconfig olddefconfig menuconfig savedefconfig config clean distclean check FORCE

all: lib

lib: $(LIB)

# ---------------------------------------------------------------- Kconfig
# The configuration step runs Python with kconfiglib: installed first when
# missing, so that any make goal works on a fresh Debian machine
# (tests/deps.sh; NO_DEPS=1 skips it).
.PHONY: kconfig-deps
kconfig-deps:
	$(Q)NO_DEPS=$(NO_DEPS) bash tests/deps.sh kconfig

$(CONFIG): $(FRAGMENT) | kconfig-deps
	$(quiet) CONFIG $@
	$(Q)mkdir -p $(O)
	$(Q)cat $(DEFCONFIG) $(FRAGMENT) > $(O)/.defconfig.merged
	$(Q)$(KCONFIG) defconfig --kconfig Kconfig $(O)/.defconfig.merged >/dev/null

defconfig: kconfig-deps
	$(Q)mkdir -p $(O)
	$(Q)$(KCONFIG) defconfig --kconfig Kconfig $(DEFCONFIG)

%_defconfig: kconfig-deps
	$(Q)mkdir -p $(O)
	$(Q)$(KCONFIG) defconfig --kconfig Kconfig configs/$@

olddefconfig: | $(CONFIG)
	$(Q)$(KCONFIG) olddefconfig Kconfig

menuconfig: | $(CONFIG)
	$(Q)$(KCONFIG) menuconfig Kconfig

savedefconfig: | $(CONFIG)
	$(Q)$(KCONFIG) savedefconfig --kconfig Kconfig --out $(O)/defconfig

$(AUTOCONF): $(CONFIG) Kconfig
	$(quiet) GEN $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(KCONFIG) genconfig --header-path $@.tmp Kconfig >/dev/null
	$(Q)mv $@.tmp $@

# ---------------------------------------------------------------- library
$(obj)/src/%.o: src/%.c $(AUTOCONF)
	$(quiet) CC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(LIB_CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJS)
	$(quiet) AR $@
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

-include $(LIB_OBJS:.o=.d)

# Architecture rules: arch/host builds pa-sim and the tests, arch/arm64 and
# arch/riscv64 their demo kernels and make qemu; other ARCHes have none.
ifneq ($(ARCH_MK),)
include $(ARCH_MK)
else
.PHONY: qemu qemu-faults
qemu qemu-faults:
	@echo "make $@: no demo kernel for ARCH=$(ARCH) (ours: arm64, riscv64)" >&2; exit 1
endif

# ---------------------------------------------------------------- install
# make install [PREFIX=/usr/local] [DESTDIR=] [ARCH=...] [O=...] installs the
# build of this ARCH and configuration:
#   include/pagealloc/*.h        the public headers and this build's
#                                autoconf.h, which config.h includes: a
#                                consumer needs only -I, no -include
#   lib/libpagealloc.a           the library alone, without any port: the
#                                kernel links its own port hooks (port.h)
#   lib/pkgconfig/pagealloc-kernel.pc
#                                Cflags -I, Libs -lpagealloc: the name
#                                says a port must be supplied
# ARCH=host adds the hosted port as a separate archive (arch/host/arch.mk):
# lib/libpagealloc-host.a, pagealloc/host.h and pagealloc.pc, whose Libs
# are "-lpagealloc -lpagealloc-host -pthread": the name a host program
# reaches for links.  So libpagealloc.a is the same port-less library on
# every ARCH, and a kernel never gets the host port.  The .pc files use
# ${prefix}, and DESTDIR only stages.
PREFIX ?= /usr/local
DESTDIR ?=
includedir ?= $(PREFIX)/include
libdir ?= $(PREFIX)/lib
INSTALL ?= install
PA_VERSION := 0.1.0
# The compiler's target triple, recorded in the .pc files.
PA_TARGET = $(shell $(CC) -dumpmachine 2>/dev/null)
INSTALL_HDRS := $(filter-out include/pagealloc/host.h,$(sort $(wildcard include/pagealloc/*.h)))

# $(call pa_write_pc,NAME,DESCRIPTION,LIBS): $(DESTDIR)$(libdir)/pkgconfig/NAME.pc
# (no commas or single quotes in the arguments).
pa_pc_rel = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))
pa_write_pc = printf '%s\n' 'prefix=$(PREFIX)' 'includedir=$(call pa_pc_rel,$(includedir))' \
	'libdir=$(call pa_pc_rel,$(libdir))' 'arch=$(ARCH)' 'target=$(PA_TARGET)' '' 'Name: $(1)' \
	'Description: $(2)' \
	'Version: $(PA_VERSION)' 'Cflags: -I$${includedir}' 'Libs: $(3)' \
	> $(DESTDIR)$(libdir)/pkgconfig/$(1).pc

.PHONY: install install-lib
install: install-lib

install-lib: $(LIB) $(AUTOCONF)
	$(quiet) INSTALL $(DESTDIR)$(PREFIX)
	$(Q)$(INSTALL) -d $(DESTDIR)$(includedir)/pagealloc $(DESTDIR)$(libdir)/pkgconfig
	$(Q)$(INSTALL) -m 644 $(INSTALL_HDRS) $(AUTOCONF) $(DESTDIR)$(includedir)/pagealloc/
	$(Q)if grep -q '^#define CONFIG_PA_PORT_INLINE 1' $(AUTOCONF); then \
		$(INSTALL) -m 644 arch/$(ARCH)/include/*.h $(DESTDIR)$(includedir)/; fi
	$(Q)$(INSTALL) -m 644 $(LIB) $(DESTDIR)$(libdir)/
	$(Q)$(call pa_write_pc,pagealloc-kernel,pagealloc without a port: your kernel links the pa_port_* hooks of pagealloc/port.h ($(ARCH) build),-L$${libdir} -lpagealloc)

# ---------------------------------------------------------------- check
check:
	$(Q)bash tests/check.sh

# What the freestanding library needs from outside: the port hooks and
# mem* alone, nothing from libgcc (tests/nm_check.sh), for any ARCH.
.PHONY: check-undefined
check-undefined: $(LIB)
	$(Q)bash tests/nm_check.sh $(NM) $(LIB)

# ---------------------------------------------------------------- bench
# Host only, in their own O= directories (build/bench, build/bench-nopcp).
.PHONY: bench bench-instr
bench:
	+$(Q)bash tests/bench/run.sh

bench-instr:
	+$(Q)bash tests/bench/instr.sh

clean:
	rm -rf $(O)

distclean:
	rm -rf build
