# Scenario disks and the stub boot manager for the e2e tests (tests/e2e/).
# Images are built into build/test-images/ at test time, never committed.

# The stub boot manager (issue 7): marker lines, then the engine's judge
# prints BOOTMGR-STUB OK|FAIL and ends QEMU with 71|73.
$(eval $(call efi_app,stub-bootmgr,$(wildcard test-images/stub-bootmgr/*.c) $(EFI_GLUE_SRCS) $(LIB_PORTABLE)))

TI := $(B)/test-images
# Makes folders inside an NTFS image file (ntfs-3g's tools cannot). Only
# where libntfs-3g's headers are (make check installs ntfs-3g-dev; make run
# does not): without it the NTFS partitions are left empty.
TI_NTFS_MKDIR := $(if $(wildcard /usr/include/ntfs-3g/volume.h),$(TI)/ntfs-mkdir)
# bcdtool writes the images' BCD stores (healthy_bcd in lib.sh).
TI_LIB := test-images/lib.sh test-images/guids.sh $(TI_NTFS_MKDIR) $(B)/bcdtool

$(TI)/ntfs-mkdir: test-images/ntfs-mkdir/ntfs-mkdir.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 $(WARN) -o $@ $< -lntfs-3g
TI_STUB := $(B)/stub-bootmgr.efi

$(TI)/stick.img: test-images/make-stick.sh $(TI_LIB) $(B)/wtg-rescue.efi $(TI_STUB)
	@mkdir -p $(@D)
	test-images/make-stick.sh $@ $(B)/wtg-rescue.efi $(TI_STUB)

$(TI)/stick-nowin.img: test-images/make-stick.sh $(TI_LIB) $(B)/wtg-rescue.efi
	@mkdir -p $(@D)
	test-images/make-stick.sh $@ $(B)/wtg-rescue.efi none

$(TI)/host%.img: test-images/make-host-gpt.sh $(TI_LIB) $(TI_STUB)
	@mkdir -p $(@D)
	test-images/make-host-gpt.sh $@ $(TI_STUB) $(if $*,$*,1)

$(TI)/host-4kn.img: test-images/make-host-gpt.sh $(TI_LIB) $(TI_STUB)
	@mkdir -p $(@D)
	test-images/make-host-gpt.sh $@ $(TI_STUB) 4 4096

# A host whose bootmgfw.efi is not a loadable image (LoadImage fails).
$(TI)/host-bad.img: test-images/make-host-gpt.sh $(TI_LIB)
	@mkdir -p $(@D)
	printf 'MZ but not a PE image: LoadImage must refuse this.\n' >$(TI)/not-a-pe.efi
	test-images/make-host-gpt.sh $@ $(TI)/not-a-pe.efi 3

$(TI)/host-mbr.img: test-images/make-host-mbr.sh $(TI_LIB) $(TI_STUB)
	@mkdir -p $(@D)
	test-images/make-host-mbr.sh $@ $(TI_STUB)

$(TI)/linux.img: test-images/make-linux-disk.sh $(TI_LIB)
	@mkdir -p $(@D)
	test-images/make-linux-disk.sh $@

TI_IMAGES := $(addprefix $(TI)/,stick.img stick-nowin.img host1.img host2.img \
	host-4kn.img host-mbr.img host-bad.img linux.img)
TEST_ASSETS += $(TI_STUB) $(TI_IMAGES)
RUN_ASSETS += $(TI)/stick.img $(TI)/host1.img
BENCH_ASSETS += $(TI_STUB) $(TI)/stick.img $(TI)/host1.img
.PHONY: test-images
test-images: $(TI_IMAGES)
