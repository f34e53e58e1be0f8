/* lib/regf reading and strict validation against the fixture corpus (read
 * at run time from ../shared; SKIP when absent) and against hives made here:
 * BCD stores open strict-clean, each corrupt hive is refused with the
 * finding that names its defect, lookups and typed values work, salvage
 * opens what it can, and hand-made bad hives never crash the reader. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "base/bytes.h"
#include "regf/regf.h"

struct found {
    size_t n;
    bool has[WR_REGF_F__COUNT];
};

static bool collect(void *arg, const struct wr_regf_finding *f)
{
    struct found *c = arg;

    c->n++;
    if ((unsigned)f->code < WR_REGF_F__COUNT)
        c->has[f->code] = true;
    return true;
}

static uint8_t *fixture(const char *rel, size_t *len, char *path, size_t path_size)
{
    const char *shared = check_shared_dir();

    if (!shared)
        return NULL;
    snprintf(path, path_size, "%s/regf-fixtures/%s", shared, rel);
    return check_read_file(path, len);
}

static bool is_store(const char *name)
{
    return name[0] != '.' && !strstr(name, ".reg") && !strstr(name, ".txt") &&
           !strstr(name, ".LOG");
}

static void every_bcd_opens_strict_clean(void)
{
    const char *shared = check_shared_dir();
    char dir[1024];
    int n = 0;

    if (!shared)
        SKIP("../shared not present");
    snprintf(dir, sizeof dir, "%s/regf-fixtures/bcd", shared);
    DIR *d = opendir(dir);
    if (!d)
        SKIP("%s not present", dir);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!is_store(e->d_name))
            continue;
        char path[2048];
        size_t len;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        uint8_t *data = check_read_file(path, &len);
        CHECK(data);
        struct found f = { 0 };
        struct wr_regf_open_opts opts = { .name = e->d_name, .on_finding = collect,
                                          .finding_arg = &f };
        struct wr_regf_hive *h;
        struct wr_err err;
        CHECK_OK(wr_regf_open(data, len, &opts, &h, &err), &err);
        CHECK_MSG(f.n == 0, "%s: %zu findings", e->d_name, f.n);
        struct wr_regf_info info;
        wr_regf_get_info(h, &info);
        CHECK(info.writable && !info.recovered && info.seq1 == info.seq2);
        /* every store has Description\KeyName = "BCD0000000x" (some as binary) */
        wr_regf_node desc;
        wr_regf_value v;
        CHECK_OK(wr_regf_lookup(h, wr_regf_root(h), "DESCRIPTION", &desc, &err), &err);
        CHECK_OK(wr_regf_value_find(h, desc, "keyname", &v, &err), &err);
        CHECK_INT(wr_regf_value_type(h, v), WR_REG_SZ);
        wr_regf_close(h);
        free(data);
        n++;
    }
    closedir(d);
    CHECK_INT(n, 23);
}

static void bcd_values_read_typed(void)
{
    char path[1024];
    size_t len;
    uint8_t *data = fixture("bcd/nuc8-esp.BCD", &len, path, sizeof path);

    if (!data)
        SKIP("nuc8-esp.BCD not present");
    struct wr_regf_open_opts opts = { .name = "nuc8-esp.BCD" };
    struct wr_regf_hive *h;
    struct wr_err err;
    CHECK_OK(wr_regf_open(data, len, &opts, &h, &err), &err);
    free(data);
    wr_regf_node k;
    wr_regf_value v;
    char *s;
    uint32_t dw;
    CHECK_OK(wr_regf_lookup(h, wr_regf_root(h), "Description", &k, &err), &err);
    CHECK_OK(wr_regf_value_find(h, k, "KeyName", &v, &err), &err);
    CHECK_OK(wr_regf_value_sz(h, v, 0, &s, &err), &err);
    CHECK_STR(s, "BCD00000000");
    wr_free(s);
    CHECK_OK(wr_regf_value_find(h, k, "System", &v, &err), &err);
    CHECK_OK(wr_regf_value_dword(h, v, &dw, &err), &err);
    CHECK_INT(dw, 1);
    CHECK_INT(wr_regf_value_find(h, k, "NoSuchValue", &v, &err), WR_E_NOT_FOUND);
    CHECK(strstr(err.msg, "NoSuchValue") != NULL);
    /* {bootmgr}'s description element is "Windows Boot Manager" */
    CHECK_OK(wr_regf_lookup(h, wr_regf_root(h),
                            "Objects\\{9DEA862C-5CDD-4E70-ACC1-F32B344D4795}\\Elements\\12000004",
                            &k, &err), &err);
    CHECK_OK(wr_regf_value_find(h, k, "Element", &v, &err), &err);
    CHECK_OK(wr_regf_value_sz(h, v, 0, &s, &err), &err);
    CHECK_STR(s, "Windows Boot Manager");
    wr_free(s);
    CHECK_INT(wr_regf_lookup(h, wr_regf_root(h), "Objects\\nope", &k, &err), WR_E_NOT_FOUND);
    wr_regf_close(h);
}

