/* The To Go flags in the stick's SYSTEM hive. The hive is read out of the
 * new NTFS with libntfs-3g, edited with lib/regf, committed (validated) to
 * a temp folder, read back, and written in with libntfs-3g after a backup
 * beside it. lib/ never writes NTFS; this is a stick we are building. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <ntfs-3g/types.h>
#include <ntfs-3g/attrib.h>
#include <ntfs-3g/dir.h>
#include <ntfs-3g/inode.h>
#include <ntfs-3g/unistr.h>
#include <ntfs-3g/volume.h>

#include "../common/dirvol.h"
#include "regf/commit.h"
#include "regf/recover.h"
#include "regf/regf.h"
#include "togo.h"

#define CONFIG "/Windows/System32/config"
#define HIVE_MAX (256u << 20)
#define USB_BOOT_FLAGS 0x14u  /* USB and its hubs start at boot */

static int read_ntfs(ntfs_volume *vol, const char *path, uint8_t **data, size_t *len)
{
    ntfs_inode *ni = ntfs_pathname_to_inode(vol, NULL, path);
    ntfs_attr *na = ni ? ntfs_attr_open(ni, AT_DATA, AT_UNNAMED, 0) : NULL;
    int rc = -1;

    if (na && na->data_size > 0 && na->data_size <= HIVE_MAX &&
        (*data = malloc((size_t)na->data_size)) &&
        ntfs_attr_pread(na, 0, na->data_size, *data) == na->data_size) {
        *len = (size_t)na->data_size;
        rc = 0;
    }
    if (na)
        ntfs_attr_close(na);
    if (ni)
        ntfs_inode_close(ni);
    return rc;
}

/* Replaces the file's data, or creates NAME in CONFIG when create. */
static int write_ntfs(ntfs_volume *vol, const char *name, const uint8_t *data, size_t len,
                      bool create)
{
    char path[256];
    ntfs_inode *ni, *dir;
    ntfs_attr *na;
    int rc = -1;

    wr_format(path, sizeof path, "%s/%s", CONFIG, name);
    ni = ntfs_pathname_to_inode(vol, NULL, path);
    if (!ni && create && (dir = ntfs_pathname_to_inode(vol, NULL, CONFIG))) {
        ntfschar *uname = NULL;
        int n = ntfs_mbstoucs(name, &uname);
        if (n > 0)
            ni = ntfs_create(dir, const_cpu_to_le32(0), uname, (u8)n, S_IFREG);
        free(uname);
        ntfs_inode_close(dir);
    }
    na = ni ? ntfs_attr_open(ni, AT_DATA, AT_UNNAMED, 0) : NULL;
    if (na && !ntfs_attr_truncate(na, (s64)len) &&
        ntfs_attr_pwrite(na, 0, (s64)len, data) == (s64)len)
        rc = 0;
    if (na)
        ntfs_attr_close(na);
    if (ni)
        ntfs_inode_close(ni);
    return rc;
}

static wr_status dword_get(struct wr_regf_hive *h, wr_regf_node key, const char *name,
                           uint32_t *out)
{
    wr_regf_value v;
    wr_status st = wr_regf_value_find(h, key, name, &v, NULL);
    return st ? st : wr_regf_value_dword(h, v, out, NULL);
}

/* Sets name = (old & keep) | set, saying what it was. */
static wr_status dword_put(struct wr_regf_hive *h, wr_regf_node key, const char *where,
                           const char *name, uint32_t keep, uint32_t set,
                           struct togo_summary *s, struct wr_err *err)
{
    uint32_t old = 0, val;
    bool had = dword_get(h, key, name, &old) == WR_OK;
    uint8_t b[4];

    val = (had ? old & keep : 0) | set;
    b[0] = (uint8_t)val, b[1] = (uint8_t)(val >> 8), b[2] = (uint8_t)(val >> 16);
    b[3] = (uint8_t)(val >> 24);
    if (had)
        togo_say(s, "  %s\\%s: 0x%x -> 0x%x", where, name, old, val);
    else
        togo_say(s, "  %s\\%s: (absent) -> 0x%x", where, name, val);
    return wr_regf_value_set(h, key, name, WR_REG_DWORD, b, 4, err);
}

