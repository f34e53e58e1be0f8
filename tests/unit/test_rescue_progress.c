/* The progress calls of apply and undo on the in-memory machine
 * (rescue_fx.h): order, indexes and counts, what each step says, that a
 * call comes before its step writes and after it ended, that a failing
 * action is the last one started, that verify reads the disk again, that
 * a failed backup starts nothing, and the one line both hosts print. */
#include <stdio.h>
#include <string.h>

#include "rescue_fx.h"

#define MAX_CALLS 32

struct call {
    enum wr_rescue_phase phase;
    bool done;
    size_t index, count;
    const struct wr_rescue_action *action;
    wr_status status;
    char what[300], msg[WR_ERR_MSG_MAX], line[600];
    bool bcd_garbage;            /* the ESP's BCD, as the call saw it */
    bool manifest;               /* the backup's manifest existed */
};

struct recorder {
    struct call v[MAX_CALLS];
    size_t n;
    struct rescue_fx *fx;
    size_t cut_at_action;        /* cut the power as this action starts (0: never) */
    size_t spoil_after_action;   /* garble the BCD when this one ended (0: never) */
};

static bool bcd_is_garbage(struct rescue_fx *f)
{
    size_t len;
    const uint8_t *d = wr_memvol_get(f->esp, "\\EFI\\Microsoft\\Boot\\BCD", &len);
    return d && len == sizeof rescue_fx_garbage && !memcmp(d, rescue_fx_garbage, len);
}

static bool manifest_there(struct rescue_fx *f)
{
    char path[WR_NAME_MAX];
    size_t len;
    snprintf(path, sizeof path, "\\wtg-rescue\\backups\\%s\\%s\\manifest.txt", RESCUE_FX_MID,
             RESCUE_FX_STAMP);
    return wr_memvol_get(f->esp, path, &len) != NULL;
}

static void record(void *arg, const struct wr_rescue_progress *p)
{
    struct recorder *r = arg;
    struct call *c;

    if (r->n == MAX_CALLS)
        return;
    c = &r->v[r->n++];
    c->phase = p->phase;
    c->done = p->done;
    c->index = p->index;
    c->count = p->count;
    c->action = p->action;
    c->status = p->status;
    snprintf(c->what, sizeof c->what, "%s", p->what ? p->what : "");
    snprintf(c->msg, sizeof c->msg, "%s", p->msg ? p->msg : "");
    wr_rescue_progress_line(p, c->line, sizeof c->line);
    c->bcd_garbage = bcd_is_garbage(r->fx);
    c->manifest = manifest_there(r->fx);
    if (p->phase == WR_RESCUE_PHASE_ACTION && !p->done && p->index == r->cut_at_action)
        wr_memvol_cut_after(r->fx->esp, 0);
    if (p->phase == WR_RESCUE_PHASE_ACTION && p->done && p->index == r->spoil_after_action)
        wr_memvol_put(r->fx->esp, "\\EFI\\Microsoft\\Boot\\BCD", rescue_fx_garbage,
                      sizeof rescue_fx_garbage, NULL);
}

/* The fixture's plan (new BCD, firmware entry) with a refused action put
 * between the two, which must not be counted or announced. */
static bool make_plan(struct rescue_fx *f, struct wr_rescue_plan *plan)
{
    struct wr_rescue_findings fs = { 0 };
    struct wr_rescue_action *grown;
    struct wr_err err = { 0 };

    memset(plan, 0, sizeof *plan);
    if (wr_rescue_diagnose(&f->m, &fs, &err) ||
        wr_rescue_plan_make(&f->m, &fs, WR_RESCUE_ACT_NONE, plan, &err)) {
        wr_rescue_findings_free(&fs);
        return false;
    }
    wr_rescue_findings_free(&fs);
    if (plan->n != 2 || plan->v[0].kind != WR_RESCUE_ACT_REBUILD ||
        plan->v[1].kind != WR_RESCUE_ACT_NVRAM)
        return false;
    grown = wr_realloc(plan->v, 3 * sizeof *grown);
    if (!grown)
        return false;
    plan->v = grown;
    plan->v[2] = plan->v[1];
    memset(&plan->v[1], 0, sizeof plan->v[1]);
    plan->v[1].kind = WR_RESCUE_ACT_TOGO;
    plan->v[1].esp = plan->v[1].win = -1;
    plan->v[1].refused = true;
    snprintf(plan->v[1].text, sizeof plan->v[1].text, "a refused action");
    plan->n = 3;
    return true;
}

