#include "glue/blockio_dev.h"

#include <efilib.h>

#include "base/fmt.h"

#define BOUNCE_SECTORS_MAX 64

/* Firmware wants buffers aligned to IoAlign (0 and 1 mean any); pool memory
 * is 8-byte aligned, so over-allocate and round up. */
static BOOLEAN aligned(const void *p, UINT32 align)
{
    return align <= 1 || ((UINTN)p & (align - 1)) == 0;
}

static wr_status io_error(struct wr_blockio_dev *d, const char *what, uint64_t lba,
                          EFI_STATUS st, struct wr_err *err)
{
    if (st == EFI_MEDIA_CHANGED || st == EFI_NO_MEDIA)
        return wr_fail(err, WR_E_IO, "%s: the medium changed or was removed", d->name);
    return wr_fail(err, WR_E_IO, "%s: %s at sector %llu failed (EFI status 0x%llx)",
                   d->name, what, (unsigned long long)lba, (unsigned long long)st);
}

static EFI_STATUS transfer(struct wr_blockio_dev *d, BOOLEAN write, uint64_t lba,
                           UINTN bytes, void *buf)
{
    if (write)
        return uefi_call_wrapper(d->bio->WriteBlocks, 5, d->bio, d->media_id, lba, bytes, buf);
    return uefi_call_wrapper(d->bio->ReadBlocks, 5, d->bio, d->media_id, lba, bytes, buf);
}

static wr_status io(struct wr_blockio_dev *d, BOOLEAN write, uint64_t lba, uint64_t count,
                    uint8_t *buf, struct wr_err *err)
{
    UINT32 ss = d->dev.sector_size;
    EFI_STATUS st;

    if (aligned(buf, d->bio->Media->IoAlign)) {
        st = transfer(d, write, lba, (UINTN)(count * ss), buf);
        return st == EFI_SUCCESS ? WR_OK : io_error(d, write ? "write" : "read", lba, st, err);
    }
    while (count) {
        UINTN n = count < d->bounce_sectors ? (UINTN)count : d->bounce_sectors;

        if (write)
            memcpy(d->bounce, buf, n * ss);
        st = transfer(d, write, lba, n * ss, d->bounce);
        if (st != EFI_SUCCESS)
            return io_error(d, write ? "write" : "read", lba, st, err);
        if (!write)
            memcpy(buf, d->bounce, n * ss);
        buf += n * ss;
        lba += n;
        count -= n;
    }
    return WR_OK;
}

static wr_status do_read(void *ctx, uint64_t lba, uint64_t count, void *buf,
                         struct wr_err *err)
{
    return io(ctx, FALSE, lba, count, buf, err);
}

static wr_status do_write(void *ctx, uint64_t lba, uint64_t count, const void *buf,
                          struct wr_err *err)
{
    return io(ctx, TRUE, lba, count, (uint8_t *)buf, err);
}

static wr_status make_bounce(struct wr_blockio_dev *d, struct wr_err *err)
{
    UINT32 align = d->bio->Media->IoAlign;
    UINTN bytes;

    if (align <= 1)
        return WR_OK;
    if (align & (align - 1))
        return wr_fail(err, WR_E_UNSUPPORTED, "%s: IoAlign %u is not a power of two",
                       d->name, align);
    d->bounce_sectors = BOUNCE_SECTORS_MAX;
    bytes = d->bounce_sectors * d->dev.sector_size + align;
    d->bounce_raw = wr_alloc(bytes);
    if (!d->bounce_raw)
        return wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory for an I/O buffer", d->name);
    d->bounce = (void *)(((UINTN)d->bounce_raw + align - 1) & ~(UINTN)(align - 1));
    return WR_OK;
}

wr_status wr_blockio_dev_open(struct wr_blockio_dev *d, EFI_BLOCK_IO *bio, const char *name,
                              BOOLEAN writable, struct wr_err *err)
{
    EFI_BLOCK_IO_MEDIA *m = bio->Media;

    memset(d, 0, sizeof *d);
    wr_format(d->name, sizeof d->name, "%s", name);
    if (!m->MediaPresent)
        return wr_fail(err, WR_E_NOT_FOUND, "%s: no medium", d->name);
    if (m->BlockSize < 512 || (m->BlockSize & (m->BlockSize - 1)))
        return wr_fail(err, WR_E_UNSUPPORTED, "%s: sector size %u is not supported",
                       d->name, m->BlockSize);
    d->bio = bio;
    d->media_id = m->MediaId;
    d->dev.name = d->name;
    d->dev.sector_size = m->BlockSize;
    d->dev.sector_count = m->LastBlock + 1;
    d->dev.ctx = d;
    d->dev.read = do_read;
    d->dev.write = writable && !m->ReadOnly ? do_write : NULL;
    return make_bounce(d, err);
}

void wr_blockio_dev_close(struct wr_blockio_dev *d)
{
    wr_free(d->bounce_raw);
    d->bounce_raw = NULL;
    d->bounce = NULL;
}
