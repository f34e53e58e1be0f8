/* In-memory volume with a power-cut injector (see memvol.h). */
#include "base/memvol.h"

#define SECTOR 512u

struct mfile {
    char *path;
    uint8_t *data;
    size_t len;
    bool is_dir;
};

struct wr_memvol {
    struct mfile *files;
    size_t count, cap;
    uint64_t left;      /* sectors before the power goes */
    uint64_t written;
    bool lost;
};

static char fold(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool same_n(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fold(a[i]) != fold(b[i]))
            return false;
    return true;
}

static bool same(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && same_n(a, b, n);
}

static struct mfile *find(const struct wr_memvol *mv, const char *path)
{
    for (size_t i = 0; i < mv->count; i++)
        if (same(mv->files[i].path, path))
            return &mv->files[i];
    return NULL;
}

/* Length of the parent part of a path ("\a\b" -> 2, "\b" -> 0). */
static size_t parent_len(const char *path)
{
    size_t n = strlen(path);
    while (n > 0 && path[n - 1] != '\\')
        n--;
    return n ? n - 1 : 0;
}

static bool is_root(const char *path)
{
    return path[0] == 0 || (path[0] == '\\' && path[1] == 0);
}

static struct mfile *add(struct wr_memvol *mv, const char *path, struct wr_err *err)
{
    if (mv->count == mv->cap) {
        size_t cap = mv->cap ? mv->cap * 2 : 8;
        struct mfile *f = wr_realloc(mv->files, cap * sizeof *f);
        if (!f) {
            wr_fail(err, WR_E_NO_MEMORY, "memvol: out of memory");
            return NULL;
        }
        mv->files = f;
        mv->cap = cap;
    }
    size_t n = strlen(path);
    char *p = wr_alloc(n + 1);
    if (!p) {
        wr_fail(err, WR_E_NO_MEMORY, "memvol: out of memory");
        return NULL;
    }
    memcpy(p, path, n);
    struct mfile *f = &mv->files[mv->count++];
    memset(f, 0, sizeof *f);
    f->path = p;
    return f;
}

static void drop(struct wr_memvol *mv, struct mfile *f)
{
    wr_free(f->path);
    wr_free(f->data);
    *f = mv->files[--mv->count];
}

/* Spends the sector budget: returns how many of `want` sectors land. */
static uint64_t spend(struct wr_memvol *mv, uint64_t want)
{
    if (mv->lost)
        return 0;
    uint64_t got = want <= mv->left ? want : mv->left;
    if (mv->left != WR_MEMVOL_NEVER)
        mv->left -= got;
    mv->written += got;
    if (got < want)
        mv->lost = true;
    return got;
}

static wr_status power_fail(const char *path, struct wr_err *err)
{
    return wr_fail(err, WR_E_IO, "%s: write failed (power cut injected)", path);
}

static wr_status set_data(struct mfile *f, const uint8_t *data, size_t len, struct wr_err *err)
{
    uint8_t *p = wr_alloc(len ? len : 1);
    if (!p)
        return wr_fail(err, WR_E_NO_MEMORY, "memvol: out of memory for %zu bytes", len);
    if (len)
        memcpy(p, data, len);
    wr_free(f->data);
    f->data = p;
    f->len = len;
    return WR_OK;
}

/* ------------------------------------------------------------ ops */

static wr_status mv_read_file(void *ctx, const char *path, size_t max_len, uint8_t **data,
                              size_t *len, struct wr_err *err)
{
    struct mfile *f = find(ctx, path);
    if (!f || f->is_dir)
        return wr_fail(err, WR_E_NOT_FOUND, "%s: no such file", path);
    if (f->len > max_len)
        return wr_fail(err, WR_E_TOO_BIG, "%s: %zu bytes, more than %zu", path, f->len, max_len);
    *data = wr_alloc(f->len ? f->len : 1);
    if (!*data)
        return wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory", path);
    if (f->len)
        memcpy(*data, f->data, f->len);
    *len = f->len;
    return WR_OK;
}