static wr_status apply(struct rescue_fx *f, struct wr_rescue_plan *plan, struct recorder *r,
                       char backup[WR_NAME_MAX], struct wr_err *err)
{
    struct wr_rescue_apply_opts o = { .stick = &f->stick, .stamp = RESCUE_FX_STAMP,
                                      .progress = { record, r } };
    r->fx = f;
    return wr_rescue_apply(&f->m, plan, &o, backup, err);
}

static void apply_calls_in_order(void)
{
    struct rescue_fx f;
    struct wr_rescue_plan plan;
    struct recorder r = { 0 };
    struct wr_err err = { 0 };
    char backup[WR_NAME_MAX], want[600];
    const struct call *c = r.v;

    rescue_fx_init(&f, rescue_fx_esp(true));
    CHECK(make_plan(&f, &plan));
    CHECK_OK(apply(&f, &plan, &r, backup, &err), &err);
    CHECK_INT(r.n, 8);
    /* backup: announced before the manifest exists, ended after */
    CHECK(c[0].phase == WR_RESCUE_PHASE_BACKUP && !c[0].done && !c[0].manifest);
    CHECK_STR(c[0].line, "[backup] copy 1 file(s) and 2 variable(s) to the backup folder ...");
    CHECK(c[1].phase == WR_RESCUE_PHASE_BACKUP && c[1].done && c[1].manifest);
    CHECK_INT(c[1].status, WR_OK);
    CHECK_STR(c[1].msg, backup);
    snprintf(want, sizeof want, "[backup] done: \\wtg-rescue\\backups\\%s\\%s", RESCUE_FX_MID,
             RESCUE_FX_STAMP);
    CHECK_STR(c[1].line, want);
    /* the two runnable actions, 1/2 and 2/2, each before and after */
    for (size_t k = 0; k < 2; k++) {
        const struct call *s = &c[2 + 2 * k], *e = &c[3 + 2 * k];
        const struct wr_rescue_action *a = &plan.v[k == 0 ? 0 : 2];
        CHECK(s->phase == WR_RESCUE_PHASE_ACTION && !s->done);
        CHECK(e->phase == WR_RESCUE_PHASE_ACTION && e->done);
        CHECK_INT(s->index, k + 1);
        CHECK_INT(e->index, k + 1);
        CHECK_INT(s->count, 2);
        CHECK(s->action == a && e->action == a);
        CHECK_STR(s->what, a->text);
        snprintf(want, sizeof want, "[%zu/2] %s ...", k + 1, a->text);
        CHECK_STR(s->line, want);
        CHECK_INT(e->status, WR_OK);
        snprintf(want, sizeof want, "[%zu/2] done", k + 1);
        CHECK_STR(e->line, want);
    }
    /* the rebuild's start came before its write, its end after */
    CHECK(c[2].bcd_garbage && !c[3].bcd_garbage);
    CHECK(c[6].phase == WR_RESCUE_PHASE_VERIFY && !c[6].done);
    CHECK(c[7].phase == WR_RESCUE_PHASE_VERIFY && c[7].done && c[7].status == WR_OK);
    CHECK_STR(c[7].line, "[verify] done");
    CHECK(plan.v[0].ran && !plan.v[1].ran && plan.v[2].ran);
    wr_rescue_plan_free(&plan);
    rescue_fx_free(&f, false);
}

/* The power fails as the first action starts: its end reports the
 * failure, the second never starts, nothing is verified. */
