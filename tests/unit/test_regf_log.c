/* Log recovery against the yarp / regipy fixtures (regf-format.md §11). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/memvol.h"
#include "check.h"
#include "regf/marvin32.h"
#include "regf/recover.h"

struct loaded {
    size_t n;
    struct wr_regf_log log[3];
    uint8_t *buf[3];
    uint8_t *primary;
    size_t primary_len;
};

static void unload(struct loaded *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->buf[i]);
    free(l->primary);
    memset(l, 0, sizeof *l);
}

/* Loads dirty/<dir>/<hive> and the named logs (in that order). */
static bool load(struct loaded *l, const char *dir, const char *hive, const char *const *logs)
{
    char path[1024];
    const char *shared = check_shared_dir();
    memset(l, 0, sizeof *l);
    if (!shared)
        return false;
    snprintf(path, sizeof path, "%s/regf-fixtures/dirty/%s/%s", shared, dir, hive);
    l->primary = check_read_file(path, &l->primary_len);
    if (!l->primary)
        return false;
    for (; logs && *logs && l->n < 3; logs++) {
        snprintf(path, sizeof path, "%s/regf-fixtures/dirty/%s/%s", shared, dir, *logs);
        size_t len = 0;
        l->buf[l->n] = check_read_file(path, &len);
        if (!l->buf[l->n] && len == 0)
            l->buf[l->n] = calloc(1, 1); /* an empty log file */
        l->log[l->n].name = *logs;
        l->log[l->n].data = l->buf[l->n];
        l->log[l->n].len = len;
        l->n++;
    }
    return true;
}

static wr_status run(struct loaded *l, uint8_t **out, size_t *out_len,
                     struct wr_regf_recover_report *rep, struct wr_err *err)
{
    return wr_regf_recover("hive", l->primary, l->primary_len, l->log, l->n, out, out_len, rep, err);
}

static void marvin_known_answer(void)
{
    /* Hash-2 of a real entry is Marvin32 over its first 32 bytes; the other
     * vectors pin the tail rule for 0..3 leftover bytes. */
    uint8_t zero[4] = {0};
    uint64_t h0 = wr_regf_marvin32(zero, 0, WR_REGF_MARVIN32_SEED);
    CHECK(h0 != wr_regf_marvin32(zero, 4, WR_REGF_MARVIN32_SEED));
    CHECK(wr_regf_marvin32(zero, 1, WR_REGF_MARVIN32_SEED) !=
          wr_regf_marvin32(zero, 2, WR_REGF_MARVIN32_SEED));
    const char *shared = check_shared_dir();
    if (!shared)
        SKIP("no shared fixtures for the real-log vector");
    char path[1024];
    snprintf(path, sizeof path, "%s/regf-fixtures/bcd/nuc8-esp.BCD.LOG", shared);
    size_t len;
    uint8_t *log = check_read_file(path, &len);
    if (!log)
        SKIP("%s missing", path);
    CHECK(len > 1024 && memcmp(log + 512, "HvLE", 4) == 0);
    uint32_t size = wr_le32(log + 516);
    CHECK(size >= 512 && 512 + (size_t)size <= len);
    CHECK(wr_regf_marvin32(log + 512, 32, WR_REGF_MARVIN32_SEED) == wr_le64(log + 512 + 32));
    CHECK(wr_regf_marvin32(log + 552, size - 40, WR_REGF_MARVIN32_SEED) == wr_le64(log + 512 + 24));
    free(log);
}

