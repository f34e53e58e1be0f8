/* Diagnose and Repair: the engine's findings worst first, each with the
 * bootmgr error it explains; the plan; with consent the repair (backups
 * on the stick first), a line per action, the verdict after, and where
 * the backup and the report were saved. */
#include <efi.h>
#include <efilib.h>

#include "base/fmt.h"
#include "engine.h"
#include "rescue/judge.h"
#include "screens.h"

static void print_findings(const struct wr_rescue_findings *f)
{
    size_t *idx = wr_alloc_array(f->n ? f->n : 1, sizeof *idx);
    char code[32];

    if (!idx) {
        con_puts("Out of memory.\n");
        return;
    }
    app_engine_order(f, idx);
    con_printf("Findings: %u\n", (unsigned)f->n);
    for (size_t k = 0; k < f->n; k++) {
        const struct wr_rescue_finding *x = &f->v[idx[k]];

        con_printf("%s %s: %s\n", x->id, wr_rescue_severity_name(x->severity), x->title);
        if (x->bootmgr_code) {
            wr_rescue_code_text(x->bootmgr_code, code);
            con_printf("   explains Windows Boot Manager error %s\n", code);
        }
        if (x->evidence[0])
            con_printf("   %s\n", x->evidence);
        if (x->fix[0])
            con_printf("   fix: %s\n", x->fix);
    }
    wr_free(idx);
}

static void print_verdict(const char *when, const struct wr_rescue_verdict *v)
{
    char code[32];

    if (v->ok) {
        con_printf("%s Windows Boot Manager would start Windows (OK).\n", when);
        return;
    }
    wr_rescue_code_text(v->code, code);
    con_printf("%s Windows Boot Manager would stop with %s%s%s: %s\n", when, code,
               v->file[0] ? ", File: " : "", v->file, v->why);
}

static void print_plan(const struct wr_rescue_plan *p)
{
    con_printf("Plan: %u action(s)\n", (unsigned)p->n);
    for (size_t i = 0; i < p->n; i++) {
        const struct wr_rescue_action *a = &p->v[i];

        con_printf("  %u. %s\n", (unsigned)i + 1, a->text);
        if (a->refused)
            con_printf("     refused: %s\n", a->why);
        else if (a->warning[0])
            con_printf("     note: %s\n", a->warning);
    }
}

static void print_results(const struct wr_rescue_plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        const struct wr_rescue_action *a = &p->v[i];

        if (a->refused)
            continue;
        if (!a->ran)
            con_printf("  %u. not run\n", (unsigned)i + 1);
        else if (a->result == WR_OK)
            con_printf("  %u. done: %s\n", (unsigned)i + 1, a->text);
        else
            con_printf("  %u. failed: %s\n", (unsigned)i + 1, a->result_msg);
    }
}

/* A line as each step of a repair or an undo starts and as it ends, so
 * a slow step shows while it runs. */
void app_rescue_progress(void *arg, const struct wr_rescue_progress *p)
{
    char line[WR_NAME_MAX + WR_ERR_MSG_MAX + 64];

    (void)arg;
    wr_rescue_progress_line(p, line, sizeof line);
    con_puts(line);
    con_puts("\n");
}

static BOOLEAN ask_yes(const char *question)
{
    struct con_key key;

    con_printf("%s [y/N] ", question);
    while (!con_wait_key(&key, FALSE))
        ;
    con_printf("%c\n", key.ch > 0x20 && key.ch < 0x7f ? (char)key.ch : ' ');
    return key.ch == 'y' || key.ch == 'Y';
}

static void save_report(struct app_engine *e, struct wr_rescue_report *r)
{
    char path[WR_NAME_MAX];
    struct wr_err err;

    if (!e->backup) {
        con_puts("The report was not saved: the app's own volume cannot be written.\n");
        return;
    }
    if (wr_rescue_report_save(e->backup, r, path, &err) == WR_OK)
        con_printf("Report saved on %s: %s%s\n", e->where, e->backup_prefix, path);
    else
        con_printf("The report was not saved: %s\n", err.msg);
}

