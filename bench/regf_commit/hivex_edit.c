/* The hivex side of bench/regf_commit.sh: a typical BCD edit ({bootmgr}
 * timeout, the first loader's description) and hivex_commit. Only
 * bench_run() is counted (callgrind --toggle-collect).
 *   hivex_edit FILE   (FILE is rewritten) */
#include <hivex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOOTMGR "{9dea862c-5cdd-4e70-acc1-f32b344d4795}"

static int set_element(hive_h *h, hive_node_h obj, const char *elem, hive_type t,
                       const char *data, size_t len)
{
    hive_node_h els = hivex_node_get_child(h, obj, "Elements");
    hive_node_h e = els ? hivex_node_get_child(h, els, elem) : 0;
    if (!e && els)
        e = hivex_node_add_child(h, els, elem);
    if (!e)
        return -1;
    hive_set_value v = {(char *)"Element", t, len, (char *)data};
    return hivex_node_set_value(h, e, &v, 0);
}

int bench_run(const char *file);
int __attribute__((noinline)) bench_run(const char *file)
{
    static const char timeout[8] = {30};
    static const char desc[] = "R\0e\0s\0c\0u\0e\0\0";
    hive_h *h = hivex_open(file, HIVEX_OPEN_WRITE);
    if (!h)
        return 1;
    hive_node_h objs = hivex_node_get_child(h, hivex_root(h), "Objects");
    hive_node_h bm = objs ? hivex_node_get_child(h, objs, BOOTMGR) : 0;
    int rc = bm ? set_element(h, bm, "25000004", hive_t_REG_BINARY, timeout, 8) : -1;
    hive_node_h *kids = objs ? hivex_node_children(h, objs) : NULL;
    for (size_t i = 0; rc == 0 && kids && kids[i]; i++) {
        char *name = hivex_node_name(h, kids[i]);
        hive_node_h els = hivex_node_get_child(h, kids[i], "Elements");
        int loader = name && strcmp(name, BOOTMGR) != 0 && els &&
                     hivex_node_get_child(h, els, "12000004");
        free(name);
        if (loader) {
            rc = set_element(h, kids[i], "12000004", hive_t_REG_SZ, desc, sizeof desc);
            break;
        }
    }
    free(kids);
    if (rc == 0)
        rc = hivex_commit(h, NULL, 0);
    hivex_close(h);
    return rc != 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: hivex_edit FILE\n");
        return 2;
    }
    int rc = bench_run(argv[1]);
    if (rc)
        fprintf(stderr, "hivex_edit: %s: failed\n", argv[1]);
    return rc;
}
