/* Power cut during the commit of a real BCD edit ({bootmgr} timeout, a
 * loader's description, a new object, a deleted object), both commit ways,
 * at every sector: reopening with log recovery (through wr_regf_open) must
 * give exactly the old or the new logical content. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/memvol.h"
#include "check.h"
#include "regf/commit.h"
#include "regf/regf.h"

#define PATH "\\EFI\\Microsoft\\Boot\\BCD"
#define BOOTMGR "\\Objects\\{9dea862c-5cdd-4e70-acc1-f32b344d4795}"

/* ------------------------------------------------------------ content hash */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

struct sum {
    const struct wr_regf_hive *h;
    uint64_t total;
    size_t keys, values;
};

static wr_status visit(void *arg, wr_regf_node key, const char *path, size_t path_len,
                       unsigned depth)
{
    struct sum *s = arg;
    struct wr_err err;
    size_t n = 0;
    (void)depth;
    s->total += fnv(fnv(0xcbf29ce484222325ull, "K", 1), path, path_len);
    s->keys++;
    wr_status st = wr_regf_value_count(s->h, key, &n, &err);
    for (size_t i = 0; !st && i < n; i++) {
        wr_regf_value v;
        char name[512];
        uint8_t *data = NULL;
        size_t len = 0;
        uint32_t type;
        st = wr_regf_value_at(s->h, key, i, &v, &err);
        if (!st)
            st = wr_regf_value_data(s->h, v, &type, &data, &len, &err);
        if (st)
            break;
        wr_regf_value_name_buf(s->h, v, name, sizeof name);
        uint64_t x = fnv(0xcbf29ce484222325ull, "V", 1);
        x = fnv(fnv(x, path, path_len), "", 1);
        x = fnv(fnv(x, name, strlen(name) + 1), &type, 4);
        s->total += fnv(fnv(x, &len, sizeof len), data, len);
        s->values++;
        wr_free(data);
    }
    return st;
}

static bool content(const struct wr_regf_hive *h, uint64_t *out)
{
    struct sum s = {.h = h};
    struct wr_regf_walker w = {visit, &s};
    struct wr_err err;
    if (wr_regf_walk(h, wr_regf_root(h), &w, &err) != WR_OK)
        return false;
    *out = s.total ^ (uint64_t)s.keys << 48 ^ (uint64_t)s.values << 32;
    return true;
}

/* ------------------------------------------------------------ the edit */

static wr_status set_element(struct wr_regf_hive *h, const char *obj, const char *elem,
                             uint32_t type, const void *data, size_t len, struct wr_err *err)
{
    wr_regf_node o, els, e;
    wr_status st = wr_regf_lookup(h, wr_regf_root(h), obj, &o, err);
    if (st == WR_E_NOT_FOUND) {
        st = wr_regf_lookup(h, wr_regf_root(h), "\\Objects", &o, err);
        if (!st)
            st = wr_regf_key_create(h, o, obj + strlen("\\Objects\\"), &o, err);
    }
    if (st)
        return st;
    st = wr_regf_key_create(h, o, "Elements", &els, err);
    if (st && st != WR_E_EXISTS)
        return st;
    st = wr_regf_key_create(h, els, elem, &e, err);
    if (st && st != WR_E_EXISTS)
        return st;
    return wr_regf_value_set(h, e, "Element", type, data, len, err);
}

/* The first object other than {bootmgr} with a description element. */
static bool find_loader(struct wr_regf_hive *h, char *out, size_t size)
{
    wr_regf_node objs, *kids = NULL, d;
    size_t n = 0;
    struct wr_err err;
    bool found = false;
    if (wr_regf_lookup(h, wr_regf_root(h), "\\Objects", &objs, &err) ||
        wr_regf_subkeys(h, objs, &kids, &n, &err))
        return false;
    for (size_t i = 0; i < n && !found; i++) {
        char name[128];
        wr_regf_key_name_buf(h, kids[i], name, sizeof name);
        if (strcmp(name, "{9dea862c-5cdd-4e70-acc1-f32b344d4795}") != 0 &&
            wr_regf_lookup(h, kids[i], "Elements\\12000004", &d, &err) == WR_OK) {
            snprintf(out, size, "\\Objects\\%s", name);
            found = true;
        }
    }
    wr_free(kids);
    return found;
}

