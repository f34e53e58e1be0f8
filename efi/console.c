/* Console output and keys. Text goes out as ASCII only: the serial
 * terminal shows anything else as junk, and tests read the serial log. */
#include <efi.h>
#include <efilib.h>

#include "app.h"
#include "base/fmt.h"

#define CHUNK 128

void con_puts(const char *s)
{
    CHAR16 buf[CHUNK + 2];
    UINTN n = 0;

    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;

        if (ch == '\n')
            buf[n++] = '\r';
        buf[n++] = ch == '\n' || (ch >= 0x20 && ch < 0x7f) ? ch : '?';
        if (n >= CHUNK) {
            buf[n] = 0;
            uefi_call_wrapper(ST->ConOut->OutputString, 2, ST->ConOut, buf);
            n = 0;
        }
    }
    buf[n] = 0;
    if (n)
        uefi_call_wrapper(ST->ConOut->OutputString, 2, ST->ConOut, buf);
}

void con_printf(const char *fmt, ...)
{
    char line[320];
    va_list ap;

    va_start(ap, fmt);
    wr_vformat(line, sizeof line, fmt, ap);
    va_end(ap);
    con_puts(line);
}

/* The newline first ends any partial line, which the serial log would
 * otherwise glue to the next screen's first line. */
void con_clear(void)
{
    con_puts("\n");
    uefi_call_wrapper(ST->ConOut->ClearScreen, 1, ST->ConOut);
}

void con_goto(UINTN col, UINTN row)
{
    uefi_call_wrapper(ST->ConOut->SetCursorPosition, 3, ST->ConOut, col, row);
}

UINTN con_row(void)
{
    return (UINTN)ST->ConOut->Mode->CursorRow;
}

BOOLEAN con_poll_key(struct con_key *key)
{
    EFI_INPUT_KEY k;

    if (uefi_call_wrapper(ST->ConIn->ReadKeyStroke, 2, ST->ConIn, &k) != EFI_SUCCESS)
        return FALSE;
    key->scan = k.ScanCode;
    key->ch = k.UnicodeChar;
    return TRUE;
}

void con_drain_keys(void)
{
    struct con_key k;

    while (con_poll_key(&k))
        ;
}

/* One periodic 1 s timer beside the key event, as WaitForEvent cannot
 * time out by itself. */
BOOLEAN con_wait_key(struct con_key *key, BOOLEAN tick)
{
    EFI_EVENT events[2];
    EFI_EVENT timer = NULL;
    UINTN count = 1, index = 0;
    BOOLEAN got = FALSE;

    events[0] = ST->ConIn->WaitForKey;
    if (tick && uefi_call_wrapper(BS->CreateEvent, 5, EVT_TIMER, 0, NULL, NULL, &timer)
                    == EFI_SUCCESS) {
        uefi_call_wrapper(BS->SetTimer, 3, timer, TimerRelative, 10000000);
        events[count++] = timer;
    }
    for (;;) {
        if (con_poll_key(key)) {
            got = TRUE;
            break;
        }
        if (uefi_call_wrapper(BS->WaitForEvent, 3, count, events, &index) != EFI_SUCCESS)
            break;
        if (index == 1)
            break;
    }
    if (timer) {
        uefi_call_wrapper(BS->SetTimer, 3, timer, TimerCancel, 0);
        uefi_call_wrapper(BS->CloseEvent, 1, timer);
    }
    return got;
}

INTN con_pick(const char *what, UINTN n)
{
    struct con_key key;

    con_printf("Pick a %s (1-%u), Esc to return.\n", what, (unsigned)n);
    for (;;) {
        if (!con_wait_key(&key, FALSE))
            continue;
        if (key.scan == SCAN_ESC || key.ch == 0x1b || key.ch == 'q' || key.ch == 'Q')
            return -1;
        if (key.ch >= '1' && key.ch <= '9' && (UINTN)(key.ch - '1') < n)
            return key.ch - '1';
    }
}
