/* Backups before any write, and undo. The folder on the stick holds one
 * copy per file or variable (f<n>, v<n>) and manifest.txt, written last:
 * a folder without a manifest is an interrupted backup, and nothing was
 * changed after it (the manifest is renamed into place, so it is whole or
 * absent). Manifest lines are tab-separated:
 *   file  IDENT  PATH  SIZE|-  SHA256|-  COPY      (- = did not exist)
 *   dir   IDENT  PATH                              (created by the repair)
 *   var   NAME   GUID  ATTRS  SIZE|-  SHA256|-  COPY
 *   raw   IDENT  BYTES  SHA256  COPY  FILES_DIGEST   (rawesp.c) */
#include "base/sha256.h"
#include "rescue/internal.h"

#define FILE_MAX (64u << 20)
#define MANIFEST_MAX (4u << 20)

static bool has_sub(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (!strncmp(hay, needle, n))
            return true;
    return false;
}

wr_status wr_rescue_touch_add(struct wr_rescue_touches *t, bool is_var, int esp,
                              const char *path, struct wr_err *err)
{
    struct wr_rescue_touch *grown;

    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].is_var == is_var && t->v[i].esp == esp && !strcmp(t->v[i].path, path))
            return WR_OK;
    grown = wr_realloc(t->v, (t->n + 1) * sizeof *grown);
    if (!grown)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    t->v = grown;
    memset(&grown[t->n], 0, sizeof *grown);
    grown[t->n].is_var = is_var;
    grown[t->n].esp = esp;
    wr_format(grown[t->n].path, WR_NAME_MAX, "%s", path);
    t->n++;
    return WR_OK;
}

void wr_rescue_part_ident(const struct wr_rescue_model *m, int part, char *buf, size_t size)
{
    const struct wr_rescue_part *p = &m->parts[part];
    const struct wr_partition_table *t = wr_rescue_table(m, p->disk);
    char g[40];

    if (t->kind == WR_TABLE_GPT) {
        wr_guid_format(&p->p->part_guid, g, false);
        wr_format(buf, size, "gpt:%s", g);
    } else {
        wr_format(buf, size, "mbr:%08x:%llu", t->mbr_signature,
                  (unsigned long long)p->p->first_lba);
    }
}

int wr_rescue_part_by_ident(const struct wr_rescue_model *m, const char *ident)
{
    for (size_t i = 0; i < m->n_parts; i++) {
        char buf[64];
        wr_rescue_part_ident(m, (int)i, buf, sizeof buf);
        if (!strcmp(buf, ident) && m->parts[i].has_fat)
            return (int)i;
    }
    return -1;
}

static wr_status backup_folder(const struct wr_rescue_model *m,
                               const struct wr_rescue_apply_opts *o, char dir[WR_NAME_MAX],
                               struct wr_err *err)
{
    char base[WR_NAME_MAX];
    wr_status st;

    wr_format(base, sizeof base, "\\wtg-rescue\\backups\\%s\\%s", m->machine_id, o->stamp);
    wr_format(dir, WR_NAME_MAX, "%s", base);
    for (unsigned k = 2; wr_volume_exists(o->stick, dir) && k < 100; k++)
        wr_format(dir, WR_NAME_MAX, "%s-%u", base, k);
    st = wr_volume_ensure_dir(o->stick, "\\wtg-rescue", err);
    if (!st)
        st = wr_volume_ensure_dir(o->stick, "\\wtg-rescue\\backups", err);
    if (!st) {
        char mid[WR_NAME_MAX];
        wr_format(mid, sizeof mid, "\\wtg-rescue\\backups\\%s", m->machine_id);
        st = wr_volume_ensure_dir(o->stick, mid, err);
    }
    if (!st)
        st = wr_volume_make_dir(o->stick, dir, err);
    return st ? wr_err_prefix(err, st, "backup folder on the stick: ") : WR_OK;
}

/* Folders a write would create, top down, so undo can remove them. */
static void missing_dirs(const struct wr_volume *v, const char *ident, const char *path,
                         struct wr_text *man)
{
    char buf[WR_NAME_MAX];
    size_t len = strlen(path);

