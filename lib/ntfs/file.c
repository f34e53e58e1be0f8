/* Reading a file's unnamed stream: plain and sparse data through the
 * runlist, LZNT1 compression units, and WOF chunks (XPRESS). */
#include "ntfs/describe.h"

struct wr_ntfs_file {
    struct wr_ntfs *v;
    struct ntfs_stream data;   /* unnamed $DATA, or WofCompressedData for WOF */
    enum wr_ntfs_storage storage;
    uint64_t size;
    uint32_t unit_size;        /* LZNT1 compression unit or WOF chunk */
    uint8_t *unit;
    uint64_t unit_idx;
    bool unit_valid;
    uint8_t *cbuf;
    /* WOF */
    uint64_t chunks;
    uint32_t entry_size;
    uint64_t table_bytes;
    uint8_t *table;
    uint16_t *huff;
};

static const uint8_t wof_name[] = {
    'W', 0, 'o', 0, 'f', 0, 'C', 0, 'o', 0, 'm', 0, 'p', 0, 'r', 0, 'e', 0, 's', 0, 's', 0,
    'e', 0, 'd', 0, 'D', 0, 'a', 0, 't', 0, 'a', 0,
};

static uint64_t stream_size(const struct ntfs_stream *s)
{
    return s->nonres ? s->data_size : s->value_len;
}

/* Plain bytes of a stream; the caller has checked the range. */
static wr_status plain_read(struct wr_ntfs *v, const struct ntfs_stream *s, uint64_t off,
                            uint8_t *buf, size_t len, struct wr_err *err)
{
    size_t real = len;

    /* A file without $DATA has no value buffer at all. */
    if (len == 0)
        return WR_OK;
    if (!s->nonres) {
        memcpy(buf, s->value + off, len);
        return WR_OK;
    }
    if (off >= s->init_size)
        real = 0;
    else if (s->init_size - off < len)
        real = (size_t)(s->init_size - off);
    memset(buf + real, 0, len - real);
    return real ? wr_ntfs_runs_read(v, &s->rl, off, buf, real, err) : WR_OK;
}

static wr_status lznt1_unit(struct wr_ntfs_file *f, uint64_t u, struct wr_err *err)
{
    struct wr_ntfs *v = f->v;
    uint64_t vcn0 = u * (f->unit_size >> v->cluster_shift);
    uint32_t n = f->unit_size >> v->cluster_shift, real = 0;
    bool hole = false;

    for (uint32_t i = 0; i < n; i++) {
        const struct ntfs_run *r = wr_ntfs_runs_find(&f->data.rl, vcn0 + i);
        bool sparse = !r || r->lcn < 0;

        if (!sparse && hole)
            return wr_fail(err, WR_E_CORRUPT, "%s: compression unit %llu has data after a hole",
                           v->name, (unsigned long long)u);
        hole |= sparse;
        real += !sparse;
    }
    if (real == n)
        return wr_ntfs_runs_read(v, &f->data.rl, vcn0 << v->cluster_shift, f->unit, f->unit_size,
                              err);
    if (real == 0) {
        memset(f->unit, 0, f->unit_size);
        return WR_OK;
    }
    wr_status st = wr_ntfs_runs_read(v, &f->data.rl, vcn0 << v->cluster_shift, f->cbuf,
                                  (size_t)real << v->cluster_shift, err);
    if (!st)
        st = wr_ntfs_lznt1_decompress(f->cbuf, (size_t)real << v->cluster_shift, f->unit,
                                      f->unit_size, err);
    if (st)
        wr_err_prefix(err, st, "%s: compression unit %llu: ", v->name, (unsigned long long)u);
    return st;
}

static uint64_t wof_entry(const struct wr_ntfs_file *f, uint64_t i)
{
    return f->entry_size == 8 ? wr_le64(f->table + 8 * i) : wr_le32(f->table + 4 * i);
}

static wr_status wof_chunk(struct wr_ntfs_file *f, uint64_t u, struct wr_err *err)
{
    uint64_t body = stream_size(&f->data) - f->table_bytes;
    uint64_t start = u ? wof_entry(f, u - 1) : 0;
    uint64_t end = u + 1 < f->chunks ? wof_entry(f, u) : body;
    uint64_t want = f->size - u * f->unit_size;
    wr_status st;

    if (want > f->unit_size)
        want = f->unit_size;
    if (start >= end || end > body || end - start > want)
        return wr_fail(err, WR_E_CORRUPT, "%s: WOF chunk %llu at %llu..%llu invalid (stream body "
                       "%llu bytes, chunk %llu bytes)", f->v->name, (unsigned long long)u,
                       (unsigned long long)start, (unsigned long long)end,
                       (unsigned long long)body, (unsigned long long)want);
    if (end - start == want)
        return plain_read(f->v, &f->data, f->table_bytes + start, f->unit, (size_t)want, err);
    st = plain_read(f->v, &f->data, f->table_bytes + start, f->cbuf, (size_t)(end - start), err);
    if (!st)
        st = wr_ntfs_xpress_decompress(f->cbuf, (size_t)(end - start), f->unit, (size_t)want,
                                       f->huff, err);
    if (st)
        wr_err_prefix(err, st, "%s: WOF chunk %llu: ", f->v->name, (unsigned long long)u);
    return st;
}

