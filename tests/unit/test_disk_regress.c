/* Replays the inputs in tests/data/disk/ (fuzzer finds, minimised) through
 * the same path as fuzz/disk_table.c, and checks what the parser promises:
 * success means every partition lies on the disk without overlapping another
 * and with a unique number; failure means a message naming the device. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "disk/fsprobe.h"
#include "disk/partition.h"
#include "disk/parttype.h"

#define DATA_DIR "tests/data/disk"

static struct wr_partition_table table;

static bool overlaps(const struct wr_partition *a, const struct wr_partition *b)
{
    return a->first_lba < b->first_lba + b->sector_count &&
           b->first_lba < a->first_lba + a->sector_count;
}

/* MBR extended partitions contain their logicals by design. */
static bool container(const struct wr_partition *p)
{
    return p->mbr_type == 0x05 || p->mbr_type == 0x0F || p->mbr_type == 0x85;
}

static void check_promises(const char *file, const struct wr_blockdev *dev)
{
    for (uint32_t i = 0; i < table.count; i++) {
        const struct wr_partition *a = &table.parts[i];
        struct wr_blockdev_slice slice;
        struct wr_fs_info info;
        struct wr_err err;
        char text[64];

        CHECK_MSG(a->sector_count > 0 && a->first_lba > 0 &&
                  a->first_lba + a->sector_count <= dev->sector_count,
                  "%s: partition %u (%llu+%llu) is off the disk", file, a->number,
                  (unsigned long long)a->first_lba, (unsigned long long)a->sector_count);
        for (uint32_t j = i + 1; j < table.count; j++) {
            const struct wr_partition *b = &table.parts[j];
            CHECK_MSG(a->number != b->number, "%s: number %u twice", file, a->number);
            CHECK_MSG(table.kind == WR_TABLE_MBR && (container(a) || container(b)) ? true
                                                                                   : !overlaps(a, b),
                      "%s: partitions %u and %u overlap", file, a->number, b->number);
        }
        CHECK_OK(wr_blockdev_slice_init(&slice, dev, a->first_lba, a->sector_count, "part",
                                        &err), &err);
        CHECK_OK(wr_fs_probe(&slice.dev, &info, &err), &err);
        CHECK(strlen(info.label) < sizeof info.label);
        CHECK(wr_partition_type_text(&table, a, text, sizeof text) == text);
    }
}

/* What the hand-made inputs must give at 512 bytes per sector (see
 * tests/data/disk/README.md); fuzzer finds only need to keep the promises. */
static const struct {
    const char *file;
    wr_status status;
    const char *words;
    uint32_t count;
} expected[] = {
    { "ebr-self-loop.img", WR_E_CORRUPT, "loops back", 0 },
    { "gpt-count-ffffffff.img", WR_E_CORRUPT, "entries of 128 bytes exceed", 0 },
    { "gpt-tiny-good.img", WR_OK, "", 2 },
    { "gpt-tiny-overlap.img", WR_E_CORRUPT, "GPT entries 1 and 2 overlap", 0 },
    { "fuzz-mbr-past-end.bin", WR_E_CORRUPT, "outside the disk", 0 },
    { "fuzz-protective-no-gpt.bin", WR_E_CORRUPT, "protective MBR", 0 },
    { "fuzz-gpt-backup-usable-lba0.bin", WR_E_CORRUPT, "first usable LBA 0", 0 },
};

static void check_expected(const char *file, wr_status st, const char *msg)
{
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        if (strcmp(expected[i].file, file) != 0)
            continue;
        CHECK_MSG(st == expected[i].status && strstr(msg, expected[i].words),
                  "%s: status %d \"%s\", expected %d \"%s\"", file, st, msg,
                  expected[i].status, expected[i].words);
        CHECK_MSG(st != WR_OK || table.count == expected[i].count, "%s: %u partitions", file,
                  table.count);
    }
}

static void replay(const char *file, uint8_t *data, size_t len, uint32_t ss)
{
    struct wr_memdev mem;
    struct wr_err err;
    wr_status st;

    if (len < ss)
        return;
    CHECK_OK(wr_memdev_init(&mem, data, len, ss, false, "regress.img", &err), &err);
    wr_err_clear(&err);
    st = wr_partition_table_read(&mem.dev, &table, &err);
    if (ss == 512)
        check_expected(file, st, err.msg);
    if (st == WR_OK) {
        check_promises(file, &mem.dev);
        return;
    }
    CHECK_MSG(strstr(err.msg, "regress.img") != NULL, "%s (%u): status %d, message \"%s\"",
              file, ss, st, err.msg);
}

static void replay_all(void)
{
    DIR *d = opendir(DATA_DIR);
    struct dirent *e;
    int files = 0;

    if (!d)
        SKIP("%s not found (run from the repository root)", DATA_DIR);
    while ((e = readdir(d)) != NULL && !check_current_failed()) {
        char path[512];
        size_t len;
        uint8_t *data;

        if (e->d_name[0] == '.' || strstr(e->d_name, ".md"))
            continue;
        snprintf(path, sizeof path, "%s/%s", DATA_DIR, e->d_name);
        data = check_read_file(path, &len);
        CHECK_MSG(data != NULL, "cannot read %s", path);
        replay(e->d_name, data, len, 512);
        replay(e->d_name, data, len, 4096);
        free(data);
        files++;
    }
    closedir(d);
    CHECK_MSG(files >= (int)(sizeof expected / sizeof expected[0]), "only %d inputs in %s",
              files, DATA_DIR);
}

int main(void)
{
    RUN(replay_all);
    return check_done();
}
