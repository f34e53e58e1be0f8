/* Bootstrapping $MFT's own runlist: record 0 maps the start of the MFT, and
 * when $MFT is heavily fragmented its attribute list names extent records
 * that must lie inside the part already mapped (ntfs.md §6). */
#include "ntfs/internal.h"

static wr_status read_record0(struct wr_ntfs *v, uint8_t *rec, uint32_t *in_use,
                              struct wr_err *err)
{
    wr_status st;
    struct wr_err first;

    st = wr_blockdev_read_bytes(v->dev, v->mft_lcn << v->cluster_shift, v->record_size, rec,
                                &first);
    if (!st)
        st = wr_ntfs_record_check(v, rec, 0, in_use, &first);
    if (!st)
        return WR_OK;
    /* $MFTMirr holds copies of the first records. */
    st = wr_blockdev_read_bytes(v->dev, v->mftmirr_lcn << v->cluster_shift, v->record_size,
                                rec, err);
    if (!st)
        st = wr_ntfs_record_check(v, rec, 0, in_use, err);
    if (st) {
        wr_fail(err, st, "%s ($MFTMirr is bad too)", first.msg);
        return st;
    }
    return WR_OK;
}

static wr_status first_slice(struct wr_ntfs *v, const uint8_t *rec, uint32_t in_use,
                             uint64_t *data_size, struct wr_err *err)
{
    uint32_t pos = 0;
    struct ntfs_attr a;
    wr_status st;

    while ((st = wr_ntfs_attr_next(rec, in_use, &pos, &a, 0, err)) == WR_OK) {
        if (a.type == AT_DATA && a.name_len == 0 && a.nonres && a.lowest_vcn == 0) {
            if (a.flags & (ATTR_COMPRESSED | ATTR_ENCRYPTED | ATTR_SPARSE))
                return wr_fail(err, WR_E_CORRUPT, "%s: $MFT data is compressed or sparse",
                               v->name);
            *data_size = a.data_size;
            return wr_ntfs_runs_decode(v, &a, &v->mft, err);
        }
    }
    if (st == WR_E_NOT_FOUND)
        st = wr_fail(err, WR_E_CORRUPT, "%s: $MFT record has no non-resident $DATA", v->name);
    return st;
}

static void set_records(struct wr_ntfs *v, uint64_t data_size)
{
    uint64_t mapped = v->mft.vcns > (UINT64_MAX >> v->cluster_shift) ? UINT64_MAX
                      : v->mft.vcns << v->cluster_shift;
    v->mft_records = (data_size < mapped ? data_size : mapped) / v->record_size;
}

/* One $DATA slice named by the attribute list, read through the part of the
 * runlist already known. */
static wr_status extent_slice(struct wr_ntfs *v, const uint8_t *e, uint16_t seq0, uint8_t *ext,
                              struct wr_err *err)
{
    uint64_t ref = wr_le64(e + 0x10);
    uint32_t pos = 0, in_use;
    struct ntfs_attr a;
    wr_status st;

    if (MREF(ref) >= v->mft_records)
        return wr_fail(err, WR_E_CORRUPT, "%s: $MFT extent record %llu lies outside the part of "
                       "the MFT mapped so far", v->name, (unsigned long long)MREF(ref));
    st = wr_ntfs_record_read(v, MREF(ref), ext, &in_use, err);
    if (st)
        return st;
    if (!(wr_le16(ext + 0x16) & REC_IN_USE) || wr_le64(ext + 0x20) != (uint64_t)seq0 << 48)
        return wr_fail(err, WR_E_CORRUPT, "%s: $MFT extent record %llu does not belong to $MFT",
                       v->name, (unsigned long long)MREF(ref));
    while ((st = wr_ntfs_attr_next(ext, in_use, &pos, &a, MREF(ref), err)) == WR_OK) {
        if (a.type == AT_DATA && a.name_len == 0 && a.nonres && a.instance == wr_le16(e + 0x18))
            return wr_ntfs_runs_decode(v, &a, &v->mft, err);
    }
    if (st == WR_E_NOT_FOUND)
        st = wr_fail(err, WR_E_CORRUPT, "%s: $MFT extent record %llu lacks its $DATA slice",
                     v->name, (unsigned long long)MREF(ref));
    return st;
}

static wr_status follow_list(struct wr_ntfs *v, const struct ntfs_inode *ino, uint64_t data_size,
                             struct wr_err *err)
{
    uint8_t *ext = wr_alloc(v->record_size);
    uint32_t pos = 0;
    wr_status st = WR_OK;

    if (!ext)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory for an MFT record");
    while (!st && pos < ino->alist_len) {
        const uint8_t *e = ino->alist + pos;

        pos += wr_le16(e + 4);
        if (wr_le32(e) != AT_DATA || e[6] != 0 || wr_le64(e + 8) == 0)
            continue;
        if (wr_le64(e + 8) != v->mft.vcns)
            st = wr_fail(err, WR_E_CORRUPT, "%s: $MFT attribute list: slice at VCN %llu, "
                         "expected %llu", v->name, (unsigned long long)wr_le64(e + 8),
                         (unsigned long long)v->mft.vcns);
        else if (!(st = extent_slice(v, e, ino->seq, ext, err)))
            set_records(v, data_size);
    }
    wr_free(ext);
    return st;
}

wr_status wr_ntfs_mft_bootstrap(struct wr_ntfs *v, struct wr_err *err)
{
    struct ntfs_inode ino = { 0 };
    uint64_t data_size = 0;
    wr_status st;

    ino.rec = wr_alloc(v->record_size);
    if (!ino.rec)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory for an MFT record");
    st = read_record0(v, ino.rec, &ino.in_use, err);
    ino.seq = wr_le16(ino.rec + 0x10);
    if (!st && (!(wr_le16(ino.rec + 0x16) & REC_IN_USE) || wr_le64(ino.rec + 0x20)))
        st = wr_fail(err, WR_E_CORRUPT, "%s: $MFT record is not an in-use base record", v->name);
    if (!st)
        st = first_slice(v, ino.rec, ino.in_use, &data_size, err);
    if (!st) {
        set_records(v, data_size);
        st = wr_ntfs_inode_load_alist(v, &ino, err);
    }
    if (!st && ino.alist) {
        v->mft_has_attr_list = true;
        st = follow_list(v, &ino, data_size, err);
    }
    if (!st && !ntfs_covers(v, v->mft.vcns, data_size))
        st = wr_fail(err, WR_E_CORRUPT, "%s: $MFT is %llu bytes but its runlist maps %llu "
                     "clusters", v->name, (unsigned long long)data_size,
                     (unsigned long long)v->mft.vcns);
    if (!st && v->mft_records <= REC_UPCASE)
        st = wr_fail(err, WR_E_CORRUPT, "%s: $MFT has only %llu records", v->name,
                     (unsigned long long)v->mft_records);
    wr_ntfs_inode_free(&ino);
    return st;
}