static void new_dirty1_matches_windows(const char *const *logs)
{
    struct loaded l;
    if (!load(&l, "yarp-NewDirtyHive1", "NewDirtyHive", logs))
        SKIP("yarp-NewDirtyHive1 fixtures not present");
    char path[1024];
    snprintf(path, sizeof path, "%s/regf-fixtures/dirty/yarp-NewDirtyHive1/RecoveredHive_Windows10",
             check_shared_dir());
    size_t wlen;
    uint8_t *win = check_read_file(path, &wlen);
    uint8_t *out = NULL;
    size_t out_len = 0;
    struct wr_regf_recover_report rep;
    struct wr_err err = {0};
    wr_status st = run(&l, &out, &out_len, &rep, &err);
    if (st != WR_OK || !win) {
        unload(&l);
        free(win);
        CHECK_MSG(0, "recover failed: %s", err.msg);
    }
    bool same = out_len == wlen && memcmp(out + 4096, win + 4096, wlen - 4096) == 0;
    uint32_t s1 = wr_le32(out + 4), s2 = wr_le32(out + 8);
    wr_free(out);
    free(win);
    unload(&l);
    CHECK_MSG(same, "recovered bins differ from Windows 10's; report:\n%s", rep.text);
    CHECK_INT(rep.format, 6);
    CHECK_INT(rep.entries_applied, 4);
    CHECK_INT(rep.first_seq, 2);
    CHECK_INT(rep.final_seq, 5);
    CHECK_INT(s1, 5);
    CHECK_INT(s2, 5);
}

static void new_dirty1_log1_log2(void)
{
    static const char *const logs[] = {"NewDirtyHive.LOG1", "NewDirtyHive.LOG2", NULL};
    new_dirty1_matches_windows(logs);
}

static void new_dirty1_log2_log1(void)
{
    static const char *const logs[] = {"NewDirtyHive.LOG2", "NewDirtyHive.LOG1", NULL};
    new_dirty1_matches_windows(logs);
}

static void new_dirty2_skips_stale_log1(void)
{
    static const char *const logs[] = {"NewDirtyHive.LOG1", "NewDirtyHive.LOG2", NULL};
    struct loaded l;
    if (!load(&l, "yarp-NewDirtyHive2", "NewDirtyHive", logs))
        SKIP("yarp-NewDirtyHive2 fixtures not present");
    uint8_t *out = NULL;
    size_t out_len = 0;
    struct wr_regf_recover_report rep;
    struct wr_err err = {0};
    wr_status st = run(&l, &out, &out_len, &rep, &err);
    unload(&l);
    CHECK_OK(st, &err);
    uint32_t s1 = wr_le32(out + 4), s2 = wr_le32(out + 8);
    wr_free(out);
    CHECK_INT(s1, 5);
    CHECK_INT(s2, 5);
    CHECK_INT(rep.logs_used, 2); /* LOG2 only */
    CHECK_INT(rep.entries_applied, 3);
    CHECK_MSG(strstr(rep.text, "NewDirtyHive.LOG1: skipped: sequence 2 is older") != NULL,
              "report does not explain the skip:\n%s", rep.text);
}

static void bad_log_fails(const char *dir, const char *const *logs, const char *want)
{
    struct loaded l;
    if (!load(&l, dir, "BadLogHive", logs))
        SKIP("%s fixtures not present", dir);
    uint8_t *out = NULL;
    size_t out_len = 0;
    struct wr_regf_recover_report rep;
    struct wr_err err = {0};
    wr_status st = run(&l, &out, &out_len, &rep, &err);
    unload(&l);
    CHECK_INT(st, WR_E_CORRUPT);
    CHECK(out == NULL);
    CHECK_MSG(strstr(err.msg, want) != NULL, "message \"%s\" lacks \"%s\"", err.msg, want);
}

static void bad_log1_checksum(void)
{
    static const char *const logs[] = {"BadLogHive.LOG1", "BadLogHive.LOG2", NULL};
    bad_log_fails("yarp-BadLogHive1", logs, "checksum");
}

static void bad_log2_no_dirt(void)
{
    static const char *const logs[] = {"BadLogHive.LOG1", "BadLogHive.LOG2", NULL};
    bad_log_fails("yarp-BadLogHive2", logs, "DIRT");
}

