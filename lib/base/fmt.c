#include "base/fmt.h"

struct sink {
    char *buf;
    size_t size;
    size_t len;
};

static void put_char(struct sink *s, char c)
{
    if (s->len + 1 < s->size)
        s->buf[s->len] = c;
    s->len++;
}

static void put_padded(struct sink *s, const char *text, size_t n,
                       int width, bool left, char pad)
{
    size_t fill = width > 0 && (size_t)width > n ? (size_t)width - n : 0;

    if (!left)
        while (fill--)
            put_char(s, pad);
    for (size_t i = 0; i < n; i++)
        put_char(s, text[i]);
    if (left)
        while (fill--)
            put_char(s, ' ');
}

static size_t digits_of(uint64_t v, unsigned base, bool upper, char *out)
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char rev[24];
    size_t n = 0;

    do {
        rev[n++] = set[v % base];
        v /= base;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = rev[n - 1 - i];
    return n;
}

static void put_number(struct sink *s, uint64_t mag, bool negative, unsigned base,
                       bool upper, int width, bool left, bool zero)
{
    char text[24];
    size_t n = 0;

    if (negative && zero && !left) {
        put_char(s, '-');
        if (width > 0)
            width--;
        negative = false;
    }
    if (negative)
        text[n++] = '-';
    n += digits_of(mag, base, upper, text + n);
    put_padded(s, text, n, width, left, zero && !left ? '0' : ' ');
}

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_MAX };

static int64_t take_signed(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_LONG: return va_arg(*ap, long);
    case LEN_LLONG: return va_arg(*ap, long long);
    case LEN_SIZE: return (int64_t)va_arg(*ap, size_t);
    case LEN_MAX: return va_arg(*ap, intmax_t);
    case LEN_CHAR: return (signed char)va_arg(*ap, int);
    case LEN_SHORT: return (short)va_arg(*ap, int);
    default: return va_arg(*ap, int);
    }
}

static uint64_t take_unsigned(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_LONG: return va_arg(*ap, unsigned long);
    case LEN_LLONG: return va_arg(*ap, unsigned long long);
    case LEN_SIZE: return va_arg(*ap, size_t);
    case LEN_MAX: return va_arg(*ap, uintmax_t);
    case LEN_CHAR: return (unsigned char)va_arg(*ap, unsigned);
    case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned);
    default: return va_arg(*ap, unsigned);
    }
}

static const char *parse_length(const char *p, enum length *len)
{
    *len = LEN_INT;
    if (p[0] == 'h' && p[1] == 'h') { *len = LEN_CHAR; return p + 2; }
    if (p[0] == 'h') { *len = LEN_SHORT; return p + 1; }
    if (p[0] == 'l' && p[1] == 'l') { *len = LEN_LLONG; return p + 2; }
    if (p[0] == 'l') { *len = LEN_LONG; return p + 1; }
    if (p[0] == 'z') { *len = LEN_SIZE; return p + 1; }
    if (p[0] == 'j') { *len = LEN_MAX; return p + 1; }
    return p;
}

static const char *parse_int(const char *p, va_list *ap, int *out)
{
    if (*p == '*') {
        *out = va_arg(*ap, int);
        return p + 1;
    }
    *out = 0;
    while (*p >= '0' && *p <= '9' && *out < 10000)
        *out = *out * 10 + (*p++ - '0');
    return p;
}

static void put_string(struct sink *s, const char *str, int precision,
                       int width, bool left)
{
    size_t n = 0;

    if (!str)
        str = "(null)";
    while (str[n] && (precision < 0 || n < (size_t)precision))
        n++;
    put_padded(s, str, n, width, left, ' ');
}

size_t wr_vformat(char *buf, size_t size, const char *fmt, va_list args)
{
    struct sink s = { buf, size, 0 };
    va_list ap;

    va_copy(ap, args);
    for (const char *p = fmt; *p; p++) {
        bool left = false, zero = false;
        int width = 0, precision = -1;
        enum length len;

        if (*p != '%') {
            put_char(&s, *p);
            continue;
        }
        p++;
        for (;; p++) {
            if (*p == '-') left = true;
            else if (*p == '0') zero = true;
            else break;
        }
        p = parse_int(p, &ap, &width);
        if (width < 0) {
            left = true;
            width = -width;
        }
        if (*p == '.')
            p = parse_int(p + 1, &ap, &precision);
        p = parse_length(p, &len);
        switch (*p) {
        case 'd':
        case 'i': {
            int64_t v = take_signed(&ap, len);
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            put_number(&s, mag, v < 0, 10, false, width, left, zero);
            break;
        }
        case 'u': put_number(&s, take_unsigned(&ap, len), false, 10, false, width, left, zero); break;
        case 'x': put_number(&s, take_unsigned(&ap, len), false, 16, false, width, left, zero); break;
        case 'X': put_number(&s, take_unsigned(&ap, len), false, 16, true, width, left, zero); break;
        case 'p':
            put_char(&s, '0');
            put_char(&s, 'x');
            put_number(&s, (uintptr_t)va_arg(ap, void *), false, 16, false, 0, false, false);
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            put_padded(&s, &c, 1, width, left, ' ');
            break;
        }
        case 's': put_string(&s, va_arg(ap, const char *), precision, width, left); break;
        case '%': put_char(&s, '%'); break;
        case '\0': p--; break;
        default: put_char(&s, '%'); put_char(&s, *p); break;
        }
    }
    va_end(ap);
    if (size)
        buf[s.len < size ? s.len : size - 1] = '\0';
    return s.len;
}

size_t wr_format(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    n = wr_vformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static bool text_reserve(struct wr_text *t, size_t extra)
{
    size_t need, cap;
    char *grown;

    if (t->failed)
        return false;
    if (extra > SIZE_MAX - t->len - 1) {
        t->failed = true;
        return false;
    }
    need = t->len + extra + 1;
    if (need <= t->cap)
        return true;
    cap = t->cap ? t->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    grown = wr_realloc(t->data, cap);
    if (!grown) {
        t->failed = true;
        return false;
    }
    t->data = grown;
    t->cap = cap;
    return true;
}

void wr_text_append(struct wr_text *t, const char *s, size_t n)
{
    if (!text_reserve(t, n))
        return;
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

void wr_text_puts(struct wr_text *t, const char *s)
{
    wr_text_append(t, s, strlen(s));
}

void wr_text_printf(struct wr_text *t, const char *fmt, ...)
{
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    n = wr_vformat(NULL, 0, fmt, ap);
    va_end(ap);
    if (!text_reserve(t, n))
        return;
    va_start(ap, fmt);
    wr_vformat(t->data + t->len, n + 1, fmt, ap);
    va_end(ap);
    t->len += n;
}

void wr_text_free(struct wr_text *t)
{
    wr_free(t->data);
    t->data = NULL;
    t->len = t->cap = 0;
    t->failed = false;
}
