#include "bcd/store.h"
#include "bcd/ids.h"
#include "bcd/value.h"
#include "base/fmt.h"

#define MAX_NOTES 256  /* a hostile hive could otherwise make millions */

void wr_bcd_store_init(struct wr_bcd_store *s)
{
    memset(s, 0, sizeof *s);
}

static void object_free(struct wr_bcd_object *o)
{
    for (size_t i = 0; i < o->n_elements; i++)
        wr_free(o->elements[i].data);
    wr_free(o->elements);
    wr_free(o->key);
}

void wr_bcd_store_free(struct wr_bcd_store *s)
{
    for (size_t i = 0; i < s->n_objects; i++)
        object_free(&s->objects[i]);
    for (size_t i = 0; i < s->n_notes; i++)
        wr_free(s->notes[i]);
    wr_free(s->objects);
    wr_free(s->notes);
    wr_free(s->by_guid);
    memset(s, 0, sizeof *s);
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = wr_alloc(n);

    if (p)
        memcpy(p, s, n);
    return p;
}

wr_status wr_bcd_store_add_object(struct wr_bcd_store *s, const char *key,
                                  struct wr_bcd_object **out, struct wr_err *err)
{
    struct wr_bcd_object *grown, *o;

    wr_free(s->by_guid);  /* the array may move: the index would dangle */
    s->by_guid = NULL;
    s->n_by_guid = 0;
    if (s->n_objects == s->cap_objects) {
        size_t cap = s->cap_objects ? 2 * s->cap_objects : 16;
        grown = wr_realloc(s->objects, cap * sizeof *grown);
        if (!grown)
            return wr_fail(err, WR_E_NO_MEMORY, "bcd: out of memory adding object %s", key);
        s->objects = grown;
        s->cap_objects = cap;
    }
    o = &s->objects[s->n_objects];
    memset(o, 0, sizeof *o);
    o->key = dup_str(key);
    if (!o->key)
        return wr_fail(err, WR_E_NO_MEMORY, "bcd: out of memory adding object %s", key);
    /* only the braced form Windows writes counts as a GUID key */
    o->has_guid = key[0] == '{' && wr_guid_parse(key, &o->guid, NULL) == WR_OK;
    s->n_objects++;
    *out = o;
    return WR_OK;
}

