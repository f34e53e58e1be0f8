# Disks for the data rescue tests (issue 8); see make-rescue.sh.
# RESCUE_DATA_MIB: the data partition of the rescue stick (make-time choice).
RESCUE_IMG := $(B)/test-images/rescue
RESCUE_DATA_MIB ?= 64

$(RESCUE_IMG)/host.img: test-images/rescue/make-rescue.sh test-images/lib.sh $(B)/test-images/ntfs/ntfs-mkimg $(B)/test-images/ntfs/mkhive
	@mkdir -p $(@D)
	test-images/rescue/make-rescue.sh host $@ $(B)/test-images/ntfs/ntfs-mkimg $(B)/test-images/ntfs/mkhive

$(RESCUE_IMG)/stick-data.img: test-images/rescue/make-rescue.sh $(TI)/stick.img
	@mkdir -p $(@D)
	test-images/rescue/make-rescue.sh stick $@ $(TI)/stick.img $(RESCUE_DATA_MIB)

# Already 56 MiB used of 64: the user's 36 MiB cannot fit.
$(RESCUE_IMG)/stick-full.img: test-images/rescue/make-rescue.sh $(TI)/stick.img
	@mkdir -p $(@D)
	test-images/rescue/make-rescue.sh stick $@ $(TI)/stick.img 64 56

# An exFAT data partition, which OVMF has no driver for.
$(RESCUE_IMG)/stick-exfat.img: test-images/rescue/make-rescue.sh $(TI)/stick.img
	@mkdir -p $(@D)
	test-images/rescue/make-rescue.sh stick $@ $(TI)/stick.img 64 0 exfat

RESCUE_IMAGES := $(addprefix $(RESCUE_IMG)/,host.img stick-data.img stick-full.img stick-exfat.img)
TEST_ASSETS += $(RESCUE_IMAGES)
BENCH_ASSETS += $(RESCUE_IMG)/host.img $(RESCUE_IMG)/stick-data.img
