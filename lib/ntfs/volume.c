/* Opening a volume (boot sector, $MFT, $UpCase, $Volume), stat, list and
 * the volume state facts. */
#include "base/utf16.h"
#include "ntfs/describe.h"

static wr_status read_boot(struct wr_ntfs *v, struct wr_err *err)
{
    uint8_t bs[512];
    uint64_t bytes = wr_blockdev_size_bytes(v->dev);
    enum wr_ntfs_kind kind;
    struct wr_err backup_err;
    wr_status st;

    st = wr_blockdev_read_bytes(v->dev, 0, sizeof bs, bs, err);
    if (st)
        return st;
    kind = wr_ntfs_sniff(bs, sizeof bs);
    if (kind == WR_NTFS_KIND_BITLOCKER || kind == WR_NTFS_KIND_BITLOCKER_TOGO)
        return wr_fail(err, WR_E_UNSUPPORTED, "%s: BitLocker-encrypted volume: encrypted, "
                       "cannot be read without unlocking", v->name);
    if (kind == WR_NTFS_KIND_REFS)
        return wr_fail(err, WR_E_UNSUPPORTED, "%s: ReFS volume: unsupported filesystem", v->name);
    st = wr_ntfs_boot_parse(v, bs, bytes, err);
    if (!st)
        return WR_OK;
    /* The backup boot sector is the volume's last sector, in NTFS's own
     * sector size (512 or 4096), which need not be the device's. */
    for (uint64_t back = 512; back <= 4096 && bytes >= 2 * back; back *= 8) {
        if (wr_blockdev_read_bytes(v->dev, bytes - back, sizeof bs, bs, &backup_err) == WR_OK &&
            wr_ntfs_boot_parse(v, bs, bytes, &backup_err) == WR_OK) {
            v->used_backup_boot = true;
            return WR_OK;
        }
    }
    if (kind != WR_NTFS_KIND_NTFS)
        return wr_fail(err, WR_E_UNSUPPORTED, "%s: not an NTFS volume", v->name);
    return st;
}

static void read_volume_record(struct wr_ntfs *v)
{
    struct ntfs_inode ino;
    struct ntfs_stream s;

    if (wr_ntfs_inode_load(v, REC_VOLUME, false, &ino, NULL))
        return;
    if (!wr_ntfs_stream_load(v, &ino, AT_VOLUME_INFORMATION, NULL, 0, &s, NULL)) {
        if (!s.nonres && s.value_len >= 12) {
            v->major = s.value[8];
            v->minor = s.value[9];
            v->volume_flags = wr_le16(s.value + 10);
        }
        wr_ntfs_stream_free(&s);
    }
    if (!wr_ntfs_stream_load(v, &ino, AT_VOLUME_NAME, NULL, 0, &s, NULL)) {
        if (!s.nonres)
            wr_utf16le_to_utf8(s.value, s.value_len / 2, v->label, sizeof v->label,
                               WR_UTF16_REPLACE);
        wr_ntfs_stream_free(&s);
    }
    wr_ntfs_inode_free(&ino);
}

wr_status wr_ntfs_open(const struct wr_blockdev *dev, struct wr_ntfs **out, struct wr_err *err)
{
    struct wr_ntfs *v = wr_alloc(sizeof *v);
    wr_status st;

    if (!v)
        return wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory", dev->name);
    v->dev = dev;
    v->name = dev->name;
    st = read_boot(v, err);
    if (!st)
        st = wr_ntfs_mft_bootstrap(v, err);
    if (st) {
        wr_ntfs_close(v);
        return st;
    }
    /* A damaged $UpCase is survivable: lookups fall back to scanning. */
    if (wr_ntfs_upcase_load(v, NULL) != WR_OK) {
        wr_free(v->upcase);
        v->upcase = NULL;
    }
    read_volume_record(v);
    *out = v;
    return WR_OK;
}

void wr_ntfs_close(struct wr_ntfs *v)
{
    if (!v)
        return;
    wr_ntfs_runs_free(&v->mft);
    wr_free(v->upcase);
    wr_free(v);
}

void wr_ntfs_get_info(const struct wr_ntfs *v, struct wr_ntfs_info *out)
{
    memset(out, 0, sizeof *out);
    out->sector_size = v->sector_size;
    out->cluster_size = v->cluster_size;
    out->record_size = v->record_size;
    out->index_record_size = v->index_size;
    out->cluster_count = v->cluster_count;
    out->mft_records = v->mft_records;
    for (size_t i = 0; i < v->mft.count; i++)
        out->mft_runs += v->mft.runs[i].lcn >= 0;
    out->mft_has_attr_list = v->mft_has_attr_list;
    out->used_backup_boot = v->used_backup_boot;
    out->upcase_ok = v->upcase != NULL;
    out->major = v->major;
    out->minor = v->minor;
    out->volume_flags = v->volume_flags;
    out->dirty = v->volume_flags & 0x0001;
    memcpy(out->label, v->label, sizeof out->label);
    out->serial = v->serial;
}

