#include <stdio.h>
#include <string.h>

#include "check.h"
#include "disk/partition.h"
#include "disk/parttype.h"
#include "test_disk_build.h"

#define MIB_512 16384u /* sectors in 8 MiB */

static struct wr_partition_table table;

static struct img standard_image(uint32_t ss)
{
    struct img m = img_new(ss, (uint64_t)8 * 1024 * 1024 / ss);
    gpt_build_standard(&m);
    return m;
}

/* Reads and expects a given status; the message is left in *err. */
static wr_status read_table(struct img *m, struct wr_err *err)
{
    wr_err_clear(err);
    return wr_partition_table_read(img_dev(m), &table, err);
}

static void check_standard(uint32_t ss)
{
    struct img m = standard_image(ss);
    struct wr_err err;
    uint64_t unit = ss == 4096 ? 256 : 2048;
    char text[64];

    CHECK_OK(read_table(&m, &err), &err);
    CHECK_INT(table.kind, WR_TABLE_GPT);
    CHECK_INT(table.count, 3);
    CHECK(!table.used_backup_gpt);
    CHECK(!table.backup_gpt_bad);
    CHECK(memcmp(table.disk_guid.b, guid_of(DISK_GUID).b, 16) == 0);
    CHECK_INT(table.parts[0].number, 1);
    CHECK_INT(table.parts[0].first_lba, unit);
    CHECK_INT(table.parts[0].sector_count, 2 * unit);
    CHECK(wr_partition_is_esp(&table, &table.parts[0]));
    CHECK_STR(table.parts[0].name, "EFI system partition");
    CHECK_STR(table.parts[1].name, "Microsoft reserved partition");
    CHECK_INT(table.parts[2].first_lba, 4 * unit);
    CHECK_INT(table.parts[2].sector_count, 3 * unit);
    CHECK(wr_partition_may_hold_windows(&table, &table.parts[2]));
    CHECK_STR(wr_partition_type_text(&table, &table.parts[1], text, sizeof text),
              "Microsoft reserved");
    wr_guid_format(&table.parts[2].part_guid, text, true);
    CHECK_STR(text, "5717C0DE-0000-4000-8000-000000000003");
    CHECK(wr_partition_find(&table, 3) == &table.parts[2]);
    CHECK(wr_partition_find(&table, 4) == NULL);
    img_free(&m);
}

static void good_gpt_512(void) { check_standard(512); }
static void good_gpt_4096(void) { check_standard(4096); }

static void primary_header_crc_broken_uses_backup(void)
{
    struct img m = standard_image(512);
    struct wr_err err;

    img_sector(&m, 1)[40] ^= 1; /* FirstUsableLBA, CRC now wrong */
    CHECK_OK(read_table(&m, &err), &err);
    CHECK(table.used_backup_gpt);
    CHECK_INT(table.count, 3);
    CHECK_INT(table.parts[2].first_lba, 4 * 2048);
    img_free(&m);
}

static void primary_entries_crc_broken_uses_backup(void)
{
    struct img m = standard_image(4096);
    struct wr_err err;

    img_sector(&m, 2)[56] ^= 0x20; /* a name byte of entry 1 */
    CHECK_OK(read_table(&m, &err), &err);
    CHECK(table.used_backup_gpt);
    CHECK_STR(table.parts[0].name, "EFI system partition");
    img_free(&m);
}

static void both_copies_broken_is_corrupt(void)
{
    struct img m = standard_image(512);
    struct wr_err err;

    img_sector(&m, 1)[16] ^= 1;
    img_sector(&m, m.sectors - 1)[16] ^= 1;
    CHECK_INT(read_table(&m, &err), WR_E_CORRUPT);
    CHECK_MSG(strstr(err.msg, "primary GPT") && strstr(err.msg, "backup GPT") &&
              strstr(err.msg, "header CRC"), "message: %s", err.msg);
    CHECK_INT(table.kind, WR_TABLE_NONE);
    CHECK_INT(table.count, 0);
    img_free(&m);
}

