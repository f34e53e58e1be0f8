/* Device values as text: bcdedit's forms, with our offline partition syntax
 * (gpt:{disk}/{part}, mbr:SIG/0xOFFSET) that wr_bcd_device_parse reads back. */
#include "bcd/device.h"

static void put_guid(struct wr_text *t, const struct wr_guid *g)
{
    char buf[WR_GUID_TEXT_LEN + 1];

    wr_guid_format(g, buf, false);
    wr_text_printf(t, "{%s}", buf);
}

static void render_part(struct wr_text *t, const struct wr_bcd_device *d, unsigned flags)
{
    if (flags & WR_BCD_TEXT_COMPAT) {
        wr_text_puts(t, "unknown");
    } else if (d->style == WR_BCD_STYLE_GPT) {
        wr_text_puts(t, "gpt:");
        put_guid(t, &d->disk_guid);
        wr_text_puts(t, "/");
        put_guid(t, &d->part_guid);
    } else {
        wr_text_printf(t, "mbr:%08x/0x%llx", d->mbr_signature,
                       (unsigned long long)d->mbr_offset);
    }
}

static void render_dev(struct wr_text *t, const struct wr_bcd_device *d, unsigned flags);

/* "[parent]path" of a file-backed device. */
static void render_file(struct wr_text *t, const struct wr_bcd_device *d, unsigned flags)
{
    wr_text_puts(t, "[");
    if (d->parent && d->parent->kind == WR_BCD_DEV_PARTITION &&
        d->parent->disk_class == WR_BCD_DISK_PHYSICAL)
        render_part(t, d->parent, flags);
    else if (d->parent)
        render_dev(t, d->parent, flags);
    wr_text_puts(t, "]");
    wr_text_puts(t, d->path ? d->path : "");
}

/* The file behind a VHD: a FILE device, or something we print as is. */
static void render_vhd(struct wr_text *t, const struct wr_bcd_device *backing, unsigned flags)
{
    wr_text_puts(t, "vhd=");
    if (backing && backing->kind == WR_BCD_DEV_FILE)
        render_file(t, backing, flags);
    else if (backing)
        render_dev(t, backing, flags);
}

static void render_dev(struct wr_text *t, const struct wr_bcd_device *d, unsigned flags)
{
    switch (d->kind) {
    case WR_BCD_DEV_BOOT:
        wr_text_puts(t, "boot");
        return;
    case WR_BCD_DEV_PARTITION:
        if (d->disk_class == WR_BCD_DISK_PHYSICAL) {
            if (flags & WR_BCD_TEXT_COMPAT) {
                wr_text_puts(t, "unknown");
                return;
            }
            wr_text_puts(t, "partition=");
            render_part(t, d, flags);
            return;
        }
        render_vhd(t, d->parent, flags);
        if (!(flags & WR_BCD_TEXT_COMPAT)) {
            wr_text_puts(t, ",partition=");
            render_part(t, d, flags);
        }
        return;
    case WR_BCD_DEV_RAMDISK:
        wr_text_puts(t, "ramdisk=");
        render_file(t, d, flags);
        return;
    case WR_BCD_DEV_FILE:
        wr_text_puts(t, "file=");
        render_file(t, d, flags);
        return;
    case WR_BCD_DEV_VDISK:
        render_vhd(t, d->parent, flags);
        return;
    case WR_BCD_DEV_LOCATE:
        if (d->parent && d->parent->kind == WR_BCD_DEV_VDISK) {
            render_vhd(t, d->parent->parent, flags);
            wr_text_puts(t, ",");
        } else if (d->parent) {
            wr_text_puts(t, "[");
            render_dev(t, d->parent, flags);
            wr_text_puts(t, "]");
        }
        wr_text_printf(t, "locate=custom:%08x", d->locate_element);
        return;
    }
    wr_text_puts(t, "unknown");
}

void wr_bcd_device_render(struct wr_text *t, const struct wr_bcd_devval *dv, unsigned flags,
                          wr_bcd_alias_fn alias, void *alias_arg)
{
    render_dev(t, &dv->dev, flags);
    if (!wr_guid_is_zero(&dv->options)) {
        const char *name = (!(flags & WR_BCD_TEXT_VERBOSE) && alias)
                               ? alias(alias_arg, &dv->options) : NULL;
        wr_text_puts(t, ",");
        if (name)
            wr_text_puts(t, name);
        else
            put_guid(t, &dv->options);
    }
}

/* ------------------------------------------------------------ parsing */

static bool prefix_ci(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++) {
        char a = *s, b = *prefix;
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (a != b)
            return false;
    }
    return true;
}

static wr_status parse_hex(const char *s, size_t n, uint64_t max, uint64_t *out,
                           struct wr_err *err)
{
    uint64_t v = 0;

    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        n -= 2;
    }
    if (!n || n > 16)
        return wr_fail(err, WR_E_INVALID, "'%.*s' is not a hex number", (int)n, s);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return wr_fail(err, WR_E_INVALID, "'%.*s' is not a hex number", (int)n, s);
        v = v << 4 | (uint64_t)d;
    }
    if (v > max)
        return wr_fail(err, WR_E_INVALID, "0x%llx is too large here", (unsigned long long)v);
    *out = v;
    return WR_OK;
}

