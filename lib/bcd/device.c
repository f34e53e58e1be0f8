/* Binary device descriptors, bcd.md §5.2. Offsets in messages are from the
 * start of the element value, so they can be found in a hex dump. */
#include "bcd/device.h"
#include "base/bytes.h"
#include "base/utf16.h"

enum {
    DT_BLOCKIO = 0, DT_BOOT = 5, DT_PARTITION = 6, DT_LOCATE = 8,
    LT_RAMDISK = 3, LT_FILE = 5, LT_VDISK = 6,
    HDR = 16,            /* type, flags, size, reserved */
    PART_SIZE = 0x48,    /* header + id + class + style + signature + 16 */
    BOOT_SIZE = 0x48,
    FILEPATH_HDR = 12,   /* version, length, path type */
    RAMDISK_FP = 0x28,   /* file path offset in a ramdisk descriptor */
    FILE_FP = 0x14,
    VDISK_NESTED = 0x28,
    LOCATE_STR = 0x1C,
};

struct cursor {
    const uint8_t *base;   /* start of the element value */
    struct wr_err *err;
};

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

static size_t at(const struct cursor *c, const uint8_t *p)
{
    return (size_t)(p - c->base);
}

static wr_status decode_desc(const struct cursor *c, const uint8_t *p, size_t avail,
                             unsigned depth, struct wr_bcd_device *out);

/* A NUL-terminated UTF-16 string filling [p, p+n) exactly. */
static wr_status decode_path(const struct cursor *c, const uint8_t *p, size_t n, char **out)
{
    size_t units = n / 2;

    if (n < 2 || n % 2)
        return wr_fail(c->err, WR_E_CORRUPT, "device: path at offset 0x%zx has %zu bytes, "
                       "not a NUL-terminated UTF-16 string", at(c, p), n);
    if (wr_le16(p + n - 2) != 0)
        return wr_fail(c->err, WR_E_CORRUPT, "device: path at offset 0x%zx has no NUL "
                       "terminator", at(c, p));
    for (size_t i = 0; i + 1 < units; i++)
        if (wr_le16(p + 2 * i) == 0)
            return wr_fail(c->err, WR_E_UNSUPPORTED, "device: path at offset 0x%zx has "
                           "bytes after its NUL terminator", at(c, p));
    return wr_utf16le_to_utf8_alloc(p, units - 1, 0, out, c->err);
}

static wr_status nested(const struct cursor *c, const uint8_t *p, size_t avail,
                        unsigned depth, struct wr_bcd_device **out)
{
    struct wr_bcd_device *d = wr_alloc(sizeof *d);
    wr_status st;

    if (!d)
        return wr_fail(c->err, WR_E_NO_MEMORY, "device: out of memory");
    st = decode_desc(c, p, avail, depth + 1, d);
    if (st != WR_OK) {
        wr_bcd_device_clear(d);
        wr_free(d);
        return st;
    }
    *out = d;
    return WR_OK;
}

/* version 1, length to the end of the enclosing descriptor, type 5, a
 * nested device, then the path. */
static wr_status decode_filepath(const struct cursor *c, const uint8_t *p, size_t n,
                                 unsigned depth, struct wr_bcd_device *out)
{
    uint32_t ver, len, type, sub;
    wr_status st;

    if (n < FILEPATH_HDR + HDR)
        return wr_fail(c->err, WR_E_CORRUPT, "device: file path at offset 0x%zx: %zu bytes "
                       "is too short", at(c, p), n);
    ver = wr_le32(p);
    len = wr_le32(p + 4);
    type = wr_le32(p + 8);
    if (ver != 1 || type != 5)
        return wr_fail(c->err, WR_E_UNSUPPORTED, "device: file path at offset 0x%zx has "
                       "version %u, type %u (expected 1, 5)", at(c, p), ver, type);
    if (len != n)
        return wr_fail(c->err, WR_E_CORRUPT, "device: file path at offset 0x%zx says %u "
                       "bytes but its descriptor leaves %zu", at(c, p), len, n);
    st = nested(c, p + FILEPATH_HDR, n - FILEPATH_HDR, depth, &out->parent);
    if (st != WR_OK)
        return st;
    sub = wr_le32(p + FILEPATH_HDR + 8);
    return decode_path(c, p + FILEPATH_HDR + sub, n - FILEPATH_HDR - sub, &out->path);
}

