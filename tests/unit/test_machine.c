#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "base/fmt.h"
#include "conf/conf.h"
#include "disk/parttype.h"
#include "machine/machine.h"
#include "machine/menu.h"

#define MIB (1024ULL * 1024)

/* Appends a disk of `mib` MiB with the given bus and table kind. */
static struct wr_machine_disk *add_disk(struct wr_machine *m, enum wr_bus bus, uint64_t mib,
                                        enum wr_table_kind kind, bool stick)
{
    struct wr_machine_disk *d;
    struct wr_partition_table *t;
    struct wr_err err;

    if (wr_machine_add_disk(m, &d, &err) != WR_OK)
        abort();
    d->bus = bus;
    d->is_stick = stick;
    d->sector_size = 512;
    d->sector_count = mib * MIB / 512;
    t = wr_alloc(sizeof *t);
    t->kind = kind;
    if (wr_machine_disk_set_table(d, t, &err) != WR_OK)
        abort();
    return d;
}

/* Adds a partition; the per-partition facts array is regrown to match. */
static struct wr_machine_part *add_part(struct wr_machine_disk *d, const struct wr_guid *type,
                                        uint8_t mbr_type, uint64_t first, uint64_t count,
                                        enum wr_fs_kind fs)
{
    struct wr_partition_table *t = d->table;
    struct wr_partition *p = &t->parts[t->count];
    struct wr_machine_part *grown;

    p->number = t->count + 1;
    p->first_lba = first;
    p->sector_count = count;
    if (type)
        p->type_guid = *type;
    p->mbr_type = mbr_type;
    memset(&p->part_guid, 0x11 * (int)p->number, sizeof p->part_guid);
    t->count++;
    grown = wr_realloc(d->parts, t->count * sizeof *grown);
    if (!grown)
        abort();
    memset(&grown[t->count - 1], 0, sizeof *grown);
    d->parts = grown;
    d->parts[t->count - 1].fs.kind = fs;
    d->parts[t->count - 1].fs_probed = true;
    return &d->parts[t->count - 1];
}

/* A Windows host disk: ESP (+ boot manager when `windows`), MSR, data. */
static struct wr_machine_disk *add_host(struct wr_machine *m, enum wr_bus bus, uint64_t mib,
                                        bool windows)
{
    struct wr_machine_disk *d = add_disk(m, bus, mib, WR_TABLE_GPT, false);
    struct wr_machine_part *esp = add_part(d, &wr_gpt_type_esp, 0, 2048, 32768, WR_FS_FAT32);

    esp->mounted = true;
    esp->esp_checked = true;
    esp->has_bootmgfw = windows;
    esp->has_bcd = windows;
    add_part(d, &wr_gpt_type_msr, 0, 34816, 32768, WR_FS_UNKNOWN);
    add_part(d, &wr_gpt_type_basic_data, 0, 67584, 100000, WR_FS_NTFS);
    return d;
}

static struct wr_machine_disk *add_stick(struct wr_machine *m, bool togo)
{
    struct wr_machine_disk *d = add_disk(m, WR_BUS_USB, 256, WR_TABLE_GPT, true);
    struct wr_machine_part *esp = add_part(d, &wr_gpt_type_esp, 0, 2048, 131072, WR_FS_FAT32);

    esp->mounted = true;
    esp->has_bootmgfw = togo;
    esp->has_bcd = togo;
    add_part(d, &wr_gpt_type_basic_data, 0, 133120, 300000, WR_FS_NTFS);
    return d;
}

static struct wr_conf conf_with(int32_t timeout, enum wr_conf_default def)
{
    struct wr_conf c;

    wr_conf_init(&c);
    c.timeout = timeout;
    c.default_entry = def;
    return c;
}

static void sizes_read_like_diskpart(void)
{
    char buf[32];

    wr_machine_size_text(0, buf, sizeof buf);
    CHECK_STR(buf, "0 bytes");
    wr_machine_size_text(1023, buf, sizeof buf);
    CHECK_STR(buf, "1023 bytes");
    wr_machine_size_text(1024, buf, sizeof buf);
    CHECK_STR(buf, "1 KiB");
    wr_machine_size_text(128 * MIB, buf, sizeof buf);
    CHECK_STR(buf, "128 MiB");
    wr_machine_size_text(1536 * MIB, buf, sizeof buf);
    CHECK_STR(buf, "1.5 GiB");
    wr_machine_size_text(1000000000000ULL, buf, sizeof buf);
    CHECK_STR(buf, "931 GiB");
    wr_machine_size_text(UINT64_MAX, buf, sizeof buf);
    CHECK_STR(buf, "15 EiB");
    wr_machine_size_text(3 * (1ULL << 60) / 2, buf, sizeof buf);
    CHECK_STR(buf, "1.5 EiB");
}