static wr_status mv_stat(void *ctx, const char *path, struct wr_dirent *out, struct wr_err *err)
{
    memset(out, 0, sizeof *out);
    if (is_root(path)) {
        out->is_dir = true;
        return WR_OK;
    }
    struct mfile *f = find(ctx, path);
    if (!f)
        return wr_fail(err, WR_E_NOT_FOUND, "%s: no such file", path);
    size_t p = parent_len(path), n = strlen(path) - p - 1;
    if (n >= WR_NAME_MAX)
        n = WR_NAME_MAX - 1;
    memcpy(out->name, path + p + 1, n);
    out->is_dir = f->is_dir;
    out->size = f->len;
    return WR_OK;
}

static wr_status mv_list_dir(void *ctx, const char *path, wr_dir_visit visit, void *arg,
                             struct wr_err *err)
{
    struct wr_memvol *mv = ctx;
    size_t dlen = is_root(path) ? 0 : strlen(path);
    if (dlen) {
        struct mfile *d = find(mv, path);
        if (d && !d->is_dir)
            return wr_fail(err, WR_E_INVALID, "%s: not a directory", path);
    }
    struct wr_dirent *e = wr_alloc(sizeof *e);
    if (!e)
        return wr_fail(err, WR_E_NO_MEMORY, "memvol: out of memory");
    wr_status st = WR_OK;
    for (size_t i = 0; i < mv->count && !st; i++) {
        const char *fp = mv->files[i].path;
        if (parent_len(fp) != dlen || !same_n(fp, path, dlen))
            continue;
        st = mv_stat(mv, fp, e, err);
        if (!st)
            st = visit(arg, e);
    }
    wr_free(e);
    return st;
}

static wr_status mv_write_file(void *ctx, const char *path, const uint8_t *data, size_t len,
                               struct wr_err *err)
{
    struct wr_memvol *mv = ctx;
    struct mfile *f = find(mv, path);
    if (f && f->is_dir)
        return wr_fail(err, WR_E_INVALID, "%s: is a directory", path);
    if (mv->lost)
        return power_fail(path, err);
    if (!f && !(f = add(mv, path, err)))
        return err ? err->code : WR_E_NO_MEMORY;
    uint64_t want = len ? (len + SECTOR - 1) / SECTOR : 1;
    uint64_t got = spend(mv, want);
    /* A cut leaves the file truncated to what reached the disk. */
    size_t keep = got == want ? len : (size_t)got * SECTOR;
    wr_status st = set_data(f, data, keep, err);
    if (st)
        return st;
    return got == want ? WR_OK : power_fail(path, err);
}

static wr_status mv_write_at(void *ctx, const char *path, uint64_t offset, const uint8_t *data,
                             size_t len, struct wr_err *err)
{
    struct wr_memvol *mv = ctx;
    struct mfile *f = find(mv, path);
    if (!f || f->is_dir)
        return wr_fail(err, WR_E_NOT_FOUND, "%s: no such file", path);
    if (offset > SIZE_MAX - len)
        return wr_fail(err, WR_E_INVALID, "%s: write past 2^64", path);
    if (mv->lost)
        return power_fail(path, err);
    if (len == 0)
        return WR_OK;
    /* Sectors are aligned to the file, as on a disk. */
    uint64_t first = offset / SECTOR, end = (offset + len + SECTOR - 1) / SECTOR;
    uint64_t got = spend(mv, end - first);
    size_t n = got == end - first ? len : (size_t)((first + got) * SECTOR - offset);
    if (got == 0)
        return power_fail(path, err);
    if (n > len)
        n = len;
    size_t need = (size_t)offset + n;
    if (need > f->len) {
        uint8_t *p = wr_realloc(f->data, need);
        if (!p)
            return wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory", path);
        memset(p + f->len, 0, need - f->len);
        f->data = p;
        f->len = need;
    }
    memcpy(f->data + offset, data, n);
    return n == len ? WR_OK : power_fail(path, err);
}

static wr_status mv_rename(void *ctx, const char *from, const char *to, struct wr_err *err)
{
    struct wr_memvol *mv = ctx;
    struct mfile *f = find(mv, from);
    if (!f)
        return wr_fail(err, WR_E_NOT_FOUND, "%s: no such file", from);
    if (spend(mv, 1) == 0)
        return power_fail(from, err);
    struct mfile *t = find(mv, to);
    if (t && t != f) {
        drop(mv, t);
        f = find(mv, from); /* drop moved the array */
    }
    size_t n = strlen(to);
    char *p = wr_alloc(n + 1);
    if (!p)
        return wr_fail(err, WR_E_NO_MEMORY, "memvol: out of memory");
    memcpy(p, to, n);
    wr_free(f->path);
    f->path = p;
    return WR_OK;
}

