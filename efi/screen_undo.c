/* z: Undo. The backups a repair left on the stick for this machine, newest
 * last; the one picked is restored byte for byte by the engine (files and
 * variables) and checked against its manifest. */
#include <efi.h>
#include <efilib.h>

#include "base/fmt.h"
#include "engine.h"
#include "screens.h"

#define MAX_SHOWN 9

struct backups {
    char name[MAX_SHOWN][WR_NAME_MAX];
    UINTN n;
};

static wr_status collect(void *arg, const struct wr_dirent *d)
{
    struct backups *b = arg;

    if (!d->is_dir || d->name[0] == '.')
        return WR_OK;
    if (b->n == MAX_SHOWN) { /* keep the newest: stamps sort by time */
        for (UINTN i = 1; i < MAX_SHOWN; i++)
            wr_format(b->name[i - 1], WR_NAME_MAX, "%s", b->name[i]);
        b->n--;
    }
    wr_format(b->name[b->n++], WR_NAME_MAX, "%s", d->name);
    return WR_OK;
}

static void restore(struct app_engine *e, const char *dir)
{
    struct wr_text log = { 0 };
    struct wr_rescue_progress_sink progress = { app_rescue_progress, NULL };
    struct wr_err err;
    wr_status st;

    con_printf("Restoring %s ...\n", dir);
    app_engine_uncache(e);
    st = wr_rescue_undo_progress(&e->model, e->backup, dir, &log, &progress, &err);
    if (log.data)
        con_puts(log.data);
    wr_text_free(&log);
    if (st == WR_OK)
        con_puts("Undo complete: every file and variable is as the backup found it.\n");
    else
        con_printf("Undo failed: %s\n", err.msg);
}

void app_screen_undo(struct app *app)
{
    struct app_engine e;
    struct backups b = { 0 };
    struct wr_err err;
    char base[WR_NAME_MAX], dir[WR_NAME_MAX];
    INTN k;

    con_clear();
    con_puts("Undo a repair\n");
    if (app_engine_open(app, &e, &err) != WR_OK) {
        con_printf("The disks cannot be read: %s\n", err.msg);
        screen_wait_return();
        return;
    }
    wr_format(base, sizeof base, "\\wtg-rescue\\backups\\%s", e.model.machine_id);
    if (!e.backup || wr_volume_list_dir(e.backup, base, collect, &b, NULL) != WR_OK ||
        b.n == 0) {
        con_printf("There is no backup of this machine on %s.\n",
                   e.backup ? e.where : "the stick");
        if (e.why[0])
            con_printf("%s\n", e.why);
    } else {
        for (UINTN i = 0; i < b.n; i++)
            con_printf("  %u) %s\n", (unsigned)i + 1, b.name[i]);
        k = con_pick("backup", b.n);
        if (k >= 0) {
            wr_format(dir, sizeof dir, "%s\\%s", base, b.name[k]);
            restore(&e, dir);
        }
    }
    app_engine_close(&e);
    screen_wait_return();
}
