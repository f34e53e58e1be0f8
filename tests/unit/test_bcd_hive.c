/* lib/bcd on real hives: the corpus through lib/regf, and edits made with
 * bcd/edit.h on an in-memory hive, read back through the model. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "bcd/check.h"
#include "bcd/edit.h"
#include "bcd/hive.h"
#include "bcd/ids.h"
#include "bcd/render.h"
#include "bcd/value.h"

static bool is_store(const char *name)
{
    const char *dot = strrchr(name, '.');

    if (name[0] == '.')
        return false;
    return !dot || (strcmp(dot, ".reg") && strcmp(dot, ".txt") && strncmp(dot, ".LOG", 4));
}

static size_t count_elements(const struct wr_bcd_store *s, size_t *devices, size_t *bad)
{
    size_t n = 0;

    for (size_t i = 0; i < s->n_objects; i++) {
        for (size_t j = 0; j < s->objects[i].n_elements; j++) {
            const struct wr_bcd_element *e = &s->objects[i].elements[j];
            struct wr_bcd_value v;
            n++;
            if (wr_bcd_value_decode(e->code, e->reg_type, e->data, e->len, &v, NULL) != WR_OK) {
                (*bad)++;
                continue;
            }
            *devices += v.format == WR_BCD_FMT_DEVICE;
            wr_bcd_value_clear(&v);
        }
    }
    return n;
}

/* bcd.md §5.5: 23 stores, 1226 elements, 190 device elements, all decode. */
static void corpus_loads_and_every_element_decodes(void)
{
    const char *shared = check_shared_dir();
    char dir[4096], path[8192];
    DIR *d;
    struct dirent *de;
    size_t stores = 0, elements = 0, devices = 0, bad = 0;

    if (!shared)
        SKIP("../shared not present");
    snprintf(dir, sizeof dir, "%s/regf-fixtures/bcd", shared);
    d = opendir(dir);
    if (!d)
        SKIP("%s not present", dir);
    while ((de = readdir(d))) {
        uint8_t *data;
        size_t len;
        struct wr_regf_hive *h;
        struct wr_bcd_store s;
        struct wr_err err = { 0 };
        struct wr_regf_open_opts o = { .name = de->d_name };
        if (!is_store(de->d_name))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        data = check_read_file(path, &len);
        CHECK_MSG(data, "cannot read %s", path);
        CHECK_MSG(wr_regf_open(data, len, &o, &h, &err) == WR_OK, "%s: %s", path, err.msg);
        free(data);
        CHECK_MSG(wr_bcd_store_load(h, &s, &err) == WR_OK, "%s: %s", path, err.msg);
        elements += count_elements(&s, &devices, &bad);
        stores++;
        wr_bcd_store_free(&s);
        wr_regf_close(h);
    }
    closedir(d);
    CHECK_INT(stores, 23);
    CHECK_INT(elements, 1226);
    CHECK_INT(devices, 190);
    CHECK_INT(bad, 0);
}

static void default_key_is_not_the_alias(void)
{
    const char *shared = check_shared_dir();
    char path[4096];
    uint8_t *data;
    size_t len;
    struct wr_regf_hive *h;
    struct wr_bcd_store s;
    struct wr_err err = { 0 };
    struct wr_guid g;
    struct wr_regf_open_opts o = { 0 };

    if (!shared)
        SKIP("../shared not present");
    snprintf(path, sizeof path, "%s/regf-fixtures/bcd/optiplex7050-bios-v1.5.BCD", shared);
    data = check_read_file(path, &len);
    if (!data)
        SKIP("%s not present", path);
    CHECK_OK(wr_regf_open(data, len, &o, &h, &err), &err);
    free(data);
    CHECK_OK(wr_bcd_store_load(h, &s, &err), &err);
    CHECK_OK(wr_bcd_resolve_id(&s, "{default}", &g, &err), &err);
    CHECK(wr_bcd_store_find(&s, &g) != NULL);
    CHECK_STR(wr_bcd_store_find(&s, &g)->key, "{fa9684f7-5c99-11e9-9efd-b596fe2f5680}");
    CHECK(s.n_notes == 2);
    wr_bcd_store_free(&s);
    wr_regf_close(h);
}

