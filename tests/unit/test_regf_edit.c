/* lib/regf editing: every edit leaves a hive the strict validator accepts
 * (§12/§13), data reads back, names survive (non-ASCII, surrogates, 255
 * characters), lists grow past one leaf, and sk reference counts return to
 * their starting values when everything created is deleted again. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "base/bytes.h"
#include "regf/regf.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

static bool print_finding(void *arg, const struct wr_regf_finding *f)
{
    (void)arg;
    fprintf(stderr, "  finding %s at 0x%llx: %s\n", wr_regf_finding_name(f->code),
            (unsigned long long)f->offset, f->message);
    return true;
}

static size_t findings(const struct wr_regf_hive *h)
{
    struct wr_err err;
    size_t n = 0;

    if (wr_regf_validate(h, print_finding, NULL, &n, &err) != WR_OK)
        return 1000000;
    return n;
}

/* Sum of the reference counts of the sk ring and the allocated bytes,
 * read straight from the image. */
struct census {
    uint64_t sk_refs;
    uint32_t sk_cells;
    uint64_t allocated;
};

static void census(const struct wr_regf_hive *h, struct census *c)
{
    const uint8_t *img;
    size_t len;

    memset(c, 0, sizeof *c);
    wr_regf_image(h, &img, &len);
    for (size_t bin = 4096; bin < len;) {
        uint32_t size = wr_le32(img + bin + 8);
        for (size_t pos = bin + 32; pos < bin + size;) {
            int32_t raw = (int32_t)wr_le32(img + pos);
            uint32_t cs = raw < 0 ? (uint32_t)-raw : (uint32_t)raw;
            if (raw < 0) {
                c->allocated += cs;
                if (img[pos + 4] == 's' && img[pos + 5] == 'k') {
                    c->sk_cells++;
                    c->sk_refs += wr_le32(img + pos + 16);
                }
            }
            pos += cs;
        }
        bin += size;
    }
}

static size_t count_keys(const struct wr_regf_hive *h);

static wr_status count_visit(void *arg, wr_regf_node key, const char *path, size_t len,
                             unsigned depth)
{
    (void)key, (void)path, (void)len, (void)depth;
    (*(size_t *)arg)++;
    return WR_OK;
}

static size_t count_keys(const struct wr_regf_hive *h)
{
    size_t n = 0;
    struct wr_err err;
    struct wr_regf_walker w = { count_visit, &n };

    if (wr_regf_walk(h, wr_regf_root(h), &w, &err) != WR_OK)
        return 0;
    return n;
}

static void new_hive_is_valid(void)
{
    struct wr_regf_hive *h;
    struct wr_err err;

    for (uint32_t minor = 3; minor <= 5; minor += 2) {
        CHECK_OK(wr_regf_create("NewStoreRoot", minor, &h, &err), &err);
        CHECK_INT(findings(h), 0);
        char *name;
        CHECK_OK(wr_regf_key_name(h, wr_regf_root(h), &name, &err), &err);
        CHECK_STR(name, "NewStoreRoot");
        wr_free(name);
        struct wr_regf_info info;
        wr_regf_get_info(h, &info);
        CHECK_INT(info.minor, minor);
        CHECK(info.writable);
        CHECK(wr_regf_has_changes(h));
        wr_regf_close(h);
    }
}

