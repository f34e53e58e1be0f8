/* lib/rescue_files on memory volumes: names, manifest, errors, cancel, space. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/memvol.h"
#include "base/sha256.h"
#include "check.h"
#include "rescue_files/rescue_files.h"

struct fixture {
    struct wr_memvol *src_mv, *dst_mv;
    struct wr_volume src_vol, dst_vol;
    struct wr_rf_source src;
    struct wr_err err;
};

static void dir(struct wr_memvol *mv, const char *path)
{
    struct wr_volume v;
    struct wr_err e = { 0 };

    wr_memvol_volume(mv, &v);
    wr_volume_make_dir(&v, path, &e);
}

static void put(struct wr_memvol *mv, const char *path, const char *text)
{
    struct wr_err e = { 0 };
    wr_memvol_put(mv, path, (const uint8_t *)text, strlen(text), &e);
}

static bool setup(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    if (wr_memvol_new(&f->src_mv, &f->err) || wr_memvol_new(&f->dst_mv, &f->err))
        return false;
    wr_memvol_volume(f->src_mv, &f->src_vol);
    wr_memvol_volume(f->dst_mv, &f->dst_vol);
    f->src_vol.name = "source";
    f->dst_vol.name = "stick";
    wr_rf_volume_source(&f->src_vol, &f->src);
    dir(f->src_mv, "\\Users");
    dir(f->src_mv, "\\Users\\alice");
    dir(f->src_mv, "\\Users\\alice\\Documents");
    dir(f->src_mv, "\\Users\\alice\\Documents\\deep");
    dir(f->src_mv, "\\Users\\alice\\Documents\\deep\\er");
    dir(f->src_mv, "\\Users\\alice\\Desktop");
    dir(f->src_mv, "\\Users\\Public");
    dir(f->src_mv, "\\Users\\bob");
    put(f->src_mv, "\\Users\\alice\\Documents\\letter.txt", "Dear Bob");
    put(f->src_mv, "\\Users\\alice\\Documents\\deep\\er\\note.txt", "deep note");
    put(f->src_mv, "\\Users\\alice\\Documents\\what?.txt", "q");
    put(f->src_mv, "\\Users\\alice\\Documents\\what*.txt", "star");
    put(f->src_mv, "\\Users\\alice\\Desktop\\CON.txt", "dev");
    put(f->src_mv, "\\Users\\alice\\Desktop\\trail.", "dot");
    return true;
}

static void teardown(struct fixture *f)
{
    wr_memvol_free(f->src_mv);
    wr_memvol_free(f->dst_mv);
}

static const char *const two[] = { "Documents", "Desktop" };

static void job_init(struct fixture *f, struct wr_rf_job *j)
{
    memset(j, 0, sizeof *j);
    j->src = &f->src;
    j->src_root = "\\Users\\alice";
    j->folders = two;
    j->n_folders = 2;
    j->dst = &f->dst_vol;
    j->dst_root = "\\RESCUE\\alice";
    j->dst_free = UINT64_MAX;
}

static char *manifest(struct fixture *f)
{
    size_t len;
    const uint8_t *m = wr_memvol_get(f->dst_mv, "\\RESCUE\\alice\\MANIFEST.txt", &len);
    char *s = m ? malloc(len + 1) : NULL;

    if (s) {
        memcpy(s, m, len);
        s[len] = '\0';
    }
    return s;
}

static int count_lines(const char *s, const char *prefix)
{
    int n = 0;

    for (const char *p = s; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : "")
        if (!strncmp(p, prefix, strlen(prefix)))
            n++;
    return n;
}

/* Every FILE line's stored file exists with that size and digest. */
static bool manifest_matches(struct fixture *f, const char *m, int *files)
{
    const char *p = m;

    *files = 0;
    while ((p = strstr(p, "FILE\t")) != NULL) {
        char hex[65], stored[512], path[600], got[65];
        unsigned long long size;
        const uint8_t *data;
        size_t len;

        if (sscanf(p, "FILE\t%64s\t%llu\t%511[^\t]", hex, &size, stored) != 3)
            return false;
        snprintf(path, sizeof path, "\\RESCUE\\alice\\%s", stored);
        data = wr_memvol_get(f->dst_mv, path, &len);
        if (!data || len != size)
            return false;
        wr_sha256_hex(data, len, got);
        if (strcmp(got, hex))
            return false;
        (*files)++;
        p++;
    }
    return true;
}

