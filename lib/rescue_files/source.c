/* The two sources of a rescue: lib/ntfs (the real one) and any wr_volume. */
#include "ntfs/ntfs.h"
#include "rescue_files/rescue_files.h"

#define VOLUME_FILE_MAX (256u << 20)
/* Tags with this bit name another file (junction, symlink, ...); WOF and
 * the rest hold the file's own data, which lib/ntfs reads or refuses. */
#define REPARSE_NAME_SURROGATE 0x20000000u

struct ntfs_relay {
    wr_rf_visit visit;
    void *arg;
};

static wr_status ntfs_relay_one(void *arg, const struct wr_ntfs_dirent *d)
{
    struct ntfs_relay *r = arg;
    struct wr_rf_entry e = { d->name, d->is_dir, (d->reparse_tag & REPARSE_NAME_SURROGATE) != 0,
                             d->size };

    /* $Extend, $MFT...: metadata, only ever seen at the root. */
    if (d->name[0] == '$')
        return WR_OK;
    return r->visit(r->arg, &e);
}

static wr_status ntfs_list(void *ctx, const char *path, wr_rf_visit visit, void *arg,
                           struct wr_err *err)
{
    struct ntfs_relay r = { visit, arg };
    return wr_ntfs_list(ctx, path, 0, ntfs_relay_one, &r, err);
}

static wr_status ntfs_open(void *ctx, const char *path, void **file, uint64_t *size,
                           struct wr_err *err)
{
    struct wr_ntfs_file *f;
    wr_status st = wr_ntfs_file_open(ctx, path, &f, err);

    if (st)
        return st;
    *file = f;
    *size = wr_ntfs_file_size(f);
    return WR_OK;
}

static wr_status ntfs_read(void *file, uint64_t offset, void *buf, size_t len,
                           struct wr_err *err)
{
    return wr_ntfs_file_read(file, offset, buf, len, err);
}

static void ntfs_close(void *file)
{
    wr_ntfs_file_close(file);
}

static const struct wr_rf_source_ops ntfs_ops = { ntfs_list, ntfs_open, ntfs_read, ntfs_close };

void wr_rf_ntfs_source(struct wr_ntfs *v, struct wr_rf_source *out)
{
    out->ops = &ntfs_ops;
    out->ctx = v;
}

struct vol_relay {
    wr_rf_visit visit;
    void *arg;
};

static wr_status vol_relay_one(void *arg, const struct wr_dirent *d)
{
    struct vol_relay *r = arg;
    struct wr_rf_entry e = { d->name, d->is_dir, false, d->size };

    return r->visit(r->arg, &e);
}

static wr_status vol_list(void *ctx, const char *path, wr_rf_visit visit, void *arg,
                          struct wr_err *err)
{
    struct vol_relay r = { visit, arg };
    return wr_volume_list_dir(ctx, path, vol_relay_one, &r, err);
}

struct vol_file {
    uint8_t *data;
    size_t len;
};

static wr_status vol_open(void *ctx, const char *path, void **file, uint64_t *size,
                          struct wr_err *err)
{
    struct vol_file *f = wr_alloc(sizeof *f);
    wr_status st;

    if (!f)
        return wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory", path);
    st = wr_volume_read_file(ctx, path, VOLUME_FILE_MAX, &f->data, &f->len, err);
    if (st) {
        wr_free(f);
        return st;
    }
    *file = f;
    *size = f->len;
    return WR_OK;
}

static wr_status vol_read(void *file, uint64_t offset, void *buf, size_t len,
                          struct wr_err *err)
{
    struct vol_file *f = file;

    if (offset > f->len || len > f->len - offset)
        return wr_fail(err, WR_E_INVALID, "read past the end of a file");
    memcpy(buf, f->data + offset, len);
    return WR_OK;
}

static void vol_close(void *file)
{
    struct vol_file *f = file;

    wr_free(f->data);
    wr_free(f);
}

static const struct wr_rf_source_ops vol_ops = { vol_list, vol_open, vol_read, vol_close };

void wr_rf_volume_source(const struct wr_volume *vol, struct wr_rf_source *out)
{
    out->ops = &vol_ops;
    out->ctx = (void *)vol;
}