static wr_status parse_guid_n(const char *s, size_t n, struct wr_guid *g, struct wr_err *err)
{
    char buf[WR_GUID_TEXT_LEN + 3];

    if (n >= sizeof buf)
        return wr_fail(err, WR_E_INVALID, "'%.*s' is not a {GUID}", (int)n, s);
    memcpy(buf, s, n);
    buf[n] = '\0';
    return wr_guid_parse(buf, g, err);
}

/* gpt:{disk}/{part} or mbr:SIG/OFFSET (hex, 0x optional). */
static wr_status parse_ours(const char *s, size_t n, struct wr_bcd_device *d,
                            struct wr_err *err)
{
    const char *slash = NULL;
    uint64_t v;
    wr_status st;

    for (size_t i = 4; i < n; i++)
        if (s[i] == '/')
            slash = s + i;
    if (!slash)
        return wr_fail(err, WR_E_INVALID, "'%.*s': expected gpt:{disk}/{partition} or "
                       "mbr:SIGNATURE/OFFSET", (int)n, s);
    memset(d, 0, sizeof *d);
    d->kind = WR_BCD_DEV_PARTITION;
    if (prefix_ci(s, "gpt:")) {
        d->style = WR_BCD_STYLE_GPT;
        st = parse_guid_n(s + 4, (size_t)(slash - s - 4), &d->disk_guid, err);
        if (st == WR_OK)
            st = parse_guid_n(slash + 1, (size_t)(s + n - slash - 1), &d->part_guid, err);
        return st;
    }
    d->style = WR_BCD_STYLE_MBR;
    st = parse_hex(s + 4, (size_t)(slash - s - 4), 0xFFFFFFFFu, &v, err);
    if (st != WR_OK)
        return wr_err_prefix(err, st, "MBR disk signature: ");
    d->mbr_signature = (uint32_t)v;
    st = parse_hex(slash + 1, (size_t)(s + n - slash - 1), UINT64_MAX, &d->mbr_offset, err);
    if (st != WR_OK)
        return wr_err_prefix(err, st, "MBR partition offset: ");
    if (d->mbr_offset % 512)
        return wr_fail(err, WR_E_INVALID, "MBR partition offset 0x%llx is not a multiple "
                       "of 512", (unsigned long long)d->mbr_offset);
    return WR_OK;
}

static char *dup_n(const char *s, size_t n)
{
    char *p = wr_alloc(n + 1);

    if (p)
        memcpy(p, s, n);
    return p;
}

/* A partition spec: ours, or anything the resolver understands. */
static wr_status parse_spec(const char *s, size_t n, const struct wr_bcd_device_parse_opts *o,
                            struct wr_bcd_device *d, struct wr_err *err)
{
    char *copy;
    wr_status st;

    if (prefix_ci(s, "partition="))
        s += 10, n -= 10;
    if (n > 4 && (prefix_ci(s, "gpt:") || prefix_ci(s, "mbr:")))
        return parse_ours(s, n, d, err);
    if (!o || !o->resolve)
        return wr_fail(err, WR_E_INVALID, "'%.*s' is not a partition: use gpt:{disk}/{part} "
                       "or mbr:SIGNATURE/OFFSET", (int)n, s);
    copy = dup_n(s, n);
    if (!copy)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    memset(d, 0, sizeof *d);
    st = o->resolve(o->resolve_arg, copy, d, err);
    wr_free(copy);
    return st;
}

static wr_status new_dev(struct wr_bcd_device **out, struct wr_err *err)
{
    *out = wr_alloc(sizeof **out);
    return *out ? WR_OK : wr_fail(err, WR_E_NO_MEMORY, "out of memory");
}

/* "[parent]path" into d (kind already set). */
static wr_status parse_file(const char *s, size_t n, const struct wr_bcd_device_parse_opts *o,
                            struct wr_bcd_device *d, struct wr_err *err)
{
    size_t close = 0;
    wr_status st;

    if (!n || s[0] != '[')
        return wr_fail(err, WR_E_INVALID, "'%.*s': expected [parent]path, e.g. "
                       "[boot]\\sources\\boot.wim", (int)n, s);
    while (close < n && s[close] != ']')
        close++;
    if (close == n || close + 1 == n || s[close + 1] != '\\')
        return wr_fail(err, WR_E_INVALID, "'%.*s': expected [parent] followed by a path "
                       "starting with '\\'", (int)n, s);
    st = new_dev(&d->parent, err);
    if (st != WR_OK)
        return st;
    if (close - 1 == 4 && prefix_ci(s + 1, "boot"))
        d->parent->kind = WR_BCD_DEV_BOOT;
    else if ((st = parse_spec(s + 1, close - 1, o, d->parent, err)) != WR_OK)
        return st;
    d->path = dup_n(s + close + 1, n - close - 1);
    return d->path ? WR_OK : wr_fail(err, WR_E_NO_MEMORY, "out of memory");
}