static wr_status edit(struct wr_regf_hive *h, struct wr_err *err)
{
    static const uint8_t timeout[8] = {30};
    static const uint8_t desc[] = "R\0e\0s\0c\0u\0e\0 \0\x3d\xd8\xdf\xdd\0"; /* "Rescue 🛟" */
    static const uint8_t path[] = "\\\0x\0\0";
    char loader[160];
    wr_status st = set_element(h, BOOTMGR, "25000004", WR_REG_BINARY, timeout, 8, err);
    if (!st && find_loader(h, loader, sizeof loader))
        st = set_element(h, loader, "12000004", WR_REG_SZ, desc, sizeof desc, err);
    if (!st)
        st = set_element(h, "\\Objects\\{11111111-2222-3333-4444-555555555555}", "12000002",
                         WR_REG_SZ, path, sizeof path, err);
    wr_regf_node gone;
    if (!st && wr_regf_lookup(h, wr_regf_root(h), "\\Objects\\{0ce4991b-e6b3-4b16-b23c-5e0d9250e5d9}",
                              &gone, err) == WR_OK)
        st = wr_regf_key_delete(h, gone, err);
    return st;
}

/* ------------------------------------------------------------ open and cut */

static wr_status open_from(struct wr_memvol *mv, struct wr_regf_hive **h, struct wr_err *err)
{
    struct wr_volume vol;
    size_t len = 0;
    const uint8_t *p = wr_memvol_get(mv, PATH, &len);
    if (!p)
        return wr_fail(err, WR_E_NOT_FOUND, "primary is gone");
    wr_memvol_volume(mv, &vol);
    struct wr_regf_logset set;
    wr_status st = wr_regf_find_logs(&vol, PATH, 1 << 24, &set, err);
    if (st)
        return st;
    struct wr_regf_open_opts o = {.name = "BCD", .logs = set.log, .n_logs = set.count};
    st = wr_regf_open(p, len, &o, h, err);
    wr_regf_logset_free(&set);
    return st;
}

static wr_status edited_hive(struct wr_memvol *mv, struct wr_regf_hive **h, struct wr_err *err)
{
    wr_status st = open_from(mv, h, err);
    if (!st && (st = edit(*h, err)) != WR_OK)
        wr_regf_close(*h);
    return st;
}

static void cut_all(struct wr_memvol *base, unsigned how)
{
    struct wr_err err = {0};
    struct wr_regf_hive *h;
    uint64_t old_sum, new_sum;
    CHECK_OK(open_from(base, &h, &err), &err);
    bool ok = content(h, &old_sum);
    wr_regf_close(h);
    CHECK(ok);
    CHECK_OK(edited_hive(base, &h, &err), &err);
    ok = content(h, &new_sum);
    CHECK(ok && new_sum != old_sum);

    struct wr_memvol *mv;
    struct wr_volume vol;
    CHECK_OK(wr_memvol_clone(base, &mv, &err), &err);
    wr_memvol_volume(mv, &vol);
    wr_status st = wr_regf_commit(h, &vol, PATH, how | WR_REGF_COMMIT_VALIDATE, NULL, &err);
    uint64_t total = wr_memvol_sectors_written(mv);
    wr_memvol_free(mv);
    wr_regf_close(h);
    CHECK_OK(st, &err);

    /* One edited hive serves every cut: a failed commit leaves it as it was. */
    CHECK_OK(edited_hive(base, &h, &err), &err);
    char why[400] = "";
    int olds = 0, news = 0;
    for (uint64_t k = 0; k <= total && !why[0]; k++) {
        if (wr_memvol_clone(base, &mv, &err))
            break;
        wr_memvol_volume(mv, &vol);
        wr_memvol_cut_after(mv, k);
        st = wr_regf_commit(h, &vol, PATH, how | WR_REGF_COMMIT_VALIDATE, NULL, &err);
        struct wr_regf_hive *r = NULL;
        uint64_t sum = 0;
        if ((st == WR_OK) != (k == total))
            snprintf(why, sizeof why, "cut after %llu of %llu: commit said %d (%s)",
                     (unsigned long long)k, (unsigned long long)total, st, err.msg);
        else if (open_from(mv, &r, &err) != WR_OK)
            snprintf(why, sizeof why, "cut after %llu: reopen failed: %s", (unsigned long long)k,
                     err.msg);
        else if (!content(r, &sum))
            snprintf(why, sizeof why, "cut after %llu: walk failed", (unsigned long long)k);
        else if (sum == new_sum)
            news++;
        else if (sum == old_sum && k < total)
            olds++;
        else
            snprintf(why, sizeof why, "cut after %llu of %llu: neither old nor new content",
                     (unsigned long long)k, (unsigned long long)total);
        wr_regf_close(r);
        wr_memvol_free(mv);
    }
    wr_regf_close(h);
    if (getenv("WR_VERBOSE"))
        fprintf(stderr, "cuts 0..%llu: %d old, %d new\n", (unsigned long long)total, olds, news);
    CHECK_MSG(!why[0], "%s", why);
    CHECK(olds > 0);
    CHECK(news > 0);
}

