/* Paging for the text screens: a console has no scrollback, and on serial
 * a page stop is a line the tests can key on. */
#include <efi.h>
#include <efilib.h>

#include "screens.h"

#define KEY_ESC_SCAN 0x17

static UINTN page_rows(void)
{
    UINTN cols = 80, rows = 25;

    if (uefi_call_wrapper(ST->ConOut->QueryMode, 4, ST->ConOut, ST->ConOut->Mode->Mode, &cols,
                          &rows) != EFI_SUCCESS || rows < 10)
        rows = 25;
    return rows - 2;
}

/* FALSE stops; 'a' turns paging off for the rest of the text (a serial
 * log wants it all). */
static BOOLEAN wait_more(BOOLEAN *all)
{
    struct con_key key;

    con_puts("-- more: press a key, a for all, q to stop --\n");
    while (!con_wait_key(&key, FALSE))
        ;
    *all = key.ch == 'a' || key.ch == 'A';
    return !(key.ch == 'q' || key.ch == 'Q' || key.scan == KEY_ESC_SCAN);
}

/* One '?' per UTF-8 character (the console shows ASCII only), not one
 * per byte, so columns still line up. */
static void put_line(const char *s, const char *end)
{
    char buf[160];
    UINTN n = 0;

    for (; s < end; s++) {
        unsigned char c = (unsigned char)*s;

        if (c >= 0x80 && c < 0xC0)
            continue;
        buf[n++] = c >= 0x80 ? '?' : (char)c;
        if (n == sizeof buf - 1) {
            buf[n] = '\0';
            con_puts(buf);
            n = 0;
        }
    }
    buf[n] = '\0';
    con_puts(buf);
    con_puts("\n");
}

BOOLEAN screen_page_text(const char *text, UINTN *row)
{
    UINTN page = page_rows();
    BOOLEAN all = *row == (UINTN)-1;

    while (text && *text) {
        const char *end = text;

        while (*end && *end != '\n')
            end++;
        if (!all && *row >= page) {
            if (!wait_more(&all))
                return FALSE;
            *row = all ? (UINTN)-1 : 0;
        }
        put_line(text, end);
        if (!all)
            (*row)++;
        text = *end ? end + 1 : end;
    }
    return TRUE;
}

void screen_wait_return(void)
{
    struct con_key key;

    con_puts("\nPress any key to return to the menu.\n");
    while (!con_wait_key(&key, FALSE))
        ;
}