static const char *last_comma(const char *s, size_t n)
{
    for (size_t i = n; i > 0; i--)
        if (s[i - 1] == ',')
            return s + i - 1;
    return NULL;
}

static wr_status parse_locate(const char *s, struct wr_bcd_device *d, struct wr_err *err)
{
    uint64_t v;
    size_t n = strlen(s);

    d->kind = WR_BCD_DEV_LOCATE;
    d->path = dup_n("", 0);
    if (!d->path)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    if (!prefix_ci(s, "custom:") ||
        parse_hex(s + 7, n - 7, 0xFFFFFFFFu, &v, NULL) != WR_OK)
        return wr_fail(err, WR_E_INVALID, "locate=%s: expected locate=custom:XXXXXXXX (the "
                       "element holding the path to search for, e.g. 22000002)", s);
    d->locate_element = (uint32_t)v;
    return WR_OK;
}

/* vhd=[parent]path, optionally ,partition=... or ,locate=custom:X */
static wr_status parse_vhd(const char *s, const struct wr_bcd_device_parse_opts *o,
                           struct wr_bcd_device *d, struct wr_err *err)
{
    size_t n = strlen(s);
    const char *comma = last_comma(s, n);
    struct wr_bcd_device *file;
    wr_status st;

    if (comma && prefix_ci(comma + 1, "locate=")) {
        st = parse_locate(comma + 8, d, err);
        if (st == WR_OK)
            st = new_dev(&d->parent, err);
        if (st != WR_OK)
            return st;
        d = d->parent;
        d->kind = WR_BCD_DEV_VDISK;
    } else if (comma && prefix_ci(comma + 1, "partition=")) {
        st = parse_spec(comma + 1, strlen(comma + 1), o, d, err);
        if (st != WR_OK)
            return st;
        d->disk_class = WR_BCD_DISK_VIRTUAL;
    } else {
        comma = s + n;
        d->kind = WR_BCD_DEV_VDISK;
    }
    st = new_dev(&d->parent, err);
    if (st != WR_OK)
        return st;
    file = d->parent;
    file->kind = WR_BCD_DEV_FILE;
    return parse_file(s, (size_t)(comma - s), o, file, err);
}

static wr_status parse_ramdisk(const char *s, const struct wr_bcd_device_parse_opts *o,
                               struct wr_bcd_devval *dv, struct wr_err *err)
{
    size_t n = strlen(s);
    const char *comma = last_comma(s, n);
    char id[64];
    wr_status st;

    if (!comma || comma[1] != '{' || strlen(comma + 1) >= sizeof id)
        return wr_fail(err, WR_E_INVALID, "ramdisk=%s: expected ramdisk=[parent]path,{options "
                       "id}", s);
    memcpy(id, comma + 1, strlen(comma + 1) + 1);
    st = o && o->resolve_id ? o->resolve_id(o->resolve_id_arg, id, &dv->options, err)
                            : wr_guid_parse(id, &dv->options, err);
    if (st != WR_OK)
        return st;
    dv->dev.kind = WR_BCD_DEV_RAMDISK;
    dv->dev.flags = 1;  /* what every ramdisk in the corpus carries */
    return parse_file(s, (size_t)(comma - s), o, &dv->dev, err);
}

static wr_status parse_any(const char *text, const struct wr_bcd_device_parse_opts *o,
                           struct wr_bcd_devval *dv, struct wr_err *err)
{
    struct wr_bcd_device *d = &dv->dev;

    if (prefix_ci(text, "boot") && text[4] == '\0') {
        d->kind = WR_BCD_DEV_BOOT;
        return WR_OK;
    }
    if (prefix_ci(text, "partition="))
        return parse_spec(text, strlen(text), o, d, err);
    if (prefix_ci(text, "ramdisk="))
        return parse_ramdisk(text + 8, o, dv, err);
    if (prefix_ci(text, "file=")) {
        d->kind = WR_BCD_DEV_FILE;
        return parse_file(text + 5, strlen(text + 5), o, d, err);
    }
    if (prefix_ci(text, "vhd="))
        return parse_vhd(text + 4, o, d, err);
    if (prefix_ci(text, "locate="))
        return parse_locate(text + 7, d, err);
    return wr_fail(err, WR_E_INVALID, "'%s' is not a device: use boot, partition=..., "
                   "ramdisk=[...]...,{id}, file=[...]..., vhd=[...]... or locate=custom:X", text);
}

wr_status wr_bcd_device_parse(const char *text, const struct wr_bcd_device_parse_opts *opts,
                              struct wr_bcd_devval *out, struct wr_err *err)
{
    wr_status st;

    memset(out, 0, sizeof *out);
    st = parse_any(text, opts, out, err);
    if (st != WR_OK)
        wr_bcd_device_clear(&out->dev);
    return st;
}
