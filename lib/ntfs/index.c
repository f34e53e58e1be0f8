/* Directory indexes ($I30): B+tree lookup by collation, and in-order walk.
 * Every node header and entry is checked before use; descent is capped in
 * depth and refuses to revisit a node (ntfs.md §9, §17). */
#include "ntfs/internal.h"

static const uint8_t i30[8] = { '$', 0, 'I', 0, '3', 0, '0', 0 };

struct ix {
    struct wr_ntfs *v;
    uint64_t recno;
    struct ntfs_stream root;
    struct ntfs_stream alloc;
    bool has_alloc;
    uint8_t *bitmap;
    size_t bitmap_len;
    uint32_t rec_size;
    uint32_t vcn_unit;
    uint64_t nrecs;
    uint8_t *seen; /* walk: one bit per index record */
};

/* A node: header at hdr, `avail` bytes from hdr to the end of its buffer. */
struct node {
    const uint8_t *hdr;
    uint32_t avail;
    uint32_t pos;
    uint32_t end;
    const char *where;
};

struct entry {
    const uint8_t *p;
    uint16_t len;
    uint16_t flags;
    const uint8_t *name;
    uint8_t name_len;
    uint64_t sub_vcn;
};

#define IE_SUBNODE 0x01
#define IE_LAST 0x02

static wr_status node_init(struct ix *x, struct node *n, const uint8_t *hdr, uint32_t avail,
                           const char *where, struct wr_err *err)
{
    uint32_t off, used, alloc;

    if (avail < 16)
        return wr_fail(err, WR_E_CORRUPT, "%s: directory %llu: %s node header cut off",
                       x->v->name, (unsigned long long)x->recno, where);
    off = wr_le32(hdr);
    used = wr_le32(hdr + 4);
    alloc = wr_le32(hdr + 8);
    if (off < 16 || off % 8 || off > used || used > alloc || alloc > avail)
        return wr_fail(err, WR_E_CORRUPT, "%s: directory %llu: %s node header invalid (entries "
                       "at %u, %u used, %u allocated, %u available)", x->v->name,
                       (unsigned long long)x->recno, where, off, used, alloc, avail);
    n->hdr = hdr;
    n->avail = avail;
    n->pos = off;
    n->end = used;
    n->where = where;
    return WR_OK;
}

static wr_status entry_bad(struct ix *x, struct node *n, const char *why, struct wr_err *err)
{
    return wr_fail(err, WR_E_CORRUPT, "%s: directory %llu: %s node: entry at %u: %s",
                   x->v->name, (unsigned long long)x->recno, n->where, n->pos, why);
}

static wr_status node_next(struct ix *x, struct node *n, struct entry *e, struct wr_err *err)
{
    const uint8_t *p = n->hdr + n->pos;
    uint16_t klen;

    if (!wr_span_ok(n->pos, 16, n->end))
        return entry_bad(x, n, "no last entry before the end of the node", err);
    memset(e, 0, sizeof *e);
    e->p = p;
    e->len = wr_le16(p + 8);
    klen = wr_le16(p + 10);
    e->flags = wr_le16(p + 12);
    if (e->len < 16 + ((e->flags & IE_SUBNODE) ? 8 : 0) || e->len % 8 ||
        !wr_span_ok(n->pos, e->len, n->end))
        return entry_bad(x, n, "length invalid", err);
    if (klen > e->len - 16 - ((e->flags & IE_SUBNODE) ? 8 : 0))
        return entry_bad(x, n, "key longer than the entry", err);
    if (!(e->flags & IE_LAST)) {
        if (klen < 0x42 || 0x42u + 2u * p[16 + 0x40] > klen || p[16 + 0x40] == 0)
            return entry_bad(x, n, "file name key invalid", err);
        e->name = p + 16 + 0x42;
        e->name_len = p[16 + 0x40];
    }
    if (e->flags & IE_SUBNODE)
        e->sub_vcn = wr_le64(p + e->len - 8);
    n->pos += e->len;
    return WR_OK;
}

static void ix_free(struct ix *x)
{
    wr_ntfs_stream_free(&x->root);
    wr_ntfs_stream_free(&x->alloc);
    wr_free(x->bitmap);
    wr_free(x->seen);
}

