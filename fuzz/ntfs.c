/* libFuzzer target for lib/ntfs and the finder.
 *
 * Input: 'L' or 'X' then bytes → the LZNT1 / XPRESS decoder alone;
 * 'P' then patches → a base volume (WR_NTFS_FUZZ_BASE, made by the seed
 * script) with small patches applied, most of them inside its $MFT, where
 * mutations matter; anything else is the start of a volume image,
 * zero-padded to 4 MiB. The target opens the volume, walks the tree
 * (bounded), stats and reads every file, and runs the Windows finder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntfs/internal.h"
#include "windows/windows.h"

#define IMAGE_BYTES (4u << 20)

struct walk {
    struct wr_ntfs *v;
    unsigned budget;
    unsigned depth;
    char path[2048];
};

static void visit_path(struct walk *w);

static wr_status visit(void *arg, const struct wr_ntfs_dirent *e)
{
    struct walk *w = arg;
    size_t len = strlen(w->path);

    if (!w->budget || e->name[0] == '$' || !strcmp(e->name, "."))
        return WR_OK;
    w->budget--;
    if (len + 2 + strlen(e->name) >= sizeof w->path)
        return WR_OK;
    w->path[len] = '\\';
    memcpy(w->path + len + 1, e->name, strlen(e->name) + 1);
    visit_path(w);
    w->path[len] = '\0';
    return WR_OK;
}

static void visit_path(struct walk *w)
{
    struct wr_ntfs_stat s;
    uint8_t *data;
    size_t len;

    if (wr_ntfs_stat(w->v, w->path[0] ? w->path : "\\", &s, NULL) != WR_OK)
        return;
    if (s.is_dir && w->depth < 8) {
        w->depth++;
        wr_ntfs_list(w->v, w->path[0] ? w->path : "\\", WR_NTFS_LIST_DOS, visit, w, NULL);
        w->depth--;
    } else if (!s.is_dir && wr_ntfs_read_file(w->v, w->path, 1u << 20, &data, &len, NULL) == WR_OK) {
        wr_free(data);
    }
}

static void decoders(const uint8_t *data, size_t size)
{
    static uint16_t table[XPRESS_TABLE_ENTRIES];
    static uint8_t out[65536];
    size_t want = size > 2 ? (data[1] | (size_t)data[2] << 8) + 1 : 1;

    if (size < 3)
        return;
    if (data[0] == 'L')
        wr_ntfs_lznt1_decompress(data + 3, size - 3, out, want, NULL);
    else
        wr_ntfs_xpress_decompress(data + 3, size - 3, out, want, table, NULL);
}

static uint8_t *base;
static size_t base_len;
static uint64_t base_mft;

static void load_base(void)
{
    const char *path = getenv("WR_NTFS_FUZZ_BASE");
    FILE *f = fopen(path ? path : "build/fuzz-corpus/ntfs-base.img", "rb");

    base = malloc(IMAGE_BYTES);
    if (!f || !base) {
        base_len = 0;
        return;
    }
    base_len = fread(base, 1, IMAGE_BYTES, f);
    fclose(f);
    if (base_len >= 512)
        base_mft = wr_le64(base + 0x30) * wr_le16(base + 0x0B) * base[0x0D];
}

/* Each patch: 3 offset bytes (top bit clear: relative to the $MFT), a
 * length byte (1..32), then the bytes. */
static void apply_patches(uint8_t *img, const uint8_t *p, size_t n)
{
    while (n >= 5) {
        uint32_t off = p[0] | p[1] << 8 | (uint32_t)p[2] << 16;
        size_t len = (p[3] & 31u) + 1;
        uint64_t at = off & 0x800000 ? off & 0x7FFFFF : base_mft + off;

        p += 4;
        n -= 4;
        if (len > n)
            len = n;
        if (at < base_len && len <= base_len - at)
            memcpy(img + at, p, len);
        p += len;
        n -= len;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t *img;
    struct wr_memdev m;
    struct walk w = { .budget = 200 };
    struct wr_windows_info info;

    if (size && (data[0] == 'L' || data[0] == 'X')) {
        decoders(data, size);
        return 0;
    }
    if (!img && !(img = malloc(IMAGE_BYTES)))
        return 0;
    if (size && data[0] == 'P') {
        if (!base)
            load_base();
        memcpy(img, base, base_len);
        memset(img + base_len, 0, IMAGE_BYTES - base_len);
        apply_patches(img, data + 1, size - 1);
    } else {
        if (size > IMAGE_BYTES)
            size = IMAGE_BYTES;
        memcpy(img, data, size);
        memset(img + size, 0, IMAGE_BYTES - size);
    }
    if (wr_memdev_init(&m, img, IMAGE_BYTES, 512, false, "fuzz", NULL) != WR_OK)
        return 0;
    if (wr_ntfs_open(&m.dev, &w.v, NULL) == WR_OK) {
        visit_path(&w);
        wr_ntfs_hibernation(w.v);
        wr_ntfs_close(w.v);
    }
    wr_windows_probe(&m.dev, &info, NULL);
    return 0;
}