static void backup_missing_is_flagged(void)
{
    struct img m = standard_image(512);
    struct wr_err err;

    memset(img_sector(&m, m.sectors - 1), 0, 512);
    CHECK_OK(read_table(&m, &err), &err);
    CHECK(!table.used_backup_gpt);
    CHECK(table.backup_gpt_bad);
    CHECK_INT(table.count, 3);
    img_free(&m);
}

static void backup_disagreeing_is_flagged(void)
{
    struct img m = standard_image(512);
    uint64_t last = m.sectors - 1, n = gpt_array_sectors(&m);
    struct wr_err err;

    img_sector(&m, last - n)[56] = 'X'; /* backup array differs from primary */
    gpt_fix_crcs(&m, last);
    CHECK_OK(read_table(&m, &err), &err);
    CHECK(table.backup_gpt_bad);
    CHECK_STR(table.parts[0].name, "EFI system partition");
    img_free(&m);
}

/* A disk image that was grown: the backup stays where AlternateLBA says. */
static void backup_found_through_alternate_lba(void)
{
    struct img m = standard_image(512);
    struct wr_err err;
    uint8_t *bigger = calloc(1, m.len * 2);

    memcpy(bigger, m.data, m.len);
    free(m.data);
    m.data = bigger;
    m.len *= 2;
    m.sectors *= 2;
    CHECK_OK(read_table(&m, &err), &err);
    CHECK(!table.backup_gpt_bad);
    img_sector(&m, 1)[16] ^= 1;
    CHECK_OK(read_table(&m, &err), &err);
    CHECK(table.used_backup_gpt);
    CHECK_INT(table.count, 3);
    img_free(&m);
}

/* Applies the same header change to both copies and refreshes their CRCs. */
static void set_both_le32(struct img *m, unsigned off, uint32_t v)
{
    wr_put_le32(img_sector(m, 1) + off, v);
    wr_put_le32(img_sector(m, m->sectors - 1) + off, v);
    gpt_fix_crcs(m, 1);
    gpt_fix_crcs(m, m->sectors - 1);
}

static void set_both_le64(struct img *m, unsigned off, uint64_t v)
{
    wr_put_le64(img_sector(m, 1) + off, v);
    wr_put_le64(img_sector(m, m->sectors - 1) + off, v);
    gpt_fix_crcs(m, 1);
    gpt_fix_crcs(m, m->sectors - 1);
}

static void expect_corrupt(struct img *m, const char *words)
{
    struct wr_err err;
    wr_status st = read_table(m, &err);

    CHECK_MSG(st == WR_E_CORRUPT, "status %d (%s)", st, err.msg);
    CHECK_MSG(strstr(err.msg, words) != NULL, "message \"%s\" lacks \"%s\"", err.msg, words);
    CHECK_MSG(strstr(err.msg, "test.img") != NULL, "message \"%s\" lacks the name", err.msg);
}

static void hostile_entry_count(void)
{
    struct img m = standard_image(512);

    set_both_le32(&m, 80, 0xFFFFFFFFu);
    expect_corrupt(&m, "exceed");
    img_free(&m);
}

static void hostile_entry_size(void)
{
    static const uint32_t sizes[] = { 0, 17, 64, 129, 8192, 0xFFFFFFFFu };

    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        struct img m = standard_image(512);
        set_both_le32(&m, 84, sizes[i]);
        expect_corrupt(&m, "entry size");
        img_free(&m);
        if (check_current_failed())
            return;
    }
}

static void hostile_header_size(void)
{
    static const uint32_t sizes[] = { 0, 91, 513, 0xFFFFFFFFu };

    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        struct img m = standard_image(512);
        set_both_le32(&m, 12, sizes[i]);
        expect_corrupt(&m, "header size");
        img_free(&m);
        if (check_current_failed())
            return;
    }
}

static void hostile_usable_range(void)
{
    struct img m = standard_image(512);

    set_both_le64(&m, 48, m.sectors + 10);
    expect_corrupt(&m, "usable range");
    set_both_le64(&m, 48, 10); /* last usable before first usable */
    expect_corrupt(&m, "usable range");
    img_free(&m);
    /* a usable range over LBA 0 would let a partition cover the MBR */
    m = standard_image(512);
    set_both_le64(&m, 40, 0);
    expect_corrupt(&m, "first usable LBA 0");
    set_both_le64(&m, 40, 1);
    expect_corrupt(&m, "first usable LBA 1");
    img_free(&m);
}

