/* A host directory as a wr_volume (see dirvol.h). POSIX. */
#define _GNU_SOURCE
#include "dirvol.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

struct wr_dirvol {
    char *root;
};

static wr_status io_fail(struct wr_err *err, const char *what, const char *path)
{
    int e = errno;
    return wr_fail(err, e == ENOENT ? WR_E_NOT_FOUND : WR_E_IO, "%s %s: %s", what, path,
                   strerror(e));
}

/* Finds `name` in host directory `dir` (whose path is dir_len bytes of a
 * PATH_MAX buffer), exactly or ignoring case; appends "/name-as-found". */
static bool append_component(char *dir, size_t dir_len, const char *name, size_t len)
{
    struct stat st;
    if (dir_len + 1 + len >= PATH_MAX)
        return false;
    dir[dir_len] = '/';
    memcpy(dir + dir_len + 1, name, len);
    dir[dir_len + 1 + len] = 0;
    if (lstat(dir, &st) == 0)
        return true;
    dir[dir_len] = 0;
    DIR *d = opendir(dir);
    bool found = false;
    for (struct dirent *e; d && !found && (e = readdir(d));)
        if (strlen(e->d_name) == len && strncasecmp(e->d_name, name, len) == 0) {
            memcpy(dir + dir_len + 1, e->d_name, len);
            found = true;
        }
    if (d)
        closedir(d);
    /* Not there at all: keep the given spelling (a file about to be made). */
    dir[dir_len] = '/';
    if (!found)
        memcpy(dir + dir_len + 1, name, len);
    dir[dir_len + 1 + len] = 0;
    return true;
}

/* Host path of a volume path. */
static wr_status resolve(const struct wr_dirvol *dv, const char *path, char *out,
                         struct wr_err *err)
{
    size_t n = strlen(dv->root);
    if (n >= PATH_MAX)
        return wr_fail(err, WR_E_INVALID, "%s: root path too long", dv->root);
    memcpy(out, dv->root, n + 1);
    const char *p = path;
    while (*p) {
        while (*p == '\\' || *p == '/')
            p++;
        size_t len = strcspn(p, "\\/");
        if (len == 0)
            break;
        if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
            return wr_fail(err, WR_E_INVALID, "%s: '.' and '..' are not allowed", path);
        if (len > NAME_MAX || !append_component(out, n, p, len))
            return wr_fail(err, WR_E_INVALID, "%s: path too long", path);
        n += 1 + len;
        p += len;
    }
    return WR_OK;
}

static void parent_dir(const char *host, char *out)
{
    snprintf(out, PATH_MAX, "%s", host);
    char *slash = strrchr(out, '/');
    if (slash && slash != out)
        *slash = 0;
    else
        snprintf(out, PATH_MAX, "%s", slash ? "/" : ".");
}

static wr_status sync_dir(const char *host_file, struct wr_err *err)
{
    char dir[PATH_MAX];
    parent_dir(host_file, dir);
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return io_fail(err, "opening directory", dir);
    int r = fsync(fd);
    close(fd);
    return r == 0 || errno == EINVAL ? WR_OK : io_fail(err, "syncing directory", dir);
}

static wr_status write_all(int fd, const uint8_t *data, size_t len, uint64_t off,
                           const char *host, struct wr_err *err)
{
    while (len > 0) {
        ssize_t w = pwrite(fd, data, len, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return io_fail(err, "writing", host);
        data += w;
        len -= (size_t)w;
        off += (uint64_t)w;
    }
    return fsync(fd) == 0 ? WR_OK : io_fail(err, "syncing", host);
}

/* ------------------------------------------------------------ ops */

static wr_status dv_read_file(void *ctx, const char *path, size_t max_len, uint8_t **data,
                              size_t *len, struct wr_err *err)
{
    char host[PATH_MAX];
    wr_status st = resolve(ctx, path, host, err);
    if (st)
        return st;
    int fd = open(host, O_RDONLY);
    if (fd < 0)
        return io_fail(err, "opening", host);
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return wr_fail(err, WR_E_INVALID, "%s: not a regular file", host);
    }
    if ((uint64_t)sb.st_size > max_len) {
        close(fd);
        return wr_fail(err, WR_E_TOO_BIG, "%s: %lld bytes, more than %zu", host,
                       (long long)sb.st_size, max_len);
    }
    size_t size = (size_t)sb.st_size, got = 0;
    /* Not wr_alloc: zeroing a buffer about to be overwritten costs as much
     * as the read; wr_free is free() on the host. */
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf) {
        close(fd);
        return wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory for %zu bytes", host, size);
    }
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got != size) {
        wr_free(buf);
        return wr_fail(err, WR_E_IO, "%s: short read (%zu of %zu bytes)", host, got, size);
    }
    *data = buf;
    *len = size;
    return WR_OK;
}

static wr_status dv_stat(void *ctx, const char *path, struct wr_dirent *out, struct wr_err *err)
{
    char host[PATH_MAX];
    wr_status st = resolve(ctx, path, host, err);
    if (st)
        return st;
    struct stat sb;
    if (stat(host, &sb) != 0)
        return io_fail(err, "looking up", host);
    memset(out, 0, sizeof *out);
    const char *base = strrchr(host, '/');
    snprintf(out->name, sizeof out->name, "%.*s", (int)sizeof out->name - 1,
             base ? base + 1 : host);
    out->is_dir = S_ISDIR(sb.st_mode);
    out->size = (uint64_t)sb.st_size;
    return WR_OK;
}

