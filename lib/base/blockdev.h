/* The block-device interface: everything that reads or writes sectors
 * (a disk image, a Linux block device, EFI BlockIo, a partition slice, a
 * memory buffer in tests) is one of these. */
#ifndef WR_BASE_BLOCKDEV_H
#define WR_BASE_BLOCKDEV_H

#include "base/status.h"

struct wr_blockdev {
    const char *name;        /* for messages: "disk.img", "NVMe disk 0" */
    uint32_t sector_size;    /* 512 or 4096 in practice; a power of two */
    uint64_t sector_count;
    void *ctx;
    wr_status (*read)(void *ctx, uint64_t lba, uint64_t count, void *buf,
                      struct wr_err *err);
    /* NULL on a read-only device. */
    wr_status (*write)(void *ctx, uint64_t lba, uint64_t count, const void *buf,
                       struct wr_err *err);
};

/* Reads whole sectors after checking the range against the device size. */
wr_status wr_blockdev_read(const struct wr_blockdev *dev, uint64_t lba, uint64_t count,
                           void *buf, struct wr_err *err);
wr_status wr_blockdev_write(const struct wr_blockdev *dev, uint64_t lba, uint64_t count,
                            const void *buf, struct wr_err *err);

/* Reads an arbitrary byte range (unaligned start and length allowed). */
wr_status wr_blockdev_read_bytes(const struct wr_blockdev *dev, uint64_t offset,
                                 size_t len, void *buf, struct wr_err *err);

uint64_t wr_blockdev_size_bytes(const struct wr_blockdev *dev);

/* A window onto [first_lba, first_lba + count) of a parent device, as a
 * device of its own; the slice keeps a pointer to parent. */
struct wr_blockdev_slice {
    struct wr_blockdev dev;
    const struct wr_blockdev *parent;
    uint64_t first_lba;
    char name[96];
};

wr_status wr_blockdev_slice_init(struct wr_blockdev_slice *slice,
                                 const struct wr_blockdev *parent, uint64_t first_lba,
                                 uint64_t count, const char *name, struct wr_err *err);

/* A device over a caller-owned memory buffer (tests, fuzzers). writable=false
 * gives a read-only device. */
struct wr_memdev {
    struct wr_blockdev dev;
    uint8_t *data;
};

wr_status wr_memdev_init(struct wr_memdev *m, uint8_t *data, size_t len,
                         uint32_t sector_size, bool writable, const char *name,
                         struct wr_err *err);

#endif
