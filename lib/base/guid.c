#include "base/guid.h"
#include "base/fmt.h"

/* Byte order of the text groups: the first three fields are little-endian. */
static const uint8_t text_order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };

void wr_guid_format(const struct wr_guid *g, char *buf, bool upper)
{
    const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    size_t n = 0;

    for (int i = 0; i < 16; i++) {
        uint8_t v = g->b[text_order[i]];
        if (i == 4 || i == 6 || i == 8 || i == 10)
            buf[n++] = '-';
        buf[n++] = hex[v >> 4];
        buf[n++] = hex[v & 15];
    }
    buf[n] = '\0';
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

wr_status wr_guid_parse(const char *text, struct wr_guid *out, struct wr_err *err)
{
    const char *p = text;
    size_t len = strlen(text);
    struct wr_guid g;

    if (len == WR_GUID_TEXT_LEN + 2 && text[0] == '{' && text[len - 1] == '}')
        p++;
    else if (len != WR_GUID_TEXT_LEN)
        return wr_fail(err, WR_E_INVALID, "'%s' is not a GUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", text);
    for (int i = 0; i < 16; i++) {
        int hi, lo;
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            if (*p != '-')
                return wr_fail(err, WR_E_INVALID, "'%s' is not a GUID: '-' expected", text);
            p++;
        }
        hi = hex_value(p[0]);
        lo = hi < 0 ? -1 : hex_value(p[1]);
        if (lo < 0)
            return wr_fail(err, WR_E_INVALID, "'%s' is not a GUID: bad hex digit", text);
        g.b[text_order[i]] = (uint8_t)(hi << 4 | lo);
        p += 2;
    }
    *out = g;
    return WR_OK;
}

bool wr_guid_equal(const struct wr_guid *a, const struct wr_guid *b)
{
    return memcmp(a->b, b->b, 16) == 0;
}

bool wr_guid_is_zero(const struct wr_guid *g)
{
    for (int i = 0; i < 16; i++)
        if (g->b[i])
            return false;
    return true;
}