/* Each key of PATH, made when missing. */
static wr_status key_path(struct wr_regf_hive *h, const char *path, wr_regf_node *out,
                          struct wr_err *err)
{
    char buf[256], *save = NULL, *part;
    wr_regf_node at = wr_regf_root(h), next;
    wr_status st = WR_OK;

    wr_format(buf, sizeof buf, "%s", path);
    for (part = strtok_r(buf, "\\", &save); part && !st; part = strtok_r(NULL, "\\", &save)) {
        st = wr_regf_child(h, at, part, &next, NULL);
        if (st == WR_E_NOT_FOUND) {
            st = wr_regf_key_create(h, at, part, &next, err);
        } else if (st) {
            st = wr_fail(err, st, "SYSTEM: cannot read key %s", path);
        }
        at = next;
    }
    *out = at;
    return st;
}

static wr_status edit(struct wr_regf_hive *h, struct togo_summary *s, struct wr_err *err)
{
    wr_regf_node sel, key, hc, *kids = NULL;
    uint32_t current = 1;
    size_t n = 0;
    char cs[32], path[128];
    wr_status st;

    if (!wr_regf_lookup(h, wr_regf_root(h), "Select", &sel, NULL))
        dword_get(h, sel, "Current", &current);
    wr_format(cs, sizeof cs, "ControlSet%03u", current);
    wr_format(path, sizeof path, "%s\\Control", cs);
    st = key_path(h, path, &key, err);
    if (!st)
        st = dword_put(h, key, path, "PortableOperatingSystem", 0, 1, s, err);
    wr_format(path, sizeof path, "%s\\Services\\partmgr\\Parameters", cs);
    if (!st)
        st = key_path(h, path, &key, err);
    if (!st)
        st = dword_put(h, key, path, "SanPolicy", 0, 4, s, err);
    /* Windows 8+ reads BootDriverFlags per hardware profile; Windows 7 from
     * Control. Existing bits are kept: they may start other boot drivers. */
    if (!st && !wr_regf_lookup(h, wr_regf_root(h), "HardwareConfig", &hc, NULL) &&
        !wr_regf_subkeys(h, hc, &kids, &n, NULL))
        for (size_t i = 0; i < n && !st; i++) {
            char name[96];
            wr_regf_key_name_buf(h, kids[i], name, sizeof name);
            wr_format(path, sizeof path, "HardwareConfig\\%s", name);
            st = dword_put(h, kids[i], path, "BootDriverFlags", ~0u, USB_BOOT_FLAGS, s, err);
        }
    wr_free(kids);
    wr_format(path, sizeof path, "%s\\Control", cs);
    if (!st && !n && !(st = key_path(h, path, &key, err)))
        st = dword_put(h, key, path, "BootDriverFlags", ~0u, USB_BOOT_FLAGS, s, err);
    return st;
}

/* The edited hive, committed by lib/regf into a temp folder and read back. */
static wr_status commit_tmp(struct wr_regf_hive *h, uint8_t **out, size_t *len,
                            struct wr_err *err)
{
    char dir[] = "/tmp/wtg-togo-hive.XXXXXX", file[64];
    struct wr_dirvol *dv = NULL;
    struct wr_volume vol;
    wr_status st;

    if (!mkdtemp(dir))
        return wr_fail(err, WR_E_IO, "a temp folder: %s", strerror(errno));
    st = wr_dirvol_open(dir, &dv, err);
    if (!st) {
        wr_dirvol_volume(dv, &vol);
        st = wr_regf_commit(h, &vol, "SYSTEM", WR_REGF_COMMIT_REPLACE | WR_REGF_COMMIT_VALIDATE,
                            NULL, err);
        if (!st)
            st = wr_volume_read_file(&vol, "SYSTEM", HIVE_MAX, out, len, err);
        wr_dirvol_close(dv);
    }
    wr_format(file, sizeof file, "%s/SYSTEM", dir);
    unlink(file);
    rmdir(dir);
    return st;
}

/* A free backup name: SYSTEM.wtg-rescue-N.bak (an earlier run's is kept). */
static void backup_name(ntfs_volume *vol, char *out, size_t size)
{
    for (unsigned i = 1;; i++) {
        char path[256];
        ntfs_inode *ni;
        wr_format(out, size, "SYSTEM.wtg-rescue-%u.bak", i);
        wr_format(path, sizeof path, "%s/%s", CONFIG, out);
        if (!(ni = ntfs_pathname_to_inode(vol, NULL, path)))
            return;
        ntfs_inode_close(ni);
    }
}