static wr_status dv_list_dir(void *ctx, const char *path, wr_dir_visit visit, void *arg,
                             struct wr_err *err)
{
    char host[PATH_MAX], child[PATH_MAX];
    wr_status st = resolve(ctx, path, host, err);
    if (st)
        return st;
    DIR *d = opendir(host);
    if (!d)
        return io_fail(err, "listing", host);
    struct wr_dirent *ent = wr_alloc(sizeof *ent);
    if (!ent) {
        closedir(d);
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    }
    size_t hlen = strlen(host);
    for (struct dirent *e; !st && (e = readdir(d));) {
        struct stat sb;
        size_t n = strlen(e->d_name);
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 || n >= WR_NAME_MAX ||
            hlen + 1 + n >= sizeof child)
            continue;
        memcpy(child, host, hlen);
        child[hlen] = '/';
        memcpy(child + hlen + 1, e->d_name, n + 1);
        if (stat(child, &sb) != 0)
            continue;
        memcpy(ent->name, e->d_name, n + 1);
        ent->is_dir = S_ISDIR(sb.st_mode);
        ent->size = (uint64_t)sb.st_size;
        st = visit(arg, ent);
    }
    wr_free(ent);
    closedir(d);
    return st;
}

static wr_status dv_write_file(void *ctx, const char *path, const uint8_t *data, size_t len,
                               struct wr_err *err)
{
    char host[PATH_MAX], tmp[PATH_MAX + 32];
    wr_status st = resolve(ctx, path, host, err);
    if (st)
        return st;
    snprintf(tmp, sizeof tmp, "%s.wrtmp%ld", host, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return io_fail(err, "creating", tmp);
    st = write_all(fd, data, len, 0, tmp, err);
    if (close(fd) != 0 && !st)
        st = io_fail(err, "closing", tmp);
    if (!st && rename(tmp, host) != 0)
        st = io_fail(err, "renaming over", host);
    if (st) {
        unlink(tmp);
        return st;
    }
    return sync_dir(host, err);
}

static wr_status dv_write_at(void *ctx, const char *path, uint64_t offset, const uint8_t *data,
                             size_t len, struct wr_err *err)
{
    char host[PATH_MAX];
    wr_status st = resolve(ctx, path, host, err);
    if (st)
        return st;
    int fd = open(host, O_WRONLY);
    if (fd < 0)
        return io_fail(err, "opening", host);
    st = write_all(fd, data, len, offset, host, err);
    if (close(fd) != 0 && !st)
        st = io_fail(err, "closing", host);
    return st;
}

static wr_status dv_rename(void *ctx, const char *from, const char *to, struct wr_err *err)
{
    char hfrom[PATH_MAX], hto[PATH_MAX];
    wr_status st = resolve(ctx, from, hfrom, err);
    if (!st)
        st = resolve(ctx, to, hto, err);
    if (st)
        return st;
    if (rename(hfrom, hto) != 0)
        return io_fail(err, "renaming", hfrom);
    return sync_dir(hto, err);
}

static wr_status dv_remove(void *ctx, const char *path, struct wr_err *err)
{
    char host[PATH_MAX];
    wr_status st = resolve(ctx, path, host, err);
    if (st)
        return st;
    if (unlink(host) != 0)
        return io_fail(err, "removing", host);
    return sync_dir(host, err);
}

static wr_status dv_make_dir(void *ctx, const char *path, struct wr_err *err)
{
    char host[PATH_MAX];
    wr_status st = resolve(ctx, path, host, err);
    if (st)
        return st;
    if (mkdir(host, 0755) != 0)
        return errno == EEXIST ? wr_fail(err, WR_E_EXISTS, "%s: already exists", host)
                               : io_fail(err, "creating directory", host);
    return WR_OK;
}

static const struct wr_volume_ops dirvol_ops = {
    .read_file = dv_read_file,
    .stat = dv_stat,
    .list_dir = dv_list_dir,
    .write_file = dv_write_file,
    .write_at = dv_write_at,
    .rename = dv_rename,
    .remove = dv_remove,
    .make_dir = dv_make_dir,
};

/* ------------------------------------------------------------ public */

wr_status wr_dirvol_open(const char *root, struct wr_dirvol **out, struct wr_err *err)
{
    struct stat sb;
    if (stat(root, &sb) != 0)
        return io_fail(err, "opening", root);
    if (!S_ISDIR(sb.st_mode))
        return wr_fail(err, WR_E_INVALID, "%s: not a directory", root);
    struct wr_dirvol *dv = calloc(1, sizeof *dv);
    if (!dv || !(dv->root = strdup(root))) {
        free(dv);
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    }
    *out = dv;
    return WR_OK;
}

void wr_dirvol_close(struct wr_dirvol *dv)
{
    if (!dv)
        return;
    free(dv->root);
    free(dv);
}

void wr_dirvol_volume(struct wr_dirvol *dv, struct wr_volume *out)
{
    out->name = dv->root;
    out->ops = &dirvol_ops;
    out->ctx = dv;
}

wr_status wr_dirvol_for_file(const char *host_path, struct wr_dirvol **out, char *vol_path,
                             size_t vol_path_size, struct wr_err *err)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(host_path, '/');
    const char *base = slash ? slash + 1 : host_path;
    if (!*base)
        return wr_fail(err, WR_E_INVALID, "%s: not a file name", host_path);
    parent_dir(host_path, dir);
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    if ((size_t)snprintf(vol_path, vol_path_size, "\\%s", base) >= vol_path_size)
        return wr_fail(err, WR_E_INVALID, "%s: name too long", host_path);
    return wr_dirvol_open(dir, out, err);
}
