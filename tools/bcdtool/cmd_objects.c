/* /create, /copy and /delete (bcd.md §7.5). */
#include <stdio.h>
#include <string.h>

#include "edit.h"
#include "bcd/edit.h"
#include "bcd/ids.h"
#include "bcd/security.h"

/* Types of the well-known objects, for /create {bootmgr} and the like. */
static const struct { int id; uint32_t type; } wellknown_types[] = {
    { WR_BCD_ID_BOOTMGR, 0x10100002 }, { WR_BCD_ID_FWBOOTMGR, 0x10100001 },
    { WR_BCD_ID_MEMDIAG, 0x10200005 }, { WR_BCD_ID_NTLDR, 0x10300006 },
    { WR_BCD_ID_GLOBALSETTINGS, 0x20100000 }, { WR_BCD_ID_BOOTLOADERSETTINGS, 0x20200003 },
    { WR_BCD_ID_RESUMELOADERSETTINGS, 0x20200004 }, { WR_BCD_ID_DBGSETTINGS, 0x20100000 },
    { WR_BCD_ID_EMSSETTINGS, 0x20100000 }, { WR_BCD_ID_BADMEMORY, 0x20100000 },
    { WR_BCD_ID_HYPERVISORSETTINGS, 0x20200003 }, { WR_BCD_ID_KERNELDBGSETTINGS, 0x20200003 },
    { WR_BCD_ID_RAMDISKOPTIONS, 0x30000000 },
};

static bool wellknown_type(const struct wr_guid *g, uint32_t *type)
{
    for (size_t i = 0; i < sizeof wellknown_types / sizeof wellknown_types[0]; i++) {
        struct wr_guid k;
        wr_bcd_wellknown_guid((enum wr_bcd_wellknown)wellknown_types[i].id, &k);
        if (wr_guid_equal(&k, g)) {
            *type = wellknown_types[i].type;
            return true;
        }
    }
    return false;
}

struct create_args {
    const char *id;
    const char *description;
    bool has_type;
    uint32_t type;
};

static int parse_type_option(struct bcdtool *bt, int *i, struct create_args *a)
{
    const char *opt = bt->args[*i], *next = *i + 1 < bt->n_args ? bt->args[*i + 1] : NULL;

    if (bcdtool_is_opt(opt, "device")) {
        a->type = WR_BCD_TYPE_DEVICE;
    } else if (bcdtool_is_opt(opt, "application")) {
        if (!next || !wr_bcd_application_type(next, &a->type))
            return bcdtool_error("/application needs one of osloader, resume, bootsector, "
                                 "startup, bootapp%s%s", next ? "; not " : "", next ? next : "");
        (*i)++;
    } else if (bcdtool_is_opt(opt, "inherit")) {
        a->type = WR_BCD_TYPE_INHERIT;
        if (next && next[0] != '/' && next[0] != '-') {
            if (!wr_bcd_inherit_type(next, &a->type))
                return bcdtool_error("/inherit %s: unknown application type", next);
            (*i)++;
        }
    } else {
        return bcdtool_error("/create: unexpected '%s'", opt);
    }
    a->has_type = true;
    return 0;
}

static int parse_create(struct bcdtool *bt, struct create_args *a)
{
    for (int i = 0; i < bt->n_args; i++) {
        const char *arg = bt->args[i];
        int rc;
        if (arg[0] == '{' && !a->id && i == 0) {
            a->id = arg;
        } else if (bcdtool_is_opt(arg, "d")) {
            if (i + 1 >= bt->n_args)
                return bcdtool_error("/d needs a description");
            a->description = bt->args[++i];
        } else if ((rc = parse_type_option(bt, &i, a)) != 0) {
            return rc;
        }
    }
    return 0;
}

static int new_object_guid(struct bcdtool *bt, const struct create_args *a, struct wr_guid *g,
                           uint32_t *type)
{
    struct wr_err err = { 0 };
    bool known = false;

    if (a->id) {
        if (wr_bcd_eq_ci(a->id, "{default}") || wr_bcd_eq_ci(a->id, "{current}"))
            return bcdtool_error("/create %s: name a new {GUID} or a well-known id", a->id);
        if (wr_bcd_resolve_id(&bt->store, a->id, g, &err) != WR_OK)
            return bcdtool_error("%s", err.msg);
        known = wellknown_type(g, type);
    } else if (!bcdtool_new_guid(g)) {
        return 1;
    }
    if (a->has_type)
        *type = a->type;
    else if (!known)
        return bcdtool_error("/create needs /application TYPE, /inherit [TYPE] or /device");
    if (!a->description && !known)
        return bcdtool_error("/create needs a description: /d TEXT");
    return 0;
}

static int set_description(struct bcdtool *bt, const char *key, const char *text,
                           struct wr_err *err)
{
    struct wr_bcd_value v = { .format = WR_BCD_FMT_STRING, .str = (char *)text };
    uint8_t *data = NULL;
    size_t len = 0;
    uint32_t rt;
    wr_status st = wr_bcd_value_encode(&v, &rt, &data, &len, err);