wr_status wr_ntfs_stat(struct wr_ntfs *v, const char *path, struct wr_ntfs_stat *out,
                       struct wr_err *err)
{
    struct ntfs_inode ino;
    struct ntfs_stream data;
    wr_status st = wr_ntfs_path_resolve(v, path, &ino, err);

    if (st)
        return st;
    st = wr_ntfs_describe(v, &ino, out, &data, err);
    wr_ntfs_stream_free(&data);
    wr_ntfs_inode_free(&ino);
    return st;
}

struct lister {
    wr_ntfs_visit visit;
    void *arg;
    unsigned flags;
};

static wr_status list_one(void *arg, const uint8_t *key, uint32_t len)
{
    struct lister *l = arg;
    struct wr_ntfs_dirent e;

    (void)len;
    memset(&e, 0, sizeof e);
    e.name_space = key[0x41];
    if (e.name_space == WR_NTFS_NS_DOS && !(l->flags & WR_NTFS_LIST_DOS))
        return WR_OK;
    /* The root indexes itself as "."; it is not a child. */
    if (key[0x40] == 1 && wr_le16(key + 0x42) == '.')
        return WR_OK;
    e.ref = wr_le64(key - 16);
    e.size = wr_le64(key + 0x30);
    e.attributes = wr_le32(key + 0x38);
    e.is_dir = e.attributes & FN_ATTR_DIRECTORY;
    if (e.attributes & FILE_ATTR_REPARSE)
        e.reparse_tag = wr_le32(key + 0x3C);
    wr_utf16le_to_utf8(key + 0x42, key[0x40], e.name, sizeof e.name, 0);
    return l->visit(l->arg, &e);
}

wr_status wr_ntfs_list(struct wr_ntfs *v, const char *path, unsigned flags,
                       wr_ntfs_visit visit, void *arg, struct wr_err *err)
{
    struct ntfs_inode ino;
    struct lister l = { visit, arg, flags };
    wr_status st = wr_ntfs_path_resolve(v, path, &ino, err);

    if (st)
        return st;
    if (!(ino.rec_flags & REC_IS_DIR))
        st = wr_fail(err, WR_E_INVALID, "%s: %s is not a directory", v->name, path);
    else if (wr_ntfs_inode_has(v, &ino, AT_REPARSE_POINT))
        st = wr_fail(err, WR_E_REFUSED, "%s: %s is a junction or link, not followed", v->name,
                     path);
    else
        st = wr_ntfs_dir_walk(v, &ino, list_one, &l, err);
    wr_ntfs_inode_free(&ino);
    return st;
}

enum wr_ntfs_hiber wr_ntfs_hibernation(struct wr_ntfs *v)
{
    struct wr_ntfs_file *f;
    struct wr_err err;
    uint8_t head[4] = { 0 };
    wr_status st = wr_ntfs_file_open(v, "\\hiberfil.sys", &f, &err);

    if (st == WR_E_NOT_FOUND)
        return WR_NTFS_HIBER_NONE;
    if (st)
        return WR_NTFS_HIBER_UNKNOWN;
    if (wr_ntfs_file_size(f) < sizeof head) {
        wr_ntfs_file_close(f);
        return WR_NTFS_HIBER_NONE;
    }
    st = wr_ntfs_file_read(f, 0, head, sizeof head, &err);
    wr_ntfs_file_close(f);
    if (st)
        return WR_NTFS_HIBER_UNKNOWN;
    if (!memcmp(head, "hibr", 4) || !memcmp(head, "HIBR", 4))
        return WR_NTFS_HIBER_ACTIVE;
    if (!memcmp(head, "wake", 4) || !memcmp(head, "WAKE", 4) || !memcmp(head, "RSTR", 4) ||
        !memcmp(head, "rstr", 4))
        return WR_NTFS_HIBER_RESUMED;
    if (!memcmp(head, "\0\0\0\0", 4))
        return WR_NTFS_HIBER_NONE;
    return WR_NTFS_HIBER_UNKNOWN;
}

const char *wr_ntfs_hiber_name(enum wr_ntfs_hiber h)
{
    switch (h) {
    case WR_NTFS_HIBER_NONE: return "not hibernated";
    case WR_NTFS_HIBER_ACTIVE: return "hibernated (or Fast Startup)";
    case WR_NTFS_HIBER_RESUMED: return "resumed";
    default: return "unknown";
    }
}
