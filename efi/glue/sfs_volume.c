#include "glue/sfs_volume.h"

#include <efilib.h>

#include "base/fmt.h"
#include "base/utf16.h"

#define INFO_BYTES (SIZE_OF_EFI_FILE_INFO + WR_NAME_MAX * sizeof(CHAR16))

/* UTF-8 path (either slash) to a new CHAR16 string; wr_free it. */
static CHAR16 *to_char16(const char *path, struct wr_err *err)
{
    size_t len = strlen(path), units = 0;
    CHAR16 *out = wr_alloc_array(len + 1, sizeof(CHAR16));

    if (!out) {
        wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory", path);
        return NULL;
    }
    /* x86 and ARM UEFI are little-endian, so UTF-16LE is CHAR16 as is. */
    wr_status st = wr_utf8_to_utf16le(path, len, (uint8_t *)out, len + 1, &units, err);
    if (st != WR_OK) {
        wr_err_prefix(err, st, "%s: ", path);
        wr_free(out);
        return NULL;
    }
    out[units] = 0;
    for (size_t i = 0; i < units; i++)
        if (out[i] == '/')
            out[i] = '\\';
    return out;
}

static wr_status efi_fail(struct wr_err *err, EFI_STATUS st, const char *what, const char *path)
{
    wr_status code = WR_E_IO;

    if (st == EFI_NOT_FOUND)
        code = WR_E_NOT_FOUND;
    else if (st == EFI_WRITE_PROTECTED || st == EFI_ACCESS_DENIED)
        code = WR_E_REFUSED;
    else if (st == EFI_OUT_OF_RESOURCES)
        code = WR_E_NO_MEMORY;
    else if (st == EFI_VOLUME_FULL)
        code = WR_E_TOO_BIG;
    if (code == WR_E_NOT_FOUND)
        return wr_fail(err, code, "%s: not found", path);
    return wr_fail(err, code, "%s: %s failed (EFI status 0x%llx)", path, what,
                   (unsigned long long)st);
}

static wr_status open_path(struct wr_sfs_volume *v, const char *path, UINT64 mode, UINT64 attr,
                           EFI_FILE_HANDLE *out, struct wr_err *err)
{
    CHAR16 *p = to_char16(path, err);
    EFI_STATUS st;

    if (!p)
        return err ? err->code : WR_E_INVALID;
    st = uefi_call_wrapper(v->root->Open, 5, v->root, out, p, mode, attr);
    wr_free(p);
    return st == EFI_SUCCESS ? WR_OK : efi_fail(err, st, "open", path);
}

static void close_file(EFI_FILE_HANDLE f)
{
    uefi_call_wrapper(f->Close, 1, f);
}

/* The file's EFI_FILE_INFO into a wr_alloc'd buffer of INFO_BYTES. */
static wr_status get_info(EFI_FILE_HANDLE f, const char *path, EFI_FILE_INFO **out,
                          struct wr_err *err)
{
    UINTN size = INFO_BYTES;
    EFI_FILE_INFO *info = wr_alloc(size);
    EFI_STATUS st;

    if (!info)
        return wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory", path);
    st = uefi_call_wrapper(f->GetInfo, 4, f, &GenericFileInfo, &size, info);
    if (st != EFI_SUCCESS) {
        wr_free(info);
        return efi_fail(err, st, "reading file information", path);
    }
    *out = info;
    return WR_OK;
}

static void fill_dirent(const EFI_FILE_INFO *info, struct wr_dirent *e)
{
    size_t units = 0;

    while (units < WR_NAME_MAX && info->FileName[units])
        units++;
    wr_utf16le_to_utf8((const uint8_t *)info->FileName, units, e->name, sizeof e->name,
                       WR_UTF16_STOP_AT_NUL);
    e->is_dir = (info->Attribute & EFI_FILE_DIRECTORY) != 0;
    e->size = info->FileSize;
}

static wr_status vol_stat(void *ctx, const char *path, struct wr_dirent *out,
                          struct wr_err *err)
{
    EFI_FILE_HANDLE f;
    EFI_FILE_INFO *info;
    wr_status st = open_path(ctx, path, EFI_FILE_MODE_READ, 0, &f, err);

    if (st)
        return st;
    st = get_info(f, path, &info, err);
    close_file(f);
    if (st)
        return st;
    fill_dirent(info, out);
    wr_free(info);
    return WR_OK;
}

static wr_status read_all(EFI_FILE_HANDLE f, const char *path, uint8_t *buf, size_t len,
                          struct wr_err *err)
{
    while (len) {
        UINTN n = len;
        EFI_STATUS st = uefi_call_wrapper(f->Read, 3, f, &n, buf);

        if (st != EFI_SUCCESS)
            return efi_fail(err, st, "read", path);
        if (n == 0)
            return wr_fail(err, WR_E_IO, "%s: file ended early", path);
        buf += n;
        len -= n;
    }
    return WR_OK;
}

