/* The copy: folders of a user to the target, a manifest line per file. */
#include "base/fmt.h"
#include "base/sha256.h"
#include "rescue_files/internal.h"

#define CHUNK (1u << 20)
#define MANIFEST "MANIFEST.txt"

struct copier {
    const struct wr_rf_job *job;
    struct wr_rf_result *res;
    struct wr_err *err;
    char *src;              /* RF_PATH_MAX each */
    char *dst;
    char *line;
    char *manifest;
    /* Scratch kept off the stack: the walk recurses up to RF_MAX_DEPTH. */
    char *rel_src, *rel_dst;        /* RF_PATH_MAX each */
    char *mapped, *tried;           /* WR_NAME_MAX + 16 each */
    char msg[WR_ERR_MSG_MAX];
    struct wr_err serr;             /* a source problem, reported at once */
    uint8_t *chunk;
    uint64_t manifest_off;
    size_t src_base, dst_base;  /* where the relative paths start */
    uint64_t start_ms;
    struct wr_rf_progress p;
};

static uint64_t now(const struct copier *c)
{
    return c->job->now_ms ? c->job->now_ms(c->job->ctx) : 0;
}

static bool cancelled(const struct copier *c)
{
    return c->job->cancelled && c->job->cancelled(c->job->ctx);
}

static void report(struct copier *c)
{
    struct wr_rf_progress *p = &c->p;

    p->elapsed_ms = now(c) - c->start_ms;
    p->bytes_per_s = 0;
    p->eta_s = 0;
    /* Below a quarter second the rate is noise. */
    if (p->elapsed_ms >= 250 && p->bytes_done) {
        p->bytes_per_s = p->bytes_done * 1000 / p->elapsed_ms;
        if (p->bytes_per_s)
            p->eta_s = (p->bytes_total > p->bytes_done ? p->bytes_total - p->bytes_done : 0) /
                       p->bytes_per_s;
    }
    if (c->job->progress)
        c->job->progress(c->job->ctx, p);
}

/* Manifest text keeps one record per line: control characters become '?'. */
static const char *clean(char *out, size_t size, const char *in)
{
    wr_format(out, size, "%s", in);
    for (char *s = out; *s; s++)
        if ((unsigned char)*s < 0x20)
            *s = '?';
    return out;
}