static bool no_errors(void *arg, const struct wr_regf_finding *f)
{
    if (!wr_regf_finding_is_warning(f->code))
        ++*(int *)arg;
    return true;
}

static void edits_read_back(void)
{
    struct wr_regf_hive *h;
    struct wr_bcd_store s;
    struct wr_err err = { 0 };
    struct wr_guid bm, loader;
    char key[39];
    static const uint8_t timeout[8] = { 30 };
    static const uint8_t yes[1] = { 1 };
    struct wr_text t = { 0 };
    struct wr_bcd_render_opts ro = { 0 };
    int errors = 0;
    size_t n;

    CHECK_OK(wr_bcd_hive_create_store(&h, &err), &err);
    wr_bcd_wellknown_guid(WR_BCD_ID_BOOTMGR, &bm);
    wr_guid_parse("{0d15c0de-1234-4321-8000-00000000abcd}", &loader, NULL);
    CHECK_OK(wr_bcd_hive_create_object(h, &bm, WR_BCD_TYPE_BOOTMGR, &err), &err);
    CHECK_OK(wr_bcd_hive_create_object(h, &loader, WR_BCD_TYPE_OSLOADER, &err), &err);
    CHECK(wr_bcd_hive_create_object(h, &loader, WR_BCD_TYPE_OSLOADER, &err) == WR_E_EXISTS);
    wr_bcd_guid_key(&bm, key);
    CHECK_OK(wr_bcd_hive_set_element(h, key, WR_BCD_E_TIMEOUT, 3, timeout, 8, &err), &err);
    wr_bcd_guid_key(&loader, key);
    CHECK_OK(wr_bcd_hive_set_element(h, key, 0x26000022, 3, yes, 1, &err), &err);
    CHECK_OK(wr_bcd_hive_set_element(h, key, 0x16000049, 3, yes, 1, &err), &err);
    CHECK_OK(wr_bcd_hive_delete_element(h, key, 0x16000049, &err), &err);
    CHECK(wr_bcd_hive_delete_element(h, key, 0x16000049, &err) == WR_E_NOT_FOUND);
    CHECK_OK(wr_regf_validate(h, no_errors, &errors, &n, &err), &err);
    CHECK_INT(errors, 0);
    CHECK_OK(wr_bcd_store_load(h, &s, &err), &err);
    CHECK_INT(s.n_objects, 2);
    CHECK_OK(wr_bcd_render_enum(&t, &s, "all", &ro, &err), &err);
    CHECK_STR(t.data, "\nWindows Boot Manager\n--------------------\n"
                      "identifier              {bootmgr}\ntimeout                 30\n"
                      "\nWindows Boot Loader\n-------------------\n"
                      "identifier              {0d15c0de-1234-4321-8000-00000000abcd}\n"
                      "winpe                   Yes\n");
    wr_text_free(&t);
    wr_bcd_store_free(&s);
    CHECK_OK(wr_bcd_hive_delete_object(h, key, &err), &err);
    CHECK(wr_bcd_hive_delete_object(h, key, &err) == WR_E_NOT_FOUND);
    CHECK_OK(wr_bcd_store_load(h, &s, &err), &err);
    CHECK_INT(s.n_objects, 1);
    wr_bcd_store_free(&s);
    wr_regf_close(h);
}

static void hive_without_objects_is_not_a_store(void)
{
    struct wr_regf_hive *h;
    struct wr_bcd_store s;
    struct wr_err err = { 0 };

    CHECK_OK(wr_regf_create("ROOT", 3, &h, &err), &err);
    CHECK(wr_bcd_store_load(h, &s, &err) == WR_E_INVALID);
    CHECK(strstr(err.msg, "not a BCD store") != NULL);
    wr_regf_close(h);
}

int main(void)
{
    RUN(corpus_loads_and_every_element_decodes);
    RUN(default_key_is_not_the_alias);
    RUN(edits_read_back);
    RUN(hive_without_objects_is_not_a_store);
    return check_done();
}
