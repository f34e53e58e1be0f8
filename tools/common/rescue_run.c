/* The common tail of diagnose, repair, rebuild and report. */
#include "rescue_run.h"

#include <stdio.h>

#include "rescue_progress.h"

static void print(const struct rescue_host *h, const struct wr_rescue_report *r)
{
    struct wr_text t = { 0 };

    if (h->o.json)
        wr_rescue_report_json(r, &t);
    else
        wr_rescue_report_text(r, &t);
    if (t.data)
        fwrite(t.data, 1, t.len, stdout);
    wr_text_free(&t);
}

static int apply(struct rescue_host *h, struct wr_rescue_plan *plan, char *backup,
                 struct wr_rescue_verdict *after)
{
    struct wr_rescue_apply_opts o = { .stamp = h->stamp, .raw_esp = true,
                                      .progress = { rescue_progress_print, NULL } };
    struct wr_err err = { 0 };
    wr_status st;
    int rc;

    if (!h->has_stick) {
        fprintf(stderr, "wtg-rescue: --apply needs --stick IMG: nothing is written without a "
                        "backup on the stick\n");
        return 2;
    }
    o.stick = &h->stick_vol;
    st = wr_rescue_apply(&h->model, plan, &o, backup, &err);
    if (st)
        fprintf(stderr, "wtg-rescue: %s\n", err.msg);
    rc = rescue_rescan(h);
    if (!rc)
        wr_rescue_judge(&h->model, wr_rescue_boot_esp(&h->model), after);
    return st ? rescue_exit_status(st) : rc;
}

int rescue_run(struct rescue_host *h, struct wr_rescue_findings *f, struct wr_rescue_plan *plan,
               bool save)
{
    struct wr_rescue_verdict v;
    struct wr_rescue_report r = { 0 };
    char backup[WR_NAME_MAX] = "";
    int rc = 0;

    wr_rescue_judge(&h->model, wr_rescue_boot_esp(&h->model), &v);
    if (plan && h->o.apply && wr_rescue_plan_runnable(plan))
        rc = apply(h, plan, backup, &v);
    r.m = &h->model;
    r.findings = f;
    r.plan = plan;
    r.applied = plan && h->o.apply;
    r.backup_dir = backup;
    r.verdict = &v;
    r.stamp = h->stamp;
    print(h, &r);
    if ((save || r.applied) && h->has_stick) {
        char path[WR_NAME_MAX];
        struct wr_err err = { 0 };
        if (wr_rescue_report_save(&h->stick_vol, &r, path, &err))
            fprintf(stderr, "wtg-rescue: report not saved: %s\n", err.msg);
        else
            fprintf(stderr, "wtg-rescue: report saved on the stick: %s\n", path);
    }
    return rc;
}

int rescue_exit_status(wr_status st)
{
    switch (st) {
    case WR_OK: return 0;
    case WR_E_NOT_FOUND: return 1;
    case WR_E_INVALID: return 2;
    case WR_E_IO: return 3;
    case WR_E_UNSUPPORTED:
    case WR_E_REFUSED: return 4;
    default: return 5;
    }
}
