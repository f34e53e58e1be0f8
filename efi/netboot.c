/* Network boot (UEFI PXE/TFTP or HTTP): the app was loaded from a NIC, so
 * there is no stick for backups and no config beside it. By default it
 * runs read-only: before the menu it diagnoses every disk and shows the
 * findings; Repair refuses. Settings can come from the boot server (a
 * wtg-rescue.conf next to the app) and from LoadOptions (an iPXE `chain`
 * command line, a Boot#### entry's optional data); only `mode repair` in
 * them lets the app write, with backups and reports on the host's ESP
 * under \EFI\wtg-rescue\ (engine_glue.c). */
#include <efi.h>
#include <efilib.h>

#include "base/fmt.h"
#include "conf/loadopts.h"
#include "engine.h"
#include "screens.h"

#define CONF_NAME "wtg-rescue.conf"
#define SHOWN_MAX 72 /* characters of LoadOptions echoed on screen */

/* The first node of our device path with this messaging subtype. */
static EFI_DEVICE_PATH *find_node(const struct app *app, UINT8 subtype)
{
    EFI_DEVICE_PATH *p = NULL;

    if (uefi_call_wrapper(BS->HandleProtocol, 3, app->self->DeviceHandle, &DevicePathProtocol,
                          (void **)&p) != EFI_SUCCESS || !p)
        return NULL;
    for (; !IsDevicePathEnd(p); p = NextDevicePathNode(p))
        if (DevicePathType(p) == MESSAGING_DEVICE_PATH && DevicePathSubType(p) == subtype)
            return p;
    return NULL;
}

/* A MAC, IPv4, IPv6 or URI node in the path we were loaded from. iPXE
 * hands over a handle with a SimpleFileSystem (and a BlockIo) of its own,
 * so the protocols alone do not tell a NIC from a stick. */
BOOLEAN app_is_netboot(const struct app *app)
{
    EFI_DEVICE_PATH *p = NULL;

    if (uefi_call_wrapper(BS->HandleProtocol, 3, app->self->DeviceHandle, &DevicePathProtocol,
                          (void **)&p) != EFI_SUCCESS || !p)
        return FALSE;
    for (; !IsDevicePathEnd(p); p = NextDevicePathNode(p))
        if (DevicePathType(p) == MESSAGING_DEVICE_PATH &&
            (DevicePathSubType(p) == MSG_MAC_ADDR_DP || DevicePathSubType(p) == MSG_IPv4_DP ||
             DevicePathSubType(p) == MSG_IPv6_DP || DevicePathSubType(p) == MSG_URI_DP))
            return TRUE;
    return FALSE;
}

BOOLEAN app_net_writes(const struct app *app)
{
    return app_is_netboot(app) && app->conf.mode == WR_CONF_MODE_REPAIR;
}

/* name with its last path component replaced by CONF_NAME. */
static void beside(const char *name, char *out, size_t size)
{
    size_t dir = 0;

    for (size_t i = 0; name[i]; i++)
        if (name[i] == '/' || name[i] == '\\')
            dir = i + 1;
    wr_format(out, size, "%.*s%s", (int)dir, name, CONF_NAME);
}

/* Where the conf is: beside the URI we were loaded from (iPXE passes a
 * URI node and takes a URI as the TFTP "file name"), else beside the boot
 * file the DHCP answer named (the firmware's own PXE). */
static BOOLEAN conf_location(const struct app *app, const EFI_PXE_BASE_CODE_MODE *mode,
                             EFI_IP_ADDRESS *ip, char *name, size_t size)
{
    EFI_DEVICE_PATH *uri = find_node(app, MSG_URI_DP);
    const EFI_PXE_BASE_CODE_DHCPV4_PACKET *ack = &mode->DhcpAck.Dhcpv4;
    char file[256];
    size_t n;

    memset(ip, 0, sizeof *ip);
    if (mode->DhcpAckReceived)
        memcpy(ip->v4.Addr, ack->BootpSiAddr, 4);
    if (uri && (n = DevicePathNodeLength(uri)) > 4 && n - 4 < sizeof file) {
        memcpy(file, (const UINT8 *)uri + 4, n - 4);
        file[n - 4] = '\0';
    } else if (mode->DhcpAckReceived && ack->BootpBootFile[0]) {
        wr_format(file, sizeof file, "%.*s", (int)sizeof ack->BootpBootFile,
                  (const char *)ack->BootpBootFile);
    } else {
        return FALSE;
    }
    beside(file, name, size);
    return TRUE;
}

