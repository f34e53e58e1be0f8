/* Raw ESP images in a backup: undo writes one back only when the ESP's
 * files are, after the file-level undo, exactly what they were before the
 * repair, so nothing written since is lost, and the partition then matches
 * byte for byte. Manifest line:
 *   raw  IDENT  BYTES  SHA256  COPY  FILES_DIGEST */
#include "base/sha256.h"
#include "rescue/internal.h"

#define RAW_MAX (1024ull << 20)
#define DIGEST_DEPTH 8
#define FILE_MAX (256u << 20)

struct digest {
    const struct wr_volume *v;
    char path[WR_NAME_MAX];
    char **lines;
    size_t n;
    unsigned depth;
    struct wr_err *err;
};

static wr_status walk(struct digest *d);

static wr_status visit(void *arg, const struct wr_dirent *e)
{
    struct digest *d = arg;
    size_t at = strlen(d->path);
    wr_status st = WR_OK;

    if (!strcmp(e->name, ".") || !strcmp(e->name, ".."))
        return WR_OK;
    wr_format(d->path + at, sizeof d->path - at, "\\%s", e->name);
    if (e->is_dir && d->depth < DIGEST_DEPTH) {
        d->depth++;
        st = walk(d);
        d->depth--;
    } else if (!e->is_dir) {
        uint8_t *data = NULL;
        size_t len = 0;
        char sha[65], **grown;
        st = wr_volume_read_file(d->v, d->path, FILE_MAX, &data, &len, d->err);
        if (!st) {
            wr_sha256_hex(data, len, sha);
            grown = wr_realloc(d->lines, (d->n + 1) * sizeof *grown);
            if (grown && (grown[d->n] = wr_alloc(strlen(d->path) + 70))) {
                d->lines = grown;
                wr_format(grown[d->n++], strlen(d->path) + 70, "%s %s", d->path, sha);
            } else {
                if (grown)
                    d->lines = grown;
                st = wr_fail(d->err, WR_E_NO_MEMORY, "out of memory");
            }
        }
        wr_free(data);
    }
    d->path[at] = 0;
    return st;
}

static wr_status walk(struct digest *d)
{
    return wr_volume_list_dir(d->v, d->path[0] ? d->path : "\\", visit, d, d->err);
}

/* Case-insensitive order, as FAT names compare. */
static int cmp_ci(const char *a, const char *b)
{
    for (;; a++, b++) {
        char x = *a >= 'a' && *a <= 'z' ? (char)(*a - 32) : *a;
        char y = *b >= 'a' && *b <= 'z' ? (char)(*b - 32) : *b;
        if (x != y || !x)
            return (unsigned char)x - (unsigned char)y;
    }
}

wr_status wr_rescue_volume_digest(const struct wr_volume *v, char out[65], struct wr_err *err)
{
    struct digest d = { .v = v, .err = err };
    struct wr_sha256 s;
    uint8_t h[WR_SHA256_LEN];
    wr_status st = walk(&d);

    for (size_t i = 1; i < d.n; i++) /* insertion sort: an ESP has few files */
        for (size_t k = i; k > 0 && cmp_ci(d.lines[k - 1], d.lines[k]) > 0; k--) {
            char *t = d.lines[k];
            d.lines[k] = d.lines[k - 1];
            d.lines[k - 1] = t;
        }
    wr_sha256_init(&s);
    for (size_t i = 0; i < d.n; i++) {
        wr_sha256_update(&s, d.lines[i], strlen(d.lines[i]) + 1);
        wr_free(d.lines[i]);
    }
    wr_free(d.lines);
    wr_sha256_final(&s, h);
    for (int i = 0; i < WR_SHA256_LEN; i++)
        wr_format(out + 2 * i, 3, "%02x", h[i]);
    return st;
}

static bool listed(const struct wr_rescue_touches *t, size_t upto, int esp)
{
    for (size_t i = 0; i < upto; i++)
        if (!t->v[i].is_var && t->v[i].esp == esp)
            return true;
    return false;
}

