#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../tools/common/filedev.h"
#include "check.h"
#include "disk/fsprobe.h"
#include "disk/partition.h"
#include "test_disk_build.h"

struct bpb {
    uint16_t bytes_per_sector;
    uint8_t sectors_per_cluster;
    uint16_t reserved;
    uint8_t fats;
    uint16_t root_entries;
    uint32_t total;
    uint32_t fat_size;
    bool fat32_layout;
};

/* A FAT boot sector with the extended fields filled in. */
static void write_fat(uint8_t *bs, const struct bpb *b, const char *label, uint32_t serial)
{
    uint8_t *ext = bs + (b->fat32_layout ? 64 : 36);

    bs[0] = 0xEB;
    bs[1] = 0x3C;
    bs[2] = 0x90;
    memcpy(bs + 3, "MSDOS5.0", 8);
    wr_put_le16(bs + 11, b->bytes_per_sector);
    bs[13] = b->sectors_per_cluster;
    wr_put_le16(bs + 14, b->reserved);
    bs[16] = b->fats;
    wr_put_le16(bs + 17, b->root_entries);
    if (b->total < 0x10000 && !b->fat32_layout)
        wr_put_le16(bs + 19, (uint16_t)b->total);
    else
        wr_put_le32(bs + 32, b->total);
    bs[21] = 0xF8;
    if (b->fat32_layout)
        wr_put_le32(bs + 36, b->fat_size);
    else
        wr_put_le16(bs + 22, (uint16_t)b->fat_size);
    ext[2] = 0x29;
    wr_put_le32(ext + 3, serial);
    memcpy(ext + 7, label, 11);
    memcpy(ext + 18, b->fat32_layout ? "FAT32   " : "FAT     ", 8);
    bs[510] = 0x55;
    bs[511] = 0xAA;
}

static struct wr_fs_info probe_bytes(const uint8_t *sector, uint32_t ss)
{
    struct img m = img_new(ss, 16);
    struct wr_fs_info info;
    struct wr_err err;

    memcpy(m.data, sector, ss);
    memset(&info, 0xAB, sizeof info);
    if (wr_fs_probe(img_dev(&m), &info, &err) != WR_OK)
        info.kind = (enum wr_fs_kind)-1;
    img_free(&m);
    return info;
}

/* A BPB whose data area holds exactly `clusters` clusters. */
static struct bpb bpb_with_clusters(uint32_t clusters, bool fat32_layout)
{
    struct bpb b = { 512, 1, fat32_layout ? 32 : 1, 2, fat32_layout ? 0 : 512, 0, 0,
                     fat32_layout };
    b.fat_size = clusters * 4 / 512 + 1;
    b.total = b.reserved + 2 * b.fat_size + (b.root_entries * 32 / 512) + clusters;
    return b;
}

static void expect_kind(uint32_t clusters, bool fat32_layout, enum wr_fs_kind want)
{
    uint8_t bs[512] = { 0 };
    struct bpb b = bpb_with_clusters(clusters, fat32_layout);

    write_fat(bs, &b, "LABEL      ", 1);
    CHECK_MSG(probe_bytes(bs, 512).kind == want, "%u clusters: kind %d, want %d", clusters,
              probe_bytes(bs, 512).kind, want);
}

static void fat_type_follows_cluster_count(void)
{
    expect_kind(1, false, WR_FS_FAT12);
    expect_kind(4084, false, WR_FS_FAT12);
    expect_kind(4085, false, WR_FS_FAT16);
    expect_kind(65524, false, WR_FS_FAT16);
    expect_kind(65525, true, WR_FS_FAT32);
    expect_kind(1000000, true, WR_FS_FAT32);
}

static void floppy_fat12_with_label_and_serial(void)
{
    uint8_t bs[512] = { 0 };
    struct bpb b = { 512, 1, 1, 2, 224, 2880, 9, false };
    struct wr_fs_info info;

    write_fat(bs, &b, "RESCUE     ", 0x1234ABCD);
    info = probe_bytes(bs, 512);
    CHECK_INT(info.kind, WR_FS_FAT12);
    CHECK_STR(info.label, "RESCUE");
    CHECK_INT(info.serial, 0x1234ABCD);
    CHECK_STR(wr_fs_name(info.kind), "FAT12");
}

