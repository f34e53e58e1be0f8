#include "base/volume.h"

static wr_status unsupported(const struct wr_volume *v, const char *what, struct wr_err *err)
{
    return wr_fail(err, WR_E_UNSUPPORTED, "%s: this volume cannot %s", v->name, what);
}

wr_status wr_volume_read_file(const struct wr_volume *v, const char *path, size_t max_len,
                              uint8_t **data, size_t *len, struct wr_err *err)
{
    if (!v->ops->read_file)
        return unsupported(v, "read files", err);
    return v->ops->read_file(v->ctx, path, max_len, data, len, err);
}

wr_status wr_volume_stat(const struct wr_volume *v, const char *path,
                         struct wr_dirent *out, struct wr_err *err)
{
    if (!v->ops->stat)
        return unsupported(v, "look up files", err);
    return v->ops->stat(v->ctx, path, out, err);
}

bool wr_volume_exists(const struct wr_volume *v, const char *path)
{
    struct wr_dirent e;
    return wr_volume_stat(v, path, &e, NULL) == WR_OK;
}

wr_status wr_volume_list_dir(const struct wr_volume *v, const char *path,
                             wr_dir_visit visit, void *arg, struct wr_err *err)
{
    if (!v->ops->list_dir)
        return unsupported(v, "list directories", err);
    return v->ops->list_dir(v->ctx, path, visit, arg, err);
}

wr_status wr_volume_write_file(const struct wr_volume *v, const char *path,
                               const uint8_t *data, size_t len, struct wr_err *err)
{
    if (!v->ops->write_file)
        return unsupported(v, "write files", err);
    return v->ops->write_file(v->ctx, path, data, len, err);
}

wr_status wr_volume_write_at(const struct wr_volume *v, const char *path, uint64_t offset,
                             const uint8_t *data, size_t len, struct wr_err *err)
{
    if (!v->ops->write_at)
        return unsupported(v, "write in place", err);
    return v->ops->write_at(v->ctx, path, offset, data, len, err);
}

wr_status wr_volume_rename(const struct wr_volume *v, const char *from, const char *to,
                           struct wr_err *err)
{
    if (!v->ops->rename)
        return unsupported(v, "rename files", err);
    return v->ops->rename(v->ctx, from, to, err);
}

wr_status wr_volume_remove(const struct wr_volume *v, const char *path, struct wr_err *err)
{
    if (!v->ops->remove)
        return unsupported(v, "remove files", err);
    return v->ops->remove(v->ctx, path, err);
}

wr_status wr_volume_make_dir(const struct wr_volume *v, const char *path, struct wr_err *err)
{
    if (!v->ops->make_dir)
        return unsupported(v, "create directories", err);
    return v->ops->make_dir(v->ctx, path, err);
}

wr_status wr_volume_ensure_dir(const struct wr_volume *v, const char *path, struct wr_err *err)
{
    wr_status st;

    if (wr_volume_exists(v, path))
        return WR_OK;
    st = wr_volume_make_dir(v, path, err);
    if (st == WR_E_EXISTS) {
        wr_err_clear(err);
        return WR_OK;
    }
    return st;
}
