/* Which table a disk has. A protective MBR (type 0xEE) means the GPT rules;
 * an MBR with real partitions and no 0xEE means MBR, even if a stale GPT
 * survives elsewhere (tools that repartition often leave the backup GPT). */
#include "base/bytes.h"
#include "disk/fsprobe.h"
#include "disk/tables.h"

#define MBR_TYPE_PROTECTIVE 0xEE

struct mbr_summary {
    bool valid;      /* 0x55AA, plausible records, not a volume boot sector */
    bool protective; /* some record is 0xEE */
    bool has_partitions;
    bool volume;     /* sector 0 is also a filesystem's boot sector */
};

static struct mbr_summary summarise_mbr(const uint8_t *sector0)
{
    struct mbr_summary s = { 0 };
    struct wr_fs_info fs;

    s.valid = wr_mbr_has_signature(sector0) && wr_mbr_records_plausible(sector0);
    if (!s.valid)
        return s;
    for (unsigned slot = 0; slot < 4; slot++) {
        struct wr_mbr_record rec;

        wr_mbr_record_decode(sector0, slot, &rec);
        if (rec.type == MBR_TYPE_PROTECTIVE)
            s.protective = true;
        else if (rec.type != 0 && rec.sector_count != 0)
            s.has_partitions = true;
    }
    wr_fs_identify(sector0, &fs);
    s.volume = fs.kind != WR_FS_UNKNOWN;
    /* A disk formatted without a partition table ("superfloppy") starts with
     * a boot sector whose record area is blank: that is a volume, not an
     * empty MBR. */
    if (!s.protective && !s.has_partitions && s.volume)
        s.valid = false;
    return s;
}

/* A superfloppy's boot code can look like partition records by chance; when
 * they make no sense, the volume is the better reading of sector 0. */
static wr_status read_mbr_or_volume(const struct wr_blockdev *dev, const uint8_t *sector0,
                                    const struct mbr_summary *mbr,
                                    struct wr_partition_table *out, struct wr_err *err)
{
    struct wr_err mbr_err = { 0 };
    uint32_t signature = out->mbr_signature;
    wr_status st = wr_mbr_read(dev, sector0, out, &mbr_err);

    if (st == WR_E_CORRUPT && mbr->volume) {
        memset(out, 0, sizeof *out);
        out->mbr_signature = signature;
        return WR_OK;
    }
    if (st && err)
        *err = mbr_err;
    return st;
}

/* A disk moved between a USB bridge that shows 4096-byte sectors and one
 * that shows 512 (or formatted for the other kind) keeps its GPT at LBA 1 of
 * the wrong sector size. Returns that size, so the message can say so, or 0. */
static uint32_t gpt_sector_size_mismatch(const struct wr_blockdev *dev, const uint8_t *sector0)
{
    uint8_t sig[8];

    for (uint32_t size = 512; size < dev->sector_size; size *= 2)
        if (memcmp(sector0 + size, "EFI PART", 8) == 0)
            return size;
    for (uint32_t size = dev->sector_size * 2; size <= 4096; size *= 2)
        if (wr_blockdev_read_bytes(dev, size, sizeof sig, sig, NULL) == WR_OK &&
            memcmp(sig, "EFI PART", 8) == 0)
            return size;
    return 0;
}

static wr_status no_gpt_behind_protective_mbr(const struct wr_blockdev *dev,
                                              const uint8_t *sector0, struct wr_err *err)
{
    uint32_t size = gpt_sector_size_mismatch(dev, sector0);

    if (size)
        return wr_fail(err, WR_E_CORRUPT,
                       "%s: the GPT was written for %u-byte sectors, but the device has "
                       "%u-byte sectors", dev->name, size, dev->sector_size);
    return wr_fail(err, WR_E_CORRUPT, "%s: protective MBR but no GPT header", dev->name);
}

static wr_status decide(const struct wr_blockdev *dev, const uint8_t *sector0,
                        struct wr_partition_table *out, struct wr_err *err)
{
    struct mbr_summary mbr = summarise_mbr(sector0);
    struct wr_err gpt_err = { 0 };
    uint32_t signature = out->mbr_signature;
    wr_status st;

    if (mbr.valid && !mbr.protective && mbr.has_partitions)
        return read_mbr_or_volume(dev, sector0, &mbr, out, err);
    st = wr_gpt_read(dev, out, &gpt_err);
    if (st == WR_OK)
        return WR_OK;
    memset(out, 0, sizeof *out);
    out->mbr_signature = signature;
    if (st == WR_E_NOT_FOUND && mbr.protective)
        return no_gpt_behind_protective_mbr(dev, sector0, err);
    if (st != WR_E_NOT_FOUND) {
        if (err)
            *err = gpt_err;
        return st;
    }
    if (mbr.valid)
        return wr_mbr_read(dev, sector0, out, err);
    return WR_OK;
}

wr_status wr_partition_table_read(const struct wr_blockdev *dev,
                                  struct wr_partition_table *out, struct wr_err *err)
{
    uint8_t *sector0;
    wr_status st;

    memset(out, 0, sizeof *out);
    if (dev->sector_count == 0)
        return WR_OK;
    sector0 = wr_alloc(dev->sector_size);
    if (!sector0)
        return wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory", dev->name);
    st = wr_blockdev_read(dev, 0, 1, sector0, err);
    if (!st) {
        if (wr_mbr_has_signature(sector0))
            out->mbr_signature = wr_le32(sector0 + 0x1B8);
        st = decide(dev, sector0, out, err);
    }
    wr_free(sector0);
    /* Half a table must not pass for a whole one. */
    if (st) {
        out->kind = WR_TABLE_NONE;
        out->count = 0;
    }
    return st;
}

const struct wr_partition *wr_partition_find(const struct wr_partition_table *t,
                                             uint32_t number)
{
    for (uint32_t i = 0; i < t->count && i < WR_MAX_PARTITIONS; i++)
        if (t->parts[i].number == number)
            return &t->parts[i];
    return NULL;
}