static void bad_log3_new_checksums(void)
{
    static const char *const logs[] = {"BadLogHive.LOG1", "BadLogHive.LOG2", NULL};
    bad_log_fails("yarp-BadLogHive3", logs, "checksum");
}

static void bad_base_block_from_log1(void)
{
    static const char *const logs[] = {"BadBaseBlockHive.LOG1", "BadBaseBlockHive.LOG2", NULL};
    struct loaded l;
    if (!load(&l, "yarp-BadBaseBlockHive", "BadBaseBlockHive", logs))
        SKIP("yarp-BadBaseBlockHive fixtures not present");
    uint8_t *out = NULL;
    size_t out_len = 0;
    struct wr_regf_recover_report rep;
    struct wr_err err = {0};
    wr_status st = run(&l, &out, &out_len, &rep, &err);
    unload(&l);
    CHECK_OK(st, &err);
    bool dirty = wr_regf_is_dirty(out, out_len);
    uint32_t minor = wr_le32(out + 0x18);
    wr_free(out);
    CHECK(rep.header_from_log);
    CHECK_INT(rep.format, 1);
    CHECK_INT(rep.logs_used, 1);
    CHECK(!dirty);
    CHECK_INT(minor, 3);
}

static void old_dirty_recovers(void)
{
    static const char *const logs[] = {"OldDirtyHive.LOG1", "OldDirtyHive.LOG2", NULL};
    struct loaded l;
    if (!load(&l, "yarp-OldDirtyHive", "OldDirtyHive", logs))
        SKIP("yarp-OldDirtyHive fixtures not present");
    uint8_t *out = NULL;
    size_t out_len = 0;
    struct wr_regf_recover_report rep;
    struct wr_err err = {0};
    wr_status st = run(&l, &out, &out_len, &rep, &err);
    bool changed = st == WR_OK && memcmp(out + 4096, l.primary + 4096, l.primary_len - 4096) != 0;
    unload(&l);
    CHECK_OK(st, &err);
    bool dirty = wr_regf_is_dirty(out, out_len);
    wr_free(out);
    CHECK_INT(rep.format, 1);
    CHECK_INT(rep.pages_applied, 64);
    CHECK_INT(rep.final_seq, 5);
    CHECK(changed);
    CHECK(!dirty);
}

static void regipy_ntuser_23_entries(void)
{
    static const char *const logs[] = {"NTUSER.DAT.LOG1", "NTUSER.DAT.LOG2", NULL};
    struct loaded l;
    if (!load(&l, "regipy-transactions-NTUSER", "NTUSER.DAT", logs))
        SKIP("regipy NTUSER fixtures not present");
    uint8_t *out = NULL;
    size_t out_len = 0;
    struct wr_regf_recover_report rep;
    struct wr_err err = {0};
    wr_status st = run(&l, &out, &out_len, &rep, &err);
    unload(&l);
    CHECK_OK(st, &err);
    wr_free(out);
    CHECK_INT(rep.entries_applied, 23);
    CHECK_INT(rep.first_seq, 566);
    CHECK_INT(rep.final_seq, 588);
    CHECK_INT(rep.logs_used, 1);
    CHECK_MSG(strstr(rep.text, "NTUSER.DAT.LOG2: skipped: sequence 562") != NULL, "%s", rep.text);
}