static wr_status ix_open(struct wr_ntfs *v, const struct ntfs_inode *dir, struct ix *x,
                         struct wr_err *err)
{
    struct ntfs_stream bm;
    wr_status st;

    memset(x, 0, sizeof *x);
    x->v = v;
    x->recno = dir->recno;
    if (!(dir->rec_flags & REC_IS_DIR))
        return wr_fail(err, WR_E_INVALID, "%s: MFT record %llu is not a directory", v->name,
                       (unsigned long long)dir->recno);
    st = wr_ntfs_stream_load(v, dir, AT_INDEX_ROOT, i30, 4, &x->root, err);
    if (st)
        return st;
    if (x->root.nonres || x->root.value_len < 32 || wr_le32(x->root.value) != AT_FILE_NAME ||
        wr_le32(x->root.value + 4) != 1)
        return wr_fail(err, WR_E_CORRUPT, "%s: directory %llu: $INDEX_ROOT is not a file name "
                       "index", v->name, (unsigned long long)dir->recno);
    x->rec_size = wr_le32(x->root.value + 8);
    if (x->rec_size < 512 || x->rec_size > 65536 || (x->rec_size & (x->rec_size - 1)))
        return wr_fail(err, WR_E_CORRUPT, "%s: directory %llu: index record size %u",
                       v->name, (unsigned long long)dir->recno, x->rec_size);
    x->vcn_unit = v->cluster_size <= x->rec_size ? v->cluster_size : 512;
    st = wr_ntfs_stream_load(v, dir, AT_INDEX_ALLOCATION, i30, 4, &x->alloc, err);
    if (st == WR_E_NOT_FOUND)
        return WR_OK;
    if (st)
        return st;
    if (!x->alloc.nonres || (x->alloc.flags & (ATTR_COMPRESSED | ATTR_ENCRYPTED)))
        return wr_fail(err, WR_E_CORRUPT, "%s: directory %llu: $INDEX_ALLOCATION is resident "
                       "or compressed", v->name, (unsigned long long)dir->recno);
    /* Far beyond any real directory; keeps the walk's bitmap small. */
    if (x->alloc.data_size > (4ULL << 30))
        return wr_fail(err, WR_E_TOO_BIG, "%s: directory %llu: index allocation of %llu bytes",
                       v->name, (unsigned long long)dir->recno,
                       (unsigned long long)x->alloc.data_size);
    x->has_alloc = true;
    x->nrecs = x->alloc.data_size / x->rec_size;
    st = wr_ntfs_stream_load(v, dir, AT_BITMAP, i30, 4, &bm, err);
    if (!st) {
        st = wr_ntfs_stream_value(v, &bm, 4u << 20, &x->bitmap, &x->bitmap_len, err);
        wr_ntfs_stream_free(&bm);
    }
    return st;
}

/* Reads index record `vcn` into buf after every check of §17. */
static wr_status read_indx(struct ix *x, uint64_t vcn, uint8_t *buf, struct wr_err *err)
{
    struct wr_ntfs *v = x->v;
    uint64_t off, idx;
    char what[96];
    wr_status st;

    if (!x->has_alloc || vcn > UINT64_MAX / x->vcn_unit)
        return wr_fail(err, WR_E_CORRUPT, "%s: directory %llu: sub-node VCN %llu without "
                       "index allocation", v->name, (unsigned long long)x->recno,
                       (unsigned long long)vcn);
    off = vcn * x->vcn_unit;
    idx = off / x->rec_size;
    if (off % x->rec_size || !wr_span_ok(off, x->rec_size, x->alloc.data_size) ||
        !wr_span_ok(off, x->rec_size, x->alloc.init_size))
        return wr_fail(err, WR_E_CORRUPT, "%s: directory %llu: sub-node VCN %llu lies outside "
                       "the index allocation", v->name, (unsigned long long)x->recno,
                       (unsigned long long)vcn);
    if (idx / 8 >= x->bitmap_len || !(x->bitmap[idx / 8] & (1u << (idx % 8))))
        return wr_fail(err, WR_E_CORRUPT, "%s: directory %llu: sub-node VCN %llu is not marked "
                       "in use in the index bitmap", v->name, (unsigned long long)x->recno,
                       (unsigned long long)vcn);
    st = wr_ntfs_runs_read(v, &x->alloc.rl, off, buf, x->rec_size, err);
    if (st)
        return st;
    wr_format(what, sizeof what, "%s: directory %llu: index record VCN %llu", v->name,
              (unsigned long long)x->recno, (unsigned long long)vcn);
    st = wr_ntfs_fixup(buf, x->rec_size, "INDX", what, err);
    if (!st && wr_le64(buf + 0x10) != vcn)
        st = wr_fail(err, WR_E_CORRUPT, "%s: says it is VCN %llu", what,
                     (unsigned long long)wr_le64(buf + 0x10));
    return st;
}

