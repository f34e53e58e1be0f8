/* lib/rescue_files over lib/ntfs on a built NTFS image: links are skipped,
 * WOF files copied decoded, an undecodable (LZX) file is a listed error. */
#include <string.h>

#include "base/memvol.h"
#include "check.h"
#include "ntfs_testlib.h"
#include "rescue_files/rescue_files.h"

#define IMG "win-512-c4k.img"

/* The expected sha256 of a path from the image builder's MANIFEST. */
static bool expected_sha(const char *path, char out[65])
{
    char line[512], want[300];
    FILE *f = fopen(NTFS_IMG_DIR "/MANIFEST", "r");
    bool found = false;

    snprintf(want, sizeof want, IMG "\t%s\t", path);
    while (f && !found && fgets(line, sizeof line, f))
        if (!strncmp(line, want, strlen(want))) {
            snprintf(out, 65, "%s", line + strlen(want));
            found = true;
        }
    if (f)
        fclose(f);
    return found;
}

static void links_reparse_wof_copied(void)
{
    struct imgdev d;
    struct wr_ntfs *v;
    struct wr_rf_source src;
    struct wr_rf_tally t;
    struct wr_err err = { 0 };

    if (!imgdev_open(&d, IMG, 512))
        SKIP("%s/%s missing (make test-assets)", NTFS_IMG_DIR, IMG);
    CHECK_OK(wr_ntfs_open(&d.dev, &v, &err), &err);
    wr_rf_ntfs_source(v, &src);
    CHECK_OK(wr_rf_measure(&src, "\\", &t, &err), &err);
    /* \Junction and \abs-link.txt; the WOF files are data, not links. */
    CHECK_INT(t.reparse, 2);
    CHECK(t.files > 600);
    wr_ntfs_close(v);
    imgdev_close(&d);
}

static void boot_folder_copied_with_errors_listed(void)
{
    static const char *const boot[] = { "Boot" };
    struct imgdev d;
    struct wr_ntfs *v;
    struct wr_rf_source src;
    struct wr_memvol *mv;
    struct wr_volume dst;
    struct wr_rf_job j = { 0 };
    struct wr_rf_result r;
    struct wr_err err = { 0 };
    const uint8_t *m;
    size_t len;
    char want[65], *text;
    bool wof16k;
    wr_status st;

    if (!imgdev_open(&d, IMG, 512) || !expected_sha("/Windows/Boot/EFI/wof4k.efi", want))
        SKIP("%s/%s or its MANIFEST missing (make test-assets)", NTFS_IMG_DIR, IMG);
    CHECK_OK(wr_ntfs_open(&d.dev, &v, &err), &err);
    CHECK_OK(wr_memvol_new(&mv, &err), &err);
    wr_memvol_volume(mv, &dst);
    wr_rf_ntfs_source(v, &src);
    j.src = &src;
    j.src_root = "\\Windows";
    j.folders = boot;
    j.n_folders = 1;
    j.dst = &dst;
    j.dst_root = "\\RESCUE\\win";
    j.dst_free = UINT64_MAX;
    st = wr_rf_copy(&j, &r, &err);
    m = wr_memvol_get(mv, "\\RESCUE\\win\\MANIFEST.txt", &len);
    text = calloc(1, len + 1);
    if (m && text)
        memcpy(text, m, len);
    wof16k = wr_memvol_get(mv, "\\RESCUE\\win\\Boot\\EFI\\wof16k.efi", &len) && len == 200000;
    wr_memvol_free(mv);
    wr_ntfs_close(v);
    imgdev_close(&d);
    CHECK_OK(st, &err);
    CHECK(text && strstr(text, want));
    CHECK(strstr(text, "\tBoot\\EFI\\wof4k.efi\tBoot\\EFI\\wof4k.efi\n"));
    CHECK(strstr(text, "ERROR\tBoot\\EFI\\woflzx.efi\t"));
    free(text);
    CHECK_INT(r.errors, 1);
    CHECK_INT(r.files_copied, 7); /* 8 files, the LZX one not decoded */
    CHECK(wof16k);
}

int main(void)
{
    RUN(links_reparse_wof_copied);
    RUN(boot_folder_copied_with_errors_listed);
    return check_done();
}
