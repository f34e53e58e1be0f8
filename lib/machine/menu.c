#include "machine/menu.h"

#include "base/fmt.h"

static void target_title(const struct wr_machine *m, struct wr_boot_target *t,
                         bool several_on_disk)
{
    const struct wr_machine_disk *d = &m->disks[t->disk];
    char sz[32];
    uint32_t number = d->table->parts[t->part].number;

    wr_machine_size_text(wr_machine_disk_bytes(d), sz, sizeof sz);
    if (t->togo && !several_on_disk)
        wr_format(t->title, sizeof t->title, "Windows To Go (this stick)");
    else if (t->togo)
        wr_format(t->title, sizeof t->title, "Windows To Go (this stick, partition %u)",
                  number);
    else if (!several_on_disk)
        wr_format(t->title, sizeof t->title, "Windows on %s disk %u (%s)",
                  wr_machine_bus_name(d->bus), d->index, sz);
    else
        wr_format(t->title, sizeof t->title, "Windows on %s disk %u (%s), partition %u",
                  wr_machine_bus_name(d->bus), d->index, sz, number);
}

static uint32_t bootmgr_count_on_disk(const struct wr_machine_disk *d)
{
    uint32_t n = 0;

    for (uint32_t j = 0; d->table && j < d->table->count; j++)
        n += d->parts[j].has_bootmgfw;
    return n;
}

static uint32_t add_targets(const struct wr_machine *m, bool stick, struct wr_boot_target *out,
                            uint32_t n, uint32_t max)
{
    for (uint32_t i = 0; i < m->disk_count && n < max; i++) {
        const struct wr_machine_disk *d = &m->disks[i];
        bool several = bootmgr_count_on_disk(d) > 1;

        if (d->is_stick != stick)
            continue;
        for (uint32_t j = 0; d->table && j < d->table->count && n < max; j++) {
            if (!d->parts[j].has_bootmgfw)
                continue;
            memset(&out[n], 0, sizeof out[n]);
            out[n].disk = i;
            out[n].part = j;
            out[n].togo = stick;
            target_title(m, &out[n], several);
            n++;
        }
    }
    return n;
}

uint32_t wr_machine_boot_targets(const struct wr_machine *m, struct wr_boot_target *out,
                                 uint32_t max)
{
    uint32_t n = add_targets(m, true, out, 0, max);

    return add_targets(m, false, out, n, max);
}

static void add_entry(struct wr_menu *menu, enum wr_menu_action action, char key,
                      const char *title)
{
    struct wr_menu_entry *e = &menu->entries[menu->count++];

    e->action = action;
    e->key = key;
    wr_format(e->title, sizeof e->title, "%s", title);
}

static bool any_bcd(const struct wr_machine *m)
{
    for (uint32_t i = 0; i < m->disk_count; i++)
        for (uint32_t j = 0; m->disks[i].table && j < m->disks[i].table->count; j++)
            if (m->disks[i].parts[j].has_bcd)
                return true;
    return false;
}

/* The boot entry for a "default" setting, or -1. */
static int find_default(const struct wr_machine *m, const struct wr_menu *menu,
                        enum wr_conf_default want)
{
    for (uint32_t i = 0; i < menu->boot_count; i++) {
        const struct wr_boot_target *t = &menu->entries[i].target;

        if (want == WR_CONF_DEFAULT_TOGO && t->togo)
            return (int)i;
        if (want == WR_CONF_DEFAULT_INTERNAL &&
            wr_machine_disk_is_internal(&m->disks[t->disk]))
            return (int)i;
    }
    return -1;
}

static int choose_default(const struct wr_machine *m, const struct wr_conf *conf,
                          struct wr_menu *menu)
{
    int i;

    switch (conf->default_entry) {
    case WR_CONF_DEFAULT_MENU:
        return -1;
    case WR_CONF_DEFAULT_TOGO:
    case WR_CONF_DEFAULT_INTERNAL:
        i = find_default(m, menu, conf->default_entry);
        if (i < 0)
            wr_format(menu->note, sizeof menu->note,
                      "default %s: no such Windows was found, so the menu waits.",
                      wr_conf_default_name(conf->default_entry));
        return i;
    case WR_CONF_DEFAULT_SAVED:
        for (uint32_t k = 0; k < menu->boot_count; k++)
            if (conf->saved_title[0] && !strcmp(menu->entries[k].title, conf->saved_title))
                return (int)k;
        break; /* nothing saved, or that Windows is gone: as if unset */
    case WR_CONF_DEFAULT_AUTO:
        break;
    }
    i = find_default(m, menu, WR_CONF_DEFAULT_TOGO);
    return i >= 0 ? i : find_default(m, menu, WR_CONF_DEFAULT_INTERNAL);
}