    if (len >= sizeof buf)
        return;
    memcpy(buf, path, len + 1);
    for (size_t i = 1; i < len; i++) {
        if (buf[i] != '\\')
            continue;
        buf[i] = 0;
        char line[WR_NAME_MAX + 80];
        wr_format(line, sizeof line, "dir\t%s\t%s\n", ident, buf);
        if (!wr_volume_exists(v, buf) && !has_sub(man->data ? man->data : "", line))
            wr_text_puts(man, line);
        buf[i] = '\\';
    }
}

static wr_status save_copy(const struct wr_volume *stick, const char *dir, const char *name,
                           const uint8_t *data, size_t len, struct wr_err *err)
{
    char path[WR_NAME_MAX];
    wr_format(path, sizeof path, "%s\\%s", dir, name);
    return wr_volume_write_file(stick, path, data, len, err);
}

static wr_status backup_file(const struct wr_rescue_model *m, const struct wr_rescue_touch *t,
                             size_t i, const struct wr_rescue_apply_opts *o, const char *dir,
                             struct wr_text *man, struct wr_err *err)
{
    const struct wr_volume *v = &m->parts[t->esp].fat;
    char ident[64], sha[65], copy[16];
    uint8_t *data = NULL;
    size_t len = 0;
    wr_status st;

    wr_rescue_part_ident(m, t->esp, ident, sizeof ident);
    missing_dirs(v, ident, t->path, man);
    st = wr_volume_read_file(v, t->path, FILE_MAX, &data, &len, err);
    if (st == WR_E_NOT_FOUND || (st && !wr_volume_exists(v, t->path))) {
        wr_err_clear(err);
        wr_text_printf(man, "file\t%s\t%s\t-\t-\t-\n", ident, t->path);
        return WR_OK;
    }
    if (st)
        return st;
    wr_format(copy, sizeof copy, "f%zu", i);
    wr_sha256_hex(data, len, sha);
    st = save_copy(o->stick, dir, copy, data, len, err);
    wr_text_printf(man, "file\t%s\t%s\t%zu\t%s\t%s\n", ident, t->path, len, sha, copy);
    wr_free(data);
    return st;
}

static wr_status backup_var(const struct wr_rescue_model *m, const struct wr_rescue_touch *t,
                            size_t i, const struct wr_rescue_apply_opts *o, const char *dir,
                            struct wr_text *man, struct wr_err *err)
{
    char g[40], sha[65], copy[16];
    uint8_t *data = NULL;
    size_t len = 0;
    uint32_t attrs = 0;
    wr_status st = wr_nvram_get(m->nvram, t->path, &wr_efivar_global_guid, &attrs, &data, &len,
                                err);

    wr_guid_format(&wr_efivar_global_guid, g, false);
    if (st == WR_E_NOT_FOUND) {
        wr_err_clear(err);
        wr_text_printf(man, "var\t%s\t%s\t0\t-\t-\t-\n", t->path, g);
        return WR_OK;
    }
    if (st)
        return st;
    wr_format(copy, sizeof copy, "v%zu", i);
    wr_sha256_hex(data, len, sha);
    st = save_copy(o->stick, dir, copy, data, len, err);
    wr_text_printf(man, "var\t%s\t%s\t%u\t%zu\t%s\t%s\n", t->path, g, attrs, len, sha, copy);
    wr_free(data);
    return st;
}

wr_status wr_rescue_backup(const struct wr_rescue_model *m, const struct wr_rescue_touches *t,
                           const struct wr_rescue_apply_opts *o, char dir[WR_NAME_MAX],
                           struct wr_err *err)
{
    struct wr_text man = { 0 };
    char path[WR_NAME_MAX];
    wr_status st;

    if (!o->stick)
        return wr_fail(err, WR_E_REFUSED,
                       "no stick to keep backups on: nothing is written without a backup");
    st = backup_folder(m, o, dir, err);
    wr_text_printf(&man, "wtg-rescue backup 1\nmachine\t%s\nstamp\t%s\n", m->machine_id,
                   o->stamp);
    for (size_t i = 0; i < t->n && !st; i++)
        st = t->v[i].is_var ? backup_var(m, &t->v[i], i, o, dir, &man, err)
                            : backup_file(m, &t->v[i], i, o, dir, &man, err);
    if (!st)
        st = wr_rescue_backup_raw(m, t, o, dir, &man, err);
    wr_text_puts(&man, "end\n");
    if (!st && man.failed)
        st = wr_fail(err, WR_E_NO_MEMORY, "backup manifest: out of memory");
    /* written aside and renamed: a manifest is there whole or not at all */
    wr_format(path, sizeof path, "%s\\manifest.tmp", dir);
    if (!st)
        st = wr_volume_write_file(o->stick, path, (const uint8_t *)man.data, man.len, err);
    if (!st) {
        char final[WR_NAME_MAX];
        wr_format(final, sizeof final, "%s\\manifest.txt", dir);
        st = wr_volume_rename(o->stick, path, final, err);
    }
    wr_text_free(&man);
    if (st)
        wr_err_prefix(err, st, "backup: ");
    return st;
}