static wr_status decode_signature(const struct cursor *c, const uint8_t *p, uint32_t style,
                                  struct wr_bcd_device *out)
{
    if (style == WR_BCD_STYLE_GPT) {
        memcpy(out->disk_guid.b, p, 16);
        return WR_OK;
    }
    if (!all_zero(p + 4, 12))
        return wr_fail(c->err, WR_E_UNSUPPORTED, "device: MBR signature at offset 0x%zx "
                       "has non-zero padding", at(c, p));
    out->mbr_signature = wr_le32(p);
    return WR_OK;
}

static wr_status decode_partition(const struct cursor *c, const uint8_t *p, size_t size,
                                  unsigned depth, struct wr_bcd_device *out)
{
    wr_status st;

    if (size < PART_SIZE)
        return wr_fail(c->err, WR_E_CORRUPT, "device: partition at offset 0x%zx: size 0x%zx "
                       "is below 0x%x", at(c, p), size, PART_SIZE);
    out->kind = WR_BCD_DEV_PARTITION;
    out->disk_class = wr_le32(p + 0x20);
    out->style = wr_le32(p + 0x24);
    if (out->style == WR_BCD_STYLE_GPT) {
        memcpy(out->part_guid.b, p + 0x10, 16);
    } else if (out->style == WR_BCD_STYLE_MBR) {
        if (!all_zero(p + 0x18, 8))
            return wr_fail(c->err, WR_E_UNSUPPORTED, "device: MBR partition at offset 0x%zx "
                           "has non-zero padding after its offset", at(c, p));
        out->mbr_offset = wr_le64(p + 0x10);
    } else {
        return wr_fail(c->err, WR_E_UNSUPPORTED, "device: partition at offset 0x%zx has "
                       "style %u (only 0 = GPT and 1 = MBR are known)", at(c, p), out->style);
    }
    st = decode_signature(c, p + 0x28, out->style, out);
    if (st != WR_OK)
        return st;
    if (out->disk_class == WR_BCD_DISK_PHYSICAL) {
        if (size != PART_SIZE || !all_zero(p + 0x38, 16))
            return wr_fail(c->err, WR_E_UNSUPPORTED, "device: partition at offset 0x%zx: "
                           "size 0x%zx or padding unexpected", at(c, p), size);
        return WR_OK;
    }
    if (out->disk_class != WR_BCD_DISK_VIRTUAL)
        return wr_fail(c->err, WR_E_UNSUPPORTED, "device: partition at offset 0x%zx has "
                       "disk class %u (only 0 and 6 are known)", at(c, p), out->disk_class);
    st = nested(c, p + 0x38, size - 0x38, depth, &out->parent);
    if (st == WR_OK && 0x38 + (size_t)wr_le32(p + 0x38 + 8) != size)
        st = wr_fail(c->err, WR_E_CORRUPT, "device: VHD partition at offset 0x%zx has "
                     "trailing bytes after its backing file", at(c, p));
    return st;
}

static wr_status decode_blockio(const struct cursor *c, const uint8_t *p, size_t size,
                                unsigned depth, struct wr_bcd_device *out)
{
    uint32_t local;

    if (size < 0x14)
        return wr_fail(c->err, WR_E_CORRUPT, "device: block device at offset 0x%zx is too "
                       "short", at(c, p));
    local = wr_le32(p + 0x10);
    if (local == LT_FILE) {
        out->kind = WR_BCD_DEV_FILE;
        return decode_filepath(c, p + FILE_FP, size - FILE_FP, depth, out);
    }
    if (local == LT_RAMDISK) {
        out->kind = WR_BCD_DEV_RAMDISK;
        if (size < RAMDISK_FP)
            return wr_fail(c->err, WR_E_CORRUPT, "device: ramdisk at offset 0x%zx is too "
                           "short", at(c, p));
        if (!all_zero(p + 0x14, RAMDISK_FP - 0x14))
            return wr_fail(c->err, WR_E_UNSUPPORTED, "device: ramdisk at offset 0x%zx has "
                           "a non-zero image base, size or offset", at(c, p));
        return decode_filepath(c, p + RAMDISK_FP, size - RAMDISK_FP, depth, out);
    }
    if (local == LT_VDISK) {
        wr_status st;
        out->kind = WR_BCD_DEV_VDISK;
        if (size < VDISK_NESTED + HDR)
            return wr_fail(c->err, WR_E_CORRUPT, "device: virtual disk at offset 0x%zx is "
                           "too short", at(c, p));
        out->style = wr_le32(p + 0x14);
        if (out->style > WR_BCD_STYLE_MBR || !all_zero(p + 0x18, 16))
            return wr_fail(c->err, WR_E_UNSUPPORTED, "device: virtual disk at offset 0x%zx "
                           "names a disk (style %u); only 'any disk' is supported",
                           at(c, p), out->style);
        st = nested(c, p + VDISK_NESTED, size - VDISK_NESTED, depth, &out->parent);
        if (st == WR_OK && VDISK_NESTED + (size_t)wr_le32(p + VDISK_NESTED + 8) != size)
            st = wr_fail(c->err, WR_E_CORRUPT, "device: virtual disk at offset 0x%zx has "
                         "trailing bytes", at(c, p));
        return st;
    }
    return wr_fail(c->err, WR_E_UNSUPPORTED, "device: block device at offset 0x%zx has "
                   "local type %u (known: 3 ramdisk, 5 file, 6 virtual disk)", at(c, p), local);
}

