#include "filedev.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

static wr_status transfer(struct wr_filedev *f, bool writing, uint64_t lba, uint64_t count,
                          uint8_t *buf, struct wr_err *err)
{
    uint64_t offset = lba * f->dev.sector_size;
    size_t left = (size_t)(count * f->dev.sector_size);

    while (left) {
        ssize_t n = writing ? pwrite(f->fd, buf, left, (off_t)offset)
                            : pread(f->fd, buf, left, (off_t)offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return wr_fail(err, WR_E_IO, "%s: %s at byte %llu failed: %s", f->path,
                           writing ? "write" : "read", (unsigned long long)offset,
                           strerror(errno));
        if (n == 0)
            return wr_fail(err, WR_E_IO, "%s: unexpected end of file at byte %llu", f->path,
                           (unsigned long long)offset);
        buf += n;
        offset += (uint64_t)n;
        left -= (size_t)n;
    }
    return WR_OK;
}

static wr_status file_read(void *ctx, uint64_t lba, uint64_t count, void *buf,
                           struct wr_err *err)
{
    return transfer(ctx, false, lba, count, buf, err);
}

static wr_status file_write(void *ctx, uint64_t lba, uint64_t count, const void *buf,
                            struct wr_err *err)
{
    /* transfer() only reads from buf when writing. */
    return transfer(ctx, true, lba, count, (uint8_t *)buf, err);
}

static wr_status measure(struct wr_filedev *f, uint32_t sector_size, uint64_t *bytes,
                         uint32_t *chosen, struct wr_err *err)
{
    struct stat st;

    if (fstat(f->fd, &st) != 0)
        return wr_fail(err, WR_E_IO, "%s: stat failed: %s", f->path, strerror(errno));
    *chosen = sector_size ? sector_size : 512;
    if (!S_ISBLK(st.st_mode)) {
        *bytes = (uint64_t)st.st_size;
        return WR_OK;
    }
    if (ioctl(f->fd, BLKGETSIZE64, bytes) != 0)
        return wr_fail(err, WR_E_IO, "%s: cannot get the device size: %s", f->path,
                       strerror(errno));
    if (!sector_size) {
        int ss = 0;
        if (ioctl(f->fd, BLKSSZGET, &ss) != 0 || ss <= 0)
            return wr_fail(err, WR_E_IO, "%s: cannot get the sector size: %s", f->path,
                           strerror(errno));
        *chosen = (uint32_t)ss;
    }
    return WR_OK;
}

wr_status wr_filedev_open(struct wr_filedev *f, const char *path, bool writable,
                          uint32_t sector_size, struct wr_err *err)
{
    uint64_t bytes = 0;
    uint32_t chosen = 0;
    wr_status st;

    memset(f, 0, sizeof *f);
    f->fd = -1;
    snprintf(f->path, sizeof f->path, "%s", path);
    if (sector_size && (sector_size < 512 || (sector_size & (sector_size - 1))))
        return wr_fail(err, WR_E_INVALID, "%s: sector size %u is not a power of two >= 512",
                       path, sector_size);
    f->fd = open(path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (f->fd < 0)
        return wr_fail(err, errno == ENOENT ? WR_E_NOT_FOUND : WR_E_IO,
                       "%s: cannot open: %s", path, strerror(errno));
    st = measure(f, sector_size, &bytes, &chosen, err);
    if (st) {
        wr_filedev_close(f);
        return st;
    }
    f->dev.name = f->path;
    f->dev.sector_size = chosen;
    f->dev.sector_count = bytes / chosen;
    f->dev.ctx = f;
    f->dev.read = file_read;
    f->dev.write = writable ? file_write : NULL;
    return WR_OK;
}

void wr_filedev_close(struct wr_filedev *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}