wr_status wr_ntfs_file_read(struct wr_ntfs_file *f, uint64_t offset, void *buf, size_t len,
                            struct wr_err *err)
{
    uint8_t *out = buf;

    if (!wr_span_ok(offset, len, f->size))
        return wr_fail(err, WR_E_INVALID, "%s: read of %zu bytes at %llu is past the end of "
                       "the file (%llu bytes)", f->v->name, len, (unsigned long long)offset,
                       (unsigned long long)f->size);
    if (f->storage == WR_NTFS_STORE_RESIDENT || f->storage == WR_NTFS_STORE_PLAIN)
        return plain_read(f->v, &f->data, offset, out, len, err);
    while (len) {
        uint64_t u = offset / f->unit_size;
        size_t in = (size_t)(offset % f->unit_size);
        size_t take = f->unit_size - in < len ? f->unit_size - in : len;

        if (!f->unit_valid || f->unit_idx != u) {
            wr_status st = f->storage == WR_NTFS_STORE_LZNT1 ? lznt1_unit(f, u, err)
                                                             : wof_chunk(f, u, err);
            f->unit_valid = st == WR_OK;
            f->unit_idx = u;
            if (st)
                return st;
        }
        memcpy(out, f->unit + in, take);
        out += take;
        offset += take;
        len -= take;
    }
    return WR_OK;
}

static wr_status setup_lznt1(struct wr_ntfs_file *f, struct wr_err *err)
{
    struct wr_ntfs *v = f->v;

    if (f->data.cu_log2 == 0 || f->data.cu_log2 > 8 || v->cluster_size > 4096)
        return wr_fail(err, WR_E_UNSUPPORTED, "%s: compressed file with compression unit 2^%u "
                       "and %u-byte clusters", v->name, f->data.cu_log2, v->cluster_size);
    f->unit_size = v->cluster_size << f->data.cu_log2;
    f->unit = wr_alloc(f->unit_size);
    f->cbuf = wr_alloc(f->unit_size);
    return f->unit && f->cbuf ? WR_OK : wr_fail(err, WR_E_NO_MEMORY, "out of memory");
}

static wr_status setup_wof(struct wr_ntfs_file *f, const struct ntfs_inode *ino,
                           struct wr_err *err)
{
    struct wr_ntfs *v = f->v;
    uint64_t ssize;
    wr_status st;

    f->unit_size = f->storage == WR_NTFS_STORE_WOF_XPRESS4K ? 4096
                   : f->storage == WR_NTFS_STORE_WOF_XPRESS8K ? 8192 : 16384;
    wr_ntfs_stream_free(&f->data);
    st = wr_ntfs_stream_load(v, ino, AT_DATA, wof_name, 17, &f->data, err);
    if (st == WR_E_NOT_FOUND)
        return wr_fail(err, WR_E_CORRUPT, "%s: WOF file without a WofCompressedData stream",
                       v->name);
    if (st)
        return st;
    if (f->data.flags & (ATTR_COMPRESSED | ATTR_ENCRYPTED))
        return wr_fail(err, WR_E_CORRUPT, "%s: WofCompressedData is itself compressed", v->name);
    ssize = stream_size(&f->data);
    f->chunks = (f->size + f->unit_size - 1) / f->unit_size;
    f->entry_size = f->size >= (1ULL << 32) ? 8 : 4;
    f->table_bytes = f->chunks ? (f->chunks - 1) * f->entry_size : 0;
    if (f->table_bytes > ssize || f->table_bytes > (64u << 20) ||
        ssize - f->table_bytes > f->size + f->chunks * 64)
        return wr_fail(err, WR_E_CORRUPT, "%s: WofCompressedData of %llu bytes does not fit "
                       "%llu chunks of a %llu-byte file", v->name, (unsigned long long)ssize,
                       (unsigned long long)f->chunks, (unsigned long long)f->size);
    f->table = wr_alloc((size_t)f->table_bytes + 1);
    f->unit = wr_alloc(f->unit_size);
    f->cbuf = wr_alloc(f->unit_size);
    f->huff = wr_alloc_array(XPRESS_TABLE_ENTRIES, sizeof *f->huff);
    if (!f->table || !f->unit || !f->cbuf || !f->huff)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory for a WOF file");
    st = plain_read(v, &f->data, 0, f->table, (size_t)f->table_bytes, err);
    for (uint64_t i = 1; !st && i + 1 < f->chunks; i++)
        if (wof_entry(f, i) <= wof_entry(f, i - 1))
            st = wr_fail(err, WR_E_CORRUPT, "%s: WOF chunk offsets not increasing at %llu",
                         v->name, (unsigned long long)i);
    return st;
}

