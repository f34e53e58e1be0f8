/* EFI_LOAD_OPTION and its device path, after UEFI 2.10 §3.1.3 and §10.3. */
#include "efivar/loadopt.h"

#include "base/bytes.h"
#include "base/fmt.h"
#include "base/utf16.h"

enum { DP_MEDIA = 4, DP_HD = 1, DP_FILE = 4, DP_END = 0x7f, DP_HD_LEN = 42 };

static void decode_hd(const uint8_t *n, struct wr_efivar_hd *hd)
{
    hd->part_number = wr_le32(n + 4);
    hd->start_lba = wr_le64(n + 8);
    hd->size_lba = wr_le64(n + 16);
    hd->format = n[40];
    if (n[41] == 2)
        memcpy(hd->part_guid.b, n + 24, 16);
    else
        hd->mbr_signature = wr_le32(n + 24);
}

/* Walks the first device path instance; only HD and File nodes matter. */
static wr_status decode_path(const uint8_t *p, size_t len, struct wr_efivar_loadopt *o,
                             struct wr_err *err)
{
    size_t off = 0;

    while (off + 4 <= len) {
        uint8_t type = p[off], sub = p[off + 1];
        uint16_t nlen = wr_le16(p + off + 2);

        if (nlen < 4 || !wr_span_ok(off, nlen, len))
            return wr_fail(err, WR_E_CORRUPT, "load option: device path node at %zu has length %u",
                           off, nlen);
        if (type == DP_END)
            return WR_OK;
        if (type == DP_MEDIA && sub == DP_HD && nlen >= DP_HD_LEN) {
            o->has_hd = true;
            decode_hd(p + off, &o->hd);
        } else if (type == DP_MEDIA && sub == DP_FILE && !o->path[0]) {
            wr_utf16le_to_utf8(p + off + 4, (nlen - 4u) / 2, o->path, sizeof o->path,
                               WR_UTF16_STOP_AT_NUL | WR_UTF16_REPLACE);
        }
        off += nlen;
    }
    return wr_fail(err, WR_E_CORRUPT, "load option: device path has no end node");
}

wr_status wr_efivar_loadopt_decode(const uint8_t *data, size_t len,
                                   struct wr_efivar_loadopt *out, struct wr_err *err)
{
    size_t desc_end = 6, dp_len;
    wr_status st;

    memset(out, 0, sizeof *out);
    if (len < 8)
        return wr_fail(err, WR_E_CORRUPT, "load option: %zu bytes, shorter than its header", len);
    out->attributes = wr_le32(data);
    dp_len = wr_le16(data + 4);
    while (desc_end + 1 < len && (data[desc_end] || data[desc_end + 1]))
        desc_end += 2;
    if (desc_end + 1 >= len)
        return wr_fail(err, WR_E_CORRUPT, "load option: description has no terminator");
    wr_utf16le_to_utf8(data + 6, (desc_end - 6) / 2, out->description, sizeof out->description,
                       WR_UTF16_REPLACE);
    desc_end += 2;
    if (!wr_span_ok(desc_end, dp_len, len))
        return wr_fail(err, WR_E_CORRUPT, "load option: device path length %zu past the end",
                       dp_len);
    st = decode_path(data + desc_end, dp_len, out, err);
    if (st)
        return st;
    out->optional_len = len - desc_end - dp_len;
    if (out->optional_len) {
        out->optional = wr_alloc(out->optional_len);
        if (!out->optional)
            return wr_fail(err, WR_E_NO_MEMORY, "load option: out of memory");
        memcpy(out->optional, data + desc_end + dp_len, out->optional_len);
    }
    return WR_OK;
}

static void encode_hd(uint8_t *n, const struct wr_efivar_hd *hd)
{
    n[0] = DP_MEDIA;
    n[1] = DP_HD;
    wr_put_le16(n + 2, DP_HD_LEN);
    wr_put_le32(n + 4, hd->part_number);
    wr_put_le64(n + 8, hd->start_lba);
    wr_put_le64(n + 16, hd->size_lba);
    if (hd->format == WR_EFIVAR_HD_GPT)
        memcpy(n + 24, hd->part_guid.b, 16);
    else
        wr_put_le32(n + 24, hd->mbr_signature);
    n[40] = hd->format;
    n[41] = hd->format == WR_EFIVAR_HD_GPT ? 2 : 1;
}

