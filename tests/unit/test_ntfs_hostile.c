/* Hostile input: every structure the reader parses, damaged on purpose,
 * gives a clear error (or a documented fallback), never a crash. Runs under
 * ASan+UBSan, so an out-of-bounds access fails the test. */
#include "check.h"
#include "ntfs/internal.h"
#include "ntfs_testlib.h"

/* ------------------------------------------------------------ pieces */

static void fixup_checks(void)
{
    uint8_t rec[1024];
    struct wr_err err;

    memset(rec, 0, sizeof rec);
    memcpy(rec, "FILE", 4);
    wr_put_le16(rec + 4, 0x30);
    wr_put_le16(rec + 6, 3);
    wr_put_le16(rec + 0x30, 0x1234);
    wr_put_le16(rec + 510, 0x1234);
    wr_put_le16(rec + 1022, 0x1234);
    wr_put_le16(rec + 0x32, 0xAAAA);
    wr_put_le16(rec + 0x34, 0xBBBB);
    CHECK_OK(wr_ntfs_fixup(rec, 1024, "FILE", "rec", &err), &err);
    CHECK_INT(wr_le16(rec + 510), 0xAAAA);
    CHECK_INT(wr_le16(rec + 1022), 0xBBBB);
    /* Applied twice, the strides no longer carry the USN: torn. */
    CHECK_INT(wr_ntfs_fixup(rec, 1024, "FILE", "rec", &err), WR_E_CORRUPT);
    CHECK(strstr(err.msg, "torn") != NULL);
    wr_put_le16(rec + 510, 0x1234);
    wr_put_le16(rec + 1022, 0x1234);
    wr_put_le16(rec + 6, 9);
    CHECK_INT(wr_ntfs_fixup(rec, 1024, "FILE", "rec", &err), WR_E_CORRUPT);
    wr_put_le16(rec + 6, 3);
    wr_put_le16(rec + 4, 0x31);
    CHECK_INT(wr_ntfs_fixup(rec, 1024, "FILE", "rec", &err), WR_E_CORRUPT);
    wr_put_le16(rec + 4, 506);
    CHECK_INT(wr_ntfs_fixup(rec, 1024, "FILE", "rec", &err), WR_E_CORRUPT);
    CHECK(strstr(err.msg, "outside the first stride") != NULL);
    memcpy(rec, "BAAD", 4);
    CHECK_INT(wr_ntfs_fixup(rec, 1024, "FILE", "rec", &err), WR_E_CORRUPT);
    CHECK(strstr(err.msg, "BAAD") != NULL);
}

/* A record with one attribute at 0x38 of the given bytes, then the end marker. */
static uint32_t make_record(uint8_t *rec, const uint8_t *attr, uint32_t alen)
{
    memset(rec, 0, 1024);
    wr_put_le16(rec + 0x14, 0x38);
    memcpy(rec + 0x38, attr, alen);
    wr_put_le32(rec + 0x38 + alen, AT_END);
    return 0x38 + alen + 8;
}

