/* The Disks screen: what diskpart's "list disk" shows, plus partitions and
 * the facts a rescue needs (which ESP holds a Windows boot manager). Lines
 * stay within 80 columns for the serial console. */
#include "machine/machine.h"

#include "base/guid.h"
#include "disk/parttype.h"

/* The identity line under a disk: what a rescue needs to tell two
 * similar disks apart. */
static void disk_identity(const struct wr_machine_disk *d, struct wr_text *t)
{
    char guid[WR_GUID_TEXT_LEN + 1], id[64] = "", sectors[32] = "";

    if (d->table && d->table->kind == WR_TABLE_GPT) {
        wr_guid_format(&d->table->disk_guid, guid, true);
        wr_format(id, sizeof id, " disk GUID %s", guid);
    } else if (d->table && d->table->kind == WR_TABLE_MBR) {
        wr_format(id, sizeof id, " signature %08X", d->table->mbr_signature);
    }
    if (d->sector_size != 512)
        wr_format(sectors, sizeof sectors, " %u-byte sectors", d->sector_size);
    if (id[0] || sectors[0] || d->removable)
        wr_text_printf(t, "       %s%s%s\n", id, sectors, d->removable ? " removable" : "");
}

static void disk_header(const struct wr_machine_disk *d, struct wr_text *t)
{
    char sz[32];

    wr_machine_size_text(wr_machine_disk_bytes(d), sz, sizeof sz);
    wr_text_printf(t, "Disk %u  %s  %s  %s%s\n", d->index, wr_machine_bus_name(d->bus), sz,
                   wr_machine_table_name(d), d->is_stick ? "  (this stick)" : "");
    disk_identity(d, t);
    if (!d->table && d->table_error[0])
        wr_text_printf(t, "  partition table unreadable: %.68s\n", d->table_error);
    else if (d->table && d->table->used_backup_gpt)
        wr_text_puts(t, "  primary GPT damaged; read the backup copy\n");
}

static void esp_note(const struct wr_machine_part *mp, struct wr_text *t)
{
    if (mp->has_bootmgfw)
        wr_text_puts(t, mp->has_bcd ? "  ESP: Windows Boot Manager"
                                    : "  ESP: Windows Boot Manager, no BCD");
    else if (mp->has_bcd)
        wr_text_puts(t, "  ESP: BCD without boot manager");
}

static void part_lines(const struct wr_machine_disk *d, uint32_t i, struct wr_text *t)
{
    const struct wr_partition *p = &d->table->parts[i];
    const struct wr_machine_part *mp = &d->parts[i];
    char type[64], sz[32], guid[WR_GUID_TEXT_LEN + 1];

    wr_partition_type_text(d->table, p, type, sizeof type);
    wr_machine_size_text(p->sector_count * d->sector_size, sz, sizeof sz);
    wr_text_printf(t, "  Part %u  %s  %s  %s", p->number, type,
                   mp->fs_probed ? wr_fs_name(mp->fs.kind) : "unreadable", sz);
    if (mp->fs.label[0])
        wr_text_printf(t, "  \"%.24s\"", mp->fs.label);
    wr_text_puts(t, "\n          ");
    if (d->table->kind == WR_TABLE_GPT) {
        wr_guid_format(&p->part_guid, guid, true);
        wr_text_printf(t, "GUID %s", guid);
    } else {
        wr_text_printf(t, "offset 0x%llX",
                       (unsigned long long)(p->first_lba * d->sector_size));
    }
    esp_note(mp, t);
    wr_text_puts(t, "\n");
}

void wr_machine_disks_text(const struct wr_machine *m, struct wr_text *t)
{
    wr_text_puts(t, "Disks\n");
    if (m->disk_count == 0)
        wr_text_puts(t, "  No disks were found.\n");
    for (uint32_t i = 0; i < m->disk_count; i++) {
        const struct wr_machine_disk *d = &m->disks[i];

        disk_header(d, t);
        for (uint32_t j = 0; d->table && j < d->table->count; j++)
            part_lines(d, j, t);
    }
}
