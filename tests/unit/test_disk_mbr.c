#include <stdio.h>
#include <string.h>

#include "check.h"
#include "disk/partition.h"
#include "disk/parttype.h"
#include "test_disk_build.h"

static struct wr_partition_table table;

static wr_status read_table(struct img *m, struct wr_err *err)
{
    wr_err_clear(err);
    return wr_partition_table_read(img_dev(m), &table, err);
}

static void expect_status(struct img *m, wr_status want, const char *words)
{
    struct wr_err err;
    wr_status st = read_table(m, &err);

    CHECK_MSG(st == want, "status %d, expected %d (%s)", st, want, err.msg);
    CHECK_MSG(strstr(err.msg, words) != NULL, "message \"%s\" lacks \"%s\"", err.msg, words);
    if (st != WR_OK)
        CHECK_MSG(table.count == 0 && table.kind == WR_TABLE_NONE, "a failed read left %u partitions",
                  table.count);
}

/* Two primaries, an extended partition at 20000..39999 holding three
 * logicals, each EBR one sector before its logical's data. */
static void build_extended(struct img *m, uint32_t ext_type)
{
    memset(m->data, 0, m->len);
    wr_put_le32(img_sector(m, 0) + 0x1B8, 0x1234ABCD);
    mbr_record(m, 0, 0, 0x80, 0x07, 2048, 8192);
    mbr_record(m, 0, 1, 0x00, 0x0C, 10240, 8192);
    mbr_record(m, 0, 2, 0x00, (uint8_t)ext_type, 20000, 20000);
    /* EBR 1 at 20000: logical at +63, link to 25000 (relative 5000) */
    mbr_record(m, 20000, 0, 0, 0x83, 63, 1000);
    mbr_record(m, 20000, 1, 0, 0x05, 5000, 6000);
    /* EBR 2 at 25000: logical at +2048, link to 31000 */
    mbr_record(m, 25000, 0, 0, 0x07, 2048, 3000);
    mbr_record(m, 25000, 1, 0, 0x05, 11000, 9000);
    /* EBR 3 at 31000: last logical, no link */
    mbr_record(m, 31000, 0, 0x80, 0x82, 1, 8999);
}

static void check_extended_layout(uint32_t ext_type)
{
    struct img m = img_new(512, 65536);
    struct wr_err err;
    const struct wr_partition *p;
    char text[64];

    build_extended(&m, ext_type);
    CHECK_OK(read_table(&m, &err), &err);
    CHECK_INT(table.kind, WR_TABLE_MBR);
    CHECK_INT(table.mbr_signature, 0x1234ABCD);
    CHECK_INT(table.count, 6);
    p = wr_partition_find(&table, 1);
    CHECK(p && p->first_lba == 2048 && p->sector_count == 8192 && p->mbr_active);
    CHECK(wr_partition_may_hold_windows(&table, p));
    CHECK_INT(p->mbr_entry_offset, 0x1BE);
    p = wr_partition_find(&table, 2);
    CHECK(p && !p->mbr_active && p->mbr_type == 0x0C);
    CHECK_STR(wr_partition_type_text(&table, p, text, sizeof text), "FAT32 (LBA)");
    p = wr_partition_find(&table, 3);
    CHECK(p && p->mbr_type == ext_type && p->mbr_entry_offset == 0x1BE + 32);
    CHECK(wr_partition_find(&table, 4) == NULL);
    p = wr_partition_find(&table, 5);
    CHECK(p && p->first_lba == 20063 && p->sector_count == 1000 && p->mbr_type == 0x83);
    CHECK_INT(p->mbr_entry_offset, 20000ull * 512 + 0x1BE);
    p = wr_partition_find(&table, 6);
    CHECK(p && p->first_lba == 27048 && p->sector_count == 3000 && p->mbr_type == 0x07);
    CHECK_INT(p->mbr_entry_offset, 25000ull * 512 + 0x1BE);
    p = wr_partition_find(&table, 7);
    CHECK(p && p->first_lba == 31001 && p->sector_count == 8999 && p->mbr_active);
    CHECK_INT(p->mbr_entry_offset, 31000ull * 512 + 0x1BE);
    CHECK(wr_partition_find(&table, 8) == NULL);
    img_free(&m);
}