static void hostile_entry_array_position(void)
{
    struct img m = standard_image(512);

    set_both_le64(&m, 72, m.sectors - 3);
    expect_corrupt(&m, "entry array");
    set_both_le64(&m, 72, 0xFFFFFFFFFFFFFFF0ull);
    expect_corrupt(&m, "entry array");
    set_both_le64(&m, 72, 100); /* inside the usable range */
    expect_corrupt(&m, "entry array");
    img_free(&m);
}

static void alternate_inside_usable_range(void)
{
    struct img m = standard_image(512);

    set_both_le64(&m, 32, 5000);
    expect_corrupt(&m, "the other header (LBA 5000)");
    img_free(&m);
}

static void wrong_my_lba(void)
{
    struct img m = standard_image(512);

    set_both_le64(&m, 24, 7);
    expect_corrupt(&m, "header says it is at LBA 7");
    img_free(&m);
}

static void build_two(struct img *m, uint64_t f1, uint64_t l1, uint64_t f2, uint64_t l2)
{
    const struct gpt_part parts[] = {
        { TYPE_ESP, f1, l1, "one", NULL },
        { TYPE_DATA, f2, l2, "two", NULL },
    };
    gpt_build(m, parts, 2);
}

static void entry_past_usable_range(void)
{
    struct img m = img_new(512, MIB_512);

    build_two(&m, 2048, 4095, 4096, m.sectors - 1);
    expect_corrupt(&m, "GPT entry 2");
    build_two(&m, 2048, 4095, 4096, UINT64_MAX);
    expect_corrupt(&m, "GPT entry 2");
    build_two(&m, 1, 4095, 4096, 8191); /* over the header and array */
    expect_corrupt(&m, "GPT entry 1");
    img_free(&m);
}

static void entry_first_after_last(void)
{
    struct img m = img_new(512, MIB_512);

    build_two(&m, 2048, 4095, 8000, 7999);
    expect_corrupt(&m, "GPT entry 2: first LBA 8000 is after last LBA 7999");
    img_free(&m);
}

static void overlapping_entries(void)
{
    struct img m = img_new(512, MIB_512);

    build_two(&m, 2048, 4096, 4096, 8191);
    expect_corrupt(&m, "entries 1 and 2 overlap");
    build_two(&m, 4096, 8191, 2048, 10000); /* one inside the other */
    expect_corrupt(&m, "entries 1 and 2 overlap");
    img_free(&m);
}

static void empty_slots_are_skipped_and_numbered_by_slot(void)
{
    struct img m = img_new(512, MIB_512);
    struct wr_err err;
    const struct gpt_part parts[] = {
        { NULL, 0, 0, NULL, NULL },
        { TYPE_DATA, 2048, 4095, "second", NULL },
        { NULL, 0, 0, NULL, NULL },
        { TYPE_ESP, 4096, 4096, "fourth", NULL },
    };

    gpt_build(&m, parts, 4);
    CHECK_OK(read_table(&m, &err), &err);
    CHECK_INT(table.count, 2);
    CHECK_INT(table.parts[0].number, 2);
    CHECK_INT(table.parts[1].number, 4);
    CHECK_INT(table.parts[1].sector_count, 1);
    img_free(&m);
}

