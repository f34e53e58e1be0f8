/* Building the model: tables, filesystems, ESP facts, Windows, NVRAM. */
#include "rescue/model.h"

#include "base/fmt.h"
#include "base/sha256.h"
#include "base/utf16.h"
#include "bcd/hive.h"
#include "bcd/ids.h"
#include "disk/parttype.h"
#include "machine/version.h"
#include "regf/regf.h"

#define BCD_MAX (16u << 20)
#define SRT_PATH "\\Windows\\System32\\LogFiles\\Srt\\SrtTrail.txt"

const struct wr_partition_table *wr_rescue_table(const struct wr_rescue_model *m, uint32_t disk)
{
    return disk < m->machine.disk_count ? m->machine.disks[disk].table : NULL;
}

void wr_rescue_part_name(const struct wr_rescue_model *m, const struct wr_rescue_part *p,
                         char *buf, size_t size)
{
    (void)m;
    wr_format(buf, size, "disk %u part %u", p->disk, p->p->number);
}

static bool contains(const uint8_t *d, size_t len, const char *s, bool utf16)
{
    size_t n = strlen(s), w = utf16 ? 2 * n : n;

    for (size_t i = 0; i + w <= len; i++) {
        size_t k = 0;
        while (k < n && d[i + (utf16 ? 2 * k : k)] == (uint8_t)s[k] &&
               (!utf16 || d[i + 2 * k + 1] == 0))
            k++;
        if (k == n)
            return true;
    }
    return false;
}

/* Boyer-Moore-Horspool: the marker is long, so most of a loader read
 * whole is skipped over rather than looked at. */
static bool has_text(const uint8_t *d, size_t len, const char *s)
{
    size_t n = strlen(s);
    uint8_t skip[256];

    if (n == 0 || n > 255)
        return contains(d, len, s, false);
    memset(skip, (int)n, sizeof skip);
    for (size_t i = 0; i + 1 < n; i++)
        skip[(uint8_t)s[i]] = (uint8_t)(n - 1 - i);
    for (size_t at = 0; at + n <= len; at += skip[d[at + n - 1]])
        if (!memcmp(d + at, s, n))
            return true;
    return false;
}

/* s as UTF-16LE at an even offset i of d (a PE's resource strings are
 * aligned at least to two bytes). */
static bool utf16_at(const uint8_t *d, size_t len, size_t i, const char *s)
{
    for (; *s; s++, i += 2)
        if (i + 1 >= len || d[i] != (uint8_t)*s || d[i + 1] != 0)
            return false;
    return true;
}

/* One pass over even offsets for both names: the boot manager is read
 * whole, and under QEMU each byte looked at shows in the time to the menu. */
static bool has_ms_name(const uint8_t *d, size_t len)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        if ((d[i] == 'M' && utf16_at(d, len, i, "Microsoft Corporation")) ||
            (d[i] == 'W' && utf16_at(d, len, i, "Windows Boot Manager")))
            return true;
    return false;
}

bool wr_rescue_is_ms_bootmgr(const uint8_t *data, size_t len, const uint8_t *ref, size_t ref_len)
{
    if (ref && ref_len == len && !memcmp(data, ref, len))
        return true;
    return len > 2 && data[0] == 'M' && data[1] == 'Z' && has_ms_name(data, len);
}

