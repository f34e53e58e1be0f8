/* Opening the NTFS volume of a target, with the error printed once. */
#include "commands.h"
#include "ntfs/ntfs.h"
#include "volume_open.h"

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
        target_close(t);
        return exit_for_status(st);
    }
    return EXIT_OK;
}
