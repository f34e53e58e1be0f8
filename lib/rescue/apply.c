/* Running a plan: collect what will change, back it up, run the actions in
 * order, stop at the first failure, re-read the ESPs that changed and
 * check them. Each phase and action is announced as it starts and ends. */
#include "rescue/bios.h"
#include "rescue/internal.h"

/* Every destination of a copy list (listed with status st) as a touched
 * file of esp; frees the list. */
static wr_status touch_copies(struct wr_rescue_touches *t, int esp, struct wr_rescue_copy *list,
                              size_t n, wr_status st, struct wr_err *err)
{
    for (size_t i = 0; i < n && !st; i++)
        st = wr_rescue_touch_add(t, false, esp, list[i].dst, err);
    wr_free(list);
    return st;
}

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
        return touch_copies(t, a->esp, list, n, st, err);
    }
    case WR_RESCUE_ACT_BIOS: {
        struct wr_rescue_copy *list = NULL;
        size_t n = 0;
        st = wr_rescue_bios_list(m, a->win, &list, &n, err);
        st = touch_copies(t, a->esp, list, n, st, err);
        return st ? st : wr_rescue_touch_add(t, false, a->esp, WR_RESCUE_BIOS_BCD_PATH, err);
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
    case WR_RESCUE_ACT_BIOS:
        return wr_rescue_do_bios(m, a, o, err);
    default:
        return wr_rescue_do_bcd(m, a, o, err);
    }
}

static void note(const struct wr_rescue_apply_opts *o, const struct wr_rescue_progress *p)
{
    if (o->progress.fn)
        o->progress.fn(o->progress.arg, p);
}

static void backup_what(const struct wr_rescue_touches *t, bool raw, char *buf, size_t size)
{
    size_t vars = 0;
    const char *images = "";

    for (size_t i = 0; i < t->n; i++)
        vars += t->v[i].is_var;
    if (raw && vars < t->n)
        images = ", with a raw image of each ESP written";
    wr_format(buf, size, "copy %zu file(s) and %zu variable(s) to the backup folder%s",
              t->n - vars, vars, images);
}

static wr_status backup(const struct wr_rescue_model *m, const struct wr_rescue_touches *t,
                        const struct wr_rescue_apply_opts *o, char dir[WR_NAME_MAX],
                        struct wr_err *err)
{
    char what[128];
    struct wr_rescue_progress p = { .phase = WR_RESCUE_PHASE_BACKUP, .what = what };

    backup_what(t, o->raw_esp, what, sizeof what);
    note(o, &p);
    p.status = wr_rescue_backup(m, t, o, dir, err);
    p.done = true;
    p.msg = p.status ? (err ? err->msg : NULL) : dir;
    note(o, &p);
    return p.status;
}

/* Boot#### `num` reads back as an entry for Windows Boot Manager. */
static bool starts_windows(const struct wr_rescue_model *m, uint16_t num)
{
    struct wr_efivar_loadopt opt;
    uint8_t *data = NULL;
    size_t len = 0;
    char name[16];
    bool yes;

    wr_efivar_boot_name(num, name);
    if (wr_nvram_get(m->nvram, name, &wr_efivar_global_guid, NULL, &data, &len, NULL))
        return false;
    yes = !wr_efivar_loadopt_decode(data, len, &opt, NULL) && wr_efivar_is_windows_bootmgr(&opt);
    wr_free(data);
    return yes;
}

static wr_status verify_vars(const struct wr_rescue_model *m, const struct wr_rescue_action *a,
                             uint16_t num, struct wr_err *err)
{
    uint16_t *order = NULL;
    size_t n = 0;
    uint8_t *data = NULL;
    size_t len = 0;
    char name[16];
    wr_status st;

    if (a->kind == WR_RESCUE_ACT_NVRAM) {
        wr_efivar_boot_name(num, name);
        st = wr_nvram_get(m->nvram, name, &wr_efivar_global_guid, NULL, &data, &len, err);
        wr_free(data);
        if (st) {
            wr_err_prefix(err, st, "%s does not read back: ", name);
            return st;
        }
    }
    st = wr_efivar_boot_order_get(m->nvram, &order, &n, err);
    if (!st && (n == 0 || (a->kind == WR_RESCUE_ACT_NVRAM && order[0] != num)))
        st = wr_fail(err, WR_E_IO, "BootOrder does not read back with the entry first");
    if (!st && a->kind == WR_RESCUE_ACT_BOOTORDER && !starts_windows(m, order[0]))
        st = wr_fail(err, WR_E_IO, "BootOrder does not read back with Windows Boot Manager first");
    wr_free(order);
    return st;
}

/* What each action wrote, as the re-read model and the variables show it
 * now: a store that loads, the boot manager in place, the entry first. */
