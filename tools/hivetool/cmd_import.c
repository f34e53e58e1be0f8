/* hivetool import [--prefix P] FILE REGFILE: merge a .reg file into a hive
 * and write it back crash-safely (temporary file, verify, rename). Nothing
 * is written unless the whole file parses and every change applies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/dirvol.h"
#include "commands.h"
#include "import_reg.h"
#include "regf/commit.h"
#include "regf/regf.h"

#define HIVE_MAX ((size_t)1 << 30)

struct import {
    const char *prefix;
    struct wr_regf_hive *h;  /* NULL during the syntax pass */
    wr_regf_node key;        /* current section, NIL when deleted/absent */
    unsigned keys, values;
    struct wr_err err;
};

static int usage(void)
{
    fprintf(stderr, "usage: hivetool import [--prefix PREFIX] [--in-place] FILE REGFILE\n"
                    "  merges REGFILE (regedit format) into the hive FILE, crash-safely:\n"
                    "  by default a new file renamed over FILE; --in-place writes a\n"
                    "  transaction log first, then FILE itself (as Windows does)\n");
    return 2;
}

/* The path inside the hive: the prefix stripped, then '\'-separated. */
static const char *hive_path(struct import *im, const char *path, int line)
{
    if (im->prefix) {
        size_t n = strlen(im->prefix);
        if (strncasecmp(path, im->prefix, n) != 0 || (path[n] && path[n] != '\\')) {
            wr_fail(&im->err, WR_E_INVALID, "line %d: key \"%s\" is not under the prefix \"%s\"",
                    line, path, im->prefix);
            return NULL;
        }
        return path + n;
    }
    if (strncasecmp(path, "HKEY_", 5) == 0) {
        wr_fail(&im->err, WR_E_INVALID,
                "line %d: key \"%s\" names a root key: give --prefix (e.g. HKEY_LOCAL_MACHINE\\BCD00000000)",
                line, path);
        return NULL;
    }
    return path;
}

/* Creates each missing component below the root. */
static wr_status make_path(struct import *im, const char *path, wr_regf_node *out)
{
    wr_regf_node cur = wr_regf_root(im->h);
    char name[1024];
    while (*path) {
        while (*path == '\\')
            path++;
        size_t n = strcspn(path, "\\");
        if (n == 0)
            break;
        if (n >= sizeof name)
            return wr_fail(&im->err, WR_E_INVALID, "key name of %zu bytes is too long", n);
        memcpy(name, path, n);
        name[n] = 0;
        wr_regf_node child;
        wr_status st = wr_regf_key_create(im->h, cur, name, &child, &im->err);
        if (st == WR_OK)
            im->keys++;
        else if (st != WR_E_EXISTS)
            return st;
        cur = child;
        path += n;
    }
    *out = cur;
    return WR_OK;
}

static int on_key(void *arg, const char *path, bool del, int line)
{
    struct import *im = arg;
    const char *p = hive_path(im, path, line);
    if (!p)
        return 1;
    im->key = WR_REGF_NIL;
    if (!im->h)
        return 0;
    wr_status st;
    if (del) {
        wr_regf_node node;
        st = wr_regf_lookup(im->h, wr_regf_root(im->h), p, &node, &im->err);
        if (st == WR_E_NOT_FOUND)
            return 0; /* deleting what is not there is not an error */
        if (!st)
            st = wr_regf_key_delete(im->h, node, &im->err);
        if (!st)
            im->keys++;
    } else {
        st = make_path(im, p, &im->key);
    }
    if (st)
        wr_err_prefix(&im->err, st, "line %d: [%s%s]: ", line, del ? "-" : "", path);
    return st ? 1 : 0;
}

/* Rewriting an identical value would still move cells: skip it. */
static bool already_set(struct import *im, const char *name, uint32_t type, const uint8_t *data,
                        size_t len)
{
    wr_regf_value v;
    uint32_t old_type;
    uint8_t *old = NULL;
    size_t old_len = 0;
    if (wr_regf_value_find(im->h, im->key, name, &v, NULL) != WR_OK ||
        wr_regf_value_data(im->h, v, &old_type, &old, &old_len, NULL) != WR_OK)
        return false;
    bool same = old_type == type && old_len == len && (len == 0 || memcmp(old, data, len) == 0);
    wr_free(old);
    return same;
}

static int on_value(void *arg, const char *name, bool del, uint32_t type, const uint8_t *data,
                    size_t len, int line)
{
    struct import *im = arg;
    if (!im->h)
        return 0;
    wr_status st;
    if (del) {
        st = wr_regf_value_delete(im->h, im->key, name, &im->err);
        if (st == WR_E_NOT_FOUND)
            return 0;
    } else {
        if (already_set(im, name, type, data, len))
            return 0;
        st = wr_regf_value_set(im->h, im->key, name, type, data, len, &im->err);
    }
    if (st) {
        wr_err_prefix(&im->err, st, "line %d: value \"%s\": ", line, name);
        return 1;
    }
    im->values++;
    return 0;
}

