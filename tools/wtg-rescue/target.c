/* DISK[:PART] arguments: open the image or device read-only and, with a
 * partition number, a slice over that partition. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/fmt.h"
#include "commands.h"
#include "disk/partition.h"

int exit_for_status(wr_status st)
{
    switch (st) {
    case WR_OK: return EXIT_OK;
    case WR_E_NOT_FOUND: return EXIT_NOT_FOUND;
    case WR_E_INVALID: return EXIT_USAGE;
    case WR_E_IO: return EXIT_IO;
    case WR_E_UNSUPPORTED:
    case WR_E_REFUSED: return EXIT_UNSUPPORTED;
    default: return EXIT_CORRUPT;
    }
}

/* "disk.img:3" names partition 3 unless a file is literally called that. */
static unsigned split_part(char *path)
{
    struct stat sb;
    char *colon = strrchr(path, ':'), *end;
    unsigned long n;

    if (!colon || colon[1] == '\0' || stat(path, &sb) == 0)
        return 0;
    n = strtoul(colon + 1, &end, 10);
    if (*end || n == 0 || n > WR_MAX_PARTITIONS)
        return 0;
    *colon = '\0';
    return (unsigned)n;
}

int target_open(const char *spec, struct target *t)
{
    char path[4096];
    struct wr_err err = { 0 };
    struct wr_partition_table *pt;
    const struct wr_partition *p;
    wr_status st;

    memset(t, 0, sizeof *t);
    t->file.fd = -1;
    wr_format(path, sizeof path, "%s", spec);
    t->part = split_part(path);
    st = wr_filedev_open(&t->file, path, false, 0, &err);
    if (st) {
        fprintf(stderr, "wtg-rescue: %s\n", err.msg);
        return st == WR_E_NOT_FOUND ? EXIT_NOT_FOUND : EXIT_IO;
    }
    t->dev = &t->file.dev;
    wr_format(t->name, sizeof t->name, "%s", path);
    if (!t->part)
        return EXIT_OK;
    pt = malloc(sizeof *pt);
    if (!pt)
        return EXIT_IO;
    st = wr_partition_table_read(t->dev, pt, &err);
    if (st) {
        fprintf(stderr, "wtg-rescue: %s\n", err.msg);
        free(pt);
        return exit_for_status(st);
    }
    p = wr_partition_find(pt, t->part);
    if (!p) {
        fprintf(stderr, "wtg-rescue: %s: no partition %u (%u partitions)\n", path, t->part,
                pt->count);
        free(pt);
        return EXIT_NOT_FOUND;
    }
    wr_format(t->name, sizeof t->name, "%s:%u", path, t->part);
    st = wr_blockdev_slice_init(&t->slice, t->dev, p->first_lba, p->sector_count, t->name, &err);
    free(pt);
    if (st) {
        fprintf(stderr, "wtg-rescue: %s\n", err.msg);
        return exit_for_status(st);
    }
    t->dev = &t->slice.dev;
    return EXIT_OK;
}

void target_close(struct target *t)
{
    if (t->file.fd >= 0)
        wr_filedev_close(&t->file);
}