/* ------------------------------------------------------------------ undo */

#define MAX_FIELDS 8

/* Fields past the line's end are "", so a short (hand-edited or damaged)
 * manifest line can never hand out a stale pointer. */
static size_t split(char *line, char **f)
{
    size_t n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < MAX_FIELDS; p++)
        if (*p == '\t') {
            *p = 0;
            f[n++] = p + 1;
        }
    for (size_t i = n; i < MAX_FIELDS; i++)
        f[i] = line + strlen(line);
    return n;
}

static wr_status read_copy(const struct wr_volume *stick, const char *dir, const char *name,
                           const char *sha, uint8_t **data, size_t *len, struct wr_err *err)
{
    char path[WR_NAME_MAX], got[65];
    wr_status st;

    wr_format(path, sizeof path, "%s\\%s", dir, name);
    st = wr_volume_read_file(stick, path, FILE_MAX, data, len, err);
    if (st)
        return st;
    wr_sha256_hex(*data, *len, got);
    if (strcmp(got, sha)) {
        wr_free(*data);
        return wr_fail(err, WR_E_CORRUPT, "backup copy %s does not match its sha256", path);
    }
    return WR_OK;
}

static wr_status undo_file(struct wr_rescue_model *m, const struct wr_volume *stick,
                           const char *dir, char **f, struct wr_text *log, struct wr_err *err)
{
    int part = wr_rescue_part_by_ident(m, f[1]);
    const struct wr_volume *v;
    uint8_t *data = NULL, *back = NULL;
    size_t len = 0, blen = 0;
    char got[65];
    wr_status st;

    if (part < 0)
        return wr_fail(err, WR_E_NOT_FOUND, "undo: partition %s is not attached", f[1]);
    v = &m->parts[part].fat;
    if (!strcmp(f[3], "-")) {
        if (wr_volume_exists(v, f[2])) {
            st = wr_volume_remove(v, f[2], err);
            if (st)
                return st;
            wr_text_printf(log, "removed %s (the repair created it)\n", f[2]);
        }
        return WR_OK;
    }
    st = read_copy(stick, dir, f[5], f[4], &data, &len, err);
    if (!st)
        st = wr_volume_write_file(v, f[2], data, len, err);
    wr_free(data);
    if (!st)
        st = wr_volume_read_file(v, f[2], FILE_MAX, &back, &blen, err);
    if (!st) {
        wr_sha256_hex(back, blen, got);
        if (strcmp(got, f[4]))
            st = wr_fail(err, WR_E_IO, "undo: %s reads back with a different sha256", f[2]);
    }
    wr_free(back);
    if (!st)
        wr_text_printf(log, "restored %s (%s bytes, sha256 %s)\n", f[2], f[3], f[4]);
    return st;
}

static wr_status undo_var(struct wr_rescue_model *m, const struct wr_volume *stick,
                          const char *dir, char **f, struct wr_text *log, struct wr_err *err)
{
    struct wr_guid g;
    uint8_t *data = NULL;
    size_t len = 0;
    uint32_t attrs = 0;
    wr_status st = wr_guid_parse(f[2], &g, err);

    for (const char *p = f[3]; !st && *p >= '0' && *p <= '9'; p++)
        attrs = attrs * 10 + (uint32_t)(*p - '0');
    if (st)
        return st;
    if (!strcmp(f[4], "-")) {
        uint8_t *cur = NULL;
        size_t clen;
        if (wr_nvram_get(m->nvram, f[1], &g, NULL, &cur, &clen, NULL) == WR_OK) {
            wr_free(cur);
            st = wr_nvram_del(m->nvram, f[1], &g, err);
            if (!st)
                wr_text_printf(log, "deleted variable %s (the repair created it)\n", f[1]);
        }
        return st;
    }
    st = read_copy(stick, dir, f[6], f[5], &data, &len, err);
    if (!st)
        st = wr_nvram_set(m->nvram, f[1], &g, attrs, data, len, err);
    wr_free(data);
    if (!st)
        wr_text_printf(log, "restored variable %s (%s bytes)\n", f[1], f[4]);
    return st;
}

