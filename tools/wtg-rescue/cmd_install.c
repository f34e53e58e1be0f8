/* wtg-rescue install|uninstall --stick DEV|IMG [--apply]: the rescue menu
 * on an existing Windows To Go stick, without reformatting it. install
 * backs up what it will replace on the stick's ESP into
 * \wtg-rescue\backups\install\ with MANIFEST.txt (path, size, sha256 of each
 * original, and of what was put there) before it writes anything;
 * uninstall puts every original back byte for byte and removes the rest.
 * \EFI\Microsoft\Boot\ is only ever read. Dry run without --apply. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/fatvol.h"
#include "base/fmt.h"
#include "base/port.h"
#include "base/sha256.h"
#include "commands.h"
#include "disk/fsprobe.h"
#include "disk/partition.h"
#include "disk/parttype.h"

#define BACKUP_DIR "\\wtg-rescue\\backups\\install"
#define MANIFEST BACKUP_DIR "\\MANIFEST.txt"
#define TOGO_BOOTMGR "\\EFI\\Microsoft\\Boot\\bootmgfw.efi"
#define FILE_MAX (64u << 20)
#define MAX_ITEMS 8

static const char default_conf[] =
    "# wtg-rescue.conf, written by \"wtg-rescue install\" (see docs/config.md).\n"
    "# Start this stick's Windows To Go after 5 seconds; any key shows the menu.\n"
    "default togo\n"
    "timeout 5\n";

/* One file install writes, or one folder it creates. */
struct item {
    bool is_dir;
    char path[160];
    bool replaced;              /* a file was there: it is in the backup */
    uint64_t old_size;
    char old_sha[65];
    char backup[200];
    char new_sha[65];
    const uint8_t *data;        /* install only */
    size_t len;
};

struct job {
    const char *stick, *app, *app32, *conf;
    bool apply, uninstall;
    struct wr_fatvol *fv;
    struct wr_volume vol;
    uint32_t part;
    struct item items[MAX_ITEMS];
    size_t n;
};

static int fail_msg(int rc, const char *what, const struct wr_err *err)
{
    fprintf(stderr, "wtg-rescue: %s: %s\n", what, err->msg);
    return rc;
}

/* mtools writes the FAT behind a mounted file system's back, which would
 * undo or corrupt both: a block device (or one of its partitions) in
 * /proc/mounts is refused. */
static bool mounted(const char *stick)
{
    char real[PATH_MAX], line[4096];
    struct stat sb;
    bool hit = false;
    FILE *f;

    if (stat(stick, &sb) || !S_ISBLK(sb.st_mode) || !realpath(stick, real))
        return false;
    if (!(f = fopen("/proc/mounts", "r")))
        return false;
    while (!hit && fgets(line, sizeof line, f))
        hit = !strncmp(line, real, strlen(real));
    fclose(f);
    return hit;
}

/* The FAT partition that holds `marker`, an ESP first: a To Go stick made
 * by Windows may be MBR with a FAT32 system partition of type 0x0C. */
static int open_esp(struct job *j, const char *marker)
{
    struct wr_filedev f;
    struct wr_partition_table *t = calloc(1, sizeof *t);
    struct wr_err err = { 0 };
    int rc = EXIT_NOT_FOUND;

    if (!t)
        return EXIT_IO;
    if (wr_filedev_open(&f, j->stick, false, 0, &err)) {
        free(t);
        return fail_msg(EXIT_IO, j->stick, &err);
    }
    if (wr_partition_table_read(&f.dev, t, &err)) {
        rc = fail_msg(exit_for_status(err.code), j->stick, &err);
        goto out;
    }
    for (int pass = 0; pass < 2 && rc == EXIT_NOT_FOUND; pass++)
        for (uint32_t i = 0; i < t->count && rc == EXIT_NOT_FOUND; i++) {
            const struct wr_partition *p = &t->parts[i];
            struct wr_blockdev_slice s;
            struct wr_fs_info fs;

            if (wr_partition_is_esp(t, p) != (pass == 0) ||
                wr_blockdev_slice_init(&s, &f.dev, p->first_lba, p->sector_count, "esp", NULL) ||
                wr_fs_probe(&s.dev, &fs, NULL) ||
                (fs.kind != WR_FS_FAT32 && fs.kind != WR_FS_FAT16 && fs.kind != WR_FS_FAT12))
                continue;
            if (wr_fatvol_open(j->stick, p->first_lba * f.dev.sector_size, j->apply, &j->fv, &err)) {
                rc = fail_msg(EXIT_IO, j->stick, &err);
                break;
            }
            wr_fatvol_volume(j->fv, &j->vol);
            if (wr_volume_exists(&j->vol, marker)) {
                j->part = p->number;
                rc = EXIT_OK;
            } else {
                wr_fatvol_close(j->fv);
                j->fv = NULL;
            }
        }
    if (rc == EXIT_NOT_FOUND)
        fprintf(stderr, "wtg-rescue: %s: no FAT partition with %s%s\n", j->stick, marker,
                j->uninstall ? " (wtg-rescue is not installed there)"
                             : ": this is not a Windows To Go stick. For a new rescue stick, "
                               "write wtg-rescue.img instead");
out:
    wr_filedev_close(&f);
    free(t);
    return rc;
}

