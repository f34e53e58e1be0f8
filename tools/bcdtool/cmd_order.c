/* {bootmgr} settings: /default, /timeout, /displayorder, /bootsequence and
 * /toolsdisplayorder (on {fwbootmgr} when every id is a firmware object). */
#include <stdio.h>
#include <string.h>

#include "edit.h"
#include "bcd/edit.h"
#include "bcd/ids.h"

static struct wr_bcd_object *manager(struct bcdtool *bt, int id)
{
    struct wr_bcd_object *o = wr_bcd_store_find_wellknown(&bt->store, id);

    if (!o)
        bcdtool_error("this store has no %s object", id == WR_BCD_ID_BOOTMGR ? "{bootmgr}"
                                                                             : "{fwbootmgr}");
    return o;
}

int bcdtool_cmd_default(struct bcdtool *bt)
{
    struct wr_bcd_object *bm, *o;
    struct wr_bcd_value v = { .format = WR_BCD_FMT_OBJECT };
    struct wr_err err = { 0 };

    if (bt->n_args != 1)
        return bcdtool_error("usage: /default {id}");
    bm = manager(bt, WR_BCD_ID_BOOTMGR);
    o = bm ? bcdtool_object(bt, bt->args[0]) : NULL;
    if (!o)
        return 1;
    v.guid = o->guid;
    bcdtool_stamp(bt);
    if (bcdtool_put_value(bt, bm, WR_BCD_E_DEFAULT, &v, &err))
        return bcdtool_fail_edit(bt, &err);
    return bcdtool_finish(bt);
}

int bcdtool_cmd_timeout(struct bcdtool *bt)
{
    struct wr_bcd_object *bm;
    struct wr_bcd_value v = { .format = WR_BCD_FMT_INTEGER };
    struct wr_bcd_parse_ctx ctx = { 0 };
    struct wr_err err = { 0 };

    if (bt->n_args != 1)
        return bcdtool_error("usage: /timeout SECONDS");
    bm = manager(bt, WR_BCD_ID_BOOTMGR);
    if (!bm)
        return 1;
    if (wr_bcd_value_parse(WR_BCD_E_TIMEOUT, (const char *const *)bt->args, 1, &ctx, &v,
                           &err) != WR_OK)
        return bcdtool_fail_edit(bt, &err);
    bcdtool_stamp(bt);
    if (bcdtool_put_value(bt, bm, WR_BCD_E_TIMEOUT, &v, &err))
        return bcdtool_fail_edit(bt, &err);
    return bcdtool_finish(bt);
}

enum mode { REPLACE, ADDFIRST, ADDLAST, REMOVE };

struct order {
    uint32_t code;
    enum mode mode;
    struct wr_guid *ids;
    size_t n;
    bool all_firmware;
};

static int parse_order(struct bcdtool *bt, struct order *ord)
{
    ord->ids = wr_alloc_array((size_t)bt->n_args + 1, sizeof *ord->ids);
    ord->all_firmware = true;
    if (!ord->ids)
        return bcdtool_error("out of memory");
    for (int i = 0; i < bt->n_args; i++) {
        const char *a = bt->args[i];
        struct wr_bcd_object *o;
        if (bcdtool_is_opt(a, "addfirst"))
            ord->mode = ADDFIRST;
        else if (bcdtool_is_opt(a, "addlast"))
            ord->mode = ADDLAST;
        else if (bcdtool_is_opt(a, "remove"))
            ord->mode = REMOVE;
        else if ((o = bcdtool_object(bt, a)) != NULL) {
            ord->ids[ord->n++] = o->guid;
            ord->all_firmware &= o->has_type && (o->type == WR_BCD_TYPE_FWAPP ||
                                                 o->type == WR_BCD_TYPE_BOOTMGR);
        } else
            return 1;
    }
    if (!ord->n)
        return bcdtool_error("%s needs at least one {id}", bt->command);
    if (ord->mode != REPLACE && ord->n != 1)
        return bcdtool_error("/addfirst, /addlast and /remove take exactly one {id}");
    return 0;
}

/* The current list without `id`, then the new one per mode. */
static int apply(struct wr_bcd_value *cur, const struct order *ord)
{
    struct wr_guid *out;
    size_t n = 0;

    if (ord->mode == REPLACE) {
        wr_free(cur->guids);
        cur->guids = wr_alloc_array(ord->n, sizeof *cur->guids);
        if (!cur->guids)
            return bcdtool_error("out of memory");
        memcpy(cur->guids, ord->ids, ord->n * sizeof *cur->guids);
        cur->count = ord->n;
        return 0;
    }
    out = wr_alloc_array(cur->count + 1, sizeof *out);
    if (!out)
        return bcdtool_error("out of memory");
    if (ord->mode == ADDFIRST)
        out[n++] = ord->ids[0];
    for (size_t i = 0; i < cur->count; i++)
        if (!wr_guid_equal(&cur->guids[i], &ord->ids[0]))
            out[n++] = cur->guids[i];
    if (ord->mode == ADDLAST)
        out[n++] = ord->ids[0];
    wr_free(cur->guids);
    cur->guids = out;
    cur->count = n;
    return 0;
}

int bcdtool_cmd_order(struct bcdtool *bt)
{
    struct order ord = { 0 };
    struct wr_bcd_object *m;
    const struct wr_bcd_element *e;
    struct wr_bcd_value cur = { .format = WR_BCD_FMT_OBJLIST };
    struct wr_err err = { 0 };
    int rc = parse_order(bt, &ord);

    ord.code = bcdtool_is_opt(bt->command, "displayorder") ? WR_BCD_E_DISPLAYORDER
             : bcdtool_is_opt(bt->command, "bootsequence") ? WR_BCD_E_BOOTSEQUENCE
             : WR_BCD_E_TOOLSDISPLAYORDER;
    m = rc ? NULL : manager(bt, ord.all_firmware && ord.code != WR_BCD_E_TOOLSDISPLAYORDER
                                    ? WR_BCD_ID_FWBOOTMGR : WR_BCD_ID_BOOTMGR);
    if (!m) {
        wr_free(ord.ids);
        return bcdtool_error("nothing was written to %s", bt->store_path);
    }
    e = wr_bcd_object_get(m, ord.code);
    if (e && wr_bcd_value_decode(e->code, e->reg_type, e->data, e->len, &cur, &err) != WR_OK) {
        wr_free(ord.ids);
        return bcdtool_fail_edit(bt, &err);
    }
    rc = apply(&cur, &ord);
    wr_free(ord.ids);
    bcdtool_stamp(bt);
    if (!rc && cur.count)
        rc = bcdtool_put_value(bt, m, ord.code, &cur, &err);
    else if (!rc && e)
        rc = wr_bcd_hive_delete_element(bt->hive, m->key, ord.code, &err) != WR_OK;
    wr_bcd_value_clear(&cur);
    return rc ? bcdtool_fail_edit(bt, &err) : bcdtool_finish(bt);
}