static void fat32_label_fields(void)
{
    uint8_t bs[512] = { 0 };
    struct bpb b = bpb_with_clusters(100000, true);
    struct wr_fs_info info;

    write_fat(bs, &b, "MY DISK  X ", 0xCAFEF00D);
    info = probe_bytes(bs, 512);
    CHECK_INT(info.kind, WR_FS_FAT32);
    CHECK_STR(info.label, "MY DISK  X");
    CHECK_INT(info.serial, 0xCAFEF00D);
    write_fat(bs, &b, "NO NAME    ", 7);
    info = probe_bytes(bs, 512);
    CHECK_STR(info.label, "");
    CHECK_INT(info.serial, 7);
    write_fat(bs, &b, "\xC4""BC        ", 7); /* OEM code page byte */
    CHECK_STR(probe_bytes(bs, 512).label, "?BC");
    bs[64 + 2] = 0x28; /* old extended boot signature: serial only */
    info = probe_bytes(bs, 512);
    CHECK_INT(info.kind, WR_FS_FAT32);
    CHECK_STR(info.label, "");
    CHECK_INT(info.serial, 7);
    bs[64 + 2] = 0x00; /* none: no label, no serial */
    info = probe_bytes(bs, 512);
    CHECK_INT(info.kind, WR_FS_FAT32);
    CHECK_STR(info.label, "");
    CHECK_INT(info.serial, 0);
}

static void insane_bpb_is_unknown(void)
{
    const struct bpb good = { 512, 1, 1, 2, 224, 2880, 9, false };
    struct bpb cases[7];
    uint8_t bs[512];

    for (int i = 0; i < 7; i++)
        cases[i] = good;
    cases[0].bytes_per_sector = 1000;
    cases[1].bytes_per_sector = 256;
    cases[2].bytes_per_sector = 8192;
    cases[3].sectors_per_cluster = 3;
    cases[4].reserved = 0;
    cases[5].fats = 0;
    cases[6].total = 30; /* smaller than the metadata */
    for (int i = 0; i < 7; i++) {
        memset(bs, 0, sizeof bs);
        write_fat(bs, &cases[i], "X          ", 1);
        CHECK_MSG(probe_bytes(bs, 512).kind == WR_FS_UNKNOWN, "case %d", i);
    }
    memset(bs, 0, sizeof bs);
    write_fat(bs, &good, "X          ", 1);
    bs[0] = 0; /* no jump instruction */
    CHECK_INT(probe_bytes(bs, 512).kind, WR_FS_UNKNOWN);
    write_fat(bs, &good, "X          ", 1);
    wr_put_le16(bs + 22, 0); /* FAT size 0 */
    CHECK_INT(probe_bytes(bs, 512).kind, WR_FS_UNKNOWN);
}

static void signatures_at_offset_3(void)
{
    uint8_t bs[512] = { 0 };
    struct wr_fs_info info;

    memcpy(bs, "\xEB\x52\x90NTFS    ", 11);
    wr_put_le64(bs + 0x48, 0x1122334455667788ull);
    info = probe_bytes(bs, 512);
    CHECK_INT(info.kind, WR_FS_NTFS);
    CHECK_INT(info.serial, 0x55667788);
    CHECK_STR(info.label, "");

    memset(bs, 0, sizeof bs);
    memcpy(bs, "\xEB\x76\x90""EXFAT   ", 11);
    wr_put_le32(bs + 100, 0xDEADBEEF);
    info = probe_bytes(bs, 512);
    CHECK_INT(info.kind, WR_FS_EXFAT);
    CHECK_INT(info.serial, 0xDEADBEEF);

    memset(bs, 0, sizeof bs);
    memcpy(bs, "\xEB\x58\x90-FVE-FS-", 11);
    CHECK_INT(probe_bytes(bs, 512).kind, WR_FS_BITLOCKER);
    memcpy(bs, "\xEB\x52\x90-FVE-FS-", 11);
    CHECK_INT(probe_bytes(bs, 512).kind, WR_FS_BITLOCKER);
    CHECK_STR(wr_fs_name(WR_FS_BITLOCKER), "BitLocker");

    memset(bs, 0, sizeof bs);
    memcpy(bs + 3, "ReFS\0\0\0\0", 8);
    memcpy(bs + 0x10, "FSRS", 4);
    CHECK_INT(probe_bytes(bs, 512).kind, WR_FS_REFS);
    bs[0] = 0xEB; /* ReFS has zeros before its name */
    CHECK_INT(probe_bytes(bs, 512).kind, WR_FS_UNKNOWN);
    bs[0] = 0;
    memcpy(bs + 0x10, "FSRX", 4);
    CHECK_INT(probe_bytes(bs, 512).kind, WR_FS_UNKNOWN);

    memset(bs, 0, sizeof bs);
    CHECK_INT(probe_bytes(bs, 512).kind, WR_FS_UNKNOWN);
    CHECK_STR(wr_fs_name(WR_FS_UNKNOWN), "unknown");
}

