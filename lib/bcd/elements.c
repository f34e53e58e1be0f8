/* Picking the right name table for an element in a given object (bcd.md §2,
 * "Which element-name table applies"). */
#include "bcd/elements.h"
#include "bcd/elements_table.h"
#include "base/fmt.h"

struct table {
    const struct wr_bcd_element_def *defs;
    const size_t *len;
};

#define TABLE(name) { wr_bcd_tab_##name, &wr_bcd_tab_##name##_len }

static const struct table t_lib = TABLE(lib), t_allapp = TABLE(allapp),
    t_template = TABLE(template), t_device = TABLE(device);

/* By application type (bits 0-19 of the object type). */
static const struct table *app_table(uint32_t apptype)
{
    static const struct table t_bootmgr = TABLE(bootmgr), t_osloader = TABLE(osloader),
        t_resume = TABLE(resume), t_memdiag = TABLE(memdiag), t_legacy = TABLE(legacy),
        t_startup = TABLE(startup), t_bootapp = TABLE(bootapp);

    switch (apptype) {
    case 1: case 2: return &t_bootmgr;
    case 3: return &t_osloader;
    case 4: return &t_resume;
    case 5: return &t_memdiag;
    case 6: case 7: return &t_legacy;
    case 9: return &t_startup;
    case 10: return &t_bootapp;
    }
    return NULL;
}

/* The application-class table of an object: applications by their type,
 * and inherit objects of the "application objects" kind (0x2x2xxxxx). */
static const struct table *object_app_table(uint32_t objtype)
{
    unsigned cls = objtype >> 28, sub = (objtype >> 20) & 0xF;

    if (cls == 1 || (cls == 2 && sub == 2))
        return app_table(objtype & 0xFFFFF);
    return NULL;
}

static const struct wr_bcd_element_def *by_code(const struct table *t, uint32_t code)
{
    if (!t)
        return NULL;
    for (size_t i = 0; i < *t->len; i++)
        if (t->defs[i].code == code)
            return &t->defs[i];
    return NULL;
}

const struct wr_bcd_element_def *wr_bcd_element_find(uint32_t code, uint32_t objtype)
{
    const struct wr_bcd_element_def *d;

    switch (wr_bcd_code_class(code)) {
    case 1: return by_code(&t_lib, code);
    case 2:
        d = by_code(&t_allapp, code);
        return d ? d : by_code(object_app_table(objtype), code);
    case 3: return by_code(&t_device, code);
    case 4: return by_code(&t_template, code);
    }
    return NULL;
}

const char *wr_bcd_element_name(uint32_t code, uint32_t objtype, char buf[16])
{
    const struct wr_bcd_element_def *d = wr_bcd_element_find(code, objtype);

    if (d)
        return d->name;
    wr_format(buf, 16, "custom:%08x", code);
    return buf;
}

bool wr_bcd_eq_ci(const char *a, const char *b)
{
    for (;; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
        if (!x)
            return true;
    }
}

static const struct wr_bcd_element_def *by_name(const struct table *t, const char *name)
{
    if (!t)
        return NULL;
    for (size_t i = 0; i < *t->len; i++)
        if (wr_bcd_eq_ci(t->defs[i].name, name))
            return &t->defs[i];
    return NULL;
}

static wr_status parse_custom(const char *hex, uint32_t *code, struct wr_err *err)
{
    uint32_t v = 0;
    size_t n = strlen(hex);

    if (n != 8)
        return wr_fail(err, WR_E_INVALID, "custom:%s: expected 8 hex digits", hex);
    for (size_t i = 0; i < n; i++) {
        char c = hex[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return wr_fail(err, WR_E_INVALID, "custom:%s: '%c' is not a hex digit", hex, c);
        v = v << 4 | (uint32_t)d;
    }
    if (wr_bcd_code_format(v) < WR_BCD_FMT_DEVICE || wr_bcd_code_format(v) > WR_BCD_FMT_INTLIST)
        return wr_fail(err, WR_E_INVALID, "custom:%s: format nibble %u is not 1-7", hex,
                       wr_bcd_code_format(v));
    *code = v;
    return WR_OK;
}

wr_status wr_bcd_element_parse(const char *name, uint32_t objtype, uint32_t *code,
                               struct wr_err *err)
{
    const struct table *order[] = { &t_lib, object_app_table(objtype), &t_allapp,
                                    objtype >> 28 == 3 || (objtype >> 20) == 0x203
                                        ? &t_device : NULL,
                                    &t_template };

    if (strncmp(name, "custom:", 7) == 0 || strncmp(name, "CUSTOM:", 7) == 0)
        return parse_custom(name + 7, code, err);
    for (size_t i = 0; i < WR_ARRAY_LEN(order); i++) {
        const struct wr_bcd_element_def *d = by_name(order[i], name);
        if (d) {
            *code = d->code;
            return WR_OK;
        }
    }
    return wr_fail(err, WR_E_NOT_FOUND, "'%s' is not a valid element name for an object of "
                   "type 0x%08x (use custom:XXXXXXXX for an unnamed element)", name, objtype);
}

uint32_t wr_bcd_format_reg_type(unsigned format)
{
    static const uint32_t types[] = { 0, 3, 1, 1, 7, 3, 3, 3 };

    return format < WR_ARRAY_LEN(types) ? types[format] : 0;
}

const char *wr_bcd_format_name(unsigned format)
{
    static const char *const names[] = { NULL, "device", "string", "object", "object list",
                                         "integer", "boolean", "integer list" };

    return format >= 1 && format <= 7 ? names[format] : "unknown format";
}
