#include "conf/conf.h"

#define LINE_MAX_BYTES 1024
#define QUOTE_MAX 40 /* bytes of a bad value quoted back in a warning */

void wr_conf_init(struct wr_conf *c)
{
    memset(c, 0, sizeof *c);
    c->timeout = WR_CONF_TIMEOUT_DEFAULT;
    c->default_entry = WR_CONF_DEFAULT_AUTO;
}

void wr_conf_free(struct wr_conf *c)
{
    wr_text_free(&c->warnings);
    c->warning_count = 0;
}

const char *wr_conf_default_name(enum wr_conf_default d)
{
    switch (d) {
    case WR_CONF_DEFAULT_TOGO: return "togo";
    case WR_CONF_DEFAULT_INTERNAL: return "internal";
    case WR_CONF_DEFAULT_MENU: return "menu";
    case WR_CONF_DEFAULT_SAVED: return "@saved";
    case WR_CONF_DEFAULT_AUTO: break;
    }
    return "auto";
}

/* A slice of the file; never NUL-terminated. */
struct span {
    const char *p;
    size_t n;
};

static bool is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v';
}

static struct span trim(struct span s)
{
    while (s.n && is_blank(s.p[0])) {
        s.p++;
        s.n--;
    }
    while (s.n && is_blank(s.p[s.n - 1]))
        s.n--;
    return s;
}

static bool span_is(struct span s, const char *word)
{
    size_t n = strlen(word);

    if (s.n != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s.p[i];

        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if (ch != word[i])
            return false;
    }
    return true;
}

/* Warnings quote the user's text; keep it printable ASCII so a hostile
 * file cannot send escape sequences to the console. */
static void quote(struct wr_text *t, struct span s)
{
    size_t n = s.n < QUOTE_MAX ? s.n : QUOTE_MAX;

    wr_text_puts(t, "\"");
    for (size_t i = 0; i < n; i++) {
        char ch = s.p[i];

        wr_text_append(t, ch >= 0x20 && ch < 0x7f ? &ch : "?", 1);
    }
    wr_text_puts(t, n < s.n ? "...\"" : "\"");
}

static void warn(struct wr_conf *c, unsigned line, const char *what, struct span s)
{
    c->warning_count++;
    if (c->warning_count > WR_CONF_MAX_WARNINGS)
        return;
    wr_text_printf(&c->warnings, "wtg-rescue.conf line %u: %s", line, what);
    if (s.p) {
        wr_text_puts(&c->warnings, " ");
        quote(&c->warnings, s);
    }
    if (c->warning_count == WR_CONF_MAX_WARNINGS)
        wr_text_puts(&c->warnings, " (further warnings not shown)");
    wr_text_puts(&c->warnings, "\n");
}

/* Accepts an optional '-' and decimal digits; refuses overflow by
 * stopping before the value passes the cap. */
static bool parse_int(struct span s, int64_t cap, int64_t *out)
{
    bool neg = false;
    int64_t v = 0;
    size_t i = 0;

    if (s.n && (s.p[0] == '-' || s.p[0] == '+')) {
        neg = s.p[0] == '-';
        i = 1;
    }
    if (i == s.n)
        return false;
    for (; i < s.n; i++) {
        if (s.p[i] < '0' || s.p[i] > '9')
            return false;
        v = v * 10 + (s.p[i] - '0');
        if (v > cap)
            v = cap + 1; /* saturate: stays out of range, never overflows */
    }
    *out = neg ? -v : v;
    return true;
}

static void set_timeout(struct wr_conf *c, unsigned line, struct span v)
{
    int64_t n;

    if (!parse_int(v, WR_CONF_TIMEOUT_MAX, &n))
        warn(c, line, "timeout wants a number of seconds (or -1), not", v);
    else if (n < -1)
        warn(c, line, "timeout below -1 ignored:", v);
    else if (n > WR_CONF_TIMEOUT_MAX)
        warn(c, line, "timeout above 86400 seconds ignored:", v);
    else
        c->timeout = (int32_t)n;
}