void wr_menu_build(const struct wr_machine *m, const struct wr_conf *conf,
                   struct wr_menu *menu)
{
    struct wr_boot_target targets[WR_MENU_MAX_BOOT];
    uint32_t n = wr_machine_boot_targets(m, targets, WR_MENU_MAX_BOOT);
    int def;

    memset(menu, 0, sizeof *menu);
    for (uint32_t i = 0; i < n; i++) {
        add_entry(menu, WR_MENU_BOOT, (char)('1' + i), targets[i].title);
        menu->entries[i].target = targets[i];
    }
    menu->boot_count = n;
    add_entry(menu, WR_MENU_DISKS, 'd', "Disks");
    add_entry(menu, WR_MENU_FIRMWARE_SETUP, 'f', "Reboot into firmware setup");
    add_entry(menu, WR_MENU_REBOOT, 'r', "Reboot");
    add_entry(menu, WR_MENU_SHUTDOWN, 's', "Shut down");
    /* The rescue screens come after the fixed entries, so those keep
     * their places. */
    if (any_bcd(m))
        add_entry(menu, WR_MENU_BCD_VIEWER, 'b', "BCD viewer");

    def = choose_default(m, conf, menu);
    menu->has_default = def >= 0;
    menu->selected = def >= 0 ? (uint32_t)def : 0;
    menu->timeout = conf->timeout;
    menu->countdown = def >= 0 && conf->timeout != WR_CONF_TIMEOUT_FOREVER;
}

void wr_menu_add_tools(struct wr_menu *menu)
{
    add_entry(menu, WR_MENU_RESCUE_FILES, 'u', "Save user files");
    add_entry(menu, WR_MENU_SPEED_TEST, 't', "Test disk speed");
}

void wr_menu_add_rescue(struct wr_menu *menu)
{
    add_entry(menu, WR_MENU_DIAGNOSE, 'g', "Diagnose");
    add_entry(menu, WR_MENU_REPAIR, 'p', "Repair");
    add_entry(menu, WR_MENU_REBUILD, 'w', "Rebuild boot files");
    add_entry(menu, WR_MENU_UNDO, 'z', "Undo a repair");
}

int wr_menu_find_key(const struct wr_menu *menu, char ch)
{
    if (ch >= 'A' && ch <= 'Z')
        ch = (char)(ch - 'A' + 'a');
    for (uint32_t i = 0; i < menu->count; i++)
        if (menu->entries[i].key == ch)
            return (int)i;
    return -1;
}

void wr_menu_entry_line(const struct wr_menu *menu, uint32_t i, bool highlighted,
                        char *buf, size_t size)
{
    const struct wr_menu_entry *e = &menu->entries[i];

    wr_format(buf, size, "%c %c) %s", highlighted ? '>' : ' ', e->key, e->title);
}

void wr_menu_countdown_line(const struct wr_menu *menu, int32_t seconds, char *buf,
                            size_t size)
{
    wr_format(buf, size, "Booting %s in %ds (any key stops)",
              menu->entries[menu->selected].title, (int)seconds);
}

/* The BitLocker volume on the target's disk, or -1. Windows' own volume is
 * on the disk whose ESP starts it; bcdboot never puts it elsewhere. */
static int bitlocker_part(const struct wr_machine_disk *d)
{
    for (uint32_t j = 0; d->table && j < d->table->count; j++)
        if (d->parts[j].fs_probed && d->parts[j].fs.kind == WR_FS_BITLOCKER)
            return (int)j;
    return -1;
}

enum wr_boot_way wr_menu_boot_way(const struct wr_machine *m, const struct wr_boot_target *t,
                                  bool tpm, char *why, size_t size)
{
    const struct wr_machine_disk *d = &m->disks[t->disk];
    int locked = bitlocker_part(d);

    if (t->togo) {
        wr_format(why, size, "Windows To Go is always started from here");
        return WR_BOOT_CHAINLOAD;
    }
    if (locked < 0) {
        wr_format(why, size, "no BitLocker volume on disk %u", d->index);
        return WR_BOOT_CHAINLOAD;
    }
    if (!tpm) {
        wr_format(why, size, "BitLocker protects disk %u partition %u, but there is no TPM",
                  d->index, d->table->parts[locked].number);
        return WR_BOOT_CHAINLOAD;
    }
    wr_format(why, size, "BitLocker protects disk %u partition %u and a TPM is present",
              d->index, d->table->parts[locked].number);
    return WR_BOOT_FIRMWARE;
}
