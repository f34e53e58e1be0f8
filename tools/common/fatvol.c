/* mtools as a wr_volume. Every call runs one mtools command without a
 * shell. Whole-file writes go to a temporary name in the same folder that
 * is then renamed over the target (mren -D o), so a crash leaves the old
 * or the new file, never a half-written one. */
#include "fatvol.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/fmt.h"

struct wr_fatvol {
    char spec[4200];   /* IMG@@OFFSET */
    bool writable;
    char name[4300];
};

/* Runs argv; stdout captured into *out (when out), stderr into errbuf. */
static int run(char *const argv[], uint8_t **out, size_t *out_len, char *errbuf, size_t errsize)
{
    int po[2], pe[2], status;
    pid_t pid;
    size_t cap = 0, len = 0, elen = 0;
    uint8_t *buf = NULL;

    if (pipe(po) || pipe(pe))
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close(po[0]);
        close(pe[0]);
        setenv("MTOOLS_SKIP_CHECK", "1", 1);
        setenv("MTOOLS_NO_VFAT", "0", 1);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    for (;;) {
        ssize_t n;
        if (len + 65536 > cap) {
            uint8_t *g = realloc(buf, cap = cap * 2 + 65536);
            if (!g)
                break;
            buf = g;
        }
        n = read(po[0], buf + len, cap - len);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    for (;;) {
        char tmp[512];
        ssize_t n = read(pe[0], tmp, sizeof tmp);
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n && elen + 1 < errsize; i++)
            errbuf[elen++] = tmp[i] == '\n' ? ' ' : tmp[i];
    }
    if (errsize)
        errbuf[elen < errsize ? elen : errsize - 1] = 0;
    close(po[0]);
    close(pe[0]);
    waitpid(pid, &status, 0);
    if (out) {
        *out = buf;
        *out_len = len;
    } else {
        free(buf);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* "\EFI\x" -> "::/EFI/x" */
static void mpath(const char *path, char *buf, size_t size)
{
    size_t n = wr_format(buf, size, "::%s%s", path[0] == '\\' || path[0] == '/' ? "" : "/", path);
    for (size_t i = 2; i < n && i < size; i++)
        if (buf[i] == '\\')
            buf[i] = '/';
}

static wr_status fail_cmd(struct wr_fatvol *fv, const char *path, const char *what,
                          const char *msg, struct wr_err *err)
{
    bool missing = strstr(msg, "not found") || strstr(msg, "No such");
    return wr_fail(err, missing ? WR_E_NOT_FOUND : WR_E_IO, "%s: %s %s: %s", fv->name, what,
                   path, msg[0] ? msg : "mtools failed");
}

static wr_status fat_read(void *ctx, const char *path, size_t max_len, uint8_t **data,
                          size_t *len, struct wr_err *err)
{
    struct wr_fatvol *fv = ctx;
    char mp[4200], msg[300];
    char *argv[] = { "mcopy", "-n", "-i", fv->spec, mp, "-", NULL };
    uint8_t *buf = NULL;
    size_t n = 0;
    int rc;

    mpath(path, mp, sizeof mp);
    rc = run(argv, &buf, &n, msg, sizeof msg);
    if (rc) {
        free(buf);
        return fail_cmd(fv, path, "reading", msg, err);
    }
    if (n > max_len) {
        free(buf);
        return wr_fail(err, WR_E_TOO_BIG, "%s: %s is %zu bytes, more than %zu", fv->name, path,
                       n, max_len);
    }
    *data = wr_alloc(n ? n : 1);
    if (!*data) {
        free(buf);
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    }
    if (n)
        memcpy(*data, buf, n);
    free(buf);
    *len = n;
    return WR_OK;
}

/* One row of "mdir -a": 12 columns of 8.3 name, then "<DIR>" or the size,
 * date, time and the long name when there is one. */
static bool parse_row(const char *line, size_t len, struct wr_dirent *e)
{
    const char *p = line + 12, *end = line + len;
    char shortname[13];
    size_t i = 0;

    if (len < 22)
        return false;
    while (p < end && *p == ' ')
        p++;
    memset(e, 0, sizeof *e);
    if (end - p >= 5 && !memcmp(p, "<DIR>", 5)) {
        e->is_dir = true;
        p += 5;
    } else if (p < end && *p >= '0' && *p <= '9') {
        while (p < end && *p >= '0' && *p <= '9')
            e->size = e->size * 10 + (uint64_t)(*p++ - '0');
    } else {
        return false;
    }
    /* date and time, then two spaces and the long name */
    for (int tok = 0; tok < 2; tok++) {
        while (p < end && *p == ' ')
            p++;
        while (p < end && *p != ' ')
            p++;
    }
    if (end - p > 2) {
        size_t n = (size_t)(end - p - 2);
        if (n >= sizeof e->name)
            n = sizeof e->name - 1;
        memcpy(e->name, p + 2, n);
        return true;
    }
    /* no long name: rebuild NAME.EXT from the 8.3 columns */
    for (int k = 0; k < 8 && line[k] != ' '; k++)
        shortname[i++] = line[k];
    if (line[9] != ' ') {
        shortname[i++] = '.';
        for (int k = 9; k < 12 && line[k] != ' '; k++)
            shortname[i++] = line[k];
    }
    shortname[i] = 0;
    wr_format(e->name, sizeof e->name, "%s", shortname);
    return true;
}

static wr_status mdir_rows(struct wr_fatvol *fv, const char *path, wr_dir_visit visit, void *arg,
                           struct wr_err *err)
{
    char mp[4200], msg[300];
    char *argv[] = { "mdir", "-a", "-i", fv->spec, mp, NULL };
    uint8_t *buf = NULL;
    size_t n = 0, at = 0;
    bool in_rows = false;
    wr_status st = WR_OK;
    int rc;

    mpath(path, mp, sizeof mp);
    rc = run(argv, &buf, &n, msg, sizeof msg);
    if (rc) {
        free(buf);
        return fail_cmd(fv, path, "listing", msg, err);
    }
    while (at < n && !st) {
        const char *line = (const char *)buf + at;
        size_t len = 0;
        struct wr_dirent e;

        while (at + len < n && buf[at + len] != '\n')
            len++;
        at += len + 1;
        if (len >= 14 && !memcmp(line, "Directory for", 13)) {
            in_rows = true;
            continue;
        }
        if (!in_rows || len == 0 || line[0] == ' ')
            continue;
        if (parse_row(line, len, &e) && strcmp(e.name, ".") && strcmp(e.name, ".."))
            st = visit(arg, &e);
    }
    free(buf);
    return st;
}

static wr_status fat_list(void *ctx, const char *path, wr_dir_visit visit, void *arg,
                          struct wr_err *err)
{
    return mdir_rows(ctx, path, visit, arg, err);
}

struct stat_one {
    struct wr_dirent *out;
    bool found;
};

static wr_status take_first(void *arg, const struct wr_dirent *e)
{
    struct stat_one *s = arg;
    if (!s->found)
        *s->out = *e;
    s->found = true;
    return WR_OK;
}

static wr_status fat_stat(void *ctx, const char *path, struct wr_dirent *out, struct wr_err *err)
{
    struct wr_fatvol *fv = ctx;
    char mp[4200], msg[300];
    char *argv[] = { "mdir", "-b", "-a", "-i", fv->spec, mp, NULL };
    uint8_t *buf = NULL;
    size_t n = 0;
    const char *base = strrchr(path, '\\');
    struct stat_one s = { out, false };
    bool is_dir;
    int rc;

    memset(out, 0, sizeof *out);
    if (!path[0] || !strcmp(path, "\\")) {
        out->is_dir = true;
        return WR_OK;
    }
    mpath(path, mp, sizeof mp);
    rc = run(argv, &buf, &n, msg, sizeof msg);
    if (rc) {
        free(buf);
        return wr_fail(err, WR_E_NOT_FOUND, "%s: %s not found", fv->name, path);
    }
    /* a file lists as itself; a folder lists its entries below it */
    is_dir = !(n >= strlen(mp) && !strncasecmp((char *)buf, mp, strlen(mp)) &&
               (n == strlen(mp) || buf[strlen(mp)] == '\n'));
    free(buf);
    wr_format(out->name, sizeof out->name, "%s", base ? base + 1 : path);
    if (is_dir) {
        out->is_dir = true;
        return WR_OK;
    }
    if (mdir_rows(fv, path, take_first, &s, err) == WR_OK && s.found) {
        out->size = s.out->size;
        out->is_dir = false;
    }
    wr_format(out->name, sizeof out->name, "%s", base ? base + 1 : path);
    return WR_OK;
}

static wr_status simple(struct wr_fatvol *fv, char *const argv[], const char *path,
                        const char *what, struct wr_err *err)
{
    char msg[300];

    if (!fv->writable)
        return wr_fail(err, WR_E_REFUSED, "%s: opened read-only, not %s %s", fv->name, what, path);
    if (run(argv, NULL, NULL, msg, sizeof msg))
        return fail_cmd(fv, path, what, msg, err);
    return WR_OK;
}

static wr_status fat_rename(void *ctx, const char *from, const char *to, struct wr_err *err)
{
    struct wr_fatvol *fv = ctx;
    char a[4200], b[4200];
    char *argv[] = { "mren", "-D", "o", "-i", fv->spec, a, b, NULL };

    mpath(from, a, sizeof a);
    mpath(to, b, sizeof b);
    return simple(fv, argv, from, "renaming", err);
}

static wr_status fat_write(void *ctx, const char *path, const uint8_t *data, size_t len,
                           struct wr_err *err)
{
    struct wr_fatvol *fv = ctx;
    char host[] = "/tmp/wr-fatvol.XXXXXX", tmp[4200], mp[4200];
    char *argv[] = { "mcopy", "-o", "-D", "o", "-i", fv->spec, host, mp, NULL };
    int fd;
    wr_status st;

    if (!fv->writable)
        return wr_fail(err, WR_E_REFUSED, "%s: opened read-only, not writing %s", fv->name, path);
    fd = mkstemp(host);
    if (fd < 0)
        return wr_fail(err, WR_E_IO, "%s: no temporary file for %s", fv->name, path);
    if (write(fd, data, len) != (ssize_t)len) {
        close(fd);
        unlink(host);
        return wr_fail(err, WR_E_IO, "%s: temporary file for %s", fv->name, path);
    }
    close(fd);
    wr_format(tmp, sizeof tmp, "%s.wrtmp", path);
    mpath(tmp, mp, sizeof mp);
    st = simple(fv, argv, path, "writing", err);
    unlink(host);
    return st ? st : fat_rename(ctx, tmp, path, err);
}

static wr_status fat_write_at(void *ctx, const char *path, uint64_t offset, const uint8_t *data,
                              size_t len, struct wr_err *err)
{
    uint8_t *old = NULL, *buf;
    size_t old_len = 0, new_len;
    wr_status st = fat_read(ctx, path, (size_t)1 << 30, &old, &old_len, err);

    if (st)
        return st;
    new_len = offset + len > old_len ? (size_t)(offset + len) : old_len;
    buf = wr_alloc(new_len ? new_len : 1);
    if (!buf) {
        wr_free(old);
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    }
    memcpy(buf, old, old_len);
    memcpy(buf + offset, data, len);
    st = fat_write(ctx, path, buf, new_len, err);
    wr_free(old);
    wr_free(buf);
    return st;
}

static wr_status fat_remove(void *ctx, const char *path, struct wr_err *err)
{
    struct wr_fatvol *fv = ctx;
    struct wr_dirent e;
    char mp[4200];
    char *del[] = { "mdel", "-i", fv->spec, mp, NULL };
    char *rd[] = { "mrd", "-i", fv->spec, mp, NULL };
    wr_status st = fat_stat(ctx, path, &e, err);

    if (st)
        return st;
    mpath(path, mp, sizeof mp);
    return simple(fv, e.is_dir ? rd : del, path, "removing", err);
}

static wr_status fat_mkdir(void *ctx, const char *path, struct wr_err *err)
{
    struct wr_fatvol *fv = ctx;
    char mp[4200];
    char *argv[] = { "mmd", "-i", fv->spec, mp, NULL };

    mpath(path, mp, sizeof mp);
    return simple(fv, argv, path, "making folder", err);
}

static const struct wr_volume_ops fat_ops = {
    fat_read, fat_stat, fat_list, fat_write, fat_write_at, fat_rename, fat_remove, fat_mkdir,
};

wr_status wr_fatvol_open(const char *image, uint64_t offset, bool writable,
                         struct wr_fatvol **out, struct wr_err *err)
{
    struct wr_fatvol *fv = wr_alloc(sizeof *fv);

    if (!fv)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    if (wr_format(fv->spec, sizeof fv->spec, "%s@@%llu", image, (unsigned long long)offset) >=
        sizeof fv->spec) {
        wr_free(fv);
        return wr_fail(err, WR_E_INVALID, "image path too long");
    }
    wr_format(fv->name, sizeof fv->name, "FAT at %s", fv->spec);
    fv->writable = writable;
    *out = fv;
    return WR_OK;
}

void wr_fatvol_close(struct wr_fatvol *fv)
{
    wr_free(fv);
}

void wr_fatvol_volume(struct wr_fatvol *fv, struct wr_volume *out)
{
    out->name = fv->name;
    out->ops = &fat_ops;
    out->ctx = fv;
}
