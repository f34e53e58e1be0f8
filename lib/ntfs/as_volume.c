/* A read-only wr_volume over an open NTFS volume, for code that works on
 * any filesystem (the finder, the engine). */
#include "ntfs/internal.h"

static wr_status vol_read_file(void *ctx, const char *path, size_t max_len, uint8_t **data,
                               size_t *len, struct wr_err *err)
{
    return wr_ntfs_read_file(ctx, path, max_len, data, len, err);
}

static void last_component(const char *path, char *out, size_t size)
{
    const char *p = path, *start = path;
    size_t n;

    for (; *p; p++)
        if ((*p == '\\' || *p == '/') && p[1])
            start = p + 1;
    n = strlen(start);
    while (n && (start[n - 1] == '\\' || start[n - 1] == '/'))
        n--;
    if (n >= size)
        n = size - 1;
    memcpy(out, start, n);
    out[n] = '\0';
}

static wr_status vol_stat(void *ctx, const char *path, struct wr_dirent *out,
                          struct wr_err *err)
{
    struct wr_ntfs_stat s;
    wr_status st = wr_ntfs_stat(ctx, path, &s, err);

    if (st)
        return st;
    memset(out, 0, sizeof *out);
    last_component(path, out->name, sizeof out->name);
    out->is_dir = s.is_dir;
    out->size = s.size;
    return WR_OK;
}

struct relay {
    wr_dir_visit visit;
    void *arg;
};

static wr_status relay_one(void *arg, const struct wr_ntfs_dirent *e)
{
    struct relay *r = arg;
    struct wr_dirent d;

    memset(&d, 0, sizeof d);
    memcpy(d.name, e->name, sizeof e->name < sizeof d.name ? sizeof e->name : sizeof d.name);
    d.name[sizeof d.name - 1] = '\0';
    d.is_dir = e->is_dir;
    d.size = e->size;
    return r->visit(r->arg, &d);
}

static wr_status vol_list_dir(void *ctx, const char *path, wr_dir_visit visit, void *arg,
                              struct wr_err *err)
{
    struct relay r = { visit, arg };
    return wr_ntfs_list(ctx, path, 0, relay_one, &r, err);
}

static const struct wr_volume_ops ntfs_ops = {
    .read_file = vol_read_file,
    .stat = vol_stat,
    .list_dir = vol_list_dir,
};

void wr_ntfs_as_volume(struct wr_ntfs *v, const char *name, struct wr_volume *out)
{
    out->name = name;
    out->ops = &ntfs_ops;
    out->ctx = v;
}
