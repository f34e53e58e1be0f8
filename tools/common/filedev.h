/* A block device over a disk image or a Linux block device (host tools and
 * tests only: this file uses POSIX). */
#ifndef WR_TOOLS_FILEDEV_H
#define WR_TOOLS_FILEDEV_H

#include "base/blockdev.h"

struct wr_filedev {
    struct wr_blockdev dev;
    int fd;
    char path[4096];
};

/* sector_size 0 means: the kernel's logical sector size (BLKSSZGET) for a
 * block device, else 512. A file's trailing partial sector is not part of
 * the device. */
wr_status wr_filedev_open(struct wr_filedev *f, const char *path, bool writable,
                          uint32_t sector_size, struct wr_err *err);
void wr_filedev_close(struct wr_filedev *f);

#endif
