#include "base/subvol.h"

#include "base/fmt.h"

/* prefix + path into buf; a path that no longer fits is refused rather
 * than cut, so a write can never land on a shorter, different name. */
static wr_status full(const struct wr_subvol *s, const char *path, char buf[WR_NAME_MAX],
                      struct wr_err *err)
{
    size_t p = strlen(s->prefix), n = strlen(path);

    if (p == 0 || s->prefix[0] != '\\')
        return wr_fail(err, WR_E_INVALID, "%s: no folder to view", s->name);
    if (path[0] != '\\' && path[0] != '/')
        return wr_fail(err, WR_E_INVALID, "%s: %s is not an absolute path", s->name, path);
    if (p + n >= WR_NAME_MAX)
        return wr_fail(err, WR_E_TOO_BIG, "%s: path too long: %s%s", s->name, s->prefix,
                       path);
    memcpy(buf, s->prefix, p);
    /* "\" alone is the folder itself. */
    if (n == 1)
        buf[p] = '\0';
    else
        memcpy(buf + p, path, n + 1);
    return WR_OK;
}

static wr_status sv_read_file(void *ctx, const char *path, size_t max_len, uint8_t **data,
                              size_t *len, struct wr_err *err)
{
    struct wr_subvol *s = ctx;
    char buf[WR_NAME_MAX];
    wr_status st = full(s, path, buf, err);

    return st ? st : wr_volume_read_file(s->inner, buf, max_len, data, len, err);
}

static wr_status sv_stat(void *ctx, const char *path, struct wr_dirent *out,
                         struct wr_err *err)
{
    struct wr_subvol *s = ctx;
    char buf[WR_NAME_MAX];
    wr_status st = full(s, path, buf, err);

    return st ? st : wr_volume_stat(s->inner, buf, out, err);
}

static wr_status sv_list_dir(void *ctx, const char *path, wr_dir_visit visit, void *arg,
                             struct wr_err *err)
{
    struct wr_subvol *s = ctx;
    char buf[WR_NAME_MAX];
    wr_status st = full(s, path, buf, err);

    return st ? st : wr_volume_list_dir(s->inner, buf, visit, arg, err);
}

static wr_status sv_write_file(void *ctx, const char *path, const uint8_t *data, size_t len,
                               struct wr_err *err)
{
    struct wr_subvol *s = ctx;
    char buf[WR_NAME_MAX];
    wr_status st = full(s, path, buf, err);

    return st ? st : wr_volume_write_file(s->inner, buf, data, len, err);
}

static wr_status sv_write_at(void *ctx, const char *path, uint64_t offset, const uint8_t *data,
                             size_t len, struct wr_err *err)
{
    struct wr_subvol *s = ctx;
    char buf[WR_NAME_MAX];
    wr_status st = full(s, path, buf, err);

    return st ? st : wr_volume_write_at(s->inner, buf, offset, data, len, err);
}

static wr_status sv_rename(void *ctx, const char *from, const char *to, struct wr_err *err)
{
    struct wr_subvol *s = ctx;
    char a[WR_NAME_MAX], b[WR_NAME_MAX];
    wr_status st = full(s, from, a, err);

    if (!st)
        st = full(s, to, b, err);
    return st ? st : wr_volume_rename(s->inner, a, b, err);
}

static wr_status sv_remove(void *ctx, const char *path, struct wr_err *err)
{
    struct wr_subvol *s = ctx;
    char buf[WR_NAME_MAX];
    wr_status st = full(s, path, buf, err);

    return st ? st : wr_volume_remove(s->inner, buf, err);
}

static wr_status sv_make_dir(void *ctx, const char *path, struct wr_err *err)
{
    struct wr_subvol *s = ctx;
    char buf[WR_NAME_MAX];
    wr_status st = full(s, path, buf, err);

    return st ? st : wr_volume_make_dir(s->inner, buf, err);
}

static const struct wr_volume_ops subvol_ops = {
    .read_file = sv_read_file,
    .stat = sv_stat,
    .list_dir = sv_list_dir,
    .write_file = sv_write_file,
    .write_at = sv_write_at,
    .rename = sv_rename,
    .remove = sv_remove,
    .make_dir = sv_make_dir,
};

void wr_subvol_init(struct wr_subvol *s, const struct wr_volume *inner, const char *prefix,
                    const char *name)
{
    size_t n = strlen(prefix);

    memset(s, 0, sizeof *s);
    s->inner = inner;
    wr_format(s->name, sizeof s->name, "%s", name);
    if (n < sizeof s->prefix) {
        memcpy(s->prefix, prefix, n + 1);
        while (n > 1 && (s->prefix[n - 1] == '\\' || s->prefix[n - 1] == '/'))
            s->prefix[--n] = '\0';
    }
    s->vol.name = s->name;
    s->vol.ops = &subvol_ops;
    s->vol.ctx = s;
}