static void values_round_trip(void)
{
    static const size_t sizes[] = { 0, 1, 3, 4, 5, 100, 16344, 16345, 40000, 100000 };
    struct wr_regf_hive *h;
    struct wr_err err;
    uint8_t *buf = malloc(100000);

    CHECK(buf);
    for (size_t i = 0; i < 100000; i++)
        buf[i] = (uint8_t)(i * 7 + 3);
    for (uint32_t minor = 3; minor <= 5; minor += 2) {
        CHECK_OK(wr_regf_create("R", minor, &h, &err), &err);
        wr_regf_node k;
        CHECK_OK(wr_regf_key_create(h, wr_regf_root(h), "Data", &k, &err), &err);
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            char name[32];
            snprintf(name, sizeof name, "v%zu", sizes[s]);
            CHECK_OK(wr_regf_value_set(h, k, name, WR_REG_BINARY, buf, sizes[s], &err), &err);
            CHECK_INT(findings(h), 0);
        }
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            char name[32];
            wr_regf_value v;
            uint8_t *data;
            size_t len;
            uint32_t type;
            snprintf(name, sizeof name, "V%zu", sizes[s]); /* case-insensitive */
            CHECK_OK(wr_regf_value_find(h, k, name, &v, &err), &err);
            CHECK_OK(wr_regf_value_data(h, v, &type, &data, &len, &err), &err);
            CHECK_INT(type, WR_REG_BINARY);
            CHECK_INT(len, sizes[s]);
            CHECK(len == 0 || memcmp(data, buf, len) == 0);
            wr_free(data);
        }
        /* replace big by small and small by big, then delete all */
        CHECK_OK(wr_regf_value_set(h, k, "v100000", WR_REG_DWORD, (const uint8_t *)"\x01\x02\x03\x04", 4, &err), &err);
        CHECK_OK(wr_regf_value_set(h, k, "v1", WR_REG_BINARY, buf, 50000, &err), &err);
        CHECK_INT(findings(h), 0);
        wr_regf_value v;
        uint32_t dw;
        CHECK_OK(wr_regf_value_find(h, k, "v100000", &v, &err), &err);
        CHECK_OK(wr_regf_value_dword(h, v, &dw, &err), &err);
        CHECK_INT(dw, 0x04030201);
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            char name[32];
            snprintf(name, sizeof name, "v%zu", sizes[s]);
            CHECK_OK(wr_regf_value_delete(h, k, name, &err), &err);
            CHECK_INT(findings(h), 0);
        }
        size_t n;
        CHECK_OK(wr_regf_value_count(h, k, &n, &err), &err);
        CHECK_INT(n, 0);
        CHECK_INT(wr_regf_value_delete(h, k, "v1", &err), WR_E_NOT_FOUND);
        wr_regf_close(h);
    }
    free(buf);
}

