/* libFuzzer: the input is a script of edits (create key, set value, delete
 * value, delete subtree) on a hive made by wr_regf_create; after every edit
 * the strict validator must find nothing at all, not even a warning (so no
 * leaked cell, stale hint or wrong refcount survives an edit). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regf/regf.h"

#define MAX_KEYS 64

struct script {
    const uint8_t *p;
    size_t left;
};

static unsigned take(struct script *s)
{
    if (!s->left)
        return 0;
    s->left--;
    return *s->p++;
}

/* A name of 0..31 bytes straight from the input (may be invalid UTF-8,
 * contain '\' or be empty: the editor must refuse those cleanly). */
static void take_name(struct script *s, char *name)
{
    unsigned n = take(s) % 32;
    for (unsigned i = 0; i < n; i++)
        name[i] = (char)(take(s) | 1); /* no NUL inside */
    name[n] = '\0';
}

static bool any_finding(void *arg, const struct wr_regf_finding *f)
{
    fprintf(stderr, "finding %s: %s\n", wr_regf_finding_name(f->code), f->message);
    (*(size_t *)arg)++;
    return true;
}

static void check(const struct wr_regf_hive *h)
{
    struct wr_err err;
    size_t n = 0, count;

    if (wr_regf_validate(h, any_finding, &n, &count, &err) != WR_OK || n != 0)
        abort();
}

static size_t forget_dead(const struct wr_regf_hive *h, wr_regf_node *keys, size_t n)
{
    size_t keep = 0;
    char tmp[4];

    for (size_t i = 0; i < n; i++)
        if (wr_regf_key_name_buf(h, keys[i], tmp, sizeof tmp) > 0)
            keys[keep++] = keys[i];
    return keep;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t blob[40000];
    struct script s = { data, size };
    struct wr_regf_hive *h;
    struct wr_err err;
    wr_regf_node keys[MAX_KEYS];
    size_t nkeys = 0;
    char name[40];

    for (size_t i = 0; i < sizeof blob; i++)
        blob[i] = (uint8_t)(i * 31 + 7);
    if (wr_regf_create("Root", take(&s) & 1 ? 5 : 3, &h, &err) != WR_OK)
        abort();
    for (int op = 0; op < 200 && s.left; op++) {
        unsigned code = take(&s) % 5;
        wr_regf_node at = nkeys ? keys[take(&s) % nkeys] : wr_regf_root(h);
        if (take(&s) % 4 == 0)
            at = wr_regf_root(h);
        take_name(&s, name);
        if (code == 0 || code == 4) {
            wr_regf_node k;
            if (wr_regf_key_create(h, at, name, &k, &err) == WR_OK && nkeys < MAX_KEYS)
                keys[nkeys++] = k;
        } else if (code == 1) {
            size_t len = (take(&s) * 131u + take(&s)) % sizeof blob;
            wr_regf_value_set(h, at, name, take(&s), blob, len, &err);
        } else if (code == 2) {
            size_t n;
            wr_regf_value v;
            if (wr_regf_value_count(h, at, &n, &err) == WR_OK && n &&
                wr_regf_value_at(h, at, take(&s) % n, &v, &err) == WR_OK) {
                char vname[64];
                if (wr_regf_value_name_buf(h, v, vname, sizeof vname) < sizeof vname)
                    wr_regf_value_delete(h, at, vname, &err);
            }
        } else if (at != wr_regf_root(h)) {
            if (wr_regf_key_delete(h, at, &err) != WR_OK)
                abort();
            nkeys = forget_dead(h, keys, nkeys);
        }
        check(h);
    }
    wr_regf_close(h);
    return 0;
}