static void failing_action_is_the_last(void)
{
    struct rescue_fx f;
    struct wr_rescue_plan plan;
    struct recorder r = { .cut_at_action = 1 };
    struct wr_err err = { 0 };
    char backup[WR_NAME_MAX];
    wr_status st;

    rescue_fx_init(&f, rescue_fx_esp(true));
    CHECK(make_plan(&f, &plan));
    st = apply(&f, &plan, &r, backup, &err);
    CHECK_INT(st, WR_E_IO);
    CHECK_INT(r.n, 4);
    CHECK(r.v[2].phase == WR_RESCUE_PHASE_ACTION && !r.v[2].done && r.v[2].index == 1);
    CHECK(r.v[3].phase == WR_RESCUE_PHASE_ACTION && r.v[3].done && r.v[3].index == 1);
    CHECK_INT(r.v[3].status, WR_E_IO);
    CHECK(r.v[3].msg[0] != 0);
    CHECK(!strncmp(r.v[3].line, "[1/2] failed: ", 14));
    CHECK_STR(r.v[3].msg, plan.v[0].result_msg);
    CHECK(!plan.v[2].ran);
    CHECK(strstr(err.msg, r.v[3].msg) != NULL);
    wr_rescue_plan_free(&plan);
    rescue_fx_free(&f, false);
}

/* The firmware refuses the second action's writes: 1/2 done, 2/2 failed,
 * no verify. */
static void failing_second_action(void)
{
    struct rescue_fx f;
    struct wr_rescue_plan plan;
    struct recorder r = { 0 };
    struct wr_err err = { 0 };
    char backup[WR_NAME_MAX];

    rescue_fx_init(&f, rescue_fx_esp(true));
    CHECK(make_plan(&f, &plan));
    wr_memnvram_cut_after(f.nv, 0);
    CHECK_INT(apply(&f, &plan, &r, backup, &err), WR_E_IO);
    CHECK_INT(r.n, 6);
    CHECK(r.v[3].done && r.v[3].index == 1 && r.v[3].status == WR_OK);
    CHECK(!r.v[4].done && r.v[4].index == 2 && r.v[4].action == &plan.v[2]);
    CHECK(r.v[5].done && r.v[5].index == 2 && r.v[5].status == WR_E_IO);
    CHECK(!strncmp(r.v[5].line, "[2/2] failed: ", 14));
    wr_rescue_plan_free(&plan);
    rescue_fx_free(&f, false);
}

/* Verify reads the ESP again: a BCD spoiled after the rebuild ended
 * (the model still thinks it good) is caught there. */
static void verify_reads_again(void)
{
    struct rescue_fx f;
    struct wr_rescue_plan plan;
    struct recorder r = { .spoil_after_action = 1 };
    struct wr_err err = { 0 };
    char backup[WR_NAME_MAX];

    rescue_fx_init(&f, rescue_fx_esp(true));
    CHECK(make_plan(&f, &plan));
    CHECK_INT(apply(&f, &plan, &r, backup, &err), WR_E_IO);
    CHECK_INT(r.n, 8);
    CHECK(r.v[5].done && r.v[5].index == 2 && r.v[5].status == WR_OK);
    CHECK(r.v[7].phase == WR_RESCUE_PHASE_VERIFY && r.v[7].done);
    CHECK_INT(r.v[7].status, WR_E_IO);
    CHECK_MSG(strstr(r.v[7].line, "[verify] failed: ") == r.v[7].line &&
                  strstr(r.v[7].line, "\\EFI\\Microsoft\\Boot\\BCD does not read back"),
              "line: %s", r.v[7].line);
    CHECK_MSG(!strncmp(err.msg, "verify: ", 8), "err: %s", err.msg);
    wr_rescue_plan_free(&plan);
    rescue_fx_free(&f, false);
}

/* The stick fails: the backup phase ends failed, no action starts, the
 * ESP is untouched; also when the caller passes no wr_err. */
