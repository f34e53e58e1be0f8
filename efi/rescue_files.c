/* u) Save user files: pick a Windows volume, a user and folders, then copy
 * them to the stick's data partition (lib/rescue_files does the work; the
 * source is only read, nothing is written before the user says y). */
#include <efi.h>
#include <efilib.h>

#include "base/fmt.h"
#include "rescue_files.h"
#include "rescue_files_pick.h"
#include "screens.h"

#define MAX_FOLDERS 16

struct rescue {
    struct rf_source_vol *vols;
    UINT32 n_vols;
    struct rf_source_vol *vol;
    char (*users)[WR_RF_USER_MAX];
    size_t n_users;
    const char *user;
    const char *folders[MAX_FOLDERS];
    struct wr_rf_tally sizes[MAX_FOLDERS];
    BOOLEAN checked[MAX_FOLDERS];
    UINT32 n_folders;
    struct rf_target target;
    char src_root[WR_RF_USER_MAX + 8];
    char dst_root[WR_RF_USER_MAX + 24];
    UINTN progress_row;
    uint64_t last_ms;
};

static BOOLEAN pick_volume(struct rescue *r)
{
    INT32 i = 0;

    if (!r->n_vols) {
        con_puts("No Windows volume with user folders (\\Users) was found.\n");
        return FALSE;
    }
    if (r->n_vols > 1) {
        con_puts("Windows volumes with user folders:\n");
        for (UINT32 v = 0; v < r->n_vols; v++)
            con_printf("  %u) %s%s%s\n", v + 1, r->vols[v].name,
                       r->vols[v].product[0] ? ": " : "", r->vols[v].product);
        i = (INT32)con_pick("volume", r->n_vols);
    }
    if (i < 0)
        return FALSE;
    r->vol = &r->vols[i];
    con_printf("Windows volume: %s\n", r->vol->name);
    if (r->vol->product[0])
        con_printf("Installed: %s\n", r->vol->product);
    return TRUE;
}

static BOOLEAN pick_user(struct rescue *r)
{
    struct wr_err err = { 0 };
    INT32 i;

    if (wr_rf_list_users(&r->vol->src, r->users, 9, &r->n_users, &err) != WR_OK ||
        !r->n_users) {
        con_printf("No user folders to save: %s\n", err.msg[0] ? err.msg : "\\Users is empty");
        return FALSE;
    }
    con_puts("Users:\n");
    for (size_t u = 0; u < r->n_users; u++)
        con_printf("  %u) %s\n", (unsigned)u + 1, r->users[u]);
    i = (INT32)con_pick("user", r->n_users);
    if (i < 0)
        return FALSE;
    r->user = r->users[i];
    wr_format(r->src_root, sizeof r->src_root, "\\Users\\%s", r->user);
    return TRUE;
}

/* The usual folders the user has, each measured (reparse points skipped). */
static void measure_folders(struct rescue *r)
{
    char path[WR_RF_USER_MAX + 48];
    struct wr_err err = { 0 };

    con_puts("Measuring folders...\n");
    for (size_t i = 0; i < wr_rf_known_folder_count && r->n_folders < MAX_FOLDERS; i++) {
        wr_format(path, sizeof path, "%s\\%s", r->src_root, wr_rf_known_folders[i]);
        if (wr_rf_measure(&r->vol->src, path, &r->sizes[r->n_folders], &err) != WR_OK)
            continue;
        r->folders[r->n_folders] = wr_rf_known_folders[i];
        r->checked[r->n_folders] = TRUE;
        r->n_folders++;
    }
}

static void show_folders(const struct rescue *r)
{
    char size[32];

    con_printf("Folders of %s:\n", r->user);
    for (UINT32 i = 0; i < r->n_folders; i++) {
        wr_rf_format_bytes(r->sizes[i].bytes, size, sizeof size);
        con_printf("  %u) [%c] %s  %s, %llu files\n", i + 1, r->checked[i] ? 'x' : ' ',
                   r->folders[i], size, (unsigned long long)r->sizes[i].files);
    }
    con_puts("Digits check or uncheck a folder; Enter continues, Esc returns.\n");
}

