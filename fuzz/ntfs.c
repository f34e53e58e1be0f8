/* libFuzzer target for lib/ntfs and the finder.
 *
 * Input: 'L' or 'X' then bytes → the LZNT1 / XPRESS decoder alone;
 * anything else is the start of a volume image, zero-padded to 4 MiB (the
 * seeds are small mkntfs volumes with trailing zeros cut). The target opens
 * the volume, walks the tree (bounded), stats and reads every file, and
 * runs the Windows finder. */
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
    if (size > IMAGE_BYTES)
        size = IMAGE_BYTES;
    memcpy(img, data, size);
    memset(img + size, 0, IMAGE_BYTES - size);
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
