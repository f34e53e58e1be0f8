/* $UpCase and the FILE_NAME collation: names compare as UTF-16 units after
 * mapping through the volume's own table, so lookups match Windows. */
#include "ntfs/internal.h"

#define UPCASE_BYTES (65536u * 2u)

wr_status wr_ntfs_upcase_load(struct wr_ntfs *v, struct wr_err *err)
{
    struct ntfs_inode ino;
    struct ntfs_stream s;
    uint8_t *raw = NULL;
    size_t len = 0;
    wr_status st;

    st = wr_ntfs_inode_load(v, REC_UPCASE, false, &ino, err);
    if (st)
        return st;
    st = wr_ntfs_stream_load(v, &ino, AT_DATA, NULL, 0, &s, err);
    if (!st) {
        st = wr_ntfs_stream_value(v, &s, UPCASE_BYTES, &raw, &len, err);
        wr_ntfs_stream_free(&s);
    }
    wr_ntfs_inode_free(&ino);
    if (st)
        return st;
    if (len == 0 || len % 2) {
        wr_free(raw);
        return wr_fail(err, WR_E_CORRUPT, "%s: $UpCase is %zu bytes", v->name, len);
    }
    /* Kept as read and decoded per lookup: converting 65536 entries up
     * front cost more than every lookup of a scan together (under QEMU, in
     * the time to the menu). */
    v->upcase = raw;
    v->upcase_n = len / 2;
    return WR_OK;
}

static uint16_t up(const struct wr_ntfs *v, uint16_t c)
{
    if (v->upcase)
        return c < v->upcase_n ? wr_le16(v->upcase + 2 * (size_t)c) : c;
    return c >= 'a' && c <= 'z' ? (uint16_t)(c - 32) : c;
}

int wr_ntfs_collate(const struct wr_ntfs *v, const uint8_t *a, size_t alen, const uint8_t *b,
                 size_t blen)
{
    size_t n = alen < blen ? alen : blen;

    for (size_t i = 0; i < n; i++) {
        uint16_t ca = up(v, wr_le16(a + 2 * i)), cb = up(v, wr_le16(b + 2 * i));
        if (ca != cb)
            return ca < cb ? -1 : 1;
    }
    return alen < blen ? -1 : alen > blen;
}