static void bus_names_match_the_contract(void)
{
    static const char *const want[] = { "other", "USB", "NVMe", "SATA", "SCSI",
                                        "virtio", "SD", "eMMC", "UFS" };

    for (int b = WR_BUS_OTHER; b <= WR_BUS_UFS; b++)
        CHECK_STR(wr_machine_bus_name((enum wr_bus)b), want[b]);
    CHECK_STR(wr_machine_bus_name((enum wr_bus)99), "other");
}

static void disk_lines_and_descriptions(void)
{
    struct wr_machine m = { 0 };
    char buf[96];

    add_stick(&m, true);
    add_host(&m, WR_BUS_NVME, 128, true);
    add_disk(&m, WR_BUS_SATA, 64, WR_TABLE_MBR, false);
    add_disk(&m, WR_BUS_SCSI, 32, WR_TABLE_NONE, false);
    wr_machine_disk_line(&m.disks[0], buf, sizeof buf);
    CHECK_STR(buf, "disk 0: USB 256 MiB GPT (this stick)");
    wr_machine_disk_line(&m.disks[1], buf, sizeof buf);
    CHECK_STR(buf, "disk 1: NVMe 128 MiB GPT");
    wr_machine_disk_line(&m.disks[2], buf, sizeof buf);
    CHECK_STR(buf, "disk 2: SATA 64 MiB MBR");
    wr_machine_disk_line(&m.disks[3], buf, sizeof buf);
    CHECK_STR(buf, "disk 3: SCSI 32 MiB no table");
    wr_machine_disk_describe(&m.disks[1], buf, sizeof buf);
    CHECK_STR(buf, "NVMe disk 1, 128 MiB");
    CHECK(!wr_machine_disk_is_internal(&m.disks[0]));
    CHECK(wr_machine_disk_is_internal(&m.disks[1]));
    wr_machine_free(&m);
}

static void stick_moves_to_the_front(void)
{
    struct wr_machine m = { 0 };

    add_host(&m, WR_BUS_NVME, 128, true);
    add_host(&m, WR_BUS_SATA, 64, false);
    add_stick(&m, true);
    wr_machine_stick_first(&m);
    CHECK(m.disks[0].is_stick);
    CHECK_INT(m.disks[1].bus, WR_BUS_NVME);
    CHECK_INT(m.disks[2].bus, WR_BUS_SATA);
    for (uint32_t i = 0; i < m.disk_count; i++)
        CHECK_INT(m.disks[i].index, i);
    wr_machine_free(&m);
}

static void menu_lists_togo_then_internal_then_actions(void)
{
    struct wr_machine m = { 0 };
    struct wr_conf c = conf_with(5, WR_CONF_DEFAULT_AUTO);
    struct wr_menu menu;
    char line[128];

    add_stick(&m, true);
    add_host(&m, WR_BUS_NVME, 128, true);
    wr_menu_build(&m, &c, &menu);
    CHECK_INT(menu.boot_count, 2);
    CHECK_INT(menu.count, 7); /* + b) BCD viewer: the ESPs hold a BCD */
    CHECK_INT(wr_menu_find_key(&menu, 'b'), 6);
    CHECK_INT(wr_machine_bootmgr_count(&m), 2);
    wr_menu_entry_line(&menu, 0, true, line, sizeof line);
    CHECK_STR(line, "> 1) Windows To Go (this stick)");
    wr_menu_entry_line(&menu, 1, false, line, sizeof line);
    CHECK_STR(line, "  2) Windows on NVMe disk 1 (128 MiB)");
    wr_menu_entry_line(&menu, 2, false, line, sizeof line);
    CHECK_STR(line, "  d) Disks");
    wr_menu_entry_line(&menu, 3, false, line, sizeof line);
    CHECK_STR(line, "  f) Reboot into firmware setup");
    wr_menu_entry_line(&menu, 4, false, line, sizeof line);
    CHECK_STR(line, "  r) Reboot");
    wr_menu_entry_line(&menu, 5, false, line, sizeof line);
    CHECK_STR(line, "  s) Shut down");
    CHECK(menu.has_default);
    CHECK(menu.countdown);
    CHECK_INT(menu.selected, 0);
    CHECK_INT(menu.entries[1].target.disk, 1);
    CHECK_INT(menu.entries[1].target.part, 0);
    wr_menu_countdown_line(&menu, 5, line, sizeof line);
    CHECK_STR(line, "Booting Windows To Go (this stick) in 5s (any key stops)");
    wr_machine_free(&m);
}

