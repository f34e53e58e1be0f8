/* Power cut at every sector of a commit, both ways: reopening with log
 * recovery must give exactly the old or the new hive. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/memvol.h"
#include "check.h"
#include "regf_synth.h"
#include "regf/baseblock.h"
#include "regf/commit.h"
#include "regf/commit_internal.h"
#include "regf/recover.h"

#define PATH "\\EFI\\Microsoft\\Boot\\BCD"

struct img {
    uint8_t *data;
    size_t len;
};

static uint32_t rnd(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

/* A synthetic hive image: a sound base block and `bins` bytes of bins whose
 * content is only bytes (recovery never interprets cells). */
static struct img synth(uint32_t bins, uint32_t seq, uint32_t seed)
{
    struct img im = {regf_synth_image(bins, seq, seq), 4096 + bins};
    uint8_t *h = im.data;

    for (uint32_t off = 0; off < bins; off += 4096) {
        uint8_t *b = h + 4096 + off;
        for (uint32_t i = 32; i < 4096; i++)
            b[i] = (uint8_t)rnd(&seed);
    }
    return im;
}

/* The "edit": change scattered pages, optionally growing by one bin. */
static struct img edited(const struct img *old, bool grow, uint32_t seed)
{
    uint32_t bins = wr_le32(old->data + WR_REGF_BB_BINS_SIZE) + (grow ? 4096 : 0);
    struct img im = {calloc(1, 4096 + bins), 4096 + bins};
    memcpy(im.data, old->data, old->len);
    for (int i = 0; i < 5; i++) {
        uint32_t off = 4096 + 32 + rnd(&seed) % (uint32_t)(old->len - 4096 - 64);
        im.data[off] ^= 0x5A;
        im.data[off + 1] ^= 0xA5;
    }
    if (grow) {
        uint8_t *b = im.data + old->len;
        memcpy(b, "hbin", 4);
        wr_put_le32(b + 4, bins - 4096);
        wr_put_le32(b + 8, 4096);
        memset(b + 32, 0x77, 4096 - 32);
        wr_regf_bb_set_bins_size(im.data, bins);
    }
    return im;
}

/* Reopens PATH as a reader would: recover when dirty. Returns the image. */
static bool reopen(struct wr_memvol *mv, struct img *out, char *why, size_t why_size)
{
    struct wr_volume vol;
    struct wr_err err = {0};
    size_t len;
    const uint8_t *p = wr_memvol_get(mv, PATH, &len);
    if (!p) {
        snprintf(why, why_size, "primary is gone");
        return false;
    }
    if (!wr_regf_is_dirty(p, len)) {
        out->data = malloc(len);
        memcpy(out->data, p, len);
        out->len = len;
        return true;
    }
    wr_memvol_volume(mv, &vol);
    struct wr_regf_logset set;
    if (wr_regf_find_logs(&vol, PATH, 1 << 24, &set, &err)) {
        snprintf(why, why_size, "find logs: %s", err.msg);
        return false;
    }
    uint8_t *rec = NULL;
    size_t rlen = 0;
    wr_status st = wr_regf_recover("BCD", p, len, set.log, set.count, &rec, &rlen, NULL, &err);
    wr_regf_logset_free(&set);
    if (st) {
        snprintf(why, why_size, "recovery failed: %s", err.msg);
        return false;
    }
    out->data = malloc(rlen);
    memcpy(out->data, rec, rlen);
    out->len = rlen;
    wr_free(rec);
    return true;
}

/* Same hive content: bins size and every bins byte. */
static bool same_bins(const struct img *a, const struct img *b)
{
    uint32_t bins = wr_le32(b->data + WR_REGF_BB_BINS_SIZE);
    return a->len >= 4096 + (size_t)bins && wr_le32(a->data + WR_REGF_BB_BINS_SIZE) == bins &&
           memcmp(a->data + 4096, b->data + 4096, bins) == 0;
}

static struct wr_memvol *start_volume(const struct img *old, bool stale_logs)
{
    struct wr_memvol *mv;
    struct wr_err err;
    if (wr_memvol_new(&mv, &err))
        return NULL;
    wr_memvol_put(mv, PATH, old->data, old->len, &err);
    if (stale_logs) {
        /* A LOG2 that claims the next sequence: replaying it after ours
         * would corrupt the hive, so the commit must neutralise it. */
        uint32_t s = wr_le32(old->data + WR_REGF_BB_SEQ1);
        struct img junk = synth(0x2000, s + 1, 99);
        struct wr_regf_run run = {0, 1024};
        uint8_t *log;
        size_t log_len;
        if (wr_regf_build_log(junk.data, junk.data, s + 1, &run, 1, &log, &log_len, &err) == WR_OK) {
            wr_memvol_put(mv, PATH ".LOG2", log, log_len, &err);
            wr_free(log);
        }
        wr_memvol_put(mv, PATH ".log1", NULL, 0, &err);
        free(junk.data);
    }
    return mv;
}

/* Cuts the commit of `new` over base's PATH after every possible sector. */
static void cut_all(struct wr_memvol *base, const struct img *old, const struct img *new,
                    enum wr_regf_commit_mode mode)
{
    struct wr_err err = {0};
    uint8_t bb[4096];

    /* A full run gives the number of sector writes to cut at. */
    struct wr_memvol *mv;
    struct wr_volume vol;
    CHECK_OK(wr_memvol_clone(base, &mv, &err), &err);
    wr_memvol_volume(mv, &vol);
    wr_status st = wr_regf_commit_image(new->data, new->len, bb, &vol, PATH, mode, NULL, &err);
    uint64_t total = wr_memvol_sectors_written(mv);
    wr_memvol_free(mv);
    CHECK_OK(st, &err);
    CHECK(total > 2);

