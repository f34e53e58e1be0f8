/* libFuzzer: open a hive from arbitrary bytes (strict, then salvage, then
 * fast), walk every key and read every value; on hives that open strictly,
 * make a few edits and require the validator to stay silent. */
#include <stdio.h>
#include <stdlib.h>

#include "regf/regf.h"

static wr_status visit(void *arg, wr_regf_node key, const char *path, size_t len,
                       unsigned depth)
{
    const struct wr_regf_hive *h = arg;
    struct wr_err err;
    size_t n = 0;

    (void)path, (void)len, (void)depth;
    if (wr_regf_value_count(h, key, &n, &err) != WR_OK)
        return WR_OK;
    for (size_t i = 0; i < n; i++) {
        wr_regf_value v;
        uint8_t *data;
        size_t dlen;
        char *s;
        if (wr_regf_value_at(h, key, i, &v, &err) != WR_OK)
            continue;
        if (wr_regf_value_data(h, v, NULL, &data, &dlen, &err) == WR_OK)
            wr_free(data);
        if (wr_regf_value_sz(h, v, 0, &s, &err) == WR_OK)
            wr_free(s);
        char name[64];
        wr_regf_value_name_buf(h, v, name, sizeof name);
    }
    char *cls;
    if (wr_regf_key_class(h, key, &cls, &err) == WR_OK)
        wr_free(cls);
    return WR_OK;
}

static void walk(struct wr_regf_hive *h)
{
    struct wr_err err;
    struct wr_regf_walker w = { visit, h };
    wr_regf_node k;

    wr_regf_walk(h, wr_regf_root(h), &w, &err);
    wr_regf_lookup(h, wr_regf_root(h), "Objects\\{9dea862c-5cdd-4e70-acc1-f32b344d4795}", &k,
                   &err);
}

/* Strict open accepted the hive, so it had no errors (warnings such as a
 * stale lf hint may remain); edits must not add any. */
static bool count_error(void *arg, const struct wr_regf_finding *f)
{
    if (!wr_regf_finding_is_warning(f->code))
        (*(size_t *)arg)++;
    return true;
}

static void edit(struct wr_regf_hive *h)
{
    struct wr_err err;
    wr_regf_node k;
    size_t findings = 0, all;

    if (wr_regf_key_create(h, wr_regf_root(h), "fuzz\xC3\xA9", &k, &err) != WR_OK)
        return;
    wr_regf_value_set(h, k, "Element", WR_REG_BINARY, (const uint8_t *)"0123456789", 10, &err);
    wr_regf_value_set(h, wr_regf_root(h), "", WR_REG_DWORD, (const uint8_t *)"abcd", 4, &err);
    if (wr_regf_validate(h, count_error, &findings, &all, &err) == WR_OK && findings != 0) {
        fprintf(stderr, "edit left %zu errors\n", findings);
        abort();
    }
    wr_regf_key_delete(h, k, &err);
    if (wr_regf_validate(h, count_error, &findings, &all, &err) == WR_OK && findings != 0) {
        fprintf(stderr, "delete left %zu errors\n", findings);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned modes[] = { 0, WR_REGF_OPEN_SALVAGE,
                                      WR_REGF_OPEN_FAST | WR_REGF_OPEN_IGNORE_DIRTY };
    struct wr_err err;
    size_t count;

    wr_regf_validate_bytes(data, size, "fuzz", NULL, NULL, &count, &err);
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        struct wr_regf_open_opts opts = { .name = "fuzz", .flags = modes[m] };
        struct wr_regf_hive *h;
        if (wr_regf_open(data, size, &opts, &h, &err) != WR_OK)
            continue;
        walk(h);
        if (m == 0)
            edit(h);
        wr_regf_close(h);
    }
    return 0;
}