static void typed_helpers(void)
{
    struct wr_regf_hive *h;
    struct wr_err err;
    wr_regf_value v;
    wr_regf_node r;

    CHECK_OK(wr_regf_create("R", 3, &h, &err), &err);
    r = wr_regf_root(h);
    /* "A\0" "b\xD800" (lone surrogate) "\0" "\0" */
    static const uint8_t multi[] = { 'A', 0, 0, 0, 'b', 0, 0x00, 0xD8, 0, 0, 0, 0 };
    static const uint8_t sz[] = { 'h', 0, 'i', 0, 0, 0 };
    static const uint8_t qw[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    CHECK_OK(wr_regf_value_set(h, r, "m", WR_REG_MULTI_SZ, multi, sizeof multi, &err), &err);
    CHECK_OK(wr_regf_value_set(h, r, "s", WR_REG_SZ, sz, sizeof sz, &err), &err);
    CHECK_OK(wr_regf_value_set(h, r, "q", WR_REG_QWORD, qw, sizeof qw, &err), &err);
    CHECK_OK(wr_regf_value_set(h, r, "", WR_REG_SZ, sz, 4, &err), &err); /* default, no NUL */
    char **list, *s;
    CHECK_OK(wr_regf_value_find(h, r, "m", &v, &err), &err);
    CHECK_OK(wr_regf_value_multi_sz(h, v, 0, &list, &err), &err);
    CHECK_STR(list[0], "A");
    CHECK_STR(list[1], "b\xED\xA0\x80");
    CHECK(list[2] == NULL);
    wr_regf_strings_free(list);
    CHECK_OK(wr_regf_value_multi_sz(h, v, 2 /* WR_UTF16_REPLACE */, &list, &err), &err);
    CHECK_STR(list[1], "b\xEF\xBF\xBD");
    wr_regf_strings_free(list);
    CHECK_OK(wr_regf_value_find(h, r, "", &v, &err), &err);
    CHECK_OK(wr_regf_value_sz(h, v, 0, &s, &err), &err);
    CHECK_STR(s, "hi");
    wr_free(s);
    uint64_t q;
    CHECK_OK(wr_regf_value_find(h, r, "q", &v, &err), &err);
    CHECK_OK(wr_regf_value_qword(h, v, &q, &err), &err);
    CHECK(q == 0x0807060504030201ull);
    uint32_t d;
    CHECK_INT(wr_regf_value_dword(h, v, &d, &err), WR_E_INVALID);
    CHECK(strstr(err.msg, "REG_QWORD") != NULL);
    CHECK_INT(findings(h), 0);
    wr_regf_close(h);
}

static void names_survive(void)
{
    static const char *const names[] = {
        "Größe",                     /* Latin-1: compressed */
        "Кириллица",                 /* UTF-16 */
        "emoji \xF0\x9F\x98\x80",    /* surrogate pair */
        "lone \xED\xA0\x80 high",    /* unpaired surrogate, WTF-8 */
        "\xC3\xBF",                  /* ÿ, upcases to U+0178 */
        "ß",
    };
    struct wr_regf_hive *h;
    struct wr_err err;
    wr_regf_node k, again;

    for (uint32_t minor = 3; minor <= 5; minor += 2) {
        CHECK_OK(wr_regf_create("R", minor, &h, &err), &err);
        wr_regf_node r = wr_regf_root(h);
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            CHECK_OK(wr_regf_key_create(h, r, names[i], &k, &err), &err);
            CHECK_INT(findings(h), 0);
            char *back;
            CHECK_OK(wr_regf_key_name(h, k, &back, &err), &err);
            CHECK_STR(back, names[i]);
            wr_free(back);
            const uint8_t *raw;
            size_t len;
            bool comp;
            CHECK_OK(wr_regf_key_name_raw(h, k, &raw, &len, &comp, &err), &err);
            CHECK(comp == (i == 0 || i == 4 || i == 5));
            CHECK_OK(wr_regf_value_set(h, k, names[i], WR_REG_DWORD, (const uint8_t *)"abcd", 4, &err), &err);
        }
        CHECK_OK(wr_regf_lookup(h, r, "\\кИРИЛЛИЦА", &again, &err), &err);
        CHECK_OK(wr_regf_lookup(h, r, "GRÖSSE", &again, &err) == WR_E_NOT_FOUND ? WR_OK : 1, &err);
        CHECK_OK(wr_regf_lookup(h, r, "GRÖßE", &again, &err), &err);
        CHECK_OK(wr_regf_lookup(h, r, "\xC5\xB8", &again, &err), &err); /* Ÿ finds ÿ */
        CHECK_INT(wr_regf_key_create(h, r, "КИРИЛЛИЦА", &again, &err), WR_E_EXISTS);
        char n255[256];
        memset(n255, 'x', 255);
        n255[255] = 0;
        CHECK_OK(wr_regf_key_create(h, r, n255, &k, &err), &err);
        char n256[300];
        memset(n256, 'y', 256);
        n256[256] = 0;
        CHECK_INT(wr_regf_key_create(h, r, n256, &k, &err), WR_E_INVALID);
        CHECK_INT(wr_regf_key_create(h, r, "a\\b", &k, &err), WR_E_INVALID);
        CHECK_INT(wr_regf_key_create(h, r, "", &k, &err), WR_E_INVALID);
        CHECK_INT(findings(h), 0);
        wr_regf_close(h);
    }
}