static void scan_bcd(struct wr_rescue_esp *e, const struct wr_volume *v)
{
    uint8_t *data = NULL;
    size_t len = 0;
    struct wr_err err = { 0 };
    struct wr_regf_logset logs = { 0 };
    struct wr_regf_open_opts opts = { .name = "BCD" };
    struct wr_regf_hive *h = NULL;
    wr_status st;

    e->bcd = WR_RESCUE_BCD_MISSING;
    if (wr_volume_read_file(v, WR_RESCUE_BCD_PATH, BCD_MAX, &data, &len, &err))
        return;
    if (wr_regf_find_logs(v, WR_RESCUE_BCD_PATH, BCD_MAX, &logs, NULL) == WR_OK)
        for (size_t i = 0; i < logs.count; i++)
            e->bcd_has_logs |= logs.log[i].len > 0;
    if (len == 0) {
        e->bcd = WR_RESCUE_BCD_EMPTY;
        wr_format(e->bcd_note, sizeof e->bcd_note, "BCD is a zero-length file");
        goto out;
    }
    opts.logs = logs.log;
    opts.n_logs = logs.count;
    st = wr_regf_open(data, len, &opts, &h, &err);
    if (st) {
        e->bcd = WR_RESCUE_BCD_CORRUPT;
        wr_format(e->bcd_note, sizeof e->bcd_note, "%s", err.msg);
        goto out;
    }
    {
        struct wr_regf_info info;
        wr_regf_get_info(h, &info);
        e->bcd = info.recovered ? WR_RESCUE_BCD_DIRTY : WR_RESCUE_BCD_OK;
    }
    wr_bcd_store_init(&e->store);
    if (wr_bcd_store_load(h, &e->store, &err)) {
        e->bcd = WR_RESCUE_BCD_EMPTY;
        wr_format(e->bcd_note, sizeof e->bcd_note, "%s", err.msg);
        wr_bcd_store_free(&e->store);
        goto out;
    }
    e->store_loaded = true;
    if (!wr_bcd_store_find_wellknown(&e->store, WR_BCD_ID_BOOTMGR)) {
        e->bcd = WR_RESCUE_BCD_EMPTY;
        wr_format(e->bcd_note, sizeof e->bcd_note, "BCD has %zu objects and no {bootmgr}",
                  e->store.n_objects);
    }
out:
    wr_regf_close(h);
    wr_regf_logset_free(&logs);
    wr_free(data);
}

static bool loaded_from(const struct wr_rescue_model *m, const struct wr_rescue_part *part,
                        const char *path)
{
    return m->host && m->host->is_self &&
           m->host->is_self(m->host->arg, part->disk, part->index, path);
}

void wr_rescue_scan_esp(struct wr_rescue_model *m, struct wr_rescue_part *part)
{
    struct wr_rescue_esp *e = &part->esp;
    const struct wr_volume *v = &part->fat;
    struct wr_dirent st;
    uint8_t *fb = NULL, *bm = NULL;
    size_t fb_len = 0, bm_len = 0;

    if (e->store_loaded)
        wr_bcd_store_free(&e->store);
    memset(e, 0, sizeof *e);
    if (wr_volume_stat(v, WR_EFIVAR_BOOTMGFW_PATH, &st, NULL) == WR_OK && !st.is_dir) {
        e->has_bootmgfw = true;
        e->bootmgfw_size = st.size;
    }
    e->has_boot_bcd = wr_volume_exists(v, "\\Boot\\BCD");
    if (loaded_from(m, part, WR_RESCUE_FALLBACK_PATH)) {
        e->has_fallback = e->fallback_is_ours = true;
    } else if (wr_volume_read_file(v, WR_RESCUE_FALLBACK_PATH, 64u << 20, &fb, &fb_len, NULL) ==
               WR_OK) {
        e->has_fallback = true;
        e->fallback_is_ms = wr_rescue_is_ms_bootmgr(fb, fb_len, NULL, 0);
        /* No Microsoft name in it: still Windows' if it is a copy of the
         * ESP's bootmgfw.efi, which only one of the same size can be (the
         * read costs as much as the fallback's). */
        if (!e->fallback_is_ms && e->has_bootmgfw && e->bootmgfw_size == fb_len &&
            wr_volume_read_file(v, WR_EFIVAR_BOOTMGFW_PATH, 64u << 20, &bm, &bm_len, NULL) ==
                WR_OK)
            e->fallback_is_ms = wr_rescue_is_ms_bootmgr(fb, fb_len, bm, bm_len);
        e->fallback_is_ours = has_text(fb, fb_len, WR_APP_MARKER);
    }
    wr_free(fb);
    wr_free(bm);
    scan_bcd(e, v);
}

/* SrtTrail.txt is UTF-16LE with a BOM; keep the lines that say what
 * Startup Repair concluded. */
