/* Commit behaviour on a memory volume and a host directory volume. */
/* dirvol lives with the tools, not in lib/: compile it in here. */
#include "../../tools/common/dirvol.c"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/bytes.h"
#include "base/memvol.h"
#include "check.h"
#include "regf_synth.h"
#include "regf/baseblock.h"
#include "regf/commit.h"
#include "regf/recover.h"

#define PATH "\\Boot\\BCD"

static uint8_t *synth(uint32_t bins, uint32_t seq1, uint32_t seq2, size_t *len)
{
    uint8_t *h = regf_synth_image(bins, seq1, seq2);

    for (uint32_t off = 0; off < bins; off += 4096)
        memset(h + 4096 + off + 32, (int)(off >> 12) + 1, 4096 - 32);
    *len = 4096 + bins;
    return h;
}

static struct wr_memvol *volume_with(const uint8_t *data, size_t len, struct wr_volume *vol)
{
    struct wr_memvol *mv;
    struct wr_err err;
    if (wr_memvol_new(&mv, &err) || wr_memvol_put(mv, PATH, data, len, &err))
        return NULL;
    wr_memvol_volume(mv, vol);
    return mv;
}

static void replace_leaves_clean_higher_seq(void)
{
    size_t len;
    uint8_t *old = synth(0x2000, 7, 7, &len), *img = malloc(len);
    memcpy(img, old, len);
    img[4096 + 100] = 0xEE;
    /* The image says 3/3 but the disk has 7/7: the result must outrank both. */
    wr_regf_bb_set_seq(img, 3, 3);
    struct wr_volume vol;
    struct wr_memvol *mv = volume_with(old, len, &vol);
    struct wr_err err = {0};
    struct wr_regf_commit_report rep;
    uint8_t bb[4096];
    wr_status st = wr_regf_commit_image(img, len, bb, &vol, PATH, WR_REGF_COMMIT_REPLACE, &rep, &err);
    size_t got_len = 0;
    const uint8_t *got = wr_memvol_get(mv, PATH, &got_len);
    bool tmp_left = wr_memvol_get(mv, PATH ".wrtmp", &got_len) != NULL;
    got = wr_memvol_get(mv, PATH, &got_len);
    bool ok = st == WR_OK && got && got_len == len && got[4096 + 100] == 0xEE &&
              !wr_regf_is_dirty(got, got_len) && wr_le32(got + 4) == 8 && wr_le32(bb + 8) == 8;
    wr_memvol_free(mv);
    free(old);
    free(img);
    CHECK_OK(st, &err);
    CHECK(ok);
    CHECK(!tmp_left);
    CHECK_INT(rep.seq, 8);
}

static void in_place_writes_log_then_clean_primary(void)
{
    size_t len;
    uint8_t *old = synth(0x3000, 20, 20, &len), *img = malloc(len);
    memcpy(img, old, len);
    img[4096 + 0x1100] ^= 1; /* one page of the second bin */
    struct wr_volume vol;
    struct wr_memvol *mv = volume_with(old, len, &vol);
    wr_memvol_put(mv, "\\Boot\\bcd.log", NULL, 0, NULL);
    struct wr_err err = {0};
    struct wr_regf_commit_report rep;
    uint8_t bb[4096];
    wr_status st = wr_regf_commit_image(img, len, bb, &vol, PATH, WR_REGF_COMMIT_IN_PLACE, &rep, &err);
    size_t plen = 0, llen = 0;
    const uint8_t *p = wr_memvol_get(mv, PATH, &plen);
    const uint8_t *log = wr_memvol_get(mv, "\\Boot\\BCD.LOG", &llen);
    bool prim_ok = p && plen == len && !wr_regf_is_dirty(p, plen) && wr_le32(p + 4) == 21 &&
                   memcmp(p + 4096, img + 4096, len - 4096) == 0;
    bool log_ok = log && llen == 512 + 1024 && wr_le32(log + 0x1C) == 6 && wr_le32(log + 4) == 20 &&
                  memcmp(log + 512, "HvLE", 4) == 0 && wr_le32(log + 512 + 20) == 1 &&
                  wr_le32(log + 512 + 40) == 0x1000 && wr_le32(log + 512 + 44) == 512;
    wr_memvol_free(mv);
    free(old);
    free(img);
    CHECK_OK(st, &err);
    CHECK(prim_ok);
    CHECK_MSG(log_ok, "log is not the expected single-page HvLE entry");
    CHECK_STR(rep.log_path, "\\Boot\\bcd.log");
    CHECK_INT(rep.pages, 1);
    CHECK_INT(rep.seq, 21);
}

static void in_place_refuses_dirty_disk(void)
{
    size_t len;
    uint8_t *old = synth(0x2000, 5, 4, &len);
    struct wr_volume vol;
    struct wr_memvol *mv = volume_with(old, len, &vol);
    struct wr_err err = {0};
    uint8_t bb[4096];
    wr_memvol_reset_count(mv);
    wr_status st = wr_regf_commit_image(old, len, bb, &vol, PATH, WR_REGF_COMMIT_IN_PLACE, NULL, &err);
    uint64_t written = wr_memvol_sectors_written(mv);
    wr_memvol_free(mv);
    free(old);
    CHECK_INT(st, WR_E_REFUSED);
    CHECK_INT(written, 0);
    CHECK(strstr(err.msg, "recover") != NULL);
}