static void lists_grow_past_one_leaf(void)
{
    struct wr_regf_hive *h;
    struct wr_err err;
    struct census before, after;

    for (uint32_t minor = 3; minor <= 5; minor += 2) {
        CHECK_OK(wr_regf_create("R", minor, &h, &err), &err);
        wr_regf_node r = wr_regf_root(h), p, k;
        CHECK_OK(wr_regf_key_create(h, r, "Parent", &p, &err), &err);
        census(h, &before);
        for (int i = 0; i < 1200; i++) {
            char name[32];
            /* shuffled insertion order, mixed case */
            snprintf(name, sizeof name, i % 2 ? "Key%04d" : "kEY%04d", (i * 7919) % 1200);
            CHECK_OK(wr_regf_key_create(h, p, name, &k, &err), &err);
            if (i % 97 == 0)
                CHECK_INT(findings(h), 0);
        }
        CHECK_INT(findings(h), 0);
        size_t n;
        CHECK_OK(wr_regf_subkey_count(h, p, &n, &err), &err);
        CHECK_INT(n, 1200);
        CHECK_OK(wr_regf_lookup(h, r, "parent\\KEY0777", &k, &err), &err);
        CHECK_OK(wr_regf_subkey_at(h, p, 1100, &k, &err), &err);
        char name[32];
        wr_regf_key_name_buf(h, k, name, sizeof name);
        CHECK(strcasecmp(name, "key1100") == 0);
        for (int i = 0; i < 1200; i++) {
            snprintf(name, sizeof name, "key%04d", (i * 31) % 1200);
            CHECK_OK(wr_regf_lookup(h, p, name, &k, &err), &err);
            CHECK_OK(wr_regf_key_delete(h, k, &err), &err);
            if (i % 101 == 0)
                CHECK_INT(findings(h), 0);
        }
        CHECK_INT(findings(h), 0);
        census(h, &after);
        CHECK_INT(after.sk_refs, before.sk_refs);
        CHECK_INT(after.allocated, before.allocated);
        wr_regf_close(h);
    }
}

/* hivexml and regfexport (structure only: libregf misreads some values)
 * read what we wrote without complaint. True when they are not installed. */
static bool external_readers_accept(const struct wr_regf_hive *h)
{
    static int have = -1;
    char path[] = "/tmp/wr-regf-edit-XXXXXX", cmd[512];
    const uint8_t *img;
    size_t len;
    bool ok = true;

    if (have < 0)
        have = system("command -v hivexml >/dev/null && command -v regfexport >/dev/null") == 0;
    if (!have)
        return true;
    int fd = mkstemp(path);
    if (fd < 0)
        return false;
    wr_regf_image(h, &img, &len);
    ok = write(fd, img, len) == (ssize_t)len;
    close(fd);
    snprintf(cmd, sizeof cmd, "hivexml %s >/dev/null 2>&1", path);
    if (ok && system(cmd) != 0) {
        fprintf(stderr, "  hivexml rejects %s\n", path);
        return false;
    }
    snprintf(cmd, sizeof cmd,
             "out=$(regfexport %s 2>&1) && ! printf '%%s' \"$out\" | grep -q 'Is corrupted'",
             path);
    if (ok && system(cmd) != 0) {
        fprintf(stderr, "  regfexport rejects %s\n", path);
        return false;
    }
    unlink(path);
    return ok;
}

/* Forgets made[gone] and every key below it: their cells were freed and
 * zeroed, so they no longer read as keys. */
static size_t prune(const struct wr_regf_hive *h, wr_regf_node *made, size_t n, size_t gone)
{
    size_t keep = 0;
    char tmp[8];

    for (size_t j = 0; j < n; j++)
        if (j != gone && wr_regf_key_name_buf(h, made[j], tmp, sizeof tmp) > 0)
            made[keep++] = made[j];
    return keep;
}

/* Random creates, value sets, value deletes and subtree deletes; the
 * validator runs after every operation. */
/* With `external`, names avoid lone surrogates (hivex cannot convert them)
 * and hivexml and regfexport must accept the result. */
