# SPDX-License-Identifier: MIT
#
# arm64: the bare-metal port (port.c) and the QEMU demo kernel.
# Included by the top-level Makefile with ARCH=arm64; `make ARCH=arm64`
# alone still builds only the library.
#
#   make ARCH=arm64 kernel           $(O)/pagealloc-demo.elf and $(O)/Image
#   make ARCH=arm64 qemu             boot it on QEMU virt; PASS or FAIL is the
#                                    exit status (installs missing packages
#                                    unless NO_DEPS=1)
#   make ARCH=arm64 qemu QEMU_FAULT=double-free|data-abort
#                                    a deliberately faulty build: the run
#                                    (and so this make) must FAIL
#   make ARCH=arm64 qemu-faults      run both fault builds; succeeds only if
#                                    each failed with the expected report
#   make ARCH=arm64 check-undefined  the library needs nothing but the port
#                                    hooks, mem* and libgcc's atomics
#
# Knobs: QEMU_SMP (4), QEMU_MEM (5G), QEMU_TIMEOUT (120 s), QEMU_CPU
# (cortex-a72), QEMU (qemu-system-aarch64), DEMO_ITERS (stress iterations
# per CPU, 0 = the demo's default).

ARM64 := arch/arm64

# The library on arm64: no FP/SIMD registers (a kernel does not save them
# around its own code), no PIC, no stack protector, and atomics inline
# (LL/SC on ARMv8.0; KCFLAGS=-march=armv8.1-a gives LSE) rather than
# libgcc's outline helpers, so the library needs nothing from libgcc.
ARCH_LIB_CFLAGS := -mgeneral-regs-only -fno-pic -fno-stack-protector -mno-outline-atomics

QEMU ?= qemu-system-aarch64
QEMU_CPU ?= cortex-a72
QEMU_SMP ?= 4
QEMU_MEM ?= 5G
QEMU_TIMEOUT ?= 120
QEMU_FAULT ?=
DEMO_ITERS ?= 0

ARM64_C := demo.c port.c console.c psci.c fdt.c mmu.c exception.c string.c
ARM64_S := head.S vectors.S

# The kernel's C: the library's flags (freestanding, -mgeneral-regs-only,
# no PIC, no stack protector) plus no PIE and strict alignment, because the
# boot CPU runs C with the MMU off, where memory is Device memory.
KERNEL_CFLAGS := $(LIB_CFLAGS) -nostdlib -fno-pie -mstrict-align -I$(ARM64)
ifneq ($(DEMO_ITERS),0)
KERNEL_CFLAGS += -DDEMO_ITERS=$(DEMO_ITERS)
endif
# string.c implements mem*: keep the compiler from calling them in there.
# (GCC's loop-idiom pass needs its own switch; clang lacks it.  A recursive
# variable: the compiler is probed only when string.o is built.)
KERNEL_CFLAGS_string.o = -fno-builtin $(shell $(CC) -fno-tree-loop-distribute-patterns \
	-x c -fsyntax-only /dev/null 2>/dev/null && echo -fno-tree-loop-distribute-patterns)
KERNEL_ASFLAGS := -I$(ARM64) -I$(gen) -include $(AUTOCONF) -g
KERNEL_LDFLAGS := -nostdlib -static -Wl,--build-id=none -Wl,-T,$(ARM64)/kernel.lds

# arm64_kernel - the rules for one build of the demo kernel.
#   $(1): suffix of its object directory, ELF and Image ("" for the normal
#         build, "-double-free" ...), so fault builds never clobber it
#   $(2): extra compiler flags
define arm64_kernel
KOBJ$(1) := $(obj)/$(ARM64)$(1)
KOBJS$(1) := $$(addprefix $$(KOBJ$(1))/,$(ARM64_C:.c=.o) $(ARM64_S:.S=.o))

$$(KOBJ$(1))/%.o: $(ARM64)/%.c $(AUTOCONF)
	$$(quiet) CC $$@
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(KERNEL_CFLAGS) $$(KERNEL_CFLAGS_$$(notdir $$@)) $(2) -MMD -MP -c $$< -o $$@

$$(KOBJ$(1))/%.o: $(ARM64)/%.S $(AUTOCONF)
	$$(quiet) AS $$@
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(KERNEL_ASFLAGS) -MMD -MP -c $$< -o $$@

$(O)/pagealloc-demo$(1).elf: $$(KOBJS$(1)) $(LIB) $(ARM64)/kernel.lds
	$$(quiet) LD $$@
	$$(Q)$$(CC) $$(KERNEL_LDFLAGS) -Wl,-Map,$$@.map -o $$@ $$(KOBJS$(1)) $(LIB)

$(O)/Image$(1): $(O)/pagealloc-demo$(1).elf
	$$(quiet) OBJCOPY $$@
	$$(Q)$$(OBJCOPY) -O binary $$< $$@

