# SPDX-License-Identifier: MIT
# Host rules: the hosted port, pa-sim, and the cmocka tests.

# No FP/SIMD registers in the library, on the host too, where the compiler
# has the switch (x86-64, arm64): a kernel saves them only around code
# that asks, so the host measures the code a kernel runs, without
# vectorised stores of list pointers.
ARCH_LIB_CFLAGS := $(shell $(CC) -mgeneral-regs-only -x c -fsyntax-only /dev/null 2>/dev/null && \
	echo -mgeneral-regs-only)

HOST_SRCS := arch/host/port.c arch/host/sim/machine.c arch/host/sim/fragmix.c
HOST_OBJS := $(HOST_SRCS:%.c=$(obj)/%.o)
# pa-sim alone: its workloads, trace replay, plots and the reclaim hooks of
# its fake page cache (the tests define their own hooks).
SIM_SRCS := arch/host/sim/main.c arch/host/sim/workload.c arch/host/sim/replay.c \
	arch/host/sim/plot.c arch/host/sim/cache.c arch/host/sim/migrate.c
SIM_OBJS := $(SIM_SRCS:%.c=$(obj)/%.o)
SIM := $(O)/pa-sim
CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

TEST_SRCS := $(sort $(wildcard tests/test_*.c))
TESTS := $(TEST_SRCS:tests/%.c=$(O)/tests/%)
TEST_COMMON := $(obj)/tests/harness.o

all: $(SIM)

$(obj)/arch/host/%.o: arch/host/%.c $(AUTOCONF)
	$(quiet) CC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(obj)/tests/%.o: tests/%.c $(AUTOCONF)
	$(quiet) CC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST_CFLAGS) $(CMOCKA_CFLAGS) -Isrc -Iarch/host -MMD -MP -c $< -o $@

$(SIM): $(SIM_OBJS) $(HOST_OBJS) $(LIB)
	$(quiet) LD $@
	$(Q)$(CC) $(HOST_CFLAGS) -o $@ $^ $(HOST_LDLIBS)

$(O)/tests/%: $(obj)/tests/%.o $(TEST_COMMON) $(HOST_OBJS) $(LIB)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST_CFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(HOST_LDLIBS)

-include $(HOST_OBJS:.o=.d) $(SIM_OBJS:.o=.d) $(TEST_SRCS:tests/%.c=$(obj)/tests/%.d) $(TEST_COMMON:.o=.d)

.PHONY: tests test qemu
# The suites' objects come from a pattern chain: keep them (no rebuild at
# every link).  Only these: every other object is an ordinary target, so a
# deleted one is built again.
.SECONDARY: $(TEST_SRCS:tests/%.c=$(obj)/tests/%.o)

tests: $(TESTS) $(SIM)

# Run every suite; report all failures, fail if any.
test: tests
	$(Q)fail=0; for t in $(TESTS); do \
		echo "== $$t"; \
		PA_SIM=$(SIM) PA_SRCTREE=$(srctree) $$t || { echo "FAILED: $$t"; fail=1; }; \
	done; exit $$fail

# make stress: the reference-model test for 10^7 operations (Makefile header).
.PHONY: stress
STRESS_SEEDS ?= 4
STRESS_OPS ?= 2500000
stress: $(O)/tests/test_model
	$(Q)PA_MODEL_SEEDS=$(STRESS_SEEDS) PA_MODEL_OPS=$(STRESS_OPS) PA_MODEL_CHECK_EVERY=1000 $<

# make fuzz: the libFuzzer target tests/fuzz/fuzz_api.c, with clang and
# ASan + UBSan, in its own build (build/fuzz) whose library objects carry
# the fuzzer's coverage instrumentation (fuzzer-no-link).  It runs for
# FUZZ_SECONDS (default 300) from the committed seeds in tests/fuzz/corpus,
# writing new inputs to $(FUZZ_O)/corpus.  fuzz-run is the same in the
# current O= (which must be such a build).
.PHONY: fuzz fuzz-run
FUZZ_O ?= build/fuzz
FUZZ_SECONDS ?= 300
FUZZ_SAN := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -fsanitize-coverage-ignorelist=$(srctree)/tests/fuzz/coverage_ignore.txt
FUZZ := $(O)/fuzz_api

$(FUZZ): tests/fuzz/fuzz_api.c $(HOST_OBJS) $(LIB)
	$(quiet) LD $@
	$(Q)$(CC) $(HOST_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ $(HOST_LDLIBS)

fuzz:
	$(Q)NO_DEPS=$(NO_DEPS) bash tests/deps.sh fuzz
	$(Q)bash tests/clang_rt.sh clang fuzzer asan
	+$(Q)$(MAKE) --no-print-directory O=$(FUZZ_O) CC=clang OPT=-O1 SAN="$(FUZZ_SAN)" \
		FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz-run

fuzz-run: $(FUZZ)
	$(Q)mkdir -p $(O)/corpus
	$(Q)$(FUZZ) -max_total_time=$(FUZZ_SECONDS) -max_len=2048 -print_final_stats=1 \
		$(O)/corpus tests/fuzz/corpus

# make install: the hosted port as its own archive, next to the port-less
# libpagealloc.a (see "install" in the Makefile).  Link order matters:
# the library needs the port's hooks, so -lpagealloc comes first.
HOST_PORT_LIB := $(O)/libpagealloc-host.a

$(HOST_PORT_LIB): $(obj)/arch/host/port.o
	$(quiet) AR $@
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

.PHONY: install-host
install: install-host

install-host: $(HOST_PORT_LIB) install-lib
	$(Q)$(INSTALL) -m 644 include/pagealloc/host.h $(DESTDIR)$(includedir)/pagealloc/
	$(Q)$(INSTALL) -m 644 $(HOST_PORT_LIB) $(DESTDIR)$(libdir)/
	$(Q)$(call pa_write_pc,pagealloc,pagealloc on the host: the library with its hosted port (pthreads and simulated memory),-L$${libdir} -lpagealloc -lpagealloc-host -pthread)

# The demo kernel is arm64: forward.
qemu qemu-faults:
	$(Q)$(MAKE) ARCH=arm64 $@

# pa-bench, the benchmark program (make bench).
include tests/bench/bench.mk
