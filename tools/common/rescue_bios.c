/* rebuild --firmware bios|all: the BIOS set as its own step of the run. */
#include "rescue_bios.h"

#include <stdio.h>
#include <string.h>

#include "rescue_run.h"

static const char *const names[] = { "uefi", "bios", "all" };

int rescue_firmware_parse(const char *s)
{
    for (int i = 0; i < (int)WR_ARRAY_LEN(names); i++) {
        const char *a = s, *b = names[i];
        while (*a && (*a | 0x20) == *b)
            a++, b++;
        if (!*a && !*b)
            return i;
    }
    return -1;
}

const char *rescue_firmware_name(enum rescue_firmware fw)
{
    return names[fw];
}

int rescue_bios_plan(const struct rescue_host *h, struct rescue_bios *b)
{
    struct wr_err err = { 0 };
    wr_status st = wr_rescue_bios_targets(&h->model, b->win, &b->targets, &b->n_targets, &err);

    if (st) {
        fprintf(stderr, "wtg-rescue: %s\n", err.msg);
        return rescue_exit_status(st);
    }
    if (!b->n_targets)
        wr_format(b->why, sizeof b->why, "%s has no %s\\bootmgr to copy (bcdboot /f BIOS needs it)",
                  h->model.parts[b->win].slice.name, WR_RESCUE_PCAT_DIR);
    return 0;
}

int rescue_bios_apply(struct rescue_host *h, struct rescue_bios *b, bool raw_esp)
{
    struct wr_rescue_apply_opts o = { .stick = &h->stick_vol, .stamp = h->stamp,
                                      .raw_esp = raw_esp };
    struct wr_err err = { 0 };

    if (!b->n_targets) {
        fprintf(stderr, "wtg-rescue: BIOS boot files refused: %s\n", b->why);
        return 4;
    }
    /* the engine's progress line shape, tagged as a step of its own */
    fprintf(stderr, "[bios] BIOS boot files (bcdboot /f BIOS): %zu file(s) and %s ...\n",
            b->n_targets - 1, WR_RESCUE_BIOS_BCD_PATH);
    b->ran = true;
    b->result = wr_rescue_write_bios(&h->model, b->win, b->esp, &o, &b->r, &err);
    if (!b->result && b->r.skipped)
        b->result = wr_fail(&err, WR_E_NOT_FOUND, "%s\\bootmgr is gone", WR_RESCUE_PCAT_DIR);
    if (b->result) {
        wr_format(b->result_msg, sizeof b->result_msg, "%s", err.msg);
        fprintf(stderr, "[bios] failed: %s\n", err.msg);
        fprintf(stderr, "wtg-rescue: %s\n", err.msg);
        return rescue_exit_status(b->result);
    }
    fprintf(stderr, "[bios] done: backup %s\n", b->r.backup);
    return 0;
}

void rescue_bios_text(const struct rescue_host *h, const struct rescue_bios *b,
                      struct wr_text *t)
{
    char esp[64] = "?";

    if (b->esp >= 0)
        wr_rescue_part_name(&h->model, &h->model.parts[b->esp], esp, sizeof esp);
    wr_text_printf(t, "BIOS boot files (bcdboot /f %s, %s): %zu file(s) to %s from %s on %s\n",
                   b->fw == RESCUE_FW_ALL ? "ALL" : "BIOS", b->ran ? "applied" : "dry run",
                   b->n_targets, esp, WR_RESCUE_PCAT_DIR, h->model.parts[b->win].slice.name);
    if (!b->n_targets) {
        wr_text_printf(t, "     REFUSED: %s\n", b->why);
        return;
    }
    for (const char *p = b->targets.data, *nl; p && *p; p = nl + 1) {
        nl = strchr(p, '\n');
        wr_text_printf(t, "  %.*s\n", (int)(nl - p), p);
    }
    wr_text_puts(t, "     note: a BIOS PC reaches \\bootmgr only through boot code in the MBR "
                    "and the partition's boot sector, which this does not write\n");
    if (b->ran)
        wr_text_printf(t, "     result: %s\n", b->result ? b->result_msg : "done");
    if (b->r.backup[0])
        wr_text_printf(t, "BIOS backup: %s (undo restores it%s)\n", b->r.backup,
                       b->fw == RESCUE_FW_ALL ? "; undo it first, then the backup above" : "");
}

static void js_str(struct wr_text *t, const char *s, size_t n)
{
    wr_text_puts(t, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            wr_text_printf(t, "\\%c", c);
        else if (c < 0x20)
            wr_text_printf(t, "\\u%04x", c);
        else
            wr_text_append(t, s + i, 1);
    }
    wr_text_puts(t, "\"");
}

static void js(struct wr_text *t, const char *k, const char *s, bool comma)
{
    wr_text_printf(t, "\"%s\":", k);
    js_str(t, s, strlen(s));
    if (comma)
        wr_text_puts(t, ",");
}

void rescue_bios_json(const struct rescue_bios *b, struct wr_text *t)
{
    /* the engine's object ends "}\n": the member goes before it */
    while (t->len && (t->data[t->len - 1] == '\n' || t->data[t->len - 1] == '}'))
        if (t->data[--t->len] == '}')
            break;
    wr_text_puts(t, ",");
    js(t, "firmware", rescue_firmware_name(b->fw), true);
    wr_text_puts(t, "\"bios\":{\"files\":[");
    for (const char *p = b->targets.data, *nl; p && *p; p = nl + 1) {
        nl = strchr(p, '\n');
        if (p != b->targets.data)
            wr_text_puts(t, ",");
        js_str(t, p, (size_t)(nl - p));
    }
    wr_text_printf(t, "],\"refused\":%s,", b->n_targets ? "false" : "true");
    js(t, "why", b->why, true);
    wr_text_printf(t, "\"ran\":%s,", b->ran ? "true" : "false");
    js(t, "result", b->ran ? (b->result ? b->result_msg : "done") : "", true);
    js(t, "backup", b->r.backup, false);
    wr_text_puts(t, "}}\n");
}

void rescue_bios_free(struct rescue_bios *b)
{
    wr_text_free(&b->targets);
}