static void set_default(struct wr_conf *c, unsigned line, struct span v)
{
    if (span_is(v, "togo"))
        c->default_entry = WR_CONF_DEFAULT_TOGO;
    else if (span_is(v, "internal"))
        c->default_entry = WR_CONF_DEFAULT_INTERNAL;
    else if (span_is(v, "menu"))
        c->default_entry = WR_CONF_DEFAULT_MENU;
    else if (span_is(v, "@saved"))
        c->default_entry = WR_CONF_DEFAULT_SAVED;
    else
        warn(c, line, "default wants togo, internal or menu, not", v);
}

/* Only an explicit `repair` ever lets the unattended run write. */
static void set_mode(struct wr_conf *c, unsigned line, struct span v)
{
    if (span_is(v, "menu"))
        c->mode = WR_CONF_MODE_MENU;
    else if (span_is(v, "diagnose"))
        c->mode = WR_CONF_MODE_DIAGNOSE;
    else if (span_is(v, "repair"))
        c->mode = WR_CONF_MODE_REPAIR;
    else
        warn(c, line, "mode wants menu, diagnose or repair, not", v);
}

const char *wr_conf_mode_name(enum wr_conf_mode m)
{
    return m == WR_CONF_MODE_REPAIR ? "repair" : m == WR_CONF_MODE_DIAGNOSE ? "diagnose" : "menu";
}

/* A '#' after whitespace starts a comment, so "timeout 3  # quick" works. */
static struct span strip_comment(struct span s)
{
    for (size_t i = 1; i < s.n; i++) {
        if (s.p[i] == '#' && is_blank(s.p[i - 1])) {
            s.n = i;
            break;
        }
    }
    return trim(s);
}

static bool has_nul(struct span s)
{
    for (size_t i = 0; i < s.n; i++)
        if (s.p[i] == '\0')
            return true;
    return false;
}

static void parse_line(struct wr_conf *c, unsigned line, struct span s)
{
    struct span key, value;
    size_t k = 0;

    s = trim(s);
    if (s.n == 0 || s.p[0] == '#')
        return;
    if (s.n > LINE_MAX_BYTES) {
        warn(c, line, "line too long, ignored", (struct span){ 0 });
        return;
    }
    if (has_nul(s)) {
        warn(c, line, "line contains a NUL byte, ignored", (struct span){ 0 });
        return;
    }
    while (k < s.n && !is_blank(s.p[k]))
        k++;
    key = (struct span){ s.p, k };
    value = strip_comment((struct span){ s.p + k, s.n - k });
    if (value.n == 0 &&
        (span_is(key, "timeout") || span_is(key, "default") || span_is(key, "mode"))) {
        warn(c, line, "no value after", key);
        return;
    }
    if (span_is(key, "timeout"))
        set_timeout(c, line, value);
    else if (span_is(key, "default"))
        set_default(c, line, value);
    else if (span_is(key, "mode"))
        set_mode(c, line, value);
    else
        warn(c, line, "unknown key ignored:", key);
}

wr_status wr_conf_parse(struct wr_conf *c, const char *data, size_t len,
                        struct wr_err *err)
{
    unsigned line = 1;
    size_t start = 0;

    /* Windows editors like to start UTF-8 files with a byte-order mark. */
    if (len >= 3 && (uint8_t)data[0] == 0xEF && (uint8_t)data[1] == 0xBB &&
        (uint8_t)data[2] == 0xBF)
        start = 3;
    for (size_t i = start; i <= len; i++) {
        if (i < len && data[i] != '\n')
            continue;
        parse_line(c, line, (struct span){ data + start, i - start });
        line++;
        start = i + 1;
    }
    if (c->warnings.failed)
        return wr_fail(err, WR_E_NO_MEMORY, "wtg-rescue.conf: out of memory for warnings");
    return WR_OK;
}