static wr_status vol_read_file(void *ctx, const char *path, size_t max_len, uint8_t **data,
                               size_t *len, struct wr_err *err)
{
    EFI_FILE_HANDLE f;
    EFI_FILE_INFO *info = NULL;
    uint8_t *buf = NULL;
    wr_status st = open_path(ctx, path, EFI_FILE_MODE_READ, 0, &f, err);

    if (st)
        return st;
    st = get_info(f, path, &info, err);
    if (!st && (info->Attribute & EFI_FILE_DIRECTORY))
        st = wr_fail(err, WR_E_INVALID, "%s: is a directory", path);
    if (!st && info->FileSize > max_len)
        st = wr_fail(err, WR_E_TOO_BIG, "%s: %llu bytes is more than the %zu allowed", path,
                     (unsigned long long)info->FileSize, max_len);
    if (!st && !(buf = wr_alloc(info->FileSize ? info->FileSize : 1)))
        st = wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory", path);
    if (!st)
        st = read_all(f, path, buf, info->FileSize, err);
    close_file(f);
    if (!st) {
        *data = buf;
        *len = info->FileSize;
    } else {
        wr_free(buf);
    }
    wr_free(info);
    return st;
}

static wr_status vol_list_dir(void *ctx, const char *path, wr_dir_visit visit, void *arg,
                              struct wr_err *err)
{
    EFI_FILE_HANDLE f;
    EFI_FILE_INFO *info;
    struct wr_dirent *e;
    wr_status st = open_path(ctx, path, EFI_FILE_MODE_READ, 0, &f, err);

    if (st)
        return st;
    info = wr_alloc(INFO_BYTES);
    e = wr_alloc(sizeof *e);
    if (!info || !e)
        st = wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory", path);
    while (!st) {
        UINTN size = INFO_BYTES;
        EFI_STATUS est = uefi_call_wrapper(f->Read, 3, f, &size, info);

        if (est != EFI_SUCCESS) {
            st = efi_fail(err, est, "listing", path);
            break;
        }
        if (size == 0)
            break;
        fill_dirent(info, e);
        if (strcmp(e->name, ".") && strcmp(e->name, ".."))
            st = visit(arg, e);
    }
    close_file(f);
    wr_free(info);
    wr_free(e);
    return st;
}

static wr_status write_bytes(EFI_FILE_HANDLE f, const char *path, const uint8_t *data,
                             size_t len, struct wr_err *err)
{
    while (len) {
        UINTN n = len;
        EFI_STATUS st = uefi_call_wrapper(f->Write, 3, f, &n, (void *)data);

        if (st != EFI_SUCCESS)
            return efi_fail(err, st, "write", path);
        if (n == 0)
            return wr_fail(err, WR_E_IO, "%s: write made no progress", path);
        data += n;
        len -= n;
    }
    EFI_STATUS st = uefi_call_wrapper(f->Flush, 1, f);
    return st == EFI_SUCCESS ? WR_OK : efi_fail(err, st, "flush", path);
}

static wr_status set_size(EFI_FILE_HANDLE f, const char *path, UINT64 size,
                          struct wr_err *err)
{
    EFI_FILE_INFO *info;
    EFI_STATUS est;
    wr_status st = get_info(f, path, &info, err);

    if (st)
        return st;
    info->FileSize = size;
    est = uefi_call_wrapper(f->SetInfo, 4, f, &GenericFileInfo, info->Size, info);
    wr_free(info);
    return est == EFI_SUCCESS ? WR_OK : efi_fail(err, est, "truncate", path);
}

static wr_status vol_write_file(void *ctx, const char *path, const uint8_t *data, size_t len,
                                struct wr_err *err)
{
    EFI_FILE_HANDLE f;
    wr_status st = open_path(ctx, path,
                             EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE,
                             0, &f, err);

    if (st)
        return st;
    st = set_size(f, path, 0, err);
    if (!st)
        st = write_bytes(f, path, data, len, err);
    close_file(f);
    return st;
}

static wr_status vol_write_at(void *ctx, const char *path, uint64_t offset,
                              const uint8_t *data, size_t len, struct wr_err *err)
{
    EFI_FILE_HANDLE f;
    EFI_STATUS est;
    wr_status st = open_path(ctx, path, EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, 0, &f, err);

    if (st)
        return st;
    est = uefi_call_wrapper(f->SetPosition, 2, f, offset);
    st = est == EFI_SUCCESS ? write_bytes(f, path, data, len, err)
                            : efi_fail(err, est, "seek", path);
    close_file(f);
    return st;
}