static struct wr_memvol *fixture_volume(const char *name)
{
    const char *shared = check_shared_dir();
    if (!shared)
        return NULL;
    static const char *const sfx[] = {"", ".LOG", ".LOG1", ".LOG2"};
    struct wr_memvol *mv;
    struct wr_err err;
    if (wr_memvol_new(&mv, &err))
        return NULL;
    for (int i = 0; i < 4; i++) {
        char p[1024], vp[128];
        size_t len;
        snprintf(p, sizeof p, "%s/regf-fixtures/bcd/%s%s", shared, name, sfx[i]);
        uint8_t *d = check_read_file(p, &len);
        if (!d && i == 0) {
            wr_memvol_free(mv);
            return NULL;
        }
        if (!d)
            continue;
        snprintf(vp, sizeof vp, "%s%s", PATH, sfx[i]);
        wr_memvol_put(mv, vp, d, len, &err);
        free(d);
    }
    return mv;
}

static void fixture(const char *name, unsigned how)
{
    struct wr_memvol *base = fixture_volume(name);
    if (!base)
        SKIP("%s not available", name);
    cut_all(base, how);
    wr_memvol_free(base);
}

/* Without ../shared: a store made by our own writer. */
static void self_made(unsigned how)
{
    struct wr_regf_hive *h;
    struct wr_err err = {0};
    CHECK_OK(wr_regf_create("NewStoreRoot", 3, &h, &err), &err);
    wr_regf_node objs, o;
    static const uint8_t desc[] = "W\0i\0n\0d\0o\0w\0s\0\0";
    wr_status st = wr_regf_key_create(h, wr_regf_root(h), "Objects", &objs, &err);
    if (!st)
        st = set_element(h, "\\Objects\\{aaaaaaaa-0000-0000-0000-000000000001}", "12000004",
                         WR_REG_SZ, desc, sizeof desc, &err);
    if (!st)
        st = wr_regf_key_create(h, objs, "{0ce4991b-e6b3-4b16-b23c-5e0d9250e5d9}", &o, &err);
    struct wr_memvol *base = NULL;
    struct wr_volume vol;
    if (!st)
        st = wr_memvol_new(&base, &err);
    if (!st) {
        wr_memvol_volume(base, &vol);
        wr_memvol_put(base, "\\EFI\\Microsoft\\Boot\\x", NULL, 0, &err);
        st = wr_regf_commit(h, &vol, PATH, WR_REGF_COMMIT_REPLACE | WR_REGF_COMMIT_VALIDATE, NULL,
                            &err);
    }
    wr_regf_close(h);
    if (!st)
        cut_all(base, how);
    wr_memvol_free(base);
    CHECK_OK(st, &err);
}

static void nuc8_in_place(void) { fixture("nuc8-esp.BCD", WR_REGF_COMMIT_IN_PLACE); }
static void nuc8_replace(void) { fixture("nuc8-esp.BCD", WR_REGF_COMMIT_REPLACE); }
static void z370_in_place(void) { fixture("z370-esp-2016.BCD", WR_REGF_COMMIT_IN_PLACE); }
static void x2100_oldlog_in_place(void) { fixture("x2100-esp-oldlog.BCD", WR_REGF_COMMIT_IN_PLACE); }
static void windeploy_in_place(void) { fixture("windeploy-efi.BCD", WR_REGF_COMMIT_IN_PLACE); }
static void self_made_in_place(void) { self_made(WR_REGF_COMMIT_IN_PLACE); }
static void self_made_replace(void) { self_made(WR_REGF_COMMIT_REPLACE); }

int main(void)
{
    RUN(nuc8_in_place);
    RUN(nuc8_replace);
    RUN(z370_in_place);
    RUN(x2100_oldlog_in_place);
    RUN(windeploy_in_place);
    RUN(self_made_in_place);
    RUN(self_made_replace);
    return check_done();
}
