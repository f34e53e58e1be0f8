/* --json: the whole store as one JSON document. Values carry both our text
 * rendering (lists as arrays) and the raw bytes, so a consumer never needs
 * to know the element tables. */
#include <stdio.h>
#include <string.h>

#include "bcdtool.h"
#include "bcd/elements.h"
#include "bcd/ids.h"
#include "bcd/render.h"
#include "bcd/value.h"

static void put_str(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

static void put_hex(const uint8_t *d, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n; i++)
        printf("%02x", d[i]);
    putchar('"');
}

/* Our /v rendering, split into its lines (list entries). */
static void put_value_lines(const struct wr_bcd_value *v, const struct wr_bcd_element_def *def)
{
    struct wr_text t = { 0 };
    struct wr_bcd_value_style style = { WR_BCD_TEXT_VERBOSE, NULL, NULL, NULL, NULL };
    bool list = v->format == WR_BCD_FMT_OBJLIST || v->format == WR_BCD_FMT_INTLIST;
    char *line, *next;

    wr_bcd_value_render(&t, v, def, "", &style);
    if (!t.data) {
        fputs("null", stdout);
        return;
    }
    if (list)
        putchar('[');
    for (line = t.data; *line; line = next) {
        next = strchr(line, '\n');
        *next++ = '\0';
        if (line != t.data)
            putchar(',');
        put_str(line);
        if (!list)
            break;
    }
    if (list)
        putchar(']');
    wr_text_free(&t);
}

static void put_element(const struct wr_bcd_object *o, const struct wr_bcd_element *e)
{
    uint32_t type = o->has_type ? o->type : 0;
    const struct wr_bcd_element_def *def = wr_bcd_element_find(e->code, type);
    char namebuf[16];
    struct wr_bcd_value v;
    struct wr_err err = { 0 };

    printf("{\"code\":\"%08x\",\"name\":", e->code);
    put_str(wr_bcd_element_name(e->code, type, namebuf));
    printf(",\"format\":\"%s\",\"reg_type\":%u,", wr_bcd_format_name(wr_bcd_code_format(e->code)),
           e->reg_type);
    if (wr_bcd_value_decode(e->code, e->reg_type, e->data, e->len, &v, &err) == WR_OK) {
        fputs("\"value\":", stdout);
        put_value_lines(&v, def);
        wr_bcd_value_clear(&v);
    } else {
        fputs("\"error\":", stdout);
        put_str(err.msg);
    }
    fputs(",\"raw\":", stdout);
    put_hex(e->data, e->len);
    putchar('}');
}

/* Every value of a Description key (Type, FirmwareVariable, KeyName, ...),
 * raw, so the dump loses nothing the model does not carry. */
static void put_values(const struct wr_regf_hive *h, const char *path)
{
    wr_regf_node key;
    size_t n = 0;
    bool first = true;

    fputs("{", stdout);
    if (wr_regf_lookup(h, wr_regf_root(h), path, &key, NULL) == WR_OK &&
        wr_regf_value_count(h, key, &n, NULL) == WR_OK) {
        for (size_t i = 0; i < n; i++) {
            wr_regf_value v;
            char *name = NULL;
            uint8_t *data = NULL;
            size_t len = 0;
            uint32_t type = 0;
            if (wr_regf_value_at(h, key, i, &v, NULL) != WR_OK ||
                wr_regf_value_name(h, v, &name, NULL) != WR_OK)
                continue;
            if (wr_regf_value_data(h, v, &type, &data, &len, NULL) == WR_OK) {
                printf("%s", first ? "" : ",");
                first = false;
                put_str(name);
                printf(":{\"type\":%u,\"raw\":", type);
                put_hex(data, len);
                putchar('}');
            }
            wr_free(name);
            wr_free(data);
        }
    }
    fputs("}", stdout);
}

static void put_object(const struct wr_regf_hive *h, const struct wr_bcd_store *s,
                       const struct wr_bcd_object *o)
{
    char path[600];

    char hbuf[48];
    const char *alias = o->has_guid ? wr_bcd_alias_of(&o->guid) : NULL;
    struct wr_guid def;

    fputs("{\"key\":", stdout);
    put_str(o->key);
    fputs(",\"alias\":", stdout);
    if (!alias && o->has_guid && wr_bcd_store_default(s, &def) && wr_guid_equal(&def, &o->guid))
        alias = "{default}";
    if (alias)
        put_str(alias);
    else
        fputs("null", stdout);
    if (o->has_type)
        printf(",\"type\":\"%08x\"", o->type);
    else
        fputs(",\"type\":null", stdout);
    fputs(",\"header\":", stdout);
    put_str(wr_bcd_section_header(o->has_guid ? &o->guid : NULL, o->has_type, o->type, hbuf));
    snprintf(path, sizeof path, "Objects\\%s\\Description", o->key);
    fputs(",\"description_values\":", stdout);
    put_values(h, path);
    fputs(",\"elements\":[", stdout);
    for (size_t i = 0; i < o->n_elements; i++) {
        if (i)
            putchar(',');
        put_element(o, &o->elements[i]);
    }
    fputs("]}", stdout);
}

int bcdtool_cmd_json(struct bcdtool *bt)
{
    if (!bcdtool_open(bt))
        return 1;
    fputs("{\"store\":", stdout);
    put_str(bt->store_path);
    fputs(",\"description_values\":", stdout);
    put_values(bt->hive, "Description");
    fputs(",\"objects\":[", stdout);
    for (size_t i = 0; i < bt->store.n_objects; i++) {
        if (i)
            putchar(',');
        fputs("\n", stdout);
        put_object(bt->hive, &bt->store, &bt->store.objects[i]);
    }
    fputs("],\"notes\":[", stdout);
    for (size_t i = 0; i < bt->store.n_notes; i++) {
        if (i)
            putchar(',');
        put_str(bt->store.notes[i]);
    }
    fputs("]}\n", stdout);
    return fflush(stdout) == 0 ? 0 : bcdtool_error("writing the output failed");
}