static bool exact(const struct entry *e, const uint8_t *name, size_t len)
{
    return e->name_len == len && memcmp(e->name, name, 2 * len) == 0;
}

/* Looks for an exact-case twin after a case-insensitive hit in one node. */
static uint64_t prefer_exact(struct ix *x, struct node n, const struct entry *hit,
                             const uint8_t *name, size_t len)
{
    struct entry e;

    if (exact(hit, name, len))
        return wr_le64(hit->p);
    while (node_next(x, &n, &e, NULL) == WR_OK && !(e.flags & IE_LAST) &&
           wr_ntfs_collate(x->v, name, len, e.name, e.name_len) == 0) {
        if (exact(&e, name, len))
            return wr_le64(e.p);
    }
    return wr_le64(hit->p);
}

static wr_status tree_lookup(struct ix *x, const uint8_t *name, size_t len, uint64_t *ref,
                             struct wr_err *err)
{
    uint64_t path[WR_NTFS_MAX_DEPTH];
    unsigned depth = 0;
    uint8_t *buf = NULL;
    struct node n;
    struct entry e;
    wr_status st;

    st = node_init(x, &n, x->root.value + 16, x->root.value_len - 16, "root", err);
    while (!st) {
        int cmp = -1; /* the last entry is greater than any name */

        st = node_next(x, &n, &e, err);
        if (st)
            break;
        if (!(e.flags & IE_LAST))
            cmp = wr_ntfs_collate(x->v, name, len, e.name, e.name_len);
        if (cmp == 0) {
            *ref = prefer_exact(x, n, &e, name, len);
            break;
        }
        if (cmp > 0)
            continue;
        if (!(e.flags & IE_SUBNODE)) {
            st = WR_E_NOT_FOUND;
            break;
        }
        if (depth == WR_NTFS_MAX_DEPTH) {
            st = wr_fail(err, WR_E_TOO_BIG, "%s: directory %llu: index deeper than %u levels",
                         x->v->name, (unsigned long long)x->recno, WR_NTFS_MAX_DEPTH);
            break;
        }
        for (unsigned i = 0; i < depth; i++)
            if (path[i] == e.sub_vcn)
                st = wr_fail(err, WR_E_CORRUPT, "%s: directory %llu: index loops back to VCN "
                             "%llu", x->v->name, (unsigned long long)x->recno,
                             (unsigned long long)e.sub_vcn);
        path[depth++] = e.sub_vcn;
        if (!st && !buf && !(buf = wr_alloc(x->rec_size)))
            st = wr_fail(err, WR_E_NO_MEMORY, "out of memory for an index record");
        if (!st)
            st = read_indx(x, e.sub_vcn, buf, err);
        if (!st)
            st = node_init(x, &n, buf + 0x18, x->rec_size - 0x18, "sub", err);
    }
    wr_free(buf);
    return st;
}

struct walker {
    struct ix *x;
    wr_status (*fn)(void *arg, const uint8_t *entry, uint32_t len);
    void *arg;
};

static wr_status walk_node(struct walker *w, struct node n, unsigned depth,
                           struct wr_err *err);

