/* MBR: four primary records, and the extended partition's chain of EBRs.
 * In an EBR, the first record's start is relative to that EBR and the second
 * (the link) is relative to the start of the outermost extended partition. */
#include "base/bytes.h"
#include "disk/tables.h"

#define MBR_TABLE_OFFSET 0x1BE
#define MBR_RECORD_SIZE 16
#define EBR_CHAIN_MAX WR_MAX_PARTITIONS
#define FIRST_LOGICAL_NUMBER 5

void wr_mbr_record_decode(const uint8_t *sector, unsigned slot, struct wr_mbr_record *rec)
{
    const uint8_t *e = sector + MBR_TABLE_OFFSET + MBR_RECORD_SIZE * slot;

    rec->status = e[0];
    rec->type = e[4];
    rec->first_lba = wr_le32(e + 8);
    rec->sector_count = wr_le32(e + 12);
}

bool wr_mbr_has_signature(const uint8_t *sector)
{
    return sector[510] == 0x55 && sector[511] == 0xAA;
}

bool wr_mbr_records_plausible(const uint8_t *sector)
{
    for (unsigned slot = 0; slot < 4; slot++) {
        struct wr_mbr_record rec;

        wr_mbr_record_decode(sector, slot, &rec);
        if (rec.status != 0x00 && rec.status != 0x80)
            return false;
    }
    return true;
}

bool wr_mbr_is_extended_type(uint8_t type)
{
    return type == 0x05 || type == 0x0F || type == 0x85;
}

static bool record_used(const struct wr_mbr_record *rec)
{
    return rec->type != 0 && rec->sector_count != 0;
}

static wr_status add_partition(const struct wr_blockdev *dev, struct wr_partition_table *t,
                               uint32_t number, uint64_t first, const struct wr_mbr_record *rec,
                               uint64_t entry_offset, struct wr_err *err)
{
    struct wr_partition *p;

    if (t->count == WR_MAX_PARTITIONS)
        return wr_fail(err, WR_E_TOO_BIG, "%s: MBR has more than %d partitions", dev->name,
                       WR_MAX_PARTITIONS);
    p = &t->parts[t->count++];
    p->number = number;
    p->first_lba = first;
    p->sector_count = rec->sector_count;
    p->mbr_type = rec->type;
    p->mbr_active = rec->status == 0x80;
    p->mbr_entry_offset = entry_offset;
    return WR_OK;
}

static wr_status check_overlaps(const struct wr_blockdev *dev,
                                const struct wr_partition_table *t, uint32_t from,
                                struct wr_err *err)
{
    for (uint32_t i = from; i < t->count; i++) {
        const struct wr_partition *a = &t->parts[i];
        for (uint32_t j = i + 1; j < t->count; j++) {
            const struct wr_partition *b = &t->parts[j];
            if (a->first_lba < b->first_lba + b->sector_count &&
                b->first_lba < a->first_lba + a->sector_count)
                return wr_fail(err, WR_E_CORRUPT, "%s: MBR partitions %u and %u overlap",
                               dev->name, a->number, b->number);
        }
    }
    return WR_OK;
}

struct chain {
    const struct wr_blockdev *dev;
    uint64_t ext_first;
    uint64_t ext_end; /* one past the extended partition */
    uint64_t visited[EBR_CHAIN_MAX];
    uint32_t hops;
    uint32_t next_number;
};

static wr_status chain_visit(struct chain *c, uint64_t ebr, struct wr_err *err)
{
    for (uint32_t i = 0; i < c->hops; i++)
        if (c->visited[i] == ebr)
            return wr_fail(err, WR_E_CORRUPT,
                           "%s: logical partition chain loops back to the EBR at LBA %llu",
                           c->dev->name, (unsigned long long)ebr);
    if (c->hops == EBR_CHAIN_MAX)
        return wr_fail(err, WR_E_TOO_BIG, "%s: logical partition chain is longer than %d EBRs",
                       c->dev->name, EBR_CHAIN_MAX);
    c->visited[c->hops++] = ebr;
    return WR_OK;
}

static wr_status chain_add_logical(struct chain *c, uint64_t ebr, const uint8_t *sec,
                                   struct wr_partition_table *t, struct wr_err *err)
{
    struct wr_mbr_record rec;
    uint64_t first;

    wr_mbr_record_decode(sec, 0, &rec);
    if (!record_used(&rec))
        return WR_OK;
    first = ebr + rec.first_lba;
    if (rec.first_lba == 0 || first + rec.sector_count > c->ext_end)
        return wr_fail(err, WR_E_CORRUPT,
                       "%s: logical partition %u (EBR at LBA %llu): sectors %llu+%u lie "
                       "outside the extended partition", c->dev->name, c->next_number,
                       (unsigned long long)ebr, (unsigned long long)first, rec.sector_count);
    return add_partition(c->dev, t, c->next_number++, first, &rec,
                         ebr * c->dev->sector_size + MBR_TABLE_OFFSET, err);
}

/* Follows the link record; *next = 0 ends the chain. */
static wr_status chain_next(struct chain *c, uint64_t ebr, const uint8_t *sec, uint64_t *next,
                            struct wr_err *err)
{
    struct wr_mbr_record link;

