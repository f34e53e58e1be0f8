#include "bcd/check.h"
#include "bcd/ids.h"
#include "bcd/value.h"
#include "base/fmt.h"

#define MAX_INHERIT_DEPTH 64

struct ctx {
    const struct wr_bcd_store *s;
    wr_bcd_check_fn fn;
    void *arg;
    struct wr_bcd_check_counts *counts;
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
    if (!e || depth >= MAX_INHERIT_DEPTH ||
        wr_bcd_value_decode(e->code, e->reg_type, e->data, e->len, &v, NULL) != WR_OK)
        return false;
    path[depth] = o;
    for (size_t i = 0; !loop && i < v.count; i++) {
        const struct wr_bcd_object *next = wr_bcd_store_find(c->s, &v.guids[i]);
        if (next)
            loop = inherit_loop(c, next, path, depth + 1);
    }
    wr_bcd_value_clear(&v);
    return loop;
}

void wr_bcd_check(const struct wr_bcd_store *s, wr_bcd_check_fn fn, void *arg,
                  struct wr_bcd_check_counts *counts)
{
    struct ctx c = { s, fn, arg, counts };
    const struct wr_bcd_object **path = wr_alloc_array(MAX_INHERIT_DEPTH + 1, sizeof *path);

    memset(counts, 0, sizeof *counts);
    for (size_t i = 0; i < s->n_notes; i++)
        report(&c, WR_BCD_WARNING, "%s", s->notes[i]);
    for (size_t i = 0; i < s->n_objects; i++) {
        const struct wr_bcd_object *o = &s->objects[i];
        for (size_t j = 0; j < o->n_elements; j++)
            check_element(&c, o, &o->elements[j]);
    }
    for (size_t i = 0; path && i < s->n_objects; i++)
        if (inherit_loop(&c, &s->objects[i], path, 0))
            break;  /* one loop report is enough; every member would repeat it */
    if (!path)
        report(&c, WR_BCD_ERROR, "out of memory checking inherit chains");
    wr_free(path);
}
