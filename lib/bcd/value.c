/* Element data <-> typed values, per format (bcd.md §1 table). */
#include "bcd/value.h"
#include "base/bytes.h"
#include "base/utf16.h"

#define GUID_UNITS 38  /* "{xxxxxxxx-...}" */

static wr_status check_reg_type(uint32_t code, uint32_t reg_type, struct wr_err *err)
{
    unsigned fmt = wr_bcd_code_format(code);
    uint32_t want = wr_bcd_format_reg_type(fmt);

    if (!want)
        return wr_fail(err, WR_E_CORRUPT, "element %08x: format %u is not a BCD format (1-7)",
                       code, fmt);
    if (reg_type != want)
        return wr_fail(err, WR_E_CORRUPT, "element %08x: stored as registry type %u, but a "
                       "%s element must be type %u", code, reg_type, wr_bcd_format_name(fmt),
                       want);
    return WR_OK;
}

static wr_status decode_string(uint32_t code, const uint8_t *data, size_t len, char **out,
                               struct wr_err *err)
{
    if (len < 2 || len % 2)
        return wr_fail(err, WR_E_CORRUPT, "element %08x: string of %zu bytes is not "
                       "non-empty UTF-16", code, len);
    return wr_utf16le_to_utf8_alloc(data, len / 2, WR_UTF16_STOP_AT_NUL, out, err);
}

/* "{guid}" from UTF-16 units [p, p + units). */
static wr_status guid_from_units(uint32_t code, const uint8_t *p, size_t units,
                                 struct wr_guid *out, struct wr_err *err)
{
    char buf[GUID_UNITS + 1];

    if (units != GUID_UNITS)
        return wr_fail(err, WR_E_CORRUPT, "element %08x: object reference of %zu characters "
                       "is not a {GUID}", code, units);
    for (size_t i = 0; i < units; i++) {
        uint16_t u = wr_le16(p + 2 * i);
        if (u == 0 || u > 0x7F)
            return wr_fail(err, WR_E_CORRUPT, "element %08x: object reference is not a {GUID}",
                           code);
        buf[i] = (char)u;
    }
    buf[units] = '\0';
    if (buf[0] != '{' || wr_guid_parse(buf, out, NULL) != WR_OK)
        return wr_fail(err, WR_E_CORRUPT, "element %08x: '%s' is not a {GUID}", code, buf);
    return WR_OK;
}

static size_t units_to_nul(const uint8_t *p, size_t units)
{
    size_t n = 0;

    while (n < units && wr_le16(p + 2 * n) != 0)
        n++;
    return n;
}

static wr_status decode_object(uint32_t code, const uint8_t *data, size_t len,
                               struct wr_guid *out, struct wr_err *err)
{
    if (len % 2)
        return wr_fail(err, WR_E_CORRUPT, "element %08x: odd length %zu for a UTF-16 string",
                       code, len);
    return guid_from_units(code, data, units_to_nul(data, len / 2), out, err);
}

static wr_status decode_objlist(uint32_t code, const uint8_t *data, size_t len,
                                struct wr_bcd_value *v, struct wr_err *err)
{
    size_t units = len / 2, pos = 0;

    if (len % 2)
        return wr_fail(err, WR_E_CORRUPT, "element %08x: odd length %zu for a string list",
                       code, len);
    v->guids = wr_alloc_array(units / GUID_UNITS + 1, sizeof *v->guids);
    if (!v->guids)
        return wr_fail(err, WR_E_NO_MEMORY, "element %08x: out of memory", code);
    while (pos < units) {
        size_t n = units_to_nul(data + 2 * pos, units - pos);
        wr_status st;
        if (n == 0)
            break;  /* the empty string that ends the list */
        st = guid_from_units(code, data + 2 * pos, n, &v->guids[v->count], err);
        if (st != WR_OK)
            return st;
        v->count++;
        pos += n + 1;
    }
    return WR_OK;
}

static wr_status decode_intlist(uint32_t code, const uint8_t *data, size_t len,
                                struct wr_bcd_value *v, struct wr_err *err)
{
    if (len == 0 || len % 8)
        return wr_fail(err, WR_E_CORRUPT, "element %08x: integer list of %zu bytes is not "
                       "a non-empty multiple of 8", code, len);
    v->count = len / 8;
    v->ints = wr_alloc_array(v->count, sizeof *v->ints);
    if (!v->ints)
        return wr_fail(err, WR_E_NO_MEMORY, "element %08x: out of memory", code);
    for (size_t i = 0; i < v->count; i++)
        v->ints[i] = wr_le64(data + 8 * i);
    return WR_OK;
}