static void clean_primary_refused(void)
{
    const char *shared = check_shared_dir();
    if (!shared)
        SKIP("no shared fixtures");
    static const char *const names[] = {"nuc8-esp.BCD", "z370-esp-2016.BCD", "x2100-esp-oldlog.BCD"};
    for (size_t i = 0; i < 3; i++) {
        char path[1024];
        size_t plen, llen;
        snprintf(path, sizeof path, "%s/regf-fixtures/bcd/%s", shared, names[i]);
        uint8_t *p = check_read_file(path, &plen);
        snprintf(path, sizeof path, "%s/regf-fixtures/bcd/%s.LOG", shared, names[i]);
        uint8_t *lg = check_read_file(path, &llen);
        if (!p || !lg) {
            free(p);
            free(lg);
            SKIP("%s missing", path);
        }
        struct wr_regf_log log = {"BCD.LOG", lg, llen};
        uint8_t *out = NULL;
        size_t out_len;
        struct wr_err err = {0};
        wr_status st = wr_regf_recover(names[i], p, plen, &log, 1, &out, &out_len, NULL, &err);
        free(p);
        free(lg);
        CHECK_INT(st, WR_E_REFUSED);
        CHECK(out == NULL);
        CHECK(strstr(err.msg, "clean") != NULL);
    }
}

static void dirty_without_logs(void)
{
    const char *shared = check_shared_dir();
    if (!shared)
        SKIP("no shared fixtures");
    char path[1024];
    size_t len;
    snprintf(path, sizeof path, "%s/regf-fixtures/hives/regipy-SECURITY-dirty-nolog", shared);
    uint8_t *p = check_read_file(path, &len);
    if (!p)
        SKIP("%s missing", path);
    uint8_t *out = NULL;
    size_t out_len;
    struct wr_err err = {0};
    wr_status st = wr_regf_recover("SECURITY", p, len, NULL, 0, &out, &out_len, NULL, &err);
    free(p);
    CHECK_INT(st, WR_E_NOT_FOUND);
    CHECK_STR(err.msg, "SECURITY is dirty and has no transaction logs");
}

/* .LOG, .LOG1, .LOG2 in any case; nothing else, not other hives' logs. */
static void find_logs_case_insensitive(void)
{
    struct wr_memvol *mv;
    struct wr_volume vol;
    struct wr_err err = {0};
    CHECK_OK(wr_memvol_new(&mv, &err), &err);
    wr_memvol_volume(mv, &vol);
    static const char *const files[] = {"\\EFI\\Boot\\BCD", "\\EFI\\Boot\\bcd.log",
                                        "\\EFI\\Boot\\Bcd.Log2", "\\EFI\\Boot\\BCD.LOG3",
                                        "\\EFI\\Boot\\BCDX.LOG1", "\\EFI\\BCD.LOG1",
                                        "\\EFI\\Boot\\BCD.LOG1.bak"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        wr_memvol_put(mv, files[i], (const uint8_t *)files[i], strlen(files[i]), &err);
    struct wr_regf_logset set;
    wr_status st = wr_regf_find_logs(&vol, "\\efi\\BOOT\\bcd", 1024, &set, &err);
    bool ok = st == WR_OK && set.count == 2 && strcmp(set.log[0].name, "bcd.log") == 0 &&
              strcmp(set.log[1].name, "Bcd.Log2") == 0 && set.log[1].len == strlen(files[2]) &&
              memcmp(set.log[1].data, files[2], set.log[1].len) == 0;
    size_t n = set.count;
    wr_regf_logset_free(&set);
    st = st ? st : wr_regf_find_logs(&vol, "\\EFI\\Nothing\\BCD", 1024, &set, &err);
    wr_memvol_free(mv);
    CHECK_MSG(ok, "found %zu logs", n);
    CHECK_OK(st, &err);
    CHECK_INT(set.count, 0);
}

int main(void)
{
    RUN(find_logs_case_insensitive);
    RUN(marvin_known_answer);
    RUN(new_dirty1_log1_log2);
    RUN(new_dirty1_log2_log1);
    RUN(new_dirty2_skips_stale_log1);
    RUN(bad_log1_checksum);
    RUN(bad_log2_no_dirt);
    RUN(bad_log3_new_checksums);
    RUN(bad_base_block_from_log1);
    RUN(old_dirty_recovers);
    RUN(regipy_ntuser_23_entries);
    RUN(clean_primary_refused);
    RUN(dirty_without_logs);
    return check_done();
}
