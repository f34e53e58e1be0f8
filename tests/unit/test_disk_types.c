#include <string.h>

#include "check.h"
#include "disk/crc32.h"
#include "disk/parttype.h"

static void crc32_known_values(void)
{
    CHECK_INT(wr_crc32(0, "123456789", 9), 0xCBF43926u);
    CHECK_INT(wr_crc32(0, "", 0), 0);
    CHECK_INT(wr_crc32(0, "The quick brown fox jumps over the lazy dog", 43), 0x414FA339u);
    /* chaining equals one pass */
    CHECK_INT(wr_crc32(wr_crc32(0, "12345", 5), "6789", 4), 0xCBF43926u);
}

static struct wr_guid parse(const char *text)
{
    struct wr_guid g;
    wr_guid_parse(text, &g, NULL);
    return g;
}

static void gpt_type_names(void)
{
    static const struct { const char *guid, *name; } known[] = {
        { "C12A7328-F81F-11D2-BA4B-00A0C93EC93B", "EFI system" },
        { "E3C9E316-0B5C-4DB8-817D-F92DF00215AE", "Microsoft reserved" },
        { "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7", "Microsoft basic data" },
        { "DE94BBA4-06D1-4D40-A16A-BFD50179D6AC", "Windows recovery" },
        { "5808C8AA-7E8F-42E0-85D2-E1E90434CFB3", "Windows LDM metadata" },
        { "AF9B60A0-1431-4F62-BC68-3311714A69AD", "Windows LDM data" },
        { "E75CAF8F-F680-4CEE-AFA3-B001E56EFC2D", "Storage Spaces" },
        { "0FC63DAF-8483-4772-8E79-3D69D8477DE4", "Linux filesystem" },
        { "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F", "Linux swap" },
        { "E6D6D379-F507-44C2-A23C-238F2A3DF928", "Linux LVM" },
        { "A19D880F-05FC-4D3B-A006-743F0F84911E", "Linux RAID" },
        { "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709", "Linux root (x86-64)" },
        { "933AC7E1-2EB4-4F13-B844-0E14E2AEF915", "Linux home" },
        { "21686148-6449-6E6F-744E-656564454649", "BIOS boot" },
        { "48465300-0000-11AA-AA11-00306543ECAC", "Apple HFS+" },
        { "7C3457EF-0000-11AA-AA11-00306543ECAC", "Apple APFS" },
        { "FE3A2A5D-4F32-41A7-B725-ACCC3285A309", "ChromeOS kernel" },
    };

    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        struct wr_guid g = parse(known[i].guid);
        CHECK_STR(wr_gpt_type_name(&g), known[i].name);
    }
    {
        struct wr_guid g = parse("00000000-0000-0000-0000-000000000001");
        CHECK(wr_gpt_type_name(&g) == NULL);
    }
    {
        struct wr_guid esp = parse("C12A7328-F81F-11D2-BA4B-00A0C93EC93B");
        struct wr_guid msr = parse("E3C9E316-0B5C-4DB8-817D-F92DF00215AE");
        struct wr_guid data = parse("EBD0A0A2-B9E5-4433-87C0-68B6B72699C7");
        struct wr_guid re = parse("DE94BBA4-06D1-4D40-A16A-BFD50179D6AC");
        CHECK(wr_guid_equal(&wr_gpt_type_esp, &esp));
        CHECK(wr_guid_equal(&wr_gpt_type_msr, &msr));
        CHECK(wr_guid_equal(&wr_gpt_type_basic_data, &data));
        CHECK(wr_guid_equal(&wr_gpt_type_winre, &re));
    }
}

static void mbr_type_names(void)
{
    CHECK_STR(wr_mbr_type_name(0x07), "NTFS/exFAT");
    CHECK_STR(wr_mbr_type_name(0x27), "Windows recovery");
    CHECK_STR(wr_mbr_type_name(0x42), "Windows dynamic");
    CHECK_STR(wr_mbr_type_name(0xEF), "EFI system");
    CHECK_STR(wr_mbr_type_name(0x0C), "FAT32 (LBA)");
    CHECK_STR(wr_mbr_type_name(0x05), "Extended");
    CHECK_STR(wr_mbr_type_name(0x0F), "Extended (LBA)");
    CHECK_STR(wr_mbr_type_name(0xEE), "GPT protective");
    CHECK_STR(wr_mbr_type_name(0x83), "Linux");
    CHECK(wr_mbr_type_name(0x00) == NULL);
    CHECK(wr_mbr_type_name(0x99) == NULL);
}

static struct wr_partition_table t;

static void type_text_and_questions(void)
{
    struct wr_partition *p = &t.parts[0];
    char buf[64];

    memset(&t, 0, sizeof t);
    t.kind = WR_TABLE_GPT;
    t.count = 1;
    p->type_guid = parse("01234567-89AB-CDEF-0123-456789ABCDEF");
    CHECK_STR(wr_partition_type_text(&t, p, buf, sizeof buf),
              "01234567-89AB-CDEF-0123-456789ABCDEF");
    CHECK(!wr_partition_is_esp(&t, p));
    CHECK(!wr_partition_may_hold_windows(&t, p));
    p->type_guid = wr_gpt_type_winre;
    CHECK_STR(wr_partition_type_text(&t, p, buf, sizeof buf), "Windows recovery");
    CHECK(!wr_partition_may_hold_windows(&t, p));
    p->type_guid = wr_gpt_type_basic_data;
    CHECK(wr_partition_may_hold_windows(&t, p));
    p->mbr_type = 0xEF; /* MBR fields mean nothing on a GPT disk */
    CHECK(!wr_partition_is_esp(&t, p));

    memset(&t, 0, sizeof t);
    t.kind = WR_TABLE_MBR;
    p->mbr_type = 0x9A;
    CHECK_STR(wr_partition_type_text(&t, p, buf, sizeof buf), "type 0x9A");
    p->mbr_type = 0xEF;
    CHECK(wr_partition_is_esp(&t, p));
    CHECK_STR(wr_partition_type_text(&t, p, buf, sizeof buf), "EFI system");
    p->mbr_type = 0x07;
    CHECK(wr_partition_may_hold_windows(&t, p));
    CHECK(!wr_partition_is_esp(&t, p));
    p->type_guid = wr_gpt_type_esp; /* GPT fields mean nothing on an MBR disk */
    p->mbr_type = 0x0C;
    CHECK(!wr_partition_is_esp(&t, p));
    CHECK(!wr_partition_may_hold_windows(&t, p));
    /* short buffers are truncated, not overrun */
    CHECK_STR(wr_partition_type_text(&t, p, buf, 5), "FAT3");
}

int main(void)
{
    RUN(crc32_known_values);
    RUN(gpt_type_names);
    RUN(mbr_type_names);
    RUN(type_text_and_questions);
    return check_done();
}
