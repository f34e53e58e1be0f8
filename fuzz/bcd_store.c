/* libFuzzer: BCD store parsing on top of lib/regf. Any bytes that open as a
 * hive (strictly, or salvaged) must load as a store or fail cleanly, and
 * rendering, selection and checks must never crash. Every device element
 * that decodes must re-encode to its own bytes. */
#include <stdlib.h>
#include <string.h>

#include "bcd/check.h"
#include "bcd/hive.h"
#include "bcd/render.h"
#include "bcd/value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void devices_round_trip(const struct wr_bcd_store *s)
{
    for (size_t i = 0; i < s->n_objects; i++) {
        const struct wr_bcd_object *o = &s->objects[i];
        for (size_t j = 0; j < o->n_elements; j++) {
            const struct wr_bcd_element *e = &o->elements[j];
            struct wr_bcd_value v;
            uint8_t *enc;
            size_t len;
            uint32_t rt;
            if (wr_bcd_code_format(e->code) != WR_BCD_FMT_DEVICE ||
                wr_bcd_value_decode(e->code, e->reg_type, e->data, e->len, &v, NULL) != WR_OK)
                continue;
            if (wr_bcd_value_encode(&v, &rt, &enc, &len, NULL) != WR_OK || len != e->len ||
                memcmp(enc, e->data, len) != 0)
                abort();
            wr_free(enc);
            wr_bcd_value_clear(&v);
        }
    }
}

static void exercise(const struct wr_regf_hive *h)
{
    static const char *const what[] = { NULL, "all", "firmware", "bootapp", "inherit",
                                        "{default}", "{bootmgr}" };
    struct wr_bcd_store s;
    struct wr_bcd_check_counts c;

    if (wr_bcd_store_load(h, &s, NULL) != WR_OK)
        return;
    for (size_t i = 0; i < sizeof what / sizeof what[0]; i++) {
        struct wr_text t = { 0 };
        struct wr_bcd_render_opts o = { i & 1, i & 2, NULL, NULL };
        wr_bcd_render_enum(&t, &s, what[i], &o, NULL);
        wr_text_free(&t);
    }
    wr_bcd_check(&s, NULL, NULL, &c);
    devices_round_trip(&s);
    wr_bcd_store_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wr_regf_open_opts opts = { .name = "fuzz" };
    struct wr_regf_hive *h = NULL;

    if (wr_regf_open(data, size, &opts, &h, NULL) != WR_OK) {
        opts.flags = WR_REGF_OPEN_SALVAGE;
        if (wr_regf_open(data, size, &opts, &h, NULL) != WR_OK)
            return 0;
    }
    exercise(h);
    wr_regf_close(h);
    return 0;
}
