/* A monotonic clock for progress and rates. GetTime() often has a 1 s
 * resolution, so the TSC is used, scaled by its rate measured over a
 * 20 ms Stall() (which firmware times with a hardware timer). */
#include <efi.h>
#include <efilib.h>

#include "rescue_files.h"

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* Ticks per microsecond, measured on first use; never 0. The one cached
 * value is the app's, not lib/'s (lib/ keeps no state). */
static uint64_t ticks_per_us(void)
{
    static uint64_t rate;

    if (!rate) {
        uint64_t t0 = rdtsc();

        uefi_call_wrapper(BS->Stall, 1, 20000);
        rate = (rdtsc() - t0) / 20000;
        if (!rate)
            rate = 1;
    }
    return rate;
}

uint64_t efi_now_us(void)
{
    return rdtsc() / ticks_per_us();
}

BOOLEAN efi_cancel_requested(void)
{
    struct con_key k;

    while (con_poll_key(&k))
        if (k.scan == SCAN_ESC || k.ch == 'c' || k.ch == 'C')
            return TRUE;
    return FALSE;
}