static wr_status refuse(struct wr_ntfs *v, const char *path, const struct wr_ntfs_stat *s,
                        struct wr_err *err)
{
    switch (s->storage) {
    case WR_NTFS_STORE_NONE:
        if (s->is_dir)
            return wr_fail(err, WR_E_INVALID, "%s: %s is a directory", v->name, path);
        return WR_OK;
    case WR_NTFS_STORE_ENCRYPTED:
        return wr_fail(err, WR_E_UNSUPPORTED, "%s: %s is encrypted (EFS)", v->name, path);
    case WR_NTFS_STORE_WOF_LZX:
        return wr_fail(err, WR_E_UNSUPPORTED, "%s: %s uses WOF LZX compression: unsupported "
                       "compression", v->name, path);
    case WR_NTFS_STORE_WOF_OTHER:
        return wr_fail(err, WR_E_UNSUPPORTED, "%s: %s is a WIMBoot or unknown WOF file: "
                       "unsupported storage", v->name, path);
    case WR_NTFS_STORE_REPARSE:
        return wr_fail(err, WR_E_REFUSED, "%s: %s is a reparse point (tag 0x%08x%s%s), not "
                       "followed", v->name, path, s->reparse_tag, s->target[0] ? " -> " : "",
                       s->target);
    default:
        return WR_OK;
    }
}

wr_status wr_ntfs_file_open(struct wr_ntfs *v, const char *path, struct wr_ntfs_file **out,
                            struct wr_err *err)
{
    struct ntfs_inode ino;
    struct wr_ntfs_stat s;
    struct wr_ntfs_file *f;
    wr_status st;

    f = wr_alloc(sizeof *f);
    if (!f)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    f->v = v;
    st = wr_ntfs_path_resolve(v, path, &ino, err);
    if (st) {
        wr_free(f);
        return st;
    }
    st = wr_ntfs_describe(v, &ino, &s, &f->data, err);
    if (!st)
        st = refuse(v, path, &s, err);
    f->storage = s.storage;
    f->size = s.size;
    if (!st && s.storage == WR_NTFS_STORE_LZNT1)
        st = setup_lznt1(f, err);
    else if (!st && s.storage >= WR_NTFS_STORE_WOF_XPRESS4K &&
             s.storage <= WR_NTFS_STORE_WOF_XPRESS16K)
        st = setup_wof(f, &ino, err);
    else if (!st && s.storage == WR_NTFS_STORE_NONE)
        f->storage = WR_NTFS_STORE_RESIDENT; /* no $DATA: an empty file */
    wr_ntfs_inode_free(&ino);
    if (st) {
        wr_ntfs_file_close(f);
        return st;
    }
    *out = f;
    return WR_OK;
}

uint64_t wr_ntfs_file_size(const struct wr_ntfs_file *f)
{
    return f->size;
}

void wr_ntfs_file_close(struct wr_ntfs_file *f)
{
    if (!f)
        return;
    wr_ntfs_stream_free(&f->data);
    wr_free(f->unit);
    wr_free(f->cbuf);
    wr_free(f->table);
    wr_free(f->huff);
    wr_free(f);
}

wr_status wr_ntfs_read_file(struct wr_ntfs *v, const char *path, size_t max_len,
                            uint8_t **data, size_t *len, struct wr_err *err)
{
    struct wr_ntfs_file *f;
    uint8_t *buf;
    size_t size;
    wr_status st = wr_ntfs_file_open(v, path, &f, err);

    if (st)
        return st;
    size = (size_t)f->size;
    if (f->size > max_len) {
        st = wr_fail(err, WR_E_TOO_BIG, "%s: %s is %llu bytes, over the limit of %zu", v->name,
                     path, (unsigned long long)f->size, max_len);
        wr_ntfs_file_close(f);
        return st;
    }
    buf = wr_alloc(f->size ? (size_t)f->size : 1);
    if (!buf)
        st = wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory for %s", v->name, path);
    else
        st = wr_ntfs_file_read(f, 0, buf, (size_t)f->size, err);
    wr_ntfs_file_close(f);
    if (st) {
        wr_free(buf);
        return st;
    }
    *data = buf;
    *len = size;
    return WR_OK;
}