static void in_place_unchanged_writes_nothing(void)
{
    size_t len;
    uint8_t *old = synth(0x2000, 9, 9, &len);
    struct wr_volume vol;
    struct wr_memvol *mv = volume_with(old, len, &vol);
    struct wr_err err = {0};
    uint8_t bb[4096];
    wr_memvol_reset_count(mv);
    wr_status st = wr_regf_commit_image(old, len, bb, &vol, PATH, WR_REGF_COMMIT_IN_PLACE, NULL, &err);
    uint64_t written = wr_memvol_sectors_written(mv);
    wr_memvol_free(mv);
    free(old);
    CHECK_OK(st, &err);
    CHECK_INT(written, 0);
}

static void rejects_bad_image(void)
{
    size_t len;
    uint8_t *img = synth(0x2000, 1, 1, &len);
    struct wr_volume vol;
    struct wr_memvol *mv = volume_with(img, len, &vol);
    struct wr_err err = {0};
    uint8_t bb[4096];
    wr_put_le32(img + WR_REGF_BB_BINS_SIZE, 0x9000); /* larger than the buffer */
    wr_status st = wr_regf_commit_image(img, len, bb, &vol, PATH, WR_REGF_COMMIT_REPLACE, NULL, &err);
    wr_memvol_free(mv);
    free(img);
    CHECK_INT(st, WR_E_INVALID);
}

static void memvol_partial_write(void)
{
    struct wr_memvol *mv;
    struct wr_volume vol;
    struct wr_err err = {0};
    CHECK_OK(wr_memvol_new(&mv, &err), &err);
    wr_memvol_volume(mv, &vol);
    uint8_t buf[2048];
    memset(buf, 0xAB, sizeof buf);
    wr_memvol_cut_after(mv, 2);
    wr_status st = wr_volume_write_file(&vol, "\\Dir\\F", buf, sizeof buf, &err);
    size_t len = 0;
    const uint8_t *f = wr_memvol_get(mv, "\\dir\\f", &len);
    bool lost = wr_memvol_power_lost(mv);
    wr_status st2 = wr_volume_write_file(&vol, "\\G", buf, 1, NULL);
    wr_memvol_free(mv);
    CHECK_INT(st, WR_E_IO);
    CHECK(f != NULL);
    CHECK_INT(len, 1024);
    CHECK(lost);
    CHECK_INT(st2, WR_E_IO);
}

static void memvol_write_at_alignment(void)
{
    struct wr_memvol *mv;
    struct wr_volume vol;
    struct wr_err err = {0};
    CHECK_OK(wr_memvol_new(&mv, &err), &err);
    wr_memvol_volume(mv, &vol);
    uint8_t zero[1024] = {0}, ones[600];
    memset(ones, 1, sizeof ones);
    wr_memvol_put(mv, "\\f", zero, sizeof zero, &err);
    wr_memvol_reset_count(mv);
    /* 600 bytes at 300 touch sectors 0 and 1: two sector writes. */
    CHECK_OK(wr_volume_write_at(&vol, "\\F", 300, ones, sizeof ones, &err), &err);
    CHECK_INT(wr_memvol_sectors_written(mv), 2);
    wr_memvol_cut_after(mv, 1);
    wr_status st = wr_volume_write_at(&vol, "\\F", 300, zero, 600, &err);
    size_t len;
    const uint8_t *f = wr_memvol_get(mv, "\\f", &len);
    bool first_only = f[300] == 0 && f[511] == 0 && f[512] == 1 && f[899] == 1;
    wr_memvol_free(mv);
    CHECK_INT(st, WR_E_IO);
    CHECK(first_only);
}

static void dirvol_roundtrip(void)
{
    char root[] = "/tmp/wr-dirvol-XXXXXX";
    CHECK(mkdtemp(root) != NULL);
    struct wr_dirvol *dv;
    struct wr_volume vol;
    struct wr_err err = {0};
    CHECK_OK(wr_dirvol_open(root, &dv, &err), &err);
    wr_dirvol_volume(dv, &vol);
    const uint8_t text[] = "hello world";
    wr_status st = wr_volume_make_dir(&vol, "\\EFI", &err);
    if (!st)
        st = wr_volume_write_file(&vol, "\\EFI\\BCD", text, 11, &err);
    if (!st) /* a differently-cased path finds the same file */
        st = wr_volume_write_at(&vol, "\\efi\\bcd", 6, (const uint8_t *)"WORLD!", 6, &err);
    uint8_t *back = NULL;
    size_t len = 0;
    if (!st)
        st = wr_volume_read_file(&vol, "\\Efi\\Bcd", 100, &back, &len, &err);
    bool same = !st && len == 12 && memcmp(back, "hello WORLD!", 12) == 0;
    wr_free(back);
    wr_status big = wr_volume_read_file(&vol, "\\EFI\\BCD", 4, &back, &len, NULL);
    char path[600];
    snprintf(path, sizeof path, "%s/EFI/BCD", root);
    unlink(path);
    snprintf(path, sizeof path, "%s/EFI", root);
    rmdir(path);
    rmdir(root);
    wr_dirvol_close(dv);
    CHECK_OK(st, &err);
    CHECK(same);
    CHECK_INT(big, WR_E_TOO_BIG);
}

int main(void)
{
    RUN(replace_leaves_clean_higher_seq);
    RUN(in_place_writes_log_then_clean_primary);
    RUN(in_place_refuses_dirty_disk);
    RUN(in_place_unchanged_writes_nothing);
    RUN(rejects_bad_image);
    RUN(memvol_partial_write);
    RUN(memvol_write_at_alignment);
    RUN(dirvol_roundtrip);
    return check_done();
}
