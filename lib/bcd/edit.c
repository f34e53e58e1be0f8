#include "bcd/edit.h"
#include "base/fmt.h"
#include "base/utf16.h"

void wr_bcd_guid_key(const struct wr_guid *g, char buf[39])
{
    buf[0] = '{';
    wr_guid_format(g, buf + 1, false);
    buf[37] = '}';
    buf[38] = '\0';
}

static wr_status objects_key(struct wr_regf_hive *h, wr_regf_node *out, struct wr_err *err)
{
    wr_status st = wr_regf_child(h, wr_regf_root(h), "Objects", out, err);

    if (st == WR_E_NOT_FOUND)
        return wr_fail(err, WR_E_INVALID, "not a BCD store: the root key has no Objects key");
    return st;
}

static wr_status object_key(struct wr_regf_hive *h, const char *key, wr_regf_node *out,
                            struct wr_err *err)
{
    wr_regf_node objects;
    wr_status st = objects_key(h, &objects, err);

    if (st == WR_OK)
        st = wr_regf_child(h, objects, key, out, err);
    if (st == WR_E_NOT_FOUND)
        return wr_fail(err, WR_E_NOT_FOUND, "the object %s was not found in this store", key);
    return st;
}

static wr_status set_dword(struct wr_regf_hive *h, wr_regf_node key, const char *name,
                           uint32_t v, struct wr_err *err)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

    return wr_regf_value_set(h, key, name, WR_REG_DWORD, b, 4, err);
}

wr_status wr_bcd_hive_create_store(struct wr_regf_hive **out, struct wr_err *err)
{
    static const char keyname[] = "BCD00000001";
    uint8_t utf16[2 * sizeof keyname] = { 0 };
    wr_regf_node desc, objects;
    struct wr_regf_hive *h;
    wr_status st = wr_regf_create("NewStoreRoot", 3, &h, err);

    if (st != WR_OK)
        return st;
    for (size_t i = 0; i < sizeof keyname; i++)
        utf16[2 * i] = (uint8_t)keyname[i];
    st = wr_regf_key_create(h, wr_regf_root(h), "Description", &desc, err);
    if (st == WR_OK)
        st = wr_regf_value_set(h, desc, "KeyName", WR_REG_SZ, utf16, sizeof utf16, err);
    if (st == WR_OK)
        st = wr_regf_key_create(h, wr_regf_root(h), "Objects", &objects, err);
    if (st != WR_OK) {
        wr_regf_close(h);
        return st;
    }
    *out = h;
    return WR_OK;
}

wr_status wr_bcd_hive_create_object(struct wr_regf_hive *h, const struct wr_guid *g,
                                    uint32_t type, struct wr_err *err)
{
    char key[39];
    wr_regf_node objects, obj, desc, elems;
    wr_status st = objects_key(h, &objects, err);

    wr_bcd_guid_key(g, key);
    if (st == WR_OK && wr_regf_child(h, objects, key, &obj, NULL) == WR_OK)
        return wr_fail(err, WR_E_EXISTS, "the object %s already exists in this store", key);
    if (st == WR_OK)
        st = wr_regf_key_create(h, objects, key, &obj, err);
    if (st == WR_OK)
        st = wr_regf_key_create(h, obj, "Description", &desc, err);
    if (st == WR_OK)
        st = set_dword(h, desc, "Type", type, err);
    if (st == WR_OK)
        st = wr_regf_key_create(h, obj, "Elements", &elems, err);
    return st;
}

wr_status wr_bcd_hive_delete_object(struct wr_regf_hive *h, const char *key, struct wr_err *err)
{
    wr_regf_node obj;
    wr_status st = object_key(h, key, &obj, err);

    return st == WR_OK ? wr_regf_key_delete(h, obj, err) : st;
}

wr_status wr_bcd_hive_set_element(struct wr_regf_hive *h, const char *key, uint32_t code,
                                  uint32_t reg_type, const uint8_t *data, size_t len,
                                  struct wr_err *err)
{
    char name[9];
    wr_regf_node obj, elems, ek;
    wr_status st = object_key(h, key, &obj, err);

    wr_format(name, sizeof name, "%08x", code);
    if (st == WR_OK) {
        st = wr_regf_child(h, obj, "Elements", &elems, NULL);
        if (st == WR_E_NOT_FOUND)
            st = wr_regf_key_create(h, obj, "Elements", &elems, err);
    }
    if (st == WR_OK) {
        st = wr_regf_key_create(h, elems, name, &ek, err);
        if (st == WR_E_EXISTS)
            st = WR_OK;  /* key_create hands back the existing key */
    }
    if (st == WR_OK)
        st = wr_regf_value_set(h, ek, "Element", reg_type, data, len, err);
    return st;
}

wr_status wr_bcd_hive_delete_element(struct wr_regf_hive *h, const char *key, uint32_t code,
                                     struct wr_err *err)
{
    char name[9];
    wr_regf_node obj, elems, ek;
    wr_status st = object_key(h, key, &obj, err);

    wr_format(name, sizeof name, "%08x", code);
    if (st == WR_OK)
        st = wr_regf_child(h, obj, "Elements", &elems, err);
    if (st == WR_OK)
        st = wr_regf_child(h, elems, name, &ek, err);
    if (st == WR_E_NOT_FOUND)
        return wr_fail(err, WR_E_NOT_FOUND, "object %s has no element %s", key, name);
    return st == WR_OK ? wr_regf_key_delete(h, ek, err) : st;
}