static void scan_srt(struct wr_rescue_part *part)
{
    uint8_t *data = NULL;
    size_t len = 0, at = 0, out = 0;
    char *text = NULL;
    bool take_next = false; /* "Root cause found:" puts the cause on the next line */

    if (wr_volume_read_file(&part->ntfs_vol, SRT_PATH, 1u << 20, &data, &len, NULL))
        return;
    if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE)
        wr_utf16le_to_utf8_alloc(data + 2, (len - 2) / 2, WR_UTF16_REPLACE, &text, NULL);
    else if ((text = wr_alloc(len + 1)))
        memcpy(text, data, len);
    wr_free(data);
    if (!text)
        return;
    while (text[at]) {
        size_t n = 0;
        while (text[at + n] && text[at + n] != '\n')
            n++;
        bool cause_line = take_next && n > 1;
        if (cause_line)
            take_next = false;
        else if (n && contains((uint8_t *)text + at, n, "Root cause found", false))
            take_next = true;
        if (n && (cause_line || contains((uint8_t *)text + at, n, "Root cause", false) ||
                  contains((uint8_t *)text + at, n, "Repair action", false) ||
                  contains((uint8_t *)text + at, n, "Result:", false) ||
                  contains((uint8_t *)text + at, n, "Number of repair attempts", false))) {
            size_t k = n;
            while (k && (text[at + k - 1] == '\r' || text[at + k - 1] == ' '))
                k--;
            out += wr_format(part->srt + out, out < sizeof part->srt ? sizeof part->srt - out : 0,
                             "%s%.*s", out && !cause_line ? "; " : out ? " " : "", (int)k,
                             text + at);
        }
        at += n + (text[at + n] == '\n');
    }
    if (!out)
        wr_format(part->srt, sizeof part->srt, "present, no root cause recorded");
    wr_free(text);
}

/* Every disk's partitions in one array, allocated once: growing it per
 * partition (~1.8 KiB each) copied and zeroed hundreds of megabytes with
 * 16 disks of 32 partitions, seconds under QEMU. */
static wr_status add_parts(struct wr_rescue_model *m, struct wr_err *err)
{
    size_t total = 0;

    for (uint32_t i = 0; i < m->machine.disk_count; i++)
        total += m->machine.disks[i].table ? m->machine.disks[i].table->count : 0;
    if (!total)
        return WR_OK;
    m->parts = wr_alloc_array(total, sizeof *m->parts);
    if (!m->parts)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    for (uint32_t i = 0; i < m->machine.disk_count; i++) {
        const struct wr_partition_table *t = m->machine.disks[i].table;

        for (uint32_t k = 0; t && k < t->count; k++) {
            struct wr_rescue_part *rp = &m->parts[m->n_parts++];

            rp->disk = i;
            rp->index = k;
            rp->p = &t->parts[k];
        }
    }
    return WR_OK;
}

/* After every partition is added: the slices point at themselves, so
 * they are made only once the array stops moving. */
static bool open_slice(struct wr_rescue_model *m, struct wr_rescue_part *rp)
{
    struct wr_machine_disk *d = &m->machine.disks[rp->disk];
    char name[64];

    wr_format(name, sizeof name, "disk %u part %u", rp->disk, rp->p->number);
    if (wr_blockdev_slice_init(&rp->slice, m->devs[rp->disk], rp->p->first_lba,
                               rp->p->sector_count, name, NULL))
        return false;
    if (!d->parts[rp->index].fs_probed)
        d->parts[rp->index].fs_probed =
            wr_fs_probe(&rp->slice.dev, &d->parts[rp->index].fs, NULL) == WR_OK;
    return true;
}

/* What wr_windows_probe tells apart from sector 0 (wr_ntfs_sniff), which
 * the filesystem probe has just read: anything else is "other". */
static bool may_hold_windows(enum wr_fs_kind k)
{
    return k == WR_FS_NTFS || k == WR_FS_BITLOCKER || k == WR_FS_REFS;
}

/* wr_windows_probe, but an NTFS volume (the sector-0 probe said so) is
 * opened once and kept for the model: opening reads the MFT's start and the
 * 128 KiB $UpCase, and doing it twice showed in the time to the menu.
 * False when the volume could not be read at all. */
