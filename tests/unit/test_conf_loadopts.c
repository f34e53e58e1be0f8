/* wtg-rescue.conf settings in LoadOptions (network boot): UTF-16 or ASCII,
 * ';' between settings, the image's own name left out, binary optional
 * data ignored rather than parsed. */
#include <string.h>

#include "check.h"
#include "conf/conf.h"
#include "conf/loadopts.h"

/* s as UTF-16LE with its NUL, as firmware and iPXE hand it over. */
static size_t wide(const char *s, uint8_t *out)
{
    size_t n = strlen(s);

    for (size_t i = 0; i <= n; i++) {
        out[2 * i] = (uint8_t)s[i];
        out[2 * i + 1] = 0;
    }
    return 2 * (n + 1);
}

static void ipxe_command_line_gives_settings(void)
{
    uint8_t buf[256];
    struct wr_text t = { 0 };
    struct wr_conf c;
    struct wr_err err;
    size_t n = wide("wtg-rescue.efi mode repair;timeout 0", buf);

    CHECK(wr_conf_load_options_text(buf, n, &t));
    CHECK(t.data != NULL);
    CHECK_STR(t.data, "mode repair\ntimeout 0");
    wr_conf_init(&c);
    CHECK_OK(wr_conf_parse(&c, t.data, t.len, &err), &err);
    CHECK_INT(c.mode, WR_CONF_MODE_REPAIR);
    CHECK_INT(c.timeout, 0);
    CHECK_INT(c.warning_count, 0);
    wr_conf_free(&c);
    wr_text_free(&t);
}

static void ascii_without_image_name(void)
{
    const char *s = "mode diagnose";
    struct wr_text t = { 0 };

    CHECK(wr_conf_load_options_text((const uint8_t *)s, strlen(s), &t));
    CHECK_STR(t.data, "mode diagnose");
    wr_text_free(&t);
}

static void only_the_image_name_is_no_settings(void)
{
    uint8_t buf[64];
    struct wr_text t = { 0 };
    size_t n = wide("WTG-RESCUE.EFI", buf);

    CHECK(wr_conf_load_options_text(buf, n, &t));
    CHECK(t.len == 0);
    CHECK(wr_conf_load_options_text(buf, 0, &t));
    CHECK(t.len == 0);
    wr_text_free(&t);
}

static void stops_at_the_nul(void)
{
    uint8_t buf[64];
    struct wr_text t = { 0 };
    size_t n = wide("mode menu", buf);

    /* Anything after the string (Windows-style blobs) is not read. */
    memset(buf + n, 0xff, 8);
    CHECK(wr_conf_load_options_text(buf, n + 8, &t));
    CHECK_STR(t.data, "mode menu");
    wr_text_free(&t);
}

static void binary_optional_data_is_not_text(void)
{
    /* OVMF's marker GUID on the Boot#### entries it creates. */
    static const uint8_t guid[16] = { 0xe8, 0x6c, 0x70, 0x8c, 0x4f, 0x06, 0x37, 0x49,
                                      0x86, 0x1c, 0x6b, 0x3e, 0x2d, 0xd3, 0x4e, 0xc1 };
    uint8_t w[8] = { 'm', 0, 0xe9, 0, 'x', 0, 0, 0 }; /* "m\u00e9x" */
    struct wr_text t = { 0 };

    CHECK(!wr_conf_load_options_text(guid, sizeof guid, &t));
    CHECK(t.len == 0);
    CHECK(!wr_conf_load_options_text(w, sizeof w, &t));
    CHECK(!wr_conf_load_options_text((const uint8_t *)"mode\x1b[2J", 8, &t));
}

int main(void)
{
    RUN(ipxe_command_line_gives_settings);
    RUN(ascii_without_image_name);
    RUN(only_the_image_name_is_no_settings);
    RUN(stops_at_the_nul);
    RUN(binary_optional_data_is_not_text);
    return check_done();
}