static wr_status decode_by_format(uint32_t code, const uint8_t *data, size_t len,
                                  struct wr_bcd_value *v, struct wr_err *err)
{
    switch (v->format) {
    case WR_BCD_FMT_DEVICE:
        return wr_bcd_device_decode(data, len, &v->dev, err);
    case WR_BCD_FMT_STRING:
        return decode_string(code, data, len, &v->str, err);
    case WR_BCD_FMT_OBJECT:
        return decode_object(code, data, len, &v->guid, err);
    case WR_BCD_FMT_OBJLIST:
        return decode_objlist(code, data, len, v, err);
    case WR_BCD_FMT_INTEGER:
        if (len < 1 || len > 8)
            return wr_fail(err, WR_E_CORRUPT, "element %08x: integer of %zu bytes (1 to 8 "
                           "expected)", code, len);
        for (size_t i = len; i > 0; i--)
            v->integer = v->integer << 8 | data[i - 1];
        return WR_OK;
    case WR_BCD_FMT_BOOLEAN:
        if (len != 1)
            return wr_fail(err, WR_E_CORRUPT, "element %08x: boolean of %zu bytes (exactly 1 "
                           "expected)", code, len);
        v->integer = data[0];
        return WR_OK;
    case WR_BCD_FMT_INTLIST:
        return decode_intlist(code, data, len, v, err);
    }
    return wr_fail(err, WR_E_CORRUPT, "element %08x: unknown format", code);
}

wr_status wr_bcd_value_decode(uint32_t code, uint32_t reg_type, const uint8_t *data,
                              size_t len, struct wr_bcd_value *out, struct wr_err *err)
{
    wr_status st;

    memset(out, 0, sizeof *out);
    out->format = wr_bcd_code_format(code);
    st = check_reg_type(code, reg_type, err);
    if (st == WR_OK)
        st = decode_by_format(code, data, len, out, err);
    if (st != WR_OK)
        wr_bcd_value_clear(out);
    return st;
}

void wr_bcd_value_clear(struct wr_bcd_value *v)
{
    wr_free(v->str);
    wr_free(v->guids);
    wr_free(v->ints);
    wr_bcd_device_clear(&v->dev.dev);
    memset(v, 0, sizeof *v);
}

/* ------------------------------------------------------------ encoding */

static wr_status encode_utf16(const char *s, uint8_t **data, size_t *len, struct wr_err *err)
{
    size_t units = 0;
    uint8_t *buf;
    wr_status st = wr_utf8_to_utf16le(s, strlen(s), NULL, 0, &units, err);

    if (st != WR_OK)
        return st;
    buf = wr_alloc_array(units + 1, 2);
    if (!buf)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory encoding a string");
    wr_utf8_to_utf16le(s, strlen(s), buf, units, &units, NULL);
    *data = buf;
    *len = 2 * (units + 1);
    return WR_OK;
}

static void put_guid_units(uint8_t *p, const struct wr_guid *g)
{
    char text[GUID_UNITS + 1];

    text[0] = '{';
    wr_guid_format(g, text + 1, false);
    text[GUID_UNITS - 1] = '}';
    for (size_t i = 0; i < GUID_UNITS; i++)
        wr_put_le16(p + 2 * i, (uint8_t)text[i]);
}

static wr_status encode_objlist(const struct wr_bcd_value *v, uint8_t **data, size_t *len,
                                struct wr_err *err)
{
    size_t n = (v->count * (GUID_UNITS + 1) + 1) * 2;
    uint8_t *buf = wr_alloc(n);

    if (!buf)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory encoding an object list");
    for (size_t i = 0; i < v->count; i++)
        put_guid_units(buf + 2 * i * (GUID_UNITS + 1), &v->guids[i]);
    *data = buf;
    *len = n;
    return WR_OK;
}

static wr_status encode_ints(const uint64_t *ints, size_t count, size_t width, uint8_t **data,
                             size_t *len, struct wr_err *err)
{
    uint8_t *buf = wr_alloc_array(count, width);

    if (!buf)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory encoding integers");
    for (size_t i = 0; i < count; i++) {
        if (width == 8)
            wr_put_le64(buf + 8 * i, ints[i]);
        else
            buf[i] = (uint8_t)ints[i];
    }
    *data = buf;
    *len = count * width;
    return WR_OK;
}

