/* Running a plan: collect what will change, back it up, run the actions in
 * order, stop at the first failure, re-read the ESPs that changed. */
#include "rescue/internal.h"

static wr_status touches_of(const struct wr_rescue_model *m, const struct wr_rescue_action *a,
                            uint16_t new_num, struct wr_rescue_touches *t, struct wr_err *err)
{
    char name[16];
    wr_status st = WR_OK;

    switch (a->kind) {
    case WR_RESCUE_ACT_RECOVER:
    case WR_RESCUE_ACT_REPOINT:
    case WR_RESCUE_ACT_REFS:
    case WR_RESCUE_ACT_LOADER:
    case WR_RESCUE_ACT_REBUILD:
        return wr_rescue_touch_add(t, false, a->esp, WR_RESCUE_BCD_PATH, err);
    case WR_RESCUE_ACT_BOOTFILES: {
        struct wr_rescue_copy *list = NULL;
        size_t n = 0;
        st = wr_rescue_bootfiles_list(m, a, &list, &n, err);
        for (size_t i = 0; i < n && !st; i++)
            st = wr_rescue_touch_add(t, false, a->esp, list[i].dst, err);
        wr_free(list);
        return st;
    }
    case WR_RESCUE_ACT_NVRAM:
        wr_efivar_boot_name(new_num, name);
        st = wr_rescue_touch_add(t, true, -1, name, err);
        return st ? st : wr_rescue_touch_add(t, true, -1, "BootOrder", err);
    case WR_RESCUE_ACT_BOOTORDER:
        return wr_rescue_touch_add(t, true, -1, "BootOrder", err);
    default:
        return WR_OK;
    }
}

static bool writes_esp(enum wr_rescue_act k)
{
    return k != WR_RESCUE_ACT_NVRAM && k != WR_RESCUE_ACT_BOOTORDER && k != WR_RESCUE_ACT_TOGO;
}

static wr_status run(struct wr_rescue_model *m, struct wr_rescue_plan *plan,
                     struct wr_rescue_action *a, const struct wr_rescue_apply_opts *o,
                     struct wr_err *err)
{
    if (writes_esp(a->kind) && (a->esp < 0 || !m->parts[a->esp].has_fat))
        return wr_fail(err, WR_E_NOT_FOUND, "no writable ESP for this action");
    switch (a->kind) {
    case WR_RESCUE_ACT_BOOTFILES:
        return wr_rescue_do_bootfiles(m, a, err);
    case WR_RESCUE_ACT_NVRAM:
    case WR_RESCUE_ACT_BOOTORDER:
        if (!m->nvram)
            return wr_fail(err, WR_E_UNSUPPORTED, "no firmware variables to write");
        return wr_rescue_do_nvram(m, a, plan->new_boot_num, err);
    case WR_RESCUE_ACT_TOGO:
        return wr_fail(err, WR_E_REFUSED, "%s", a->why);
    default:
        return wr_rescue_do_bcd(m, a, o, err);
    }
}

wr_status wr_rescue_apply(struct wr_rescue_model *m, struct wr_rescue_plan *plan,
                          const struct wr_rescue_apply_opts *o, char backup_dir[WR_NAME_MAX],
                          struct wr_err *err)
{
    struct wr_rescue_touches t = { 0 };
    wr_status st = WR_OK;

    backup_dir[0] = 0;
    if (m->nvram)
        for (size_t i = 0; i < plan->n && !st; i++)
            if (plan->v[i].kind == WR_RESCUE_ACT_NVRAM && !plan->v[i].refused)
                st = wr_efivar_free_boot_number(m->nvram, &plan->new_boot_num, err);
    for (size_t i = 0; i < plan->n && !st; i++)
        if (!plan->v[i].refused)
            st = touches_of(m, &plan->v[i], plan->new_boot_num, &t, err);
    if (!st && t.n)
        st = wr_rescue_backup(m, &t, o, backup_dir, err);
    wr_free(t.v);
    if (st)
        return st;
    for (size_t i = 0; i < plan->n; i++) {
        struct wr_rescue_action *a = &plan->v[i];
        struct wr_err aerr = { 0 };
        if (a->refused)
            continue;
        a->ran = true;
        a->result = run(m, plan, a, o, &aerr);
        wr_format(a->result_msg, sizeof a->result_msg, "%s", a->result ? aerr.msg : "done");
        if (a->esp >= 0 && m->parts[a->esp].has_fat)
            wr_rescue_scan_esp(m, &m->parts[a->esp]);
        if (a->result) {
            st = wr_fail(err, a->result, "%s: %s", wr_rescue_act_name(a->kind), aerr.msg);
            break;
        }
    }
    return st;
}
