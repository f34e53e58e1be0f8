/* Is this volume a Windows installation? Collects the evidence; problems
 * with one piece are noted and the rest is still examined. */
#include "base/fmt.h"
#include "windows/hives.h"

static void note(struct wr_windows_info *out, const struct wr_err *err)
{
    if (!out->note[0])
        wr_format(out->note, sizeof out->note, "%s", err->msg);
}

static bool exists(struct wr_ntfs *v, const char *path, uint64_t *size)
{
    struct wr_ntfs_stat s;

    if (wr_ntfs_stat(v, path, &s, NULL) != WR_OK || s.is_dir)
        return false;
    if (size)
        *size = s.size;
    return true;
}

/* The architecture from the first 4 KiB of a loader or the kernel. */
static void architecture(struct wr_ntfs *v, struct wr_windows_info *out)
{
    static const char *const paths[] = { "\\Windows\\System32\\winload.efi",
                                         "\\Windows\\System32\\ntoskrnl.exe",
                                         "\\Windows\\System32\\winload.exe" };

    for (size_t i = 0; i < WR_ARRAY_LEN(paths) && !out->machine; i++) {
        struct wr_ntfs_file *f;
        uint8_t head[4096];
        size_t n;

        if (wr_ntfs_file_open(v, paths[i], &f, NULL) != WR_OK)
            continue;
        n = wr_ntfs_file_size(f) < sizeof head ? (size_t)wr_ntfs_file_size(f) : sizeof head;
        if (wr_ntfs_file_read(f, 0, head, n, NULL) == WR_OK)
            out->machine = wr_windows_pe_machine(head, n);
        wr_ntfs_file_close(f);
    }
    out->arch = wr_windows_arch_name(out->machine);
}

void wr_windows_probe_ntfs(struct wr_ntfs *v, struct wr_windows_info *out)
{
    struct wr_ntfs_info info;
    struct wr_err err = { 0 };

    wr_ntfs_get_info(v, &info);
    out->volume = WR_WINDOWS_VOL_NTFS;
    out->dirty = info.dirty;
    wr_format(out->label, sizeof out->label, "%s", info.label);
    out->hibernation = wr_ntfs_hibernation(v);
    out->has_winload_efi = exists(v, "\\Windows\\System32\\winload.efi", NULL);
    out->has_winload_exe = exists(v, "\\Windows\\System32\\winload.exe", NULL);
    out->is_windows = out->has_winload_efi || out->has_winload_exe;
    out->has_bootmgfw = exists(v, "\\Windows\\Boot\\EFI\\bootmgfw.efi", &out->bootmgfw_size);
    if (!out->is_windows)
        return;
    architecture(v, out);
    if (wr_windows_read_software(v, out, &err) != WR_OK)
        note(out, &err);
    if (wr_windows_read_system(v, out, &err) != WR_OK)
        note(out, &err);
}

wr_status wr_windows_probe(const struct wr_blockdev *dev, struct wr_windows_info *out,
                           struct wr_err *err)
{
    uint8_t sector[512];
    struct wr_ntfs *v;
    struct wr_err oerr = { 0 };
    wr_status st;

    memset(out, 0, sizeof *out);
    st = wr_blockdev_read_bytes(dev, 0, sizeof sector, sector, err);
    if (st)
        return st;
    switch (wr_ntfs_sniff(sector, sizeof sector)) {
    case WR_NTFS_KIND_BITLOCKER:
    case WR_NTFS_KIND_BITLOCKER_TOGO:
        out->volume = WR_WINDOWS_VOL_BITLOCKER;
        wr_format(out->note, sizeof out->note, "BitLocker-encrypted (locked)");
        return WR_OK;
    case WR_NTFS_KIND_REFS:
        out->volume = WR_WINDOWS_VOL_REFS;
        wr_format(out->note, sizeof out->note, "ReFS: unsupported");
        return WR_OK;
    case WR_NTFS_KIND_NTFS:
        break;
    default:
        out->volume = WR_WINDOWS_VOL_OTHER;
        return WR_OK;
    }
    st = wr_ntfs_open(dev, &v, &oerr);
    if (st == WR_E_IO) {
        wr_fail(err, st, "%s", oerr.msg);
        return st;
    }
    if (st) {
        out->volume = WR_WINDOWS_VOL_UNREADABLE;
        note(out, &oerr);
        return WR_OK;
    }
    wr_windows_probe_ntfs(v, out);
    wr_ntfs_close(v);
    return WR_OK;
}
