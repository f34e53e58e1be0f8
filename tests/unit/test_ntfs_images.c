/* The reader against the generated images: every file in the manifest reads
 * back with the sha256 the builder recorded; volume facts, names, links,
 * reparse points and compression are what the builder made. */
#include "check.h"
#include "ntfs_testlib.h"

static bool have_images(void)
{
    return access(NTFS_IMG_DIR "/MANIFEST", R_OK) == 0;
}

#define NEED_IMAGES() do { if (!have_images()) \
    SKIP("%s/MANIFEST missing (make test-assets)", NTFS_IMG_DIR); } while (0)

static uint32_t sector_of(const char *img)
{
    return strstr(img, "4kn") || strstr(img, "-4096-") ? 4096 : 512;
}

static void sha_known(void)
{
    char hex[65];

    sha256_hex((const uint8_t *)"abc", 3, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* Every manifest file (except WOF LZX, refused by design) matches. */
static void manifest_files_match(void)
{
    FILE *m;
    char line[2048], cur[256] = "", hex[65];
    struct imgdev d = { .fd = -1 };
    struct wr_ntfs *v = NULL;
    unsigned checked = 0, lzx = 0;

    NEED_IMAGES();
    m = fopen(NTFS_IMG_DIR "/MANIFEST", "r");
    CHECK(m != NULL);
    while (fgets(line, sizeof line, m)) {
        char *img = strtok(line, "\t"), *path = strtok(NULL, "\t"), *sum = strtok(NULL, "\t\n");
        struct wr_err err = { 0 };
        uint8_t *data;
        size_t len;
        wr_status st;

        CHECK(img && path && sum);
        if (strcmp(img, cur) != 0) {
            if (v)
                wr_ntfs_close(v);
            imgdev_close(&d);
            CHECK_MSG(imgdev_open(&d, img, sector_of(img)), "cannot open %s", img);
            CHECK_OK(wr_ntfs_open(&d.dev, &v, &err), &err);
            snprintf(cur, sizeof cur, "%s", img);
        }
        st = wr_ntfs_read_file(v, path, 64u << 20, &data, &len, &err);
        if (strstr(path, "woflzx")) {
            CHECK_INT(st, WR_E_UNSUPPORTED);
            CHECK(strstr(err.msg, "unsupported compression") != NULL);
            lzx++;
            continue;
        }
        CHECK_MSG(st == WR_OK, "%s %s: %s", img, path, err.msg);
        sha256_hex(data, len, hex);
        free(data);
        CHECK_MSG(strcmp(hex, sum) == 0, "%s %s: sha256 %s, expected %s", img, path, hex, sum);
        checked++;
    }
    fclose(m);
    if (v)
        wr_ntfs_close(v);
    imgdev_close(&d);
    CHECK(checked > 4000);
    CHECK(lzx >= 2);
}

struct count {
    unsigned n, dos;
    char first[64], last[64];
};

static wr_status count_one(void *arg, const struct wr_ntfs_dirent *e)
{
    struct count *c = arg;

    if (c->n++ == 0)
        snprintf(c->first, sizeof c->first, "%.60s", e->name);
    snprintf(c->last, sizeof c->last, "%.60s", e->name);
    c->dos += e->name_space == WR_NTFS_NS_DOS;
    return WR_OK;
}

static bool open_img(struct imgdev *d, struct wr_ntfs **v, const char *img)
{
    struct wr_err err;
    return imgdev_open(d, img, sector_of(img)) && wr_ntfs_open(&d->dev, v, &err) == WR_OK;
}

static void big_directory_listing_and_lookup(void)
{
    struct imgdev d;
    struct wr_ntfs *v;
    struct count c = { 0 }, cd = { 0 };
    struct wr_ntfs_stat s;
    struct wr_err err;

    NEED_IMAGES();
    CHECK(open_img(&d, &v, "win-512-c4k.img"));
    CHECK_OK(wr_ntfs_list(v, "\\Windows\\System32\\drivers", 0, count_one, &c, &err), &err);
    CHECK_INT(c.n, 600);
    CHECK_INT(c.dos, 0);
    CHECK_STR(c.first, "driver_number_00000.sys");
    CHECK_STR(c.last, "driver_number_00599.sys");
    CHECK_OK(wr_ntfs_list(v, "/windows/system32/DRIVERS", WR_NTFS_LIST_DOS, count_one, &cd,
                          &err), &err);
    CHECK_INT(cd.n, 1200);
    CHECK_INT(cd.dos, 600);
    /* Case-insensitive, and the 8.3 alias reaches the same record. */
    CHECK_OK(wr_ntfs_stat(v, "\\WINDOWS\\system32\\Drivers\\DRIVER_NUMBER_00377.SYS", &s, &err),
             &err);
    uint64_t ref = s.ref;
    CHECK_OK(wr_ntfs_stat(v, "\\Windows\\System32\\drivers\\d0000377.sys", &s, &err), &err);
    CHECK_INT(s.ref, ref);
    CHECK_INT(wr_ntfs_stat(v, "\\Windows\\System32\\drivers\\driver_number_00600.sys", &s, &err),
              WR_E_NOT_FOUND);
    CHECK(strstr(err.msg, "not found") != NULL);
    wr_ntfs_close(v);
    imgdev_close(&d);
}

static void file_kinds(void)
{
    struct imgdev d;
    struct wr_ntfs *v;
    struct wr_ntfs_stat s;
    struct wr_err err;
    uint8_t *data;
    size_t len;

    NEED_IMAGES();
    CHECK(open_img(&d, &v, "win-512-c4k.img"));
    CHECK_OK(wr_ntfs_stat(v, "\\frag.bin", &s, &err), &err);
    CHECK(s.has_attr_list);
    CHECK_INT(s.fragments, 512);
    CHECK_INT(s.storage, WR_NTFS_STORE_PLAIN);
    wr_ntfs_close(v);
    imgdev_close(&d);
    /* Thousands of one-cluster fragments, through an attribute list. */
    CHECK(open_img(&d, &v, "win-4kn-c4k.img"));
    CHECK_OK(wr_ntfs_stat(v, "\\frag.bin", &s, &err), &err);
    CHECK(s.has_attr_list);
    CHECK_INT(s.fragments, 2048);
    wr_ntfs_close(v);
    imgdev_close(&d);
    CHECK(open_img(&d, &v, "win-512-c512.img"));
    CHECK_OK(wr_ntfs_stat(v, "\\frag.bin", &s, &err), &err);
    CHECK(s.has_attr_list);
    CHECK_INT(s.fragments, 4096);
    wr_ntfs_close(v);
    imgdev_close(&d);
    CHECK(open_img(&d, &v, "win-512-c4k.img"));
    CHECK_OK(wr_ntfs_stat(v, "\\Compressed\\lznt1.bin", &s, &err), &err);
    CHECK_INT(s.storage, WR_NTFS_STORE_LZNT1);
    CHECK_OK(wr_ntfs_stat(v, "\\linked.bin", &s, &err), &err);
    CHECK_INT(s.link_count, 14);
    CHECK(s.has_attr_list); /* 14 long names do not fit one record */
    CHECK_OK(wr_ntfs_stat(v, "\\LONGFI~1.TXT", &s, &err), &err);
    CHECK_INT(s.size, 5000);
    CHECK_OK(wr_ntfs_stat(v, "\\Junction", &s, &err), &err);
    CHECK_INT(s.reparse_tag, WR_NTFS_REPARSE_MOUNT_POINT);
    CHECK_STR(s.target, "C:\\Windows");
    CHECK_INT(wr_ntfs_stat(v, "\\Junction\\System32", &s, &err), WR_E_REFUSED);
    CHECK(strstr(err.msg, "not followed") != NULL);
    CHECK_OK(wr_ntfs_stat(v, "\\abs-link.txt", &s, &err), &err);
    CHECK_INT(s.reparse_tag, WR_NTFS_REPARSE_SYMLINK);
    CHECK_INT(wr_ntfs_read_file(v, "\\abs-link.txt", 1 << 20, &data, &len, &err), WR_E_REFUSED);
    CHECK_OK(wr_ntfs_stat(v, "\\Windows\\Boot\\EFI\\wof8k.efi", &s, &err), &err);
    CHECK_INT(s.storage, WR_NTFS_STORE_WOF_XPRESS8K);
    CHECK_INT(s.size, 200000);
    CHECK_OK(wr_ntfs_stat(v, "\\Windows\\Boot\\EFI\\woflzx.efi", &s, &err), &err);
    CHECK_INT(s.storage, WR_NTFS_STORE_WOF_LZX);
    CHECK_OK(wr_ntfs_stat(v, "\\sparse.bin", &s, &err), &err);
    CHECK(s.allocated < s.size);
    CHECK_INT(wr_ntfs_read_file(v, "\\Windows", 1 << 20, &data, &len, &err), WR_E_INVALID);
    wr_ntfs_close(v);
    imgdev_close(&d);
}

/* POSIX names differing only in case: an exact-case match wins, any other
 * case finds one of them (Windows would see both). */
static void posix_case_twins(void)
{
    struct imgdev d;
    struct wr_ntfs *v;
    struct wr_err err;
    uint8_t *data;
    size_t len;
    struct count c = { 0 };

    NEED_IMAGES();
    CHECK(open_img(&d, &v, "win-512-c4k.img"));
    CHECK_OK(wr_ntfs_read_file(v, "\\Case\\readme.txt", 100, &data, &len, &err), &err);
    CHECK(len == 5 && memcmp(data, "lower", 5) == 0);
    free(data);
    CHECK_OK(wr_ntfs_read_file(v, "\\Case\\README.TXT", 100, &data, &len, &err), &err);
    CHECK(len == 5 && memcmp(data, "upper", 5) == 0);
    free(data);
    CHECK_OK(wr_ntfs_read_file(v, "\\case\\ReadMe.Txt", 100, &data, &len, &err), &err);
    CHECK(len == 5);
    free(data);
    CHECK_OK(wr_ntfs_list(v, "\\Case", 0, count_one, &c, &err), &err);
    CHECK_INT(c.n, 2);
    CHECK_STR(c.first, "README.TXT"); /* upper case first on a tie, as ntfs-3g sorts */
    wr_ntfs_close(v);
    imgdev_close(&d);
}

static void partial_reads_cross_units(void)
{
    struct imgdev d;
    struct wr_ntfs *v;
    struct wr_ntfs_file *f;
    struct wr_err err;
    uint8_t *whole, piece[7000];
    size_t len;
    const char *paths[] = { "\\Compressed\\lznt1.bin", "\\Windows\\Boot\\EFI\\wof4k.efi",
                            "\\frag.bin", "\\sparse.bin" };

    NEED_IMAGES();
    CHECK(open_img(&d, &v, "win-512-c4k.img"));
    for (size_t i = 0; i < 4; i++) {
        CHECK_OK(wr_ntfs_read_file(v, paths[i], 64u << 20, &whole, &len, &err), &err);
        CHECK_OK(wr_ntfs_file_open(v, paths[i], &f, &err), &err);
        for (uint64_t off = 1; off + sizeof piece <= len; off += 65531) {
            CHECK_OK(wr_ntfs_file_read(f, off, piece, sizeof piece, &err), &err);
            CHECK_MSG(memcmp(piece, whole + off, sizeof piece) == 0, "%s at %llu", paths[i],
                      (unsigned long long)off);
        }
        CHECK_INT(wr_ntfs_file_read(f, len - 1, piece, 2, &err), WR_E_INVALID);
        wr_ntfs_file_close(f);
        free(whole);
    }
    wr_ntfs_close(v);
    imgdev_close(&d);
}

static void geometry_variants(void)
{
    static const struct { const char *img; uint32_t sector, cluster, record; } t[] = {
        { "win-512-c512.img", 512, 512, 1024 },
        { "win-512-c2048.img", 512, 2048, 1024 },
        { "win-512-c4k.img", 512, 4096, 1024 },
        { "win-4kn-c4k.img", 4096, 4096, 4096 },
        { "win-512-c8192.img", 512, 8192, 1024 },
        { "win-512-c65536.img", 512, 65536, 1024 },
        { "win-512-c131072.img", 512, 131072, 1024 },
        { "win-4096-c64k.img", 4096, 65536, 4096 },
    };

    NEED_IMAGES();
    for (size_t i = 0; i < WR_ARRAY_LEN(t); i++) {
        struct imgdev d;
        struct wr_ntfs *v;
        struct wr_ntfs_info info;
        struct count c = { 0 };
        struct wr_err err;

        CHECK_MSG(open_img(&d, &v, t[i].img), "%s", t[i].img);
        wr_ntfs_get_info(v, &info);
        CHECK_INT(info.sector_size, t[i].sector);
        CHECK_INT(info.cluster_size, t[i].cluster);
        CHECK_INT(info.record_size, t[i].record);
        CHECK(info.upcase_ok);
        CHECK_STR(info.label, "Windows");
        CHECK(!info.dirty);
        if (strstr(t[i].img, "c4k") == NULL) {
            CHECK_OK(wr_ntfs_list(v, "\\Dir", 0, count_one, &c, &err), &err);
            CHECK_INT(c.n, 300);
        }
        wr_ntfs_close(v);
        imgdev_close(&d);
    }
}

static void fragmented_mft_with_attribute_list(void)
{
    struct imgdev d;
    struct wr_ntfs *v;
    struct wr_ntfs_info info;
    struct wr_ntfs_stat s;
    struct wr_err err;

    NEED_IMAGES();
    CHECK(open_img(&d, &v, "mft-attrlist.img"));
    wr_ntfs_get_info(v, &info);
    CHECK(info.mft_has_attr_list);
    CHECK(info.mft_runs > 50);
    CHECK_OK(wr_ntfs_stat(v, "\\Many\\m01199.txt", &s, &err), &err);
    CHECK((s.ref & 0xFFFFFFFFFFFFULL) > 1200);
    wr_ntfs_close(v);
    imgdev_close(&d);
}

static void volume_state(void)
{
    struct imgdev d;
    struct wr_ntfs *v;
    struct wr_ntfs_info info;
    struct wr_err err;

    NEED_IMAGES();
    CHECK(open_img(&d, &v, "dirty.img"));
    wr_ntfs_get_info(v, &info);
    CHECK(info.dirty);
    CHECK_INT(wr_ntfs_hibernation(v), WR_NTFS_HIBER_NONE);
    wr_ntfs_close(v);
    imgdev_close(&d);
    CHECK(open_img(&d, &v, "hibernated.img"));
    wr_ntfs_get_info(v, &info);
    CHECK(!info.dirty);
    CHECK_INT(wr_ntfs_hibernation(v), WR_NTFS_HIBER_ACTIVE);
    wr_ntfs_close(v);
    imgdev_close(&d);
    static const struct { const char *img; const char *word; } enc[] = {
        { "bitlocker-win7.img", "encrypted" }, { "bitlocker-vista.img", "encrypted" },
        { "bitlocker-togo.img", "encrypted" }, { "refs.img", "unsupported" },
    };
    for (size_t i = 0; i < WR_ARRAY_LEN(enc); i++) {
        CHECK(imgdev_open(&d, enc[i].img, 512));
        CHECK_INT(wr_ntfs_open(&d.dev, &v, &err), WR_E_UNSUPPORTED);
        CHECK_MSG(strstr(err.msg, enc[i].word) != NULL, "%s: %s", enc[i].img, err.msg);
        CHECK(strstr(err.msg, "corrupt") == NULL);
        imgdev_close(&d);
    }
}

int main(void)
{
    RUN(sha_known);
    RUN(manifest_files_match);
    RUN(big_directory_listing_and_lookup);
    RUN(file_kinds);
    RUN(posix_case_twins);
    RUN(partial_reads_cross_units);
    RUN(geometry_variants);
    RUN(fragmented_mft_with_attribute_list);
    RUN(volume_state);
    return check_done();
}
