#include "regf/name.h"

#include "base/utf16.h"
#include "regf/upcase.h"

int wr_regf_name_cmp(const struct regf_name *a, const struct regf_name *b)
{
    uint32_t n = a->units < b->units ? a->units : b->units;

    for (uint32_t i = 0; i < n; i++) {
        uint16_t ca = wr_regf_upcase(regf_name_unit(a, i));
        uint16_t cb = wr_regf_upcase(regf_name_unit(b, i));
        if (ca != cb)
            return ca < cb ? -1 : 1;
    }
    if (a->units == b->units)
        return 0;
    return a->units < b->units ? -1 : 1;
}

uint32_t wr_regf_name_hash(const struct regf_name *n)
{
    uint32_t hash = 0;

    for (uint32_t i = 0; i < n->units; i++)
        hash = hash * 37u + wr_regf_upcase(regf_name_unit(n, i));
    return hash;
}

uint32_t wr_regf_name_hint(const struct regf_name *n)
{
    uint32_t hint = 0;

    for (uint32_t i = 0; i < 4 && i < n->units; i++) {
        uint16_t c = regf_name_unit(n, i);
        if (c > 0xFF)
            return 0;
        hint |= (uint32_t)c << (8 * i);
    }
    return hint;
}

bool wr_regf_name_fits_latin1(const struct regf_name *n)
{
    if (n->compressed)
        return true;
    for (uint32_t i = 0; i < n->units; i++)
        if (n->bytes[2 * i + 1] != 0)
            return false;
    return true;
}

size_t wr_regf_name_to_utf8(const struct regf_name *n, char *buf, size_t size)
{
    if (!n->compressed)
        return wr_utf16le_to_utf8(n->bytes, n->units, buf, size, 0);
    size_t len = 0;
    for (uint32_t i = 0; i < n->units; i++) {
        uint8_t c = n->bytes[i];
        if (c < 0x80) {
            if (len + 1 < size)
                buf[len] = (char)c;
            len++;
        } else {
            if (len + 2 < size) {
                buf[len] = (char)(0xC0 | c >> 6);
                buf[len + 1] = (char)(0x80 | (c & 0x3F));
            }
            len += 2;
        }
    }
    if (size)
        buf[len < size ? len : size - 1] = '\0';
    return len;
}

wr_status wr_regf_name_from_utf8(const char *utf8, uint32_t max_units, bool is_key,
                              struct regf_owned_name *out, struct wr_err *err)
{
    const char *what = is_key ? "key" : "value";
    size_t len = strlen(utf8);
    size_t units = 0;
    wr_status st;

    memset(out, 0, sizeof *out);
    if (is_key && len == 0)
        return wr_fail(err, WR_E_INVALID, "a key name cannot be empty");
    if (len > 4 * (size_t)max_units)
        return wr_fail(err, WR_E_INVALID, "%s name of %zu bytes is longer than %u characters",
                       what, len, max_units);
    st = wr_utf8_to_utf16le(utf8, len, NULL, 0, &units, err);
    if (st != WR_OK)
        return wr_err_prefix(err, st, "%s name: ", what);
    if (units > max_units)
        return wr_fail(err, WR_E_INVALID, "%s name has %zu characters, the limit is %u", what,
                       units, max_units);
    out->utf16 = wr_alloc_array(units + 1, 2);
    out->stored = wr_alloc_array(units + 1, 2);
    if (!out->utf16 || !out->stored) {
        wr_regf_owned_name_free(out);
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory for a %s name", what);
    }
    st = wr_utf8_to_utf16le(utf8, len, out->utf16, units, &units, err);
    if (st != WR_OK) {
        wr_regf_owned_name_free(out);
        return wr_err_prefix(err, st, "%s name: ", what);
    }
    out->units = (uint32_t)units;
    struct regf_name view = regf_owned_view(out);
    for (uint32_t i = 0; is_key && i < out->units; i++)
        if (regf_name_unit(&view, i) == '\\') {
            wr_regf_owned_name_free(out);
            return wr_fail(err, WR_E_INVALID, "key name \"%s\" contains a backslash", utf8);
        }
    out->compressed = wr_regf_name_fits_latin1(&view);
    if (out->compressed) {
        for (uint32_t i = 0; i < out->units; i++)
            out->stored[i] = out->utf16[2 * i];
        out->stored_len = out->units;
    } else {
        memcpy(out->stored, out->utf16, 2 * (size_t)out->units);
        out->stored_len = 2 * out->units;
    }
    return WR_OK;
}

void wr_regf_owned_name_free(struct regf_owned_name *n)
{
    wr_free(n->utf16);
    wr_free(n->stored);
    n->utf16 = n->stored = NULL;
}
