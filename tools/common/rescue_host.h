/* What the wtg-rescue engine commands share on Linux: the options
 * (--disk, --stick, --nvram, --apply, ...), the disks as block devices,
 * FAT partitions through mtools, variables from an efivarfs-style folder,
 * and the engine's model built over them. Host tools only. */
#ifndef TOOLS_COMMON_RESCUE_HOST_H
#define TOOLS_COMMON_RESCUE_HOST_H

#include "fatvol.h"
#include "filedev.h"
#include "nvdir.h"
#include "rescue/model.h"

#define RESCUE_MAX_DISKS 16

struct rescue_opts {
    const char *disks[RESCUE_MAX_DISKS];
    size_t n_disks;
    const char *stick;
    const char *nvram;
    const char *only;
    const char *windows;       /* DISK:PART */
    const char *esp;           /* DISK:PART */
    const char *arg;           /* the positional argument (undo's folder) */
    bool json;
    bool apply;
};

struct rescue_host {
    struct rescue_opts o;
    struct wr_filedev files[RESCUE_MAX_DISKS];
    const struct wr_blockdev *devs[RESCUE_MAX_DISKS];
    size_t n;
    struct wr_rescue_host host;
    struct wr_nvdir *nvdir;
    struct wr_nvram nvram;
    struct wr_fatvol *stick_fat;
    struct wr_volume stick_vol;
    bool has_stick;
    struct wr_rescue_model model;
    bool scanned;
    char stamp[32];
};

/* Parses argv (after the command name). Unknown options: -1 (message
 * printed). `positional` says whether one bare argument is taken as
 * o.arg instead of a disk. */
int rescue_parse(int argc, char **argv, bool positional, struct rescue_opts *o);
/* Opens everything (writable only with --apply) and scans. Returns an
 * exit status (0 ok), message printed. */
int rescue_open(struct rescue_host *h);
/* Scans again (after writes, to judge the result). */
int rescue_rescan(struct rescue_host *h);
void rescue_close(struct rescue_host *h);
/* DISK:PART (DISK a --disk path or its index) to a model partition, or -1. */
int rescue_find_part(const struct rescue_host *h, const char *spec);

#endif
