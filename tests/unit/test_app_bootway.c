/* wr_menu_boot_way: which Windows the app may chain-load and which the
 * firmware must start (BitLocker + TPM), with the reason it shows. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "machine/menu.h"

/* A disk of three partitions; partition 3 has filesystem `fs`. */
static struct wr_machine_disk *disk(struct wr_machine *m, bool stick, enum wr_fs_kind fs)
{
    struct wr_machine_disk *d;
    struct wr_partition_table *t = wr_alloc(sizeof *t);
    struct wr_err err;

    if (!t || wr_machine_add_disk(m, &d, &err) != WR_OK)
        abort();
    d->is_stick = stick;
    d->bus = stick ? WR_BUS_USB : WR_BUS_NVME;
    t->kind = WR_TABLE_GPT;
    t->count = 3;
    for (uint32_t i = 0; i < 3; i++)
        t->parts[i].number = i + 1;
    if (wr_machine_disk_set_table(d, t, &err) != WR_OK)
        abort();
    d->parts[0].fs.kind = WR_FS_FAT32;
    d->parts[0].has_bootmgfw = true;
    d->parts[2].fs.kind = fs;
    for (uint32_t i = 0; i < 3; i++)
        d->parts[i].fs_probed = true;
    return d;
}

static struct wr_boot_target target(uint32_t disk_index, bool togo)
{
    struct wr_boot_target t;

    memset(&t, 0, sizeof t);
    t.disk = disk_index;
    t.togo = togo;
    return t;
}

static void bitlocker_with_tpm_goes_through_the_firmware(void)
{
    struct wr_machine m = { 0 };
    struct wr_boot_target t;
    char why[160];

    disk(&m, true, WR_FS_NTFS);
    disk(&m, false, WR_FS_BITLOCKER);
    t = target(1, false);
    CHECK_INT(wr_menu_boot_way(&m, &t, true, why, sizeof why), WR_BOOT_FIRMWARE);
    CHECK_MSG(!strcmp(why, "BitLocker protects disk 1 partition 3 and a TPM is present"), "%s",
              why);
    CHECK_INT(wr_menu_boot_way(&m, &t, false, why, sizeof why), WR_BOOT_CHAINLOAD);
    CHECK_MSG(!strcmp(why, "BitLocker protects disk 1 partition 3, but there is no TPM"), "%s",
              why);
    wr_machine_free(&m);
}

static void plain_ntfs_and_togo_are_chainloaded(void)
{
    struct wr_machine m = { 0 };
    struct wr_boot_target t;
    char why[160];

    disk(&m, true, WR_FS_BITLOCKER); /* an encrypted To Go: still ours to start */
    disk(&m, false, WR_FS_NTFS);
    t = target(0, true);
    CHECK_INT(wr_menu_boot_way(&m, &t, true, why, sizeof why), WR_BOOT_CHAINLOAD);
    CHECK_MSG(!strcmp(why, "Windows To Go is always started from here"), "%s", why);
    t = target(1, false);
    CHECK_INT(wr_menu_boot_way(&m, &t, true, why, sizeof why), WR_BOOT_CHAINLOAD);
    CHECK_MSG(!strcmp(why, "no BitLocker volume on disk 1"), "%s", why);
    wr_machine_free(&m);
}

static void unprobed_partition_is_not_taken_for_bitlocker(void)
{
    struct wr_machine m = { 0 };
    struct wr_machine_disk *d;
    struct wr_boot_target t;
    char why[160];

    disk(&m, true, WR_FS_NTFS);
    d = disk(&m, false, WR_FS_BITLOCKER);
    d->parts[2].fs_probed = false;
    t = target(1, false);
    CHECK_INT(wr_menu_boot_way(&m, &t, true, why, sizeof why), WR_BOOT_CHAINLOAD);
    wr_machine_free(&m);
}

/* default @saved: the entry whose title was saved; none saved, or gone:
 * the usual default. */
static void saved_default_picks_the_saved_title(void)
{
    struct wr_machine m = { 0 };
    struct wr_conf c;
    struct wr_menu menu;

    disk(&m, true, WR_FS_NTFS);
    disk(&m, false, WR_FS_NTFS);
    wr_conf_init(&c);
    c.default_entry = WR_CONF_DEFAULT_SAVED;
    wr_menu_build(&m, &c, &menu);
    CHECK_INT(menu.boot_count, 2);
    CHECK_INT(menu.selected, 0);   /* nothing saved: To Go, as unset */
    CHECK(menu.countdown);
    strcpy(c.saved_title, menu.entries[1].title);
    wr_menu_build(&m, &c, &menu);
    CHECK_INT(menu.selected, 1);
    CHECK(menu.has_default);
    strcpy(c.saved_title, "Windows on SATA disk 9 (1 GiB)");
    wr_menu_build(&m, &c, &menu);
    CHECK_INT(menu.selected, 0);
    wr_conf_free(&c);
    wr_machine_free(&m);
}

int main(void)
{
    RUN(bitlocker_with_tpm_goes_through_the_firmware);
    RUN(plain_ntfs_and_togo_are_chainloaded);
    RUN(unprobed_partition_is_not_taken_for_bitlocker);
    RUN(saved_default_picks_the_saved_title);
    return check_done();
}