/* For messages: the URI as is, else tftp://<server>/<name>. */
static void shown_name(const EFI_IP_ADDRESS *ip, const char *name, char *out, size_t size)
{
    BOOLEAN uri = FALSE;

    for (size_t i = 0; name[i] && name[i + 1] && name[i + 2]; i++)
        if (name[i] == ':' && name[i + 1] == '/' && name[i + 2] == '/')
            uri = TRUE;
    if (uri)
        wr_format(out, size, "%s", name);
    else
        wr_format(out, size, "tftp://%u.%u.%u.%u/%s", ip->v4.Addr[0], ip->v4.Addr[1],
                  ip->v4.Addr[2], ip->v4.Addr[3], name);
}

/* The server's wtg-rescue.conf through the PXE base code on our device
 * handle (iPXE installs one for the images it starts, the firmware's PXE
 * has its own), parsed into app->conf. */
static void server_conf(struct app *app)
{
    EFI_PXE_BASE_CODE *pxe = NULL;
    EFI_IP_ADDRESS ip;
    char name[300], shown[340];
    UINT64 size = WR_CONF_MAX_BYTES;
    char *buf;
    EFI_STATUS st;
    struct wr_err err;

    if (uefi_call_wrapper(BS->HandleProtocol, 3, app->self->DeviceHandle,
                          &PxeBaseCodeProtocol, (void **)&pxe) != EFI_SUCCESS || !pxe) {
        con_puts("No settings from the server: no PXE base code to read wtg-rescue.conf "
                 "with.\n");
        return;
    }
    if (!pxe->Mode->Started)
        uefi_call_wrapper(pxe->Start, 2, pxe, FALSE);
    if (!conf_location(app, pxe->Mode, &ip, name, sizeof name)) {
        con_puts("No settings from the server: the boot file's name is not known.\n");
        return;
    }
    /* One byte more than a conf may have, zeroed: iPXE does not report the
     * size it read, and a conf holds no NUL, so the text ends at the first. */
    buf = wr_alloc(WR_CONF_MAX_BYTES + 1);
    if (!buf)
        return;
    st = uefi_call_wrapper(pxe->Mtftp, 10, pxe, EFI_PXE_BASE_CODE_TFTP_READ_FILE, buf, FALSE,
                           &size, NULL, &ip, (UINT8 *)name, NULL, FALSE);
    shown_name(&ip, name, shown, sizeof shown);
    if (st == EFI_SUCCESS) {
        con_printf("Settings from the server: %s\n", shown);
        if (wr_conf_parse(&app->conf, buf, strlen(buf), &err) != WR_OK)
            con_printf("%s\n", err.msg);
    } else if (st == EFI_NOT_FOUND || st == EFI_TFTP_ERROR) {
        con_printf("No settings from the server: %s is not there.\n", shown);
    } else if (st == EFI_BUFFER_TOO_SMALL) {
        con_printf("No settings from the server: %s is larger than %u bytes.\n", shown,
                   (unsigned)WR_CONF_MAX_BYTES);
    } else {
        con_printf("No settings from the server: %s could not be read (EFI status 0x%llx).\n",
                   shown, (unsigned long long)st);
    }
    wr_free(buf);
}

/* LoadOptions as settings, on top of the server's. */
static void load_options_conf(struct app *app)
{
    struct wr_text t = { 0 };
    struct wr_err err;
    char shown[SHOWN_MAX + 4];
    size_t k = 0;

    if (!app->self->LoadOptions || !app->self->LoadOptionsSize)
        return;
    if (!wr_conf_load_options_text(app->self->LoadOptions, app->self->LoadOptionsSize, &t)) {
        con_puts("LoadOptions are not text: ignored.\n");
        return;
    }
    if (t.len) {
        /* One line on screen however many settings it holds. */
        for (size_t i = 0; i < t.len && k < SHOWN_MAX; i++)
            shown[k++] = t.data[i] == '\n' ? ';' : t.data[i] == '\r' ? ' ' : t.data[i];
        shown[k] = '\0';
        con_printf("Settings from LoadOptions: %s%s\n", shown, t.len > SHOWN_MAX ? "..." : "");
        if (wr_conf_parse(&app->conf, t.data, t.len, &err) != WR_OK)
            con_printf("%s\n", err.msg);
    }
    wr_text_free(&t);
}

void app_load_net_conf(struct app *app)
{
    server_conf(app);
    load_options_conf(app);
}

void app_netboot_diagnose(struct app *app)
{
    char uuid[40];

    if (!app_net_writes(app)) {
        con_puts("Started over the network: read-only, nothing will be written.\n");
        app_rescue_run(app, APP_RESCUE_DIAGNOSE, NULL);
        return;
    }
    app_smbios_uuid(uuid);
    con_printf("Started over the network with mode repair: backups and reports go to the "
               "host's ESP under \\EFI\\wtg-rescue\\, machine %s\n",
               uuid[0] ? uuid : "no-smbios-uuid");
    app_rescue_run(app, APP_RESCUE_REPAIR_UNATTENDED, uuid[0] ? uuid : "no-smbios-uuid");
    con_puts("Unattended run finished.\n");
}
