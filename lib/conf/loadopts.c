#include "conf/loadopts.h"

static bool is_text(unsigned ch)
{
    return ch == '\t' || ch == '\n' || ch == '\r' || (ch >= 0x20 && ch < 0x7f);
}

/* UTF-16LE when at least 3/4 of the units before the first NUL unit have
 * a zero high byte: ASCII text never has a zero in every second byte, and
 * a few non-ASCII characters (an accent, a curly quote in a comment) must
 * not make UTF-16 pass for 8-bit text that stops at the first NUL. Without
 * a NUL unit the length must be even. */
static bool looks_utf16(const uint8_t *d, size_t len)
{
    size_t units = 0, zero_high = 0, i;

    for (i = 0; i + 1 < len; i += 2) {
        if (d[i] == 0 && d[i + 1] == 0)
            break;
        units++;
        zero_high += d[i + 1] == 0;
    }
    if (i + 1 >= len && len % 2)
        return false;
    return units && 4 * zero_high >= 3 * units;
}

/* ".efi" at the end of the word [p, p+n), any case. */
static bool is_image_name(const char *p, size_t n)
{
    static const char ext[] = ".efi";

    if (n <= 4)
        return false;
    for (size_t i = 0; i < 4; i++) {
        char ch = p[n - 4 + i];

        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if (ch != ext[i])
            return false;
    }
    return true;
}

bool wr_conf_load_options_text(const uint8_t *data, size_t len, struct wr_text *out)
{
    bool wide = looks_utf16(data, len);
    size_t step = wide ? 2 : 1, start = 0, n = 0;
    char *buf;

    wr_text_free(out);
    buf = wr_alloc_uninit(len / step + 1);
    if (!buf)
        return false;
    for (size_t i = 0; i + step <= len; i += step) {
        unsigned ch = wide ? (unsigned)data[i] | (unsigned)data[i + 1] << 8 : data[i];

        if (ch == 0)
            break;
        if (!is_text(ch)) {
            wr_free(buf);
            return false;
        }
        buf[n++] = ch == ';' ? '\n' : (char)ch;
    }
    while (start < n && (buf[start] == ' ' || buf[start] == '\t'))
        start++;
    size_t w = start;
    while (w < n && buf[w] != ' ' && buf[w] != '\t' && buf[w] != '\n' && buf[w] != '\r')
        w++;
    if (is_image_name(buf + start, w - start))
        for (start = w; start < n && (buf[start] == ' ' || buf[start] == '\t');)
            start++;
    if (start < n)
        wr_text_append(out, buf + start, n - start);
    wr_free(buf);
    if (out->failed) {
        wr_text_free(out);
        return false;  /* out of memory: a failure, not "no settings" */
    }
    return true;
}