static void default_internal_is_first_internal_by_disk_order(void)
{
    struct wr_machine m = { 0 };
    struct wr_conf c = conf_with(3, WR_CONF_DEFAULT_INTERNAL);
    struct wr_menu menu;

    add_stick(&m, true);
    add_host(&m, WR_BUS_SATA, 64, false); /* no Windows here */
    add_host(&m, WR_BUS_NVME, 128, true);
    add_host(&m, WR_BUS_SCSI, 96, true);
    wr_menu_build(&m, &c, &menu);
    CHECK_INT(menu.boot_count, 3);
    CHECK(menu.has_default);
    CHECK_INT(menu.selected, 1);
    CHECK_STR(menu.entries[1].title, "Windows on NVMe disk 2 (128 MiB)");
    CHECK_STR(menu.entries[2].title, "Windows on SCSI disk 3 (96 MiB)");
    CHECK_INT(menu.timeout, 3);
    wr_machine_free(&m);
}

static void auto_default_falls_back_to_internal(void)
{
    struct wr_machine m = { 0 };
    struct wr_conf c = conf_with(5, WR_CONF_DEFAULT_AUTO);
    struct wr_menu menu;

    add_stick(&m, false);
    add_host(&m, WR_BUS_NVME, 128, true);
    wr_menu_build(&m, &c, &menu);
    CHECK_INT(menu.boot_count, 1);
    CHECK(menu.has_default);
    CHECK(menu.countdown);
    CHECK_STR(menu.entries[menu.selected].title, "Windows on NVMe disk 1 (128 MiB)");
    CHECK_STR(menu.note, "");
    wr_machine_free(&m);
}

static void missing_configured_default_waits_with_a_note(void)
{
    struct wr_machine m = { 0 };
    struct wr_conf c = conf_with(5, WR_CONF_DEFAULT_TOGO);
    struct wr_menu menu;

    add_stick(&m, false);
    add_host(&m, WR_BUS_NVME, 128, true);
    wr_menu_build(&m, &c, &menu);
    CHECK(!menu.has_default);
    CHECK(!menu.countdown);
    CHECK_INT(menu.selected, 0);
    CHECK(strstr(menu.note, "default togo") != NULL);
    wr_machine_free(&m);
}

static void menu_default_and_forever_stop_the_countdown(void)
{
    struct wr_machine m = { 0 };
    struct wr_conf c = conf_with(5, WR_CONF_DEFAULT_MENU);
    struct wr_menu menu;

    add_stick(&m, true);
    wr_menu_build(&m, &c, &menu);
    CHECK(!menu.has_default);
    CHECK(!menu.countdown);
    c = conf_with(WR_CONF_TIMEOUT_FOREVER, WR_CONF_DEFAULT_TOGO);
    wr_menu_build(&m, &c, &menu);
    CHECK(menu.has_default);
    CHECK(!menu.countdown);
    c = conf_with(0, WR_CONF_DEFAULT_AUTO);
    wr_menu_build(&m, &c, &menu);
    CHECK(menu.countdown);
    CHECK_INT(menu.timeout, 0);
    wr_machine_free(&m);
}

static void no_windows_still_offers_the_actions(void)
{
    struct wr_machine m = { 0 };
    struct wr_conf c = conf_with(5, WR_CONF_DEFAULT_AUTO);
    struct wr_menu menu;

    add_stick(&m, false);
    add_host(&m, WR_BUS_NVME, 128, false);
    wr_menu_build(&m, &c, &menu);
    CHECK_INT(menu.boot_count, 0);
    CHECK_INT(menu.count, 4);
    CHECK(!menu.has_default);
    CHECK(!menu.countdown);
    CHECK_INT(wr_menu_find_key(&menu, 'd'), 0);
    CHECK_INT(wr_menu_find_key(&menu, 'S'), 3);
    CHECK_INT(wr_menu_find_key(&menu, '1'), -1);
    CHECK_INT(wr_machine_bootmgr_count(&m), 0);
    wr_machine_free(&m);
}

