/* wtg-rescue scan [--json] DISK...: every disk, its partitions, what each
 * holds, and every Windows installation found, in text or JSON. */
#include <stdlib.h>
#include <string.h>

#include "disk/fsprobe.h"
#include "disk/parttype.h"
#include "scan_out.h"
#include "windows/layout.h"

static int scan_volume(struct scan_out *o, const struct wr_blockdev *dev, unsigned *found)
{
    struct wr_windows_info w;
    struct wr_fs_info fs = { 0 };
    struct wr_err err = { 0 };

    if (wr_windows_probe(dev, &w, &err) != WR_OK) {
        scan_out_error(o, err.msg);
        return EXIT_IO;
    }
    if (w.volume == WR_WINDOWS_VOL_OTHER)
        wr_fs_probe(dev, &fs, NULL);
    scan_out_volume(o, &w, fs.kind == WR_FS_UNKNOWN ? NULL : wr_fs_name(fs.kind));
    *found += w.is_windows;
    return EXIT_OK;
}

static int scan_disk(struct scan_out *o, const char *path, unsigned *found)
{
    struct target t;
    struct wr_partition_table *pt;
    struct wr_err err = { 0 };
    int rc = target_open(path, &t), worst = EXIT_OK;
    wr_status st;

    if (rc) {
        scan_out_disk_error(o, path, "cannot open");
        return rc;
    }
    pt = calloc(1, sizeof *pt);
    st = pt ? wr_partition_table_read(t.dev, pt, &err) : WR_E_NO_MEMORY;
    scan_out_disk(o, t.name, t.dev, st ? NULL : pt, st ? err.msg : NULL);
    if (!st && pt->count == 0) {
        scan_out_whole(o);
        worst = scan_volume(o, t.dev, found);
        scan_out_partition_end(o);
    }
    for (uint32_t i = 0; !st && i < pt->count; i++) {
        const struct wr_partition *p = &pt->parts[i];
        struct wr_blockdev_slice slice;
        char type[64], name[200];
        const char *unsupported = wr_windows_unsupported_layout(pt, p);

        wr_partition_type_text(pt, p, type, sizeof type);
        scan_out_partition(o, p, type, unsupported);
        snprintf(name, sizeof name, "%s:%u", t.name, p->number);
        if (!unsupported && wr_blockdev_slice_init(&slice, t.dev, p->first_lba, p->sector_count,
                                                   name, &err) == WR_OK) {
            rc = scan_volume(o, &slice.dev, found);
            worst = rc > worst ? rc : worst;
        }
        scan_out_partition_end(o);
    }
    scan_out_disk_end(o);
    free(pt);
    target_close(&t);
    return st ? exit_for_status(st) : worst;
}

int wtg_cmd_scan(int argc, char **argv)
{
    struct scan_out o = { 0 };
    unsigned found = 0;
    int worst = EXIT_OK, disks = 0;

    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--json"))
            o.json = true;
    scan_out_begin(&o);
    for (int i = 1; i < argc; i++) {
        int rc;

        if (!strcmp(argv[i], "--json"))
            continue;
        disks++;
        rc = scan_disk(&o, argv[i], &found);
        worst = rc > worst ? rc : worst;
    }
    if (!disks) {
        fprintf(stderr, "usage: wtg-rescue scan [--json] DISK...\n");
        return EXIT_USAGE;
    }
    scan_out_end(&o, found);
    return worst;
}
