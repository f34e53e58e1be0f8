/* Starting a boot entry the safe way (issue 7). A Windows whose volume
 * BitLocker protects with a TPM unseals its key only when the measured
 * boot path is the usual one; chain-loading through this app changes it
 * and Windows would ask for the recovery key. Such a Windows is started
 * by the firmware: its own "Windows Boot Manager" entry (created in
 * Windows' format when missing) becomes BootNext and the PC resets. */
#include <efi.h>
#include <efilib.h>

#include "base/fmt.h"
#include "glue/nvram_efi.h"
#include "screens.h"

static EFI_GUID tcg2_guid = { 0x607f766c, 0x7455, 0x42be,
                              { 0x93, 0x0b, 0xe4, 0xd7, 0x6d, 0xb2, 0x72, 0x0f } };

static BOOLEAN tpm_present(void)
{
    void *p = NULL;

    return uefi_call_wrapper(BS->LocateProtocol, 3, &tcg2_guid, NULL, &p) == EFI_SUCCESS && p;
}

static void target_hd(const struct wr_machine *m, const struct wr_boot_target *t,
                      struct wr_efivar_hd *hd)
{
    const struct wr_partition_table *tab = m->disks[t->disk].table;
    const struct wr_partition *p = &tab->parts[t->part];

    memset(hd, 0, sizeof *hd);
    hd->part_number = p->number;
    hd->start_lba = p->first_lba;
    hd->size_lba = p->sector_count;
    hd->format = tab->kind == WR_TABLE_GPT ? WR_EFIVAR_HD_GPT : WR_EFIVAR_HD_MBR;
    hd->part_guid = p->part_guid;
    hd->mbr_signature = tab->mbr_signature;
}

static BOOLEAN same_partition(const struct wr_efivar_hd *a, const struct wr_efivar_hd *b)
{
    if (a->format != b->format)
        return FALSE;
    if (a->format == WR_EFIVAR_HD_GPT)
        return wr_guid_equal(&a->part_guid, &b->part_guid);
    return a->mbr_signature == b->mbr_signature && a->start_lba == b->start_lba;
}

struct find {
    const struct wr_nvram *nv;
    const struct wr_efivar_hd *hd;
    BOOLEAN found;
    uint16_t num;
};

static wr_status visit(void *arg, const char *name, const struct wr_guid *guid)
{
    struct find *f = arg;
    struct wr_efivar_loadopt opt;
    uint16_t num;

    if (f->found || !wr_guid_equal(guid, &wr_efivar_global_guid) ||
        !wr_efivar_parse_boot_name(name, &num))
        return WR_OK;
    if (wr_efivar_boot_get(f->nv, num, &opt, NULL) != WR_OK)
        return WR_OK; /* someone else's odd entry is not our business */
    if (wr_efivar_is_windows_bootmgr(&opt) && opt.has_hd && same_partition(&opt.hd, f->hd)) {
        f->found = TRUE;
        f->num = num;
    }
    wr_efivar_loadopt_clear(&opt);
    return WR_OK;
}

/* Appends num to BootOrder: the PC's own order stays as it was. */
static wr_status order_append(const struct wr_nvram *nv, uint16_t num, struct wr_err *err)
{
    uint16_t *order = NULL, *grown;
    size_t n = 0;
    wr_status st = wr_efivar_boot_order_get(nv, &order, &n, err);

    if (st != WR_OK)
        return st;
    grown = wr_realloc(order, (n + 1) * sizeof *order);
    if (!grown) {
        wr_free(order);
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory for BootOrder");
    }
    grown[n] = num;
    st = wr_efivar_boot_order_set(nv, grown, n + 1, err);
    wr_free(grown);
    return st;
}

static wr_status create_entry(const struct wr_nvram *nv, const struct wr_efivar_hd *hd,
                              uint16_t *num, struct wr_err *err)
{
    struct wr_efivar_loadopt opt;
    uint8_t *data = NULL;
    size_t len = 0;
    char name[16];
    wr_status st;

    st = wr_efivar_free_boot_number(nv, num, err);
    if (st == WR_OK)
        st = wr_efivar_windows_entry(hd, &opt, err);
    if (st != WR_OK)
        return st;
    st = wr_efivar_loadopt_encode(&opt, &data, &len, err);
    wr_efivar_loadopt_clear(&opt);
    if (st != WR_OK)
        return st;
    wr_efivar_boot_name(*num, name);
    st = wr_nvram_set(nv, name, &wr_efivar_global_guid, WR_EFIVAR_ATTR_NV_BS_RT, data, len, err);
    wr_free(data);
    if (st == WR_OK)
        st = order_append(nv, *num, err);
    if (st == WR_OK)
        con_printf("Created the firmware entry %s \"%s\" for %s.\n", name,
                   WR_EFIVAR_WINDOWS_DESC, WR_EFIVAR_BOOTMGFW_PATH);
    return st;
}