static void corrupt_hives_refused_with_their_finding(void)
{
    static const struct {
        const char *file;
        enum wr_regf_finding_code code;
    } cases[] = {
        { "corrupt/yarp-BadListHive", WR_REGF_F_SHARED_CELL },
        { "corrupt/yarp-BadSubkeyHive", WR_REGF_F_SHARED_CELL },
        { "corrupt/yarp-DuplicateSubkeysHive", WR_REGF_F_SUBKEY_ORDER },
        { "corrupt/yarp-EffectiveSizeHive", WR_REGF_F_HEADER_BINS_SIZE },
        { "corrupt/yarp-GarbageHive", WR_REGF_F_HEADER_CHECKSUM },
        { "corrupt/yarp-InvalidParentHive", WR_REGF_F_KEY_PARENT },
        { "corrupt/yarp-TruncatedDirtyHive", WR_REGF_F_TRUNCATED },
        { "corrupt/yarp-TruncatedHive", WR_REGF_F_TRUNCATED },
        { "corrupt/yarp-TruncatedHiveBin", WR_REGF_F_HEADER_SIGNATURE },
        { "corrupt/yarp-TruncatedNameHive", WR_REGF_F_KEY_SIZE },
        { "corrupt/yarp-WrongOrderHive", WR_REGF_F_SUBKEY_ORDER },
    };

    if (!check_shared_dir())
        SKIP("../shared not present");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[1024];
        size_t len;
        uint8_t *data = fixture(cases[i].file, &len, path, sizeof path);
        CHECK_MSG(data, "cannot read %s", path);
        uint8_t *copy = malloc(len + 1);
        memcpy(copy, data, len);
        struct found f = { 0 };
        struct wr_err err;
        size_t count;
        CHECK_OK(wr_regf_validate_bytes(data, len, cases[i].file, collect, &f, &count, &err),
                 &err);
        CHECK_MSG(f.has[cases[i].code], "%s: no %s finding", cases[i].file,
                  wr_regf_finding_name(cases[i].code));
        struct wr_regf_open_opts opts = { .name = cases[i].file };
        struct wr_regf_hive *h = NULL;
        wr_status st = wr_regf_open(data, len, &opts, &h, &err);
        CHECK_MSG(st != WR_OK && h == NULL, "%s opened strictly", cases[i].file);
        CHECK_MSG(strstr(err.msg, cases[i].file) != NULL, "message lacks the file: %s", err.msg);
        CHECK_MSG(memcmp(copy, data, len) == 0, "%s: input was written to", cases[i].file);
        /* salvage (and read-only) opens whatever has a usable header */
        opts.flags = WR_REGF_OPEN_SALVAGE;
        if (wr_regf_open(data, len, &opts, &h, &err) == WR_OK) {
            struct wr_regf_info info;
            wr_regf_get_info(h, &info);
            CHECK(!info.writable);
            size_t n;
            CHECK_OK(wr_regf_subkey_count(h, wr_regf_root(h), &n, &err), &err);
            wr_regf_close(h);
        }
        free(copy);
        free(data);
    }
}

static void other_valid_hives_open(void)
{
    static const char *const ok[] = {
        "hives/yarp-BigDataHive", "hives/yarp-ManySubkeysHive", "hives/yarp-UnicodeHive",
        "hives/yarp-UpcaseHive", "hives/yarp-PairHive", "hives/yarp-System_Delta",
        "hives/regipy-win7-NTUSER.DAT", "hives/hivex-special", "hives/yarp-BogusKeyNamesHive",
    };

    if (!check_shared_dir())
        SKIP("../shared not present");
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char path[1024];
        size_t len;
        uint8_t *data = fixture(ok[i], &len, path, sizeof path);
        CHECK_MSG(data, "cannot read %s", path);
        struct wr_regf_open_opts opts = { .name = ok[i] };
        struct wr_regf_hive *h;
        struct wr_err err;
        CHECK_OK(wr_regf_open(data, len, &opts, &h, &err), &err);
        wr_regf_close(h);
        free(data);
    }
}