static void random_edits(struct wr_regf_hive *h, int ops, bool external, bool *ok)
{
    static const char *const pool[] = { "a", "B", "Élément", "Ключ", "\xF0\x9F\x92\xBE",
                                        "lone\xED\xB0\x81", "Element", "x y z", "{guid}",
                                        "ÿ", "Ÿ2", "12000004" };
    struct wr_err err;
    wr_regf_node made[256];
    size_t nmade = 0;
    uint8_t data[20000];

    *ok = false;
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)rnd(256);
    for (int op = 0; op < ops; op++) {
        wr_regf_node at = nmade && rnd(4) ? made[rnd((uint32_t)nmade)] : wr_regf_root(h);
        char name[300];
        uint32_t what = rnd(10);
        if (rnd(20) == 0) {
            memset(name, 'n', 255);
            name[255] = 0;
            name[rnd(255)] = (char)('a' + rnd(26));
        } else {
            uint32_t pick = rnd(sizeof pool / sizeof pool[0]);
            if (external && strstr(pool[pick], "lone"))
                pick = 0;
            snprintf(name, sizeof name, "%s%u", pool[pick], rnd(40));
        }
        wr_status st;
        if (what < 4 && nmade < 256) {
            wr_regf_node k;
            st = wr_regf_key_create(h, at, name, &k, &err);
            if (st == WR_OK)
                made[nmade++] = k;
            else if (st != WR_E_EXISTS)
                CHECK_OK(st, &err);
        } else if (what < 7) {
            size_t len = rnd(8) == 0 ? rnd(sizeof data) : rnd(40);
            CHECK_OK(wr_regf_value_set(h, at, name, rnd(12), data, len, &err), &err);
            wr_regf_value v;
            uint8_t *back;
            size_t blen;
            CHECK_OK(wr_regf_value_find(h, at, name, &v, &err), &err);
            CHECK_OK(wr_regf_value_data(h, v, NULL, &back, &blen, &err), &err);
            CHECK(blen == len && (len == 0 || memcmp(back, data, len) == 0));
            wr_free(back);
        } else if (what < 8) {
            size_t n;
            CHECK_OK(wr_regf_value_count(h, at, &n, &err), &err);
            if (n) {
                wr_regf_value v;
                char vname[1024];
                CHECK_OK(wr_regf_value_at(h, at, rnd((uint32_t)n), &v, &err), &err);
                wr_regf_value_name_buf(h, v, vname, sizeof vname);
                if (at != wr_regf_root(h) || nmade)
                    CHECK_OK(wr_regf_value_delete(h, at, vname, &err), &err);
            }
        } else if (nmade) {
            uint32_t i = rnd((uint32_t)nmade);
            CHECK_OK(wr_regf_key_delete(h, made[i], &err), &err);
            nmade = prune(h, made, nmade, i);
        }
        size_t f = findings(h);
        CHECK_MSG(f == 0, "op %d (%u) left %zu findings", op, what, f);
    }
    if (external)
        CHECK(external_readers_accept(h));
    /* delete everything made, so reference counts can be compared */
    while (nmade) {
        CHECK_OK(wr_regf_key_delete(h, made[0], &err), &err);
        nmade = prune(h, made, nmade, 0);
    }
    CHECK_INT(findings(h), 0);
    *ok = true;
}

/* A freed key's cell no longer reads as a key, so made[] can be pruned by
 * asking for names; that only works because freed cells are zeroed. */
static void random_edits_self_made(void)
{
    struct wr_regf_hive *h;
    struct wr_err err;
    bool ok;

    for (uint32_t minor = 3; minor <= 5; minor += 2) {
        CHECK_OK(wr_regf_create("Root", minor, &h, &err), &err);
        random_edits(h, 1500, minor == 5, &ok);
        CHECK(ok);
        wr_regf_close(h);
    }
}

static void random_edits_on_bcds(void)
{
    const char *shared = check_shared_dir();
    char dir[1024];
    int done = 0;

    if (!shared)
        SKIP("../shared not present");
    snprintf(dir, sizeof dir, "%s/regf-fixtures/bcd", shared);
    DIR *d = opendir(dir);
    if (!d)
        SKIP("%s not present", dir);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || strstr(e->d_name, ".reg") || strstr(e->d_name, ".txt") ||
            strstr(e->d_name, ".LOG"))
            continue;
        char path[2048];
        size_t len;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        uint8_t *data = check_read_file(path, &len);
        CHECK_MSG(data, "cannot read %s", path);
        struct wr_regf_open_opts opts = { .name = e->d_name };
        struct wr_regf_hive *h;
        struct wr_err err;
        CHECK_OK(wr_regf_open(data, len, &opts, &h, &err), &err);
        free(data);
        struct census before, after;
        census(h, &before);
        size_t keys = count_keys(h);
        wr_regf_node top;
        CHECK_OK(wr_regf_key_create(h, wr_regf_root(h), "wr-test", &top, &err), &err);
        bool ok;
        random_edits(h, 250, true, &ok);
        CHECK(ok);
        CHECK_OK(wr_regf_lookup(h, wr_regf_root(h), "wr-test", &top, &err), &err);
        CHECK_OK(wr_regf_key_delete(h, top, &err), &err);
        census(h, &after);
        CHECK_INT(findings(h), 0);
        CHECK_INT(after.sk_refs, before.sk_refs);
        CHECK_INT(after.sk_cells, before.sk_cells);
        (void)keys;
        wr_regf_close(h);
        done++;
    }
    closedir(d);
    CHECK(done >= 20);
}