wr_status wr_efivar_loadopt_encode(const struct wr_efivar_loadopt *o, uint8_t **data,
                                   size_t *len, struct wr_err *err)
{
    size_t desc_units, path_units = 0, dp_len, total, off;
    uint8_t *b;
    wr_status st;

    st = wr_utf8_to_utf16le(o->description, strlen(o->description), NULL, 0, &desc_units, err);
    if (!st && o->path[0])
        st = wr_utf8_to_utf16le(o->path, strlen(o->path), NULL, 0, &path_units, err);
    if (st)
        return st;
    dp_len = (o->has_hd ? DP_HD_LEN : 0) + (o->path[0] ? 4 + 2 * (path_units + 1) : 0) + 4;
    if (dp_len > 0xFFFF)
        return wr_fail(err, WR_E_TOO_BIG, "load option: device path too long");
    total = 6 + 2 * (desc_units + 1) + dp_len + o->optional_len;
    b = wr_alloc(total);
    if (!b)
        return wr_fail(err, WR_E_NO_MEMORY, "load option: out of memory");
    wr_put_le32(b, o->attributes);
    wr_put_le16(b + 4, (uint16_t)dp_len);
    wr_utf8_to_utf16le(o->description, strlen(o->description), b + 6, desc_units, &desc_units,
                       NULL);
    off = 6 + 2 * (desc_units + 1);
    if (o->has_hd) {
        encode_hd(b + off, &o->hd);
        off += DP_HD_LEN;
    }
    if (o->path[0]) {
        b[off] = DP_MEDIA;
        b[off + 1] = DP_FILE;
        wr_put_le16(b + off + 2, (uint16_t)(4 + 2 * (path_units + 1)));
        wr_utf8_to_utf16le(o->path, strlen(o->path), b + off + 4, path_units, &path_units, NULL);
        off += 4 + 2 * (path_units + 1);
    }
    b[off] = DP_END;
    b[off + 1] = 0xff;
    wr_put_le16(b + off + 2, 4);
    off += 4;
    if (o->optional_len)
        memcpy(b + off, o->optional, o->optional_len);
    *data = b;
    *len = total;
    return WR_OK;
}

void wr_efivar_loadopt_clear(struct wr_efivar_loadopt *o)
{
    wr_free(o->optional);
    memset(o, 0, sizeof *o);
}

void wr_efivar_windows_optional_data(uint8_t out[WR_EFIVAR_WINDOWS_OPTDATA_LEN])
{
    static const char obj[] = "BCDOBJECT={9dea862c-5cdd-4e70-acc1-f32b344d4795}";
    size_t i;

    memset(out, 0, WR_EFIVAR_WINDOWS_OPTDATA_LEN);
    memcpy(out, "WINDOWS", 8);
    wr_put_le32(out + 8, 1);
    wr_put_le32(out + 12, WR_EFIVAR_WINDOWS_OPTDATA_LEN);
    wr_put_le32(out + 16, 0x78);
    for (i = 0; obj[i]; i++)
        out[20 + 2 * i] = (uint8_t)obj[i];
    /* the trailing descriptor {version 1, length 16, type 4 = EFI}: End only */
    wr_put_le32(out + 0x78, 1);
    wr_put_le32(out + 0x7c, 0x10);
    wr_put_le32(out + 0x80, 4);
    out[0x84] = DP_END;
    out[0x85] = 0xff;
    wr_put_le16(out + 0x86, 4);
}

wr_status wr_efivar_windows_entry(const struct wr_efivar_hd *hd, struct wr_efivar_loadopt *out,
                                  struct wr_err *err)
{
    memset(out, 0, sizeof *out);
    out->attributes = WR_EFIVAR_LOAD_OPTION_ACTIVE;
    wr_format(out->description, sizeof out->description, "%s", WR_EFIVAR_WINDOWS_DESC);
    out->has_hd = true;
    out->hd = *hd;
    wr_format(out->path, sizeof out->path, "%s", WR_EFIVAR_BOOTMGFW_PATH);
    out->optional = wr_alloc(WR_EFIVAR_WINDOWS_OPTDATA_LEN);
    if (!out->optional)
        return wr_fail(err, WR_E_NO_MEMORY, "load option: out of memory");
    out->optional_len = WR_EFIVAR_WINDOWS_OPTDATA_LEN;
    wr_efivar_windows_optional_data(out->optional);
    return WR_OK;
}

static char fold(char c)
{
    if (c == '/')
        return '\\';
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

bool wr_efivar_path_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (fold(*a) != fold(*b))
            return false;
    return *a == *b;
}

bool wr_efivar_is_windows_bootmgr(const struct wr_efivar_loadopt *o)
{
    return wr_efivar_path_eq(o->path, WR_EFIVAR_BOOTMGFW_PATH);
}
