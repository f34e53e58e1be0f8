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
    /* An odd length after the NUL changes nothing. */
    CHECK(wr_conf_load_options_text(buf, n + 7, &t));
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

/* One non-ASCII character makes UTF-16 not text (ignored with the usual
 * warning), never 8-bit text cut at the first NUL ("m"). U+2019 has a
 * non-zero high byte, which once sent the whole line down the 8-bit path. */
static void utf16_with_non_ascii_is_still_utf16(void)
{
    static const char line[] = "mode repair;timeout 0 # it's";
    uint8_t buf[128];
    struct wr_text t = { 0 };
    size_t n = wide(line, buf), q = 2 * (size_t)(strchr(line, '\'') - line);

    buf[q] = 0x19, buf[q + 1] = 0x20; /* U+2019 */
    CHECK(!wr_conf_load_options_text(buf, n, &t));
    CHECK(t.len == 0);
    n = wide("mode repair # cafe", buf);
    buf[n - 4] = 0xe9; /* the last 'e' becomes U+00E9 */
    CHECK(!wr_conf_load_options_text(buf, n, &t));
    CHECK(t.len == 0);
    /* The same line without them is read whole. */
    n = wide("mode repair;timeout 0 # its", buf);
    CHECK(wr_conf_load_options_text(buf, n, &t));
    CHECK_STR(t.data, "mode repair\ntimeout 0 # its");
    wr_text_free(&t);
}

/* ASCII with its NUL (odd or even length) is still read as 8-bit: its
 * last unit may have a zero high byte, the rest do not. */
static void ascii_with_a_nul_is_ascii(void)
{
    struct wr_text t = { 0 };

    CHECK(wr_conf_load_options_text((const uint8_t *)"timeout 5", 10, &t));
    CHECK_STR(t.data, "timeout 5");
    CHECK(wr_conf_load_options_text((const uint8_t *)"mode repair", 12, &t));
    CHECK_STR(t.data, "mode repair");
    CHECK(wr_conf_load_options_text((const uint8_t *)"mode menu", 9, &t));
    CHECK_STR(t.data, "mode menu");
    wr_text_free(&t);
}

int main(void)
{
    RUN(ipxe_command_line_gives_settings);
    RUN(ascii_without_image_name);
    RUN(only_the_image_name_is_no_settings);
    RUN(stops_at_the_nul);
    RUN(binary_optional_data_is_not_text);
    RUN(utf16_with_non_ascii_is_still_utf16);
    RUN(ascii_with_a_nul_is_ascii);
    return check_done();
}
