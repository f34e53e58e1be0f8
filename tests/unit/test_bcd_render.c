/* Values, names, /enum layout and reference checks on stores built by hand. */
#include <string.h>

#include "check.h"
#include "bcd/check.h"
#include "bcd/elements.h"
#include "bcd/ids.h"
#include "bcd/render.h"
#include "bcd/value.h"
#include "base/fmt.h"

#define LOADER "{11111111-2222-3333-4444-555555555555}"
#define OTHER  "{66666666-7777-8888-9999-aaaaaaaaaaaa}"

static void put(struct wr_bcd_object *o, uint32_t code, const char *const *args, size_t n,
                const struct wr_bcd_store *s)
{
    struct wr_bcd_parse_ctx ctx = { wr_bcd_element_find(code, o->type), { 0 }, NULL, NULL };
    struct wr_bcd_value v;
    struct wr_err err = { 0 };
    uint8_t *data;
    size_t len;
    uint32_t rt;

    (void)s;
    if (wr_bcd_value_parse(code, args, n, &ctx, &v, &err) != WR_OK ||
        wr_bcd_value_encode(&v, &rt, &data, &len, &err) != WR_OK) {
        check_failed(__FILE__, __LINE__, "element %08x: %s", code, err.msg);
        return;
    }
    wr_bcd_object_put(o, code, rt, data, len, &err);
    wr_free(data);
    wr_bcd_value_clear(&v);
}

#define PUT(o, code, ...) do { const char *a_[] = { __VA_ARGS__ }; \
    put(o, code, a_, sizeof a_ / sizeof a_[0], &s); } while (0)

static struct wr_bcd_object *obj(struct wr_bcd_store *s, const char *key, uint32_t type)
{
    struct wr_bcd_object *o = NULL;
    struct wr_err err;

    wr_bcd_store_add_object(s, key, &o, &err);
    o->has_type = true;
    o->type = type;
    return o;
}

static void build(struct wr_bcd_store *sp)
{
    struct wr_bcd_store s;
    struct wr_bcd_object *bm, *ld;

    wr_bcd_store_init(&s);
    bm = obj(&s, "{9dea862c-5cdd-4e70-acc1-f32b344d4795}", WR_BCD_TYPE_BOOTMGR);
    PUT(bm, WR_BCD_E_TIMEOUT, "30");
    PUT(bm, WR_BCD_E_DISPLAYORDER, LOADER, OTHER);
    PUT(bm, WR_BCD_E_DEFAULT, LOADER);
    PUT(bm, WR_BCD_E_DESCRIPTION, "Windows Boot Manager");
    PUT(bm, WR_BCD_E_TOOLSDISPLAYORDER, "{b2721d73-1db4-4c62-bf78-c548a880142d}");
    PUT(bm, 0x26000028, "yes");      /* processcustomactionsfirst: 25 characters */
    ld = obj(&s, LOADER, WR_BCD_TYPE_OSLOADER);
    PUT(ld, 0x25000020, "OptIn");
    PUT(ld, 0x250000c2, "standard");
    PUT(ld, 0x17000077, "0x15000075");
    PUT(ld, 0x47000005, "301989892", "1");
    PUT(ld, 0x46000010, "on");
    PUT(ld, WR_BCD_E_INHERIT, "{6efb52bf-1766-41db-a6b3-0ee5eff72bd7}");
    PUT(ld, 0x21000001, "boot");
    PUT(ld, 0x250000e0, "7");
    PUT(ld, 0x25000021, "9");        /* pae out of its named range */
    *sp = s;
}

static const char expected_plain[] =
    "\n"
    "Windows Boot Manager\n"
    "--------------------\n"
    "identifier              {bootmgr}\n"
    "description             Windows Boot Manager\n"
    "default                 {default}\n"
    "displayorder            {default}\n"
    "                        " OTHER "\n"
    "toolsdisplayorder       {memdiag}\n"
    "timeout                 30\n"
    "processcustomactionsfirst Yes\n"
    "\n"
    "Windows Boot Loader\n"
    "-------------------\n"
    "identifier              {default}\n"
    "inherit                 {bootloadersettings}\n"
    "allowedinmemorysettings 0x15000075\n"
    "osdevice                boot\n"
    "nx                      OptIn\n"
    "pae                     9\n"
    "bootmenupolicy          Standard\n"
    "bootstatuspolicy        DisplayCheckpointFailures\n"
    "custom:46000010         Yes\n"
    "custom:47000005         301989892\n"
    "                        1\n";