/* BitLocker To Go keeps a FAT boot sector; its identifier GUID gives it away. */
static void bitlocker_to_go(void)
{
    static const uint8_t id[16] = { 0x3b, 0xd6, 0x67, 0x49, 0x29, 0x2e, 0xd8, 0x4a,
                                    0x83, 0x99, 0xf6, 0xa3, 0x39, 0xe3, 0xd0, 0x01 };
    uint8_t bs[512] = { 0 };
    struct bpb b = bpb_with_clusters(100000, true);

    write_fat(bs, &b, "NO NAME    ", 1);
    memcpy(bs + 3, "MSWIN4.1", 8);
    CHECK_INT(probe_bytes(bs, 512).kind, WR_FS_FAT32);
    memcpy(bs + 0x1A8, id, 16);
    CHECK_INT(probe_bytes(bs, 512).kind, WR_FS_BITLOCKER);
}

static void fat_on_4096_byte_sectors(void)
{
    uint8_t bs[4096] = { 0 };
    struct bpb b = { 4096, 1, 1, 2, 512, 5000, 2, false };
    struct wr_fs_info info;

    write_fat(bs, &b, "ESP4K      ", 42);
    info = probe_bytes(bs, 4096);
    CHECK_INT(info.kind, WR_FS_FAT16); /* 5000 - 1 - 4 - 4 = 4991 clusters */
    CHECK_STR(info.label, "ESP4K");
}

static void empty_device_is_unknown(void)
{
    struct img m = img_new(512, 0);
    struct wr_fs_info info;
    struct wr_err err;

    CHECK_OK(wr_fs_probe(img_dev(&m), &info, &err), &err);
    CHECK_INT(info.kind, WR_FS_UNKNOWN);
    img_free(&m);
}

/* ------------------------------------------------ real formatters, via filedev */

static char tmpdir[64];

static bool have(const char *tool)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1 || test -x /usr/sbin/%s", tool,
             tool);
    return system(cmd) == 0;
}

static int run(const char *fmt, const char *path)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "PATH=$PATH:/usr/sbin:/sbin; ");
    snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), fmt, path, path);
    return system(cmd);
}

static void probe_file(const char *path, uint32_t ss, struct wr_fs_info *info, wr_status *st,
                       struct wr_err *err)
{
    struct wr_filedev f;

    *st = wr_filedev_open(&f, path, false, ss, err);
    if (*st)
        return;
    *st = wr_fs_probe(&f.dev, info, err);
    wr_filedev_close(&f);
}

static void real_fat(int bits, const char *size, const char *extra, enum wr_fs_kind want)
{
    char path[128], fmt[256];
    struct wr_fs_info info;
    struct wr_err err;
    wr_status st;

    if (!have("mkfs.fat"))
        SKIP("mkfs.fat not installed");
    snprintf(path, sizeof path, "%s/fat%d.img", tmpdir, bits);
    snprintf(fmt, sizeof fmt,
             "rm -f %%s; mkfs.fat -C -F %d %s -n WRFAT%d -i 5EED%04X %%s %s >/dev/null", bits,
             extra, bits, (unsigned)bits, size);
    CHECK_INT(run(fmt, path), 0);
    probe_file(path, 0, &info, &st, &err);
    CHECK_OK(st, &err);
    CHECK_MSG(info.kind == want, "%s: kind %s", path, wr_fs_name(info.kind));
    {
        char label[16];
        snprintf(label, sizeof label, "WRFAT%d", bits);
        CHECK_STR(info.label, label);
    }
    CHECK_INT(info.serial, 0x5EED0000u | (unsigned)bits);
}

