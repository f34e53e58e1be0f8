/* Recovery on hand-made hostile logs: every bad length, offset, count and
 * sequence must end a log cleanly (or fail recovery), never crash, never
 * allocate without bound. Also replays any inputs kept in
 * tests/data/regf-logs/ (fuzzer finds: le32 primary length, le32 LOG1
 * length, primary, LOG1, LOG2). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "check.h"
#include "regf_synth.h"
#include "regf/baseblock.h"
#include "regf/marvin32.h"
#include "regf/recover.h"

static uint8_t *primary(uint32_t bins, uint32_t seq1, uint32_t seq2, size_t *len)
{
    uint8_t *h = regf_synth_image(bins, seq1, seq2);

    *len = 4096 + bins;
    return h;
}

struct log {
    uint8_t buf[64 * 1024];
    size_t len;
};

static void log_header(struct log *l, const uint8_t *prim, uint32_t seq, uint32_t type)
{
    memset(l, 0, sizeof *l);
    memcpy(l->buf, prim, 512);
    wr_put_le32(l->buf + WR_REGF_BB_TYPE, type);
    wr_regf_bb_set_seq(l->buf, seq, seq);
    l->len = 512;
}

/* Appends an entry with one page reference {off, 512} filled with `fill`. */
static uint8_t *add_entry(struct log *l, uint32_t seq, uint32_t bins, uint32_t off, uint8_t fill)
{
    uint8_t *e = l->buf + l->len;
    memcpy(e, "HvLE", 4);
    wr_put_le32(e + 4, 1024);
    wr_put_le32(e + 12, seq);
    wr_put_le32(e + 16, bins);
    wr_put_le32(e + 20, 1);
    wr_put_le32(e + 40, off);
    wr_put_le32(e + 44, 512);
    memset(e + 48, fill, 512);
    l->len += 1024;
    return e;
}

static void rehash(uint8_t *e)
{
    uint32_t size = wr_le32(e + 4);
    wr_put_le64(e + 24, wr_regf_marvin32(e + 40, size - 40, WR_REGF_MARVIN32_SEED));
    wr_put_le64(e + 32, wr_regf_marvin32(e, 32, WR_REGF_MARVIN32_SEED));
}

static wr_status run(const uint8_t *p, size_t plen, struct log *a, struct log *b,
                     uint8_t **out, size_t *out_len, struct wr_regf_recover_report *rep,
                     struct wr_err *err)
{
    struct wr_regf_log logs[2] = {{"LOG1", a->buf, a->len}, {"LOG2", b ? b->buf : NULL, b ? b->len : 0}};
    return wr_regf_recover("hive", p, plen, logs, b ? 2 : 1, out, out_len, rep, err);
}

static struct log la, lb;

static void stops_at_bad_entries(void)
{
    size_t plen;
    uint8_t *p = primary(0x2000, 11, 10, &plen);
    log_header(&la, p, 10, 6);
    rehash(add_entry(&la, 10, 0x2000, 0x200, 0xA1));
    rehash(add_entry(&la, 11, 0x2000, 0x400, 0xA2));
    uint8_t *bad = add_entry(&la, 12, 0x2000, 0x600, 0xA3);
    rehash(bad);
    bad[100] ^= 1; /* hash-1 now wrong */
    rehash(add_entry(&la, 13, 0x2000, 0x800, 0xA4)); /* remnant after it */
    uint8_t *out = NULL;
    size_t out_len;
    struct wr_regf_recover_report rep;
    struct wr_err err = {0};
    wr_status st = run(p, plen, &la, NULL, &out, &out_len, &rep, &err);
    free(p);
    CHECK_OK(st, &err);
    bool pages = out[4096 + 0x200] == 0xA1 && out[4096 + 0x400] == 0xA2 &&
                 out[4096 + 0x600] == 0 && out[4096 + 0x800] == 0;
    wr_free(out);
    CHECK(pages);
    CHECK_INT(rep.entries_applied, 2);
    CHECK_INT(rep.final_seq, 11);
    CHECK(strstr(rep.text, "hash-1 mismatch") != NULL);
}