static int parse(struct import *im, const uint8_t *text, size_t len, const char *regfile)
{
    struct reg_sink sink = {on_key, on_value, im};
    char why[300];
    int rc = reg_parse(text, len, &sink, why, sizeof why);
    if (rc < 0)
        fprintf(stderr, "hivetool import: %s: %s\n", regfile, why);
    else if (rc > 0)
        fprintf(stderr, "hivetool import: %s: %s\n", regfile, im->err.msg);
    return rc;
}

/* Opens the hive strictly; *orig keeps the file's bytes (wr_free them). */
static int open_hive(const struct wr_volume *vol, const char *path, const char *file,
                     struct wr_regf_hive **h, uint8_t **orig, size_t *orig_len)
{
    struct wr_err err = {0};
    if (wr_volume_read_file(vol, path, HIVE_MAX, orig, orig_len, &err)) {
        fprintf(stderr, "hivetool import: %s\n", err.msg);
        return 2;
    }
    struct wr_regf_open_opts opts = {.name = file};
    wr_status st = wr_regf_open(*orig, *orig_len, &opts, h, &err);
    if (st == WR_E_REFUSED)
        fprintf(stderr, "hivetool import: %s\nrecover it first: hivetool recover %s -o NEW\n",
                err.msg, file);
    else if (st)
        fprintf(stderr, "hivetool import: %s\n", err.msg);
    return st == WR_OK ? 0 : st == WR_E_REFUSED || st == WR_E_CORRUPT ? 1 : 2;
}

/* Setting a value to what it was still rewrites cells, so compare bytes. */
static bool same_content(const struct wr_regf_hive *h, const uint8_t *orig, size_t orig_len)
{
    const uint8_t *img;
    size_t len;
    wr_regf_image(h, &img, &len);
    return len <= orig_len && memcmp(img + 0x28, orig + 0x28, 4) == 0 &&
           memcmp(img + 4096, orig + 4096, len - 4096) == 0;
}

static int import(const char *prefix, unsigned mode, const char *file, const char *regfile)
{
    size_t tlen = 0;
    uint8_t *text = hivetool_read_file(regfile, &tlen);
    if (!text)
        return 2;
    struct import im = {.prefix = prefix};
    int rc = 2;
    struct wr_dirvol *dv = NULL;
    struct wr_volume vol;
    char path[4200];
    uint8_t *orig = NULL;
    size_t orig_len = 0;
    if (parse(&im, text, tlen, regfile) != 0)
        goto out;
    if (wr_dirvol_for_file(file, &dv, path, sizeof path, &im.err)) {
        fprintf(stderr, "hivetool import: %s\n", im.err.msg);
        goto out;
    }
    wr_dirvol_volume(dv, &vol);
    if ((rc = open_hive(&vol, path, file, &im.h, &orig, &orig_len)) != 0)
        goto out;
    rc = 1;
    if (parse(&im, text, tlen, regfile) != 0)
        goto out;
    if (!wr_regf_has_changes(im.h) || same_content(im.h, orig, orig_len)) {
        printf("%s: nothing to change\n", file);
        rc = 0;
        goto out;
    }
    struct wr_regf_commit_report rep;
    if (wr_regf_commit(im.h, &vol, path, mode | WR_REGF_COMMIT_VALIDATE, &rep, &im.err)) {
        fprintf(stderr, "hivetool import: %s: not written: %s\n", file, im.err.msg);
        goto out;
    }
    printf("%s: %u key and %u value changes written (sequence %u%s%s)\n", file, im.keys,
           im.values, rep.seq, rep.log_path[0] ? ", log " : "", rep.log_path + (rep.log_path[0] == '\\'));
    rc = 0;
out:
    wr_regf_close(im.h);
    wr_dirvol_close(dv);
    wr_free(orig);
    free(text);
    return rc;
}

/* argv[0] is the subcommand name. */
int hivetool_cmd_import(int argc, char **argv)
{
    const char *prefix = NULL, *file = NULL, *regfile = NULL;
    unsigned mode = WR_REGF_COMMIT_REPLACE;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--prefix") == 0 && i + 1 < argc)
            prefix = argv[++i];
        else if (strcmp(argv[i], "--in-place") == 0)
            mode = WR_REGF_COMMIT_IN_PLACE;
        else if (argv[i][0] == '-' && argv[i][1])
            return usage();
        else if (!file)
            file = argv[i];
        else if (!regfile)
            regfile = argv[i];
        else
            return usage();
    }
    if (!file || !regfile)
        return usage();
    return import(prefix, mode, file, regfile);
}
