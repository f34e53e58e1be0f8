/* The engine's host over the firmware: whole disks through BlockIo
 * (read-only: the engine writes files, never sectors, in the app), FAT
 * through the firmware's own driver, variables through the runtime
 * services. */
#include <efi.h>
#include <efilib.h>

#include "base/fmt.h"
#include "engine.h"
#include "glue/devpath.h"
#include "glue/nvram_efi.h"
#include "rescue/judge.h"
#include "screens.h"

static wr_status open_fat(void *arg, uint32_t disk, uint32_t part, struct wr_volume *out,
                          struct wr_err *err)
{
    struct app_engine *e = arg;
    const struct wr_machine_disk *d;
    struct wr_sfs_volume *v;
    char name[48];

    if (disk >= e->n)
        return wr_fail(err, WR_E_UNSUPPORTED, "disk %u is not known to the firmware", disk);
    d = &e->app->machine.disks[e->mdisk[disk]];
    if (!d->table || part >= d->table->count || !d->parts[part].handle)
        return wr_fail(err, WR_E_UNSUPPORTED, "disk %u partition %u: no firmware handle", disk,
                       part + 1);
    v = wr_alloc(sizeof *v);
    if (!v)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    wr_format(name, sizeof name, "disk %u partition %u", disk, d->table->parts[part].number);
    if (wr_sfs_volume_open(v, d->parts[part].handle, name, err) != WR_OK) {
        wr_free(v);
        return err ? err->code : WR_E_UNSUPPORTED;
    }
    *out = v->vol;
    return WR_OK;
}

static void close_fat(void *arg, struct wr_volume *vol)
{
    struct wr_sfs_volume *v = vol->ctx;

    (void)arg;
    wr_sfs_volume_close(v);
    wr_free(v);
}

static bool loaded_from(void *arg, uint32_t disk, uint32_t part, const char *path)
{
    struct app_engine *e = arg;
    const EFI_LOADED_IMAGE *self = e->app->self;
    const struct wr_machine_disk *d;

    if (disk >= e->n)
        return false;
    d = &e->app->machine.disks[e->mdisk[disk]];
    return d->table && part < d->table->count && d->parts[part].handle &&
           d->parts[part].handle == self->DeviceHandle && wr_devpath_file_is(self->FilePath, path);
}

/* The boot scan already read this disk's table and probed its partitions
 * (scan.c); the model takes them from there, unless the medium changed
 * since (a card or stick swapped for one of the same size). */
static const struct wr_machine_disk *scanned(void *arg, uint32_t disk)
{
    struct app_engine *e = arg;
    const struct wr_machine_disk *d;

    if (disk >= e->n)
        return NULL;
    d = &e->app->machine.disks[e->mdisk[disk]];
    return d->media_id == e->bdevs[disk].media_id ? d : NULL;
}

static void make_stamp(char out[24])
{
    EFI_TIME t;

    if (uefi_call_wrapper(RT->GetTime, 2, &t, NULL) != EFI_SUCCESS)
        memset(&t, 0, sizeof t);
    wr_format(out, 24, "%04u%02u%02uT%02u%02u%02uZ", t.Year, t.Month, t.Day, t.Hour, t.Minute,
              t.Second);
}

static int stick_index(const struct app_engine *e)
{
    for (size_t i = 0; i < e->n; i++)
        if (e->app->machine.disks[e->mdisk[i]].is_stick)
            return (int)i;
    return -1;
}

static BOOLEAN host_esp_usable(const struct wr_rescue_model *m, size_t i)
{
    const struct wr_rescue_part *p = &m->parts[i];

    return p->esp_like && p->has_fat && !m->machine.disks[p->disk].is_stick;
}

static BOOLEAN disk_has_windows(const struct wr_rescue_model *m, uint32_t disk)
{
    for (size_t i = 0; i < m->n_parts; i++)
        if (m->parts[i].disk == disk && m->parts[i].win.is_windows)
            return TRUE;
    return FALSE;
}

/* The host ESP for backups: the one that already holds this machine's
 * backups (so Undo finds every repair in one place), else the ESP the
 * firmware starts Windows Boot Manager from (the one being repaired),
 * else the first ESP on a disk with Windows, else the first ESP; -1. */
static int pick_host_esp(const struct wr_rescue_model *m)
{
    char dir[WR_NAME_MAX];
    int boot = wr_rescue_boot_esp(m);

    wr_format(dir, sizeof dir, "\\EFI\\wtg-rescue\\backups\\%s", m->machine_id);
    for (size_t i = 0; i < m->n_parts; i++)
        if (host_esp_usable(m, i) && wr_volume_exists(&m->parts[i].fat, dir))
            return (int)i;
    if (boot >= 0 && host_esp_usable(m, (size_t)boot))
        return boot;
    for (size_t i = 0; i < m->n_parts; i++)
        if (host_esp_usable(m, i) && disk_has_windows(m, m->parts[i].disk))
            return (int)i;
    for (size_t i = 0; i < m->n_parts; i++)
        if (host_esp_usable(m, i))
            return (int)i;
    return -1;
}

