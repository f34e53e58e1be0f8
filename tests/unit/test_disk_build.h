/* Builders for disk images in memory, shared by the tests/unit/test_disk_*.c
 * programs: a GPT (protective MBR, both headers, both arrays, real CRCs)
 * and MBR records, so each test states only what it changes. */
#ifndef WR_TEST_DISK_BUILD_H
#define WR_TEST_DISK_BUILD_H

#include <stdlib.h>
#include <string.h>

#include "base/blockdev.h"
#include "base/bytes.h"
#include "base/guid.h"
#include "disk/crc32.h"

struct img {
    uint8_t *data;
    size_t len;
    uint32_t ss;
    uint64_t sectors;
    struct wr_memdev mem;
};

struct gpt_part {
    const char *type; /* textual GUID */
    uint64_t first, last;
    const char *name; /* ASCII, or NULL */
    const char *guid; /* textual unique GUID, or NULL for a made-up one */
};

#define GPT_ENTRIES 128u
#define GPT_ENTRY_SIZE 128u
#define TYPE_ESP "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
#define TYPE_MSR "E3C9E316-0B5C-4DB8-817D-F92DF00215AE"
#define TYPE_DATA "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7"
#define DISK_GUID "11111111-2222-3333-4444-555555555555"

static inline struct img img_new(uint32_t ss, uint64_t sectors)
{
    struct img m = { 0 };

    m.ss = ss;
    m.sectors = sectors;
    m.len = (size_t)(ss * sectors);
    m.data = calloc(1, m.len);
    return m;
}

static inline const struct wr_blockdev *img_dev(struct img *m)
{
    wr_memdev_init(&m->mem, m->data, m->len, m->ss, false, "test.img", NULL);
    return &m->mem.dev;
}

static inline void img_free(struct img *m)
{
    free(m->data);
    m->data = NULL;
}

static inline uint8_t *img_sector(struct img *m, uint64_t lba)
{
    return m->data + lba * m->ss;
}

static inline struct wr_guid guid_of(const char *text)
{
    struct wr_guid g;
    wr_guid_parse(text, &g, NULL);
    return g;
}

static inline uint64_t gpt_array_sectors(const struct img *m)
{
    return (GPT_ENTRIES * GPT_ENTRY_SIZE + m->ss - 1) / m->ss;
}

/* Writes an MBR record into the sector at lba. */
static inline void mbr_record(struct img *m, uint64_t lba, unsigned slot, uint8_t status,
                              uint8_t type, uint32_t first, uint32_t count)
{
    uint8_t *s = img_sector(m, lba);
    uint8_t *e = s + 0x1BE + 16 * slot;

    e[0] = status;
    e[4] = type;
    wr_put_le32(e + 8, first);
    wr_put_le32(e + 12, count);
    s[510] = 0x55;
    s[511] = 0xAA;
}

/* Recomputes the entry-array CRC and then the header CRC of the header at lba. */
static inline void gpt_fix_crcs(struct img *m, uint64_t lba)
{
    uint8_t *h = img_sector(m, lba);
    uint64_t entries = wr_le64(h + 72);
    uint64_t bytes = (uint64_t)wr_le32(h + 80) * wr_le32(h + 84);
    uint32_t size = wr_le32(h + 12);

    if (entries < m->sectors && bytes <= (m->sectors - entries) * m->ss)
        wr_put_le32(h + 88, wr_crc32(0, img_sector(m, entries), (size_t)bytes));
    if (size > m->ss)
        size = 92;
    wr_put_le32(h + 16, 0);
    wr_put_le32(h + 16, wr_crc32(0, h, size));
}

static inline void gpt_write_header(struct img *m, uint64_t lba, uint64_t alternate,
                                    uint64_t entries_lba)
{
    uint8_t *h = img_sector(m, lba);
    uint64_t n = gpt_array_sectors(m);
    struct wr_guid disk = guid_of(DISK_GUID);

    memset(h, 0, m->ss);
    memcpy(h, "EFI PART", 8);
    wr_put_le32(h + 8, 0x00010000);
    wr_put_le32(h + 12, 92);
    wr_put_le64(h + 24, lba);
    wr_put_le64(h + 32, alternate);
    wr_put_le64(h + 40, 2 + n);
    wr_put_le64(h + 48, m->sectors - 2 - n);
    memcpy(h + 56, disk.b, 16);
    wr_put_le64(h + 72, entries_lba);
    wr_put_le32(h + 80, GPT_ENTRIES);
    wr_put_le32(h + 84, GPT_ENTRY_SIZE);
    gpt_fix_crcs(m, lba);
}

static inline void gpt_write_entry(uint8_t *e, unsigned index, const struct gpt_part *p)
{
    struct wr_guid type = guid_of(p->type);
    struct wr_guid uniq = guid_of(p->guid ? p->guid : "5717C0DE-0000-4000-8000-000000000000");

    memset(e, 0, GPT_ENTRY_SIZE);
    memcpy(e, type.b, 16);
    uniq.b[15] = (uint8_t)(p->guid ? uniq.b[15] : index + 1);
    memcpy(e + 16, uniq.b, 16);
    wr_put_le64(e + 32, p->first);
    wr_put_le64(e + 40, p->last);
    for (size_t i = 0; p->name && p->name[i] && i < 36; i++)
        wr_put_le16(e + 56 + 2 * i, (uint8_t)p->name[i]);
}

/* A complete GPT disk: protective MBR, primary at 1, backup at the end.
 * parts[i] goes to entry slot i (a NULL type leaves the slot empty). */
static inline void gpt_build(struct img *m, const struct gpt_part *parts, unsigned count)
{
    uint64_t n = gpt_array_sectors(m), last = m->sectors - 1;
    uint8_t *primary = img_sector(m, 2), *backup = img_sector(m, last - n);

    memset(m->data, 0, m->len);
    mbr_record(m, 0, 0, 0, 0xEE, 1,
               m->sectors - 1 > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)(m->sectors - 1));
    for (unsigned i = 0; i < count; i++)
        if (parts[i].type)
            gpt_write_entry(primary + i * GPT_ENTRY_SIZE, i, &parts[i]);
    memcpy(backup, primary, (size_t)(n * m->ss));
    gpt_write_header(m, 1, last, 2);
    gpt_write_header(m, last, 1, last - n);
}

/* A small standard layout: ESP, MSR, basic data, with room to spare. */
static inline void gpt_build_standard(struct img *m)
{
    uint64_t unit = m->ss == 4096 ? 256 : 2048; /* 1 MiB */
    const struct gpt_part parts[] = {
        { TYPE_ESP, unit, 3 * unit - 1, "EFI system partition", NULL },
        { TYPE_MSR, 3 * unit, 4 * unit - 1, "Microsoft reserved partition", NULL },
        { TYPE_DATA, 4 * unit, 7 * unit - 1, "Basic data partition", NULL },
    };
    gpt_build(m, parts, 3);
}

#endif