/* Edits on the large and odd hives: a 5000-key ri list (li leaves), big
 * data values (db) replaced and deleted, a real NTUSER. */
static void edits_on_large_hives(void)
{
    static const char *const files[] = { "hives/yarp-ManySubkeysHive", "hives/yarp-BigDataHive",
                                         "hives/regipy-win7-NTUSER.DAT",
                                         "hives/python-registry-UNICODE_TESTS" };
    const char *shared = check_shared_dir();
    struct wr_err err;

    if (!shared)
        SKIP("../shared not present");
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[1024];
        size_t len;
        snprintf(path, sizeof path, "%s/regf-fixtures/%s", shared, files[i]);
        uint8_t *data = check_read_file(path, &len);
        CHECK_MSG(data, "cannot read %s", path);
        struct wr_regf_open_opts opts = { .name = files[i] };
        struct wr_regf_hive *h;
        CHECK_OK(wr_regf_open(data, len, &opts, &h, &err), &err);
        free(data);
        struct census before, after;
        census(h, &before);
        wr_regf_node r = wr_regf_root(h), k;
        wr_regf_node *kids;
        size_t n;
        CHECK_OK(wr_regf_subkeys(h, r, &kids, &n, &err), &err);
        /* a new key in the biggest list we can find at the top */
        wr_regf_node target = n ? kids[n / 2] : r;
        wr_free(kids);
        size_t sub;
        CHECK_OK(wr_regf_subkey_count(h, target, &sub, &err), &err);
        CHECK_OK(wr_regf_key_create(h, target, "key_0000_new", &k, &err), &err);
        CHECK_INT(findings(h), 0);
        /* values: replace every value of target's first child by big data,
         * then by a DWORD */
        size_t nv;
        wr_regf_node first;
        CHECK_OK(wr_regf_subkey_at(h, target, 0, &first, &err), &err);
        CHECK_OK(wr_regf_value_count(h, first, &nv, &err), &err);
        static uint8_t big[40000];
        for (size_t v = 0; v < nv && v < 8; v++) {
            wr_regf_value val;
            char name[512];
            CHECK_OK(wr_regf_value_at(h, first, v, &val, &err), &err);
            wr_regf_value_name_buf(h, val, name, sizeof name);
            CHECK_OK(wr_regf_value_set(h, first, name, WR_REG_BINARY, big, sizeof big, &err), &err);
            CHECK_OK(wr_regf_value_set(h, first, name, WR_REG_DWORD, big, 4, &err), &err);
        }
        CHECK_INT(findings(h), 0);
        CHECK_OK(wr_regf_key_delete(h, k, &err), &err);
        CHECK_INT(findings(h), 0);
        CHECK_OK(wr_regf_subkey_count(h, target, &n, &err), &err);
        CHECK_INT(n, sub);
        census(h, &after);
        CHECK_INT(after.sk_refs, before.sk_refs);
        CHECK(external_readers_accept(h));
        wr_regf_close(h);
    }
}