static void enum_layout_and_aliases(void)
{
    struct wr_bcd_store s;
    struct wr_text t = { 0 };
    struct wr_bcd_render_opts opts = { 0 };
    struct wr_err err = { 0 };

    build(&s);
    CHECK_OK(wr_bcd_render_enum(&t, &s, "ALL", &opts, &err), &err);
    CHECK_STR(t.data, expected_plain);
    wr_text_free(&t);
    wr_bcd_store_free(&s);
}

static void verbose_prints_guids_everywhere(void)
{
    struct wr_bcd_store s;
    struct wr_text t = { 0 };
    struct wr_bcd_render_opts opts = { .verbose = true };
    struct wr_err err = { 0 };

    build(&s);
    CHECK_OK(wr_bcd_render_enum(&t, &s, NULL, &opts, &err), &err);
    CHECK(strstr(t.data, "identifier              {9dea862c-5cdd-4e70-acc1-f32b344d4795}\n"));
    CHECK(strstr(t.data, "identifier              " LOADER "\n"));
    CHECK(strstr(t.data, "toolsdisplayorder       {b2721d73-1db4-4c62-bf78-c548a880142d}\n"));
    CHECK(strstr(t.data, "{default}") == NULL);
    CHECK(strstr(t.data, "{bootloadersettings}") == NULL);
    wr_text_free(&t);
    wr_bcd_store_free(&s);
}

static void integers_read_1_to_8_bytes_and_write_8(void)
{
    static const uint8_t three[] = { 0x00, 0xc2, 0x01 };
    static const uint8_t nine[9] = { 1 };
    struct wr_bcd_value v;
    struct wr_err err = { 0 };
    uint8_t *data;
    size_t len;
    uint32_t rt;

    CHECK_OK(wr_bcd_value_decode(0x15000014, 3, three, 3, &v, &err), &err);
    CHECK(v.integer == 115200);
    CHECK_OK(wr_bcd_value_encode(&v, &rt, &data, &len, &err), &err);
    CHECK_INT(len, 8);
    CHECK_INT(rt, 3);
    CHECK(data[0] == 0x00 && data[1] == 0xc2 && data[2] == 0x01 && data[7] == 0);
    wr_free(data);
    CHECK(wr_bcd_value_decode(0x15000014, 3, nine, 9, &v, &err) == WR_E_CORRUPT);
    CHECK(strstr(err.msg, "15000014") != NULL);
    CHECK(wr_bcd_value_decode(0x15000014, 3, nine, 0, &v, &err) == WR_E_CORRUPT);
}

static void formats_check_registry_type_and_length(void)
{
    static const uint8_t two[2] = { 1, 0 };
    static const uint8_t odd[3] = { 'a', 0, 0 };
    struct wr_bcd_value v;
    struct wr_err err = { 0 };

    CHECK(wr_bcd_value_decode(0x16000009, 3, two, 2, &v, &err) == WR_E_CORRUPT);
    CHECK(strstr(err.msg, "boolean") != NULL);
    CHECK(wr_bcd_value_decode(0x12000004, 3, two, 2, &v, &err) == WR_E_CORRUPT);
    CHECK(strstr(err.msg, "registry type 3") != NULL);
    CHECK(wr_bcd_value_decode(0x12000004, 1, odd, 3, &v, &err) == WR_E_CORRUPT);
    CHECK(wr_bcd_value_decode(0x17000077, 3, two, 2, &v, &err) == WR_E_CORRUPT);
    CHECK(wr_bcd_value_decode(0x23000003, 1, two, 2, &v, &err) == WR_E_CORRUPT);
}

static void strings_stop_at_first_nul(void)
{
    /* "AB" NUL NUL, as firmware-synced paths are stored */
    static const uint8_t s2[] = { 'A', 0, 'B', 0, 0, 0, 0, 0 };
    struct wr_bcd_value v;
    struct wr_err err = { 0 };

    CHECK_OK(wr_bcd_value_decode(0x12000002, 1, s2, sizeof s2, &v, &err), &err);
    CHECK_STR(v.str, "AB");
    wr_bcd_value_clear(&v);
}