static void hostile_fields(void)
{
    static const struct {
        const char *what;
        int field;      /* offset in the entry */
        uint32_t value;
        const char *want;
    } cases[] = {
        {"page past bins", 40, 0x2000, "past the bins size"},
        {"unaligned page", 40, 0x201, "512-aligned"},
        {"huge page size", 44, 0xFFFFFE00u, "past the bins size"},
        {"zero pages", 20, 0, "page count"},
        {"huge page count", 20, 0xFFFFFFFFu, "page count"},
        {"entry too long", 4, 0x100000, "entry size"},
        {"entry size unaligned", 4, 1000, "entry size"},
        {"bins not 4096-aligned", 16, 0x2100, "4096"},
        {"bins zero", 16, 0, "4096"},
        {"sequence gap", 12, 12, "expected 10"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t plen;
        uint8_t *p = primary(0x2000, 11, 10, &plen);
        log_header(&la, p, 10, 6);
        uint8_t *e = add_entry(&la, 10, 0x2000, 0x200, 0xB1);
        /* Valid hashes over the hostile field, so the field check is what stops it. */
        rehash(e);
        wr_put_le32(e + cases[i].field, cases[i].value);
        if (cases[i].field >= 40)
            rehash(e);
        else
            wr_put_le64(e + 32, wr_regf_marvin32(e, 32, WR_REGF_MARVIN32_SEED));
        uint8_t *out = NULL;
        size_t out_len;
        struct wr_regf_recover_report rep;
        struct wr_err err = {0};
        wr_status st = run(p, plen, &la, NULL, &out, &out_len, &rep, &err);
        free(p);
        wr_free(out);
        CHECK_MSG(st == WR_E_CORRUPT && out == NULL, "%s: status %d", cases[i].what, st);
        CHECK_MSG(strstr(rep.text, cases[i].want) != NULL, "%s: report \"%s\" lacks \"%s\"",
                  cases[i].what, rep.text, cases[i].want);
    }
}

/* A replayed page that breaks a bin header: that bin becomes an empty one. */
static void broken_dirty_bin_replaced(void)
{
    size_t plen;
    uint8_t *p = primary(0x3000, 11, 10, &plen);
    memset(p + 4096 + 0x1000 + 64, 0x5C, 64); /* old content of the second bin */
    log_header(&la, p, 10, 6);
    rehash(add_entry(&la, 10, 0x3000, 0x1000, 0xEE)); /* garbage over its header */
    rehash(add_entry(&la, 11, 0x3000, 0x2200, 0xAB)); /* a sound bin stays as it is */
    uint8_t *out = NULL;
    size_t out_len;
    struct wr_regf_recover_report rep;
    struct wr_err err = {0};
    wr_status st = run(p, plen, &la, NULL, &out, &out_len, &rep, &err);
    free(p);
    CHECK_OK(st, &err);
    const uint8_t *b = out + 4096 + 0x1000;
    bool dummy = memcmp(b, "hbin", 4) == 0 && wr_le32(b + 4) == 0x1000 && wr_le32(b + 8) == 4096 &&
                 wr_le32(b + 32) == 4096 - 32 && b[64] == 0;
    bool kept = out[4096 + 0x2200] == 0xAB && memcmp(out + 4096 + 0x2000, "hbin", 4) == 0;
    wr_free(out);
    CHECK(dummy);
    CHECK(kept);
    CHECK_MSG(strstr(rep.text, "1 invalid bins") != NULL, "%s", rep.text);
}

static void growth_is_bounded(void)
{
    size_t plen;
    uint8_t *p = primary(0x2000, 11, 10, &plen);
    log_header(&la, p, 10, 6);
    /* A valid-looking entry claiming 2 GiB of bins: refused, not allocated. */
    rehash(add_entry(&la, 10, 0x7FFFF000u, 0x200, 0xC1));
    uint8_t *out = NULL;
    size_t out_len;
    struct wr_err err = {0};
    wr_status st = run(p, plen, &la, NULL, &out, &out_len, NULL, &err);
    free(p);
    CHECK_INT(st, WR_E_TOO_BIG);
    CHECK(out == NULL);
}

static void sequence_wraps(void)
{
    size_t plen;
    uint8_t *p = primary(0x2000, 0, 0xFFFFFFFFu, &plen);
    log_header(&la, p, 0xFFFFFFFFu, 6);
    rehash(add_entry(&la, 0xFFFFFFFFu, 0x2000, 0x200, 0xD1));
    log_header(&lb, p, 0, 6);
    uint8_t *g = add_entry(&lb, 0, 0x3000, 0x2000, 0xD2); /* grows by a bin */
    memcpy(g + 48, "hbin", 4);
    wr_put_le32(g + 52, 0x2000);
    wr_put_le32(g + 56, 0x1000);
    rehash(g);
    uint8_t *out = NULL;
    size_t out_len;
    struct wr_regf_recover_report rep;
    struct wr_err err = {0};
    /* Given in reverse order: serial-number ordering must still put LOG1 first. */
    wr_status st = run(p, plen, &lb, &la, &out, &out_len, &rep, &err);
    free(p);
    CHECK_OK(st, &err);
    bool ok = out_len == 4096 + 0x3000 && out[4096 + 0x200] == 0xD1 && out[4096 + 0x2100] == 0xD2 &&
              wr_le32(out + WR_REGF_BB_BINS_SIZE) == 0x3000;
    wr_free(out);
    CHECK(ok);
    CHECK_INT(rep.entries_applied, 2);
    CHECK_INT(rep.final_seq, 0);
}

static void second_log_must_continue(void)
{
    size_t plen;
    uint8_t *p = primary(0x2000, 21, 20, &plen);
    log_header(&la, p, 20, 6);
    rehash(add_entry(&la, 20, 0x2000, 0x200, 0xE1));
    log_header(&lb, p, 25, 6);
    rehash(add_entry(&lb, 25, 0x2000, 0x400, 0xE2));
    uint8_t *out = NULL;
    size_t out_len;
    struct wr_regf_recover_report rep;
    struct wr_err err = {0};
    wr_status st = run(p, plen, &la, &lb, &out, &out_len, &rep, &err);
    free(p);
    CHECK_OK(st, &err);
    bool ok = out[4096 + 0x200] == 0xE1 && out[4096 + 0x400] == 0;
    wr_free(out);
    CHECK(ok);
    CHECK(strstr(rep.text, "LOG2: skipped: sequence 25 does not continue from 20") != NULL);
}

static void old_format_hostile(void)
{
    size_t plen;
    uint8_t *p = primary(0x2000, 31, 30, &plen);
    /* A bitmap claiming all 16 pages but carrying only one. */
    log_header(&la, p, 31, 1);
    memcpy(la.buf + 512, "DIRT", 4);
    la.buf[516] = 0xFF;
    la.buf[517] = 0xFF;
    la.len = 1024 + 512;
    uint8_t *out = NULL;
    size_t out_len;
    struct wr_regf_recover_report rep;
    struct wr_err err = {0};
    wr_status st = run(p, plen, &la, NULL, &out, &out_len, &rep, &err);
    CHECK_INT(st, WR_E_CORRUPT);
    CHECK(strstr(rep.text, "do not fit") != NULL);
    /* Bins size not a multiple of 4096 in the log header. */
    wr_put_le32(la.buf + WR_REGF_BB_BINS_SIZE, 0x2100);
    wr_regf_bb_update_checksum(la.buf);
    st = run(p, plen, &la, NULL, &out, &out_len, &rep, &err);
    CHECK_INT(st, WR_E_CORRUPT);
    /* Timestamp mismatch: a log from another mount. */
    wr_put_le32(la.buf + WR_REGF_BB_BINS_SIZE, 0x2000);
    wr_put_le64(la.buf + WR_REGF_BB_TIMESTAMP, 12345);
    wr_regf_bb_update_checksum(la.buf);
    la.buf[516] = 0x01;
    la.buf[517] = 0;
    st = run(p, plen, &la, NULL, &out, &out_len, &rep, &err);
    free(p);
    CHECK_INT(st, WR_E_CORRUPT);
    CHECK(strstr(rep.text, "timestamp") != NULL);
}

static void short_inputs(void)
{
    uint8_t tiny[100] = {0};
    uint8_t *out = NULL;
    size_t out_len;
    struct wr_err err = {0};
    struct wr_regf_log log = {"LOG1", tiny, sizeof tiny};
    CHECK_INT(wr_regf_recover("h", tiny, sizeof tiny, &log, 1, &out, &out_len, NULL, &err),
              WR_E_CORRUPT);
    size_t plen;
    uint8_t *p = primary(0x1000, 2, 1, &plen);
    wr_status st = wr_regf_recover("h", p, plen, &log, 1, &out, &out_len, NULL, &err);
    free(p);
    CHECK_INT(st, WR_E_CORRUPT);
    CHECK(out == NULL);
}

/* Kept inputs: recovery must return, and a success must be clean. */
static void replay_kept_inputs(void)
{
    static const struct {
        const char *name;
        wr_status st;
    } expect[] = {
        {"old-bitmap-overclaims", WR_E_CORRUPT},
        {"new-growth-2gib", WR_E_TOO_BIG},
        {"new-bad-header-wrap", WR_OK},
        {"new-overlapping-pages", WR_OK},
    };
    const char *dirs[] = {"tests/data/regf-logs", "../tests/data/regf-logs"};
    DIR *d = NULL;
    const char *dir = NULL;
    for (size_t i = 0; i < 2 && !d; i++)
        if ((d = opendir(dirs[i])))
            dir = dirs[i];
    if (!d)
        SKIP("tests/data/regf-logs not found from the current directory");
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.' || strchr(e->d_name, '.'))
            continue; /* README.md, make-inputs.py */
        char path[1024];
        size_t len;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        uint8_t *data = check_read_file(path, &len);
        if (!data || len < 8) {
            free(data);
            continue;
        }
        size_t left = len - 8, pl = wr_le32(data), l1 = wr_le32(data + 4);
        pl = pl < left ? pl : left;
        l1 = l1 < left - pl ? l1 : left - pl;
        struct wr_regf_log logs[2] = {{"LOG1", data + 8 + pl, l1},
                                      {"LOG2", data + 8 + pl + l1, left - pl - l1}};
        uint8_t *out = NULL;
        size_t out_len;
        struct wr_err err = {0};
        wr_status st = wr_regf_recover(e->d_name, data + 8, pl, logs, 2, &out, &out_len, NULL, &err);
        bool clean = st != WR_OK || !wr_regf_is_dirty(out, out_len);
        bool free_out = st == WR_OK || out == NULL;
        wr_free(out);
        free(data);
        CHECK_MSG(clean, "%s: recovered image is not clean", e->d_name);
        CHECK_MSG(free_out, "%s: failed recovery returned an image", e->d_name);
        for (size_t k = 0; k < sizeof expect / sizeof expect[0]; k++)
            if (strcmp(e->d_name, expect[k].name) == 0)
                CHECK_MSG(st == expect[k].st, "%s: status %d, expected %d (%s)", e->d_name, st,
                          expect[k].st, err.msg);
        n++;
    }
    closedir(d);
    CHECK(n > 0);
}

int main(void)
{
    RUN(stops_at_bad_entries);
    RUN(hostile_fields);
    RUN(broken_dirty_bin_replaced);
    RUN(growth_is_bounded);
    RUN(sequence_wraps);
    RUN(second_log_must_continue);
    RUN(old_format_hostile);
    RUN(short_inputs);
    RUN(replay_kept_inputs);
    return check_done();
}