static void extended_chain_of_three(void) { check_extended_layout(0x05); }
static void extended_lba_chain_of_three(void) { check_extended_layout(0x0F); }

static void mbr_on_4096_byte_sectors(void)
{
    struct img m = img_new(4096, 2048);
    struct wr_err err;

    mbr_record(&m, 0, 0, 0, 0xEF, 256, 512);
    mbr_record(&m, 0, 1, 0, 0x05, 1000, 1000);
    mbr_record(&m, 1000, 0, 0, 0x07, 8, 100);
    CHECK_OK(read_table(&m, &err), &err);
    CHECK_INT(table.count, 3);
    CHECK(wr_partition_is_esp(&table, &table.parts[0]));
    CHECK_INT(table.parts[2].number, 5);
    CHECK_INT(table.parts[2].first_lba, 1008);
    CHECK_INT(table.parts[2].mbr_entry_offset, 1000ull * 4096 + 0x1BE);
    img_free(&m);
}

static void looping_chain_is_corrupt(void)
{
    struct img m = img_new(512, 65536);

    build_extended(&m, 0x05);
    mbr_record(&m, 31000, 1, 0, 0x05, 5000, 6000); /* back to EBR 2 */
    expect_status(&m, WR_E_CORRUPT, "loops back to the EBR at LBA 25000");
    mbr_record(&m, 20000, 1, 0, 0x05, 0, 6000); /* EBR 1 links to itself */
    expect_status(&m, WR_E_CORRUPT, "loops back to the EBR at LBA 20000");
    img_free(&m);
}

static void overlong_chain_is_capped(void)
{
    struct img m = img_new(512, 4096);

    mbr_record(&m, 0, 0, 0, 0x0F, 100, 3900);
    /* Link-only EBRs (no logicals) one after another: no loop, no partitions. */
    for (uint32_t i = 0; i < 300; i++)
        mbr_record(&m, 100 + i, 1, 0, 0x05, i + 1, 1);
    expect_status(&m, WR_E_TOO_BIG, "longer than 128");
    img_free(&m);
}

static void link_outside_extended_is_corrupt(void)
{
    struct img m = img_new(512, 65536);

    build_extended(&m, 0x05);
    mbr_record(&m, 25000, 1, 0, 0x05, 20000, 10);
    expect_status(&m, WR_E_CORRUPT, "outside the extended partition");
    mbr_record(&m, 25000, 1, 0, 0x05, 0xFFFFFFFFu, 10);
    expect_status(&m, WR_E_CORRUPT, "outside the extended partition");
    img_free(&m);
}

static void logical_outside_extended_is_corrupt(void)
{
    struct img m = img_new(512, 65536);

    build_extended(&m, 0x05);
    mbr_record(&m, 31000, 0, 0, 0x07, 1, 9000); /* one sector too long */
    expect_status(&m, WR_E_CORRUPT, "logical partition 7");
    mbr_record(&m, 31000, 0, 0, 0x07, 0xFFFFFFFFu, 0xFFFFFFFFu);
    expect_status(&m, WR_E_CORRUPT, "logical partition 7");
    mbr_record(&m, 31000, 0, 0, 0x07, 0, 10); /* over its own EBR */
    expect_status(&m, WR_E_CORRUPT, "logical partition 7");
    img_free(&m);
}

static void overlapping_logicals_are_corrupt(void)
{
    struct img m = img_new(512, 65536);

    build_extended(&m, 0x05);
    mbr_record(&m, 25000, 0, 0, 0x07, 2048, 7000); /* runs into logical 7 */
    expect_status(&m, WR_E_CORRUPT, "partitions 6 and 7 overlap");
    img_free(&m);
}

