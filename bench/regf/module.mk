# The libhivex-based peers of hivetool, used by tests/cli/hivetool_walk.sh
# (second reader) and bench/regf_walk.sh (instruction counts).
ifneq ($(wildcard /usr/include/hivex.h),)
$(B)/bench/hivex_walk: bench/regf/hivex_walk.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -g $(WARN) -o $@ $< -lhivex
TEST_ASSETS += $(B)/bench/hivex_walk
BENCH_ASSETS += $(B)/bench/hivex_walk
endif
