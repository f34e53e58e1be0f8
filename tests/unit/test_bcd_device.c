/* The device codec against blobs built by hand from bcd.md §5.3 (the worked
 * examples of the fixtures), byte by byte, independently of the encoder. */
#include <string.h>

#include "check.h"
#include "bcd/device.h"
#include "base/bytes.h"

struct blob {
    uint8_t b[512];
    size_t n;
};

static void u32(struct blob *x, uint32_t v) { wr_put_le32(x->b + x->n, v); x->n += 4; }
static void u64(struct blob *x, uint64_t v) { wr_put_le64(x->b + x->n, v); x->n += 8; }
static void zeros(struct blob *x, size_t n) { memset(x->b + x->n, 0, n); x->n += n; }
static void guid(struct blob *x, const char *text)
{
    struct wr_guid g;
    wr_guid_parse(text, &g, NULL);
    memcpy(x->b + x->n, g.b, 16);
    x->n += 16;
}
static void wstr(struct blob *x, const char *s)
{
    for (; *s; s++) { x->b[x->n++] = (uint8_t)*s; x->b[x->n++] = 0; }
    x->b[x->n++] = 0;
    x->b[x->n++] = 0;
}
static void hdr(struct blob *x, uint32_t type, uint32_t flags, uint32_t size)
{
    u32(x, type); u32(x, flags); u32(x, size); u32(x, 0);
}

#define DISK "{20ac3077-f7cd-4c47-95d5-53fbf8b752b5}"
#define PART "{85c434af-7860-49b3-85c3-b70316081b7b}"

static void gpt_part(struct blob *x, const char *disk, const char *part)
{
    hdr(x, 6, 0, 0x48);
    guid(x, part);
    u32(x, 0); u32(x, 0);
    guid(x, disk);
    zeros(x, 16);
}

/* decode, compare with encode, render, parse the rendering back. */
static bool round_trip(const struct blob *x, const char *text, struct wr_bcd_devval *dv)
{
    struct wr_err err = { 0 };
    uint8_t *enc = NULL;
    size_t len = 0;
    struct wr_text t = { 0 };
    struct wr_bcd_devval back;
    bool ok;

    if (wr_bcd_device_decode(x->b, x->n, dv, &err) != WR_OK) {
        check_failed(__FILE__, __LINE__, "decode: %s", err.msg);
        return false;
    }
    ok = wr_bcd_device_encode(dv, &enc, &len, &err) == WR_OK && len == x->n &&
         memcmp(enc, x->b, len) == 0;
    wr_free(enc);
    if (!ok) {
        check_failed(__FILE__, __LINE__, "encode(decode(x)) != x");
        return false;
    }
    wr_bcd_device_render(&t, dv, WR_BCD_TEXT_VERBOSE, NULL, NULL);
    if (!t.data || strcmp(t.data, text) != 0) {
        check_failed(__FILE__, __LINE__, "rendered \"%s\", expected \"%s\"",
                     t.data ? t.data : "", text);
        wr_text_free(&t);
        return false;
    }
    wr_text_free(&t);
    if (wr_bcd_device_parse(text, NULL, &back, &err) != WR_OK) {
        check_failed(__FILE__, __LINE__, "parse \"%s\": %s", text, err.msg);
        return false;
    }
    ok = wr_bcd_device_encode(&back, &enc, &len, &err) == WR_OK && len == x->n &&
         memcmp(enc, x->b, len) == 0;
    wr_free(enc);
    wr_bcd_device_clear(&back.dev);
    if (!ok)
        check_failed(__FILE__, __LINE__, "parse(render(x)) does not encode to x");
    return ok;
}

static void gpt_partition_example(void)
{
    struct blob x = { .n = 0 };
    struct wr_bcd_devval dv;

    zeros(&x, 16);
    gpt_part(&x, DISK, PART);
    CHECK_INT(x.n, 88);
    CHECK(round_trip(&x, "partition=gpt:" DISK "/" PART, &dv));
    CHECK_INT(dv.dev.kind, WR_BCD_DEV_PARTITION);
    CHECK_INT(dv.dev.style, WR_BCD_STYLE_GPT);
    wr_bcd_device_clear(&dv.dev);
}

static void mbr_partition_example(void)
{
    struct blob x = { .n = 0 };
    struct wr_bcd_devval dv;

    zeros(&x, 16);
    hdr(&x, 6, 0, 0x48);
    u64(&x, 0x1DD300000ull); zeros(&x, 8);
    u32(&x, 0); u32(&x, 1);
    u32(&x, 0x28CD42D6); zeros(&x, 12);
    zeros(&x, 16);
    CHECK(round_trip(&x, "partition=mbr:28cd42d6/0x1dd300000", &dv));
    CHECK(dv.dev.mbr_offset == 0x1DD300000ull);
    CHECK(dv.dev.mbr_signature == 0x28CD42D6u);
    wr_bcd_device_clear(&dv.dev);
}