    wr_mbr_record_decode(sec, 1, &link);
    *next = 0;
    if (!record_used(&link) || !wr_mbr_is_extended_type(link.type))
        return WR_OK;
    *next = c->ext_first + link.first_lba;
    if (*next >= c->ext_end)
        return wr_fail(err, WR_E_CORRUPT,
                       "%s: EBR at LBA %llu links to LBA %llu, outside the extended partition",
                       c->dev->name, (unsigned long long)ebr, (unsigned long long)*next);
    return WR_OK;
}

/* A logical partition that spans an EBR would overwrite the chain when
 * written to. */
static wr_status check_ebrs_uncovered(const struct chain *c, const struct wr_partition_table *t,
                                      uint32_t first_logical, struct wr_err *err)
{
    for (uint32_t i = first_logical; i < t->count; i++) {
        const struct wr_partition *p = &t->parts[i];
        for (uint32_t j = 0; j < c->hops; j++)
            if (c->visited[j] >= p->first_lba && c->visited[j] - p->first_lba < p->sector_count)
                return wr_fail(err, WR_E_CORRUPT,
                               "%s: logical partition %u covers the EBR at LBA %llu",
                               c->dev->name, p->number, (unsigned long long)c->visited[j]);
    }
    return WR_OK;
}

static wr_status read_chain(const struct wr_blockdev *dev, const struct wr_partition *ext,
                            struct wr_partition_table *t, struct wr_err *err)
{
    uint32_t first_logical = t->count;
    struct chain *c = wr_alloc(sizeof *c);
    uint8_t *sec = wr_alloc(dev->sector_size);
    uint64_t ebr = ext->first_lba;
    wr_status st = WR_OK;

    if (!c || !sec) {
        st = wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory reading EBRs", dev->name);
        goto out;
    }
    c->dev = dev;
    c->ext_first = ext->first_lba;
    c->ext_end = ext->first_lba + ext->sector_count;
    c->next_number = FIRST_LOGICAL_NUMBER;
    while (ebr && !st) {
        st = chain_visit(c, ebr, err);
        if (!st)
            st = wr_blockdev_read(dev, ebr, 1, sec, err);
        if (st)
            break;
        if (!wr_mbr_has_signature(sec)) {
            /* An extended partition with no logicals may hold no EBR at all;
             * a link must lead to a real one. */
            if (c->hops > 1)
                st = wr_fail(err, WR_E_CORRUPT, "%s: EBR at LBA %llu lacks the 0x55AA signature",
                             dev->name, (unsigned long long)ebr);
            break;
        }
        st = chain_add_logical(c, ebr, sec, t, err);
        if (!st)
            st = chain_next(c, ebr, sec, &ebr, err);
    }
    if (!st)
        st = check_overlaps(dev, t, first_logical, err);
    if (!st)
        st = check_ebrs_uncovered(c, t, first_logical, err);
out:
    wr_free(sec);
    wr_free(c);
    return st;
}

static wr_status check_primary(const struct wr_blockdev *dev, unsigned slot,
                               const struct wr_mbr_record *rec, struct wr_err *err)
{
    uint64_t small_sectors = dev->sector_count * (dev->sector_size / 512);
    /* USB bridges that show 4096-byte sectors make 512-byte tables overflow. */
    bool fits_512 = dev->sector_size > 512 &&
                    wr_span_ok(rec->first_lba, rec->sector_count, small_sectors);

    if (rec->first_lba == 0 ||
        !wr_span_ok(rec->first_lba, rec->sector_count, dev->sector_count))
        return wr_fail(err, WR_E_CORRUPT,
                       "%s: MBR partition %u: sectors %u+%u lie outside the disk (%llu sectors)%s",
                       dev->name, slot + 1, rec->first_lba, rec->sector_count,
                       (unsigned long long)dev->sector_count,
                       fits_512 ? "; the table looks written for 512-byte sectors" : "");
    return WR_OK;
}

wr_status wr_mbr_read(const struct wr_blockdev *dev, const uint8_t *sector0,
                      struct wr_partition_table *out, struct wr_err *err)
{
    int ext_index = -1;
    wr_status st;

    out->kind = WR_TABLE_MBR;
    out->count = 0;
    for (unsigned slot = 0; slot < 4; slot++) {
        struct wr_mbr_record rec;

        wr_mbr_record_decode(sector0, slot, &rec);
        if (!record_used(&rec))
            continue;
        st = check_primary(dev, slot, &rec, err);
        if (!st)
            st = add_partition(dev, out, slot + 1, rec.first_lba, &rec,
                               MBR_TABLE_OFFSET + MBR_RECORD_SIZE * slot, err);
        if (st)
            return st;
        /* Windows and Linux follow only one extended partition per disk. */
        if (wr_mbr_is_extended_type(rec.type) && ext_index < 0)
            ext_index = (int)out->count - 1;
    }
    st = check_overlaps(dev, out, 0, err);
    if (st || ext_index < 0)
        return st;
    return read_chain(dev, &out->parts[ext_index], out, err);
}