static void names_depend_on_object_type(void)
{
    char buf[16];
    uint32_t code;
    struct wr_err err = { 0 };

    CHECK_STR(wr_bcd_element_name(0x25000004, WR_BCD_TYPE_BOOTMGR, buf), "timeout");
    CHECK_STR(wr_bcd_element_name(0x25000004, WR_BCD_TYPE_MEMDIAG, buf), "testtofail");
    CHECK_STR(wr_bcd_element_name(0x22000002, WR_BCD_TYPE_OSLOADER, buf), "systemroot");
    CHECK_STR(wr_bcd_element_name(0x22000002, WR_BCD_TYPE_RESUME, buf), "filepath");
    CHECK_STR(wr_bcd_element_name(0x250000f3, 0x20200003, buf), "hypervisordebugtype");
    CHECK_STR(wr_bcd_element_name(0x21000026, WR_BCD_TYPE_RESUME, buf), "custom:21000026");
    CHECK_STR(wr_bcd_element_name(0x250000c2, WR_BCD_TYPE_INHERIT, buf), "custom:250000c2");
    CHECK_OK(wr_bcd_element_parse("NX", WR_BCD_TYPE_OSLOADER, &code, &err), &err);
    CHECK(code == 0x25000020);
    CHECK_OK(wr_bcd_element_parse("custom:54000001", WR_BCD_TYPE_BOOTMGR, &code, &err), &err);
    CHECK(code == 0x54000001);
    CHECK(wr_bcd_element_parse("portable", WR_BCD_TYPE_OSLOADER, &code, &err) ==
          WR_E_NOT_FOUND);
    CHECK(strstr(err.msg, "portable") != NULL);
    CHECK(wr_bcd_element_parse("nx", WR_BCD_TYPE_BOOTMGR, &code, &err) == WR_E_NOT_FOUND);
    CHECK(wr_bcd_element_parse("custom:5800000", WR_BCD_TYPE_BOOTMGR, &code, &err) != WR_OK);
    CHECK(wr_bcd_element_parse("custom:58000001", WR_BCD_TYPE_BOOTMGR, &code, &err) != WR_OK);
}

static void values_parse_like_bcdedit(void)
{
    struct wr_bcd_parse_ctx ctx = { wr_bcd_element_find(0x25000020, WR_BCD_TYPE_OSLOADER),
                                    { 0 }, NULL, NULL };
    struct wr_bcd_value v;
    struct wr_err err = { 0 };
    const char *bad[] = { "Sometimes" }, *hex[] = { "0x1e" }, *no[] = { "FALSE" };

    CHECK(wr_bcd_value_parse(0x25000020, bad, 1, &ctx, &v, &err) == WR_E_INVALID);
    CHECK(strstr(err.msg, "OptIn, OptOut, AlwaysOff, AlwaysOn") != NULL);
    ctx.def = NULL;
    CHECK_OK(wr_bcd_value_parse(0x25000004, hex, 1, &ctx, &v, &err), &err);
    CHECK(v.integer == 30);
    CHECK_OK(wr_bcd_value_parse(0x16000009, no, 1, &ctx, &v, &err), &err);
    CHECK(v.integer == 0);
    CHECK(wr_bcd_value_parse(0x16000009, bad, 1, &ctx, &v, &err) == WR_E_INVALID);
    CHECK(wr_bcd_value_parse(0x23000003, bad, 1, &ctx, &v, &err) != WR_OK);
    CHECK(wr_bcd_value_parse(0x25000004, hex, 0, &ctx, &v, &err) == WR_E_INVALID);
}

static void ids_and_aliases(void)
{
    struct wr_bcd_store s;
    struct wr_guid g, want;
    struct wr_err err = { 0 };

    build(&s);
    CHECK_OK(wr_bcd_resolve_id(&s, "{DEFAULT}", &g, &err), &err);
    wr_guid_parse(LOADER, &want, NULL);
    CHECK(wr_guid_equal(&g, &want));
    CHECK_OK(wr_bcd_resolve_id(&s, "{Legacy}", &g, &err), &err);
    CHECK_STR(wr_bcd_alias_of(&g), "{ntldr}");
    CHECK_OK(wr_bcd_resolve_id(&s, "{eventsettings}", &g, &err), &err);
    CHECK_STR(wr_bcd_alias_of(&g), "{dbgsettings}");
    CHECK(wr_bcd_resolve_id(&s, "{current}", &g, &err) == WR_E_UNSUPPORTED);
    CHECK(wr_bcd_resolve_id(&s, "bootmgr", &g, &err) == WR_E_INVALID);
    wr_bcd_store_free(&s);
}

struct found {
    char text[2048];
};

static void collect(void *arg, enum wr_bcd_severity sev, const char *msg)
{
    struct found *f = arg;
    size_t n = strlen(f->text);

    (void)sev;
    if (n + strlen(msg) + 2 < sizeof f->text) {
        memcpy(f->text + n, msg, strlen(msg));
        f->text[n + strlen(msg)] = '\n';
        f->text[n + strlen(msg) + 1] = '\0';
    }
}

