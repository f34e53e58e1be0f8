/* partition=/dev/sdXN and partition=IMAGE:N: the GUIDs (or MBR signature and
 * offset) are read from the disk's partition table through lib/disk. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bcdtool.h"
#include "disk/partition.h"
#include "../common/filedev.h"

/* A Linux partition block device to its whole disk and number, by sysfs. */
static bool sysfs_parent(const char *dev, char *disk, size_t size, unsigned *number)
{
    char real[PATH_MAX], link[PATH_MAX], path[PATH_MAX + 64];
    const char *base;
    FILE *f;
    char *slash;

    if (!realpath(dev, real))
        return false;
    base = strrchr(real, '/') ? strrchr(real, '/') + 1 : real;
    snprintf(path, sizeof path, "/sys/class/block/%s/partition", base);
    f = fopen(path, "r");
    if (!f)
        return false;
    if (fscanf(f, "%u", number) != 1) {
        fclose(f);
        return false;
    }
    fclose(f);
    snprintf(path, sizeof path, "/sys/class/block/%s", base);
    if (!realpath(path, link) || !(slash = strrchr(link, '/')))
        return false;
    *slash = '\0';
    slash = strrchr(link, '/');
    snprintf(disk, size, "/dev/%.200s", slash ? slash + 1 : link);
    return true;
}

static wr_status split_spec(const char *spec, char *disk, size_t size, unsigned *number,
                            struct wr_err *err)
{
    const char *colon = strrchr(spec, ':');
    struct stat st;
    char *end;

    if (stat(spec, &st) == 0 && S_ISBLK(st.st_mode)) {
        if (!sysfs_parent(spec, disk, size, number))
            return wr_fail(err, WR_E_INVALID, "%s: not a partition (no partition number in "
                           "sysfs); name a partition such as /dev/sda2", spec);
        return WR_OK;
    }
    if (strlen(spec) == 2 && spec[1] == ':')
        return wr_fail(err, WR_E_INVALID, "'%s': drive letters do not exist offline; name the "
                       "partition as gpt:{disk}/{part}, mbr:SIGNATURE/OFFSET, /dev/sdXN or "
                       "IMAGE:N", spec);
    if (!colon || colon == spec || !colon[1])
        return wr_fail(err, WR_E_INVALID, "'%s' is not a partition: use gpt:{disk}/{part}, "
                       "mbr:SIGNATURE/OFFSET, a partition device such as /dev/nvme0n1p3, or "
                       "IMAGE:N for partition N of a disk image", spec);
    *number = (unsigned)strtoul(colon + 1, &end, 10);
    if (*end || !*number)
        return wr_fail(err, WR_E_INVALID, "'%s': '%s' is not a partition number", spec,
                       colon + 1);
    snprintf(disk, size, "%.*s", (int)(colon - spec), spec);
    return WR_OK;
}

static wr_status from_table(const char *spec, const struct wr_partition_table *t,
                            unsigned number, uint32_t sector, struct wr_bcd_device *out,
                            struct wr_err *err)
{
    const struct wr_partition *p = wr_partition_find(t, number);

    if (!p)
        return wr_fail(err, WR_E_NOT_FOUND, "%s: the disk has no partition %u", spec, number);
    memset(out, 0, sizeof *out);
    out->kind = WR_BCD_DEV_PARTITION;
    if (t->kind == WR_TABLE_GPT) {
        out->style = WR_BCD_STYLE_GPT;
        out->disk_guid = t->disk_guid;
        out->part_guid = p->part_guid;
    } else {
        out->style = WR_BCD_STYLE_MBR;
        out->mbr_signature = t->mbr_signature;
        out->mbr_offset = p->first_lba * sector;
    }
    return WR_OK;
}

wr_status bcdtool_resolve_partition(void *arg, const char *spec, struct wr_bcd_device *out,
                                    struct wr_err *err)
{
    char disk[PATH_MAX];
    unsigned number = 0;
    struct wr_filedev f;
    struct wr_partition_table *t;
    wr_status st;

    (void)arg;
    st = split_spec(spec, disk, sizeof disk, &number, err);
    if (st != WR_OK)
        return st;
    st = wr_filedev_open(&f, disk, false, 0, err);
    if (st != WR_OK)
        return wr_err_prefix(err, st, "partition=%s: ", spec);
    t = calloc(1, sizeof *t);
    if (!t) {
        wr_filedev_close(&f);
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    }
    st = wr_partition_table_read(&f.dev, t, err);
    if (st == WR_OK && t->kind == WR_TABLE_NONE)
        st = wr_fail(err, WR_E_NOT_FOUND, "%s: %s has no partition table", spec, disk);
    if (st == WR_OK)
        st = from_table(spec, t, number, f.dev.sector_size, out, err);
    free(t);
    wr_filedev_close(&f);
    return st;
}