static void two_boot_managers_on_one_disk_get_partition_numbers(void)
{
    struct wr_machine m = { 0 };
    struct wr_conf c = conf_with(5, WR_CONF_DEFAULT_AUTO);
    struct wr_menu menu;
    struct wr_machine_disk *d;
    struct wr_machine_part *second;

    add_stick(&m, true);
    d = add_host(&m, WR_BUS_NVME, 128, true);
    second = add_part(d, &wr_gpt_type_esp, 0, 200000, 2048, WR_FS_FAT16);
    second->has_bootmgfw = true;
    wr_menu_build(&m, &c, &menu);
    CHECK_INT(menu.boot_count, 3);
    CHECK_STR(menu.entries[1].title, "Windows on NVMe disk 1 (128 MiB), partition 1");
    CHECK_STR(menu.entries[2].title, "Windows on NVMe disk 1 (128 MiB), partition 4");
    wr_machine_free(&m);
}

static void at_most_nine_boot_entries(void)
{
    struct wr_machine m = { 0 };
    struct wr_conf c = conf_with(5, WR_CONF_DEFAULT_AUTO);
    struct wr_menu menu;

    for (int i = 0; i < 12; i++)
        add_host(&m, WR_BUS_SATA, 64, true);
    wr_menu_build(&m, &c, &menu);
    CHECK_INT(menu.boot_count, 9);
    CHECK_INT(menu.count, 14);
    CHECK_INT(menu.entries[8].key, '9');
    CHECK_INT(wr_menu_find_key(&menu, '9'), 8);
    wr_machine_free(&m);
}

static void mbr_fat_partition_counts_as_esp_when_mounted(void)
{
    struct wr_machine m = { 0 };
    struct wr_machine_disk *d = add_disk(&m, WR_BUS_SATA, 64, WR_TABLE_MBR, false);

    add_part(d, NULL, 0x0c, 2048, 129024, WR_FS_FAT32);
    add_part(d, NULL, 0x07, 131072, 1000, WR_FS_NTFS);
    CHECK(!wr_machine_part_is_esp_like(d, 0));
    d->parts[0].mounted = true;
    CHECK(wr_machine_part_is_esp_like(d, 0));
    d->parts[1].mounted = true;
    CHECK(!wr_machine_part_is_esp_like(d, 1));
    CHECK(!wr_machine_part_is_esp_like(d, 7));
    wr_machine_free(&m);
}

static void disks_screen_lists_disks_and_partitions(void)
{
    struct wr_machine m = { 0 };
    struct wr_text t = { 0 };
    struct wr_machine_disk *d;
    struct wr_machine_part *p;

    add_stick(&m, true);
    add_host(&m, WR_BUS_NVME, 128, true);
    d = add_disk(&m, WR_BUS_SATA, 64, WR_TABLE_MBR, false);
    d->table->mbr_signature = 0x1234abcd;
    p = add_part(d, NULL, 0x0c, 2048, 129024, WR_FS_FAT32);
    p->mounted = true;
    p->has_bootmgfw = true;
    memcpy(p->fs.label, "MBRDATA", 8);
    wr_machine_disks_text(&m, &t);
    if (getenv("SHOW_DISKS"))
        fputs(t.data, stdout);
    CHECK(!t.failed);
    CHECK(strncmp(t.data, "Disks\nDisk 0  USB  256 MiB  GPT  (this stick)\n", 46) == 0);
    CHECK(strstr(t.data, "\nDisk 1  NVMe  128 MiB  GPT\n") != NULL);
    CHECK(strstr(t.data, "\n  Part 1  EFI system  FAT32  16 MiB\n") != NULL);
    CHECK(strstr(t.data, "GUID 11111111-1111-1111-1111-111111111111  ESP: Windows Boot Manager\n")
          != NULL);
    CHECK(strstr(t.data, "\n  Part 3  Microsoft basic data  NTFS  48 MiB\n") != NULL);
    CHECK(strstr(t.data, "\nDisk 2  SATA  64 MiB  MBR\n        signature 1234ABCD\n") != NULL);
    CHECK(strstr(t.data, "\nDisk 1  NVMe  128 MiB  GPT\n"
                         "        disk GUID 00000000-0000-0000-0000-000000000000\n") != NULL);
    CHECK(strstr(t.data, "  FAT32  63 MiB  \"MBRDATA\"\n          offset 0x100000  "
                         "ESP: Windows Boot Manager, no BCD\n") != NULL);
    for (size_t i = 0, col = 0; i < t.len; i++, col++) {
        if (t.data[i] == '\n')
            col = 0;
        CHECK_MSG(col < 80, "line longer than 80 columns at byte %zu", i);
    }
    wr_text_free(&t);
    wr_machine_free(&m);
}

