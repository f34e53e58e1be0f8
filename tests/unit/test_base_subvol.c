/* wr_subvol: a folder of a volume as a volume of its own (the engine's
 * backups under \EFI\ of a host's ESP on network boot). */
#include <string.h>

#include "base/memvol.h"
#include "base/subvol.h"
#include "check.h"

static wr_status count(void *arg, const struct wr_dirent *d)
{
    (void)d;
    ++*(int *)arg;
    return WR_OK;
}

static void paths_land_below_the_prefix(void)
{
    struct wr_memvol *mv;
    struct wr_volume inner;
    struct wr_subvol s;
    struct wr_err err;
    uint8_t *data = NULL;
    size_t len = 0;
    int n = 0;

    CHECK_OK(wr_memvol_new(&mv, &err), &err);
    wr_memvol_volume(mv, &inner);
    CHECK_OK(wr_volume_make_dir(&inner, "\\EFI", &err), &err);
    wr_subvol_init(&s, &inner, "\\EFI\\", "host ESP");
    CHECK_OK(wr_volume_ensure_dir(&s.vol, "\\wtg-rescue", &err), &err);
    CHECK_OK(wr_volume_make_dir(&s.vol, "\\wtg-rescue\\backups", &err), &err);
    CHECK_OK(wr_volume_write_file(&s.vol, "\\wtg-rescue\\backups\\m.tmp",
                                  (const uint8_t *)"abc", 3, &err), &err);
    CHECK_OK(wr_volume_rename(&s.vol, "\\wtg-rescue\\backups\\m.tmp",
                              "\\wtg-rescue\\backups\\manifest.txt", &err), &err);
    CHECK(wr_memvol_get(mv, "\\EFI\\wtg-rescue\\backups\\manifest.txt", &len) != NULL);
    CHECK_INT(len, 3);
    CHECK(wr_memvol_get(mv, "\\wtg-rescue\\backups\\manifest.txt", &len) == NULL);
    CHECK_OK(wr_volume_write_at(&s.vol, "\\wtg-rescue\\backups\\manifest.txt", 3,
                                (const uint8_t *)"de", 2, &err), &err);
    CHECK_OK(wr_volume_read_file(&s.vol, "\\wtg-rescue\\backups\\manifest.txt", 64, &data,
                                 &len, &err), &err);
    CHECK(len == 5 && !memcmp(data, "abcde", 5));
    wr_free(data);
    CHECK(wr_volume_exists(&s.vol, "\\wtg-rescue"));
    CHECK(wr_volume_exists(&s.vol, "\\"));
    CHECK_OK(wr_volume_list_dir(&s.vol, "\\wtg-rescue\\backups", count, &n, &err), &err);
    CHECK_INT(n, 1);
    CHECK_OK(wr_volume_remove(&s.vol, "\\wtg-rescue\\backups\\manifest.txt", &err), &err);
    CHECK(wr_memvol_get(mv, "\\EFI\\wtg-rescue\\backups\\manifest.txt", &len) == NULL);
    /* Errors name the real place. */
    CHECK(wr_volume_read_file(&s.vol, "\\nope", 64, &data, &len, &err) == WR_E_NOT_FOUND);
    wr_memvol_free(mv);
}

static void bad_paths_are_refused(void)
{
    struct wr_memvol *mv;
    struct wr_volume inner;
    struct wr_subvol s, bad;
    struct wr_err err;
    char longp[WR_NAME_MAX];

    CHECK_OK(wr_memvol_new(&mv, &err), &err);
    wr_memvol_volume(mv, &inner);
    wr_subvol_init(&s, &inner, "\\EFI", "host ESP");
    CHECK(wr_volume_make_dir(&s.vol, "relative", &err) == WR_E_INVALID);
    memset(longp, 'a', sizeof longp - 1);
    longp[0] = '\\';
    longp[sizeof longp - 1] = 0;
    longp[sizeof longp - 3] = 0; /* fits alone, not with "\EFI" */
    CHECK(wr_volume_write_file(&s.vol, longp, (const uint8_t *)"x", 1, &err) == WR_E_TOO_BIG);
    CHECK(strstr(err.msg, "path too long") != NULL);
    wr_subvol_init(&bad, &inner, "EFI", "host ESP");
    CHECK(wr_volume_make_dir(&bad.vol, "\\x", &err) == WR_E_INVALID);
    CHECK(wr_memvol_get(mv, "\\x", NULL) == NULL);
    wr_memvol_free(mv);
}

int main(void)
{
    RUN(paths_land_below_the_prefix);
    RUN(bad_paths_are_refused);
    return check_done();
}