    if (st == WR_OK)
        st = wr_bcd_hive_set_element(bt->hive, key, WR_BCD_E_DESCRIPTION, rt, data, len, err);
    wr_free(data);
    return st == WR_OK ? 0 : 1;
}

int bcdtool_cmd_create(struct bcdtool *bt)
{
    struct create_args a = { 0 };
    struct wr_guid g;
    uint32_t type = 0;
    char key[39];
    struct wr_err err = { 0 };
    struct wr_bcd_risk risk;
    int rc = parse_create(bt, &a);

    if (!rc)
        rc = new_object_guid(bt, &a, &g, &type);
    if (rc)
        return bcdtool_error("nothing was written to %s", bt->store_path);
    wr_bcd_guid_key(&g, key);
    bcdtool_stamp(bt);
    if (wr_bcd_hive_create_object(bt->hive, &g, type, &err) != WR_OK ||
        (a.description && set_description(bt, key, a.description, &err)))
        return bcdtool_fail_edit(bt, &err);
    if (wr_bcd_security_object_risk(type, &risk))
        fprintf(stderr, "bcdtool: warning: creating %s: %s.\n", key, risk.risk);
    rc = bcdtool_finish(bt);
    if (!rc)
        printf("The entry %s was successfully created.\n", key);
    return rc;
}

/* ------------------------------------------------------------ /copy */

/* Appends id to {bootmgr}'s displayorder (bcdedit does so for a copied
 * menu entry). */
static int append_to_displayorder(struct bcdtool *bt, const struct wr_guid *src,
                                  const struct wr_guid *copy, struct wr_err *err)
{
    struct wr_bcd_object *bm = wr_bcd_store_find_wellknown(&bt->store, WR_BCD_ID_BOOTMGR);
    const struct wr_bcd_element *e = bm ? wr_bcd_object_get(bm, WR_BCD_E_DISPLAYORDER) : NULL;
    struct wr_bcd_value v, nv = { .format = WR_BCD_FMT_OBJLIST };
    bool listed = false;
    int rc;

    if (!e || wr_bcd_value_decode(e->code, e->reg_type, e->data, e->len, &v, NULL) != WR_OK)
        return 0;
    for (size_t i = 0; i < v.count; i++)
        listed |= wr_guid_equal(&v.guids[i], src);
    nv.guids = wr_alloc_array(v.count + 1, sizeof *nv.guids);
    if (!listed || !nv.guids) {
        wr_bcd_value_clear(&v);
        wr_free(nv.guids);
        return 0;
    }
    memcpy(nv.guids, v.guids, v.count * sizeof *nv.guids);
    nv.guids[v.count] = *copy;
    nv.count = v.count + 1;
    rc = bcdtool_put_value(bt, bm, WR_BCD_E_DISPLAYORDER, &nv, err);
    wr_bcd_value_clear(&v);
    wr_bcd_value_clear(&nv);
    return rc;
}

int bcdtool_cmd_copy(struct bcdtool *bt)
{
    struct wr_bcd_object *o;
    struct wr_guid g;
    char key[39];
    struct wr_err err = { 0 };
    int rc;

    if (bt->n_args != 3 || !bcdtool_is_opt(bt->args[1], "d"))
        return bcdtool_error("usage: /copy {id} /d TEXT");
    o = bcdtool_object(bt, bt->args[0]);
    if (!o || !bcdtool_new_guid(&g))
        return 1;
    if (!o->has_type)
        return bcdtool_error("%s has no type and cannot be copied", o->key);
    wr_bcd_guid_key(&g, key);
    bcdtool_stamp(bt);
    if (wr_bcd_hive_create_object(bt->hive, &g, o->type, &err) != WR_OK)
        return bcdtool_fail_edit(bt, &err);
    for (size_t i = 0; i < o->n_elements; i++) {
        const struct wr_bcd_element *e = &o->elements[i];
        if (wr_bcd_hive_set_element(bt->hive, key, e->code, e->reg_type, e->data, e->len,
                                    &err) != WR_OK)
            return bcdtool_fail_edit(bt, &err);
    }
    if (set_description(bt, key, bt->args[2], &err) ||
        append_to_displayorder(bt, &o->guid, &g, &err))
        return bcdtool_fail_edit(bt, &err);
    rc = bcdtool_finish(bt);
    if (!rc)
        printf("The entry was successfully copied to %s.\n", key);
    return rc;
}

/* ------------------------------------------------------------ /delete */

/* Removes every reference to g from an object-list element of obj
 * (deleting the element when it becomes empty); a single-object element
 * naming g is deleted. */
