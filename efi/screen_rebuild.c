/* w: Rebuild boot files for a chosen Windows, as bcdboot would: a new BCD
 * on the ESP of its disk, its boot files, the firmware entry first. The
 * plan is shown and asked for like a repair; backups go to the stick. */
#include <efi.h>
#include <efilib.h>

#include "base/fmt.h"
#include "engine.h"
#include "screens.h"

#define MAX_SHOWN 9

static void rebuild(struct app_engine *e, int win)
{
    struct wr_rescue_plan plan = { 0 };
    struct wr_rescue_verdict after;
    struct wr_rescue_findings none = { 0 };
    struct wr_rescue_report r = { 0 };
    char backup[WR_NAME_MAX] = "", path[WR_NAME_MAX];
    struct wr_err err;

    if (wr_rescue_plan_rebuild(&e->model, win, -1, &plan, &err) != WR_OK) {
        con_printf("No rebuild is possible: %s\n", err.msg);
        return;
    }
    wr_rescue_judge(&e->model, wr_rescue_boot_esp(&e->model), &after);
    if (app_rescue_apply(e, &plan, TRUE, backup, &after)) {
        r = (struct wr_rescue_report){ .m = &e->model, .findings = &none, .plan = &plan,
                                       .applied = TRUE, .backup_dir = backup,
                                       .verdict = &after, .stamp = e->stamp };
        if (wr_rescue_report_save(e->backup, &r, path, &err) == WR_OK)
            con_printf("Report saved on %s: %s%s\n", e->where, e->backup_prefix, path);
        else
            con_printf("The report was not saved: %s\n", err.msg);
    }
    wr_rescue_plan_free(&plan);
}

void app_screen_rebuild(struct app *app)
{
    struct app_engine e;
    struct wr_err err;
    int wins[MAX_SHOWN];
    UINTN n = 0;
    INTN k;

    con_clear();
    con_puts("Rebuild boot files\n");
    if (app_engine_open(app, &e, &err) != WR_OK) {
        con_printf("The disks cannot be read: %s\n", err.msg);
        screen_wait_return();
        return;
    }
    for (size_t i = 0; i < e.model.n_parts && n < MAX_SHOWN; i++) {
        const struct wr_rescue_part *p = &e.model.parts[i];
        char where[48];

        if (!p->win.is_windows)
            continue;
        wr_rescue_part_name(&e.model, p, where, sizeof where);
        wins[n++] = (int)i;
        con_printf("  %u) %s on %s%s\n", (unsigned)n,
                   p->win.product_name[0] ? p->win.product_name : "Windows", where,
                   p->win.to_go ? " (To Go)" : "");
    }
    if (n == 0)
        con_puts("No Windows installation was found on any disk.\n");
    else if ((k = con_pick("Windows", n)) >= 0)
        rebuild(&e, wins[k]);
    app_engine_close(&e);
    screen_wait_return();
}