static wr_status decode_locate(const struct cursor *c, const uint8_t *p, size_t size,
                               unsigned depth, struct wr_bcd_device *out)
{
    uint32_t type, parent_off;
    size_t str_end;
    wr_status st;

    if (size < LOCATE_STR + 2)
        return wr_fail(c->err, WR_E_CORRUPT, "device: locate at offset 0x%zx is too short",
                       at(c, p));
    out->kind = WR_BCD_DEV_LOCATE;
    type = wr_le32(p + 0x10);
    out->locate_element = wr_le32(p + 0x14);
    parent_off = wr_le32(p + 0x18);
    if (type != 0)
        return wr_fail(c->err, WR_E_UNSUPPORTED, "device: locate at offset 0x%zx has type %u "
                       "(only 0 = by element is known)", at(c, p), type);
    if (parent_off != 0 && (parent_off < LOCATE_STR + 2 || parent_off > size - HDR))
        return wr_fail(c->err, WR_E_CORRUPT, "device: locate at offset 0x%zx has parent "
                       "offset 0x%x outside its 0x%zx bytes", at(c, p), parent_off, size);
    str_end = parent_off ? parent_off : size;
    st = decode_path(c, p + LOCATE_STR, str_end - LOCATE_STR, &out->path);
    if (st == WR_OK && out->path[0])
        st = wr_fail(c->err, WR_E_UNSUPPORTED, "device: locate at offset 0x%zx carries a "
                     "search string; only the by-element form is supported", at(c, p));
    if (st != WR_OK || !parent_off)
        return st;
    st = nested(c, p + parent_off, size - parent_off, depth, &out->parent);
    if (st == WR_OK && parent_off + (size_t)wr_le32(p + parent_off + 8) != size)
        st = wr_fail(c->err, WR_E_CORRUPT, "device: locate at offset 0x%zx has trailing "
                     "bytes after its parent", at(c, p));
    return st;
}

static wr_status decode_desc(const struct cursor *c, const uint8_t *p, size_t avail,
                             unsigned depth, struct wr_bcd_device *out)
{
    uint32_t type, size;

    memset(out, 0, sizeof *out);
    if (depth > WR_BCD_DEVICE_MAX_DEPTH)
        return wr_fail(c->err, WR_E_TOO_BIG, "device: descriptors nested deeper than %d at "
                       "offset 0x%zx", WR_BCD_DEVICE_MAX_DEPTH, at(c, p));
    if (avail < HDR)
        return wr_fail(c->err, WR_E_CORRUPT, "device: descriptor at offset 0x%zx: only %zu "
                       "bytes left for a 16-byte header", at(c, p), avail);
    type = wr_le32(p);
    out->flags = wr_le32(p + 4);
    size = wr_le32(p + 8);
    if (size < HDR || size > avail)
        return wr_fail(c->err, WR_E_CORRUPT, "device: descriptor at offset 0x%zx says size "
                       "0x%x but 0x%zx bytes are left", at(c, p), size, avail);
    if (wr_le32(p + 12) != 0)
        return wr_fail(c->err, WR_E_UNSUPPORTED, "device: descriptor at offset 0x%zx has a "
                       "non-zero reserved field", at(c, p));
    switch (type) {
    case DT_BOOT:
        out->kind = WR_BCD_DEV_BOOT;
        if (size != BOOT_SIZE || !all_zero(p + HDR, BOOT_SIZE - HDR))
            return wr_fail(c->err, WR_E_UNSUPPORTED, "device: boot descriptor at offset "
                           "0x%zx is not 0x48 zero-filled bytes", at(c, p));
        return WR_OK;
    case DT_PARTITION:
        return decode_partition(c, p, size, depth, out);
    case DT_BLOCKIO:
        return decode_blockio(c, p, size, depth, out);
    case DT_LOCATE:
        return decode_locate(c, p, size, depth, out);
    }
    return wr_fail(c->err, WR_E_UNSUPPORTED, "device: descriptor at offset 0x%zx has device "
                   "type %u (known: 0 block, 5 boot, 6 partition, 8 locate)", at(c, p), type);
}