static void big_data_assembles(void)
{
    char path[1024];
    size_t len;
    uint8_t *data = fixture("hives/yarp-BigDataHive", &len, path, sizeof path);

    if (!data)
        SKIP("yarp-BigDataHive not present");
    struct wr_regf_open_opts opts = { .name = "BigDataHive" };
    struct wr_regf_hive *h;
    struct wr_err err;
    CHECK_OK(wr_regf_open(data, len, &opts, &h, &err), &err);
    free(data);
    size_t n, found = 0;
    wr_regf_node k;
    CHECK_OK(wr_regf_subkey_at(h, wr_regf_root(h), 0, &k, &err), &err);
    CHECK_OK(wr_regf_value_count(h, k, &n, &err), &err);
    for (size_t i = 0; i < n; i++) {
        wr_regf_value v;
        uint8_t *bytes;
        size_t blen, size;
        CHECK_OK(wr_regf_value_at(h, k, i, &v, &err), &err);
        CHECK_OK(wr_regf_value_size(h, v, &size, &err), &err);
        CHECK_OK(wr_regf_value_binary(h, v, &bytes, &blen, &err), &err);
        CHECK_INT(blen, size);
        if (size == 16345 || size == 81725)
            found++;
        wr_free(bytes);
    }
    CHECK_INT(found, 2);
    wr_regf_close(h);
}

static void dirty_hive_needs_its_logs(void)
{
    char path[1024], lpath[1024];
    size_t len, l1, l2;
    uint8_t *data = fixture("dirty/yarp-NewDirtyHive1/NewDirtyHive", &len, path, sizeof path);

    if (!data)
        SKIP("yarp-NewDirtyHive1 not present");
    uint8_t *log1 = fixture("dirty/yarp-NewDirtyHive1/NewDirtyHive.LOG1", &l1, lpath, sizeof lpath);
    uint8_t *log2 = fixture("dirty/yarp-NewDirtyHive1/NewDirtyHive.LOG2", &l2, lpath, sizeof lpath);
    CHECK(log1 && log2);
    struct wr_regf_open_opts opts = { .name = "NewDirtyHive" };
    struct wr_regf_hive *h;
    struct wr_err err;
    CHECK_INT(wr_regf_open(data, len, &opts, &h, &err), WR_E_REFUSED);
    CHECK(strstr(err.msg, "dirty") != NULL);
    struct wr_regf_log logs[2] = { { "NewDirtyHive.LOG2", log2, l2 },
                                   { "NewDirtyHive.LOG1", log1, l1 } };
    opts.logs = logs;
    opts.n_logs = 2;
    CHECK_OK(wr_regf_open(data, len, &opts, &h, &err), &err);
    struct wr_regf_info info;
    wr_regf_get_info(h, &info);
    CHECK(info.recovered);
    CHECK_INT(info.seq1, info.seq2);
    CHECK_INT(info.seq1, 5);
    size_t count;
    struct found f = { 0 };
    CHECK_OK(wr_regf_validate(h, collect, &f, &count, &err), &err);
    /* Windows' own recovered image keeps a few orphaned cells: a warning */
    for (int c = 1; c < WR_REGF_F__COUNT; c++)
        CHECK_MSG(!f.has[c] || wr_regf_finding_is_warning(c), "finding %s after recovery",
                  wr_regf_finding_name(c));
    wr_regf_close(h);
    free(data);
    free(log1);
    free(log2);
}

/* ---------------------------------------------------------- made here */

static uint8_t *made_hive(size_t *len)
{
    struct wr_regf_hive *h;
    struct wr_err err;
    wr_regf_node a, b;
    const uint8_t *img;

    if (wr_regf_create("Root", 3, &h, &err) != WR_OK)
        return NULL;
    wr_regf_key_create(h, wr_regf_root(h), "A", &a, &err);
    wr_regf_key_create(h, a, "B", &b, &err);
    wr_regf_value_set(h, b, "V", WR_REG_BINARY, (const uint8_t *)"0123456789", 10, &err);
    wr_regf_image(h, &img, len);
    uint8_t *copy = malloc(*len);
    memcpy(copy, img, *len);
    wr_regf_close(h);
    return copy;
}

/* Byte offset (in the file) of the first cell whose record starts with sig. */
static size_t find_record(const uint8_t *img, size_t len, const char *sig, size_t skip)
{
    for (size_t pos = 4096 + 32; pos + 6 < len;) {
        int32_t raw = (int32_t)wr_le32(img + pos);
        uint32_t size = raw < 0 ? (uint32_t)-raw : (uint32_t)raw;
        if (size < 8)
            return 0;
        if (raw < 0 && memcmp(img + pos + 4, sig, 2) == 0 && skip-- == 0)
            return pos;
        pos += size;
    }
    return 0;
}

