# NTFS test images (docs ntfs.md §18): mkntfs on sparse files, filled by
# ntfs-mkimg through libntfs-3g (rootless, no FUSE). See build-images.sh.
NTFS_IMG := $(B)/test-images/ntfs

$(NTFS_IMG)/ntfs-mkimg: test-images/ntfs/ntfs-mkimg.c test-images/ntfs/xpress_enc.h
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -o $@ $< $$(pkg-config --cflags --libs libntfs-3g)

$(NTFS_IMG)/MANIFEST: $(NTFS_IMG)/ntfs-mkimg test-images/ntfs/build-images.sh
	test-images/ntfs/build-images.sh $(NTFS_IMG) $(NTFS_IMG)/ntfs-mkimg 2>$(NTFS_IMG).log || \
		{ cat $(NTFS_IMG).log; exit 1; }

TEST_ASSETS += $(NTFS_IMG)/MANIFEST