static wr_status undo_dirs(struct wr_rescue_model *m, char **lines, size_t n,
                           struct wr_text *log, struct wr_err *err)
{
    for (size_t i = n; i-- > 0;) {
        char *f[MAX_FIELDS];
        char copy[WR_NAME_MAX + 128];
        int part;
        wr_format(copy, sizeof copy, "%s", lines[i]);
        if (split(copy, f) < 3 || strcmp(f[0], "dir"))
            continue;
        part = wr_rescue_part_by_ident(m, f[1]);
        if (part >= 0 && wr_volume_exists(&m->parts[part].fat, f[2])) {
            wr_status st = wr_volume_remove(&m->parts[part].fat, f[2], err);
            if (st)
                return st;
            wr_text_printf(log, "removed folder %s (the repair created it)\n", f[2]);
        }
    }
    return WR_OK;
}

/* An undo in steps, each announced: the files and variables in manifest
 * order, then the folders the repair created, then the raw images. */
enum undo_kind { UNDO_NONE, UNDO_FILE, UNDO_VAR, UNDO_DIRS, UNDO_RAW };

struct undo_run {
    struct wr_rescue_model *m;
    const struct wr_volume *stick;
    const char *dir;
    struct wr_text *log;
    const struct wr_rescue_progress_sink *sink;
    char **lines;
    size_t n, index, count;
};

/* Splits a copy of the line into f; what kind of step it is. */
static enum undo_kind undo_kind_of(const char *line, char *copy, size_t size, char **f,
                                   size_t *k)
{
    wr_format(copy, size, "%s", line);
    *k = split(copy, f);
    if (!strcmp(f[0], "file") && *k >= 6)
        return UNDO_FILE;
    if (!strcmp(f[0], "var") && *k >= 7)
        return UNDO_VAR;
    if (!strcmp(f[0], "dir") && *k >= 3)
        return UNDO_DIRS;
    if (!strcmp(f[0], "raw") && *k >= 6)
        return UNDO_RAW;
    return UNDO_NONE;
}

static void undo_what(const struct wr_rescue_model *m, enum undo_kind kind, char **f,
                      char *buf, size_t size)
{
    char where[64];
    int part = kind == UNDO_FILE || kind == UNDO_RAW ? wr_rescue_part_by_ident(m, f[1]) : -1;

    if (part >= 0)
        wr_rescue_part_name(m, &m->parts[part], where, sizeof where);
    else
        wr_format(where, sizeof where, "%s", kind == UNDO_DIRS ? "" : f[1]);
    if (kind == UNDO_FILE)
        wr_format(buf, size, "%s: %s %s%s", where, strcmp(f[3], "-") ? "restore" : "remove",
                  f[2], strcmp(f[3], "-") ? "" : " if the repair created it");
    else if (kind == UNDO_VAR)
        wr_format(buf, size, "firmware: %s variable %s%s",
                  strcmp(f[4], "-") ? "restore" : "delete", f[1],
                  strcmp(f[4], "-") ? "" : " if the repair created it");
    else if (kind == UNDO_RAW)
        wr_format(buf, size, "%s: write back the raw image if its files are as before", where);
    else
        wr_format(buf, size, "remove the folders the repair created");
}

static void undo_note(const struct undo_run *u, const struct wr_rescue_progress *p)
{
    if (u->sink && u->sink->fn)
        u->sink->fn(u->sink->arg, p);
}

static wr_status undo_step(struct undo_run *u, enum undo_kind kind, char **f, size_t k,
                           struct wr_err *err)
{
    char what[WR_NAME_MAX + 128];
    struct wr_rescue_progress p = { .phase = WR_RESCUE_PHASE_UNDO, .index = ++u->index,
                                    .count = u->count, .what = what };

