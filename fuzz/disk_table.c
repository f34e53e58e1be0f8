/* The input is a whole disk image, read as a 512- and as a 4096-byte-sector
 * device: table parsing, then a filesystem probe of every partition found. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/blockdev.h"
#include "base/bytes.h"
#include "disk/crc32.h"
#include "disk/fsprobe.h"
#include "disk/partition.h"
#include "disk/parttype.h"

static bool is_container(const struct wr_partition *p)
{
    return p->mbr_type == 0x05 || p->mbr_type == 0x0F || p->mbr_type == 0x85;
}

/* What a successful read promises: unique numbers, no overlaps except an
 * MBR extended partition around its logicals. */
static void check_promises(const struct wr_partition_table *t)
{
    if (t->count > WR_MAX_PARTITIONS)
        abort();
    for (uint32_t i = 0; i < t->count; i++) {
        const struct wr_partition *a = &t->parts[i];
        if (a->sector_count == 0 || a->first_lba == 0)
            abort();
        for (uint32_t j = i + 1; j < t->count; j++) {
            const struct wr_partition *b = &t->parts[j];
            bool overlap = a->first_lba < b->first_lba + b->sector_count &&
                           b->first_lba < a->first_lba + a->sector_count;
            if (a->number == b->number)
                abort();
            if (overlap && !(t->kind == WR_TABLE_MBR && (is_container(a) || is_container(b))))
                abort();
        }
    }
}

static void probe_partitions(const struct wr_blockdev *disk,
                             const struct wr_partition_table *t)
{
    check_promises(t);
    for (uint32_t i = 0; i < t->count; i++) {
        const struct wr_partition *p = &t->parts[i];
        struct wr_blockdev_slice slice;
        struct wr_fs_info info;
        char text[64];

        wr_partition_type_text(t, p, text, sizeof text);
        wr_partition_is_esp(t, p);
        wr_partition_may_hold_windows(t, p);
        /* The parser promised every partition lies on the disk. */
        if (wr_blockdev_slice_init(&slice, disk, p->first_lba, p->sector_count, "part",
                                   NULL) != WR_OK)
            abort();
        if (wr_fs_probe(&slice.dev, &info, NULL) == WR_OK && strlen(info.label) >= sizeof info.label)
            abort();
    }
}

static void run(const uint8_t *data, size_t size, uint32_t sector_size)
{
    static struct wr_partition_table table;
    struct wr_memdev mem;
    struct wr_err err;

    if (wr_memdev_init(&mem, (uint8_t *)data, size, sector_size, false, "fuzz.img", &err))
        return;
    if (wr_partition_table_read(&mem.dev, &table, &err) == WR_OK)
        probe_partitions(&mem.dev, &table);
    else if (err.msg[0] == '\0')
        abort(); /* every failure must say what is wrong */
    {
        struct wr_fs_info info;
        wr_fs_probe(&mem.dev, &info, NULL);
    }
}

/* Random bytes almost never carry valid CRCs, which would keep the fuzzer
 * at the door; so each GPT header in a copy of the input gets its CRCs
 * recomputed, letting mutations reach the field and entry checks. */
static void fix_header(uint8_t *img, size_t size, uint32_t ss, uint64_t lba)
{
    uint8_t *h;
    uint64_t entries;
    uint64_t bytes;
    uint32_t hsize;

    if (lba > size / ss - 1 || memcmp(img + lba * ss, "EFI PART", 8) != 0)
        return;
    h = img + lba * ss;
    entries = wr_le64(h + 72);
    bytes = (uint64_t)wr_le32(h + 80) * wr_le32(h + 84);
    if (bytes <= (1u << 20) && entries < size / ss && bytes <= size - entries * ss)
        wr_put_le32(h + 88, wr_crc32(0, img + entries * ss, (size_t)bytes));
    hsize = wr_le32(h + 12);
    if (hsize >= 92 && hsize <= ss) {
        wr_put_le32(h + 16, 0);
        wr_put_le32(h + 16, wr_crc32(0, h, hsize));
    }
}

static void run_with_fixed_crcs(const uint8_t *data, size_t size, uint32_t ss)
{
    uint8_t *copy;

    if (size < 3 * (size_t)ss)
        return;
    copy = malloc(size);
    if (!copy)
        return;
    memcpy(copy, data, size);
    fix_header(copy, size, ss, 1);
    fix_header(copy, size, ss, size / ss - 1);
    run(copy, size, ss);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run(data, size, 512);
    run(data, size, 4096);
    run_with_fixed_crcs(data, size, 512);
    run_with_fixed_crcs(data, size, 4096);
    return 0;
}
