#include "base/blockdev.h"
#include "base/bytes.h"
#include "base/fmt.h"

static wr_status check_range(const struct wr_blockdev *dev, uint64_t lba, uint64_t count,
                             const char *what, struct wr_err *err)
{
    if (lba > dev->sector_count || count > dev->sector_count - lba)
        return wr_fail(err, WR_E_INVALID,
                       "%s: %s of sectors %llu+%llu is past the end (%llu sectors)",
                       dev->name, what, (unsigned long long)lba,
                       (unsigned long long)count, (unsigned long long)dev->sector_count);
    if (count > SIZE_MAX / dev->sector_size)
        return wr_fail(err, WR_E_TOO_BIG, "%s: %s of %llu sectors is too large",
                       dev->name, what, (unsigned long long)count);
    return WR_OK;
}

wr_status wr_blockdev_read(const struct wr_blockdev *dev, uint64_t lba, uint64_t count,
                           void *buf, struct wr_err *err)
{
    wr_status st = check_range(dev, lba, count, "read", err);

    if (st || count == 0)
        return st;
    return dev->read(dev->ctx, lba, count, buf, err);
}

wr_status wr_blockdev_write(const struct wr_blockdev *dev, uint64_t lba, uint64_t count,
                            const void *buf, struct wr_err *err)
{
    wr_status st;

    if (!dev->write)
        return wr_fail(err, WR_E_REFUSED, "%s: device is read-only", dev->name);
    st = check_range(dev, lba, count, "write", err);
    if (st || count == 0)
        return st;
    return dev->write(dev->ctx, lba, count, buf, err);
}

uint64_t wr_blockdev_size_bytes(const struct wr_blockdev *dev)
{
    return dev->sector_count * dev->sector_size;
}

wr_status wr_blockdev_read_bytes(const struct wr_blockdev *dev, uint64_t offset,
                                 size_t len, void *buf, struct wr_err *err)
{
    uint32_t ss = dev->sector_size;
    uint8_t *out = buf;
    uint8_t *bounce;
    wr_status st = WR_OK;

    if (!wr_span_ok(offset, len, wr_blockdev_size_bytes(dev)))
        return wr_fail(err, WR_E_INVALID, "%s: read of %zu bytes at %llu is past the end",
                       dev->name, len, (unsigned long long)offset);
    if (offset % ss == 0 && len % ss == 0)
        return wr_blockdev_read(dev, offset / ss, len / ss, buf, err);
    bounce = wr_alloc(ss);
    if (!bounce)
        return wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory", dev->name);
    while (len && !st) {
        uint64_t lba = offset / ss;
        size_t skip = (size_t)(offset % ss);
        size_t take = ss - skip < len ? ss - skip : len;

        if (skip == 0 && len >= ss) {
            take = len - len % ss;
            st = wr_blockdev_read(dev, lba, take / ss, out, err);
        } else {
            st = wr_blockdev_read(dev, lba, 1, bounce, err);
            if (!st)
                memcpy(out, bounce + skip, take);
        }
        out += take;
        offset += take;
        len -= take;
    }
    wr_free(bounce);
    return st;
}

static wr_status slice_read(void *ctx, uint64_t lba, uint64_t count, void *buf,
                            struct wr_err *err)
{
    struct wr_blockdev_slice *s = ctx;
    return wr_blockdev_read(s->parent, s->first_lba + lba, count, buf, err);
}

static wr_status slice_write(void *ctx, uint64_t lba, uint64_t count, const void *buf,
                             struct wr_err *err)
{
    struct wr_blockdev_slice *s = ctx;
    return wr_blockdev_write(s->parent, s->first_lba + lba, count, buf, err);
}

wr_status wr_blockdev_slice_init(struct wr_blockdev_slice *slice,
                                 const struct wr_blockdev *parent, uint64_t first_lba,
                                 uint64_t count, const char *name, struct wr_err *err)
{
    if (first_lba > parent->sector_count || count > parent->sector_count - first_lba)
        return wr_fail(err, WR_E_CORRUPT, "%s: %s (sectors %llu+%llu) lies outside the disk",
                       parent->name, name, (unsigned long long)first_lba,
                       (unsigned long long)count);
    memset(slice, 0, sizeof *slice);
    wr_format(slice->name, sizeof slice->name, "%s", name);
    slice->parent = parent;
    slice->first_lba = first_lba;
    slice->dev.name = slice->name;
    slice->dev.sector_size = parent->sector_size;
    slice->dev.sector_count = count;
    slice->dev.ctx = slice;
    slice->dev.read = slice_read;
    slice->dev.write = parent->write ? slice_write : NULL;
    return WR_OK;
}

static wr_status mem_read(void *ctx, uint64_t lba, uint64_t count, void *buf,
                          struct wr_err *err)
{
    struct wr_memdev *m = ctx;
    (void)err;
    memcpy(buf, m->data + lba * m->dev.sector_size, (size_t)(count * m->dev.sector_size));
    return WR_OK;
}

static wr_status mem_write(void *ctx, uint64_t lba, uint64_t count, const void *buf,
                           struct wr_err *err)
{
    struct wr_memdev *m = ctx;
    (void)err;
    memcpy(m->data + lba * m->dev.sector_size, buf, (size_t)(count * m->dev.sector_size));
    return WR_OK;
}

wr_status wr_memdev_init(struct wr_memdev *m, uint8_t *data, size_t len,
                         uint32_t sector_size, bool writable, const char *name,
                         struct wr_err *err)
{
    if (sector_size < 512 || (sector_size & (sector_size - 1)))
        return wr_fail(err, WR_E_INVALID, "%s: sector size %u is not a power of two >= 512",
                       name, sector_size);
    memset(m, 0, sizeof *m);
    m->data = data;
    m->dev.name = name;
    m->dev.sector_size = sector_size;
    m->dev.sector_count = len / sector_size;
    m->dev.ctx = m;
    m->dev.read = mem_read;
    m->dev.write = writable ? mem_write : NULL;
    return WR_OK;
}