static void attribute_walk_checks(void)
{
    uint8_t rec[1024], a[72];
    struct ntfs_attr at;
    struct wr_err err;
    uint32_t pos, used;

    memset(a, 0, sizeof a);
    wr_put_le32(a, AT_DATA);
    wr_put_le32(a + 4, 32);
    wr_put_le32(a + 0x10, 8);
    wr_put_le16(a + 0x14, 24);
    used = make_record(rec, a, 32);
    pos = 0;
    CHECK_OK(wr_ntfs_attr_next(rec, used, &pos, &at, 7, &err), &err);
    CHECK_INT(at.value_len, 8);
    CHECK_INT(wr_ntfs_attr_next(rec, used, &pos, &at, 7, &err), WR_E_NOT_FOUND);
    /* Value running past the attribute (GRUB CVE-2023-4693). */
    wr_put_le32(a + 0x10, 9);
    used = make_record(rec, a, 32);
    pos = 0;
    CHECK_INT(wr_ntfs_attr_next(rec, used, &pos, &at, 7, &err), WR_E_CORRUPT);
    CHECK(strstr(err.msg, "resident value") != NULL);
    /* Zero length: no endless loop. */
    wr_put_le32(a + 4, 0);
    used = make_record(rec, a, 32);
    pos = 0;
    CHECK_INT(wr_ntfs_attr_next(rec, used, &pos, &at, 7, &err), WR_E_CORRUPT);
    /* Length past bytes in use. */
    wr_put_le32(a + 4, 32);
    wr_put_le32(a + 0x10, 8);
    pos = 0;
    CHECK_INT(wr_ntfs_attr_next(rec, 0x38 + 16, &pos, &at, 7, &err), WR_E_CORRUPT);
    /* Name outside the attribute. */
    a[9] = 10;
    wr_put_le16(a + 10, 24);
    used = make_record(rec, a, 32);
    pos = 0;
    CHECK_INT(wr_ntfs_attr_next(rec, used, &pos, &at, 7, &err), WR_E_CORRUPT);
    CHECK(strstr(err.msg, "name") != NULL);
    /* No end marker before the end of the record. */
    a[9] = 0;
    used = make_record(rec, a, 32);
    pos = 0;
    CHECK_OK(wr_ntfs_attr_next(rec, used - 8, &pos, &at, 7, &err), &err);
    CHECK_INT(wr_ntfs_attr_next(rec, used - 8, &pos, &at, 7, &err), WR_E_CORRUPT);
    /* Non-resident: sizes out of order, mapping pairs outside. */
    memset(a, 0, sizeof a);
    wr_put_le32(a, AT_DATA);
    wr_put_le32(a + 4, 64);
    a[8] = 1;
    wr_put_le16(a + 0x20, 64);
    used = make_record(rec, a, 64);
    pos = 0;
    CHECK_INT(wr_ntfs_attr_next(rec, used, &pos, &at, 7, &err), WR_E_CORRUPT);
    CHECK(strstr(err.msg, "mapping pairs") != NULL);
    wr_put_le32(a + 4, 72);
    wr_put_le16(a + 0x20, 64);
    wr_put_le64(a + 0x30, 8192);
    wr_put_le64(a + 0x28, 4096);
    used = make_record(rec, a, 72);
    pos = 0;
    CHECK_INT(wr_ntfs_attr_next(rec, used, &pos, &at, 7, &err), WR_E_CORRUPT);
    CHECK(strstr(err.msg, "sizes") != NULL);
}

static wr_status decode(struct wr_ntfs *v, const uint8_t *pairs, size_t n, uint64_t highest,
                        struct ntfs_runlist *rl, struct wr_err *err)
{
    struct ntfs_attr a = { 0 };

    a.pairs = pairs;
    a.pairs_len = (uint32_t)n;
    a.highest_vcn = highest;
    memset(rl, 0, sizeof *rl);
    return wr_ntfs_runs_decode(v, &a, rl, err);
}

static void runlist_checks(void)
{
    struct wr_ntfs v = { 0 };
    struct ntfs_runlist rl;
    struct wr_err err;
    /* 16 clusters at 0x1000, a sparse run of 4, 2 clusters at 0x1000 - 0x10. */
    const uint8_t good[] = { 0x21, 0x10, 0x00, 0x10, 0x01, 0x04, 0x11, 0x02, 0xF0, 0x00 };
    const uint8_t zero_len[] = { 0x21, 0x00, 0x00, 0x10, 0x00 };
    const uint8_t negative[] = { 0x11, 0x01, 0x10, 0x11, 0x01, 0xE0, 0x00 };
    const uint8_t outside[] = { 0x31, 0x01, 0x00, 0x00, 0x01, 0x00 };
    const uint8_t wide[] = { 0x19, 0x01 };
    const uint8_t cut[] = { 0x44, 0x01, 0x00 };

    v.name = "test";
    v.cluster_count = 0x10000;
    v.cluster_shift = 12;
    CHECK_OK(decode(&v, good, sizeof good, 21, &rl, &err), &err);
    CHECK_INT(rl.count, 3);
    CHECK_INT(rl.runs[0].lcn, 0x1000);
    CHECK_INT(rl.runs[1].lcn, -1);
    CHECK_INT(rl.runs[2].lcn, 0x1000 - 0x10);
    CHECK_INT(rl.runs[2].vcn, 20);
    CHECK(wr_ntfs_runs_find(&rl, 19)->lcn == -1);
    CHECK(wr_ntfs_runs_find(&rl, 22) == NULL);
    wr_ntfs_runs_free(&rl);
    CHECK_INT(decode(&v, good, sizeof good, 30, &rl, &err), WR_E_CORRUPT);
    CHECK(strstr(err.msg, "covers") != NULL);
    wr_ntfs_runs_free(&rl);
    CHECK_INT(decode(&v, good, sizeof good, 10, &rl, &err), WR_E_CORRUPT);
    wr_ntfs_runs_free(&rl);
    CHECK_INT(decode(&v, zero_len, sizeof zero_len, 0, &rl, &err), WR_E_CORRUPT);
    wr_ntfs_runs_free(&rl);
    CHECK_INT(decode(&v, negative, sizeof negative, 1, &rl, &err), WR_E_CORRUPT);
    CHECK(strstr(err.msg, "outside the volume") != NULL);
    wr_ntfs_runs_free(&rl);
    CHECK_INT(decode(&v, outside, sizeof outside, 0, &rl, &err), WR_E_CORRUPT);
    wr_ntfs_runs_free(&rl);
    CHECK_INT(decode(&v, wide, sizeof wide, 0, &rl, &err), WR_E_CORRUPT);
    wr_ntfs_runs_free(&rl);
    CHECK_INT(decode(&v, cut, sizeof cut, 0, &rl, &err), WR_E_CORRUPT);
    wr_ntfs_runs_free(&rl);
}