static void disks_screen_explains_unreadable_tables(void)
{
    struct wr_machine m = { 0 };
    struct wr_text t = { 0 };
    struct wr_machine_disk *d;
    struct wr_err err;

    if (wr_machine_add_disk(&m, &d, &err) != WR_OK)
        abort();
    d->bus = WR_BUS_VIRTIO;
    d->removable = true;
    d->sector_size = 4096;
    d->sector_count = 16384;
    memcpy(d->table_error, "both GPT headers damaged", 25);
    wr_machine_disks_text(&m, &t);
    CHECK_STR(t.data, "Disks\nDisk 0  virtio  64 MiB  no table\n        4096-byte sectors removable\n"
                      "  partition table unreadable: both GPT headers damaged\n");
    wr_text_free(&t);
    wr_machine_free(&m);
}

static void too_many_disks_is_a_clear_error(void)
{
    struct wr_machine m = { 0 };
    struct wr_machine_disk *d;
    struct wr_err err;

    for (int i = 0; i < WR_MACHINE_MAX_DISKS; i++)
        CHECK_OK(wr_machine_add_disk(&m, &d, &err), &err);
    CHECK_INT(wr_machine_add_disk(&m, &d, &err), WR_E_TOO_BIG);
    CHECK(strstr(err.msg, "more than 64 disks") != NULL);
    wr_machine_free(&m);
}

static void config_text_drives_the_menu(void)
{
    static const char text[] = "# boot the PC's own Windows at once\r\ndefault internal\r\ntimeout 0\r\n";
    struct wr_machine m = { 0 };
    struct wr_conf c;
    struct wr_menu menu;
    struct wr_err err;

    add_stick(&m, true);
    add_disk(&m, WR_BUS_USB, 32, WR_TABLE_NONE, false); /* a second USB disk, no table */
    add_host(&m, WR_BUS_NVME, 128, true);
    wr_conf_init(&c);
    CHECK_OK(wr_conf_parse(&c, text, sizeof text - 1, &err), &err);
    CHECK_INT(c.warning_count, 0);
    wr_menu_build(&m, &c, &menu);
    CHECK(menu.has_default);
    CHECK(menu.countdown);
    CHECK_INT(menu.timeout, 0);
    CHECK_STR(menu.entries[menu.selected].title, "Windows on NVMe disk 2 (128 MiB)");
    wr_conf_free(&c);
    wr_machine_free(&m);
}

static void other_usb_disks_are_offered_but_never_internal(void)
{
    struct wr_machine m = { 0 };
    struct wr_conf c = conf_with(5, WR_CONF_DEFAULT_INTERNAL);
    struct wr_menu menu;
    struct wr_machine_disk *usb;

    add_stick(&m, false);
    usb = add_host(&m, WR_BUS_USB, 64, true);
    CHECK(!wr_machine_disk_is_internal(usb));
    wr_menu_build(&m, &c, &menu);
    CHECK_INT(menu.boot_count, 1);
    CHECK_STR(menu.entries[0].title, "Windows on USB disk 1 (64 MiB)");
    CHECK(!menu.has_default);
    CHECK(strstr(menu.note, "default internal") != NULL);
    wr_machine_free(&m);
}

int main(void)
{
    RUN(sizes_read_like_diskpart);
    RUN(bus_names_match_the_contract);
    RUN(disk_lines_and_descriptions);
    RUN(stick_moves_to_the_front);
    RUN(menu_lists_togo_then_internal_then_actions);
    RUN(default_internal_is_first_internal_by_disk_order);
    RUN(auto_default_falls_back_to_internal);
    RUN(missing_configured_default_waits_with_a_note);
    RUN(menu_default_and_forever_stop_the_countdown);
    RUN(no_windows_still_offers_the_actions);
    RUN(two_boot_managers_on_one_disk_get_partition_numbers);
    RUN(at_most_nine_boot_entries);
    RUN(mbr_fat_partition_counts_as_esp_when_mounted);
    RUN(disks_screen_lists_disks_and_partitions);
    RUN(disks_screen_explains_unreadable_tables);
    RUN(too_many_disks_is_a_clear_error);
    RUN(config_text_drives_the_menu);
    RUN(other_usb_disks_are_offered_but_never_internal);
    return check_done();
}