static bool probe_windows(struct wr_rescue_model *m, struct wr_rescue_part *rp)
{
    const struct wr_machine_part *mp = &m->machine.disks[rp->disk].parts[rp->index];
    struct wr_err oerr = { 0 };
    wr_status st;

    if (mp->fs_probed && !may_hold_windows(mp->fs.kind)) {
        memset(&rp->win, 0, sizeof rp->win);
        rp->win.volume = WR_WINDOWS_VOL_OTHER;
        return true;
    }
    if (!mp->fs_probed || mp->fs.kind != WR_FS_NTFS)
        return wr_windows_probe(&rp->slice.dev, &rp->win, NULL) == WR_OK;
    memset(&rp->win, 0, sizeof rp->win);
    st = wr_ntfs_open(&rp->slice.dev, &rp->ntfs, &oerr);
    if (st == WR_E_IO)
        return false;
    if (st) {
        rp->ntfs = NULL;
        rp->win.volume = WR_WINDOWS_VOL_UNREADABLE;
        wr_format(rp->win.note, sizeof rp->win.note, "%s", oerr.msg);
        return true;
    }
    wr_windows_probe_ntfs(rp->ntfs, &rp->win);
    return true;
}

static void probe_part(struct wr_rescue_model *m, struct wr_rescue_part *rp)
{
    struct wr_machine_disk *d = &m->machine.disks[rp->disk];
    enum wr_fs_kind k;

    if (!open_slice(m, rp))
        return;
    k = d->parts[rp->index].fs.kind;
    if (k == WR_FS_FAT12 || k == WR_FS_FAT16 || k == WR_FS_FAT32) {
        if (m->host && m->host->open_fat &&
            m->host->open_fat(m->host->arg, rp->disk, rp->index, &rp->fat, NULL) == WR_OK) {
            rp->has_fat = true;
            d->parts[rp->index].mounted = true;
        }
        rp->esp_like = wr_machine_part_is_esp_like(d, rp->index);
        if (rp->has_fat && rp->esp_like) {
            wr_rescue_scan_esp(m, rp);
            d->parts[rp->index].esp_checked = true;
            d->parts[rp->index].has_bootmgfw = rp->esp.has_bootmgfw;
            d->parts[rp->index].has_bcd = rp->esp.bcd != WR_RESCUE_BCD_MISSING;
        }
        return;
    }
    if (rp->slice.dev.sector_count == 0 || !probe_windows(m, rp))
        return;

    if (rp->ntfs) {
        wr_ntfs_as_volume(rp->ntfs, rp->slice.name, &rp->ntfs_vol);
        scan_srt(rp);
        if (rp->win.to_go || m->machine.disks[rp->disk].is_stick)
            wr_rescue_read_togo(rp->ntfs, &rp->togo);
    }
}

static wr_status visit_var(void *arg, const char *name, const struct wr_guid *g)
{
    struct wr_rescue_model *m = arg;
    struct wr_rescue_bootent *grown, *e;
    uint16_t num;

    if (!wr_guid_equal(g, &wr_efivar_global_guid) || !wr_efivar_parse_boot_name(name, &num))
        return WR_OK;
    grown = wr_realloc(m->boot, (m->n_boot + 1) * sizeof *grown);
    if (!grown)
        return WR_E_NO_MEMORY;
    m->boot = grown;
    e = &m->boot[m->n_boot++];
    memset(e, 0, sizeof *e);
    e->num = num;
    e->decoded = wr_efivar_boot_get(m->nvram, num, &e->opt, NULL) == WR_OK;
    return WR_OK;
}

static void scan_nvram(struct wr_rescue_model *m)
{
    struct wr_err err = { 0 };

    if (!m->nvram)
        return;
    if (wr_efivar_boot_order_get(m->nvram, &m->boot_order, &m->n_order, &err) ||
        wr_nvram_list(m->nvram, visit_var, m, &err)) {
        wr_format(m->nvram_note, sizeof m->nvram_note, "%s", err.msg);
        return;
    }
    m->nvram_read = true;
}

