/* hivetool export [--prefix P] FILE [KEY]: .reg text exactly as
 * `hivexregedit --export [--prefix P] FILE KEY` prints it, so the two can be
 * diffed: keys depth-first with children and values sorted by their UTF-8
 * names (byte order), DWORDs of 4 bytes as dword:, everything else as
 * hex(type):. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "commands.h"
#include "regf/regf.h"

#define MAX_DEPTH 512

struct named {
    char *name;
    size_t len;
    uint32_t id;
};

static int cmp_named(const void *a, const void *b)
{
    const struct named *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->name, y->name, n);
    if (c)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

struct exporter {
    const struct wr_regf_hive *h;
    const char *prefix;
    struct wr_err err;
    char *path;
    size_t path_len, path_cap;
};

static char *name_of(const struct wr_regf_hive *h, uint32_t id, bool key, size_t *len)
{
    size_t n = key ? wr_regf_key_name_buf(h, id, NULL, 0) : wr_regf_value_name_buf(h, id, NULL, 0);
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    if (key)
        wr_regf_key_name_buf(h, id, s, n + 1);
    else
        wr_regf_value_name_buf(h, id, s, n + 1);
    *len = n;
    return s;
}

static void free_named(struct named *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].name);
    free(v);
}

/* Perl prints a string whose characters are all below 0x100 as Latin-1
 * bytes, and any other string as UTF-8; hivexregedit's output follows. */
static void print_perl(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    bool latin1 = true;

    for (size_t i = 0; i < len; i++)
        if (u[i] >= 0xC4 || (u[i] >= 0x80 && u[i] < 0xC0 && (i == 0 || u[i - 1] < 0xC2)))
            latin1 = false;
    if (!latin1) {
        fwrite(s, 1, len, stdout);
        return;
    }
    for (size_t i = 0; i < len; i++) {
        if (u[i] == 0xC2 || u[i] == 0xC3) {
            putchar(((u[i] & 3) << 6) | (u[i + 1] & 0x3F));
            i++;
        } else {
            putchar(u[i]);
        }
    }
}

static void print_escaped(const char *s, size_t len)
{
    char *e = malloc(2 * len + 1);
    size_t n = 0;

    if (!e)
        return;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\' || s[i] == '"')
            e[n++] = '\\';
        e[n++] = s[i];
    }
    print_perl(e, n);
    free(e);
}

static int print_value(struct exporter *x, const struct named *v)
{
    uint32_t type;
    uint8_t *data;
    size_t len;

    if (wr_regf_value_data(x->h, v->id, &type, &data, &len, &x->err) != WR_OK)
        return 1;
    if (v->len == 0) {
        fputs("@=", stdout);
    } else {
        putchar('"');
        print_escaped(v->name, v->len);
        fputs("\"=", stdout);
    }
    if (type == WR_REG_DWORD && len == 4) {
        printf("dword:%08x\n", wr_le32(data));
    } else {
        printf("hex(%x):", type);
        for (size_t i = 0; i < len; i++)
            printf(i ? ",%02x" : "%02x", data[i]);
        putchar('\n');
    }
    free(data);
    return 0;
}

static int print_values(struct exporter *x, wr_regf_node key)
{
    size_t n;
    struct named *v;
    int rc = 0;

    if (wr_regf_value_count(x->h, key, &n, &x->err) != WR_OK)
        return 1;
    v = calloc(n + 1, sizeof *v);
    if (!v)
        return 2;
    for (size_t i = 0; i < n && !rc; i++) {
        if (wr_regf_value_at(x->h, key, i, &v[i].id, &x->err) != WR_OK)
            rc = 1;
        else if (!(v[i].name = name_of(x->h, v[i].id, false, &v[i].len)))
            rc = 2;
    }
    if (!rc)
        qsort(v, n, sizeof *v, cmp_named);
    for (size_t i = 0; i < n && !rc; i++)
        rc = print_value(x, &v[i]);
    free_named(v, n);
    return rc;
}

static int path_append(struct exporter *x, const char *name, size_t len)
{
    if (x->path_len + len + 2 > x->path_cap) {
        size_t cap = (x->path_len + len + 2) * 2;
        char *p = realloc(x->path, cap);
        if (!p)
            return 2;
        x->path = p;
        x->path_cap = cap;
    }
    x->path[x->path_len++] = '\\';
    memcpy(x->path + x->path_len, name, len);
    x->path_len += len;
    return 0;
}