static bool read_host(const char *path, uint8_t **data, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    long n;

    *data = NULL;
    if (!fp)
        return false;
    if (fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 || (unsigned long)n > FILE_MAX ||
        fseek(fp, 0, SEEK_SET) || !(*data = malloc((size_t)n + 1)) ||
        fread(*data, 1, (size_t)n, fp) != (size_t)n) {
        fclose(fp);
        free(*data);
        *data = NULL;
        return false;
    }
    fclose(fp);
    *len = (size_t)n;
    return true;
}

/* name beside this program, else in ../share/wtg-rescue (make install). */
static const char *find_beside(const char *name, char *buf, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash;

    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    if (!(slash = strrchr(exe, '/')))
        return NULL;
    *slash = '\0';
    wr_format(buf, size, "%s/%s", exe, name);
    if (access(buf, R_OK) == 0)
        return buf;
    wr_format(buf, size, "%s/../share/wtg-rescue/%s", exe, name);
    return access(buf, R_OK) == 0 ? buf : NULL;
}

static void add_dir(struct job *j, const char *path)
{
    if (wr_volume_exists(&j->vol, path))
        return;
    struct item *it = &j->items[j->n++];
    memset(it, 0, sizeof *it);
    it->is_dir = true;
    wr_format(it->path, sizeof it->path, "%s", path);
}

static int add_file(struct job *j, const char *path, const char *backup_name,
                    const uint8_t *data, size_t len)
{
    struct item *it = &j->items[j->n++];
    struct wr_err err = { 0 };
    uint8_t *old;
    size_t old_len;

    memset(it, 0, sizeof *it);
    wr_format(it->path, sizeof it->path, "%s", path);
    it->data = data;
    it->len = len;
    wr_sha256_hex(data, len, it->new_sha);
    if (!wr_volume_exists(&j->vol, path))
        return EXIT_OK;
    if (wr_volume_read_file(&j->vol, path, FILE_MAX, &old, &old_len, &err))
        return fail_msg(EXIT_IO, path, &err);
    it->replaced = true;
    it->old_size = old_len;
    wr_sha256_hex(old, old_len, it->old_sha);
    wr_free(old);
    wr_format(it->backup, sizeof it->backup, "%s\\%s", BACKUP_DIR, backup_name);
    if (!strcmp(it->old_sha, it->new_sha) && strstr(path, "\\EFI\\BOOT\\")) {
        fprintf(stderr, "wtg-rescue: %s already is this app; nothing to back up. Refusing.\n", path);
        return EXIT_UNSUPPORTED;
    }
    return EXIT_OK;
}

static void manifest_text(const struct job *j, struct wr_text *t)
{
    wr_text_printf(t, "# wtg-rescue install: what install changed on this partition.\n"
                      "# \"wtg-rescue uninstall\" reads this to undo it; keep it.\n"
                      "# file<TAB>path<TAB>replaced|created<TAB>size<TAB>sha256<TAB>backup"
                      "<TAB>sha256 installed\n# dir<TAB>path (created)\n");
    for (size_t i = 0; i < j->n; i++) {
        const struct item *it = &j->items[i];
        if (it->is_dir)
            wr_text_printf(t, "dir\t%s\n", it->path);
        else if (it->replaced)
            wr_text_printf(t, "file\t%s\treplaced\t%llu\t%s\t%s\t%s\n", it->path,
                           (unsigned long long)it->old_size, it->old_sha, it->backup, it->new_sha);
        else
            wr_text_printf(t, "file\t%s\tcreated\t-\t-\t-\t%s\n", it->path, it->new_sha);
    }
}

/* Writes and reads back: the sha256 of what is on the stick must match. */
static wr_status write_checked(struct job *j, const char *path, const uint8_t *data, size_t len,
                               struct wr_err *err)
{
    uint8_t *back;
    size_t back_len;
    char want[65], got[65];
    wr_status st = wr_volume_write_file(&j->vol, path, data, len, err);