/* Network boot: backups and reports on the host's ESP under
 * \EFI\wtg-rescue\, through the same engine code as on the stick. */
static void pick_backup(struct app_engine *e)
{
    char name[48];
    int esp;

    if (!app_net_writes(e->app)) {
        wr_format(e->why, sizeof e->why,
                  "Network boot: read-only, the network settings do not say mode repair.");
        return;
    }
    esp = pick_host_esp(&e->model);
    if (esp < 0) {
        /* Said at once: with nothing to back up to, even a plan that turns
         * out empty must not leave the reader guessing. */
        wr_format(e->why, sizeof e->why,
                  "Network boot: mode repair, but no ESP on this PC's disks can hold the "
                  "backups; nothing will be written.");
        con_printf("%s\n", e->why);
        return;
    }
    wr_rescue_part_name(&e->model, &e->model.parts[esp], name, sizeof name);
    wr_format(e->where, sizeof e->where, "the host's ESP (%s)", name);
    wr_subvol_init(&e->host_esp, &e->model.parts[esp].fat, "\\EFI", e->where);
    e->backup = &e->host_esp.vol;
    e->backup_prefix = "\\EFI";
}

wr_status app_engine_open(struct app *app, struct app_engine *e, struct wr_err *err)
{
    const struct wr_machine *m = &app->machine;
    wr_status st;

    memset(e, 0, sizeof *e);
    e->app = app;
    e->bdevs = wr_alloc_array(m->disk_count ? m->disk_count : 1, sizeof *e->bdevs);
    e->devs = wr_alloc_array(m->disk_count ? m->disk_count : 1, sizeof *e->devs);
    e->mdisk = wr_alloc_array(m->disk_count ? m->disk_count : 1, sizeof *e->mdisk);
    if (!e->bdevs || !e->devs || !e->mdisk) {
        app_engine_close(e);
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    }
    for (uint32_t i = 0; i < m->disk_count; i++) {
        EFI_BLOCK_IO *bio = NULL;
        char name[24];

        wr_format(name, sizeof name, "disk %u", i);
        uefi_call_wrapper(BS->HandleProtocol, 3, m->disks[i].handle, &BlockIoProtocol,
                          (void **)&bio);
        /* A disk without a partition table holds nothing to repair, and
         * iPXE's one-byte pseudo disk cannot even be opened: leave them. */
        if (!bio || !m->disks[i].table ||
            wr_blockio_dev_open(&e->bdevs[e->n], bio, name, FALSE, NULL) != WR_OK)
            continue;
        wr_blockio_dev_cache(&e->bdevs[e->n]);
        e->devs[e->n] = &e->bdevs[e->n].dev;
        e->mdisk[e->n] = i;
        e->n++;
    }
    e->host = (struct wr_rescue_host){
        .open_fat = open_fat, .close_fat = close_fat, .is_self = loaded_from,
        .known_disk = scanned, .arg = e };
    wr_nvram_efi(&e->nvram);
    make_stamp(e->stamp);
    /* Over the network there is no stick: backups go to the host's ESP,
     * and only when the settings allow writes (pick_backup). */
    e->has_stick = !app_is_netboot(app) &&
                   wr_sfs_volume_open(&e->stick, app->self->DeviceHandle, "the stick", NULL)
                   == WR_OK;
    e->backup_prefix = "";
    if (e->has_stick) {
        e->backup = &e->stick.vol;
        wr_format(e->where, sizeof e->where, "the stick");
    }
    st = wr_rescue_scan(&e->model, e->devs, e->n, stick_index(e), &e->host, &e->nvram, err);
    if (st != WR_OK)
        app_engine_close(e);
    else if (app_is_netboot(app))
        pick_backup(e);
    return st;
}

void app_engine_uncache(struct app_engine *e)
{
    for (size_t i = 0; i < e->n; i++)
        wr_blockio_cache_drop(&e->bdevs[i]);
}

void app_engine_close(struct app_engine *e)
{
    wr_rescue_model_free(&e->model);
    for (size_t i = 0; i < e->n; i++)
        wr_blockio_dev_close(&e->bdevs[i]);
    if (e->has_stick)
        wr_sfs_volume_close(&e->stick);
    wr_free(e->bdevs);
    wr_free(e->devs);
    wr_free(e->mdisk);
    e->mdisk = NULL;
    e->bdevs = NULL;
    e->devs = NULL;
    e->n = 0;
    e->has_stick = FALSE;
    e->backup = NULL;
}

void app_engine_order(const struct wr_rescue_findings *f, size_t *idx)
{
    size_t k = 0;

    for (int sev = WR_RESCUE_ERROR; sev >= WR_RESCUE_INFO; sev--)
        for (size_t i = 0; i < f->n; i++)
            if ((int)f->v[i].severity == sev)
                idx[k++] = i;
}