static wr_status verify_one(const struct wr_rescue_model *m, const struct wr_rescue_action *a,
                            uint16_t num, struct wr_err *err)
{
    const struct wr_rescue_part *p = a->esp >= 0 ? &m->parts[a->esp] : NULL;
    char where[48] = "";

    if (p)
        wr_rescue_part_name(m, p, where, sizeof where);
    else if (a->kind != WR_RESCUE_ACT_NVRAM && a->kind != WR_RESCUE_ACT_BOOTORDER)
        return wr_fail(err, WR_E_INVALID, "verify: action \"%s\" names no ESP", a->text);
    switch (a->kind) {
    case WR_RESCUE_ACT_RECOVER:
    case WR_RESCUE_ACT_REPOINT:
    case WR_RESCUE_ACT_REFS:
    case WR_RESCUE_ACT_LOADER:
    case WR_RESCUE_ACT_REBUILD:
        if (p->esp.bcd != WR_RESCUE_BCD_OK)
            return wr_fail(err, WR_E_IO, "%s: %s does not read back as a whole store", where,
                           WR_RESCUE_BCD_PATH);
        return WR_OK;
    case WR_RESCUE_ACT_BOOTFILES:
        if (!p->esp.has_bootmgfw)
            return wr_fail(err, WR_E_IO, "%s: %s is not there after the copy", where,
                           WR_EFIVAR_BOOTMGFW_PATH);
        return WR_OK;
    case WR_RESCUE_ACT_BIOS: {
        wr_status st = wr_rescue_verify_bios(&p->fat, err);
        return st ? wr_err_prefix(err, st, "%s: ", where) : WR_OK;
    }
    case WR_RESCUE_ACT_NVRAM:
    case WR_RESCUE_ACT_BOOTORDER:
        return verify_vars(m, a, num, err);
    default:
        return WR_OK;
    }
}

/* Each ESP an action wrote, read again from the disk, once. */
static void reread(struct wr_rescue_model *m, const struct wr_rescue_plan *plan)
{
    for (size_t i = 0; i < plan->n; i++) {
        const struct wr_rescue_action *a = &plan->v[i];
        bool seen = false;

        if (!a->ran || a->esp < 0 || !m->parts[a->esp].has_fat)
            continue;
        for (size_t j = 0; j < i; j++)
            seen |= plan->v[j].ran && plan->v[j].esp == a->esp;
        if (!seen)
            wr_rescue_scan_esp(m, &m->parts[a->esp]);
    }
}

static wr_status verify(struct wr_rescue_model *m, const struct wr_rescue_plan *plan,
                        const struct wr_rescue_apply_opts *o, struct wr_err *err)
{
    struct wr_rescue_progress p = {
        .phase = WR_RESCUE_PHASE_VERIFY,
        .what = "read again what changed (BCD stores, boot files, variables)",
    };

    note(o, &p);
    reread(m, plan);
    for (size_t i = 0; i < plan->n && !p.status; i++)
        if (plan->v[i].ran)
            p.status = verify_one(m, &plan->v[i], plan->new_boot_num, err);
    p.done = true;
    p.msg = p.status && err ? err->msg : NULL;
    note(o, &p);
    if (p.status)
        wr_err_prefix(err, p.status, "verify: ");
    return p.status;
}

/* Runs one action and re-reads its ESP, announced before and after. */
static wr_status step(struct wr_rescue_model *m, struct wr_rescue_plan *plan,
                      struct wr_rescue_action *a, size_t k, const struct wr_rescue_apply_opts *o)
{
    struct wr_rescue_progress p = { .phase = WR_RESCUE_PHASE_ACTION, .index = k, .action = a,
                                    .count = wr_rescue_plan_runnable(plan), .what = a->text };
    struct wr_err aerr = { 0 };

    note(o, &p);
    a->ran = true;
    a->result = run(m, plan, a, o, &aerr);
    wr_format(a->result_msg, sizeof a->result_msg, "%s", a->result ? aerr.msg : "done");
    if (a->esp >= 0 && m->parts[a->esp].has_fat)
        wr_rescue_scan_esp(m, &m->parts[a->esp]);
    p.done = true;
    p.status = a->result;
    p.msg = a->result ? a->result_msg : NULL;
    note(o, &p);
    return a->result;
}

wr_status wr_rescue_apply(struct wr_rescue_model *m, struct wr_rescue_plan *plan,
                          const struct wr_rescue_apply_opts *o, char backup_dir[WR_NAME_MAX],
                          struct wr_err *err)
{
    struct wr_rescue_touches t = { 0 };
    wr_status st = WR_OK;
    size_t k = 0;

    backup_dir[0] = 0;
    if (m->nvram)
        for (size_t i = 0; i < plan->n && !st; i++)
            if (plan->v[i].kind == WR_RESCUE_ACT_NVRAM && !plan->v[i].refused)
                st = wr_efivar_free_boot_number(m->nvram, &plan->new_boot_num, err);
    for (size_t i = 0; i < plan->n && !st; i++)
        if (!plan->v[i].refused)
            st = touches_of(m, &plan->v[i], plan->new_boot_num, &t, err);
    if (!st && t.n)
        st = backup(m, &t, o, backup_dir, err);
    wr_free(t.v);
    if (st)
        return st;
    for (size_t i = 0; i < plan->n; i++) {
        struct wr_rescue_action *a = &plan->v[i];
        if (a->refused)
            continue;
        if (step(m, plan, a, ++k, o))
            return wr_fail(err, a->result, "%s: %s", wr_rescue_act_name(a->kind), a->result_msg);
    }
    return k ? verify(m, plan, o, err) : WR_OK;
}
