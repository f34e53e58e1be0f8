# NTFS test images (docs ntfs.md §18): mkntfs on sparse files, filled by
# ntfs-mkimg through libntfs-3g (rootless, no FUSE). See build-images.sh.
NTFS_IMG := $(B)/test-images/ntfs

$(NTFS_IMG)/ntfs-mkimg: test-images/ntfs/ntfs-mkimg.c test-images/ntfs/xpress_enc.h
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -o $@ $< $$(pkg-config --cflags --libs libntfs-3g)

# The hives, written by our own regf writer. libwr.a is order-only: every
# lib/ change elsewhere must not regenerate the images under running tests.
$(NTFS_IMG)/mkhive: test-images/ntfs/mkhive.c tools/common/dirvol.c | $(B)/rel/libwr.a
	@mkdir -p $(@D)
	$(CC) $(HOST_CPPFLAGS) $(REL_CFLAGS) -o $@ $^ $(B)/rel/libwr.a

$(NTFS_IMG)/MANIFEST: $(NTFS_IMG)/ntfs-mkimg $(NTFS_IMG)/mkhive test-images/ntfs/build-images.sh
	test-images/ntfs/build-images.sh $(NTFS_IMG) $(NTFS_IMG)/ntfs-mkimg $(NTFS_IMG)/mkhive \
		2>$(NTFS_IMG).log || \
		{ cat $(NTFS_IMG).log; exit 1; }

TEST_ASSETS += $(NTFS_IMG)/MANIFEST

# Bench only: a 1,000-entry and a 100,000-entry directory, and a 64 MiB file.
$(NTFS_IMG)/bench.img: $(NTFS_IMG)/ntfs-mkimg
	rm -f $@.tmp && truncate -s 400M $@.tmp
	mkntfs -F -f -q -T -L Bench -s 512 -c 4096 $@.tmp >/dev/null 2>&1
	$(NTFS_IMG)/ntfs-mkimg $@.tmp mkdir /small many /small 1000 entry_ nodos \
		mkdir /big many /big 100000 entry_ nodos gen /big.bin 67108864 7
	mv $@.tmp $@

BENCH_ASSETS += $(NTFS_IMG)/bench.img
