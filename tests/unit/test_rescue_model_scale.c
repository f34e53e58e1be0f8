/* The engine's model over many disks: 16 disks of 32 partitions (the
 * issue's speed case) come out whole and in order, and a partition that
 * cannot hold Windows costs one read (its first sector), not two; an NTFS
 * signature over garbage is "unreadable", with the reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rescue/model.h"
#include "test_disk_build.h"

#define DISKS 16
#define PARTS 32
#define PART_SECTORS 8

struct counting {
    struct wr_blockdev dev;
    const struct wr_blockdev *inner;
    unsigned reads;
};

static wr_status counted_read(void *ctx, uint64_t lba, uint64_t count, void *buf,
                              struct wr_err *err)
{
    struct counting *c = ctx;

    c->reads++;
    return wr_blockdev_read(c->inner, lba, count, buf, err);
}

static void counting_init(struct counting *c, const struct wr_blockdev *inner)
{
    memset(c, 0, sizeof *c);
    c->inner = inner;
    c->dev = *inner;
    c->dev.ctx = c;
    c->dev.read = counted_read;
    c->dev.write = NULL;
}

/* A GPT disk of PARTS small partitions of basic data, all zeros inside. */
static struct img many_parts_disk(unsigned disk)
{
    struct img m = img_new(512, 34 + PARTS * PART_SECTORS + 33 + 8);
    struct gpt_part parts[PARTS];
    char guid[PARTS][40];

    for (unsigned i = 0; i < PARTS; i++) {
        snprintf(guid[i], sizeof guid[i], "%08X-0000-4000-8000-%012X", disk + 1, i + 1);
        parts[i] = (struct gpt_part){ TYPE_DATA, 40 + i * PART_SECTORS,
                                      40 + (i + 1) * PART_SECTORS - 1, NULL, guid[i] };
    }
    gpt_build(&m, parts, PARTS);
    return m;
}

static unsigned total_reads(struct counting *c, unsigned n)
{
    unsigned r = 0;

    for (unsigned i = 0; i < n; i++)
        r += c[i].reads;
    return r;
}

static void sixteen_disks_of_32(void)
{
    static struct img imgs[DISKS];
    static struct counting cnt[DISKS];
    const struct wr_blockdev *devs[DISKS];
    struct wr_partition_table t;
    struct wr_rescue_model m;
    struct wr_err err = { 0 };
    unsigned table_reads;

    for (unsigned i = 0; i < DISKS; i++) {
        imgs[i] = many_parts_disk(i);
        CHECK(imgs[i].data);
        counting_init(&cnt[i], img_dev(&imgs[i]));
        devs[i] = &cnt[i].dev;
    }
    /* what reading the tables alone costs, to tell the probes' reads apart */
    for (unsigned i = 0; i < DISKS; i++)
        CHECK(wr_partition_table_read(devs[i], &t, &err) == WR_OK);
    table_reads = total_reads(cnt, DISKS);
    for (unsigned i = 0; i < DISKS; i++)
        cnt[i].reads = 0;
    CHECK_MSG(wr_rescue_scan(&m, devs, DISKS, -1, NULL, NULL, &err) == WR_OK, "%s", err.msg);
    CHECK_INT(m.machine.disk_count, DISKS);
    CHECK_INT(m.n_parts, DISKS * PARTS);
    for (size_t k = 0; k < m.n_parts; k++) {
        const struct wr_rescue_part *p = &m.parts[k];
        const struct wr_partition_table *pt = m.machine.disks[k / PARTS].table;

        CHECK_INT(p->disk, k / PARTS);
        CHECK_INT(p->index, k % PARTS);
        CHECK(p->p == &pt->parts[k % PARTS]);
        CHECK_INT(p->p->first_lba, 40 + (k % PARTS) * PART_SECTORS);
        CHECK_INT(p->slice.dev.sector_count, PART_SECTORS);
        CHECK_INT(p->win.volume, WR_WINDOWS_VOL_OTHER);
        CHECK(!p->ntfs);
        CHECK(m.machine.disks[p->disk].parts[p->index].fs_probed);
    }
    CHECK_INT(total_reads(cnt, DISKS), table_reads + DISKS * PARTS);
    wr_rescue_model_free(&m);
    for (unsigned i = 0; i < DISKS; i++)
        img_free(&imgs[i]);
}

