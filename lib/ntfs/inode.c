/* A file's base record and its attributes, gathered through the attribute
 * list from extent records when the base record overflowed. */
#include "ntfs/internal.h"

static wr_status check_alist(const struct ntfs_inode *ino, struct wr_err *err)
{
    uint32_t pos = 0;

    while (pos < ino->alist_len) {
        const uint8_t *e = ino->alist + pos;
        uint16_t len;

        if (ino->alist_len - pos < 0x1A)
            return wr_fail(err, WR_E_CORRUPT, "MFT record %llu: attribute list entry at %u is "
                           "cut off", (unsigned long long)ino->recno, pos);
        len = wr_le16(e + 4);
        if (len < 0x1A || len % 8 || len > ino->alist_len - pos ||
            (e[6] && !wr_span_ok(e[7], 2u * e[6], len)))
            return wr_fail(err, WR_E_CORRUPT, "MFT record %llu: attribute list entry at %u "
                           "has length %u", (unsigned long long)ino->recno, pos, len);
        pos += len;
    }
    return WR_OK;
}

/* The list itself is found in the base record only; a non-resident list's
 * clusters come from its own runlist there. */
wr_status wr_ntfs_inode_load_alist(struct wr_ntfs *v, struct ntfs_inode *ino, struct wr_err *err)
{
    uint32_t pos = 0;
    struct ntfs_attr a;
    wr_status st;

    while ((st = wr_ntfs_attr_next(ino->rec, ino->in_use, &pos, &a, ino->recno, err)) == WR_OK) {
        struct ntfs_runlist rl = { 0 };

        if (a.type != AT_ATTRIBUTE_LIST)
            continue;
        if (!a.nonres) {
            if (a.value_len > WR_NTFS_MAX_ATTR_LIST)
                break;
            ino->alist = wr_alloc(a.value_len ? a.value_len : 1);
            if (!ino->alist)
                return wr_fail(err, WR_E_NO_MEMORY, "out of memory for an attribute list");
            memcpy(ino->alist, a.value, a.value_len);
            ino->alist_len = a.value_len;
            return check_alist(ino, err);
        }
        if (a.lowest_vcn != 0 || a.data_size > WR_NTFS_MAX_ATTR_LIST || a.flags)
            return wr_fail(err, WR_E_CORRUPT, "MFT record %llu: non-resident attribute list "
                           "invalid (size %llu, flags 0x%x)", (unsigned long long)ino->recno,
                           (unsigned long long)a.data_size, a.flags);
        st = wr_ntfs_runs_decode(v, &a, &rl, err);
        if (!st && !ntfs_covers(v, rl.vcns, a.data_size))
            st = wr_fail(err, WR_E_CORRUPT, "MFT record %llu: attribute list larger than its "
                         "clusters", (unsigned long long)ino->recno);
        if (!st) {
            ino->alist = wr_alloc(a.data_size ? (size_t)a.data_size : 1);
            ino->alist_len = (uint32_t)a.data_size;
            if (!ino->alist)
                st = wr_fail(err, WR_E_NO_MEMORY, "out of memory for an attribute list");
            else
                st = wr_ntfs_runs_read(v, &rl, 0, ino->alist, ino->alist_len, err);
        }
        wr_ntfs_runs_free(&rl);
        return st ? st : check_alist(ino, err);
    }
    if (st == WR_E_NOT_FOUND)
        return WR_OK;
    if (st == WR_OK)
        return wr_fail(err, WR_E_TOO_BIG, "MFT record %llu: attribute list is too large",
                       (unsigned long long)ino->recno);
    return st;
}

wr_status wr_ntfs_inode_load(struct wr_ntfs *v, uint64_t ref, bool check_seq,
                          struct ntfs_inode *ino, struct wr_err *err)
{
    uint64_t recno = MREF(ref);
    wr_status st;

