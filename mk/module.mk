# make screenshots: docs/screenshots/*.png, taken in QEMU (mk/screenshots.sh).
.PHONY: screenshots
screenshots: $(B)/test-images/stick.img $(B)/test-images/ntfs-mkdir \
		$(B)/wtg-rescue $(B)/bcdtool $(B)/hivetool
	mk/screenshots.sh docs/screenshots
