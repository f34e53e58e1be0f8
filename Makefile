# wtg-rescue: one Makefile, three builds of the same lib/ sources.
#
#   build/rel/   optimised host build: build/bcdtool, build/hivetool, build/wtg-rescue
#   build/asan/  host build under AddressSanitizer + UBSan: tests and tools under test
#   build/efi/   freestanding build linked with gnu-efi: build/wtg-rescue.efi
#
# New sources are picked up by wildcard, so adding a file never means editing
# this Makefile:
#   lib/<part>/*.c           the portable library (every build)
#   tools/<name>/*.c         a host CLI, build/<name> (plus tools/common/*.c)
#   tests/unit/test_*.c      one unit-test program each (plus tests/unit/check.c)
#   efi/*.c                  the UEFI app;  efi/glue/*.c shared with EFI stubs
#   fuzz/<name>.c            a libFuzzer target, build/fuzz/<name>
# A directory that needs more (extra libraries, its own programs) adds a
# module.mk beside its sources; they are all included below.

SHELL := /bin/bash
.DEFAULT_GOAL := all
# A recipe that fails (or is killed) leaves no half-written target behind
# that a later make would take for up to date.
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules
ifeq ($(MAKELEVEL),0)
ifeq ($(filter -j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc)
endif
endif

B := build
SHARED ?= $(abspath ../shared)
export WR_SHARED := $(SHARED)

CC := gcc
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wvla -Werror=implicit-function-declaration
HOST_CPPFLAGS := -Ilib -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64
REL_CFLAGS := -std=c11 -O2 -g $(WARN)
ASAN_CFLAGS := -std=c11 -O1 -g $(WARN) -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all
ASAN_LDFLAGS := -fsanitize=address,undefined

LIB_SRCS := $(sort $(wildcard lib/*/*.c))
LIB_PORTABLE := $(filter-out lib/port/%,$(LIB_SRCS))
COMMON_TOOL_SRCS := $(sort $(wildcard tools/common/*.c))
TOOL_NAMES := $(sort $(filter-out common,$(notdir $(patsubst %/,%,$(dir $(wildcard tools/*/*.c))))))
UNIT_TESTS := $(sort $(basename $(notdir $(wildcard tests/unit/test_*.c))))
FUZZ_TARGETS := $(sort $(basename $(notdir $(wildcard fuzz/*.c))))

obj = $(patsubst %.c,$(B)/$(1)/obj/%.o,$(2))

# ---------------------------------------------------------------- host builds
$(B)/rel/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CPPFLAGS) $(REL_CFLAGS) $(CFLAGS_$(firstword $(subst /, ,$<))) -MMD -MP -c $< -o $@

$(B)/asan/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CPPFLAGS) $(ASAN_CFLAGS) $(CFLAGS_$(firstword $(subst /, ,$<))) -MMD -MP -c $< -o $@

$(B)/rel/libwr.a: $(call obj,rel,$(LIB_SRCS))
	@rm -f $@
	ar rcs $@ $^

$(B)/asan/libwr.a: $(call obj,asan,$(LIB_SRCS))
	@rm -f $@
	ar rcs $@ $^

# tool_rules NAME: build/NAME (release) and build/asan/bin/NAME (for tests).
define tool_rules
$(B)/$(1): $(call obj,rel,$(wildcard tools/$(1)/*.c) $(COMMON_TOOL_SRCS)) $(B)/rel/libwr.a
	$$(CC) -o $$@ $$^ $$(LDLIBS_$(1))
$(B)/asan/bin/$(1): $(call obj,asan,$(wildcard tools/$(1)/*.c) $(COMMON_TOOL_SRCS)) $(B)/asan/libwr.a
	@mkdir -p $$(@D)
	$$(CC) $(ASAN_LDFLAGS) -o $$@ $$^ $$(LDLIBS_$(1))
endef
$(foreach t,$(TOOL_NAMES),$(eval $(call tool_rules,$(t))))

define unit_rules
$(B)/asan/tests/$(1): $(call obj,asan,tests/unit/$(1).c tests/unit/check.c) $(B)/asan/libwr.a
	@mkdir -p $$(@D)
	$$(CC) $(ASAN_LDFLAGS) -o $$@ $$^ $$(LDLIBS_$(1))
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rules,$(t))))

HOST_TOOLS := $(addprefix $(B)/,$(TOOL_NAMES))
ASAN_TOOLS := $(addprefix $(B)/asan/bin/,$(TOOL_NAMES))
UNIT_BINS := $(addprefix $(B)/asan/tests/,$(UNIT_TESTS))

# ----------------------------------------------------------------- UEFI build
EFI_ARCH := x86_64
EFI_INC := /usr/include/efi
EFI_LIBDIR := /usr/lib
EFI_CFLAGS := -I$(EFI_INC) -I$(EFI_INC)/$(EFI_ARCH) -I$(EFI_INC)/protocol -Ilib -Iefi \
	-std=gnu11 -Os -g0 $(WARN) -Wno-unused-parameter -Wno-strict-prototypes \
	-ffreestanding -fpic -fshort-wchar -fno-stack-protector -fno-stack-check \
	-fno-strict-aliasing -mno-red-zone -maccumulate-outgoing-args \
	-fvisibility=hidden -ffunction-sections -fdata-sections -flto \
	-DGNU_EFI_USE_MS_ABI -DWR_FREESTANDING
# Size (issue 7: the app fits in 256 KiB): link-time optimisation over the
# whole program (one partition: the smallest code), one section per
# function and object, and --gc-sections drops what nothing calls. At the
# link gcc can no longer see that an out-parameter is set whenever the
# call succeeds: its -Wmaybe-uninitialized there are false alarms (the
# per-file compile still warns). The linker script is
# gnu-efi's, adapted by mk/efi-lds.sed. The .efi gets PE base relocations
# (mk/efi-relocs.c) instead of the ELF .rela/.rel and .dynsym, no symbols
# (--strip-all), and .bss takes no room in the file.
EFI_LDFLAGS := -nostdlib -znocombreloc -T $(B)/efi/efi.lds --gc-sections -shared \
	-Bsymbolic -z defs -L$(EFI_LIBDIR) $(EFI_LIBDIR)/crt0-efi-$(EFI_ARCH).o
EFI_SECTIONS := -j .text -j .sdata -j .data -j .rodata -j .bss -j .dynamic -j .reloc
EFI_RELOCS := $(B)/mk/efi-relocs
comma := ,
# efi_link CFLAGS, LDFLAGS: the link command (gcc runs the LTO, then ld).
efi_link = $(CC) $(1) -flto-partition=one -Wno-maybe-uninitialized -nostdlib -shared \
	$(addprefix -Wl$(comma),$(2))

# Objects are rebuilt when the flags change (the stamp changes only then).
$(B)/efi/cflags: FORCE
	@mkdir -p $(@D)
	@echo '$(EFI_CFLAGS)' | cmp -s - $@ || echo '$(EFI_CFLAGS)' >$@

$(B)/efi/obj/%.o: %.c $(B)/efi/cflags
	@mkdir -p $(@D)
	$(CC) $(EFI_CFLAGS) -MMD -MP -c $< -o $@

# efi_lds DIR, SCRIPT: DIR/efi.lds, gnu-efi's SCRIPT adapted; the greps
# make a gnu-efi whose script the sed no longer fits a build error.
define efi_lds
$(1)/efi.lds: $(2) mk/efi-lds.sed
	@mkdir -p $$(@D)
	sed -f mk/efi-lds.sed $$< >$$@.tmp
	grep -q 'KEEP(\*(\.reloc))' $$@.tmp && grep -q '^ *\.bss :' $$@.tmp \
		&& ! grep -q '^ *\*(\.bss) *$$$$' $$@.tmp \
		|| { echo "mk/efi-lds.sed no longer fits $$<" >&2; exit 1; }
	mv $$@.tmp $$@
endef
$(eval $(call efi_lds,$(B)/efi,$(EFI_LIBDIR)/elf_$(EFI_ARCH)_efi.lds))

$(EFI_RELOCS): mk/efi-relocs.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 $(WARN) -o $@ $<

EFI_GLUE_SRCS := $(sort $(wildcard efi/glue/*.c))
EFI_APP_SRCS := $(sort $(wildcard efi/*.c)) $(EFI_GLUE_SRCS) $(LIB_PORTABLE)

# lib/ goes in as an archive so an EFI program carries only the parts it
# calls; -z defs makes a missing symbol a link error despite -shared.
# gcc-ar: the objects hold LTO code, which plain ar indexes only where
# binutils finds gcc's plugin by itself.
$(B)/efi/libwr.a: $(call obj,efi,$(LIB_PORTABLE))
	@rm -f $@
	gcc-ar rcs $@ $^

# efi_app NAME, SOURCES: build/NAME.efi from the sources plus gnu-efi
# (lib/ sources in the list are taken from the archive instead).
define efi_app
$(B)/efi/$(1).so: $(call obj,efi,$(filter-out $(LIB_PORTABLE),$(2))) $(B)/efi/libwr.a $(B)/efi/efi.lds
	$(call efi_link,$(EFI_CFLAGS),$(EFI_LDFLAGS)) $$(filter-out %.lds,$$^) -o $$@ -lefi -lgnuefi
$(B)/$(1).efi: $(B)/efi/$(1).so $(EFI_RELOCS)
	$(EFI_RELOCS) $$< $(B)/efi/$(1).pe.so $(B)/efi/$(1).reloc
	objcopy --strip-all --update-section .reloc=$(B)/efi/$(1).reloc $(EFI_SECTIONS) \
		--target efi-app-$(EFI_ARCH) --subsystem=10 $(B)/efi/$(1).pe.so $$@
endef
$(eval $(call efi_app,wtg-rescue,$(EFI_APP_SRCS)))

# The same app for 32-bit UEFI (many To Go tablets): build/efi-ia32/, then
# build/wtg-rescue-ia32.efi, \EFI\BOOT\BOOTIA32.EFI on the image. cdecl, not
# ms_abi; libgcc supplies the 64-bit divisions i386 has no instruction for.
# -malign-double: IA32 UEFI aligns UINT64 members to 8 as EDK2 does; i386
# gcc aligns them to 4 and would misread e.g. BlockIo's LastBlock.
EFI32_LIBDIR := /usr/lib32
# Not position-independent: i386 PIC code spends a register and a call on
# every global access (5% of the image); absolute addresses in .text are
# fixed by the firmware from the PE relocations, as in any 32-bit PE.
EFI32_CFLAGS := $(filter-out -I$(EFI_INC)/$(EFI_ARCH) -mno-red-zone -maccumulate-outgoing-args \
	-DGNU_EFI_USE_MS_ABI -fpic,$(EFI_CFLAGS)) -fno-pic -I$(EFI_INC)/ia32 -m32 -march=i686 \
	-malign-double
EFI32_LDFLAGS := -m elf_i386 -nostdlib -znocombreloc -T $(B)/efi-ia32/efi.lds --gc-sections \
	-shared -Bsymbolic -z defs -z notext -L$(EFI32_LIBDIR) $(EFI32_LIBDIR)/crt0-efi-ia32.o
$(eval $(call efi_lds,$(B)/efi-ia32,$(EFI32_LIBDIR)/elf_ia32_efi.lds))

$(B)/efi-ia32/cflags: FORCE
	@mkdir -p $(@D)
	@echo '$(EFI32_CFLAGS)' | cmp -s - $@ || echo '$(EFI32_CFLAGS)' >$@

$(B)/efi-ia32/obj/%.o: %.c $(B)/efi-ia32/cflags
	@mkdir -p $(@D)
	$(CC) $(EFI32_CFLAGS) -MMD -MP -c $< -o $@

$(B)/efi-ia32/libwr.a: $(call obj,efi-ia32,$(LIB_PORTABLE))
	@rm -f $@
	gcc-ar rcs $@ $^

# efi32_app NAME, SOURCES: build/NAME-ia32.efi, as efi_app does for x64.
define efi32_app
$(B)/efi-ia32/$(1).so: $(call obj,efi-ia32,$(filter-out $(LIB_PORTABLE),$(2))) $(B)/efi-ia32/libwr.a \
		$(B)/efi-ia32/efi.lds
	$(call efi_link,$(EFI32_CFLAGS),$(EFI32_LDFLAGS)) $$(filter-out %.lds,$$^) -o $$@ -lefi -lgnuefi \
		$$(shell $(CC) -m32 -print-libgcc-file-name)
$(B)/$(1)-ia32.efi: $(B)/efi-ia32/$(1).so $(EFI_RELOCS)
	$(EFI_RELOCS) $$< $(B)/efi-ia32/$(1).pe.so $(B)/efi-ia32/$(1).reloc
	objcopy --strip-all --update-section .reloc=$(B)/efi-ia32/$(1).reloc $(EFI_SECTIONS) \
		--target efi-app-ia32 --subsystem=10 $(B)/efi-ia32/$(1).pe.so $$@
endef
$(eval $(call efi32_app,wtg-rescue,$(EFI_APP_SRCS)))
EFI_EXTRA += $(B)/wtg-rescue-ia32.efi

# ------------------------------------------------------------- fuzz targets
FUZZ_CFLAGS := -std=c11 -O1 -g -Ilib -fsanitize=fuzzer,address,undefined
$(B)/fuzz/%: fuzz/%.c $(LIB_SRCS)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) $(HOST_CPPFLAGS) -o $@ $< $(LIB_SRCS)

# ----------------------------------------------- lib/ tests on 32-bit x86
# Every unit test again with -m32 (size_t and pointers 32-bit, as under ia32
# UEFI): build/asan32/tests/test_*-ia32. tools/common/filedev.o is linked into
# each, for the tests that read disk images through it.
ASAN32_CFLAGS := $(ASAN_CFLAGS) -m32
$(B)/asan32/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CPPFLAGS) $(ASAN32_CFLAGS) $(CFLAGS_$(firstword $(subst /, ,$<))) -MMD -MP -c $< -o $@

$(B)/asan32/libwr.a: $(call obj,asan32,$(LIB_SRCS))
	@rm -f $@
	ar rcs $@ $^

define unit32_rules
$(B)/asan32/tests/$(1)-ia32: $(call obj,asan32,tests/unit/$(1).c tests/unit/check.c tools/common/filedev.c) $(B)/asan32/libwr.a
	@mkdir -p $$(@D)
	$$(CC) -m32 $(ASAN_LDFLAGS) -o $$@ $$^ $$(LDLIBS_$(1))
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit32_rules,$(t))))
UNIT32_BINS := $(addsuffix -ia32,$(addprefix $(B)/asan32/tests/,$(UNIT_TESTS)))
.PHONY: unit-tests32
unit-tests32: $(UNIT32_BINS)

# ------------------------------------------------------------------ modules
-include $(sort $(wildcard */module.mk */*/module.mk))
-include $(shell find $(B) -name '*.d' 2>/dev/null)

# ------------------------------------------------------------------ targets
.PHONY: all deps-build deps-run deps-check deps-bench host efi image run check \
	unit-tests test-assets bench fuzz clean

deps-build deps-run deps-check deps-bench deps-fuzz:
	@mk/deps.sh $(patsubst deps-%,%,$@)

host: $(HOST_TOOLS)
efi: $(B)/wtg-rescue.efi $(EFI_EXTRA)
all: deps-build
	@$(MAKE) --no-print-directory host efi

image: all
	@$(MAKE) --no-print-directory $(B)/wtg-rescue.img
# The image's size options live in a stamp that changes only when they do,
# so `make image DATA_MIB=4096` rebuilds an image made without a data part.
IMAGE_OPTS := $(B)/image-options
$(IMAGE_OPTS): FORCE
	@mkdir -p $(@D)
	@echo "IMAGE_MIB=$(IMAGE_MIB) DATA_MIB=$(DATA_MIB)" | cmp -s - $@ || \
		echo "IMAGE_MIB=$(IMAGE_MIB) DATA_MIB=$(DATA_MIB)" > $@
.PHONY: FORCE
FORCE:

$(B)/wtg-rescue.img: $(B)/wtg-rescue.efi mk/make-image.sh $(B)/wtg-rescue-ia32.efi mk/INSTALL.txt $(IMAGE_OPTS)
	APP_IA32=$(B)/wtg-rescue-ia32.efi mk/make-image.sh $@ $<

unit-tests: $(UNIT_BINS) $(ASAN_TOOLS)

# Everything the test programs need, built before any of them runs.
# module.mk files append to TEST_ASSETS (stub EFI programs, scenario disks).
TEST_ASSETS += $(UNIT32_BINS)
test-assets: $(UNIT_BINS) $(ASAN_TOOLS) $(HOST_TOOLS) $(B)/wtg-rescue.efi $(B)/wtg-rescue.img $(TEST_ASSETS)

check: deps-check
	@$(MAKE) --no-print-directory test-assets
	@tests/run-all.sh $(T)

run: deps-run
	@$(MAKE) --no-print-directory $(B)/wtg-rescue.img $(RUN_ASSETS)
	@tests/qemu/run-demo.sh

bench: deps-bench
	@$(MAKE) --no-print-directory test-assets $(BENCH_ASSETS)
	@bench/run-all.sh

FUZZ_SECONDS ?= 30
fuzz: deps-fuzz
	@$(MAKE) --no-print-directory $(addprefix $(B)/fuzz/,$(FUZZ_TARGETS))
	@fuzz/run-all.sh $(FUZZ_SECONDS)

clean:
	rm -rf $(B)

# ------------------------------------------------------------------ install
# make install PREFIX=/usr/local DESTDIR=/tmp/pkg: the three host tools and
# their man pages (man/*.1). DESTDIR is for packagers; it is never baked in.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
INSTALL_TOOLS := bcdtool hivetool wtg-rescue
.PHONY: install
# The UEFI apps go to share/wtg-rescue/, where "wtg-rescue install" finds them.
DATADIR ?= $(PREFIX)/share/wtg-rescue
INSTALL_APPS := $(B)/wtg-rescue.efi $(B)/wtg-rescue-ia32.efi
install: $(addprefix $(B)/,$(INSTALL_TOOLS)) $(addprefix man/,$(addsuffix .1,$(INSTALL_TOOLS))) $(INSTALL_APPS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)
	install -m 755 $(addprefix $(B)/,$(INSTALL_TOOLS)) $(DESTDIR)$(BINDIR)/
	install -m 644 $(addprefix man/,$(addsuffix .1,$(INSTALL_TOOLS))) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(INSTALL_APPS) $(DESTDIR)$(DATADIR)/
