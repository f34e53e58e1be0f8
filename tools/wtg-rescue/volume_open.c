/* Opening the NTFS volume of a target, with the error printed once. */
#include <stdlib.h>

#include "commands.h"
#include "disk/partition.h"
#include "ntfs/ntfs.h"
#include "volume_open.h"

/* A whole disk given where a partition was meant: say which to pick. */
static void hint_partitions(const struct target *t)
{
    struct wr_partition_table *pt = calloc(1, sizeof *pt);

    if (pt && wr_partition_table_read(t->dev, pt, NULL) == WR_OK && pt->count)
        fprintf(stderr, "wtg-rescue: %s has %u partitions: name one as %s:N "
                "(wtg-rescue scan %s lists them)\n", t->name, pt->count, t->name, t->name);
    free(pt);
}

int open_ntfs(const char *spec, struct target *t, struct wr_ntfs **v)
{
    struct wr_err err = { 0 };
    int rc = target_open(spec, t);
    wr_status st;

    if (rc)
        return rc;
    st = wr_ntfs_open(t->dev, v, &err);
    if (st) {
        fprintf(stderr, "wtg-rescue: %s\n", err.msg);
        if (!t->part && st == WR_E_UNSUPPORTED)
            hint_partitions(t);
        target_close(t);
        return exit_for_status(st);
    }
    return EXIT_OK;
}
