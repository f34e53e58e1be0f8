/* The finder on the generated images: a Windows on a GPT partition, the
 * whole-disk volumes, encrypted and unsupported ones; PE and layout helpers. */
#include "check.h"
#include "disk/partition.h"
#include "ntfs_testlib.h"
#include "windows/layout.h"
#include "windows/windows.h"

#define NEED_IMAGES() do { if (access(NTFS_IMG_DIR "/MANIFEST", R_OK)) \
    SKIP("%s/MANIFEST missing (make test-assets)", NTFS_IMG_DIR); } while (0)

static void windows_on_gpt_partition(void)
{
    struct imgdev d;
    struct wr_partition_table *pt = calloc(1, sizeof *pt);
    struct wr_blockdev_slice s;
    struct wr_windows_info w;
    struct wr_err err;
    const struct wr_partition *p;
    unsigned windows = 0, locked = 0;

    NEED_IMAGES();
    CHECK(imgdev_open(&d, "disk-gpt.img", 512));
    CHECK_OK(wr_partition_table_read(&d.dev, pt, &err), &err);
    CHECK_INT(pt->count, 5);
    for (uint32_t i = 0; i < pt->count; i++) {
        p = &pt->parts[i];
        CHECK_OK(wr_blockdev_slice_init(&s, &d.dev, p->first_lba, p->sector_count, "part", &err),
                 &err);
        CHECK_OK(wr_windows_probe(&s.dev, &w, &err), &err);
        CHECK(wr_windows_unsupported_layout(pt, p) == NULL);
        if (w.volume == WR_WINDOWS_VOL_BITLOCKER)
            locked++;
        if (!w.is_windows)
            continue;
        windows++;
        CHECK_INT(p->number, 3);
        CHECK(w.has_winload_efi && !w.has_winload_exe);
        CHECK_STR(w.arch, "x64");
        CHECK_INT(w.machine, 0x8664);
        CHECK(w.has_bootmgfw);
        CHECK_INT(w.bootmgfw_size, 120000);
        CHECK_STR(w.label, "Windows");
        CHECK(!w.dirty);
        CHECK_INT(w.hibernation, WR_NTFS_HIBER_NONE);
        if (!w.hive_read)
            SKIP("no SOFTWARE hive in the image (../shared hivex-minimal missing): %s", w.note);
        CHECK_STR(w.product_name, "Windows 10 Pro");
        CHECK_STR(w.display_version, "22H2");
        CHECK_STR(w.build, "19045");
        CHECK_STR(w.edition, "Professional");
        /* Select\Current = 2, and ControlSet002 says PortableOperatingSystem = 1. */
        CHECK(w.to_go_known && w.to_go);
    }
    CHECK_INT(windows, 1);
    CHECK_INT(locked, 1);
    free(pt);
    imgdev_close(&d);
}

static void volume_states(void)
{
    struct imgdev d;
    struct wr_windows_info w;
    struct wr_err err;

    NEED_IMAGES();
    CHECK(imgdev_open(&d, "dirty.img", 512));
    CHECK_OK(wr_windows_probe(&d.dev, &w, &err), &err);
    CHECK(w.is_windows && w.dirty);
    imgdev_close(&d);
    CHECK(imgdev_open(&d, "hibernated.img", 512));
    CHECK_OK(wr_windows_probe(&d.dev, &w, &err), &err);
    CHECK(w.is_windows && !w.dirty);
    CHECK_INT(w.hibernation, WR_NTFS_HIBER_ACTIVE);
    imgdev_close(&d);
    CHECK(imgdev_open(&d, "refs.img", 512));
    CHECK_OK(wr_windows_probe(&d.dev, &w, &err), &err);
    CHECK_INT(w.volume, WR_WINDOWS_VOL_REFS);
    CHECK(!w.is_windows);
    imgdev_close(&d);
    CHECK(imgdev_open(&d, "bitlocker-togo.img", 512));
    CHECK_OK(wr_windows_probe(&d.dev, &w, &err), &err);
    CHECK_INT(w.volume, WR_WINDOWS_VOL_BITLOCKER);
    imgdev_close(&d);
    CHECK(imgdev_open(&d, "win-4kn-c4k.img", 4096));
    CHECK_OK(wr_windows_probe(&d.dev, &w, &err), &err);
    CHECK(w.is_windows && w.has_bootmgfw);
    imgdev_close(&d);
}

static void not_windows(void)
{
    uint8_t *disk = calloc(1, 1 << 20);
    struct wr_memdev m;
    struct wr_windows_info w;
    struct wr_err err;

    CHECK_OK(wr_memdev_init(&m, disk, 1 << 20, 512, false, "blank", &err), &err);
    CHECK_OK(wr_windows_probe(&m.dev, &w, &err), &err);
    CHECK_INT(w.volume, WR_WINDOWS_VOL_OTHER);
    CHECK(!w.is_windows);
    /* An NTFS signature over garbage: "unreadable", with the reason noted. */
    memcpy(disk + 3, "NTFS    ", 8);
    CHECK_OK(wr_windows_probe(&m.dev, &w, &err), &err);
    CHECK_INT(w.volume, WR_WINDOWS_VOL_UNREADABLE);
    CHECK(w.note[0] != '\0');
    free(disk);
}

static void pe_machine(void)
{
    uint8_t pe[512] = { 'M', 'Z' };

    pe[0x3C] = 0x80;
    memcpy(pe + 0x80, "PE\0\0\x64\xAA", 6);
    CHECK_INT(wr_windows_pe_machine(pe, sizeof pe), 0xAA64);
    CHECK_STR(wr_windows_arch_name(0xAA64), "ARM64");
    CHECK_STR(wr_windows_arch_name(0x14C), "x86");
    CHECK(wr_windows_arch_name(0x1234) == NULL);
    pe[0x3C] = 0xFE; /* e_lfanew points past the buffer end */
    pe[0x3D] = 0x01;
    CHECK_INT(wr_windows_pe_machine(pe, sizeof pe), 0);
    CHECK_INT(wr_windows_pe_machine(pe, 10), 0);
}

static void unsupported_layouts(void)
{
    struct wr_partition_table t = { 0 };
    struct wr_partition p = { 0 };
    struct wr_err err;

    t.kind = WR_TABLE_MBR;
    p.mbr_type = 0x42;
    CHECK(strstr(wr_windows_unsupported_layout(&t, &p), "LDM") != NULL);
    p.mbr_type = 0x07;
    CHECK(wr_windows_unsupported_layout(&t, &p) == NULL);
    t.kind = WR_TABLE_GPT;
    CHECK_OK(wr_guid_parse("E75CAF8F-F680-4CEE-AFA3-B001E56EFC2D", &p.type_guid, &err), &err);
    CHECK(strstr(wr_windows_unsupported_layout(&t, &p), "Storage Spaces") != NULL);
    CHECK_OK(wr_guid_parse("AF9B60A0-1431-4F62-BC68-3311714A69AD", &p.type_guid, &err), &err);
    CHECK(strstr(wr_windows_unsupported_layout(&t, &p), "dynamic") != NULL);
    CHECK_OK(wr_guid_parse("EBD0A0A2-B9E5-4433-87C0-68B6B72699C7", &p.type_guid, &err), &err);
    CHECK(wr_windows_unsupported_layout(&t, &p) == NULL);
}

int main(void)
{
    RUN(windows_on_gpt_partition);
    RUN(volume_states);
    RUN(not_windows);
    RUN(pe_machine);
    RUN(unsupported_layouts);
    return check_done();
}