static void fat_names_mapped(void)
{
    char out[600], longname[400];

    CHECK(!wr_rf_fat_name("letter.txt", out, sizeof out));
    CHECK_STR(out, "letter.txt");
    CHECK(wr_rf_fat_name("a:b?c*.txt", out, sizeof out));
    CHECK_STR(out, "a_b_c_.txt");
    CHECK(wr_rf_fat_name("trail. ", out, sizeof out));
    CHECK_STR(out, "trail__");
    CHECK(wr_rf_fat_name("con.txt", out, sizeof out));
    CHECK_STR(out, "con_.txt");
    CHECK(wr_rf_fat_name("LPT1", out, sizeof out));
    CHECK_STR(out, "LPT1_");
    CHECK(!wr_rf_fat_name("COM10.txt", out, sizeof out));
    CHECK(!wr_rf_fat_name("caf\xc3\xa9.txt", out, sizeof out));
    memset(longname, 'x', 300);
    memcpy(longname + 300, ".docx", 6);
    CHECK(wr_rf_fat_name(longname, out, sizeof out));
    CHECK_INT(strlen(out), 255);
    CHECK_STR(out + 250, ".docx");
    /* Astral characters are two UTF-16 units: 127 fit in 255, never half. */
    {
        static char emoji[200 * 4 + 1];
        static char cut[1024];

        for (int i = 0; i < 200; i++)
            memcpy(emoji + 4 * i, "\xf0\x9f\x98\x80", 4);
        CHECK(wr_rf_fat_name(emoji, cut, sizeof cut));
        CHECK_INT(strlen(cut), 127 * 4);
    }
}

static void users_listed_without_public(void)
{
    struct fixture f;
    char names[WR_RF_MAX_USERS][WR_RF_USER_MAX];
    size_t n;

    CHECK(setup(&f));
    CHECK_OK(wr_rf_list_users(&f.src, names, WR_RF_MAX_USERS, &n, &f.err), &f.err);
    teardown(&f);
    CHECK_INT(n, 2);
    CHECK_STR(names[0], "alice");
    CHECK_STR(names[1], "bob");
}

static void measure_counts_tree(void)
{
    struct fixture f;
    struct wr_rf_tally t;

    CHECK(setup(&f));
    CHECK_OK(wr_rf_measure(&f.src, "\\Users\\alice\\Documents", &t, &f.err), &f.err);
    teardown(&f);
    CHECK_INT(t.files, 4);
    CHECK_INT(t.dirs, 2);
    CHECK_INT(t.bytes, 8 + 9 + 1 + 4);
}

static void copy_keeps_tree_and_manifest(void)
{
    struct fixture f;
    struct wr_rf_job j;
    struct wr_rf_result r;
    char *m;
    int files;
    size_t len;
    const uint8_t *d;

    CHECK(setup(&f));
    job_init(&f, &j);
    CHECK_OK(wr_rf_copy(&j, &r, &f.err), &f.err);
    m = manifest(&f);
    CHECK(m);
    CHECK_INT(r.files_copied, 6);
    CHECK_INT(r.errors, 0);
    CHECK(manifest_matches(&f, m, &files));
    CHECK_INT(files, 6);
    CHECK(strstr(m, "\tDocuments\\deep\\er\\note.txt\tDocuments\\deep\\er\\note.txt\n"));
    CHECK(strstr(m, "\tDocuments\\what_.txt\tDocuments\\what?.txt\n"));
    CHECK(strstr(m, "\tDocuments\\what_ (2).txt\tDocuments\\what*.txt\n"));
    CHECK(strstr(m, "\tDesktop\\CON_.txt\tDesktop\\CON.txt\n"));
    CHECK(strstr(m, "\tDesktop\\trail_\tDesktop\\trail.\n"));
    CHECK(strstr(m, "# complete: 6 files"));
    d = wr_memvol_get(f.dst_mv, "\\RESCUE\\alice\\Documents\\letter.txt", &len);
    CHECK(d && len == 8 && !memcmp(d, "Dear Bob", 8));
    CHECK(r.renamed >= 4);
    free(m);
    /* A second run into the same folder refuses: the first is kept. */
    CHECK_INT(wr_rf_copy(&j, &r, &f.err), WR_E_EXISTS);
    teardown(&f);
}

