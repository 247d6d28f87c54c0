# SPDX-License-Identifier: MIT
# pa-bench, the benchmark program (tests/bench/): host only, linked with
# mimalloc (a peer).  Not part of `make all`: `make pa-bench`, or `make
# bench` / `make bench-instr` (tests/bench/run.sh, instr.sh), which build it
# in their own optimised, debug-off configurations.  (PABENCH_*: make bench
# passes BENCH=names to the scripts, which must not reach this file.)

PABENCH_SRCS := $(sort $(wildcard tests/bench/*.c))
PABENCH_OBJS := $(PABENCH_SRCS:%.c=$(obj)/%.o)
PABENCH := $(O)/pa-bench
PABENCH_LDLIBS := -lmimalloc -ldl
PABENCH_LDFLAGS ?=

$(obj)/tests/bench/%.o: tests/bench/%.c $(AUTOCONF)
	$(quiet) CC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(PABENCH): $(PABENCH_OBJS) $(HOST_OBJS) $(LIB)
	$(quiet) LD $@
	$(Q)$(CC) $(HOST_CFLAGS) $(PABENCH_LDFLAGS) -o $@ $^ $(PABENCH_LDLIBS) $(HOST_LDLIBS)

-include $(PABENCH_OBJS:.o=.d)

.PHONY: pa-bench
pa-bench: $(PABENCH)