static wr_status mv_remove(void *ctx, const char *path, struct wr_err *err)
{
    struct wr_memvol *mv = ctx;
    struct mfile *f = find(mv, path);
    if (!f)
        return wr_fail(err, WR_E_NOT_FOUND, "%s: no such file", path);
    if (spend(mv, 1) == 0)
        return power_fail(path, err);
    drop(mv, f);
    return WR_OK;
}

static wr_status mv_make_dir(void *ctx, const char *path, struct wr_err *err)
{
    struct wr_memvol *mv = ctx;
    if (is_root(path) || find(mv, path))
        return wr_fail(err, WR_E_EXISTS, "%s: already exists", path);
    if (spend(mv, 1) == 0)
        return power_fail(path, err);
    struct mfile *f = add(mv, path, err);
    if (!f)
        return err ? err->code : WR_E_NO_MEMORY;
    f->is_dir = true;
    return WR_OK;
}

static const struct wr_volume_ops memvol_ops = {
    .read_file = mv_read_file,
    .stat = mv_stat,
    .list_dir = mv_list_dir,
    .write_file = mv_write_file,
    .write_at = mv_write_at,
    .rename = mv_rename,
    .remove = mv_remove,
    .make_dir = mv_make_dir,
};

/* ------------------------------------------------------------ public */

wr_status wr_memvol_new(struct wr_memvol **out, struct wr_err *err)
{
    *out = wr_alloc(sizeof **out);
    if (!*out)
        return wr_fail(err, WR_E_NO_MEMORY, "memvol: out of memory");
    (*out)->left = WR_MEMVOL_NEVER;
    return WR_OK;
}

void wr_memvol_free(struct wr_memvol *mv)
{
    if (!mv)
        return;
    for (size_t i = 0; i < mv->count; i++) {
        wr_free(mv->files[i].path);
        wr_free(mv->files[i].data);
    }
    wr_free(mv->files);
    wr_free(mv);
}

void wr_memvol_volume(struct wr_memvol *mv, struct wr_volume *out)
{
    out->name = "memory volume";
    out->ops = &memvol_ops;
    out->ctx = mv;
}

wr_status wr_memvol_put(struct wr_memvol *mv, const char *path, const uint8_t *data,
                        size_t len, struct wr_err *err)
{
    struct mfile *f = find(mv, path);
    if (!f && !(f = add(mv, path, err)))
        return err ? err->code : WR_E_NO_MEMORY;
    return set_data(f, data, len, err);
}

const uint8_t *wr_memvol_get(const struct wr_memvol *mv, const char *path, size_t *len)
{
    struct mfile *f = find(mv, path);
    if (!f || f->is_dir)
        return NULL;
    *len = f->len;
    return f->data;
}

wr_status wr_memvol_clone(const struct wr_memvol *mv, struct wr_memvol **out,
                          struct wr_err *err)
{
    wr_status st = wr_memvol_new(out, err);
    for (size_t i = 0; !st && i < mv->count; i++) {
        const struct mfile *s = &mv->files[i];
        struct mfile *f = add(*out, s->path, err);
        if (!f)
            st = err ? err->code : WR_E_NO_MEMORY;
        else if (s->is_dir)
            f->is_dir = true;
        else
            st = set_data(f, s->data, s->len, err);
    }
    if (st) {
        wr_memvol_free(*out);
        *out = NULL;
    }
    return st;
}

void wr_memvol_cut_after(struct wr_memvol *mv, uint64_t sectors)
{
    mv->left = sectors;
    mv->lost = false;
}

bool wr_memvol_power_lost(const struct wr_memvol *mv)
{
    return mv->lost;
}

uint64_t wr_memvol_sectors_written(const struct wr_memvol *mv)
{
    return mv->written;
}

void wr_memvol_reset_count(struct wr_memvol *mv)
{
    mv->written = 0;
}