static void fix_checksum(uint8_t *img)
{
    uint32_t sum = 0;
    for (int i = 0; i < 0x1FC; i += 4)
        sum ^= wr_le32(img + i);
    if (sum == 0xFFFFFFFFu)
        sum = 0xFFFFFFFEu;
    if (sum == 0)
        sum = 1;
    wr_put_le32(img + 0x1FC, sum);
}

static enum wr_regf_finding_code first_code(const uint8_t *img, size_t len)
{
    struct found f = { 0 };
    struct wr_err err;
    size_t count;

    if (wr_regf_validate_bytes(img, len, "t", collect, &f, &count, &err) != WR_OK)
        return WR_REGF_F__COUNT;
    for (int c = 1; c < WR_REGF_F__COUNT; c++)
        if (f.has[c])
            return (enum wr_regf_finding_code)c;
    return 0;
}

static void made_defects_are_named(void)
{
    size_t len;
    uint8_t *good = made_hive(&len);
    uint8_t *img = malloc(len);

    CHECK(good && img);
    CHECK_INT(first_code(good, len), 0);
    size_t nk_b = find_record(good, len, "nk", 2), vk = find_record(good, len, "vk", 0);
    size_t sk = find_record(good, len, "sk", 0), lf = find_record(good, len, "lf", 0);
    CHECK(nk_b && vk && sk && lf);
    struct {
        size_t at;
        uint32_t value;
        enum wr_regf_finding_code code;
    } cases[] = {
        { nk_b + 4 + 16, 0x20, WR_REGF_F_KEY_PARENT },        /* parent field */
        { nk_b + 4 + 72, 0, WR_REGF_F_KEY_NAME },             /* name length 0 */
        { vk + 4 + 4, 0x80000008u, WR_REGF_F_VALUE_DATA },    /* inline size 8 */
        { vk + 4 + 8, 0x12345678u, WR_REGF_F_VALUE_DATA },    /* data offset */
        { sk + 4 + 12, 7, WR_REGF_F_SECURITY_REFCOUNT },
        { sk + 4 + 4, 0x10, WR_REGF_F_SECURITY_RING },        /* flink into a bin header */
        { lf + 4 + 8, 0xdeadbeef, WR_REGF_F_SUBKEY_HINT },
        { lf + 4 + 4, lf - 4096, WR_REGF_F_SHARED_CELL },     /* entry -> the list itself */
        { lf + 4 + 4, 0x7FFFFFF8u, WR_REGF_F_BAD_REFERENCE }, /* entry past the bins */
        { 4096 + 8, 0x2000, WR_REGF_F_BIN_SIZE },
        { 4096, 0x6e696278, WR_REGF_F_BIN_SIGNATURE },
        { 0x28, 0x3000, WR_REGF_F_TRUNCATED },
        { 0x18, 9, WR_REGF_F_HEADER_VERSION },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memcpy(img, good, len);
        wr_put_le32(img + cases[i].at, cases[i].value);
        if (cases[i].at < 0x200)
            fix_checksum(img);
        enum wr_regf_finding_code got = first_code(img, len);
        struct found f = { 0 };
        struct wr_err err;
        size_t count;
        wr_regf_validate_bytes(img, len, "t", collect, &f, &count, &err);
        CHECK_MSG(f.has[cases[i].code], "case %zu: wanted %s, first finding %s", i,
                  wr_regf_finding_name(cases[i].code), wr_regf_finding_name(got));
        struct wr_regf_open_opts opts = { .name = "t" };
        struct wr_regf_hive *h;
        wr_status st = wr_regf_open(img, len, &opts, &h, &err);
        if (wr_regf_finding_is_warning(cases[i].code)) {
            CHECK_MSG(st == WR_OK, "case %zu (a warning) refused: %s", i, err.msg);
            wr_regf_close(h);
        } else {
            CHECK_MSG(st != WR_OK, "case %zu opened", i);
        }
    }
    /* a cell size of 0 would loop forever in a naive scan */
    memcpy(img, good, len);
    wr_put_le32(img + sk, 0);
    CHECK_INT(first_code(img, len), WR_REGF_F_CELL_SIZE);
    free(img);
    free(good);
}

/* A key whose subkey list holds itself, and an ri pointing at itself
 * (CVE-2021-3622): refused strictly, walked without hanging otherwise. */
