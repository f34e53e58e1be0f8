/* /set {id} NAME VALUE... and /deletevalue {id} NAME. */
#include <stdio.h>
#include <string.h>

#include "edit.h"
#include "bcd/edit.h"
#include "bcd/elements.h"

int bcdtool_put_value(struct bcdtool *bt, struct wr_bcd_object *o, uint32_t code,
                      const struct wr_bcd_value *v, struct wr_err *err)
{
    uint8_t *data = NULL;
    size_t len = 0;
    uint32_t reg_type;
    wr_status st = wr_bcd_value_encode(v, &reg_type, &data, &len, err);

    if (st == WR_OK)
        st = wr_bcd_hive_set_element(bt->hive, o->key, code, reg_type, data, len, err);
    wr_free(data);
    if (st != WR_OK)
        return 1;
    bcdtool_warn_element(o, code, v->integer);
    return 0;
}

int bcdtool_cmd_set(struct bcdtool *bt)
{
    struct wr_bcd_object *o;
    uint32_t code, type;
    struct wr_err err = { 0 };
    struct wr_bcd_value v;
    struct wr_bcd_parse_ctx ctx = { 0 };
    int rc;

    if (bt->n_args < 3)
        return bcdtool_error("usage: /set {id} NAME VALUE (the element name, or "
                             "custom:XXXXXXXX, and its value)");
    o = bcdtool_object(bt, bt->args[0]);
    if (!o)
        return 1;
    type = o->has_type ? o->type : 0;
    if (wr_bcd_element_parse(bt->args[1], type, &code, &err) != WR_OK)
        return bcdtool_fail_edit(bt, &err);
    ctx.def = wr_bcd_element_find(code, type);
    ctx.device.resolve = bcdtool_resolve_partition;
    ctx.device.resolve_id = bcdtool_resolve_id;
    ctx.device.resolve_id_arg = bt;
    ctx.resolve_id = bcdtool_resolve_id;
    ctx.resolve_arg = bt;
    if (wr_bcd_value_parse(code, (const char *const *)bt->args + 2, (size_t)bt->n_args - 2,
                           &ctx, &v, &err) != WR_OK) {
        wr_err_prefix(&err, err.code, "%s: ", bt->args[1]);
        return bcdtool_fail_edit(bt, &err);
    }
    bcdtool_stamp(bt);
    rc = bcdtool_put_value(bt, o, code, &v, &err);
    wr_bcd_value_clear(&v);
    return rc ? bcdtool_fail_edit(bt, &err) : bcdtool_finish(bt);
}

int bcdtool_cmd_deletevalue(struct bcdtool *bt)
{
    struct wr_bcd_object *o;
    uint32_t code;
    struct wr_err err = { 0 };

    if (bt->n_args != 2)
        return bcdtool_error("usage: /deletevalue {id} NAME");
    o = bcdtool_object(bt, bt->args[0]);
    if (!o)
        return 1;
    if (wr_bcd_element_parse(bt->args[1], o->has_type ? o->type : 0, &code, &err) != WR_OK)
        return bcdtool_fail_edit(bt, &err);
    bcdtool_stamp(bt);
    if (wr_bcd_hive_delete_element(bt->hive, o->key, code, &err) != WR_OK)
        return bcdtool_fail_edit(bt, &err);
    return bcdtool_finish(bt);
}

/* /debug, /bootdebug, /ems, /bootems [{id}] on|off: /set of one boolean
 * (bcd.md §7.5); without an id, bcdedit means {current}, which offline is
 * {default}. */
int bcdtool_cmd_switch(struct bcdtool *bt)
{
    static const struct { const char *cmd, *element; } map[] = {
        { "debug", "debug" }, { "bootdebug", "bootdebug" },
        { "ems", "ems" }, { "bootems", "bootems" },
    };
    char *args[3], **saved = bt->args;
    int saved_n = bt->n_args, rc;
    const char *element = NULL;

    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (bcdtool_is_opt(bt->command, map[i].cmd))
            element = map[i].element;
    if (!element || bt->n_args < 1 || bt->n_args > 2)
        return bcdtool_error("usage: %s [{id}] on|off", bt->command);
    args[0] = bt->n_args == 2 ? bt->args[0] : (char *)"{default}";
    args[1] = (char *)element;
    args[2] = bt->args[bt->n_args - 1];
    bt->args = args;
    bt->n_args = 3;
    rc = bcdtool_cmd_set(bt);
    bt->args = saved;   /* main frees the array it allocated */
    bt->n_args = saved_n;
    return rc;
}
