# Unit tests that read real disk images go through the host file device
# (tools/common/filedev.c), which is not part of lib/.
$(B)/asan/tests/test_disk_fsprobe $(B)/asan/tests/test_disk_tools: $(B)/asan/obj/tools/common/filedev.o