static BOOLEAN pick_folders(struct rescue *r)
{
    struct con_key k;

    measure_folders(r);
    if (!r->n_folders) {
        con_printf("%s has none of the usual folders.\n", r->user);
        return FALSE;
    }
    show_folders(r);
    for (;;) {
        if (!con_wait_key(&k, FALSE))
            continue;
        if (k.scan == SCAN_ESC || k.ch == 'q')
            return FALSE;
        if (k.ch == CHAR_CARRIAGE_RETURN)
            return TRUE;
        if (k.ch >= '1' && k.ch <= '9' && (UINT32)(k.ch - '1') < r->n_folders) {
            r->checked[k.ch - '1'] = !r->checked[k.ch - '1'];
            show_folders(r);
        }
    }
}

/* \RESCUE\<user>, or \RESCUE\<user>-2 ... when an earlier rescue is there. */
static void choose_dst_root(struct rescue *r)
{
    char name[WR_RF_USER_MAX], manifest[WR_RF_USER_MAX + 48];

    wr_rf_fat_name(r->user, name, sizeof name);
    wr_format(r->dst_root, sizeof r->dst_root, "\\RESCUE\\%s", name);
    for (unsigned n = 2; n < 100; n++) {
        wr_format(manifest, sizeof manifest, "%s\\MANIFEST.txt", r->dst_root);
        if (!wr_volume_exists(&r->target.vol.vol, manifest))
            return;
        wr_format(r->dst_root, sizeof r->dst_root, "\\RESCUE\\%s-%u", name, n);
    }
}

/* What the copy needs against what the stick has; FALSE refuses. */
static BOOLEAN confirm(struct rescue *r, UINT32 n)
{
    struct wr_rf_tally t = { 0 };
    char need[32], have[32], bytes[32];
    struct con_key k;

    for (UINT32 i = 0; i < r->n_folders; i++)
        if (r->checked[i]) {
            t.files += r->sizes[i].files;
            t.dirs += r->sizes[i].dirs + 1;
            t.bytes += r->sizes[i].bytes;
        }
    wr_rf_format_bytes(t.bytes, bytes, sizeof bytes);
    wr_rf_format_bytes(wr_rf_space_needed(&t, r->target.cluster), need, sizeof need);
    wr_rf_format_bytes(r->target.free, have, sizeof have);
    con_printf("Selected: %u folders, %llu files, %s. Needs %s; %s has %s free.\n", n,
               (unsigned long long)t.files, bytes, need, r->target.name, have);
    if (r->target.free != UINT64_MAX && wr_rf_space_needed(&t, r->target.cluster) > r->target.free) {
        con_puts("Not enough free space on the stick: nothing was copied.\n");
        return FALSE;
    }
    choose_dst_root(r);
    con_printf("Copy to %s? Press y to copy, any other key to return.\n", r->dst_root);
    while (!con_wait_key(&k, FALSE))
        ;
    return k.ch == 'y' || k.ch == 'Y';
}

static uint64_t now_ms(void *ctx)
{
    (void)ctx;
    return efi_now_us() / 1000;
}

static bool cancelled(void *ctx)
{
    (void)ctx;
    return efi_cancel_requested();
}

static void progress(void *ctx, const struct wr_rf_progress *p)
{
    struct rescue *r = ctx;
    char done[32], total[32], rate[32], bar[21];
    unsigned pct = p->bytes_total ? (unsigned)(p->bytes_done * 100 / p->bytes_total) : 100;

    if (p->elapsed_ms - r->last_ms < 1000 && p->files_done < p->files_total)
        return;
    r->last_ms = p->elapsed_ms;
    for (unsigned i = 0; i < 20; i++)
        bar[i] = i < pct / 5 ? '#' : '-';
    bar[20] = '\0';
    wr_rf_format_bytes(p->bytes_done, done, sizeof done);
    wr_rf_format_bytes(p->bytes_total, total, sizeof total);
    wr_rf_format_bytes(p->bytes_per_s, rate, sizeof rate);
    con_printf("[%s] %3u%%  %s of %s, %llu of %llu files, %s/s, %llu s left\n", bar, pct,
               done, total, (unsigned long long)p->files_done,
               (unsigned long long)p->files_total, rate, (unsigned long long)p->eta_s);
}

