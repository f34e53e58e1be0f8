/* GPT: both header copies checked (signature, size, CRCs, positions, bounds),
 * the backup used when the primary is damaged, entries validated one by one. */
#include "base/bytes.h"
#include "base/fmt.h"
#include "base/utf16.h"
#include "disk/crc32.h"
#include "disk/tables.h"

#define GPT_HEADER_MIN 92
#define GPT_ENTRY_MIN 128
#define GPT_ENTRY_MAX 4096
#define GPT_ARRAY_MAX (1u << 20)
#define GPT_NAME_UNITS 36

/* One header copy and its entry array, as read and checked. */
struct gpt_copy {
    const char *which; /* "primary" or "backup", for messages */
    bool has_signature;
    uint64_t my_lba;
    uint64_t alternate_lba;
    uint64_t first_usable;
    uint64_t last_usable;
    uint64_t entries_lba;
    uint32_t entry_count;
    uint32_t entry_size;
    uint32_t entries_crc;
    struct wr_guid disk_guid;
    uint8_t *entries;
};

static wr_status bad(struct wr_err *err, const struct gpt_copy *c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Messages from one copy start "primary GPT at LBA n: " so that the final
 * error can report both copies side by side. */
static wr_status bad(struct wr_err *err, const struct gpt_copy *c, const char *fmt, ...)
{
    char detail[160];
    va_list ap;

    va_start(ap, fmt);
    wr_vformat(detail, sizeof detail, fmt, ap);
    va_end(ap);
    return wr_fail(err, WR_E_CORRUPT, "%s GPT at LBA %llu: %s", c->which,
                   (unsigned long long)c->my_lba, detail);
}

static uint64_t array_sectors(const struct gpt_copy *c, uint32_t sector_size)
{
    uint64_t bytes = (uint64_t)c->entry_count * c->entry_size;
    return (bytes + sector_size - 1) / sector_size;
}

static wr_status check_geometry(const struct wr_blockdev *dev, const struct gpt_copy *c,
                                struct wr_err *err)
{
    uint64_t n;

    if (c->first_usable > c->last_usable || c->last_usable >= dev->sector_count)
        return bad(err, c, "usable range %llu..%llu does not fit the disk (%llu sectors)",
                   (unsigned long long)c->first_usable, (unsigned long long)c->last_usable,
                   (unsigned long long)dev->sector_count);
    /* LBA 0 (protective MBR) and LBA 1 (primary header) are never usable,
     * whichever copy is speaking. */
    if (c->first_usable < 2)
        return bad(err, c, "first usable LBA %llu overlaps the MBR or the primary header",
                   (unsigned long long)c->first_usable);
    if (c->my_lba >= c->first_usable && c->my_lba <= c->last_usable)
        return bad(err, c, "header lies inside the usable range %llu..%llu",
                   (unsigned long long)c->first_usable, (unsigned long long)c->last_usable);
    if (c->alternate_lba >= c->first_usable && c->alternate_lba <= c->last_usable)
        return bad(err, c, "the other header (LBA %llu) lies inside the usable range %llu..%llu",
                   (unsigned long long)c->alternate_lba, (unsigned long long)c->first_usable,
                   (unsigned long long)c->last_usable);
    if (c->entry_size < GPT_ENTRY_MIN || c->entry_size > GPT_ENTRY_MAX ||
        c->entry_size % GPT_ENTRY_MIN)
        return bad(err, c, "entry size %u is not a multiple of 128 in 128..%u",
                   c->entry_size, GPT_ENTRY_MAX);
    if (c->entry_count > GPT_ARRAY_MAX / c->entry_size)
        return bad(err, c, "%u entries of %u bytes exceed the %u-byte cap",
                   c->entry_count, c->entry_size, GPT_ARRAY_MAX);
    n = array_sectors(c, dev->sector_size);
    if (n == 0)
        return WR_OK;
    if (c->entries_lba == 0 || !wr_span_ok(c->entries_lba, n, dev->sector_count))
        return bad(err, c, "entry array at LBA %llu (%llu sectors) lies outside the disk",
                   (unsigned long long)c->entries_lba, (unsigned long long)n);
    if (c->my_lba >= c->entries_lba && c->my_lba < c->entries_lba + n)
        return bad(err, c, "entry array at LBA %llu covers the header",
                   (unsigned long long)c->entries_lba);
    if (c->entries_lba <= c->last_usable && c->entries_lba + n > c->first_usable)
        return bad(err, c, "entry array at LBA %llu overlaps the usable range %llu..%llu",
                   (unsigned long long)c->entries_lba, (unsigned long long)c->first_usable,
                   (unsigned long long)c->last_usable);
    return WR_OK;
}

static wr_status parse_header(const struct wr_blockdev *dev, uint8_t *sec,
                              struct gpt_copy *c, struct wr_err *err)
{
    uint32_t size, stored_crc, crc;

    if (memcmp(sec, "EFI PART", 8) != 0)
        return bad(err, c, "no \"EFI PART\" signature");
    c->has_signature = true;
    /* Read before the CRC check so a damaged primary still hints where its
     * backup is. */
    c->alternate_lba = wr_le64(sec + 32);
    size = wr_le32(sec + 12);
    if (size < GPT_HEADER_MIN || size > dev->sector_size)
        return bad(err, c, "header size %u is outside %u..%u", size, GPT_HEADER_MIN,
                   dev->sector_size);
    stored_crc = wr_le32(sec + 16);
    wr_put_le32(sec + 16, 0);
    crc = wr_crc32(0, sec, size);
    if (crc != stored_crc)
        return bad(err, c, "header CRC mismatch (stored %08x, computed %08x)", stored_crc, crc);
    if (wr_le64(sec + 24) != c->my_lba)
        return bad(err, c, "header says it is at LBA %llu",
                   (unsigned long long)wr_le64(sec + 24));
    c->first_usable = wr_le64(sec + 40);
    c->last_usable = wr_le64(sec + 48);
    memcpy(c->disk_guid.b, sec + 56, 16);
    c->entries_lba = wr_le64(sec + 72);
    c->entry_count = wr_le32(sec + 80);
    c->entry_size = wr_le32(sec + 84);
    c->entries_crc = wr_le32(sec + 88);
    return check_geometry(dev, c, err);
}

static wr_status load_entries(const struct wr_blockdev *dev, struct gpt_copy *c,
                              struct wr_err *err)
{
    uint64_t n = array_sectors(c, dev->sector_size);
    size_t bytes = (size_t)c->entry_count * c->entry_size;
    uint32_t crc;
    wr_status st;

    /* Never NULL, so a table with no entries needs no special case. */
    c->entries = wr_alloc(n ? (size_t)n * dev->sector_size : 1);
    if (!c->entries)
        return wr_fail(err, WR_E_NO_MEMORY, "%s GPT: out of memory for %zu bytes of entries",
                       c->which, bytes);
    st = wr_blockdev_read(dev, c->entries_lba, n, c->entries, err);
    if (st)
        return st;
    crc = wr_crc32(0, c->entries, bytes);
    if (crc != c->entries_crc)
        return bad(err, c, "entry array CRC mismatch (stored %08x, computed %08x)",
                   c->entries_crc, crc);
    return WR_OK;
}

static void copy_release(struct gpt_copy *c)
{
    wr_free(c->entries);
    c->entries = NULL;
}

static wr_status copy_load(const struct wr_blockdev *dev, uint64_t lba, const char *which,
                           struct gpt_copy *c, struct wr_err *err)
{
    uint8_t *sec;
    wr_status st;

    memset(c, 0, sizeof *c);
    c->which = which;
    c->my_lba = lba;
    sec = wr_alloc(dev->sector_size);
    if (!sec)
        return wr_fail(err, WR_E_NO_MEMORY, "%s GPT: out of memory", which);
    st = wr_blockdev_read(dev, lba, 1, sec, err);
    if (!st)
        st = parse_header(dev, sec, c, err);
    wr_free(sec);
    if (!st)
        st = load_entries(dev, c, err);
    if (st)
        copy_release(c);
    return st;
}

/* The backup normally sits at the last LBA; a disk image that was grown keeps
 * it where the primary's AlternateLBA says. Both places are tried. */
static wr_status backup_load(const struct wr_blockdev *dev, uint64_t hint,
                             struct gpt_copy *c, struct wr_err *err)
{
    uint64_t last = dev->sector_count - 1;
    struct wr_err second = { 0 };
    bool last_signed;
    wr_status st = copy_load(dev, last, "backup", c, err), st2;

    if (st == WR_OK || st == WR_E_NO_MEMORY || hint == last || hint < 2 ||
        hint >= dev->sector_count)
        return st;
    last_signed = c->has_signature;
    st2 = copy_load(dev, hint, "backup", c, &second);
    if (st2 == WR_OK)
        return WR_OK;
    /* Report the copy that at least had a signature: its defect is the news. */
    if (!last_signed && c->has_signature) {
        if (err)
            *err = second;
        return st2;
    }
    c->has_signature |= last_signed;
    return st;
}

static bool copies_agree(const struct gpt_copy *a, const struct gpt_copy *b)
{
    return a->first_usable == b->first_usable && a->last_usable == b->last_usable &&
           a->entry_count == b->entry_count && a->entry_size == b->entry_size &&
           a->entries_crc == b->entries_crc && wr_guid_equal(&a->disk_guid, &b->disk_guid);
}

static wr_status check_overlaps(const struct wr_blockdev *dev,
                                const struct wr_partition_table *t, struct wr_err *err)
{
    for (uint32_t i = 0; i < t->count; i++) {
        const struct wr_partition *a = &t->parts[i];
        for (uint32_t j = i + 1; j < t->count; j++) {
            const struct wr_partition *b = &t->parts[j];
            if (a->first_lba < b->first_lba + b->sector_count &&
                b->first_lba < a->first_lba + a->sector_count)
                return wr_fail(err, WR_E_CORRUPT, "%s: GPT entries %u and %u overlap",
                               dev->name, a->number, b->number);
        }
    }
    return WR_OK;
}

static wr_status add_entry(const struct wr_blockdev *dev, const struct gpt_copy *c,
                           uint32_t index, struct wr_partition_table *t, struct wr_err *err)
{
    const uint8_t *e = c->entries + (size_t)index * c->entry_size;
    uint64_t first = wr_le64(e + 32), last = wr_le64(e + 40);
    struct wr_partition *p;

    if (first > last)
        return wr_fail(err, WR_E_CORRUPT, "%s: GPT entry %u: first LBA %llu is after last LBA %llu",
                       dev->name, index + 1, (unsigned long long)first,
                       (unsigned long long)last);
    if (first < c->first_usable || last > c->last_usable)
        return wr_fail(err, WR_E_CORRUPT,
                       "%s: GPT entry %u: sectors %llu..%llu lie outside the usable range %llu..%llu",
                       dev->name, index + 1, (unsigned long long)first,
                       (unsigned long long)last, (unsigned long long)c->first_usable,
                       (unsigned long long)c->last_usable);
    if (t->count == WR_MAX_PARTITIONS)
        return wr_fail(err, WR_E_TOO_BIG, "%s: GPT has more than %d partitions", dev->name,
                       WR_MAX_PARTITIONS);
    p = &t->parts[t->count++];
    p->number = index + 1;
    p->first_lba = first;
    p->sector_count = last - first + 1;
    memcpy(p->type_guid.b, e, 16);
    memcpy(p->part_guid.b, e + 16, 16);
    p->attributes = wr_le64(e + 48);
    wr_utf16le_to_utf8(e + 56, GPT_NAME_UNITS, p->name, sizeof p->name, WR_UTF16_STOP_AT_NUL);
    return WR_OK;
}

static wr_status fill_table(const struct wr_blockdev *dev, const struct gpt_copy *c,
                            struct wr_partition_table *t, struct wr_err *err)
{
    wr_status st;

    t->kind = WR_TABLE_GPT;
    t->disk_guid = c->disk_guid;
    t->count = 0;
    for (uint32_t i = 0; i < c->entry_count; i++) {
        struct wr_guid type;

        memcpy(type.b, c->entries + (size_t)i * c->entry_size, 16);
        if (wr_guid_is_zero(&type))
            continue;
        st = add_entry(dev, c, i, t, err);
        if (st)
            return st;
    }
    return check_overlaps(dev, t, err);
}

static wr_status pass_on(struct wr_err *err, const struct wr_err *inner, wr_status st)
{
    if (err)
        *err = *inner;
    return st;
}

/* An unreadable primary is one more reason to read the backup: a rescue tool
 * meets failing disks. Only when neither copy is usable does a read error
 * reach the caller, ahead of "no GPT", which it would make a guess. */
wr_status wr_gpt_read(const struct wr_blockdev *dev, struct wr_partition_table *out,
                      struct wr_err *err)
{
    struct gpt_copy primary, backup;
    struct wr_err perr = { 0 }, berr = { 0 };
    wr_status pst, bst, st;

    if (dev->sector_count < 3)
        return wr_fail(err, WR_E_NOT_FOUND, "%s: too small for a GPT", dev->name);
    pst = copy_load(dev, 1, "primary", &primary, &perr);
    if (pst == WR_E_NO_MEMORY)
        return pass_on(err, &perr, pst);
    bst = backup_load(dev, primary.alternate_lba, &backup, &berr);
    if (pst == WR_OK) {
        out->backup_gpt_bad = bst != WR_OK || !copies_agree(&primary, &backup);
        st = fill_table(dev, &primary, out, err);
    } else if (bst == WR_OK) {
        out->used_backup_gpt = true;
        st = fill_table(dev, &backup, out, err);
    } else if (pst != WR_E_CORRUPT) {
        st = pass_on(err, &perr, pst);
    } else if (bst != WR_E_CORRUPT) {
        st = pass_on(err, &berr, bst);
    } else if (!primary.has_signature && !backup.has_signature) {
        st = wr_fail(err, WR_E_NOT_FOUND, "%s: no GPT", dev->name);
    } else {
        st = wr_fail(err, WR_E_CORRUPT, "%s: no valid GPT: %s; %s", dev->name, perr.msg,
                     berr.msg);
    }
    copy_release(&primary);
    copy_release(&backup);
    return st;
}