    memset(ino, 0, sizeof *ino);
    ino->recno = recno;
    ino->rec = wr_alloc(v->record_size);
    if (!ino->rec)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory for an MFT record");
    st = wr_ntfs_record_read(v, recno, ino->rec, &ino->in_use, err);
    if (st)
        goto fail;
    ino->rec_flags = wr_le16(ino->rec + 0x16);
    ino->seq = wr_le16(ino->rec + 0x10);
    ino->link_count = wr_le16(ino->rec + 0x12);
    st = WR_E_NOT_FOUND;
    if (!(ino->rec_flags & REC_IN_USE)) {
        wr_fail(err, st, "%s: MFT record %llu is not in use", v->name, (unsigned long long)recno);
        goto fail;
    }
    if (check_seq && MSEQ(ref) && MSEQ(ref) != ino->seq) {
        wr_fail(err, st, "%s: MFT record %llu has sequence %u, the reference says %u (stale "
                "entry)", v->name, (unsigned long long)recno, ino->seq, MSEQ(ref));
        goto fail;
    }
    if (wr_le64(ino->rec + 0x20) != 0) {
        st = wr_fail(err, WR_E_CORRUPT, "%s: MFT record %llu is an extent, not a file",
                     v->name, (unsigned long long)recno);
        goto fail;
    }
    st = wr_ntfs_inode_load_alist(v, ino, err);
    if (!st)
        return WR_OK;
fail:
    wr_ntfs_inode_free(ino);
    return st;
}

void wr_ntfs_inode_free(struct ntfs_inode *ino)
{
    wr_free(ino->rec);
    wr_free(ino->alist);
    memset(ino, 0, sizeof *ino);
}

void wr_ntfs_stream_free(struct ntfs_stream *s)
{
    wr_free(s->value);
    wr_ntfs_runs_free(&s->rl);
    memset(s, 0, sizeof *s);
}

/* Adds one attribute record (a slice) to the stream being assembled. */
static wr_status add_slice(struct wr_ntfs *v, struct ntfs_stream *s, const struct ntfs_attr *a,
                           struct wr_err *err)
{
    if (s->slices && (!a->nonres || !s->nonres))
        return wr_fail(err, WR_E_CORRUPT, "attribute 0x%x: resident and non-resident copies",
                       a->type);
    s->slices++;
    s->type = a->type;
    s->nonres = a->nonres;
    if (!a->nonres) {
        s->value = wr_alloc(a->value_len ? a->value_len : 1);
        if (!s->value)
            return wr_fail(err, WR_E_NO_MEMORY, "out of memory for an attribute value");
        memcpy(s->value, a->value, a->value_len);
        s->value_len = a->value_len;
        s->flags = a->flags;
        return WR_OK;
    }
    if (a->lowest_vcn == 0) {
        s->flags = a->flags;
        s->cu_log2 = a->cu_log2;
        s->alloc_size = a->alloc_size;
        s->data_size = a->data_size;
        s->init_size = a->init_size;
    }
    return wr_ntfs_runs_decode(v, a, &s->rl, err);
}

static wr_status find_in_record(struct wr_ntfs *v, const uint8_t *rec, uint32_t in_use,
                                uint64_t recno, uint32_t type, const uint8_t *name,
                                size_t name_len, int instance, struct ntfs_stream *s,
                                struct wr_err *err)
{
    uint32_t pos = 0;
    struct ntfs_attr a;
    wr_status st;
    bool found = false;

    while ((st = wr_ntfs_attr_next(rec, in_use, &pos, &a, recno, err)) == WR_OK) {
        if (a.type != type || !wr_ntfs_name_eq(a.name, a.name_len, name, name_len))
            continue;
        if (instance >= 0 && a.instance != instance)
            continue;
        st = add_slice(v, s, &a, err);
        if (st)
            return st;
        found = true;
        if (!a.nonres || instance >= 0)
            return WR_OK;
    }
    if (st != WR_E_NOT_FOUND)
        return st;
    if (!found)
        return wr_fail(err, WR_E_NOT_FOUND, "MFT record %llu: no attribute 0x%x%s",
                       (unsigned long long)recno, type, instance >= 0 ? " of that instance" : "");
    return WR_OK;
}

static wr_status load_from_list(struct wr_ntfs *v, const struct ntfs_inode *ino, uint32_t type,
                                const uint8_t *name, size_t name_len, struct ntfs_stream *s,
                                struct wr_err *err)
{
    uint8_t *ext = NULL;
    uint32_t pos = 0, extents = 0, in_use;
    wr_status st = WR_OK;