/* Stable per machine: backups of one PC land in one folder. */
static void machine_id(struct wr_rescue_model *m)
{
    struct wr_sha256 s;
    uint8_t d[WR_SHA256_LEN];

    wr_sha256_init(&s);
    for (uint32_t i = 0; i < m->machine.disk_count; i++) {
        const struct wr_machine_disk *dk = &m->machine.disks[i];
        if (dk->is_stick || !dk->table)
            continue;
        wr_sha256_update(&s, &dk->table->disk_guid, sizeof dk->table->disk_guid);
        wr_sha256_update(&s, &dk->table->mbr_signature, sizeof dk->table->mbr_signature);
    }
    wr_sha256_final(&s, d);
    for (int i = 0; i < 8; i++)
        wr_format(m->machine_id + 2 * i, 3, "%02x", d[i]);
}

/* The host's scan of disk i when it saw the same disk (same geometry). */
static const struct wr_machine_disk *known_disk(const struct wr_rescue_model *m, uint32_t i)
{
    const struct wr_machine_disk *k;

    if (!m->host || !m->host->known_disk)
        return NULL;
    k = m->host->known_disk(m->host->arg, i);
    if (!k || !k->table || (k->table->count && !k->parts) ||
        k->sector_size != m->devs[i]->sector_size ||
        k->sector_count != m->devs[i]->sector_count)
        return NULL;
    return k;
}

static wr_status add_disk(struct wr_rescue_model *m, uint32_t i, bool stick, struct wr_err *err)
{
    const struct wr_machine_disk *known = known_disk(m, i);
    struct wr_machine_disk *d;
    struct wr_partition_table *t;
    struct wr_err terr = { 0 };
    wr_status st = wr_machine_add_disk(&m->machine, &d, err);

    if (st)
        return st;
    d->is_stick = stick;
    d->sector_size = m->devs[i]->sector_size;
    d->sector_count = m->devs[i]->sector_count;
    t = wr_alloc(sizeof *t);
    if (!t)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    if (known) {
        *t = *known->table;
    } else if (wr_partition_table_read(m->devs[i], t, &terr)) {
        wr_format(d->table_error, sizeof d->table_error, "%s", terr.msg);
        wr_free(t);
        return WR_OK;
    }
    st = wr_machine_disk_set_table(d, t, err);
    if (st) {
        wr_free(t);
        return st;
    }
    for (uint32_t k = 0; known && k < t->count; k++) {
        d->parts[k].fs = known->parts[k].fs;
        d->parts[k].fs_probed = known->parts[k].fs_probed;
    }
    return WR_OK;
}

wr_status wr_rescue_scan(struct wr_rescue_model *m, const struct wr_blockdev *const *devs,
                         size_t n, int stick, const struct wr_rescue_host *host,
                         const struct wr_nvram *nvram, struct wr_err *err)
{
    wr_status st = WR_OK;

    memset(m, 0, sizeof *m);
    m->host = host;
    m->nvram = nvram;
    m->devs = wr_alloc_array(n ? n : 1, sizeof *m->devs);
    if (!m->devs)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    for (size_t i = 0; i < n; i++)
        m->devs[i] = devs[i];
    for (size_t i = 0; i < n && !st; i++)
        st = add_disk(m, (uint32_t)i, (int)i == stick, err);
    if (!st)
        st = add_parts(m, err);
    for (size_t i = 0; i < m->n_parts && !st; i++)
        probe_part(m, &m->parts[i]);
    if (!st) {
        scan_nvram(m);
        machine_id(m);
    }
    return st;
}

void wr_rescue_model_free(struct wr_rescue_model *m)
{
    for (size_t i = 0; i < m->n_parts; i++) {
        struct wr_rescue_part *p = &m->parts[i];
        if (p->esp.store_loaded)
            wr_bcd_store_free(&p->esp.store);
        if (p->has_fat && m->host && m->host->close_fat)
            m->host->close_fat(m->host->arg, &p->fat);
        if (p->ntfs)
            wr_ntfs_close(p->ntfs);
    }
    for (size_t i = 0; i < m->n_boot; i++)
        wr_efivar_loadopt_clear(&m->boot[i].opt);
    wr_free(m->boot);
    wr_free(m->boot_order);
    wr_free(m->parts);
    wr_free(m->devs);
    wr_machine_free(&m->machine);
    memset(m, 0, sizeof *m);
}

