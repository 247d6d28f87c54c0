# SPDX-License-Identifier: MIT
#
# The demo kernels' build and QEMU runs, shared by arch/arm64/arch.mk and
# arch/riscv64/arch.mk, which set before including this file:
#   DEMO_ARCH          the arch directory (arch/arm64)
#   DEMO_ARCH_C        its C files, DEMO_ARCH_S its assembly files
#   KERNEL_CFLAGS      flags of the kernel's C (the library's flags and more)
#   KERNEL_ASFLAGS, KERNEL_LDFLAGS
#   DEMO_BIN           what QEMU boots: "Image" (objcopy -O binary of the
#                      ELF, arm64's boot protocol) or "elf" (the ELF itself)
#   DEMO_DEPS          the tests/deps.sh set that has the cross compiler and QEMU
#   QEMU, QEMU_ARGS, QEMU_PKG, QEMU_SMP, QEMU_MEM, QEMU_TIMEOUT
#   QEMU_EXPECT_data-abort
#                      --expect-fail options of demo/run-qemu.sh: extended
#                      regexes the console of the data-abort build must
#                      match (the arch's exception report); the double-free
#                      build's are the same on every arch (below)
#
#   make ARCH=... kernel         $(O)/pagealloc-demo.elf (and Image)
#   make ARCH=... qemu           boot it; PASS or FAIL is the exit status
#                                (installs missing packages unless NO_DEPS=1)
#   make ARCH=... qemu QEMU_FAULT=double-free|data-abort
#                                a deliberately faulty build: the run (and so
#                                this make) must FAIL
#   make ARCH=... qemu-faults    both fault builds; succeeds only if each
#                                failed with its expected report
# DEMO_ITERS: stress iterations per CPU (0 = the demo's default).

# What the double-free build must print, on every arch: the library's
# bad-page report for the second free and the demo's verdict on it.
QEMU_EXPECT_double-free := --expect-fail '[Bb]ad page' \
	--expect-fail '^pagealloc demo: FAIL double free .*reported as a bad page'

DEMO := demo
DEMO_C := demo.c console.c fdt.c string.c
QEMU_FAULT ?=
DEMO_ITERS ?= 0

KERNEL_CFLAGS += -I$(DEMO_ARCH) -I$(DEMO)
ifneq ($(DEMO_ITERS),0)
KERNEL_CFLAGS += -DDEMO_ITERS=$(DEMO_ITERS)
endif
# string.c implements mem*: keep the compiler from calling them in there.
# (GCC's loop-idiom pass needs its own switch; clang lacks it.  A recursive
# variable: the compiler is probed only when string.o is built.)
KERNEL_CFLAGS_string.o = -fno-builtin $(shell $(CC) -fno-tree-loop-distribute-patterns \
	-x c -fsyntax-only /dev/null 2>/dev/null && echo -fno-tree-loop-distribute-patterns)

# demo_kernel - the rules for one build of the demo kernel.
#   $(1): suffix of its object directory and ELF ("" for the normal build,
#         "-double-free" ...), so fault builds never clobber it
#   $(2): extra compiler flags
define demo_kernel
KOBJ$(1) := $(obj)/kernel$(1)
KOBJS$(1) := $$(addprefix $$(KOBJ$(1))/$(DEMO_ARCH)/,$(DEMO_ARCH_C:.c=.o) $(DEMO_ARCH_S:.S=.o)) \
	$$(addprefix $$(KOBJ$(1))/$(DEMO)/,$(DEMO_C:.c=.o))

$$(KOBJ$(1))/%.o: %.c $(AUTOCONF)
	$$(quiet) CC $$@
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(KERNEL_CFLAGS) $$(KERNEL_CFLAGS_$$(notdir $$@)) $(2) -MMD -MP -c $$< -o $$@

$$(KOBJ$(1))/%.o: %.S $(AUTOCONF)
	$$(quiet) AS $$@
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(KERNEL_ASFLAGS) -MMD -MP -c $$< -o $$@

$(O)/pagealloc-demo$(1).elf: $$(KOBJS$(1)) $(LIB) $(DEMO_ARCH)/kernel.lds
	$$(quiet) LD $$@
	$$(Q)$$(CC) $$(KERNEL_LDFLAGS) -Wl,-Map,$$@.map -o $$@ $$(KOBJS$(1)) $(LIB)

$(O)/Image$(1): $(O)/pagealloc-demo$(1).elf
	$$(quiet) OBJCOPY $$@
	$$(Q)$$(OBJCOPY) -O binary $$< $$@

-include $$(KOBJS$(1):.o=.d)
endef

$(eval $(call demo_kernel,,))
$(eval $(call demo_kernel,-double-free,-DDEMO_FAULT_DOUBLE_FREE))
$(eval $(call demo_kernel,-data-abort,-DDEMO_FAULT_DATA_ABORT))

ifeq ($(filter $(QEMU_FAULT),double-free data-abort),$(QEMU_FAULT))
QEMU_SUFFIX := $(if $(QEMU_FAULT),-$(QEMU_FAULT))
else
$(error QEMU_FAULT=$(QEMU_FAULT): use double-free or data-abort, or leave it empty)
endif

# The file QEMU boots for a build suffix.
demo_boot = $(if $(filter Image,$(DEMO_BIN)),$(O)/Image$(1),$(O)/pagealloc-demo$(1).elf)

# Run in a recipe after the image is built: the kernel starts at most
# CONFIG_PA_NR_CPUS CPUs, which the verdict line must then report.
QEMU_RUN = QEMU="$(QEMU)" QEMU_ARGS="$(QEMU_ARGS)" QEMU_PKG="$(QEMU_PKG)" QEMU_SMP="$(QEMU_SMP)" \
	QEMU_MEM="$(QEMU_MEM)" QEMU_TIMEOUT="$(QEMU_TIMEOUT)" \
	NR_CPUS="$$(sed -n 's/^\#define CONFIG_PA_NR_CPUS //p' $(AUTOCONF))" \
	bash $(DEMO)/run-qemu.sh

.PHONY: kernel qemu qemu-faults qemu-deps

kernel: $(O)/pagealloc-demo.elf $(call demo_boot,)

# tests/deps.sh installs what is missing (and itself honours NO_DEPS=1).
# After kconfig-deps: two apt-gets at once (make -j) would fight over its lock.
qemu-deps: kconfig-deps
	$(Q)NO_DEPS=$(NO_DEPS) bash tests/deps.sh $(DEMO_DEPS)

# When a QEMU target is asked for, the packages go in before anything is
# compiled (order-only: installing them rebuilds nothing).
ifneq ($(filter qemu qemu-faults,$(MAKECMDGOALS)),)
$(LIB_OBJS) $(KOBJS) $(KOBJS-double-free) $(KOBJS-data-abort): | qemu-deps
endif

# With QEMU_FAULT the run is meant to FAIL, and so does this target.
qemu: qemu-deps $(call demo_boot,$(QEMU_SUFFIX))
	$(Q)$(QEMU_RUN) $(call demo_boot,$(QEMU_SUFFIX)) $(O)/qemu$(QEMU_SUFFIX).log

qemu-faults: qemu-deps $(call demo_boot,-double-free) $(call demo_boot,-data-abort)
	$(Q)$(QEMU_RUN) $(QEMU_EXPECT_double-free) \
		$(call demo_boot,-double-free) $(O)/qemu-double-free.log
	$(Q)$(QEMU_RUN) $(QEMU_EXPECT_data-abort) \
		$(call demo_boot,-data-abort) $(O)/qemu-data-abort.log
	@echo "qemu-faults: both fault builds failed as expected"
