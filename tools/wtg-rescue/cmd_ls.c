/* wtg-rescue ls [-l] [--dos] DISK[:PART] PATH: a directory in collation
 * order (as Windows sorts it), or one line about a file. */
#include <string.h>

#include "base/fmt.h"
#include "volume_open.h"

static const char *storage_name(enum wr_ntfs_storage s)
{
    switch (s) {
    case WR_NTFS_STORE_RESIDENT: return "resident";
    case WR_NTFS_STORE_PLAIN: return "plain";
    case WR_NTFS_STORE_LZNT1: return "lznt1";
    case WR_NTFS_STORE_WOF_XPRESS4K: return "wof-xpress4k";
    case WR_NTFS_STORE_WOF_LZX: return "wof-lzx";
    case WR_NTFS_STORE_WOF_XPRESS8K: return "wof-xpress8k";
    case WR_NTFS_STORE_WOF_XPRESS16K: return "wof-xpress16k";
    case WR_NTFS_STORE_WOF_OTHER: return "wof-other";
    case WR_NTFS_STORE_ENCRYPTED: return "encrypted";
    case WR_NTFS_STORE_REPARSE: return "reparse";
    default: return "-";
    }
}

static const char *kind(const struct wr_ntfs_stat *s)
{
    if (s->reparse_tag == WR_NTFS_REPARSE_MOUNT_POINT)
        return "junction";
    if (s->reparse_tag == WR_NTFS_REPARSE_SYMLINK)
        return "symlink";
    return s->is_dir ? "dir" : "file";
}

static void print_long(const char *name, const struct wr_ntfs_stat *s)
{
    printf("%-8s %12llu %-13s links=%u%s %s%s%s%s\n", kind(s), (unsigned long long)s->size,
           storage_name(s->storage), s->link_count, s->has_attr_list ? " attrlist" : "",
           name, s->is_dir && !s->reparse_tag ? "/" : "", s->target[0] ? " -> " : "",
           s->target);
}

struct ls_ctx {
    struct wr_ntfs *v;
    const char *dir;
    bool longfmt;
    unsigned count;
};

static wr_status show(void *arg, const struct wr_ntfs_dirent *e)
{
    struct ls_ctx *c = arg;
    struct wr_ntfs_stat s;
    struct wr_err err;
    char path[4096];

    c->count++;
    if (!c->longfmt) {
        printf("%s%s\n", e->name, e->is_dir && !e->reparse_tag ? "/" : "");
        return WR_OK;
    }
    wr_format(path, sizeof path, "%s\\%s", c->dir, e->name);
    if (wr_ntfs_stat(c->v, path, &s, &err) != WR_OK) {
        printf("?        %12s %-13s %s (%s)\n", "?", "?", e->name, err.msg);
        return WR_OK;
    }
    print_long(e->name, &s);
    return WR_OK;
}

int wtg_cmd_ls(int argc, char **argv)
{
    struct ls_ctx c = { 0 };
    struct target t;
    struct wr_ntfs_stat s;
    struct wr_err err = { 0 };
    unsigned flags = 0;
    const char *spec = NULL, *path = NULL;
    int rc;
    wr_status st;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-l"))
            c.longfmt = true;
        else if (!strcmp(argv[i], "--dos"))
            flags |= WR_NTFS_LIST_DOS;
        else if (!spec)
            spec = argv[i];
        else if (!path)
            path = argv[i];
        else
            spec = NULL, i = argc;
    }
    if (!spec || !path) {
        fprintf(stderr, "usage: wtg-rescue ls [-l] [--dos] DISK[:PART] PATH\n");
        return EXIT_USAGE;
    }
    rc = open_ntfs(spec, &t, &c.v);
    if (rc)
        return rc;
    c.dir = path;
    st = wr_ntfs_stat(c.v, path, &s, &err);
    if (!st && (!s.is_dir || s.reparse_tag))
        print_long(path, &s);
    else if (!st)
        st = wr_ntfs_list(c.v, path, flags, show, &c, &err);
    if (st)
        fprintf(stderr, "wtg-rescue: %s\n", err.msg);
    wr_ntfs_close(c.v);
    target_close(&t);
    return exit_for_status(st);
}
