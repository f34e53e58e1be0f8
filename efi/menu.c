/* The menu screen. It is drawn once and then touched only where something
 * changes (the highlight marker, the countdown line), because on a serial
 * console every redraw is text in the log the tests and users read. */
#include <efi.h>
#include <efilib.h>

#include "app.h"
#include "base/fmt.h"
#include "machine/version.h"

#define KEY_ENTER 0x0D
#define LINE_WIDTH 79
#define MAX_SHOWN_WARNINGS 3

struct screen {
    UINTN entry_row[WR_MENU_MAX_ENTRIES];
    UINTN status_row;
    UINTN status_len;   /* length of the text on the status row */
    BOOLEAN room_below; /* a newline after the status row will not scroll */
    UINT32 selected;
};

static UINTN screen_rows(void);

/* Ends the line for the serial log, unless that would scroll the screen
 * and move every row we remembered. */
static void end_line(const struct screen *s)
{
    if (s->room_below)
        con_puts("\n");
}

/* Rewrites the status line in place, padding only over what the previous
 * text left behind (trailing blanks would land in the serial log), then
 * starts a new line so the log keeps one update per line. */
static void set_status(struct screen *s, const char *text)
{
    char line[LINE_WIDTH + 2];
    UINTN len = strlen(text);
    int pad = s->status_len > len ? (int)(s->status_len - len) : 0;

    con_goto(0, s->status_row);
    wr_format(line, sizeof line, "%s%*s", text, pad, "");
    con_puts(line);
    end_line(s);
    s->status_len = len;
}

static void show_warnings(const struct app *app)
{
    const char *w = app->conf.warnings.data;
    UINT32 shown = 0;

    for (; w && *w && shown < MAX_SHOWN_WARNINGS; shown++) {
        UINTN n = 0;

        while (w[n] && w[n] != '\n')
            n++;
        con_printf("%.*s\n", (int)(n < LINE_WIDTH ? n : LINE_WIDTH), w);
        w += n + (w[n] == '\n');
    }
    if (app->conf.warning_count > shown)
        con_printf("(%u more warnings in wtg-rescue.conf)\n", app->conf.warning_count - shown);
}

static void draw(struct app *app, struct screen *s)
{
    const struct wr_menu *m = &app->menu;
    char line[WR_MENU_TITLE_MAX + 8];

    con_clear();
    con_printf("wtg-rescue %s - Windows To Go rescue\n\n", WR_VERSION);
    for (UINT32 i = 0; i < m->count; i++) {
        if (i == m->boot_count && i > 0)
            con_puts("\n");
        s->entry_row[i] = con_row();
        wr_menu_entry_line(m, i, i == s->selected, line, sizeof line);
        con_printf("%s\n", line);
    }
    con_puts("\n");
    if (m->boot_count == 0)
        con_puts("No Windows installation was found on any disk.\n");
    if (m->note[0])
        con_printf("%s\n", m->note);
    if (app->health[0])
        con_printf("%.*s\n", LINE_WIDTH, app->health);
    show_warnings(app);
    if (app->message[0])
        con_printf("%s\n", app->message);
    con_puts("Arrows and Enter, or press a key shown above.\n");
    s->status_row = con_row();
    s->room_below = s->status_row + 1 < screen_rows();
}

static void move_highlight(struct app *app, struct screen *s, UINT32 to)
{
    con_goto(0, s->entry_row[s->selected]);
    con_puts(" ");
    con_goto(0, s->entry_row[to]);
    con_puts(">");
    s->selected = to;
    /* Park below the menu on a fresh line, so whatever comes next starts a
     * line of its own in the serial log too. */
    con_goto(0, s->status_row);
    end_line(s);
}

/* Counts down; TRUE when it ran out, FALSE when *key stopped it. */
static BOOLEAN countdown(struct app *app, struct screen *s, struct con_key *key)
{
    char line[WR_MENU_TITLE_MAX + 48];

    for (INT32 left = app->menu.timeout; left > 0; left--) {
        wr_menu_countdown_line(&app->menu, left, line, sizeof line);
        set_status(s, line);
        if (con_wait_key(key, TRUE)) {
            set_status(s, "Countdown stopped.");
            return FALSE;
        }
    }
    return TRUE;
}

/* Returns the entry a key picks, or -1 to keep waiting. */
static INT32 handle_key(struct app *app, struct screen *s, const struct con_key *key)
{
    UINT32 count = app->menu.count;

    if (key->scan == SCAN_UP)
        move_highlight(app, s, (s->selected + count - 1) % count);
    else if (key->scan == SCAN_DOWN)
        move_highlight(app, s, (s->selected + 1) % count);
    else if (key->scan == SCAN_HOME)
        move_highlight(app, s, 0);
    else if (key->scan == SCAN_END)
        move_highlight(app, s, count - 1);
    else if (key->ch == KEY_ENTER)
        return (INT32)s->selected;
    else if (key->ch > 0x20 && key->ch < 0x7f)
        return wr_menu_find_key(&app->menu, (char)key->ch);
    return -1;
}

UINT32 app_menu_choose(struct app *app)
{
    struct wr_menu *m = &app->menu;
    struct screen s = { .selected = m->selected };
    struct con_key key;
    BOOLEAN run_countdown = m->countdown;

    m->countdown = FALSE; /* only once: never again after a failed boot */
    if (run_countdown && m->timeout == 0) {
        /* A key typed before we got here means "show me the menu". */
        if (!con_poll_key(&key))
            return m->selected;
        run_countdown = FALSE;
    }
    draw(app, &s);
    if (run_countdown && countdown(app, &s, &key))
        return m->selected;
    /* The key that stopped the countdown counts: a digit boots at once. */
    for (BOOLEAN have_key = run_countdown;; have_key = FALSE) {
        INT32 pick;

        if (!have_key && !con_wait_key(&key, FALSE))
            continue;
        pick = handle_key(app, &s, &key);
        if (pick >= 0) {
            m->selected = (UINT32)pick;
            return (UINT32)pick;
        }
    }
}

/* Pages of the Disks text, sized to the console so nothing scrolls away. */
static UINTN screen_rows(void)
{
    UINTN cols = 80, rows = 25;

    if (uefi_call_wrapper(ST->ConOut->QueryMode, 4, ST->ConOut, ST->ConOut->Mode->Mode, &cols,
                          &rows) != EFI_SUCCESS || rows < 10)
        rows = 25;
    return rows;
}

void app_show_disks(struct app *app)
{
    struct wr_text t = { 0 };
    struct con_key key;
    UINTN page = screen_rows() - 2, row = 0;

    con_clear();
    wr_machine_disks_text(&app->machine, &t);
    if (t.failed || !t.data) {
        con_puts("Disks\nOut of memory.\n");
    } else {
        for (char *line = t.data; *line;) {
            char *end = line;

            while (*end && *end != '\n')
                end++;
            con_printf("%.*s\n", (int)(end - line), line);
            line = *end ? end + 1 : end;
            if (++row == page && *line) {
                con_puts("-- more: press a key --\n");
                while (!con_wait_key(&key, FALSE))
                    ;
                row = 0;
            }
        }
    }
    wr_text_free(&t);
    con_puts("\nPress any key to return to the menu.\n");
    while (!con_wait_key(&key, FALSE))
        ;
}
