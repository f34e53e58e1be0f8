/* The wr_nvram wrappers and the Boot####/BootOrder helpers on top. */
#include "efivar/nvram.h"

#include "base/bytes.h"
#include "base/fmt.h"

const struct wr_guid wr_efivar_global_guid = { { 0x61, 0xdf, 0xe4, 0x8b, 0xca, 0x93, 0xd2, 0x11,
                                                 0xaa, 0x0d, 0x00, 0xe0, 0x98, 0x03, 0x2b,
                                                 0x8c } };

static wr_status unsupported(const struct wr_nvram *nv, const char *what, struct wr_err *err)
{
    return wr_fail(err, WR_E_UNSUPPORTED, "%s: cannot %s variables",
                   nv && nv->name ? nv->name : "nvram", what);
}

wr_status wr_nvram_get(const struct wr_nvram *nv, const char *name, const struct wr_guid *guid,
                       uint32_t *attrs, uint8_t **data, size_t *len, struct wr_err *err)
{
    uint32_t a = 0;

    if (!nv || !nv->ops->get)
        return unsupported(nv, "read", err);
    return nv->ops->get(nv->ctx, name, guid, attrs ? attrs : &a, data, len, err);
}

wr_status wr_nvram_set(const struct wr_nvram *nv, const char *name, const struct wr_guid *guid,
                       uint32_t attrs, const uint8_t *data, size_t len, struct wr_err *err)
{
    if (!nv || !nv->ops->set)
        return unsupported(nv, "write", err);
    return nv->ops->set(nv->ctx, name, guid, attrs, data, len, err);
}

wr_status wr_nvram_del(const struct wr_nvram *nv, const char *name, const struct wr_guid *guid,
                       struct wr_err *err)
{
    if (!nv || !nv->ops->del)
        return unsupported(nv, "delete", err);
    return nv->ops->del(nv->ctx, name, guid, err);
}

wr_status wr_nvram_list(const struct wr_nvram *nv, wr_nvram_visit visit, void *arg,
                        struct wr_err *err)
{
    if (!nv || !nv->ops->list)
        return unsupported(nv, "list", err);
    return nv->ops->list(nv->ctx, visit, arg, err);
}

void wr_efivar_boot_name(uint16_t num, char buf[16])
{
    wr_format(buf, 16, "Boot%04X", num);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

bool wr_efivar_parse_boot_name(const char *name, uint16_t *num)
{
    unsigned v = 0;

    if (strncmp(name, "Boot", 4) || strlen(name) != 8)
        return false;
    for (int i = 4; i < 8; i++) {
        int h = hexval(name[i]);
        if (h < 0)
            return false;
        v = v << 4 | (unsigned)h;
    }
    *num = (uint16_t)v;
    return true;
}

wr_status wr_efivar_boot_order_get(const struct wr_nvram *nv, uint16_t **order, size_t *n,
                                   struct wr_err *err)
{
    uint8_t *data = NULL;
    size_t len = 0;
    wr_status st = wr_nvram_get(nv, "BootOrder", &wr_efivar_global_guid, NULL, &data, &len, err);

    *order = NULL;
    *n = 0;
    if (st == WR_E_NOT_FOUND) {
        wr_err_clear(err);
        return WR_OK;
    }
    if (st)
        return st;
    *n = len / 2;
    *order = wr_alloc_array(*n ? *n : 1, sizeof **order);
    if (!*order) {
        wr_free(data);
        return wr_fail(err, WR_E_NO_MEMORY, "BootOrder: out of memory");
    }
    for (size_t i = 0; i < *n; i++)
        (*order)[i] = wr_le16(data + 2 * i);
    wr_free(data);
    return WR_OK;
}

wr_status wr_efivar_boot_order_set(const struct wr_nvram *nv, const uint16_t *order, size_t n,
                                   struct wr_err *err)
{
    uint8_t *data = wr_alloc_array(n ? n : 1, 2);
    wr_status st;

    if (!data)
        return wr_fail(err, WR_E_NO_MEMORY, "BootOrder: out of memory");
    for (size_t i = 0; i < n; i++)
        wr_put_le16(data + 2 * i, order[i]);
    st = wr_nvram_set(nv, "BootOrder", &wr_efivar_global_guid, WR_EFIVAR_ATTR_NV_BS_RT, data,
                      2 * n, err);
    wr_free(data);
    return st;
}

wr_status wr_efivar_boot_get(const struct wr_nvram *nv, uint16_t num,
                             struct wr_efivar_loadopt *out, struct wr_err *err)
{
    char name[16];
    uint8_t *data = NULL;
    size_t len = 0;
    wr_status st;

    wr_efivar_boot_name(num, name);
    memset(out, 0, sizeof *out);
    st = wr_nvram_get(nv, name, &wr_efivar_global_guid, NULL, &data, &len, err);
    if (!st) {
        st = wr_efivar_loadopt_decode(data, len, out, err);
        if (st)
            wr_err_prefix(err, st, "%s: ", name);
    }
    wr_free(data);
    return st;
}

wr_status wr_efivar_free_boot_number(const struct wr_nvram *nv, uint16_t *num,
                                     struct wr_err *err)
{
    for (uint32_t i = 0; i < 0x10000; i++) {
        char name[16];
        uint8_t *data = NULL;
        size_t len;
        wr_status st;

        wr_efivar_boot_name((uint16_t)i, name);
        st = wr_nvram_get(nv, name, &wr_efivar_global_guid, NULL, &data, &len, err);
        wr_free(data);
        if (st == WR_E_NOT_FOUND) {
            wr_err_clear(err);
            *num = (uint16_t)i;
            return WR_OK;
        }
        if (st)
            return st;
    }
    return wr_fail(err, WR_E_TOO_BIG, "%s: every Boot#### number is taken", nv->name);
}
