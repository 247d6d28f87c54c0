# SPDX-License-Identifier: MIT
#
# pagealloc build.
#
#   make                    host libpagealloc.a and pa-sim in build/host
#   make ARCH=arm64         freestanding libpagealloc.a with aarch64-linux-gnu-
#   make O=dir ...          build in dir (several configurations side by side)
#   make defconfig | olddefconfig | menuconfig | NAME_defconfig
#   make check              install test dependencies, test several configs
#   make stress             the reference-model test (tests/test_model.c) for
#                           10^7 operations: 4 seeds x 2.5M, pa_check() and
#                           the zone comparison every 1000 operations and at
#                           the end instead of after each (make test runs
#                           4 x 25000 checking after every operation)
#   make install            headers, libpagealloc.a, pagealloc.pc into
#                           $(DESTDIR)$(PREFIX) (PREFIX=/usr/local); see
#                           "install" below for what each ARCH gets
#   make fuzz               the libFuzzer target (tests/fuzz/fuzz_api.c) with
#                           clang, ASan and UBSan in build/fuzz, for
#                           FUZZ_SECONDS (default 300) seconds
#   make bench              benchmarks, optimised, debug off: a table (tests/bench/)
#   make bench-instr        instructions per operation with callgrind
#   make qemu               boot the arm64 demo kernel (arch/arm64/arm64.mk)
#   make clean              remove $(O); make distclean removes build/
#   V=1                     show the commands
#   NO_DEPS=1               never install packages

ARCH ?= host
O ?= build/$(ARCH)
ifeq ($(ARCH),arm64)
CROSS_COMPILE ?= aarch64-linux-gnu-
endif
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

# The defconfig for this ARCH, plus an optional fragment merged on top
# (make check uses one per configuration).
DEFCONFIG ?= configs/$(ARCH)_defconfig
FRAGMENT ?=

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wpointer-arith -Wundef -Wvla
BASE_CFLAGS := -std=c11 $(WARN) -g -I$(srctree)/include -I$(srctree)/arch/$(ARCH)/include \
	-I$(gen) -include $(AUTOCONF)
OPT ?= -O2
EXTRA_CFLAGS ?=
SAN ?=
# src/ is freestanding everywhere; only arch/host, pa-sim and tests see libc.
# No FP/SIMD registers in the library, on the host too: a kernel saves
# them only around code that asks (so the host measures the code a kernel
# runs, without vectorised stores of list pointers).
LIB_CFLAGS := $(BASE_CFLAGS) $(OPT) -ffreestanding -fno-common -mgeneral-regs-only $(SAN) \
	$(EXTRA_CFLAGS)
ifeq ($(ARCH),arm64)
LIB_CFLAGS += -fno-pic -fno-stack-protector
endif
HOST_CFLAGS := $(BASE_CFLAGS) $(OPT) -D_GNU_SOURCE -pthread $(SAN) $(EXTRA_CFLAGS)
HOST_LDLIBS := -pthread

LIB_SRCS := $(sort $(wildcard src/*.c))
LIB_OBJS := $(LIB_SRCS:%.c=$(obj)/%.o)
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

# Architecture rules: arch/host builds pa-sim and the tests, arch/arm64 the
# demo kernel and make qemu.
include arch/$(ARCH)/arch.mk

# ---------------------------------------------------------------- install
# make install [PREFIX=/usr/local] [DESTDIR=] [ARCH=...] [O=...] installs the
# build of this ARCH and configuration:
#   include/pagealloc/*.h        the public headers and this build's
#                                autoconf.h, which config.h includes: a
#                                consumer needs only -I, no -include
#   lib/libpagealloc.a           the library alone, without any port: the
#                                kernel links its own port hooks (port.h)
#   lib/pkgconfig/pagealloc.pc   Cflags -I, Libs -lpagealloc
# ARCH=host adds the hosted port as a separate archive (arch/host/arch.mk):
# lib/libpagealloc-host.a, pagealloc/host.h and pagealloc-host.pc, whose
# Libs are "-lpagealloc -lpagealloc-host -pthread".  So libpagealloc.a is
# the same port-less library on every ARCH, and a kernel never gets the
# host port.  The .pc files use ${prefix}, and DESTDIR only stages.
PREFIX ?= /usr/local
DESTDIR ?=
includedir ?= $(PREFIX)/include
libdir ?= $(PREFIX)/lib
INSTALL ?= install
PA_VERSION := 0.1.0
INSTALL_HDRS := $(filter-out include/pagealloc/host.h,$(sort $(wildcard include/pagealloc/*.h)))

# $(call pa_write_pc,NAME,DESCRIPTION,LIBS): $(DESTDIR)$(libdir)/pkgconfig/NAME.pc
# (no commas or single quotes in the arguments).
pa_pc_rel = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))
pa_write_pc = printf '%s\n' 'prefix=$(PREFIX)' 'includedir=$(call pa_pc_rel,$(includedir))' \
	'libdir=$(call pa_pc_rel,$(libdir))' 'arch=$(ARCH)' '' 'Name: $(1)' 'Description: $(2)' \
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
	$(Q)$(call pa_write_pc,pagealloc,Zoned buddy page allocator after Linux ($(ARCH) build),-L$${libdir} -lpagealloc)

# ---------------------------------------------------------------- check
check:
	$(Q)bash tests/check.sh

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
