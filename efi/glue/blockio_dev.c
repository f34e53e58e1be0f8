#include "glue/blockio_dev.h"

#include <efilib.h>

#include "base/fmt.h"

#define BOUNCE_SECTORS_MAX 64
#define WINDOW_BYTES (4u << 10)
#define WINDOWS 64       /* per disk */

#define SLAB_WINDOWS 8   /* allocated together, fewer pool blocks */

struct window {
    uint64_t lba;        /* first sector, a multiple of the window's sectors */
    uint32_t sectors;    /* 0: empty */
    uint32_t used;       /* last use, for eviction */
    uint8_t *data;       /* into a slab; NULL until first used */
};

struct wr_blockio_cache {
    uint32_t clock;
    struct window w[WINDOWS];
    void *slab[WINDOWS / SLAB_WINDOWS];
};

/* Firmware wants buffers aligned to IoAlign (0 and 1 mean any); pool memory
 * is 8-byte aligned, so over-allocate and round up. */
static BOOLEAN aligned(const void *p, UINT32 align)
{
    return align <= 1 || ((UINTN)p & (align - 1)) == 0;
}

static void *align_up(void *p, UINT32 align)
{
    return align <= 1 ? p : (void *)(((UINTN)p + align - 1) & ~(UINTN)(align - 1));
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

/* The scratch for buffers the device cannot take (IoAlign), made on first
 * need: most reads come aligned, and every pool block of this size costs
 * the firmware page-table work to give and take back. */
static wr_status make_bounce(struct wr_blockio_dev *d, struct wr_err *err)
{
    UINT32 align = d->bio->Media->IoAlign;

    d->bounce_sectors = BOUNCE_SECTORS_MAX;
    d->bounce_raw = wr_alloc_uninit(d->bounce_sectors * d->dev.sector_size + align);
    if (!d->bounce_raw)
        return wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory for an I/O buffer", d->name);
    d->bounce = align_up(d->bounce_raw, align);
    return WR_OK;
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
    if (!d->bounce && make_bounce(d, err) != WR_OK)
        return WR_E_NO_MEMORY;
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

/* ---- the read cache ---- */

static void cache_free(struct wr_blockio_cache *c)
{
    if (!c)
        return;
    for (UINTN i = 0; i < WINDOWS / SLAB_WINDOWS; i++)
        wr_free(c->slab[i]);
    wr_free(c);
}

void wr_blockio_dev_cache(struct wr_blockio_dev *d)
{
    if (!d->cache)
        d->cache = wr_alloc(sizeof(struct wr_blockio_cache));
}

void wr_blockio_cache_drop(struct wr_blockio_dev *d)
{
    cache_free(d->cache);
    d->cache = NULL;
}

static struct window *window_find(struct wr_blockio_cache *c, uint64_t first)
{
    for (UINTN i = 0; i < WINDOWS; i++)
        if (c->w[i].sectors && c->w[i].lba == first) {
            c->w[i].used = ++c->clock;
            return &c->w[i];
        }
    return NULL;
}

static struct window *window_victim(struct wr_blockio_cache *c)
{
    struct window *v = &c->w[0];

    for (UINTN i = 1; i < WINDOWS && v->sectors; i++)
        if (!c->w[i].sectors || c->w[i].used < v->used)
            v = &c->w[i];
    return v;
}

/* A window's buffer, its slab allocated on first use. */
static BOOLEAN window_memory(struct wr_blockio_cache *c, struct window *w, UINT32 align)
{
    UINTN i = (UINTN)(w - c->w), s = i / SLAB_WINDOWS;

    if (w->data)
        return TRUE;
    if (!c->slab[s]) {
        c->slab[s] = wr_alloc_uninit(SLAB_WINDOWS * WINDOW_BYTES + (align > 1 ? align : 0));
        if (!c->slab[s])
            return FALSE;
    }
    w->data = (uint8_t *)align_up(c->slab[s], align) + (i % SLAB_WINDOWS) * WINDOW_BYTES;
    return TRUE;
}

/* The window holding first..; NULL when it cannot be read whole (the
 * caller then reads just what was asked: one bad sector nearby must not
 * fail a read that would succeed). */
static struct window *window_load(struct wr_blockio_dev *d, uint64_t first, uint32_t span)
{
    struct wr_blockio_cache *c = d->cache;
    struct window *w = window_victim(c);
    uint64_t left = d->dev.sector_count - first;
    UINT32 align = d->bio->Media->IoAlign;

    if (!window_memory(c, w, align))
        return NULL;
    w->sectors = 0;
    if (transfer(d, FALSE, first, (UINTN)(left < span ? left : span) * d->dev.sector_size,
                 w->data) != EFI_SUCCESS)
        return NULL;
    w->lba = first;
    w->sectors = (uint32_t)(left < span ? left : span);
    w->used = ++c->clock;
    return w;
}

/* Serves a small read from windows; FALSE when the caller must read. */
static BOOLEAN cached_read(struct wr_blockio_dev *d, uint64_t lba, uint64_t count, uint8_t *buf)
{
    UINT32 ss = d->dev.sector_size;
    uint32_t span = WINDOW_BYTES / ss;

    if (!d->cache || span == 0 || count > span)
        return FALSE;
    while (count) {
        uint64_t first = lba - lba % span;
        struct window *w = window_find(d->cache, first);
        uint64_t n;

        if (!w)
            w = window_load(d, first, span);
        if (!w || lba - first >= w->sectors)
            return FALSE;
        n = w->sectors - (lba - first);
        if (n > count)
            n = count;
        memcpy(buf, w->data + (lba - first) * ss, (size_t)(n * ss));
        buf += n * ss;
        lba += n;
        count -= n;
    }
    return TRUE;
}

/* Our own writes drop the windows they touch. */
static void cache_forget(struct wr_blockio_dev *d, uint64_t lba, uint64_t count)
{
    for (UINTN i = 0; d->cache && i < WINDOWS; i++) {
        struct window *w = &d->cache->w[i];

        if (w->sectors && w->lba < lba + count && lba < w->lba + w->sectors)
            w->sectors = 0;
    }
}

static wr_status do_read(void *ctx, uint64_t lba, uint64_t count, void *buf,
                         struct wr_err *err)
{
    if (cached_read(ctx, lba, count, buf))
        return WR_OK;
    return io(ctx, FALSE, lba, count, buf, err);
}

static wr_status do_write(void *ctx, uint64_t lba, uint64_t count, const void *buf,
                          struct wr_err *err)
{
    cache_forget(ctx, lba, count);
    return io(ctx, TRUE, lba, count, (uint8_t *)buf, err);
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
    if (m->IoAlign > 1 && (m->IoAlign & (m->IoAlign - 1)))
        return wr_fail(err, WR_E_UNSUPPORTED, "%s: IoAlign %u is not a power of two", d->name,
                       m->IoAlign);
    return WR_OK;
}

void wr_blockio_dev_close(struct wr_blockio_dev *d)
{
    wr_blockio_cache_drop(d);
    wr_free(d->bounce_raw);
    d->bounce_raw = NULL;
    d->bounce = NULL;
}