wr_status wr_bcd_value_encode(const struct wr_bcd_value *v, uint32_t *reg_type,
                              uint8_t **data, size_t *len, struct wr_err *err)
{
    *reg_type = wr_bcd_format_reg_type(v->format);
    switch (v->format) {
    case WR_BCD_FMT_DEVICE:
        return wr_bcd_device_encode(&v->dev, data, len, err);
    case WR_BCD_FMT_STRING:
        return encode_utf16(v->str ? v->str : "", data, len, err);
    case WR_BCD_FMT_OBJECT: {
        struct wr_bcd_value one = { .format = WR_BCD_FMT_OBJLIST, .count = 1 };
        wr_status st;
        one.guids = (struct wr_guid *)&v->guid;
        st = encode_objlist(&one, data, len, err);
        *len -= 2;  /* a single string: no list terminator */
        return st;
    }
    case WR_BCD_FMT_OBJLIST:
        return encode_objlist(v, data, len, err);
    case WR_BCD_FMT_INTEGER:
        return encode_ints(&v->integer, 1, 8, data, len, err);
    case WR_BCD_FMT_BOOLEAN:
        return encode_ints(&v->integer, 1, 1, data, len, err);
    case WR_BCD_FMT_INTLIST:
        if (!v->count)
            return wr_fail(err, WR_E_INVALID, "an integer list needs at least one value");
        return encode_ints(v->ints, v->count, 8, data, len, err);
    }
    return wr_fail(err, WR_E_INVALID, "format %u cannot be encoded", v->format);
}

/* ------------------------------------------------------------ rendering */

static void put_ref(struct wr_text *t, const struct wr_guid *g,
                    const struct wr_bcd_value_style *s)
{
    char buf[WR_GUID_TEXT_LEN + 1];

    if (s->ref) {
        s->ref(s->ref_arg, t, g);
        return;
    }
    wr_guid_format(g, buf, false);
    wr_text_printf(t, "{%s}", buf);
}

static void render_integer(struct wr_text *t, uint64_t v, const struct wr_bcd_element_def *def)
{
    if (def && def->values && v < def->n_values)
        wr_text_puts(t, def->values[v]);
    else
        wr_text_printf(t, "%llu", (unsigned long long)v);
}

void wr_bcd_value_render(struct wr_text *t, const struct wr_bcd_value *v,
                         const struct wr_bcd_element_def *def, const char *indent,
                         const struct wr_bcd_value_style *style)
{
    switch (v->format) {
    case WR_BCD_FMT_DEVICE:
        wr_bcd_device_render(t, &v->dev, style->device_flags, style->alias, style->alias_arg);
        break;
    case WR_BCD_FMT_STRING:
        wr_text_puts(t, v->str);
        break;
    case WR_BCD_FMT_OBJECT:
        put_ref(t, &v->guid, style);
        break;
    case WR_BCD_FMT_OBJLIST:
        for (size_t i = 0; i < v->count; i++) {
            if (i)
                wr_text_printf(t, "\n%s", indent);
            put_ref(t, &v->guids[i], style);
        }
        break;
    case WR_BCD_FMT_INTEGER:
        render_integer(t, v->integer, def);
        break;
    case WR_BCD_FMT_BOOLEAN:
        wr_text_puts(t, v->integer ? "Yes" : "No");
        break;
    case WR_BCD_FMT_INTLIST:
        for (size_t i = 0; i < v->count; i++) {
            if (i)
                wr_text_printf(t, "\n%s", indent);
            /* bcdedit: hex for named lists, decimal for custom: ones */
            wr_text_printf(t, def ? "0x%llx" : "%llu", (unsigned long long)v->ints[i]);
        }
        break;
    }
    wr_text_puts(t, "\n");
}

/* ------------------------------------------------------------ parsing */

static wr_status parse_u64(const char *s, uint64_t *out, struct wr_err *err)
{
    uint64_t v = 0;
    unsigned base = 10;
    const char *p = s;

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    if (!*p)
        return wr_fail(err, WR_E_INVALID, "'%s' is not an integer", s);
    for (; *p; p++) {
        char c = *p;
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                   : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 99;
        if (d >= base)
            return wr_fail(err, WR_E_INVALID, "'%s' is not an integer (decimal or 0x hex)", s);
        if (v > (UINT64_MAX - d) / base)
            return wr_fail(err, WR_E_INVALID, "'%s' does not fit in 64 bits", s);
        v = v * base + d;
    }
    *out = v;
    return WR_OK;
}

