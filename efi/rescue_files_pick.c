/* Where a rescue reads and writes: NTFS partitions that have \Users (opened
 * read-only through lib/ntfs on the partition's BlockIo), and the stick's
 * data partition through the firmware's FAT driver. */
#include <efi.h>
#include <efilib.h>

#include "base/fmt.h"
#include "rescue_files_pick.h"
#include "windows/windows.h"

/* Which Windows this is, to tell installations apart in the list. */
static void name_product(struct rf_source_vol *s)
{
    struct wr_windows_info *info = wr_alloc(sizeof *info);

    s->product[0] = '\0';
    if (info) {
        wr_windows_probe_ntfs(s->ntfs, info);
        if (info->is_windows && info->product_name[0])
            wr_format(s->product, sizeof s->product, "%s%s%s", info->product_name,
                      info->display_version[0] ? " " : "", info->display_version);
    }
    wr_free(info);
}

static BOOLEAN open_source(const struct wr_machine_disk *d, uint32_t j, struct rf_source_vol *s)
{
    EFI_BLOCK_IO *bio;
    struct wr_ntfs_stat st;
    struct wr_err err = { 0 };
    char what[64];

    if (uefi_call_wrapper(BS->HandleProtocol, 3, d->parts[j].handle, &BlockIoProtocol,
                          (void **)&bio) != EFI_SUCCESS)
        return FALSE;
    wr_machine_disk_describe(d, what, sizeof what);
    wr_format(s->name, sizeof s->name, "%s, partition %u", what, d->table->parts[j].number);
    if (wr_blockio_dev_open(&s->dev, bio, s->name, FALSE, &err) != WR_OK)
        return FALSE;
    if (wr_ntfs_open(&s->dev.dev, &s->ntfs, &err) == WR_OK) {
        if (wr_ntfs_stat(s->ntfs, "\\Users", &st, &err) == WR_OK && st.is_dir) {
            wr_rf_ntfs_source(s->ntfs, &s->src);
            name_product(s);
            return TRUE;
        }
        wr_ntfs_close(s->ntfs);
    }
    wr_blockio_dev_close(&s->dev);
    return FALSE;
}

UINT32 rf_find_sources(const struct wr_machine *m, struct rf_source_vol *out, UINT32 max)
{
    UINT32 n = 0;

    for (UINT32 i = 0; i < m->disk_count; i++) {
        const struct wr_machine_disk *d = &m->disks[i];

        for (uint32_t j = 0; d->table && j < d->table->count && n < max; j++)
            if (d->parts[j].fs.kind == WR_FS_NTFS && d->parts[j].handle &&
                open_source(d, j, &out[n]))
                n++;
    }
    return n;
}

void rf_close_sources(struct rf_source_vol *v, UINT32 n)
{
    for (UINT32 i = 0; i < n; i++) {
        wr_ntfs_close(v[i].ntfs);
        wr_blockio_dev_close(&v[i].dev);
    }
}

static bool is_data_fs(enum wr_fs_kind k)
{
    return k == WR_FS_FAT32 || k == WR_FS_FAT16 || k == WR_FS_EXFAT;
}

static void free_space(struct rf_target *t)
{
    UINTN size = SIZE_OF_EFI_FILE_SYSTEM_INFO + 512;
    EFI_FILE_SYSTEM_INFO *info = wr_alloc(size);

    t->free = UINT64_MAX;
    t->cluster = 4096;
    if (info && uefi_call_wrapper(t->vol.root->GetInfo, 4, t->vol.root, &FileSystemInfo,
                                  &size, info) == EFI_SUCCESS) {
        t->free = info->FreeSpace;
        if (info->BlockSize)
            t->cluster = info->BlockSize;
    }
    wr_free(info);
}

/* The stick's first FAT/exFAT partition that is not its ESP. */
BOOLEAN rf_open_target(const struct wr_machine *m, struct rf_target *t, char *why,
                       UINTN why_size)
{
    struct wr_err err = { 0 };

    for (UINT32 i = 0; i < m->disk_count; i++) {
        const struct wr_machine_disk *d = &m->disks[i];

        for (uint32_t j = 0; d->is_stick && d->table && j < d->table->count; j++) {
            if (!is_data_fs(d->parts[j].fs.kind) || wr_machine_part_is_esp_like(d, j))
                continue;
            wr_format(t->name, sizeof t->name, "the stick's data partition %u",
                      d->table->parts[j].number);
            if (!d->parts[j].handle ||
                wr_sfs_volume_open(&t->vol, d->parts[j].handle, t->name, &err) != WR_OK) {
                wr_format(why, why_size, d->parts[j].fs.kind == WR_FS_EXFAT
                              ? "The stick's data partition is exFAT, which this firmware "
                                "cannot write: exFAT is unsupported here. Format it FAT32."
                              : "The stick's data partition %u cannot be opened: %s",
                          d->table->parts[j].number, err.msg);
                return FALSE;
            }
            free_space(t);
            return TRUE;
        }
    }
    wr_format(why, why_size, "This stick has no data partition to copy to (build the image "
                             "with DATA_MIB=..., see mk/make-image.sh).");
    return FALSE;
}
