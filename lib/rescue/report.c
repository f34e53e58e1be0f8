/* Rendering the report. The text form leads with the verdict and the
 * errors; the JSON form carries every field, for tests and tools. */
#include "rescue/report.h"

#include "rescue/bios.h"
#include "rescue/internal.h"

/* The files a bios action writes, read from its Windows when the report is
 * made (NULL when none): the dry run shows the set before anything runs. */
static struct wr_rescue_copy *bios_files(const struct wr_rescue_model *m,
                                         const struct wr_rescue_action *a, size_t *n)
{
    struct wr_rescue_copy *list = NULL;

    *n = 0;
    if (a->kind != WR_RESCUE_ACT_BIOS || a->refused ||
        wr_rescue_bios_list(m, a->win, &list, n, NULL))
        return NULL;
    return list;
}

static void bios_text(const struct wr_rescue_model *m, const struct wr_rescue_action *a,
                      struct wr_text *t)
{
    size_t n;
    struct wr_rescue_copy *list = bios_files(m, a, &n);

    if (!list)
        return;
    for (size_t i = 0; i < n; i++)
        wr_text_printf(t, "       %s\n", list[i].dst);
    wr_text_printf(t, "       %s\n", WR_RESCUE_BIOS_BCD_PATH);
    wr_text_puts(t, "     note: a BIOS PC reaches \\bootmgr only through boot code in the MBR "
                    "and the partition's boot sector, which this does not write\n");
    wr_free(list);
}

static void machine_text(const struct wr_rescue_model *m, struct wr_text *t)
{
    wr_text_printf(t, "Machine %s: %u disk(s)\n", m->machine_id, m->machine.disk_count);
    for (size_t i = 0; i < m->n_parts; i++) {
        const struct wr_rescue_part *p = &m->parts[i];
        char name[48];
        wr_rescue_part_name(m, p, name, sizeof name);
        if (p->esp_like && p->has_fat)
            wr_text_printf(t, "  %s: ESP, bootmgfw.efi %s, BCD %s%s\n", name,
                           p->esp.has_bootmgfw ? "present" : "missing",
                           p->esp.bcd == WR_RESCUE_BCD_OK        ? "ok"
                           : p->esp.bcd == WR_RESCUE_BCD_MISSING ? "missing"
                           : p->esp.bcd == WR_RESCUE_BCD_EMPTY   ? "empty"
                           : p->esp.bcd == WR_RESCUE_BCD_DIRTY   ? "dirty"
                                                                 : "corrupt",
                           m->machine.disks[p->disk].is_stick ? " (stick)" : "");
        else if (p->win.is_windows)
            wr_text_printf(t, "  %s: Windows %s %s%s%s\n", name,
                           p->win.product_name[0] ? p->win.product_name : "(version unknown)",
                           p->win.build, p->win.to_go ? ", To Go" : "",
                           p->win.hibernation == WR_NTFS_HIBER_ACTIVE ? ", hibernated" : "");
        else if (p->win.volume == WR_WINDOWS_VOL_BITLOCKER)
            wr_text_printf(t, "  %s: BitLocker-encrypted volume\n", name);
    }
    if (m->nvram_read)
        wr_text_printf(t, "  firmware: %zu boot entries, BootOrder of %zu\n", m->n_boot,
                       m->n_order);
}

void wr_rescue_report_text(const struct wr_rescue_report *r, struct wr_text *t)
{
    char code[32];

    if (r->verdict) {
        wr_rescue_code_text(r->verdict->code, code);
        if (r->verdict->ok)
            wr_text_printf(t, "Boot verdict: OK - %s\n", r->verdict->why);
        else
            wr_text_printf(t, "Boot verdict: %s  File: %s  (%s)\n", code, r->verdict->file,
                           r->verdict->why);
    }
    machine_text(r->m, t);
    wr_text_printf(t, "Findings: %zu\n", r->findings->n);
    for (size_t i = 0; i < r->findings->n; i++) {
        const struct wr_rescue_finding *f = &r->findings->v[i];
        wr_rescue_code_text(f->bootmgr_code, code);
        wr_text_printf(t, "  [%s] %-7s %s\n", f->id, wr_rescue_severity_name(f->severity),
                       f->title);
        if (f->bootmgr_code)
            wr_text_printf(t, "      explains: %s\n", code);
        wr_text_printf(t, "      evidence: %s\n      fix: %s%s%s%s\n", f->evidence, f->fix,
                       f->action ? " (repair: " : "",
                       f->action ? wr_rescue_act_name(f->action) : "", f->action ? ")" : "");
    }
    if (!r->plan)
        return;
    wr_text_printf(t, "Plan (%s): %zu action(s)\n", r->applied ? "applied" : "dry run",
                   r->plan->n);
    for (size_t i = 0; i < r->plan->n; i++) {
        const struct wr_rescue_action *a = &r->plan->v[i];
        wr_text_printf(t, "  %zu. [%s] %s\n", i + 1, wr_rescue_act_name(a->kind), a->text);
        bios_text(r->m, a, t);
        if (a->warning[0])
            wr_text_printf(t, "     WARNING: %s\n", a->warning);
        if (a->refused)
            wr_text_printf(t, "     REFUSED: %s\n", a->why);
        else if (a->ran)
            wr_text_printf(t, "     result: %s\n", a->result ? a->result_msg : "done");
    }
    if (r->backup_dir && r->backup_dir[0])
        wr_text_printf(t, "Backup: %s (undo restores it)\n", r->backup_dir);
}