static void report(const struct rescue *r, const struct wr_rf_result *res, wr_status st,
                   const struct wr_err *err)
{
    char bytes[32];

    wr_rf_format_bytes(res->bytes_copied, bytes, sizeof bytes);
    if (st == WR_OK)
        con_printf("Rescue complete: %llu files, %s copied to %s.\n",
                   (unsigned long long)res->files_copied, bytes, r->dst_root);
    else if (st == WR_E_CANCELLED)
        con_printf("Rescue cancelled: %llu files, %s copied; the manifest lists them.\n",
                   (unsigned long long)res->files_copied, bytes);
    else
        con_printf("Rescue stopped: %s\n", err->msg);
    con_printf("Time: %llu ms reading the source, %llu ms writing the stick, %llu ms hashing, "
               "%llu ms in all.\n",
               (unsigned long long)res->read_ms, (unsigned long long)res->write_ms,
               (unsigned long long)res->hash_ms, (unsigned long long)res->elapsed_ms);
    if (res->renamed || res->skipped)
        con_printf("%llu names changed for FAT, %llu links skipped (see MANIFEST.txt).\n",
                   (unsigned long long)res->renamed, (unsigned long long)res->skipped);
    if (res->errors)
        con_printf("%llu files could not be read:\n", (unsigned long long)res->errors);
    for (uint64_t i = 0; i < res->errors && i < WR_RF_MAX_LISTED_ERRORS; i++)
        con_printf("  %s\n", res->error_list[i]);
    if (res->manifest_written)
        con_printf("Manifest: %s\\MANIFEST.txt\n", r->dst_root);
}

static void copy(struct rescue *r)
{
    const char *chosen[MAX_FOLDERS];
    UINT32 n = 0;
    struct wr_rf_job j = { 0 };
    struct wr_rf_result *res = wr_alloc(sizeof *res);
    struct wr_err err = { 0 };
    wr_status st;

    for (UINT32 i = 0; i < r->n_folders; i++)
        if (r->checked[i])
            chosen[n++] = r->folders[i];
    if (!res || !n || !confirm(r, n)) {
        wr_free(res);
        return;
    }
    j = (struct wr_rf_job){ .src = &r->vol->src, .src_root = r->src_root, .folders = chosen,
                            .n_folders = n, .dst = &r->target.vol.vol, .dst_root = r->dst_root,
                            .dst_free = r->target.free, .dst_cluster = r->target.cluster,
                            .header = r->vol->name, .ctx = r, .now_ms = now_ms,
                            .progress = progress, .cancelled = cancelled };
    con_puts("Copying (Esc cancels)...\n");
    con_drain_keys();
    efi_clock_start();
    st = wr_rf_copy(&j, res, &err);
    efi_clock_stop();
    report(r, res, st, &err);
    wr_free(res);
}

void app_screen_rescue_files(struct app *app)
{
    struct rescue *r = wr_alloc(sizeof *r);
    char why[200];

    con_clear();
    con_puts("Save user files (the Windows volume is only read)\n");
    if (r)
        r->vols = wr_alloc_array(RF_MAX_SOURCES, sizeof *r->vols);
    if (r)
        r->users = wr_alloc_array(9, sizeof *r->users);
    if (!r || !r->vols || !r->users) {
        con_puts("Out of memory.\n");
    } else if (!rf_open_target(&app->machine, &r->target, why, sizeof why)) {
        con_printf("%s\n", why);
    } else {
        r->n_vols = rf_find_sources(&app->machine, r->vols, RF_MAX_SOURCES);
        if (pick_volume(r) && pick_user(r) && pick_folders(r))
            copy(r);
        rf_close_sources(r->vols, r->n_vols);
        wr_sfs_volume_close(&r->target.vol);
    }
    if (r) {
        wr_free(r->vols);
        wr_free(r->users);
    }
    wr_free(r);
    screen_wait_return();
}