    if (st)
        return st;
    if ((st = wr_volume_read_file(&j->vol, path, FILE_MAX, &back, &back_len, err)))
        return st;
    wr_sha256_hex(data, len, want);
    wr_sha256_hex(back, back_len, got);
    wr_free(back);
    if (strcmp(want, got))
        return wr_fail(err, WR_E_IO, "%s: read back differs from what was written", path);
    return WR_OK;
}

static int do_install(struct job *j)
{
    struct wr_err err = { 0 };
    struct wr_text man = { 0 };
    char buf[PATH_MAX + 64], buf32[PATH_MAX + 64];
    uint8_t *app = NULL, *app32 = NULL, *conf = NULL;
    size_t app_len = 0, app32_len = 0, conf_len = 0;
    int rc;

    if (!j->app && !(j->app = find_beside("wtg-rescue.efi", buf, sizeof buf))) {
        fprintf(stderr, "wtg-rescue: no wtg-rescue.efi beside this program; name it with --app\n");
        return EXIT_NOT_FOUND;
    }
    if (!read_host(j->app, &app, &app_len) || app_len < 2 || app[0] != 'M' || app[1] != 'Z') {
        fprintf(stderr, "wtg-rescue: %s: cannot read it, or not a PE image\n", j->app);
        free(app);
        return EXIT_NOT_FOUND;
    }
    if (j->conf && !read_host(j->conf, &conf, &conf_len)) {
        fprintf(stderr, "wtg-rescue: %s: cannot read it\n", j->conf);
        free(app);
        return EXIT_NOT_FOUND;
    }
    if ((rc = open_esp(j, TOGO_BOOTMGR)))
        goto out;
    if (wr_volume_exists(&j->vol, MANIFEST)) {
        fprintf(stderr, "wtg-rescue: %s: already installed (%s is there); run uninstall first\n",
                j->stick, MANIFEST);
        rc = EXIT_UNSUPPORTED;
        goto out;
    }
    /* A To Go stick for 32-bit tablets has BOOTIA32.EFI too: ours goes
     * there as well when it is at hand, else that loader stays Windows'. */
    if (wr_volume_exists(&j->vol, "\\EFI\\BOOT\\BOOTIA32.EFI") &&
        (j->app32 || (j->app32 = find_beside("wtg-rescue-ia32.efi", buf32, sizeof buf32))) &&
        !read_host(j->app32, &app32, &app32_len)) {
        fprintf(stderr, "wtg-rescue: %s: cannot read it\n", j->app32);
        rc = EXIT_NOT_FOUND;
        goto out;
    }
    add_dir(j, "\\wtg-rescue");
    add_dir(j, "\\wtg-rescue\\backups");
    add_dir(j, BACKUP_DIR);
    add_dir(j, "\\EFI\\BOOT");
    add_dir(j, "\\EFI\\wtg-rescue");
    if ((rc = add_file(j, "\\EFI\\BOOT\\BOOTX64.EFI", "BOOTX64.EFI", app, app_len)) ||
        (app32 && (rc = add_file(j, "\\EFI\\BOOT\\BOOTIA32.EFI", "BOOTIA32.EFI", app32, app32_len))) ||
        (rc = add_file(j, "\\EFI\\wtg-rescue\\wtg-rescue.conf", "wtg-rescue.conf",
                       conf ? conf : (const uint8_t *)default_conf,
                       conf ? conf_len : sizeof default_conf - 1)))
        goto out;

    printf("%s: the Windows To Go stick's ESP is partition %u\n", j->stick, (unsigned)j->part);
    for (size_t i = 0; i < j->n; i++) {
        const struct item *it = &j->items[i];
        if (it->is_dir)
            printf("  create folder %s\n", it->path);
        else if (it->replaced)
            printf("  replace %s (%llu bytes, sha256 %.16s...; backup %s)\n", it->path,
                   (unsigned long long)it->old_size, it->old_sha, it->backup);
        else
            printf("  create %s\n", it->path);
    }
    printf("  \\EFI\\Microsoft\\Boot\\ stays as it is.\n");
    if (!j->apply) {
        printf("dry run: run again with --apply to install\n");
        goto out;
    }

    /* Backups and the manifest first: from here on uninstall can undo. */
    manifest_text(j, &man);
    if (man.failed)
        rc = EXIT_IO, fprintf(stderr, "wtg-rescue: out of memory\n");
    for (size_t i = 0; i < j->n && !rc; i++) {
        const struct item *it = &j->items[i];
        uint8_t *old = NULL;
        size_t old_len;
        if (it->is_dir && !strncmp(it->path, "\\wtg-rescue", 11) &&
            wr_volume_make_dir(&j->vol, it->path, &err))
            rc = fail_msg(EXIT_IO, it->path, &err);
        else if (!it->is_dir && it->replaced &&
                 (wr_volume_read_file(&j->vol, it->path, FILE_MAX, &old, &old_len, &err) ||
                  write_checked(j, it->backup, old, old_len, &err)))
            rc = fail_msg(EXIT_IO, it->backup, &err);
        wr_free(old);
    }
    if (!rc && write_checked(j, MANIFEST, (const uint8_t *)man.data, man.len, &err))
        rc = fail_msg(EXIT_IO, MANIFEST, &err);
    wr_text_free(&man);
    for (size_t i = 0; i < j->n && !rc; i++) {
        const struct item *it = &j->items[i];
        if (it->is_dir && strncmp(it->path, "\\wtg-rescue", 11) &&
            wr_volume_make_dir(&j->vol, it->path, &err))
            rc = fail_msg(EXIT_IO, it->path, &err);
        else if (!it->is_dir && write_checked(j, it->path, it->data, it->len, &err))
            rc = fail_msg(EXIT_IO, it->path, &err);
    }
    if (rc)
        fprintf(stderr, "wtg-rescue: install stopped; \"wtg-rescue uninstall --stick %s --apply\" "
                        "puts back what was changed\n", j->stick);
    else
        printf("installed; \"wtg-rescue uninstall --stick %s --apply\" undoes it\n", j->stick);
out:
    free(app);
    free(app32);
    free(conf);
    return rc;
}