/* SYSTEM.LOG, .LOG1, .LOG2 that have bytes (lib/regf replays them into a
 * dirty SYSTEM in memory; they stay as they are, and a clean primary makes
 * Windows ignore them, regf-format.md §11.5). */
struct logs {
    struct wr_regf_log v[3];
    uint8_t *buf[3];
    size_t n;
    char names[64];     /* "SYSTEM.LOG1, SYSTEM.LOG2" */
};

static void read_logs(ntfs_volume *vol, struct logs *l)
{
    static const char *const names[] = { "SYSTEM.LOG", "SYSTEM.LOG1", "SYSTEM.LOG2" };

    memset(l, 0, sizeof *l);
    for (size_t i = 0; i < 3; i++) {
        char path[128];
        size_t len = 0;
        wr_format(path, sizeof path, "%s/%s", CONFIG, names[i]);
        if (read_ntfs(vol, path, &l->buf[l->n], &len))
            continue;
        l->v[l->n] = (struct wr_regf_log){ .name = names[i], .data = l->buf[l->n], .len = len };
        wr_format(l->names + strlen(l->names), sizeof l->names - strlen(l->names), "%s%s",
                  l->n ? ", " : "", names[i]);
        l->n++;
    }
}

static void free_logs(struct logs *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->buf[i]);
}

static int fail(const char *why, const char *state)
{
    fprintf(stderr, "make-togo: step \"To Go flags\": %s; %s\n", why, state);
    return -1;
}

int togo_set_flags(const char *ntfs_file, struct togo_summary *s)
{
    ntfs_volume *vol = ntfs_mount(ntfs_file, 0);
    struct wr_regf_hive *h = NULL;
    uint8_t *old = NULL, *new = NULL, *back = NULL;
    size_t old_len = 0, new_len = 0, back_len = 0;
    struct wr_err err = { 0 };
    struct wr_regf_info info;
    struct logs logs = { 0 };
    char bak[64];
    int rc = -1;

    if (!vol)
        return fail(strerror(errno), "cannot open the Windows partition; nothing changed");
    if (read_ntfs(vol, CONFIG "/SYSTEM", &old, &old_len)) {
        fail("no readable \\Windows\\System32\\config\\SYSTEM", "nothing changed");
        goto out;
    }
    togo_say(s, "SYSTEM hive (\\Windows\\System32\\config\\SYSTEM):");
    read_logs(vol, &logs);
    if (wr_regf_open(old, old_len,
                     &(struct wr_regf_open_opts){ .name = "SYSTEM", .logs = logs.v,
                                                  .n_logs = logs.n },
                     &h, &err)) {
        char why[WR_ERR_MSG_MAX + 96];
        wr_format(why, sizeof why, "%s%s", wr_regf_is_dirty(old, old_len)
                  ? "SYSTEM is dirty (a write that did not finish) and its logs do not recover "
                    "it: " : "", err.msg);
        fail(why, "the hive on the stick was not changed");
        goto out;
    }
    wr_regf_get_info(h, &info);
    if (info.recovered)
        togo_say(s, "  SYSTEM was dirty (a write that did not finish): recovered from its logs "
                    "(%s); the dirty original is the backup below, the logs are left as they are",
                 logs.names);
    if (edit(h, s, &err) || commit_tmp(h, &new, &new_len, &err)) {
        fail(err.msg, "the hive on the stick was not changed");
        goto out;
    }
    backup_name(vol, bak, sizeof bak);
    if (write_ntfs(vol, bak, old, old_len, true)) {
        fail("cannot write the backup", "the hive on the stick was not changed");
        goto out;
    }
    togo_say(s, "  backup: \\Windows\\System32\\config\\%s", bak);
    if (write_ntfs(vol, "SYSTEM", new, new_len, false) ||
        read_ntfs(vol, CONFIG "/SYSTEM", &back, &back_len) || back_len != new_len ||
        memcmp(back, new, new_len)) {
        fail("writing the new hive failed", "the original is in the backup beside it");
        goto out;
    }
    rc = 0;
out:
    free_logs(&logs);
    wr_regf_close(h);
    free(old);
    wr_free(new);
    free(back);
    if (ntfs_umount(vol, FALSE) && !rc)
        rc = fail("closing the NTFS volume failed", "the hive may be incomplete");
    return rc;
}
