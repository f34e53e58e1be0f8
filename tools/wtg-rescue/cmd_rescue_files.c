/* wtg-rescue rescue-files DISK:PART --user NAME --to DIR [--folders a,b]:
 * the stick's data rescue on Linux. The user's folders are copied from the
 * NTFS volume (read-only) into DIR/NAME, with DIR/NAME/MANIFEST.txt.
 * Ctrl-C cancels cleanly: the manifest then lists exactly what was copied. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "../common/dirvol.h"
#include "rescue_files/rescue_files.h"
#include "volume_open.h"

#define MAX_FOLDERS 32

struct rf_cli {
    const char *spec, *user, *to, *folders;
    char *folder_buf;
    const char *list[MAX_FOLDERS];
    char user_buf[WR_RF_USER_MAX];  /* NAME as \Users spells it */
    size_t n;
    uint64_t last_ms;
    bool tty;
};

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

static uint64_t mono_ms(void *ctx)
{
    struct timespec ts;

    (void)ctx;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool cancelled(void *ctx)
{
    (void)ctx;
    return interrupted != 0;
}

static void progress(void *ctx, const struct wr_rf_progress *p)
{
    struct rf_cli *c = ctx;
    char done[32], total[32], rate[32];
    uint64_t t = mono_ms(NULL);

    if (t - c->last_ms < 1000 && p->bytes_done < p->bytes_total)
        return;
    c->last_ms = t;
    wr_rf_format_bytes(p->bytes_done, done, sizeof done);
    wr_rf_format_bytes(p->bytes_total, total, sizeof total);
    wr_rf_format_bytes(p->bytes_per_s, rate, sizeof rate);
    fprintf(stderr, "%s%s of %s, %llu of %llu files, %s/s, %llu s left%s",
            c->tty ? "\r" : "", done, total, (unsigned long long)p->files_done,
            (unsigned long long)p->files_total, rate, (unsigned long long)p->eta_s,
            c->tty ? "   " : "\n");
}

static int parse(int argc, char **argv, struct rf_cli *c)
{
    for (int i = 1; i < argc; i++) {
        const char **slot = !strcmp(argv[i], "--user")      ? &c->user
                            : !strcmp(argv[i], "--to")      ? &c->to
                            : !strcmp(argv[i], "--folders") ? &c->folders
                                                            : NULL;
        if (slot && i + 1 < argc)
            *slot = argv[++i];
        else if (!slot && argv[i][0] != '-' && !c->spec)
            c->spec = argv[i];
        else
            return -1;
    }
    return c->spec && c->user && c->to ? 0 : -1;
}

/* --folders a,b or, by default, the usual folders the user has. */
static int pick_folders(struct rf_cli *c, const struct wr_rf_source *src)
{
    char path[1024];
    struct wr_rf_tally t;
    struct wr_err err = { 0 };

    if (c->folders) {
        c->folder_buf = strdup(c->folders);
        for (char *s = c->folder_buf, *tok; c->folder_buf && (tok = strsep(&s, ","));)
            if (*tok && c->n < MAX_FOLDERS)
                c->list[c->n++] = tok;
        return c->n ? EXIT_OK : EXIT_USAGE;
    }
    for (size_t i = 0; i < wr_rf_known_folder_count; i++) {
        snprintf(path, sizeof path, "\\Users\\%s\\%s", c->user, wr_rf_known_folders[i]);
        /* An empty listing of a missing folder and a real one look alike:
         * only folders that hold something are worth a line. */
        if (wr_rf_measure(src, path, &t, &err) == WR_OK && (t.files || t.dirs))
            c->list[c->n++] = wr_rf_known_folders[i];
    }
    if (!c->n) {
        fprintf(stderr, "wtg-rescue: \\Users\\%s has none of the usual folders "
                        "(name them with --folders)\n", c->user);
        return EXIT_NOT_FOUND;
    }
    return EXIT_OK;
}

static void print_result(const struct rf_cli *c, const struct wr_rf_result *r, wr_status st)
{
    char bytes[32], rate[32];

    wr_rf_format_bytes(r->bytes_copied, bytes, sizeof bytes);
    wr_rf_format_bytes(r->elapsed_ms ? r->bytes_copied * 1000 / r->elapsed_ms : 0, rate,
                       sizeof rate);
    if (c->tty)
        fputc('\n', stderr);
    printf("%s: %llu of %llu files (%s) copied in %llu ms (%s/s), %llu renamed for FAT, "
           "%llu links skipped, %llu errors\n",
           st == WR_OK ? "done" : st == WR_E_CANCELLED ? "cancelled" : "stopped",
           (unsigned long long)r->files_copied, (unsigned long long)r->planned.files, bytes,
           (unsigned long long)r->elapsed_ms, rate, (unsigned long long)r->renamed,
           (unsigned long long)r->skipped, (unsigned long long)r->errors);
    for (uint64_t i = 0; i < r->errors && i < WR_RF_MAX_LISTED_ERRORS; i++)
        printf("  error: %s\n", r->error_list[i]);
    if (r->manifest_written)
        printf("manifest: %s/%s/MANIFEST.txt\n", c->to, c->user);
}

/* NAME must be one of \Users' people (any case; their spelling is kept);
 * else say who is there. */
static int check_user(struct rf_cli *c, const struct wr_rf_source *src)
{
    char names[WR_RF_MAX_USERS][WR_RF_USER_MAX];
    size_t n = 0;
    struct wr_err err = { 0 };
    wr_status st = wr_rf_list_users(src, names, WR_RF_MAX_USERS, &n, &err);

    if (st) {
        fprintf(stderr, "wtg-rescue: %s\n", err.msg);
        return exit_for_status(st);
    }
    for (size_t i = 0; i < n; i++)
        if (!strcasecmp(names[i], c->user)) {
            memcpy(c->user_buf, names[i], sizeof c->user_buf);
            c->user = c->user_buf;
            return EXIT_OK;
        }
    fprintf(stderr, "wtg-rescue: no user \"%s\" in \\Users; users:", c->user);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "%s %s", i ? "," : "", names[i]);
    fprintf(stderr, "%s\n", n ? "" : " none");
    return EXIT_NOT_FOUND;
}

