/* Finding a hive's transaction logs beside it on a volume. */
#include "base/fmt.h"
#include "regf/log_internal.h"

static const char *const suffixes[WR_REGF_MAX_LOGS] = {".LOG", ".LOG1", ".LOG2"};

struct find {
    const char *base;       /* the hive's file name */
    size_t base_len;
    char found[WR_REGF_MAX_LOGS][WR_NAME_MAX];
};

static char upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool same_ci(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (upper(a[i]) != upper(b[i]))
            return false;
    return true;
}

static wr_status visit(void *arg, const struct wr_dirent *d)
{
    struct find *f = arg;
    size_t n = strlen(d->name);
    if (d->is_dir || n <= f->base_len || !same_ci(d->name, f->base, f->base_len))
        return WR_OK;
    for (size_t i = 0; i < WR_REGF_MAX_LOGS; i++) {
        size_t sl = strlen(suffixes[i]);
        if (n == f->base_len + sl && same_ci(d->name + f->base_len, suffixes[i], sl) &&
            !f->found[i][0])
            memcpy(f->found[i], d->name, n + 1);
    }
    return WR_OK;
}

static wr_status read_one(const struct wr_volume *vol, const char *dir, const char *file,
                          size_t max_len, struct wr_regf_logset *set, struct wr_err *err)
{
    size_t k = set->count;
    size_t plen = strlen(dir) + 1 + strlen(file) + 1;
    set->path[k] = wr_alloc(plen);
    if (!set->path[k])
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    wr_format(set->path[k], plen, "%s\\%s", dir, file);
    size_t len = 0;
    wr_status st = wr_volume_read_file(vol, set->path[k], max_len, &set->buf[k], &len, err);
    if (st) {
        wr_free(set->path[k]);
        set->path[k] = NULL;
        return st;
    }
    /* The name in messages is the file name alone. */
    set->log[k].name = set->path[k] + strlen(dir) + 1;
    set->log[k].data = set->buf[k];
    set->log[k].len = len;
    set->count++;
    return WR_OK;
}

wr_status wr_regf_find_logs(const struct wr_volume *vol, const char *hive_path,
                            size_t max_len, struct wr_regf_logset *set, struct wr_err *err)
{
    memset(set, 0, sizeof *set);
    size_t n = strlen(hive_path), cut = n;
    while (cut > 0 && hive_path[cut - 1] != '\\')
        cut--;
    if (cut == 0 || cut == n)
        return wr_fail(err, WR_E_INVALID, "%s: not an absolute path to a file", hive_path);
    struct find *f = wr_alloc(sizeof *f);
    char *dir = wr_alloc(cut + 1);
    wr_status st = WR_OK;
    if (!f || !dir) {
        st = wr_fail(err, WR_E_NO_MEMORY, "out of memory");
        goto out;
    }
    memcpy(dir, hive_path, cut - 1);
    f->base = hive_path + cut;
    f->base_len = n - cut;
    st = wr_volume_list_dir(vol, cut == 1 ? "\\" : dir, visit, f, err);
    for (size_t i = 0; !st && i < WR_REGF_MAX_LOGS; i++)
        if (f->found[i][0])
            st = read_one(vol, dir, f->found[i], max_len, set, err);
    if (st)
        wr_regf_logset_free(set);
out:
    wr_free(f);
    wr_free(dir);
    return st;
}

void wr_regf_logset_free(struct wr_regf_logset *set)
{
    for (size_t i = 0; i < set->count; i++) {
        wr_free(set->path[i]);
        wr_free(set->buf[i]);
    }
    memset(set, 0, sizeof *set);
}