    while (!st && pos < ino->alist_len) {
        const uint8_t *e = ino->alist + pos;
        uint64_t ref = wr_le64(e + 0x10);

        pos += wr_le16(e + 4);
        if (wr_le32(e) != type || !wr_ntfs_name_eq(e + e[7], e[6], name, name_len))
            continue;
        if (wr_le64(e + 8) != s->rl.vcns)
            st = wr_fail(err, WR_E_CORRUPT, "MFT record %llu: attribute list slice at VCN %llu, "
                         "expected %llu", (unsigned long long)ino->recno,
                         (unsigned long long)wr_le64(e + 8), (unsigned long long)s->rl.vcns);
        else if (MREF(ref) == ino->recno)
            st = find_in_record(v, ino->rec, ino->in_use, ino->recno, type, name, name_len,
                                wr_le16(e + 0x18), s, err);
        else if (++extents > WR_NTFS_MAX_EXTENTS)
            st = wr_fail(err, WR_E_TOO_BIG, "MFT record %llu: more than %u extent records",
                         (unsigned long long)ino->recno, WR_NTFS_MAX_EXTENTS);
        else {
            if (!ext && !(ext = wr_alloc(v->record_size)))
                st = wr_fail(err, WR_E_NO_MEMORY, "out of memory for an extent record");
            if (!st)
                st = wr_ntfs_record_read(v, MREF(ref), ext, &in_use, err);
            if (!st && (!(wr_le16(ext + 0x16) & REC_IN_USE) ||
                        wr_le64(ext + 0x20) != (ino->recno | (uint64_t)ino->seq << 48) ||
                        (MSEQ(ref) && wr_le16(ext + 0x10) != MSEQ(ref))))
                st = wr_fail(err, WR_E_CORRUPT, "MFT record %llu: extent record %llu does not "
                             "belong to it", (unsigned long long)ino->recno,
                             (unsigned long long)MREF(ref));
            if (!st)
                st = find_in_record(v, ext, in_use, MREF(ref), type, name, name_len,
                                    wr_le16(e + 0x18), s, err);
        }
    }
    wr_free(ext);
    if (!st && !s->slices)
        st = wr_fail(err, WR_E_NOT_FOUND, "MFT record %llu: no attribute 0x%x",
                     (unsigned long long)ino->recno, type);
    return st;
}

wr_status wr_ntfs_stream_load(struct wr_ntfs *v, const struct ntfs_inode *ino, uint32_t type,
                           const uint8_t *name, size_t name_len, struct ntfs_stream *s,
                           struct wr_err *err)
{
    wr_status st;

    memset(s, 0, sizeof *s);
    if (ino->alist)
        st = load_from_list(v, ino, type, name, name_len, s, err);
    else
        st = find_in_record(v, ino->rec, ino->in_use, ino->recno, type, name, name_len, -1, s,
                            err);
    if (!st && s->nonres && !ntfs_covers(v, s->rl.vcns, s->data_size))
        st = wr_fail(err, WR_E_CORRUPT, "MFT record %llu: attribute 0x%x has %llu bytes but "
                     "only %llu clusters", (unsigned long long)ino->recno, type,
                     (unsigned long long)s->data_size, (unsigned long long)s->rl.vcns);
    if (st)
        wr_ntfs_stream_free(s);
    return st;
}

wr_status wr_ntfs_stream_value(struct wr_ntfs *v, const struct ntfs_stream *s, size_t max,
                            uint8_t **out, size_t *len, struct wr_err *err)
{
    uint64_t size = s->nonres ? s->data_size : s->value_len;
    uint8_t *buf;
    wr_status st = WR_OK;

    if (size > max)
        return wr_fail(err, WR_E_TOO_BIG, "attribute 0x%x: %llu bytes is over the limit of %zu",
                       s->type, (unsigned long long)size, max);
    if (s->nonres && (s->flags & (ATTR_COMPRESSED | ATTR_ENCRYPTED)))
        return wr_fail(err, WR_E_UNSUPPORTED, "attribute 0x%x: compressed or encrypted metadata",
                       s->type);
    buf = wr_alloc(size ? (size_t)size : 1);
    if (!buf)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory for %llu bytes",
                       (unsigned long long)size);
    if (!s->nonres) {
        memcpy(buf, s->value, (size_t)size);
    } else {
        uint64_t init = s->init_size < size ? s->init_size : size;
        st = wr_ntfs_runs_read(v, &s->rl, 0, buf, (size_t)init, err);
    }
    if (st) {
        wr_free(buf);
        return st;
    }
    *out = buf;
    *len = (size_t)size;
    return WR_OK;
}