static void timestamps_follow_the_clock(void)
{
    struct wr_regf_hive *h;
    struct wr_err err;
    wr_regf_node k;

    CHECK_OK(wr_regf_create("Root", 3, &h, &err), &err);
    uint64_t before = wr_regf_key_timestamp(h, wr_regf_root(h));
    CHECK_OK(wr_regf_key_create(h, wr_regf_root(h), "untimed", &k, &err), &err);
    CHECK(wr_regf_key_timestamp(h, k) == before); /* no clock: the parent's time */
    wr_regf_set_time(h, 0x01DB0000DEADBEEFull);
    CHECK_OK(wr_regf_key_create(h, wr_regf_root(h), "timed", &k, &err), &err);
    CHECK(wr_regf_key_timestamp(h, k) == 0x01DB0000DEADBEEFull);
    CHECK(wr_regf_key_timestamp(h, wr_regf_root(h)) == 0x01DB0000DEADBEEFull);
    wr_regf_set_time(h, 0x01DB000000000001ull);
    CHECK_OK(wr_regf_value_set(h, k, "v", WR_REG_DWORD, (const uint8_t *)"abcd", 4, &err), &err);
    CHECK(wr_regf_key_timestamp(h, k) == 0x01DB000000000001ull);
    wr_regf_close(h);
}

static void sk_counts_return(void)
{
    struct wr_regf_hive *h;
    struct wr_err err;
    struct census a, b;
    wr_regf_node k, sub;

    CHECK_OK(wr_regf_create("Root", 3, &h, &err), &err);
    census(h, &a);
    CHECK_INT(a.sk_refs, 1);
    CHECK_OK(wr_regf_key_create(h, wr_regf_root(h), "A", &k, &err), &err);
    for (int i = 0; i < 50; i++) {
        char name[16];
        snprintf(name, sizeof name, "s%d", i);
        CHECK_OK(wr_regf_key_create(h, k, name, &sub, &err), &err);
        CHECK_OK(wr_regf_value_set(h, sub, "Element", WR_REG_BINARY, (const uint8_t *)name, 8, &err), &err);
    }
    census(h, &b);
    CHECK_INT(b.sk_refs, 52);
    CHECK_OK(wr_regf_key_delete(h, k, &err), &err);
    census(h, &b);
    CHECK_INT(b.sk_refs, a.sk_refs);
    CHECK_INT(b.allocated, a.allocated);
    CHECK_INT(count_keys(h), 1);
    CHECK_INT(wr_regf_key_delete(h, wr_regf_root(h), &err), WR_E_REFUSED);
    CHECK_INT(findings(h), 0);
    wr_regf_close(h);
}

/* 512 levels is the limit Windows checks; the editor stops there, and the
 * validator and walker accept exactly that depth. */
static void depth_limit(void)
{
    struct wr_regf_hive *h;
    struct wr_err err;
    wr_regf_node k;

    CHECK_OK(wr_regf_create("Root", 3, &h, &err), &err);
    k = wr_regf_root(h);
    for (int level = 2; level <= 512; level++)
        CHECK_OK(wr_regf_key_create(h, k, "d", &k, &err), &err);
    CHECK_INT(wr_regf_key_create(h, k, "d", &k, &err), WR_E_TOO_BIG);
    CHECK_INT(findings(h), 0);
    CHECK_INT(count_keys(h), 512);
    wr_regf_node top;
    CHECK_OK(wr_regf_child(h, wr_regf_root(h), "D", &top, &err), &err);
    CHECK_OK(wr_regf_key_delete(h, top, &err), &err);
    CHECK_INT(count_keys(h), 1);
    CHECK_INT(findings(h), 0);
    wr_regf_close(h);
}

static uint8_t *image_copy(const struct wr_regf_hive *h, size_t *len)
{
    const uint8_t *img;

    wr_regf_image(h, &img, len);
    uint8_t *copy = malloc(*len);
    if (copy)
        memcpy(copy, img, *len);
    return copy;
}