static wr_status walk_sub(struct walker *w, uint64_t vcn, unsigned depth, struct wr_err *err)
{
    struct ix *x = w->x;
    uint64_t idx;
    uint8_t *buf;
    struct node n;
    wr_status st;

    if (depth >= WR_NTFS_MAX_DEPTH)
        return wr_fail(err, WR_E_TOO_BIG, "%s: directory %llu: index deeper than %u levels",
                       x->v->name, (unsigned long long)x->recno, WR_NTFS_MAX_DEPTH);
    if (!x->has_alloc || vcn > UINT64_MAX / x->vcn_unit)
        return read_indx(x, vcn, NULL, err);
    idx = vcn * x->vcn_unit / x->rec_size;
    if (idx < x->nrecs) {
        if (x->seen[idx / 8] & (1u << (idx % 8)))
            return wr_fail(err, WR_E_CORRUPT, "%s: directory %llu: index record VCN %llu is "
                           "reached twice", x->v->name, (unsigned long long)x->recno,
                           (unsigned long long)vcn);
        x->seen[idx / 8] |= (uint8_t)(1u << (idx % 8));
    }
    buf = wr_alloc(x->rec_size);
    if (!buf)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory for an index record");
    st = read_indx(x, vcn, buf, err);
    if (!st)
        st = node_init(x, &n, buf + 0x18, x->rec_size - 0x18, "sub", err);
    if (!st)
        st = walk_node(w, n, depth + 1, err);
    wr_free(buf);
    return st;
}

static wr_status walk_node(struct walker *w, struct node n, unsigned depth, struct wr_err *err)
{
    struct entry e;
    wr_status st;

    for (;;) {
        st = node_next(w->x, &n, &e, err);
        if (!st && (e.flags & IE_SUBNODE))
            st = walk_sub(w, e.sub_vcn, depth, err);
        if (st || (e.flags & IE_LAST))
            return st;
        st = w->fn(w->arg, e.p + 16, wr_le16(e.p + 10));
        if (st)
            return st;
    }
}

wr_status wr_ntfs_dir_walk(struct wr_ntfs *v, const struct ntfs_inode *dir,
                        wr_status (*fn)(void *arg, const uint8_t *entry, uint32_t len),
                        void *arg, struct wr_err *err)
{
    struct ix x;
    struct walker w = { &x, fn, arg };
    struct node n;
    wr_status st = ix_open(v, dir, &x, err);

    if (!st && x.has_alloc && !(x.seen = wr_alloc((size_t)(x.nrecs / 8 + 1))))
        st = wr_fail(err, WR_E_NO_MEMORY, "out of memory for an index walk");
    if (!st)
        st = node_init(&x, &n, x.root.value + 16, x.root.value_len - 16, "root", err);
    if (!st)
        st = walk_node(&w, n, 0, err);
    ix_free(&x);
    return st;
}

/* Without a usable $UpCase the tree order is unknown: scan every entry. */
struct scan {
    const uint8_t *name;
    size_t len;
    uint64_t ref;
    bool found;
};

static uint16_t ascii_up(uint16_t c)
{
    return c >= 'a' && c <= 'z' ? (uint16_t)(c - 32) : c;
}

static wr_status scan_one(void *arg, const uint8_t *key, uint32_t len)
{
    struct scan *s = arg;

    (void)len;
    if (key[0x40] != s->len)
        return WR_OK;
    for (size_t i = 0; i < s->len; i++)
        if (ascii_up(wr_le16(key + 0x42 + 2 * i)) != ascii_up(wr_le16(s->name + 2 * i)))
            return WR_OK;
    s->ref = wr_le64(key - 16);
    s->found = true;
    return WR_E_EXISTS;
}

wr_status wr_ntfs_dir_lookup(struct wr_ntfs *v, const struct ntfs_inode *dir, const uint8_t *name,
                          size_t name_len, uint64_t *ref, struct wr_err *err)
{
    struct ix x;
    wr_status st;

    if (!v->upcase) {
        struct scan s = { name, name_len, 0, false };
        st = wr_ntfs_dir_walk(v, dir, scan_one, &s, err);
        if (s.found) {
            *ref = s.ref;
            return WR_OK;
        }
        return st ? st : WR_E_NOT_FOUND;
    }
    st = ix_open(v, dir, &x, err);
    if (!st)
        st = tree_lookup(&x, name, name_len, ref, err);
    ix_free(&x);
    return st;
}
