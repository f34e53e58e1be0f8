/* The BCD viewer: every store on every ESP the scan found, as bcdedit
 * /enum all would print it (lib/bcd/render), a page at a time. Read-only:
 * the store is opened from a copy of its bytes, logs applied in memory. */
#include <efi.h>
#include <efilib.h>

#include "base/fmt.h"
#include "bcd/hive.h"
#include "bcd/render.h"
#include "glue/sfs_volume.h"
#include "screens.h"

#define BCD_PATH "\\EFI\\Microsoft\\Boot\\BCD"
#define BCD_MAX_BYTES (32u << 20)

struct bcd_files {
    uint8_t *data;
    size_t len;
    struct wr_regf_log logs[2];
    uint8_t *log_data[2];
    size_t n_logs;
};

static void read_logs(const struct wr_volume *v, struct bcd_files *f)
{
    static const char *const names[2] = { BCD_PATH ".LOG1", BCD_PATH ".LOG2" };

    for (UINTN i = 0; i < 2; i++) {
        uint8_t *d = NULL;
        size_t len = 0;

        if (wr_volume_read_file(v, names[i], BCD_MAX_BYTES, &d, &len, NULL) != WR_OK)
            continue;
        f->log_data[f->n_logs] = d;
        f->logs[f->n_logs] = (struct wr_regf_log){ .name = names[i], .data = d, .len = len };
        f->n_logs++;
    }
}

static void free_files(struct bcd_files *f)
{
    wr_free(f->data);
    for (size_t i = 0; i < f->n_logs; i++)
        wr_free(f->log_data[i]);
}

static void render_store(struct wr_text *t, const struct bcd_files *f, const char *name)
{
    struct wr_regf_hive *hive = NULL;
    struct wr_bcd_store store;
    struct wr_bcd_render_opts opts = { 0 };
    struct wr_err err;

    wr_bcd_store_init(&store);
    if (wr_bcd_store_open(f->data, f->len, name, f->logs, f->n_logs, &hive, &store, &err)
        != WR_OK) {
        wr_text_printf(t, "This store cannot be read: %s\n", err.msg);
        wr_bcd_store_free(&store);
        return;
    }
    if (wr_bcd_render_enum(t, &store, "ALL", &opts, &err) != WR_OK)
        wr_text_printf(t, "This store cannot be shown: %s\n", err.msg);
    wr_bcd_store_free(&store);
    wr_regf_close(hive);
}

/* One store's section: a heading naming where it is, then bcdedit text. */
static void describe_store(struct wr_text *t, const struct wr_machine_disk *d, uint32_t i,
                           const char *name)
{
    struct wr_sfs_volume vol;
    struct bcd_files f = { 0 };
    struct wr_err err;
    char where[64];

    wr_machine_disk_describe(d, where, sizeof where);
    wr_text_printf(t, "BCD store on %s, partition %u: %s\n", where, d->table->parts[i].number,
                   BCD_PATH);
    if (wr_sfs_volume_open(&vol, d->parts[i].handle, name, &err) != WR_OK) {
        wr_text_printf(t, "The partition cannot be opened: %s\n\n", err.msg);
        return;
    }
    if (wr_volume_read_file(&vol.vol, BCD_PATH, BCD_MAX_BYTES, &f.data, &f.len, &err) != WR_OK) {
        wr_text_printf(t, "The store cannot be read: %s\n\n", err.msg);
    } else {
        read_logs(&vol.vol, &f);
        render_store(t, &f, name);
        wr_text_puts(t, "\n");
    }
    free_files(&f);
    wr_sfs_volume_close(&vol);
}

void app_screen_bcd(struct app *app)
{
    const struct wr_machine *m = &app->machine;
    UINTN row = 0, stores = 0;

    con_clear();
    con_puts("BCD viewer\n");
    for (uint32_t di = 0; di < m->disk_count; di++) {
        const struct wr_machine_disk *d = &m->disks[di];

        for (uint32_t i = 0; d->table && i < d->table->count; i++) {
            struct wr_text t = { 0 };
            char name[48];
            BOOLEAN go_on;

            if (!d->parts[i].has_bcd)
                continue;
            wr_format(name, sizeof name, "disk %u partition %u", d->index,
                      d->table->parts[i].number);
            describe_store(&t, d, i, name);
            stores++;
            go_on = screen_page_text(t.failed ? "Out of memory.\n" : t.data, &row);
            wr_text_free(&t);
            if (!go_on)
                goto done;
        }
    }
    con_printf("%u BCD store(s) shown.\n", (unsigned)stores);
done:
    screen_wait_return();
}