static int copy(struct rf_cli *c, const struct wr_rf_source *src, char *src_root)
{
    struct wr_dirvol *dv;
    struct wr_volume dst;
    struct wr_rf_job j = { 0 };
    struct wr_rf_result r;
    struct wr_err err = { 0 };
    struct statvfs fs;
    char dst_root[300];
    wr_status st;

    if (mkdir(c->to, 0755) && errno != EEXIST) {
        fprintf(stderr, "wtg-rescue: %s: %s\n", c->to, strerror(errno));
        return EXIT_IO;
    }
    st = wr_dirvol_open(c->to, &dv, &err);
    if (st) {
        fprintf(stderr, "wtg-rescue: %s\n", err.msg);
        return exit_for_status(st);
    }
    wr_dirvol_volume(dv, &dst);
    dst.name = c->to;
    snprintf(dst_root, sizeof dst_root, "\\%s", c->user);
    j.src = src;
    j.src_root = src_root;
    j.folders = c->list;
    j.n_folders = c->n;
    j.dst = &dst;
    j.dst_root = dst_root;
    j.dst_free = statvfs(c->to, &fs) ? UINT64_MAX : (uint64_t)fs.f_bavail * fs.f_frsize;
    j.dst_cluster = statvfs(c->to, &fs) ? 4096 : (uint32_t)fs.f_bsize;
    j.header = c->spec;
    j.ctx = c;
    j.now_ms = mono_ms;
    j.progress = progress;
    j.cancelled = cancelled;
    st = wr_rf_copy(&j, &r, &err);
    if (st != WR_E_REFUSED && st != WR_E_EXISTS && st != WR_E_NOT_FOUND)
        print_result(c, &r, st);
    if (st)
        fprintf(stderr, "wtg-rescue: %s\n", err.msg);
    wr_dirvol_close(dv);
    return st == WR_E_CANCELLED ? 130 : exit_for_status(st);
}

int wtg_cmd_rescue_files(int argc, char **argv)
{
    struct rf_cli c = { 0 };
    struct target t;
    struct wr_ntfs *v;
    struct wr_rf_source src;
    char src_root[300];
    int rc;

    if (parse(argc, argv, &c)) {
        fprintf(stderr, "usage: wtg-rescue rescue-files DISK:PART --user NAME --to DIR "
                        "[--folders Documents,Pictures,...]\n");
        return EXIT_USAGE;
    }
    rc = open_ntfs(c.spec, &t, &v);
    if (rc)
        return rc;
    wr_rf_ntfs_source(v, &src);
    c.tty = isatty(2);
    signal(SIGINT, on_sigint);
    rc = check_user(&c, &src);
    if (!rc) {
        snprintf(src_root, sizeof src_root, "\\Users\\%s", c.user);
        rc = pick_folders(&c, &src);
    }
    if (!rc)
        rc = copy(&c, &src, src_root);
    free(c.folder_buf);
    wr_ntfs_close(v);
    target_close(&t);
    return rc;
}
