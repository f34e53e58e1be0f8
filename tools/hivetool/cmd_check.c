/* hivetool check [--json] FILE: the strict validator on a file as it is on
 * disk. Exit 0 when valid, 1 with findings, 2 when it cannot be read.
 * Warnings (a stale lf hint, a "largest" field, orphaned cells, the KTM
 * flag) are printed but do not make a hive invalid: Windows loads it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "regf/regf.h"

struct check_out {
    bool json;
    size_t n;
    size_t errors;
};

static void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static bool print_finding(void *arg, const struct wr_regf_finding *f)
{
    struct check_out *o = arg;

    if (o->json) {
        printf("%s\n    {\"code\": \"%s\", \"severity\": \"%s\", \"offset\": %llu, \"message\": ",
               o->n ? "," : "", wr_regf_finding_name(f->code),
               wr_regf_finding_is_warning(f->code) ? "warning" : "error",
               (unsigned long long)f->offset);
        json_string(f->message);
        printf("}");
    } else {
        printf("%s %s at 0x%llx: %s\n",
               wr_regf_finding_is_warning(f->code) ? "warning" : "error",
               wr_regf_finding_name(f->code), (unsigned long long)f->offset, f->message);
    }
    o->n++;
    if (!wr_regf_finding_is_warning(f->code))
        o->errors++;
    return o->n < 10000;
}

int hivetool_cmd_check(int argc, char **argv)
{
    struct check_out o = { false, 0, 0 };
    const char *file = NULL;
    struct wr_err err = { 0 };
    size_t len, count = 0;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            o.json = true;
        else if (!file && argv[i][0] != '-')
            file = argv[i];
        else {
            fprintf(stderr, "usage: hivetool check [--json] FILE\n");
            return 2;
        }
    }
    if (!file) {
        fprintf(stderr, "usage: hivetool check [--json] FILE\n");
        return 2;
    }
    uint8_t *data = hivetool_read_file(file, &len);
    if (!data)
        return 2;
    if (o.json) {
        printf("{\"file\": ");
        json_string(file);
        printf(", \"findings\": [");
    }
    wr_status st = wr_regf_validate_bytes(data, len, file, print_finding, &o, &count, &err);
    free(data);
    if (st != WR_OK) {
        if (o.json)
            printf("]}\n");
        fprintf(stderr, "hivetool: %s\n", err.msg);
        return 2;
    }
    if (o.json)
        printf("%s], \"valid\": %s, \"errors\": %zu, \"warnings\": %zu}\n",
               o.n ? "\n  " : "", o.errors ? "false" : "true", o.errors, count - o.errors);
    else
        printf("%s: %s (%zu error%s, %zu warning%s)\n", file, o.errors ? "INVALID" : "valid",
               o.errors, o.errors == 1 ? "" : "s", count - o.errors,
               count - o.errors == 1 ? "" : "s");
    return o.errors ? 1 : 0;
}
