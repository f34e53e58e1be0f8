/* Helpers for the NTFS tests: an image file as a block device, SHA-256,
 * and the built test images (build/test-images/ntfs). */
#ifndef WR_TESTS_NTFS_TESTLIB_H
#define WR_TESTS_NTFS_TESTLIB_H

#include "base/sha256.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/blockdev.h"
#include "ntfs/ntfs.h"

#define NTFS_IMG_DIR "build/test-images/ntfs"

struct imgdev {
    struct wr_blockdev dev;
    int fd;
    char name[256];
};

static wr_status imgdev_read(void *ctx, uint64_t lba, uint64_t count, void *buf,
                             struct wr_err *err)
{
    struct imgdev *d = ctx;
    size_t len = (size_t)(count * d->dev.sector_size);

    if (pread(d->fd, buf, len, (off_t)(lba * d->dev.sector_size)) != (ssize_t)len)
        return wr_fail(err, WR_E_IO, "%s: short read", d->name);
    return WR_OK;
}

/* Opens NTFS_IMG_DIR/name (or an absolute/relative path containing '/'). */
static inline bool imgdev_open(struct imgdev *d, const char *name, uint32_t sector)
{
    struct stat sb;

    memset(d, 0, sizeof *d);
    if (strchr(name, '/'))
        snprintf(d->name, sizeof d->name, "%s", name);
    else
        snprintf(d->name, sizeof d->name, "%s/%s", NTFS_IMG_DIR, name);
    d->fd = open(d->name, O_RDONLY);
    if (d->fd < 0 || fstat(d->fd, &sb))
        return false;
    d->dev.name = d->name;
    d->dev.sector_size = sector;
    d->dev.sector_count = (uint64_t)sb.st_size / sector;
    d->dev.ctx = d;
    d->dev.read = imgdev_read;
    return true;
}

static inline void imgdev_close(struct imgdev *d)
{
    if (d->fd >= 0)
        close(d->fd);
}

/* The manifest check uses the library's SHA-256 (tested in test_base). */
static inline void sha256_hex(const uint8_t *data, size_t len, char out[65])
{
    wr_sha256_hex(data, len, out);
}

#endif
