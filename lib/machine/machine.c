#include "machine/machine.h"

#include "base/fmt.h"
#include "disk/parttype.h"

const char *wr_machine_bus_name(enum wr_bus bus)
{
    switch (bus) {
    case WR_BUS_USB: return "USB";
    case WR_BUS_NVME: return "NVMe";
    case WR_BUS_SATA: return "SATA";
    case WR_BUS_SCSI: return "SCSI";
    case WR_BUS_VIRTIO: return "virtio";
    case WR_BUS_SD: return "SD";
    case WR_BUS_EMMC: return "eMMC";
    case WR_BUS_UFS: return "UFS";
    case WR_BUS_OTHER: break;
    }
    return "other";
}

bool wr_machine_disk_is_internal(const struct wr_machine_disk *d)
{
    return !d->is_stick && d->bus != WR_BUS_USB;
}

wr_status wr_machine_add_disk(struct wr_machine *m, struct wr_machine_disk **out,
                              struct wr_err *err)
{
    struct wr_machine_disk *grown;

    if (m->disk_count >= WR_MACHINE_MAX_DISKS)
        return wr_fail(err, WR_E_TOO_BIG, "more than %d disks; the rest are ignored",
                       WR_MACHINE_MAX_DISKS);
    grown = wr_realloc(m->disks, (m->disk_count + 1) * sizeof *grown);
    if (!grown)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory adding disk %u", m->disk_count);
    m->disks = grown;
    *out = &grown[m->disk_count];
    memset(*out, 0, sizeof **out);
    (*out)->index = m->disk_count++;
    return WR_OK;
}

wr_status wr_machine_disk_set_table(struct wr_machine_disk *d,
                                    struct wr_partition_table *table,
                                    struct wr_err *err)
{
    struct wr_machine_part *parts = NULL;

    if (table->count) {
        parts = wr_alloc_array(table->count, sizeof *parts);
        if (!parts)
            return wr_fail(err, WR_E_NO_MEMORY, "out of memory for %u partitions of disk %u",
                           table->count, d->index);
    }
    wr_free(d->parts);
    wr_free(d->table);
    d->table = table;
    d->parts = parts;
    d->table_error[0] = '\0';
    return WR_OK;
}

void wr_machine_stick_first(struct wr_machine *m)
{
    for (uint32_t i = 1; i < m->disk_count; i++) {
        if (m->disks[i].is_stick) {
            struct wr_machine_disk stick = m->disks[i];

            memmove(&m->disks[1], &m->disks[0], i * sizeof m->disks[0]);
            m->disks[0] = stick;
            break;
        }
    }
    for (uint32_t i = 0; i < m->disk_count; i++)
        m->disks[i].index = i;
}

void wr_machine_free(struct wr_machine *m)
{
    for (uint32_t i = 0; i < m->disk_count; i++) {
        wr_free(m->disks[i].parts);
        wr_free(m->disks[i].table);
    }
    wr_free(m->disks);
    m->disks = NULL;
    m->disk_count = 0;
}

void wr_machine_size_text(uint64_t bytes, char *buf, size_t size)
{
    static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    unsigned u = 0;
    uint64_t whole, tenths;

    if (bytes < 1024) {
        wr_format(buf, size, "%llu bytes", (unsigned long long)bytes);
        return;
    }
    while (u + 1 < WR_ARRAY_LEN(units) && bytes >> (10 * (u + 2)))
        u++;
    whole = bytes >> (10 * (u + 1));
    /* The remainder is below 2^60, so ten times it still fits. */
    tenths = ((bytes & ((1ULL << (10 * (u + 1))) - 1)) * 10) >> (10 * (u + 1));
    if (whole < 10 && tenths)
        wr_format(buf, size, "%llu.%llu %s", (unsigned long long)whole,
                  (unsigned long long)tenths, units[u]);
    else
        wr_format(buf, size, "%llu %s", (unsigned long long)whole, units[u]);
}

uint64_t wr_machine_disk_bytes(const struct wr_machine_disk *d)
{
    return d->sector_count * d->sector_size;
}

void wr_machine_disk_describe(const struct wr_machine_disk *d, char *buf, size_t size)
{
    char sz[32];

    wr_machine_size_text(wr_machine_disk_bytes(d), sz, sizeof sz);
    wr_format(buf, size, "%s disk %u, %s", wr_machine_bus_name(d->bus), d->index, sz);
}

const char *wr_machine_table_name(const struct wr_machine_disk *d)
{
    if (d->table && d->table->kind == WR_TABLE_GPT)
        return "GPT";
    if (d->table && d->table->kind == WR_TABLE_MBR)
        return "MBR";
    return "no table";
}

void wr_machine_disk_line(const struct wr_machine_disk *d, char *buf, size_t size)
{
    char sz[32];

    wr_machine_size_text(wr_machine_disk_bytes(d), sz, sizeof sz);
    wr_format(buf, size, "disk %u: %s %s %s%s", d->index, wr_machine_bus_name(d->bus), sz,
              wr_machine_table_name(d), d->is_stick ? " (this stick)" : "");
}

static bool fs_is_fat(enum wr_fs_kind kind)
{
    return kind == WR_FS_FAT12 || kind == WR_FS_FAT16 || kind == WR_FS_FAT32;
}

bool wr_machine_part_is_esp_like(const struct wr_machine_disk *d, uint32_t i)
{
    const struct wr_partition *p;

    if (!d->table || i >= d->table->count)
        return false;
    p = &d->table->parts[i];
    if (wr_partition_is_esp(d->table, p))
        return true;
    return d->table->kind == WR_TABLE_MBR && d->parts[i].mounted &&
           (fs_is_fat(d->parts[i].fs.kind) || !d->parts[i].fs_probed);
}

uint32_t wr_machine_bootmgr_count(const struct wr_machine *m)
{
    uint32_t n = 0;

    for (uint32_t i = 0; i < m->disk_count; i++) {
        const struct wr_machine_disk *d = &m->disks[i];

        for (uint32_t j = 0; d->table && j < d->table->count; j++)
            n += d->parts[j].has_bootmgfw;
    }
    return n;
}