static void too_many_partitions(void)
{
    struct img m = img_new(512, MIB_512);
    uint64_t n = gpt_array_sectors(&m);
    uint8_t *h;
    struct wr_err err;

    gpt_build(&m, NULL, 0);
    /* 256 entries of 128 bytes: 64 sectors at LBA 2; usable from 66. */
    for (int copy = 0; copy < 2; copy++) {
        uint64_t lba = copy ? m.sectors - 1 : 1;
        h = img_sector(&m, lba);
        wr_put_le32(h + 80, 256);
        wr_put_le64(h + 40, 66);
        wr_put_le64(h + 72, copy ? m.sectors - 1 - 2 * n : 2);
    }
    for (unsigned i = 0; i < 256; i++) {
        struct gpt_part p = { TYPE_DATA, 100 + i, 100 + i, "x", NULL };
        gpt_write_entry(img_sector(&m, 2) + i * 128, i, &p);
    }
    memcpy(img_sector(&m, m.sectors - 1 - 2 * n), img_sector(&m, 2), 256 * 128);
    wr_put_le64(img_sector(&m, m.sectors - 1) + 48, m.sectors - 2 - 2 * n);
    wr_put_le64(img_sector(&m, 1) + 48, m.sectors - 2 - 2 * n);
    gpt_fix_crcs(&m, 1);
    gpt_fix_crcs(&m, m.sectors - 1);
    CHECK_INT(read_table(&m, &err), WR_E_TOO_BIG);
    CHECK_MSG(strstr(err.msg, "more than 128") != NULL, "message: %s", err.msg);
    img_free(&m);
}

static void zero_entries_is_an_empty_gpt(void)
{
    struct img m = standard_image(512);
    struct wr_err err;

    set_both_le32(&m, 80, 0);
    CHECK_OK(read_table(&m, &err), &err);
    CHECK_INT(table.kind, WR_TABLE_GPT);
    CHECK_INT(table.count, 0);
    img_free(&m);
}