static uint32_t rng(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

static void decompressors_survive_garbage(void)
{
    uint8_t in[5000], out[16384];
    uint16_t *table = malloc(XPRESS_TABLE_ENTRIES * sizeof *table);
    struct wr_err err;
    uint32_t x = 12345;
    unsigned ok = 0, bad = 0;

    for (int round = 0; round < 3000; round++) {
        size_t n = rng(&x) % sizeof in;
        for (size_t i = 0; i < n; i++)
            in[i] = (uint8_t)rng(&x);
        if (round % 3 == 0)
            for (size_t i = 0; i < 256 && i < n; i++)
                in[i] = 0x88; /* valid-looking XPRESS lengths table */
        wr_status a = wr_ntfs_lznt1_decompress(in, n, out, 4096 * (1 + round % 4), &err);
        wr_status b = wr_ntfs_xpress_decompress(in, n, out, 1 + rng(&x) % sizeof out, table, &err);
        ok += (a == WR_OK) + (b == WR_OK);
        bad += (a == WR_E_CORRUPT) + (b == WR_E_CORRUPT);
        CHECK(a == WR_OK || a == WR_E_CORRUPT);
        CHECK(b == WR_OK || b == WR_E_CORRUPT);
    }
    free(table);
    CHECK(ok > 0 && bad > 0);
}

static void lznt1_known(void)
{
    /* "abcabcabcabc": 3 literals, then a match of 9 at distance 3. */
    const uint8_t c[] = { 0x05, 0xB0, 0x08, 'a', 'b', 'c', 0x06, 0x20 };
    const uint8_t before_start[] = { 0x02, 0xB0, 0x01, 0x00, 0x10 };
    uint8_t out[4096];
    struct wr_err err;

    CHECK_OK(wr_ntfs_lznt1_decompress(c, sizeof c, out, sizeof out, &err), &err);
    CHECK(memcmp(out, "abcabcabcabc", 12) == 0);
    CHECK_INT(out[12], 0);
    CHECK_INT(wr_ntfs_lznt1_decompress(before_start, sizeof before_start, out, sizeof out, &err),
              WR_E_CORRUPT);
    CHECK(strstr(err.msg, "before the start") != NULL);
}

static void xpress_oversubscribed(void)
{
    uint8_t in[300];
    uint8_t out[64];
    uint16_t *table = malloc(XPRESS_TABLE_ENTRIES * sizeof *table);
    struct wr_err err;

    memset(in, 0x11, sizeof in); /* 512 one-bit codes */
    CHECK_INT(wr_ntfs_xpress_decompress(in, sizeof in, out, sizeof out, table, &err),
              WR_E_CORRUPT);
    CHECK(strstr(err.msg, "over-subscribed") != NULL);
    free(table);
}

/* ------------------------------------------------------ whole volumes */

static uint8_t *pristine;
static size_t pristine_len;

static bool load(const char *img)
{
    char path[256];

    free(pristine);
    snprintf(path, sizeof path, "%s/%s", NTFS_IMG_DIR, img);
    pristine = check_read_file(path, &pristine_len);
    return pristine != NULL;
}

struct vol {
    uint8_t *data;
    struct wr_memdev m;
    struct wr_ntfs *v;
};

static uint8_t *copy(struct vol *t)
{
    t->data = malloc(pristine_len);
    memcpy(t->data, pristine, pristine_len);
    t->v = NULL;
    return t->data;
}

static wr_status open_copy(struct vol *t, struct wr_err *err)
{
    struct wr_err e2;

    if (wr_memdev_init(&t->m, t->data, pristine_len, 512, false, "hostile.img", &e2))
        return WR_E_INVALID;
    return wr_ntfs_open(&t->m.dev, &t->v, err);
}

static void drop(struct vol *t)
{
    wr_ntfs_close(t->v);
    free(t->data);
}

static uint64_t record_offset(const uint8_t *img, uint64_t recno)
{
    uint32_t cs = wr_le16(img + 0x0B) * img[0x0D];
    return wr_le64(img + 0x30) * cs + recno * 1024;
}

#define NEED(img) do { if (!load(img)) SKIP("%s/%s missing (make test-assets)", \
                                            NTFS_IMG_DIR, img); } while (0)

