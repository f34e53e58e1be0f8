/* Path resolution from the root, component by component through the
 * directory B+trees. Reparse points in the middle of a path stop the walk:
 * links are reported, never followed. */
#include "base/utf16.h"
#include "ntfs/internal.h"

bool wr_ntfs_inode_has(struct wr_ntfs *v, const struct ntfs_inode *ino, uint32_t type)
{
    uint32_t pos = 0;
    struct ntfs_attr a;

    (void)v;
    if (ino->alist) {
        while (pos < ino->alist_len) {
            if (wr_le32(ino->alist + pos) == type)
                return true;
            pos += wr_le16(ino->alist + pos + 4);
        }
        return false;
    }
    while (wr_ntfs_attr_next(ino->rec, ino->in_use, &pos, &a, ino->recno, NULL) == WR_OK)
        if (a.type == type)
            return true;
    return false;
}

static bool is_sep(char c)
{
    return c == '\\' || c == '/';
}

static wr_status step(struct wr_ntfs *v, struct ntfs_inode *ino, const char *comp, size_t clen,
                      const char *path, struct wr_err *err)
{
    uint8_t name[2 * 256];
    size_t units;
    uint64_t ref;
    struct ntfs_inode next;
    wr_status st;

    st = wr_utf8_to_utf16le(comp, clen, name, 255, &units, err);
    if (st || units > 255)
        return wr_fail(err, WR_E_INVALID, "%s: path component \"%.*s\" of %s is not a valid "
                       "NTFS name", v->name, (int)clen, comp, path);
    if (!(ino->rec_flags & REC_IS_DIR))
        return wr_fail(err, WR_E_NOT_FOUND, "%s: %s: \"%.*s\" is inside a file, not a "
                       "directory", v->name, path, (int)clen, comp);
    if (wr_ntfs_inode_has(v, ino, AT_REPARSE_POINT))
        return wr_fail(err, WR_E_REFUSED, "%s: %s: unexpected reparse point (junction or link) "
                       "before \"%.*s\"; links are not followed", v->name, path, (int)clen, comp);
    st = wr_ntfs_dir_lookup(v, ino, name, units, &ref, err);
    if (st == WR_E_NOT_FOUND)
        return wr_fail(err, st, "%s: %s: \"%.*s\" not found", v->name, path, (int)clen, comp);
    if (st)
        return st;
    st = wr_ntfs_inode_load(v, ref, true, &next, err);
    if (st)
        return st;
    wr_ntfs_inode_free(ino);
    *ino = next;
    return WR_OK;
}

wr_status wr_ntfs_path_resolve(struct wr_ntfs *v, const char *path, struct ntfs_inode *ino,
                            struct wr_err *err)
{
    const char *p = path;
    unsigned depth = 0;
    wr_status st;

    st = wr_ntfs_inode_load(v, REC_ROOT, false, ino, err);
    while (!st) {
        const char *c;

        while (is_sep(*p))
            p++;
        if (!*p)
            return WR_OK;
        for (c = p; *c && !is_sep(*c); c++)
            ;
        if (++depth > WR_NTFS_MAX_PATH_DEPTH) {
            st = wr_fail(err, WR_E_TOO_BIG, "%s: path %s is deeper than %u levels", v->name,
                         path, WR_NTFS_MAX_PATH_DEPTH);
            break;
        }
        if (!(c - p == 1 && *p == '.'))
            st = step(v, ino, p, (size_t)(c - p), path, err);
        p = c;
    }
    wr_ntfs_inode_free(ino);
    return st;
}
