/* Finding, reading and opening the store file. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "bcdtool.h"
#include "bcd/hive.h"

#define STORE_MAX ((size_t)256 << 20)
#define MAX_CANDIDATES 32

uint8_t *bcdtool_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0, got;

    if (!f) {
        bcdtool_error("%s: %s", path, strerror(errno));
        return NULL;
    }
    do {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            uint8_t *p = ncap > STORE_MAX + 1 ? NULL : realloc(buf, ncap);
            if (!p) {
                bcdtool_error("%s: file too large (over %zu MiB) or out of memory", path,
                              STORE_MAX >> 20);
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
            cap = ncap;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got);
    if (ferror(f)) {
        bcdtool_error("%s: read error", path);
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* dir/EFI/Microsoft/Boot/BCD matched case-insensitively, as FAT does. */
static char *find_ci(const char *dir)
{
    static const char *const parts[] = { "EFI", "Microsoft", "Boot", "BCD" };
    char path[PATH_MAX];
    struct stat st;

    snprintf(path, sizeof path, "%s", dir);
    for (size_t i = 0; i < 4; i++) {
        DIR *d = opendir(path);
        struct dirent *e;
        bool found = false;
        if (!d)
            return NULL;
        while (!found && (e = readdir(d)))
            if (!strcasecmp(e->d_name, parts[i])) {
                size_t n = strlen(path);
                snprintf(path + n, sizeof path - n, "/%s", e->d_name);
                found = true;
            }
        closedir(d);
        if (!found)
            return NULL;
    }
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) ? realpath(path, NULL) : NULL;
}

static void add_candidate(char **found, size_t *n, const char *dir)
{
    char *p = find_ci(dir);

    if (!p)
        return;
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(found[i], p)) {
            free(p);
            return;
        }
    if (*n < MAX_CANDIDATES)
        found[(*n)++] = p;
    else
        free(p);
}

/* Mount points of vfat filesystems (ESPs) from /proc/mounts. Tests point
 * BCDTOOL_PROC_MOUNTS and BCDTOOL_ESP_DIRS elsewhere. */
static void add_vfat_mounts(char **found, size_t *n)
{
    const char *mounts = getenv("BCDTOOL_PROC_MOUNTS");
    FILE *f = fopen(mounts ? mounts : "/proc/mounts", "r");
    char line[4096], dev[1024], dir[2048], type[64];

    if (!f)
        return;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%1023s %2047s %63s", dev, dir, type) == 3 && !strcmp(type, "vfat"))
            add_candidate(found, n, dir);
    fclose(f);
}

char *bcdtool_find_esp_store(void)
{
    const char *dirs_env = getenv("BCDTOOL_ESP_DIRS");
    char *dirs = strdup(dirs_env ? dirs_env : "/boot/efi:/efi:/boot");
    char *found[MAX_CANDIDATES], *save = NULL, *result = NULL;
    size_t n = 0;

    if (!dirs)
        return NULL;
    for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save))
        add_candidate(found, &n, d);
    free(dirs);
    add_vfat_mounts(found, &n);
    if (n == 1) {
        result = found[0];
        return result;
    }
    if (n == 0)
        bcdtool_error("no Windows store (\\EFI\\Microsoft\\Boot\\BCD) found on a mounted ESP "
                      "(looked under /boot/efi, /efi, /boot and vfat mounts); mount the ESP "
                      "or name the file with /store FILE");
    else {
        bcdtool_error("%zu Windows stores found on mounted ESPs; choose one with /store FILE:",
                      n);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "  %s\n", found[i]);
    }
    for (size_t i = 0; i < n; i++)
        free(found[i]);
    return NULL;
}

/* The transaction logs beside a store, for a primary that needs them. */
static size_t read_logs(const char *path, struct wr_regf_log *logs, uint8_t **bufs,
                        char names[3][PATH_MAX])
{
    static const char *const suffix[] = { ".LOG", ".LOG1", ".LOG2" };
    size_t n = 0;

    for (size_t i = 0; i < 3; i++) {
        struct stat st;
        size_t len;
        snprintf(names[n], PATH_MAX, "%s%s", path, suffix[i]);
        if (stat(names[n], &st) != 0)
            continue;
        bufs[n] = bcdtool_read_file(names[n], &len);
        if (!bufs[n])
            continue;
        logs[n] = (struct wr_regf_log){ names[n], bufs[n], len };
        n++;
    }
    return n;
}

static bool open_store(struct bcdtool *bt)
{
    struct wr_regf_log logs[3];
    uint8_t *bufs[3] = { 0 };
    static char names[3][PATH_MAX];
    struct wr_err err = { 0 };
    size_t n = read_logs(bt->store_path, logs, bufs, names);
    wr_status st = wr_bcd_store_open(bt->file, bt->file_len, bt->store_path, logs, n,
                                     &bt->hive, &bt->store, &err);

    for (size_t i = 0; i < 3; i++)
        free(bufs[i]);
    if (st != WR_OK)
        bcdtool_error("%s", err.msg);
    return st == WR_OK;
}

bool bcdtool_open(struct bcdtool *bt)
{
    if (!bt->store_path) {
        bt->owned_path = bcdtool_find_esp_store();
        bt->store_path = bt->owned_path;
        if (!bt->store_path)
            return false;
    }
    bt->file = bcdtool_read_file(bt->store_path, &bt->file_len);
    return bt->file && open_store(bt);
}

void bcdtool_close(struct bcdtool *bt)
{
    wr_bcd_store_free(&bt->store);
    if (bt->hive)
        wr_regf_close(bt->hive);
    free(bt->file);
    free(bt->owned_path);
    bt->owned_path = NULL;
    bt->hive = NULL;
    bt->file = NULL;
}