static void boot_sector_damage(void)
{
    struct vol t;
    struct wr_ntfs_info info;
    struct wr_err err;
    uint8_t *d;

    NEED("dirty.img");
    d = copy(&t);
    d[3] = 'X'; /* primary OEM id: the backup boot sector takes over */
    CHECK_OK(open_copy(&t, &err), &err);
    wr_ntfs_get_info(t.v, &info);
    CHECK(info.used_backup_boot);
    drop(&t);
    d = copy(&t);
    d[0x0D] = 3;
    d[pristine_len - 512 + 0x0D] = 3;
    CHECK_INT(open_copy(&t, &err), WR_E_CORRUPT);
    CHECK(strstr(err.msg, "sectors-per-cluster") != NULL);
    drop(&t);
    d = copy(&t);
    d[0x40] = 0xF0; /* 64 KiB records: valid size, but no record matches */
    d[pristine_len - 512 + 0x40] = 0xF0;
    CHECK(open_copy(&t, &err) != WR_OK);
    drop(&t);
    d = copy(&t);
    wr_put_le64(d + 0x28, 1ULL << 40); /* bigger than the device */
    wr_put_le64(d + pristine_len - 512 + 0x28, 1ULL << 40);
    CHECK_INT(open_copy(&t, &err), WR_E_CORRUPT);
    CHECK(strstr(err.msg, "exceed the partition") != NULL);
    drop(&t);
}

/* A 4096-byte-sector volume seen through a 512-byte device: its backup boot
 * sector is the last 4 KiB sector, not the last 512 bytes. */
static void backup_boot_on_4kn_volume(void)
{
    struct vol t;
    struct wr_ntfs_info info;
    struct wr_err err;
    uint8_t *d;

    NEED("win-4kn-c4k.img");
    d = copy(&t);
    memset(d, 0, 512);
    CHECK_OK(open_copy(&t, &err), &err);
    wr_ntfs_get_info(t.v, &info);
    CHECK(info.used_backup_boot);
    CHECK_INT(info.sector_size, 4096);
    drop(&t);
}

