/* Loads wtg-rescue.conf from the partition the app was started from, or
 * on network boot the settings the network gives (netboot.c). A missing
 * file is normal (defaults apply); any other trouble is a warning. */
#include <efi.h>
#include <efilib.h>

#include "engine.h"
#include "glue/sfs_volume.h"
#include "screens.h"

void app_load_conf(struct app *app)
{
    struct wr_sfs_volume vol;
    struct wr_err err;
    uint8_t *data = NULL;
    size_t len = 0;
    wr_status st;

    wr_conf_init(&app->conf);
    if (app_is_netboot(app)) {
        app_load_net_conf(app);
        return;
    }
    if (wr_sfs_volume_open(&vol, app->self->DeviceHandle, "the stick", &err) != WR_OK)
        return;
    st = wr_volume_read_file(&vol.vol, WR_CONF_PATH, WR_CONF_MAX_BYTES, &data, &len, &err);
    wr_sfs_volume_close(&vol);
    if (st == WR_E_NOT_FOUND)
        return;
    if (st != WR_OK) {
        con_printf("wtg-rescue.conf: %s; using the defaults\n", err.msg);
        return;
    }
    if (wr_conf_parse(&app->conf, (const char *)data, len, &err) != WR_OK)
        con_printf("%s\n", err.msg);
    wr_free(data);
}