wr_status wr_bcd_device_decode(const uint8_t *data, size_t len, struct wr_bcd_devval *out,
                               struct wr_err *err)
{
    struct cursor c = { data, err };
    wr_status st;

    memset(out, 0, sizeof *out);
    if (len < 16 + HDR)
        return wr_fail(err, WR_E_CORRUPT, "device: element is %zu bytes, too short for an "
                       "options GUID and a descriptor", len);
    if (16 + (size_t)wr_le32(data + 16 + 8) != len)
        return wr_fail(err, WR_E_CORRUPT, "device: element is %zu bytes but its descriptor "
                       "says 16 + 0x%x", len, wr_le32(data + 16 + 8));
    memcpy(out->options.b, data, 16);
    st = decode_desc(&c, data + 16, len - 16, 0, &out->dev);
    if (st != WR_OK)
        wr_bcd_device_clear(&out->dev);
    return st;
}

void wr_bcd_device_clear(struct wr_bcd_device *dev)
{
    if (!dev)
        return;
    if (dev->parent) {
        wr_bcd_device_clear(dev->parent);
        wr_free(dev->parent);
    }
    wr_free(dev->path);
    memset(dev, 0, sizeof *dev);
}

wr_status wr_bcd_device_copy(struct wr_bcd_device *dst, const struct wr_bcd_device *src,
                             struct wr_err *err)
{
    *dst = *src;
    dst->path = NULL;
    dst->parent = NULL;
    if (src->path) {
        size_t n = strlen(src->path) + 1;
        dst->path = wr_alloc(n);
        if (!dst->path)
            return wr_fail(err, WR_E_NO_MEMORY, "device: out of memory");
        memcpy(dst->path, src->path, n);
    }
    if (src->parent) {
        dst->parent = wr_alloc(sizeof *dst->parent);
        if (!dst->parent || wr_bcd_device_copy(dst->parent, src->parent, err) != WR_OK) {
            wr_bcd_device_clear(dst);
            return wr_fail(err, WR_E_NO_MEMORY, "device: out of memory");
        }
    }
    return WR_OK;
}

/* ------------------------------------------------------------ encoding */

static size_t path_bytes(const char *path)
{
    size_t units = 0;
    const char *s = path ? path : "";

    if (wr_utf8_to_utf16le(s, strlen(s), NULL, 0, &units, NULL) != WR_OK)
        return 0;
    return 2 * (units + 1);
}

static size_t desc_size(const struct wr_bcd_device *d, unsigned depth);

static size_t parent_size(const struct wr_bcd_device *d, unsigned depth)
{
    return d->parent ? desc_size(d->parent, depth + 1) : 0;
}

/* 0 means "cannot be encoded" (a NULL parent where one is needed, bad UTF-8,
 * nesting too deep). */
static size_t desc_size(const struct wr_bcd_device *d, unsigned depth)
{
    size_t par = d->parent ? parent_size(d, depth) : 0, pb;

    if (depth > WR_BCD_DEVICE_MAX_DEPTH || (d->parent && !par))
        return 0;
    switch (d->kind) {
    case WR_BCD_DEV_BOOT:
        return BOOT_SIZE;
    case WR_BCD_DEV_PARTITION:
        if (d->disk_class == WR_BCD_DISK_VIRTUAL)
            return par ? 0x38 + par : 0;
        return PART_SIZE;
    case WR_BCD_DEV_RAMDISK:
    case WR_BCD_DEV_FILE:
        pb = path_bytes(d->path);
        if (!par || !pb)
            return 0;
        return (d->kind == WR_BCD_DEV_RAMDISK ? RAMDISK_FP : FILE_FP) + FILEPATH_HDR + par + pb;
    case WR_BCD_DEV_VDISK:
        return par ? VDISK_NESTED + par : 0;
    case WR_BCD_DEV_LOCATE:
        pb = path_bytes(d->path);
        return pb ? LOCATE_STR + pb + par : 0;
    }
    return 0;
}

static void put_path(uint8_t *p, const char *path)
{
    size_t units = 0;
    const char *s = path ? path : "";

    /* desc_size already converted this string once, so it cannot fail */
    wr_utf8_to_utf16le(s, strlen(s), p, (size_t)-1 / 2, &units, NULL);
    wr_put_le16(p + 2 * units, 0);
}

static size_t put_desc(uint8_t *p, const struct wr_bcd_device *d, unsigned depth);