static void js(struct wr_text *t, const char *s)
{
    wr_text_puts(t, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            wr_text_printf(t, "\\%c", c);
        else if (c < 0x20)
            wr_text_printf(t, "\\u%04x", c);
        else
            wr_text_append(t, s, 1);
    }
    wr_text_puts(t, "\"");
}

static void kv(struct wr_text *t, const char *k, const char *v, bool comma)
{
    js(t, k);
    wr_text_puts(t, ":");
    js(t, v);
    if (comma)
        wr_text_puts(t, ",");
}

static void verdict_json(const struct wr_rescue_verdict *v, struct wr_text *t)
{
    char code[32];

    wr_rescue_code_text(v->code, code);
    wr_text_printf(t, "\"verdict\":{\"ok\":%s,\"unverified\":%s,", v->ok ? "true" : "false",
                   v->unverified ? "true" : "false");
    kv(t, "code", v->ok ? "" : code, true);
    kv(t, "file", v->file, true);
    kv(t, "why", v->why, false);
    wr_text_puts(t, "},");
}

static void findings_json(const struct wr_rescue_findings *f, struct wr_text *t)
{
    char code[32];

    wr_text_puts(t, "\"findings\":[");
    for (size_t i = 0; i < f->n; i++) {
        const struct wr_rescue_finding *x = &f->v[i];
        wr_rescue_code_text(x->bootmgr_code, code);
        wr_text_puts(t, i ? ",{" : "{");
        kv(t, "id", x->id, true);
        kv(t, "severity", wr_rescue_severity_name(x->severity), true);
        kv(t, "bootmgr_error", x->bootmgr_code ? code : "", true);
        kv(t, "title", x->title, true);
        kv(t, "evidence", x->evidence, true);
        kv(t, "fix", x->fix, true);
        kv(t, "repair", x->action ? wr_rescue_act_name(x->action) : "", false);
        wr_text_puts(t, "}");
    }
    wr_text_puts(t, "]");
}

static void bios_json(const struct wr_rescue_model *m, const struct wr_rescue_action *a,
                      struct wr_text *t)
{
    size_t n;
    struct wr_rescue_copy *list = bios_files(m, a, &n);

    if (a->kind != WR_RESCUE_ACT_BIOS)
        return;
    wr_text_puts(t, "\"files\":[");
    for (size_t i = 0; i < n; i++) {
        js(t, list[i].dst);
        wr_text_puts(t, ",");
    }
    if (list)
        js(t, WR_RESCUE_BIOS_BCD_PATH);
    wr_text_puts(t, "],");
    wr_free(list);
}

static void plan_json(const struct wr_rescue_report *r, struct wr_text *t)
{
    wr_text_printf(t, ",\"applied\":%s,\"plan\":[", r->applied ? "true" : "false");
    for (size_t i = 0; i < r->plan->n; i++) {
        const struct wr_rescue_action *a = &r->plan->v[i];
        wr_text_puts(t, i ? ",{" : "{");
        kv(t, "action", wr_rescue_act_name(a->kind), true);
        kv(t, "text", a->text, true);
        bios_json(r->m, a, t);
        kv(t, "warning", a->warning, true);
        wr_text_printf(t, "\"refused\":%s,", a->refused ? "true" : "false");
        kv(t, "why", a->why, true);
        wr_text_printf(t, "\"ran\":%s,", a->ran ? "true" : "false");
        kv(t, "result", a->ran ? (a->result ? a->result_msg : "done") : "", false);
        wr_text_puts(t, "}");
    }
    wr_text_puts(t, "],");
    kv(t, "backup", r->backup_dir ? r->backup_dir : "", false);
}

void wr_rescue_report_json(const struct wr_rescue_report *r, struct wr_text *t)
{
    wr_text_puts(t, "{");
    kv(t, "machine", r->m->machine_id, true);
    kv(t, "stamp", r->stamp ? r->stamp : "", true);
    if (r->verdict)
        verdict_json(r->verdict, t);
    findings_json(r->findings, t);
    if (r->plan)
        plan_json(r, t);
    wr_text_puts(t, "}\n");
}

wr_status wr_rescue_report_save(const struct wr_volume *stick, const struct wr_rescue_report *r,
                                char path[WR_NAME_MAX], struct wr_err *err)
{
    struct wr_text text = { 0 }, json = { 0 };
    char jpath[WR_NAME_MAX];
    wr_status st = wr_volume_ensure_dir(stick, "\\wtg-rescue", err);

    if (!st)
        st = wr_volume_ensure_dir(stick, "\\wtg-rescue\\reports", err);
    wr_rescue_report_text(r, &text);
    wr_rescue_report_json(r, &json);
    if (!st && (text.failed || json.failed))
        st = wr_fail(err, WR_E_NO_MEMORY, "report: out of memory");
    wr_format(path, WR_NAME_MAX, "\\wtg-rescue\\reports\\report-%s.txt", r->stamp);
    wr_format(jpath, sizeof jpath, "\\wtg-rescue\\reports\\report-%s.json", r->stamp);
    if (!st)
        st = wr_volume_write_file(stick, path, (const uint8_t *)text.data, text.len, err);
    if (!st)
        st = wr_volume_write_file(stick, jpath, (const uint8_t *)json.data, json.len, err);
    wr_text_free(&text);
    wr_text_free(&json);
    return st;
}
