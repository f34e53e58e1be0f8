#include "bcd/check.h"
#include "bcd/ids.h"
#include "bcd/security.h"
#include "bcd/value.h"
#include "base/fmt.h"

#define MAX_INHERIT_DEPTH 64

struct ctx {
    const struct wr_bcd_store *s;
    wr_bcd_check_fn fn;
    void *arg;
    struct wr_bcd_check_counts *counts;
    uint8_t *done;      /* per object: its inherit closure has no loop */
    bool truncated;     /* a walk hit the depth cap, so `done` is not final */
};

static void report(struct ctx *c, enum wr_bcd_severity sev, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void report(struct ctx *c, enum wr_bcd_severity sev, const char *fmt, ...)
{
    char msg[WR_ERR_MSG_MAX + 128];
    va_list ap;

    va_start(ap, fmt);
    wr_vformat(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (sev == WR_BCD_ERROR)
        c->counts->errors++;
    else if (sev == WR_BCD_WARNING)
        c->counts->warnings++;
    else
        c->counts->infos++;
    if (c->fn)
        c->fn(c->arg, sev, msg);
}

static void check_ref(struct ctx *c, const struct wr_bcd_object *o, const char *name,
                      const struct wr_guid *g)
{
    char text[WR_GUID_TEXT_LEN + 1];

    if (wr_bcd_store_find(c->s, g))
        return;
    wr_guid_format(g, text, false);
    report(c, WR_BCD_WARNING, "object %s: %s names {%s}, which is not in the store", o->key,
           name, text);
}

static void check_options(struct ctx *c, const struct wr_bcd_object *o, const char *name,
                          const struct wr_guid *g)
{
    const struct wr_bcd_object *t;
    char text[WR_GUID_TEXT_LEN + 1];

    if (wr_guid_is_zero(g))
        return;
    wr_guid_format(g, text, false);
    t = wr_bcd_store_find(c->s, g);
    if (!t)
        report(c, WR_BCD_WARNING, "object %s: %s has device options {%s}, which are not in "
               "the store", o->key, name, text);
    else if (!t->has_type || t->type != WR_BCD_TYPE_DEVICE)
        report(c, WR_BCD_WARNING, "object %s: %s has device options {%s}, which is not a "
               "device object (type 0x30000000)", o->key, name, text);
}

/* A WinRE loader: an OS loader with winpe = Yes (bcd.md §9.1). */
static bool is_winre(const struct wr_bcd_store *s, const struct wr_guid *g)
{
    const struct wr_bcd_object *t = wr_bcd_store_find(s, g);
    const struct wr_bcd_element *e = t ? wr_bcd_object_get(t, 0x26000022) : NULL;

    return t && t->has_type && t->type == WR_BCD_TYPE_OSLOADER && e && e->len == 1 &&
           e->data[0] == 1;
}

/* An object whose osdevice is a ramdisk: WinRE or Setup, where winpe belongs. */
static bool boots_ramdisk(const struct wr_bcd_object *o)
{
    const struct wr_bcd_element *e = wr_bcd_object_get(o, 0x21000001);
    struct wr_bcd_value v;
    bool ram;

    if (!e || wr_bcd_value_decode(e->code, e->reg_type, e->data, e->len, &v, NULL) != WR_OK)
        return false;
    ram = v.dev.dev.kind == WR_BCD_DEV_RAMDISK;
    wr_bcd_value_clear(&v);
    return ram;
}

static bool standard_sdi_path(const char *p)
{
    return wr_bcd_eq_ci(p, "\\Recovery\\WindowsRE\\boot.sdi") ||
           wr_bcd_eq_ci(p, "\\boot\\boot.sdi");
}

/* Settings every Windows store carries are not news in a check; they are
 * warned about when written. */
static bool usual(const struct wr_bcd_store *s, const struct wr_bcd_object *o, uint32_t code,
                  const struct wr_bcd_value *v)
{
    if (wr_bcd_code_class(code) == 4)
        return true;  /* BCD-Template markers (bcd.md §3, §9.1 exceptions) */
    switch (code) {
    case 0x26000022: /* winpe on WinRE and Setup loaders */
        return boots_ramdisk(o);
    case 0x31000003: /* ramdisksdidevice */
        return true;
    case 0x32000004:
        return standard_sdi_path(v->str);
    case 0x16000009: /* recoveryenabled */
    case 0x15000011: /* debugtype, in {dbgsettings} of every store */
    case 0x250000f3: /* hypervisordebugtype */
        return true;
    case 0x16000060: /* isolatedcontext Yes is the bcdboot default */
        return v->integer == 1;
    case 0x14000008: /* recoverysequence naming WinRE loaders */
        for (size_t i = 0; i < v->count; i++)
            if (!is_winre(s, &v->guids[i]))
                return false;
        return true;
    }
    return false;
}

static void check_security(struct ctx *c, const struct wr_bcd_object *o, const char *name,
                           uint32_t code, const struct wr_bcd_value *v)
{
    struct wr_bcd_risk r;
    uint64_t value = v->format == WR_BCD_FMT_INTEGER || v->format == WR_BCD_FMT_BOOLEAN
                         ? v->integer : 0;

    if (!usual(c->s, o, code, v) &&
        wr_bcd_security_risk(code, o->has_type ? o->type : 0, value, &r))
        report(c, WR_BCD_INFO, "security: object %s: %s: %s", o->key, name, r.risk);
}

static void check_element(struct ctx *c, const struct wr_bcd_object *o,
                          const struct wr_bcd_element *e)
{
    char namebuf[16];
    const char *name = wr_bcd_element_name(e->code, o->has_type ? o->type : 0, namebuf);
    struct wr_bcd_value v;
    struct wr_err err = { 0 };

    if (wr_bcd_value_decode(e->code, e->reg_type, e->data, e->len, &v, &err) != WR_OK) {
        report(c, err.code == WR_E_UNSUPPORTED ? WR_BCD_INFO : WR_BCD_ERROR,
               "object %s: %s: %s", o->key, name, err.msg);
        return;
    }
    if (v.format == WR_BCD_FMT_OBJECT)
        check_ref(c, o, name, &v.guid);
    for (size_t i = 0; v.format == WR_BCD_FMT_OBJLIST && i < v.count; i++)
        check_ref(c, o, name, &v.guids[i]);
    if (v.format == WR_BCD_FMT_DEVICE)
        check_options(c, o, name, &v.dev.options);
    check_security(c, o, name, e->code, &v);
    wr_bcd_value_clear(&v);
}

/* Depth-first walk of inherit lists; `path` holds the objects on the
 * current chain, so meeting one of them again is a loop. */
static bool inherit_loop(struct ctx *c, const struct wr_bcd_object *o,
                         const struct wr_bcd_object **path, size_t depth)
{
    const struct wr_bcd_element *e = wr_bcd_object_get(o, WR_BCD_E_INHERIT);
    struct wr_bcd_value v;
    bool loop = false;

    for (size_t i = 0; i < depth; i++) {
        if (path[i] == o) {
            report(c, WR_BCD_ERROR, "inherit loop: %s inherits from itself through %zu "
                   "object(s)", o->key, depth - i);
            return true;
        }
    }
    /* remembering clean objects keeps shared ancestors from being walked
     * once per path, which a hostile store could make exponential */
    if (c->done[o - c->s->objects])
        return false;
    if (depth >= MAX_INHERIT_DEPTH) {
        c->truncated = true;
        return false;
    }
    if (!e || wr_bcd_value_decode(e->code, e->reg_type, e->data, e->len, &v, NULL) != WR_OK)
        return false;
    path[depth] = o;
    for (size_t i = 0; !loop && i < v.count; i++) {
        const struct wr_bcd_object *next = wr_bcd_store_find(c->s, &v.guids[i]);
        if (next)
            loop = inherit_loop(c, next, path, depth + 1);
    }
    wr_bcd_value_clear(&v);
    if (!loop && !c->truncated)
        c->done[o - c->s->objects] = 1;
    return loop;
}

void wr_bcd_check(const struct wr_bcd_store *s, wr_bcd_check_fn fn, void *arg,
                  struct wr_bcd_check_counts *counts)
{
    struct ctx c = { s, fn, arg, counts, wr_alloc(s->n_objects + 1), false };
    const struct wr_bcd_object **path = wr_alloc_array(MAX_INHERIT_DEPTH + 1, sizeof *path);

    memset(counts, 0, sizeof *counts);
    for (size_t i = 0; i < s->n_notes; i++)
        report(&c, WR_BCD_WARNING, "%s", s->notes[i]);
    for (size_t i = 0; i < s->n_objects; i++) {
        const struct wr_bcd_object *o = &s->objects[i];
        struct wr_bcd_risk r;
        if (o->has_type && wr_bcd_security_object_risk(o->type, &r))
            report(&c, WR_BCD_INFO, "security: object %s: %s", o->key, r.risk);
        for (size_t j = 0; j < o->n_elements; j++)
            check_element(&c, o, &o->elements[j]);
    }
    for (size_t i = 0; path && c.done && i < s->n_objects; i++)
        if (inherit_loop(&c, &s->objects[i], path, 0))
            break;  /* one loop report is enough; every member would repeat it */
    if (!path || !c.done)
        report(&c, WR_BCD_ERROR, "out of memory checking inherit chains");
    wr_free(path);
    wr_free(c.done);
}