static int unreference(struct bcdtool *bt, struct wr_bcd_object *obj, uint32_t code,
                       const struct wr_guid *g, struct wr_err *err)
{
    const struct wr_bcd_element *e = wr_bcd_object_get(obj, code);
    struct wr_bcd_value v;
    size_t kept = 0;
    bool found = false;
    int rc = 0;

    if (!e || wr_bcd_value_decode(e->code, e->reg_type, e->data, e->len, &v, NULL) != WR_OK)
        return 0;
    if (v.format == WR_BCD_FMT_OBJECT) {
        found = wr_guid_equal(&v.guid, g);
    } else {
        for (size_t i = 0; i < v.count; i++) {
            if (wr_guid_equal(&v.guids[i], g))
                found = true;
            else
                v.guids[kept++] = v.guids[i];
        }
        v.count = kept;
    }
    if (found && (v.format == WR_BCD_FMT_OBJECT || kept == 0))
        rc = wr_bcd_hive_delete_element(bt->hive, obj->key, code, err) != WR_OK;
    else if (found)
        rc = bcdtool_put_value(bt, obj, code, &v, err);
    wr_bcd_value_clear(&v);
    return rc;
}

static int cleanup_managers(struct bcdtool *bt, const struct wr_guid *g, struct wr_err *err)
{
    static const uint32_t codes[] = { WR_BCD_E_DISPLAYORDER, WR_BCD_E_BOOTSEQUENCE,
                                      WR_BCD_E_TOOLSDISPLAYORDER, WR_BCD_E_DEFAULT,
                                      WR_BCD_E_BM_RESUMEOBJECT };
    static const int managers[] = { WR_BCD_ID_BOOTMGR, WR_BCD_ID_FWBOOTMGR };

    for (size_t m = 0; m < 2; m++) {
        struct wr_bcd_object *o = wr_bcd_store_find_wellknown(&bt->store, managers[m]);
        for (size_t i = 0; o && i < sizeof codes / sizeof codes[0]; i++)
            if (unreference(bt, o, codes[i], g, err))
                return 1;
    }
    return 0;
}

/* A loader's resume object, when no other object refers to it. */
static struct wr_bcd_object *orphaned_resume(struct bcdtool *bt, const struct wr_bcd_object *o)
{
    const struct wr_bcd_element *e = wr_bcd_object_get(o, WR_BCD_E_OSL_RESUMEOBJECT);
    struct wr_bcd_value v;
    struct wr_bcd_object *r;

    if (!o->has_type || o->type != WR_BCD_TYPE_OSLOADER || !e ||
        wr_bcd_value_decode(e->code, e->reg_type, e->data, e->len, &v, NULL) != WR_OK)
        return NULL;
    r = wr_bcd_store_find(&bt->store, &v.guid);
    for (size_t i = 0; r && i < bt->store.n_objects; i++) {
        const struct wr_bcd_object *x = &bt->store.objects[i];
        const struct wr_bcd_element *xe;
        struct wr_bcd_value xv;
        if (x == o || !x->has_type || x->type != WR_BCD_TYPE_OSLOADER)
            continue;
        xe = wr_bcd_object_get(x, WR_BCD_E_OSL_RESUMEOBJECT);
        if (xe && wr_bcd_value_decode(xe->code, xe->reg_type, xe->data, xe->len, &xv,
                                      NULL) == WR_OK && wr_guid_equal(&xv.guid, &v.guid))
            r = NULL;
    }
    if (r && (!r->has_type || r->type != WR_BCD_TYPE_RESUME))
        r = NULL;
    return r;
}

int bcdtool_cmd_delete(struct bcdtool *bt)
{
    struct wr_bcd_object *o, *resume;
    bool force = false, cleanup = true;
    struct wr_err err = { 0 };
    struct wr_guid g;

    if (bt->n_args < 1)
        return bcdtool_error("usage: /delete {id} [/f] [/cleanup|/nocleanup]");
    for (int i = 1; i < bt->n_args; i++) {
        if (bcdtool_is_opt(bt->args[i], "f"))
            force = true;
        else if (bcdtool_is_opt(bt->args[i], "cleanup"))
            cleanup = true;
        else if (bcdtool_is_opt(bt->args[i], "nocleanup"))
            cleanup = false;
        else
            return bcdtool_error("/delete: unexpected '%s'", bt->args[i]);
    }
    o = bcdtool_object(bt, bt->args[0]);
    if (!o)
        return 1;
    if (wr_bcd_alias_of(&o->guid) && !force)
        return bcdtool_error("%s is a well-known object; add /f to delete it",
                             wr_bcd_alias_of(&o->guid));
    g = o->guid;
    resume = cleanup ? orphaned_resume(bt, o) : NULL;
    bcdtool_stamp(bt);
    if (cleanup && cleanup_managers(bt, &g, &err))
        return bcdtool_fail_edit(bt, &err);
    if (resume && (cleanup_managers(bt, &resume->guid, &err) ||
                   wr_bcd_hive_delete_object(bt->hive, resume->key, &err) != WR_OK))
        return bcdtool_fail_edit(bt, &err);
    if (wr_bcd_hive_delete_object(bt->hive, o->key, &err) != WR_OK)
        return bcdtool_fail_edit(bt, &err);
    return bcdtool_finish(bt);
}
