/* The Linux side of the engine: options, devices, mtools, nvram folder. */
#include "rescue_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/fmt.h"

static const char *value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "wtg-rescue: %s needs a value\n", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

int rescue_parse(int argc, char **argv, bool positional, struct rescue_opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], **slot = NULL;
        if (!strcmp(a, "--json"))
            o->json = true;
        else if (!strcmp(a, "--apply"))
            o->apply = true;
        else if (!strcmp(a, "--disk")) {
            if (o->n_disks >= RESCUE_MAX_DISKS || !(o->disks[o->n_disks++] = value(argc, argv, &i)))
                return -1;
        } else if (!strcmp(a, "--stick"))
            slot = &o->stick;
        else if (!strcmp(a, "--nvram"))
            slot = &o->nvram;
        else if (!strcmp(a, "--only"))
            slot = &o->only;
        else if (!strcmp(a, "--windows"))
            slot = &o->windows;
        else if (!strcmp(a, "--esp"))
            slot = &o->esp;
        else if (a[0] == '-') {
            fprintf(stderr, "wtg-rescue: unknown option %s\n", a);
            return -1;
        } else if (positional && !o->arg)
            o->arg = a;
        else if (o->n_disks < RESCUE_MAX_DISKS)
            o->disks[o->n_disks++] = a;
        if (slot && !(*slot = value(argc, argv, &i)))
            return -1;
    }
    return 0;
}

static wr_status open_fat(void *arg, uint32_t disk, uint32_t part, struct wr_volume *out,
                          struct wr_err *err)
{
    struct rescue_host *h = arg;
    const struct wr_partition_table *t = h->model.machine.disks[disk].table;
    struct wr_fatvol *fv;
    wr_status st;

    if (!t || part >= t->count)
        return wr_fail(err, WR_E_NOT_FOUND, "no such partition");
    st = wr_fatvol_open(h->files[disk].path,
                        t->parts[part].first_lba * h->devs[disk]->sector_size,
                        h->o.apply, &fv, err);
    if (!st)
        wr_fatvol_volume(fv, out);
    return st;
}

static void close_fat(void *arg, struct wr_volume *v)
{
    (void)arg;
    wr_fatvol_close(v->ctx);
}

/* The stick's FAT partition (the first one), where backups and reports go. */
static int open_stick(struct rescue_host *h)
{
    struct wr_filedev f;
    struct wr_partition_table *t = calloc(1, sizeof *t);
    struct wr_err err = { 0 };
    uint64_t off = 0;
    int rc = 0;

    if (!t || wr_filedev_open(&f, h->o.stick, false, 0, &err)) {
        fprintf(stderr, "wtg-rescue: stick %s: %s\n", h->o.stick, err.msg);
        free(t);
        return 3;
    }
    if (wr_partition_table_read(&f.dev, t, &err) == WR_OK)
        for (uint32_t i = 0; i < t->count; i++) {
            struct wr_blockdev_slice s;
            struct wr_fs_info fs;
            if (wr_blockdev_slice_init(&s, &f.dev, t->parts[i].first_lba,
                                       t->parts[i].sector_count, "stick", NULL) ||
                wr_fs_probe(&s.dev, &fs, NULL) ||
                (fs.kind != WR_FS_FAT32 && fs.kind != WR_FS_FAT16 && fs.kind != WR_FS_FAT12))
                continue;
            off = t->parts[i].first_lba * f.dev.sector_size;
            break;
        }
    wr_filedev_close(&f);
    free(t);
    if (wr_fatvol_open(h->o.stick, off, true, &h->stick_fat, &err)) {
        fprintf(stderr, "wtg-rescue: stick %s: %s\n", h->o.stick, err.msg);
        rc = 3;
    } else {
        wr_fatvol_volume(h->stick_fat, &h->stick_vol);
        h->has_stick = true;
    }
    return rc;
}

static int scan(struct rescue_host *h)
{
    struct wr_err err = { 0 };
    int stick = -1;

    for (size_t i = 0; i < h->n; i++)
        if (h->o.stick && !strcmp(h->o.disks[i], h->o.stick))
            stick = (int)i;
    if (wr_rescue_scan(&h->model, h->devs, h->n, stick, &h->host, h->nvdir ? &h->nvram : NULL,
                       &err)) {
        fprintf(stderr, "wtg-rescue: %s\n", err.msg);
        return 3;
    }
    h->scanned = true;
    return 0;
}

int rescue_open(struct rescue_host *h)
{
    struct wr_err err = { 0 };
    time_t now = time(NULL);
    struct tm tm;
    const char *fixed = getenv("WTG_RESCUE_STAMP");
    int rc;

    gmtime_r(&now, &tm);
    if (fixed && fixed[0])
        wr_format(h->stamp, sizeof h->stamp, "%s", fixed);
    else
        strftime(h->stamp, sizeof h->stamp, "%Y%m%dT%H%M%SZ", &tm);
    if (!h->o.n_disks) {
        fprintf(stderr, "wtg-rescue: no disks (--disk IMG or a block device)\n");
        return 2;
    }
    for (h->n = 0; h->n < h->o.n_disks; h->n++) {
        /* repairs write through mtools; only undo --apply writes sectors
         * (a raw ESP image, when its files show nothing changed since) */
        if (wr_filedev_open(&h->files[h->n], h->o.disks[h->n], h->o.apply, 0, &err)) {
            fprintf(stderr, "wtg-rescue: %s\n", err.msg);
            return 3;
        }
        h->devs[h->n] = &h->files[h->n].dev;
    }
    if (h->o.nvram) {
        if (wr_nvdir_open(h->o.nvram, h->o.apply, &h->nvdir, &err)) {
            fprintf(stderr, "wtg-rescue: %s\n", err.msg);
            return 1;
        }
        wr_nvdir_nvram(h->nvdir, &h->nvram);
    }
    if (h->o.stick && (rc = open_stick(h)))
        return rc;
    h->host.open_fat = open_fat;
    h->host.close_fat = close_fat;
    h->host.arg = h;
    return scan(h);
}

int rescue_rescan(struct rescue_host *h)
{
    if (h->scanned)
        wr_rescue_model_free(&h->model);
    h->scanned = false;
    return scan(h);
}

void rescue_close(struct rescue_host *h)
{
    if (h->scanned)
        wr_rescue_model_free(&h->model);
    for (size_t i = 0; i < h->n; i++)
        wr_filedev_close(&h->files[i]);
    if (h->nvdir)
        wr_nvdir_close(h->nvdir);
    if (h->stick_fat)
        wr_fatvol_close(h->stick_fat);
}

int rescue_find_part(const struct rescue_host *h, const char *spec)
{
    const char *colon = strrchr(spec, ':');
    size_t dlen;
    long disk = -1, part;

    if (!colon)
        return -1;
    dlen = (size_t)(colon - spec);
    part = strtol(colon + 1, NULL, 10);
    for (size_t i = 0; i < h->n; i++)
        if (strlen(h->o.disks[i]) == dlen && !strncmp(h->o.disks[i], spec, dlen))
            disk = (long)i;
    if (disk < 0) {
        char *end;
        disk = strtol(spec, &end, 10);
        if (end != colon)
            return -1;
    }
    for (size_t i = 0; i < h->model.n_parts; i++)
        if ((long)h->model.parts[i].disk == disk && (long)h->model.parts[i].p->number == part)
            return (int)i;
    return -1;
}