static void boot_device(void)
{
    struct blob x = { .n = 0 };
    struct wr_bcd_devval dv;

    zeros(&x, 16);
    hdr(&x, 5, 0, 0x48);
    zeros(&x, 56);
    CHECK(round_trip(&x, "boot", &dv));
    CHECK_INT(dv.dev.kind, WR_BCD_DEV_BOOT);
}

#define WINRE_OPTS "{f22ea341-7a75-11ec-8c50-afef9983f4f2}"
#define WINRE_PART "{cb4a7264-8452-4d03-99d9-9453fc6124da}"
#define WINRE_DISK "{34f27b6c-bec4-489a-a47e-daeb82e04a9c}"

static void ramdisk_on_partition_example(void)
{
    struct blob x = { .n = 0 };
    struct wr_bcd_devval dv;

    guid(&x, WINRE_OPTS);
    hdr(&x, 0, 1, 0xB8);
    u32(&x, 3);
    zeros(&x, 20);
    u32(&x, 1); u32(&x, 0x90); u32(&x, 5);
    gpt_part(&x, WINRE_DISK, WINRE_PART);
    wstr(&x, "\\Recovery\\WindowsRE\\Winre.wim");
    CHECK_INT(x.n, 200);
    CHECK(round_trip(&x, "ramdisk=[gpt:" WINRE_DISK "/" WINRE_PART "]"
                     "\\Recovery\\WindowsRE\\Winre.wim," WINRE_OPTS, &dv));
    CHECK_INT(dv.dev.kind, WR_BCD_DEV_RAMDISK);
    CHECK_INT(dv.dev.flags, 1);
    CHECK_STR(dv.dev.path, "\\Recovery\\WindowsRE\\Winre.wim");
    CHECK_INT(dv.dev.parent->kind, WR_BCD_DEV_PARTITION);
    {
        struct wr_bcd_devval copy = { dv.options, { 0 } };
        struct wr_err err = { 0 };
        uint8_t *enc;
        size_t len;
        CHECK_OK(wr_bcd_device_copy(&copy.dev, &dv.dev, &err), &err);
        wr_bcd_device_clear(&dv.dev);   /* the copy owns its own path and parent */
        CHECK_OK(wr_bcd_device_encode(&copy, &enc, &len, &err), &err);
        CHECK(len == x.n && memcmp(enc, x.b, len) == 0);
        wr_free(enc);
        wr_bcd_device_clear(&copy.dev);
    }
}

static void ramdisk_on_boot_example(void)
{
    struct blob x = { .n = 0 };
    struct wr_bcd_devval dv;

    guid(&x, "{7619dcc8-fafe-11d9-b411-000476eba25f}");
    hdr(&x, 0, 1, 0xA8);
    u32(&x, 3);
    zeros(&x, 20);
    u32(&x, 1); u32(&x, 0x80); u32(&x, 5);
    hdr(&x, 5, 0, 0x48); zeros(&x, 56);
    wstr(&x, "\\x64\\sources\\boot.wim");
    CHECK_INT(x.n, 184);
    CHECK(round_trip(&x, "ramdisk=[boot]\\x64\\sources\\boot.wim,"
                     "{7619dcc8-fafe-11d9-b411-000476eba25f}", &dv));
    wr_bcd_device_clear(&dv.dev);
}

static void locate_without_parent_example(void)
{
    struct blob x = { .n = 0 };
    struct wr_bcd_devval dv;

    zeros(&x, 16);
    hdr(&x, 8, 0, 0x1E);
    u32(&x, 0); u32(&x, 0x22000002); u32(&x, 0);
    x.b[x.n++] = 0; x.b[x.n++] = 0;
    CHECK_INT(x.n, 46);
    CHECK(round_trip(&x, "locate=custom:22000002", &dv));
    CHECK(dv.dev.locate_element == 0x22000002u);
    CHECK(dv.dev.parent == NULL);
    wr_bcd_device_clear(&dv.dev);
}