int wr_rescue_find_device(const struct wr_rescue_model *m, const struct wr_bcd_device *d,
                          int boot_part)
{
    if (d->kind == WR_BCD_DEV_BOOT)
        return boot_part;
    if (d->kind == WR_BCD_DEV_LOCATE) {
        for (size_t i = 0; i < m->n_parts; i++)
            if (m->parts[i].win.is_windows)
                return (int)i;
        return -1;
    }
    if (d->kind != WR_BCD_DEV_PARTITION || d->disk_class != WR_BCD_DISK_PHYSICAL)
        return -1;
    for (size_t i = 0; i < m->n_parts; i++) {
        const struct wr_rescue_part *p = &m->parts[i];
        const struct wr_partition_table *t = wr_rescue_table(m, p->disk);

        if (d->style == WR_BCD_STYLE_GPT && t->kind == WR_TABLE_GPT &&
            wr_guid_equal(&d->disk_guid, &t->disk_guid) &&
            wr_guid_equal(&d->part_guid, &p->p->part_guid))
            return (int)i;
        if (d->style == WR_BCD_STYLE_MBR && t->kind == WR_TABLE_MBR &&
            d->mbr_signature == t->mbr_signature &&
            d->mbr_offset == p->p->first_lba * m->devs[p->disk]->sector_size)
            return (int)i;
    }
    return -1;
}

void wr_rescue_part_device(const struct wr_rescue_model *m, size_t i, struct wr_bcd_device *out)
{
    const struct wr_rescue_part *p = &m->parts[i];
    const struct wr_partition_table *t = wr_rescue_table(m, p->disk);

    memset(out, 0, sizeof *out);
    out->kind = WR_BCD_DEV_PARTITION;
    out->disk_class = WR_BCD_DISK_PHYSICAL;
    if (t->kind == WR_TABLE_GPT) {
        out->style = WR_BCD_STYLE_GPT;
        out->disk_guid = t->disk_guid;
        out->part_guid = p->p->part_guid;
    } else {
        out->style = WR_BCD_STYLE_MBR;
        out->mbr_signature = t->mbr_signature;
        out->mbr_offset = p->p->first_lba * m->devs[p->disk]->sector_size;
    }
}

int wr_rescue_find_hd(const struct wr_rescue_model *m, const struct wr_efivar_hd *hd)
{
    for (size_t i = 0; i < m->n_parts; i++) {
        const struct wr_rescue_part *p = &m->parts[i];
        const struct wr_partition_table *t = wr_rescue_table(m, p->disk);

        if (hd->format == WR_EFIVAR_HD_GPT && t->kind == WR_TABLE_GPT &&
            wr_guid_equal(&hd->part_guid, &p->p->part_guid))
            return (int)i;
        if (hd->format == WR_EFIVAR_HD_MBR && t->kind == WR_TABLE_MBR &&
            hd->mbr_signature == t->mbr_signature && hd->start_lba == p->p->first_lba)
            return (int)i;
    }
    return -1;
}

void wr_rescue_part_hd(const struct wr_rescue_model *m, size_t i, struct wr_efivar_hd *out)
{
    const struct wr_rescue_part *p = &m->parts[i];
    const struct wr_partition_table *t = wr_rescue_table(m, p->disk);

    memset(out, 0, sizeof *out);
    out->part_number = p->p->number;
    out->start_lba = p->p->first_lba;
    out->size_lba = p->p->sector_count;
    if (t->kind == WR_TABLE_GPT) {
        out->format = WR_EFIVAR_HD_GPT;
        out->part_guid = p->p->part_guid;
    } else {
        out->format = WR_EFIVAR_HD_MBR;
        out->mbr_signature = t->mbr_signature;
    }
}
