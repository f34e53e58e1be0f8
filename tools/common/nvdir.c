/* efivarfs layout over POSIX files. Writes replace the file through a
 * temporary name and rename, except on efivarfs, where the kernel wants a
 * single write of attributes + data to the variable's own file. */
#include "nvdir.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/bytes.h"
#include "base/fmt.h"

struct wr_nvdir {
    char dir[4096];
    bool writable;
    bool efivarfs;
    char name[4200];
};

static void file_of(struct wr_nvdir *nd, const char *name, const struct wr_guid *g, char *buf,
                    size_t size)
{
    char gt[40];
    wr_guid_format(g, gt, false);
    wr_format(buf, size, "%s/%s-%s", nd->dir, name, gt);
}

static wr_status nv_get(void *ctx, const char *name, const struct wr_guid *guid, uint32_t *attrs,
                        uint8_t **data, size_t *len, struct wr_err *err)
{
    struct wr_nvdir *nd = ctx;
    char path[4300];
    uint8_t buf[65536 + 4];
    ssize_t n;
    int fd;

    file_of(nd, name, guid, path, sizeof path);
    fd = open(path, O_RDONLY);
    if (fd < 0)
        return wr_fail(err, WR_E_NOT_FOUND, "%s: no variable %s", nd->name, name);
    n = read(fd, buf, sizeof buf);
    close(fd);
    if (n < 4)
        return wr_fail(err, WR_E_CORRUPT, "%s: variable %s has no attribute prefix", nd->name,
                       name);
    *attrs = wr_le32(buf);
    *len = (size_t)n - 4;
    *data = wr_alloc(*len ? *len : 1);
    if (!*data)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    memcpy(*data, buf + 4, *len);
    return WR_OK;
}

static wr_status write_all(const char *path, const uint8_t *b, size_t n, bool sync)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    bool ok;

    if (fd < 0)
        return WR_E_IO;
    ok = write(fd, b, n) == (ssize_t)n && (!sync || fsync(fd) == 0);
    return close(fd) == 0 && ok ? WR_OK : WR_E_IO;
}

static wr_status nv_set(void *ctx, const char *name, const struct wr_guid *guid, uint32_t attrs,
                        const uint8_t *data, size_t len, struct wr_err *err)
{
    struct wr_nvdir *nd = ctx;
    char path[4300], tmp[4400];
    uint8_t *b;
    wr_status st;

    if (!nd->writable)
        return wr_fail(err, WR_E_REFUSED, "%s: opened read-only, not writing %s", nd->name, name);
    b = malloc(len + 4);
    if (!b)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    wr_put_le32(b, attrs);
    memcpy(b + 4, data, len);
    file_of(nd, name, guid, path, sizeof path);
    if (nd->efivarfs) {
        st = write_all(path, b, len + 4, false);
    } else {
        wr_format(tmp, sizeof tmp, "%s.wrtmp", path);
        st = write_all(tmp, b, len + 4, true);
        if (!st && rename(tmp, path))
            st = WR_E_IO;
    }
    free(b);
    return st ? wr_fail(err, st, "%s: writing variable %s failed", nd->name, name) : WR_OK;
}

static wr_status nv_del(void *ctx, const char *name, const struct wr_guid *guid,
                        struct wr_err *err)
{
    struct wr_nvdir *nd = ctx;
    char path[4300];

    if (!nd->writable)
        return wr_fail(err, WR_E_REFUSED, "%s: opened read-only, not deleting %s", nd->name,
                       name);
    file_of(nd, name, guid, path, sizeof path);
    if (unlink(path))
        return wr_fail(err, WR_E_NOT_FOUND, "%s: no variable %s", nd->name, name);
    return WR_OK;
}

static wr_status nv_list(void *ctx, wr_nvram_visit visit, void *arg, struct wr_err *err)
{
    struct wr_nvdir *nd = ctx;
    DIR *d = opendir(nd->dir);
    struct dirent *e;
    wr_status st = WR_OK;

    if (!d)
        return wr_fail(err, WR_E_IO, "%s: cannot list", nd->name);
    while (!st && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        char name[WR_EFIVAR_NAME_MAX];
        struct wr_guid g;

        if (n < 38 || e->d_name[n - 37] != '-' || n - 37 >= sizeof name)
            continue;
        if (wr_guid_parse(e->d_name + n - 36, &g, NULL))
            continue;
        memcpy(name, e->d_name, n - 37);
        name[n - 37] = 0;
        st = visit(arg, name, &g);
    }
    closedir(d);
    return st;
}

static const struct wr_nvram_ops nv_ops = { nv_get, nv_set, nv_del, nv_list };

wr_status wr_nvdir_open(const char *dir, bool writable, struct wr_nvdir **out,
                        struct wr_err *err)
{
    struct wr_nvdir *nd;
    struct stat sb;

    if (stat(dir, &sb) || !S_ISDIR(sb.st_mode))
        return wr_fail(err, WR_E_NOT_FOUND, "nvram: %s is not a directory", dir);
    nd = calloc(1, sizeof *nd);
    if (!nd)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    wr_format(nd->dir, sizeof nd->dir, "%s", dir);
    wr_format(nd->name, sizeof nd->name, "nvram %s", dir);
    nd->writable = writable;
    nd->efivarfs = !strncmp(dir, "/sys/firmware/efi/efivars", 25);
    *out = nd;
    return WR_OK;
}

void wr_nvdir_close(struct wr_nvdir *nd)
{
    free(nd);
}

void wr_nvdir_nvram(struct wr_nvdir *nd, struct wr_nvram *out)
{
    out->name = nd->name;
    out->ops = &nv_ops;
    out->ctx = nd;
}