/* optiplex7050: an MBR partition inside a VHD whose file is on a GPT partition. */
static void vhd_partition_example(void)
{
    struct blob x = { .n = 0 };
    struct wr_bcd_devval dv;

    zeros(&x, 16);
    hdr(&x, 6, 0, 0xBC);
    u64(&x, 0x100000); zeros(&x, 8);
    u32(&x, 6); u32(&x, 1);
    u32(&x, 0xa3f1d6df); zeros(&x, 12);
    hdr(&x, 0, 0, 0x84);
    u32(&x, 5);
    u32(&x, 1); u32(&x, 0x70); u32(&x, 5);
    gpt_part(&x, DISK, PART);
    wstr(&x, "\\1809.402.vhd");
    CHECK_INT(x.n, 204);
    CHECK(round_trip(&x, "vhd=[gpt:" DISK "/" PART "]\\1809.402.vhd,"
                     "partition=mbr:a3f1d6df/0x100000", &dv));
    CHECK_INT(dv.dev.disk_class, WR_BCD_DISK_VIRTUAL);
    CHECK_INT(dv.dev.parent->kind, WR_BCD_DEV_FILE);
    wr_bcd_device_clear(&dv.dev);
}

static void vhd_locate_form(void)
{
    struct wr_bcd_devval dv, back;
    struct wr_err err = { 0 };
    uint8_t *enc;
    size_t len;

    CHECK_OK(wr_bcd_device_parse("vhd=[boot]\\win.vhdx,locate=custom:12000002", NULL, &dv,
                                 &err), &err);
    CHECK_INT(dv.dev.kind, WR_BCD_DEV_LOCATE);
    CHECK_INT(dv.dev.parent->kind, WR_BCD_DEV_VDISK);
    CHECK_OK(wr_bcd_device_encode(&dv, &enc, &len, &err), &err);
    CHECK_OK(wr_bcd_device_decode(enc, len, &back, &err), &err);
    CHECK_INT(back.dev.parent->parent->kind, WR_BCD_DEV_FILE);
    CHECK_STR(back.dev.parent->parent->path, "\\win.vhdx");
    wr_free(enc);
    wr_bcd_device_clear(&dv.dev);
    wr_bcd_device_clear(&back.dev);
}

static void compat_prints_unknown(void)
{
    struct blob x = { .n = 0 };
    struct wr_bcd_devval dv;
    struct wr_err err = { 0 };
    struct wr_text t = { 0 };

    zeros(&x, 16);
    gpt_part(&x, DISK, PART);
    CHECK_OK(wr_bcd_device_decode(x.b, x.n, &dv, &err), &err);
    wr_bcd_device_render(&t, &dv, WR_BCD_TEXT_COMPAT, NULL, NULL);
    CHECK_STR(t.data, "unknown");
    wr_text_free(&t);
}

static void expect_fail(const struct blob *x, wr_status want, const char *needle)
{
    struct wr_bcd_devval dv;
    struct wr_err err = { 0 };
    wr_status st = wr_bcd_device_decode(x->b, x->n, &dv, &err);

    CHECK_MSG(st == want, "status %d, expected %d (%s)", st, want, err.msg);
    CHECK_MSG(strstr(err.msg, needle) != NULL, "message \"%s\" lacks \"%s\"", err.msg, needle);
}

static void bad_blobs_are_refused(void)
{
    struct blob x = { .n = 0 };

    zeros(&x, 16);
    gpt_part(&x, DISK, PART);
    x.n -= 1;                       /* truncated */
    expect_fail(&x, WR_E_CORRUPT, "descriptor says");
    x.n += 1;
    x.b[16 + 12] = 1;               /* reserved */
    expect_fail(&x, WR_E_UNSUPPORTED, "reserved");
    x.b[16 + 12] = 0;
    x.b[16] = 7;                    /* device type */
    expect_fail(&x, WR_E_UNSUPPORTED, "device type 7");
    x.b[16] = 6;
    x.b[16 + 0x24] = 2;             /* partition style raw */
    expect_fail(&x, WR_E_UNSUPPORTED, "style 2");
    x.b[16 + 0x24] = 0;
    x.b[16 + 0x40] = 1;             /* padding */
    expect_fail(&x, WR_E_UNSUPPORTED, "padding");
    x.n = 10;
    expect_fail(&x, WR_E_CORRUPT, "too short");
}