static void logical_over_a_later_ebr_is_corrupt(void)
{
    struct img m = img_new(512, 65536);

    build_extended(&m, 0x05);
    /* logical 5 grows to 20063..25062, over EBR 2 at 25000 but short of logical 6 */
    mbr_record(&m, 20000, 0, 0, 0x83, 63, 5000);
    expect_status(&m, WR_E_CORRUPT, "logical partition 5 covers the EBR at LBA 25000");
    img_free(&m);
}

static void missing_ebr_signature(void)
{
    struct img m = img_new(512, 65536);
    struct wr_err err;

    build_extended(&m, 0x05);
    img_sector(&m, 31000)[510] = 0;
    expect_status(&m, WR_E_CORRUPT, "EBR at LBA 31000 lacks");
    /* An extended partition whose first EBR is blank simply holds nothing. */
    memset(img_sector(&m, 20000), 0, 512);
    CHECK_OK(read_table(&m, &err), &err);
    CHECK_INT(table.count, 3);
    img_free(&m);
}

static void primary_outside_disk_is_corrupt(void)
{
    struct img m = img_new(512, 8192);

    mbr_record(&m, 0, 1, 0, 0x07, 2048, 8192);
    expect_status(&m, WR_E_CORRUPT, "MBR partition 2: sectors 2048+8192 lie outside the disk");
    mbr_record(&m, 0, 1, 0, 0x07, 0xFFFFFFFFu, 0xFFFFFFFFu);
    expect_status(&m, WR_E_CORRUPT, "MBR partition 2");
    mbr_record(&m, 0, 1, 0, 0x07, 0, 100); /* over the MBR itself */
    expect_status(&m, WR_E_CORRUPT, "MBR partition 2");
    img_free(&m);
}

static void mbr_for_512_on_4096_device_is_named(void)
{
    struct img m = img_new(512, 8192);

    mbr_record(&m, 0, 0, 0, 0x07, 2048, 6144);
    m.ss = 4096;
    expect_status(&m, WR_E_CORRUPT, "written for 512-byte sectors");
    img_free(&m);
}

static void overlapping_primaries_are_corrupt(void)
{
    struct img m = img_new(512, 8192);

    mbr_record(&m, 0, 0, 0, 0x07, 100, 1000);
    mbr_record(&m, 0, 3, 0, 0x0C, 1099, 10);
    expect_status(&m, WR_E_CORRUPT, "partitions 1 and 4 overlap");
    img_free(&m);
}

static void blank_disk_is_none(void)
{
    struct img m = img_new(512, 8192);
    struct wr_err err;

    CHECK_OK(read_table(&m, &err), &err);
    CHECK_INT(table.kind, WR_TABLE_NONE);
    CHECK_INT(table.count, 0);
    /* partition records but no 0x55AA: still nothing */
    mbr_record(&m, 0, 0, 0, 0x07, 100, 1000);
    img_sector(&m, 0)[511] = 0;
    CHECK_OK(read_table(&m, &err), &err);
    CHECK_INT(table.kind, WR_TABLE_NONE);
    img_free(&m);
}

static void empty_mbr_is_mbr_without_partitions(void)
{
    struct img m = img_new(512, 8192);
    struct wr_err err;

    wr_put_le32(img_sector(&m, 0) + 0x1B8, 0xCAFEF00D);
    img_sector(&m, 0)[510] = 0x55;
    img_sector(&m, 0)[511] = 0xAA;
    CHECK_OK(read_table(&m, &err), &err);
    CHECK_INT(table.kind, WR_TABLE_MBR);
    CHECK_INT(table.count, 0);
    CHECK_INT(table.mbr_signature, 0xCAFEF00D);
    img_free(&m);
}

/* A volume boot sector (superfloppy) has 0x55AA and boot code where the
 * records would be: not a partition table. */
