/* .reg parser (see import_reg.h). */
#include "import_reg.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf16.h"

struct parser {
    const struct reg_sink *sink;
    char *why;
    size_t why_size;
    int line;
    bool in_key;
    uint8_t *buf; /* decoded value data */
    size_t cap;
};

static int bad(struct parser *p, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(p->why, p->why_size, "line %d: ", p->line);
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < p->why_size)
        vsnprintf(p->why + n, p->why_size - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static bool reserve(struct parser *p, size_t n)
{
    if (n <= p->cap)
        return true;
    uint8_t *b = realloc(p->buf, n);
    if (!b)
        return false;
    p->buf = b;
    p->cap = n;
    return true;
}

/* A "quoted" string with \ escaping the next character; *end gets the
 * position after the closing quote. */
static char *quoted(const char *s, const char **end)
{
    if (*s != '"')
        return NULL;
    char *out = malloc(strlen(s) + 1);
    size_t n = 0;
    if (!out)
        return NULL;
    for (s++; *s && *s != '"'; s++) {
        if (*s == '\\' && s[1])
            s++;
        out[n++] = *s;
    }
    if (*s != '"') {
        free(out);
        return NULL;
    }
    out[n] = 0;
    *end = s + 1;
    return out;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Hex digits with commas and spaces anywhere, as hivex accepts them. */
static int hex_bytes(struct parser *p, const char *s, size_t *len)
{
    size_t digits = 0;
    if (!reserve(p, strlen(s) / 2 + 1))
        return bad(p, "out of memory");
    for (; *s; s++) {
        if (*s == ',' || isspace((unsigned char)*s))
            continue;
        int v = hexval((unsigned char)*s);
        if (v < 0)
            return bad(p, "'%c' is not a hex digit", *s);
        if (digits % 2 == 0)
            p->buf[digits / 2] = (uint8_t)(v << 4);
        else
            p->buf[digits / 2] |= (uint8_t)v;
        digits++;
    }
    if (digits % 2)
        return bad(p, "odd number of hex digits");
    *len = digits / 2;
    return 0;
}

/* A quoted string as REG_SZ-style data: UTF-16LE with its NUL. */
static int string_data(struct parser *p, const char *s, size_t *len)
{
    const char *end;
    char *str = quoted(s, &end);
    if (!str)
        return bad(p, "bad quoted string");
    size_t n = strlen(str), units = 0;
    struct wr_err err = {0};
    int rc = 0;
    if (*end && !isspace((unsigned char)*end))
        rc = bad(p, "text after the closing quote");
    else if (!reserve(p, 2 * n + 2))
        rc = bad(p, "out of memory");
    else if (wr_utf8_to_utf16le(str, n, p->buf, n + 1, &units, &err) != WR_OK)
        rc = bad(p, "string is not UTF-8: %s", err.msg);
    else {
        p->buf[2 * units] = p->buf[2 * units + 1] = 0;
        *len = 2 * units + 2;
    }
    free(str);
    return rc;
}

static int value_data(struct parser *p, const char *v, uint32_t *type, size_t *len)
{
    char *end;
    if (strncmp(v, "dword:", 6) == 0) {
        v += 6;
        for (int i = 0; i < 8; i++)
            if (hexval((unsigned char)v[i]) < 0)
                return bad(p, "dword: needs exactly 8 hex digits");
        if (v[8] && !isspace((unsigned char)v[8]))
            return bad(p, "dword: needs exactly 8 hex digits");
        uint32_t d = (uint32_t)strtoul(v, NULL, 16);
        if (!reserve(p, 4))
            return bad(p, "out of memory");
        for (int i = 0; i < 4; i++)
            p->buf[i] = (uint8_t)(d >> (8 * i));
        *type = 4;
        *len = 4;
        return 0;
    }
    if (strncmp(v, "hex:", 4) == 0) {
        *type = 3;
        return hex_bytes(p, v + 4, len);
    }
    if (strncmp(v, "hex(", 4) == 0 || strncmp(v, "str(", 4) == 0) {
        unsigned long t = strtoul(v + 4, &end, 16);
        if (end == v + 4 || end[0] != ')' || end[1] != ':' || t > 0xFFFFFFFFul)
            return bad(p, "bad %.3s(N): type", v);
        *type = (uint32_t)t;
        return v[0] == 'h' ? hex_bytes(p, end + 2, len) : string_data(p, end + 2, len);
    }
    if (strncmp(v, "str:", 4) == 0) {
        *type = 1;
        return string_data(p, v + 4, len);
    }
    if (*v == '"') {
        *type = 1;
        return string_data(p, v, len);
    }
    return bad(p, "unknown value syntax \"%.20s\"", v);
}

static void rstrip(char *s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = 0;
}

static int value_line(struct parser *p, char *s)
{
    char *name;
    const char *rest;
    if (s[0] == '@') {
        name = strdup("");
        rest = s + 1;
    } else {
        name = quoted(s, &rest);
    }
    if (!name)
        return bad(p, "expected \"name\"=value or @=value");
    int rc;
    uint32_t type = 0;
    size_t len = 0;
    if (*rest != '=')
        rc = bad(p, "expected '=' after the value name");
    else if (strcmp(rest + 1, "-") == 0)
        rc = p->sink->value(p->sink->arg, name, true, 0, NULL, 0, p->line);
    else if ((rc = value_data(p, rest + 1, &type, &len)) == 0)
        rc = p->sink->value(p->sink->arg, name, false, type, p->buf, len, p->line);
    free(name);
    return rc;
}

static int one_line(struct parser *p, char *s)
{
    rstrip(s);
    const char *t = s;
    while (isspace((unsigned char)*t))
        t++;
    if (*t == 0 || *t == ';') {
        p->in_key = false; /* a blank line ends a section's values */
        return 0;
    }
    if (!p->in_key && (strstr(s, "Windows Registry Editor Version") || strncmp(s, "REGEDIT", 7) == 0))
        return 0;
    if (s[0] == '[') {
        size_t n = strlen(s);
        if (s[n - 1] != ']')
            return bad(p, "section line without a closing ']'");
        s[n - 1] = 0;
        bool del = s[1] == '-';
        p->in_key = !del;
        return p->sink->key(p->sink->arg, s + 1 + del, del, p->line);
    }
    if (!p->in_key)
        return bad(p, "value outside a [key] section");
    return value_line(p, s);
}

/* UTF-16LE with a BOM becomes UTF-8; a UTF-8 BOM is dropped. */
static char *to_utf8(const uint8_t *text, size_t len)
{
    if (len >= 2 && text[0] == 0xFF && text[1] == 0xFE) {
        char *out = NULL;
        if (wr_utf16le_to_utf8_alloc(text + 2, (len - 2) / 2, 0, &out, NULL) != WR_OK)
            return NULL;
        char *copy = strdup(out);
        wr_free(out);
        return copy;
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, text, len);
        s[len] = 0;
    }
    return s;
}

int reg_parse(const uint8_t *text, size_t len, const struct reg_sink *sink, char *why,
              size_t why_size)
{
    struct parser p = {.sink = sink, .why = why, .why_size = why_size};
    char *all = to_utf8(text, len);
    if (!all) {
        snprintf(why, why_size, "cannot decode the file (bad UTF-16 or out of memory)");
        return -1;
    }
    if (strlen(all) != len && !(len >= 2 && text[0] == 0xFF && text[1] == 0xFE) &&
        strlen(all) + 3 != len) {
        free(all);
        snprintf(why, why_size, "NUL byte in the file (UTF-16 without a BOM?)");
        return -1;
    }
    char *logical = malloc(strlen(all) + 1);
    int rc = logical ? 0 : -1;
    char *cur = all;
    int next_line = 1;
    while (rc == 0 && *cur) {
        /* Join physical lines ending in '\' into one logical line. */
        size_t n = 0;
        p.line = next_line;
        for (;;) {
            char *nl = strchr(cur, '\n');
            size_t l = nl ? (size_t)(nl - cur) : strlen(cur);
            memcpy(logical + n, cur, l);
            n += l;
            logical[n] = 0;
            cur += l + (nl ? 1 : 0);
            next_line++;
            while (n && (logical[n - 1] == '\r' || logical[n - 1] == ' ' || logical[n - 1] == '\t'))
                n--;
            if (!(n && logical[n - 1] == '\\' && logical[0] != '[' && *cur)) {
                logical[n] = 0;
                break;
            }
            n--; /* drop the '\' and continue with the next line */
        }
        rc = one_line(&p, logical);
    }
    free(logical);
    free(all);
    free(p.buf);
    return rc;
}