static void bad_file_paths_are_refused(void)
{
    struct blob x = { .n = 0 };

    zeros(&x, 16);
    hdr(&x, 0, 0, 0x14 + 12 + 0x48 + 6);
    u32(&x, 5);
    u32(&x, 1); u32(&x, 12 + 0x48 + 6); u32(&x, 5);
    hdr(&x, 5, 0, 0x48); zeros(&x, 56);
    x.b[x.n++] = 'a'; x.b[x.n++] = 0;
    x.b[x.n++] = 'b'; x.b[x.n++] = 0;
    x.b[x.n++] = 'c'; x.b[x.n++] = 0;       /* no terminator */
    expect_fail(&x, WR_E_CORRUPT, "no NUL");
    x.b[x.n - 2] = 0;                       /* "ab\0" */
    wr_put_le32(x.b + 16 + 0x14 + 4, 99);   /* file path length */
    expect_fail(&x, WR_E_CORRUPT, "says 99 bytes");
}

static void nesting_is_bounded(void)
{
    /* file on a file on a file ... deeper than the limit */
    static struct blob x;
    size_t levels = WR_BCD_DEVICE_MAX_DEPTH + 3, base = 16;
    size_t inner = 0x48, size[16];

    x.n = 0;
    zeros(&x, 16);
    for (size_t i = levels; i-- > 0;) {
        size[i] = (i == levels - 1) ? inner : 0x14 + 12 + size[i + 1] + 2;
    }
    for (size_t i = 0; i < levels - 1; i++) {
        hdr(&x, 0, 0, (uint32_t)size[i]);
        u32(&x, 5);
        u32(&x, 1); u32(&x, (uint32_t)(12 + size[i + 1] + 2)); u32(&x, 5);
    }
    hdr(&x, 5, 0, 0x48); zeros(&x, 56);
    for (size_t i = 0; i < levels - 1; i++) {
        x.b[x.n++] = 0; x.b[x.n++] = 0;
    }
    CHECK_INT(x.n, base + size[0]);
    expect_fail(&x, WR_E_TOO_BIG, "nested deeper");
}

static void bad_text_is_refused(void)
{
    static const char *const bad[] = {
        "partition=C:", "partition=gpt:{x}/{y}", "partition=mbr:zz/0x100000",
        "partition=mbr:1234/0x101", "ramdisk=[boot]\\boot.wim", "file=boot\\x",
        "file=[boot]", "locate=custom:xyz", "floppy", "vhd=[boot]noslash",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct wr_bcd_devval dv;
        struct wr_err err = { 0 };
        CHECK_MSG(wr_bcd_device_parse(bad[i], NULL, &dv, &err) != WR_OK,
                  "'%s' was accepted", bad[i]);
        CHECK_MSG(err.msg[0] != '\0', "'%s': no message", bad[i]);
    }
}

static wr_status resolver(void *arg, const char *spec, struct wr_bcd_device *out,
                          struct wr_err *err)
{
    (void)arg;
    if (strcmp(spec, "disk.img:3") != 0)
        return wr_fail(err, WR_E_NOT_FOUND, "%s: no such partition", spec);
    out->kind = WR_BCD_DEV_PARTITION;
    out->style = WR_BCD_STYLE_MBR;
    out->mbr_signature = 0x1234;
    out->mbr_offset = 0x200000;
    return WR_OK;
}

static void resolver_handles_other_specs(void)
{
    struct wr_bcd_device_parse_opts o = { .resolve = resolver };
    struct wr_bcd_devval dv;
    struct wr_err err = { 0 };
    struct wr_text t = { 0 };

    /* without an id resolver only GUIDs name the options object */
    CHECK(wr_bcd_device_parse("ramdisk=[disk.img:3]\\boot.wim,{ramdiskoptions}", &o, &dv,
                              &err) == WR_E_INVALID);
    CHECK_OK(wr_bcd_device_parse("file=[disk.img:3]\\a.vhd", &o, &dv, &err), &err);
    wr_bcd_device_render(&t, &dv, 0, NULL, NULL);
    CHECK_STR(t.data, "file=[mbr:00001234/0x200000]\\a.vhd");
    wr_text_free(&t);
    wr_bcd_device_clear(&dv.dev);
    CHECK(wr_bcd_device_parse("partition=/dev/nope", &o, &dv, &err) == WR_E_NOT_FOUND);
    CHECK(strstr(err.msg, "/dev/nope") != NULL);
}

int main(void)
{
    RUN(gpt_partition_example);
    RUN(mbr_partition_example);
    RUN(boot_device);
    RUN(ramdisk_on_partition_example);
    RUN(ramdisk_on_boot_example);
    RUN(locate_without_parent_example);
    RUN(vhd_partition_example);
    RUN(vhd_locate_form);
    RUN(compat_prints_unknown);
    RUN(bad_blobs_are_refused);
    RUN(bad_file_paths_are_refused);
    RUN(nesting_is_bounded);
    RUN(bad_text_is_refused);
    RUN(resolver_handles_other_specs);
    return check_done();
}