static int export_key(struct exporter *x, wr_regf_node key, unsigned depth)
{
    wr_regf_node *kids;
    size_t n, saved = x->path_len;
    int rc = 0;

    if (depth > MAX_DEPTH)
        return 1;
    putchar('[');
    print_perl(x->prefix, strlen(x->prefix));
    if (x->path_len)
        print_perl(x->path, x->path_len);
    else
        putchar('\\');
    fputs("]\n", stdout);
    rc = print_values(x, key);
    putchar('\n');
    if (rc)
        return rc;
    if (wr_regf_subkeys(x->h, key, &kids, &n, &x->err) != WR_OK)
        return 1;
    struct named *c = calloc(n + 1, sizeof *c);
    if (!c) {
        wr_free(kids);
        return 2;
    }
    for (size_t i = 0; i < n && !rc; i++) {
        c[i].id = kids[i];
        if (!(c[i].name = name_of(x->h, kids[i], true, &c[i].len)))
            rc = 2;
    }
    wr_free(kids);
    if (!rc)
        qsort(c, n, sizeof *c, cmp_named);
    for (size_t i = 0; i < n && !rc; i++) {
        rc = path_append(x, c[i].name, c[i].len);
        if (!rc)
            rc = export_key(x, c[i].id, depth + 1);
        x->path_len = saved;
    }
    free_named(c, n);
    return rc;
}

/* The canonical path of `key` as hivex prints it: names from the lookup. */
static int start_path(struct exporter *x, const char *keypath, wr_regf_node *key)
{
    wr_regf_node cur = wr_regf_root(x->h);
    const char *p = keypath;

    while (*p) {
        while (*p == '\\')
            p++;
        const char *end = p;
        while (*end && *end != '\\')
            end++;
        if (end == p)
            break;
        char *part = strndup(p, (size_t)(end - p));
        if (!part)
            return 2;
        wr_status st = wr_regf_child(x->h, cur, part, &cur, &x->err);
        free(part);
        if (st != WR_OK)
            return 1;
        size_t len;
        char *name = name_of(x->h, cur, true, &len);
        if (!name)
            return 2;
        int rc = path_append(x, name, len);
        free(name);
        if (rc)
            return rc;
        p = end;
    }
    *key = cur;
    return 0;
}

int hivetool_cmd_export(int argc, char **argv)
{
    struct exporter x;
    const char *file = NULL, *keypath = "\\";
    char *prefix = NULL;
    size_t len;
    int rc;

    memset(&x, 0, sizeof x);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--prefix") && i + 1 < argc)
            prefix = argv[++i];
        else if (!file)
            file = argv[i];
        else
            keypath = argv[i];
    }
    if (!file) {
        fprintf(stderr, "usage: hivetool export [--prefix P] FILE [KEY]\n");
        return 2;
    }
    /* hivexregedit drops one trailing backslash of the prefix */
    char *pfx = strdup(prefix ? prefix : "");
    if (!pfx)
        return 2;
    if (pfx[0] && pfx[strlen(pfx) - 1] == '\\')
        pfx[strlen(pfx) - 1] = '\0';
    x.prefix = pfx;
    uint8_t *data = hivetool_read_file(file, &len);
    if (!data) {
        free(pfx);
        return 2;
    }
    struct wr_regf_open_opts opts = { .name = file,
                                      .flags = WR_REGF_OPEN_FAST | WR_REGF_OPEN_IGNORE_DIRTY };
    struct wr_regf_hive *h;
    if (wr_regf_open(data, len, &opts, &h, &x.err) != WR_OK) {
        fprintf(stderr, "hivetool: %s\n", x.err.msg);
        free(data);
        free(pfx);
        return 1;
    }
    x.h = h;
    wr_regf_node key;
    rc = start_path(&x, keypath, &key);
    if (!rc) {
        fputs("Windows Registry Editor Version 5.00\n\n", stdout);
        rc = export_key(&x, key, 0);
    }
    if (rc)
        fprintf(stderr, "hivetool: %s: %s\n", file, x.err.msg[0] ? x.err.msg : "failed");
    wr_regf_close(h);
    free(x.path);
    free(data);
    free(pfx);
    return rc;
}