static void record_damage(void)
{
    struct vol t;
    struct wr_err err;
    struct wr_ntfs_stat s;
    uint8_t *d;
    uint64_t root;

    NEED("dirty.img");
    root = record_offset(pristine, REC_ROOT);
    d = copy(&t);
    d[root + 510] ^= 0xFF; /* torn write in the root record */
    CHECK_OK(open_copy(&t, &err), &err);
    CHECK_INT(wr_ntfs_stat(t.v, "\\Windows", &s, &err), WR_E_CORRUPT);
    CHECK(strstr(err.msg, "torn") != NULL);
    drop(&t);
    d = copy(&t);
    wr_put_le32(d + root + 0x18, 4096); /* bytes in use > allocated */
    CHECK_OK(open_copy(&t, &err), &err);
    CHECK_INT(wr_ntfs_stat(t.v, "\\Windows", &s, &err), WR_E_CORRUPT);
    CHECK(strstr(err.msg, "bytes in use") != NULL);
    drop(&t);
    /* $MFT record 0 and its mirror both bad: nothing can be read. */
    d = copy(&t);
    memcpy(d + record_offset(d, 0), "XXXX", 4);
    {
        uint32_t cs = wr_le16(d + 0x0B) * d[0x0D];
        memcpy(d + wr_le64(d + 0x38) * cs, "XXXX", 4);
    }
    CHECK_INT(open_copy(&t, &err), WR_E_CORRUPT);
    CHECK(strstr(err.msg, "$MFTMirr") != NULL);
    drop(&t);
    /* $MFT record 0 alone bad: the mirror is used. */
    d = copy(&t);
    memcpy(d + record_offset(d, 0), "XXXX", 4);
    CHECK_OK(open_copy(&t, &err), &err);
    CHECK_OK(wr_ntfs_stat(t.v, "\\Windows\\System32\\winload.efi", &s, &err), &err);
    drop(&t);
}

static void upcase_damage_falls_back_to_scan(void)
{
    struct vol t;
    struct wr_ntfs_info info;
    struct wr_ntfs_stat s;
    struct wr_err err;
    uint8_t *d;

    NEED("dirty.img");
    d = copy(&t);
    memcpy(d + record_offset(d, REC_UPCASE), "XXXX", 4);
    CHECK_OK(open_copy(&t, &err), &err);
    wr_ntfs_get_info(t.v, &info);
    CHECK(!info.upcase_ok);
    CHECK_OK(wr_ntfs_stat(t.v, "\\WINDOWS\\system32\\WinLoad.EFI", &s, &err), &err);
    CHECK_INT(s.size, 70000);
    drop(&t);
}

/* Finds the byte offset in the image of index record `idx` of a directory. */
static bool indx_offset(struct wr_ntfs *v, const char *dir, uint64_t idx, uint64_t *off)
{
    struct ntfs_inode ino;
    struct ntfs_stream s;
    struct wr_err err;
    static const uint8_t i30[8] = { '$', 0, 'I', 0, '3', 0, '0', 0 };
    const struct ntfs_run *r;
    bool ok = false;

    if (wr_ntfs_path_resolve(v, dir, &ino, &err))
        return false;
    if (!wr_ntfs_stream_load(v, &ino, AT_INDEX_ALLOCATION, i30, 4, &s, &err)) {
        r = wr_ntfs_runs_find(&s.rl, idx * 4096 / v->cluster_size);
        if (r && r->lcn >= 0) {
            *off = ((uint64_t)r->lcn + (idx * 4096 / v->cluster_size - r->vcn)) * v->cluster_size;
            ok = true;
        }
        wr_ntfs_stream_free(&s);
    }
    wr_ntfs_inode_free(&ino);
    return ok;
}

/* Byte offset in the image of the flags of a file's first $DATA attribute
 * (records are contiguous at the start of these small volumes). */
static bool data_flags_offset(struct wr_ntfs *v, const uint8_t *img, const char *path,
                              uint64_t *off)
{
    struct ntfs_inode ino;
    struct wr_err err;
    uint64_t rec;
    uint32_t pos;

    if (wr_ntfs_path_resolve(v, path, &ino, &err))
        return false;
    rec = record_offset(img, ino.recno);
    wr_ntfs_inode_free(&ino);
    pos = wr_le16(img + rec + 0x14);
    while (pos + 16 < 1024 && wr_le32(img + rec + pos) != AT_END) {
        if (wr_le32(img + rec + pos) == AT_DATA) {
            *off = rec + pos + 0x0C;
            return (pos + 0x0C) % 512 < 508;
        }
        if (wr_le32(img + rec + pos + 4) < 16)
            return false;
        pos += wr_le32(img + rec + pos + 4);
    }
    return false;
}