/* One manifest line into an item; false on a line we did not write. */
static bool parse_line(char *line, struct item *it)
{
    char *f[8];
    int n = 0;

    memset(it, 0, sizeof *it);
    for (char *p = line; n < 8; n++) {
        f[n] = p;
        if (!(p = strchr(p, '\t'))) {
            n++;
            break;
        }
        *p++ = '\0';
    }
    if (n == 2 && !strcmp(f[0], "dir")) {
        it->is_dir = true;
        wr_format(it->path, sizeof it->path, "%s", f[1]);
        return f[1][0] == '\\';
    }
    if (n != 7 || strcmp(f[0], "file") || f[1][0] != '\\' || strlen(f[6]) != 64)
        return false;
    wr_format(it->path, sizeof it->path, "%s", f[1]);
    wr_format(it->new_sha, sizeof it->new_sha, "%s", f[6]);
    if (!strcmp(f[2], "created"))
        return true;
    if (strcmp(f[2], "replaced") || strlen(f[4]) != 64 || f[5][0] != '\\')
        return false;
    it->replaced = true;
    it->old_size = strtoull(f[3], NULL, 10);
    wr_format(it->old_sha, sizeof it->old_sha, "%s", f[4]);
    wr_format(it->backup, sizeof it->backup, "%s", f[5]);
    return true;
}

static bool file_is(struct job *j, const char *path, const char *sha, uint8_t **keep, size_t *len)
{
    struct wr_err err = { 0 };
    uint8_t *data;
    size_t n;
    char got[65];

    if (wr_volume_read_file(&j->vol, path, FILE_MAX, &data, &n, &err))
        return false;
    wr_sha256_hex(data, n, got);
    if (keep && !strcmp(got, sha)) {
        *keep = data;
        *len = n;
    } else {
        wr_free(data);
    }
    return !strcmp(got, sha);
}

