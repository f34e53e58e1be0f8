/* bcdedit /enum rendering and the /enum selections (bcd.md §7.1-7.4). */
#include "bcd/render.h"
#include "bcd/elements.h"
#include "bcd/ids.h"
#include "bcd/value.h"

#define VALUE_COLUMN 24

static const char indent[VALUE_COLUMN + 1] = "                        ";

void wr_bcd_render_id(struct wr_text *t, const struct wr_bcd_store *s,
                      const struct wr_guid *g, bool verbose)
{
    char buf[WR_GUID_TEXT_LEN + 1];
    struct wr_guid def;

    if (!verbose) {
        const char *alias = wr_bcd_alias_of(g);
        if (alias) {
            wr_text_puts(t, alias);
            return;
        }
        if (wr_bcd_store_default(s, &def) && wr_guid_equal(&def, g)) {
            wr_text_puts(t, "{default}");
            return;
        }
    }
    wr_guid_format(g, buf, false);
    wr_text_printf(t, "{%s}", buf);
}

struct ref_ctx {
    const struct wr_bcd_store *s;
    bool verbose;
};

static void ref_fn(void *arg, struct wr_text *t, const struct wr_guid *g)
{
    const struct ref_ctx *c = arg;

    wr_bcd_render_id(t, c->s, g, c->verbose);
}

static const char *alias_fn(void *arg, const struct wr_guid *g)
{
    (void)arg;
    return wr_bcd_alias_of(g);
}

static void put_name(struct wr_text *t, const char *name)
{
    size_t n = strlen(name);

    wr_text_puts(t, name);
    /* names of 24+ characters have no sample output: one space is our guess */
    wr_text_append(t, indent, n < VALUE_COLUMN ? VALUE_COLUMN - n : 1);
}

static void render_element(struct wr_text *t, const struct wr_bcd_store *s,
                           const struct wr_bcd_object *o, const struct wr_bcd_element *e,
                           const struct wr_bcd_render_opts *opts)
{
    uint32_t type = o->has_type ? o->type : 0;
    const struct wr_bcd_element_def *def = wr_bcd_element_find(e->code, type);
    char namebuf[16];
    struct ref_ctx rc = { s, opts->verbose };
    struct wr_bcd_value_style style = {
        (opts->compat ? WR_BCD_TEXT_COMPAT : 0) | (opts->verbose ? WR_BCD_TEXT_VERBOSE : 0),
        ref_fn, &rc, alias_fn, NULL,
    };
    struct wr_bcd_value v;
    struct wr_err err = { 0 };

    put_name(t, wr_bcd_element_name(e->code, type, namebuf));
    if (wr_bcd_value_decode(e->code, e->reg_type, e->data, e->len, &v, &err) != WR_OK) {
        /* an unmodelled device is data we keep, not damage */
        bool damaged = err.code != WR_E_UNSUPPORTED;
        if (opts->compat && wr_bcd_code_format(e->code) == WR_BCD_FMT_DEVICE && !damaged)
            wr_text_puts(t, "unknown\n");
        else
            wr_text_printf(t, "<%s: %s>\n", damaged ? "cannot decode" : "not decoded",
                           err.msg);
        if (damaged && opts->problem) {
            char msg[WR_ERR_MSG_MAX + 64];
            wr_format(msg, sizeof msg, "object %s: %s", o->key, err.msg);
            opts->problem(opts->problem_arg, msg);
        }
        return;
    }
    wr_bcd_value_render(t, &v, def, indent, &style);
    wr_bcd_value_clear(&v);
}

void wr_bcd_render_object(struct wr_text *t, const struct wr_bcd_store *s,
                          const struct wr_bcd_object *o, const struct wr_bcd_render_opts *opts)
{
    char hbuf[48];
    const char *header = wr_bcd_section_header(o->has_guid ? &o->guid : NULL, o->has_type,
                                               o->type, hbuf);
    size_t hlen = strlen(header);

    wr_text_printf(t, "\n%s\n", header);
    for (size_t i = 0; i < hlen; i++)
        wr_text_puts(t, "-");
    wr_text_puts(t, "\n");
    put_name(t, "identifier");
    if (o->has_guid)
        wr_bcd_render_id(t, s, &o->guid, opts->verbose);
    else
        wr_text_puts(t, o->key);
    wr_text_puts(t, "\n");
    for (size_t i = 0; i < o->n_elements; i++)
        render_element(t, s, o, &o->elements[i], opts);
}

/* ------------------------------------------------------------ selection */

struct pick {
    const struct wr_bcd_object **objs;
    size_t n;
    const struct wr_bcd_object *base;  /* the store's array, to index `seen` */
    uint8_t *seen;
};

static void add(struct pick *p, const struct wr_bcd_object *o)
{
    if (p->seen[o - p->base])
        return;
    p->seen[o - p->base] = 1;
    p->objs[p->n++] = o;
}