BOOLEAN app_rescue_apply(struct app_engine *e, struct wr_rescue_plan *plan, BOOLEAN ask,
                         char backup[WR_NAME_MAX], struct wr_rescue_verdict *after)
{
    struct wr_rescue_apply_opts o = { .stick = e->backup, .stamp = e->stamp };
    struct wr_err err;
    char question[160];
    wr_status st;

    print_plan(plan);
    if (!wr_rescue_plan_runnable(plan)) {
        con_puts("Nothing to repair.\n");
        return FALSE;
    }
    if (!e->backup) {
        con_puts("Not repairing: there is no writable stick for the backups.\n");
        if (e->why[0])
            con_printf("%s\n", e->why);
        return FALSE;
    }
    wr_format(question, sizeof question,
              "Repair now? Everything changed is backed up to %s first.", e->where);
    if (ask && !ask_yes(question)) {
        con_puts("Nothing was changed.\n");
        return FALSE;
    }
    con_puts("Repairing...\n");
    app_engine_uncache(e);
    o.progress.fn = app_rescue_progress;
    st = wr_rescue_apply(&e->model, plan, &o, backup, &err);
    print_results(plan);
    if (st != WR_OK)
        con_printf("The repair stopped: %s\n", err.msg);
    if (backup[0])
        con_printf("Backup on %s: %s%s\n", e->where, e->backup_prefix, backup);
    wr_rescue_judge(&e->model, wr_rescue_boot_esp(&e->model), after);
    print_verdict("After the repair", after);
    return TRUE;
}

void app_rescue_run(struct app *app, enum app_rescue_how how, const char *report_name)
{
    struct app_engine e;
    struct wr_rescue_findings f = { 0 };
    struct wr_rescue_plan plan = { 0 };
    struct wr_rescue_verdict before, after;
    struct wr_rescue_report r = { 0 };
    char backup[WR_NAME_MAX] = "";
    struct wr_err err;
    BOOLEAN applied = FALSE;

    con_puts("Reading the disks for diagnosis...\n");
    if (app_engine_open(app, &e, &err) != WR_OK) {
        con_printf("Diagnosis is not possible: %s\n", err.msg);
        return;
    }
    if (wr_rescue_diagnose(&e.model, &f, &err) != WR_OK ||
        wr_rescue_plan_make(&e.model, &f, WR_RESCUE_ACT_NONE, &plan, &err) != WR_OK) {
        con_printf("Diagnosis failed: %s\n", err.msg);
        goto out;
    }
    wr_rescue_judge(&e.model, wr_rescue_boot_esp(&e.model), &before);
    print_findings(&f);
    print_verdict("Now", &before);
    after = before;
    if (how != APP_RESCUE_DIAGNOSE)
        applied = app_rescue_apply(&e, &plan, how == APP_RESCUE_REPAIR_ASK, backup, &after);
    r.m = &e.model;
    r.findings = &f;
    r.plan = &plan;
    r.applied = applied;
    r.backup_dir = backup;
    r.verdict = &after;
    r.stamp = report_name && report_name[0] ? report_name : e.stamp;
    if (report_name || applied)
        save_report(&e, &r);
out:
    wr_rescue_plan_free(&plan);
    wr_rescue_findings_free(&f);
    app_engine_close(&e);
}

void app_screen_diagnose(struct app *app)
{
    con_clear();
    con_puts("Diagnose\n");
    app_rescue_run(app, APP_RESCUE_DIAGNOSE, NULL);
    screen_wait_return();
}

void app_screen_repair(struct app *app)
{
    con_clear();
    con_puts("Repair\n");
    app_rescue_run(app, APP_RESCUE_REPAIR_ASK, NULL);
    screen_wait_return();
}