static void backup_failure_writes_nothing(void)
{
    for (int with_err = 1; with_err >= 0; with_err--) {
        struct rescue_fx f;
        struct wr_rescue_plan plan;
        struct recorder r = { 0 };
        struct wr_memvol *sv = NULL;
        struct wr_err err = { 0 };
        struct wr_rescue_apply_opts o = { .stamp = RESCUE_FX_STAMP, .progress = { record, &r } };
        char backup[WR_NAME_MAX];
        uint8_t *d = NULL;
        size_t l;
        wr_status st;

        rescue_fx_init(&f, rescue_fx_esp(true));
        CHECK(make_plan(&f, &plan));
        CHECK(wr_memvol_new(&sv, NULL) == WR_OK);
        wr_memvol_cut_after(sv, 0);
        wr_memvol_volume(sv, &f.stick);
        o.stick = &f.stick;
        r.fx = &f;
        st = wr_rescue_apply(&f.m, &plan, &o, backup, with_err ? &err : NULL);
        CHECK_MSG(st != WR_OK, "with_err %d: apply succeeded without a backup", with_err);
        CHECK_INT(r.n, 2);
        CHECK(r.v[1].phase == WR_RESCUE_PHASE_BACKUP && r.v[1].done && r.v[1].status != WR_OK);
        CHECK_MSG(!strncmp(r.v[1].line, "[backup] failed: ", 17), "line: %s", r.v[1].line);
        if (with_err)
            CHECK_MSG(!strncmp(err.msg, "backup", 6), "err: %s", err.msg);
        CHECK(!plan.v[0].ran && !plan.v[2].ran);
        CHECK(bcd_is_garbage(&f));
        CHECK_INT(wr_nvram_get(&f.nvram, "BootOrder", &wr_efivar_global_guid, NULL, &d, &l,
                               NULL), WR_E_NOT_FOUND);
        wr_rescue_plan_free(&plan);
        rescue_fx_free(&f, false);
        wr_memvol_free(sv);
    }
}

/* Undo after a repair: one step per manifest line (the BCD file, then
 * the new entry and BootOrder, both deleted) and one for the folders the
 * repair made, each announced before it writes and after. */
static void undo_calls_in_order(void)
{
    struct rescue_fx f;
    struct wr_rescue_plan plan;
    struct recorder r = { 0 };
    struct wr_rescue_progress_sink sink = { record, &r };
    struct wr_err err = { 0 };
    struct wr_text log = { 0 };
    char backup[WR_NAME_MAX], want[600], entry[16];

    rescue_fx_init(&f, rescue_fx_esp(true));
    CHECK(make_plan(&f, &plan));
    CHECK_OK(apply(&f, &plan, &r, backup, &err), &err);
    memset(&r, 0, sizeof r);
    r.fx = &f;
    CHECK_OK(wr_rescue_undo_progress(&f.m, &f.stick, backup, &log, &sink, &err), &err);
    CHECK_INT(r.n, 8);
    for (size_t k = 0; k < 4; k++) {
        CHECK(r.v[2 * k].phase == WR_RESCUE_PHASE_UNDO && !r.v[2 * k].done);
        CHECK(r.v[2 * k + 1].phase == WR_RESCUE_PHASE_UNDO && r.v[2 * k + 1].done);
        CHECK_INT(r.v[2 * k].index, k + 1);
        CHECK_INT(r.v[2 * k + 1].index, k + 1);
        CHECK_INT(r.v[2 * k].count, 4);
        CHECK_INT(r.v[2 * k + 1].status, WR_OK);
    }
    CHECK_MSG(strstr(r.v[0].line, ": restore \\EFI\\Microsoft\\Boot\\BCD ...") != NULL,
              "line: %s", r.v[0].line);
    CHECK(!r.v[0].bcd_garbage && r.v[1].bcd_garbage);
    wr_efivar_boot_name(plan.new_boot_num, entry);
    snprintf(want, sizeof want, "[2/4] firmware: delete variable %s if the repair created it ...",
             entry);
    CHECK_STR(r.v[2].line, want);
    CHECK_STR(r.v[4].line,
              "[3/4] firmware: delete variable BootOrder if the repair created it ...");
    CHECK_STR(r.v[6].line, "[4/4] remove the folders the repair created ...");
    CHECK_STR(r.v[7].line, "[4/4] done");
    wr_text_free(&log);
    wr_rescue_plan_free(&plan);
    rescue_fx_free(&f, false);
}

int main(void)
{
    RUN(apply_calls_in_order);
    RUN(failing_action_is_the_last);
    RUN(failing_second_action);
    RUN(verify_reads_again);
    RUN(backup_failure_writes_nothing);
    RUN(undo_calls_in_order);
    return check_done();
}