static void non_ascii_names(void)
{
    struct img m = standard_image(512);
    uint8_t *e = img_sector(&m, 2);
    struct wr_err err;

    /* "é" U+00E9, "€" U+20AC, then a surrogate pair for U+1F600 */
    memset(e + 56, 0, 72);
    wr_put_le16(e + 56, 0x00E9);
    wr_put_le16(e + 58, 0x20AC);
    wr_put_le16(e + 60, 0xD83D);
    wr_put_le16(e + 62, 0xDE00);
    /* entry 2: 36 units of U+4E2D, no terminator: needs 108 bytes + NUL */
    for (int i = 0; i < 36; i++)
        wr_put_le16(e + 128 + 56 + 2 * i, 0x4E2D);
    memcpy(img_sector(&m, m.sectors - 1 - gpt_array_sectors(&m)), e, 256);
    gpt_fix_crcs(&m, 1);
    gpt_fix_crcs(&m, m.sectors - 1);
    CHECK_OK(read_table(&m, &err), &err);
    CHECK_STR(table.parts[0].name, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    CHECK_INT(strlen(table.parts[1].name), 108);
    CHECK(memcmp(table.parts[1].name + 105, "\xE4\xB8\xAD", 3) == 0);
    img_free(&m);
}

static void protective_mbr_without_gpt_is_corrupt(void)
{
    struct img m = img_new(512, 4096);

    mbr_record(&m, 0, 0, 0, 0xEE, 1, 4095);
    expect_corrupt(&m, "protective MBR");
    img_free(&m);
}

static void gpt_without_protective_mbr_is_read(void)
{
    struct img m = standard_image(512);
    struct wr_err err;

    memset(m.data, 0, 512);
    CHECK_OK(read_table(&m, &err), &err);
    CHECK_INT(table.kind, WR_TABLE_GPT);
    CHECK_INT(table.count, 3);
    img_free(&m);
}

static void tiny_disks(void)
{
    struct wr_err err;

    for (uint64_t n = 0; n < 5; n++) {
        struct img m = img_new(512, n);
        if (n)
            memset(m.data, 0xFF, m.len);
        CHECK_OK(read_table(&m, &err), &err);
        CHECK_INT(table.kind, WR_TABLE_NONE);
        img_free(&m);
    }
}

/* A device with unreadable sectors, as a failing disk has. */
struct faulty {
    struct wr_blockdev dev;
    const struct wr_blockdev *inner;
    uint64_t bad[2];
};

static wr_status faulty_read(void *ctx, uint64_t lba, uint64_t count, void *buf,
                             struct wr_err *err)
{
    struct faulty *f = ctx;

    for (int i = 0; i < 2; i++)
        if (f->bad[i] >= lba && f->bad[i] < lba + count)
            return wr_fail(err, WR_E_IO, "faulty.img: unreadable sector %llu",
                           (unsigned long long)f->bad[i]);
    return wr_blockdev_read(f->inner, lba, count, buf, err);
}

static wr_status read_faulty(struct img *m, uint64_t bad1, uint64_t bad2, struct wr_err *err)
{
    struct faulty f = { .inner = img_dev(m), .bad = { bad1, bad2 } };

    f.dev = *f.inner;
    f.dev.name = "faulty.img";
    f.dev.ctx = &f;
    f.dev.read = faulty_read;
    wr_err_clear(err);
    return wr_partition_table_read(&f.dev, &table, err);
}

static void unreadable_sectors(void)
{
    struct img m = standard_image(512);
    uint64_t last = m.sectors - 1;
    struct wr_err err;

    /* primary header or array unreadable: the backup serves */
    CHECK_OK(read_faulty(&m, 1, UINT64_MAX, &err), &err);
    CHECK(table.used_backup_gpt);
    CHECK_INT(table.count, 3);
    CHECK_OK(read_faulty(&m, 20, UINT64_MAX, &err), &err);
    CHECK(table.used_backup_gpt);
    /* backup unreadable: flagged */
    CHECK_OK(read_faulty(&m, last, UINT64_MAX, &err), &err);
    CHECK(!table.used_backup_gpt && table.backup_gpt_bad);
    /* both unreadable, or the MBR: the read error, not a guess */
    CHECK_INT(read_faulty(&m, 1, last, &err), WR_E_IO);
    CHECK_MSG(strstr(err.msg, "unreadable sector 1") != NULL, "message: %s", err.msg);
    CHECK_INT(read_faulty(&m, 0, UINT64_MAX, &err), WR_E_IO);
    CHECK_MSG(strstr(err.msg, "unreadable sector 0") != NULL, "message: %s", err.msg);
    /* primary missing, backup unreadable */
    memset(img_sector(&m, 1), 0, 512);
    CHECK_INT(read_faulty(&m, last, UINT64_MAX, &err), WR_E_IO);
    img_free(&m);
}

static void entry_array_over_header(void)
{
    struct img m = standard_image(512);

    wr_put_le64(img_sector(&m, 1) + 72, 1);
    gpt_fix_crcs(&m, 1);
    memset(img_sector(&m, m.sectors - 1), 0, 512);
    expect_corrupt(&m, "covers the header");
    img_free(&m);
}

static void gpt_for_another_sector_size_is_named(void)
{
    struct img m = standard_image(512);

    m.ss = 4096;
    expect_corrupt(&m, "written for 512-byte sectors, but the device has 4096-byte sectors");
    img_free(&m);
    m = standard_image(4096);
    m.ss = 512;
    m.sectors *= 8;
    expect_corrupt(&m, "written for 4096-byte sectors, but the device has 512-byte sectors");
    img_free(&m);
}

int main(void)
{
    RUN(good_gpt_512);
    RUN(good_gpt_4096);
    RUN(primary_header_crc_broken_uses_backup);
    RUN(primary_entries_crc_broken_uses_backup);
    RUN(both_copies_broken_is_corrupt);
    RUN(backup_missing_is_flagged);
    RUN(backup_disagreeing_is_flagged);
    RUN(backup_found_through_alternate_lba);
    RUN(hostile_entry_count);
    RUN(hostile_entry_size);
    RUN(hostile_header_size);
    RUN(hostile_usable_range);
    RUN(hostile_entry_array_position);
    RUN(wrong_my_lba);
    RUN(alternate_inside_usable_range);
    RUN(entry_past_usable_range);
    RUN(entry_first_after_last);
    RUN(overlapping_entries);
    RUN(empty_slots_are_skipped_and_numbered_by_slot);
    RUN(too_many_partitions);
    RUN(zero_entries_is_an_empty_gpt);
    RUN(non_ascii_names);
    RUN(protective_mbr_without_gpt_is_corrupt);
    RUN(gpt_without_protective_mbr_is_read);
    RUN(tiny_disks);
    RUN(unreadable_sectors);
    RUN(entry_array_over_header);
    RUN(gpt_for_another_sector_size_is_named);
    return check_done();
}