static wr_status set_boot_next(const struct app *app, const struct wr_boot_target *t,
                               struct wr_err *err)
{
    struct wr_nvram nv;
    struct wr_efivar_hd hd;
    struct find f = { 0 };
    uint8_t le[2];
    char name[16];
    wr_status st;

    wr_nvram_efi(&nv);
    target_hd(&app->machine, t, &hd);
    f.nv = &nv;
    f.hd = &hd;
    st = wr_nvram_list(&nv, visit, &f, err);
    if (st != WR_OK)
        return st;
    if (!f.found && (st = create_entry(&nv, &hd, &f.num, err)) != WR_OK)
        return st;
    wr_efivar_boot_name(f.num, name);
    le[0] = (uint8_t)f.num;
    le[1] = (uint8_t)(f.num >> 8);
    st = wr_nvram_set(&nv, "BootNext", &wr_efivar_global_guid, WR_EFIVAR_ATTR_NV_BS_RT, le, 2,
                      err);
    if (st == WR_OK)
        con_printf("BootNext is %s; restarting so the firmware starts Windows itself.\n", name);
    return st;
}

/* default @saved: the title of the entry booted last, in an NV variable of
 * our own (a stick may go round several PCs; each keeps its own choice). */
#define SAVED_VAR "WtgRescueLastBoot"
static const struct wr_guid saved_guid = { { 0xf2, 0xa8, 0xd1, 0xa4, 0x3c, 0x3b, 0x0e, 0x4e,
                                             0x9a, 0x4e, 0x77, 0x74, 0x67, 0x72, 0xe5, 0xc1 } };

void app_saved_load(struct app *app)
{
    struct wr_nvram nv;
    uint8_t *data = NULL;
    size_t len = 0;
    uint32_t attrs;

    if (app->conf.default_entry != WR_CONF_DEFAULT_SAVED)
        return;
    wr_nvram_efi(&nv);
    if (wr_nvram_get(&nv, SAVED_VAR, &saved_guid, &attrs, &data, &len, NULL) != WR_OK)
        return;
    if (len >= sizeof app->conf.saved_title)
        len = sizeof app->conf.saved_title - 1;
    memcpy(app->conf.saved_title, data, len);
    app->conf.saved_title[len] = '\0';
    wr_free(data);
}

static void saved_store(const struct app *app, const struct wr_boot_target *t)
{
    struct wr_nvram nv;
    struct wr_err err;

    if (app->conf.default_entry != WR_CONF_DEFAULT_SAVED)
        return;
    wr_nvram_efi(&nv);
    if (wr_nvram_set(&nv, SAVED_VAR, &saved_guid, WR_EFIVAR_ATTR_NV_BS_RT,
                     (const uint8_t *)t->title, strlen(t->title), &err) != WR_OK)
        con_printf("default @saved: the choice was not saved: %s\n", err.msg);
}

void app_boot_target(struct app *app, const struct wr_boot_target *t)
{
    char why[160];
    struct wr_err err;

    saved_store(app, t);
    if (wr_menu_boot_way(&app->machine, t, tpm_present(), why, sizeof why) ==
        WR_BOOT_CHAINLOAD) {
        con_printf("%s: started from here, because %s.\n", t->title, why);
        app_chainload(app, t);
        return;
    }
    con_printf("%s: started by the firmware, because %s.\n", t->title, why);
    if (set_boot_next(app, t, &err) != WR_OK) {
        /* Chain-loading now would cost the user their recovery key. */
        wr_format(app->message, sizeof app->message,
                  "Could not start %s through the firmware: %s.", t->title, err.msg);
        con_printf("%s\n", app->message);
        return;
    }
    uefi_call_wrapper(RT->ResetSystem, 4, EfiResetCold, EFI_SUCCESS, 0, NULL);
}