    int olds = 0, news = 0;
    char why[300] = "";
    bool ok = true;
    for (uint64_t k = 0; k <= total && ok; k++) {
        if (wr_memvol_clone(base, &mv, &err))
            break;
        wr_memvol_volume(mv, &vol);
        wr_memvol_cut_after(mv, k);
        st = wr_regf_commit_image(new->data, new->len, bb, &vol, PATH, mode, NULL, &err);
        struct img got = {0};
        if (k < total && st == WR_OK) {
            snprintf(why, sizeof why, "cut after %llu of %llu sectors but commit succeeded",
                     (unsigned long long)k, (unsigned long long)total);
            ok = false;
        } else if (k == total && st != WR_OK) {
            snprintf(why, sizeof why, "uncut commit failed: %s", err.msg);
            ok = false;
        } else if (!reopen(mv, &got, why, sizeof why)) {
            ok = false;
        } else if (same_bins(&got, new)) {
            news++;
        } else if (same_bins(&got, old)) {
            olds++;
            if (k == total) {
                snprintf(why, sizeof why, "complete commit left the old hive");
                ok = false;
            }
        } else {
            snprintf(why, sizeof why, "cut after %llu sectors: neither old nor new hive",
                     (unsigned long long)k);
            ok = false;
        }
        free(got.data);
        wr_memvol_free(mv);
    }
    CHECK_MSG(ok, "%s", why);
    CHECK(olds > 0);
    CHECK(news > 0);
    if (mode == WR_REGF_COMMIT_IN_PLACE)
        CHECK_MSG(news > 1, "only the final sector gave the new hive: the log never helped");
}

static void cut_everywhere(enum wr_regf_commit_mode mode, bool grow, bool stale_logs)
{
    struct img old = synth(0x3000, 41, 7), new = edited(&old, grow, 3);
    struct wr_memvol *base = start_volume(&old, stale_logs);
    if (base)
        cut_all(base, &old, &new, mode);
    wr_memvol_free(base);
    free(old.data);
    free(new.data);
    CHECK(base != NULL);
}

/* A real BCD with the logs Windows left beside it (stale and applied ones,
 * old and new format), edited by flipping bytes in its bins. */
static void real_bcd(const char *name, enum wr_regf_commit_mode mode, bool grow)
{
    const char *shared = check_shared_dir();
    if (!shared)
        SKIP("no shared fixtures");
    char path[1024];
    snprintf(path, sizeof path, "%s/regf-fixtures/bcd/%s", shared, name);
    struct img old = {0};
    old.data = check_read_file(path, &old.len);
    if (!old.data)
        SKIP("%s missing", path);
    uint32_t bins = wr_le32(old.data + WR_REGF_BB_BINS_SIZE);
    size_t file_len = old.len;
    old.len = 4096 + bins; /* the slack after the bins is not hive content */
    struct img new = edited(&old, grow, 11);
    struct wr_memvol *base = NULL;
    struct wr_err err;
    wr_memvol_new(&base, &err);
    wr_memvol_put(base, PATH, old.data, file_len, &err);
    static const char *const sfx[] = {".LOG", ".LOG1", ".LOG2"};
    for (int i = 0; i < 3; i++) {
        char lp[1100], vp[100];
        size_t llen;
        snprintf(lp, sizeof lp, "%s%s", path, sfx[i]);
        uint8_t *log = check_read_file(lp, &llen);
        if (!log)
            continue;
        snprintf(vp, sizeof vp, "%s%s", PATH, sfx[i]);
        wr_memvol_put(base, vp, log, llen, &err);
        free(log);
    }
    cut_all(base, &old, &new, mode);
    wr_memvol_free(base);
    free(old.data);
    free(new.data);
}

static void bcd_nuc8_in_place(void) { real_bcd("nuc8-esp.BCD", WR_REGF_COMMIT_IN_PLACE, false); }
static void bcd_z370_in_place_grow(void) { real_bcd("z370-esp-2016.BCD", WR_REGF_COMMIT_IN_PLACE, true); }
static void bcd_x2100_oldlog_in_place(void)
{
    real_bcd("x2100-esp-oldlog.BCD", WR_REGF_COMMIT_IN_PLACE, false);
}
static void bcd_ipxe_slack_in_place(void)
{
    real_bcd("ipxe-nativewin11-winpe-vista.BCD", WR_REGF_COMMIT_IN_PLACE, true);
}
static void bcd_nuc8_replace(void) { real_bcd("nuc8-esp.BCD", WR_REGF_COMMIT_REPLACE, true); }

static void replace_every_cut(void) { cut_everywhere(WR_REGF_COMMIT_REPLACE, false, false); }
static void replace_every_cut_grow(void) { cut_everywhere(WR_REGF_COMMIT_REPLACE, true, true); }
static void in_place_every_cut(void) { cut_everywhere(WR_REGF_COMMIT_IN_PLACE, false, false); }
static void in_place_every_cut_grow(void) { cut_everywhere(WR_REGF_COMMIT_IN_PLACE, true, false); }
static void in_place_every_cut_stale_logs(void)
{
    cut_everywhere(WR_REGF_COMMIT_IN_PLACE, true, true);
}

int main(void)
{
    RUN(replace_every_cut);
    RUN(replace_every_cut_grow);
    RUN(in_place_every_cut);
    RUN(in_place_every_cut_grow);
    RUN(in_place_every_cut_stale_logs);
    RUN(bcd_nuc8_in_place);
    RUN(bcd_z370_in_place_grow);
    RUN(bcd_x2100_oldlog_in_place);
    RUN(bcd_ipxe_slack_in_place);
    RUN(bcd_nuc8_replace);
    return check_done();
}
