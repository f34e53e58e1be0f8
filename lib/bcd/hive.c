#include "bcd/hive.h"

#define MAX_OBJECTS 65536   /* far beyond any real store; bounds a hostile hive */

static bool parse_code(const char *name, uint32_t *code)
{
    uint32_t v = 0;

    if (strlen(name) != 8)
        return false;
    for (int i = 0; i < 8; i++) {
        char c = name[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return false;
        v = v << 4 | (uint32_t)d;
    }
    *code = v;
    return true;
}

static wr_status load_type(const struct wr_regf_hive *h, wr_regf_node key,
                           struct wr_bcd_store *s, struct wr_bcd_object *o)
{
    wr_regf_node desc;
    wr_regf_value v;
    struct wr_err e = { 0 };

    if (wr_regf_child(h, key, "Description", &desc, &e) != WR_OK) {
        wr_bcd_store_note(s, "object %s has no Description key (so no type)", o->key);
        return WR_OK;
    }
    if (wr_regf_value_find(h, desc, "Type", &v, &e) != WR_OK ||
        wr_regf_value_dword(h, v, &o->type, &e) != WR_OK) {
        wr_bcd_store_note(s, "object %s: Description\\Type missing or not a DWORD", o->key);
        return WR_OK;
    }
    o->has_type = true;
    return WR_OK;
}

static wr_status load_element(const struct wr_regf_hive *h, wr_regf_node ek,
                              struct wr_bcd_store *s, struct wr_bcd_object *o, struct wr_err *err)
{
    char name[64];
    uint32_t code, type;
    wr_regf_value v;
    uint8_t *data = NULL;
    size_t len = 0;
    struct wr_err e = { 0 };
    wr_status st;

    wr_regf_key_name_buf(h, ek, name, sizeof name);
    if (!parse_code(name, &code)) {
        wr_bcd_store_note(s, "object %s: element key '%s' is not 8 hex digits (ignored)",
                          o->key, name);
        return WR_OK;
    }
    if (wr_regf_value_find(h, ek, "Element", &v, &e) != WR_OK) {
        wr_bcd_store_note(s, "object %s: element %s has no Element value (ignored)", o->key,
                          name);
        return WR_OK;
    }
    st = wr_regf_value_data(h, v, &type, &data, &len, err);
    if (st != WR_OK)
        return wr_err_prefix(err, st, "object %s, element %s: ", o->key, name);
    st = wr_bcd_object_put(o, code, type, data, len, err);
    wr_free(data);
    return st;
}

static wr_status load_elements(const struct wr_regf_hive *h, wr_regf_node key,
                               struct wr_bcd_store *s, struct wr_bcd_object *o,
                               struct wr_err *err)
{
    wr_regf_node elems, *kids = NULL;
    size_t n = 0;
    struct wr_err e = { 0 };
    wr_status st;

    if (wr_regf_child(h, key, "Elements", &elems, &e) != WR_OK) {
        wr_bcd_store_note(s, "object %s has no Elements key", o->key);
        return WR_OK;
    }
    st = wr_regf_subkeys(h, elems, &kids, &n, err);
    for (size_t i = 0; st == WR_OK && i < n; i++)
        st = load_element(h, kids[i], s, o, err);
    wr_free(kids);
    return st;
}

static wr_status load_object(const struct wr_regf_hive *h, wr_regf_node key,
                             struct wr_bcd_store *s, struct wr_err *err)
{
    char *name = NULL;
    struct wr_bcd_object *o;
    wr_status st = wr_regf_key_name(h, key, &name, err);

    if (st != WR_OK)
        return st;
    st = wr_bcd_store_add_object(s, name, &o, err);
    wr_free(name);
    if (st != WR_OK)
        return st;
    if (!o->has_guid)
        wr_bcd_store_note(s, "object key '%s' is not a {GUID} (kept; never taken for an "
                          "alias)", o->key);
    st = load_type(h, key, s, o);
    return st == WR_OK ? load_elements(h, key, s, o, err) : st;
}

wr_status wr_bcd_store_load(const struct wr_regf_hive *h, struct wr_bcd_store *out,
                            struct wr_err *err)
{
    wr_regf_node objects, *kids = NULL;
    size_t n = 0;
    wr_status st;

    wr_bcd_store_init(out);
    st = wr_regf_child(h, wr_regf_root(h), "Objects", &objects, err);
    if (st == WR_E_NOT_FOUND)
        return wr_fail(err, WR_E_INVALID, "%s: not a BCD store (the root key has no Objects "
                       "subkey)", wr_regf_name(h) ? wr_regf_name(h) : "hive");
    if (st == WR_OK)
        st = wr_regf_subkeys(h, objects, &kids, &n, err);
    if (st == WR_OK && n > MAX_OBJECTS)
        st = wr_fail(err, WR_E_TOO_BIG, "BCD store has %zu objects (limit %d)", n,
                     MAX_OBJECTS);
    for (size_t i = 0; st == WR_OK && i < n; i++)
        st = load_object(h, kids[i], out, err);
    wr_free(kids);
    if (st != WR_OK)
        wr_bcd_store_free(out);
    else
        wr_bcd_store_index(out);
    return st;
}

wr_status wr_bcd_store_open(const uint8_t *data, size_t len, const char *name,
                            const struct wr_regf_log *logs, size_t n_logs,
                            struct wr_regf_hive **hive, struct wr_bcd_store *out,
                            struct wr_err *err)
{
    struct wr_regf_open_opts opts = { .name = name, .logs = logs, .n_logs = n_logs };
    wr_status st;

    if (len < 4 || memcmp(data, "regf", 4) != 0)
        return wr_fail(err, WR_E_INVALID, "%s: not a registry hive (no \"regf\" signature), "
                       "so not a BCD store", name ? name : "store");
    st = wr_regf_open(data, len, &opts, hive, err);
    if (st != WR_OK)
        return wr_err_prefix(err, st, "the store could not be opened: ");
    st = wr_bcd_store_load(*hive, out, err);
    if (st != WR_OK) {
        wr_regf_close(*hive);
        *hive = NULL;
    }
    return st;
}