static wr_status vol_make_dir(void *ctx, const char *path, struct wr_err *err)
{
    EFI_FILE_HANDLE f;
    wr_status st = open_path(ctx, path,
                             EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE,
                             EFI_FILE_DIRECTORY, &f, err);

    if (!st)
        close_file(f);
    return st;
}

static wr_status vol_remove(void *ctx, const char *path, struct wr_err *err)
{
    EFI_FILE_HANDLE f;
    EFI_STATUS est;
    wr_status st = open_path(ctx, path, EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, 0, &f, err);

    if (st)
        return st;
    /* Delete closes the handle whatever it returns. */
    est = uefi_call_wrapper(f->Delete, 1, f);
    if (est == EFI_WARN_DELETE_FAILURE)
        return wr_fail(err, WR_E_IO, "%s: could not be deleted", path);
    return est == EFI_SUCCESS ? WR_OK : efi_fail(err, est, "delete", path);
}

static const char *last_component(const char *path)
{
    const char *base = path;

    for (const char *p = path; *p; p++)
        if (*p == '\\' || *p == '/')
            base = p + 1;
    return base;
}

/* SetInfo with a new FileName renames within the directory; an existing
 * target must go first, as FAT refuses to rename over it. */
static wr_status vol_rename(void *ctx, const char *from, const char *to, struct wr_err *err)
{
    const char *to_base = last_component(to);
    EFI_FILE_HANDLE f;
    EFI_FILE_INFO *info = NULL;
    CHAR16 *name = NULL;
    EFI_STATUS est;
    size_t units = 0;
    wr_status st;

    if ((size_t)(last_component(from) - from) != (size_t)(to_base - to) ||
        memcmp(from, to, (size_t)(to_base - to)) != 0)
        return wr_fail(err, WR_E_INVALID, "%s -> %s: rename only within one directory",
                       from, to);
    while (to_base[units])
        units++;
    if (units == 0 || units >= WR_NAME_MAX)
        return wr_fail(err, WR_E_INVALID, "%s: bad target name", to);
    st = open_path(ctx, from, EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, 0, &f, err);
    if (st)
        return st;
    st = get_info(f, from, &info, err);
    if (!st && !(name = to_char16(to_base, err)))
        st = err ? err->code : WR_E_INVALID;
    if (!st) {
        struct wr_dirent *e = wr_alloc(sizeof *e);

        if (e && vol_stat(ctx, to, e, NULL) == WR_OK)
            st = vol_remove(ctx, to, err);
        wr_free(e);
    }
    if (!st) {
        StrCpy(info->FileName, name);
        info->Size = SIZE_OF_EFI_FILE_INFO + (StrLen(name) + 1) * sizeof(CHAR16);
        est = uefi_call_wrapper(f->SetInfo, 4, f, &GenericFileInfo, info->Size, info);
        if (est != EFI_SUCCESS)
            st = efi_fail(err, est, "rename", from);
    }
    close_file(f);
    wr_free(info);
    wr_free(name);
    return st;
}

static const struct wr_volume_ops sfs_ops = {
    .read_file = vol_read_file,
    .stat = vol_stat,
    .list_dir = vol_list_dir,
    .write_file = vol_write_file,
    .write_at = vol_write_at,
    .rename = vol_rename,
    .remove = vol_remove,
    .make_dir = vol_make_dir,
};

wr_status wr_sfs_volume_open(struct wr_sfs_volume *v, EFI_HANDLE handle, const char *name,
                             struct wr_err *err)
{
    EFI_FILE_IO_INTERFACE *sfs = NULL;
    EFI_STATUS st;

    memset(v, 0, sizeof *v);
    wr_format(v->name, sizeof v->name, "%s", name);
    st = uefi_call_wrapper(BS->HandleProtocol, 3, handle, &FileSystemProtocol, (void **)&sfs);
    if (st != EFI_SUCCESS || !sfs)
        return wr_fail(err, WR_E_UNSUPPORTED, "%s: the firmware cannot read this volume",
                       v->name);
    st = uefi_call_wrapper(sfs->OpenVolume, 2, sfs, &v->root);
    if (st != EFI_SUCCESS)
        return wr_fail(err, WR_E_IO, "%s: opening the volume failed (EFI status 0x%llx)",
                       v->name, (unsigned long long)st);
    v->vol.name = v->name;
    v->vol.ops = &sfs_ops;
    v->vol.ctx = v;
    return WR_OK;
}

void wr_sfs_volume_close(struct wr_sfs_volume *v)
{
    if (v->root)
        close_file(v->root);
    v->root = NULL;
}