static void ntfs_signature_over_garbage(void)
{
    struct img img = many_parts_disk(0);
    const struct wr_blockdev *dev;
    struct wr_rescue_model m;
    struct wr_err err = { 0 };
    uint8_t *bs;

    CHECK(img.data);
    bs = img_sector(&img, 40 + 3 * PART_SECTORS);
    memcpy(bs + 3, "NTFS    ", 8);
    dev = img_dev(&img);
    CHECK_MSG(wr_rescue_scan(&m, &dev, 1, -1, NULL, NULL, &err) == WR_OK, "%s", err.msg);
    CHECK_INT(m.n_parts, PARTS);
    CHECK_INT(m.machine.disks[0].parts[3].fs.kind, WR_FS_NTFS);
    CHECK_INT(m.parts[3].win.volume, WR_WINDOWS_VOL_UNREADABLE);
    CHECK(m.parts[3].win.note[0]);
    CHECK(!m.parts[3].ntfs);
    CHECK_INT(m.parts[2].win.volume, WR_WINDOWS_VOL_OTHER);
    wr_rescue_model_free(&m);
    img_free(&img);
}

static const struct wr_machine_disk *first_scan(void *arg, uint32_t disk)
{
    const struct wr_machine *m = arg;

    return disk < m->disk_count ? &m->disks[disk] : NULL;
}

/* The app scans the disks before the engine does: handed that scan, the
 * engine reads no table and probes no partition again, and builds the same
 * model; a disk whose geometry differs from what was scanned is read. */
static void a_known_scan_is_not_repeated(void)
{
    static struct img imgs[2];
    static struct counting cnt[2];
    const struct wr_blockdev *devs[2];
    struct wr_rescue_model first, again;
    struct wr_rescue_host host = { .known_disk = first_scan };
    struct wr_err err = { 0 };

    for (unsigned i = 0; i < 2; i++) {
        imgs[i] = many_parts_disk(i);
        CHECK(imgs[i].data);
        memcpy(img_sector(&imgs[i], 40 + 5 * PART_SECTORS) + 3, "NTFS    ", 8);
        counting_init(&cnt[i], img_dev(&imgs[i]));
        devs[i] = &cnt[i].dev;
    }
    CHECK_MSG(wr_rescue_scan(&first, devs, 2, -1, NULL, NULL, &err) == WR_OK, "%s", err.msg);
    CHECK(total_reads(cnt, 2) > 2 * PARTS);
    cnt[0].reads = cnt[1].reads = 0;
    host.arg = &first.machine;
    CHECK_MSG(wr_rescue_scan(&again, devs, 2, -1, &host, NULL, &err) == WR_OK, "%s", err.msg);
    /* only the NTFS-looking partition of each disk is opened: its boot
     * sector and, that being garbage, the backup's; nothing else */
    CHECK_INT(total_reads(cnt, 2), 4);
    CHECK_INT(again.n_parts, first.n_parts);
    for (size_t k = 0; k < again.n_parts && k < first.n_parts; k++) {
        const struct wr_machine_part *a = &again.machine.disks[k / PARTS].parts[k % PARTS];
        const struct wr_machine_part *b = &first.machine.disks[k / PARTS].parts[k % PARTS];

        CHECK_INT(again.parts[k].p->first_lba, first.parts[k].p->first_lba);
        CHECK(wr_guid_equal(&again.parts[k].p->part_guid, &first.parts[k].p->part_guid));
        CHECK_INT(a->fs.kind, b->fs.kind);
        CHECK(a->fs_probed);
        CHECK_INT(again.parts[k].win.volume, first.parts[k].win.volume);
    }
    CHECK(again.machine.disks[0].table != first.machine.disks[0].table);
    wr_rescue_model_free(&again);

    first.machine.disks[1].sector_count++; /* not the disk that was scanned */
    cnt[0].reads = cnt[1].reads = 0;
    CHECK_MSG(wr_rescue_scan(&again, devs, 2, -1, &host, NULL, &err) == WR_OK, "%s", err.msg);
    CHECK_INT(cnt[0].reads, 2);
    CHECK(cnt[1].reads > PARTS);
    CHECK_INT(again.n_parts, 2 * PARTS);
    wr_rescue_model_free(&again);
    first.machine.disks[1].sector_count--;
    wr_rescue_model_free(&first);
    for (unsigned i = 0; i < 2; i++)
        img_free(&imgs[i]);
}

int main(void)
{
    RUN(sixteen_disks_of_32);
    RUN(a_known_scan_is_not_repeated);
    RUN(ntfs_signature_over_garbage);
    return check_done();
}