    undo_what(u->m, kind, f, what, sizeof what);
    undo_note(u, &p);
    if (kind == UNDO_FILE)
        p.status = undo_file(u->m, u->stick, u->dir, f, u->log, err);
    else if (kind == UNDO_VAR)
        p.status = undo_var(u->m, u->stick, u->dir, f, u->log, err);
    else if (kind == UNDO_RAW)
        p.status = wr_rescue_undo_raw(u->m, u->stick, u->dir, f, k, u->log, err);
    else
        p.status = undo_dirs(u->m, u->lines, u->n, u->log, err);
    p.done = true;
    p.msg = p.status && err ? err->msg : NULL;
    undo_note(u, &p);
    return p.status;
}

/* One pass over the manifest for the steps of `want` (counting only when
 * count is set); the folders are one step however many there are. */
static wr_status undo_pass(struct undo_run *u, enum undo_kind want, bool count,
                           struct wr_err *err)
{
    for (size_t i = 0; i < u->n; i++) {
        char *f[MAX_FIELDS];
        char copy[WR_NAME_MAX + 256];
        size_t k;
        enum undo_kind kind = undo_kind_of(u->lines[i], copy, sizeof copy, f, &k);

        if (kind == UNDO_NONE || (kind == UNDO_DIRS) != (want == UNDO_DIRS) ||
            (kind == UNDO_RAW) != (want == UNDO_RAW))
            continue;
        if (count)
            u->count++;
        else {
            wr_status st = undo_step(u, kind, f, k, err);
            if (st)
                return st;
        }
        if (kind == UNDO_DIRS)
            break;
    }
    return WR_OK;
}

/* The model's view of every ESP as it now is (the judge works from the
 * store the scan loaded), whether the undo got through or stopped. */
static void rescan_esps(struct wr_rescue_model *m)
{
    for (size_t i = 0; i < m->n_parts; i++)
        if (m->parts[i].has_fat && m->parts[i].esp_like)
            wr_rescue_scan_esp(m, &m->parts[i]);
}

wr_status wr_rescue_undo_progress(struct wr_rescue_model *m, const struct wr_volume *stick,
                                  const char *dir, struct wr_text *log,
                                  const struct wr_rescue_progress_sink *progress,
                                  struct wr_err *err)
{
    static const enum undo_kind order[] = { UNDO_FILE, UNDO_DIRS, UNDO_RAW };
    struct undo_run u = { .m = m, .stick = stick, .dir = dir, .log = log, .sink = progress };
    char path[WR_NAME_MAX], *text;
    uint8_t *data = NULL;
    size_t len = 0;
    wr_status st;

    wr_format(path, sizeof path, "%s\\manifest.txt", dir);
    st = wr_volume_read_file(stick, path, MANIFEST_MAX, &data, &len, err);
    if (st) {
        wr_err_prefix(err, st, "undo: no manifest (an interrupted backup changes nothing): ");
        return st;
    }
    text = wr_alloc(len + 1);
    u.lines = wr_alloc_array(len + 1, sizeof *u.lines);
    if (!text || !u.lines) {
        wr_free(data);
        wr_free(text);
        wr_free(u.lines);
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    }
    memcpy(text, data, len);
    wr_free(data);
    if (len < 20 || strncmp(text, "wtg-rescue backup 1\n", 20) || !has_sub(text, "\nend\n"))
        st = wr_fail(err, WR_E_CORRUPT, "undo: %s is not a complete manifest", path);
    for (char *p = text; !st && *p;) {
        char *nl = p;
        while (*nl && *nl != '\n')
            nl++;
        u.lines[u.n++] = p;
        if (*nl)
            *nl++ = 0;
        p = nl;
    }
    /* last: a raw image, when the files say nothing changed since */
    for (size_t i = 0; i < WR_ARRAY_LEN(order) && !st; i++)
        st = undo_pass(&u, order[i], true, err);
    for (size_t i = 0; i < WR_ARRAY_LEN(order) && !st; i++)
        st = undo_pass(&u, order[i], false, err);
    wr_free(u.lines);
    wr_free(text);
    rescan_esps(m);
    return st;
}

wr_status wr_rescue_undo(struct wr_rescue_model *m, const struct wr_volume *stick,
                         const char *dir, struct wr_text *log, struct wr_err *err)
{
    return wr_rescue_undo_progress(m, stick, dir, log, NULL, err);
}
