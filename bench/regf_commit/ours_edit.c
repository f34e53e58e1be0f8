/* Our side of bench/regf_commit.sh: the same BCD edit as hivex_edit.c,
 * opened strictly, committed crash-safely (verified read-back) through
 * the directory volume. Only bench_run() is counted.
 *   ours_edit replace|in-place FILE   (FILE is rewritten) */
#include <stdio.h>
#include <string.h>

#include "../../tools/common/dirvol.h"
#include "regf/commit.h"
#include "regf/regf.h"

#define BOOTMGR "{9dea862c-5cdd-4e70-acc1-f32b344d4795}"

static wr_status set_element(struct wr_regf_hive *h, wr_regf_node obj, const char *elem,
                             uint32_t type, const uint8_t *data, size_t len, struct wr_err *err)
{
    wr_regf_node els, e;
    wr_status st = wr_regf_child(h, obj, "Elements", &els, err);
    if (!st) {
        st = wr_regf_key_create(h, els, elem, &e, err);
        if (st == WR_E_EXISTS)
            st = WR_OK;
    }
    return st ? st : wr_regf_value_set(h, e, "Element", type, data, len, err);
}

static wr_status edit(struct wr_regf_hive *h, struct wr_err *err)
{
    static const uint8_t timeout[8] = {30};
    static const uint8_t desc[] = "R\0e\0s\0c\0u\0e\0\0";
    wr_regf_node objs, bm, *kids = NULL, els, d;
    size_t n = 0;
    wr_status st = wr_regf_child(h, wr_regf_root(h), "Objects", &objs, err);
    if (!st)
        st = wr_regf_child(h, objs, BOOTMGR, &bm, err);
    if (!st)
        st = set_element(h, bm, "25000004", WR_REG_BINARY, timeout, 8, err);
    if (!st)
        st = wr_regf_subkeys(h, objs, &kids, &n, err);
    for (size_t i = 0; !st && i < n; i++) {
        char name[64];
        wr_regf_key_name_buf(h, kids[i], name, sizeof name);
        if (strcmp(name, BOOTMGR) != 0 && wr_regf_child(h, kids[i], "Elements", &els, NULL) == 0 &&
            wr_regf_child(h, els, "12000004", &d, NULL) == 0) {
            st = set_element(h, kids[i], "12000004", WR_REG_SZ, desc, sizeof desc, err);
            break;
        }
    }
    wr_free(kids);
    return st;
}

int bench_run(const char *file, unsigned mode, struct wr_err *err);
int __attribute__((noinline)) bench_run(const char *file, unsigned mode, struct wr_err *err)
{
    struct wr_dirvol *dv;
    struct wr_volume vol;
    char path[4200];
    uint8_t *data = NULL;
    size_t len = 0;
    struct wr_regf_hive *h = NULL;
    wr_status st = wr_dirvol_for_file(file, &dv, path, sizeof path, err);
    if (st)
        return 1;
    wr_dirvol_volume(dv, &vol);
    st = wr_volume_read_file(&vol, path, (size_t)1 << 30, &data, &len, err);
    if (!st) {
        struct wr_regf_open_opts o = {.name = file};
        st = wr_regf_open(data, len, &o, &h, err);
    }
    if (!st)
        st = edit(h, err);
    if (!st)
        st = wr_regf_commit(h, &vol, path, mode, NULL, err);
    wr_regf_close(h);
    wr_free(data);
    wr_dirvol_close(dv);
    return st != WR_OK;
}

int main(int argc, char **argv)
{
    struct wr_err err = {0};
    if (argc != 3 || (strcmp(argv[1], "replace") && strcmp(argv[1], "in-place"))) {
        fprintf(stderr, "usage: ours_edit replace|in-place FILE\n");
        return 2;
    }
    unsigned mode = strcmp(argv[1], "replace") ? WR_REGF_COMMIT_IN_PLACE : WR_REGF_COMMIT_REPLACE;
    int rc = bench_run(argv[2], mode, &err);
    if (rc)
        fprintf(stderr, "ours_edit: %s: %s\n", argv[2], err.msg);
    return rc;
}