static void real_fat12(void) { real_fat(12, "2048", "", WR_FS_FAT12); }
static void real_fat16(void) { real_fat(16, "32768", "", WR_FS_FAT16); }
static void real_fat32(void) { real_fat(32, "102400", "-s 1", WR_FS_FAT32); }

static void real_fat_4096_sectors(void)
{
    char path[128];
    struct wr_fs_info info;
    struct wr_err err;
    wr_status st;

    if (!have("mkfs.fat"))
        SKIP("mkfs.fat not installed");
    snprintf(path, sizeof path, "%s/fat4k.img", tmpdir);
    CHECK_INT(run("rm -f %s; mkfs.fat -C -S 4096 -F 16 -n ESP4K %s 65536 >/dev/null", path), 0);
    probe_file(path, 4096, &info, &st, &err);
    CHECK_OK(st, &err);
    CHECK_INT(info.kind, WR_FS_FAT16);
    CHECK_STR(info.label, "ESP4K");
}

static void real_ntfs(void)
{
    char path[128];
    struct wr_fs_info info;
    struct wr_err err;
    wr_status st;
    FILE *f;
    uint8_t bs[512];

    if (!have("mkntfs"))
        SKIP("mkntfs not installed");
    snprintf(path, sizeof path, "%s/ntfs.img", tmpdir);
    CHECK_INT(run("rm -f %s; truncate -s 16M %s", path), 0);
    CHECK_INT(run("mkntfs -q -F -Q -L WRNTFS -p 0 -H 255 -S 63 %s >/dev/null 2>&1 # %s", path),
              0);
    probe_file(path, 0, &info, &st, &err);
    CHECK_OK(st, &err);
    CHECK_INT(info.kind, WR_FS_NTFS);
    /* The serial must be the boot sector's, not something made up. */
    f = fopen(path, "rb");
    CHECK(f && fread(bs, 1, 512, f) == 512);
    fclose(f);
    CHECK_INT(info.serial, wr_le32(bs + 0x48));
    CHECK(info.serial != 0);
}

static void real_exfat(void)
{
    char path[128];
    struct wr_fs_info info;
    struct wr_err err;
    wr_status st;
    FILE *f;
    uint8_t bs[512];

    if (!have("mkfs.exfat"))
        SKIP("mkfs.exfat not installed (package exfatprogs)");
    snprintf(path, sizeof path, "%s/exfat.img", tmpdir);
    CHECK_INT(run("rm -f %s; truncate -s 8M %s", path), 0);
    CHECK_INT(run("mkfs.exfat -L WREXFAT %s >/dev/null 2>&1 # %s", path), 0);
    probe_file(path, 0, &info, &st, &err);
    CHECK_OK(st, &err);
    CHECK_INT(info.kind, WR_FS_EXFAT);
    CHECK_STR(info.label, ""); /* exFAT keeps its label in the root directory */
    f = fopen(path, "rb");
    CHECK(f && fread(bs, 1, 512, f) == 512);
    fclose(f);
    CHECK_INT(info.serial, wr_le32(bs + 100));
}