static void put_filepath(uint8_t *p, size_t n, const struct wr_bcd_device *d, unsigned depth)
{
    size_t sub;

    wr_put_le32(p, 1);
    wr_put_le32(p + 4, (uint32_t)n);
    wr_put_le32(p + 8, 5);
    sub = put_desc(p + FILEPATH_HDR, d->parent, depth + 1);
    put_path(p + FILEPATH_HDR + sub, d->path);
}

static void put_signature(uint8_t *p, uint32_t style, const struct wr_bcd_device *d)
{
    if (style == WR_BCD_STYLE_GPT)
        memcpy(p, d->disk_guid.b, 16);
    else
        wr_put_le32(p, d->mbr_signature);
}

/* The buffer is zeroed by the caller, so only non-zero fields are written. */
static size_t put_desc(uint8_t *p, const struct wr_bcd_device *d, unsigned depth)
{
    size_t size = desc_size(d, depth);
    static const uint32_t types[] = {
        [WR_BCD_DEV_BOOT] = DT_BOOT, [WR_BCD_DEV_PARTITION] = DT_PARTITION,
        [WR_BCD_DEV_RAMDISK] = DT_BLOCKIO, [WR_BCD_DEV_FILE] = DT_BLOCKIO,
        [WR_BCD_DEV_VDISK] = DT_BLOCKIO, [WR_BCD_DEV_LOCATE] = DT_LOCATE,
    };

    wr_put_le32(p, types[d->kind]);
    wr_put_le32(p + 4, d->flags);
    wr_put_le32(p + 8, (uint32_t)size);
    switch (d->kind) {
    case WR_BCD_DEV_BOOT:
        break;
    case WR_BCD_DEV_PARTITION:
        if (d->style == WR_BCD_STYLE_GPT)
            memcpy(p + 0x10, d->part_guid.b, 16);
        else
            wr_put_le64(p + 0x10, d->mbr_offset);
        wr_put_le32(p + 0x20, d->disk_class);
        wr_put_le32(p + 0x24, d->style);
        put_signature(p + 0x28, d->style, d);
        if (d->disk_class == WR_BCD_DISK_VIRTUAL)
            put_desc(p + 0x38, d->parent, depth + 1);
        break;
    case WR_BCD_DEV_RAMDISK:
        wr_put_le32(p + 0x10, LT_RAMDISK);
        put_filepath(p + RAMDISK_FP, size - RAMDISK_FP, d, depth);
        break;
    case WR_BCD_DEV_FILE:
        wr_put_le32(p + 0x10, LT_FILE);
        put_filepath(p + FILE_FP, size - FILE_FP, d, depth);
        break;
    case WR_BCD_DEV_VDISK:
        wr_put_le32(p + 0x10, LT_VDISK);
        wr_put_le32(p + 0x14, d->style);
        put_desc(p + VDISK_NESTED, d->parent, depth + 1);
        break;
    case WR_BCD_DEV_LOCATE:
        wr_put_le32(p + 0x14, d->locate_element);
        put_path(p + LOCATE_STR, d->path);
        if (d->parent) {
            size_t off = LOCATE_STR + path_bytes(d->path);
            wr_put_le32(p + 0x18, (uint32_t)off);
            put_desc(p + off, d->parent, depth + 1);
        }
        break;
    }
    return size;
}

static bool kind_ok(const struct wr_bcd_device *d, unsigned depth)
{
    if (depth > WR_BCD_DEVICE_MAX_DEPTH || d->kind < WR_BCD_DEV_BOOT ||
        d->kind > WR_BCD_DEV_LOCATE)
        return false;
    if (d->kind == WR_BCD_DEV_PARTITION &&
        ((d->style != WR_BCD_STYLE_GPT && d->style != WR_BCD_STYLE_MBR) ||
         (d->disk_class != WR_BCD_DISK_PHYSICAL && d->disk_class != WR_BCD_DISK_VIRTUAL)))
        return false;
    return !d->parent || kind_ok(d->parent, depth + 1);
}

wr_status wr_bcd_device_encode(const struct wr_bcd_devval *dv, uint8_t **data, size_t *len,
                               struct wr_err *err)
{
    size_t size = kind_ok(&dv->dev, 0) ? desc_size(&dv->dev, 0) : 0;
    uint8_t *buf;

    if (!size || size > 0xFFFFFFF0u)
        return wr_fail(err, WR_E_INVALID, "device: cannot encode this device (a required "
                       "parent or path is missing, or it is nested too deeply)");
    buf = wr_alloc(16 + size);
    if (!buf)
        return wr_fail(err, WR_E_NO_MEMORY, "device: out of memory");
    memcpy(buf, dv->options.b, 16);
    put_desc(buf + 16, &dv->dev, 0);
    *data = buf;
    *len = 16 + size;
    return WR_OK;
}
