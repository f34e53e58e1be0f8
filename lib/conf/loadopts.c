#include "conf/loadopts.h"

static bool is_text(unsigned ch)
{
    return ch == '\t' || ch == '\n' || ch == '\r' || (ch >= 0x20 && ch < 0x7f);
}

/* UTF-16LE when every unit up to the NUL has a zero high byte: plain
 * ASCII text never has a NUL in its second byte. */
static bool looks_utf16(const uint8_t *d, size_t len)
{
    if (len < 2 || d[1] != 0)
        return false;
    for (size_t i = 0; i + 1 < len; i += 2) {
        if (d[i] == 0 && d[i + 1] == 0)
            return true;
        if (d[i + 1] != 0)
            return false;
    }
    return true;
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
    return true;
}
