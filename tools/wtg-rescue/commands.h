/* wtg-rescue subcommands: one file each, dispatched from main.c. Each
 * returns the process exit status (see exit_for_status and --help). */
#ifndef WTG_RESCUE_COMMANDS_H
#define WTG_RESCUE_COMMANDS_H

#include <stdbool.h>
#include <stdio.h>

#include "base/blockdev.h"
#include "../common/filedev.h"

enum {
    EXIT_OK = 0,
    EXIT_NOT_FOUND = 1,   /* path, partition or file not there */
    EXIT_USAGE = 2,
    EXIT_IO = 3,          /* the disk cannot be opened or read */
    EXIT_UNSUPPORTED = 4, /* encrypted, unsupported format or compression, link not followed */
    EXIT_CORRUPT = 5,     /* an on-disk structure failed a check */
};

int exit_for_status(wr_status st);

/* DISK[:PART] opened read-only: the whole disk, or one partition of it. */
struct target {
    struct wr_filedev file;
    struct wr_blockdev_slice slice;
    const struct wr_blockdev *dev;
    unsigned part;
    char name[160];
};

int target_open(const char *spec, struct target *t);
void target_close(struct target *t);

int wtg_cmd_ls(int argc, char **argv);
int wtg_cmd_cat(int argc, char **argv);
int wtg_cmd_scan(int argc, char **argv);
int wtg_cmd_diagnose(int argc, char **argv);
int wtg_cmd_repair(int argc, char **argv);
int wtg_cmd_rebuild(int argc, char **argv);
int wtg_cmd_undo(int argc, char **argv);
int wtg_cmd_report(int argc, char **argv);
int wtg_cmd_rescue_files(int argc, char **argv);
int wtg_cmd_make_togo(int argc, char **argv);
int wtg_cmd_install(int argc, char **argv); /* and uninstall */

#endif