/* Valid but unhandled storage is "unsupported", never "corrupt". */
static void encrypted_and_odd_compression_are_unsupported(void)
{
    struct vol t;
    struct wr_err err;
    uint8_t *d, *data;
    size_t len;
    uint64_t off;

    NEED("dirty.img");
    d = copy(&t);
    CHECK_OK(open_copy(&t, &err), &err);
    CHECK(data_flags_offset(t.v, d, "\\Windows\\System32\\winload.efi", &off));
    d[off + 1] |= 0x40; /* ATTR_ENCRYPTED */
    CHECK_INT(wr_ntfs_read_file(t.v, "\\Windows\\System32\\winload.efi", 1 << 20, &data, &len,
                                &err), WR_E_UNSUPPORTED);
    CHECK(strstr(err.msg, "encrypted (EFS)") != NULL);
    d[off + 1] &= (uint8_t)~0x40;
    /* No unnamed $DATA at all (its type changed): an empty file. Found by
     * fuzz/ntfs (UBSan: offset applied to a null value buffer). */
    wr_put_le32(d + off - 0x0C, 0x100);
    CHECK_OK(wr_ntfs_read_file(t.v, "\\Windows\\System32\\winload.efi", 1 << 20, &data, &len,
                               &err), &err);
    CHECK_INT(len, 0);
    free(data);
    wr_put_le32(d + off - 0x0C, AT_DATA);
    d[off] |= 0x01; /* compressed, but with compression unit 0 */
    CHECK_INT(wr_ntfs_read_file(t.v, "\\Windows\\System32\\winload.efi", 1 << 20, &data, &len,
                                &err), WR_E_UNSUPPORTED);
    CHECK(strstr(err.msg, "compression unit") != NULL);
    drop(&t);
}

static wr_status count_entry(void *arg, const struct wr_ntfs_dirent *e)
{
    (void)arg;
    (void)e;
    return WR_OK;
}

/* Points an index node's first sub-node entry back at the node itself. */
static void index_cycle_is_refused(void)
{
    struct vol t;
    struct wr_err err;
    uint8_t *d;
    bool made = false;
    uint64_t off = 0, idx;

    NEED("win-512-c4k.img");
    d = copy(&t);
    CHECK_OK(open_copy(&t, &err), &err);
    for (idx = 0; idx < 70 && !made; idx++) {
        uint8_t *r;
        uint32_t eoff;
        uint16_t elen;

        if (!indx_offset(t.v, "\\Windows\\System32\\drivers", idx, &off))
            continue;
        r = d + off;
        if (memcmp(r, "INDX", 4) != 0)
            continue;
        eoff = 0x18 + wr_le32(r + 0x18);
        elen = wr_le16(r + eoff + 8);
        if (!(wr_le16(r + eoff + 12) & 1) || (eoff + elen - 8) % 512 > 500)
            continue;
        wr_put_le64(r + eoff + elen - 8, wr_le64(r + 0x10));
        made = true;
    }
    CHECK_MSG(made, "no index node with sub-nodes found");
    {
        struct wr_ntfs_stat s;
        unsigned n = 0;
        wr_status st = WR_OK;
        /* Some lookup crosses the damaged node; all must end cleanly. */
        for (int i = 0; i < 1200; i++) {
            char p[128];
            if (i < 600)
                snprintf(p, sizeof p, "\\Windows\\System32\\drivers\\driver_number_%05d.sys", i);
            else
                snprintf(p, sizeof p, "\\Windows\\System32\\drivers\\D%07d.SYS", i - 600);
            st = wr_ntfs_stat(t.v, p, &s, &err);
            CHECK(st == WR_OK || st == WR_E_CORRUPT || st == WR_E_NOT_FOUND);
            n += st != WR_OK;
        }
        CHECK(n > 0);
    }
    CHECK_INT(wr_ntfs_list(t.v, "\\Windows\\System32\\drivers", 0, count_entry, NULL, &err),
              WR_E_CORRUPT);
    CHECK_MSG(strstr(err.msg, "reached twice") != NULL || strstr(err.msg, "says it is VCN"),
              "%s", err.msg);
    drop(&t);
}

int main(void)
{
    RUN(fixup_checks);
    RUN(attribute_walk_checks);
    RUN(runlist_checks);
    RUN(decompressors_survive_garbage);
    RUN(lznt1_known);
    RUN(xpress_oversubscribed);
    RUN(boot_sector_damage);
    RUN(backup_boot_on_4kn_volume);
    RUN(record_damage);
    RUN(upcase_damage_falls_back_to_scan);
    RUN(index_cycle_is_refused);
    RUN(encrypted_and_odd_compression_are_unsupported);
    free(pristine);
    return check_done();
}