/* A stick formatted without a partition table: a volume, not an empty MBR. */
static void superfloppy_has_no_table(void)
{
    static struct wr_partition_table t;
    char path[128];
    struct wr_filedev f;
    struct wr_fs_info info;
    struct wr_err err;

    if (!have("mkfs.fat"))
        SKIP("mkfs.fat not installed");
    snprintf(path, sizeof path, "%s/superfloppy.img", tmpdir);
    CHECK_INT(run("rm -f %s; mkfs.fat -C -F 32 -n FLOPPY %s 70000 >/dev/null", path), 0);
    CHECK_OK(wr_filedev_open(&f, path, false, 0, &err), &err);
    CHECK_OK(wr_partition_table_read(&f.dev, &t, &err), &err);
    CHECK_INT(t.kind, WR_TABLE_NONE);
    CHECK_OK(wr_fs_probe(&f.dev, &info, &err), &err);
    CHECK_INT(info.kind, WR_FS_FAT32);
    CHECK_STR(info.label, "FLOPPY");
    wr_filedev_close(&f);
}

/* Boot code that happens to look like records: nonsense ones mean a volume. */
static void volume_boot_code_like_records(void)
{
    static struct wr_partition_table t;
    struct img m = img_new(512, 2880);
    struct bpb b = { 512, 1, 1, 2, 224, 2880, 9, false };
    uint8_t *rec = m.data + 0x1BE;
    struct wr_err err;

    write_fat(m.data, &b, "FLOPPY     ", 1);
    rec[4] = 0x4C;
    wr_put_le32(rec + 8, 0x20202020);
    wr_put_le32(rec + 12, 0x20202020);
    CHECK_OK(wr_partition_table_read(img_dev(&m), &t, &err), &err);
    CHECK_INT(t.kind, WR_TABLE_NONE);
    /* the same record without a volume behind it is a damaged MBR */
    memset(m.data + 3, 0, 8);
    m.data[0] = 0x33;
    CHECK_INT(wr_partition_table_read(img_dev(&m), &t, &err), WR_E_CORRUPT);
    img_free(&m);
}

static void filedev_errors_name_the_path(void)
{
    struct wr_filedev f;
    struct wr_err err;
    char path[128];
    uint8_t buf[512];

    CHECK_INT(wr_filedev_open(&f, "/nonexistent/disk.img", false, 0, &err), WR_E_NOT_FOUND);
    CHECK(strstr(err.msg, "/nonexistent/disk.img") != NULL);
    snprintf(path, sizeof path, "%s/short.img", tmpdir);
    CHECK_INT(run("rm -f %s; head -c 1500 /dev/zero > %s", path), 0);
    CHECK_INT(wr_filedev_open(&f, path, false, 0, &err), WR_OK);
    CHECK_INT(f.dev.sector_count, 2); /* the partial third sector is not the device's */
    CHECK_OK(wr_blockdev_read(&f.dev, 1, 1, buf, &err), &err);
    CHECK_INT(wr_blockdev_read(&f.dev, 2, 1, buf, &err), WR_E_INVALID);
    CHECK(f.dev.write == NULL);
    wr_filedev_close(&f);
    CHECK_INT(wr_filedev_open(&f, path, false, 1000, &err), WR_E_INVALID);
    CHECK_INT(wr_filedev_open(&f, path, true, 512, &err), WR_OK);
    memset(buf, 0x5A, sizeof buf);
    CHECK_OK(wr_blockdev_write(&f.dev, 1, 1, buf, &err), &err);
    memset(buf, 0, sizeof buf);
    CHECK_OK(wr_blockdev_read(&f.dev, 1, 1, buf, &err), &err);
    CHECK_INT(buf[511], 0x5A);
    wr_filedev_close(&f);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/wr-fsprobe.XXXXXX");
    if (!mkdtemp(tmpdir))
        return 2;
    RUN(fat_type_follows_cluster_count);
    RUN(floppy_fat12_with_label_and_serial);
    RUN(fat32_label_fields);
    RUN(insane_bpb_is_unknown);
    RUN(signatures_at_offset_3);
    RUN(bitlocker_to_go);
    RUN(fat_on_4096_byte_sectors);
    RUN(empty_device_is_unknown);
    RUN(real_fat12);
    RUN(real_fat16);
    RUN(real_fat32);
    RUN(real_fat_4096_sectors);
    RUN(real_ntfs);
    RUN(real_exfat);
    RUN(superfloppy_has_no_table);
    RUN(volume_boot_code_like_records);
    RUN(filedev_errors_name_the_path);
    run("rm -rf %s # %s", tmpdir);
    return check_done();
}