static size_t find_slot(const struct wr_bcd_object *o, uint32_t code)
{
    size_t lo = 0, hi = o->n_elements;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o->elements[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const struct wr_bcd_element *wr_bcd_object_get(const struct wr_bcd_object *o, uint32_t code)
{
    size_t i = find_slot(o, code);

    return i < o->n_elements && o->elements[i].code == code ? &o->elements[i] : NULL;
}

wr_status wr_bcd_object_put(struct wr_bcd_object *o, uint32_t code, uint32_t reg_type,
                            const uint8_t *data, size_t len, struct wr_err *err)
{
    size_t i = find_slot(o, code);
    uint8_t *copy = wr_alloc(len ? len : 1);
    struct wr_bcd_element *grown;

    if (!copy)
        return wr_fail(err, WR_E_NO_MEMORY, "bcd: out of memory storing element %08x", code);
    if (len)
        memcpy(copy, data, len);
    if (i < o->n_elements && o->elements[i].code == code) {
        wr_free(o->elements[i].data);
    } else {
        if (o->n_elements == o->cap_elements) {
            size_t cap = o->cap_elements ? 2 * o->cap_elements : 16;
            grown = wr_realloc(o->elements, cap * sizeof *grown);
            if (!grown) {
                wr_free(copy);
                return wr_fail(err, WR_E_NO_MEMORY, "bcd: out of memory storing element "
                               "%08x", code);
            }
            o->elements = grown;
            o->cap_elements = cap;
        }
        memmove(&o->elements[i + 1], &o->elements[i], (o->n_elements - i) * sizeof *grown);
        o->n_elements++;
    }
    o->elements[i] = (struct wr_bcd_element){ code, reg_type, copy, len };
    return WR_OK;
}

bool wr_bcd_object_remove(struct wr_bcd_object *o, uint32_t code)
{
    size_t i = find_slot(o, code);

    if (i >= o->n_elements || o->elements[i].code != code)
        return false;
    wr_free(o->elements[i].data);
    memmove(&o->elements[i], &o->elements[i + 1],
            (o->n_elements - i - 1) * sizeof *o->elements);
    o->n_elements--;
    return true;
}

void wr_bcd_store_note(struct wr_bcd_store *s, const char *fmt, ...)
{
    char buf[WR_ERR_MSG_MAX];
    char **grown;
    va_list ap;

    if (s->n_notes > MAX_NOTES)
        return;
    va_start(ap, fmt);
    wr_vformat(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (s->n_notes == MAX_NOTES)
        wr_format(buf, sizeof buf, "more than %d notes; the rest are not listed", MAX_NOTES);
    grown = wr_realloc(s->notes, (s->n_notes + 1) * sizeof *grown);
    if (!grown)
        return;
    s->notes = grown;
    s->notes[s->n_notes] = dup_str(buf);
    if (s->notes[s->n_notes])
        s->n_notes++;
}

static int guid_cmp(const struct wr_bcd_object *a, const struct wr_bcd_object *b)
{
    return memcmp(a->guid.b, b->guid.b, 16);
}

void wr_bcd_store_index(struct wr_bcd_store *s)
{
    const struct wr_bcd_object **idx = wr_alloc_array(s->n_objects + 1, sizeof *idx);
    const struct wr_bcd_object **tmp = wr_alloc_array(s->n_objects + 1, sizeof *tmp);
    size_t n = 0;

    wr_free(s->by_guid);
    s->by_guid = NULL;
    s->n_by_guid = 0;
    if (!idx || !tmp) {
        wr_free(idx);
        wr_free(tmp);
        return;
    }
    for (size_t i = 0; i < s->n_objects; i++)
        if (s->objects[i].has_guid)
            idx[n++] = &s->objects[i];
    /* bottom-up merge sort; equal GUIDs keep key order, so find returns
     * the first, as the linear scan would */
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = guid_cmp(idx[j], idx[i]) < 0 ? idx[j++] : idx[i++];
            while (i < mid)
                tmp[k++] = idx[i++];
            while (j < hi)
                tmp[k++] = idx[j++];
        }
        memcpy(idx, tmp, n * sizeof *idx);
    }
    wr_free(tmp);
    s->by_guid = idx;
    s->n_by_guid = n;
}

static struct wr_bcd_object *find_indexed(const struct wr_bcd_store *s, const struct wr_guid *g)
{
    size_t lo = 0, hi = s->n_by_guid;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (memcmp(s->by_guid[mid]->guid.b, g->b, 16) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->n_by_guid && wr_guid_equal(&s->by_guid[lo]->guid, g))
        return (struct wr_bcd_object *)s->by_guid[lo];
    return NULL;
}

struct wr_bcd_object *wr_bcd_store_find(const struct wr_bcd_store *s, const struct wr_guid *g)
{
    if (s->by_guid)
        return find_indexed(s, g);
    for (size_t i = 0; i < s->n_objects; i++)
        if (s->objects[i].has_guid && wr_guid_equal(&s->objects[i].guid, g))
            return &s->objects[i];
    return NULL;
}

struct wr_bcd_object *wr_bcd_store_find_wellknown(const struct wr_bcd_store *s, int id)
{
    struct wr_guid g;

    wr_bcd_wellknown_guid((enum wr_bcd_wellknown)id, &g);
    return wr_bcd_store_find(s, &g);
}

bool wr_bcd_store_default(const struct wr_bcd_store *s, struct wr_guid *out)
{
    const struct wr_bcd_object *bm = wr_bcd_store_find_wellknown(s, WR_BCD_ID_BOOTMGR);
    const struct wr_bcd_element *e = bm ? wr_bcd_object_get(bm, WR_BCD_E_DEFAULT) : NULL;
    struct wr_bcd_value v;

    if (!e || wr_bcd_value_decode(e->code, e->reg_type, e->data, e->len, &v, NULL) != WR_OK)
        return false;
    *out = v.guid;
    wr_bcd_value_clear(&v);
    return true;
}

wr_status wr_bcd_resolve_id(const struct wr_bcd_store *s, const char *text,
                            struct wr_guid *out, struct wr_err *err)
{
    if (wr_bcd_eq_ci(text, "{default}")) {
        if (!wr_bcd_store_default(s, out))
            return wr_fail(err, WR_E_NOT_FOUND, "{default}: {bootmgr} has no readable "
                           "'default' element in this store");
        return WR_OK;
    }
    if (wr_bcd_eq_ci(text, "{current}"))
        return wr_fail(err, WR_E_UNSUPPORTED, "{current} means the running Windows, which "
                       "does not exist offline; name the entry by its {GUID} or {default}");
    if (wr_bcd_alias_parse(text, out))
        return WR_OK;
    if (text[0] != '{' || wr_guid_parse(text, out, NULL) != WR_OK)
        return wr_fail(err, WR_E_INVALID, "'%s' is not a valid identifier: use {GUID}, "
                       "{default} or a well-known alias such as {bootmgr}", text);
    return WR_OK;
}

char *wr_bcd_object_description(const struct wr_bcd_object *o)
{
    const struct wr_bcd_element *e = wr_bcd_object_get(o, WR_BCD_E_DESCRIPTION);
    struct wr_bcd_value v;

    if (!e || wr_bcd_value_decode(e->code, e->reg_type, e->data, e->len, &v, NULL) != WR_OK)
        return NULL;
    return v.str;  /* ownership passes to the caller */
}
