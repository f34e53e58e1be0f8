/* What a file is and how its data is stored: standard information, reparse
 * point (junction, symlink, WOF) and the unnamed $DATA attribute. */
#include "base/utf16.h"
#include "ntfs/describe.h"

static void reparse_target(const uint8_t *val, size_t len, uint32_t tag, char *out, size_t size)
{
    size_t buf_at = tag == WR_NTFS_REPARSE_SYMLINK ? 20 : 16;
    uint16_t so, sl, po, pl;

    out[0] = '\0';
    if (len < buf_at)
        return;
    so = wr_le16(val + 8);
    sl = wr_le16(val + 10);
    po = wr_le16(val + 12);
    pl = wr_le16(val + 14);
    /* The print name is what Windows shows; fall back to the substitute. */
    if (pl && wr_span_ok((uint64_t)buf_at + po, pl, len) && pl % 2 == 0)
        wr_utf16le_to_utf8(val + buf_at + po, pl / 2, out, size, WR_UTF16_REPLACE);
    else if (sl && wr_span_ok((uint64_t)buf_at + so, sl, len) && sl % 2 == 0)
        wr_utf16le_to_utf8(val + buf_at + so, sl / 2, out, size, WR_UTF16_REPLACE);
}

static wr_status read_reparse(struct wr_ntfs *v, const struct ntfs_inode *ino,
                              struct wr_ntfs_stat *out, uint8_t *wof_alg, struct wr_err *err)
{
    struct ntfs_stream s;
    uint8_t *val = NULL;
    size_t len = 0;
    wr_status st = wr_ntfs_stream_load(v, ino, AT_REPARSE_POINT, NULL, 0, &s, err);

    if (st == WR_E_NOT_FOUND)
        return WR_OK;
    if (!st) {
        st = wr_ntfs_stream_value(v, &s, 16384, &val, &len, err);
        wr_ntfs_stream_free(&s);
    }
    if (st)
        return st;
    if (len < 8 || 8u + wr_le16(val + 4) > len) {
        wr_free(val);
        return wr_fail(err, WR_E_CORRUPT, "%s: MFT record %llu: reparse point of %zu bytes is "
                       "invalid", v->name, (unsigned long long)ino->recno, len);
    }
    out->reparse_tag = wr_le32(val);
    len = 8u + wr_le16(val + 4);
    if (out->reparse_tag == WR_NTFS_REPARSE_WOF) {
        *wof_alg = 0xFF;
        if (len >= 24 && wr_le32(val + 8) == 1 && wr_le32(val + 12) == 2 &&
            wr_le32(val + 16) == 1 && wr_le32(val + 20) <= 3)
            *wof_alg = (uint8_t)wr_le32(val + 20);
    } else if (out->reparse_tag == WR_NTFS_REPARSE_MOUNT_POINT ||
               out->reparse_tag == WR_NTFS_REPARSE_SYMLINK) {
        reparse_target(val, len, out->reparse_tag, out->target, sizeof out->target);
    }
    wr_free(val);
    return WR_OK;
}

static uint32_t real_runs(const struct ntfs_runlist *rl, uint64_t *clusters)
{
    uint32_t n = 0;

    *clusters = 0;
    for (size_t i = 0; i < rl->count; i++) {
        if (rl->runs[i].lcn >= 0) {
            n++;
            *clusters += rl->runs[i].len;
        }
    }
    return n;
}

static const enum wr_ntfs_storage wof_kinds[4] = {
    WR_NTFS_STORE_WOF_XPRESS4K, WR_NTFS_STORE_WOF_LZX, WR_NTFS_STORE_WOF_XPRESS8K,
    WR_NTFS_STORE_WOF_XPRESS16K,
};

wr_status wr_ntfs_describe(struct wr_ntfs *v, const struct ntfs_inode *ino,
                        struct wr_ntfs_stat *out, struct ntfs_stream *data, struct wr_err *err)
{
    struct ntfs_stream s;
    uint8_t wof_alg = 0xFF;
    wr_status st;

    memset(out, 0, sizeof *out);
    memset(data, 0, sizeof *data);
    out->ref = ino->recno | (uint64_t)ino->seq << 48;
    out->is_dir = ino->rec_flags & REC_IS_DIR;
    out->link_count = ino->link_count;
    out->has_attr_list = ino->alist != NULL;
    out->storage = WR_NTFS_STORE_NONE;
    st = wr_ntfs_stream_load(v, ino, AT_STANDARD_INFORMATION, NULL, 0, &s, err);
    if (st && st != WR_E_NOT_FOUND)
        return st;
    if (!st && !s.nonres && s.value_len >= 0x24)
        out->attributes = wr_le32(s.value + 0x20);
    wr_ntfs_stream_free(&s);
    st = read_reparse(v, ino, out, &wof_alg, err);
    if (st)
        return st;
    if (out->is_dir) {
        if (out->reparse_tag)
            out->storage = WR_NTFS_STORE_REPARSE;
        return WR_OK;
    }
    st = wr_ntfs_stream_load(v, ino, AT_DATA, NULL, 0, data, err);
    if (st == WR_E_NOT_FOUND)
        st = WR_OK;
    else if (!st && !data->nonres) {
        out->storage = WR_NTFS_STORE_RESIDENT;
        out->size = data->value_len;
    } else if (!st) {
        out->size = data->data_size;
        uint64_t clusters;

        out->fragments = real_runs(&data->rl, &clusters);
        /* Clusters actually on disk: less than the size when sparse or compressed. */
        out->allocated = clusters << v->cluster_shift;
        out->storage = data->flags & ATTR_ENCRYPTED ? WR_NTFS_STORE_ENCRYPTED
                       : data->flags & ATTR_COMPRESSED ? WR_NTFS_STORE_LZNT1
                       : WR_NTFS_STORE_PLAIN;
    }
    if (st)
        return st;
    if (out->attributes & FILE_ATTR_ENCRYPTED)
        out->storage = WR_NTFS_STORE_ENCRYPTED;
    if (out->reparse_tag == WR_NTFS_REPARSE_WOF)
        out->storage = wof_alg <= 3 ? wof_kinds[wof_alg] : WR_NTFS_STORE_WOF_OTHER;
    else if (out->reparse_tag)
        out->storage = WR_NTFS_STORE_REPARSE;
    return WR_OK;
}