static void big_file_streamed_in_pieces(void)
{
    struct fixture f;
    struct wr_rf_job j;
    struct wr_rf_result r;
    static const char *const docs[] = { "Documents" };
    size_t big = 3 * (1u << 20) + 12345, len;
    uint8_t *data = malloc(big);
    const uint8_t *got;
    char want[65], *m;

    CHECK(data && setup(&f));
    for (size_t i = 0; i < big; i++)
        data[i] = (uint8_t)(i * 131 + (i >> 11));
    CHECK_OK(wr_memvol_put(f.src_mv, "\\Users\\alice\\Documents\\big.bin", data, big, &f.err),
             &f.err);
    job_init(&f, &j);
    j.folders = docs;
    j.n_folders = 1;
    CHECK_OK(wr_rf_copy(&j, &r, &f.err), &f.err);
    got = wr_memvol_get(f.dst_mv, "\\RESCUE\\alice\\Documents\\big.bin", &len);
    CHECK(got && len == big && !memcmp(got, data, big));
    wr_sha256_hex(data, big, want);
    m = manifest(&f);
    CHECK(m && strstr(m, want));
    free(m);
    free(data);
    teardown(&f);
}

static void full_stick_refused_up_front(void)
{
    struct fixture f;
    struct wr_rf_job j;
    struct wr_rf_result r;

    CHECK(setup(&f));
    job_init(&f, &j);
    j.dst_free = 16 * 1024;
    CHECK_INT(wr_rf_copy(&j, &r, &f.err), WR_E_REFUSED);
    CHECK(strstr(f.err.msg, "needs"));
    CHECK(strstr(f.err.msg, "nothing was copied"));
    CHECK_INT(wr_memvol_sectors_written(f.dst_mv), 0);
    CHECK(r.needed > j.dst_free);
    teardown(&f);
}

struct cancel_after {
    int files_left;
};

static bool cancel_cb(void *ctx)
{
    struct cancel_after *c = ctx;
    return c->files_left-- <= 0;
}

static void cancel_leaves_consistent_target(void)
{
    int cancels = 0;

    for (int k = 0; k < 8; k++) {
        struct fixture f;
        struct wr_rf_job j;
        struct wr_rf_result r;
        struct cancel_after c = { k };
        char *m;
        int files;
        wr_status st;

        CHECK(setup(&f));
        job_init(&f, &j);
        j.ctx = &c;
        j.cancelled = cancel_cb;
        st = wr_rf_copy(&j, &r, &f.err);
        m = manifest(&f);
        CHECK(m);
        CHECK(manifest_matches(&f, m, &files));
        CHECK_INT(files, (int)r.files_copied);
        if (st == WR_E_CANCELLED) {
            CHECK(r.cancelled);
            CHECK(strstr(m, "# cancelled:"));
            CHECK(r.files_copied < 6);
            cancels++;
        } else {
            CHECK_INT(st, WR_OK);
        }
        free(m);
        teardown(&f);
    }
    CHECK(cancels >= 5);
}

/* A source whose open fails for names with "bad", and where "Link" is a
 * reparse point: errors are listed, links skipped, the rest copied. */
static wr_status fail_open(void *ctx, const char *path, void **file, uint64_t *size,
                           struct wr_err *err)
{
    struct wr_rf_source inner;

    if (strstr(path, "bad"))
        return wr_fail(err, WR_E_CORRUPT, "%s: broken run list", path);
    wr_rf_volume_source(ctx, &inner);
    return inner.ops->open(ctx, path, file, size, err);
}

struct relay {
    wr_rf_visit visit;
    void *arg;
};

static wr_status mark_link(void *arg, const struct wr_rf_entry *e)
{
    struct relay *r = arg;
    struct wr_rf_entry copy = *e;

    copy.is_reparse = !strcmp(e->name, "Link");
    return r->visit(r->arg, &copy);
}

static wr_status list_links(void *ctx, const char *path, wr_rf_visit visit, void *arg,
                            struct wr_err *err)
{
    struct wr_rf_source inner;
    struct relay r = { visit, arg };

    wr_rf_volume_source(ctx, &inner);
    return inner.ops->list(ctx, path, mark_link, &r, err);
}

