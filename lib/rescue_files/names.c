/* FAT name mapping for rescued files (the rules are in rescue_files.h). */
#include "rescue_files/rescue_files.h"

#define FAT_NAME_UNITS 255u

static bool illegal(unsigned char c)
{
    if (c < 0x20 || c == 0x7f)
        return true;
    for (const char *p = "\"*/:<>?\\|"; *p; p++)
        if (c == (unsigned char)*p)
            return true;
    return false;
}

static char upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool same_ascii_ci(const char *a, size_t n, const char *b)
{
    size_t i;

    for (i = 0; i < n && b[i]; i++)
        if (upper(a[i]) != upper(b[i]))
            return false;
    return i == n && !b[i];
}

/* Device names Windows will not open, whatever the extension. */
static bool reserved(const char *name, size_t base_len)
{
    static const char *const fixed[] = { "CON", "PRN", "AUX", "NUL" };

    for (size_t i = 0; i < WR_ARRAY_LEN(fixed); i++)
        if (same_ascii_ci(name, base_len, fixed[i]))
            return true;
    if (base_len == 4 && name[3] >= '1' && name[3] <= '9')
        return same_ascii_ci(name, 3, "COM") || same_ascii_ci(name, 3, "LPT");
    return false;
}

/* UTF-16 units of one UTF-8 sequence starting with lead byte c. */
static unsigned seq_len(unsigned char c, unsigned *units)
{
    *units = 1;
    if (c >= 0xf0) {
        *units = 2;
        return 4;
    }
    if (c >= 0xe0)
        return 3;
    return c >= 0xc0 ? 2 : 1;
}

/* Bytes of name that fit in max_units UTF-16 units, on a character boundary. */
static size_t fit_units(const char *name, size_t len, size_t max_units)
{
    size_t i = 0, used = 0;

    while (i < len) {
        unsigned units, n = seq_len((unsigned char)name[i], &units);

        if (used + units > max_units || i + n > len)
            break;
        used += units;
        i += n;
    }
    return i;
}

static size_t units_of(const char *s, size_t len)
{
    size_t i = 0, used = 0;

    while (i < len) {
        unsigned units, n = seq_len((unsigned char)s[i], &units);

        used += units;
        i += n;
    }
    return used;
}

static size_t ext_start(const char *s, size_t len)
{
    for (size_t i = len; i > 1; i--)
        if (s[i - 1] == '.')
            return i - 1;
    return len;
}

bool wr_rf_fat_name(const char *name, char *out, size_t out_size)
{
    size_t len = strlen(name), o = 0, dot;
    char *tmp;
    bool changed = false;

    if (!out_size)
        return false;
    tmp = out;
    for (size_t i = 0; i < len && o + 1 < out_size; i++) {
        char c = name[i];

        if (illegal((unsigned char)c)) {
            c = '_';
            changed = true;
        }
        tmp[o++] = c;
    }
    for (size_t i = o; i > 0 && (tmp[i - 1] == '.' || tmp[i - 1] == ' '); i--) {
        tmp[i - 1] = '_';
        changed = true;
    }
    if (o == 0 && o + 1 < out_size) {
        tmp[o++] = '_';
        changed = true;
    }
    dot = ext_start(tmp, o);
    if (reserved(tmp, dot) && o + 1 < out_size) {
        memmove(tmp + dot + 1, tmp + dot, o - dot);
        tmp[dot] = '_';
        o++;
        changed = true;
    }
    if (units_of(tmp, o) > FAT_NAME_UNITS) {
        size_t ext = o - ext_start(tmp, o);
        size_t keep;

        if (ext > 16)
            ext = 0;
        keep = fit_units(tmp, o - ext, FAT_NAME_UNITS - units_of(tmp + o - ext, ext));
        memmove(tmp + keep, tmp + o - ext, ext);
        o = keep + ext;
        changed = true;
    }
    out[o] = '\0';
    return changed || o != len;
}