static void refuses_dirty_locked_and_salvaged(void)
{
    struct wr_regf_hive *h, *h2;
    struct wr_err err;
    wr_regf_node k;
    size_t len;

    CHECK_OK(wr_regf_create("Root", 3, &h, &err), &err);
    uint8_t *img = image_copy(h, &len);
    wr_regf_close(h);
    CHECK(img);
    /* KTM-locked: opens (reads fine), refuses edits */
    img[0x90] |= 1;
    img[0x1FC] ^= 1; /* keep the checksum right: flag bit 0 flips it too */
    struct wr_regf_open_opts opts = { .name = "locked" };
    CHECK_OK(wr_regf_open(img, len, &opts, &h2, &err), &err);
    CHECK_INT(wr_regf_key_create(h2, wr_regf_root(h2), "x", &k, &err), WR_E_REFUSED);
    CHECK(strstr(err.msg, "KTM") != NULL);
    wr_regf_close(h2);
    img[0x90] &= ~1;
    img[0x1FC] ^= 1;
    /* dirty: strict open refuses, ignore-dirty opens read-only */
    img[4] += 1;
    img[0x1FC] ^= 1;
    CHECK_INT(wr_regf_open(img, len, &opts, &h2, &err), WR_E_REFUSED);
    CHECK(strstr(err.msg, "dirty") != NULL);
    opts.flags = WR_REGF_OPEN_IGNORE_DIRTY;
    CHECK_OK(wr_regf_open(img, len, &opts, &h2, &err), &err);
    CHECK_INT(wr_regf_value_set(h2, wr_regf_root(h2), "v", 4, img, 4, &err), WR_E_REFUSED);
    wr_regf_close(h2);
    img[4] -= 1;
    img[0x1FC] ^= 1;
    opts.flags = WR_REGF_OPEN_SALVAGE;
    CHECK_OK(wr_regf_open(img, len, &opts, &h2, &err), &err);
    CHECK_INT(wr_regf_key_create(h2, wr_regf_root(h2), "x", &k, &err), WR_E_REFUSED);
    wr_regf_close(h2);
    free(img);
}

static void dirty_units_track_edits(void)
{
    struct wr_regf_hive *h, *h2;
    struct wr_err err;
    wr_regf_node k;
    size_t len;

    CHECK_OK(wr_regf_create("Root", 3, &h, &err), &err);
    uint8_t *img = image_copy(h, &len);
    wr_regf_close(h);
    struct wr_regf_open_opts opts = { .name = "t" };
    CHECK_OK(wr_regf_open(img, len, &opts, &h, &err), &err);
    CHECK(!wr_regf_has_changes(h));
    CHECK_INT(wr_regf_unit_count(h), len / 512);
    CHECK_OK(wr_regf_key_create(h, wr_regf_root(h), "x", &k, &err), &err);
    CHECK(wr_regf_has_changes(h));
    /* every unit that differs from the original is marked dirty */
    const uint8_t *now;
    size_t now_len;
    wr_regf_image(h, &now, &now_len);
    for (size_t u = 0; u < now_len / 512; u++)
        if (u * 512 >= len || memcmp(now + u * 512, img + u * 512, 512) != 0)
            CHECK_MSG(wr_regf_unit_dirty(h, u), "unit %zu changed but is not dirty", u);
    CHECK(wr_regf_next_dirty_unit(h, 0) < wr_regf_unit_count(h));
    wr_regf_mark_clean(h);
    CHECK(!wr_regf_has_changes(h));
    CHECK_INT(wr_regf_next_dirty_unit(h, 0), wr_regf_unit_count(h));
    /* the image reopens strictly */
    uint8_t *again = image_copy(h, &now_len);
    CHECK_OK(wr_regf_open(again, now_len, &opts, &h2, &err), &err);
    CHECK_OK(wr_regf_lookup(h2, wr_regf_root(h2), "X", &k, &err), &err);
    wr_regf_close(h2);
    free(again);
    wr_regf_close(h);
    free(img);
}

int main(void)
{
    RUN(new_hive_is_valid);
    RUN(values_round_trip);
    RUN(typed_helpers);
    RUN(names_survive);
    RUN(lists_grow_past_one_leaf);
    RUN(sk_counts_return);
    RUN(timestamps_follow_the_clock);
    RUN(edits_on_large_hives);
    RUN(depth_limit);
    RUN(refuses_dirty_locked_and_salvaged);
    RUN(dirty_units_track_edits);
    RUN(random_edits_self_made);
    RUN(random_edits_on_bcds);
    return check_done();
}
