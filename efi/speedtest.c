/* t) Test disk speed: read-only figures for every disk, and whether the
 * stick is fast enough to run Windows To Go from it. */
#include <efi.h>
#include <efilib.h>

#include "glue/blockio_dev.h"
#include "rescue_files.h"
#include "screens.h"
#include "speedtest/speedtest.h"

static uint64_t clock_us(void *ctx)
{
    (void)ctx;
    return efi_now_us();
}

static bool cancelled(void *ctx)
{
    BOOLEAN *stop = ctx;

    if (!*stop)
        *stop = efi_cancel_requested();
    return *stop;
}

/* One disk: "USB disk 0, 256 MiB (this stick): sequential 35.2 MB/s,
 * random 4 KiB 812 reads/s". Returns FALSE when the user cancelled. */
static BOOLEAN test_disk(const struct wr_machine_disk *d, BOOLEAN *stop)
{
    EFI_BLOCK_IO *bio;
    struct wr_blockio_dev dev;
    struct wr_speed_opts o = { .seq_bytes = 64ull << 20, .rand_reads = 1000,
                               .time_budget_us = 3000000, .seed = d->index + 1,
                               .ctx = stop, .now_us = clock_us, .cancelled = cancelled };
    struct wr_speed_result r;
    struct wr_err err = { 0 };
    char what[64], rate[32];
    wr_status st;

    wr_machine_disk_describe(d, what, sizeof what);
    con_printf("%s%s: ", what, d->is_stick ? " (this stick)" : "");
    if (uefi_call_wrapper(BS->HandleProtocol, 3, d->handle, &BlockIoProtocol, (void **)&bio)
            != EFI_SUCCESS ||
        wr_blockio_dev_open(&dev, bio, what, FALSE, &err) != WR_OK) {
        con_printf("cannot be read: %s\n", err.msg[0] ? err.msg : "no BlockIo");
        return TRUE;
    }
    st = wr_speed_run(&dev.dev, &o, &r, &err);
    wr_blockio_dev_close(&dev);
    if (st) {
        con_printf("%s\n", st == WR_E_CANCELLED ? "cancelled" : err.msg);
        return st != WR_E_CANCELLED;
    }
    wr_speed_format_rate(r.seq_kb_per_s, rate, sizeof rate);
    con_printf("sequential %s, random 4 KiB %llu reads/s\n", rate,
               (unsigned long long)r.rand_per_s);
    if (d->is_stick)
        con_printf("Verdict for Windows To Go from this stick: %s\n",
                   wr_speed_verdict_text(r.verdict));
    return TRUE;
}

void app_screen_speed_test(struct app *app)
{
    BOOLEAN stop = FALSE;

    con_clear();
    con_puts("Disk speed test (read-only; Esc cancels)\n");
    con_drain_keys();
    if (!efi_clock_start())
        con_puts("No firmware timer: the figures cannot be measured.\n");
    for (UINT32 i = 0; i < app->machine.disk_count && !stop; i++)
        if (app->machine.disks[i].handle && !test_disk(&app->machine.disks[i], &stop))
            break;
    efi_clock_stop();
    con_puts(stop ? "Speed test cancelled.\n" : "Speed test done.\n");
    screen_wait_return();
}
