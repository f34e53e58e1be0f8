#include "base/utf16.h"

struct out {
    char *dst;
    size_t size;
    size_t len;
};

static void emit(struct out *o, uint8_t c)
{
    if (o->len + 1 < o->size)
        o->dst[o->len] = (char)c;
    o->len++;
}

static void emit_code_point(struct out *o, uint32_t cp)
{
    if (cp < 0x80) {
        emit(o, (uint8_t)cp);
    } else if (cp < 0x800) {
        emit(o, (uint8_t)(0xC0 | cp >> 6));
        emit(o, (uint8_t)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        emit(o, (uint8_t)(0xE0 | cp >> 12));
        emit(o, (uint8_t)(0x80 | ((cp >> 6) & 0x3F)));
        emit(o, (uint8_t)(0x80 | (cp & 0x3F)));
    } else {
        emit(o, (uint8_t)(0xF0 | cp >> 18));
        emit(o, (uint8_t)(0x80 | ((cp >> 12) & 0x3F)));
        emit(o, (uint8_t)(0x80 | ((cp >> 6) & 0x3F)));
        emit(o, (uint8_t)(0x80 | (cp & 0x3F)));
    }
}

size_t wr_utf16le_to_utf8(const uint8_t *src, size_t units, char *dst,
                          size_t dst_size, unsigned flags)
{
    struct out o = { dst, dst_size, 0 };

    for (size_t i = 0; i < units; i++) {
        uint32_t u = (uint32_t)(src[2 * i] | src[2 * i + 1] << 8);
        if (u == 0 && (flags & WR_UTF16_STOP_AT_NUL))
            break;
        if (u >= 0xD800 && u < 0xDC00 && i + 1 < units) {
            uint32_t lo = (uint32_t)(src[2 * i + 2] | src[2 * i + 3] << 8);
            if (lo >= 0xDC00 && lo < 0xE000) {
                emit_code_point(&o, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
                i++;
                continue;
            }
        }
        if (u >= 0xD800 && u < 0xE000 && (flags & WR_UTF16_REPLACE))
            u = 0xFFFD;
        emit_code_point(&o, u);
    }
    if (dst_size)
        dst[o.len < dst_size ? o.len : dst_size - 1] = '\0';
    return o.len;
}

wr_status wr_utf16le_to_utf8_alloc(const uint8_t *src, size_t units, unsigned flags,
                                   char **out, struct wr_err *err)
{
    size_t need = wr_utf16le_to_utf8(src, units, NULL, 0, flags);
    char *buf = wr_alloc(need + 1);

    if (!buf)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory converting a %zu-unit name", units);
    wr_utf16le_to_utf8(src, units, buf, need + 1, flags);
    *out = buf;
    return WR_OK;
}

/* Decodes one UTF-8 sequence at s[0..len); returns its length or 0 if bad. */
static size_t decode_utf8(const uint8_t *s, size_t len, uint32_t *cp)
{
    size_t n;
    uint32_t v, min;

    if (s[0] < 0x80) { *cp = s[0]; return 1; }
    if ((s[0] & 0xE0) == 0xC0) { n = 2; v = s[0] & 0x1F; min = 0x80; }
    else if ((s[0] & 0xF0) == 0xE0) { n = 3; v = s[0] & 0x0F; min = 0x800; }
    else if ((s[0] & 0xF8) == 0xF0) { n = 4; v = s[0] & 0x07; min = 0x10000; }
    else return 0;
    if (n > len)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF)
        return 0;
    *cp = v;
    return n;
}

static void put_unit(uint8_t *dst, size_t dst_units, size_t at, uint32_t u)
{
    if (at < dst_units) {
        dst[2 * at] = (uint8_t)u;
        dst[2 * at + 1] = (uint8_t)(u >> 8);
    }
}

wr_status wr_utf8_to_utf16le(const char *src, size_t len, uint8_t *dst,
                             size_t dst_units, size_t *out_units, struct wr_err *err)
{
    const uint8_t *s = (const uint8_t *)src;
    size_t at = 0;

    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = decode_utf8(s + i, len - i, &cp);
        if (!n)
            return wr_fail(err, WR_E_INVALID, "invalid UTF-8 at byte %zu", i);
        i += n;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            put_unit(dst, dst_units, at++, 0xD800 + (cp >> 10));
            put_unit(dst, dst_units, at++, 0xDC00 + (cp & 0x3FF));
        } else {
            put_unit(dst, dst_units, at++, cp);
        }
    }
    *out_units = at;
    return WR_OK;
}
