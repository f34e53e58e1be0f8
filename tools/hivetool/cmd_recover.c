/* hivetool recover FILE -o OUT: apply the transaction logs beside FILE and
 * write the clean result to OUT (never over FILE or its logs). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/bytes.h"
#include "commands.h"
#include "../common/dirvol.h"
#include "regf/commit.h"
#include "regf/recover.h"
#include "regf/regf.h"

struct errors {
    size_t count;
    struct wr_regf_finding first;
};

static bool count_errors(void *arg, const struct wr_regf_finding *f)
{
    struct errors *e = arg;
    if (!wr_regf_finding_is_warning(f->code) && e->count++ == 0)
        e->first = *f;
    return true;
}

/* The recovered image through the full validator: a log can replay pages
 * that are themselves broken. Written anyway (it is the best there is),
 * but the exit status says so. */
static bool validated(const char *file, const uint8_t *img, size_t len)
{
    static struct errors e;
    size_t n = 0;
    struct wr_err err = {0};
    memset(&e, 0, sizeof e);
    if (wr_regf_validate_bytes(img, len, file, count_errors, &e, &n, &err) != WR_OK) {
        fprintf(stderr, "hivetool recover: validating the result: %s\n", err.msg);
        return false;
    }
    if (e.count)
        fprintf(stderr, "hivetool recover: warning: the recovered hive has %zu validator errors; "
                        "first at 0x%llx: %s\n", e.count, (unsigned long long)e.first.offset,
                e.first.message);
    return e.count == 0;
}

#define HIVE_MAX ((size_t)1 << 31)

static int usage(void)
{
    fprintf(stderr, "usage: hivetool recover FILE -o OUT\n"
                    "  applies FILE's .LOG/.LOG1/.LOG2 and writes a clean hive to OUT\n");
    return 2;
}

/* OUT must not be FILE or one of its logs: recovery never writes its input. */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static bool is_input(const char *file, const char *out)
{
    static const char *const sfx[] = {"", ".LOG", ".LOG1", ".LOG2", ".log", ".log1", ".log2"};
    char buf[4200];
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        snprintf(buf, sizeof buf, "%s%s", file, sfx[i]);
        if (same_file(buf, out))
            return true;
    }
    return false;
}

static int write_out(const char *out, const uint8_t *img, size_t len)
{
    struct wr_err err = {0};
    struct wr_dirvol *dv;
    struct wr_volume vol;
    char path[4200];
    uint8_t bb[4096];
    if (wr_dirvol_for_file(out, &dv, path, sizeof path, &err)) {
        fprintf(stderr, "hivetool recover: %s\n", err.msg);
        return 2;
    }
    wr_dirvol_volume(dv, &vol);
    struct wr_regf_commit_report rep;
    wr_status st = wr_regf_commit_image(img, len, bb, &vol, path, WR_REGF_COMMIT_REPLACE, &rep,
                                        &err);
    wr_dirvol_close(dv);
    if (st) {
        fprintf(stderr, "hivetool recover: writing %s: %s\n", out, err.msg);
        return 2;
    }
    printf("wrote %s (clean, sequence %u)\n", out, rep.seq);
    return 0;
}

static int recover_file(const char *file, const char *out)
{
    struct wr_err err = {0};
    struct wr_dirvol *dv;
    struct wr_volume vol;
    char path[4200];
    if (wr_dirvol_for_file(file, &dv, path, sizeof path, &err)) {
        fprintf(stderr, "hivetool recover: %s\n", err.msg);
        return 2;
    }
    wr_dirvol_volume(dv, &vol);
    uint8_t *primary = NULL, *img = NULL;
    size_t plen = 0, ilen = 0;
    struct wr_regf_logset set = {0};
    static struct wr_regf_recover_report rep;
    int rc = 2;
    if (wr_volume_read_file(&vol, path, HIVE_MAX, &primary, &plen, &err) ||
        wr_regf_find_logs(&vol, path, HIVE_MAX, &set, &err)) {
        fprintf(stderr, "hivetool recover: %s\n", err.msg);
        goto out;
    }
    wr_status st = wr_regf_recover(path + 1, primary, plen, set.log, set.count, &img, &ilen, &rep,
                                   &err);
    if (st == WR_E_REFUSED) {
        fprintf(stderr, "hivetool recover: %s; writing it unchanged\n", err.msg);
        rc = write_out(out, primary, plen);
        goto out;
    }
    fputs(rep.text, stderr);
    if (st) {
        fprintf(stderr, "hivetool recover: %s\n", err.msg);
        rc = 1;
        goto out;
    }
    printf("recovered %s: %u entries, %u pages, sequence %u%s\n", file, rep.entries_applied,
           rep.pages_applied, rep.final_seq, rep.header_from_log ? ", base block from the log" : "");
    bool ok = validated(file, img, ilen);
    rc = write_out(out, img, ilen);
    if (rc == 0 && !ok)
        rc = 1;
out:
    wr_regf_logset_free(&set);
    wr_free(primary);
    wr_free(img);
    wr_dirvol_close(dv);
    return rc;
}

/* argv[0] is the subcommand name. */
int hivetool_cmd_recover(int argc, char **argv)
{
    const char *file = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return usage();
        else if (argv[i][0] == '-' && argv[i][1])
            return usage();
        else if (!file)
            file = argv[i];
        else
            return usage();
    }
    if (!file || !out)
        return usage();
    if (is_input(file, out)) {
        fprintf(stderr, "hivetool recover: refusing to write %s: it is %s or one of its logs; "
                        "choose another -o\n", out, file);
        return 2;
    }
    return recover_file(file, out);
}