-include $$(KOBJS$(1):.o=.d)
endef

$(eval $(call arm64_kernel,,))
$(eval $(call arm64_kernel,-double-free,-DDEMO_FAULT_DOUBLE_FREE))
$(eval $(call arm64_kernel,-data-abort,-DDEMO_FAULT_DATA_ABORT))

ifeq ($(filter $(QEMU_FAULT),double-free data-abort),$(QEMU_FAULT))
QEMU_SUFFIX := $(if $(QEMU_FAULT),-$(QEMU_FAULT))
else
$(error QEMU_FAULT=$(QEMU_FAULT): use double-free or data-abort, or leave it empty)
endif

# What each fault build must print: --expect-fail options of run-qemu.sh,
# each an extended regex that some line of the console must match.  The
# library's bad-page report for the second free, the demo's verdict on it;
# the data abort's class, ELR and FAR (the demo reads 0xdead000000).
QEMU_EXPECT_double-free := --expect-fail '[Bb]ad page' \
	--expect-fail '^pagealloc demo: FAIL double free .*reported as a bad page'
QEMU_EXPECT_data-abort := --expect-fail 'EC=0x25 \(data abort, same EL\)' \
	--expect-fail 'ELR=0x[0-9a-f]{16} FAR=0x000000dead000000' \
	--expect-fail '^pagealloc demo: FAIL exception EC=0x25'

# Run in a recipe after the image is built: the kernel starts at most
# CONFIG_PA_NR_CPUS CPUs, which the verdict line must then report.
QEMU_RUN = QEMU="$(QEMU)" QEMU_CPU="$(QEMU_CPU)" QEMU_SMP="$(QEMU_SMP)" QEMU_MEM="$(QEMU_MEM)" \
	QEMU_TIMEOUT="$(QEMU_TIMEOUT)" \
	NR_CPUS="$$(sed -n 's/^\#define CONFIG_PA_NR_CPUS //p' $(AUTOCONF))" \
	bash $(ARM64)/run-qemu.sh

.PHONY: kernel qemu qemu-faults qemu-deps check-undefined

kernel: $(O)/pagealloc-demo.elf $(O)/Image

# tests/deps.sh installs what is missing (and itself honours NO_DEPS=1).
# After kconfig-deps: two apt-gets at once (make -j) would fight over its lock.
qemu-deps: kconfig-deps
	$(Q)NO_DEPS=$(NO_DEPS) bash tests/deps.sh qemu

# When a QEMU target is asked for, the packages go in before anything is
# compiled (order-only: installing them rebuilds nothing).
ifneq ($(filter qemu qemu-faults,$(MAKECMDGOALS)),)
$(LIB_OBJS) $(KOBJS) $(KOBJS-double-free) $(KOBJS-data-abort): | qemu-deps
endif

# With QEMU_FAULT the run is meant to FAIL, and so does this target.
qemu: qemu-deps $(O)/Image$(QEMU_SUFFIX)
	$(Q)$(QEMU_RUN) $(O)/Image$(QEMU_SUFFIX) $(O)/qemu$(QEMU_SUFFIX).log

qemu-faults: qemu-deps $(O)/Image-double-free $(O)/Image-data-abort
	$(Q)$(QEMU_RUN) $(QEMU_EXPECT_double-free) \
		$(O)/Image-double-free $(O)/qemu-double-free.log
	$(Q)$(QEMU_RUN) $(QEMU_EXPECT_data-abort) \
		$(O)/Image-data-abort $(O)/qemu-data-abort.log
	@echo "qemu-faults: both fault builds failed as expected"

# Symbols the freestanding library needs from outside itself (undefined in
# some member, defined in none), against an allow-list of patterns.
ARM64_UNDEF_OK := ^(pa_port_[A-Za-z0-9_]+|mem(cpy|set|move|cmp)|__aarch64_[A-Za-z0-9_]+)$$
check-undefined: $(LIB)
	$(quiet) NM $(LIB)
	$(Q)$(NM) -u $(LIB) | awk 'NF == 2 && $$1 == "U" { print $$2 }' | LC_ALL=C sort -u >$(O)/undefined.txt
	$(Q)$(NM) --defined-only $(LIB) | awk 'NF == 3 { print $$3 }' | LC_ALL=C sort -u >$(O)/defined.txt
	$(Q)LC_ALL=C comm -23 $(O)/undefined.txt $(O)/defined.txt >$(O)/external.txt
	$(Q)bad=$$(grep -Ev '$(ARM64_UNDEF_OK)' $(O)/external.txt); \
	if [ -n "$$bad" ]; then \
		echo "check-undefined: $(LIB) needs symbols beyond the port hooks:" >&2; \
		echo "$$bad" | sed 's/^/  /' >&2; exit 1; \
	fi; \
	echo "check-undefined: OK, external symbols:" $$(cat $(O)/external.txt)