static wr_status parse_integer(const char *s, const struct wr_bcd_element_def *def,
                               uint64_t *out, struct wr_err *err)
{
    if (def && def->values) {
        for (size_t i = 0; i < def->n_values; i++)
            if (wr_bcd_eq_ci(s, def->values[i])) {
                *out = i;
                return WR_OK;
            }
    }
    if (parse_u64(s, out, NULL) == WR_OK)
        return WR_OK;
    if (def && def->values) {
        char names[200];
        size_t n = 0;
        for (size_t i = 0; i < def->n_values && n < sizeof names; i++)
            n += wr_format(names + n, sizeof names - n, "%s%s", i ? ", " : "", def->values[i]);
        return wr_fail(err, WR_E_INVALID, "'%s' is not a valid value for %s (use one of: %s, "
                       "or a number)", s, def->name, names);
    }
    return parse_u64(s, out, err);
}

static wr_status parse_bool(const char *s, uint64_t *out, struct wr_err *err)
{
    static const char *const yes[] = { "on", "yes", "true", "1" };
    static const char *const no[] = { "off", "no", "false", "0" };

    for (size_t i = 0; i < WR_ARRAY_LEN(yes); i++) {
        if (wr_bcd_eq_ci(s, yes[i])) { *out = 1; return WR_OK; }
        if (wr_bcd_eq_ci(s, no[i])) { *out = 0; return WR_OK; }
    }
    return wr_fail(err, WR_E_INVALID, "'%s' is not a boolean (use on/off, yes/no, true/false "
                   "or 1/0)", s);
}

static wr_status parse_id(const struct wr_bcd_parse_ctx *ctx, const char *s,
                          struct wr_guid *out, struct wr_err *err)
{
    if (ctx->resolve_id)
        return ctx->resolve_id(ctx->resolve_arg, s, out, err);
    return wr_guid_parse(s, out, err);
}

static wr_status parse_lists(unsigned fmt, const char *const *args, size_t n,
                             const struct wr_bcd_parse_ctx *ctx, struct wr_bcd_value *v,
                             struct wr_err *err)
{
    if (fmt == WR_BCD_FMT_OBJLIST)
        v->guids = wr_alloc_array(n, sizeof *v->guids);
    else
        v->ints = wr_alloc_array(n, sizeof *v->ints);
    if (!v->guids && !v->ints)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    for (v->count = 0; v->count < n; v->count++) {
        wr_status st = fmt == WR_BCD_FMT_OBJLIST
                           ? parse_id(ctx, args[v->count], &v->guids[v->count], err)
                           : parse_u64(args[v->count], &v->ints[v->count], err);
        if (st != WR_OK)
            return st;
    }
    return WR_OK;
}

static wr_status parse_by_format(uint32_t code, const char *const *args, size_t n,
                                 const struct wr_bcd_parse_ctx *ctx, struct wr_bcd_value *v,
                                 struct wr_err *err)
{
    if (n == 0)
        return wr_fail(err, WR_E_INVALID, "a value is required");
    if (n > 1 && v->format != WR_BCD_FMT_OBJLIST && v->format != WR_BCD_FMT_INTLIST)
        return wr_fail(err, WR_E_INVALID, "a %s element takes one value, %zu were given",
                       wr_bcd_format_name(v->format), n);
    switch (v->format) {
    case WR_BCD_FMT_DEVICE:
        return wr_bcd_device_parse(args[0], &ctx->device, &v->dev, err);
    case WR_BCD_FMT_STRING: {
        size_t len = strlen(args[0]) + 1;
        v->str = wr_alloc(len);
        if (!v->str)
            return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
        memcpy(v->str, args[0], len);
        return WR_OK;
    }
    case WR_BCD_FMT_OBJECT:
        return parse_id(ctx, args[0], &v->guid, err);
    case WR_BCD_FMT_INTEGER:
        return parse_integer(args[0], ctx->def, &v->integer, err);
    case WR_BCD_FMT_BOOLEAN:
        return parse_bool(args[0], &v->integer, err);
    case WR_BCD_FMT_OBJLIST:
    case WR_BCD_FMT_INTLIST:
        return parse_lists(v->format, args, n, ctx, v, err);
    }
    return wr_fail(err, WR_E_INVALID, "element %08x has no valid format", code);
}

wr_status wr_bcd_value_parse(uint32_t code, const char *const *args, size_t n_args,
                             const struct wr_bcd_parse_ctx *ctx, struct wr_bcd_value *out,
                             struct wr_err *err)
{
    wr_status st;

    memset(out, 0, sizeof *out);
    out->format = wr_bcd_code_format(code);
    st = parse_by_format(code, args, n_args, ctx, out, err);
    if (st != WR_OK)
        wr_bcd_value_clear(out);
    return st;
}