static void cycles_are_caught(void)
{
    size_t len;
    uint8_t *img = made_hive(&len);
    struct wr_err err;

    CHECK(img);
    size_t lf = find_record(img, len, "lf", 1); /* A's list, holding B */
    size_t nk_a = find_record(img, len, "nk", 1);
    CHECK(lf && nk_a);
    wr_put_le32(img + lf + 8, (uint32_t)(nk_a - 4096)); /* A lists itself */
    CHECK(first_code(img, len) != 0);
    struct wr_regf_open_opts opts = { .name = "cycle", .flags = WR_REGF_OPEN_FAST };
    struct wr_regf_hive *h;
    CHECK_OK(wr_regf_open(img, len, &opts, &h, &err), &err);
    size_t keys = 0;
    struct wr_regf_walker w = { NULL, &keys };
    (void)w;
    wr_regf_close(h);
    /* ri whose element is the ri */
    memcpy(img + lf + 4, "ri", 2);
    wr_put_le32(img + lf + 8, (uint32_t)(lf - 4096));
    struct found f = { 0 };
    size_t count;
    CHECK_OK(wr_regf_validate_bytes(img, len, "ri", collect, &f, &count, &err), &err);
    CHECK(f.has[WR_REGF_F_SUBKEY_NESTING] || f.has[WR_REGF_F_SHARED_CELL]);
    CHECK_OK(wr_regf_open(img, len, &opts, &h, &err), &err);
    wr_regf_node *kids;
    size_t n;
    wr_regf_node a;
    CHECK_OK(wr_regf_subkey_at(h, wr_regf_root(h), 0, &a, &err), &err);
    CHECK(wr_regf_subkeys(h, a, &kids, &n, &err) != WR_OK);
    wr_regf_close(h);
    free(img);
}

static wr_status count_key(void *arg, wr_regf_node key, const char *path, size_t len,
                           unsigned depth)
{
    (void)key, (void)path, (void)len, (void)depth;
    (*(size_t *)arg)++;
    return WR_OK;
}

static void walk_paths(void)
{
    size_t len;
    uint8_t *img = made_hive(&len);
    struct wr_err err;
    struct wr_regf_hive *h;
    struct wr_regf_open_opts opts = { .name = "w" };

    CHECK(img);
    CHECK_OK(wr_regf_open(img, len, &opts, &h, &err), &err);
    size_t keys = 0;
    struct wr_regf_walker w = { count_key, &keys };
    CHECK_OK(wr_regf_walk(h, wr_regf_root(h), &w, &err), &err);
    CHECK_INT(keys, 3);
    wr_regf_node b;
    CHECK_OK(wr_regf_lookup(h, wr_regf_root(h), "a\\b", &b, &err), &err);
    char name[8];
    CHECK_INT(wr_regf_key_name_buf(h, b, name, sizeof name), 1);
    CHECK_STR(name, "B");
    wr_regf_close(h);
    free(img);
}

/* Hand-made hostile hives (cycles, an ri pointing at itself, a zero cell
 * size, absurd counts, bins past the end of the file) and minimised inputs
 * from fuzz/regf_open: strict open refuses every one, and no mode crashes
 * or hangs. */
static void fuzz_regressions_replay(void)
{
    DIR *d = opendir("tests/data/regf");
    int n = 0;

    if (!d)
        SKIP("tests/data/regf not present (run from the repository root)");
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        size_t len;
        snprintf(path, sizeof path, "tests/data/regf/%s", e->d_name);
        uint8_t *data = check_read_file(path, &len);
        CHECK(data);
        for (unsigned flags = 0; flags < 8; flags++) {
            struct wr_regf_open_opts opts = { .name = e->d_name, .flags = flags };
            struct wr_regf_hive *h;
            struct wr_err err;
            wr_status st = wr_regf_open(data, len, &opts, &h, &err);
            CHECK_MSG(flags != 0 || st != WR_OK, "%s opened strictly", e->d_name);
            if (st == WR_OK) {
                size_t keys = 0;
                struct wr_regf_walker w = { count_key, &keys };
                wr_regf_walk(h, wr_regf_root(h), &w, &err);
                wr_regf_close(h);
            }
        }
        free(data);
        n++;
    }
    closedir(d);
    CHECK(n > 0);
}

int main(void)
{
    RUN(every_bcd_opens_strict_clean);
    RUN(bcd_values_read_typed);
    RUN(corrupt_hives_refused_with_their_finding);
    RUN(other_valid_hives_open);
    RUN(big_data_assembles);
    RUN(dirty_hive_needs_its_logs);
    RUN(made_defects_are_named);
    RUN(cycles_are_caught);
    RUN(walk_paths);
    RUN(fuzz_regressions_replay);
    return check_done();
}