static void reference_checks(void)
{
    struct wr_bcd_store s;
    struct wr_bcd_object *ld, *ot, *a, *b;
    struct wr_bcd_check_counts c;
    struct found f = { "" };

    build(&s);
    ld = &s.objects[1];
    CHECK(ld != NULL);
    PUT(ld, WR_BCD_E_OSL_RESUMEOBJECT, "{0aaaaaaa-0000-0000-0000-000000000000}");
    PUT(ld, WR_BCD_E_RECOVERYSEQUENCE, "{0bbbbbbb-0000-0000-0000-000000000000}");
    obj(&s, "{0ccccccc-0000-0000-0000-000000000000}", WR_BCD_TYPE_INHERIT);
    b = obj(&s, "{0ddddddd-0000-0000-0000-000000000000}", WR_BCD_TYPE_INHERIT);
    a = &s.objects[s.n_objects - 2];  /* adding an object moves the others */
    PUT(a, WR_BCD_E_INHERIT, "{0ddddddd-0000-0000-0000-000000000000}");
    PUT(b, WR_BCD_E_INHERIT, "{0ccccccc-0000-0000-0000-000000000000}");
    ot = &s.objects[0];
    wr_bcd_check(&s, collect, &f, &c);
    CHECK_MSG(strstr(f.text, "displayorder names " OTHER), "%s", f.text);
    CHECK(strstr(f.text, "toolsdisplayorder names {b2721d73"));
    CHECK(strstr(f.text, "inherit names {6efb52bf"));
    CHECK(strstr(f.text, "resumeobject names {0aaaaaaa"));
    CHECK(strstr(f.text, "recoverysequence names {0bbbbbbb"));
    CHECK(strstr(f.text, "inherit loop"));
    CHECK_INT(c.errors, 1);
    CHECK_INT(c.warnings, 5);
    /* a dangling default */
    PUT(ot, WR_BCD_E_DEFAULT, "{0eeeeeee-0000-0000-0000-000000000000}");
    f.text[0] = '\0';
    wr_bcd_check(&s, collect, &f, &c);
    CHECK(strstr(f.text, "default names {0eeeeeee"));
    wr_bcd_store_free(&s);
}

static void corrupt_element_is_reported_not_hidden(void)
{
    struct wr_bcd_store s;
    struct wr_text t = { 0 };
    struct wr_bcd_render_opts opts = { 0 };
    struct wr_err err = { 0 };
    static const uint8_t junk[20] = { 0 };
    struct wr_bcd_check_counts c;

    build(&s);
    wr_bcd_object_put(&s.objects[1], 0x11000001, 3, junk, sizeof junk, &err);
    CHECK_OK(wr_bcd_render_enum(&t, &s, "all", &opts, &err), &err);
    CHECK(strstr(t.data, "device                  <cannot decode: device: element is 20 "
                         "bytes"));
    wr_text_free(&t);
    wr_bcd_check(&s, NULL, NULL, &c);
    CHECK_INT(c.errors, 1);
    wr_bcd_store_free(&s);
}

/* Each group inherits from the next two: 2^60 paths, one walk each object. */
static void inherit_diamonds_are_checked_quickly(void)
{
    struct wr_bcd_store s;
    struct wr_bcd_check_counts c;
    char keys[62][40];

    wr_bcd_store_init(&s);
    for (int i = 0; i < 62; i++)
        wr_format(keys[i], sizeof keys[i], "{00000000-0000-4000-8000-%012d}", i);
    for (int i = 0; i < 62; i++)
        obj(&s, keys[i], WR_BCD_TYPE_INHERIT);
    for (int i = 0; i + 2 < 62; i++)
        PUT(&s.objects[i], WR_BCD_E_INHERIT, keys[i + 1], keys[i + 2]);
    wr_bcd_check(&s, NULL, NULL, &c);
    CHECK_INT(c.errors, 0);
    CHECK_INT(c.warnings, 0);
    PUT(&s.objects[61], WR_BCD_E_INHERIT, keys[0]);
    wr_bcd_check(&s, NULL, NULL, &c);
    CHECK_INT(c.errors, 1);
    wr_bcd_store_free(&s);
}

int main(void)
{
    RUN(enum_layout_and_aliases);
    RUN(verbose_prints_guids_everywhere);
    RUN(integers_read_1_to_8_bytes_and_write_8);
    RUN(formats_check_registry_type_and_length);
    RUN(strings_stop_at_first_nul);
    RUN(names_depend_on_object_type);
    RUN(values_parse_like_bcdedit);
    RUN(ids_and_aliases);
    RUN(reference_checks);
    RUN(corrupt_element_is_reported_not_hidden);
    RUN(inherit_diamonds_are_checked_quickly);
    return check_done();
}
