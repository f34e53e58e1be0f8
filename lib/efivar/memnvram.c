/* Variables in memory: the test double of the firmware, with a write
 * counter that can cut the power like memvol's. */
#include "efivar/nvram.h"

#include "base/fmt.h"

struct memvar {
    char name[WR_EFIVAR_NAME_MAX];
    struct wr_guid guid;
    uint32_t attrs;
    uint8_t *data;
    size_t len;
};

struct wr_memnvram {
    struct memvar *vars;
    size_t n;
    uint64_t writes_left;
};

static struct memvar *find(struct wr_memnvram *m, const char *name, const struct wr_guid *g)
{
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->vars[i].name, name) && wr_guid_equal(&m->vars[i].guid, g))
            return &m->vars[i];
    return NULL;
}

static wr_status mem_get(void *ctx, const char *name, const struct wr_guid *guid, uint32_t *attrs,
                         uint8_t **data, size_t *len, struct wr_err *err)
{
    struct memvar *v = find(ctx, name, guid);

    if (!v)
        return wr_fail(err, WR_E_NOT_FOUND, "variable %s not found", name);
    *data = wr_alloc(v->len ? v->len : 1);
    if (!*data)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    memcpy(*data, v->data, v->len);
    *len = v->len;
    *attrs = v->attrs;
    return WR_OK;
}

static wr_status spend_write(struct wr_memnvram *m, const char *name, struct wr_err *err)
{
    if (m->writes_left == 0)
        return wr_fail(err, WR_E_IO, "variable %s: power lost", name);
    if (m->writes_left != UINT64_MAX)
        m->writes_left--;
    return WR_OK;
}

static wr_status mem_set(void *ctx, const char *name, const struct wr_guid *guid, uint32_t attrs,
                         const uint8_t *data, size_t len, struct wr_err *err)
{
    struct wr_memnvram *m = ctx;
    struct memvar *v = find(m, name, guid);
    uint8_t *copy;

    if (strlen(name) >= WR_EFIVAR_NAME_MAX)
        return wr_fail(err, WR_E_INVALID, "variable name %s too long", name);
    if (spend_write(m, name, err))
        return WR_E_IO;
    copy = wr_alloc(len ? len : 1);
    if (!copy)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    memcpy(copy, data, len);
    if (!v) {
        struct memvar *grown = wr_realloc(m->vars, (m->n + 1) * sizeof *grown);
        if (!grown) {
            wr_free(copy);
            return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
        }
        m->vars = grown;
        v = &m->vars[m->n++];
        memset(v, 0, sizeof *v);
        wr_format(v->name, sizeof v->name, "%s", name);
        v->guid = *guid;
    }
    wr_free(v->data);
    v->data = copy;
    v->len = len;
    v->attrs = attrs;
    return WR_OK;
}

static wr_status mem_del(void *ctx, const char *name, const struct wr_guid *guid,
                         struct wr_err *err)
{
    struct wr_memnvram *m = ctx;
    struct memvar *v = find(m, name, guid);

    if (!v)
        return wr_fail(err, WR_E_NOT_FOUND, "variable %s not found", name);
    if (spend_write(m, name, err))
        return WR_E_IO;
    wr_free(v->data);
    *v = m->vars[--m->n];
    return WR_OK;
}

static wr_status mem_list(void *ctx, wr_nvram_visit visit, void *arg, struct wr_err *err)
{
    struct wr_memnvram *m = ctx;

    (void)err;
    for (size_t i = 0; i < m->n; i++) {
        wr_status st = visit(arg, m->vars[i].name, &m->vars[i].guid);
        if (st)
            return st;
    }
    return WR_OK;
}

static const struct wr_nvram_ops mem_ops = { mem_get, mem_set, mem_del, mem_list };

wr_status wr_memnvram_new(struct wr_memnvram **out, struct wr_err *err)
{
    *out = wr_alloc(sizeof **out);
    if (!*out)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    (*out)->writes_left = UINT64_MAX;
    return WR_OK;
}

void wr_memnvram_free(struct wr_memnvram *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        wr_free(m->vars[i].data);
    wr_free(m->vars);
    wr_free(m);
}

void wr_memnvram_nvram(struct wr_memnvram *m, struct wr_nvram *out)
{
    out->name = "memory nvram";
    out->ops = &mem_ops;
    out->ctx = m;
}

void wr_memnvram_cut_after(struct wr_memnvram *m, uint64_t writes)
{
    m->writes_left = writes;
}
