# bench/regf_commit.sh: our BCD edit + crash-safe commit against hivex's
# edit + hivex_commit, both as release builds.
$(B)/bench/ours_edit: bench/regf_commit/ours_edit.c $(call obj,rel,tools/common/dirvol.c) $(B)/rel/libwr.a
	@mkdir -p $(@D)
	$(CC) $(HOST_CPPFLAGS) $(REL_CFLAGS) -o $@ $^
BENCH_ASSETS += $(B)/bench/ours_edit
ifneq ($(wildcard /usr/include/hivex.h),)
$(B)/bench/hivex_edit: bench/regf_commit/hivex_edit.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -g $(WARN) -o $@ $< -lhivex
BENCH_ASSETS += $(B)/bench/hivex_edit
endif