static int do_uninstall(struct job *j)
{
    struct wr_err err = { 0 };
    uint8_t *text = NULL;
    size_t len;
    int rc;

    if ((rc = open_esp(j, MANIFEST)))
        return rc;
    if (wr_volume_read_file(&j->vol, MANIFEST, 1 << 16, &text, &len, &err))
        return fail_msg(EXIT_IO, MANIFEST, &err);
    for (char *line = (char *)text, *next; line < (char *)text + len && !rc; line = next) {
        char *nl = memchr(line, '\n', (size_t)((char *)text + len - line));
        next = nl ? nl + 1 : (char *)text + len;
        if (nl)
            *nl = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (j->n == MAX_ITEMS || !parse_line(line, &j->items[j->n++])) {
            fprintf(stderr, "wtg-rescue: %s: a line uninstall does not understand: %s. "
                            "Nothing was changed.\n", MANIFEST, line);
            rc = EXIT_CORRUPT;
        }
    }
    wr_free(text);
    if (rc)
        return rc;
    /* Everything is checked before anything is changed. */
    for (size_t i = 0; i < j->n; i++) {
        const struct item *it = &j->items[i];
        if (it->is_dir)
            continue;
        if (!file_is(j, it->path, it->new_sha, NULL, NULL)) {
            fprintf(stderr, "wtg-rescue: %s has changed since install (or is gone); refusing to "
                            "overwrite it. The originals are in %s.\n", it->path, BACKUP_DIR);
            return EXIT_UNSUPPORTED;
        }
        if (it->replaced && !file_is(j, it->backup, it->old_sha, NULL, NULL)) {
            fprintf(stderr, "wtg-rescue: the backup %s is missing or damaged (sha256 differs); "
                            "nothing was changed\n", it->backup);
            return EXIT_CORRUPT;
        }
    }
    for (size_t i = 0; i < j->n; i++) {
        const struct item *it = &j->items[i];
        if (!it->is_dir)
            printf("  %s %s%s%s\n", it->replaced ? "restore" : "remove", it->path,
                   it->replaced ? " from " : "", it->replaced ? it->backup : "");
    }
    printf("  then remove %s and the folders install created\n", BACKUP_DIR);
    if (!j->apply) {
        printf("dry run: run again with --apply to uninstall\n");
        return EXIT_OK;
    }
    for (size_t i = 0; i < j->n && !rc; i++) {
        const struct item *it = &j->items[i];
        uint8_t *orig = NULL;
        size_t orig_len = 0;
        if (it->is_dir)
            continue;
        if (it->replaced) {
            if (!file_is(j, it->backup, it->old_sha, &orig, &orig_len) ||
                write_checked(j, it->path, orig, orig_len, &err))
                rc = fail_msg(EXIT_IO, it->path, &err);
            wr_free(orig);
        } else if (wr_volume_remove(&j->vol, it->path, &err)) {
            rc = fail_msg(EXIT_IO, it->path, &err);
        }
    }
    if (rc) {
        fprintf(stderr, "wtg-rescue: uninstall stopped; the backup and %s are kept\n", MANIFEST);
        return rc;
    }
    /* The originals are back: the backup goes, manifest last, then the
     * folders install made (deepest first), each only when empty. */
    for (size_t i = 0; i < j->n; i++)
        if (j->items[i].replaced && wr_volume_remove(&j->vol, j->items[i].backup, &err))
            fprintf(stderr, "wtg-rescue: note: %s: %s\n", j->items[i].backup, err.msg);
    if (wr_volume_remove(&j->vol, MANIFEST, &err))
        fprintf(stderr, "wtg-rescue: note: %s: %s\n", MANIFEST, err.msg);
    if (!wr_volume_exists(&j->vol, MANIFEST))
        wr_volume_remove(&j->vol, BACKUP_DIR, &err);
    for (size_t i = j->n; i-- > 0;)
        if (j->items[i].is_dir && strcmp(j->items[i].path, BACKUP_DIR))
            wr_volume_remove(&j->vol, j->items[i].path, &err); /* fails while not empty */
    printf("uninstalled: every file install replaced is back byte for byte\n");
    return EXIT_OK;
}

int wtg_cmd_install(int argc, char **argv)
{
    struct job j = { 0 };
    int rc;

    j.uninstall = !strcmp(argv[0], "uninstall");
    for (int i = 1; i < argc; i++) {
        const char **slot = !strcmp(argv[i], "--stick") ? &j.stick
                          : !strcmp(argv[i], "--app") && !j.uninstall ? &j.app
                          : !strcmp(argv[i], "--app32") && !j.uninstall ? &j.app32
                          : !strcmp(argv[i], "--conf") && !j.uninstall ? &j.conf
                                                                        : NULL;
        if (slot && i + 1 < argc)
            *slot = argv[++i];
        else if (!strcmp(argv[i], "--apply"))
            j.apply = true;
        else
            j.stick = NULL, i = argc;
    }
    if (!j.stick) {
        fprintf(stderr, j.uninstall ? "usage: wtg-rescue uninstall --stick DEV|IMG [--apply]\n"
                                    : "usage: wtg-rescue install --stick DEV|IMG [--app FILE] "
                                      "[--app32 FILE] [--conf FILE] [--apply]\n");
        return EXIT_USAGE;
    }
    if (j.apply && mounted(j.stick)) {
        fprintf(stderr, "wtg-rescue: %s or one of its partitions is mounted; unmount it first "
                        "(nothing was written)\n", j.stick);
        return EXIT_UNSUPPORTED;
    }
    rc = j.uninstall ? do_uninstall(&j) : do_install(&j);
    if (j.fv)
        wr_fatvol_close(j.fv);
    return rc;
}
