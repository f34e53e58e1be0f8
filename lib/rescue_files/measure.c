/* Sizes of what a rescue would copy, the users and their folders. */
#include "base/fmt.h"
#include "rescue_files/internal.h"

const char *const wr_rf_known_folders[] = {
    "Desktop", "Documents", "Downloads", "Pictures", "Music", "Videos",
    "Favorites", "Contacts", "Links", "Saved Games", "OneDrive",
};
const size_t wr_rf_known_folder_count = WR_ARRAY_LEN(wr_rf_known_folders);

static wr_status collect_one(void *arg, const struct wr_rf_entry *e)
{
    struct rf_list *l = arg;
    size_t n = strlen(e->name);
    struct rf_item *it;

    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        void *p = wr_realloc(l->items, cap * sizeof *l->items);

        if (!p)
            return WR_E_NO_MEMORY;
        l->items = p;
        l->cap = cap;
    }
    it = &l->items[l->n];
    it->name = wr_alloc(n + 1);
    if (!it->name)
        return WR_E_NO_MEMORY;
    memcpy(it->name, e->name, n + 1);
    it->is_dir = e->is_dir;
    it->is_reparse = e->is_reparse;
    it->size = e->size;
    l->n++;
    return WR_OK;
}

wr_status wr_rf_list_read(const struct wr_rf_source *src, const char *path, struct rf_list *out,
                       struct wr_err *err)
{
    wr_status st;

    memset(out, 0, sizeof *out);
    st = src->ops->list(src->ctx, path, collect_one, out, err);
    if (st == WR_E_NO_MEMORY && (!err || !err->msg[0]))
        wr_fail(err, st, "%s: out of memory listing the folder", path);
    if (st)
        wr_rf_list_free(out);
    return st;
}

void wr_rf_list_free(struct rf_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        wr_free(l->items[i].name);
    wr_free(l->items);
    memset(l, 0, sizeof *l);
}

wr_status wr_rf_join(char *out, const char *path, const char *name, struct wr_err *err)
{
    size_t a = strlen(path), b = strlen(name);

    while (a && path[a - 1] == '\\')
        a--;
    if (a + 1 + b + 1 > RF_PATH_MAX)
        return wr_fail(err, WR_E_TOO_BIG, "%s\\%s: path too long", path, name);
    memmove(out, path, a);
    out[a] = '\\';
    memcpy(out + a + 1, name, b + 1);
    return WR_OK;
}

static wr_status measure_dir(const struct wr_rf_source *src, char *path, unsigned depth,
                             struct wr_rf_tally *t, struct wr_err *err)
{
    struct rf_list l;
    size_t len = strlen(path);
    wr_status st;

    /* Not counted: the copy lists such a folder as an error and goes on. */
    if (depth > RF_MAX_DEPTH)
        return WR_OK;
    st = wr_rf_list_read(src, path, &l, err);
    for (size_t i = 0; !st && i < l.n; i++) {
        const struct rf_item *it = &l.items[i];

        if (it->is_reparse) {
            t->reparse++;
        } else if (!it->is_dir) {
            t->files++;
            t->bytes += it->size;
        } else {
            t->dirs++;
            st = wr_rf_join(path, path, it->name, err);
            if (!st)
                st = measure_dir(src, path, depth + 1, t, err);
            path[len] = '\0';
        }
    }
    wr_rf_list_free(&l);
    return st;
}

wr_status wr_rf_measure(const struct wr_rf_source *src, const char *path,
                        struct wr_rf_tally *out, struct wr_err *err)
{
    char *buf = wr_alloc(RF_PATH_MAX);
    wr_status st;

    memset(out, 0, sizeof *out);
    if (!buf)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    if (strlen(path) >= RF_PATH_MAX) {
        wr_free(buf);
        return wr_fail(err, WR_E_TOO_BIG, "%s: path too long", path);
    }
    memcpy(buf, path, strlen(path) + 1);
    st = measure_dir(src, buf, 0, out, err);
    wr_free(buf);
    return st;
}

static bool not_a_person(const char *name)
{
    static const char *const skip[] = { "Default", "Default User", "Public", "All Users",
                                        "defaultuser0", "WDAGUtilityAccount" };

    for (size_t i = 0; i < WR_ARRAY_LEN(skip); i++) {
        size_t j = 0;

        while (name[j] && skip[i][j] &&
               (name[j] | 0x20) == (skip[i][j] | 0x20))
            j++;
        if (!name[j] && !skip[i][j])
            return true;
    }
    return false;
}

wr_status wr_rf_list_users(const struct wr_rf_source *src, char (*names)[WR_RF_USER_MAX],
                           size_t max, size_t *count, struct wr_err *err)
{
    struct rf_list l;
    wr_status st = wr_rf_list_read(src, "\\Users", &l, err);

    *count = 0;
    if (st)
        return st;
    for (size_t i = 0; i < l.n && *count < max; i++) {
        const struct rf_item *it = &l.items[i];

        if (!it->is_dir || it->is_reparse || not_a_person(it->name) ||
            strlen(it->name) >= WR_RF_USER_MAX)
            continue;
        memcpy(names[*count], it->name, strlen(it->name) + 1);
        (*count)++;
    }
    wr_rf_list_free(&l);
    return WR_OK;
}

uint64_t wr_rf_space_needed(const struct wr_rf_tally *t, uint32_t cluster)
{
    uint64_t c = cluster ? cluster : 4096;
    /* Each file's data rounded up, plus its 32-byte entries (LFN included)
     * and manifest line (~ 300 bytes) amortised as one more cluster per
     * 8 files; each folder one cluster. */
    uint64_t data = t->bytes + t->files * (c - 1);

    data -= data % c;
    return data + (t->dirs + 1) * c + (t->files / 8 + 1) * c;
}

void wr_rf_format_bytes(uint64_t bytes, char *out, size_t size)
{
    static const char *const unit[] = { "B", "KB", "MB", "GB", "TB" };
    uint64_t whole = bytes, tenths = 0;
    size_t u = 0;

    while (whole >= 1000 && u + 1 < WR_ARRAY_LEN(unit)) {
        tenths = (whole % 1000) / 100;
        whole /= 1000;
        u++;
    }
    if (u == 0 || whole >= 100)
        wr_format(out, size, "%llu %s", (unsigned long long)whole, unit[u]);
    else
        wr_format(out, size, "%llu.%llu %s", (unsigned long long)whole,
                  (unsigned long long)tenths, unit[u]);
}
