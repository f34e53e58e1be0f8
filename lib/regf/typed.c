/* Typed value helpers: check the type and length, then decode. */
#include "regf/hive.h"

#include "base/utf16.h"

static const char *type_name(uint32_t t)
{
    static const char *const names[] = { "REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY",
                                         "REG_DWORD", "REG_DWORD_BIG_ENDIAN", "REG_LINK",
                                         "REG_MULTI_SZ", "REG_RESOURCE_LIST",
                                         "REG_FULL_RESOURCE_DESCRIPTOR",
                                         "REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD" };
    return t < WR_ARRAY_LEN(names) ? names[t] : "an unknown type";
}

static wr_status wrong_type(const struct wr_regf_hive *h, wr_regf_value v, uint32_t t,
                            const char *want, struct wr_err *err)
{
    char name[64];

    wr_regf_value_name_buf(h, v, name, sizeof name);
    return wr_fail(err, WR_E_INVALID, "%s: value \"%s\" is %s (%u), not %s", wr_regf_name(h), name,
                   type_name(t), t, want);
}

static wr_status wrong_size(const struct wr_regf_hive *h, wr_regf_value v, size_t len,
                            const char *want, size_t need, struct wr_err *err)
{
    char name[64];

    wr_regf_value_name_buf(h, v, name, sizeof name);
    return wr_fail(err, WR_E_INVALID, "%s: value \"%s\" has %zu bytes of data, %s needs %zu",
                   wr_regf_name(h), name, len, want, need);
}

wr_status wr_regf_value_dword(const struct wr_regf_hive *h, wr_regf_value value, uint32_t *out,
                              struct wr_err *err)
{
    uint32_t type;
    uint8_t *data;
    size_t len;
    wr_status st = wr_regf_value_data(h, value, &type, &data, &len, err);

    if (st != WR_OK)
        return st;
    if (type != WR_REG_DWORD && type != WR_REG_DWORD_BE)
        st = wrong_type(h, value, type, "REG_DWORD", err);
    else if (len != 4)
        st = wrong_size(h, value, len, "a DWORD", 4, err);
    else if (type == WR_REG_DWORD)
        *out = wr_le32(data);
    else
        *out = (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 | (uint32_t)data[2] << 8 |
               data[3];
    wr_free(data);
    return st;
}

wr_status wr_regf_value_qword(const struct wr_regf_hive *h, wr_regf_value value, uint64_t *out,
                              struct wr_err *err)
{
    uint32_t type;
    uint8_t *data;
    size_t len;
    wr_status st = wr_regf_value_data(h, value, &type, &data, &len, err);

    if (st != WR_OK)
        return st;
    if (type != WR_REG_QWORD)
        st = wrong_type(h, value, type, "REG_QWORD", err);
    else if (len != 8)
        st = wrong_size(h, value, len, "a QWORD", 8, err);
    else
        *out = wr_le64(data);
    wr_free(data);
    return st;
}

wr_status wr_regf_value_sz(const struct wr_regf_hive *h, wr_regf_value value, unsigned flags,
                           char **out, struct wr_err *err)
{
    uint32_t type;
    uint8_t *data;
    size_t len;
    wr_status st = wr_regf_value_data(h, value, &type, &data, &len, err);

    if (st != WR_OK)
        return st;
    if (type != WR_REG_SZ && type != WR_REG_EXPAND_SZ && type != WR_REG_LINK)
        st = wrong_type(h, value, type, "REG_SZ", err);
    else /* an odd last byte cannot be a code unit; it is dropped */
        st = wr_utf16le_to_utf8_alloc(data ? data : (const uint8_t *)"", len / 2,
                                      flags | WR_UTF16_STOP_AT_NUL, out, err);
    wr_free(data);
    return st;
}

void wr_regf_strings_free(char **strings)
{
    if (!strings)
        return;
    for (char **s = strings; *s; s++)
        wr_free(*s);
    wr_free(strings);
}

/* The strings of a MULTI_SZ: NUL-separated, the list ends at an empty one
 * or at the end of the data. */
static wr_status split_multi(const uint8_t *data, size_t units, unsigned flags, char ***out,
                             struct wr_err *err)
{
    size_t count = 0, start = 0;
    char **list;

    for (size_t i = 0; i < units; i++)
        if (wr_le16(data + 2 * i) == 0) {
            if (i == start)
                break;
            count++;
            start = i + 1;
        }
    if (start < units && wr_le16(data + 2 * start) != 0)
        count++; /* a last string without its NUL */
    list = wr_alloc_array(count + 1, sizeof *list);
    if (!list)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory for %zu strings", count);
    start = 0;
    for (size_t k = 0; k < count; k++) {
        size_t end = start;
        while (end < units && wr_le16(data + 2 * end) != 0)
            end++;
        wr_status st = wr_utf16le_to_utf8_alloc(data + 2 * start, end - start, flags, &list[k],
                                                err);
        if (st != WR_OK) {
            wr_regf_strings_free(list);
            return st;
        }
        start = end + 1;
    }
    *out = list;
    return WR_OK;
}

wr_status wr_regf_value_multi_sz(const struct wr_regf_hive *h, wr_regf_value value,
                                 unsigned flags, char ***out, struct wr_err *err)
{
    uint32_t type;
    uint8_t *data;
    size_t len;
    wr_status st = wr_regf_value_data(h, value, &type, &data, &len, err);

    if (st != WR_OK)
        return st;
    if (type != WR_REG_MULTI_SZ)
        st = wrong_type(h, value, type, "REG_MULTI_SZ", err);
    else
        st = split_multi(data, len / 2, flags & WR_UTF16_REPLACE, out, err);
    wr_free(data);
    return st;
}

wr_status wr_regf_value_binary(const struct wr_regf_hive *h, wr_regf_value value,
                               uint8_t **data, size_t *len, struct wr_err *err)
{
    return wr_regf_value_data(h, value, NULL, data, len, err);
}