static void errors_listed_and_links_skipped(void)
{
    struct fixture f;
    struct wr_rf_job j;
    struct wr_rf_result r;
    struct wr_rf_source_ops ops;
    char *m;
    int files;

    CHECK(setup(&f));
    ops = *f.src.ops;
    ops.open = fail_open;
    ops.list = list_links;
    f.src.ops = &ops;
    put(f.src_mv, "\\Users\\alice\\Documents\\bad.doc", "x");
    dir(f.src_mv, "\\Users\\alice\\Documents\\Link");
    put(f.src_mv, "\\Users\\alice\\Documents\\Link\\inside.txt", "never");
    job_init(&f, &j);
    CHECK_OK(wr_rf_copy(&j, &r, &f.err), &f.err);
    m = manifest(&f);
    CHECK(m);
    CHECK_INT(r.errors, 1);
    CHECK_INT(r.skipped, 1);
    CHECK_INT(r.files_copied, 6);
    CHECK(strstr(r.error_list[0], "broken run list"));
    CHECK(strstr(m, "ERROR\tDocuments\\bad.doc\t"));
    CHECK(strstr(m, "SKIP\tDocuments\\Link\t"));
    CHECK(!strstr(m, "inside.txt"));
    CHECK_INT(count_lines(m, "FILE\t"), 6);
    CHECK(manifest_matches(&f, m, &files));
    CHECK(!wr_memvol_get(f.dst_mv, "\\RESCUE\\alice\\Documents\\bad.doc", NULL));
    free(m);
    teardown(&f);
}

static void failing_target_stops(void)
{
    struct fixture f;
    struct wr_rf_job j;
    struct wr_rf_result r;

    CHECK(setup(&f));
    job_init(&f, &j);
    wr_memvol_cut_after(f.dst_mv, 6);
    CHECK_INT(wr_rf_copy(&j, &r, &f.err), WR_E_IO);
    CHECK(r.files_copied < 6);
    teardown(&f);
}

struct clock {
    uint64_t ms;
    int calls;
    struct wr_rf_progress last;
};

static uint64_t tick(void *ctx)
{
    struct clock *c = ctx;
    return c->ms += 100;
}

static void on_progress(void *ctx, const struct wr_rf_progress *p)
{
    struct clock *c = ctx;
    c->last = *p;
    c->calls++;
}

static void progress_reports_rate_and_files(void)
{
    struct fixture f;
    struct wr_rf_job j;
    struct wr_rf_result r;
    struct clock c = { 0 };
    char text[32];

    CHECK(setup(&f));
    job_init(&f, &j);
    j.ctx = &c;
    j.now_ms = tick;
    j.progress = on_progress;
    CHECK_OK(wr_rf_copy(&j, &r, &f.err), &f.err);
    teardown(&f);
    CHECK(c.calls >= 6);
    CHECK_INT(c.last.files_done, 6);
    CHECK_INT(c.last.files_total, 6);
    CHECK_INT(c.last.bytes_done, c.last.bytes_total);
    CHECK(c.last.bytes_per_s > 0);
    CHECK(r.elapsed_ms > 0);
    wr_rf_format_bytes(1234567, text, sizeof text);
    CHECK_STR(text, "1.2 MB");
    wr_rf_format_bytes(999, text, sizeof text);
    CHECK_STR(text, "999 B");
}

/* Past RF_MAX_DEPTH (64) levels the folder is an error; the rest is copied. */
static void too_deep_is_an_error_not_a_crash(void)
{
    struct fixture f;
    struct wr_rf_job j;
    struct wr_rf_result r;
    char path[400] = "\\Users\\alice\\Documents", *m;

    CHECK(setup(&f));
    for (int i = 0; i < 70; i++) {
        strcat(path, "\\d");
        dir(f.src_mv, path);
    }
    strcat(path, "\\bottom.txt");
    put(f.src_mv, path, "deep");
    job_init(&f, &j);
    CHECK_OK(wr_rf_copy(&j, &r, &f.err), &f.err);
    m = manifest(&f);
    teardown(&f);
    CHECK(m);
    CHECK_INT(r.errors, 1);
    CHECK_INT(r.files_copied, 6);
    CHECK(strstr(m, "nested too deep"));
    CHECK(!strstr(m, "bottom.txt\n"));
    free(m);
}

int main(void)
{
    RUN(too_deep_is_an_error_not_a_crash);
    RUN(fat_names_mapped);
    RUN(users_listed_without_public);
    RUN(measure_counts_tree);
    RUN(copy_keeps_tree_and_manifest);
    RUN(big_file_streamed_in_pieces);
    RUN(full_stick_refused_up_front);
    RUN(cancel_leaves_consistent_target);
    RUN(errors_listed_and_links_skipped);
    RUN(failing_target_stops);
    RUN(progress_reports_rate_and_files);
    return check_done();
}
