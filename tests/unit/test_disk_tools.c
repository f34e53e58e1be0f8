/* Cross-check against the real partitioners: images made at test time with
 * sgdisk, sfdisk and fdisk, read through filedev, compared field by field
 * with what those tools print about the same image. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../tools/common/filedev.h"
#include "base/bytes.h"
#include "check.h"
#include "disk/fsprobe.h"
#include "disk/partition.h"
#include "disk/parttype.h"

#define TOOL_ENV "LC_ALL=C.UTF-8 PATH=$PATH:/usr/sbin:/sbin "

static char tmpdir[64];
static struct wr_partition_table table;

static bool have(const char *tool)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, TOOL_ENV "command -v %s >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

/* Runs a shell command and returns its whole stdout (caller frees), or NULL. */
static char *capture(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    size_t len = 0, cap = 4096;
    char *out = malloc(cap);
    size_t n;

    if (!p || !out) {
        if (p)
            pclose(p);
        free(out);
        return NULL;
    }
    while ((n = fread(out + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 2) {
            cap *= 2;
            out = realloc(out, cap);
        }
    }
    out[len] = '\0';
    if (pclose(p) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

static wr_status read_image(const char *path, uint32_t ss, struct wr_err *err)
{
    struct wr_filedev f;
    wr_status st = wr_filedev_open(&f, path, false, ss, err);

    if (st)
        return st;
    st = wr_partition_table_read(&f.dev, &table, err);
    wr_filedev_close(&f);
    return st;
}

/* The text after "label" up to the end of its line, into buf. */
static bool field(const char *text, const char *label, char *buf, size_t size)
{
    const char *p = strstr(text, label);
    size_t n = 0;

    if (!p)
        return false;
    p += strlen(label);
    while (*p == ' ')
        p++;
    while (p[n] && p[n] != '\n' && n + 1 < size)
        n++;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return true;
}

static const char sgdisk_names[][40] = {
    "EFI system partition",
    "Gr\xC3\xBC\xC3\x9F" "e \xE2\x82\xAC \xE6\x97\xA5\xE6\x9C\xAC",
    "WTG-OS",
    "\xF0\x9F\x98\x80 emoji name exactly 36 UTF16 units",
};

static char gpt_image[128];

static bool make_sgdisk_image(void)
{
    char cmd[2048];

    snprintf(gpt_image, sizeof gpt_image, "%s/sgdisk.img", tmpdir);
    snprintf(cmd, sizeof cmd,
             TOOL_ENV "rm -f %s && truncate -s 64M %s && sgdisk -o "
             "-U 11111111-2222-3333-4444-555555555555 "
             "-n 1:2048:+8M -t 1:EF00 -c 1:'%s' -u 1:5717C0DE-0000-4000-8000-000000000001 "
             "-n 2:0:+16M -t 2:0C01 -c 2:'%s' "
             "-n 3:0:+20M -t 3:0700 -c 3:'%s' "
             "-n 5:0:0 -t 5:8300 -c 5:'%s' -A 2:set:63 -A 3:set:0 -A 3:set:60 %s >/dev/null",
             gpt_image, gpt_image, sgdisk_names[0], sgdisk_names[1], sgdisk_names[2],
             sgdisk_names[3], gpt_image);
    return system(cmd) == 0;
}

static void compare_with_sgdisk(const struct wr_partition *p)
{
    char cmd[1024], buf[160], text[64];
    char *out;
    unsigned long long first = 0, last = 0;

    snprintf(cmd, sizeof cmd, TOOL_ENV "sgdisk -i %u %s 2>/dev/null", p->number, gpt_image);
    out = capture(cmd);
    CHECK_MSG(out != NULL, "%s failed", cmd);
    CHECK(field(out, "Partition GUID code:", buf, sizeof buf));
    wr_guid_format(&p->type_guid, text, true);
    CHECK_MSG(strncmp(buf, text, 36) == 0, "type %s vs sgdisk %s", text, buf);
    CHECK(field(out, "Partition unique GUID:", buf, sizeof buf));
    wr_guid_format(&p->part_guid, text, true);
    CHECK_STR(text, buf);
    CHECK(field(out, "First sector:", buf, sizeof buf) && sscanf(buf, "%llu", &first) == 1);
    CHECK(field(out, "Last sector:", buf, sizeof buf) && sscanf(buf, "%llu", &last) == 1);
    CHECK_INT(p->first_lba, first);
    CHECK_INT(p->sector_count, last - first + 1);
    CHECK(field(out, "Attribute flags:", buf, sizeof buf));
    CHECK_INT(p->attributes, strtoull(buf, NULL, 16));
    CHECK(field(out, "Partition name: '", buf, sizeof buf));
    CHECK(strlen(buf) > 0 && buf[strlen(buf) - 1] == '\'');
    buf[strlen(buf) - 1] = '\0';
    if (!strstr(p->name, "\xF0")) /* see gpt_names_match_sfdisk */
        CHECK_STR(p->name, buf);
    free(out);
}

static void gpt_matches_sgdisk(void)
{
    struct wr_err err;
    char buf[128], text[64];
    char *out;
    char cmd[1024];

    if (!have("sgdisk"))
        SKIP("sgdisk not installed");
    CHECK(make_sgdisk_image());
    CHECK_OK(read_image(gpt_image, 512, &err), &err);
    CHECK_INT(table.kind, WR_TABLE_GPT);
    CHECK(!table.used_backup_gpt && !table.backup_gpt_bad);
    CHECK_INT(table.count, 4);
    snprintf(cmd, sizeof cmd, TOOL_ENV "sgdisk -p %s", gpt_image);
    out = capture(cmd);
    CHECK(out && field(out, "Disk identifier (GUID):", buf, sizeof buf));
    free(out);
    wr_guid_format(&table.disk_guid, text, true);
    CHECK_STR(text, buf);
    for (uint32_t i = 0; i < table.count; i++) {
        compare_with_sgdisk(&table.parts[i]);
        if (check_current_failed())
            return;
    }
    CHECK_INT(table.parts[3].number, 5);
    CHECK_STR(table.parts[1].name, sgdisk_names[1]);
    CHECK_STR(table.parts[3].name, sgdisk_names[3]);
    CHECK(wr_partition_is_esp(&table, &table.parts[0]));
    CHECK(wr_partition_may_hold_windows(&table, &table.parts[2]));
    CHECK_STR(wr_gpt_type_name(&table.parts[3].type_guid), "Linux filesystem");
    CHECK_INT(table.parts[1].attributes, 0x8000000000000000ull);
}

/* More entries than Windows' 128 slots, used sparsely up to slot 200. */
static void large_entry_array_matches_sgdisk(void)
{
    char cmd[1024];
    struct wr_err err;

    if (!have("sgdisk"))
        SKIP("sgdisk not installed");
    snprintf(gpt_image, sizeof gpt_image, "%s/sgdisk256.img", tmpdir);
    snprintf(cmd, sizeof cmd,
             TOOL_ENV "rm -f %s && truncate -s 16M %s && sgdisk -o -S 256 "
             "-n 200:4096:+1M -t 200:0700 -c 200:high -n 3:0:+1M -t 3:EF00 %s >/dev/null",
             gpt_image, gpt_image, gpt_image);
    CHECK_INT(system(cmd), 0);
    CHECK_OK(read_image(gpt_image, 512, &err), &err);
    CHECK_INT(table.count, 2);
    CHECK(wr_partition_find(&table, 200) != NULL);
    CHECK(wr_partition_find(&table, 3) != NULL);
    for (uint32_t i = 0; i < table.count; i++) {
        compare_with_sgdisk(&table.parts[i]);
        if (check_current_failed())
            return;
    }
}

/* Overwrites sectors of a file with zeros through dd. */
static int wipe(const char *path, unsigned long long lba, unsigned count, unsigned ss)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "dd if=/dev/zero of=%s bs=%u seek=%llu count=%u conv=notrunc status=none", path,
             ss, lba, count);
    return system(cmd);
}

static void sgdisk_image_with_damaged_primary(void)
{
    struct wr_err err;

    if (!have("sgdisk"))
        SKIP("sgdisk not installed");
    CHECK(make_sgdisk_image());
    CHECK_INT(wipe(gpt_image, 1, 1, 512), 0);
    CHECK_OK(read_image(gpt_image, 512, &err), &err);
    CHECK(table.used_backup_gpt);
    CHECK_INT(table.count, 4);
    for (uint32_t i = 0; i < table.count; i++) {
        compare_with_sgdisk(&table.parts[i]); /* sgdisk also falls back to the backup */
        if (check_current_failed())
            return;
    }
    CHECK(make_sgdisk_image());
    CHECK_INT(wipe(gpt_image, 131071, 1, 512), 0);
    CHECK_OK(read_image(gpt_image, 512, &err), &err);
    CHECK(!table.used_backup_gpt && table.backup_gpt_bad);
    CHECK(make_sgdisk_image());
    CHECK_INT(wipe(gpt_image, 1, 1, 512), 0);
    CHECK_INT(wipe(gpt_image, 131071, 1, 512), 0);
    CHECK_INT(read_image(gpt_image, 512, &err), WR_E_CORRUPT);
    CHECK_MSG(strstr(err.msg, "protective MBR") != NULL, "message: %s", err.msg);
}

/* Finds "key": value inside [obj, end) of sfdisk's JSON; strings unquoted. */
static bool json_value(const char *obj, const char *end, const char *key, char *buf,
                       size_t size)
{
    char pattern[64];
    const char *p;
    const char *stops = ",}\n";
    size_t n = 0;

    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    p = strstr(obj, pattern);
    if (!p || p >= end)
        return false;
    p += strlen(pattern);
    while (*p == ' ')
        p++;
    if (*p == '"') {
        p++;
        stops = "\"";
    }
    while (p[n] && !strchr(stops, p[n]) && n + 1 < size)
        n++;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return true;
}

/* The partition a JSON object's "node" (".../disk.img5") names. */
static const struct wr_partition *json_partition(const char *obj, const char *end)
{
    char buf[256];
    char *digits;

    if (!json_value(obj, end, "node", buf, sizeof buf))
        return NULL;
    digits = buf + strlen(buf);
    while (digits > buf && digits[-1] >= '0' && digits[-1] <= '9')
        digits--;
    return wr_partition_find(&table, (uint32_t)strtoul(digits, NULL, 10));
}

/* sgdisk prints characters beyond U+FFFF wrongly, so names are compared with
 * sfdisk, which reads them properly. */
static void gpt_names_match_sfdisk(void)
{
    char cmd[1024], buf[256], text[64];
    char *out, *obj;
    struct wr_err err;
    unsigned seen = 0;

    if (!have("sgdisk") || !have("sfdisk"))
        SKIP("sgdisk or sfdisk not installed");
    CHECK(make_sgdisk_image());
    CHECK_OK(read_image(gpt_image, 512, &err), &err);
    snprintf(cmd, sizeof cmd, TOOL_ENV "sfdisk --json %s", gpt_image);
    out = capture(cmd);
    CHECK(out != NULL);
    for (obj = strstr(out, "\"node\":"); obj; obj = strstr(obj + 1, "\"node\":")) {
        const char *end = strchr(obj, '}');
        const struct wr_partition *p = end ? json_partition(obj, end) : NULL;

        CHECK_MSG(p != NULL, "a partition sfdisk lists is missing");
        CHECK(json_value(obj, end, "name", buf, sizeof buf));
        CHECK_STR(p->name, buf);
        CHECK(json_value(obj, end, "uuid", buf, sizeof buf));
        wr_guid_format(&p->part_guid, text, true);
        CHECK_STR(text, buf);
        seen++;
    }
    free(out);
    CHECK_INT(seen, 4);
}

/* Each partition's mbr_entry_offset must hold the record that describes it
 * (the start is relative to the sector holding a logical's record). */
static void check_entry_offsets(const char *path, uint32_t ss)
{
    FILE *f = fopen(path, "rb");

    CHECK(f != NULL);
    for (uint32_t i = 0; i < table.count; i++) {
        const struct wr_partition *p = &table.parts[i];
        uint64_t sector = p->mbr_entry_offset / ss;
        uint8_t rec[16];

        if (fseeko(f, (off_t)p->mbr_entry_offset, SEEK_SET) != 0 || fread(rec, 1, 16, f) != 16) {
            check_failed(__FILE__, __LINE__, "cannot read %s at %llu", path,
                         (unsigned long long)p->mbr_entry_offset);
            break;
        }
        CHECK_MSG(rec[4] == p->mbr_type && wr_le32(rec + 12) == p->sector_count &&
                  (p->number <= 4 ? 0 : sector) + wr_le32(rec + 8) == p->first_lba,
                  "partition %u: record at %llu does not describe it", p->number,
                  (unsigned long long)p->mbr_entry_offset);
    }
    fclose(f);
}

/* Compares the table last read with what `sfdisk --json` says about the
 * image (512-byte sectors); *seen counts the partitions sfdisk listed. */
static void compare_with_sfdisk(const char *path, unsigned *seen)
{
    char cmd[1024], buf[256], text[64];
    char *out, *obj;
    bool gpt;

    snprintf(cmd, sizeof cmd, TOOL_ENV "sfdisk --json %s", path);
    out = capture(cmd);
    *seen = 0;
    CHECK_MSG(out != NULL, "%s failed", cmd);
    gpt = json_value(out, out + strlen(out), "label", buf, sizeof buf) && !strcmp(buf, "gpt");
    CHECK_INT(table.kind, gpt ? WR_TABLE_GPT : WR_TABLE_MBR);
    CHECK(json_value(out, out + strlen(out), "id", buf, sizeof buf));
    if (gpt) {
        wr_guid_format(&table.disk_guid, text, true);
        CHECK_STR(text, buf);
    } else {
        CHECK_INT(strtoul(buf, NULL, 16), table.mbr_signature);
    }
    for (obj = strstr(out, "\"node\":"); obj; obj = strstr(obj + 1, "\"node\":")) {
        const char *end = strchr(obj, '}');
        const struct wr_partition *p = end ? json_partition(obj, end) : NULL;

        CHECK_MSG(p != NULL, "%s: a partition sfdisk lists is missing", path);
        CHECK(json_value(obj, end, "start", buf, sizeof buf));
        CHECK_INT(p->first_lba, strtoull(buf, NULL, 10));
        CHECK(json_value(obj, end, "size", buf, sizeof buf));
        /* sfdisk shows an extended partition's own size; so do we. */
        CHECK_INT(p->sector_count, strtoull(buf, NULL, 10));
        CHECK(json_value(obj, end, "type", buf, sizeof buf));
        if (gpt) {
            wr_guid_format(&p->type_guid, text, true);
            CHECK_STR(text, buf);
            CHECK(json_value(obj, end, "uuid", buf, sizeof buf));
            wr_guid_format(&p->part_guid, text, true);
            CHECK_STR(text, buf);
            if (!json_value(obj, end, "name", buf, sizeof buf))
                buf[0] = '\0';
            CHECK_STR(p->name, buf);
        } else {
            CHECK_INT(p->mbr_type, strtoul(buf, NULL, 16));
            CHECK_INT(p->mbr_active, json_value(obj, end, "bootable", buf, sizeof buf));
        }
        (*seen)++;
    }
    free(out);
    CHECK_INT(table.count, *seen);
}

static void mbr_matches_sfdisk(void)
{
    char path[128], cmd[1024];
    struct wr_err err;
    unsigned seen;

    if (!have("sfdisk"))
        SKIP("sfdisk not installed");
    snprintf(path, sizeof path, "%s/sfdisk.img", tmpdir);
    snprintf(cmd, sizeof cmd,
             TOOL_ENV "rm -f %s && truncate -s 64M %s && printf 'label: dos\\n"
             "label-id: 0x1234abcd\\n"
             "start=2048, size=16384, type=c, bootable\\n"
             "start=20480, size=8192, type=7\\n"
             "start=30720, size=40960, type=f\\n"
             "start=32768, size=4096, type=83\\n"
             "start=38912, size=4096, type=7\\n"
             "start=45056, size=8192, type=82\\n"
             "start=100000, size=2000, type=ef\\n' | sfdisk -q %s",
             path, path, path);
    CHECK_INT(system(cmd), 0);
    CHECK_OK(read_image(path, 512, &err), &err);
    CHECK_INT(table.mbr_signature, 0x1234abcd);
    compare_with_sfdisk(path, &seen);
    CHECK_INT(seen, 7);
    check_entry_offsets(path, 512);
    CHECK(wr_partition_is_esp(&table, wr_partition_find(&table, 4)));
    CHECK(wr_partition_may_hold_windows(&table, wr_partition_find(&table, 6)));
}

/* Compares the GPT last read with `fdisk -b 4096 -l`; *seen counts the
 * partitions fdisk listed. */
static void compare_with_fdisk_4k(const char *path, unsigned *seen)
{
    char cmd[1024], line[256];
    FILE *p;

    snprintf(cmd, sizeof cmd,
             TOOL_ENV "fdisk -b 4096 -l -o Device,Start,Sectors,Type-UUID,UUID %s", path);
    *seen = 0;
    p = popen(cmd, "r");
    CHECK(p != NULL);
    while (fgets(line, sizeof line, p)) {
        char dev[160], type[64], uuid[64], text[64];
        unsigned long long start, sectors;
        const struct wr_partition *part;

        if (strncmp(line, path, strlen(path)) != 0 ||
            sscanf(line, "%159s %llu %llu %63s %63s", dev, &start, &sectors, type, uuid) != 5)
            continue;
        part = wr_partition_find(&table, (uint32_t)strtoul(dev + strlen(path), NULL, 10));
        if (!part) {
            check_failed(__FILE__, __LINE__, "%s not found", dev);
            break;
        }
        if (part->first_lba != start || part->sector_count != sectors)
            check_failed(__FILE__, __LINE__, "%s: %llu+%llu vs fdisk %llu+%llu", dev,
                         (unsigned long long)part->first_lba,
                         (unsigned long long)part->sector_count, start, sectors);
        wr_guid_format(&part->type_guid, text, true);
        if (strcmp(text, type) != 0)
            check_failed(__FILE__, __LINE__, "%s: type %s vs fdisk %s", dev, text, type);
        wr_guid_format(&part->part_guid, text, true);
        if (strcmp(text, uuid) != 0)
            check_failed(__FILE__, __LINE__, "%s: GUID %s vs fdisk %s", dev, text, uuid);
        (*seen)++;
    }
    pclose(p);
    CHECK_INT(table.count, *seen);
}

static void gpt_4kn_matches_fdisk(void)
{
    char path[128], cmd[1024];
    struct wr_err err;
    unsigned seen;

    if (!have("fdisk"))
        SKIP("fdisk not installed");
    snprintf(path, sizeof path, "%s/fdisk4k.img", tmpdir);
    snprintf(cmd, sizeof cmd,
             TOOL_ENV "rm -f %s && truncate -s 64M %s && printf 'g\\nn\\n1\\n256\\n+16M\\nt\\n1\\n"
             "n\\n2\\n\\n+8M\\nn\\n3\\n\\n\\nw\\n' | fdisk -b 4096 %s >/dev/null 2>&1",
             path, path, path);
    CHECK_INT(system(cmd), 0);
    CHECK_OK(read_image(path, 4096, &err), &err);
    CHECK_INT(table.kind, WR_TABLE_GPT);
    CHECK(!table.backup_gpt_bad);
    CHECK_INT(table.count, 3);
    CHECK(wr_partition_is_esp(&table, &table.parts[0]));
    CHECK_INT(table.parts[0].first_lba, 256);
    compare_with_fdisk_4k(path, &seen);
    CHECK_INT(seen, 3);
    /* The same image read with 512-byte sectors has no GPT at LBA 1. */
    CHECK_INT(read_image(path, 512, &err), WR_E_CORRUPT);
    CHECK_MSG(strstr(err.msg, "written for 4096-byte sectors") != NULL, "message: %s", err.msg);
}

static void mbr_4kn_matches_fdisk(void)
{
    char path[128], cmd[1024], line[256];
    struct wr_err err;
    FILE *p;
    unsigned seen = 0;

    if (!have("fdisk"))
        SKIP("fdisk not installed");
    snprintf(path, sizeof path, "%s/fdisk4k-dos.img", tmpdir);
    snprintf(cmd, sizeof cmd,
             TOOL_ENV "rm -f %s && truncate -s 64M %s && printf 'o\\nn\\np\\n1\\n256\\n+16M\\n"
             "t\\nef\\nn\\ne\\n2\\n\\n\\nn\\n\\n+4M\\nn\\n\\n+4M\\nw\\n' | "
             "fdisk -b 4096 %s >/dev/null 2>&1",
             path, path, path);
    CHECK_INT(system(cmd), 0);
    CHECK_OK(read_image(path, 4096, &err), &err);
    CHECK_INT(table.kind, WR_TABLE_MBR);
    CHECK_INT(table.count, 4);
    snprintf(cmd, sizeof cmd, TOOL_ENV "fdisk -b 4096 -l -o Device,Start,Sectors,Id %s", path);
    p = popen(cmd, "r");
    CHECK(p != NULL);
    while (fgets(line, sizeof line, p)) {
        char dev[160];
        unsigned long long start, sectors;
        unsigned id;
        const struct wr_partition *part;

        if (strncmp(line, path, strlen(path)) != 0 ||
            sscanf(line, "%159s %llu %llu %x", dev, &start, &sectors, &id) != 4)
            continue;
        part = wr_partition_find(&table, (uint32_t)strtoul(dev + strlen(path), NULL, 10));
        if (!part || part->first_lba != start || part->sector_count != sectors ||
            part->mbr_type != id) {
            check_failed(__FILE__, __LINE__, "%s: %llu+%llu id %x differs from ours", dev,
                         start, sectors, id);
            break;
        }
        seen++;
    }
    pclose(p);
    CHECK_INT(seen, 4);
    check_entry_offsets(path, 4096);
}

/* The value of KEY= in blkid's export output (which escapes spaces with a
 * backslash), or "" when absent. */
static void export_value(const char *out, const char *key, char *buf, size_t size)
{
    char pattern[32];
    const char *p;
    size_t n = 0;

    snprintf(pattern, sizeof pattern, "\n%s=", key);
    p = strstr(out, pattern);
    buf[0] = '\0';
    if (!p)
        return;
    for (p += strlen(pattern); *p && *p != '\n' && n + 1 < size; p++) {
        if (*p == '\\' && p[1] && p[1] != '\n')
            p++;
        buf[n++] = *p;
    }
    buf[n] = '\0';
}

/* Our filesystem probe of one partition against util-linux's blkid: kind,
 * FAT boot-sector label, and serial (blkid's UUID; NTFS's low 32 bits). */
static void compare_fs_with_blkid(const char *path, const struct wr_blockdev *disk,
                                  const struct wr_partition *p)
{
    char cmd[1024], type[32], version[32], label[64], uuid[64];
    struct wr_blockdev_slice slice;
    struct wr_fs_info info;
    struct wr_err err;
    enum wr_fs_kind want = WR_FS_UNKNOWN;
    uint32_t want_serial = 0;
    char *out;

    CHECK_OK(wr_blockdev_slice_init(&slice, disk, p->first_lba, p->sector_count, "part", &err),
             &err);
    CHECK_OK(wr_fs_probe(&slice.dev, &info, &err), &err);
    snprintf(cmd, sizeof cmd,
             TOOL_ENV "blkid -p -O %llu -S %llu -o export %s; true",
             (unsigned long long)(p->first_lba * disk->sector_size),
             (unsigned long long)(p->sector_count * disk->sector_size), path);
    out = capture(cmd);
    CHECK(out != NULL);
    export_value(out, "TYPE", type, sizeof type);
    export_value(out, "VERSION", version, sizeof version);
    export_value(out, "LABEL_FATBOOT", label, sizeof label);
    export_value(out, "UUID", uuid, sizeof uuid);
    free(out);
    if (!strcmp(type, "vfat"))
        want = !strcmp(version, "FAT12") ? WR_FS_FAT12
               : !strcmp(version, "FAT16") ? WR_FS_FAT16 : WR_FS_FAT32;
    else if (!strcmp(type, "ntfs"))
        want = WR_FS_NTFS;
    else if (!strcmp(type, "exfat"))
        want = WR_FS_EXFAT;
    else if (!strcmp(type, "BitLocker"))
        want = WR_FS_BITLOCKER;
    CHECK_MSG(info.kind == want, "%s partition %u: we say %s, blkid says %s %s", path,
              p->number, wr_fs_name(info.kind), type, version);
    if (want == WR_FS_UNKNOWN || want == WR_FS_BITLOCKER)
        return;
    if (want == WR_FS_NTFS)
        want_serial = (uint32_t)strtoull(uuid + (strlen(uuid) > 8 ? strlen(uuid) - 8 : 0),
                                         NULL, 16);
    else if (strlen(uuid) == 9 && uuid[4] == '-')
        want_serial = (uint32_t)(strtoul(uuid, NULL, 16) << 16 | strtoul(uuid + 5, NULL, 16));
    CHECK_MSG(info.serial == want_serial, "%s partition %u: serial %08X, blkid UUID %s", path,
              p->number, info.serial, uuid);
    if (want != WR_FS_EXFAT && want != WR_FS_NTFS)
        CHECK_STR(info.label, label);
}

/* Our table read failed: the partitioner must not see a table either. */
static void expect_partitioner_agrees_no_table(const char *path, uint32_t ss,
                                               const struct wr_err *err)
{
    char cmd[1024];

    if (ss != 512)
        return;
    snprintf(cmd, sizeof cmd, TOOL_ENV "sfdisk --json %s >/dev/null 2>&1", path);
    CHECK_MSG(system(cmd) != 0, "%s: we fail (%s) where sfdisk reads a table", path, err->msg);
}

static void check_scenario_image(const char *path)
{
    uint32_t ss = strstr(path, "4kn") ? 4096 : 512;
    struct wr_filedev f;
    struct wr_err err;
    unsigned seen = 0;

    CHECK_OK(wr_filedev_open(&f, path, false, ss, &err), &err);
    if (wr_partition_table_read(&f.dev, &table, &err) != WR_OK) {
        wr_filedev_close(&f);
        expect_partitioner_agrees_no_table(path, ss, &err);
        return;
    }
    if (ss == 4096)
        compare_with_fdisk_4k(path, &seen);
    else
        compare_with_sfdisk(path, &seen);
    for (uint32_t i = 0; i < table.count && !check_current_failed(); i++)
        compare_fs_with_blkid(path, &f.dev, &table.parts[i]);
    wr_filedev_close(&f);
}

/* The e2e scenario disks (built by test-images/ before the tests run), read
 * as the app reads them and compared with sfdisk/fdisk and blkid. */
static void scenario_images_match_partitioners(void)
{
    const char *dir = "build/test-images";
    DIR *d = opendir(dir);
    struct dirent *e;
    unsigned images = 0;

    if (!d)
        SKIP("%s not built (make test-assets)", dir);
    if (!have("blkid") || !have("sfdisk") || !have("fdisk")) {
        closedir(d);
        SKIP("blkid, sfdisk or fdisk not installed");
    }
    while ((e = readdir(d)) != NULL && !check_current_failed()) {
        char path[512];
        size_t n = strlen(e->d_name);

        if (n < 4 || strcmp(e->d_name + n - 4, ".img") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        check_scenario_image(path);
        images++;
    }
    closedir(d);
    if (!images && !check_current_failed())
        SKIP("no scenario images in %s", dir);
}

/* Real filesystems in partitions of an image we make, against blkid. */
static void filesystems_match_blkid(void)
{
    char path[128], cmd[4096];

    if (!have("blkid") || !have("sgdisk") || !have("mkfs.fat") || !have("mkntfs"))
        SKIP("blkid, sgdisk, mkfs.fat or mkntfs not installed");
    snprintf(path, sizeof path, "%s/fs.img", tmpdir);
    snprintf(cmd, sizeof cmd,
             TOOL_ENV "set -e; rm -f %s %s.p; truncate -s 96M %s; sgdisk -o "
             "-n 1:2048:+2M -n 2:0:+16M -n 3:0:+40M -n 4:0:+20M -n 5:0:+1M %s >/dev/null; "
             "mkfs.fat -C -F 12 -n TWELVE -i 0000F12F %s.p 2048 >/dev/null; "
             "dd if=%s.p of=%s bs=512 seek=2048 conv=notrunc status=none; rm %s.p; "
             "mkfs.fat -C -F 16 -i 1616ABCD %s.p 16384 >/dev/null; "
             "dd if=%s.p of=%s bs=512 seek=6144 conv=notrunc status=none; rm %s.p; "
             "mkfs.fat -C -F 32 -s 1 -n 'THIRTY TWO' %s.p 40960 >/dev/null; "
             "dd if=%s.p of=%s bs=512 seek=38912 conv=notrunc status=none; rm %s.p; "
             "truncate -s 20M %s.p; mkntfs -q -F -Q -L NT -p 120832 -H 255 -S 63 %s.p >/dev/null 2>&1; "
             "dd if=%s.p of=%s bs=512 seek=120832 conv=notrunc status=none; rm %s.p",
             path, path, path, path,
             path, path, path, path,
             path, path, path, path,
             path, path, path, path,
             path, path, path, path, path);
    CHECK_INT(system(cmd), 0);
    check_scenario_image(path);
    CHECK_INT(table.count, 5);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/wr-disktools.XXXXXX");
    if (!mkdtemp(tmpdir))
        return 2;
    RUN(gpt_matches_sgdisk);
    RUN(gpt_names_match_sfdisk);
    RUN(large_entry_array_matches_sgdisk);
    RUN(sgdisk_image_with_damaged_primary);
    RUN(mbr_matches_sfdisk);
    RUN(gpt_4kn_matches_fdisk);
    RUN(mbr_4kn_matches_fdisk);
    RUN(filesystems_match_blkid);
    RUN(scenario_images_match_partitioners);
    snprintf(gpt_image, sizeof gpt_image, "rm -rf %s", tmpdir);
    system(gpt_image);
    return check_done();
}