static wr_status append(struct copier *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static wr_status append(struct copier *c, const char *fmt, ...)
{
    va_list ap;
    size_t n;
    wr_status st;

    va_start(ap, fmt);
    n = wr_vformat(c->line, RF_PATH_MAX * 3, fmt, ap);
    va_end(ap);
    if (n >= RF_PATH_MAX * 3)
        n = RF_PATH_MAX * 3 - 1;
    st = wr_volume_write_at(c->job->dst, c->manifest, c->manifest_off, (const uint8_t *)c->line,
                            n, c->err);
    if (!st)
        c->manifest_off += n;
    return st;
}

static const char *src_rel(const struct copier *c)
{
    return c->src + c->src_base;
}

static void list_error(struct copier *c, const char *msg)
{
    struct wr_rf_result *r = c->res;

    if (r->errors < WR_RF_MAX_LISTED_ERRORS)
        wr_format(r->error_list[r->errors], WR_ERR_MSG_MAX, "%s", msg);
    r->errors++;
}

/* A source problem: listed, in the manifest, and the copy goes on. */
static wr_status file_error(struct copier *c, const struct wr_err *why)
{
    list_error(c, why->msg);
    return append(c, "ERROR\t%s\t%s\n", clean(c->rel_src, RF_PATH_MAX, src_rel(c)),
                  clean(c->msg, sizeof c->msg, why->msg));
}

/* dst + '\' + the FAT name of `name`, with " (n)" when the target already
 * has that name (the driver's own case folding decides). */
static wr_status target_name(struct copier *c, size_t dst_len, const char *name)
{
    char *mapped = c->mapped, *tried = c->tried;
    bool changed = wr_rf_fat_name(name, mapped, WR_NAME_MAX);
    size_t dot = strlen(mapped);
    wr_status st;

    for (size_t i = dot; i > 1; i--)
        if (mapped[i - 1] == '.') {
            dot = i - 1;
            break;
        }
    wr_format(tried, WR_NAME_MAX + 16, "%s", mapped);
    for (unsigned n = 2;; n++) {
        c->dst[dst_len] = '\0';
        st = wr_rf_join(c->dst, c->dst, tried, c->err);
        if (st)
            return st;
        if (!wr_volume_exists(c->job->dst, c->dst))
            break;
        if (n > 9999)
            return wr_fail(c->err, WR_E_EXISTS, "%s: too many names alike", c->dst);
        wr_format(tried, WR_NAME_MAX + 16, "%.*s (%u)%s", (int)dot, mapped, n, mapped + dot);
        changed = true;
    }
    if (changed)
        c->res->renamed++;
    return WR_OK;
}

static wr_status copy_data(struct copier *c, void *file, uint64_t size, uint8_t digest[32],
                           bool *source_failed, struct wr_err *serr)
{
    struct wr_sha256 h;
    uint64_t off = 0;
    wr_status st;

    wr_sha256_init(&h);
    if (size <= CHUNK) {
        uint64_t t0 = now(c);

        st = c->job->src->ops->read(file, 0, c->chunk, (size_t)size, serr);
        if (st) {
            *source_failed = true;
            return st;
        }
        c->res->read_ms += now(c) - t0;
        t0 = now(c);
        wr_sha256_update(&h, c->chunk, (size_t)size);
        c->res->hash_ms += now(c) - t0;
        t0 = now(c);
        st = wr_volume_write_file(c->job->dst, c->dst, c->chunk, (size_t)size, c->err);
        c->res->write_ms += now(c) - t0;
        c->p.bytes_done += size;
        wr_sha256_final(&h, digest);
        return st;
    }
    st = wr_volume_write_file(c->job->dst, c->dst, c->chunk, 0, c->err);
    while (!st && off < size) {
        size_t n = size - off < CHUNK ? (size_t)(size - off) : CHUNK;

        if (cancelled(c))
            return WR_E_CANCELLED;
        uint64_t t0 = now(c);

        st = c->job->src->ops->read(file, off, c->chunk, n, serr);
        if (st) {
            *source_failed = true;
            return st;
        }
        c->res->read_ms += now(c) - t0;
        t0 = now(c);
        wr_sha256_update(&h, c->chunk, n);
        c->res->hash_ms += now(c) - t0;
        t0 = now(c);
        st = wr_volume_write_at(c->job->dst, c->dst, off, c->chunk, n, c->err);
        c->res->write_ms += now(c) - t0;
        off += n;
        c->p.bytes_done += n;
        report(c);
    }
    wr_sha256_final(&h, digest);
    return st;
}

static wr_status copy_file(struct copier *c, size_t dst_len, const char *name)
{
    struct wr_err *serr = &c->serr;
    void *file;
    uint64_t size;
    uint8_t digest[32];
    char hex[65];
    bool source_failed = false;
    wr_status st;

    c->p.current = src_rel(c);
    report(c);
    st = c->job->src->ops->open(c->job->src->ctx, c->src, &file, &size, serr);
    if (st)
        return file_error(c, serr);
    st = target_name(c, dst_len, name);
    if (!st)
        st = copy_data(c, file, size, digest, &source_failed, serr);
    c->job->src->ops->close(file);
    if (st && st != WR_E_TOO_BIG && dst_len < strlen(c->dst)) {
        struct wr_err ignored = { 0 };

        /* No half file stays behind: what is there is in the manifest. */
        wr_volume_remove(c->job->dst, c->dst, &ignored);
    }
    if (source_failed)
        return file_error(c, serr);
    if (st)
        return st;
    for (int i = 0; i < 32; i++)
        wr_format(hex + 2 * i, 3, "%02x", digest[i]);
    st = append(c, "FILE\t%s\t%llu\t%s\t%s\n", hex, (unsigned long long)size,
                clean(c->rel_dst, RF_PATH_MAX, c->dst + c->dst_base),
                clean(c->rel_src, RF_PATH_MAX, src_rel(c)));
    c->res->files_copied++;
    c->res->bytes_copied += size;
    c->p.files_done++;
    return st;
}

static wr_status copy_dir(struct copier *c, unsigned depth);

static wr_status copy_item(struct copier *c, const struct rf_item *it, size_t dst_len,
                           unsigned depth)
{
    wr_status st;

    if (it->is_reparse) {
        c->res->skipped++;
        return append(c, "SKIP\t%s\treparse point (junction or link), not followed\n",
                      clean(c->rel_src, RF_PATH_MAX, src_rel(c)));
    }
    if (!it->is_dir)
        return copy_file(c, dst_len, it->name);
    st = target_name(c, dst_len, it->name);
    if (!st)
        st = wr_volume_make_dir(c->job->dst, c->dst, c->err);
    if (!st)
        st = copy_dir(c, depth + 1);
    return st;
}

static wr_status copy_dir(struct copier *c, unsigned depth)
{
    struct wr_err *serr = &c->serr;
    struct rf_list l;
    size_t src_len = strlen(c->src), dst_len = strlen(c->dst);
    wr_status st;

    if (depth > RF_MAX_DEPTH) {
        wr_fail(serr, WR_E_TOO_BIG, "%s: folders nested too deep", c->src);
        return file_error(c, serr);
    }
    st = wr_rf_list_read(c->job->src, c->src, &l, serr);
    if (st)
        return file_error(c, serr);
    for (size_t i = 0; !st && i < l.n; i++) {
        if (cancelled(c)) {
            st = WR_E_CANCELLED;
            break;
        }
        st = wr_rf_join(c->src, c->src, l.items[i].name, serr);
        st = st ? file_error(c, serr) : copy_item(c, &l.items[i], dst_len, depth);
        c->src[src_len] = '\0';
        c->dst[dst_len] = '\0';
    }
    wr_rf_list_free(&l);
    return st;
}

/* Creates every folder of an absolute path that is not there yet. */
static wr_status make_dirs(const struct wr_volume *v, char *path, struct wr_err *err)
{
    for (char *p = path + 1;; p++) {
        if (*p == '\\' || !*p) {
            char keep = *p;
            wr_status st = WR_OK;

            *p = '\0';
            if (!wr_volume_exists(v, path))
                st = wr_volume_make_dir(v, path, err);
            *p = keep;
            if (st)
                return st;
            if (!keep)
                return WR_OK;
        }
    }
}

static wr_status plan(struct copier *c)
{
    const struct wr_rf_job *j = c->job;
    struct wr_rf_result *r = c->res;
    char have[32], need[32];

    for (size_t i = 0; i < j->n_folders; i++) {
        struct wr_rf_tally t;
        wr_status st = wr_rf_join(c->src, j->src_root, j->folders[i], c->err);

        if (!st)
            st = wr_rf_measure(j->src, c->src, &t, c->err);
        if (st)
            return st;
        r->planned.files += t.files;
        r->planned.dirs += t.dirs + 1;
        r->planned.bytes += t.bytes;
        r->planned.reparse += t.reparse;
    }
    r->needed = wr_rf_space_needed(&r->planned, j->dst_cluster);
    if (j->dst_free != UINT64_MAX && r->needed > j->dst_free) {
        wr_rf_format_bytes(r->needed, need, sizeof need);
        wr_rf_format_bytes(j->dst_free, have, sizeof have);
        return wr_fail(c->err, WR_E_REFUSED,
                       "%s: the copy needs %s but only %s is free; nothing was copied",
                       j->dst->name ? j->dst->name : "target", need, have);
    }
    return WR_OK;
}

static wr_status start(struct copier *c)
{
    const struct wr_rf_job *j = c->job;
    wr_status st;

    if (strlen(j->dst_root) < 2 || j->dst_root[0] != '\\' ||
        strlen(j->dst_root) + 2 > RF_PATH_MAX / 2)
        return wr_fail(c->err, WR_E_INVALID, "%s: not a folder path like \\RESCUE\\name",
                       j->dst_root);
    memcpy(c->dst, j->dst_root, strlen(j->dst_root) + 1);
    st = make_dirs(j->dst, c->dst, c->err);
    if (!st)
        st = wr_rf_join(c->manifest, j->dst_root, MANIFEST, c->err);
    if (!st && wr_volume_exists(j->dst, c->manifest))
        return wr_fail(c->err, WR_E_EXISTS, "%s: already holds a rescue (%s)", j->dst_root,
                       MANIFEST);
    if (!st)
        st = wr_volume_write_file(j->dst, c->manifest, (const uint8_t *)"", 0, c->err);
    if (!st)
        st = append(c, "# wtg-rescue rescued files: FILE sha256 size stored original\n"
                       "# source %s, %llu files, %llu bytes planned\n%s%s%s",
                    j->src_root, (unsigned long long)c->res->planned.files,
                    (unsigned long long)c->res->planned.bytes, j->header ? "# " : "",
                    j->header ? j->header : "", j->header ? "\n" : "");
    return st;
}

static wr_status run(struct copier *c)
{
    const struct wr_rf_job *j = c->job;
    wr_status st = plan(c);

    c->p.bytes_total = c->res->planned.bytes;
    c->p.files_total = c->res->planned.files;
    if (!st)
        st = start(c);
    c->dst_base = strlen(j->dst_root) + 1;
    c->src_base = strlen(j->src_root) + 1;
    for (size_t i = 0; !st && i < j->n_folders; i++) {
        struct rf_item it = { (char *)j->folders[i], true, false, 0 };

        c->dst[c->dst_base - 1] = '\0';
        st = wr_rf_join(c->src, j->src_root, j->folders[i], c->err);
        if (!st)
            st = copy_item(c, &it, c->dst_base - 1, 0);
    }
    return st;
}

static wr_status finish(struct copier *c, wr_status st)
{
    struct wr_err ignored = { 0 };
    struct wr_err *keep = c->err;

    c->res->elapsed_ms = now(c) - c->start_ms;
    if (st == WR_E_CANCELLED) {
        c->res->cancelled = true;
        wr_fail(keep, st, "cancelled: %llu of %llu files copied, the manifest lists them",
                (unsigned long long)c->res->files_copied,
                (unsigned long long)c->res->planned.files);
    }
    if (!c->manifest_off)
        return st;
    c->res->manifest_written = true;
    c->err = &ignored;
    if (append(c, "# %s: %llu files, %llu bytes copied, %llu errors, %llu skipped\n",
               st == WR_OK ? "complete" : st == WR_E_CANCELLED ? "cancelled" : "stopped",
               (unsigned long long)c->res->files_copied,
               (unsigned long long)c->res->bytes_copied, (unsigned long long)c->res->errors,
               (unsigned long long)c->res->skipped) &&
        !st)
        st = wr_fail(keep, ignored.code, "%s", ignored.msg);
    c->err = keep;
    report(c);
    return st;
}

wr_status wr_rf_copy(const struct wr_rf_job *job, struct wr_rf_result *res,
                     struct wr_err *err)
{
    struct copier c = { .job = job, .res = res, .err = err };
    wr_status st;

    memset(res, 0, sizeof *res);
    if (!job->src || !job->dst || !job->src_root || !job->dst_root || !job->n_folders)
        return wr_fail(err, WR_E_INVALID, "rescue: source, target and folders are needed");
    c.src = wr_alloc(RF_PATH_MAX);
    c.dst = wr_alloc(RF_PATH_MAX);
    c.manifest = wr_alloc(RF_PATH_MAX);
    c.line = wr_alloc(RF_PATH_MAX * 3);
    c.chunk = wr_alloc(CHUNK);
    c.rel_src = wr_alloc(RF_PATH_MAX);
    c.rel_dst = wr_alloc(RF_PATH_MAX);
    c.mapped = wr_alloc(WR_NAME_MAX + 16);
    c.tried = wr_alloc(WR_NAME_MAX + 16);
    c.start_ms = now(&c);
    if (!c.src || !c.dst || !c.manifest || !c.line || !c.chunk || !c.rel_src || !c.rel_dst ||
        !c.mapped || !c.tried)
        st = wr_fail(err, WR_E_NO_MEMORY, "rescue: out of memory");
    else
        st = finish(&c, run(&c));
    wr_free(c.src);
    wr_free(c.dst);
    wr_free(c.manifest);
    wr_free(c.line);
    wr_free(c.chunk);
    wr_free(c.rel_src);
    wr_free(c.rel_dst);
    wr_free(c.mapped);
    wr_free(c.tried);
    return st;
}
