/* The menu's diagnosis line: the rescue engine's full scan (tables, BCDs,
 * NTFS volumes, variables) and its findings, summed up in one line under
 * the menu's entries, so whoever boots the stick sees at once whether this
 * PC's Windows would start, without opening Diagnose. Reads only. */
#include <efi.h>
#include <efilib.h>

#include "base/fmt.h"
#include "engine.h"
#include "screens.h"

static void count(const struct wr_rescue_findings *f, size_t per[3])
{
    per[0] = per[1] = per[2] = 0;
    for (size_t i = 0; i < f->n; i++)
        per[f->v[i].severity == WR_RESCUE_ERROR     ? 0
            : f->v[i].severity == WR_RESCUE_WARNING ? 1
                                                    : 2]++;
}

/* The first of the most severe findings, as Diagnose lists them. */
static const struct wr_rescue_finding *worst_of(const struct wr_rescue_findings *f)
{
    const struct wr_rescue_finding *w = &f->v[0];

    for (size_t i = 1; i < f->n; i++)
        if ((int)f->v[i].severity > (int)w->severity)
            w = &f->v[i];
    return w;
}

static void summarize(const struct wr_rescue_findings *f, char *out, size_t size)
{
    const struct wr_rescue_finding *w;
    size_t per[3];

    count(f, per);
    if (!per[0] && !per[1]) {
        wr_format(out, size, "Diagnosis: no problems found%s.",
                  per[2] ? " (notes under Diagnose)" : "");
        return;
    }
    w = worst_of(f);
    wr_format(out, size, "Diagnosis: %zu error(s), %zu warning(s); worst: %s %s (g: Diagnose)",
              per[0], per[1], w->id, w->title);
}

/* Freeing the model (every disk's read cache, the stores, the volumes) is
 * no part of showing the menu: it waits for the first key that picks
 * something. */
void app_health_release(struct app *app)
{
    if (!app->health_engine)
        return;
    app_engine_close(app->health_engine);
    wr_free(app->health_engine);
    app->health_engine = NULL;
}

void app_health(struct app *app)
{
    struct app_engine *e;
    struct wr_rescue_findings f = { 0 };
    struct wr_err err;

    app_health_release(app);
    app->health[0] = '\0';
    if (app_is_netboot(app) || app->conf.mode != WR_CONF_MODE_MENU)
        return; /* those runs print every finding themselves */
    if (app->conf.timeout == 0)
        return; /* no menu to show it on: the default starts at once */
    e = wr_alloc(sizeof *e);
    if (!e || app_engine_open(app, e, &err) != WR_OK) {
        wr_format(app->health, sizeof app->health, "Diagnosis not possible: %s",
                  e ? err.msg : "out of memory");
        wr_free(e);
        return;
    }
    if (wr_rescue_diagnose(&e->model, &f, &err) != WR_OK)
        wr_format(app->health, sizeof app->health, "Diagnosis failed: %s", err.msg);
    else
        summarize(&f, app->health, sizeof app->health);
    wr_rescue_findings_free(&f);
    app->health_engine = e;
}