static void boot_sector_is_not_an_mbr(void)
{
    struct img m = img_new(512, 8192);
    struct wr_err err;

    memset(img_sector(&m, 0) + 0x1BE, 0x4C, 64);
    mbr_record(&m, 0, 3, 0x00, 0x0B, 0, 0); /* signature only */
    memset(img_sector(&m, 0) + 0x1BE, 0x4C, 64);
    CHECK_OK(read_table(&m, &err), &err);
    CHECK_INT(table.kind, WR_TABLE_NONE);
    img_free(&m);
}

static void protective_mbr_gives_gpt(void)
{
    struct img m = img_new(512, 16384);
    struct wr_err err;

    gpt_build_standard(&m);
    wr_put_le32(img_sector(&m, 0) + 0x1B8, 0xA1B2C3D4);
    CHECK_OK(read_table(&m, &err), &err);
    CHECK_INT(table.kind, WR_TABLE_GPT);
    CHECK_INT(table.count, 3);
    CHECK_INT(table.mbr_signature, 0xA1B2C3D4);
    /* A hybrid MBR (0xEE plus a real record) is still GPT. */
    mbr_record(&m, 0, 1, 0x80, 0x0C, 2048, 4096);
    CHECK_OK(read_table(&m, &err), &err);
    CHECK_INT(table.kind, WR_TABLE_GPT);
    img_free(&m);
}

/* Repartitioning tools often leave the backup GPT behind: the MBR rules. */
static void real_mbr_beats_stale_gpt(void)
{
    struct img m = img_new(512, 16384);
    struct wr_err err;

    gpt_build_standard(&m);
    memset(m.data, 0, 512 * 40); /* MBR, primary header and array gone */
    mbr_record(&m, 0, 0, 0x80, 0x07, 2048, 8192);
    CHECK_OK(read_table(&m, &err), &err);
    CHECK_INT(table.kind, WR_TABLE_MBR);
    CHECK_INT(table.count, 1);
    CHECK(!table.used_backup_gpt);
    /* Without the MBR, the surviving backup GPT is what is left. */
    memset(m.data, 0, 512);
    CHECK_OK(read_table(&m, &err), &err);
    CHECK_INT(table.kind, WR_TABLE_GPT);
    CHECK(table.used_backup_gpt);
    img_free(&m);
}

static void several_extended_follow_first(void)
{
    struct img m = img_new(512, 65536);
    struct wr_err err;

    build_extended(&m, 0x05);
    mbr_record(&m, 0, 3, 0, 0x85, 40000, 1000); /* a second one, left alone */
    CHECK_OK(read_table(&m, &err), &err);
    CHECK_INT(table.count, 7);
    CHECK(wr_partition_find(&table, 4) != NULL);
    CHECK(wr_partition_find(&table, 7) != NULL);
    img_free(&m);
}

int main(void)
{
    RUN(extended_chain_of_three);
    RUN(extended_lba_chain_of_three);
    RUN(mbr_on_4096_byte_sectors);
    RUN(looping_chain_is_corrupt);
    RUN(overlong_chain_is_capped);
    RUN(link_outside_extended_is_corrupt);
    RUN(logical_outside_extended_is_corrupt);
    RUN(overlapping_logicals_are_corrupt);
    RUN(logical_over_a_later_ebr_is_corrupt);
    RUN(missing_ebr_signature);
    RUN(primary_outside_disk_is_corrupt);
    RUN(mbr_for_512_on_4096_device_is_named);
    RUN(overlapping_primaries_are_corrupt);
    RUN(blank_disk_is_none);
    RUN(empty_mbr_is_mbr_without_partitions);
    RUN(boot_sector_is_not_an_mbr);
    RUN(protective_mbr_gives_gpt);
    RUN(real_mbr_beats_stale_gpt);
    RUN(several_extended_follow_first);
    return check_done();
}