static wr_status raw_one(const struct wr_rescue_model *m, int esp, size_t i,
                         const struct wr_rescue_apply_opts *o, const char *dir,
                         struct wr_text *man, struct wr_err *err)
{
    const struct wr_blockdev *dev = &m->parts[esp].slice.dev;
    uint64_t bytes = wr_blockdev_size_bytes(dev);
    char ident[64], sha[65], digest[65], copy[16], path[WR_NAME_MAX];
    uint8_t *buf;
    wr_status st;

    /* the stick's own ESP holds the backup: no image of it inside itself */
    if (!dev->read || bytes == 0 || bytes > RAW_MAX ||
        m->machine.disks[m->parts[esp].disk].is_stick)
        return WR_OK; /* file-level undo still holds */
    st = wr_rescue_volume_digest(&m->parts[esp].fat, digest, err);
    if (st)
        return st;
    buf = wr_alloc((size_t)bytes);
    if (!buf)
        return WR_OK;
    st = wr_blockdev_read(dev, 0, dev->sector_count, buf, err);
    wr_rescue_part_ident(m, esp, ident, sizeof ident);
    wr_format(copy, sizeof copy, "r%zu", i);
    wr_format(path, sizeof path, "%s\\%s", dir, copy);
    if (!st) {
        wr_sha256_hex(buf, (size_t)bytes, sha);
        st = wr_volume_write_file(o->stick, path, buf, (size_t)bytes, err);
    }
    if (!st)
        wr_text_printf(man, "raw\t%s\t%llu\t%s\t%s\t%s\n", ident, (unsigned long long)bytes, sha,
                       copy, digest);
    wr_free(buf);
    return st;
}

wr_status wr_rescue_backup_raw(const struct wr_rescue_model *m, const struct wr_rescue_touches *t,
                               const struct wr_rescue_apply_opts *o, const char *dir,
                               struct wr_text *man, struct wr_err *err)
{
    wr_status st = WR_OK;

    if (!o->raw_esp)
        return WR_OK;
    for (size_t i = 0; i < t->n && !st; i++)
        if (!t->v[i].is_var && t->v[i].esp >= 0 && !listed(t, i, t->v[i].esp))
            st = raw_one(m, t->v[i].esp, i, o, dir, man, err);
    return st;
}

wr_status wr_rescue_undo_raw(struct wr_rescue_model *m, const struct wr_volume *stick,
                             const char *dir, char **f, size_t nf, struct wr_text *log,
                             struct wr_err *err)
{
    int part = nf >= 6 ? wr_rescue_part_by_ident(m, f[1]) : -1;
    const struct wr_blockdev *dev;
    char now[65], sha[65], path[WR_NAME_MAX];
    uint8_t *data = NULL;
    size_t len = 0;
    wr_status st;

    if (part < 0)
        return WR_OK;
    dev = &m->parts[part].slice.dev;
    if (wr_rescue_volume_digest(&m->parts[part].fat, now, NULL) || strcmp(now, f[5])) {
        wr_text_printf(log, "raw image of %s not applied: its files differ from before the "
                            "repair (newer changes are kept)\n", f[1]);
        return WR_OK;
    }
    if (!dev->write) {
        wr_text_printf(log, "raw image of %s not applied: the disk is read-only here\n", f[1]);
        return WR_OK;
    }
    wr_format(path, sizeof path, "%s\\%s", dir, f[4]);
    st = wr_volume_read_file(stick, path, (size_t)RAW_MAX, &data, &len, err);
    if (st)
        return st;
    wr_sha256_hex(data, len, sha);
    if (strcmp(sha, f[3]) || len != wr_blockdev_size_bytes(dev))
        st = wr_fail(err, WR_E_CORRUPT, "undo: raw image %s does not match its manifest", path);
    if (!st)
        st = wr_blockdev_write(dev, 0, dev->sector_count, data, err);
    if (!st)
        wr_text_printf(log, "restored the raw partition %s (%zu bytes, sha256 %s)\n", f[1], len,
                       sha);
    wr_free(data);
    return st;
}