/* A manager and the existing entries of its displayorder. */
static void add_manager(struct pick *p, const struct wr_bcd_store *s, int id)
{
    const struct wr_bcd_object *m = wr_bcd_store_find_wellknown(s, id);
    const struct wr_bcd_element *e = m ? wr_bcd_object_get(m, WR_BCD_E_DISPLAYORDER) : NULL;
    struct wr_bcd_value v;

    if (!m)
        return;
    add(p, m);
    if (!e || wr_bcd_value_decode(e->code, e->reg_type, e->data, e->len, &v, NULL) != WR_OK)
        return;
    for (size_t i = 0; i < v.count; i++) {
        const struct wr_bcd_object *o = wr_bcd_store_find(s, &v.guids[i]);
        if (o)
            add(p, o);
    }
    wr_bcd_value_clear(&v);
}

/* Sort key for /enum ALL: by type, untyped objects last. */
static uint64_t type_key(const struct wr_bcd_object *o)
{
    return o->has_type ? o->type : UINT64_C(0x100000000);
}

static bool matches(const struct wr_bcd_object *o, const char *what)
{
    uint32_t t = o->type;

    if (wr_bcd_eq_ci(what, "all"))
        return true;
    if (!o->has_type)
        return false;
    if (wr_bcd_eq_ci(what, "bootmgr"))
        return t == WR_BCD_TYPE_BOOTMGR;
    if (wr_bcd_eq_ci(what, "osloader"))
        return t == WR_BCD_TYPE_OSLOADER;
    if (wr_bcd_eq_ci(what, "resume"))
        return t == WR_BCD_TYPE_RESUME;
    if (wr_bcd_eq_ci(what, "inherit"))
        return t >> 28 == 2;
    /* bootapp: boot environment applications, not the managers or
     * firmware entries */
    return t >> 28 == 1 && ((t >> 20) & 0xF) >= 2;
}

static bool is_type_keyword(const char *what)
{
    static const char *const words[] = { "all", "bootmgr", "osloader", "resume", "inherit",
                                         "bootapp" };

    for (size_t i = 0; i < WR_ARRAY_LEN(words); i++)
        if (wr_bcd_eq_ci(what, words[i]))
            return true;
    return false;
}

/* Stable merge sort by type: hive key order survives within a type, and a
 * hostile store with many objects cannot make this quadratic. */
static void sort_by_type(const struct wr_bcd_object **a, const struct wr_bcd_object **tmp,
                         size_t n)
{
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = type_key(a[j]) < type_key(a[i]) ? a[j++] : a[i++];
            while (i < mid)
                tmp[k++] = a[i++];
            while (j < hi)
                tmp[k++] = a[j++];
        }
        memcpy(a, tmp, n * sizeof *a);
    }
}

static wr_status add_by_type(struct pick *p, const struct wr_bcd_store *s, const char *what,
                             struct wr_err *err)
{
    const struct wr_bcd_object **tmp;

    for (size_t i = 0; i < s->n_objects; i++)
        if (matches(&s->objects[i], what))
            p->objs[p->n++] = &s->objects[i];
    tmp = wr_alloc_array(p->n + 1, sizeof *tmp);
    if (!tmp)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    sort_by_type(p->objs, tmp, p->n);
    wr_free(tmp);
    return WR_OK;
}

wr_status wr_bcd_select(const struct wr_bcd_store *s, const char *what,
                        const struct wr_bcd_object ***objs, size_t *n, struct wr_err *err)
{
    struct pick p = { wr_alloc_array(s->n_objects + 1, sizeof *p.objs), 0, s->objects,
                      wr_alloc(s->n_objects + 1) };
    struct wr_guid g;
    wr_status st = WR_OK;

    if (!p.objs || !p.seen) {
        wr_free(p.objs);
        wr_free(p.seen);
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    }
    if (!what || wr_bcd_eq_ci(what, "active"))
        add_manager(&p, s, WR_BCD_ID_BOOTMGR);
    else if (wr_bcd_eq_ci(what, "firmware"))
        add_manager(&p, s, WR_BCD_ID_FWBOOTMGR);
    else if (is_type_keyword(what))
        st = add_by_type(&p, s, what, err);
    else if (what[0] != '{')
        st = wr_fail(err, WR_E_INVALID, "'%s' is not a valid /enum type: use ACTIVE, ALL, "
                     "FIRMWARE, BOOTAPP, BOOTMGR, OSLOADER, RESUME, INHERIT or an {id}", what);
    else if ((st = wr_bcd_resolve_id(s, what, &g, err)) == WR_OK) {
        const struct wr_bcd_object *o = wr_bcd_store_find(s, &g);
        if (o)
            add(&p, o);
        else
            st = wr_fail(err, WR_E_NOT_FOUND, "the object %s was not found in this store",
                         what);
    }
    wr_free(p.seen);
    if (st != WR_OK) {
        wr_free(p.objs);
        return st;
    }
    *objs = p.objs;
    *n = p.n;
    return WR_OK;
}

wr_status wr_bcd_render_enum(struct wr_text *t, const struct wr_bcd_store *s, const char *what,
                             const struct wr_bcd_render_opts *opts, struct wr_err *err)
{
    const struct wr_bcd_object **objs;
    size_t n;
    wr_status st = wr_bcd_select(s, what, &objs, &n, err);

    if (st != WR_OK)
        return st;
    for (size_t i = 0; i < n; i++)
        wr_bcd_render_object(t, s, objs[i], opts);
    wr_free(objs);
    if (t->failed)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory rendering the store");
    return WR_OK;
}
